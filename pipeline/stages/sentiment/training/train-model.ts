import type { FeatureMatrix } from "./featurize";

/**
 * Multinomial logistic regression over hashed features, trained with Adagrad
 * and a seeded shuffle, so the same data and settings give the same weights.
 *
 * Two-class examples (corpora with no neutral texts) are read as evidence of
 * positive against negative only: their softmax runs over those two logits, so
 * they teach the model the difference between praise and complaint without
 * telling it that neutral text does not exist. `twoClassNeutral` blends in the
 * ordinary three-class loss for them (their texts are, after all, not neutral).
 */

export interface TrainSettings {
  /** log2 of the number of hash buckets. */
  bits: number;
  epochs: number;
  learningRate: number;
  /** L2 penalty applied to the weights an example touches. */
  l2: number;
  seed: number;
  /**
   * How far a two-class example also counts as "not neutral": 0 reads it as
   * positive-against-negative evidence only, 1 as an ordinary three-class example.
   */
  twoClassNeutral: number;
}

export interface TrainingSet {
  x: FeatureMatrix;
  /** 0 negative, 1 neutral, 2 positive. */
  labels: Uint8Array;
  /** 1: the example's corpus has no neutral class. */
  twoClass: Uint8Array;
  /** Per-example loss weight (class balance, source balance). */
  weight: Float32Array;
}

export interface LinearModel {
  bits: number;
  /** 3 weights per bucket, interleaved [neg, neu, pos]. */
  weights: Float32Array;
  bias: Float64Array;
}

export const CLASSES = 3;

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

export const shuffled = (n: number, random: () => number): Int32Array => {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
};

/** Logits of row `r` of `x` under `model`, written into `out`. */
export const rowLogits = (model: LinearModel, x: FeatureMatrix, r: number, out: Float64Array): void => {
  const mask = (1 << model.bits) - 1;
  const w = model.weights;
  let l0 = model.bias[0]!;
  let l1 = model.bias[1]!;
  let l2 = model.bias[2]!;
  for (let k = x.offsets[r]!; k < x.offsets[r + 1]!; k++) {
    const h = x.hash[k]!;
    const v = h < 0 ? -x.value[k]! : x.value[k]!;
    const b = (h & mask) * 3;
    l0 += v * w[b]!;
    l1 += v * w[b + 1]!;
    l2 += v * w[b + 2]!;
  }
  out[0] = l0;
  out[1] = l1;
  out[2] = l2;
};

/**
 * Trains for `settings.epochs` passes; `afterEpoch` sees the model after each one
 * (for picking the number of epochs on held-out data).
 */
export const trainModel = (data: TrainingSet, settings: TrainSettings, afterEpoch?: (epoch: number, model: LinearModel) => void): LinearModel => {
  const buckets = 1 << settings.bits;
  const mask = buckets - 1;
  const model: LinearModel = { bits: settings.bits, weights: new Float32Array(buckets * CLASSES), bias: new Float64Array(CLASSES) };
  const sumSq = new Float32Array(buckets * CLASSES);
  const biasSq = new Float64Array(CLASSES);
  const random = seededRandom(settings.seed);
  const logits = new Float64Array(CLASSES);
  const grad = new Float64Array(CLASSES);
  const { x, labels, twoClass, weight } = data;
  const w = model.weights;
  const lr = settings.learningRate;
  const l2 = settings.l2;
  const EPS = 1e-8;
  for (let epoch = 1; epoch <= settings.epochs; epoch++) {
    const order = shuffled(x.rows, random);
    for (let i = 0; i < order.length; i++) {
      const r = order[i]!;
      rowLogits(model, x, r, logits);
      const y = labels[r]!;
      const sw = weight[r]!;
      const max = Math.max(logits[0]!, logits[1]!, logits[2]!);
      const e0 = Math.exp(logits[0]! - max);
      const e1 = Math.exp(logits[1]! - max);
      const e2 = Math.exp(logits[2]! - max);
      const z = e0 + e1 + e2;
      grad[0] = e0 / z - (y === 0 ? 1 : 0);
      grad[1] = e1 / z - (y === 1 ? 1 : 0);
      grad[2] = e2 / z - (y === 2 ? 1 : 0);
      if (twoClass[r] === 1) {
        // (1 - ρ) × the loss over negative/positive only + ρ × the three-class loss.
        const rho = settings.twoClassNeutral;
        const z2 = e0 + e2;
        grad[0] = (1 - rho) * (e0 / z2 - (y === 0 ? 1 : 0)) + rho * grad[0]!;
        grad[1] = rho * grad[1]!;
        grad[2] = (1 - rho) * (e2 / z2 - (y === 2 ? 1 : 0)) + rho * grad[2]!;
      }
      grad[0] = grad[0]! * sw;
      grad[1] = grad[1]! * sw;
      grad[2] = grad[2]! * sw;
      for (let c = 0; c < CLASSES; c++) {
        const g = grad[c]!;
        biasSq[c] = biasSq[c]! + g * g;
        model.bias[c] = model.bias[c]! - (lr * g) / Math.sqrt(biasSq[c]! + EPS);
      }
      for (let k = x.offsets[r]!; k < x.offsets[r + 1]!; k++) {
        const h = x.hash[k]!;
        const v = h < 0 ? -x.value[k]! : x.value[k]!;
        const b = (h & mask) * 3;
        for (let c = 0; c < CLASSES; c++) {
          if (grad[c] === 0) continue;
          const j = b + c;
          const g = grad[c]! * v + l2 * w[j]!;
          const s = sumSq[j]! + g * g;
          sumSq[j] = s;
          w[j] = w[j]! - (lr * g) / Math.sqrt(s + EPS);
        }
      }
    }
    afterEpoch?.(epoch, model);
  }
  return model;
};
