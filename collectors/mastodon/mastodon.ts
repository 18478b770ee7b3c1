import { z } from "zod";
import { isHttpError, type BodyResponse } from "../http";
import { httpSourceError } from "../http-source-error";
import { SourceError, type Cursor, type Page, type PollContext, type RawMention, type Source } from "../source";
import { parseLinkHeader } from "./link-header";
import { isMastodonParseError, parseSearch, parseTimeline, SOURCE_KIND, type ParsedStatuses, type TimelineEntry } from "./parse";
import { advanceStream, compareIds, readStreamState, writeStreamState, type StreamState } from "./stream-cursor";

/** Mastodon's largest page for timelines and search. */
export const PAGE_LIMIT = 40;
/**
 * Pages a hashtag read may spend on statuses it has already handed out (the
 * lookback window, see stream-cursor.ts) without counting them against
 * maxPages: MAX_SEEN ids fill three pages. Without this a busy tag could spend
 * every page re-reading its window and never reach the new statuses.
 */
const WINDOW_PAGES = 3;
const TOKEN_ENV = "EARSHOT_MASTODON_TOKEN";

/** A hashtag as people write it, with or without "#": letters of any script, digits, "_" (and the "·" Mastodon allows). */
const hashtag = z
  .string()
  .trim()
  .regex(/^#?[\p{L}\p{M}\p{N}_·]{1,100}$/u, "a hashtag: letters, digits and _, with or without the leading #")
  .transform((tag) => tag.replace(/^#/, ""));

export const mastodonOptions = z
  .strictObject({
    baseUrl: z
      .url({ protocol: /^https?$/ })
      .describe("The server to read, e.g. https://mastodon.social. Each server sees the posts its users follow or that reach it by relay: pick a large one, or list several sources."),
    hashtags: z
      .array(hashtag)
      .max(20)
      .default([])
      .describe("Hashtags whose public timelines are read (no token needed), e.g. [\"lumio\", \"люмио\"]."),
    query: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .optional()
      .describe(`Full-text status search on that server. Needs ${TOKEN_ENV} (Mastodon searches statuses only for signed-in users) and a server with full-text search.`),
    maxPages: z
      .number()
      .int()
      .min(1)
      .max(25)
      .default(5)
      .describe(`Pages of ${PAGE_LIMIT} statuses read per hashtag and for the query in one poll; the rest waits for the next poll.`),
  })
  .refine((o) => o.hashtags.length > 0 || o.query !== undefined, { message: "give at least one hashtag or a query", path: ["hashtags"] });
export type MastodonOptions = z.infer<typeof mastodonOptions>;

/** What one stream's read returned: every entry read, and where a newest-first read stopped early. */
interface StreamRead {
  entries: TimelineEntry[];
  gapBelow: string | null;
}

/**
 * The cursor: `server` (a cursor from another server is ignored: ids are per
 * server) and one key per stream, `tag:<hashtag>` and `search`, whose value is
 * the stream's state as JSON (see stream-cursor.ts), and `searchQuery`, the
 * query the search state belongs to: changing the query starts it afresh.
 */
export const mastodon: Source<MastodonOptions> = {
  kind: SOURCE_KIND,
  options: mastodonOptions,
  credentials: [{ name: "token", env: TOKEN_ENV, optional: true }],

  async poll(options: MastodonOptions, cursor: Cursor | null, ctx: PollContext): Promise<Page> {
    const token = ctx.credentials["token"];
    if (options.query !== undefined && token === undefined) {
      throw new SourceError(SOURCE_KIND, `the query option needs ${TOKEN_ENV}: Mastodon searches statuses only for signed-in users (or remove query and keep hashtags)`, false);
    }
    const server = options.baseUrl.replace(/\/+$/, "");
    const api = new MastodonApi(server, token, ctx);
    const previous = cursor !== null && cursor["server"] === server ? cursor : null;
    const next: Cursor = { server };
    const collected = new Map<string, { id: string; mention: RawMention }>();

    const take = (key: string, prev: StreamState | null, read: StreamRead) => {
      const { fresh, next: state } = advanceStream(prev, read.entries, read.gapBelow);
      if (state !== null) next[key] = writeStreamState(state);
      // The same post under two hashtags (or a boost and its original) is one mention.
      for (const e of fresh) if (e.mention !== null && !collected.has(e.mention.sourceId)) collected.set(e.mention.sourceId, { id: e.id, mention: e.mention });
      return fresh.length;
    };

    for (const tag of new Set(options.hashtags.map((t) => t.toLowerCase()))) {
      const key = `tag:${tag}`;
      const prev = previous === null ? null : readStreamState(previous[key]);
      const read = await readHashtag(api, tag, prev, options.maxPages);
      const fresh = take(key, prev, read);
      ctx.log.debug({ stream: key, read: read.entries.length, fresh }, "hashtag read");
    }

    if (options.query !== undefined) {
      const prev = previous !== null && previous["searchQuery"] === options.query ? readStreamState(previous["search"]) : null;
      const read = await readSearch(api, options.query, prev, options.maxPages);
      const fresh = take("search", prev, read);
      next["searchQuery"] = options.query;
      if (read.gapBelow !== null) ctx.log.warn({ maxPages: options.maxPages }, "search has more new statuses than maxPages: the rest is read next poll");
      ctx.log.debug({ stream: "search", read: read.entries.length, fresh }, "search read");
    }

    const mentions = [...collected.values()].sort((a, b) => compareIds(a.id, b.id)).map((e) => e.mention);
    if (api.rateLimitRemaining === undefined) return { mentions, cursor: next };
    ctx.log.debug({ rateLimitRemaining: api.rateLimitRemaining }, "rate limit left");
    return { mentions, cursor: next, quotaLeft: api.rateLimitRemaining };
  },
};

/**
 * A hashtag timeline, oldest first from the stream's floor: `min_id` returns
 * the statuses right after it, and the Link header's rel="prev" continues from
 * the newest of a full page. A read that stops at maxPages has read everything
 * up to where it stopped, so the next poll goes on from there: nothing is skipped.
 * The first poll reads only the newest page.
 */
async function readHashtag(api: MastodonApi, tag: string, prev: StreamState | null, maxPages: number): Promise<StreamRead> {
  const base = `${api.server}/api/v1/timelines/tag/${encodeURIComponent(tag)}`;
  let url = prev === null ? `${base}?limit=${PAGE_LIMIT}` : `${base}?limit=${PAGE_LIMIT}&min_id=${encodeURIComponent(prev.floor)}`;
  let minId = prev?.floor ?? null;
  const entries: TimelineEntry[] = [];
  let counted = 0;
  let windowPages = 0;
  for (;;) {
    const response = await api.get(url);
    const page = api.parse(response, parseTimeline, `#${tag}`);
    entries.push(...page.entries, ...page.skipped.flatMap((s) => (s.id === undefined ? [] : [{ id: s.id, mention: null }])));
    if (prev === null || page.count < PAGE_LIMIT) break;
    const ids = [...page.entries.map((e) => e.id), ...page.skipped.flatMap((s) => (s.id === undefined ? [] : [s.id]))];
    const top = ids.reduce<string | null>((a, b) => (a === null || compareIds(b, a) > 0 ? b : a), null);
    if (top === null) break;
    if (compareIds(top, prev.newest) <= 0 && windowPages < WINDOW_PAGES) windowPages++;
    else counted++;
    if (counted >= maxPages) break;
    // A page that does not move past where it started would repeat forever.
    if (minId !== null && compareIds(top, minId) <= 0) break;
    url = api.sameServer(parseLinkHeader(response.headers["link"], response.url).get("prev"), "min_id", top) ?? `${base}?limit=${PAGE_LIMIT}&min_id=${encodeURIComponent(top)}`;
    minId = top;
  }
  return { entries, gapBelow: null };
}

/**
 * The status search, newest first: Mastodon's search has no "right after"
 * paging, so a read starts at the top (or at the gap a capped read left) and
 * walks down with max_id to the stream's floor. Stopping at maxPages leaves a
 * gap that the next poll reads before anything newer.
 */
async function readSearch(api: MastodonApi, query: string, prev: StreamState | null, maxPages: number): Promise<StreamRead> {
  const entries: TimelineEntry[] = [];
  let maxId = prev?.gapBelow ?? null;
  for (let pages = 1; ; pages++) {
    const params = new URLSearchParams({ q: query, type: "statuses", limit: String(PAGE_LIMIT) });
    if (prev !== null) params.set("min_id", prev.floor);
    if (maxId !== null) params.set("max_id", maxId);
    const response = await api.get(`${api.server}/api/v2/search?${params}`);
    const page = api.parse(response, parseSearch, "the search");
    entries.push(...page.entries, ...page.skipped.flatMap((s) => (s.id === undefined ? [] : [{ id: s.id, mention: null }])));
    if (prev === null || page.count < PAGE_LIMIT) return { entries, gapBelow: null };
    const ids = [...page.entries.map((e) => e.id), ...page.skipped.flatMap((s) => (s.id === undefined ? [] : [s.id]))];
    const lowest = ids.reduce<string | null>((a, b) => (a === null || compareIds(b, a) < 0 ? b : a), null);
    // Down at the floor (or a server that ignores min_id): nothing older is wanted.
    if (lowest === null || compareIds(lowest, prev.floor) <= 0) return { entries, gapBelow: null };
    if (maxId !== null && compareIds(lowest, maxId) >= 0) return { entries, gapBelow: null };
    if (pages >= maxPages) return { entries, gapBelow: lowest };
    maxId = lowest;
  }
}

/** The requests of one poll: the token, error wording and rate-limit reading in one place. */
class MastodonApi {
  rateLimitRemaining: number | undefined;
  constructor(
    readonly server: string,
    private readonly token: string | undefined,
    private readonly ctx: PollContext,
  ) {}

  async get(url: string): Promise<BodyResponse> {
    let response;
    try {
      // The token goes to this one server only: SafeHttp drops it on a redirect elsewhere.
      response = await this.ctx.http.get(url, {
        accept: "application/json",
        signal: this.ctx.signal,
        ...(this.token === undefined ? {} : { headers: { authorization: `Bearer ${this.token}` } }),
      });
    } catch (err) {
      throw this.requestError(err);
    }
    if (response.notModified) throw new SourceError(SOURCE_KIND, `unexpected 304 from ${redact(url)}`, true);
    const remaining = Number(response.headers["x-ratelimit-remaining"]);
    if (Number.isFinite(remaining)) this.rateLimitRemaining = remaining;
    return response;
  }

  parse(response: BodyResponse, parse: (payload: string) => ParsedStatuses, what: string): ParsedStatuses {
    let page: ParsedStatuses;
    try {
      page = parse(response.text);
    } catch (err) {
      // The same bytes fail the same way: not retryable until the server answers differently.
      const reason = isMastodonParseError(err) ? err.message : `unexpected parser failure: ${err instanceof Error ? err.message : String(err)}`;
      throw new SourceError(SOURCE_KIND, `cannot read ${what} from ${redact(response.url)}: ${reason}`, false, { cause: err });
    }
    for (const s of page.skipped) this.ctx.log.warn({ statusId: s.id, reason: s.reason }, "status skipped");
    return page;
  }

  /** A Link target on this server whose `param` is `value`; anything else (another host could receive the token) is not followed. */
  sameServer(link: string | undefined, param: string, value: string): string | undefined {
    if (link === undefined) return undefined;
    const url = new URL(link);
    if (url.origin !== new URL(this.server).origin || url.searchParams.get(param) !== value) return undefined;
    return url.href;
  }

  private requestError(err: unknown): SourceError {
    if (!isHttpError(err)) return httpSourceError(SOURCE_KIND, err);
    const hint =
      err.status === 401
        ? this.token === undefined
          ? `the server lets only signed-in users read this: set ${TOKEN_ENV}`
          : `the server refused the access token: check ${TOKEN_ENV}`
        : err.status === 403
          ? this.token === undefined
            ? `the server does not show this to visitors: set ${TOKEN_ENV}`
            : `the token may not read this (it needs the "read:statuses" or "read" scope)`
          : err.status === 404
            ? "no Mastodon API there: is baseUrl the server's address?"
            : undefined;
    if (hint === undefined) return httpSourceError(SOURCE_KIND, err);
    return new SourceError(SOURCE_KIND, `${err.message}: ${hint}`, false, { cause: err });
  }
}

function redact(href: string): string {
  try {
    const u = new URL(href);
    return `${u.origin}${u.pathname}`;
  } catch {
    return "(unparseable URL)";
  }
}
