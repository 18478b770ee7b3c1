import { createHmac } from "node:crypto";
import type { SafeHttp } from "../../collectors/http";
import { NotifierError } from "../errors";
import type { Incident } from "../mention";
import type { Delivery, Notice, Notifier } from "./notifier";

export const CHANNEL = "webhook";

/**
 * The JSON body every webhook receives. Versioned, so receivers can tell a
 * future shape apart; the incident `key` is stable for the whole episode and is
 * the receiver's dedup key (also sent as Idempotency-Key).
 */
export interface WebhookBody {
  version: 1;
  event: Notice["event"];
  text: string;
  lang: Notice["lang"];
  link: string | null;
  /** Signed one-click acknowledge link (firing notices, when EARSHOT_ACK_LINK_SECRET is set). */
  ackLink: string | null;
  /** True when this repeats a firing notice nobody has acknowledged yet. */
  repeat: boolean;
  incident: Incident;
}

/**
 * A signed JSON POST. Signature, as Stripe and GitHub do it: HMAC-SHA256 over
 * `<timestamp>.<raw body>` with the shared secret, sent as
 * `X-Earshot-Signature: sha256=<hex>` with `X-Earshot-Timestamp` (epoch
 * seconds), so a receiver can verify the sender and refuse replays.
 *
 * The URL is user-given: it goes through the collectors' SafeHttp, whose guard
 * refuses private and loopback addresses unless allowPrivateNetworks is set.
 */
export function webhookNotifier(options: { url: string; secret: string }, http: SafeHttp, now: () => number = Date.now): Notifier {
  const target = redactUrl(options.url);
  return {
    channel: CHANNEL,
    target,
    async send(notice: Notice, signal: AbortSignal): Promise<Delivery> {
      const body: WebhookBody = {
        version: 1,
        event: notice.event,
        text: notice.text,
        lang: notice.lang,
        link: notice.link,
        ackLink: notice.ackLink ?? null,
        repeat: notice.repeat ?? false,
        incident: notice.incident,
      };
      const raw = JSON.stringify(body);
      const timestamp = String(Math.floor(now() / 1000));
      const headers = {
        "content-type": "application/json; charset=utf-8",
        "x-earshot-event": notice.event,
        "x-earshot-timestamp": timestamp,
        "x-earshot-signature": signWebhook(options.secret, timestamp, raw),
        // A repeat is a new message on purpose: its own key, so receivers do not drop it as a duplicate.
        "idempotency-key": `${notice.incident.key}:${notice.event}${notice.repeat ? `:repeat:${timestamp}` : ""}`,
      };
      let status: number;
      try {
        status = (await http.post(options.url, { body: raw, headers, signal })).status;
      } catch (err) {
        throw new NotifierError(CHANNEL, `POST ${target} failed: ${(err as Error).message}`, isRetryable(err), null, {
          cause: err,
        });
      }
      if (status >= 200 && status < 300) return { httpStatus: status };
      const retryable = status === 408 || status === 429 || status >= 500;
      throw new NotifierError(CHANNEL, `POST ${target} answered HTTP ${status}`, retryable, status);
    },
  };
}

export function signWebhook(secret: string, timestamp: string, rawBody: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.`).update(rawBody).digest("hex")}`;
}

function isRetryable(err: unknown): boolean {
  return typeof err === "object" && err !== null && "retryable" in err ? Boolean((err as { retryable: unknown }).retryable) : true;
}

/** The URL without credentials or query (a token often hides there), for logs and the delivery record. */
function redactUrl(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`;
}
