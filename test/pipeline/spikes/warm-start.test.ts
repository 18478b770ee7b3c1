import { describe, expect, test } from "vitest";
import { DEFAULT_SPIKE_SETTINGS } from "../../../pipeline/spikes/detect-spike";
import { MinuteJudge } from "../../../pipeline/spikes/judge-minutes";
import { SeriesJudge } from "../../../pipeline/spikes/judge-series";
import { MinuteBuckets, type ClosedMinute } from "../../../pipeline/spikes/minute-buckets";
import { planWarmStart, type StoredMinute } from "../../../pipeline/spikes/warm-start";

const MIN = 60_000;
/** A Monday. */
const T0 = Date.UTC(2026, 10, 16, 0, 0);

describe("planWarmStart()", () => {
  test("planWarmStart() orders each brand's minutes, fills quiet minutes with zeros and resumes after the newest", () => {
    const history: StoredMinute[] = [
      { brand: "Lumio", minute: T0 + 3 * MIN, total: 4, negative: 1, parts: [{ series: "source:rss", total: 4, negative: 1 }] },
      { brand: "Lumio", minute: T0, total: 2, negative: 0 },
      { brand: "Aster", minute: T0 + MIN, total: 1, negative: 1 },
    ];
    const plan = planWarmStart(history, T0 + 4 * MIN + 30_000);
    expect(plan.minutes.map((m) => [m.brand, (m.minute - T0) / MIN, m.total, m.negative])).toEqual([
      ["Aster", 1, 1, 1],
      ["Lumio", 0, 2, 0],
      ["Lumio", 1, 0, 0],
      ["Lumio", 2, 0, 0],
      ["Lumio", 3, 4, 1],
    ]);
    expect(plan.minutes.at(-1)?.parts).toEqual([{ series: "source:rss", total: 4, negative: 1 }]);
    expect(plan.resumeAt).toEqual(new Map([["Aster", T0 + 2 * MIN], ["Lumio", T0 + 4 * MIN]]));
  });

  test("planWarmStart() leaves the running minute to the live counts and skips a long silence", () => {
    const now = T0 + 24 * 60 * MIN + 10_000;
    const plan = planWarmStart(
      [
        { brand: "Lumio", minute: T0, total: 1, negative: 0 },
        { brand: "Lumio", minute: now - (now % MIN), total: 9, negative: 9 },
      ],
      now,
      360,
    );
    expect(plan.minutes.map((m) => m.minute)).toEqual([T0]);
    // A day of silence: the clock resumes six hours before now, not after the last stored minute.
    expect(plan.resumeAt.get("Lumio")).toBe(now - (now % MIN) - 360 * MIN);
  });

  test("planWarmStart() counts a repeated minute once and plans nothing from an empty history", () => {
    const plan = planWarmStart(
      [
        { brand: "Lumio", minute: T0, total: 2, negative: 1 },
        { brand: "Lumio", minute: T0, total: 2, negative: 1 },
        { brand: "Lumio", minute: T0 + MIN, total: 3, negative: 0 },
      ],
      T0 + 10 * MIN,
    );
    expect(plan.minutes.map((m) => [(m.minute - T0) / MIN, m.total])).toEqual([
      [0, 2],
      [1, 3],
    ]);
    expect(planWarmStart([], T0)).toEqual({ minutes: [], resumeAt: new Map() });
  });

  test("planWarmStart() replays a restored brand only after its saved state, quiet minutes as zeros, and resumes one with nothing since", () => {
    const history: StoredMinute[] = [
      { brand: "Lumio", minute: T0, total: 5, negative: 5 }, // inside the saved state: not replayed
      { brand: "Lumio", minute: T0 + 3 * MIN, total: 2, negative: 1 },
      { brand: "Aster", minute: T0, total: 1, negative: 0 },
    ];
    const restored = new Map([
      ["Lumio", T0 + MIN],
      ["Nova", T0 + 2 * MIN],
    ]);
    const plan = planWarmStart(history, T0 + 5 * MIN, 360, restored);
    expect(plan.minutes.map((m) => [m.brand, (m.minute - T0) / MIN, m.total])).toEqual([
      ["Aster", 0, 1],
      ["Lumio", 2, 0],
      ["Lumio", 3, 2],
    ]);
    expect(plan.resumeAt).toEqual(
      new Map([
        ["Aster", T0 + MIN],
        ["Lumio", T0 + 4 * MIN],
        ["Nova", T0 + 3 * MIN],
      ]),
    );
    // Saved long ago with nothing stored since: the clock resumes six hours before now, as after a long silence.
    const late = T0 + 24 * 60 * MIN;
    expect(planWarmStart([], late, 360, new Map([["Nova", T0]])).resumeAt.get("Nova")).toBe(late - 360 * MIN);
  });
});

/** Three days of a brand's minutes: 20 mentions, 2 negative, then (from `surgeFrom`) 30 negative. */
function days(n: number, surgeFrom = Infinity): ClosedMinute[] {
  const out: ClosedMinute[] = [];
  for (let i = 0; i < n * 1_440; i++) {
    const negative = i >= surgeFrom ? 30 : 2 + (i % 3 === 0 ? 1 : 0);
    out.push({
      brand: "Lumio",
      minute: T0 + i * MIN,
      total: 20 + negative,
      negative,
      firstNegativeId: "",
      parts: [
        { series: "source:rss", total: 20 + negative, negative },
        { series: "problem:outage", total: i >= surgeFrom ? 25 : 0, negative: i >= surgeFrom ? 25 : 0 },
      ],
    });
  }
  return out;
}

describe("a warm start", () => {
  test("a judge warmed from history judges the next minutes exactly as one that saw them all live", () => {
    const all = days(3, 3 * 1_440 - 30);
    const cut = all.length - 40;
    const live = new MinuteJudge(DEFAULT_SPIKE_SETTINGS);
    const liveSeries = new SeriesJudge(DEFAULT_SPIKE_SETTINGS);
    const seenLive = all.map((m) => [live.closed(m).judgement, liveSeries.closed(m)] as const);

    const { minutes } = planWarmStart(all.slice(0, cut), all[cut]!.minute);
    const restarted = new MinuteJudge(DEFAULT_SPIKE_SETTINGS);
    const restartedSeries = new SeriesJudge(DEFAULT_SPIKE_SETTINGS);
    for (const m of minutes) {
      restarted.closed(m);
      restartedSeries.closed(m);
    }
    const seenAfter = all.slice(cut).map((m) => [restarted.closed(m).judgement, restartedSeries.closed(m)] as const);
    expect(seenAfter).toEqual(seenLive.slice(cut));
    // The surge in those minutes alerts once, on the brand and on its outage reports.
    expect(seenAfter.filter(([j]) => j.alert)).toHaveLength(1);
    expect(seenAfter.flatMap(([, s]) => s.filter((x) => x.judgement.alert).map((x) => `${x.kind}:${x.name}`))).toEqual(
      expect.arrayContaining(["problem:outage"]),
    );
  });

  test("a surge that had alerted before the restart goes on as the same surge: no second alert", () => {
    const all = days(3, 3 * 1_440 - 60);
    const judge = new MinuteJudge(DEFAULT_SPIKE_SETTINGS);
    const { minutes } = planWarmStart(all.slice(0, -20), all.at(-20)!.minute);
    const alertsBefore = minutes.map((m) => judge.closed(m).judgement).filter((j) => j.alert).length;
    const after = all.slice(-20).map((m) => judge.closed(m).judgement);
    expect(alertsBefore).toBe(1);
    expect(after.every((j) => j.spike && !j.alert)).toBe(true);
  });

  test("a surge in the first minutes after a restart alerts when warmed, and is ignored by a cold detector still warming up", () => {
    const all = days(3, 3 * 1_440 - 10);
    const warm = new MinuteJudge(DEFAULT_SPIKE_SETTINGS);
    for (const m of planWarmStart(all.slice(0, -10), all.at(-10)!.minute).minutes) warm.closed(m);
    const cold = new MinuteJudge(DEFAULT_SPIKE_SETTINGS);
    const warmAlerts = all.slice(-10).filter((m) => warm.closed(m).judgement.alert);
    const coldAlerts = all.slice(-10).filter((m) => cold.closed(m).judgement.alert);
    expect(warmAlerts).toHaveLength(1);
    expect(coldAlerts).toHaveLength(0);
  });
});

describe("MinuteBuckets.resume()", () => {
  test("resume() makes mentions before the resumed minute late and closes minutes from it on", () => {
    const buckets = new MinuteBuckets(0);
    buckets.resume("Lumio", T0 + 5 * MIN, T0 + 5 * MIN);
    expect(buckets.add("Lumio", T0 + 4 * MIN + 30_000, true, "old", T0 + 5 * MIN)).toBeNull();
    expect(buckets.add("Lumio", T0 + 6 * MIN + 1_000, true, "new", T0 + 6 * MIN)).not.toBeNull();
    const closed = buckets.closeDue(T0 + 7 * MIN);
    expect(closed.map((m) => [(m.minute - T0) / MIN, m.negative])).toEqual([
      [5, 0],
      [6, 1],
    ]);
  });
});
