import { z } from "zod";
import { isHttpError } from "../http";
import { httpSourceError } from "../http-source-error";
import { SourceError, type Cursor, type Page, type PollContext, type RawMention, type Source } from "../source";
import { isRedditApiError, isRedditParseError, parseListing, SOURCE_KIND, type RedditItem, type RedditListing } from "./parse";
import { readQuota } from "./rate-limit";
import { accessToken, forgetToken, type TokenRequest } from "./token";

/** Reddit's own rule for subreddit names: 3–21 letters, digits and underscores (a few old ones have 2). */
const SUBREDDIT_NAME = /^[A-Za-z0-9][A-Za-z0-9_]{1,20}$/;

export const redditOptions = z
  .strictObject({
    query: z
      .string()
      .trim()
      .min(1)
      .max(512)
      .optional()
      .describe("Searched in post titles and texts across Reddit, or only in `subreddits` when they are given. Reddit's search does not cover comments."),
    subreddits: z
      .array(z.string().regex(SUBREDDIT_NAME, 'a subreddit name without "r/", e.g. "Polska"'))
      .min(1)
      .max(100)
      .optional()
      .describe("Subreddits to watch: their new posts (those matching `query` when it is given) and all their new comments."),
    include: z
      .array(z.enum(["posts", "comments"]))
      .min(1)
      .optional()
      .describe("What to collect. Default: posts, and comments too when `subreddits` are given. Comments need `subreddits`."),
    baseUrl: z
      .url({ protocol: /^https?$/ })
      .default("https://oauth.reddit.com")
      .describe("Root of the OAuth API; change it only for a proxy."),
    authBaseUrl: z
      .url({ protocol: /^https?$/ })
      .default("https://www.reddit.com")
      .describe("Root of the token endpoint (/api/v1/access_token); change it only for a proxy."),
    userAgent: z
      .string()
      .trim()
      .min(1)
      .max(256)
      .optional()
      .describe('User-Agent sent to Reddit, which asks for "<platform>:<app id>:<version> (by /u/<name>)". Default: Earshot\'s own descriptive one.'),
    maxPages: z
      .number()
      .int()
      .min(1)
      .max(10)
      .default(5)
      .describe("Pages of 100 read per stream per poll at most; a longer backlog is read, oldest first, over the next polls."),
  })
  .refine((o) => o.query !== undefined || o.subreddits !== undefined, { message: "give a query, subreddits or both" })
  .refine((o) => !(o.include?.includes("comments") === true && o.subreddits === undefined), {
    message: "comments need subreddits: Reddit's search finds posts only",
    path: ["include"],
  });
export type RedditOptions = z.infer<typeof redditOptions>;

/** Reddit's published budget for an OAuth app: 100 requests a minute (counted over 10 minutes). */
const REDDIT_RATE = { requests: 100, perMs: 60_000 };
/** Reddit's largest page. */
const LIMIT = 100;
/** Below this many requests left in Reddit's window, a poll reads no further pages; the next poll goes on. */
const LOW_QUOTA = 10;
/** Ids remembered at the newest creation second; far more than Reddit posts in one second to one stream. */
const MAX_SEEN = 200;

/** One listing polled on its own: the posts (search or new) or the comments. */
interface Stream {
  name: "posts" | "comments";
  /** Relative to baseUrl, e.g. "r/Polska+poland/new". */
  path: string;
  params: Record<string, string>;
  /** What the stream's cursor belongs to; a cursor written for another path or query is ignored. */
  key: string;
}

/**
 * The cursor holds, per stream (`posts…`, `comments…`):
 * - `Key`: the stream it belongs to.
 * - `Anchor`: fullname of the newest item the listing showed, sent as before=
 *   so Reddit returns the items just newer than it, oldest page first.
 * - `Newest`: created_utc of the newest item handed out, and `Seen` the ids
 *   handed out at exactly that second. They guard against re-emitting, and
 *   they are the fallback when the anchor was deleted and before= finds nothing.
 */
interface StreamCursor {
  key: string;
  anchor: string | null;
  newest: number | null;
  seen: string[];
}

interface Session {
  token: TokenRequest;
  bearer: string | null;
  /** A refused token is replaced once per poll; a second refusal is an error. */
  refreshed: boolean;
  headers: Record<string, string>;
  quotaLow: boolean;
  /** X-Ratelimit-Remaining of the poll's last listing response, for health. */
  quotaLeft: number | undefined;
}

export const reddit: Source<RedditOptions> = {
  kind: SOURCE_KIND,
  options: redditOptions,
  credentials: [
    { name: "clientId", env: "EARSHOT_REDDIT_CLIENT_ID" },
    { name: "clientSecret", env: "EARSHOT_REDDIT_CLIENT_SECRET" },
  ],

  async poll(options: RedditOptions, cursor: Cursor | null, ctx: PollContext): Promise<Page> {
    const clientId = ctx.credentials["clientId"];
    const clientSecret = ctx.credentials["clientSecret"];
    if (!clientId || !clientSecret) {
      throw new SourceError(SOURCE_KIND, "no app credentials: set EARSHOT_REDDIT_CLIENT_ID and EARSHOT_REDDIT_CLIENT_SECRET", false);
    }
    const headers: Record<string, string> = options.userAgent === undefined ? {} : { "user-agent": options.userAgent };
    const session: Session = {
      token: { authBaseUrl: options.authBaseUrl, clientId, clientSecret, headers },
      bearer: null,
      refreshed: false,
      headers,
      quotaLow: false,
      quotaLeft: undefined,
    };

    const fresh: RedditItem[] = [];
    const next: Cursor = {};
    for (const stream of streamsOf(options)) {
      const prev = readStreamCursor(cursor, stream);
      const result = await pollStream(stream, prev, options, session, ctx);
      fresh.push(...result.fresh);
      writeStreamCursor(next, stream, result.next);
    }
    fresh.sort((a, b) => a.createdAt - b.createdAt || (a.mention.sourceId < b.mention.sourceId ? -1 : 1));
    const page: Page = { mentions: fresh.map((f): RawMention => f.mention), cursor: next };
    if (session.quotaLeft !== undefined) page.quotaLeft = session.quotaLeft;
    return page;
  },
};

function streamsOf(options: RedditOptions): Stream[] {
  const include = options.include ?? (options.subreddits === undefined ? ["posts"] : ["posts", "comments"]);
  const multi = options.subreddits === undefined ? undefined : `r/${options.subreddits.join("+")}`;
  const streams: Stream[] = [];
  if (include.includes("posts")) {
    if (options.query !== undefined) {
      const path = multi === undefined ? "search" : `${multi}/search`;
      const params: Record<string, string> = { q: options.query, sort: "new", type: "link" };
      if (multi !== undefined) params["restrict_sr"] = "1";
      streams.push({ name: "posts", path, params, key: `${path}?q=${options.query}` });
    } else if (multi !== undefined) {
      streams.push({ name: "posts", path: `${multi}/new`, params: {}, key: `${multi}/new` });
    }
  }
  if (include.includes("comments") && multi !== undefined) {
    streams.push({ name: "comments", path: `${multi}/comments`, params: {}, key: `${multi}/comments` });
  }
  return streams;
}

async function pollStream(
  stream: Stream,
  prev: StreamCursor | null,
  options: RedditOptions,
  session: Session,
  ctx: PollContext,
): Promise<{ fresh: RedditItem[]; next: StreamCursor }> {
  const seen = new Set(prev?.seen ?? []);
  const newest = prev?.newest ?? null;
  const taken = new Set<string>();
  const fresh: RedditItem[] = [];
  const take = (listing: RedditListing): void => {
    for (const skip of listing.skipped) ctx.log.warn({ stream: stream.name, id: skip.id, reason: skip.reason }, "item skipped");
    for (const item of listing.items) {
      const id = item.mention.sourceId;
      if (taken.has(id)) continue;
      taken.add(id);
      if (newest === null || item.createdAt > newest || (item.createdAt === newest && !seen.has(id))) fresh.push(item);
    }
  };
  const read = (extra: Record<string, string>) => getListing(stream, extra, options, session, ctx);

  let anchor = prev?.anchor ?? null;
  if (anchor === null) {
    // First poll (or an empty listing last time): the newest page is the starting point.
    const page = await read({});
    take(page);
    anchor = page.names[0] ?? null;
  } else {
    for (let pages = 1; ; pages++) {
      const page = await read({ before: anchor });
      if (page.count === 0) {
        // Nothing newer than the anchor, or the anchor was deleted and Reddit cannot
        // place it: only a plain read tells which. One more request per idle poll.
        if (pages === 1) anchor = (await readByTime(read, take, newest, options.maxPages, ctx, stream)) ?? anchor;
        break;
      }
      take(page);
      anchor = page.names[0] ?? anchor;
      if (page.count < LIMIT) break;
      if (pages >= options.maxPages || session.quotaLow) {
        ctx.log.info({ stream: stream.name, pages }, "more new items than this poll reads; the next poll goes on from here");
        break;
      }
    }
  }

  let nextNewest = newest;
  for (const item of fresh) if (nextNewest === null || item.createdAt > nextNewest) nextNewest = item.createdAt;
  const nextSeen = nextNewest === newest ? new Set(seen) : new Set<string>();
  for (const item of fresh) if (item.createdAt === nextNewest) nextSeen.add(item.mention.sourceId);
  ctx.log.debug({ stream: stream.name, fresh: fresh.length }, "stream read");
  return { fresh, next: { key: stream.key, anchor, newest: nextNewest, seen: [...nextSeen].slice(-MAX_SEEN) } };
}

/**
 * The fallback when before= finds nothing: the listing newest first, back
 * (with after=) until it reaches items no newer than the cursor. Returns the
 * new anchor: the newest item listed.
 */
async function readByTime(
  read: (extra: Record<string, string>) => Promise<RedditListing>,
  take: (listing: RedditListing) => void,
  newest: number | null,
  maxPages: number,
  ctx: PollContext,
  stream: Stream,
): Promise<string | null> {
  let anchor: string | null = null;
  let after: string | null = null;
  for (let pages = 1; ; pages++) {
    const page = await read(after === null ? {} : { after });
    anchor ??= page.names[0] ?? null;
    take(page);
    const reachedKnown = newest === null || page.items.some((i) => i.createdAt <= newest);
    // Reddit may send short pages while more follow; only `after` says the listing ended.
    if (reachedKnown || page.count === 0 || page.after === null) return anchor;
    if (pages >= maxPages) {
      ctx.log.warn(
        { stream: stream.name, pages },
        "the last item seen is gone from the listing and more new items came than this poll reads; older ones among them are not collected",
      );
      return anchor;
    }
    after = page.after;
  }
}

async function getListing(stream: Stream, extra: Record<string, string>, options: RedditOptions, session: Session, ctx: PollContext): Promise<RedditListing> {
  const url = new URL(stream.path, withSlash(options.baseUrl));
  for (const [name, value] of Object.entries(stream.params)) url.searchParams.set(name, value);
  url.searchParams.set("limit", String(LIMIT));
  url.searchParams.set("raw_json", "1");
  for (const [name, value] of Object.entries(extra)) url.searchParams.set(name, value);

  const response = await authorizedGet(url, session, ctx);
  if (response.notModified) throw new SourceError(SOURCE_KIND, "unexpected 304 Not Modified from Reddit", true);

  const quota = readQuota(response.headers);
  if (quota.remaining !== undefined && quota.remaining < LOW_QUOTA) session.quotaLow = true;
  if (quota.remaining !== undefined) session.quotaLeft = quota.remaining;
  ctx.log.debug({ stream: stream.name, quotaRemaining: quota.remaining, quotaUsed: quota.used, quotaResetSeconds: quota.resetSeconds }, "reddit quota");

  // Reddit sends a missing subreddit to a search page; reading that as the stream would be wrong.
  const landed = new URL(response.url);
  if (landed.pathname.replace(/\/$/, "") !== url.pathname.replace(/\/$/, "")) {
    throw new SourceError(SOURCE_KIND, `Reddit redirected ${url.pathname} to ${landed.pathname}: does the subreddit exist?`, false);
  }

  try {
    return parseListing(response.text);
  } catch (err) {
    const where = `${url.origin}${url.pathname}`;
    if (isRedditApiError(err)) {
      const retryable = err.status === 429 || (err.status !== undefined && err.status >= 500);
      throw new SourceError(SOURCE_KIND, `${err.message} from ${where}`, retryable, { cause: err });
    }
    // The same answer will fail the same way: retrying cannot help.
    const reason = isRedditParseError(err) ? err.message : `unexpected parser failure: ${err instanceof Error ? err.message : String(err)}`;
    throw new SourceError(SOURCE_KIND, `cannot read the listing at ${where}: ${reason}`, false, { cause: err });
  }
}

/** GET with the app's bearer token; a refused token is replaced once and the request tried again. */
async function authorizedGet(url: URL, session: Session, ctx: PollContext) {
  for (;;) {
    session.bearer ??= await accessToken(session.token, ctx);
    const bearer = session.bearer;
    try {
      return await ctx.http.get(url, {
        accept: "application/json",
        rate: REDDIT_RATE,
        headers: { ...session.headers, authorization: `bearer ${bearer}` },
        signal: ctx.signal,
      });
    } catch (err) {
      if (isHttpError(err) && err.status === 401 && !session.refreshed) {
        // Revoked or expired early: forget it and ask for a new one, once.
        forgetToken(session.token, bearer);
        session.bearer = null;
        session.refreshed = true;
        ctx.log.info({ status: 401 }, "reddit refused the token; asking for a new one");
        continue;
      }
      throw listingError(err);
    }
  }
}

function listingError(err: unknown): SourceError {
  if (!isHttpError(err)) return httpSourceError(SOURCE_KIND, err);
  const hint =
    err.status === 401
      ? "Reddit refused a fresh token too; check the app's access"
      : err.status === 403
        ? "a private, quarantined or banned subreddit?"
        : err.status === 404
          ? "no such subreddit?"
          : undefined;
  if (hint === undefined) return httpSourceError(SOURCE_KIND, err);
  return new SourceError(SOURCE_KIND, `${err.message} (${hint})`, false, { cause: err });
}

function readStreamCursor(cursor: Cursor | null, stream: Stream): StreamCursor | null {
  if (!cursor || cursor[`${stream.name}Key`] !== stream.key) return null;
  const anchor = cursor[`${stream.name}Anchor`];
  const newest = cursor[`${stream.name}Newest`];
  return {
    key: stream.key,
    anchor: typeof anchor === "string" && anchor !== "" ? anchor : null,
    newest: typeof newest === "number" && Number.isFinite(newest) ? newest : null,
    seen: readList(cursor[`${stream.name}Seen`]),
  };
}

/** Cursor values are scalars, so the id list travels as a JSON string. */
function readList(value: unknown): string[] {
  if (typeof value !== "string") return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

function writeStreamCursor(out: Cursor, stream: Stream, c: StreamCursor): void {
  out[`${stream.name}Key`] = c.key;
  out[`${stream.name}Anchor`] = c.anchor;
  out[`${stream.name}Newest`] = c.newest;
  out[`${stream.name}Seen`] = JSON.stringify(c.seen);
}

function withSlash(base: string): string {
  return base.endsWith("/") ? base : `${base}/`;
}
