import { Observable, asyncScheduler, type OperatorFunction, type SchedulerLike } from "rxjs";
import type { ScoredMention } from "../mention";
import { MinuteBuckets, type ClosedMinute } from "./minute-buckets";
import { seriesOf } from "./series-key";

export type MinuteSignal =
  /** The running count of a minute that is still open (for the live timeline and early alerts). */
  | { type: "running"; count: ClosedMinute }
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
): OperatorFunction<ScoredMention, MinuteSignal> {
  return (mentions$) =>
    new Observable<MinuteSignal>((subscriber) => {
      const buckets = new MinuteBuckets(latenessMs);
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
          const count = buckets.add(m.brand, m.publishedAt, negative, m.id, scheduler.now(), countSeries ? seriesOf(m) : undefined);
          if (count !== null) subscriber.next({ type: "running", count });
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
