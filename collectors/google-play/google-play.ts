import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { backoffDelay, HttpError, parseRetryAfter, type PostResponse, type RateLimit } from "../http";
import { httpSourceError } from "../http-source-error";
import { SourceError, type Cursor, type Page, type PollContext, type RawMention, type Source } from "../source";
// The newest-first paging with a kept continuation token is the same problem YouTube's comment threads pose.
import { readStreamState, ThreadStream, writeStreamState } from "../youtube/thread-stream";
import { isGooglePlayParseError, parseReviewsReply, REVIEWS_RPC, SOURCE_KIND, type ReviewPage } from "./parse";

/** google-play-scraper's constants.sort.NEWEST: the order the cursor needs. */
const SORT_NEWEST = 2;
/**
 * Reviews asked for per request: google-play-scraper's own batch size. A review
 * is at most ~2 KB on the wire (500 characters of Cyrillic text, a developer
 * reply and the escaping of JSON inside JSON), so a page is ~200 KB at most;
 * REPLY_MAX_BYTES leaves five times that.
 */
export const PAGE_SIZE = 100;
const REPLY_MAX_BYTES = 1024 * 1024;
/**
 * Google publishes no limits for this endpoint. One request at a time and 30 a
 * minute is our own, cautious choice: a blocked address gets a captcha page
 * for hours, which costs far more than a slower poll.
 */
const PLAY_RATE: RateLimit = { requests: 30, perMs: 60_000, concurrency: 1 };
/** The first wait after a 429/503 without Retry-After; doubles per retry. */
const RATE_LIMIT_BASE_DELAY_MS = 2_000;
/** Longer waits end the poll; the next tick is the retry. */
const MAX_WAIT_MS = 30_000;
/** Statuses that say "not now": Google answers a busy or throttled client with these. */
const LATER_STATUS: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);
/** google.rpc.Code values. */
const RPC_NOT_FOUND = 5;
const RPC_RESOURCE_EXHAUSTED = 8;
const RPC_UNAVAILABLE = 14;

const PACKAGE_NAME = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$/;

/** A package name, or a play.google.com/store/apps/details?id=… link, as people copy them. */
const appId = z
  .string()
  .trim()
  .transform((v) => {
    try {
      return new URL(v).searchParams.get("id") ?? v;
    } catch {
      return v;
    }
  })
  .pipe(z.string().max(150).regex(PACKAGE_NAME, "the app's package name (the id=… of its play.google.com link), e.g. com.lumio.app"));

/** "pl-PL", "pl_pl" or "pl" (the country then defaults to the language's usual one below). */
const locale = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2,3}([-_][A-Za-z]{2})?$/, "a language and country, e.g. \"pl-PL\", \"ru-RU\", \"en-US\"")
  // overwrite, not transform: the type stays a string, so the default shows in `earshot sources`.
  .overwrite((v) => {
    const [lang = "", country] = v.split(/[-_]/);
    const l = lang.toLowerCase();
    return `${l}-${(country ?? DEFAULT_COUNTRY[l] ?? l).toUpperCase()}`;
  });
const DEFAULT_COUNTRY: Readonly<Record<string, string>> = { en: "US", uk: "UA", be: "BY", kk: "KZ" };

export const googlePlayOptions = z.strictObject({
  appId: appId.describe("The app's package name on Google Play: the id=… in its play.google.com link (the link itself is accepted too)."),
  locales: z
    .array(locale)
    .min(1)
    .max(40)
    .default(["pl-PL", "ru-RU", "en-US"])
    .describe(
      "Language and country pairs to read (hl and gl). Google lists the reviews written in the language; each pair is its own list and costs one request or more per poll.",
    ),
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .default("https://play.google.com")
    .describe("The store host; change it only for a proxy in front of play.google.com."),
  maxPages: z
    .number()
    .int()
    .min(1)
    .max(50)
    .default(10)
    .describe(`Requests of ${PAGE_SIZE} reviews per language per poll. A longer backlog is read on by the next poll from where this one stopped.`),
  rateLimitRetries: z
    .number()
    .int()
    .min(0)
    .max(5)
    .default(2)
    .describe("Retries within a poll after HTTP 429 or 503, waiting Retry-After or 2 s, 4 s …; a captcha page is never retried within the poll."),
});
export type GooglePlayOptions = z.infer<typeof googlePlayOptions>;

/**
 * The cursor: `appId` (a cursor written for another app is ignored) and one
 * key per language, `locale:<lang>-<COUNTRY>`, holding that list's state as
 * JSON (thread-stream.ts): the newest review handed out and the ids at its
 * time, plus, after a read cut short by maxPages, the continuation token to go
 * on from. Reviews come newest first with no "since": a read pages down until
 * it meets a review older than the newest one handed out.
 */
export const googlePlay: Source<GooglePlayOptions> = {
  kind: SOURCE_KIND,
  options: googlePlayOptions,

  async poll(options: GooglePlayOptions, cursor: Cursor | null, ctx: PollContext): Promise<Page> {
    const own = cursor !== null && cursor["appId"] === options.appId ? cursor : null;
    const next: Cursor = { appId: options.appId };
    const collected = new Map<string, { at: number; mention: RawMention }>();
    const api = new ReviewsApi(options, ctx);

    for (const loc of new Set(options.locales)) {
      const key = `locale:${loc}`;
      const [lang = "en", country = "US"] = loc.split("-");
      const reader = new ThreadStream(readStreamState(own?.[key]));
      let pages = 0;
      while (!reader.done && pages < options.maxPages) {
        pages++;
        const page = await api.reviews(lang, country, reader.pageToken, reader.inGap);
        if (page === "token-refused") {
          ctx.log.warn({ locale: loc }, "Google Play refused the continuation token kept from the last poll; reading from the newest review again");
          reader.restartFromTop();
          continue;
        }
        for (const s of page.skipped) ctx.log.warn({ locale: loc, reviewId: s.id, reason: s.reason }, "review skipped");
        const before = reader.fresh.length;
        reader.accept(page.entries, page.nextToken);
        for (const e of reader.fresh.slice(before)) if (e.reason !== undefined) ctx.log.warn({ locale: loc, reviewId: e.id, reason: e.reason }, "review skipped");
        if (reader.endedOnRepeat) ctx.log.warn({ locale: loc }, "Google Play's next page repeated reviews already read; the read ends there");
      }
      if (!reader.done) {
        ctx.log.warn({ locale: loc, maxPages: options.maxPages }, "more new reviews than maxPages holds; the next poll goes on where this one stopped");
        reader.stop();
      }
      next[key] = writeStreamState(reader.state());
      // The same review can be listed under two locales of one language: one mention.
      for (const e of reader.fresh) if (e.mention !== null && !collected.has(e.id)) collected.set(e.id, { at: e.at, mention: e.mention });
      ctx.log.debug({ locale: loc, pages, fresh: reader.fresh.length }, "google play reviews read");
    }

    const mentions = [...collected.values()]
      .sort((a, b) => a.at - b.at || (a.mention.sourceId < b.mention.sourceId ? -1 : 1))
      .map((c) => c.mention);
    return { mentions, cursor: next };
  },
};

/** The batchexecute requests of one poll. */
class ReviewsApi {
  readonly #endpoint: string;
  constructor(
    private readonly options: GooglePlayOptions,
    private readonly ctx: PollContext,
  ) {
    this.#endpoint = `${options.baseUrl.replace(/\/+$/, "")}/_/PlayStoreUi/data/batchexecute`;
  }

  /** One page of reviews, newest first; throws SourceError. */
  async reviews(lang: string, country: string, token: string | undefined, inGap: boolean): Promise<ReviewPage | "token-refused"> {
    const url = new URL(this.#endpoint);
    url.searchParams.set("rpcids", REVIEWS_RPC);
    url.searchParams.set("hl", lang);
    url.searchParams.set("gl", country);
    const body = reviewsRequestBody(this.options.appId, PAGE_SIZE, token);
    const where = `${this.options.appId} (${lang}-${country})`;

    for (let attempt = 1; ; attempt++) {
      let res: PostResponse;
      try {
        res = await this.ctx.http.post(url, {
          body,
          headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8", accept: "*/*" },
          rate: PLAY_RATE,
          signal: this.ctx.signal,
          maxBytes: REPLY_MAX_BYTES,
        });
      } catch (err) {
        throw httpSourceError(SOURCE_KIND, err);
      }

      const blocked = isBlockRedirect(res) || (res.status !== 200 && isCaptchaPage(res.text));
      if (blocked) throw rateLimited(url, res, "Google answered with its captcha page (\"unusual traffic\")", undefined);
      if (LATER_STATUS.has(res.status)) {
        const retryAfterMs = parseRetryAfter(res.headers["retry-after"], this.ctx.now().getTime());
        const waitMs = retryAfterMs ?? backoffDelay(attempt, RATE_LIMIT_BASE_DELAY_MS, MAX_WAIT_MS);
        if (attempt > this.options.rateLimitRetries || waitMs > MAX_WAIT_MS) {
          const what = res.status === 429 || res.status === 503 ? `Google Play is rate-limiting this address (HTTP ${res.status})` : `Google Play failed (HTTP ${res.status})`;
          throw rateLimited(url, res, what, retryAfterMs);
        }
        this.ctx.log.warn({ status: res.status, attempt, waitMs, fromRetryAfter: retryAfterMs !== undefined }, "google play asks to wait; retrying");
        try {
          await sleep(waitMs, undefined, { signal: this.ctx.signal });
        } catch (err) {
          throw new SourceError(SOURCE_KIND, "poll aborted while waiting to retry", true, { cause: err });
        }
        continue;
      }
      if (res.status >= 300 && res.status < 400) {
        throw new SourceError(SOURCE_KIND, `Google Play redirected the reviews request to ${redirectTarget(res)}`, true);
      }
      // 400 carries an "er" envelope (read below); other statuses have nothing more to say.
      if (res.status !== 200 && res.status !== 400) {
        throw new SourceError(SOURCE_KIND, `HTTP ${res.status} from ${url.origin}${url.pathname}: ${excerpt(res.text)}`, res.status === 408 || res.status >= 500);
      }
      if (res.text === "") {
        throw new SourceError(SOURCE_KIND, `empty reply for ${where} (HTTP ${res.status})`, res.status !== 200);
      }

      let reply;
      try {
        reply = parseReviewsReply(res.text, { appId: this.options.appId, lang });
      } catch (err) {
        // The same bytes fail the same way: not retryable until Google answers differently.
        const reason = isGooglePlayParseError(err) ? err.message : `unexpected parser failure: ${err instanceof Error ? err.message : String(err)}`;
        throw new SourceError(SOURCE_KIND, `cannot read the reviews reply for ${where}: ${reason}`, false, { cause: err });
      }
      switch (reply.kind) {
        case "page":
          return reply;
        case "html":
          if (reply.captcha) throw rateLimited(url, res, "Google answered with its captcha page (\"unusual traffic\")", undefined);
          throw new SourceError(SOURCE_KIND, `Google Play answered the reviews request for ${where} with an HTML page, not a batchexecute reply`, true);
        case "rpc-error":
          // Only a kept token can be at fault when a read that starts from one fails.
          if (inGap && token !== undefined && reply.rpcCode !== RPC_RESOURCE_EXHAUSTED && reply.rpcCode !== RPC_UNAVAILABLE) return "token-refused";
          if (reply.rpcCode === RPC_NOT_FOUND) {
            throw new SourceError(SOURCE_KIND, `Google Play knows no app ${this.options.appId} (status NOT_FOUND): check appId`, false);
          }
          if (reply.rpcCode === RPC_RESOURCE_EXHAUSTED || reply.rpcCode === RPC_UNAVAILABLE) {
            throw rateLimited(url, res, `Google Play refused the call (status ${reply.rpcCode === RPC_RESOURCE_EXHAUSTED ? "RESOURCE_EXHAUSTED" : "UNAVAILABLE"})`, undefined);
          }
          throw new SourceError(
            SOURCE_KIND,
            `Google Play refused the reviews request for ${where} (${reply.status !== undefined ? `HTTP ${reply.status}` : `status ${reply.rpcCode ?? "unknown"}`}): the request format may have changed`,
            false,
          );
      }
    }
  }
}

/**
 * The form body of the reviews call, as google-play-scraper builds it
 * (lib/reviews.js, getBodyForRequests): sort, page size and token inside a
 * JSON string inside JSON. Built with JSON.stringify, so nothing in the token
 * can change its shape.
 */
export function reviewsRequestBody(appId: string, count: number, token: string | undefined): string {
  const inner = JSON.stringify([null, null, [2, SORT_NEWEST, [count, null, token ?? null], null, []], [appId, 7]]);
  return `f.req=${encodeURIComponent(JSON.stringify([[[REVIEWS_RPC, inner, null, "generic"]]]))}`;
}

/**
 * A rate-limit refusal: retryable, with Google's Retry-After (if any) kept on
 * the HttpError cause, where a scheduler can read how long to back off.
 */
function rateLimited(url: URL, res: PostResponse, what: string, retryAfterMs: number | undefined): SourceError {
  const cause = new HttpError("status", `HTTP ${res.status} from ${url.origin}${url.pathname}`, `${url.origin}${url.pathname}`, true, {
    status: res.status,
    bodyExcerpt: excerpt(res.text),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
  const wait = retryAfterMs === undefined ? "the next poll tries again" : `Retry-After ${Math.ceil(retryAfterMs / 1000)} s`;
  return new SourceError(SOURCE_KIND, `${what}; ${wait}. Fewer locales, fewer pages or a slower schedule ease it`, true, { cause });
}

/** Google sends a blocked client to google.com/sorry/index. */
function isBlockRedirect(res: PostResponse): boolean {
  return res.status >= 300 && res.status < 400 && /\/sorry\//.test(res.headers["location"] ?? "");
}

function isCaptchaPage(text: string): boolean {
  const t = text.trimStart();
  if (!t.startsWith("<")) return false;
  const reply = parseReviewsReply(t, { appId: "", lang: "" });
  return reply.kind === "html" && reply.captcha;
}

function redirectTarget(res: PostResponse): string {
  const location = res.headers["location"];
  if (location === undefined) return `nowhere (HTTP ${res.status} without Location)`;
  try {
    const u = new URL(location);
    return `${u.origin}${u.pathname}`;
  } catch {
    return "an unreadable Location";
  }
}

function excerpt(text: string): string {
  return text.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim().slice(0, 200);
}
