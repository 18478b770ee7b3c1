import type { SafeHttp } from "../../collectors/http";
import { clip } from "./escape";
import { failureFor, isSuccess, postJson } from "./http-reply";
import type { Delivery, Notice, Notifier } from "./notifier";
import { noticeTitle } from "./templates/channel-labels";

export const CHANNEL = "opsgenie";
export const OPSGENIE_API = { us: "https://api.opsgenie.com", eu: "https://api.eu.opsgenie.com" } as const;

export interface OpsgenieOptions {
  /** An API integration key (EARSHOT_OPSGENIE_API_KEY); sent as `Authorization: GenieKey <key>`. */
  apiKey: string;
  /** Which Opsgenie instance the account lives in. Default "us". */
  region?: keyof typeof OPSGENIE_API;
  /** Overrides `region` (a proxy, a test server). */
  baseUrl?: string;
  /** Teams, users, escalations or schedules to notify, as Opsgenie names them. */
  responders?: { type: "team" | "user" | "escalation" | "schedule"; name: string }[];
  tags?: string[];
}

/**
 * Opsgenie Alert API (https://docs.opsgenie.com/docs/alert-api):
 * - firing: POST /v2/alerts (message ≤130 characters, alias ≤512,
 *   description ≤15000, details, priority P1–P5);
 * - acknowledged: POST /v2/alerts/{alias}/acknowledge?identifierType=alias;
 * - resolved: POST /v2/alerts/{alias}/close?identifierType=alias.
 * The incident key is the alias, so Opsgenie de-duplicates repeats into one
 * alert and the acknowledge and close reach it without its id. Requests are
 * processed asynchronously and answered 202. 400/401/403/404/422 are final;
 * 429 (https://docs.opsgenie.com/docs/api-rate-limiting) and 5xx are retried.
 * EU accounts use api.eu.opsgenie.com (https://docs.opsgenie.com/docs/european-service-region).
 */
export function opsgenieNotifier(options: OpsgenieOptions, http: SafeHttp): Notifier {
  const base = (options.baseUrl ?? OPSGENIE_API[options.region ?? "us"]).replace(/\/+$/, "");
  return {
    channel: CHANNEL,
    target: `${base}/v2/alerts`,
    async send(notice: Notice, signal: AbortSignal): Promise<Delivery> {
      const { path, body } = opsgenieRequest(notice, options);
      const url = `${base}${path}`;
      const target = url.split("?")[0]!;
      const headers = { authorization: `GenieKey ${options.apiKey}` };
      const res = await postJson(CHANNEL, http, url, target, { json: body, headers, signal });
      if (isSuccess(res.status)) return { httpStatus: res.status };
      throw failureFor(CHANNEL, target, res);
    },
  };
}

/** The path (under the API base) and JSON body for a notice. Pure. */
export function opsgenieRequest(
  notice: Notice,
  options: Pick<OpsgenieOptions, "responders" | "tags"> = {},
): { path: string; body: Record<string, unknown> } {
  const i = notice.incident;
  const alias = encodeURIComponent(i.key);
  if (notice.event === "acknowledged")
    return {
      path: `/v2/alerts/${alias}/acknowledge?identifierType=alias`,
      body: { source: "Earshot", user: i.acknowledgedBy ?? "Earshot", note: clip(notice.text, 25_000) },
    };
  if (notice.event === "resolved")
    return { path: `/v2/alerts/${alias}/close?identifierType=alias`, body: { source: "Earshot", user: "Earshot", note: clip(notice.text, 25_000) } };
  const details: Record<string, string> = {
    incident: i.key,
    kind: i.kind,
    peakNegativePerMinute: String(i.peakNegative),
    baselinePerMinute: String(i.baseline),
    firstMention: i.firstMentionId,
  };
  if (notice.link) details.dashboard = notice.link;
  if (notice.ackLink) details.acknowledgeLink = notice.ackLink;
  return {
    path: "/v2/alerts",
    body: {
      message: clip(noticeTitle(notice), 130),
      alias: i.key.slice(0, 512),
      description: clip(notice.text, 15_000),
      details,
      entity: i.kind === "source-down" ? (i.source ?? "") : i.brand,
      source: "Earshot",
      priority: i.severity === "critical" ? "P1" : "P3",
      tags: ["earshot", i.kind, ...(options.tags ?? [])],
      ...(options.responders && options.responders.length > 0 ? { responders: options.responders } : {}),
    },
  };
}
