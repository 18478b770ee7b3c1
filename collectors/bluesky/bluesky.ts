import { z } from "zod";
import { isHttpError, type BodyResponse } from "../http";
import { httpSourceError } from "../http-source-error";
import { SourceError, type Cursor, type Page, type PollContext, type RawMention, type Source } from "../source";
import { isBlueskyParseError, parseProfiles, parseSearchPosts, SOURCE_KIND } from "./parse";
import { advanceSearch, readSearchState, writeSearchState, type SearchState } from "./search-cursor";
import { createSessionCache, IDENTIFIER_ENV, PASSWORD_ENV, type Account, type Session, type SessionCache } from "./xrpc-session";

/**
 * Bluesky posts matching a search, through app.bsky.feed.searchPosts.
 *
 * Plain XRPC over SafeHttp rather than @atproto/api: every request a
 * collector makes must go through SafeHttp, whose private-address guard,
 * size cap and timeouts (and, for GETs, its retries) apply to each request;
 * @atproto/api sends through `fetch` unless handed a fetch handler, and
 * adapting SafeHttp to Request/Response objects would be more code than the
 * calls themselves. Those are few and documented (createSession,
 * refreshSession, searchPosts, getProfiles), each a GET or POST of JSON with
 * a bearer token, so a client library would add a dependency without
 * removing any real work.
 *
 * It signs in with an app password even though the public AppView
 * (https://public.api.bsky.app) answers some searches without one: anonymous
 * search has been restricted at times, and a signed-in request keeps
 * working when it is.
 */

/** searchPosts' largest page. */
export const SEARCH_LIMIT = 100;
/** getProfiles takes at most 25 actors per call. */
const PROFILES_PER_CALL = 25;
/** Reach is looked up for at most 100 new authors per poll; the rest get theirs when they post again. */
const MAX_PROFILE_CALLS = 4;
/** Follower counts change slowly: a day-old count is good enough to rank a mention. */
const REACH_TTL_MS = 24 * 3600_000;
const REACH_MAX_ENTRIES = 10_000;

export const blueskyOptions = z.strictObject({
  query: z
    .string()
    .trim()
    .min(1)
    .max(300)
    .describe('What to search, as in the Bluesky app: words, "exact phrases", #tags, from:handle, domain:example.com. Read newest first.'),
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .default("https://bsky.social")
    .describe("Where the account signs in and searches: https://bsky.social for accounts Bluesky hosts, or your own PDS."),
  lang: z.string().min(2).max(35).optional().describe('Only posts their authors marked with this language, e.g. "pl".'),
  maxPages: z
    .number()
    .int()
    .min(1)
    .max(20)
    .default(5)
    .describe(`Pages of ${SEARCH_LIMIT} posts read in one poll; the rest waits for the next poll.`),
});
export type BlueskyOptions = z.infer<typeof blueskyOptions>;

/** A post read this poll, collected or not (a post that could not be read still moves the cursor). */
interface ReadPost {
  uri: string;
  sortAt: number;
  did: string | undefined;
  mention: RawMention | null;
}

/**
 * A Bluesky source with its own session and reach caches. Sessions are kept
 * per service and identifier for the life of the process (never in the
 * cursor, which is stored in the database).
 */
export function createBluesky(): Source<BlueskyOptions> {
  const sessions = createSessionCache();
  const reach = new Map<string, { followers: number; at: number }>();

  return {
    kind: SOURCE_KIND,
    options: blueskyOptions,
    credentials: [
      { name: "identifier", env: IDENTIFIER_ENV },
      { name: "appPassword", env: PASSWORD_ENV },
    ],

    async poll(options: BlueskyOptions, cursor: Cursor | null, ctx: PollContext): Promise<Page> {
      const identifier = ctx.credentials["identifier"];
      const password = ctx.credentials["appPassword"];
      if (identifier === undefined || password === undefined) {
        // The scheduler keeps a source without its credentials off; this is for anyone calling poll directly.
        throw new SourceError(SOURCE_KIND, `set ${IDENTIFIER_ENV} and ${PASSWORD_ENV} (an app password)`, false);
      }
      const xrpc = new Xrpc({ service: options.baseUrl.replace(/\/+$/, ""), identifier, password }, sessions, ctx);
      const prev = readCursor(cursor, options);
      const read = await readSearch(xrpc, options, prev);
      const nowMs = ctx.now().getTime();
      const { fresh, next } = advanceSearch(prev, read.posts, read.gapBelow, nowMs);
      if (read.gapBelow !== null) ctx.log.warn({ maxPages: options.maxPages }, "search has more new posts than maxPages: the rest is read next poll");

      const collected = fresh.filter((p): p is ReadPost & { mention: RawMention } => p.mention !== null);
      await addReach(collected, xrpc, reach, ctx);
      ctx.log.debug({ read: read.posts.length, fresh: collected.length, rateLimitRemaining: xrpc.rateLimitRemaining }, "search read");
      return {
        mentions: collected.map((p) => p.mention),
        cursor: next === null ? cursor : { query: options.query, lang: options.lang ?? null, ...writeSearchState(next) },
      };
    },
  };
}

export const bluesky = createBluesky();

/**
 * Newest first from the top (or from the gap a capped read left) down to the
 * cursor's floor, following searchPosts' own `cursor` from page to page. The
 * first poll reads one page.
 */
async function readSearch(xrpc: Xrpc, options: BlueskyOptions, prev: SearchState | null): Promise<{ posts: ReadPost[]; gapBelow: number | null }> {
  const posts: ReadPost[] = [];
  let pageCursor: string | undefined;
  for (let pages = 1; ; pages++) {
    const params = new URLSearchParams({ q: options.query, sort: "latest", limit: String(SEARCH_LIMIT) });
    if (options.lang !== undefined) params.set("lang", options.lang);
    if (prev !== null) params.set("since", new Date(prev.floor).toISOString());
    // `until` is exclusive; the gap's own lowest post is read again and skipped as seen.
    if (prev?.gapBelow != null) params.set("until", new Date(prev.gapBelow + 1).toISOString());
    if (pageCursor !== undefined) params.set("cursor", pageCursor);
    const response = await xrpc.query("app.bsky.feed.searchPosts", params);
    const page = parse(response, parseSearchPosts, "the search");
    for (const s of page.skipped) xrpc.ctx.log.warn({ uri: s.uri, reason: s.reason }, "post skipped");
    const onPage: ReadPost[] = [
      ...page.posts.map((p) => ({ uri: p.uri, sortAt: p.sortAt, did: p.did, mention: p.mention })),
      ...page.skipped.flatMap((s) => (s.uri === undefined || s.sortAt === undefined ? [] : [{ uri: s.uri, sortAt: s.sortAt, did: undefined, mention: null }])),
    ];
    posts.push(...onPage);
    if (prev === null || page.cursor === undefined || page.count === 0) return { posts, gapBelow: null };
    const lowest = onPage.reduce<number | null>((low, p) => (low === null || p.sortAt < low ? p.sortAt : low), null);
    // Down at the floor: older posts are done.
    if (lowest === null || lowest <= prev.floor) return { posts, gapBelow: null };
    if (pages >= options.maxPages) return { posts, gapBelow: lowest };
    pageCursor = page.cursor;
  }
}

/** Followers of the new authors, from a cache or getProfiles in batches; a failure leaves reach out, not the posts. */
async function addReach(
  posts: readonly (ReadPost & { mention: RawMention })[],
  xrpc: Xrpc,
  reach: Map<string, { followers: number; at: number }>,
  ctx: PollContext,
): Promise<void> {
  const now = ctx.now().getTime();
  const known = (did: string) => {
    const entry = reach.get(did);
    return entry !== undefined && now - entry.at < REACH_TTL_MS;
  };
  const wanted = [...new Set(posts.flatMap((p) => (p.did === undefined || known(p.did) ? [] : [p.did])))];
  for (let i = 0; i < wanted.length && i < PROFILES_PER_CALL * MAX_PROFILE_CALLS; i += PROFILES_PER_CALL) {
    const batch = wanted.slice(i, i + PROFILES_PER_CALL);
    const params = new URLSearchParams();
    for (const did of batch) params.append("actors", did);
    let followers: Map<string, number>;
    try {
      followers = parse(await xrpc.query("app.bsky.actor.getProfiles", params), parseProfiles, "the profiles");
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      ctx.log.warn({ err: err instanceof Error ? err.message : String(err) }, "author reach not read; posts go out without it");
      break;
    }
    for (const [did, count] of followers) {
      reach.delete(did);
      reach.set(did, { followers: count, at: now });
    }
  }
  // Oldest first out: a Map iterates in insertion order.
  for (const did of reach.keys()) {
    if (reach.size <= REACH_MAX_ENTRIES) break;
    reach.delete(did);
  }
  for (const p of posts) {
    const entry = p.did === undefined ? undefined : reach.get(p.did);
    if (entry !== undefined) p.mention.author = { ...p.mention.author, followers: entry.followers };
  }
}

/** The XRPC queries of one poll: the session, one renewal when the server refuses it, error wording. */
class Xrpc {
  rateLimitRemaining: number | undefined;
  private session: Session | undefined;
  private renewed = false;

  constructor(
    private readonly account: Account,
    private readonly sessions: SessionCache,
    readonly ctx: PollContext,
  ) {}

  async query(nsid: string, params: URLSearchParams): Promise<BodyResponse> {
    const url = `${this.account.service}/xrpc/${nsid}?${params}`;
    this.session ??= await this.sessions.current(this.account, this.ctx);
    try {
      return await this.get(url, this.session);
    } catch (err) {
      // An expired token is HTTP 400 {"error":"ExpiredToken"} (401 on some
      // servers). SafeHttp does not keep an error's body, so it cannot be told
      // from a rejected query by name: renew once per poll and try again; a
      // second refusal is the request's own fault.
      if (this.renewed || !isHttpError(err) || (err.status !== 400 && err.status !== 401)) throw this.error(err, nsid);
      this.renewed = true;
      this.session = await this.sessions.renew(this.account, this.session, this.ctx);
      try {
        return await this.get(url, this.session);
      } catch (again) {
        throw this.error(again, nsid);
      }
    }
  }

  private async get(url: string, session: Session): Promise<BodyResponse> {
    const response = await this.ctx.http.get(url, {
      accept: "application/json",
      headers: { authorization: `Bearer ${session.accessJwt}` },
      signal: this.ctx.signal,
    });
    if (response.notModified) throw new SourceError(SOURCE_KIND, `unexpected 304 from ${url.split("?")[0]}`, true);
    const remaining = Number(response.headers["ratelimit-remaining"]);
    if (Number.isFinite(remaining)) this.rateLimitRemaining = remaining;
    return response;
  }

  private error(err: unknown, nsid: string): SourceError {
    if (!isHttpError(err)) return err instanceof SourceError ? err : httpSourceError(SOURCE_KIND, err);
    const hint =
      err.status === 400
        ? `${nsid} refused the request with a renewed session too: is the query valid?`
        : err.status === 401
          ? `the renewed session was refused: check ${IDENTIFIER_ENV} and ${PASSWORD_ENV}`
          : err.status === 403
            ? "the account may not use this (suspended, or search closed to it)"
            : err.status === 404 || err.status === 501
              ? `baseUrl does not serve ${nsid}: is it a Bluesky PDS or https://bsky.social?`
              : undefined;
    if (hint === undefined) return httpSourceError(SOURCE_KIND, err);
    return new SourceError(SOURCE_KIND, `${err.message}: ${hint}`, false, { cause: err });
  }
}

function parse<T>(response: BodyResponse, read: (payload: string) => T, what: string): T {
  try {
    return read(response.text);
  } catch (err) {
    // The same bytes fail the same way: not retryable until the server answers differently.
    const reason = isBlueskyParseError(err) ? err.message : `unexpected parser failure: ${err instanceof Error ? err.message : String(err)}`;
    const u = new URL(response.url);
    throw new SourceError(SOURCE_KIND, `cannot read ${what} from ${u.origin}${u.pathname}: ${reason}`, false, { cause: err });
  }
}

/**
 * The cursor: the query and language it belongs to (another query starts
 * afresh), and the search state (see search-cursor.ts) with ISO times.
 */
function readCursor(cursor: Cursor | null, options: BlueskyOptions): SearchState | null {
  if (cursor === null || cursor["query"] !== options.query || (cursor["lang"] ?? null) !== (options.lang ?? null)) return null;
  return readSearchState(cursor);
}
