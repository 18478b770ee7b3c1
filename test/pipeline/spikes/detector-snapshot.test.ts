import { describe, expect, test } from "vitest";
import { DEFAULT_SPIKE_SETTINGS, initialSpikeState } from "../../../pipeline/spikes/detect-spike";
import {
  decodeDetectors,
  detectorSettingsKey,
  encodeDetectors,
  type BrandDetectors,
} from "../../../pipeline/spikes/detector-snapshot";
import { MinuteJudge } from "../../../pipeline/spikes/judge-minutes";
import { DEFAULT_SERIES_LIMITS, SeriesJudge } from "../../../pipeline/spikes/judge-series";
import type { ClosedMinute } from "../../../pipeline/spikes/minute-buckets";
import { planWarmStart } from "../../../pipeline/spikes/warm-start";

const MIN = 60_000;
/** A Monday. */
const T0 = Date.UTC(2026, 10, 16, 0, 0);
const KEY = detectorSettingsKey(DEFAULT_SPIKE_SETTINGS, DEFAULT_SERIES_LIMITS);

/** Days of a brand's minutes with a daily rhythm and two sources; from `surgeFrom` an outage surge. */
function minutes(n: number, surgeFrom = Infinity): ClosedMinute[] {
  const out: ClosedMinute[] = [];
  for (let i = 0; i < n; i++) {
    const hour = Math.floor(i / 60) % 24;
    const usual = 1 + (hour >= 8 && hour < 20 ? 2 : 0) + (i % 7 === 0 ? 1 : 0);
    const negative = i >= surgeFrom ? 25 : usual;
    out.push({
      brand: "Lumio",
      minute: T0 + i * MIN,
      total: 15 + negative,
      negative,
      firstNegativeId: "",
      parts: [
        { series: "source:rss", total: 10 + usual, negative: usual },
        { series: "source:reddit", total: 5 + negative - usual, negative: negative - usual },
        { series: "problem:outage", total: negative - usual, negative: negative - usual },
      ],
    });
  }
  return out;
}

/** The brand's detectors after `seen`, saved as the pipeline saves them. */
function savedAfter(seen: readonly ClosedMinute[]): string {
  const judge = new MinuteJudge(DEFAULT_SPIKE_SETTINGS);
  const series = new SeriesJudge(DEFAULT_SPIKE_SETTINGS);
  for (const m of seen) {
    judge.closed(m);
    series.closed(m);
  }
  const brandState = judge.states().get("Lumio")!;
  return encodeDetectors({ brand: "Lumio", throughMinute: brandState.lastAt!, settingsKey: KEY, brandState, series: series.saved("Lumio") });
}

describe("saved spike detectors", () => {
  test("a judge restored from its saved state, plus the stored minutes since, judges the next minutes exactly as one that saw them all live", () => {
    const all = minutes(3 * 1_440, 3 * 1_440 - 30);
    const saveAt = 2 * 1_440 + 600; // saved mid-day two, restarted 40 minutes before the end
    const restartAt = all.length - 40;
    const live = new MinuteJudge(DEFAULT_SPIKE_SETTINGS);
    const liveSeries = new SeriesJudge(DEFAULT_SPIKE_SETTINGS);
    const seenLive = all.map((m) => [live.closed(m).judgement, liveSeries.closed(m)] as const);

    const saved = decodeDetectors(savedAfter(all.slice(0, saveAt)));
    if (saved instanceof Error) throw saved;
    const restored = new MinuteJudge(DEFAULT_SPIKE_SETTINGS);
    const restoredSeries = new SeriesJudge(DEFAULT_SPIKE_SETTINGS);
    restored.restore(saved.brand, saved.brandState);
    restoredSeries.restore(saved.brand, saved.series);
    const plan = planWarmStart(all.slice(0, restartAt), all[restartAt]!.minute, undefined, new Map([[saved.brand, saved.throughMinute]]));
    expect(plan.minutes).toHaveLength(restartAt - saveAt);
    for (const m of plan.minutes) {
      restored.closed(m);
      restoredSeries.closed(m);
    }
    const seenAfter = all.slice(restartAt).map((m) => [restored.closed(m).judgement, restoredSeries.closed(m)] as const);
    expect(seenAfter).toEqual(seenLive.slice(restartAt));
    expect(seenAfter.filter(([j]) => j.alert)).toHaveLength(1);
    expect(restoredSeries.size()).toBe(liveSeries.size());
  });

  test("a state survives JSON whole: the -Infinity of a series never hot, nulls and the learned arrays", () => {
    const state = initialSpikeState();
    const text = encodeDetectors({ brand: "Lumio", throughMinute: T0, settingsKey: KEY, brandState: state, series: [{ key: "problem:outage", state, lastSeenAt: T0 }] });
    const back = decodeDetectors(text);
    expect(back).toEqual({ brand: "Lumio", throughMinute: T0, settingsKey: KEY, brandState: state, series: [{ key: "problem:outage", state, lastSeenAt: T0 }] });
    expect((back as BrandDetectors).brandState.lastHotAt).toBe(-Infinity);
  });

  test.each([
    ["not JSON", () => "{brand: Lumio", /not JSON/],
    ["another version", (good: Record<string, unknown>) => JSON.stringify({ ...good, version: 999 }), /does not fit this version.*version/],
    ["a field missing", (good: Record<string, unknown>) => JSON.stringify({ ...good, brandState: { ...(good.brandState as object), cusum: undefined } }), /brandState\.cusum/],
    ["a field this version does not know", (good: Record<string, unknown>) => JSON.stringify({ ...good, brandState: { ...(good.brandState as object), extra: 1 } }), /brandState/],
    ["a baseline of the wrong length", (good: Record<string, unknown>) => {
      const state = good.brandState as { baseline: { slots: number[] } };
      return JSON.stringify({ ...good, brandState: { ...state, baseline: { ...state.baseline, slots: [1, 2] } } });
    }, /brandState\.baseline\.slots/],
    ["a string for a number", (good: Record<string, unknown>) => JSON.stringify({ ...good, throughMinute: "yesterday" }), /throughMinute/],
  ])("a saved state with %s is refused with where it went wrong, not half-read", (_what, spoil, message) => {
    const good = JSON.parse(savedAfter(minutes(120))) as Record<string, unknown>;
    const result = decodeDetectors(spoil(good));
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toMatch(message);
  });

  test("restore() starts a problem type the saved state did not have, and drops series keys this version does not read", () => {
    const saved = decodeDetectors(savedAfter(minutes(120)));
    if (saved instanceof Error) throw saved;
    const kept = saved.series.filter((s) => s.key !== "problem:security");
    const judge = new SeriesJudge(DEFAULT_SPIKE_SETTINGS);
    judge.restore("Lumio", [...kept, { key: "weather:rain", state: initialSpikeState(), lastSeenAt: T0 }]);
    expect(judge.saved("Lumio").map((s) => s.key).sort()).toEqual(saved.series.map((s) => s.key).sort());
    const next = minutes(121).at(-1)!;
    expect(() => judge.closed(next)).not.toThrow();
  });

  test("the settings key changes with the time zone and the series limits, not with sensitivity", () => {
    const quieter = { ...DEFAULT_SPIKE_SETTINGS, sensitivity: 8 };
    expect(detectorSettingsKey(quieter, DEFAULT_SERIES_LIMITS)).toBe(KEY);
    expect(detectorSettingsKey({ ...DEFAULT_SPIKE_SETTINGS, utcOffsetMinutes: 60 }, DEFAULT_SERIES_LIMITS)).not.toBe(KEY);
    expect(detectorSettingsKey(DEFAULT_SPIKE_SETTINGS, { ...DEFAULT_SERIES_LIMITS, maxSourcesPerBrand: 4 })).not.toBe(KEY);
  });
});
