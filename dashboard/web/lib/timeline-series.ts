/** Pure helpers that turn minute points into what the timeline chart draws. */
import type { MinutePoint } from "../../protocol";

export const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

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

/** Local-time hour boundaries in (from, to], every `stepHours`; DST-safe because Date does the calendar. */
export function hourTicks(from: number, to: number, stepHours: number): number[] {
  const tick = new Date(from);
  tick.setMinutes(0, 0, 0);
  const ticks: number[] = [];
  while (tick.getTime() <= to) {
    if (tick.getTime() > from && tick.getHours() % stepHours === 0) ticks.push(tick.getTime());
    tick.setTime(tick.getTime() + HOUR_MS);
    tick.setMinutes(0, 0, 0);
  }
  return ticks;
}

/** An axis top at or above `max`: 1, 2 or 5 times a power of ten, never below 4. */
export function axisMax(max: number): number {
  if (max <= 4) return 4;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
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
