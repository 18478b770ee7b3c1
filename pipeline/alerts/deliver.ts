import { asyncScheduler, defer, firstValueFrom, retry, throwError, timer, type SchedulerLike } from "rxjs";
import { isNotifierError } from "../errors";
import type { NotificationRecord, Store } from "../store/store";
import { noticeRetryDelayMs } from "./http-reply";
import type { Notice, Notifier } from "./notifier";

export interface DeliverySettings {
  /** Attempts in all, the first included. */
  attempts: number;
  /** First back-off; doubles per attempt. */
  backoffMs: number;
  timeoutMs: number;
}

export const DEFAULT_DELIVERY: DeliverySettings = { attempts: 4, backoffMs: 1_000, timeoutMs: 10_000 };

/**
 * Sends one notice through one channel: retries what can succeed later
 * (network errors, 429, 5xx) with exponential back-off, gives up at once on
 * what cannot (4xx), and records every attempt in the store so the team can
 * see what reached whom. Resolves to true when delivered; never throws.
 */
export async function deliverNotice(
  notifier: Notifier,
  notice: Notice,
  store: Pick<Store, "recordNotification">,
  settings: DeliverySettings = DEFAULT_DELIVERY,
  scheduler: SchedulerLike = asyncScheduler,
  /** What the delivery record says was sent; a repeat of "firing" is recorded as "repeat". */
  recordAs: NotificationRecord["event"] = notice.event,
): Promise<boolean> {
  let attempt = 0;
  const record = (status: "delivered" | "failed", httpStatus: number | null, error: string) =>
    store
      .recordNotification({
        incidentKey: notice.incident.key,
        channel: notifier.channel,
        target: notifier.target,
        event: recordAs,
        attempt,
        status,
        httpStatus,
        error,
        at: scheduler.now(),
      })
      .catch(() => {}); // the log of attempts must not stop the delivery itself

  const once = defer(async () => {
    attempt += 1;
    const signal = AbortSignal.timeout(settings.timeoutMs);
    try {
      const delivery = await notifier.send(notice, signal);
      await record("delivered", delivery.httpStatus, "");
      return true;
    } catch (err) {
      const httpStatus = isNotifierError(err) ? err.httpStatus : null;
      await record("failed", httpStatus, err instanceof Error ? err.message : String(err));
      throw err;
    }
  });
  return firstValueFrom(
    once.pipe(
      retry({
        count: settings.attempts - 1,
        // A channel's own "retry after" (Retry-After, Telegram's retry_after) wins over the back-off.
        delay: (err, n) =>
          isNotifierError(err) && err.retryable ? timer(noticeRetryDelayMs(err, n, settings.backoffMs), scheduler) : throwError(() => err),
      }),
    ),
  ).catch(() => false);
}
