import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createSafeHttp, type SafeHttp } from "../../../collectors/http";
import { isNotifierError, type NotifierError } from "../../../pipeline/errors";
import { isRetryLaterError } from "../../../pipeline/alerts/http-reply";
import { slackMessage, slackNotifier } from "../../../pipeline/alerts/slack";
import { HOSTILE, notice, spike } from "./support/incident";
import { startReceiver, type Receiver } from "./support/receiver";

let hook: Receiver;
let http: SafeHttp;
const PATH = "/services/T0001/B0002/SECRETtoken123";

beforeAll(async () => {
  hook = await startReceiver({ status: 200, body: "ok" });
  http = createSafeHttp({ allowPrivateNetworks: true });
});
afterAll(async () => {
  await http.close();
  await hook.close();
});

async function failure(send: Promise<unknown>): Promise<NotifierError> {
  const err = await send.then(() => null, (e: unknown) => e);
  if (!isNotifierError(err)) throw new Error(`expected a NotifierError, got ${String(err)}`);
  return err;
}

describe("slackNotifier()", () => {
  test("send() POSTs the Block Kit message as JSON to the webhook URL", async () => {
    hook.reset([]);
    const slack = slackNotifier({ url: `${hook.base}${PATH}` }, http);
    expect(await slack.send(notice(), AbortSignal.timeout(2_000))).toEqual({ httpStatus: 200 });
    const [hit] = hook.received;
    expect(hit!.method).toBe("POST");
    expect(hit!.url).toBe(PATH);
    expect(hit!.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(JSON.parse(hit!.raw)).toEqual({
      text: notice().text,
      blocks: [
        { type: "header", text: { type: "plain_text", text: "🔴 Negative spike: Lumio", emoji: true } },
        { type: "section", text: { type: "mrkdwn", text: notice().text } },
        { type: "section", fields: [{ type: "mrkdwn", text: "*Peak a minute*\n34" }, { type: "mrkdwn", text: "*Usual*\n1" }] },
        { type: "context", elements: [{ type: "mrkdwn", text: "Incident `lumio-20261123T1406` · critical · Earshot, social listening" }] },
        {
          type: "actions",
          elements: [
            { type: "button", text: { type: "plain_text", text: "Acknowledge" }, url: notice().ackLink, action_id: "earshot-ack", style: "danger" },
            { type: "button", text: { type: "plain_text", text: "Open dashboard" }, url: notice().link, action_id: "earshot-open", style: "primary" },
          ],
        },
      ],
    });
  });

  test("target hides the token in the webhook path", () => {
    const slack = slackNotifier({ url: `https://hooks.slack.com${PATH}` }, http);
    expect(slack.target).toBe("https://hooks.slack.com/services/…");
  });

  test.each([
    [400, "invalid_payload"],
    [400, "no_text"],
    [403, "action_prohibited"],
    [404, "channel_not_found"],
    [410, "channel_is_archived"],
  ])("send() gives up on HTTP %i %s and names the reason", async (status, body) => {
    hook.reset([{ status, body }]);
    const slack = slackNotifier({ url: `${hook.base}${PATH}` }, http);
    const err = await failure(slack.send(notice(), AbortSignal.timeout(2_000)));
    expect(err.retryable).toBe(false);
    expect(err.httpStatus).toBe(status);
    expect(err.message).toContain(body);
    expect(err.message).not.toContain("SECRETtoken123");
  });

  test("send() retries a 429 after the Retry-After it was given", async () => {
    hook.reset([{ status: 429, body: "rate_limited", headers: { "retry-after": "7" } }]);
    const err = await failure(slackNotifier({ url: `${hook.base}${PATH}` }, http).send(notice(), AbortSignal.timeout(2_000)));
    expect(err.retryable).toBe(true);
    expect(isRetryLaterError(err) && err.retryAfterMs).toBe(7_000);
  });

  test("send() retries a 500", async () => {
    hook.reset([{ status: 500, body: "" }]);
    const err = await failure(slackNotifier({ url: `${hook.base}${PATH}` }, http).send(notice(), AbortSignal.timeout(2_000)));
    expect([err.retryable, err.httpStatus]).toEqual([true, 500]);
  });

  test("send() is refused on a loopback URL without the allowance, and the error keeps the token out", async () => {
    hook.reset([]);
    const guarded = createSafeHttp();
    const err = await failure(slackNotifier({ url: `${hook.base}${PATH}` }, guarded).send(notice(), AbortSignal.timeout(2_000)));
    expect(err.message).toMatch(/refused|private|loopback/i);
    expect(err.message).not.toContain("SECRETtoken123");
    expect(hook.received).toEqual([]);
    await guarded.close();
  });
});

describe("slackMessage()", () => {
  test("slackMessage() escapes mention text so it cannot ping @channel or hide a link", () => {
    const m = slackMessage(notice({ text: HOSTILE }));
    const section = m.blocks[1] as { text: { text: string } };
    expect(section.text.text).toBe(
      `&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!channel&gt; &lt;http://evil.example|click&gt; *bold* [x](http://evil.example) "q" 'a'`,
    );
    expect(m.text).not.toMatch(/<|>/);
  });

  test("slackMessage() speaks Polish and Russian and drops the acknowledge button once acknowledged", () => {
    const pl = slackMessage(notice({ lang: "pl", event: "acknowledged", incident: { ...spike, acknowledgedBy: "ola" } }));
    expect(pl.blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: "🟡 Przyjęty: Lumio", emoji: true } });
    const actions = pl.blocks.at(-1) as { type: string; elements: { text: { text: string } }[] };
    expect(actions.elements.map((b) => b.text.text)).toEqual(["Otwórz panel"]);
    const ru = slackMessage(notice({ lang: "ru" }));
    expect(ru.blocks[0]).toMatchObject({ text: { text: "🔴 Всплеск негатива: Lumio" } });
    expect((ru.blocks.at(-1) as { elements: { text: { text: string } }[] }).elements.map((b) => b.text.text)).toEqual(["Принять", "Открыть панель"]);
  });

  test("slackMessage() leaves out the actions block when there are no links", () => {
    const m = slackMessage(notice({ link: null, ackLink: null }));
    expect(m.blocks.map((b) => b.type)).toEqual(["header", "section", "section", "context"]);
  });

  test("slackMessage() keeps the header within Slack's 150 characters", () => {
    const m = slackMessage(notice({ incident: { ...spike, brand: "B".repeat(400) } }));
    expect(Array.from((m.blocks[0] as { text: { text: string } }).text.text)).toHaveLength(150);
  });
});
