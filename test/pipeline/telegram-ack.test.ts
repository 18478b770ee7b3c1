import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadConfig } from "../../pipeline/config/load";
import type { RootLogger } from "../../pipeline/log";
import { startEarshot, type Running } from "../../pipeline/main";
import { startBotApi, type BotApi } from "./alerts/support/bot-api";
import { tempDirs } from "../support/temp-dir";

/**
 * The whole loop through Earshot as it starts: the demo outage fires an
 * incident, the Telegram contact (a Bot API server on 127.0.0.1) gets the
 * notice with an in-chat Acknowledge button, someone presses it, and the
 * incident is acknowledged as them — which the same chat hears as the
 * "acknowledged" notice.
 */
const TOKEN = "123456789:AAHsecretBotToken_xyz";
const CHAT = -1001234567890;
const dirs = tempDirs();
const silent: RootLogger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
let bot: BotApi;
let running: Running;

beforeAll(async () => {
  bot = await startBotApi(TOKEN);
  const work = dirs.make("earshot-telegram-ack-");
  const configFile = join(work, "earshot.config.json");
  writeFileSync(
    configFile,
    JSON.stringify({
      store: { kind: "embedded", dataDir: join(work, "data") },
      dashboard: { port: 0 },
      sources: [{ kind: "demo", speed: 4 }],
      spikes: { keepFiringMinutes: 1_440 },
      alerts: { channels: [{ channel: "telegram", chatId: String(CHAT), acknowledgeInChat: true, baseUrl: bot.base, lang: "pl" }] },
      http: { allowPrivateNetworks: true },
      log: { level: "silent" },
    }),
  );
  running = await startEarshot(loadConfig(configFile, { EARSHOT_TELEGRAM_BOT_TOKEN: TOKEN, EARSHOT_ADMIN_PASSWORD: "telegram-ack-pass" }), { log: silent, staticDir: work });
}, 60_000);
afterAll(async () => {
  await running?.stop();
  await bot?.close();
}, 60_000);

type Keyboard = { inline_keyboard: { text: string; callback_data?: string; url?: string }[][] };

describe("acknowledging inside Telegram, end to end", () => {
  test("a press on the notice's button acknowledges the incident as the presser, and the chat hears it", async () => {
    await bot.waitFor("sendMessage", 1);
    const firing = bot.calls.find((c) => c.method === "sendMessage")!.body;
    expect(firing.chat_id).toBe(String(CHAT));
    const button = (firing.reply_markup as Keyboard).inline_keyboard.flat().find((b) => b.callback_data?.startsWith("ack:"));
    expect(button?.text).toBe("✅ Przyjmij");
    const key = button!.callback_data!.slice("ack:".length);

    bot.push({
      update_id: 1,
      callback_query: {
        id: "cq1",
        from: { id: 7, first_name: "Anna", username: "anna_pr" },
        data: button!.callback_data,
        message: { message_id: 1, chat: { id: CHAT, type: "supergroup" }, reply_markup: firing.reply_markup },
      },
    });
    await bot.waitFor("answerCallbackQuery", 1);
    expect(bot.calls.find((c) => c.method === "answerCallbackQuery")!.body).toEqual({
      callback_query_id: "cq1",
      text: "Przyjęty: powtórki i eskalacja wstrzymane.",
    });
    // The acknowledgement is a notice of its own to the same chat.
    await bot.waitFor("sendMessage", 2);
    const acknowledged = bot.calls.filter((c) => c.method === "sendMessage")[1]!.body;
    expect(String(acknowledged.text)).toContain(key);
    expect(String(acknowledged.text)).toContain("🟡");
    expect(String(acknowledged.text)).toContain("@anna_pr (Telegram)");
  }, 90_000);
});
