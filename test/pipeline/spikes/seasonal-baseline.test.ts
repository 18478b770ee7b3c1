import { describe, expect, test } from "vitest";
import { expectAt, initialBaseline, learnBaseline, type BaselineState } from "../../../pipeline/spikes/seasonal-baseline";

const HOUR = 3_600_000;
/** A Monday. */
const MONDAY = Date.parse("2026-03-02T00:00:00Z");

/** Learns `hours` hours of 5-minute points whose count is `level(hour of day)`. */
function learn(from: number, hours: number, level: (hour: number) => number, b: BaselineState = initialBaseline()): BaselineState {
  for (let at = from; at < from + hours * HOUR; at += HOUR / 12) {
    const e = expectAt(b, at, 0);
    b = learnBaseline(b, e, level(new Date(at).getUTCHours()), HOUR / 12, 1);
  }
  return b;
}

describe("seasonal baseline", () => {
  test("expectAt() is cold and follows the recent level before an hour has history", () => {
    const b = learn(MONDAY, 2, () => 10);
    const e = expectAt(b, MONDAY + 5 * HOUR, 0);
    expect(e.mode).toBe("cold");
    expect(e.mean).toBeCloseTo(10, 5);
  });

  test("expectAt() gives each hour of a weekday its own level, interpolated between the hours' centres", () => {
    const b = learn(MONDAY, 24 * 3, (h) => (h === 14 ? 40 : 10));
    const at14 = expectAt(b, MONDAY + 3 * 24 * HOUR + 14.5 * HOUR, 0);
    expect(at14.mode).toBe("seasonal");
    // interpolation spreads a busy hour a little into its neighbours' slots
    expect(at14.mean).toBeGreaterThan(30);
    const at15 = expectAt(b, MONDAY + 3 * 24 * HOUR + 15 * HOUR, 0).mean;
    expect(at15).toBeLessThan(at14.mean);
    expect(at15).toBeGreaterThan(10);
    expect(expectAt(b, MONDAY + 3 * 24 * HOUR + 3.5 * HOUR, 0).mean).toBeCloseTo(10, 0);
  });

  test("expectAt() judges the first weekend by the weekday hours scaled to how quiet the weekend has been", () => {
    const weekdays = learn(MONDAY, 5 * 24, (h) => (h >= 8 && h < 20 ? 20 : 5));
    const saturday = MONDAY + 5 * 24 * HOUR;
    const morning = learn(saturday, 10, (h) => (h >= 8 && h < 20 ? 10 : 2.5), weekdays);
    const e = expectAt(morning, saturday + 14.5 * HOUR, 0);
    expect(e.mode).toBe("fallback");
    expect(e.mean).toBeGreaterThan(8);
    expect(e.mean).toBeLessThan(13);
  });

  test("expectAt() shifts hours and weekends by the brand's UTC offset", () => {
    const b = learn(MONDAY, 24 * 3, (h) => (h === 14 ? 40 : 10));
    // 16:30 in UTC+2 is 14:30 UTC, the busy hour as learned in UTC
    const busy = expectAt(b, MONDAY + 3 * 24 * HOUR + 14.5 * HOUR, 0).mean;
    expect(expectAt(b, MONDAY + 3 * 24 * HOUR + 12.5 * HOUR, 2 * HOUR).mean).toBeCloseTo(busy, 5);
  });
});
