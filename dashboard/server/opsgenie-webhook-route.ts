import type { IncomingMessage, ServerResponse } from "node:http";
import { actorName } from "../../pipeline/alerts/actor-name";
import type { Incident } from "../../pipeline/mention";
import { HttpError, readCappedBody } from "./http";
import { matchesAny } from "./hmac-signature";

/**
 * What the on-call person does in Opsgenie comes back to Earshot: an Opsgenie
 * Webhook integration posting alert actions to `<dashboard>/opsgenie/webhook`
 * acknowledges or closes the Earshot incident whose key is the alert's alias
 * (the notifier creates alerts with alias = incident key), as that user.
 *
 * Wire format (https://docs.opsgenie.com/docs/webhook-integration and its
 * "alert action data"): one JSON object per POST, `action` ("Create",
 * "Acknowledge", "Close", …) and `alert` with `alias` and `username`.
 * Opsgenie does not sign webhooks; it sends the custom headers the
 * integration defines, so the integration must send
 * `X-Earshot-Token: <EARSHOT_OPSGENIE_WEBHOOK_TOKEN>`, compared in constant
 * time. Any 2xx acknowledges the delivery.
 *
 * Loops end by themselves: Earshot's own acknowledge or close comes back as
 * the same action and finds the incident already there.
 */
export interface OpsgenieWebhookDeps {
  /** EARSHOT_OPSGENIE_WEBHOOK_TOKEN (32+ characters); null: the route answers 404. */
  token: string | null;
  acknowledge(key: string, by: string): Promise<Incident | null>;
  resolve?(key: string, by: string): Promise<Incident | null>;
  log: { info(obj: object, msg?: string): void };
}

export type OpsgenieWebhookHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export const OPSGENIE_TOKEN_HEADER = "x-earshot-token";
const MAX_BODY_BYTES = 256 * 1024;

export function createOpsgenieWebhookRoute(deps: OpsgenieWebhookDeps): OpsgenieWebhookHandler {
  return async (req, res) => {
    if (deps.token === null) throw new HttpError(404, "Opsgenie webhooks are off: set EARSHOT_OPSGENIE_WEBHOOK_TOKEN");
    if (req.method !== "POST") throw new HttpError(405, "Opsgenie posts its alert actions here", { Allow: "POST" });
    const given = req.headers[OPSGENIE_TOKEN_HEADER];
    if (typeof given !== "string" || !matchesAny(deps.token, [given])) throw new HttpError(401, `the ${OPSGENIE_TOKEN_HEADER} header does not match`);
    const raw = await readCappedBody(req, MAX_BODY_BYTES);
    let body: { action?: unknown; alert?: { alias?: unknown; username?: unknown } | null };
    try {
      body = JSON.parse(raw.toString("utf8")) as typeof body;
    } catch {
      throw new HttpError(400, "the body is not valid JSON");
    }
    const key = body?.alert?.alias;
    const action = body?.action;
    // Other actions (Create, AddNote, …) are welcome and change nothing here.
    if (typeof key === "string" && key !== "" && (action === "Acknowledge" || action === "Close")) {
      const username = body.alert?.username;
      const by = actorName(typeof username === "string" ? username : null, "Opsgenie");
      const incident = action === "Acknowledge" ? await deps.acknowledge(key, by) : await deps.resolve?.(key, by);
      if (incident !== null && incident !== undefined) deps.log.info({ incident: key, by, action }, "incident changed from Opsgenie");
    }
    res.writeHead(204).end();
  };
}
