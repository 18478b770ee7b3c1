import { combine as combineHashes, fmix as fmixHash, FNV_OFFSET } from "./hash";
import { growFeatureBuffer, RESERVED_TAIL, type FeatureBuffer } from "./feature-buffer";
import { KIND_SET_PHRASE, KIND_WORD, type TokenBuffer } from "./tokenize";

/**
 * Hashed n-gram features of a tokenized text: word unigrams and bigrams, and
 * character n-grams inside each word (with "<" and ">" marking its ends). The
 * character n-grams are what let "polecam", "polecamy" and "polecany", or
 * "ужасный" and "ужасно", share most of their evidence without a lemmatiser.
 * A negated word gets features of its own ("nie polecam" → NEG:polecam), and so
 * do its character n-grams.
 *
 * Each feature keeps the index of the token it came from (and the second token
 * of a bigram), so the scorer can name the words that decided.
 */

export interface FeatureOptions {
  /** Shortest and longest character n-gram (0 turns them off). */
  charMin: number;
  charMax: number;
  /** Weight of one character n-gram relative to a word feature. */
  charWeight: number;
  bigrams: boolean;
  /**
   * Floor of the squared norm the features are divided by. Without it a two-word
   * text weighs as much as a paragraph, and an unknown word (a brand name) can
   * carry a whole label on its own; with it, short texts keep short evidence.
   */
  minNorm2: number;
}

// Local bindings: under tsx an imported function is read through a getter on
// every call, which costs more than the hashing itself in this loop.
const fmix = fmixHash;
const combine = combineHashes;
const grow = growFeatureBuffer;
const FNV_PRIME = 16777619;

// Seeds that keep the feature families apart in the hash space.
const UNIGRAM = 0x1b873593;
const UNIGRAM_NEGATED = 0x7f4a7c15;
const BIGRAM = 0x2545f491;
const CHAR = 0x6c8e9cf5 | 0;
const CHAR_NEGATED = 0x3c6ef372;

/** Words longer than this contribute character n-grams from their first letters only. */
const MAX_CHARGRAM_WORD = 24;

/** The unigram hash of token `t` (negated tokens hash apart). */
export const unigramHash = (tokens: TokenBuffer, t: number): number =>
  fmix(tokens.hash[t]! ^ (tokens.negated[t] ? UNIGRAM_NEGATED : UNIGRAM));

/** Fills `out` with the features of `tokens`; returns `out`. */
export const extractFeatures = (tokens: TokenBuffer, options: FeatureOptions, out: FeatureBuffer): FeatureBuffer => {
  const { charMin, charMax, charWeight, bigrams } = options;
  const n = tokens.count;
  const chars = tokens.chars;
  let count = 0;
  let sumSquares = 0;
  let prevUnigram = 0;
  for (let t = 0; t < n; t++) {
    const wordLength = tokens.charEnd[t]! - tokens.charStart[t]!;
    const grams = tokens.kind[t] === KIND_WORD && charMax > 0 ? (Math.min(wordLength, MAX_CHARGRAM_WORD) + 2) * (charMax - charMin + 1) : 0;
    grow(out, count + 2 + grams + RESERVED_TAIL); // + room for the lexicon features

    if (tokens.kind[t] === KIND_SET_PHRASE) {
      // A greeting ("dzień dobry", "добрый день") is no sentiment: it takes its
      // share of the text's length and gives no feature, so the model cannot
      // learn the mood of the tweets that happened to contain it.
      sumSquares += 1;
      prevUnigram = 0;
      continue;
    }
    const uni = unigramHash(tokens, t);
    out.hash[count] = uni;
    out.value[count] = 1;
    out.token[count] = t;
    out.token2[count] = -1;
    count++;
    sumSquares += 1;

    if (bigrams && t > 0 && prevUnigram !== 0) {
      out.hash[count] = combine(prevUnigram, uni) ^ BIGRAM;
      out.value[count] = 1;
      out.token[count] = t - 1;
      out.token2[count] = t;
      count++;
      sumSquares += 1;
    }
    prevUnigram = uni;

    if (grams === 0) continue;
    // "<word>": position 0 is "<", position L+1 is ">".
    const start = tokens.charStart[t]!;
    const length = Math.min(wordLength, MAX_CHARGRAM_WORD);
    const last = length + 1;
    const seed = tokens.negated[t] ? CHAR_NEGATED : CHAR;
    for (let p = 0; p + charMin - 1 <= last; p++) {
      let h = FNV_OFFSET;
      for (let k = 0; k < charMax && p + k <= last; k++) {
        const pos = p + k;
        const code = pos === 0 ? 0x3c : pos === last && length === wordLength ? 0x3e : pos === last ? 0x2026 : chars[start + pos - 1]!;
        h = Math.imul(h ^ code, FNV_PRIME);
        if (k + 1 >= charMin) {
          out.hash[count] = fmix(h ^ seed);
          out.value[count] = charWeight;
          out.token[count] = t;
          out.token2[count] = -1;
          count++;
          sumSquares += charWeight * charWeight;
        }
      }
    }
  }
  grow(out, count + RESERVED_TAIL);
  out.count = count;
  if (count > 0) {
    const scale = 1 / Math.sqrt(Math.max(sumSquares, options.minNorm2));
    const value = out.value;
    for (let f = 0; f < count; f++) value[f] = value[f]! * scale;
  }
  return out;
};
