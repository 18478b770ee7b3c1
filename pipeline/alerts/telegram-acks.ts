import { setTimeout as sleep } from "node:timers/promises";
import type { SafeHttp } from "../../collectors/http";
import type { Logger } from "../../collectors/source";
import type { Incident } from "../mention";
import type { Notice } from "./notifier";
import { ackOutcome } from "./ack-outcome";
import { actorName } from "./actor-name";
import { CHANNEL_LABELS, chatAckText } from "./templates/channel-labels";

/**
 * Acknowledging an incident from Telegram itself: the notice's "Acknowledge"
 * button carries `ack:<incident key>` as callback data (telegram.ts), and this
 * reads the presses with the Bot API's long polling and acknowledges as the
 * person who pressed.
 *
 * Wire format (https://core.telegram.org/bots/api):
 *   - getUpdates {offset, timeout, allowed_updates: ["callback_query"]} →
 *     {ok, result: Update[]}; an update is confirmed by asking for offset
 *     update_id + 1 (#getupdates). It fails with 409 while the bot has a
 *     webhook set: a bot acknowledges either here or through its webhook.
 *   - a CallbackQuery has id, from (User: id, first_name, last_name?,
 *     username?), message (chat.id, message_id, reply_markup) and data
 *     (#callbackquery);
 *   - answerCallbackQuery {callback_query_id, text ≤200} must be sent for
 *     every press, or the button keeps spinning (#answercallbackquery);
 *   - editMessageReplyMarkup {chat_id, message_id, reply_markup} takes the
 *     Acknowledge button off the notice once it worked (#editmessagereplymarkup).
 *
 * Only presses in the configured chats count (anyone can add a bot to a chat
 * of their own and forward it a notice). The presser's name is untrusted text
 * and is clipped; what reads it (timeline, notices) escapes it as any text.
 */
export interface TelegramAckOptions {
  token: string;
  /** The chats whose presses count: ids ("-100…", "12345") or "@channelname". */
  chatIds: readonly string[];
  /** Language of the answers shown to the presser. */
  lang: Notice["lang"];
  baseUrl?: string;
  /** Seconds a getUpdates call waits for a press (long polling). */
  longPollSeconds?: number;
}

export interface TelegramAcks {
  stop(): Promise<void>;
}

/** The callback data of an Acknowledge button (≤64 bytes, or the button opens the signed link instead). */
export const ackCallbackData = (key: string): string | null => {
  const data = `ack:${key}`;
  return Buffer.byteLength(data, "utf8") <= 64 ? data : null;
};

interface TelegramUser {
  id: number;
  first_name?: string;
  last_name?: string;
  username?: string;
}
interface InlineButton {
  text: string;
  url?: string;
  callback_data?: string;
}
interface CallbackQuery {
  id: string;
  from: TelegramUser;
  data?: string;
  message?: { message_id: number; chat: { id: number; username?: string }; reply_markup?: { inline_keyboard?: InlineButton[][] } };
}
interface Update {
  update_id: number;
  callback_query?: CallbackQuery;
}

const ERROR_PAUSE_MS = 5_000;
const CONFLICT_PAUSE_MS = 60_000;

/** Starts reading button presses; `stop()` ends the current long poll at once. */
export function startTelegramAcks(
  options: TelegramAckOptions,
  http: SafeHttp,
  acknowledge: (key: string, by: string) => Promise<Incident | null>,
  log: Logger,
): TelegramAcks {
  const base = `${(options.baseUrl ?? "https://api.telegram.org").replace(/\/+$/, "")}/bot${options.token}`;
  const scrub = (text: string) => (options.token === "" ? text : text.split(options.token).join("…"));
  const longPoll = options.longPollSeconds ?? 25;
  const stopping = new AbortController();
  const call = async (method: string, body: unknown, timeoutMs = 15_000): Promise<{ status: number; answer: { ok?: boolean; result?: unknown; description?: string } | null }> => {
    const res = await http.post(`${base}/${method}`, {
      body: JSON.stringify(body),
      headers: { "content-type": "application/json; charset=utf-8", accept: "application/json" },
      signal: stopping.signal,
      timeoutMs,
      maxBytes: 1 << 20,
    });
    let answer = null;
    try {
      answer = JSON.parse(res.text) as { ok?: boolean; result?: unknown; description?: string };
    } catch {
      // not JSON: judged by the status below
    }
    return { status: res.status, answer };
  };

  const handle = async (press: CallbackQuery): Promise<void> => {
    const labels = CHANNEL_LABELS[options.lang].chatAck;
    const chat = press.message?.chat;
    const inChat = chat !== undefined && options.chatIds.some((id) => id === String(chat.id) || (chat.username !== undefined && id === `@${chat.username}`));
    const key = press.data?.startsWith("ack:") ? press.data.slice(4) : null;
    if (!inChat || key === null) {
      await call("answerCallbackQuery", { callback_query_id: press.id, text: labels.notHere });
      return;
    }
    const by = presserName(press.from);
    const incident = await acknowledge(key, by);
    const text = chatAckText(options.lang, ackOutcome(incident, by));
    await call("answerCallbackQuery", { callback_query_id: press.id, text: text.slice(0, 200) });
    if (incident !== null && press.message !== undefined) {
      // The notice keeps its other buttons (the dashboard link); the spent one goes.
      const keyboard = (press.message.reply_markup?.inline_keyboard ?? []).map((row) => row.filter((b) => !b.callback_data?.startsWith("ack:"))).filter((row) => row.length > 0);
      await call("editMessageReplyMarkup", { chat_id: chat!.id, message_id: press.message.message_id, reply_markup: { inline_keyboard: keyboard } });
    }
    log.info({ incident: key, by }, "incident acknowledged from Telegram");
  };

  const loop = async (): Promise<void> => {
    let offset = 0;
    while (!stopping.signal.aborted) {
      let pause = 0;
      try {
        const { status, answer } = await call("getUpdates", { offset, timeout: longPoll, allowed_updates: ["callback_query"] }, (longPoll + 10) * 1000);
        if (status === 409) {
          log.error({ status }, "Telegram acknowledgements: the bot has a webhook set; getUpdates cannot read presses until it is removed (deleteWebhook)");
          pause = CONFLICT_PAUSE_MS;
        } else if (answer?.ok !== true || !Array.isArray(answer.result)) {
          log.warn({ status, description: scrub(String(answer?.description ?? "")) }, "Telegram getUpdates refused; trying again");
          pause = ERROR_PAUSE_MS;
        } else {
          for (const update of answer.result as Update[]) {
            offset = Math.max(offset, update.update_id + 1);
            if (update.callback_query === undefined) continue;
            await handle(update.callback_query).catch((err: unknown) => {
              log.warn({ err: scrubError(err, scrub) }, "a Telegram button press was not handled");
            });
          }
        }
      } catch (err) {
        if (stopping.signal.aborted) break;
        log.warn({ err: scrubError(err, scrub) }, "Telegram getUpdates failed; trying again");
        pause = ERROR_PAUSE_MS;
      }
      if (pause > 0) await sleep(pause, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  };
  const running = loop();
  return {
    async stop() {
      stopping.abort();
      await running;
    },
  };
}

/** "@anna" when the presser has a username, else their name. */
export function presserName(user: TelegramUser): string {
  return actorName(user.username ? `@${user.username}` : [user.first_name, user.last_name].filter(Boolean).join(" ") || `user ${user.id}`, "Telegram");
}

/** The token sits in the URL path: an error that repeats the URL must not carry it into the log. */
function scrubError(err: unknown, scrub: (text: string) => string): string {
  return scrub(err instanceof Error ? err.message : String(err));
}
