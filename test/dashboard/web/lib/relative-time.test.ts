import { describe, expect, test } from "vitest";
import { elapsed } from "../../../../dashboard/web/lib/relative-time";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2025, 2, 1, 12, 0, 0);

describe("elapsed()", () => {
  test.each([
    [0, null],
    [59_999, null],
    [MINUTE, { value: 1, unit: "minute" }],
    [59 * MINUTE + 59_999, { value: 59, unit: "minute" }],
    [HOUR, { value: 1, unit: "hour" }],
    [23 * HOUR + 59 * MINUTE, { value: 23, unit: "hour" }],
    [DAY, { value: 1, unit: "day" }],
    [47 * HOUR, { value: 1, unit: "day" }],
    [10 * DAY, { value: 10, unit: "day" }],
  ])("elapsed() reads %i ms back as %j", (ago, expected) => {
    expect(elapsed(NOW - ago, NOW)).toEqual(expected);
  });

  test("elapsed() counts a time a little in the future as under a minute", () => {
    expect(elapsed(NOW + 5_000, NOW)).toBeNull();
  });

  test("elapsed() gives null for a time that is not a number", () => {
    expect(elapsed(Number.NaN, NOW)).toBeNull();
  });
});
