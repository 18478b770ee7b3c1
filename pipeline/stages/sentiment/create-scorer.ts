import type { Lang, Sentiment, SentimentLabel } from "../../mention";
import { extractFeatures } from "./extract-features";
import { createFeatureBuffer } from "./feature-buffer";
import { addAdapterLogits, type SentimentAdapter } from "./adapter";
import { appendLexiconFeatures } from "./lexicon-features";
import { modelLogitsByToken, type SentimentModel } from "./model";
import { readLexicons, type LexiconEvidence } from "./read-lexicons";
import { scoreWithLexicons } from "./score-with-lexicons";
import { createTokenBuffer, KIND_EMOJI, KIND_EMOTICON, KIND_WORD, modelLangOf, tokenize, type ModelLang, type TokenBuffer } from "./tokenize";

/**
 * Scores mentions with the trained models (one per language; Ukrainian is read
 * by the Russian one) and the hand-written lexicons as model features. Text in
 * no language a model reads (`und`) goes to the lexicon-only scorer.
 *
 * - label: the most probable class;
 * - score: P(positive) − P(negative), in [-1, 1];
 * - confidence: the probability of the label;
 * - terms: the lexicon words that agree with the label, then the words and
 *   phrases whose features pushed the model hardest toward it.
 * The star rating of a review shifts the logits, and exclamation marks and
 * capitals sharpen them (they strengthen what the words say, never flip it).
 */

export type SentimentScorer = (text: string, lang: Lang, rating?: number | null) => Sentiment;

/** Logit shift of a 1★ or 5★ rating toward its side: outweighs bland text, not a clear complaint or praise. */
const RATING_LOGITS = 2.5;
/** Each "!" sharpens the logits by this much, up to three. */
const EXCLAMATION_STEP = 0.1;
const MAX_EXCLAMATIONS = 3;
const SHOUT_FACTOR = 1.2;
const MAX_TERMS = 6;
/** A word names a reason only if its features moved the label's logit margin at least this far. */
const MIN_TERM_LOGIT = 0.35;
const MAX_TERM_CHARS = 40;

interface Term {
  term: string;
  weight: number;
}

/**
 * `adapter`: the installation's own layer learnt from the team's corrections
 * (learn-adapter.ts), added to the shipped model's logits; none by default.
 */
export const createSentimentScorer = (models: Partial<Record<ModelLang, SentimentModel>>, adapter: SentimentAdapter = {}): SentimentScorer => {
  // Local bindings: under tsx an imported function is read through a getter on every call.
  const tokenizeText = tokenize;
  const features_ = extractFeatures;
  const logitsOf = modelLogitsByToken;
  const tokens = createTokenBuffer();
  const features = createFeatureBuffer();
  const logits = new Float64Array(3);
  const perToken = new Float64Array(tokens.kind.length * 3);

  return (text, lang, rating) => {
    const modelLang = modelLangOf(lang);
    const model = modelLang === null ? undefined : models[modelLang];
    if (model === undefined || modelLang === null) return scoreWithLexicons(text, lang, rating);
    tokenizeText(text, modelLang, tokens);
    if (tokens.count === 0) return scoreWithLexicons(text, lang, rating);

    features_(tokens, model.features, features);
    const lex = model.lexiconFeatures ? readLexicons(text, lang) : null;
    if (lex !== null) appendLexiconFeatures(features, lex);
    perToken.fill(0, 0, tokens.count * 3);
    logitsOf(model, features, logits, perToken);
    const own = adapter[modelLang];
    if (own !== undefined) addAdapterLogits(own, features, logits, perToken);

    // Which way the text alone leans: its words are deciding only if it leans the label's way.
    const textLabel = logits[0]! >= logits[1]! && logits[0]! >= logits[2]! ? 0 : logits[2]! > logits[1]! ? 2 : 1;
    const stars = validRating(rating);
    if (stars !== null) {
      const r = (stars - 3) / 2;
      logits[0] = logits[0]! - RATING_LOGITS * r;
      logits[2] = logits[2]! + RATING_LOGITS * r;
    }
    const sharpen = intensity(text);
    const max = Math.max(logits[0]!, logits[1]!, logits[2]!);
    const e0 = Math.exp((logits[0]! - max) * sharpen);
    const e1 = Math.exp((logits[1]! - max) * sharpen);
    const e2 = Math.exp((logits[2]! - max) * sharpen);
    const z = e0 + e1 + e2;
    const p0 = e0 / z;
    const p1 = e1 / z;
    const p2 = e2 / z;
    const labelIndex = p0 >= p1 && p0 >= p2 ? 0 : p2 > p1 ? 2 : 1;
    const label: SentimentLabel = labelIndex === 0 ? "negative" : labelIndex === 2 ? "positive" : "neutral";
    const confidence = labelIndex === 0 ? p0 : labelIndex === 2 ? p2 : p1;

    const terms = decidingTerms(tokens, labelIndex, textLabel === labelIndex, lex, stars, perToken);
    return { score: clamp(round(p2 - p0), -1, 1), label, confidence: round(confidence), terms };
  };
};

const validRating = (rating: number | null | undefined): number | null =>
  typeof rating === "number" && rating >= 1 && rating <= 5 ? rating : null;

const intensity = (text: string): number => {
  let marks = 0;
  for (let i = text.indexOf("!"); i !== -1 && marks < MAX_EXCLAMATIONS; i = text.indexOf("!", i + 1)) marks++;
  return (1 + EXCLAMATION_STEP * marks) * (isShouting(text) ? SHOUT_FACTOR : 1);
};

const isShouting = (text: string): boolean => {
  let upper = 0;
  let lower = 0;
  const n = Math.min(text.length, 500);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    // ASCII and Latin/Cyrillic letters only: enough to tell "NIE DZIAŁA" from "nie działa".
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x410 && c <= 0x42f)) upper++;
    else if ((c >= 0x61 && c <= 0x7a) || (c >= 0x430 && c <= 0x44f)) lower++;
  }
  return upper >= 6 && upper > lower * 1.5;
};

/**
 * The lexicon terms (and the rating) that agree with the label, strongest first,
 * then the model's words: each token's share of the label's logit margin (its
 * unigram and character n-grams, half of each bigram it is in), adjacent deciding
 * tokens joined into one phrase, and a negated word shown with its negator.
 * When the stars decided against what the text alone says, the text's words did
 * not decide and are left out. A neutral label lists the lexicon terms found, as
 * the lexicon scorer does.
 */
const decidingTerms = (
  tokens: TokenBuffer,
  label: number,
  textDecided: boolean,
  lex: LexiconEvidence | null,
  stars: number | null,
  perToken: Float64Array,
): string[] => {
  const sign = label === 0 ? -1 : label === 2 ? 1 : 0;
  const listed: Term[] = [];
  if (lex !== null) for (const e of lex.evidence) if (e.term !== "" && (sign === 0 || Math.sign(e.weight) === sign)) listed.push({ term: e.term.toLowerCase(), weight: e.weight });
  if (stars !== null && stars !== 3) {
    const weight = ((stars - 3) / 2) * 4;
    if (sign === 0 || Math.sign(weight) === sign) listed.push({ term: `${stars}★`, weight });
  }
  listed.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
  const terms: string[] = [];
  const words = new Set<string>();
  for (const t of listed) addTerm(terms, words, t.term);
  if (sign === 0 || !textDecided || terms.length >= MAX_TERMS) return terms;

  // Each token's share of the label's margin over the other two classes.
  const n = tokens.count;
  const other1 = label === 0 ? 1 : 0;
  const other2 = label === 2 ? 1 : 2;
  const phrases: Term[] = [];
  const text = tokens.text;
  for (let t = 0; t < n; t++) {
    if (!isNameable(tokens, t) || shareOf(perToken, t, label, other1, other2) < MIN_TERM_LOGIT) continue;
    let last = t;
    let sum = shareOf(perToken, t, label, other1, other2);
    while (
      last + 1 < n &&
      isNameable(tokens, last + 1) &&
      shareOf(perToken, last + 1, label, other1, other2) >= MIN_TERM_LOGIT &&
      onlySpaces(text, tokens.end[last]!, tokens.start[last + 1]!)
    ) {
      last++;
      sum += shareOf(perToken, last, label, other1, other2);
    }
    const negator = tokens.negator[t]!;
    const from = negator >= 0 && negator < t ? tokens.start[negator]! : tokens.start[t]!;
    let term = text.slice(from, tokens.end[last]!);
    if (term.length > MAX_TERM_CHARS) term = text.slice(tokens.start[t]!, tokens.end[t]!).slice(0, MAX_TERM_CHARS);
    phrases.push({ term, weight: sum });
    t = last;
  }
  phrases.sort((a, b) => b.weight - a.weight);
  for (const p of phrases) {
    if (wordsOf(p.term).some((w) => words.has(w))) continue;
    addTerm(terms, words, p.term);
  }
  return terms;
};

// Helpers at module level, not closures: a closure made per mention is an allocation per mention.
const addTerm = (terms: string[], words: Set<string>, term: string): void => {
  if (terms.length >= MAX_TERMS || terms.includes(term)) return;
  terms.push(term);
  for (const w of wordsOf(term)) words.add(w);
};

/** Token t's share of the label's logit margin over the other two classes. */
const shareOf = (perToken: Float64Array, t: number, label: number, other1: number, other2: number): number =>
  perToken[3 * t + label]! - (perToken[3 * t + other1]! + perToken[3 * t + other2]!) / 2;

const onlySpaces = (text: string, from: number, to: number): boolean => {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) > 0x20) return false;
  return true;
};

const wordsOf = (term: string): string[] => term.split(/[^\p{L}\p{N}\p{So}★]+/u).filter((w) => w !== "");

const isNameable = (tokens: TokenBuffer, t: number): boolean => {
  const kind = tokens.kind[t];
  return kind === KIND_WORD || kind === KIND_EMOJI || kind === KIND_EMOTICON;
};

const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);
const round = (x: number): number => Math.round(x * 1000) / 1000;
