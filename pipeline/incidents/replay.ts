import { MinuteJudge } from "../spikes/judge-minutes";
import { SeriesJudge, type SeriesLimits } from "../spikes/judge-series";
import { MINUTE_MS } from "../spikes/minute-buckets";
import { closedFromStored, type StoredMinute } from "../spikes/warm-start";
import type { SpikeSettings } from "../spikes/detect-spike";
import { reduceIncidents, type IncidentBook, type LifecycleSettings } from "./lifecycle";

/** One incident the rules would have raised over a stretch of history. */
export interface ReplayedIncident {
  key: string;
  /** Epoch ms of the minute it opened (pending or firing). */
  openedAt: number;
  /** Epoch ms of the minute it fired (the first notice); null if it never fired. */
  firedAt: number | null;
  /** Epoch ms of the minute it ended (resolved or dismissed); null if still open at the end. */
  endedAt: number | null;
  /** "resolved", "dismissed" (a pending surge that faded) or "open". */
  outcome: "resolved" | "dismissed" | "open";
  peakNegative: number;
  baseline: number;
}

export interface ReplayResult {
  incidents: ReplayedIncident[];
  /** Incidents that fired, per ISO week (e.g. "2026-W47") of their first notice, weeks in order. */
  perWeek: { week: string; fired: number }[];
  minutes: number;
}

/**
 * Runs the live rules — the same detectors (the brand's series and its
 * per-problem and per-source series, when the stored minutes carry their
 * counts) and incident lifecycle, with the same settings — over a brand's
 * stored per-minute counts, in order, as if they were arriving now: when
 * would incidents have opened, fired and closed? Minutes with no mention are
 * zeros (absence is a count too). With `warmFrom`, the minutes from it to
 * `from` are judged first without raising anything, so the detectors start
 * the range with the memory the live ones had (a cold detector would stay
 * quiet through the range's first day). Pure.
 */
export function replayIncidents(
  brand: string,
  counts: readonly StoredMinute[],
  range: { from: number; to: number; warmFrom?: number },
  settings: { spikes: SpikeSettings; lifecycle: LifecycleSettings; series?: SeriesLimits },
): ReplayResult {
  const byMinute = new Map(counts.map((c) => [c.minute, c]));
  const judge = new MinuteJudge(settings.spikes);
  const seriesJudge = new SeriesJudge(settings.spikes, () => undefined, settings.series);
  let book: IncidentBook = new Map();
  const incidents = new Map<string, ReplayedIncident>();
  const start = Math.floor(range.from / MINUTE_MS) * MINUTE_MS;
  const warmFrom = Math.floor(Math.min(range.warmFrom ?? start, start) / MINUTE_MS) * MINUTE_MS;
  let minutes = 0;
  for (let minute = warmFrom; minute < range.to; minute += MINUTE_MS) {
    const closed = closedFromStored(brand, minute, byMinute.get(minute));
    const { judgement } = judge.closed(closed);
    if (minute < start) {
      // Before the range: the detectors learn, as the live ones had learnt by then (see spikes/warm-start.ts).
      seriesJudge.closed(closed);
      continue;
    }
    minutes++;
    const wallNow = minute + MINUTE_MS;
    // The brand's series, then its per-problem and per-source series, as the live flow judges a closed minute.
    const byBrand = reduceIncidents(book, { type: "minute", closed, judgement, wallNow }, settings.lifecycle);
    const bySeries = reduceIncidents(byBrand.book, { type: "signals", brand, minute, signals: seriesJudge.closed(closed), wallNow }, settings.lifecycle);
    book = bySeries.book;
    for (const change of [...byBrand.changes, ...bySeries.changes]) {
      const { incident } = change;
      const seen = incidents.get(incident.key);
      const entry: ReplayedIncident = seen ?? {
        key: incident.key,
        openedAt: minute,
        firedAt: null,
        endedAt: null,
        outcome: "open",
        peakNegative: incident.peakNegative,
        baseline: incident.baseline,
      };
      entry.peakNegative = Math.max(entry.peakNegative, incident.peakNegative);
      if (change.kind === "firing") entry.firedAt = minute;
      if (change.kind === "resolved" || change.kind === "dismissed") {
        entry.endedAt = minute;
        entry.outcome = change.kind;
      }
      incidents.set(incident.key, entry);
    }
  }
  const list = [...incidents.values()].sort((a, b) => a.openedAt - b.openedAt);
  const weeks = new Map<string, number>();
  for (const i of list) if (i.firedAt !== null) weeks.set(isoWeek(i.firedAt), (weeks.get(isoWeek(i.firedAt)) ?? 0) + 1);
  return {
    incidents: list,
    perWeek: [...weeks].sort(([a], [b]) => a.localeCompare(b)).map(([week, fired]) => ({ week, fired })),
    minutes,
  };
}

/** ISO 8601 week of a UTC time, e.g. "2026-W47" (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeek(ms: number): string {
  const d = new Date(ms);
  const thursday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 4 - (d.getUTCDay() || 7)));
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((thursday.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}
