import { describe, expect, test } from "vitest";
import { MODEL_LANGS, TYPE_COUNT, type ProblemModel } from "../../../../../pipeline/stages/problems/problem-model";
import { decodeProblemModel, encodeProblemModel, ProblemModelFileError, quantizeWeights } from "../../../../../pipeline/stages/problems/problem-model-file";
import { shippedProblemModel } from "../../../../../pipeline/stages/problems/shipped-problem-model";
import { trainLogistic } from "../../../../../pipeline/stages/problems/training/logistic";
import { DEFAULT_DATA, examplesOf, readLines, RECIPE } from "../../../../../pipeline/stages/problems/training/train";

// A slice of the labelled fixtures (every fourth line) and few epochs keep this file fast.
const lines = readLines(DEFAULT_DATA).filter((_, i) => i % 4 === 0);
const examples = examplesOf(lines, RECIPE.features);
const settings = { ...RECIPE.train, bits: 12, epochs: 3 };

const modelOf = (weights: Float32Array, bias: Float32Array): ProblemModel => ({
  bits: settings.bits,
  features: RECIPE.features,
  ...quantizeWeights(weights),
  bias,
  thresholds: new Float32Array(TYPE_COUNT).fill(0.6),
  about: { trainedOn: ["test"], settings: { seed: 1 }, crossValidated: {} },
});

describe("trainLogistic()", () => {
  test("trainLogistic() gives the same weights for the same seed", () => {
    const a = trainLogistic(examples, MODEL_LANGS.length, { ...settings, seed: 7 });
    const b = trainLogistic(examples, MODEL_LANGS.length, { ...settings, seed: 7 });
    expect(Buffer.from(a.weights.buffer).equals(Buffer.from(b.weights.buffer))).toBe(true);
    expect([...a.bias]).toEqual([...b.bias]);
    expect(a.weights.some((w) => w !== 0)).toBe(true);
  });

  test("trainLogistic() gives other weights for another seed", () => {
    const a = trainLogistic(examples, MODEL_LANGS.length, { ...settings, seed: 7 });
    const b = trainLogistic(examples, MODEL_LANGS.length, { ...settings, seed: 8 });
    expect(Buffer.from(a.weights.buffer).equals(Buffer.from(b.weights.buffer))).toBe(false);
  });
});

describe("encodeProblemModel()", () => {
  test("encodeProblemModel() writes the same bytes for the same model and reads them back", () => {
    const linear = trainLogistic(examples, MODEL_LANGS.length, { ...settings, seed: 7 });
    const file = encodeProblemModel(modelOf(linear.weights, linear.bias));
    expect(encodeProblemModel(modelOf(linear.weights, linear.bias)).equals(file)).toBe(true);
    const back = decodeProblemModel(file);
    expect(back.bits).toBe(settings.bits);
    expect([...back.codes]).toEqual([...quantizeWeights(linear.weights).codes]);
    expect([...back.thresholds]).toEqual(new Array(TYPE_COUNT).fill(Math.fround(0.6)));
  });

  test("decodeProblemModel() refuses a file that is not a problem model, naming it", () => {
    expect(() => decodeProblemModel(Buffer.from("not gzip"), "x.bin.gz")).toThrow(ProblemModelFileError);
    expect(() => decodeProblemModel(Buffer.from("not gzip"), "x.bin.gz")).toThrow(/x\.bin\.gz/);
  });

  test("shippedProblemModel() loads the committed weights with a threshold per type", () => {
    const model = shippedProblemModel();
    expect(model.codes.length).toBe(TYPE_COUNT * 2 ** model.bits);
    expect(model.thresholds.length).toBe(TYPE_COUNT);
    expect(model.about.trainedOn.every((f) => !f.includes("held-out"))).toBe(true);
  });
});
