import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { httpSourceError } from "../http-source-error";
import { SourceError, type Cursor, type Page, type PollContext, type RawMention, type Source } from "../source";
import { isVkParseError, parseSearchResponse, SOURCE_KIND, type VkSearchPage } from "./parse";

export const vkOptions = z.strictObject({
  query: z.string().trim().min(1).max(500).describe("What to search VK posts for, as typed into VK search, e.g. \"Lumio\" or \"#lumio\"."),
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .default("https://api.vk.com")
    .describe("The VK API host; change it only for a proxy in front of api.vk.com."),
  maxPages: z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(10)
    .describe("Requests per poll, each up to 200 posts. What does not fit is searched on the next poll, never dropped."),
  windowMinutes: z
    .number()
    .int()
    .min(1)
    .max(1440)
    .default(60)
    .describe("Width of one search window; the first poll looks back one window, and a longer gap is searched window by window."),
});
export type VkOptions = z.infer<typeof vkOptions>;

const TOKEN_ENV = "EARSHOT_VK_TOKEN";
const API_VERSION = "5.199";
/** The most `count` VK accepts per request. */
const PAGE_SIZE = 200;
/** VK hands out at most this many results of one search, whatever the paging; past it the window is narrowed. */
const SEARCH_CAP = 1000;
/** Search is indexed with some delay: each poll looks this far behind the time already covered. */
const OVERLAP_SECONDS = 600;
/** VK allows 3 requests a second per token. */
const REQUEST_GAP_MS = 350;
/** Posts remembered to keep the overlap from handing them out twice. */
const MAX_SEEN = 1000;
const FIELDS = "screen_name,followers_count,members_count";

/**
 * What the cursor holds (unix seconds):
 * - `query`: the search it belongs to; a cursor of another query is ignored.
 * - `coveredTo`: every window up to here has been searched to the end.
 * - `holeFrom`, `holeTo`: a span a poll ran out of requests in (VK answers newest
 *   first, so the unread rest is the oldest part); filled before newer windows.
 * - `seen`: [sourceId, date] of posts handed out that a later search can still
 *   return (in the overlap, or at the edge of the hole).
 */
interface VkCursor {
  query: string;
  coveredTo: number;
  hole: { from: number; to: number } | null;
  seen: Map<string, number>;
}

export const vk: Source<VkOptions> = {
  kind: SOURCE_KIND,
  options: vkOptions,
  credentials: [{ name: "token", env: TOKEN_ENV }],

  async poll(options: VkOptions, cursor: Cursor | null, ctx: PollContext): Promise<Page> {
    const token = ctx.credentials["token"];
    if (!token) throw new SourceError(SOURCE_KIND, `no VK token: set ${TOKEN_ENV} to a service token`, false);
    const nowSec = Math.floor(ctx.now().getTime() / 1000);
    const windowSec = options.windowMinutes * 60;
    const prev = readCursor(cursor, options.query);
    const run = new SearchRun(options, token, ctx, prev?.seen ?? new Map());

    let hole = prev?.hole ?? null;
    let coveredTo = prev?.coveredTo ?? nowSec - windowSec;
    if (hole) {
      const filled = await run.search(hole.from, hole.to);
      hole = filled.complete ? null : { from: hole.from, to: filled.unreadTo };
    }
    if (!hole) {
      let start = prev ? Math.min(prev.coveredTo, nowSec) - OVERLAP_SECONDS : coveredTo;
      while (start < nowSec && run.hasBudget()) {
        const end = Math.min(start + windowSec, nowSec);
        const window = await run.search(start, end);
        coveredTo = Math.max(coveredTo, end);
        if (!window.complete) {
          hole = { from: start, to: window.unreadTo };
          break;
        }
        start = end;
      }
    }
    if (hole || coveredTo < nowSec) {
      ctx.log.warn(
        { requests: run.requests, maxPages: options.maxPages, coveredTo: iso(coveredTo), hole: hole && { from: iso(hole.from), to: iso(hole.to) } },
        "more VK posts than maxPages allows in one poll; the rest is searched on the next poll",
      );
    }

    const fresh = [...run.found.values()].sort((a, b) => a.date - b.date);
    ctx.log.debug({ requests: run.requests, fresh: fresh.length }, "vk search read");
    const seen = new Map([...(prev?.seen ?? []), ...run.skipped]);
    for (const { mention, date } of fresh) seen.set(mention.sourceId, date);
    return {
      mentions: fresh.map((f) => f.mention),
      cursor: writeCursor({ query: options.query, coveredTo, hole, seen: keepSeen(seen, coveredTo - OVERLAP_SECONDS, hole) }),
    };
  },
};

/** One poll's requests: the budget, the spacing VK asks for, and the posts found so far. */
class SearchRun {
  requests = 0;
  readonly found = new Map<string, { mention: RawMention; date: number }>();
  readonly skipped = new Map<string, number>();
  private lastRequestAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly options: VkOptions,
    private readonly token: string,
    private readonly ctx: PollContext,
    private readonly seen: ReadonlyMap<string, number>,
  ) {}

  hasBudget(): boolean {
    return this.requests < this.options.maxPages;
  }

  /**
   * Every post dated in [from, to], newest first as VK answers. Incomplete when
   * the budget runs out; `unreadTo` then ends the span still to search (the
   * second of the oldest post read is searched again: it may hold more).
   */
  async search(from: number, to: number): Promise<{ complete: true } | { complete: false; unreadTo: number }> {
    let end = to;
    let startFrom: string | undefined;
    let chainItems = 0;
    let oldest: number | null = null;
    for (;;) {
      if (!this.hasBudget()) return { complete: false, unreadTo: oldest ?? end };
      const page = await this.request(from, end, startFrom);
      this.take(page, from, end);
      chainItems += page.itemCount;
      if (page.oldestDate !== null) oldest = oldest === null ? page.oldestDate : Math.min(oldest, page.oldestDate);
      if (page.nextFrom !== undefined && page.itemCount > 0 && page.nextFrom !== startFrom) {
        startFrom = page.nextFrom;
        continue;
      }
      if (chainItems < SEARCH_CAP || oldest === null) return { complete: true };
      // VK stopped at its cap, not at the window's start: search again below what was read.
      let next = oldest;
      if (next >= end) {
        next = end - 1;
        this.ctx.log.warn({ second: iso(end) }, `more than ${SEARCH_CAP} VK posts in one second; some of them cannot be read`);
      }
      if (next < from) return { complete: true };
      end = next;
      startFrom = undefined;
      chainItems = 0;
    }
  }

  /** Posts outside the span asked for belong to another search; the cursor's bookkeeping counts on that. */
  private take(page: VkSearchPage, from: number, to: number): void {
    for (const s of page.skipped) {
      // Remembered like posts handed out, so the overlap does not log the same skip every poll.
      if (s.id !== undefined && (this.seen.has(s.id) || this.skipped.has(s.id))) continue;
      if (s.id !== undefined && s.date !== undefined) this.skipped.set(s.id, s.date);
      this.ctx.log.warn({ id: s.id, reason: s.reason }, "vk post skipped");
    }
    for (const mention of page.mentions) {
      const date = Date.parse(String(mention.publishedAt)) / 1000;
      if (date < from || date > to || this.seen.has(mention.sourceId) || this.found.has(mention.sourceId)) continue;
      this.found.set(mention.sourceId, { mention, date });
    }
  }

  private async request(from: number, to: number, startFrom: string | undefined): Promise<VkSearchPage> {
    await this.pace();
    this.requests++;
    const url = new URL(`${this.options.baseUrl.replace(/\/+$/, "")}/method/newsfeed.search`);
    const params: Record<string, string> = {
      q: this.options.query,
      count: String(PAGE_SIZE),
      start_time: String(from),
      end_time: String(to),
      extended: "1",
      fields: FIELDS,
    };
    if (startFrom !== undefined) params["start_from"] = startFrom;
    params["access_token"] = this.token;
    params["v"] = API_VERSION;
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);

    let response;
    try {
      response = await this.ctx.http.get(url, { accept: "application/json", signal: this.ctx.signal });
    } catch (err) {
      throw httpSourceError(SOURCE_KIND, err);
    } finally {
      this.lastRequestAt = Date.now();
    }
    if (response.notModified) throw new SourceError(SOURCE_KIND, "VK answered 304 to a request without validators", false);

    let reply;
    try {
      reply = parseSearchResponse(response.text);
    } catch (err) {
      // The same bytes will fail the same way: not retryable until VK changes its answer.
      const reason = isVkParseError(err) ? err.message : `unexpected parser failure: ${err instanceof Error ? err.message : String(err)}`;
      throw new SourceError(SOURCE_KIND, `cannot read the newsfeed.search reply: ${reason}`, false, { cause: err });
    }
    if (reply.kind === "error") throw apiError(reply.code, reply.message);
    return reply;
  }

  /** Keeps requests REQUEST_GAP_MS apart; the wait ends with the poll. */
  private async pace(): Promise<void> {
    const wait = this.lastRequestAt + REQUEST_GAP_MS - Date.now();
    if (wait <= 0) return;
    try {
      await sleep(wait, undefined, { signal: this.ctx.signal });
    } catch (err) {
      throw new SourceError(SOURCE_KIND, "poll aborted while pacing VK requests", true, { cause: err });
    }
  }
}

/** VK's error codes: https://dev.vk.com/ru/reference/errors */
function apiError(code: number, message: string): SourceError {
  const said = `error ${code}: ${message}`;
  switch (code) {
    case 6: // too many requests per second
    case 9: // flood control: too many similar requests
    case 29: // the method's rate limit is reached
      return new SourceError(SOURCE_KIND, `VK rate limit (${said}); trying again on the next poll`, true);
    case 1: // unknown error
    case 10: // internal server error
      return new SourceError(SOURCE_KIND, `VK server error (${said})`, true);
    case 5: // user authorization failed
    case 28: // application authorization failed
      return new SourceError(SOURCE_KIND, `VK refused the token (${said}): set ${TOKEN_ENV} to a valid service token`, false);
    default:
      return new SourceError(SOURCE_KIND, `VK API ${said}`, false);
  }
}

/** The overlap, plus the second at the hole's edge: the only dates a later search can return again. */
function keepSeen(seen: ReadonlyMap<string, number>, nextStart: number, hole: VkCursor["hole"]): Map<string, number> {
  const kept = [...seen].filter(([, date]) => date >= nextStart || (hole !== null && date === hole.to));
  kept.sort((a, b) => b[1] - a[1]);
  return new Map(kept.slice(0, MAX_SEEN));
}

function readCursor(cursor: Cursor | null, query: string): VkCursor | null {
  if (!cursor || cursor["query"] !== query) return null;
  const coveredTo = cursor["coveredTo"];
  if (typeof coveredTo !== "number" || !Number.isSafeInteger(coveredTo)) return null;
  const holeFrom = cursor["holeFrom"];
  const holeTo = cursor["holeTo"];
  const hole = typeof holeFrom === "number" && typeof holeTo === "number" && holeFrom <= holeTo ? { from: holeFrom, to: holeTo } : null;
  return { query, coveredTo, hole, seen: readSeen(cursor["seen"]) };
}

/** Cursor values are scalars, so the seen list travels as a JSON string. */
function readSeen(value: unknown): Map<string, number> {
  const seen = new Map<string, number>();
  if (typeof value !== "string") return seen;
  try {
    const parsed: unknown = JSON.parse(value);
    if (!Array.isArray(parsed)) return seen;
    for (const entry of parsed) {
      if (Array.isArray(entry) && typeof entry[0] === "string" && typeof entry[1] === "number") seen.set(entry[0], entry[1]);
    }
  } catch {
    // An unreadable list only costs duplicates, which the store drops.
  }
  return seen;
}

function writeCursor(c: VkCursor): Cursor {
  return {
    query: c.query,
    coveredTo: c.coveredTo,
    holeFrom: c.hole?.from ?? null,
    holeTo: c.hole?.to ?? null,
    seen: JSON.stringify([...c.seen]),
  };
}

function iso(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString();
}
