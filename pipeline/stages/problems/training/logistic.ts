import type { FeatureList } from "../model-features";
import { TYPE_COUNT } from "../problem-model";

/**
 * One-vs-rest logistic regression (one sigmoid per problem type, since a
 * mention may carry several) over hashed features, trained with Adagrad
 * (Duchi, Hazan, Singer, JMLR 2011) and a seeded shuffle: the same data and
 * settings give the same weights, bit for bit.
 */

export interface TrainSettings {
  /** log2 of the number of hash buckets. */
  bits: number;
  epochs: number;
  learningRate: number;
  /** L2 penalty on the weights an example touches. */
  l2: number;
  /** Loss weight of a positive example relative to a negative one (types are rare). */
  positiveWeight: number;
  seed: number;
}

export interface Example {
  /** Index into MODEL_LANGS. */
  lang: number;
  features: FeatureList;
  /** Bit t: the line is labelled with PROBLEM_TYPES[t]. */
  labels: number;
}

export interface LinearProblemModel {
  bits: number;
  weights: Float32Array;
  bias: Float32Array;
}

/** mulberry32: a small seeded generator, enough for shuffling. */
export const seededRandom = (seed: number): (() => number) => {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

export const shuffle = <T>(items: readonly T[], random: () => number): T[] => {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
};

/** Logits of one example into `out`. */
export function exampleLogits(model: LinearProblemModel, e: Example, out: Float64Array): void {
  const mask = (1 << model.bits) - 1;
  for (let t = 0; t < TYPE_COUNT; t++) out[t] = model.bias[e.lang * TYPE_COUNT + t]!;
  const { hash, value, count } = e.features;
  for (let f = 0; f < count; f++) {
    const h = hash[f]!;
    const v = h < 0 ? -value[f]! : value[f]!;
    const k = (h & mask) * TYPE_COUNT;
    for (let t = 0; t < TYPE_COUNT; t++) out[t] = out[t]! + v * model.weights[k + t]!;
  }
}

export function trainLogistic(examples: readonly Example[], languages: number, s: TrainSettings): LinearProblemModel {
  const size = (1 << s.bits) * TYPE_COUNT;
  const model: LinearProblemModel = { bits: s.bits, weights: new Float32Array(size), bias: new Float32Array(languages * TYPE_COUNT) };
  const sumSq = new Float64Array(size);
  const biasSq = new Float64Array(languages * TYPE_COUNT);
  const random = seededRandom(s.seed);
  const logits = new Float64Array(TYPE_COUNT);
  const grad = new Float64Array(TYPE_COUNT);
  const mask = (1 << s.bits) - 1;
  const EPS = 1e-8;
  for (let epoch = 0; epoch < s.epochs; epoch++) {
    for (const e of shuffle(examples, random)) {
      exampleLogits(model, e, logits);
      for (let t = 0; t < TYPE_COUNT; t++) {
        const y = (e.labels >> t) & 1;
        const p = 1 / (1 + Math.exp(-logits[t]!));
        grad[t] = (p - y) * (y === 1 ? s.positiveWeight : 1);
        const b = e.lang * TYPE_COUNT + t;
        biasSq[b] = biasSq[b]! + grad[t]! * grad[t]!;
        model.bias[b] = model.bias[b]! - (s.learningRate * grad[t]!) / Math.sqrt(biasSq[b]! + EPS);
      }
      const { hash, value, count } = e.features;
      for (let f = 0; f < count; f++) {
        const h = hash[f]!;
        const v = h < 0 ? -value[f]! : value[f]!;
        const k = (h & mask) * TYPE_COUNT;
        for (let t = 0; t < TYPE_COUNT; t++) {
          const i = k + t;
          const g = grad[t]! * v + s.l2 * model.weights[i]!;
          sumSq[i] = sumSq[i]! + g * g;
          model.weights[i] = model.weights[i]! - (s.learningRate * g) / Math.sqrt(sumSq[i]! + EPS);
        }
      }
    }
  }
  return model;
}
