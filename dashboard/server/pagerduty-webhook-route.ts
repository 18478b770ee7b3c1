import type { IncomingMessage, ServerResponse } from "node:http";
import { actorName } from "../../pipeline/alerts/actor-name";
import type { Incident } from "../../pipeline/mention";
import { HttpError, readCappedBody } from "./http";
import { hmacSha256Hex, matchesAny } from "./hmac-signature";

/**
 * What the on-call person does in PagerDuty comes back to Earshot: a PagerDuty
 * v3 webhook subscription pointed at `<dashboard>/pagerduty/webhook` tells us
 * when an incident is acknowledged or resolved there, and the Earshot incident
 * with the same key (the notifier sends it as `dedup_key`, which PagerDuty
 * reports as `incident_key`) is acknowledged or resolved as that person.
 *
 * Wire format (https://developer.pagerduty.com/docs/webhooks/v3-overview):
 * one JSON object per POST, `event.event_type` ("incident.acknowledged",
 * "incident.resolved", …), `event.agent.summary` (who), `event.data` the
 * incident with `incident_key`. Signed (…/webhooks/webhook-signatures):
 * `X-PagerDuty-Signature` holds one or more comma-separated `v1=` + hex
 * HMAC-SHA256 of the raw body with the subscription's secret (several during
 * a secret rotation; one match is enough). Any 2xx acknowledges the delivery.
 *
 * Loops end by themselves: Earshot's own acknowledge or resolve event makes
 * PagerDuty send the same change back, which finds the incident already there.
 */
export interface PagerDutyWebhookDeps {
  /** EARSHOT_PAGERDUTY_WEBHOOK_SECRET; null: the route answers 404. */
  secret: string | null;
  acknowledge(key: string, by: string): Promise<Incident | null>;
  resolve?(key: string, by: string): Promise<Incident | null>;
  log: { info(obj: object, msg?: string): void };
}

export type PagerDutyWebhookHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const MAX_BODY_BYTES = 256 * 1024;

interface WebhookEvent {
  event?: {
    event_type?: unknown;
    agent?: { summary?: unknown } | null;
    data?: { incident_key?: unknown; type?: unknown } | null;
  };
}

export function createPagerDutyWebhookRoute(deps: PagerDutyWebhookDeps): PagerDutyWebhookHandler {
  return async (req, res) => {
    if (deps.secret === null) throw new HttpError(404, "PagerDuty webhooks are off: set EARSHOT_PAGERDUTY_WEBHOOK_SECRET");
    if (req.method !== "POST") throw new HttpError(405, "PagerDuty posts its webhooks here", { Allow: "POST" });
    const raw = await readCappedBody(req, MAX_BODY_BYTES);
    const header = req.headers["x-pagerduty-signature"];
    const given = (typeof header === "string" ? header : "").split(",").filter((s) => s.trim().startsWith("v1="));
    if (!matchesAny(`v1=${hmacSha256Hex(deps.secret, raw)}`, given)) throw new HttpError(401, "the PagerDuty signature does not match");
    let body: WebhookEvent;
    try {
      body = JSON.parse(raw.toString("utf8")) as WebhookEvent;
    } catch {
      throw new HttpError(400, "the body is not valid JSON");
    }
    const event = body?.event;
    const type = event?.event_type;
    const key = event?.data?.incident_key;
    // Other events (notes, reassignments, services) are welcome and change nothing here.
    if (typeof key === "string" && key !== "" && (type === "incident.acknowledged" || type === "incident.resolved")) {
      const summary = event?.agent?.summary;
      const by = actorName(typeof summary === "string" ? summary : null, "PagerDuty");
      const incident = type === "incident.acknowledged" ? await deps.acknowledge(key, by) : await deps.resolve?.(key, by);
      if (incident !== null && incident !== undefined) deps.log.info({ incident: key, by, type }, "incident changed from PagerDuty");
    }
    res.writeHead(204).end();
  };
}
