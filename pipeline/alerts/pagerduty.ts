import type { SafeHttp } from "../../collectors/http";
import { clip } from "./escape";
import { failureFor, postJson } from "./http-reply";
import type { Delivery, Notice, Notifier } from "./notifier";
import { noticeTitle } from "./templates/channel-labels";

export const CHANNEL = "pagerduty";
export const PAGERDUTY_EVENTS_API = "https://events.pagerduty.com";

export interface PagerDutyOptions {
  /** The integration's routing key (EARSHOT_PAGERDUTY_ROUTING_KEY); sent in the body, never in `target`. */
  routingKey: string;
  /** Default https://events.pagerduty.com. */
  baseUrl?: string;
}

/**
 * PagerDuty Events API v2
 * (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/,
 * …/acknowledge-events/, …/resolve-events/): POST /v2/enqueue with
 * `routing_key`, `event_action` trigger | acknowledge | resolve and a
 * `dedup_key`. The incident key is the dedup key, so a repeat trigger is
 * folded into the open PagerDuty incident and our acknowledge and resolve
 * reach that same incident. A trigger carries `payload` (summary ≤1024
 * characters, source, severity critical | error | warning | info).
 *
 * Answers (https://developer.pagerduty.com/docs/events-api-v2/overview/#response-codes--retry-logic):
 * 202 accepted; 400 invalid event (final); 429 too many events (retry later);
 * 5xx (retry).
 */
export function pagerDutyNotifier(options: PagerDutyOptions, http: SafeHttp): Notifier {
  const url = `${(options.baseUrl ?? PAGERDUTY_EVENTS_API).replace(/\/+$/, "")}/v2/enqueue`;
  return {
    channel: CHANNEL,
    target: url,
    async send(notice: Notice, signal: AbortSignal): Promise<Delivery> {
      const res = await postJson(CHANNEL, http, url, url, { json: pagerDutyEvent(options.routingKey, notice), signal });
      if (res.status === 202 || res.status === 200) return { httpStatus: res.status };
      throw failureFor(CHANNEL, url, res);
    },
  };
}

const ACTION = { firing: "trigger", acknowledged: "acknowledge", resolved: "resolve" } as const;

export interface PagerDutyEvent {
  routing_key: string;
  event_action: "trigger" | "acknowledge" | "resolve";
  dedup_key: string;
  payload?: {
    summary: string;
    source: string;
    severity: "critical" | "warning";
    timestamp: string;
    component: string;
    group: string;
    class: string;
    custom_details: Record<string, string | number | null>;
  };
  client?: string;
  client_url?: string;
  links?: { href: string; text: string }[];
}

/** The Events API v2 body for a notice. Pure. */
export function pagerDutyEvent(routingKey: string, notice: Notice): PagerDutyEvent {
  const i = notice.incident;
  const event: PagerDutyEvent = { routing_key: routingKey, event_action: ACTION[notice.event], dedup_key: i.key };
  if (notice.event !== "firing") return event; // acknowledge and resolve need only the dedup key
  return {
    ...event,
    payload: {
      summary: clip(`${noticeTitle(notice)}: ${notice.text}`, 1024),
      source: i.kind === "source-down" ? `earshot/source/${i.source ?? "?"}` : `earshot/brand/${i.brand}`,
      severity: i.severity,
      timestamp: new Date(i.startedAt).toISOString(),
      component: i.kind === "source-down" ? (i.source ?? "") : i.brand,
      group: "earshot",
      class: i.kind === "source-down" ? "source-down" : "negative-spike",
      custom_details: {
        text: notice.text,
        incident: i.key,
        peak_negative_per_minute: i.peakNegative,
        baseline_per_minute: i.baseline,
        first_mention: i.firstMentionId,
        summary: i.summary,
        acknowledge_link: notice.ackLink ?? null,
      },
    },
    client: "Earshot",
    ...(notice.link ? { client_url: notice.link, links: [{ href: notice.link, text: "Earshot" }] } : {}),
  };
}
