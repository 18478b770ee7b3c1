import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createSafeHttp } from "../../../collectors/http";
import { slackMessage } from "../../../pipeline/alerts/slack";
import { notice } from "../../pipeline/alerts/support/incident";
import { startReceiver, type Receiver } from "../../pipeline/alerts/support/receiver";
import { makeIncident, send, startTestDashboard, type TestDashboard } from "./dashboard-fixture";

/**
 * POST /slack/actions as Slack sends it: a form with one `payload` field (a
 * block_actions JSON), signed with the app's signing secret; answers go to
 * the payload's response_url, here a real server on 127.0.0.1.
 */
const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const HOUR = 3_600_000;
let d: TestDashboard;
let off: TestDashboard;
let slack: Receiver;
const http = createSafeHttp({ allowPrivateNetworks: true });

beforeAll(async () => {
  slack = await startReceiver({ status: 200, body: "ok" });
  d = await startTestDashboard({
    slack: {
      signingSecret: SIGNING_SECRET,
      lang: "pl",
      respond: async (url, body) => {
        await http.post(url, { body: JSON.stringify(body), headers: { "content-type": "application/json" } });
      },
    },
  });
  off = await startTestDashboard();
  await d.store.saveIncident(makeIncident({ key: "lumio-1406", startedAt: d.clock.now - HOUR }));
});
afterAll(async () => {
  await d.close();
  await off.close();
  await http.close();
  await slack.close();
});

/** The notice's own blocks, as Slack echoes them back in the payload's message. */
const noticeBlocks = () => slackMessage(notice({ incident: { ...notice().incident, key: "lumio-1406" } }), true).blocks;

function form(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
function signed(body: string, at = Math.floor(d.clock.now / 1000), secret = SIGNING_SECRET): Record<string, string> {
  const signature = `v0=${createHmac("sha256", secret).update(`v0:${at}:${body}`).digest("hex")}`;
  return { "content-type": "application/x-www-form-urlencoded", "x-slack-request-timestamp": String(at), "x-slack-signature": signature };
}
const press = (value: string, actionId = "earshot-ack") => ({
  type: "block_actions",
  user: { id: "U0123", username: "anna", name: "Anna" },
  actions: [{ type: "button", action_id: actionId, block_id: "b1", value, action_ts: "1795000000.0001" }],
  response_url: `${slack.base}/actions/T0/123/abc`,
  message: { blocks: noticeBlocks() },
});
/** Resolves once the response_url has had `n` requests. */
async function answered(n: number): Promise<void> {
  for (let i = 0; i < 200 && slack.received.length < n; i++) await new Promise((r) => setTimeout(r, 10));
}

describe("POST /slack/actions", () => {
  test("slackMessage() with acknowledgement in Slack sends an interactive button whose value is the incident key", () => {
    const actions = noticeBlocks().find((b) => b.type === "actions");
    expect(actions).toMatchObject({ elements: [{ action_id: "earshot-ack", value: "lumio-1406", style: "danger" }, { action_id: "earshot-open" }] });
    expect(JSON.stringify(actions)).not.toContain("/ack/");
  });

  test("a signed press acknowledges as the presser without a session or CSRF header, and the notice loses its button", async () => {
    slack.reset([]);
    const body = form(press("lumio-1406"));
    const reply = await send(d.url, "/slack/actions", { method: "POST", headers: signed(body), body });
    expect(reply.status).toBe(200);
    expect(d.acknowledgeCalls).toContainEqual({ key: "lumio-1406", by: "@anna (Slack)" });
    expect((await d.store.incident("lumio-1406"))?.acknowledgedBy).toBe("@anna (Slack)");
    await answered(1);
    expect(slack.received[0]!.url).toBe("/actions/T0/123/abc");
    const answer = JSON.parse(slack.received[0]!.raw) as { replace_original: boolean; text: string; blocks: { type: string; elements: { action_id?: string; text?: string }[] }[] };
    expect(answer.replace_original).toBe(true);
    expect(answer.text).toBe("Przyjęty: powtórki i eskalacja wstrzymane.");
    const buttons = answer.blocks.filter((b) => b.type === "actions").flatMap((b) => b.elements.map((e) => e.action_id));
    expect(buttons).toEqual(["earshot-open"]);
    expect(answer.blocks.at(-1)).toEqual({ type: "context", elements: [{ type: "plain_text", text: "✅ Przyjęty: powtórki i eskalacja wstrzymane. — @anna (Slack)", emoji: true }] });
  });

  test("a press for an incident that is not open tells only the presser", async () => {
    slack.reset([]);
    const body = form(press("nope-0000"));
    expect((await send(d.url, "/slack/actions", { method: "POST", headers: signed(body), body })).status).toBe(200);
    await answered(1);
    expect(JSON.parse(slack.received[0]!.raw)).toEqual({ response_type: "ephemeral", replace_original: false, text: "Ten incydent nie jest już otwarty." });
  });

  test("another button's interaction gets its 200 and changes nothing", async () => {
    slack.reset([]);
    const before = d.acknowledgeCalls.length;
    const body = form(press("https://earshot.example.com/", "earshot-open"));
    expect((await send(d.url, "/slack/actions", { method: "POST", headers: signed(body), body })).status).toBe(200);
    expect(d.acknowledgeCalls.length).toBe(before);
    expect(slack.received).toEqual([]);
  });

  test.each([
    ["signed with another secret", (body: string) => signed(body, undefined, "another-secret-of-the-same-size!")],
    ["signed over six minutes ago (a replay)", (body: string) => signed(body, Math.floor(d.clock.now / 1000) - 6 * 60)],
    ["not signed", () => ({ "content-type": "application/x-www-form-urlencoded" })],
  ])("a press %s is refused with 401 and acknowledges nothing", async (_case, headers) => {
    const before = d.acknowledgeCalls.length;
    const body = form(press("lumio-1406"));
    const reply = await send(d.url, "/slack/actions", { method: "POST", headers: headers(body), body });
    expect(reply.status).toBe(401);
    expect(d.acknowledgeCalls.length).toBe(before);
  });

  test("a signed body that is not a form with a JSON payload is a 400; without a signing secret the route is 404", async () => {
    const junk = "payload=%7Bnot-json";
    expect((await send(d.url, "/slack/actions", { method: "POST", headers: signed(junk), body: junk })).status).toBe(400);
    const body = form(press("lumio-1406"));
    expect((await send(off.url, "/slack/actions", { method: "POST", headers: signed(body), body })).status).toBe(404);
  });
});
