import { describe, expect, test } from "vitest";
import { isoWeek, replayIncidents } from "../../../pipeline/incidents/replay";
import type { MinuteCount } from "../../../pipeline/mention";
import { DEFAULT_SPIKE_SETTINGS } from "../../../pipeline/spikes/detect-spike";
import type { StoredMinute } from "../../../pipeline/spikes/warm-start";

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 16, 0, 0); // a Monday
const SETTINGS = { spikes: DEFAULT_SPIKE_SETTINGS, lifecycle: { keepFiringMinutes: 15 } };

/** Two days of a calm brand (a negative mention every few minutes), with surges at the given minutes. */
function history(surges: { at: number; minutes: number; negative: number }[]): MinuteCount[] {
  const counts: MinuteCount[] = [];
  for (let i = 0; i < 2 * 24 * 60; i++) {
    const surge = surges.find((s) => i >= s.at && i < s.at + s.minutes);
    const negative = surge ? surge.negative : i % 5 === 0 ? 1 : 0;
    counts.push({ brand: "Lumio", minute: T0 + i * MIN, total: negative + 4, negative });
  }
  return counts;
}

describe("replayIncidents()", () => {
  test("replayIncidents() finds the one surge in a calm history, with when it opened, fired and resolved", () => {
    const surgeAt = 36 * 60; // the second day, noon
    const result = replayIncidents("Lumio", history([{ at: surgeAt, minutes: 40, negative: 30 }]), { from: T0, to: T0 + 2 * 24 * 60 * MIN }, SETTINGS);
    expect(result.minutes).toBe(2 * 24 * 60);
    const fired = result.incidents.filter((i) => i.firedAt !== null);
    expect(fired).toHaveLength(1);
    const [incident] = fired;
    expect(incident!.firedAt! - (T0 + surgeAt * MIN)).toBeLessThanOrEqual(5 * MIN);
    expect(incident!.firedAt!).toBeGreaterThanOrEqual(T0 + surgeAt * MIN);
    expect(incident!.outcome).toBe("resolved");
    expect(incident!.endedAt!).toBeGreaterThan(T0 + (surgeAt + 40) * MIN);
    expect(incident!.peakNegative).toBe(30);
    expect(result.perWeek).toEqual([{ week: "2026-W47", fired: 1 }]);
  });

  test("replayIncidents() of a calm history raises nothing", () => {
    const result = replayIncidents("Lumio", history([]), { from: T0, to: T0 + 2 * 24 * 60 * MIN }, SETTINGS);
    expect(result.incidents.filter((i) => i.firedAt !== null)).toEqual([]);
    expect(result.perWeek).toEqual([]);
  });

  test("replayIncidents() with warmFrom starts the range with warm detectors: a surge in its first minutes fires at once", () => {
    const day = 24 * 60 * MIN;
    const surgeAt = 24 * 60 + 10; // ten minutes into the second day, where the range starts
    const counts = history([{ at: surgeAt, minutes: 40, negative: 30 }]);
    const range = { from: T0 + day, to: T0 + 2 * day };
    const firedWarm = replayIncidents("Lumio", counts, { ...range, warmFrom: T0 }, SETTINGS).incidents.filter((i) => i.firedAt !== null);
    expect(firedWarm).toHaveLength(1);
    expect(firedWarm[0]!.firedAt! - (T0 + surgeAt * MIN)).toBeLessThanOrEqual(5 * MIN);
    // The same range from cold: the detector is still warming up when the surge starts.
    const firedCold = replayIncidents("Lumio", counts, range, SETTINGS).incidents.filter((i) => i.firedAt !== null);
    expect(firedCold.every((i) => i.firedAt! > firedWarm[0]!.firedAt!)).toBe(true);
    // Only the range's minutes are counted.
    expect(replayIncidents("Lumio", counts, { ...range, warmFrom: T0 }, SETTINGS).minutes).toBe(24 * 60);
  });

  test("replayIncidents() reads minutes with no stored count as zero", () => {
    const sparse = history([{ at: 36 * 60, minutes: 40, negative: 30 }]).filter((c) => c.negative > 0);
    const result = replayIncidents("Lumio", sparse, { from: T0, to: T0 + 2 * 24 * 60 * MIN }, SETTINGS);
    expect(result.incidents.filter((i) => i.firedAt !== null)).toHaveLength(1);
  });
});

describe("replayIncidents() with per-problem counts", () => {
  /**
   * A busy brand: 40 mentions and about 8 negatives a minute, as ever. For an
   * hour on the second day the negatives are all outage reports (usually none):
   * the brand's own count does not move, its outage series does.
   */
  function busy(withParts: boolean): StoredMinute[] {
    const counts: StoredMinute[] = [];
    for (let i = 0; i < 2 * 24 * 60; i++) {
      const negative = 7 + (i % 3);
      const outage = i >= 36 * 60 && i < 37 * 60 ? negative : 0;
      const parts = [{ series: "source:rss", total: 40, negative }, ...(outage > 0 ? [{ series: "problem:outage", total: outage, negative: outage }] : [])];
      counts.push({ brand: "Lumio", minute: T0 + i * MIN, total: 40, negative, ...(withParts ? { parts } : {}) });
    }
    return counts;
  }

  test("replayIncidents() raises what the live per-problem series would: an outage the brand's total hides", () => {
    const range = { from: T0, to: T0 + 2 * 24 * 60 * MIN };
    const fired = replayIncidents("Lumio", busy(true), range, SETTINGS).incidents.filter((i) => i.firedAt !== null);
    expect(fired).toHaveLength(1);
    expect(fired[0]!.firedAt!).toBeGreaterThanOrEqual(T0 + 36 * 60 * MIN);
    expect(fired[0]!.firedAt!).toBeLessThan(T0 + 37 * 60 * MIN);
    // Without the per-problem counts (rows stored before they were kept) only the brand's series speaks.
    expect(replayIncidents("Lumio", busy(false), range, SETTINGS).incidents.filter((i) => i.firedAt !== null)).toEqual([]);
  });
});

describe("isoWeek()", () => {
  test.each([
    [Date.UTC(2026, 10, 23), "2026-W48"],
    [Date.UTC(2026, 10, 22, 23, 59), "2026-W47"],
    [Date.UTC(2027, 0, 1), "2026-W53"],
    [Date.UTC(2024, 11, 30), "2025-W01"],
  ])("isoWeek(%i) is %s", (ms, week) => {
    expect(isoWeek(ms)).toBe(week);
  });
});
