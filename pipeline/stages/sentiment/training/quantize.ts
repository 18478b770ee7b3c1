import type { FeatureOptions } from "../extract-features";
import type { ModelAbout, SentimentModel } from "../model";
import type { ModelLang } from "../tokenize";
import type { LinearModel } from "./train-model";

/**
 * Float weights → 8-bit µ-law codes and their decode table. µ-law spacing keeps
 * relative precision for the many small weights of rare n-grams, where linear
 * 8-bit steps would round most of them to zero.
 */
const MU = 255;

export const quantize = (
  linear: LinearModel,
  meta: { lang: ModelLang; features: FeatureOptions; lexiconFeatures: boolean; about: ModelAbout },
): SentimentModel => {
  const w = linear.weights;
  // The largest weights belong to the commonest features (emoticons, "!", the lexicon
  // features): they are the last ones to clip, and µ-law spacing makes room for them.
  let scale = 1e-6;
  for (let i = 0; i < w.length; i++) scale = Math.max(scale, Math.abs(w[i]!));
  const table = new Float32Array(256);
  for (let q = -127; q <= 127; q++) table[q + 128] = (Math.sign(q) * scale * ((1 + MU) ** (Math.abs(q) / 127) - 1)) / MU;
  table[0] = -scale;
  const codes = new Int8Array(w.length);
  const logMu = Math.log1p(MU);
  for (let i = 0; i < w.length; i++) {
    const a = Math.abs(w[i]!);
    const q = Math.round((127 * Math.log1p((MU * a) / scale)) / logMu);
    codes[i] = w[i]! < 0 ? -q : q;
  }
  return {
    lang: meta.lang,
    bits: linear.bits,
    features: meta.features,
    lexiconFeatures: meta.lexiconFeatures,
    bias: Float32Array.from(linear.bias),
    table,
    codes,
    about: meta.about,
  };
};
