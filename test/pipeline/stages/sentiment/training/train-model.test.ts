import { describe, expect, test } from "vitest";
import type { SentimentLabel } from "../../../../../pipeline/mention";
import { createSentimentScorer } from "../../../../../pipeline/stages/sentiment/create-scorer";
import type { FeatureOptions } from "../../../../../pipeline/stages/sentiment/extract-features";
import { featurize, labelIndex } from "../../../../../pipeline/stages/sentiment/training/featurize";
import { quantize } from "../../../../../pipeline/stages/sentiment/training/quantize";
import { rowLogits, seededRandom, trainModel, type TrainSettings } from "../../../../../pipeline/stages/sentiment/training/train-model";
import { decodeWeights, encodeWeights } from "../../../../../pipeline/stages/sentiment/weights-file";

const FEATURES: FeatureOptions = { charMin: 3, charMax: 5, charWeight: 0.5, bigrams: true, minNorm2: 30 };
const SETTINGS: TrainSettings = { bits: 14, epochs: 4, learningRate: 0.2, l2: 1e-4, seed: 42, twoClassNeutral: 0.5 };

/** A few hundred synthetic Polish lines from templates, drawn with a seeded generator. */
const synthetic = (n: number, seed: number): Array<{ text: string; label: SentimentLabel }> => {
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const things = ["aplikacja", "obsługa", "dostawa", "paczka", "infolinia", "internet", "sklep"];
  const good = ["świetna", "super", "szybka", "rewelacyjna", "bardzo dobra", "polecam"];
  const bad = ["fatalna", "beznadziejna", "wolna", "nie działa", "tragiczna", "nie polecam"];
  const plain = ["jest w poniedziałek", "ma nowy adres", "otwiera oddział", "zmienia godziny", "podaje komunikat"];
  const rows: Array<{ text: string; label: SentimentLabel }> = [];
  for (let i = 0; i < n; i++) {
    const r = random();
    const label: SentimentLabel = r < 0.34 ? "negative" : r < 0.67 ? "neutral" : "positive";
    const text = label === "neutral" ? `${pick(things)} ${pick(plain)}` : `${pick(things)} ${pick(label === "positive" ? good : bad)}`;
    rows.push({ text, label });
  }
  return rows;
};

const train = (rows: Array<{ text: string; label: SentimentLabel }>, settings = SETTINGS) => {
  const x = featurize(rows.map((r) => r.text), "pl", FEATURES, true);
  const labels = Uint8Array.from(rows, (r) => labelIndex(r.label));
  return {
    x,
    model: trainModel({ x, labels, twoClass: new Uint8Array(rows.length), weight: new Float32Array(rows.length).fill(1) }, settings),
  };
};

describe("trainModel()", () => {
  const rows = synthetic(300, 1);

  test("trainModel() gives the same weights, byte for byte, for the same data and seed", () => {
    const a = train(rows).model;
    const b = train(rows).model;
    expect(Buffer.from(a.weights.buffer).equals(Buffer.from(b.weights.buffer))).toBe(true);
    expect([...a.bias]).toEqual([...b.bias]);
    const meta = { lang: "pl" as const, features: FEATURES, lexiconFeatures: true, about: { trainedOn: ["synthetic"], settings: {}, dev: {} } };
    expect(encodeWeights(quantize(a, meta)).equals(encodeWeights(quantize(b, meta)))).toBe(true);
  });

  test("trainModel() gives different weights for a different seed", () => {
    const a = train(rows).model;
    const b = train(rows, { ...SETTINGS, seed: 43 }).model;
    expect(Buffer.from(a.weights.buffer).equals(Buffer.from(b.weights.buffer))).toBe(false);
  });

  test("trainModel() learns the synthetic labels, and the shipped format scores held-out lines the same way", () => {
    const { model, x } = train(rows);
    const logits = new Float64Array(3);
    let hits = 0;
    for (let r = 0; r < x.rows; r++) {
      rowLogits(model, x, r, logits);
      const best = logits[0]! >= logits[1]! && logits[0]! >= logits[2]! ? 0 : logits[2]! > logits[1]! ? 2 : 1;
      if (best === labelIndex(rows[r]!.label)) hits++;
    }
    expect(hits / x.rows).toBeGreaterThan(0.95);

    const shipped = decodeWeights(encodeWeights(quantize(model, { lang: "pl", features: FEATURES, lexiconFeatures: true, about: { trainedOn: [], settings: {}, dev: {} } })));
    const score = createSentimentScorer({ pl: shipped });
    const heldOut = synthetic(100, 2);
    const right = heldOut.filter((r) => score(r.text, "pl").label === r.label).length;
    expect(right / heldOut.length).toBeGreaterThan(0.9);
  });
});
