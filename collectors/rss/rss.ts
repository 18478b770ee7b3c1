import { createHash } from "node:crypto";
import { z } from "zod";
import { httpSourceError } from "../http-source-error";
import { SourceError, type Cursor, type Page, type PollContext, type RawMention, type Source } from "../source";
import { isFeedParseError, parseFeed, SOURCE_KIND } from "./parse";

export const rssOptions = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).describe("The feed itself (RSS, Atom, JSON Feed), not the site's home page."),
  lang: z.string().min(2).max(35).optional().describe("Language to record when the feed does not say or says wrongly, e.g. \"pl\"."),
});
export type RssOptions = z.infer<typeof rssOptions>;

const ACCEPT = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5";

/**
 * Ids remembered for the newest timestamp. Feeds that stamp every item with the
 * build time put the whole feed at one timestamp, so this must hold a full feed;
 * ids are hashed to keep the cursor small.
 */
const MAX_REMEMBERED_IDS = 200;

/**
 * What the cursor holds, all small:
 * - `url`: the feed it belongs to; a cursor from another URL is ignored, so
 *   reordering the configuration cannot make one feed skip by another's clock.
 * - `etag`, `lastModified`: sent back for a conditional GET.
 * - `newest`: the newest publishedAt handed out (ISO), clamped to the poll's clock.
 * - `seen`: hashed ids already handed out at exactly `newest`.
 * - `undated`: hashed ids of the items without a date in the last response.
 */
interface RssCursor {
  url: string;
  etag: string | null;
  lastModified: string | null;
  newest: string | null;
  seen: string[];
  undated: string[];
}

export const rss: Source<RssOptions> = {
  kind: SOURCE_KIND,
  options: rssOptions,

  async poll(options: RssOptions, cursor: Cursor | null, ctx: PollContext): Promise<Page> {
    const previous = readCursor(cursor, options.url);
    let response;
    try {
      response = await ctx.http.get(options.url, {
        accept: ACCEPT,
        etag: previous?.etag ?? null,
        lastModified: previous?.lastModified ?? null,
        signal: ctx.signal,
      });
    } catch (err) {
      throw httpSourceError(SOURCE_KIND, err);
    }

    if (response.notModified) {
      ctx.log.debug({ status: 304 }, "feed not modified");
      const unchanged = previous ?? emptyCursor(options.url);
      return { mentions: [], cursor: writeCursor({ ...unchanged, etag: response.etag, lastModified: response.lastModified }) };
    }

    let items: RawMention[];
    try {
      items = parseFeed(response.text, response.url);
    } catch (err) {
      // The same bytes will fail the same way: not retryable until the feed changes.
      const reason = isFeedParseError(err) ? err.message : `unexpected parser failure: ${err instanceof Error ? err.message : String(err)}`;
      throw new SourceError(SOURCE_KIND, `cannot read the feed at ${redactedUrl(response.url)}: ${reason}`, false, { cause: err });
    }

    const { fresh, next } = selectNew(items, previous ?? emptyCursor(options.url), ctx.now().getTime());
    next.etag = response.etag;
    next.lastModified = response.lastModified;
    if (options.lang !== undefined) for (const m of fresh) m.lang = options.lang;
    // The scheduler's logger already carries the source id and kind.
    ctx.log.debug({ items: items.length, fresh: fresh.length, charset: response.charset }, "feed read");
    return { mentions: fresh, cursor: writeCursor(next) };
  },
};

/**
 * Items newer than the cursor, oldest first, and the cursor that covers them.
 * Dates in the future (a wrong time zone in the feed) are clamped to `nowMs`,
 * so one such item cannot push the cursor ahead and hide the items after it;
 * it is handed out again until its date passes, and the store's id dedupes it.
 */
function selectNew(items: readonly RawMention[], prev: RssCursor, nowMs: number): { fresh: RawMention[]; next: RssCursor } {
  const prevNewest = prev.newest === null ? Number.NEGATIVE_INFINITY : Date.parse(prev.newest);
  const seen = new Set(prev.seen);
  const undatedBefore = new Set(prev.undated);
  const taken = new Set<string>();
  const fresh: { mention: RawMention; at: number }[] = [];
  const undatedNow: string[] = [];
  let newest = prevNewest;

  for (const m of items) {
    const key = shortHash(m.sourceId);
    if (taken.has(key)) continue;
    taken.add(key);
    const at = timestampOf(m, nowMs);
    if (at === undefined) {
      undatedNow.push(key);
      if (!undatedBefore.has(key)) fresh.push({ mention: m, at: Number.POSITIVE_INFINITY });
      continue;
    }
    if (at > prevNewest || (at === prevNewest && !seen.has(key))) fresh.push({ mention: m, at });
    if (at > newest) newest = at;
  }

  const nextSeen = newest === prevNewest ? new Set(seen) : new Set<string>();
  for (const { mention, at } of fresh) if (at === newest) nextSeen.add(shortHash(mention.sourceId));

  fresh.sort((a, b) => a.at - b.at);
  return {
    fresh: fresh.map((f) => f.mention),
    next: {
      url: prev.url,
      etag: prev.etag,
      lastModified: prev.lastModified,
      newest: Number.isFinite(newest) ? new Date(newest).toISOString() : null,
      seen: [...nextSeen].slice(-MAX_REMEMBERED_IDS),
      undated: undatedNow.slice(0, MAX_REMEMBERED_IDS),
    },
  };
}

function timestampOf(m: RawMention, nowMs: number): number | undefined {
  if (m.publishedAt === undefined) return undefined;
  const ms = typeof m.publishedAt === "number" ? m.publishedAt : Date.parse(m.publishedAt);
  return Number.isNaN(ms) ? undefined : Math.min(ms, nowMs);
}

function shortHash(id: string): string {
  return createHash("sha1").update(id).digest("base64url").slice(0, 12);
}

function emptyCursor(url: string): RssCursor {
  return { url, etag: null, lastModified: null, newest: null, seen: [], undated: [] };
}

function readCursor(cursor: Cursor | null, url: string): RssCursor | null {
  if (!cursor || cursor["url"] !== url) return null;
  const text = (v: unknown) => (typeof v === "string" ? v : null);
  return {
    url,
    etag: text(cursor["etag"]),
    lastModified: text(cursor["lastModified"]),
    newest: text(cursor["newest"]),
    seen: readList(cursor["seen"]),
    undated: readList(cursor["undated"]),
  };
}

/** Cursor values are scalars, so the id lists travel as JSON strings. */
function readList(value: unknown): string[] {
  if (typeof value !== "string") return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

function writeCursor(c: RssCursor): Cursor {
  return {
    url: c.url,
    etag: c.etag,
    lastModified: c.lastModified,
    newest: c.newest,
    seen: JSON.stringify(c.seen),
    undated: JSON.stringify(c.undated),
  };
}

function redactedUrl(href: string): string {
  try {
    const u = new URL(href);
    return `${u.origin}${u.pathname}`;
  } catch {
    return "(unparseable URL)";
  }
}
