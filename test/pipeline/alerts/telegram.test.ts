import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createSafeHttp, type SafeHttp } from "../../../collectors/http";
import { isNotifierError, type NotifierError } from "../../../pipeline/errors";
import { isRetryLaterError } from "../../../pipeline/alerts/http-reply";
import { telegramMessage, telegramNotifier } from "../../../pipeline/alerts/telegram";
import { notice, spike } from "./support/incident";
import { startReceiver, type Receiver } from "./support/receiver";

let api: Receiver;
let http: SafeHttp;
const TOKEN = "123456789:AAHsecretBotToken_xyz";
const SENT = JSON.stringify({ ok: true, result: { message_id: 42, chat: { id: -1001 }, date: 1795000000, text: "…" } });

beforeAll(async () => {
  api = await startReceiver({ status: 200, body: SENT, headers: { "content-type": "application/json" } });
  http = createSafeHttp({ allowPrivateNetworks: true });
});
afterAll(async () => {
  await http.close();
  await api.close();
});

async function failure(send: Promise<unknown>): Promise<NotifierError> {
  const err = await send.then(() => null, (e: unknown) => e);
  if (!isNotifierError(err)) throw new Error(`expected a NotifierError, got ${String(err)}`);
  return err;
}
const bot = () => telegramNotifier({ token: TOKEN, chatId: "-1001234567890", baseUrl: api.base }, http);

describe("telegramNotifier()", () => {
  test("send() POSTs sendMessage with HTML text and Acknowledge and Open URL buttons", async () => {
    api.reset([]);
    const n = notice({ lang: "ru", text: "🔴 Lumio: резкий рост <негатива> & жалоб" });
    expect(await bot().send(n, AbortSignal.timeout(2_000))).toEqual({ httpStatus: 200 });
    const [hit] = api.received;
    expect(hit!.url).toBe(`/bot${TOKEN}/sendMessage`);
    expect(hit!.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(JSON.parse(hit!.raw)).toEqual({
      chat_id: "-1001234567890",
      text: "<b>🔴 Всплеск негатива: Lumio</b>\n🔴 Lumio: резкий рост &lt;негатива&gt; &amp; жалоб\n<i>Инцидент lumio-20261123T1406 · критичный</i>",
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      reply_markup: { inline_keyboard: [[{ text: "✅ Принять", url: n.ackLink }, { text: "Открыть панель", url: n.link }]] },
    });
  });

  test("send() retries a flood limit after parameters.retry_after seconds", async () => {
    api.reset([
      {
        status: 429,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ok: false, error_code: 429, description: "Too Many Requests: retry after 17", parameters: { retry_after: 17 } }),
      },
    ]);
    const err = await failure(bot().send(notice(), AbortSignal.timeout(2_000)));
    expect(err.retryable).toBe(true);
    expect(isRetryLaterError(err) && err.retryAfterMs).toBe(17_000);
    expect(err.message).toContain("Too Many Requests");
  });

  test.each([
    [400, "Bad Request: chat not found"],
    [400, "Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 3"],
    [401, "Unauthorized"],
    [403, "Forbidden: bot was blocked by the user"],
  ])("send() gives up on error_code %i (%s)", async (code, description) => {
    api.reset([{ status: code, body: JSON.stringify({ ok: false, error_code: code, description }) }]);
    const err = await failure(bot().send(notice(), AbortSignal.timeout(2_000)));
    expect([err.retryable, err.httpStatus]).toEqual([false, code]);
    expect(err.message).toContain(description);
  });

  test("send() retries a 502 from the Bot API", async () => {
    api.reset([{ status: 502, body: "<html>Bad Gateway</html>" }]);
    const err = await failure(bot().send(notice(), AbortSignal.timeout(2_000)));
    expect(err.retryable).toBe(true);
  });

  test("the bot token appears neither in target nor in a transport error", async () => {
    api.reset([]);
    const guarded = createSafeHttp();
    const blocked = telegramNotifier({ token: TOKEN, chatId: "@lumio_oncall", baseUrl: api.base }, guarded);
    expect(blocked.target).toBe(`${api.base}/bot…/sendMessage#@lumio_oncall`);
    const err = await failure(blocked.send(notice(), AbortSignal.timeout(2_000)));
    expect(err.message).toMatch(/refused|private|loopback/i);
    expect(err.message).not.toContain(TOKEN);
    expect(err.message).not.toContain("AAHsecretBotToken");
    expect(api.received).toEqual([]);
    await guarded.close();
  });
});

describe("telegramMessage()", () => {
  test("telegramMessage() escapes <, > and & in every line and offers only Open once resolved", () => {
    const m = telegramMessage("1", notice({ event: "resolved", incident: { ...spike, brand: "A<b>&C" }, text: "<i>x</i>" }));
    expect(m.text).toBe("<b>🟢 Resolved: A&lt;b&gt;&amp;C</b>\n&lt;i&gt;x&lt;/i&gt;\n<i>Incident lumio-20261123T1406 · critical</i>");
    expect(m.reply_markup).toEqual({ inline_keyboard: [[{ text: "Open dashboard", url: notice().link }]] });
  });

  test("telegramMessage() has no keyboard without links and stays within 4096 characters", () => {
    const m = telegramMessage("1", notice({ link: null, ackLink: null, text: "&".repeat(10_000) }));
    expect(m.reply_markup).toBeUndefined();
    // the limit counts characters after entity parsing: every &amp; is one
    expect(m.text.replace(/&amp;/g, "&").replace(/<\/?[bi]>/g, "").length).toBeLessThanOrEqual(4096);
  });
});
