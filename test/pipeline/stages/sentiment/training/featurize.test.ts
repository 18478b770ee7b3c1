import { describe, expect, test } from "vitest";
import type { FeatureOptions } from "../../../../../pipeline/stages/sentiment/extract-features";
import { featurize, type FeatureMatrix } from "../../../../../pipeline/stages/sentiment/training/featurize";

const FEATURES: FeatureOptions = { charMin: 3, charMax: 4, charWeight: 0.25, bigrams: true, minNorm2: 30 };

const row = (x: FeatureMatrix, r: number): Array<[number, number]> => {
  const out: Array<[number, number]> = [];
  for (let k = x.offsets[r]!; k < x.offsets[r + 1]!; k++) out.push([x.hash[k]!, x.value[k]!]);
  return out;
};

describe("featurize()", () => {
  test("featurize() reads each row in its own language when rowLangs is given", () => {
    const texts = ["nie polecam, żenada", "не советую, ужас", "not great, sadly"];
    const mixed = featurize(texts, "pl", FEATURES, true, ["pl", "ru", "en"]);
    expect(mixed.rows).toBe(3);
    expect(row(mixed, 0)).toEqual(row(featurize([texts[0]!], "pl", FEATURES, true), 0));
    expect(row(mixed, 1)).toEqual(row(featurize([texts[1]!], "ru", FEATURES, true), 0));
    expect(row(mixed, 2)).toEqual(row(featurize([texts[2]!], "en", FEATURES, true), 0));
    // The English negators mark "great" only when the row is read as English.
    expect(row(mixed, 2)).not.toEqual(row(featurize([texts[2]!], "pl", FEATURES, true), 0));
  });
});
