import { readItems } from "../read-items";
import type { RawMention } from "../source";

/**
 * Mastodon API JSON → RawMention. Pure: no I/O, no clock. Reads the Status
 * entity as /api/v1/timelines/tag/:hashtag and /api/v2/search return it.
 *
 * The mention's sourceId is the status `uri` (its ActivityPub id), not `id`:
 * `id` is local to the server that answered, while `uri` is the same on every
 * server, so one post seen through two servers is one mention.
 */

export const SOURCE_KIND = "mastodon";

/** Thrown for a response that is not the JSON the endpoint documents. */
export class MastodonParseError extends Error {
  override readonly name = "MastodonParseError";
}
export const isMastodonParseError = (e: unknown): e is MastodonParseError => e instanceof Error && e.name === "MastodonParseError";

export interface TimelineEntry {
  /**
   * The entry's place in the timeline that was read: the server's own id of
   * the status, or of the boost for a boost. Cursors and paging use it.
   */
  id: string;
  /** The status, or the boosted original for a boost. Null when it is not public: it moves the cursor but is not collected. */
  mention: RawMention | null;
}

/** An item that could not be read, with the reason to log; `id` when it had one, so the cursor can move past it. */
export interface SkippedItem {
  reason: string;
  id?: string;
}

export interface ParsedStatuses {
  /** In the server's order (newest first). */
  entries: TimelineEntry[];
  skipped: SkippedItem[];
  /** Items in the response, readable or not: a page as long as the limit asked for may have more after it. */
  count: number;
}

/** Visibilities that are public. Followers-only and direct statuses a token can see are somebody's private talk. */
const PUBLIC_VISIBILITY: ReadonlySet<string> = new Set(["public", "unlisted"]);

type Node = Record<string, unknown>;

/** A timeline response: a JSON array of statuses. `payload` is the response text or the value it decodes to. */
export function parseTimeline(payload: unknown): ParsedStatuses {
  const doc = decode(payload);
  if (!Array.isArray(doc)) throw new MastodonParseError(`expected a JSON array of statuses, got ${describe(doc)}${errorOf(doc)}`);
  return parseStatusList(doc);
}

/** A /api/v2/search response: `{ accounts, statuses, hashtags }`; only the statuses are read. */
export function parseSearch(payload: unknown): ParsedStatuses {
  const doc = decode(payload);
  if (!isNode(doc)) throw new MastodonParseError(`expected a search result object, got ${describe(doc)}`);
  const statuses = doc["statuses"];
  if (!Array.isArray(statuses)) throw new MastodonParseError(`search result without a "statuses" array${errorOf(doc)}`);
  return parseStatusList(statuses);
}

function parseStatusList(items: readonly unknown[]): ParsedStatuses {
  const { kept: entries, skipped } = readItems(items, parseEntry);
  return { entries, skipped, count: items.length };
}

function parseEntry(item: unknown, index: number): TimelineEntry | SkippedItem {
  if (!isNode(item)) return { reason: `item ${index} is ${describe(item)}, not a status` };
  const id = idOf(item["id"]);
  if (id === undefined) return { reason: `item ${index} has no id` };
  // A boost carries the original in `reblog`: the original is the mention, the boost only its place in the timeline.
  const original = isNode(item["reblog"]) ? item["reblog"] : item;
  const uri = str(original["uri"]);
  if (uri === undefined) return { reason: `status ${id} has no uri`, id };
  const visibility = str(original["visibility"]);
  if (visibility !== undefined && !PUBLIC_VISIBILITY.has(visibility)) return { id, mention: null };
  return { id, mention: statusMention(original, uri, item) };
}

function statusMention(status: Node, uri: string, raw: Node): RawMention {
  const m: RawMention = { source: SOURCE_KIND, sourceId: uri };
  const url = httpUrl(status["url"]) ?? httpUrl(uri);
  if (url !== undefined) m.url = url;
  const author = authorOf(status["account"]);
  if (author !== undefined) m.author = author;
  // A content warning is the author's own summary of the post: it reads as a title.
  const spoiler = str(status["spoiler_text"]);
  if (spoiler !== undefined) m.title = spoiler;
  const content = str(status["content"]);
  if (content !== undefined) m.html = content;
  const publishedAt = isoDate(status["created_at"]);
  if (publishedAt !== undefined) m.publishedAt = publishedAt;
  const lang = str(status["language"]);
  if (lang !== undefined) m.lang = lang;
  const engagement: NonNullable<RawMention["engagement"]> = {};
  const likes = count(status["favourites_count"]);
  const shares = count(status["reblogs_count"]);
  const replies = count(status["replies_count"]);
  if (likes !== undefined) engagement.likes = likes;
  if (shares !== undefined) engagement.shares = shares;
  if (replies !== undefined) engagement.replies = replies;
  if (Object.keys(engagement).length > 0) m.engagement = engagement;
  // in_reply_to_id is the parent's id on the answering server, not a uri, so
  // it names no mention; it stays in `raw`.
  m.raw = raw;
  return m;
}

/**
 * The handle as people write it, user@server: `acct` is bare ("kasia") for
 * the answering server's own accounts, so the host of the profile URL is added.
 */
function authorOf(value: unknown): RawMention["author"] | undefined {
  if (!isNode(value)) return undefined;
  const author: NonNullable<RawMention["author"]> = {};
  const acct = str(value["acct"]) ?? str(value["username"]);
  if (acct !== undefined) {
    const host = acct.includes("@") ? undefined : hostOf(value["url"]);
    author.handle = host === undefined ? acct : `${acct}@${host}`;
  }
  const name = str(value["display_name"]) ?? str(value["username"]);
  if (name !== undefined) author.name = name;
  const followers = count(value["followers_count"]);
  if (followers !== undefined) author.followers = followers;
  return Object.keys(author).length > 0 ? author : undefined;
}

function decode(payload: unknown): unknown {
  if (typeof payload !== "string") return payload;
  const text = payload.replace(/^\uFEFF/, "").trim();
  if (text === "") throw new MastodonParseError("the response is empty");
  if (text.startsWith("<")) throw new MastodonParseError("the response is markup, not JSON (is baseUrl the address of a Mastodon server?)");
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new MastodonParseError(`malformed JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Mastodon answers errors as `{ "error": "…" }`; its text helps, capped so a hostile server cannot flood the log. */
function errorOf(doc: unknown): string {
  if (!isNode(doc)) return "";
  const error = str(doc["error"]);
  return error === undefined ? "" : ` (the server says: ${error.slice(0, 200)})`;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** Ids are strings in the API; a number is accepted from servers that send one, if it is an integer. */
function idOf(value: unknown): string | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0 ? String(value) : undefined;
  const id = str(value);
  return id !== undefined && id.length <= 64 ? id : undefined;
}

function isoDate(value: unknown): string | undefined {
  const text = str(value);
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function httpUrl(value: unknown): string | undefined {
  const text = str(value);
  if (text === undefined) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function hostOf(value: unknown): string | undefined {
  const url = httpUrl(value);
  return url === undefined ? undefined : new URL(url).host;
}

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const t = value.trim();
  return t === "" ? undefined : t;
}
