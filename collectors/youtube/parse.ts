import { placeItem, type PlacedItem, type ReadItem, type UnplacedItem } from "../placed-items";
import type { RawMention } from "../source";

/**
 * YouTube Data API v3 `commentThreads.list` reply (JSON text, fetched with
 * part=snippet, order=time, textFormat=plainText) → one page of comments.
 * Pure: no I/O, no clock.
 *
 * Each thread becomes its top-level comment; replies are not part of
 * `part=snippet` and only their count is kept. Google's error object
 * (`{ "error": { code, message, errors: [{ reason }] } }`), which normally
 * comes with an HTTP 4xx, is read by `parseApiError` for the source to judge.
 */

export const SOURCE_KIND = "youtube";

const WATCH_URL = "https://www.youtube.com/watch";
const CHANNEL_URL = "https://www.youtube.com/channel/";
const LIST_KIND = "youtube#commentThreadListResponse";
/** Google's messages are short; anything longer is not a message worth logging whole. */
const MAX_MESSAGE_CHARS = 300;

/** Thrown for a reply that is not a readable `commentThreads.list` answer. */
export class YoutubeParseError extends Error {
  override readonly name = "YoutubeParseError";
}
export const isYoutubeParseError = (e: unknown): e is YoutubeParseError => e instanceof Error && e.name === "YoutubeParseError";

/** A thread of a page; its id is also its top-level comment's id, its time that comment's publishedAt. */
export type ThreadEntry = PlacedItem;
export type SkippedThread = UnplacedItem;

export interface ThreadPage {
  kind: "page";
  /** Threads with an id and a date, in the API's order (newest first with order=time). */
  entries: ThreadEntry[];
  skipped: SkippedThread[];
  nextPageToken: string | undefined;
}

/** Google's error object, as far as it could be read. */
export interface YoutubeApiFailure {
  kind: "error";
  /** The HTTP status Google states inside the body. */
  code: number | undefined;
  /** Every `errors[].reason` and `details[].reason` (ErrorInfo), in order: "quotaExceeded", "API_KEY_INVALID" … */
  reasons: string[];
  /** Google's message with its markup removed. */
  message: string;
}

export type YoutubeReply = ThreadPage | YoutubeApiFailure;

type Node = Record<string, unknown>;

export function parseCommentThreads(body: string): YoutubeReply {
  const text = body.replace(/^\uFEFF/, "").trimStart();
  if (text.startsWith("<")) throw new YoutubeParseError("expected JSON, got an HTML or XML page (a proxy or sign-in page?)");
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new YoutubeParseError(`the reply is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isNode(doc)) throw new YoutubeParseError("the reply is not a JSON object");
  if (doc["error"] !== undefined) {
    const failure = readError(doc["error"]);
    if (failure === undefined) throw new YoutubeParseError('"error" is not an error object');
    return failure;
  }
  if (doc["kind"] !== undefined && doc["kind"] !== LIST_KIND) {
    throw new YoutubeParseError(`expected kind ${LIST_KIND}, got ${JSON.stringify(doc["kind"]).slice(0, 80)}`);
  }
  const items = doc["items"];
  if (!Array.isArray(items)) throw new YoutubeParseError('the reply has no "items" array');

  const page: ThreadPage = { kind: "page", entries: [], skipped: [], nextPageToken: nonEmpty(doc["nextPageToken"]) };
  for (const item of items) {
    placeItem(readThread(item), page);
  }
  return page;
}

/**
 * Google's error object from an error body, or undefined when there is none.
 * Never throws: the body may be cut short (the HTTP client keeps only its
 * start), so the reasons are also looked for in the text itself.
 */
export function parseApiError(body: string): YoutubeApiFailure | undefined {
  try {
    const doc: unknown = JSON.parse(body);
    if (isNode(doc)) {
      const failure = readError(doc["error"]);
      if (failure !== undefined) return failure;
    }
  } catch {
    // a cut or broken body: read what can be read below
  }
  const reasons = [...body.matchAll(/"reason"\s*:\s*"([A-Za-z0-9_.-]{1,80})"/g)].map((m) => m[1] ?? "");
  if (reasons.length === 0) return undefined;
  const code = /"code"\s*:\s*(\d{3})\b/.exec(body)?.[1];
  const message = /"message"\s*:\s*"((?:[^"\\]|\\.){0,600})"/.exec(body)?.[1];
  return { kind: "error", code: code === undefined ? undefined : Number(code), reasons: unique(reasons), message: cleanMessage(message === undefined ? "" : unescapeJson(message)) };
}

function readError(error: unknown): YoutubeApiFailure | undefined {
  if (!isNode(error)) return undefined;
  const code = error["code"];
  const reasons: string[] = [];
  for (const list of [error["errors"], error["details"]]) {
    for (const e of Array.isArray(list) ? list : []) {
      const reason = isNode(e) ? nonEmpty(e["reason"]) : undefined;
      if (reason !== undefined) reasons.push(reason);
    }
  }
  const status = nonEmpty(error["status"]);
  // "status" (PERMISSION_DENIED …) names the class of a newer error when no reason is given.
  if (reasons.length === 0 && status !== undefined) reasons.push(status);
  return {
    kind: "error",
    code: typeof code === "number" && Number.isInteger(code) ? code : undefined,
    reasons: unique(reasons),
    message: cleanMessage(typeof error["message"] === "string" ? error["message"] : ""),
  };
}


function readThread(item: unknown): ReadItem {
  if (!isNode(item)) return { mention: null, reason: "thread is not an object" };
  const id = nonEmpty(item["id"]);
  if (id === undefined) return { mention: null, reason: "thread without an id" };
  const snippet = isNode(item["snippet"]) ? item["snippet"] : undefined;
  const top = snippet !== undefined && isNode(snippet["topLevelComment"]) ? snippet["topLevelComment"] : undefined;
  const comment = top !== undefined && isNode(top["snippet"]) ? top["snippet"] : undefined;
  if (snippet === undefined || comment === undefined) return { mention: null, reason: "thread without a top-level comment snippet", id };
  const at = dateOf(comment["publishedAt"]);
  if (at === undefined) return { mention: null, reason: "comment without a readable publishedAt", id };
  // textOriginal is what the author typed; textDisplay (plain text here) is the fallback when it is withheld.
  const text = (str(comment["textOriginal"]) ?? str(comment["textDisplay"]) ?? "").trim();
  if (text === "") return { mention: null, reason: "comment without text", id, at };

  const videoId = nonEmpty(comment["videoId"]) ?? nonEmpty(snippet["videoId"]);
  const channelId = nonEmpty(comment["channelId"]) ?? nonEmpty(snippet["channelId"]);
  const mention: RawMention = { source: SOURCE_KIND, sourceId: id };
  if (videoId !== undefined) mention.url = `${WATCH_URL}?${new URLSearchParams({ v: videoId, lc: id })}`;
  else if (channelId !== undefined) mention.url = `${CHANNEL_URL}${encodeURIComponent(channelId)}`;
  const author = authorOf(comment);
  if (author !== undefined) mention.author = author;
  mention.text = text;
  mention.publishedAt = new Date(at).toISOString();
  const engagement: NonNullable<RawMention["engagement"]> = {};
  const likes = count(comment["likeCount"]);
  const replies = count(snippet["totalReplyCount"]);
  if (likes !== undefined) engagement.likes = likes;
  if (replies !== undefined) engagement.replies = replies;
  if (likes !== undefined || replies !== undefined) mention.engagement = engagement;
  // A top-level comment answers the video, which is also the root of its conversation.
  if (videoId !== undefined) {
    mention.parentId = videoId;
    mention.threadId = videoId;
  }
  mention.raw = item;
  return { id, at, mention };
}

/**
 * Display names are "@handle" for channels with a handle; the channel URL
 * carries the handle too (…/@name) or, for older channels, only the id.
 */
function authorOf(comment: Node): RawMention["author"] | undefined {
  const name = nonEmpty(comment["authorDisplayName"]);
  const channelUrl = nonEmpty(comment["authorChannelUrl"]);
  const channel = comment["authorChannelId"];
  const channelId = isNode(channel) ? nonEmpty(channel["value"]) : undefined;
  const handle = (name?.startsWith("@") ? name.slice(1) : undefined) ?? handleInUrl(channelUrl) ?? channelId;
  if (name === undefined && handle === undefined) return undefined;
  const author: NonNullable<RawMention["author"]> = {};
  if (handle !== undefined && handle !== "") author.handle = handle;
  if (name !== undefined) author.name = name;
  return author;
}

function handleInUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const match = /\/@([^/?#]+)/.exec(url);
  if (match?.[1] === undefined) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}

/** The last millisecond a JS Date can hold; beyond it toISOString() throws. */
const MAX_DATE_MS = 8.64e15;

function dateOf(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? ms : undefined;
}

function count(value: unknown): number | undefined {
  // Google sends counts as numbers here; some v3 resources send them as strings ("42").
  const n = typeof value === "string" && /^\d{1,15}$/.test(value) ? Number(value) : value;
  return typeof n === "number" && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** Google's messages carry HTML (`<a href=…>quota</a>`, `<code>`): logs and health want the words. */
function cleanMessage(message: string): string {
  return message
    .replace(/<[^>]*>/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, MAX_MESSAGE_CHARS);
}

function unescapeJson(value: string): string {
  try {
    return JSON.parse(`"${value}"`) as string;
  } catch {
    return value;
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
function nonEmpty(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const t = value.trim();
  return t === "" ? undefined : t;
}
