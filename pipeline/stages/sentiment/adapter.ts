import { z } from "zod";
import type { FeatureBuffer } from "./feature-buffer";
import type { ModelLang } from "./tokenize";

/**
 * An installation's own layer on top of the shipped weights: a sparse delta of
 * the model's weights, learnt from the corrections the team made
 * (learn-adapter.ts), added to the shipped model's logits when scoring
 * (create-scorer.ts). The shipped weights never change, so an update of Earshot
 * keeps the team's corrections and a reset is dropping the adapter.
 *
 * Only word and character n-gram features take part, not the lexicon features or
 * the bias: a correction then moves texts that share its words, and leaves the
 * rest of the stream where the shipped model put it.
 */

/** log2 of the adapter's buckets: 2^18 × 3 floats = 3 MiB per language that has corrections. */
export const ADAPTER_BITS = 18;
const ADAPTER_MASK = (1 << ADAPTER_BITS) - 1;
const FORMAT = "earshot-sentiment-adapter";

export interface LanguageAdapter {
  /** 3 weights per bucket, interleaved [negative, neutral, positive]; mostly zero. */
  weights: Float32Array;
  /** How many corrections it was learnt from. */
  corrections: number;
}

export type SentimentAdapter = Partial<Record<ModelLang, LanguageAdapter>>;

export const createLanguageAdapter = (): LanguageAdapter => ({ weights: new Float32Array(3 << ADAPTER_BITS), corrections: 0 });

/** The bucket (times 3) of a feature hash in the adapter; the sign is the model's: its high bit. */
export const adapterSlot = (hash: number): number => (hash & ADAPTER_MASK) * 3;

/**
 * Adds the adapter's contribution of the text features in `f` to `logits`, and
 * to each token's share in `perToken` (as modelLogitsByToken does), so corrected
 * words can be named as deciding terms.
 */
export const addAdapterLogits = (adapter: LanguageAdapter, f: FeatureBuffer, logits: Float64Array, perToken: Float64Array | null): void => {
  const w = adapter.weights;
  const hash = f.hash;
  const value = f.value;
  const token = f.token;
  const token2 = f.token2;
  let l0 = 0;
  let l1 = 0;
  let l2 = 0;
  for (let k = 0; k < f.count; k++) {
    const t = token[k]!;
    if (t < 0) continue; // lexicon features: not adapted
    const h = hash[k]!;
    const b = adapterSlot(h);
    const w0 = w[b]!;
    const w1 = w[b + 1]!;
    const w2 = w[b + 2]!;
    if (w0 === 0 && w1 === 0 && w2 === 0) continue;
    const v = h < 0 ? -value[k]! : value[k]!;
    const c0 = v * w0;
    const c1 = v * w1;
    const c2 = v * w2;
    l0 += c0;
    l1 += c1;
    l2 += c2;
    if (perToken === null) continue;
    const t2 = token2[k]!;
    const share = t2 < 0 ? 1 : 0.5;
    perToken[3 * t] = perToken[3 * t]! + c0 * share;
    perToken[3 * t + 1] = perToken[3 * t + 1]! + c1 * share;
    perToken[3 * t + 2] = perToken[3 * t + 2]! + c2 * share;
    if (t2 >= 0) {
      perToken[3 * t2] = perToken[3 * t2]! + c0 * share;
      perToken[3 * t2 + 1] = perToken[3 * t2 + 1]! + c1 * share;
      perToken[3 * t2 + 2] = perToken[3 * t2 + 2]! + c2 * share;
    }
  }
  logits[0] = logits[0]! + l0;
  logits[1] = logits[1]! + l1;
  logits[2] = logits[2]! + l2;
};

// ---- serialisation -------------------------------------------------------------

/** Weights below this are stored as zero: they move no logit by a visible amount. */
const STORED_MIN = 1e-5;

const languageJson = z.object({
  corrections: z.number().int().min(0),
  /** Sparse: [bucket, negative, neutral, positive]. */
  weights: z.array(z.tuple([z.number().int().min(0).max(ADAPTER_MASK), z.number(), z.number(), z.number()])),
});

const adapterJson = z.object({
  format: z.literal(FORMAT),
  version: z.literal(1),
  bits: z.literal(ADAPTER_BITS),
  langs: z.object({ pl: languageJson.optional(), ru: languageJson.optional(), en: languageJson.optional() }),
});

export type SentimentAdapterJson = z.infer<typeof adapterJson>;

export class AdapterError extends Error {
  override readonly name = "AdapterError";
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

/** The adapter as plain JSON (its non-zero weights only): a few kB for a few hundred corrections. */
export const adapterToJson = (adapter: SentimentAdapter): SentimentAdapterJson => {
  const langs: SentimentAdapterJson["langs"] = {};
  for (const lang of ["pl", "ru", "en"] as const) {
    const a = adapter[lang];
    if (a === undefined) continue;
    const weights: Array<[number, number, number, number]> = [];
    const w = a.weights;
    for (let b = 0; b < w.length; b += 3) {
      if (Math.abs(w[b]!) < STORED_MIN && Math.abs(w[b + 1]!) < STORED_MIN && Math.abs(w[b + 2]!) < STORED_MIN) continue;
      weights.push([b / 3, round(w[b]!), round(w[b + 1]!), round(w[b + 2]!)]);
    }
    langs[lang] = { corrections: a.corrections, weights };
  }
  return { format: FORMAT, version: 1, bits: ADAPTER_BITS, langs };
};

/** Reads what adapterToJson wrote (e.g. from the store); anything else is an AdapterError. */
export const adapterFromJson = (json: unknown): SentimentAdapter => {
  const parsed = adapterJson.safeParse(json);
  if (!parsed.success) throw new AdapterError(`[earshot] [sentiment] not a sentiment adapter: ${z.prettifyError(parsed.error)}`);
  const adapter: SentimentAdapter = {};
  for (const lang of ["pl", "ru", "en"] as const) {
    const a = parsed.data.langs[lang];
    if (a === undefined) continue;
    const out = createLanguageAdapter();
    out.corrections = a.corrections;
    for (const [bucket, w0, w1, w2] of a.weights) {
      out.weights[bucket * 3] = w0;
      out.weights[bucket * 3 + 1] = w1;
      out.weights[bucket * 3 + 2] = w2;
    }
    adapter[lang] = out;
  }
  return adapter;
};
