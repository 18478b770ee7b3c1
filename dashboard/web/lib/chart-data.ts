/**
 * Pure shaping for the time charts (uPlot): buckets in, uPlot's column arrays
 * out; live minute counts folded into coarser buckets; incident times turned
 * into markers. No DOM and no runes, so unit tests load it as is.
 */
import type { MinutePoint, OverviewBucket, OverviewIncident } from "../../protocol";

/**
 * uPlot's "aligned data": x values (epoch ms; the charts set `ms: 1`), all
 * mentions, negative ones, and the negative share in % (null where a bucket
 * has no mentions, so the line breaks rather than dropping to 0 %).
 */
export type VolumeData = [xs: number[], total: number[], negative: number[], negativeShare: (number | null)[]];

export function volumeData(buckets: readonly OverviewBucket[]): VolumeData {
  const xs: number[] = [];
  const total: number[] = [];
  const negative: number[] = [];
  const share: (number | null)[] = [];
  for (const b of buckets) {
    xs.push(b.start);
    total.push(b.total);
    negative.push(b.negative);
    share.push(b.total === 0 ? null : (100 * b.negative) / b.total);
  }
  return [xs, total, negative, share];
}

/** The live counts of one brand by minute start, as the feed holds them now. */
export function brandMinutes(points: readonly MinutePoint[], brand: string): Map<number, { total: number; negative: number }> {
  const minutes = new Map<number, { total: number; negative: number }>();
  for (const p of points) if (p.brand === brand) minutes.set(p.minute, { total: p.total, negative: p.negative });
  return minutes;
}

/**
 * Buckets as the server counted them, plus what the live feed learnt since:
 * for each minute the feed knows, its count now minus its count when the
 * server answered (`baseline`). A minute point carries the minute's whole
 * count, so the difference is exactly what arrived after the answer, however
 * coarse the bucket. Minutes outside the buckets are left out.
 */
export function withLiveMinutes(
  buckets: readonly OverviewBucket[],
  bucketMs: number,
  baseline: ReadonlyMap<number, { total: number; negative: number }>,
  current: ReadonlyMap<number, { total: number; negative: number }>,
): OverviewBucket[] {
  const out = buckets.map((b) => ({ ...b }));
  const first = out[0]?.start;
  if (first === undefined) return out;
  for (const [minute, now] of current) {
    const bucket = out[Math.floor((minute - first) / bucketMs)];
    if (bucket === undefined || minute < first) continue;
    const before = baseline.get(minute);
    bucket.total += Math.max(0, now.total - (before?.total ?? 0));
    bucket.negative += Math.max(0, now.negative - (before?.negative ?? 0));
  }
  return out;
}

export type MarkKind = "started" | "acknowledged" | "resolved";

export interface IncidentMark {
  key: string;
  kind: MarkKind;
  /** Epoch ms. */
  at: number;
  severity: OverviewIncident["severity"];
}

/** Each incident's start, acknowledgement and resolution that fall in [from, to), in time order. */
export function incidentMarks(
  incidents: readonly Pick<OverviewIncident, "key" | "severity" | "startedAt" | "acknowledgedAt" | "resolvedAt">[],
  from: number,
  to: number,
): IncidentMark[] {
  const marks: IncidentMark[] = [];
  const add = (i: (typeof incidents)[number], kind: MarkKind, at: number | null): void => {
    if (at !== null && at >= from && at < to) marks.push({ key: i.key, kind, at, severity: i.severity });
  };
  for (const i of incidents) {
    add(i, "started", i.startedAt);
    add(i, "acknowledged", i.acknowledgedAt);
    add(i, "resolved", i.resolvedAt);
  }
  return marks.sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Totals of a series for its text summary: all, negative, and the busiest bucket (the first of equals). */
export function volumeSummary(buckets: readonly OverviewBucket[]): { total: number; negative: number; busiest: OverviewBucket | null } {
  let total = 0;
  let negative = 0;
  let busiest: OverviewBucket | null = null;
  for (const b of buckets) {
    total += b.total;
    negative += b.negative;
    if (b.total > 0 && (busiest === null || b.total > busiest.total)) busiest = b;
  }
  return { total, negative, busiest };
}

/** A share of a whole in % for a bar's width, 0 when the whole is 0. */
export function percentOf(part: number, whole: number): number {
  return whole <= 0 ? 0 : Math.min(100, Math.max(0, (100 * part) / whole));
}
