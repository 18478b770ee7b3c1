import type { FeatureOptions } from "./extract-features";
import type { FeatureBuffer } from "./feature-buffer";
import type { ModelLang } from "./tokenize";

/**
 * A trained sentiment model as it runs: one 8-bit code per hash bucket and class,
 * decoded through a 256-entry table (µ-law spaced, so the many small weights keep
 * their precision and the few large ones their size).
 * Classes are [negative, neutral, positive].
 */
export interface SentimentModel {
  lang: ModelLang;
  /** log2 of the number of buckets. */
  bits: number;
  features: FeatureOptions;
  /** Whether the model was trained with the lexicon features (lexicon-features.ts). */
  lexiconFeatures: boolean;
  bias: Float32Array;
  /** Weight of code c is table[c + 128]. */
  table: Float32Array;
  /** 3 codes per bucket, interleaved [neg, neu, pos]. */
  codes: Int8Array;
  /** What the model was trained on and how it scored, for `earshot` to show. */
  about: ModelAbout;
}

export interface ModelAbout {
  trainedOn: string[];
  settings: Record<string, number | string | boolean>;
  dev: Record<string, number>;
}

/** Logits of the features in `f` (all of them, lexicon features included), written into `out`. */
export const modelLogits = (model: SentimentModel, f: FeatureBuffer, out: Float64Array): Float64Array => {
  const mask = (1 << model.bits) - 1;
  const codes = model.codes;
  const table = model.table;
  let l0 = model.bias[0]!;
  let l1 = model.bias[1]!;
  let l2 = model.bias[2]!;
  const hash = f.hash;
  const value = f.value;
  for (let k = 0; k < f.count; k++) {
    const h = hash[k]!;
    const v = h < 0 ? -value[k]! : value[k]!;
    const b = (h & mask) * 3;
    l0 += v * table[codes[b]! + 128]!;
    l1 += v * table[codes[b + 1]! + 128]!;
    l2 += v * table[codes[b + 2]! + 128]!;
  }
  out[0] = l0;
  out[1] = l1;
  out[2] = l2;
  return out;
};

/**
 * `modelLogits`, also adding each feature's three contributions to its token
 * (perToken[3t + c]; half to each token of a bigram), so the scorer can name the
 * deciding words without a second pass. `perToken` must be zero for the tokens in use.
 */
export const modelLogitsByToken = (model: SentimentModel, f: FeatureBuffer, out: Float64Array, perToken: Float64Array): Float64Array => {
  const mask = (1 << model.bits) - 1;
  const codes = model.codes;
  const table = model.table;
  let l0 = model.bias[0]!;
  let l1 = model.bias[1]!;
  let l2 = model.bias[2]!;
  const hash = f.hash;
  const value = f.value;
  const token = f.token;
  const token2 = f.token2;
  for (let k = 0; k < f.count; k++) {
    const h = hash[k]!;
    const v = h < 0 ? -value[k]! : value[k]!;
    const b = (h & mask) * 3;
    const c0 = v * table[codes[b]! + 128]!;
    const c1 = v * table[codes[b + 1]! + 128]!;
    const c2 = v * table[codes[b + 2]! + 128]!;
    l0 += c0;
    l1 += c1;
    l2 += c2;
    const t = token[k]!;
    if (t < 0) continue;
    const t2 = token2[k]!;
    if (t2 < 0) {
      perToken[3 * t] = perToken[3 * t]! + c0;
      perToken[3 * t + 1] = perToken[3 * t + 1]! + c1;
      perToken[3 * t + 2] = perToken[3 * t + 2]! + c2;
    } else {
      perToken[3 * t] = perToken[3 * t]! + c0 / 2;
      perToken[3 * t + 1] = perToken[3 * t + 1]! + c1 / 2;
      perToken[3 * t + 2] = perToken[3 * t + 2]! + c2 / 2;
      perToken[3 * t2] = perToken[3 * t2]! + c0 / 2;
      perToken[3 * t2 + 1] = perToken[3 * t2 + 1]! + c1 / 2;
      perToken[3 * t2 + 2] = perToken[3 * t2 + 2]! + c2 / 2;
    }
  }
  out[0] = l0;
  out[1] = l1;
  out[2] = l2;
  return out;
};
