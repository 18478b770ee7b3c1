import { describe, expect } from "vitest";
import { hackernews, type HackernewsOptions } from "../../../collectors/hackernews/hackernews";
import type { Cursor } from "../../../collectors/source";
import { payload, test, type RecordedResponse } from "../../support/recorded-http";
import { trackedPollContexts } from "../poll-context";
import { sourceError } from "../rejection";

const ctx = trackedPollContexts();

const SEARCH = "/api/v1/search_by_date";
const options = (baseUrl: string, extra: Partial<HackernewsOptions> = {}): HackernewsOptions =>
  hackernews.options.parse({ query: "lumio", baseUrl, ...extra });

/** The query string of the n-th request the server received. */
function params(server: { requests: { path: string }[] }, n: number): Record<string, string> {
  const path = server.requests[n]?.path ?? "";
  return Object.fromEntries(new URL(path, "http://x").searchParams);
}

// ── full pages of 100 hits, built from a recorded comment ────────────────────

type Hit = Record<string, unknown>;
const TEMPLATE = (JSON.parse(payload("hackernews/search-first.json").toString("utf8")) as { hits: Hit[] }).hits[0] as Hit;
/** T1: the newest hit of search-first.json (40356120, 2024-05-14T11:58:03Z). */
const T1 = 1715687883;

/** A comment hit with the given id and created_at_i, in the recorded shape. */
function hit(id: number, at: number): Hit {
  return { ...TEMPLATE, objectID: String(id), created_at_i: at, created_at: new Date(at * 1000).toISOString().replace(".000Z", "Z"), comment_text: `<p>Lumio comment ${id}</p>` };
}

/** A search page as Algolia sends it: hits newest first, 100 per page. */
function searchPage(hits: Hit[], page: number, nbHits: number): RecordedResponse {
  return {
    contentType: "application/json; charset=utf-8",
    body: JSON.stringify({
      exhaustive: { nbHits: true, typo: true },
      exhaustiveNbHits: true,
      exhaustiveTypo: true,
      hits,
      hitsPerPage: 100,
      nbHits,
      nbPages: Math.ceil(nbHits / 100),
      page,
      params: `query=lumio&tags=%28story%2Ccomment%29&hitsPerPage=100&page=${page}`,
      processingTimeMS: 2,
      query: "lumio",
      serverTimeMS: 3,
    }),
  };
}

/** Hits at T1+from … T1+to, newest first, ids 50000000 + offset. */
const burst = (from: number, to: number): Hit[] => {
  const out: Hit[] = [];
  for (let s = to; s >= from; s--) out.push(hit(50_000_000 + s, T1 + s));
  return out;
};

describe("hackernews.poll()", () => {
  test("poll() asks for the newest page of stories and comments first and returns it oldest first", async ({ recorded }) => {
    const server = await recorded.serve({ [SEARCH]: "hackernews/search-first.json" });
    const page = await hackernews.poll(options(server.baseUrl), null, ctx());
    expect(page.mentions.map((m) => m.sourceId)).toEqual(["40349001", "40355678", "40355702", "40356120"]);
    expect(params(server, 0)).toEqual({ query: "lumio", tags: "(story,comment)", hitsPerPage: "100", page: "0" });
    expect(server.requests[0]?.headers["accept"]).toBe("application/json");
    expect(page.cursor).toMatchObject({ key: "both:lumio", since: T1, top: T1, upper: null });
    expect(Object.keys(JSON.parse(String(page.cursor?.["recent"])))).toEqual(["40356120"]);
  });

  test("poll() looks back for late-indexed items and hands each item out once", async ({ recorded }) => {
    const server = await recorded.serve({ [SEARCH]: [{ file: "hackernews/search-first.json" }, { file: "hackernews/search-next.json" }] });
    const first = await hackernews.poll(options(server.baseUrl), null, ctx());
    const second = await hackernews.poll(options(server.baseUrl), first.cursor, ctx());
    expect(params(server, 1)["numericFilters"]).toBe(`created_at_i>=${T1 - 600}`);
    // 40356098 was posted before the newest item of the first poll but indexed after it.
    expect(second.mentions.map((m) => [m.sourceId, m.publishedAt])).toEqual([
      ["40356098", "2024-05-14T11:55:10.000Z"],
      ["40356301", "2024-05-14T12:07:45.000Z"],
    ]);
    expect(second.cursor).toMatchObject({ since: 1715688465, top: 1715688465, upper: null });
    const third = await hackernews.poll(options(server.baseUrl), second.cursor, ctx());
    expect(third.mentions).toEqual([]);
    expect(third.cursor).toEqual(second.cursor);
  });

  test.for([
    ["stories", "story"],
    ["comments", "comment"],
    ["both", "(story,comment)"],
  ] as const)("poll() sends tags %s as %s", async ([tags, sent], { recorded }) => {
    const server = await recorded.serve({ [SEARCH]: "hackernews/search-first.json" });
    await hackernews.poll(options(server.baseUrl, { tags }), null, ctx());
    expect(params(server, 0)["tags"]).toBe(sent);
  });

  test("poll() reads every page of a poll up to nbPages", async ({ recorded }) => {
    const hits = burst(1, 250);
    const server = await recorded.serve({
      [SEARCH]: [{ file: "hackernews/search-first.json" }, searchPage(hits.slice(0, 100), 0, 250), searchPage(hits.slice(100, 200), 1, 250), searchPage(hits.slice(200), 2, 250)],
    });
    const first = await hackernews.poll(options(server.baseUrl), null, ctx());
    const second = await hackernews.poll(options(server.baseUrl), first.cursor, ctx());
    expect(server.requests.slice(1).map((_, n) => params(server, n + 1)["page"])).toEqual(["0", "1", "2"]);
    expect(second.mentions).toHaveLength(250);
    expect(second.mentions[0]?.publishedAt).toBe(new Date((T1 + 1) * 1000).toISOString());
    expect(second.cursor).toMatchObject({ since: T1 + 250, upper: null });
  });

  test("poll() past maxPages keeps a backlog that the next poll reads, losing and repeating nothing", async ({ recorded }) => {
    const hits = burst(1, 250);
    const seenBefore = JSON.parse(payload("hackernews/search-first.json").toString("utf8")).hits[0] as Hit;
    const server = await recorded.serve({
      [SEARCH]: [
        { file: "hackernews/search-first.json" },
        // Poll 2 reads two of three pages.
        searchPage(hits.slice(0, 100), 0, 250),
        searchPage(hits.slice(100, 200), 1, 250),
        // Poll 3 reads the backlog, up to the oldest second poll 2 reached (T1+51, seen already).
        searchPage([...hits.slice(199), seenBefore], 0, 52),
        // Poll 4 is back to normal: one new hit, the rest of its window seen already.
        searchPage([hit(60_000_000, T1 + 300), ...hits.slice(0, 99)], 0, 100),
      ],
    });
    const o = options(server.baseUrl, { maxPages: 2 });
    const first = await hackernews.poll(o, null, ctx());
    const second = await hackernews.poll(o, first.cursor, ctx());
    expect(second.mentions).toHaveLength(200);
    expect(second.cursor).toMatchObject({ since: T1, top: T1 + 250, upper: T1 + 51 });

    const third = await hackernews.poll(o, second.cursor, ctx());
    expect(params(server, 3)["numericFilters"]).toBe(`created_at_i>=${T1 - 600},created_at_i<=${T1 + 51}`);
    expect(third.mentions).toHaveLength(50);
    expect(third.cursor).toMatchObject({ since: T1 + 250, top: T1 + 250, upper: null });

    const fourth = await hackernews.poll(o, third.cursor, ctx());
    expect(params(server, 4)["numericFilters"]).toBe(`created_at_i>=${T1 + 250 - 600}`);
    expect(fourth.mentions.map((m) => m.sourceId)).toEqual(["60000000"]);

    const ids = [...second.mentions, ...third.mentions, ...fourth.mentions].map((m) => m.sourceId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(251);
  });

  test("poll() reads a single page on the first poll, as a starting point", async ({ recorded }) => {
    const hits = burst(1, 250);
    const server = await recorded.serve({ [SEARCH]: [searchPage(hits.slice(0, 100), 0, 250), searchPage(hits.slice(100, 200), 1, 250)] });
    const page = await hackernews.poll(options(server.baseUrl), null, ctx());
    expect(server.requests).toHaveLength(1);
    expect(page.mentions).toHaveLength(100);
    expect(page.cursor).toMatchObject({ since: T1 + 250, upper: null });
  });

  test("poll() ignores a cursor written for another query", async ({ recorded }) => {
    const server = await recorded.serve({ [SEARCH]: "hackernews/search-first.json" });
    const foreign: Cursor = { key: "both:acme", since: 1_900_000_000, top: 1_900_000_000, upper: null, recent: "{}" };
    const page = await hackernews.poll(options(server.baseUrl), foreign, ctx());
    expect(page.mentions).toHaveLength(4);
    expect(params(server, 0)["numericFilters"]).toBeUndefined();
  });

  test("poll() logs each skipped hit with its reason and keeps the rest", async ({ recorded }) => {
    const server = await recorded.serve({ [SEARCH]: "hackernews/search-odd-hits.json" });
    const c = ctx();
    const page = await hackernews.poll(options(server.baseUrl), null, c);
    expect(page.mentions.map((m) => m.sourceId)).toEqual(["40356403", "40356400"]);
    expect(c.log.lines.filter((l) => l.level === "warn").map((l) => [l.msg, l.obj["id"], l.obj["reason"]])).toEqual([
      ["hit skipped", undefined, "hit without an objectID"],
      ["hit skipped", "40356402", "hit without a readable created_at_i or created_at"],
      ["hit skipped", "40356404", "hit without a title or text"],
      ["hit skipped", undefined, "hit is string, not an object"],
    ]);
  });

  test("poll() keeps the path of a baseUrl behind a proxy", async ({ recorded }) => {
    const server = await recorded.serve({ [`/hn${SEARCH}`]: "hackernews/search-first.json" });
    const page = await hackernews.poll(options(`${server.baseUrl}/hn`), null, ctx());
    expect(page.mentions).toHaveLength(4);
  });

  test.for([
    [503, true],
    [429, true],
    [404, false],
    [403, false],
  ] as const)("poll() turns HTTP %i into a SourceError with retryable %s", async ([status, retryable], { recorded }) => {
    const server = await recorded.serve({ [SEARCH]: { status } });
    const err = await sourceError(hackernews.poll(options(server.baseUrl), null, ctx()));
    expect(err).toMatchObject({ source: "hackernews", retryable, message: `[earshot] [hackernews] HTTP ${status} from ${server.url(SEARCH)}` });
  });

  test("poll() turns Algolia's 400 into a SourceError that names the refused search and is not retryable", async ({ recorded }) => {
    const server = await recorded.serve({ [SEARCH]: { file: "hackernews/error-400.json", status: 400 } });
    const err = await sourceError(hackernews.poll(options(server.baseUrl), null, ctx()));
    expect(err.retryable).toBe(false);
    expect(err.message).toBe(`[earshot] [hackernews] HTTP 400 from ${server.url(SEARCH)}: the search API refused the query or filters`);
  });

  test("poll() turns an error body or a malformed page into a SourceError that is not retryable", async ({ recorded }) => {
    const server = await recorded.serve({ [SEARCH]: [{ file: "hackernews/error-400.json" }, { body: '{"hits": [', contentType: "application/json" }] });
    const apiError = await sourceError(hackernews.poll(options(server.baseUrl), null, ctx()));
    expect(apiError).toMatchObject({
      retryable: false,
      message: "[earshot] [hackernews] cannot read the search page 0: the search API answered with an error: invalid numericFilters: created_at_i>=abc",
    });
    const malformed = await sourceError(hackernews.poll(options(server.baseUrl), null, ctx()));
    expect(malformed.retryable).toBe(false);
    expect(malformed.message).toMatch(/^\[earshot\] \[hackernews\] cannot read the search page 0: malformed JSON: /);
  });

  test("poll() sends nothing to a private address unless the guard allows it", async ({ recorded }) => {
    const server = await recorded.serve({ [SEARCH]: "hackernews/search-first.json" });
    const err = await sourceError(hackernews.poll(options(server.baseUrl), null, ctx({ httpOptions: { allowPrivateNetworks: false } })));
    expect(err.retryable).toBe(false);
    expect(server.requests).toHaveLength(0);
  });
});

describe("hackernews.options", () => {
  test("options fill in tags, baseUrl and maxPages", () => {
    expect(hackernews.options.parse({ query: " Lumio " })).toEqual({ query: "Lumio", tags: "both", baseUrl: "https://hn.algolia.com", maxPages: 5 });
  });

  test("options refuse an empty query, unknown tags, unknown keys and too many pages", () => {
    expect(hackernews.options.safeParse({ query: "  " }).success).toBe(false);
    expect(hackernews.options.safeParse({ query: "lumio", tags: "polls" }).success).toBe(false);
    expect(hackernews.options.safeParse({ query: "lumio", qeury: "typo" }).success).toBe(false);
    expect(hackernews.options.safeParse({ query: "lumio", maxPages: 11 }).success).toBe(false);
    expect(hackernews.options.safeParse({ query: "lumio", baseUrl: "file:///etc" }).success).toBe(false);
  });
});
