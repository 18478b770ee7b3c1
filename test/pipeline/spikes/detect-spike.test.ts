import { describe, expect, test } from "vitest";
import { detectSpike, type MinutePoint } from "../../../pipeline/spikes/detect-spike";

const SETTINGS = { minNegatives: 5, sensitivity: 4, baselineMinutes: 60, warmupMinutes: 30 };
const calm = (n: number, negative = 1, total = 10): MinutePoint[] => Array.from({ length: n }, () => ({ total, negative }));

describe("detectSpike()", () => {
  test("detectSpike() raises a surge of negative mentions far above the baseline", () => {
    const j = detectSpike(calm(60), { total: 30, negative: 20 }, SETTINGS);
    expect(j.spike).toBe(true);
    expect(j.baseline).toBe(1);
    expect(j.score).toBeGreaterThan(0.5);
  });

  test("detectSpike() stays quiet on ordinary noise", () => {
    const noisy = Array.from({ length: 60 }, (_, i) => ({ total: 10, negative: [0, 1, 2, 1, 3][i % 5]! }));
    expect(detectSpike(noisy, { total: 12, negative: 4 }, SETTINGS).spike).toBe(false);
  });

  test("detectSpike() never alerts below minNegatives, even from a zero baseline", () => {
    expect(detectSpike(calm(60, 0), { total: 4, negative: 4 }, SETTINGS).spike).toBe(false);
    expect(detectSpike(calm(60, 0), { total: 6, negative: 5 }, SETTINGS).spike).toBe(true);
  });

  test("detectSpike() does not alert before the warm-up history exists", () => {
    expect(detectSpike(calm(10), { total: 40, negative: 40 }, SETTINGS).spike).toBe(false);
  });

  test("detectSpike() treats a surge of all mentions with a normal negative share as no alarm", () => {
    // a launch: 200 mentions, 10 % negative, as usual
    expect(detectSpike(calm(60, 1, 10), { total: 200, negative: 20 }, SETTINGS).spike).toBe(false);
  });

  test("detectSpike() is robust to a few odd minutes in the baseline", () => {
    const history = calm(60);
    history[10] = { total: 50, negative: 40 };
    history[20] = { total: 50, negative: 35 };
    expect(detectSpike(history, { total: 30, negative: 20 }, SETTINGS).spike).toBe(true);
  });
});
