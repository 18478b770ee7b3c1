import type { Lang } from "../mention";
import { BE_WORDS, RU_WORDS, UK_WORDS } from "./language/cyrillic-words";
import { countLetters, type LetterCounts } from "./language/count-letters";
import { guessWithEld } from "./language/eld-guess";
import { SUPPORTED_LANGS, claimedLang, type KnownLang, type LanguageConfig } from "./language/languages";
import { WORD_LANGS, scoreLatinWords } from "./language/latin-words";
import { stripNonProse } from "./language/strip-non-prose";

/**
 * Language detection in two tiers. The fast path reads scripts, telling letters
 * (ą ł ż, і ї є ґ, ы э ё, ў) and function words, and decides Polish (with or
 * without diacritics), English, Russian, Ukrainian, Belarusian and Russian or
 * Ukrainian typed in Latin letters; it costs a few microseconds. What it cannot
 * settle (other Latin languages, very short or unclear texts, Cyrillic without
 * telling letters or words) goes to eld, restricted to the configured languages.
 * Anything else is `und`.
 *
 * Transliterated Russian ("ne rabotaet", "spasibo") is answered `ru` with method
 * "translit" and a confidence of at most 0.6: it is Russian, so it belongs in a
 * Russian filter, but Cyrillic lexicons will not read it, so downstream stages
 * can tell it apart by the method.
 */

export interface LanguageGuess {
  lang: Lang;
  /** In [0, 1]. */
  confidence: number;
  /**
   * Which rule decided: "polish-letters", "cyrillic-letters", "cyrillic-words",
   * "stopwords", "translit", "eld", "eld-other", "claimed", "too-short", "unclear",
   * "other-script", "not-configured".
   */
  method: string;
}

/** Enough text to decide; the rest only costs time. Letters are counted over this much, */
const SCAN_CHARS = 2_000;
/** words read over this much (a few dozen words), */
const WORD_CHARS = 600;
/** and eld, the slow part, gets this much (eld itself stops at 1,000). */
const ELD_CHARS = 400;
const MIN_LETTERS = 3;
/** Word evidence (in weight units) the winner needs over the runner-up. */
const MIN_MARGIN = 1.5;
/** Transliterated Russian needs this much evidence in all: "ne" alone is Czech or Slovak too. */
const MIN_TRANSLIT = 3;
/** Polish letters that decide on their own; fewer count as word evidence, so "Łódź" does not turn a post Polish. */
const DECISIVE_POLISH_LETTERS = 3;
const POLISH_LETTER_WEIGHT = 1.5;
/** Non-Polish diacritics tolerated in a fast answer ("café" in English); more go to eld. */
const MAX_OTHER_DIACRITICS = 1;
/**
 * Latin words inside a Cyrillic post are mostly names, codes and product terms
 * ("502 Bad Gateway на сайте Vexa"); Cyrillic inside a Latin post is rarer. So
 * Cyrillic letters count this much more when the two scripts are compared.
 */
const CYRILLIC_BIAS = 1.5;
/** The highest confidence for a transliterated text: its sentiment will be poor. */
const TRANSLIT_CONFIDENCE = 0.6;

const PL = WORD_LANGS.indexOf("pl");
const FAST_WORD_LANGS: ReadonlySet<string> = new Set(["pl", "en", "ru", "uk"]);
const CYRILLIC_TOKEN = /[\u0400-\u04ff'’]+/g;

export type DetectLanguage = (text: string, claimed?: string) => LanguageGuess;

/** A detector that answers only `config.languages` (and `und`). */
export const createLanguageDetector = (config: LanguageConfig = { languages: [...SUPPORTED_LANGS] }): DetectLanguage => {
  const allowed: ReadonlySet<KnownLang> = new Set(config.languages);
  const cyrillicAllowed: ReadonlySet<KnownLang> = new Set(config.languages.filter((l) => l === "ru" || l === "uk" || l === "be"));
  /**
   * Guesses the language of a mention. `claimed` (what the source said, e.g. "pl-PL")
   * decides only when the text itself is too short or unclear.
   */
  return (text: string, claimed?: string): LanguageGuess => {
    const fallback = claimedLang(claimed, allowed);
    const sample = text.length > SCAN_CHARS ? text.slice(0, SCAN_CHARS) : text;
    const prose = stripNonProse(sample);
    const c = countLetters(prose);
    const letters = c.latin + c.cyrillic + c.other;

    let g: LanguageGuess;
    if (letters < MIN_LETTERS) g = fallback ? guess(fallback, 0.3, "claimed") : guess("und", 0, "too-short");
    else if (c.other > c.latin && c.other > c.cyrillic) g = guess("und", 0.6, "other-script");
    else if (c.cyrillic * CYRILLIC_BIAS > c.latin) g = readCyrillic(prose, c, c.cyrillic / letters, fallback, cyrillicAllowed);
    else g = readLatin(prose, c, fallback, allowed);
    return g.lang === "und" || allowed.has(g.lang) ? g : guess("und", g.confidence / 2, "not-configured");
  };
};

/** The detector over every language Earshot names (`SUPPORTED_LANGS`). */
export const detectLanguage: DetectLanguage = createLanguageDetector();

const readCyrillic = (prose: string, c: LetterCounts, share: number, fallback: KnownLang | null, allowed: ReadonlySet<KnownLang>): LanguageGuess => {
  // Serbian or Macedonian letters: a Cyrillic language we do not name.
  if (c.otherCyrillic > 0 && c.otherCyrillic >= c.ukLetters + c.ruLetters + c.beLetters) return guess("und", 0.5, "cyrillic-letters");
  if (c.beLetters > 0) return guess("be", 0.9 * share, "cyrillic-letters");
  // і next to ы or э, without ї є ґ, is Belarusian (Ukrainian never writes ы/э; Russian never і).
  if (c.ukLetters > 0 && c.yEr > 0 && c.ukOnly === 0) return guess("be", 0.8 * share, "cyrillic-letters");
  if (c.ukLetters > 0 && c.ukLetters >= c.ruLetters) return guess("uk", 0.95 * share, "cyrillic-letters");

  let uk = 0;
  let ru = 0;
  let be = 0;
  for (const token of head(prose, WORD_CHARS).toLowerCase().match(CYRILLIC_TOKEN) ?? []) {
    const word = token.includes("’") ? token.replaceAll("’", "'") : token;
    if (UK_WORDS.has(word)) uk++;
    if (RU_WORDS.has(word)) ru++;
    if (BE_WORDS.has(word)) be++;
  }
  // ы э ё are Belarusian too; Belarusian words without ў ("дзякуй", "сёння") tell it apart.
  if (be > uk && be > ru) return guess("be", 0.7 * share, "cyrillic-words");
  if (c.ruLetters > 0) return guess("ru", 0.95 * share, "cyrillic-letters");
  if (uk > ru) return guess("uk", Math.min(0.9, 0.6 + 0.1 * (uk - ru)) * share, "cyrillic-words");
  if (ru > uk) return guess("ru", Math.min(0.9, 0.6 + 0.1 * (ru - uk)) * share, "cyrillic-words");
  if (fallback === "uk" || fallback === "be" || fallback === "ru") return guess(fallback, 0.6 * share, "claimed");
  const e = guessWithEld(head(prose, ELD_CHARS), allowed, fallback);
  if (e !== null && e.lang !== "und" && e.lang !== "ru") return guess(e.lang, e.confidence * share * 0.8, e.method);
  // Russian is far more common among Cyrillic mentions, so it is the default.
  return guess("ru", 0.6 * share, "cyrillic-letters");
};

const readLatin = (prose: string, c: LetterCounts, fallback: KnownLang | null, allowed: ReadonlySet<KnownLang>): LanguageGuess => {
  if (c.polish >= DECISIVE_POLISH_LETTERS) return guess("pl", Math.min(0.98, 0.85 + 0.02 * c.polish), "polish-letters");

  const { scores, words, telling } = scoreLatinWords(head(prose, WORD_CHARS));
  scores[PL]! += c.polish * POLISH_LETTER_WEIGHT;
  // One word nobody's list knows ("Lumio 2024", a name): n-grams of a name are noise.
  if (words < 2 && telling === 0 && c.polish === 0 && c.otherLatin === 0) {
    return fallback ? guess(fallback, 0.3, "claimed") : guess("und", 0.1, "too-short");
  }
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i]! > scores[best]!) best = i;
  let second = -Infinity;
  for (let i = 0; i < scores.length; i++) if (i !== best && scores[i]! > second) second = scores[i]!;
  const lang = WORD_LANGS[best]!;
  const margin = scores[best]! - second;
  const translit = lang === "ru" || lang === "uk";
  if (FAST_WORD_LANGS.has(lang) && margin >= MIN_MARGIN && c.otherLatin <= MAX_OTHER_DIACRITICS && (!translit || scores[best]! >= MIN_TRANSLIT)) {
    const confidence = 0.5 + 0.45 * (1 - Math.exp(-margin / 4));
    return translit ? guess(lang, Math.min(TRANSLIT_CONFIDENCE, confidence), "translit") : guess(lang, confidence, "stopwords");
  }

  const e = guessWithEld(head(prose, ELD_CHARS), allowed, fallback);
  if (e !== null) return guess(e.lang, e.confidence, e.method);
  if (fallback) return guess(fallback, 0.4, "claimed");
  return guess("und", 0.2, "unclear");
};

/** The start of `text`, cut at a space so no word is split. */
const head = (text: string, chars: number): string => {
  if (text.length <= chars) return text;
  const cut = text.lastIndexOf(" ", chars);
  return text.slice(0, cut > chars / 2 ? cut : chars);
};

const guess = (lang: Lang, confidence: number, method: string): LanguageGuess => ({
  lang,
  confidence: Math.round(Math.min(1, Math.max(0, confidence)) * 100) / 100,
  method,
});
