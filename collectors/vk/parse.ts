import { decodeHTML } from "entities";
import type { RawMention } from "../source";

/**
 * VK API `newsfeed.search` reply (JSON text) → RawMention[]. Pure: no I/O, no
 * clock. VK reports its own errors inside an HTTP 200 as `{ "error": … }`; that
 * is data here (a `VkApiFailure`), and the source decides what it means.
 */

export const SOURCE_KIND = "vk";

/** Thrown for a reply that is not a readable `newsfeed.search` answer. */
export class VkParseError extends Error {
  override readonly name = "VkParseError";
}
export const isVkParseError = (e: unknown): e is VkParseError => e instanceof Error && e.name === "VkParseError";

/** `{ "error": { "error_code", "error_msg" } }`; `request_params` is left out (it echoes the request). */
export interface VkApiFailure {
  kind: "error";
  code: number;
  message: string;
}

export interface SkippedPost {
  reason: string;
  id?: string;
  /** Unix seconds, when the post had a readable date. */
  date?: number;
}

export interface VkSearchPage {
  kind: "page";
  /** Oldest first. */
  mentions: RawMention[];
  skipped: SkippedPost[];
  /** VK's opaque token for the next page of the same search; absent on the last page. */
  nextFrom: string | undefined;
  /** Unix seconds of the oldest and newest post on the page, skipped ones included; null on an empty page. */
  oldestDate: number | null;
  newestDate: number | null;
  /** Posts on the page, skipped ones included. */
  itemCount: number;
}

export type VkReply = VkApiFailure | VkSearchPage;

type Node = Record<string, unknown>;

interface Author {
  handle: string;
  name?: string;
  followers?: number;
}

export function parseSearchResponse(body: string): VkReply {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (err) {
    throw new VkParseError(`the reply is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isNode(doc)) throw new VkParseError("the reply is not a JSON object");
  if (doc["error"] !== undefined) return readError(doc["error"]);
  const response = doc["response"];
  if (!isNode(response)) throw new VkParseError('the reply has neither "response" nor "error"');
  const items = response["items"];
  if (!Array.isArray(items)) throw new VkParseError('"response.items" is not an array');

  const authors = readAuthors(response["profiles"], response["groups"]);
  const mentions: { mention: RawMention; date: number }[] = [];
  const skipped: SkippedPost[] = [];
  let oldestDate: number | null = null;
  let newestDate: number | null = null;
  for (const item of items) {
    const post = readPost(item, authors);
    if (post.date !== undefined) {
      oldestDate = oldestDate === null ? post.date : Math.min(oldestDate, post.date);
      newestDate = newestDate === null ? post.date : Math.max(newestDate, post.date);
    }
    if ("reason" in post) {
      const skip: SkippedPost = { reason: post.reason };
      if (post.id !== undefined) skip.id = post.id;
      if (post.date !== undefined) skip.date = post.date;
      skipped.push(skip);
    } else mentions.push({ mention: post.mention, date: post.date });
  }
  mentions.sort((a, b) => a.date - b.date);
  const nextFrom = response["next_from"];
  return {
    kind: "page",
    mentions: mentions.map((m) => m.mention),
    skipped,
    nextFrom: typeof nextFrom === "string" && nextFrom !== "" ? nextFrom : undefined,
    oldestDate,
    newestDate,
    itemCount: items.length,
  };
}

function readError(error: unknown): VkApiFailure {
  if (!isNode(error)) throw new VkParseError('"error" is not an object');
  const code = error["error_code"];
  if (typeof code !== "number" || !Number.isInteger(code)) throw new VkParseError('"error.error_code" is not a number');
  const message = typeof error["error_msg"] === "string" ? error["error_msg"].slice(0, 500) : "(no message)";
  return { kind: "error", code, message };
}

type ReadPost =
  | { mention: RawMention; date: number; id: string }
  | { reason: string; id?: string; date?: number };

function readPost(item: unknown, authors: Map<number, Author>): ReadPost {
  if (!isNode(item)) return { reason: "post is not an object" };
  const id = item["id"];
  const ownerId = item["owner_id"];
  if (!isInt(id) || !isInt(ownerId)) return { reason: "post without a numeric id and owner_id" };
  const sourceId = `${ownerId}_${id}`;
  const date = item["date"];
  if (!isInt(date) || date < 0) return { reason: "post without a unix date", id: sourceId };

  const copy = firstNode(item["copy_history"]);
  // A repost without words of its own is searchable by the words it shares.
  const text = cleanVkText(str(item["text"]) ?? "") || cleanVkText(str(copy?.["text"]) ?? "") || captionOf(item["attachments"]);
  if (text === "") return { reason: "post has no text, repost text or photo caption", id: sourceId, date };

  const fromId = isInt(item["from_id"]) && item["from_id"] !== 0 ? item["from_id"] : ownerId;
  const mention: RawMention = {
    source: SOURCE_KIND,
    sourceId,
    url: `https://vk.com/wall${sourceId}`,
    author: authors.get(fromId) ?? { handle: fromId > 0 ? `id${fromId}` : `club${-fromId}` },
    text,
    publishedAt: new Date(date * 1000).toISOString(),
  };
  const engagement = readEngagement(item);
  if (engagement) mention.engagement = engagement;
  if (copy && isInt(copy["owner_id"]) && isInt(copy["id"])) mention.parentId = `${copy["owner_id"]}_${copy["id"]}`;
  mention.raw = item;
  return { mention, date, id: sourceId };
}

/** Users are keyed by their id, communities by minus theirs: the sign VK uses in owner_id and from_id. */
function readAuthors(profiles: unknown, groups: unknown): Map<number, Author> {
  const authors = new Map<number, Author>();
  for (const p of Array.isArray(profiles) ? profiles : []) {
    if (!isNode(p) || !isInt(p["id"])) continue;
    const name = [str(p["first_name"]), str(p["last_name"])].filter((s) => s !== undefined).join(" ");
    authors.set(p["id"], author(str(p["screen_name"]) ?? `id${p["id"]}`, name, p["followers_count"]));
  }
  for (const g of Array.isArray(groups) ? groups : []) {
    if (!isNode(g) || !isInt(g["id"])) continue;
    const id = Math.abs(g["id"]);
    authors.set(-id, author(str(g["screen_name"]) ?? `club${id}`, str(g["name"]) ?? "", g["members_count"]));
  }
  return authors;
}

function author(handle: string, name: string, followers: unknown): Author {
  const a: Author = { handle };
  if (name !== "") a.name = cleanVkText(name);
  if (isInt(followers) && followers >= 0) a.followers = followers;
  return a;
}

function readEngagement(item: Node): RawMention["engagement"] | undefined {
  const count = (key: string): number | undefined => {
    const node = item[key];
    const n = isNode(node) ? node["count"] : undefined;
    return isInt(n) && n >= 0 ? n : undefined;
  };
  const engagement: NonNullable<RawMention["engagement"]> = {};
  const likes = count("likes");
  const shares = count("reposts");
  const replies = count("comments");
  const views = count("views");
  if (likes !== undefined) engagement.likes = likes;
  if (shares !== undefined) engagement.shares = shares;
  if (replies !== undefined) engagement.replies = replies;
  if (views !== undefined) engagement.views = views;
  return Object.keys(engagement).length === 0 ? undefined : engagement;
}

/** The first photo's caption: a photo post's only words. */
function captionOf(attachments: unknown): string {
  for (const a of Array.isArray(attachments) ? attachments : []) {
    if (!isNode(a) || a["type"] !== "photo" || !isNode(a["photo"])) continue;
    const caption = cleanVkText(str(a["photo"]["text"]) ?? "");
    if (caption !== "") return caption;
  }
  return "";
}

/** `[id123|Name]`, `[club456|Name]`, `[public7|Name]`, `[event8|Name]`: VK's inline links to people and communities. */
const VK_MENTION = /\[(?:id|club|public|event)\d+\|([^\]|]*)\]/g;
const BREAK = /<br\s*\/?>/gi;

/**
 * VK text as people read it: `<br>` as a newline, HTML entities decoded,
 * inline mentions reduced to the name shown. Mentions go first, so a decoded
 * "[" or "|" cannot forge one.
 */
export function cleanVkText(text: string): string {
  return decodeHTML(text.replace(VK_MENTION, "$1").replace(BREAK, "\n"))
    .replace(/\r\n?/g, "\n")
    .trim();
}

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function isInt(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value);
}
function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
function firstNode(value: unknown): Node | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : undefined;
  return isNode(first) ? first : undefined;
}
