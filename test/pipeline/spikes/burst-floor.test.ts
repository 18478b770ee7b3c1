import { describe, expect, test } from "vitest";
import { burstFloor, initialBurstRecord, ordinaryRise, pointFloor, recordBurst, type BurstRecord } from "../../../pipeline/spikes/burst-floor";

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** One day with one sustained rise reaching `peak` (or none for null), then a quiet point the next day. */
function day(r: BurstRecord, d: number, peak: number | null): BurstRecord {
  let next = recordBurst(r, { localAt: d * DAY + HOUR, inRun: false, sustainedRatio: null, pointRatio: null });
  if (peak !== null) {
    next = recordBurst(next, { localAt: d * DAY + 10 * HOUR, inRun: true, sustainedRatio: null, pointRatio: null }); // not sustained yet
    next = recordBurst(next, { localAt: d * DAY + 11 * HOUR, inRun: true, sustainedRatio: peak * 0.8, pointRatio: null });
    next = recordBurst(next, { localAt: d * DAY + 12 * HOUR, inRun: true, sustainedRatio: peak, pointRatio: null });
    next = recordBurst(next, { localAt: d * DAY + 13 * HOUR, inRun: false, sustainedRatio: null, pointRatio: null }); // over
  }
  return next;
}

describe("burstFloor()", () => {
  test("burstFloor() is 0 until three days are complete, then a high quantile of the daily largest rises, with a margin", () => {
    let r = initialBurstRecord();
    for (const [d, peak] of [[0, 2], [1, 2.2], [2, 1.8]] as const) r = day(r, d, peak);
    expect(burstFloor(r)).toBe(0); // day 2 is still under way
    expect(ordinaryRise(r)).toBe(1); // the usual count itself, until days are learned
    r = day(r, 3, null);
    expect(r.days).toEqual([2, 2.2, 1.8]);
    expect(ordinaryRise(r)).toBe(2); // the 75th percentile of [1.8, 2, 2.2] is the middle one
    expect(burstFloor(r)).toBeCloseTo(2 * 1.2);
  });

  test("recordBurst() keeps the largest sustained ratio of each day, 1 for a day without a rise, and fourteen days at most", () => {
    let r = initialBurstRecord();
    for (let d = 0; d < 20; d++) r = day(r, d, d % 2 === 0 ? 3 : null);
    expect(r.days).toHaveLength(14);
    expect(new Set(r.days)).toEqual(new Set([1, 3]));
  });

  test("burstFloor() is not raised by a crisis on a few days of fourteen", () => {
    let r = initialBurstRecord();
    for (let d = 0; d < 15; d++) r = day(r, d, d === 5 || d === 9 ? 12 : 1.5);
    expect(burstFloor(r)).toBeCloseTo(1.5 * 1.2);
  });

  test("pointFloor() learns the largest surprising single point of each day, 1 for a day without one, and is 0 until three days are complete", () => {
    const point = (r: BurstRecord, at: number, ratio: number | null) => recordBurst(r, { localAt: at, inRun: false, sustainedRatio: null, pointRatio: ratio });
    let r = initialBurstRecord();
    r = point(r, 0 * DAY + HOUR, 3.5);
    r = point(r, 0 * DAY + 2 * HOUR, 4.5); // the day's largest
    r = point(r, 1 * DAY + HOUR, 4);
    r = point(r, 2 * DAY + HOUR, null); // a calm day
    expect(pointFloor(r)).toBe(0);
    r = point(r, 3 * DAY + HOUR, null);
    expect(r.pointDays).toEqual([4.5, 4, 1]);
    expect(pointFloor(r)).toBeCloseTo(4 * 1.2);
    expect(r.days).toEqual([1, 1, 1]); // single points are not sustained rises
  });
});
