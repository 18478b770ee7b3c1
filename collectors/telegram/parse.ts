import { createRequire } from "node:module";
import type { Cheerio, CheerioAPI } from "cheerio/slim";
import type { RawMention } from "../source";
import { parseCount } from "./parse-count";

/**
 * A public channel's preview page (t.me/s/<channel>) → RawMention[]. Pure: no
 * I/O, no clock. The page is Telegram's own HTML, read with the class names it
 * has used for years (tgme_widget_message …); a page without them is not a
 * channel preview and throws TelegramParseError.
 */

export const SOURCE_KIND = "telegram";

/** The element type cheerio selects, taken from cheerio itself: its DOM package is not a dependency of ours. */
type Elements = ReturnType<Cheerio<never>["find"]>;
type Element = Elements extends Cheerio<infer T> ? T : never;

type CheerioSlim = typeof import("cheerio/slim");
let cheerio: CheerioSlim | undefined;

/**
 * cheerio, loaded at the first page rather than on import: the collectors
 * registry imports every source, so a static import made every command
 * (`earshot sources`, `earshot check`) pay for the HTML parser. The parse stays
 * synchronous because cheerio ships a CommonJS entry for "./slim" under the
 * "require" condition (node_modules/cheerio/package.json "exports"), which
 * `require()` loads in place; Node caches it after the first call.
 */
const loadCheerio = (): CheerioSlim => (cheerio ??= createRequire(import.meta.url)("cheerio/slim") as CheerioSlim);

/** Thrown for a page that is not a readable channel preview. */
export class TelegramParseError extends Error {
  override readonly name = "TelegramParseError";
}
export const isTelegramParseError = (e: unknown): e is TelegramParseError => e instanceof Error && e.name === "TelegramParseError";

export interface ChannelInfo {
  /** The @name without "@", as the header shows it. */
  username?: string;
  title?: string;
  subscribers?: number;
}

export interface SkippedMessage {
  reason: string;
  /** The message id, when the message had a readable one. */
  id?: number;
}

export interface ChannelPage {
  channel: ChannelInfo;
  /** Messages with text, oldest first. */
  messages: { id: number; mention: RawMention }[];
  skipped: SkippedMessage[];
  /** Ids of every message on the page, skipped ones included, ascending: how far the page reaches. */
  ids: number[];
}

/** What `raw` keeps of a message: the parts of the markup the mention was read from. */
export interface TelegramRawMessage {
  post: string;
  textHtml: string;
  datetime?: string;
  views?: string;
  signature?: string;
  forwardedFrom?: { name: string; url?: string };
  replyTo?: string;
}

const DATA_POST = /^([A-Za-z0-9_]{1,64})\/(\d{1,15})$/;
const T_ME_POST = /^https?:\/\/t\.me\/(?:s\/)?([A-Za-z0-9_]{1,64})\/(\d{1,15})(?:[?#].*)?$/;
const MEDIA = [
  ".tgme_widget_message_photo_wrap",
  ".tgme_widget_message_video_player",
  ".tgme_widget_message_roundvideo_player",
  ".tgme_widget_message_document",
  ".tgme_widget_message_voice_player",
  ".tgme_widget_message_sticker_wrap",
  ".tgme_widget_message_grouped_wrap",
].join(", ");

export function parseChannelPage(html: string): ChannelPage {
  if (html.trim() === "") throw new TelegramParseError("the page is empty");
  // Serialized markup (raw.textHtml) keeps letters and emoji as they are, escaping only what HTML needs.
  const $ = loadCheerio().load(html, { xml: { xmlMode: false, encodeEntities: "utf8" } });
  const nodes = $(".tgme_widget_message").toArray();
  if (nodes.length === 0 && $(".tgme_channel_info").length === 0) {
    if ($(".tgme_page").length > 0) {
      const title = oneLine($(".tgme_page_title").first().text());
      throw new TelegramParseError(
        `not a channel preview: Telegram shows the landing page${title ? ` of "${title}"` : ""} (the channel is private, does not exist, or has its preview turned off)`,
      );
    }
    throw new TelegramParseError("not a Telegram channel preview: the page has neither a channel header nor messages");
  }

  const channel = channelInfo($);
  const messages: ChannelPage["messages"] = [];
  const skipped: SkippedMessage[] = [];
  const ids: number[] = [];
  for (const node of nodes) {
    const read = readMessage($, $(node), channel);
    if ("id" in read && read.id !== undefined) ids.push(read.id);
    if ("mention" in read) messages.push({ id: read.id, mention: read.mention });
    else skipped.push(read);
  }
  messages.sort((a, b) => a.id - b.id);
  ids.sort((a, b) => a - b);
  return { channel, messages, skipped, ids };
}

function channelInfo($: CheerioAPI): ChannelInfo {
  const info: ChannelInfo = {};
  const title = oneLine($(".tgme_channel_info_header_title").first().text()) || oneLine($(".tgme_header_title").first().text());
  if (title) info.title = title;
  const username = oneLine($(".tgme_channel_info_header_username").first().text()).replace(/^@/, "");
  if (/^[A-Za-z0-9_]{1,64}$/.test(username)) info.username = username;
  const subscribers = subscriberCount($);
  if (subscribers !== undefined) info.subscribers = subscribers;
  return info;
}

/** "12.3K subscribers" in the counters (or "members" for a group); the header line as a fallback. */
function subscriberCount($: CheerioAPI): number | undefined {
  for (const counter of $(".tgme_channel_info_counter").toArray()) {
    const type = oneLine($(counter).find(".counter_type").text());
    if (/^(subscriber|member)s?$/i.test(type)) return parseCount(oneLine($(counter).find(".counter_value").text()));
  }
  const header = oneLine($(".tgme_header_counter").first().text());
  return /(subscriber|member)s?$/i.test(header) ? parseCount(header) : undefined;
}

type ReadMessage = { id: number; mention: RawMention } | SkippedMessage;

function readMessage($: CheerioAPI, el: Cheerio<Element>, channel: ChannelInfo): ReadMessage {
  const post = DATA_POST.exec(el.attr("data-post") ?? "");
  if (!post?.[1] || !post[2]) return { reason: "message without a readable data-post" };
  const [, handle, idText] = post;
  const id = Number(idText);
  if (!Number.isSafeInteger(id)) return { reason: "message id out of range" };

  const textEl = messageText(el);
  const text = textEl ? elementText($, textEl) : "";
  if (text === "") return { id, reason: el.find(MEDIA).length > 0 ? "media without a caption" : "message without text" };

  const raw: TelegramRawMessage = { post: `${handle}/${id}`, textHtml: textEl?.html() ?? "" };
  const mention: RawMention = {
    source: SOURCE_KIND,
    sourceId: `${handle}/${id}`,
    url: `https://t.me/${handle}/${id}`,
    author: authorOf(el, handle, channel),
    text,
  };

  const datetime = el.find(".tgme_widget_message_date time").first().attr("datetime");
  if (datetime !== undefined) {
    raw.datetime = datetime;
    const ms = Date.parse(datetime);
    if (!Number.isNaN(ms)) mention.publishedAt = new Date(ms).toISOString();
  }
  const viewsText = oneLine(el.find(".tgme_widget_message_views").first().text());
  if (viewsText) {
    raw.views = viewsText;
    const views = parseCount(viewsText);
    if (views !== undefined) mention.engagement = { views };
  }
  const signature = oneLine(el.find(".tgme_widget_message_from_author").first().text());
  if (signature) raw.signature = signature;
  const forwarded = el.find(".tgme_widget_message_forwarded_from_name").first();
  if (forwarded.length > 0) {
    raw.forwardedFrom = { name: oneLine(forwarded.text()) };
    const href = forwarded.attr("href");
    if (href) raw.forwardedFrom.url = href;
  }
  const reply = T_ME_POST.exec(el.find("a.tgme_widget_message_reply").first().attr("href") ?? "");
  if (reply?.[1] && reply[2]) {
    raw.replyTo = `${reply[1]}/${reply[2]}`;
    mention.parentId = raw.replyTo;
  }
  mention.raw = raw;
  return { id, mention };
}

/** The message's own text (or a media caption), not the quoted text of the message it replies to. */
function messageText(el: Cheerio<Element>): Cheerio<Element> | undefined {
  const own = el.find(".tgme_widget_message_bubble > .tgme_widget_message_text").first();
  if (own.length > 0) return own;
  const any = el.find(".tgme_widget_message_text").filter((_, node) => node.parent === null || !isInsideReply(node)).first();
  return any.length > 0 ? any : undefined;
}

function isInsideReply(node: Element): boolean {
  for (let p = node.parent; p !== null; p = p.parent) {
    if ("attribs" in p && /\btgme_widget_message_reply\b/.test(p.attribs["class"] ?? "")) return true;
  }
  return false;
}

/** The channel is the author; the owner name on the message wins over the page header. */
function authorOf(el: Cheerio<Element>, handle: string, channel: ChannelInfo): NonNullable<RawMention["author"]> {
  const author: NonNullable<RawMention["author"]> = { handle };
  const name = oneLine(el.find(".tgme_widget_message_owner_name").first().text()) || channel.title;
  if (name) author.name = name;
  const sameChannel = channel.username === undefined || channel.username.toLowerCase() === handle.toLowerCase();
  if (sameChannel && channel.subscribers !== undefined) author.followers = channel.subscribers;
  return author;
}

/** Line breaks as "\n", emoji as their characters (the <b> inside <i class="emoji">), links as their text. */
function elementText($: CheerioAPI, textEl: Cheerio<Element>): string {
  const copy = textEl.clone();
  copy.find("br").replaceWith("\n");
  copy.find("blockquote, pre").each((_, node) => {
    $(node).before("\n").after("\n");
  });
  return copy
    .text()
    .replace(/\r\n?/g, "\n")
    .replace(/[ \t\u00a0]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
