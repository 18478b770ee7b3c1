import type { MinuteCount } from "../mention";

export const MINUTE_MS = 60_000;

/** A minute's counts with the evidence an incident needs (closed, or still running). */
export interface ClosedMinute extends MinuteCount {
  /** Id of the first negative mention (by event time) in the minute, "" if none. */
  firstNegativeId: string;
  /**
   * Counts of the brand's sub-series in a CLOSED minute (e.g. "problem:outage",
   * "source:reddit"), when mentions were added with series keys; absent when
   * the minute had none. Running counts never carry them (they go to the live
   * timeline; the early look at sub-series reads partsOf).
   */
  parts?: SeriesPart[];
}

/** One sub-series' counts in a closed minute. */
export interface SeriesPart {
  series: string;
  total: number;
  negative: number;
}

interface OpenMinute {
  total: number;
  negative: number;
  firstNegativeId: string;
  firstNegativeAt: number;
  parts?: Map<string, { total: number; negative: number }>;
}

interface BrandClock {
  /** Newest event time seen for the brand. */
  maxEventTime: number;
  /** Wall time at which that newest event arrived. */
  arrivedAt: number;
  /** Start of the next minute to close; everything before it is judged. */
  nextToClose: number;
  open: Map<number, OpenMinute>;
}

/**
 * Per-brand minute buckets in EVENT time (publishedAt), closed by a watermark.
 *
 * Why event time: sources are polled every few minutes and deliver several
 * minutes at once; counting by arrival would turn every poll into a spike.
 * The watermark is the newest event time of the brand, advanced by the wall
 * time that has passed since it arrived (so a brand that goes quiet still has
 * its minutes closed), minus the allowed lateness. A mention older than the
 * newest closed minute is late: it is stored and counted in the rollup, but the
 * detector has judged that minute already.
 *
 * No I/O and no clock of its own: the wall time is passed in.
 */
export class MinuteBuckets {
  readonly #brands = new Map<string, BrandClock>();
  readonly #latenessMs: number;

  constructor(latenessMs: number) {
    this.#latenessMs = latenessMs;
  }

  /**
   * Starts a brand's clock where its stored history ends (spikes/warm-start.ts):
   * minutes before `nextToClose` have been judged, so a mention in them is late,
   * and the watermark starts there, waiting for the mentions of the minutes
   * after it (a restart's first polls bring them) before it follows wall time.
   */
  resume(brand: string, nextToClose: number, wallNow: number): void {
    if (this.#brands.has(brand)) return;
    const minute = nextToClose - (nextToClose % MINUTE_MS);
    this.#brands.set(brand, { maxEventTime: minute, arrivedAt: wallNow, nextToClose: minute, open: new Map() });
  }

  /**
   * Adds one mention; returns the minute's running count, or null when the
   * mention is late. `series` names the brand's sub-series it also counts in.
   */
  add(
    brand: string,
    eventTime: number,
    negative: boolean,
    mentionId: string,
    wallNow: number,
    series?: readonly string[],
  ): ClosedMinute | null {
    const minute = eventTime - (eventTime % MINUTE_MS);
    let clock = this.#brands.get(brand);
    if (clock === undefined) {
      clock = { maxEventTime: eventTime, arrivedAt: wallNow, nextToClose: minute, open: new Map() };
      this.#brands.set(brand, clock);
    }
    if (minute < clock.nextToClose) return null;
    if (eventTime >= clock.maxEventTime) {
      clock.maxEventTime = eventTime;
      clock.arrivedAt = wallNow;
    }
    let open = clock.open.get(minute);
    if (open === undefined) {
      open = { total: 0, negative: 0, firstNegativeId: "", firstNegativeAt: Infinity };
      clock.open.set(minute, open);
    }
    open.total += 1;
    if (series !== undefined && series.length > 0) {
      open.parts ??= new Map();
      for (const key of series) {
        let part = open.parts.get(key);
        if (part === undefined) open.parts.set(key, (part = { total: 0, negative: 0 }));
        part.total += 1;
        if (negative) part.negative += 1;
      }
    }
    if (negative) {
      open.negative += 1;
      if (eventTime < open.firstNegativeAt) {
        open.firstNegativeAt = eventTime;
        open.firstNegativeId = mentionId;
      }
    }
    return { brand, minute, total: open.total, negative: open.negative, firstNegativeId: open.firstNegativeId };
  }

  /**
   * The running counts of some of a brand's sub-series in a minute still open
   * (those a mention just counted in, and `also` when it is not among them):
   * what the early judgement of the sub-series reads (judge-series.ts). Series
   * with no mention yet are left out.
   */
  partsOf(brand: string, minute: number, series: readonly string[], also?: string): SeriesPart[] {
    const parts = this.#brands.get(brand)?.open.get(minute)?.parts;
    if (parts === undefined) return [];
    const out: SeriesPart[] = [];
    const add = (key: string) => {
      const part = parts.get(key);
      if (part !== undefined) out.push({ series: key, total: part.total, negative: part.negative });
    };
    series.forEach(add);
    if (also !== undefined && !series.includes(also)) add(also);
    return out;
  }

  /**
   * Closes every minute the watermark has passed, in order and without gaps
   * (a minute with no mentions closes with zero counts: quiet minutes are part
   * of the baseline).
   */
  closeDue(wallNow: number): ClosedMinute[] {
    const closed: ClosedMinute[] = [];
    for (const [brand, clock] of this.#brands) {
      const watermark = clock.maxEventTime + Math.max(0, wallNow - clock.arrivedAt) - this.#latenessMs;
      while (clock.nextToClose + MINUTE_MS <= watermark) {
        const minute = clock.nextToClose;
        const open = clock.open.get(minute);
        clock.open.delete(minute);
        const done: ClosedMinute = {
          brand,
          minute,
          total: open?.total ?? 0,
          negative: open?.negative ?? 0,
          firstNegativeId: open?.firstNegativeId ?? "",
        };
        if (open?.parts !== undefined) done.parts = [...open.parts].map(([series, c]) => ({ series, total: c.total, negative: c.negative }));
        closed.push(done);
        clock.nextToClose = minute + MINUTE_MS;
      }
    }
    return closed;
  }
}
