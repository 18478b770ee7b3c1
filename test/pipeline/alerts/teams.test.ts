import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createSafeHttp, type SafeHttp } from "../../../collectors/http";
import { isNotifierError, type NotifierError } from "../../../pipeline/errors";
import { teamsMessage, teamsNotifier } from "../../../pipeline/alerts/teams";
import { HOSTILE, notice } from "./support/incident";
import { startReceiver, type Receiver } from "./support/receiver";

let teams: Receiver;
let http: SafeHttp;
// the shape of a Workflows trigger URL: the signature is in the query
const PATH = "/workflows/0a1b2c3d/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers&sv=1.0&sig=SIGsecret987";

beforeAll(async () => {
  teams = await startReceiver({ status: 202, body: "" });
  http = createSafeHttp({ allowPrivateNetworks: true });
});
afterAll(async () => {
  await http.close();
  await teams.close();
});

async function failure(send: Promise<unknown>): Promise<NotifierError> {
  const err = await send.then(() => null, (e: unknown) => e);
  if (!isNotifierError(err)) throw new Error(`expected a NotifierError, got ${String(err)}`);
  return err;
}

describe("teamsNotifier()", () => {
  test("send() POSTs a message with one Adaptive Card 1.4 attachment and takes 202 as delivered", async () => {
    teams.reset([]);
    const n = notice({ lang: "pl" });
    expect(await teamsNotifier({ url: `${teams.base}${PATH}` }, http).send(n, AbortSignal.timeout(2_000))).toEqual({ httpStatus: 202 });
    const [hit] = teams.received;
    expect(hit!.url).toBe(PATH);
    expect(hit!.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(JSON.parse(hit!.raw)).toEqual({
      type: "message",
      attachments: [
        {
          contentType: "application/vnd.microsoft.card.adaptive",
          contentUrl: null,
          content: {
            $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
            type: "AdaptiveCard",
            version: "1.4",
            body: [
              {
                type: "RichTextBlock",
                inlines: [{ type: "TextRun", text: "🔴 Fala negatywnych wzmianek: Lumio", size: "Large", weight: "Bolder", color: "Attention" }],
              },
              { type: "RichTextBlock", inlines: [{ type: "TextRun", text: n.text }] },
              {
                type: "FactSet",
                facts: [
                  { title: "Incydent", value: "lumio-20261123T1406" },
                  { title: "Szczyt na minutę", value: "34" },
                  { title: "Zwykle", value: "1" },
                ],
              },
              {
                type: "RichTextBlock",
                inlines: [{ type: "TextRun", text: "krytyczny · Earshot, monitoring mediów społecznościowych", isSubtle: true }],
                spacing: "Small",
              },
            ],
            actions: [
              { type: "Action.OpenUrl", title: "Przyjmij", url: n.ackLink, style: "destructive" },
              { type: "Action.OpenUrl", title: "Otwórz panel", url: n.link, style: "positive" },
            ],
            msteams: { width: "Full" },
          },
        },
      ],
    });
  });

  test("send() takes a classic webhook's 200 \"1\" as delivered", async () => {
    teams.reset([{ status: 200, body: "1" }]);
    expect(await teamsNotifier({ url: `${teams.base}/webhookb2/abc@def/IncomingWebhook/0123456789/key` }, http).send(notice(), AbortSignal.timeout(2_000))).toEqual({
      httpStatus: 200,
    });
  });

  test("send() reads a 200 that reports a throttled endpoint as a retryable failure", async () => {
    teams.reset([{ status: 200, body: "Microsoft Teams endpoint returned HTTP error 429 with ContextId tcid=0,server=msgapi,cv=x" }]);
    const err = await failure(teamsNotifier({ url: `${teams.base}${PATH}` }, http).send(notice(), AbortSignal.timeout(2_000)));
    expect(err.retryable).toBe(true);
  });

  test.each([400, 401, 404, 413])("send() gives up on HTTP %i", async (status) => {
    teams.reset([{ status, body: `{"error":{"code":"TriggerInputSchemaMismatch","message":"bad card"}}` }]);
    const err = await failure(teamsNotifier({ url: `${teams.base}${PATH}` }, http).send(notice(), AbortSignal.timeout(2_000)));
    expect([err.retryable, err.httpStatus]).toEqual([false, status]);
    expect(err.message).not.toContain("SIGsecret987");
  });

  test.each([429, 502])("send() retries HTTP %i", async (status) => {
    teams.reset([{ status }]);
    const err = await failure(teamsNotifier({ url: `${teams.base}${PATH}` }, http).send(notice(), AbortSignal.timeout(2_000)));
    expect(err.retryable).toBe(true);
  });

  test("target shows neither the signed query nor the path", () => {
    expect(teamsNotifier({ url: `https://prod-01.westeurope.logic.azure.com:443${PATH}` }, http).target).toBe(
      "https://prod-01.westeurope.logic.azure.com/workflows/…",
    );
  });
});

describe("teamsMessage()", () => {
  test("teamsMessage() puts mention text in a TextRun, where markdown and HTML stay literal", () => {
    const card = teamsMessage(notice({ text: HOSTILE })).attachments[0].content;
    expect(card.body[1]).toEqual({ type: "RichTextBlock", inlines: [{ type: "TextRun", text: HOSTILE }] });
    expect(card.body.some((e) => (e as { type: string }).type === "TextBlock")).toBe(false);
  });

  test("teamsMessage() shows no buttons when there are no links, and no acknowledge once resolved", () => {
    expect(teamsMessage(notice({ link: null, ackLink: null })).attachments[0].content.actions).toEqual([]);
    const resolved = teamsMessage(notice({ event: "resolved", lang: "ru" })).attachments[0].content;
    expect(resolved.actions.map((a) => a.title)).toEqual(["Открыть панель"]);
    expect(resolved.body[0]).toMatchObject({ inlines: [{ text: "🟢 Завершён: Lumio", color: "Good" }] });
  });
});
