import { readItems } from "../read-items";
import type { RawMention } from "../source";

/**
 * One page of the Algolia Hacker News Search API (`/api/v1/search_by_date`)
 * → RawMention[]. Pure: no I/O, no clock.
 *
 * A hit is a story or a comment. Text fields (story_text, comment_text) are
 * HTML as HN renders it (<p> between paragraphs, &#x27; entities), so they go
 * to `html`. The mention's url is the item's page on HN; a story's external
 * link stays in `raw`.
 */

export const SOURCE_KIND = "hackernews";

const ITEM_URL = "https://news.ycombinator.com/item?id=";

/** The document is not a search page: not JSON, or without `hits`, `page` and `nbPages`. */
export class HnParseError extends Error {
  override readonly name = "HnParseError";
}
export const isHnParseError = (e: unknown): e is HnParseError => e instanceof Error && e.name === "HnParseError";

export interface HnMention {
  mention: RawMention;
  /** created_at_i: seconds since the epoch, what the cursor and the numeric filter use. */
  createdAt: number;
}

export interface SkippedHit {
  reason: string;
  id?: string;
}

export interface HnSearchPage {
  /** In the order of the page (newest first). */
  hits: HnMention[];
  skipped: SkippedHit[];
  /** 0-based. */
  page: number;
  nbPages: number;
  /** Matches in all pages; Algolia may estimate it. */
  nbHits: number | undefined;
}

type Node = Record<string, unknown>;

export function parseSearchPage(text: string): HnSearchPage {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new HnParseError(`malformed JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isNode(doc)) throw new HnParseError(`expected a JSON object, got ${kindOf(doc)}`);
  // Algolia reports refused parameters as { message, status }, normally with an HTTP error status.
  if (!Array.isArray(doc["hits"]) && typeof doc["message"] === "string") {
    throw new HnParseError(`the search API answered with an error: ${doc["message"].slice(0, 300)}`);
  }
  if (!Array.isArray(doc["hits"])) throw new HnParseError('not a search page: no "hits" array');
  const page = doc["page"];
  const nbPages = doc["nbPages"];
  if (!isCount(page) || !isCount(nbPages)) throw new HnParseError('not a search page: "page" and "nbPages" must be non-negative integers');

  const { kept: hits, skipped } = readItems(doc["hits"] as unknown[], parseHit);
  return { hits, skipped, page, nbPages, nbHits: isCount(doc["nbHits"]) ? doc["nbHits"] : undefined };
}

function parseHit(hit: unknown): HnMention | SkippedHit {
  if (!isNode(hit)) return { reason: `hit is ${kindOf(hit)}, not an object` };
  const id = str(hit["objectID"]);
  if (id === undefined) return { reason: "hit without an objectID" };
  const createdAt = createdSeconds(hit);
  if (createdAt === undefined) return { reason: "hit without a readable created_at_i or created_at", id };

  const title = str(hit["title"]);
  const html = str(hit["comment_text"]) ?? str(hit["story_text"]);
  if (title === undefined && html === undefined) return { reason: "hit without a title or text", id };

  const mention: RawMention = { source: SOURCE_KIND, sourceId: id, url: `${ITEM_URL}${encodeURIComponent(id)}` };
  const author = str(hit["author"]);
  if (author !== undefined) mention.author = { handle: author };
  if (title !== undefined) mention.title = title;
  if (html !== undefined) mention.html = html;
  mention.publishedAt = new Date(createdAt * 1000).toISOString();
  const engagement: NonNullable<RawMention["engagement"]> = {};
  if (isCount(hit["points"])) engagement.likes = hit["points"];
  if (isCount(hit["num_comments"])) engagement.replies = hit["num_comments"];
  if (Object.keys(engagement).length > 0) mention.engagement = engagement;
  // A comment sits under parent_id in the thread of story_id; a story is its own thread.
  if (isComment(hit)) {
    const parent = idText(hit["parent_id"]);
    const story = idText(hit["story_id"]);
    if (parent !== undefined) mention.parentId = parent;
    if (story !== undefined) mention.threadId = story;
  }
  mention.raw = hit;
  return { mention, createdAt };
}

function isComment(hit: Node): boolean {
  const tags = hit["_tags"];
  if (Array.isArray(tags)) return tags.includes("comment");
  return str(hit["comment_text"]) !== undefined;
}

/** created_at_i, or created_at ("2024-05-14T11:58:03Z") when the integer is missing. */
function createdSeconds(hit: Node): number | undefined {
  const seconds = hit["created_at_i"];
  if (typeof seconds === "number" && Number.isSafeInteger(seconds) && seconds > 0 && seconds <= MAX_DATE_SECONDS) return seconds;
  const iso = str(hit["created_at"]);
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) || ms <= 0 ? undefined : Math.floor(ms / 1000);
}

/** The last second a JS Date can hold; beyond it toISOString() throws. */
const MAX_DATE_SECONDS = 8.64e12;

function idText(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
  return str(value);
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
