import { describe, expect, test } from "vitest";
import type { SentimentLabel } from "../../../../pipeline/mention";
import { classFigures, confusionOf, emptyConfusion, figuresOf, tally } from "../../../../pipeline/stages/sentiment/metrics";

const repeat = (label: SentimentLabel, n: number): SentimentLabel[] => Array.from({ length: n }, () => label);

describe("metrics", () => {
  test("confusionOf() counts gold rows against predicted columns in negative/neutral/positive order", () => {
    const gold: SentimentLabel[] = ["negative", "negative", "neutral", "positive", "positive", "positive"];
    const pred: SentimentLabel[] = ["negative", "neutral", "neutral", "positive", "negative", "positive"];
    expect(confusionOf(gold, pred)).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [1, 0, 2],
    ]);
  });

  test("confusionOf() refuses lists of different lengths", () => {
    expect(() => confusionOf(["negative"], [])).toThrow(RangeError);
  });

  test("tally() adds one pair to an existing matrix", () => {
    const c = emptyConfusion();
    tally(c, "positive", "neutral");
    tally(c, "positive", "neutral");
    expect(c[2]).toEqual([0, 2, 0]);
  });

  test("figuresOf() computes accuracy, per-class F1, macro-F1 and F1-PN by hand-checked example", () => {
    // gold negative 10: 8 → negative, 2 → neutral; gold neutral 10: 5 → neutral, 5 → positive; gold positive 10: all positive.
    const c = [
      [8, 2, 0],
      [0, 5, 5],
      [0, 0, 10],
    ];
    const f = figuresOf(c);
    expect(f.n).toBe(30);
    expect(f.accuracy).toBeCloseTo(23 / 30, 10);
    expect(f.perClass.negative).toMatchObject({ precision: 1, recall: 0.8, support: 10 });
    expect(f.perClass.negative.f1).toBeCloseTo(2 * 0.8 / 1.8, 10);
    expect(f.perClass.neutral.precision).toBeCloseTo(5 / 7, 10);
    expect(f.perClass.neutral.recall).toBeCloseTo(0.5, 10);
    expect(f.perClass.positive.precision).toBeCloseTo(10 / 15, 10);
    expect(f.perClass.positive.f1).toBeCloseTo(0.8, 10);
    const f1neu = (2 * (5 / 7) * 0.5) / (5 / 7 + 0.5);
    expect(f.macroF1).toBeCloseTo((2 * 0.8 / 1.8 + f1neu + 0.8) / 3, 10);
    expect(f.f1PN).toBeCloseTo((2 * 0.8 / 1.8 + 0.8) / 2, 10);
    expect(f.confusion).toEqual(c);
    expect(f.confusion).not.toBe(c);
  });

  test("figuresOf() is 1 everywhere for a perfect classifier", () => {
    const gold = [...repeat("negative", 3), ...repeat("neutral", 4), ...repeat("positive", 5)];
    const f = figuresOf(confusionOf(gold, gold));
    expect(f).toMatchObject({ accuracy: 1, macroF1: 1, f1PN: 1 });
  });

  test("figuresOf() averages macro-F1 over the classes present in the gold labels", () => {
    // A two-class corpus: neutral predictions are mistakes, but neutral is not averaged in.
    const f = figuresOf(confusionOf([...repeat("negative", 4), ...repeat("positive", 4)], [...repeat("negative", 4), ...repeat("neutral", 2), ...repeat("positive", 2)]));
    expect(f.perClass.neutral).toMatchObject({ f1: 0, support: 0 });
    expect(f.macroF1).toBeCloseTo((f.perClass.negative.f1 + f.perClass.positive.f1) / 2, 10);
    expect(f.perClass.positive.recall).toBe(0.5);
  });

  test("classFigures() gives 0, not NaN, for a class never predicted and never present", () => {
    expect(classFigures(emptyConfusion(), "neutral")).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(figuresOf(emptyConfusion())).toMatchObject({ n: 0, accuracy: 0, macroF1: 0, f1PN: 0 });
  });
});
