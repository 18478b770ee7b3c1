import type { Lang } from "../mention";

/**
 * The thin detector: a script and diacritic fast path, then a hand-weighted
 * stopword model for Latin text without Polish letters (pl vs en). It knows only
 * the languages Earshot scores; anything else is `und`. Its job is to be fast
 * and honest about doubt; a trained detector replaces it later.
 */

export interface LanguageGuess {
  lang: Lang;
  /** In [0, 1]. */
  confidence: number;
  /** Which rule decided: "cyrillic-letters", "cyrillic-words", "polish-letters", "stopwords", "claimed", "too-short", "unclear", "other-script". */
  method: string;
}

/** Enough text to decide; the rest only costs time. */
const SCAN_CHARS = 2_000;
const MIN_LETTERS = 3;
/** Stopword evidence (in weight units) needed to call pl or en. */
const MIN_MARGIN = 1.5;
/**
 * Polish letters that decide on their own. Fewer go into the stopword model as
 * evidence, so a place name ("Łódź") does not turn an English post Polish.
 */
const DECISIVE_POLISH_LETTERS = 3;
/** Weight of each Polish letter below that count. */
const POLISH_LETTER_WEIGHT = 1.5;

// Links, handles and e-mail addresses are Latin whatever the language around them.
const NOT_PROSE = /(?:https?:\/\/|www\.)\S+|[\w.+-]*@[\w.-]+/gi;
const LATIN_TOKEN = /[a-z\u00c0-\u024f]+(?:['’][a-z]+)?/g;

/**
 * Stopwords: positive weight means Polish, negative means English. Polish is listed
 * with and without diacritics because people type "nie dziala", "juz", "sie".
 * Words both languages use ("to", "do", "no", "on", "a") carry little or no weight.
 */
const STOPWORDS = new Map<string, number>([
  // Polish, strong: function words that are not English words.
  ...w(2, "nie sie się jest że już juz jak tak ale czy dla przez bardzo tylko jeszcze mam mnie jestem był byl była byla było bylo są sa może moze można mozna kiedy gdzie dlaczego czemu znowu znów znow zawsze nigdy nic nawet teraz dziś dzis dzisiaj wczoraj jutro przy pod nad bez jego jej ich tym tego tej który ktory która ktora które ktore coś cos wszystko wszyscy działa dziala działają dzialaja polecam dzięki dzieki dziękuję dziekuje proszę prosze kurde serio chyba oraz lub albo więc wiec też tez jednak żeby zeby jeśli jesli będzie bedzie mają maja mamy macie mój moj moja moje twój twoj pani państwo panstwo dobrze źle zle trzeba ktoś ktos nikt każdy kazdy bardziej mniej wtedy potem tutaj tam gdzieś gdzies od po za"),
  // Polish, weak: short words English also writes, or rarely.
  ...w(1, "w z na o ze co ta te ma mi ja ty ten pan"),
  ...w(0.5, "u"),
  // English, strong.
  ...w(-2, "the is are was were be been being of and this that for with not my you your they have has had does did just what why how again still can't cant don't dont doesn't doesnt isn't isnt won't wont didn't didnt it's its i'm im at from by or but so very really about after since will would out all get got there their here when who which if than then our me he she his her them can could should working works today now know like love thanks thank please great good bad worst best any some been every down"),
  ...w(-2, "also only before because ever never anyone else nothing something everything says said these those"),
  ...w(-1.5, "in yet other"),
  ...w(-1, "an up off into over us we am as new more hours minutes customers"),
  ...w(-0.5, "a"),
]);

function w(weight: number, words: string): [string, number][] {
  return words.split(" ").map((word) => [word, weight]);
}

// Spelling that gives a language away in words the lists above do not know.
const POLISH_SPELLING = /rz|sz|cz|dz|prz|ów|ych|ami|ego|ość|osc|cja|cji|owa|ować|owac|wie|ieg|iej/;
const ENGLISH_SPELLING = /th|wh|sh|ing$|tion|ould|ee|oo|ea|ck|ly$|[qvx]/;
const SPELLING_WEIGHT = 0.4;

/** Ukrainian-only and Russian-only words for Cyrillic text that has no telling letter. */
const UK_WORDS = new Set(["що", "як", "це", "та", "але", "дуже", "вже", "мені", "працює", "немає", "дякую", "чому", "коли", "тому", "зараз", "знову", "весь", "також"]);
const RU_WORDS = new Set(["что", "как", "это", "уже", "очень", "мне", "работает", "нет", "спасибо", "почему", "когда", "тоже", "только", "сейчас", "опять", "снова", "все", "всё", "так"]);
const CYRILLIC_TOKEN = /[\u0400-\u04ff]+/g;

const LANGS: readonly Lang[] = ["en", "pl", "ru", "uk"];

/**
 * Guesses the language of a mention. `claimed` (what the source said, e.g. "pl-PL")
 * decides only when the text itself is too short or unclear.
 */
export const detectLanguage = (text: string, claimed?: string): LanguageGuess => {
  const fallback = claimedLang(claimed);
  const sample = text.length > SCAN_CHARS ? text.slice(0, SCAN_CHARS) : text;
  const prose = sample.includes("@") || sample.includes("http") || sample.includes("www.") ? sample.replace(NOT_PROSE, " ") : sample;
  const c = countLetters(prose);
  const letters = c.latin + c.cyrillic + c.other;

  if (letters < MIN_LETTERS) return fallback ? guess(fallback, 0.3, "claimed") : guess("und", 0, "too-short");
  if (c.other > c.latin && c.other > c.cyrillic) return guess("und", 0.6, "other-script");

  if (c.cyrillic > c.latin) {
    const share = c.cyrillic / letters;
    if (c.ukLetters > 0 && c.ukLetters >= c.ruLetters) return guess("uk", 0.95 * share, "cyrillic-letters");
    if (c.ruLetters > 0) return guess("ru", 0.95 * share, "cyrillic-letters");
    // Belarusian, Serbian, Bulgarian … letters: a Cyrillic language we do not score.
    if (c.otherCyrillic > 0) return guess("und", 0.5, "cyrillic-letters");
    let uk = 0;
    let ru = 0;
    for (const token of prose.toLowerCase().match(CYRILLIC_TOKEN) ?? []) {
      if (UK_WORDS.has(token)) uk++;
      else if (RU_WORDS.has(token)) ru++;
    }
    if (uk > ru) return guess("uk", 0.8 * share, "cyrillic-words");
    if (fallback === "uk" && ru === 0) return guess("uk", 0.6 * share, "claimed");
    // Russian is far more common among Cyrillic mentions, so it is the default.
    return guess("ru", (ru > 0 ? 0.85 : 0.7) * share, ru > 0 ? "cyrillic-words" : "cyrillic-letters");
  }

  if (c.polish >= DECISIVE_POLISH_LETTERS) {
    return guess("pl", Math.min(0.98, 0.85 + 0.02 * c.polish), "polish-letters");
  }

  let score = c.polish * POLISH_LETTER_WEIGHT;
  for (const token of prose.toLowerCase().match(LATIN_TOKEN) ?? []) {
    const known = STOPWORDS.get(token.replace("’", "'"));
    if (known !== undefined) score += known;
    else if (token.length >= 4) {
      if (POLISH_SPELLING.test(token)) score += SPELLING_WEIGHT;
      if (ENGLISH_SPELLING.test(token)) score -= SPELLING_WEIGHT;
    }
  }
  // Other Latin diacritics (ä, é, ñ, š …) point to a language we do not score.
  score -= Math.sign(score) * Math.min(Math.abs(score), c.otherLatin * 0.5);
  const margin = Math.abs(score);
  if (margin >= MIN_MARGIN) {
    return guess(score > 0 ? "pl" : "en", 0.5 + 0.45 * (1 - Math.exp(-margin / 4)), "stopwords");
  }
  if (fallback) return guess(fallback, 0.4, "claimed");
  return guess("und", 0.2, "unclear");
};

const guess = (lang: Lang, confidence: number, method: string): LanguageGuess => ({
  lang,
  confidence: Math.round(confidence * 100) / 100,
  method,
});

/** "pl-PL", "ru_RU", "EN" → a Lang Earshot knows; "ua" is a common misspelling of "uk". */
const claimedLang = (claimed: string | undefined): Lang | null => {
  if (!claimed) return null;
  const primary = claimed.trim().toLowerCase().split(/[-_]/, 1)[0] ?? "";
  const lang = primary === "ua" ? "uk" : primary;
  return (LANGS as readonly string[]).includes(lang) ? (lang as Lang) : null;
};

interface LetterCounts {
  latin: number;
  cyrillic: number;
  other: number;
  /** ą ć ę ł ń ś ź ż (ó is shared with Spanish, Czech … and not counted). */
  polish: number;
  otherLatin: number;
  /** і ї є ґ */
  ukLetters: number;
  /** ы э ъ ё */
  ruLetters: number;
  /** ў ђ ј љ њ ћ џ ѓ ќ ѕ */
  otherCyrillic: number;
}

// One pass over char codes: this is the 0.3 µs fast path (DESIGN §10).
const countLetters = (s: string): LetterCounts => {
  const c: LetterCounts = { latin: 0, cyrillic: 0, other: 0, polish: 0, otherLatin: 0, ukLetters: 0, ruLetters: 0, otherCyrillic: 0 };
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code < 0x80) {
      if ((code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a)) c.latin++;
    } else if (code >= 0x400 && code <= 0x4ff) {
      c.cyrillic++;
      const lower = code < 0x430 && code >= 0x410 ? code + 0x20 : code < 0x410 ? code + 0x50 : code;
      if (lower === 0x456 || lower === 0x457 || lower === 0x454 || lower === 0x491 || code === 0x490) c.ukLetters++;
      else if (lower === 0x44b || lower === 0x44d || lower === 0x44a || lower === 0x451) c.ruLetters++;
      else if (OTHER_CYRILLIC.has(lower)) c.otherCyrillic++;
    } else if (code >= 0xc0 && code <= 0x24f && code !== 0xd7 && code !== 0xf7) {
      c.latin++;
      if (POLISH_LETTERS.has(code)) c.polish++;
      else if (code !== 0xf3 && code !== 0xd3) c.otherLatin++;
    } else if (code >= 0x1e00 && code <= 0x1eff) {
      c.latin++;
      c.otherLatin++;
    } else if ((code >= 0x370 && code <= 0x3ff) || (code >= 0x530 && code <= 0x1dff) || (code >= 0x3040 && code <= 0x9fff) || (code >= 0xac00 && code <= 0xd7af)) {
      c.other++;
    }
  }
  return c;
};

const POLISH_LETTERS = new Set([0x104, 0x105, 0x106, 0x107, 0x118, 0x119, 0x141, 0x142, 0x143, 0x144, 0x15a, 0x15b, 0x179, 0x17a, 0x17b, 0x17c]);
const OTHER_CYRILLIC = new Set([0x45e, 0x452, 0x458, 0x459, 0x45a, 0x45b, 0x45f, 0x453, 0x45c, 0x455]);
