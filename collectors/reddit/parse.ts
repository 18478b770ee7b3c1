import type { RawMention } from "../source";

/**
 * A Reddit Listing (search, /r/<sub>/new, /r/<sub>/comments, fetched with
 * raw_json=1) → RawMention[]. Pure: no I/O, no clock.
 *
 * Children are posts (t3) and comments (t1). The text is the Markdown source
 * (selftext, body), kept as plain `text`. A deleted account shows as
 * "[deleted]": the mention stays, without an author. A removed or deleted body
 * leaves a post with its title; a comment with nothing left is skipped with a
 * reason.
 */

export const SOURCE_KIND = "reddit";

const WEB_ORIGIN = "https://www.reddit.com";

/** The last second a JS Date can hold; beyond it toISOString() throws. */
const MAX_DATE_SECONDS = 8.64e12;

/** Bodies and authors Reddit puts in place of what was deleted or removed. */
const GONE: ReadonlySet<string> = new Set(["[deleted]", "[removed]"]);

/** The document is not a Listing: not JSON, an HTML page, or another shape. */
export class RedditParseError extends Error {
  override readonly name = "RedditParseError";
}
export const isRedditParseError = (e: unknown): e is RedditParseError => e instanceof Error && e.name === "RedditParseError";

/** Reddit answered with its own error object ({ "error": 403, "message": "Forbidden", "reason": "private" }). */
export class RedditApiError extends Error {
  override readonly name = "RedditApiError";
  constructor(
    message: string,
    /** The error code Reddit gave, when it is an HTTP status. */
    readonly status: number | undefined,
    readonly reason: string | undefined,
  ) {
    super(message);
  }
}
export const isRedditApiError = (e: unknown): e is RedditApiError => e instanceof Error && e.name === "RedditApiError";

export interface RedditItem {
  mention: RawMention;
  /** created_utc: seconds since the epoch (Reddit sends a float such as 1715680800.0). */
  createdAt: number;
}

export interface SkippedChild {
  reason: string;
  id?: string;
}

export interface RedditListing {
  /** Posts and comments, in listing order (newest first for new/search/comments). */
  items: RedditItem[];
  skipped: SkippedChild[];
  /** Fullname of every child that has one, in listing order, skipped ones included: the paging anchors. */
  names: string[];
  /** Children in the listing, readable or not: a full page has as many as the `limit` asked for. */
  count: number;
  after: string | null;
  before: string | null;
}

type Node = Record<string, unknown>;

export function parseListing(text: string): RedditListing {
  const body = text.replace(/^\uFEFF/, "").trimStart();
  if (body.startsWith("<")) throw new RedditParseError("expected JSON, got an HTML page (a maintenance or block page?)");
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (err) {
    throw new RedditParseError(`malformed JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isNode(doc)) throw new RedditParseError(`expected a Listing object, got ${kindOf(doc)}`);
  if (doc["kind"] !== "Listing" && doc["error"] !== undefined) throw apiError(doc);
  if (doc["kind"] !== "Listing") throw new RedditParseError(`expected a Listing, got kind ${JSON.stringify(doc["kind"] ?? null)}`);
  const data = doc["data"];
  if (!isNode(data) || !Array.isArray(data["children"])) throw new RedditParseError('Listing without a "data.children" array');

  const listing: RedditListing = {
    items: [],
    skipped: [],
    names: [],
    count: data["children"].length,
    after: str(data["after"]) ?? null,
    before: str(data["before"]) ?? null,
  };
  for (const child of data["children"] as unknown[]) {
    const name = fullnameOf(child);
    if (name !== undefined) listing.names.push(name);
    const result = parseChild(child, name);
    if ("reason" in result) listing.skipped.push(result);
    else listing.items.push(result);
  }
  return listing;
}

function apiError(doc: Node): RedditApiError {
  const code = doc["error"];
  const status = typeof code === "number" && Number.isInteger(code) && code >= 400 && code < 600 ? code : undefined;
  const message = str(doc["message"]) ?? (typeof code === "string" ? code : "error");
  const reason = str(doc["reason"]);
  const detail = [status === undefined ? undefined : String(status), message, reason === undefined ? undefined : `(${reason})`].filter(Boolean).join(" ");
  return new RedditApiError(`Reddit answered with an error: ${detail.slice(0, 300)}`, status, reason);
}

function parseChild(child: unknown, name: string | undefined): RedditItem | SkippedChild {
  if (!isNode(child)) return { reason: `child is ${kindOf(child)}, not an object` };
  const kind = child["kind"];
  const data = child["data"];
  if (kind !== "t3" && kind !== "t1") return withId({ reason: `not a post or comment (kind ${JSON.stringify(kind ?? null)})` }, name);
  if (!isNode(data)) return withId({ reason: "child without data" }, name);
  if (name === undefined) return { reason: "child without a name or id" };
  const createdAt = data["created_utc"];
  if (typeof createdAt !== "number" || !Number.isFinite(createdAt) || createdAt <= 0 || createdAt > MAX_DATE_SECONDS) return { reason: "child without a readable created_utc", id: name };

  const title = kind === "t3" ? present(data["title"]) : undefined;
  const text = present(kind === "t3" ? data["selftext"] : data["body"]);
  if (title === undefined && text === undefined) {
    const raw = str(kind === "t3" ? data["selftext"] : data["body"]);
    return { reason: raw !== undefined && GONE.has(raw) ? `${raw.slice(1, -1)} ${kind === "t3" ? "post" : "comment"} with nothing left to read` : "child without a title or text", id: name };
  }

  const mention: RawMention = { source: SOURCE_KIND, sourceId: name };
  const url = permalinkUrl(data["permalink"]);
  if (url !== undefined) mention.url = url;
  const author = present(data["author"]);
  if (author !== undefined) mention.author = { handle: author };
  if (title !== undefined) mention.title = title;
  if (text !== undefined) mention.text = text;
  mention.publishedAt = new Date(Math.round(createdAt * 1000)).toISOString();
  const engagement: NonNullable<RawMention["engagement"]> = {};
  const score = data["score"] ?? data["ups"];
  if (typeof score === "number" && Number.isSafeInteger(score)) engagement.likes = score;
  if (kind === "t3" && isCount(data["num_comments"])) engagement.replies = data["num_comments"];
  if (Object.keys(engagement).length > 0) mention.engagement = engagement;
  if (kind === "t1") {
    const parent = str(data["parent_id"]);
    const thread = str(data["link_id"]);
    if (parent !== undefined) mention.parentId = parent;
    if (thread !== undefined) mention.threadId = thread;
  }
  mention.raw = child;
  return { mention, createdAt };
}

/** `name` ("t3_1crx7kq"), or kind + id when an older payload lacks it. */
function fullnameOf(child: unknown): string | undefined {
  if (!isNode(child) || !isNode(child["data"])) return undefined;
  const name = str(child["data"]["name"]);
  if (name !== undefined) return name;
  const id = str(child["data"]["id"]);
  const kind = str(child["kind"]);
  return id !== undefined && kind !== undefined ? `${kind}_${id}` : undefined;
}

function permalinkUrl(value: unknown): string | undefined {
  const path = str(value);
  if (path === undefined || !path.startsWith("/")) return undefined;
  try {
    return new URL(path, WEB_ORIGIN).href;
  } catch {
    return undefined;
  }
}

function withId(skip: SkippedChild, id: string | undefined): SkippedChild {
  if (id !== undefined) skip.id = id;
  return skip;
}

/** A string that is not empty and not a "[deleted]"/"[removed]" placeholder. */
function present(value: unknown): string | undefined {
  const s = str(value);
  return s === undefined || GONE.has(s) ? undefined : s;
}

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function str(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const t = value.trim();
  return t === "" ? undefined : t;
}

function kindOf(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}
