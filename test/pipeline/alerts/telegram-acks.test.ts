import { afterEach, describe, expect, test } from "vitest";
import { createSafeHttp } from "../../../collectors/http";
import { ackCallbackData, presserName, startTelegramAcks } from "../../../pipeline/alerts/telegram-acks";
import { telegramMessage } from "../../../pipeline/alerts/telegram";
import { IncidentDesk } from "../../../pipeline/incidents/incident-desk";
import { bookFromStored } from "../../../pipeline/incidents/lifecycle";
import type { Incident } from "../../../pipeline/mention";
import { startBotApi } from "./support/bot-api";
import { notice, spike } from "./support/incident";

const TOKEN = "123456789:AAHsecretBotToken_xyz";
const CHAT = -1001234567890;

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const press = (updateId: number, data: string, chat = CHAT, from: Record<string, unknown> = { id: 7, first_name: "Anna", username: "anna_pr" }) => ({
  update_id: updateId,
  callback_query: {
    id: `cq${updateId}`,
    from,
    data,
    message: {
      message_id: 501,
      chat: { id: chat, type: "supergroup" },
      reply_markup: { inline_keyboard: [[{ text: "✅ Acknowledge", callback_data: data }, { text: "Open dashboard", url: "https://earshot.example.com/" }]] },
    },
  },
});

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function setup(options: { getUpdatesStatus?: number; lang?: "en" | "pl" | "ru" } = {}) {
  const api = await startBotApi(TOKEN, options);
  const http = createSafeHttp({ allowPrivateNetworks: true });
  const desk = new IncidentDesk(bookFromStored([spike]), { keepFiringMinutes: 15 });
  const acknowledged: string[] = [];
  const acknowledge = async (key: string, by: string): Promise<Incident | null> => {
    acknowledged.push(`${key} by ${by}`);
    const changes = desk.apply({ type: "acknowledge", key, by, wallNow: spike.updatedAt + 60_000 });
    return changes[0]?.incident ?? desk.open(key);
  };
  const errors: string[] = [];
  const log = { ...silent, error: (_: object, msg?: string) => void errors.push(msg ?? "") };
  const acks = startTelegramAcks({ token: TOKEN, chatIds: [String(CHAT)], lang: options.lang ?? "en", baseUrl: api.base, longPollSeconds: 1 }, http, acknowledge, log);
  cleanup.push(
    () => acks.stop(),
    () => http.close(),
    () => api.close(),
  );
  return { api, desk, acknowledged, errors };
}

describe("startTelegramAcks()", () => {
  test("a press of Acknowledge in the notice's chat acknowledges as the presser, answers them and takes the button off", async () => {
    const { api, desk, acknowledged } = await setup();
    api.push(press(100, `ack:${spike.key}`));
    await api.waitFor("editMessageReplyMarkup", 1);
    expect(acknowledged).toEqual([`${spike.key} by @anna_pr (Telegram)`]);
    expect(desk.open(spike.key)).toMatchObject({ state: "acknowledged", acknowledgedBy: "@anna_pr (Telegram)" });
    const getUpdates = api.calls.find((c) => c.method === "getUpdates")!;
    expect(getUpdates.body).toEqual({ offset: 0, timeout: 1, allowed_updates: ["callback_query"] });
    expect(api.calls.find((c) => c.method === "answerCallbackQuery")!.body).toEqual({
      callback_query_id: "cq100",
      text: "Acknowledged: repeats and escalation stop.",
    });
    expect(api.calls.find((c) => c.method === "editMessageReplyMarkup")!.body).toEqual({
      chat_id: CHAT,
      message_id: 501,
      reply_markup: { inline_keyboard: [[{ text: "Open dashboard", url: "https://earshot.example.com/" }]] },
    });
    // The update is confirmed: the next getUpdates asks from the one after it.
    await api.waitFor("getUpdates", 2);
    expect(api.calls.filter((c) => c.method === "getUpdates")[1]!.body.offset).toBe(101);
  });

  test("a second press tells the presser who acknowledged first, in the contact's language", async () => {
    const { api, desk } = await setup({ lang: "pl" });
    api.push(press(1, `ack:${spike.key}`));
    api.push(press(2, `ack:${spike.key}`, CHAT, { id: 8, first_name: "Олег", last_name: "К." }));
    await api.waitFor("answerCallbackQuery", 2);
    const answers = api.calls.filter((c) => c.method === "answerCallbackQuery").map((c) => c.body.text);
    expect(answers).toEqual(["Przyjęty: powtórki i eskalacja wstrzymane.", "Już przyjęty przez @anna_pr (Telegram)."]);
    expect(desk.open(spike.key)?.acknowledgedBy).toBe("@anna_pr (Telegram)");
  });

  test("a press from another chat, with other data or for an unknown incident acknowledges nothing and still gets an answer", async () => {
    const { api, acknowledged, desk } = await setup({ lang: "ru" });
    api.push(press(10, `ack:${spike.key}`, -100999)); // the notice forwarded to a chat of someone's own
    api.push(press(11, "rm -rf /"));
    api.push(press(12, "ack:nope-20260101T0000"));
    await api.waitFor("answerCallbackQuery", 3);
    const answers = api.calls.filter((c) => c.method === "answerCallbackQuery").map((c) => [c.body.callback_query_id, c.body.text]);
    expect(answers).toEqual([
      ["cq10", "Эта кнопка работает только в чате, куда пришло уведомление."],
      ["cq11", "Эта кнопка работает только в чате, куда пришло уведомление."],
      ["cq12", "Этот инцидент уже закрыт."],
    ]);
    expect(acknowledged).toEqual(["nope-20260101T0000 by @anna_pr (Telegram)"]);
    expect(desk.open(spike.key)?.state).toBe("firing");
  });

  test("a bot with a webhook set (getUpdates 409) is reported as such and asked again later, not hammered", async () => {
    const { api, errors } = await setup({ getUpdatesStatus: 409 });
    await api.waitFor("getUpdates", 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(errors).toEqual([expect.stringContaining("webhook")]);
    expect(api.calls.filter((c) => c.method === "getUpdates")).toHaveLength(1);
  });
});

describe("the Acknowledge button", () => {
  test("telegramMessage() with acknowledgement in chat sends callback data instead of the signed link", () => {
    const n = notice();
    const keyboard = telegramMessage("-1001", n, true).reply_markup?.inline_keyboard;
    expect(keyboard).toEqual([[{ text: "✅ Acknowledge", callback_data: `ack:${spike.key}` }, { text: "Open dashboard", url: n.link }]]);
    // Resolved and acknowledged notices have no Acknowledge button at all.
    expect(telegramMessage("-1001", notice({ event: "resolved" }), true).reply_markup?.inline_keyboard).toEqual([[{ text: "Open dashboard", url: n.link }]]);
  });

  test("ackCallbackData() keeps within Telegram's 64 bytes, else the button falls back to the link", () => {
    expect(ackCallbackData("lumio-20261123T1406")).toBe("ack:lumio-20261123T1406");
    const long = `${"ż".repeat(40)}-20261123T1406`;
    expect(ackCallbackData(long)).toBeNull();
    const n = notice({ incident: { ...spike, key: long } });
    expect(telegramMessage("-1001", n, true).reply_markup?.inline_keyboard[0]![0]).toEqual({ text: "✅ Acknowledge", url: n.ackLink });
  });

  test("presserName() prefers the username, strips control characters and clips", () => {
    expect(presserName({ id: 1, first_name: "Anna", username: "anna_pr" })).toBe("@anna_pr (Telegram)");
    expect(presserName({ id: 2, first_name: "Олег\u0007", last_name: "Кузнецов" })).toBe("Олег Кузнецов (Telegram)");
    expect(presserName({ id: 3 })).toBe("user 3 (Telegram)");
    expect(presserName({ id: 4, first_name: "x".repeat(500) })).toHaveLength(64 + " (Telegram)".length);
  });
});
