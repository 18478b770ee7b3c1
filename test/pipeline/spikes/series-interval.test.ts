import { describe, expect, test } from "vitest";
import { initialInterval, observeInterval } from "../../../pipeline/spikes/series-interval";

const observe = (gaps: number[]) => gaps.reduce(observeInterval, initialInterval());

describe("observeInterval()", () => {
  test("observeInterval() guesses a minute before the first gap", () => {
    expect(initialInterval().ms).toBe(60_000);
  });

  test("observeInterval() reads the interval through missing and late points", () => {
    const five = 300_000;
    expect(observe([five]).ms).toBe(five);
    expect(observe([five, 2 * five]).ms).toBe(five); // one point missing
    expect(observe([five, five, 2 * five, five, 3 * five, five - 20_000, five + 20_000]).ms).toBe(five);
  });

  test("observeInterval() follows a series that changes its interval", () => {
    const hour = 3_600_000;
    expect(observe([...Array(9).fill(60_000), ...Array(9).fill(hour)]).ms).toBe(hour);
  });
});
