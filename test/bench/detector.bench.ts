import { DEFAULT_SPIKE_SETTINGS, detectSpike, initialSpikeState, type SpikeSettings } from "../../pipeline/spikes/detect-spike";
import { loadAllSeries, pointsOf, type LabelledSeries } from "../fixtures/series/labelled-series";
import { fixed, int, median, type Section } from "./figures";
import { SeriesJudge } from "../../pipeline/spikes/judge-series";
import type { ClosedMinute } from "../../pipeline/spikes/minute-buckets";

/**
 * How well the spike detector finds labelled surges, at its default
 * settings, on the benchmark series of test/fixtures/series (written by
 * generate.ts there; see it for what they hold). Scored the way the Numenta
 * Anomaly Benchmark scores its Twitter volume series (Lavin & Ahmad 2015):
 *   - a surge is CAUGHT when an alert falls inside its labelled window;
 *   - the DELAY is from the surge's start to the end of the point that raised
 *     the alert (a point's count is known only when its interval ends);
 *   - every alert outside a window is a FALSE ALARM, reported per series per
 *     week.
 * Each point is judged online, in order, with no look-ahead — the way
 * `earshot detect` and the live pipeline see it.
 *
 * The rule Earshot used before (median/MAD of the last 60 points, a Poisson
 * floor, at least 5 negatives, an incident re-opening after 15 quiet minutes)
 * runs on the same series for comparison.
 */
export async function benchDetector(opts: { progress(line: string): void }): Promise<Section[]> {
  const all = loadAllSeries();
  opts.progress(`detector: ${all.length} labelled series, ${int(all.reduce((n, s) => n + s.values.length, 0))} points`);
  const started = performance.now();
  const current = all.map((s) => evaluate(s, runDetector(s, DEFAULT_SPIKE_SETTINGS)));
  const elapsed = performance.now() - started;
  const points = all.reduce((n, s) => n + s.values.length, 0);
  opts.progress("detector: other sensitivities");
  const sweep = [3, 4, 6, 8].map((sensitivity) => {
    const scores = all.map((s) => evaluate(s, runDetector(s, { ...DEFAULT_SPIKE_SETTINGS, sensitivity })));
    const caught = scores.reduce((n, s) => n + s.caught, 0);
    const surges = scores.reduce((n, s) => n + s.surges, 0);
    const fa = scores.reduce((n, s) => n + s.falseAlarms, 0) / scores.reduce((n, s) => n + s.weeks, 0);
    const delays = scores.flatMap((s) => s.delays);
    return {
      label: `sensitivity ${sensitivity}${sensitivity === DEFAULT_SPIKE_SETTINGS.sensitivity ? " (default)" : ""}`,
      value: `${caught}/${surges} caught`,
      note: `median delay ${int(median(delays))} min, ${fixed(fa, 2)} false alarms per series per week`,
    };
  });
  opts.progress("detector: the previous rule, for comparison");
  const previous = all.map((s) => evaluate(s, runPreviousRule(s)));
  return [
    table("Spike detector at its defaults (sensitivity 4): per interval and surge shape", current),
    { title: "Spike detector: the sensitivity setting, all series", figures: sweep },
    table("The previous rule (median/MAD of the last hour) on the same series", previous),
    {
      title: "Spike detector: cost",
      figures: [
        { label: "time per point", value: `${fixed((elapsed * 1000) / points, 2)} µs`, note: `${int(points)} points judged` },
        seriesCost(),
      ],
    },
  ];
}

/**
 * What the per-problem and per-source series cost: one brand with its 7
 * problem series and 10 sources, a week of minutes, judged as the pipeline
 * judges each closed minute.
 */
function seriesCost(): { label: string; value: string; note: string } {
  const judge = new SeriesJudge(DEFAULT_SPIKE_SETTINGS);
  const start = Date.UTC(2026, 2, 2);
  const minutes = 7 * 24 * 60;
  let seed = 7;
  const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const closed: ClosedMinute[] = [];
  for (let i = 0; i < minutes; i++) {
    const parts = [];
    for (let s = 0; s < 10; s++) {
      const total = Math.floor(rand() * 6);
      parts.push({ series: `source:s${s}`, total, negative: Math.floor(total * rand() * 0.4) });
    }
    parts.push({ series: "problem:delivery", total: rand() < 0.2 ? 1 : 0, negative: 0 });
    closed.push({ brand: "Lumio", minute: start + i * 60_000, total: 30, negative: 3, firstNegativeId: "", parts });
  }
  const t0 = performance.now();
  for (const m of closed) judge.closed(m);
  const ms = performance.now() - t0;
  return {
    label: "per brand minute, 7 problem + 10 source series",
    value: `${fixed((ms * 1000) / minutes, 1)} µs`,
    note: `${int(minutes)} minutes (a week); ${judge.size()} series kept, each one detector state`,
  };
}

export interface SeriesScore {
  series: LabelledSeries;
  caught: number;
  surges: number;
  /** Minutes from each caught surge's start to its first alert. */
  delays: number[];
  /** The same, as a share of each caught surge's labelled length (0 = at its start). */
  into: number[];
  falseAlarms: number;
  weeks: number;
  /** Alert times, epoch ms, for inspection. */
  alerts: number[];
}

/** Alert times (start of the alerting point) of the current detector over a series. */
export function runDetector(series: LabelledSeries, settings: SpikeSettings): number[] {
  let state = initialSpikeState();
  const alerts: number[] = [];
  for (const p of pointsOf(series)) {
    const step = detectSpike(state, { at: p.at, negative: p.value }, settings);
    state = step.state;
    if (step.judgement.alert) alerts.push(p.at);
  }
  return alerts;
}

export function evaluate(series: LabelledSeries, alerts: readonly number[]): SeriesScore {
  const step = series.intervalMinutes * 60_000;
  const windows = series.surges.map((s) => ({ start: Date.parse(s.start), end: Date.parse(s.end) }));
  const firstAlert = windows.map(() => Infinity);
  let falseAlarms = 0;
  for (const at of alerts) {
    const w = windows.findIndex((w) => at >= w.start && at < w.end);
    if (w < 0) falseAlarms++;
    else firstAlert[w] = Math.min(firstAlert[w]!, at);
  }
  const caught = windows.flatMap((w, i) => (firstAlert[i] === Infinity ? [] : [{ w, at: firstAlert[i]! + step }]));
  return {
    series,
    caught: caught.length,
    surges: windows.length,
    delays: caught.map(({ w, at }) => (at - w.start) / 60_000),
    into: caught.map(({ w, at }) => (at - w.start) / (w.end - w.start)),
    falseAlarms,
    weeks: (series.values.length * step) / (7 * 86_400_000),
    alerts: [...alerts],
  };
}

function table(title: string, scores: readonly SeriesScore[]): Section {
  const groups = new Map<string, SeriesScore[]>();
  for (const s of scores) {
    const shape = s.series.surges[0]?.shape ?? "no surge";
    const key = `${s.series.intervalMinutes} min · ${shape}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const byInterval = new Map<string, SeriesScore[]>();
  for (const s of scores) {
    const key = `${s.series.intervalMinutes} min · all`;
    byInterval.set(key, [...(byInterval.get(key) ?? []), s]);
  }
  const row = (label: string, group: readonly SeriesScore[]) => {
    const caught = group.reduce((n, s) => n + s.caught, 0);
    const surges = group.reduce((n, s) => n + s.surges, 0);
    const delays = group.flatMap((s) => s.delays);
    const into = group.flatMap((s) => s.into);
    const fa = group.reduce((n, s) => n + s.falseAlarms, 0);
    const weeks = group.reduce((n, s) => n + s.weeks, 0);
    const perSeriesWeek = fa / weeks;
    return {
      label,
      value: surges > 0 ? `${caught}/${surges} caught` : "no surges",
      note:
        (surges > 0 && delays.length > 0 ? `median delay ${int(median(delays))} min (${int(100 * median(into))} % into the surge), ` : "") +
        `${fixed(perSeriesWeek, 2)} false alarms per series per week (${fa} in ${group.length} series)`,
    };
  };
  return {
    title,
    figures: [
      ...[...groups].map(([label, group]) => row(label, group)),
      ...[...byInterval].map(([label, group]) => row(label, group)),
      row("all series", scores),
    ],
  };
}

/**
 * The previous rule, kept here only to compare against: the median and MAD of
 * the last 60 points, a threshold of median + 4 × max(MAD·1.4826, √median, 1)
 * and at least 5; no alert in the first 30 points; an alert when a spike
 * follows 15 minutes without one (the incident lifecycle's keep-firing).
 */
function runPreviousRule(series: LabelledSeries): number[] {
  const window: number[] = [];
  const alerts: number[] = [];
  let lastSpike = -Infinity;
  for (const p of pointsOf(series)) {
    const sorted = [...window].sort((a, b) => a - b);
    const med = medianOf(sorted);
    const mad = 1.4826 * medianOf(sorted.map((v) => Math.abs(v - med)).sort((a, b) => a - b));
    const threshold = Math.max(5, med + 4 * Math.max(mad, Math.sqrt(med), 1));
    const spike = window.length >= 30 && p.value >= threshold;
    if (spike) {
      if (p.at - lastSpike >= 15 * 60_000) alerts.push(p.at);
      lastSpike = p.at;
    }
    window.push(p.value);
    if (window.length > 60) window.shift();
  }
  return alerts;
}

function medianOf(sorted: readonly number[]): number {
  if (sorted.length === 0) return 0;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
