import { Observable, asyncScheduler, type OperatorFunction, type SchedulerLike } from "rxjs";
import type { ScoredMention } from "../mention";
import { MinuteBuckets, type ClosedMinute, type SeriesPart } from "./minute-buckets";
import { seriesOf, sourceOutageKey } from "./series-key";

export type MinuteSignal =
  /**
   * The running count of a minute that is still open (for the live timeline
   * and early alerts), with the running counts of the sub-series a negative
   * mention counted in (empty for other mentions and unless sub-series are counted).
   */
  | { type: "running"; count: ClosedMinute; parts: SeriesPart[] }
  /** A minute closed for judging. */
  | { type: "closed"; minute: ClosedMinute };

/**
 * Counts mentions per brand per minute of event time and closes minutes by a
 * watermark (see MinuteBuckets). The scheduler is the clock: a tick every
 * `tickMs` closes the minutes of brands that went quiet, and tests run the
 * same code in virtual time.
 */
export function minuteCounts(
  latenessMs: number,
  tickMs = 1_000,
  scheduler: SchedulerLike = asyncScheduler,
  /** Also count each brand's sub-series (seriesOf): per problem type and per source. */
  countSeries = false,
  /** Per brand, the first minute to count after a warm start (spikes/warm-start.ts). */
  resumeAt: ReadonlyMap<string, number> = new Map(),
): OperatorFunction<ScoredMention, MinuteSignal> {
  return (mentions$) =>
    new Observable<MinuteSignal>((subscriber) => {
      const buckets = new MinuteBuckets(latenessMs);
      for (const [brand, at] of resumeAt) buckets.resume(brand, at, scheduler.now());
      const closeDue = () => {
        for (const minute of buckets.closeDue(scheduler.now())) subscriber.next({ type: "closed", minute });
      };
      const ticks = scheduler.schedule(function tick() {
        closeDue();
        this.schedule(undefined, tickMs);
      }, tickMs);
      const subscription = mentions$.subscribe({
        next: (m) => {
          const negative = m.sentiment.label === "negative";
          const series = countSeries ? seriesOf(m) : undefined;
          const count = buckets.add(m.brand, m.publishedAt, negative, m.id, scheduler.now(), series);
          if (count !== null) {
            // Only a negative mention can tip a sub-series (a positive one adds to the totals
            // alone, which lowers the negative share), so only it reads their running counts,
            // with the source's outage reports so far, whether or not it is one of them.
            const parts = series !== undefined && negative ? buckets.partsOf(m.brand, count.minute, series, sourceOutageKey(m.source)) : [];
            subscriber.next({ type: "running", count, parts });
          }
          closeDue();
        },
        error: (err) => subscriber.error(err),
        complete: () => {
          closeDue();
          subscriber.complete();
        },
      });
      return () => {
        ticks.unsubscribe();
        subscription.unsubscribe();
      };
    });
}
