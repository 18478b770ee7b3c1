import type { IncomingMessage, ServerResponse } from "node:http";
import { ackOutcome } from "../../pipeline/alerts/ack-outcome";
import { actorName } from "../../pipeline/alerts/actor-name";
import { chatAckText } from "../../pipeline/alerts/templates/channel-labels";
import { SLACK_ACK_ACTION } from "../../pipeline/alerts/slack";
import type { Incident } from "../../pipeline/mention";
import { HttpError, readCappedBody } from "./http";
import { hmacSha256Hex, matchesAny } from "./hmac-signature";

/**
 * Acknowledging from Slack itself: a notice's Acknowledge button (slack.ts,
 * with `acknowledgeInSlack`) is an interactive button whose value is the
 * incident key; Slack POSTs the press to the app's Interactivity Request URL,
 * `<dashboard>/slack/actions`.
 *
 * Wire format (https://api.slack.com/interactivity/handling,
 * https://api.slack.com/reference/interaction-payloads/block-actions):
 *   - application/x-www-form-urlencoded with one field, `payload`, a JSON
 *     block_actions payload: user {id, username, name}, actions
 *     [{action_id, value}], response_url, message {blocks};
 *   - answered with HTTP 200 within 3 seconds; what the presser and the
 *     channel see afterwards goes to response_url (replace_original to edit
 *     the notice, response_type "ephemeral" for the presser only).
 * Verification (https://api.slack.com/authentication/verifying-requests-from-slack):
 * X-Slack-Signature = "v0=" + hex HMAC-SHA256(signing secret,
 * "v0:" + X-Slack-Request-Timestamp + ":" + raw body), and the timestamp within
 * five minutes of now (a replayed press is refused). The signature is the
 * credential: no session, and no CSRF header (Slack sends none).
 */
export interface SlackActionsDeps {
  /** EARSHOT_SLACK_SIGNING_SECRET; null: the route answers 404. */
  signingSecret: string | null;
  acknowledge(key: string, by: string): Promise<Incident | null>;
  /** POSTs JSON to Slack's response_url (through the guarded HTTP client). */
  respond(url: string, body: unknown): Promise<void>;
  lang: "en" | "pl" | "ru";
  now(): number;
  log: { warn(obj: object, msg?: string): void; info(obj: object, msg?: string): void };
}

export type SlackActionsHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const MAX_BODY_BYTES = 64 * 1024;
const MAX_SKEW_S = 5 * 60;

interface BlockActionsPayload {
  type?: string;
  user?: { id?: string; username?: string; name?: string };
  actions?: { action_id?: string; value?: string }[];
  response_url?: string;
  message?: { blocks?: { type?: string; elements?: { action_id?: string }[] }[] };
}

export function createSlackActionsRoute(deps: SlackActionsDeps): SlackActionsHandler {
  return async (req, res) => {
    if (deps.signingSecret === null) throw new HttpError(404, "Slack actions are off: set EARSHOT_SLACK_SIGNING_SECRET");
    if (req.method !== "POST") throw new HttpError(405, "Slack posts interactions here", { Allow: "POST" });
    const raw = await readCappedBody(req, MAX_BODY_BYTES);
    verifySignature(deps.signingSecret, req.headers["x-slack-request-timestamp"], req.headers["x-slack-signature"], raw, deps.now());
    const payload = readPayload(raw);
    const press = payload.actions?.find((a) => a.action_id === SLACK_ACK_ACTION);
    const ok = () => void res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end();
    // Other interactions (the Open button's click, for one) need only the 200.
    if (press === undefined || typeof press.value !== "string" || press.value === "") return ok();
    const by = presserName(payload.user);
    // Acknowledged before the 200 (the desk answers in microseconds, well within Slack's 3 s);
    // what the channel sees next goes to response_url.
    const incident = await deps.acknowledge(press.value, by);
    ok();
    const responseUrl = payload.response_url;
    if (typeof responseUrl !== "string" || !/^https?:\/\//.test(responseUrl)) return;
    const outcome = ackOutcome(incident, by);
    const text = chatAckText(deps.lang, outcome);
    // The channel sees who took it; a press that changed nothing is told to the presser only.
    const answer =
      outcome.kind === "done"
        ? { replace_original: true, text, blocks: withoutAckButton(payload.message?.blocks ?? [], `✅ ${text} — ${by}`) }
        : { response_type: "ephemeral", replace_original: false, text };
    await deps.respond(responseUrl, answer).catch((err: unknown) => deps.log.warn({ err }, "Slack response_url refused the answer"));
    if (incident !== null) deps.log.info({ incident: press.value, by }, "incident acknowledged from Slack");
  };
}

/** The notice's blocks with the spent Acknowledge button gone and who acknowledged it added. */
function withoutAckButton(blocks: NonNullable<BlockActionsPayload["message"]>["blocks"] & object, line: string): unknown[] {
  const kept = blocks
    .map((b) => (b.type === "actions" ? { ...b, elements: (b.elements ?? []).filter((e) => e.action_id !== SLACK_ACK_ACTION) } : b))
    .filter((b) => b.type !== "actions" || (b.elements ?? []).length > 0);
  return [...kept, { type: "context", elements: [{ type: "plain_text", text: line.slice(0, 3000), emoji: true }] }];
}

function verifySignature(secret: string, timestamp: unknown, signature: unknown, raw: Buffer, now: number): void {
  if (typeof timestamp !== "string" || typeof signature !== "string" || !/^\d{1,12}$/.test(timestamp)) {
    throw new HttpError(401, "the request is not signed by Slack");
  }
  if (Math.abs(now / 1000 - Number(timestamp)) > MAX_SKEW_S) throw new HttpError(401, "the Slack signature is too old (more than 5 minutes)");
  if (!matchesAny(`v0=${hmacSha256Hex(secret, `v0:${timestamp}:`, raw)}`, [signature])) throw new HttpError(401, "the Slack signature does not match");
}

function readPayload(raw: Buffer): BlockActionsPayload {
  const field = new URLSearchParams(raw.toString("utf8")).get("payload");
  if (field === null) throw new HttpError(400, "no payload field in the form");
  try {
    const payload: unknown = JSON.parse(field);
    if (payload === null || typeof payload !== "object" || Array.isArray(payload)) throw new Error("not an object");
    return payload as BlockActionsPayload;
  } catch {
    throw new HttpError(400, "the payload field is not a JSON object");
  }
}


/** "@anna" (Slack's username) or the display name. */
export function presserName(user: BlockActionsPayload["user"]): string {
  return actorName(user?.username ? `@${user.username}` : user?.name || user?.id, "Slack");
}
