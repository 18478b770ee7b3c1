/**
 * Hashed features for the problem-type model, read from the words the term lists
 * already split (lower-cased and folded: Polish without diacritics, ё → е):
 * word unigrams, word bigrams inside a clause, and character 3- to 5-grams of
 * each word with "<" and ">" marking its ends. The character n-grams let
 * "opóźnienie", "opozniona" and "opóźnił" share evidence without a lemmatiser,
 * which is most of what the model adds to the lists on wording they never saw.
 *
 * The lists' reading of negation and shields carries over: a word right after a
 * negator ("nie było awarii", "not a scam") gives features of its own (they hash
 * apart), and a clause a shield cleared ("bez problemów z dostawą", "no issues")
 * gives none, so the model cannot tag what the lists deliberately leave out.
 *
 * Hashing is FNV-1a over UTF-16 code units with murmur3's finaliser (the same
 * scheme as the sentiment features, written out here so the two models can change
 * apart): no vocabulary to ship, and an unseen word still lands on the character
 * n-grams it shares with seen ones. Weinberger et al., "Feature Hashing for Large
 * Scale Multitask Learning", ICML 2009.
 */

export interface ModelFeatureOptions {
  /** Shortest and longest character n-gram (charMax 0 turns them off). */
  charMin: number;
  charMax: number;
  /** Weight of one character n-gram relative to a word feature. */
  charWeight: number;
  /** Floor of the squared norm the features are divided by, so two words do not weigh like a paragraph. */
  minNorm2: number;
}

/** The words of one text as the model reads them. */
export interface ModelInput {
  words: readonly string[];
  /** 2 sentence, 1 clause, 0 none: the break before each word (from splitWords). */
  breakBefore: readonly number[];
  /** 1: the word follows a negator within its reach. */
  negated: Uint8Array;
  /** 1: the word sits in a clause a shield cleared, or is a negator or contrast word itself. */
  skip: Uint8Array;
}

/** Features of one text: hashes (unmasked), values, and the word each came from. */
export interface FeatureList {
  count: number;
  hash: Int32Array;
  value: Float32Array;
  /** Word index; a bigram counts for its second word. */
  word: Int32Array;
}

export const newFeatureList = (capacity = 256): FeatureList => ({
  count: 0,
  hash: new Int32Array(capacity),
  value: new Float32Array(capacity),
  word: new Int32Array(capacity),
});

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;
// Seeds that keep the feature families apart in the hash space.
const UNIGRAM = 0x1b873593;
const UNIGRAM_NEGATED = 0x7f4a7c15;
const BIGRAM = 0x2545f491;
const CHAR = 0x6c8e9cf5 | 0;
const CHAR_NEGATED = 0x3c6ef372;
/** Words longer than this give character n-grams from their first letters only (URLs, hashes, spam). */
const MAX_CHARGRAM_WORD = 24;
/** A text past this many words is read from its start only: a mention's problem is stated early, and time stays bounded. */
export const MAX_MODEL_WORDS = 400;

const fmix = (h: number): number => {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
};

const grow = (out: FeatureList, need: number): void => {
  if (need <= out.hash.length) return;
  const size = Math.max(need, out.hash.length * 2);
  const hash = new Int32Array(size);
  const value = new Float32Array(size);
  const word = new Int32Array(size);
  hash.set(out.hash);
  value.set(out.value);
  word.set(out.word);
  out.hash = hash;
  out.value = value;
  out.word = word;
};

/** Fills `out` with the features of `input` (values scaled to unit norm, floored); returns `out`. */
export function extractModelFeatures(input: ModelInput, options: ModelFeatureOptions, out: FeatureList): FeatureList {
  const { charMin, charMax, charWeight } = options;
  const { words, breakBefore, negated, skip } = input;
  const n = Math.min(words.length, MAX_MODEL_WORDS);
  let count = 0;
  let sumSquares = 0;
  let prev = 0;
  for (let t = 0; t < n; t++) {
    if (skip[t] === 1) {
      prev = 0;
      continue;
    }
    const word = words[t]!;
    const length = Math.min(word.length, MAX_CHARGRAM_WORD);
    grow(out, count + 2 + (charMax > 0 ? (length + 2) * (charMax - charMin + 1) : 0));
    let h = FNV_OFFSET;
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), FNV_PRIME);
    const neg = negated[t] === 1;
    const uni = fmix(h ^ (neg ? UNIGRAM_NEGATED : UNIGRAM));
    out.hash[count] = uni;
    out.value[count] = 1;
    out.word[count] = t;
    count++;
    sumSquares += 1;
    if (prev !== 0 && breakBefore[t] === 0) {
      out.hash[count] = fmix(Math.imul(prev, 0x9e3779b1) ^ uni ^ BIGRAM);
      out.value[count] = 1;
      out.word[count] = t;
      count++;
      sumSquares += 1;
    }
    prev = uni;
    if (charMax === 0) continue;
    const seed = neg ? CHAR_NEGATED : CHAR;
    const last = length + 1;
    for (let p = 0; p + charMin - 1 <= last; p++) {
      let g = FNV_OFFSET;
      for (let k = 0; k < charMax && p + k <= last; k++) {
        const pos = p + k;
        const code = pos === 0 ? 0x3c : pos === last ? (length === word.length ? 0x3e : 0x2026) : word.charCodeAt(pos - 1);
        g = Math.imul(g ^ code, FNV_PRIME);
        if (k + 1 >= charMin) {
          out.hash[count] = fmix(g ^ seed);
          out.value[count] = charWeight;
          out.word[count] = t;
          count++;
          sumSquares += charWeight * charWeight;
        }
      }
    }
  }
  out.count = count;
  if (count > 0) {
    const scale = 1 / Math.sqrt(Math.max(sumSquares, options.minNorm2));
    for (let f = 0; f < count; f++) out.value[f] = out.value[f]! * scale;
  }
  return out;
}
