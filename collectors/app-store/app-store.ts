import { createHash } from "node:crypto";
import { z } from "zod";
import type { RateLimit } from "../http";
import { httpSourceError } from "../http-source-error";
import { SourceError, type Cursor, type Page, type PollContext, type RawMention, type Source } from "../source";
import { isAppStoreParseError, parseReviewFeed, REVIEWS_PER_PAGE, SOURCE_KIND, type ReviewEntry, type ReviewPage } from "./parse";

/** The feed serves at most this many pages (500 reviews) per storefront. */
const FEED_PAGES = 10;
/**
 * Apple publishes one figure for itunes.apple.com, the Search API's "about 20
 * calls a minute"; the reviews feed is served from the same host and gets the
 * same budget.
 */
const APPLE_RATE: RateLimit = { requests: 20, perMs: 60_000, concurrency: 2 };
/** A storefront's feed holds 500 reviews: the ids of a whole feed fit. */
const MAX_SEEN = 600;
const ACCEPT = "application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5";

/** An app id, "id" and the id, or an apps.apple.com link, as people copy them. */
const appId = z.coerce
  .string()
  .trim()
  .transform((v) => /\/id(\d+)(?:[/?#]|$)/.exec(v)?.[1] ?? v.replace(/^id/, ""))
  .pipe(z.string().regex(/^\d{1,15}$/, "the app's numeric id (apps.apple.com/…/id<digits>), e.g. 1234567890"));

export const appStoreOptions = z.strictObject({
  appId: appId.describe("The app's id on the App Store: the digits after \"id\" in its apps.apple.com link (the link itself is accepted too)."),
  countries: z
    .array(
      z
        .string()
        .trim()
        .toLowerCase()
        .regex(/^[a-z]{2}$/, "a two-letter storefront code, e.g. \"pl\""),
    )
    .min(1)
    .max(60)
    .default(["pl", "ru", "us"])
    .describe(
      "Storefronts to read (two-letter country codes). Each storefront has its own reviews and costs one request or more per poll. Default: Poland, Russia and the US; add gb, ca, au … for more English reviews.",
    ),
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .default("https://itunes.apple.com")
    .describe("The feed host; change it only for a proxy in front of itunes.apple.com."),
  maxPages: z
    .number()
    .int()
    .min(1)
    .max(FEED_PAGES)
    .default(FEED_PAGES)
    .describe("Pages of 50 reviews read per storefront per poll (the feed has 10). Fewer pages spread a long backlog over several polls."),
});
export type AppStoreOptions = z.infer<typeof appStoreOptions>;

/**
 * Per storefront (cursor key `country:<cc>`, JSON):
 * - `newest`: <updated> (ms) of the newest review handed out once the read
 *   reached reviews already known (the floor).
 * - `seen`: hashed ids handed out at or above the floor. Normally those at
 *   `newest`; after a read stopped at maxPages before reaching the floor, also
 *   every review it handed out, so the next poll (which reads from page 1
 *   again, the feed having no "since") hands out only the rest.
 * - `etag`, `lastModified`: page 1's validators, for a conditional GET.
 * Plus `appId`: a cursor written for another app is ignored.
 */
interface CountryState {
  newest: number | null;
  seen: string[];
  etag: string | null;
  lastModified: string | null;
}

export const appStore: Source<AppStoreOptions> = {
  kind: SOURCE_KIND,
  options: appStoreOptions,

  async poll(options: AppStoreOptions, cursor: Cursor | null, ctx: PollContext): Promise<Page> {
    const own = cursor !== null && cursor["appId"] === options.appId ? cursor : null;
    const next: Cursor = { appId: options.appId };
    const fresh: { at: number; mention: RawMention }[] = [];
    for (const country of new Set(options.countries)) {
      const key = `country:${country}`;
      const read = await readCountry(options, country, readState(own?.[key]), ctx);
      next[key] = JSON.stringify(read.next);
      for (const e of read.fresh) if (e.mention !== null) fresh.push({ at: e.at, mention: e.mention });
    }
    fresh.sort((a, b) => a.at - b.at || (a.mention.sourceId < b.mention.sourceId ? -1 : 1));
    return { mentions: fresh.map((f) => f.mention), cursor: next };
  },
};

/**
 * A storefront's feed, newest first, page by page until it meets a review
 * older than the floor, ends, or maxPages is read. The first read of a
 * storefront takes page 1 only: the starting point, not a backfill.
 */
async function readCountry(
  options: AppStoreOptions,
  country: string,
  prev: CountryState | null,
  ctx: PollContext,
): Promise<{ fresh: ReviewEntry[]; next: CountryState }> {
  const floor = prev?.newest ?? null;
  const seen = new Set(prev?.seen ?? []);
  const taken = new Set<string>();
  const fresh: ReviewEntry[] = [];
  let etag = prev?.etag ?? null;
  let lastModified = prev?.lastModified ?? null;
  let complete = false;
  let pages = 0;
  /** The newest review read at or above the floor, handed out now or before, and every id at its time. */
  let top: { at: number; ids: string[] } | null = null;

  for (let n = 1; n <= options.maxPages; n++) {
    const got = await fetchPage(options, country, n, n === 1 ? { etag, lastModified } : null, ctx);
    pages = n;
    if (got === "not-modified") {
      ctx.log.debug({ country }, "reviews feed not modified");
      complete = true;
      break;
    }
    if (n === 1) ({ etag, lastModified } = got.validators);
    const page = got.page;
    for (const s of page.skipped) ctx.log.warn({ country, reviewId: s.id, reason: s.reason }, "review skipped");
    let reachedFloor = false;
    for (const entry of page.entries) {
      if (taken.has(entry.id)) continue;
      taken.add(entry.id);
      if (floor !== null && entry.at < floor) {
        reachedFloor = true;
        continue;
      }
      if (top === null || entry.at > top.at) top = { at: entry.at, ids: [entry.id] };
      else if (entry.at === top.at) top.ids.push(entry.id);
      if (seen.has(shortHash(entry.id))) continue;
      fresh.push(entry);
      if (entry.reason !== undefined) ctx.log.warn({ country, reviewId: entry.id, reason: entry.reason }, "review skipped");
    }
    const lastPage = page.reviewCount < REVIEWS_PER_PAGE || n === FEED_PAGES;
    if (reachedFloor || floor === null || lastPage) {
      if (!reachedFloor && floor !== null && n === FEED_PAGES && page.reviewCount >= REVIEWS_PER_PAGE) {
        ctx.log.warn({ country }, "the feed's 500 reviews are all newer than the last one collected: reviews older than these are no longer listed");
      }
      complete = true;
      break;
    }
  }

  let next: CountryState;
  if (complete) {
    // Read down to the floor: the newest review read becomes the floor.
    const atTop = top === null ? [] : top.ids.map(shortHash);
    if (top === null) next = { newest: floor, seen: [...seen], etag, lastModified };
    else if (floor !== null && top.at === floor) next = { newest: floor, seen: [...seen, ...atTop], etag, lastModified };
    else next = { newest: top.at, seen: atTop, etag, lastModified };
  } else {
    // Stopped at maxPages above the floor: the floor stays, and what was handed out is remembered.
    // No validators: an unchanged page 1 would not mean the pages below it were read.
    ctx.log.warn({ country, maxPages: options.maxPages }, "more new reviews than maxPages holds; the next poll reads on to the last review collected");
    next = { newest: floor, seen: [...seen, ...fresh.map((e) => shortHash(e.id))], etag: null, lastModified: null };
  }
  next.seen = [...new Set(next.seen)].slice(-MAX_SEEN);
  ctx.log.debug({ country, pages, fresh: fresh.length }, "reviews read");
  return { fresh, next };
}

async function fetchPage(
  options: AppStoreOptions,
  country: string,
  n: number,
  validators: { etag: string | null; lastModified: string | null } | null,
  ctx: PollContext,
): Promise<"not-modified" | { page: ReviewPage; validators: { etag: string | null; lastModified: string | null } }> {
  const base = options.baseUrl.replace(/\/+$/, "");
  const url = `${base}/${country}/rss/customerreviews/page=${n}/id=${options.appId}/sortby=mostrecent/xml`;
  let response;
  try {
    response = await ctx.http.get(url, { accept: ACCEPT, rate: APPLE_RATE, signal: ctx.signal, etag: validators?.etag ?? null, lastModified: validators?.lastModified ?? null });
  } catch (err) {
    throw httpSourceError(SOURCE_KIND, err);
  }
  if (response.notModified) {
    if (validators !== null) return "not-modified";
    throw new SourceError(SOURCE_KIND, `unexpected 304 from ${url}`, true);
  }
  try {
    return { page: parseReviewFeed(response.text, { appId: options.appId, country }), validators: { etag: response.etag, lastModified: response.lastModified } };
  } catch (err) {
    // The same bytes fail the same way: not retryable until the feed changes.
    const reason = isAppStoreParseError(err) ? err.message : `unexpected parser failure: ${err instanceof Error ? err.message : String(err)}`;
    throw new SourceError(SOURCE_KIND, `cannot read the ${country} reviews feed, page ${n}: ${reason}`, false, { cause: err });
  }
}

function shortHash(id: string): string {
  return createHash("sha1").update(id).digest("base64url").slice(0, 12);
}

function readState(value: unknown): CountryState | null {
  if (typeof value !== "string") return null;
  try {
    const o: unknown = JSON.parse(value);
    if (typeof o !== "object" || o === null) return null;
    const r = o as Record<string, unknown>;
    const text = (v: unknown) => (typeof v === "string" ? v : null);
    return {
      newest: typeof r["newest"] === "number" && Number.isFinite(r["newest"]) ? r["newest"] : null,
      seen: Array.isArray(r["seen"]) ? r["seen"].filter((x): x is string => typeof x === "string") : [],
      etag: text(r["etag"]),
      lastModified: text(r["lastModified"]),
    };
  } catch {
    // An unreadable state starts the storefront afresh: at worst duplicates, which the store drops.
    return null;
  }
}
