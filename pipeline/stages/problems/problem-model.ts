import type { FeatureList, ModelFeatureOptions } from "./model-features";
import { PROBLEM_TYPES } from "./problem-types";

/**
 * One-vs-rest logistic regression per problem type over hashed n-gram features
 * (model-features.ts), one weight table shared by Polish, Russian and English
 * with a bias per language and type. Trained by training/train.ts on the labelled
 * fixtures; a type is tagged when its probability reaches its threshold, chosen by
 * cross-validation there.
 */

/** The languages with a bias of their own; Ukrainian is read as Russian. */
export const MODEL_LANGS = ["pl", "ru", "en"] as const;
export type ModelLang = (typeof MODEL_LANGS)[number];

export const TYPE_COUNT = PROBLEM_TYPES.length;

export interface ProblemModelAbout {
  trainedOn: string[];
  settings: Record<string, number | string | boolean>;
  /** Cross-validated figures on the training data (micro precision/recall/F1 of lists, model, both). */
  crossValidated: Record<string, number>;
}

export interface ProblemModel {
  /** log2 of the number of hash buckets. */
  bits: number;
  features: ModelFeatureOptions;
  /**
   * TYPE_COUNT 8-bit weight codes per bucket, interleaved in PROBLEM_TYPES order,
   * and the table that decodes them (code + 128 → weight). A byte a weight keeps
   * the table in the CPU's cache (2^14 buckets: 112 KiB), where float weights spill
   * out of it and cost a cache miss per n-gram.
   */
  codes: Int8Array;
  table: Float32Array;
  /** TYPE_COUNT biases per language, in MODEL_LANGS order. */
  bias: Float32Array;
  /** Per type: the probability at which the model tags it. */
  thresholds: Float32Array;
  /**
   * The installation's own layer, learnt from the team's corrections
   * (learn-problem-adapter.ts): TYPE_COUNT float weights per bucket, added to
   * the shipped ones. Absent or null: the shipped weights alone.
   */
  adapter?: Float32Array | null;
  about: ProblemModelAbout;
}

/** Writes the logit of every type for `features` into `out` (TYPE_COUNT long). */
export function modelLogits(model: ProblemModel, langIndex: number, features: FeatureList, out: Float64Array): void {
  const { codes, table } = model;
  const mask = (1 << model.bits) - 1;
  const b = langIndex * TYPE_COUNT;
  let l0 = model.bias[b]!;
  let l1 = model.bias[b + 1]!;
  let l2 = model.bias[b + 2]!;
  let l3 = model.bias[b + 3]!;
  let l4 = model.bias[b + 4]!;
  let l5 = model.bias[b + 5]!;
  let l6 = model.bias[b + 6]!;
  const { hash, value } = features;
  for (let f = 0; f < features.count; f++) {
    const h = hash[f]!;
    // The top bit gives the sign: collisions then cancel on average instead of adding up.
    const v = h < 0 ? -value[f]! : value[f]!;
    const k = (h & mask) * TYPE_COUNT;
    l0 += v * table[codes[k]! + 128]!;
    l1 += v * table[codes[k + 1]! + 128]!;
    l2 += v * table[codes[k + 2]! + 128]!;
    l3 += v * table[codes[k + 3]! + 128]!;
    l4 += v * table[codes[k + 4]! + 128]!;
    l5 += v * table[codes[k + 5]! + 128]!;
    l6 += v * table[codes[k + 6]! + 128]!;
  }
  const adapter = model.adapter;
  if (adapter) {
    for (let f = 0; f < features.count; f++) {
      const h = hash[f]!;
      const v = h < 0 ? -value[f]! : value[f]!;
      const k = (h & mask) * TYPE_COUNT;
      l0 += v * adapter[k]!;
      l1 += v * adapter[k + 1]!;
      l2 += v * adapter[k + 2]!;
      l3 += v * adapter[k + 3]!;
      l4 += v * adapter[k + 4]!;
      l5 += v * adapter[k + 5]!;
      l6 += v * adapter[k + 6]!;
    }
  }
  out[0] = l0;
  out[1] = l1;
  out[2] = l2;
  out[3] = l3;
  out[4] = l4;
  out[5] = l5;
  out[6] = l6;
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** The logit a probability threshold corresponds to. */
export const logit = (p: number): number => Math.log(p / (1 - p));

/**
 * The words whose features push type `type` up the most, best first, at most
 * `limit`: each word's share is the sum of its features' contributions (its
 * unigram, its character n-grams, the bigram it ends).
 */
export function decidingWords(model: ProblemModel, type: number, features: FeatureList, limit: number): number[] {
  const { codes, table } = model;
  const mask = (1 << model.bits) - 1;
  const share = new Map<number, number>();
  for (let f = 0; f < features.count; f++) {
    const h = features.hash[f]!;
    const v = h < 0 ? -features.value[f]! : features.value[f]!;
    const c = v * weightAt(model, (h & mask) * TYPE_COUNT + type);
    const word = features.word[f]!;
    share.set(word, (share.get(word) ?? 0) + c);
  }
  return [...share.entries()]
    .filter(([, c]) => c > 0)
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, limit)
    .map(([word]) => word);
}

/** The weight at `index` (bucket × TYPE_COUNT + type): the shipped one plus the installation's layer, if any. */
export function weightAt(model: ProblemModel, index: number): number {
  return model.table[model.codes[index]! + 128]! + (model.adapter?.[index] ?? 0);
}
