/** Pure helpers that turn the live feed's minute points into the live timeline's bars (drawn by uPlot). */
import type { MinutePoint } from "../../protocol";

export const MINUTE_MS = 60_000;

export interface MinuteBucket {
  minute: number;
  total: number;
  negative: number;
}

/**
 * One bucket per minute in [from, to), zero where no point exists, so lines
 * drop to zero in quiet minutes instead of bridging them. `brand` null sums all.
 */
export function minuteSeries(
  points: readonly MinutePoint[],
  brand: string | null,
  from: number,
  to: number,
): MinuteBucket[] {
  const first = Math.floor(from / MINUTE_MS) * MINUTE_MS;
  const count = Math.max(0, Math.ceil((to - first) / MINUTE_MS));
  const buckets: MinuteBucket[] = Array.from({ length: count }, (_, i) => ({
    minute: first + i * MINUTE_MS,
    total: 0,
    negative: 0,
  }));
  for (const p of points) {
    if (brand !== null && p.brand !== brand) continue;
    const bucket = buckets[Math.floor((p.minute - first) / MINUTE_MS)];
    if (bucket === undefined) continue;
    bucket.total += p.total;
    bucket.negative += p.negative;
  }
  return buckets;
}

/**
 * Consecutive minutes summed into bars of `minutes` each, aligned to whole
 * multiples of the bar (so bars do not shift as the window slides); a bar's
 * `minute` is its first minute. `minutes` 1 returns the series as is.
 */
export function groupBuckets(series: readonly MinuteBucket[], minutes: number): MinuteBucket[] {
  if (minutes <= 1) return series.map((b) => ({ ...b }));
  const size = minutes * MINUTE_MS;
  const bars: MinuteBucket[] = [];
  for (const b of series) {
    const start = Math.floor(b.minute / size) * size;
    const last = bars[bars.length - 1];
    if (last !== undefined && last.minute === start) {
      last.total += b.total;
      last.negative += b.negative;
    } else {
      bars.push({ minute: start, total: b.total, negative: b.negative });
    }
  }
  return bars;
}
