import { readItems } from "../read-items";
import type { RawMention } from "../source";
import { expandLinks } from "./rich-text";

/**
 * Bluesky XRPC JSON → RawMention. Pure: no I/O, no clock. Reads
 * app.bsky.feed.searchPosts (`{ cursor?, hitsTotal?, posts: PostView[] }`) and
 * app.bsky.actor.getProfiles (`{ profiles: ProfileViewDetailed[] }`).
 * A post's sourceId is its at:// uri, the same wherever it is read.
 */

export const SOURCE_KIND = "bluesky";

/** Thrown for a response that is not the JSON the method documents. */
export class BlueskyParseError extends Error {
  override readonly name = "BlueskyParseError";
}
export const isBlueskyParseError = (e: unknown): e is BlueskyParseError => e instanceof Error && e.name === "BlueskyParseError";

export interface FoundPost {
  /** The post's at:// uri. */
  uri: string;
  /**
   * Epoch ms of the post's place in the search order: the earlier of
   * record.createdAt and indexedAt, as the AppView's sortAt (so a client
   * clock running ahead cannot put a post in the future).
   */
  sortAt: number;
  /** The author's DID, for the reach lookup. */
  did: string;
  mention: RawMention;
}

/** A post that could not be read, with the reason to log; uri and sortAt when known, so the cursor can move past it. */
export interface SkippedPost {
  reason: string;
  uri?: string;
  sortAt?: number;
}

export interface ParsedSearch {
  /** In the server's order (newest first). */
  posts: FoundPost[];
  skipped: SkippedPost[];
  /** Where the next page starts; absent on the last page. */
  cursor: string | undefined;
  /** Items in the response, readable or not. */
  count: number;
}

/** at://<did>/app.bsky.feed.post/<rkey>; the rkey names the post in its web address. */
const POST_URI = /^at:\/\/(did:[a-z]+:[A-Za-z0-9._:%-]+)\/app\.bsky\.feed\.post\/([A-Za-z0-9._~:-]{1,512})$/;
/** What the AppView shows for an account whose handle no longer resolves. */
const INVALID_HANDLE = "handle.invalid";

type Node = Record<string, unknown>;

export function parseSearchPosts(payload: unknown): ParsedSearch {
  const doc = decode(payload);
  if (!isNode(doc)) throw new BlueskyParseError(`expected a searchPosts result object, got ${describe(doc)}`);
  const items = doc["posts"];
  if (!Array.isArray(items)) throw new BlueskyParseError(`searchPosts result without a "posts" array${errorOf(doc)}`);
  const { kept: posts, skipped } = readItems(items, parsePost);
  const cursor = str(doc["cursor"]);
  return { posts, skipped, cursor, count: items.length };
}

/** getProfiles → DID → followers. Profiles without a count are left out: reach is a nicety, not a reason to fail. */
export function parseProfiles(payload: unknown): Map<string, number> {
  const doc = decode(payload);
  if (!isNode(doc) || !Array.isArray(doc["profiles"])) throw new BlueskyParseError(`getProfiles result without a "profiles" array${errorOf(doc)}`);
  const followers = new Map<string, number>();
  for (const profile of doc["profiles"] as unknown[]) {
    if (!isNode(profile)) continue;
    const did = str(profile["did"]);
    const count = countOf(profile["followersCount"]);
    if (did !== undefined && count !== undefined) followers.set(did, count);
  }
  return followers;
}

/** The post's page on bsky.app; by DID when the handle is not known to be valid. */
export function postUrl(handle: string | undefined, did: string, rkey: string): string {
  const who = handle !== undefined && handle !== INVALID_HANDLE && /^[A-Za-z0-9.-]+$/.test(handle) ? handle : did;
  return `https://bsky.app/profile/${encodeURIComponent(who)}/post/${encodeURIComponent(rkey)}`;
}

function parsePost(item: unknown, index: number): FoundPost | SkippedPost {
  if (!isNode(item)) return { reason: `item ${index} is ${describe(item)}, not a post` };
  const uri = str(item["uri"]);
  const match = uri === undefined ? null : POST_URI.exec(uri);
  if (uri === undefined || match === null) return { reason: `item ${index} has no post uri` };
  const did = match[1] as string;
  const rkey = match[2] as string;
  const record = item["record"];
  const createdAt = isNode(record) ? time(record["createdAt"]) : undefined;
  const indexedAt = time(item["indexedAt"]);
  const sortAt = createdAt === undefined ? indexedAt : indexedAt === undefined ? createdAt : Math.min(createdAt, indexedAt);
  if (!isNode(record)) return withSortAt({ reason: `post ${uri} has no record`, uri }, sortAt);
  if (sortAt === undefined) return { reason: `post ${uri} has no readable date`, uri };

  const author = isNode(item["author"]) ? item["author"] : {};
  const handle = str(author["handle"]);
  const m: RawMention = { source: SOURCE_KIND, sourceId: uri, url: postUrl(handle, did, rkey) };
  const name = str(author["displayName"]);
  const shownHandle = handle !== undefined && handle !== INVALID_HANDLE ? handle : did;
  m.author = { handle: shownHandle, name: name ?? shownHandle };
  const text = typeof record["text"] === "string" ? expandLinks(record["text"], record["facets"]) : "";
  if (text.trim() !== "") m.text = text;
  // createdAt is the author's clock; one running ahead would date the post in the future, so the AppView's sortAt is used.
  m.publishedAt = new Date(sortAt).toISOString();
  const langs = record["langs"];
  const lang = Array.isArray(langs) ? str(langs[0]) : undefined;
  if (lang !== undefined) m.lang = lang;
  const engagement: NonNullable<RawMention["engagement"]> = {};
  const likes = countOf(item["likeCount"]);
  const shares = countOf(item["repostCount"]);
  const replies = countOf(item["replyCount"]);
  if (likes !== undefined) engagement.likes = likes;
  if (shares !== undefined) engagement.shares = shares;
  if (replies !== undefined) engagement.replies = replies;
  if (Object.keys(engagement).length > 0) m.engagement = engagement;
  const reply = isNode(record["reply"]) ? record["reply"] : undefined;
  const parent = reply && isNode(reply["parent"]) ? str(reply["parent"]["uri"]) : undefined;
  const root = reply && isNode(reply["root"]) ? str(reply["root"]["uri"]) : undefined;
  if (parent !== undefined) m.parentId = parent;
  if (root !== undefined) m.threadId = root;
  m.raw = item;
  return { uri, sortAt, did, mention: m };
}

function withSortAt(skip: SkippedPost, sortAt: number | undefined): SkippedPost {
  return sortAt === undefined ? skip : { ...skip, sortAt };
}

function decode(payload: unknown): unknown {
  if (typeof payload !== "string") return payload;
  const text = payload.replace(/^\uFEFF/, "").trim();
  if (text === "") throw new BlueskyParseError("the response is empty");
  if (text.startsWith("<")) throw new BlueskyParseError("the response is markup, not JSON (does baseUrl serve the Bluesky XRPC API?)");
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new BlueskyParseError(`malformed JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** XRPC errors are `{ "error": "Name", "message": "…" }`; the name helps, capped so a hostile server cannot flood the log. */
function errorOf(doc: unknown): string {
  if (!isNode(doc)) return "";
  const error = str(doc["error"]);
  if (error === undefined) return "";
  const message = str(doc["message"]);
  return ` (the server says: ${error.slice(0, 100)}${message === undefined ? "" : `: ${message.slice(0, 200)}`})`;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function time(value: unknown): number | undefined {
  const text = str(value);
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function countOf(value: unknown): number | undefined {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const t = value.trim();
  return t === "" ? undefined : t;
}
