import type { SentimentLabel } from "../../../mention";
import { extractFeatures, type FeatureOptions } from "../extract-features";
import { createFeatureBuffer } from "../feature-buffer";
import { appendLexiconFeatures } from "../lexicon-features";
import { readLexicons } from "../read-lexicons";
import { createTokenBuffer, tokenize, type ModelLang } from "../tokenize";

/** Texts as one sparse matrix (CSR) of full feature hashes, so any hashing size can be tried without re-reading them. */
export interface FeatureMatrix {
  rows: number;
  /** Row r owns entries offsets[r] … offsets[r + 1] - 1. */
  offsets: Int32Array;
  hash: Int32Array;
  value: Float32Array;
}

export const LABELS: readonly SentimentLabel[] = ["negative", "neutral", "positive"];
export const labelIndex = (label: SentimentLabel): number => (label === "negative" ? 0 : label === "neutral" ? 1 : 2);

/**
 * The same steps as scoring a mention (create-scorer.ts), so training and scoring see the same features.
 * `rowLangs` reads row r as rowLangs[r] (tokenizer and lexicons of that language) instead of `lang`.
 */
export const featurize = (
  texts: readonly string[],
  lang: ModelLang,
  options: FeatureOptions,
  lexicon: boolean,
  rowLangs?: readonly ModelLang[],
): FeatureMatrix => {
  const tokens = createTokenBuffer();
  const features = createFeatureBuffer();
  const offsets = new Int32Array(texts.length + 1);
  let hash = new Int32Array(texts.length * 256);
  let value = new Float32Array(texts.length * 256);
  let size = 0;
  for (let r = 0; r < texts.length; r++) {
    const rowLang = rowLangs?.[r] ?? lang;
    extractFeatures(tokenize(texts[r]!, rowLang, tokens), options, features);
    if (lexicon) appendLexiconFeatures(features, readLexicons(texts[r]!, rowLang));
    if (size + features.count > hash.length) {
      const capacity = Math.max(size + features.count, hash.length * 2);
      const h = new Int32Array(capacity);
      const v = new Float32Array(capacity);
      h.set(hash.subarray(0, size));
      v.set(value.subarray(0, size));
      hash = h;
      value = v;
    }
    hash.set(features.hash.subarray(0, features.count), size);
    value.set(features.value.subarray(0, features.count), size);
    size += features.count;
    offsets[r + 1] = size;
  }
  return { rows: texts.length, offsets, hash: hash.slice(0, size), value: value.slice(0, size) };
};
