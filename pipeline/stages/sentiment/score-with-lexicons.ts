import Sentiment from "sentiment";
import winkNLP from "wink-nlp";
import model from "wink-eng-lite-web-model";
import type { Lang, Sentiment as MentionSentiment, SentimentLabel } from "../../mention";
import { readEmoji } from "../lexicons/emoji";
import { EN } from "../lexicons/en";
import { compileLexicon, readWithLexicon, type Evidence } from "../lexicons/lexicon";
import { PL } from "../lexicons/pl";
import { RU } from "../lexicons/ru";
import { UK } from "../lexicons/uk";

/**
 * The rule-based sentiment scorer: libraries for English, hand-written stem
 * lexicons for Polish, Russian and Ukrainian, emoji, and the star rating of a
 * review. It knows no sarcasm. Earshot scores mentions with the trained model
 * (score-sentiment.ts) and uses this scorer for text in no language the model
 * reads (`und`), and as the baseline that `earshot eval sentiment --scorer lexicon`
 * measures the model against. The same text always gets the same score, and
 * `terms` says why.
 */

/** |score| below this is neutral: a single mild word ("problem", "ok") does not label a mention. */
const NEUTRAL_BAND = 0.2;
/**
 * Squashes a sum of AFINN-scale weights into [-1, 1] (VADER's x/√(x²+α)). α = 25
 * puts one clear word (±2, "awaria", "outage") near ±0.37 — mildly negative, the
 * calibration for news-like lines — and needs several strong words to pass ±0.8.
 */
const SQUASH_ALPHA = 25;
/** Each "!" strengthens what the words already say, up to three. */
const EXCLAMATION_STEP = 0.1;
const MAX_EXCLAMATIONS = 3;
/** A mostly-capitals English text is shouted; the libraries lowercase it and cannot tell. */
const SHOUT_FACTOR = 1.2;
/** Stars against text: a star rating counts like one and a half pieces of textual evidence. */
const RATING_WEIGHT = 1.5;
/** Textual evidence beyond this many pieces does not outvote the stars further. */
const MAX_TEXT_WEIGHT = 4;
const MAX_TERMS = 6;

// The lexicons are built at module load (a few ms); the wink model takes ~0.3 s to
// read and only English needs it, so it is read on the first English text.
const afinn = new Sentiment();
let wink: ReturnType<typeof winkNLP> | null = null;
const winkSentiment = (text: string): unknown => {
  wink ??= winkNLP(model);
  return wink.readDoc(text).out(wink.its.sentiment);
};
const LEXICONS = {
  en: compileLexicon(EN),
  pl: compileLexicon(PL),
  ru: compileLexicon(RU),
  uk: compileLexicon(RU, UK),
} as const;

/** The negators of the `sentiment` package's English scoring strategy, to show "not good" as the deciding term. */
const EN_NEGATORS = new Set(["cant", "can't", "dont", "don't", "doesnt", "doesn't", "not", "non", "wont", "won't", "isnt", "isn't"]);

interface TextReading {
  /** In [-1, 1]. */
  score: number;
  evidence: Evidence[];
}

/**
 * Scores one text in its language. `rating` (1–5 stars, when the source has one)
 * is weighed with the text: 1–2 stars pull negative, 4–5 positive, and the more
 * evidence the text has, the less the stars alone decide.
 */
export const scoreWithLexicons = (text: string, lang: Lang, rating?: number | null): MentionSentiment => {
  const reading = lang === "en" ? readEnglish(text) : readWithLexicons(text, lang);
  const textWeight = Math.min(reading.evidence.length, MAX_TEXT_WEIGHT);
  const terms = reading.evidence;

  let score = reading.score;
  let evidenceCount = reading.evidence.length;
  if (typeof rating === "number" && rating >= 1 && rating <= 5) {
    const stars = ((rating - 3) / 2) * 0.8; // 1★ → -0.8, 3★ → 0, 5★ → +0.8
    score = (reading.score * textWeight + stars * RATING_WEIGHT) / (textWeight + RATING_WEIGHT);
    evidenceCount += RATING_WEIGHT;
    if (stars !== 0) terms.push({ term: `${rating}★`, weight: stars * 5 });
  }
  score = clamp(round(score), -1, 1);
  const label: SentimentLabel = score >= NEUTRAL_BAND ? "positive" : score <= -NEUTRAL_BAND ? "negative" : "neutral";
  return { score, label, confidence: confidenceOf(score, terms, evidenceCount), terms: decidingTerms(terms, label) };
};

/**
 * English: the mean of AFINN-165 (the `sentiment` package) and wink-nlp. They err
 * differently: AFINN is a plain word list with one-word negation and names the
 * words it used; wink weighs negation, emoticons and contrast, but names nothing.
 * Where both see sentiment the mean keeps its strength; where only one does, the
 * halved score stays near the neutral band, which is where single-library guesses
 * ("still waiting for a refund" reads positive to wink) belong. The terms come from AFINN
 * and from the small service-talk list in lexicons/en.ts.
 */
const readEnglish = (text: string): TextReading => {
  const a = afinn.analyze(text);
  const w = winkSentiment(text);
  const winkScore = typeof w === "number" && Number.isFinite(w) ? w : 0;
  const evidence: Evidence[] = [];
  const scored = new Set(a.words);
  const weights = new Map<string, number>();
  // Emoji are read with the shared table, as in every other language; AFINN's own
  // emoji weights (from the Emoji Sentiment Ranking) are mild and are left out.
  let afinnSum = 0;
  for (const entry of a.calculation) {
    for (const [word, weight] of Object.entries(entry)) {
      weights.set(word, weight);
      if (!isSymbol(word)) afinnSum += weight;
    }
  }
  for (let i = 0; i < a.tokens.length; i++) {
    const token = a.tokens[i]!;
    if (!scored.has(token) || isSymbol(token)) continue;
    const prev = i > 0 ? a.tokens[i - 1]! : "";
    evidence.push({ term: EN_NEGATORS.has(prev) ? `${prev} ${token}` : token, weight: weights.get(token) ?? 0 });
    scored.delete(token);
  }
  // Service talk the libraries do not know ("is down", "keeps crashing") is added on top:
  // its terms avoid AFINN's (the few overlaps carry explicit corrections), so nothing counts twice.
  const domain = readWithLexicon(text, LEXICONS.en);
  const symbols = readEmoji(text);
  let extra = domain.sum;
  for (const e of symbols) extra += e.weight;
  evidence.push(...domain.evidence, ...symbols);
  // wink saw sentiment nobody can name (its own lexicon): it still counts as evidence.
  if (evidence.length === 0 && winkScore !== 0) evidence.push({ term: "", weight: winkScore * 2 });
  const score = ((squash(afinnSum) + winkScore) / 2 + squash(extra)) * intensity(text, isShouting(text));
  return { score: clamp(score, -1, 1), evidence };
};

/** Polish, Russian, Ukrainian and undetermined text: stem lexicons plus emoji. */
const readWithLexicons = (text: string, lang: Lang): TextReading => {
  const evidence = readEmoji(text);
  let sum = 0;
  for (const e of evidence) sum += e.weight;
  // An undetermined text is read with both Polish and Russian: their scripts differ,
  // so each lexicon only ever matches its own words.
  const lexicons = lang === "pl" ? [LEXICONS.pl] : lang === "ru" ? [LEXICONS.ru] : lang === "uk" ? [LEXICONS.uk] : [LEXICONS.pl, LEXICONS.ru];
  for (const lex of lexicons) {
    const reading = readWithLexicon(text, lex);
    sum += reading.sum;
    evidence.push(...reading.evidence);
  }
  return { score: squash(sum * intensity(text, false)), evidence };
};

const isSymbol = (token: string): boolean => !/[\p{L}\p{N}]/u.test(token);

const squash = (x: number): number => x / Math.sqrt(x * x + SQUASH_ALPHA);

/** Exclamation marks and shouting strengthen sentiment already there; they create none. */
const intensity = (text: string, shouting: boolean): number => {
  let marks = 0;
  for (let i = text.indexOf("!"); i !== -1 && marks < MAX_EXCLAMATIONS; i = text.indexOf("!", i + 1)) marks++;
  return (1 + EXCLAMATION_STEP * marks) * (shouting ? SHOUT_FACTOR : 1);
};

const isShouting = (text: string): boolean => {
  let upper = 0;
  let lower = 0;
  for (const ch of text.length > 500 ? text.slice(0, 500) : text) {
    if (ch !== ch.toLowerCase()) upper++;
    else if (ch !== ch.toUpperCase()) lower++;
  }
  return upper >= 6 && upper > lower * 1.5;
};

/**
 * Confidence grows with the strength of the score and the amount of evidence,
 * and falls when the evidence pulls both ways ("fast delivery but broken").
 */
const confidenceOf = (score: number, evidence: Evidence[], count: number): number => {
  let pos = 0;
  let neg = 0;
  for (const e of evidence) {
    if (e.weight > 0) pos += e.weight;
    else neg -= e.weight;
  }
  const conflict = pos > 0 && neg > 0 ? Math.min(pos, neg) / Math.max(pos, neg) : 0;
  const c = 0.3 + 0.4 * Math.abs(score) + 0.06 * Math.min(count, 5) - 0.25 * conflict;
  return round(clamp(c, 0.05, 0.95));
};

/** The words that pushed toward the label, strongest first (all of them for a neutral label). */
const decidingTerms = (evidence: Evidence[], label: SentimentLabel): string[] => {
  const sign = label === "positive" ? 1 : label === "negative" ? -1 : 0;
  const terms: string[] = [];
  const sorted = evidence.filter((e) => e.term !== "" && (sign === 0 || Math.sign(e.weight) === sign)).sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
  for (const e of sorted) {
    const term = e.term.toLowerCase();
    if (!terms.includes(term)) terms.push(term);
    if (terms.length === MAX_TERMS) break;
  }
  return terms;
};

const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);
const round = (x: number): number => Math.round(x * 1000) / 1000;
