import type { Lang, SentimentLabel } from "../../mention";
import { adapterSlot, addAdapterLogits, createLanguageAdapter, type LanguageAdapter, type SentimentAdapter } from "./adapter";
import { extractFeatures } from "./extract-features";
import { createFeatureBuffer } from "./feature-buffer";
import { appendLexiconFeatures } from "./lexicon-features";
import { modelLogits, type SentimentModel } from "./model";
import { readLexicons } from "./read-lexicons";
import { createTokenBuffer, modelLangOf, tokenize, type ModelLang } from "./tokenize";
import { seededRandom, shuffled } from "./training/train-model";

/**
 * Learns an installation's adapter (adapter.ts) from the team's corrections: a
 * few seeded SGD passes of the three-class logistic loss over the shipped model
 * plus the adapter, updating the adapter only, with weight decay toward zero.
 *
 * A correction that the model plus adapter already gets right with probability
 * `target` teaches nothing more (a margin, as in the perceptron family): the
 * adapter changes only as far as the corrections need, which is what keeps
 * unrelated mentions where the shipped model put them. Pure: the same
 * corrections, previous adapter and settings give the same adapter.
 */

export interface Correction {
  text: string;
  lang: Lang;
  label: SentimentLabel;
}

export interface AdapterSettings {
  epochs: number;
  learningRate: number;
  /** Weight decay toward zero, per update of a weight. */
  l2: number;
  /** Probability of the corrected label beyond which a correction is learnt. */
  target: number;
  seed: number;
}

export const DEFAULT_ADAPTER_SETTINGS: AdapterSettings = { epochs: 40, learningRate: 0.5, l2: 0.01, target: 0.8, seed: 7 };

const LABEL_INDEX: Record<SentimentLabel, number> = { negative: 0, neutral: 1, positive: 2 };

/**
 * The adapter after learning `corrections` on top of `previous` (a copy; `previous`
 * is left as it was). Texts in a language no model reads (`und`) are skipped.
 * Pass every stored correction, not only the new ones: a pass over all of them
 * keeps earlier corrections from being undone by later ones.
 */
export const learnAdapter = (
  models: Partial<Record<ModelLang, SentimentModel>>,
  corrections: readonly Correction[],
  previous: SentimentAdapter = {},
  settings: AdapterSettings = DEFAULT_ADAPTER_SETTINGS,
): SentimentAdapter => {
  const out: SentimentAdapter = {};
  for (const lang of ["pl", "ru", "en"] as const) {
    const before = previous[lang];
    if (before !== undefined) out[lang] = { weights: before.weights.slice(), corrections: before.corrections };
  }
  const byLang = new Map<ModelLang, Correction[]>();
  for (const c of corrections) {
    const lang = modelLangOf(c.lang);
    if (lang === null || models[lang] === undefined) continue;
    const list = byLang.get(lang) ?? [];
    list.push(c);
    byLang.set(lang, list);
  }
  for (const [lang, list] of byLang) {
    const adapter = out[lang] ?? createLanguageAdapter();
    learnLanguage(models[lang]!, lang, list, adapter, settings);
    adapter.corrections = list.length;
    out[lang] = adapter;
  }
  return out;
};

interface Example {
  hash: Int32Array;
  value: Float32Array;
  /** -1 marks a lexicon feature (read by the model, not adapted). */
  token: Int32Array;
  label: number;
  base: Float64Array;
}

const learnLanguage = (model: SentimentModel, lang: ModelLang, corrections: Correction[], adapter: LanguageAdapter, s: AdapterSettings): void => {
  const tokens = createTokenBuffer();
  const features = createFeatureBuffer();
  const examples: Example[] = [];
  for (const c of corrections) {
    tokenize(c.text, lang, tokens);
    if (tokens.count === 0) continue;
    extractFeatures(tokens, model.features, features);
    if (model.lexiconFeatures) appendLexiconFeatures(features, readLexicons(c.text, c.lang));
    const base = modelLogits(model, features, new Float64Array(3));
    examples.push({
      hash: features.hash.slice(0, features.count),
      value: features.value.slice(0, features.count),
      token: features.token.slice(0, features.count),
      label: LABEL_INDEX[c.label],
      base,
    });
  }
  const random = seededRandom(s.seed);
  const w = adapter.weights;
  const logits = new Float64Array(3);
  const grad = new Float64Array(3);
  for (let epoch = 0; epoch < s.epochs; epoch++) {
    const order = shuffled(examples.length, random);
    let moved = 0;
    for (let i = 0; i < order.length; i++) {
      const ex = examples[order[i]!]!;
      logits.set(ex.base);
      addAdapterLogits(adapter, { count: ex.hash.length, hash: ex.hash, value: ex.value, token: ex.token, token2: ex.token }, logits, null);
      const max = Math.max(logits[0]!, logits[1]!, logits[2]!);
      const e0 = Math.exp(logits[0]! - max);
      const e1 = Math.exp(logits[1]! - max);
      const e2 = Math.exp(logits[2]! - max);
      const z = e0 + e1 + e2;
      const p = [e0 / z, e1 / z, e2 / z];
      if (p[ex.label]! >= s.target) continue;
      moved++;
      for (let c = 0; c < 3; c++) grad[c] = p[c]! - (c === ex.label ? 1 : 0);
      for (let k = 0; k < ex.hash.length; k++) {
        if (ex.token[k]! < 0) continue;
        const h = ex.hash[k]!;
        const v = h < 0 ? -ex.value[k]! : ex.value[k]!;
        const b = adapterSlot(h);
        for (let c = 0; c < 3; c++) w[b + c] = w[b + c]! - s.learningRate * (grad[c]! * v + s.l2 * w[b + c]!);
      }
    }
    if (moved === 0) break; // every correction holds: further passes would only grow the weights
  }
};
