import { isHttpError, parseRetryAfter, type PostOptions, type PostResponse, type SafeHttp } from "../../collectors/http";
import { NotifierError, isNotifierError } from "../errors";

/**
 * A failure the other side asked us to retry after a given time (Slack's and
 * Opsgenie's Retry-After, Telegram's `parameters.retry_after`). Still a
 * NotifierError (same name, so isNotifierError holds), with the wait attached.
 */
export class RetryLaterError extends NotifierError {
  constructor(
    channel: string,
    message: string,
    readonly retryAfterMs: number,
    httpStatus: number | null,
    options?: ErrorOptions,
  ) {
    super(channel, message, true, httpStatus, options);
  }
}
export const isRetryLaterError = (e: unknown): e is RetryLaterError =>
  isNotifierError(e) && typeof (e as { retryAfterMs?: unknown }).retryAfterMs === "number";

/**
 * The wait before the next delivery attempt: the server's own figure when it
 * gave one (capped, so a stray "retry after a day" cannot park the queue),
 * otherwise exponential back-off. For deliver.ts's retry({ delay }).
 */
export function noticeRetryDelayMs(err: unknown, failedAttempt: number, backoffMs: number, capMs = 120_000): number {
  if (isRetryLaterError(err)) return Math.min(Math.max(err.retryAfterMs, backoffMs), capMs);
  return Math.min(backoffMs * 2 ** (failedAttempt - 1), capMs);
}

/** 408 and 429 say "later"; 5xx is the receiver's own trouble (501/505 will not change). */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/**
 * One POST through SafeHttp (private-address guard, timeout, no redirects).
 * Transport failures become NotifierError; `target` names the receiver without
 * secrets, and `scrub` removes any secret that sits in the URL itself (a
 * Telegram bot token) from the message.
 */
export async function postJson(
  channel: string,
  http: SafeHttp,
  url: string,
  target: string,
  init: Omit<PostOptions, "body"> & { json: unknown },
  scrub: (text: string) => string = identity,
): Promise<PostResponse> {
  const headers = { "content-type": "application/json; charset=utf-8", accept: "application/json", ...init.headers };
  try {
    return await http.post(url, { ...init, headers, body: JSON.stringify(init.json) });
  } catch (err) {
    const retryable = isHttpError(err) ? err.retryable : true;
    const message = err instanceof Error ? err.message : String(err);
    // the cause is kept only when nothing secret can hide in it
    throw new NotifierError(channel, `POST ${target} failed: ${scrub(message)}`, retryable, null, scrub === identity ? { cause: err } : undefined);
  }
}
const identity = (t: string) => t;

/**
 * The usual reading of an HTTP answer: 2xx delivered; 429 retried after the
 * server's Retry-After when it sent one; other retryable statuses retried with
 * back-off; anything else final. `reason` is the start of the body, where the
 * APIs explain a 400 ("invalid_payload", "Event object is invalid" …).
 */
export function failureFor(channel: string, target: string, res: PostResponse, now: number = Date.now()): NotifierError {
  const reason = excerpt(res.text);
  const message = `POST ${target} answered HTTP ${res.status}${reason ? `: ${reason}` : ""}`;
  const retryAfterMs = parseRetryAfter(res.headers["retry-after"], now);
  if (res.status === 429 && retryAfterMs !== undefined) return new RetryLaterError(channel, message, retryAfterMs, res.status);
  return new NotifierError(channel, message, isRetryableStatus(res.status), res.status);
}

export const isSuccess = (status: number) => status >= 200 && status < 300;

/** One line of at most 200 characters: enough to say why, not enough to flood the delivery record. */
export function excerpt(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/** Origin and path only: the query of a webhook URL can carry its token. */
export function redactUrl(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`;
}

/**
 * For URLs whose path is the secret (Slack's /services/T…/B…/<token>, Teams'
 * webhookb2/… and Workflows' signed paths): a target that keeps the origin
 * and the first `visible` path segments, and a scrub that puts that target in
 * place of the full URL wherever an error message repeats it.
 */
export function maskedUrl(url: string, visible: number): { target: string; scrub: (text: string) => string } {
  const u = new URL(url);
  const segments = u.pathname.split("/").filter(Boolean);
  const shown = segments.slice(0, visible).join("/");
  const target = `${u.origin}/${shown}${segments.length > visible ? "/…" : ""}`;
  const full = `${u.origin}${u.pathname}`;
  const hidden = segments.slice(visible).filter((s) => s.length >= 6);
  return {
    target,
    scrub: (text) => hidden.reduce((t, secret) => t.split(secret).join("…"), text.split(full).join(target)),
  };
}
