import { z } from "zod";
import { isHttpError } from "../http";
import { httpSourceError } from "../http-source-error";
import { SourceError, type Cursor, type Page, type PollContext, type RawMention, type Source } from "../source";
import { isHnParseError, parseSearchPage, SOURCE_KIND, type HnMention } from "./parse";

export const hackernewsOptions = z.strictObject({
  query: z
    .string()
    .trim()
    .min(1)
    .max(512)
    .describe("What to search for in stories and comments, as Algolia reads it (every word must match; \"quotes\" for a phrase)."),
  tags: z.enum(["stories", "comments", "both"]).default("both").describe("Which items to collect: stories, comments or both."),
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .default("https://hn.algolia.com")
    .describe("Root of the Algolia HN Search API (no /api/v1); change it only for a proxy or mirror."),
  maxPages: z
    .number()
    .int()
    .min(1)
    .max(10)
    .default(5)
    .describe("Pages of 100 hits read per poll at most; a longer backlog is read over the next polls, oldest part last."),
});
export type HackernewsOptions = z.infer<typeof hackernewsOptions>;

/** Relative, so a baseUrl with a path (a proxy at https://proxy.example/hn) keeps it. */
const SEARCH_PATH = "api/v1/search_by_date";
/** Algolia serves at most 1000 hits per query; 100 a page × maxPages ≤ 10 stays inside it. */
const HITS_PER_PAGE = 100;
/**
 * Algolia indexes HN items a little after they are posted, and an item keeps
 * its creation time. Each poll therefore looks this far behind the newest item
 * handed out and skips ids it already handed out, so a late-indexed item is
 * still collected once.
 */
const LOOKBACK_SECONDS = 600;
/** Ids remembered for the lookback; well above what a brand query sees in ten minutes. */
const MAX_REMEMBERED_IDS = 1000;

/** Algolia's published limit for the HN API: 10,000 requests an hour per IP address. */
const RATE = { requests: 10_000, perMs: 3_600_000 };

const TAG_FILTER: Readonly<Record<HackernewsOptions["tags"], string>> = {
  stories: "story",
  comments: "comment",
  both: "(story,comment)",
};

/**
 * What the cursor holds (times are created_at_i, seconds):
 * - `key`: query and tags it belongs to; a cursor of another search is ignored.
 * - `since`: every item up to this time has been handed out (lookback aside).
 * - `top`: the newest item handed out; equals `since` unless a backlog is open.
 * - `upper`: when a poll hit maxPages, the oldest time it reached. The backlog
 *   between `since` and `upper` is read, newest first, by the following polls
 *   before anything newer than `top`; then `since` moves to `top`. Null when
 *   there is no backlog.
 * - `recent`: ids already handed out that a later query can return again (those
 *   in the lookback windows and at `upper`), with their times, as JSON.
 */
interface HnCursor {
  key: string;
  since: number | null;
  top: number | null;
  upper: number | null;
  recent: Map<string, number>;
}

export const hackernews: Source<HackernewsOptions> = {
  kind: SOURCE_KIND,
  options: hackernewsOptions,

  async poll(options: HackernewsOptions, cursor: Cursor | null, ctx: PollContext): Promise<Page> {
    const key = cursorKey(options);
    const prev = readCursor(cursor, key);
    const lower = prev?.since == null ? null : prev.since - LOOKBACK_SECONDS;
    const upper = prev?.upper ?? null;
    // The first poll takes one page: the newest items are a starting point, not the whole history.
    const maxPages = prev?.since == null ? 1 : options.maxPages;
    const fetched = await fetchPages(options, lower, upper, maxPages, ctx);

    // Algolia applies the bounds; checking them here as well keeps a proxy or
    // mirror that ignores numericFilters from re-emitting what lies outside them.
    const inRange = fetched.hits.filter((h) => (lower === null || h.createdAt >= lower) && (upper === null || h.createdAt <= upper));
    const recent = new Map(prev?.recent ?? []);
    const fresh: HnMention[] = [];
    for (const hit of inRange) {
      const id = hit.mention.sourceId;
      if (recent.has(id)) continue;
      recent.set(id, hit.createdAt);
      fresh.push(hit);
    }

    const times = inRange.map((h) => h.createdAt);
    const newestFetched = times.length > 0 ? Math.max(...times) : null;
    const oldestFetched = times.length > 0 ? Math.min(...times) : null;
    const next: HnCursor = { key, since: prev?.since ?? null, top: prev?.top ?? null, upper, recent };
    next.top = maxOf(next.top, newestFetched);
    if (prev?.since == null) {
      next.since = next.top;
    } else if (fetched.truncated && oldestFetched !== null) {
      // More than maxPages: keep the backlog open below the oldest item reached.
      next.upper = oldestFetched;
    } else {
      // Everything newer than `since` (or the whole backlog) has been read.
      next.since = next.top;
      next.upper = null;
    }
    prune(next);

    fresh.sort((a, b) => a.createdAt - b.createdAt || compareIds(a.mention.sourceId, b.mention.sourceId));
    ctx.log.debug(
      { pages: fetched.pages, hits: fetched.hits.length, fresh: fresh.length, backlog: next.upper !== null },
      next.upper !== null ? "search read; older items remain for the next polls" : "search read",
    );
    return { mentions: fresh.map((f): RawMention => f.mention), cursor: writeCursor(next) };
  },
};

interface Fetched {
  hits: HnMention[];
  pages: number;
  /** The query matched more than the pages read. */
  truncated: boolean;
}

async function fetchPages(options: HackernewsOptions, lower: number | null, upper: number | null, maxPages: number, ctx: PollContext): Promise<Fetched> {
  const hits: HnMention[] = [];
  let seenHits = 0;
  for (let page = 0; ; page++) {
    const url = searchUrl(options, lower, upper, page);
    const text = await getText(url, ctx);
    let parsed;
    try {
      parsed = parseSearchPage(text);
    } catch (err) {
      // The same answer will fail the same way: retrying cannot help.
      const reason = isHnParseError(err) ? err.message : `unexpected parser failure: ${err instanceof Error ? err.message : String(err)}`;
      throw new SourceError(SOURCE_KIND, `cannot read the search page ${page}: ${reason}`, false, { cause: err });
    }
    for (const skip of parsed.skipped) ctx.log.warn({ id: skip.id, reason: skip.reason }, "hit skipped");
    hits.push(...parsed.hits);
    seenHits += parsed.hits.length + parsed.skipped.length;
    const lastPage = parsed.hits.length + parsed.skipped.length === 0 || page + 1 >= parsed.nbPages;
    if (lastPage) {
      // nbPages stops at Algolia's 1000-hit window; nbHits tells when the query matched more.
      const beyondWindow = parsed.nbHits !== undefined && seenHits < parsed.nbHits;
      return { hits, pages: page + 1, truncated: beyondWindow && hits.length > 0 };
    }
    if (page + 1 >= maxPages) return { hits, pages: page + 1, truncated: hits.length > 0 };
  }
}

function searchUrl(options: HackernewsOptions, lower: number | null, upper: number | null, page: number): URL {
  const url = new URL(SEARCH_PATH, withSlash(options.baseUrl));
  const filters: string[] = [];
  if (lower !== null) filters.push(`created_at_i>=${lower}`);
  if (upper !== null) filters.push(`created_at_i<=${upper}`);
  url.searchParams.set("query", options.query);
  url.searchParams.set("tags", TAG_FILTER[options.tags]);
  if (filters.length > 0) url.searchParams.set("numericFilters", filters.join(","));
  url.searchParams.set("hitsPerPage", String(HITS_PER_PAGE));
  url.searchParams.set("page", String(page));
  return url;
}

async function getText(url: URL, ctx: PollContext): Promise<string> {
  let response;
  try {
    response = await ctx.http.get(url, { accept: "application/json", rate: RATE, signal: ctx.signal });
  } catch (err) {
    if (isHttpError(err) && err.status === 400) {
      // Algolia answers 400 to parameters it refuses; the search as configured will not work until it changes.
      throw new SourceError(SOURCE_KIND, `${err.message}: the search API refused the query or filters`, false, { cause: err });
    }
    throw httpSourceError(SOURCE_KIND, err);
  }
  // No validators are sent, so a 304 would be a misbehaving proxy.
  if (response.notModified) throw new SourceError(SOURCE_KIND, "unexpected 304 Not Modified from the search API", true);
  return response.text;
}

/** Keeps only the ids a later query can return again; see HnCursor. */
function prune(c: HnCursor): void {
  const since = c.since;
  const top = c.top;
  for (const [id, at] of c.recent) {
    const inSinceWindow = since !== null && at >= since - LOOKBACK_SECONDS && at <= since;
    const inTopWindow = top !== null && at >= top - LOOKBACK_SECONDS;
    const atUpper = c.upper !== null && at === c.upper;
    if (!inSinceWindow && !inTopWindow && !atUpper) c.recent.delete(id);
  }
  if (c.recent.size > MAX_REMEMBERED_IDS) {
    const newest = [...c.recent].sort((a, b) => b[1] - a[1]).slice(0, MAX_REMEMBERED_IDS);
    c.recent = new Map(newest);
  }
}

function cursorKey(options: HackernewsOptions): string {
  return `${options.tags}:${options.query}`;
}

function readCursor(cursor: Cursor | null, key: string): HnCursor | null {
  if (!cursor || cursor["key"] !== key) return null;
  const time = (v: unknown) => (typeof v === "number" && Number.isSafeInteger(v) ? v : null);
  return {
    key,
    since: time(cursor["since"]),
    top: time(cursor["top"]),
    upper: time(cursor["upper"]),
    recent: readRecent(cursor["recent"]),
  };
}

/** Cursor values are scalars, so the ids travel as a JSON object of id → time. */
function readRecent(value: unknown): Map<string, number> {
  const out = new Map<string, number>();
  if (typeof value !== "string") return out;
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return out;
    for (const [id, at] of Object.entries(parsed)) if (typeof at === "number" && Number.isSafeInteger(at)) out.set(id, at);
  } catch {
    // An unreadable list only means some recent ids may be handed out again; the store dedupes them.
  }
  return out;
}

function writeCursor(c: HnCursor): Cursor {
  return { key: c.key, since: c.since, top: c.top, upper: c.upper, recent: JSON.stringify(Object.fromEntries(c.recent)) };
}

function maxOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

/** HN ids are numbers in strings: order them as numbers, whatever their length. */
function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

function withSlash(base: string): string {
  return base.endsWith("/") ? base : `${base}/`;
}
