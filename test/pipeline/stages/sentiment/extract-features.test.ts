import { describe, expect, test } from "vitest";
import { extractFeatures, type FeatureOptions } from "../../../../pipeline/stages/sentiment/extract-features";
import { createFeatureBuffer } from "../../../../pipeline/stages/sentiment/feature-buffer";
import { createTokenBuffer, tokenize, type ModelLang } from "../../../../pipeline/stages/sentiment/tokenize";

const OPTIONS: FeatureOptions = { charMin: 3, charMax: 5, charWeight: 0.5, bigrams: true, minNorm2: 30 };

/** The feature hashes of `text`, with their token indexes. */
const features = (text: string, lang: ModelLang, options = OPTIONS) => {
  const f = extractFeatures(tokenize(text, lang, createTokenBuffer()), options, createFeatureBuffer(8));
  return { f, hashes: Array.from(f.hash.subarray(0, f.count)) };
};

const shared = (a: number[], b: number[]): number => {
  const set = new Set(b);
  return a.filter((h) => set.has(h)).length / a.length;
};

describe("extractFeatures()", () => {
  test("extractFeatures() gives a one-word text its unigram and the word's character n-grams", () => {
    // "<ok>" has 4 positions: 3-grams "<ok", "ok>" and the 4-gram "<ok>": 1 + 3 features.
    expect(features("ok", "en").f.count).toBe(4);
  });

  test("extractFeatures() lets inflected forms share most of their character n-grams", () => {
    const a = features("polecam", "pl").hashes;
    const b = features("polecamy", "pl").hashes;
    const other = features("awaria", "pl").hashes;
    expect(shared(a, b)).toBeGreaterThan(0.5);
    expect(shared(a, other)).toBe(0);
  });

  test("extractFeatures() gives a negated word features of its own", () => {
    const plain = features("polecam", "pl").hashes;
    const negated = features("nie polecam", "pl").hashes;
    expect(shared(plain, negated)).toBe(0);
  });

  test("extractFeatures() gives a greeting no features", () => {
    expect(features("dzień dobry", "pl").f.count).toBe(0);
    expect(features("добрый день", "ru").f.count).toBe(0);
  });

  test("extractFeatures() scales features by the text's length, with a floor for short texts", () => {
    const short = features("ok", "en").f;
    expect(short.value[0]).toBeCloseTo(1 / Math.sqrt(30), 5);
    const long = features("word ".repeat(200), "en").f;
    let sum = 0;
    for (let k = 0; k < long.count; k++) sum += long.value[k]! ** 2;
    expect(sum).toBeCloseTo(1, 3);
  });

  test("extractFeatures() grows its buffer for a long text and reuses it after", () => {
    const tokens = createTokenBuffer();
    const buffer = createFeatureBuffer(8);
    extractFeatures(tokenize("bardzo długi tekst ".repeat(300), "pl", tokens), OPTIONS, buffer);
    expect(buffer.count).toBeGreaterThan(1000);
    extractFeatures(tokenize("ok", "pl", tokens), OPTIONS, buffer);
    expect(buffer.count).toBe(4);
  });

  test("extractFeatures() names the tokens of a bigram", () => {
    const { f } = features("very good", "en", { ...OPTIONS, charMax: 0 });
    expect(f.count).toBe(3);
    expect([f.token[2], f.token2[2]]).toEqual([0, 1]); // very, good, "very good"
    expect(f.token2[0]).toBe(-1);
  });
});
