import {
  asyncScheduler,
  bufferTime,
  catchError,
  concatMap,
  defer,
  filter,
  from,
  map,
  of,
  retry,
  throwError,
  timer,
  type Observable,
  type OperatorFunction,
  type SchedulerLike,
} from "rxjs";
import type { ScoredMention } from "../mention";
import type { Spill } from "./spill";
import { isStoreError } from "./sql-runner";
import type { Store } from "./store";

export interface WriterOptions {
  /** Batches go out every `flushMs` at the latest … */
  flushMs: number;
  /** … or as soon as it holds this many mentions. */
  maxRows: number;
  /** Retries of a batch after a transient failure (default 4). */
  retries?: number;
  /** First retry delay; doubles each time, capped at 30 s (default 250 ms). */
  backoffMs?: number;
}

/** What became of one batch. */
export type WriteResult =
  | { stored: number; attempts: number }
  /** The store refused it (or stayed down through the retries): kept in the spill directory. */
  | { spilled: number; attempts: number; error: Error }
  /** Neither the store nor the disk took it: the only case where mentions are gone. Alarm-worthy. */
  | { lost: number; attempts: number; error: Error; spillError: Error };

const MAX_BACKOFF_MS = 30_000;

/**
 * The store writer (langfuse's size-or-interval batching, minus the dropping):
 * - batches by size or time, whichever comes first; on completion the last
 *   partial batch is written (bufferTime emits it);
 * - one insert in flight at a time, batches in order (concatMap);
 * - transient StoreErrors are retried with exponential backoff; the delays run
 *   on `scheduler`, so tests drive them in virtual time;
 * - a batch that still cannot be written goes to `spill` on disk, never away.
 *   The spill is replayed by `spill.drain(store)` (pipeline/main.ts runs it on
 *   a timer).
 */
export function writeMentions(
  store: Pick<Store, "insertMentions">,
  spill: Pick<Spill, "put">,
  options: WriterOptions,
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<ScoredMention, WriteResult> {
  const retries = options.retries ?? 4;
  const backoffMs = options.backoffMs ?? 250;

  const writeBatch = (batch: ScoredMention[]): Observable<WriteResult> => {
    let attempts = 0;
    return defer(() => {
      attempts += 1;
      return store.insertMentions(batch);
    }).pipe(
      retry({
        count: retries,
        delay: (err: unknown, retryCount: number) =>
          // A bad batch (syntax, type mismatch) fails the same way every time:
          // straight to the spill. Only a store that is down or busy is waited for.
          isStoreError(err) && err.transient
            ? timer(Math.min(backoffMs * 2 ** (retryCount - 1), MAX_BACKOFF_MS), scheduler)
            : throwError(() => err),
      }),
      map((): WriteResult => ({ stored: batch.length, attempts })),
      catchError((err: unknown) =>
        from(spill.put(batch, err)).pipe(
          map((): WriteResult => ({ spilled: batch.length, attempts, error: asError(err) })),
          catchError((spillErr: unknown) =>
            of<WriteResult>({ lost: batch.length, attempts, error: asError(err), spillError: asError(spillErr) }),
          ),
        ),
      ),
    );
  };

  return (mentions$) =>
    mentions$.pipe(
      bufferTime(options.flushMs, null, options.maxRows, scheduler),
      filter((batch) => batch.length > 0),
      concatMap(writeBatch),
    );
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));
