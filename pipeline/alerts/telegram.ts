import type { SafeHttp } from "../../collectors/http";
import { NotifierError } from "../errors";
import { clip, escapeTelegramHtml } from "./escape";
import { excerpt, isRetryableStatus, postJson, RetryLaterError } from "./http-reply";
import type { Delivery, Notice, Notifier } from "./notifier";
import { ackCallbackData } from "./telegram-acks";
import { CHANNEL_LABELS, EVENT_MARK, noticeTitle } from "./templates/channel-labels";

export const CHANNEL = "telegram";
export const TELEGRAM_API = "https://api.telegram.org";

export interface TelegramOptions {
  /** From BotFather; a secret (EARSHOT_TELEGRAM_BOT_TOKEN), never shown in `target` or errors. */
  token: string;
  /** A user, group or channel id (e.g. -1001234567890) or @channelusername. */
  chatId: string;
  /** Default https://api.telegram.org; a local Bot API server or a test server otherwise. */
  baseUrl?: string;
  /**
   * The Acknowledge button works inside Telegram (callback data read by
   * telegram-acks.ts) instead of opening the signed acknowledge link.
   */
  acknowledgeInChat?: boolean;
}

/**
 * Telegram Bot API sendMessage (https://core.telegram.org/bots/api#sendmessage):
 * POST <base>/bot<token>/sendMessage with chat_id, text (≤4096 characters
 * after entity parsing), parse_mode "HTML" (https://core.telegram.org/bots/api#html-style)
 * and an inline keyboard (InlineKeyboardButton: `url` opens a link,
 * `callback_data` reaches the bot, see telegram-acks.ts).
 *
 * Every answer is `{ ok, result }` or `{ ok: false, error_code, description,
 * parameters? }` (https://core.telegram.org/bots/api#making-requests);
 * a flood limit is error_code 429 with `parameters.retry_after` seconds
 * (https://core.telegram.org/bots/api#responseparameters), which we honour.
 */
export function telegramNotifier(options: TelegramOptions, http: SafeHttp): Notifier {
  const base = (options.baseUrl ?? TELEGRAM_API).replace(/\/+$/, "");
  const url = `${base}/bot${options.token}/sendMessage`;
  const target = `${base}/bot…/sendMessage#${options.chatId}`;
  // the token sits in the URL path, so every message that might repeat the URL is scrubbed
  const scrub = (text: string) => (options.token === "" ? text : text.split(options.token).join("…"));
  return {
    channel: CHANNEL,
    target,
    async send(notice: Notice, signal: AbortSignal): Promise<Delivery> {
      const res = await postJson(CHANNEL, http, url, target, { json: telegramMessage(options.chatId, notice, options.acknowledgeInChat ?? false), signal }, scrub);
      const answer = readAnswer(res.text);
      if (res.status >= 200 && res.status < 300 && answer?.ok !== false) return { httpStatus: res.status };
      const code = answer?.error_code ?? res.status;
      const why = scrub(answer?.description ?? excerpt(res.text));
      const message = `sendMessage to ${options.chatId} failed: ${code}${why ? ` ${why}` : ""}`;
      const retryAfter = answer?.parameters?.retry_after;
      if (code === 429 && typeof retryAfter === "number") throw new RetryLaterError(CHANNEL, message, retryAfter * 1000, res.status);
      throw new NotifierError(CHANNEL, message, isRetryableStatus(code), res.status);
    },
  };
}

export interface TelegramMessage {
  chat_id: string;
  text: string;
  parse_mode: "HTML";
  link_preview_options: { is_disabled: true };
  reply_markup?: { inline_keyboard: ({ text: string; url: string } | { text: string; callback_data: string })[][] };
}

/**
 * The sendMessage body for a notice, in the notice's language. Pure. With
 * `ackInChat` the Acknowledge button is a callback button read by
 * telegram-acks.ts; otherwise it opens the signed acknowledge link.
 */
export function telegramMessage(chatId: string, notice: Notice, ackInChat = false): TelegramMessage {
  const labels = CHANNEL_LABELS[notice.lang];
  const i = notice.incident;
  const lines = [
    `<b>${escapeTelegramHtml(`${EVENT_MARK[notice.event]} ${noticeTitle(notice)}`)}</b>`,
    escapeTelegramHtml(clip(notice.text, 3_500)), // room left for the markup within 4096
    `<i>${escapeTelegramHtml(`${labels.incident} ${i.key} · ${labels.severity[i.severity]}`)}</i>`,
  ];
  const buttons: ({ text: string; url: string } | { text: string; callback_data: string })[] = [];
  const callbackData = ackInChat ? ackCallbackData(i.key) : null;
  if (notice.event === "firing" && callbackData !== null) buttons.push({ text: `✅ ${labels.acknowledge}`, callback_data: callbackData });
  else if (notice.event === "firing" && notice.ackLink) buttons.push({ text: `✅ ${labels.acknowledge}`, url: notice.ackLink });
  if (notice.link) buttons.push({ text: labels.open, url: notice.link });
  return {
    chat_id: chatId,
    text: lines.join("\n"),
    parse_mode: "HTML",
    link_preview_options: { is_disabled: true },
    ...(buttons.length > 0 ? { reply_markup: { inline_keyboard: [buttons] } } : {}),
  };
}

interface TelegramAnswer {
  ok: boolean;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

function readAnswer(text: string): TelegramAnswer | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && "ok" in value ? (value as TelegramAnswer) : null;
  } catch {
    return null;
  }
}
