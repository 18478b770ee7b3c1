import { fc, test as propTest } from "@fast-check/vitest";
import { readFileSync } from "node:fs";
import { PENDING_SCORE } from "../../../pipeline/incidents/lifecycle";
import { burstFloor, pointFloor } from "../../../pipeline/spikes/burst-floor";
import { describe, expect, test } from "vitest";
import { createRandom } from "../../../collectors/demo/random";
import {
  DEFAULT_SPIKE_SETTINGS,
  detectSpike,
  initialSpikeState,
  type SpikePoint,
  type SpikeState,
  type SurgeJudgement,
} from "../../../pipeline/spikes/detect-spike";
import { pointsOf, SERIES_DIR, type LabelledSeries } from "../../fixtures/series/labelled-series";

const MIN = 60_000;
const HOUR = 60 * MIN;
/** A Monday. */
const T0 = Date.parse("2026-03-02T00:00:00Z");

/** Runs points through the detector; returns every judgement and the last state. */
function run(points: readonly SpikePoint[], settings = DEFAULT_SPIKE_SETTINGS, from = initialSpikeState()) {
  let state: SpikeState = from;
  const judgements: SurgeJudgement[] = [];
  for (const p of points) {
    const step = detectSpike(state, p, settings);
    state = step.state;
    judgements.push(step.judgement);
  }
  return { state, judgements, alerts: judgements.flatMap((j, i) => (j.alert ? [points[i]!.at] : [])) };
}

/** Poisson(λ) by Knuth's product method (λ stays small here). */
function poisson(random: { next(): number }, lambda: number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  for (let p = random.next(); p > limit; p *= random.next()) k++;
  return k;
}

/** `n` points of Poisson noise around `mean(at)`, every `step` ms from `start`. */
function noisy(n: number, step: number, mean: (at: number) => number, seed = 7, start = T0): SpikePoint[] {
  const random = createRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const at = start + i * step;
    return { at, negative: poisson(random, mean(at)) };
  });
}

/** Busy afternoons, quiet nights; weekends at half the volume. */
const seasonal = (perPoint: number) => (at: number) => {
  const d = new Date(at);
  const hour = d.getUTCHours() + d.getUTCMinutes() / 60;
  const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6 ? 0.5 : 1;
  return perPoint * weekend * (0.3 + 1.4 * Math.exp(-(((hour - 15) / 4) ** 2)));
};

describe("detectSpike()", () => {
  test("detectSpike() raises one alert early in a surge of negative mentions and keeps it a spike while it lasts", () => {
    const calm = noisy(24 * 12, 5 * MIN, () => 4);
    const surgeStart = calm.at(-1)!.at + 5 * MIN;
    const surge = Array.from({ length: 12 }, (_, i) => ({ at: surgeStart + i * 5 * MIN, negative: 30 }));
    const { judgements, alerts } = run([...calm, ...surge]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]! - surgeStart).toBeLessThanOrEqual(10 * MIN); // by the end of its first quarter hour
    expect(judgements.slice(-10).every((j) => j.spike)).toBe(true);
    const last = judgements.at(-1)!;
    expect(last.baseline).toBeGreaterThan(2);
    expect(last.baseline).toBeLessThan(8);
    expect(last.score).toBe(1);
  });

  test("detectSpike() stays quiet on a week of seasonal Poisson noise with quieter weekends", () => {
    const { alerts, judgements } = run(noisy(7 * 24 * 4, 15 * MIN, seasonal(20), 11));
    expect(alerts).toEqual([]);
    expect(judgements.at(-1)!.mode).toBe("seasonal");
  });

  test("detectSpike() does not alert on one odd point but does on a surge that lasts a quarter of an hour", () => {
    const calm = noisy(24 * 12, 5 * MIN, () => 10, 3);
    const next = calm.at(-1)!.at + 5 * MIN;
    const odd = run([...calm, { at: next, negative: 40 }, ...noisy(6, 5 * MIN, () => 10, 4, next + 5 * MIN)]);
    expect(odd.alerts).toEqual([]);
    const surge = [40, 40, 40].map((negative, i) => ({ at: next + i * 5 * MIN, negative }));
    expect(run([...calm, ...surge]).alerts).toEqual([next + 10 * MIN]);
  });

  test("detectSpike() alerts on a single extreme point", () => {
    const calm = noisy(24 * 12, 5 * MIN, () => 3, 5);
    const next = calm.at(-1)!.at + 5 * MIN;
    expect(run([...calm, { at: next, negative: 60 }]).alerts).toEqual([next]);
  });

  test("detectSpike() raises nothing during the warm-up, however large the point", () => {
    const points = [...noisy(5, MIN, () => 1), { at: T0 + 5 * MIN, negative: 500 }];
    expect(run(points).alerts).toEqual([]);
  });

  test("detectSpike() alerts on an extreme surge on the first day, but not on the first morning's rise", () => {
    // starts at night: by the afternoon the volume has tripled — the daily cycle, not a surge
    const day = noisy(16 * 60, MIN, seasonal(2), 21);
    expect(run(day).alerts).toEqual([]);
    const next = day.at(-1)!.at + MIN;
    const surge = Array.from({ length: 20 }, (_, i) => ({ at: next + i * MIN, negative: 60 }));
    expect(run([...day, ...surge]).alerts).toHaveLength(1);
  });

  test("detectSpike() needs at least minNegatives above the usual", () => {
    const calm = noisy(24 * 60, MIN, () => 0.05, 8);
    const next = calm.at(-1)!.at + MIN;
    // one negative a minute for 20 minutes, where one in 20 minutes is usual
    const surge = Array.from({ length: 20 }, (_, i) => ({ at: next + i * MIN, negative: 1 }));
    expect(run([...calm, ...surge]).alerts).toHaveLength(1);
    expect(run([...calm, ...surge], { ...DEFAULT_SPIKE_SETTINGS, minNegatives: 20 }).alerts).toEqual([]);
  });

  test("detectSpike() treats a launch (all mentions up, the usual negative share) as no alarm", () => {
    const random = createRandom(9);
    const calm = Array.from({ length: 24 * 12 }, (_, i) => {
      const total = poisson(random, 40);
      return { at: T0 + i * 5 * MIN, total, negative: Math.round(total * 0.1) };
    });
    const next = calm.at(-1)!.at + 5 * MIN;
    const launch = Array.from({ length: 12 }, (_, i) => ({ at: next + i * 5 * MIN, total: 400, negative: 40 }));
    expect(run([...calm, ...launch]).alerts).toEqual([]);
    const crisis = Array.from({ length: 12 }, (_, i) => ({ at: next + i * 5 * MIN, total: 80, negative: 40 }));
    expect(run([...calm, ...crisis]).alerts).toHaveLength(1);
    // a plain series (no totals) takes the launch's negatives as a surge
    expect(run([...calm, ...launch].map(({ at, negative }) => ({ at, negative }))).alerts).toHaveLength(1);
  });

  test("detectSpike() re-arms only after the series has been back to normal for rearmMinutes", () => {
    const calm = noisy(24 * 12, 5 * MIN, () => 4, 12);
    let at = calm.at(-1)!.at;
    const surge = () => Array.from({ length: 6 }, () => ({ at: (at += 5 * MIN), negative: 40 }));
    const quiet = (minutes: number) => Array.from({ length: minutes / 5 }, () => ({ at: (at += 5 * MIN), negative: 4 }));
    const soon = run([...calm, ...surge(), ...quiet(60), ...surge()]);
    expect(soon.alerts).toHaveLength(1);
    expect(soon.judgements.at(-1)!.spike).toBe(true); // still a spike: the lifecycle keeps its incident open

    at = calm.at(-1)!.at;
    const later = run([...calm, ...surge(), ...quiet(240), ...surge()]);
    expect(later.alerts).toHaveLength(2);
  });

  test("detectSpike() takes a rise that lasts 42 hours as the new level: the surge ends and a later one alerts", () => {
    const step = 5 * MIN;
    const days = (d: number) => (d * 24 * HOUR) / step;
    const grown = T0 + 7 * 24 * HOUR; // the brand's volume doubles for good on day 7 ...
    const surgeAt = T0 + 12 * 24 * HOUR + 14 * HOUR; // ... and a real surge comes five days later
    const mean = (at: number) =>
      seasonal(20)(at) * (at >= grown ? 2 : 1) * (at >= surgeAt && at < surgeAt + 3 * HOUR ? 4 : 1);
    const points = noisy(days(14), step, mean, 21);
    const { alerts, judgements } = run(points);
    expect(alerts).toHaveLength(2);
    expect(alerts[0]! - grown).toBeLessThan(12 * HOUR); // the step itself is a surge at first
    expect(alerts[1]! - surgeAt).toBeLessThanOrEqual(30 * MIN);
    // between the two the doubled volume stopped being a spike within two days
    const spikeOnDay = (d: number) => judgements.some((j, i) => j.spike && points[i]!.at >= T0 + d * 24 * HOUR && points[i]!.at < T0 + (d + 1) * 24 * HOUR);
    expect([9, 10, 11].map(spikeOnDay)).toEqual([false, false, false]);
  });

  test("detectSpike() learns that daily 2.2× bursts are ordinary for a bursty series, and still alerts on a 4× surge", () => {
    const step = 5 * MIN;
    // Two 40-minute bursts a day at random daytime hours (at fixed hours the seasonal baseline would learn them).
    const random = createRandom(5);
    const bursts = Array.from({ length: 18 * 2 }, (_, i) => T0 + Math.floor(i / 2) * 24 * HOUR + (8 + random.next() * 12) * HOUR);
    const burstHour = (at: number) => bursts.some((b) => at >= b && at < b + 40 * MIN);
    const surgeAt = T0 + 16 * 24 * HOUR + 13 * HOUR;
    const mean = (at: number) => seasonal(20)(at) * (burstHour(at) ? 2.2 : 1) * (at >= surgeAt && at < surgeAt + 2 * HOUR ? 4 : 1);
    const points = noisy((18 * 24 * HOUR) / step, step, mean, 33);
    const { alerts } = run(points);
    const early = alerts.filter((at) => at < T0 + 4 * 24 * HOUR);
    const later = alerts.filter((at) => at >= T0 + 4 * 24 * HOUR && (at < surgeAt || at >= surgeAt + 2 * HOUR));
    expect(early.length).toBeGreaterThan(0); // before it knows the series, a 2.2× burst is a surge
    // after a few days it is the series' ordinary: at most one burst in two weeks still
    // rises past the learned floor (with the fixed floor alone, 16 of them alert)
    expect(later.length).toBeLessThanOrEqual(1);
    expect(alerts.filter((at) => at >= surgeAt && at < surgeAt + 30 * MIN)).toHaveLength(1);
  });

  test("detectSpike() scores a bursty series' ordinary bursts below a building surge once it has learned them", () => {
    const step = 5 * MIN;
    const random = createRandom(5);
    const bursts = Array.from({ length: 18 * 2 }, (_, i) => T0 + Math.floor(i / 2) * 24 * HOUR + (8 + random.next() * 12) * HOUR);
    const surgeAt = T0 + 16 * 24 * HOUR + 13 * HOUR;
    // Of 1.5–2.5 times the usual, as in the benchmark's bursty series.
    const size = bursts.map(() => 1.5 + random.next());
    const burstSize = (at: number) => size[bursts.findIndex((b) => at >= b && at < b + 40 * MIN)] ?? 1;
    const mean = (at: number) => seasonal(20)(at) * burstSize(at) * (at >= surgeAt && at < surgeAt + 2 * HOUR ? 4 : 1);
    const points = noisy((18 * 24 * HOUR) / step, step, mean, 33);
    const { judgements } = run(points);
    const peakOf = (from: number, to: number, score = (j: SurgeJudgement) => j.score) =>
      Math.max(...judgements.filter((_, i) => points[i]!.at >= from && points[i]!.at < to).map(score));
    // Each burst after the first four days, as the incident lifecycle reads it: a score of PENDING_SCORE opens a pending incident.
    const later = bursts.filter((b) => b >= T0 + 4 * 24 * HOUR && (b + HOUR < surgeAt || b >= surgeAt + 2 * HOUR));
    const pending = later.filter((b) => peakOf(b, b + HOUR) >= PENDING_SCORE);
    const building = later.filter((b) => peakOf(b, b + HOUR, (j) => Math.min(j.cusum / 6, 1) / 2) >= PENDING_SCORE);
    // The CUSUM alone (60 % of the way to its alert) calls most of them building (23 of 27); weighed
    // against the series' ordinary rise and its floor, few are (6): pending incidents stay rare.
    expect(building.length).toBeGreaterThan(later.length * 0.75);
    expect(pending.length).toBeLessThanOrEqual(building.length / 3);
    expect(peakOf(surgeAt, surgeAt + HOUR)).toBeGreaterThanOrEqual(0.5);
  });

  test("detectSpike() reports as its threshold a count that alone does alert, on a bursty series too", () => {
    // Ten days of minutes with two 30-minute bursts a day at 2.5 times the usual: single minutes in them
    // reach far higher, so the series learns a floor for single points above its sustained one.
    const random = createRandom(9);
    const bursts = Array.from({ length: 10 * 2 }, (_, i) => T0 + Math.floor(i / 2) * 24 * HOUR + (8 + random.next() * 12) * HOUR);
    const mean = (at: number) => seasonal(30)(at) * (bursts.some((b) => at >= b && at < b + 30 * MIN) ? 2.5 : 1);
    // Ending at 15:00 on the eleventh day, the busiest hour: there a count surprising enough alone is
    // not yet above the single-point floor, which then decides the threshold.
    const calm = noisy(10 * 24 * 60 + 15 * 60, MIN, mean, 21);
    const { state } = run(calm);
    expect(state.armed && !state.episode).toBe(true);
    expect(pointFloor(state.bursts)).toBeGreaterThan(burstFloor(state.bursts));
    const at = calm.at(-1)!.at + MIN;
    const { judgement } = detectSpike(state, { at, negative: 0 }, DEFAULT_SPIKE_SETTINGS);
    const alone = detectSpike(state, { at, negative: Math.ceil(judgement.threshold) }, DEFAULT_SPIKE_SETTINGS).judgement;
    expect(alone.alert).toBe(true);
    expect(alone.score).toBeGreaterThanOrEqual(0.5);
  });

  test("detectSpike() reads the interval from the timestamps and copes with missing points", () => {
    const hourly = noisy(14 * 24, HOUR, seasonal(200), 13).filter((_, i) => i % 17 !== 5);
    const { state, alerts } = run(hourly);
    expect(alerts).toEqual([]);
    expect(state.interval.ms).toBe(HOUR);
    const next = hourly.at(-1)!.at + HOUR;
    expect(run([{ at: next, negative: 2_000 }, { at: next + HOUR, negative: 2_000 }], DEFAULT_SPIKE_SETTINGS, state).alerts).toHaveLength(1);
  });

  test("detectSpike() is quieter at a higher sensitivity setting", () => {
    const calm = noisy(24 * 12, 5 * MIN, () => 10, 3);
    const next = calm.at(-1)!.at + 5 * MIN;
    const surge = [40, 40, 40].map((negative, i) => ({ at: next + i * 5 * MIN, negative }));
    expect(run([...calm, ...surge]).alerts).toHaveLength(1);
    expect(run([...calm, ...surge], { ...DEFAULT_SPIKE_SETTINGS, sensitivity: 12 }).alerts).toEqual([]);
  });

  test("detectSpike() leaves the state it was given untouched and answers the same twice", () => {
    const { state } = run(noisy(100, MIN, () => 3));
    const copy = structuredClone(state);
    const a = detectSpike(state, { at: T0 + 100 * MIN, negative: 9 }, DEFAULT_SPIKE_SETTINGS);
    const b = detectSpike(state, { at: T0 + 100 * MIN, negative: 9 }, DEFAULT_SPIKE_SETTINGS);
    expect(state).toEqual(copy);
    expect(a).toEqual(b);
  });

  test("detectSpike() refuses a point that is not after the previous one", () => {
    const { state } = run(noisy(3, MIN, () => 3));
    expect(() => detectSpike(state, { at: T0 + MIN, negative: 1 }, DEFAULT_SPIKE_SETTINGS)).toThrow(RangeError);
  });

  propTest.prop([fc.array(fc.nat({ max: 10_000 }), { minLength: 1, maxLength: 200 }), fc.constantFrom(MIN, 5 * MIN, HOUR)])(
    "detectSpike() keeps its score in 0..1 and alerts only on spike points, whatever the counts",
    (counts, step) => {
      const { judgements } = run(counts.map((negative, i) => ({ at: T0 + i * step, negative })));
      return judgements.every((j) => j.score >= 0 && j.score <= 1 && (!j.alert || j.spike) && Number.isFinite(j.threshold));
    },
  );
});

describe("detectSpike() on hourly points", () => {
  test("detectSpike() alerts in the third hour of a surge 3.5 times the usual that decays: each hourly point counts as an hour of surge", () => {
    const series = JSON.parse(readFileSync(`${SERIES_DIR}/60min-spike-decay-large.json`, "utf8")) as LabelledSeries;
    const surge = Date.parse(series.surges[0]!.start);
    let state = initialSpikeState();
    const alerts: number[] = [];
    for (const p of pointsOf(series)) {
      if (p.at > surge + 2 * HOUR) break;
      const step = detectSpike(state, { at: p.at, negative: p.value }, DEFAULT_SPIKE_SETTINGS);
      state = step.state;
      if (step.judgement.alert) alerts.push(p.at);
    }
    // 6,166 against a usual ~1,750 (z ≈ 6.7, under the single-point threshold of 7), then 3,250 and 2,348
    // as it decays. Each hour counts as four quarters (cap 8, drift 1.5): the CUSUM reads 5.2 after the
    // first hour, just under 6 after the second, and alerts on the third (of the five its label spans).
    expect(alerts.at(-1)).toBe(surge + 2 * HOUR);
  });
});
