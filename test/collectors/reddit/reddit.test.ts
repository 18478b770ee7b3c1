import { describe, expect } from "vitest";
import { DEFAULT_USER_AGENT } from "../../../collectors/http";
import { reddit, type RedditOptions } from "../../../collectors/reddit/reddit";
import type { Cursor } from "../../../collectors/source";
import { payload, test, type RecordedResponse, type RecordedServer } from "../../support/recorded-http";
import { trackedPollContexts } from "../poll-context";
import { sourceError } from "../rejection";

const CREDENTIALS = { clientId: "p-jcoLKBynTLew", clientSecret: "gko_LXELoV07ZBNUXrvWZfzE3aI" };
const ctx = trackedPollContexts({ credentials: CREDENTIALS });

/** Reddit's quota headers as it sends them: remaining is a float. */
const QUOTA = { "x-ratelimit-remaining": "599.0", "x-ratelimit-used": "1", "x-ratelimit-reset": "412" };
const JSON_TYPE = "application/json; charset=UTF-8";
const TOKEN_PATH = "/api/v1/access_token";
const TOKEN: RecordedResponse = { file: "reddit/token.json", contentType: JSON_TYPE };
const TOKEN_1 = "eyJhbGciOiJSUzI1NiIsImtpZCI6IlNIQTI1NjpzS3dsMnlsV0VtMjVmcXhwTU40cWY4MXE2OWFFdWFyMnpLMUdhVGxjdWNZIiwidHlwIjoiSldUIn0.recorded-app-token-1";
const TOKEN_2 = "eyJhbGciOiJSUzI1NiIsImtpZCI6IlNIQTI1NjpzS3dsMnlsV0VtMjVmcXhwTU40cWY4MXE2OWFFdWFyMnpLMUdhVGxjdWNZIiwidHlwIjoiSldUIn0.recorded-app-token-2";
const listing = (file: string, headers: Record<string, string> = QUOTA): RecordedResponse => ({ file: `reddit/${file}`, contentType: JSON_TYPE, headers });

/**
 * Options pointing both the API and the token endpoint at the recorded server.
 * Tokens are cached per token endpoint and app, and a new server may get a
 * port an earlier test's had: the query string (dropped when the token path
 * is resolved) gives each server its own cache entry.
 */
const serverIds = new WeakMap<RecordedServer, number>();
let nextServerId = 0;
const serverId = (server: RecordedServer): number => {
  let id = serverIds.get(server);
  if (id === undefined) serverIds.set(server, (id = nextServerId++));
  return id;
};
const options = (server: RecordedServer, extra: Record<string, unknown> = {}): RedditOptions =>
  reddit.options.parse({ query: "lumio", baseUrl: server.baseUrl, authBaseUrl: `${server.baseUrl}/?server=${serverId(server)}`, ...extra });

/** The query string of the n-th request the server received. */
function params(server: RecordedServer, n: number): Record<string, string> {
  return Object.fromEntries(new URL(server.requests[n]?.path ?? "", "http://x").searchParams);
}
const pathOf = (server: RecordedServer, n: number) => (server.requests[n]?.path ?? "").split("?")[0];

// ── full pages of 100 children, built from a recorded post ──────────────────

type Child = { kind: string; data: Record<string, unknown> };
const TEMPLATE = (JSON.parse(payload("reddit/search-before.json").toString("utf8")) as { data: { children: Child[] } }).data.children[0] as Child;
/** The newest post of search-first.json (t3_1crx7kq, 2024-05-14T09:48:22Z). */
const NEWEST_FIRST = 1715680102;

function post(n: number, at: number): Child {
  const id = `gen${n}`;
  return { kind: "t3", data: { ...TEMPLATE.data, id, name: `t3_${id}`, created: at, created_utc: at, title: `Lumio post ${n}`, permalink: `/r/poland/comments/${id}/lumio_post_${n}/` } };
}
/** A Listing page as Reddit sends it: children newest first. */
function page(children: Child[], headers: Record<string, string> = QUOTA): RecordedResponse {
  const last = children[children.length - 1];
  return {
    contentType: JSON_TYPE,
    headers,
    body: JSON.stringify({ kind: "Listing", data: { after: last ? last.data["name"] : null, dist: children.length, modhash: "", geo_filter: "", children, before: children[0]?.data["name"] ?? null } }),
  };
}
/** Posts n = from … to at NEWEST_FIRST + n seconds, newest first. */
function posts(from: number, to: number): Child[] {
  const out: Child[] = [];
  for (let n = to; n >= from; n--) out.push(post(n, NEWEST_FIRST + n));
  return out;
}

describe("reddit.poll()", () => {
  test("poll() gets an app token with the client credentials and searches new posts with it", async ({ recorded }) => {
    const server = await recorded.serve({ [TOKEN_PATH]: TOKEN, "/search": listing("search-first.json") });
    const page = await reddit.poll(options(server), null, ctx());

    const token = server.requests[0];
    expect(token).toMatchObject({ method: "POST", path: TOKEN_PATH });
    expect(token?.headers["authorization"]).toBe(`Basic ${Buffer.from(`${CREDENTIALS.clientId}:${CREDENTIALS.clientSecret}`).toString("base64")}`);
    expect(token?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(token?.headers["user-agent"]).toBe(DEFAULT_USER_AGENT);

    expect(server.requests[1]).toMatchObject({ method: "GET" });
    expect(pathOf(server, 1)).toBe("/search");
    expect(server.requests[1]?.headers["authorization"]).toBe(`bearer ${TOKEN_1}`);
    expect(params(server, 1)).toEqual({ q: "lumio", sort: "new", type: "link", limit: "100", raw_json: "1" });

    expect(page.mentions.map((m) => m.sourceId)).toEqual(["t3_1crs5nm", "t3_1crt4fe", "t3_1cru9zz", "t3_1crv2ab", "t3_1crx7kq"]);
    expect(page.cursor).toEqual({ postsKey: "search?q=lumio", postsAnchor: "t3_1crx7kq", postsNewest: NEWEST_FIRST, postsSeen: '["t3_1crx7kq"]' });
  });

  test("poll() asks with before= for what is newer, keeps the token, and returns nothing new when idle", async ({ recorded }) => {
    const server = await recorded.serve({
      [TOKEN_PATH]: TOKEN,
      "/search": [listing("search-first.json"), listing("search-before.json"), listing("empty-listing.json"), listing("search-idle.json")],
    });
    const o = options(server);
    const first = await reddit.poll(o, null, ctx());
    const second = await reddit.poll(o, first.cursor, ctx());
    expect(params(server, 2)["before"]).toBe("t3_1crx7kq");
    expect(second.mentions.map((m) => [m.sourceId, m.title])).toEqual([["t3_1crz1xy", "Lumio is back in Gdańsk"]]);
    expect(second.cursor).toMatchObject({ postsAnchor: "t3_1crz1xy", postsSeen: '["t3_1crz1xy"]' });

    // Nothing after the anchor: a plain read confirms nothing is new.
    const third = await reddit.poll(o, second.cursor, ctx());
    expect(params(server, 3)["before"]).toBe("t3_1crz1xy");
    expect(params(server, 4)["before"]).toBeUndefined();
    expect(third.mentions).toEqual([]);
    expect(third.cursor).toEqual(second.cursor);
    expect(server.requests.filter((r) => r.path === TOKEN_PATH)).toHaveLength(1);
  });

  test("poll() falls back to creation times when the anchor was deleted", async ({ recorded }) => {
    const server = await recorded.serve({
      [TOKEN_PATH]: TOKEN,
      "/search": [listing("empty-listing.json"), listing("search-anchor-gone.json")],
    });
    const cursor: Cursor = { postsKey: "search?q=lumio", postsAnchor: "t3_1crz1xy", postsNewest: 1715682600, postsSeen: '["t3_1crz1xy"]' };
    const page = await reddit.poll(options(server), cursor, ctx());
    expect(page.mentions.map((m) => m.sourceId)).toEqual(["t3_1cs0abc"]);
    expect(page.cursor).toMatchObject({ postsAnchor: "t3_1cs0abc", postsNewest: 1715685340 });
  });

  test("poll() reads back with after= until known items when the anchor was deleted during a burst", async ({ recorded }) => {
    const newer = posts(1, 129);
    const known = (JSON.parse(payload("reddit/search-first.json").toString("utf8")) as { data: { children: Child[] } }).data.children;
    const server = await recorded.serve({
      [TOKEN_PATH]: TOKEN,
      "/search": [listing("empty-listing.json"), page(newer.slice(0, 100)), page([...newer.slice(100), ...known])],
    });
    const cursor: Cursor = { postsKey: "search?q=lumio", postsAnchor: "t3_deleted1", postsNewest: NEWEST_FIRST, postsSeen: '["t3_1crx7kq"]' };
    const result = await reddit.poll(options(server), cursor, ctx());
    expect([params(server, 1)["before"], params(server, 2)["after"], params(server, 3)["after"]]).toEqual(["t3_deleted1", undefined, "t3_gen30"]);
    expect(result.mentions).toHaveLength(129);
    expect(new Set(result.mentions.map((m) => m.sourceId)).size).toBe(129);
    expect(result.cursor).toMatchObject({ postsAnchor: "t3_gen129", postsNewest: NEWEST_FIRST + 129 });
  });

  test("poll() pages forward from the anchor, oldest page first, until a page is not full", async ({ recorded }) => {
    const newer = posts(1, 130);
    const server = await recorded.serve({ [TOKEN_PATH]: TOKEN, "/search": [page(newer.slice(30)), page(newer.slice(0, 30))] });
    const cursor: Cursor = { postsKey: "search?q=lumio", postsAnchor: "t3_1crx7kq", postsNewest: NEWEST_FIRST, postsSeen: '["t3_1crx7kq"]' };
    const result = await reddit.poll(options(server), cursor, ctx());
    expect([params(server, 1)["before"], params(server, 2)["before"]]).toEqual(["t3_1crx7kq", "t3_gen100"]);
    expect(result.mentions).toHaveLength(130);
    expect(result.mentions[0]?.sourceId).toBe("t3_gen1");
    expect(result.mentions[129]?.sourceId).toBe("t3_gen130");
    expect(result.cursor).toMatchObject({ postsAnchor: "t3_gen130", postsNewest: NEWEST_FIRST + 130 });
  });

  test("poll() stops paging when Reddit's quota runs low and goes on from there next time", async ({ recorded }) => {
    const newer = posts(1, 130);
    const low = { ...QUOTA, "x-ratelimit-remaining": "5.0", "x-ratelimit-used": "595" };
    const server = await recorded.serve({ [TOKEN_PATH]: TOKEN, "/search": [page(newer.slice(30), low), page(newer.slice(0, 30))] });
    const cursor: Cursor = { postsKey: "search?q=lumio", postsAnchor: "t3_1crx7kq", postsNewest: NEWEST_FIRST, postsSeen: '["t3_1crx7kq"]' };
    const c = ctx();
    const first = await reddit.poll(options(server), cursor, c);
    expect(first.mentions).toHaveLength(100);
    expect(first.cursor).toMatchObject({ postsAnchor: "t3_gen100" });
    expect(c.log.lines.find((l) => l.msg === "reddit quota")?.obj).toMatchObject({ quotaRemaining: 5, quotaUsed: 595, quotaResetSeconds: 412 });
    expect(first.quotaLeft).toBe(5);
    const second = await reddit.poll(options(server), first.cursor, ctx());
    expect(params(server, 2)["before"]).toBe("t3_gen100");
    expect(second.mentions.map((m) => m.sourceId)).toEqual(newer.slice(0, 30).reverse().map((p) => p.data["name"]));
  });

  test("poll() logs Reddit's quota headers at debug", async ({ recorded }) => {
    const server = await recorded.serve({ [TOKEN_PATH]: TOKEN, "/search": listing("search-first.json") });
    const c = ctx();
    await reddit.poll(options(server), null, c);
    expect(c.log.lines.filter((l) => l.msg === "reddit quota")).toEqual([
      { level: "debug", msg: "reddit quota", obj: { stream: "posts", quotaRemaining: 599, quotaUsed: 1, quotaResetSeconds: 412 } },
    ]);
  });

  test("poll() watches subreddits' new posts and comments, keeps a deleted author's comment and logs a removed one", async ({ recorded }) => {
    const server = await recorded.serve({
      [TOKEN_PATH]: TOKEN,
      "/r/Polska+poland/new": listing("subreddit-new.json"),
      "/r/Polska+poland/comments": listing("subreddit-comments.json"),
    });
    const c = ctx();
    const result = await reddit.poll(reddit.options.parse({ subreddits: ["Polska", "poland"], baseUrl: server.baseUrl, authBaseUrl: server.baseUrl }), null, c);
    expect(params(server, 1)).toEqual({ limit: "100", raw_json: "1" });
    expect(result.mentions.map((m) => [m.sourceId, m.author?.handle])).toEqual([
      ["t3_1crw0p3", "marek_lodz"],
      ["t3_1crx7kq", "kasia_wro"],
      ["t1_l3x7q1d", "kasia_wro"],
      ["t1_l3x8m4d", undefined],
      ["t1_l3x9k2p", "piotr_z"],
    ]);
    expect(c.log.lines.filter((l) => l.level === "warn")).toEqual([
      { level: "warn", msg: "item skipped", obj: { stream: "comments", id: "t1_l3x7zzz", reason: "removed comment with nothing left to read" } },
    ]);
    expect(result.cursor).toMatchObject({
      postsKey: "r/Polska+poland/new",
      postsAnchor: "t3_1crx7kq",
      commentsKey: "r/Polska+poland/comments",
      commentsAnchor: "t1_l3x9k2p",
    });
  });

  test("poll() searches only the given subreddits when a query is given too", async ({ recorded }) => {
    const server = await recorded.serve({
      [TOKEN_PATH]: TOKEN,
      "/r/Polska/search": listing("subreddit-new.json"),
      "/r/Polska/comments": listing("subreddit-comments.json"),
    });
    await reddit.poll(options(server, { subreddits: ["Polska"], include: ["posts"] }), null, ctx());
    expect(server.requests.map((r) => r.path.split("?")[0])).toEqual([TOKEN_PATH, "/r/Polska/search"]);
    expect(params(server, 1)).toEqual({ q: "lumio", sort: "new", type: "link", restrict_sr: "1", limit: "100", raw_json: "1" });
  });

  test("poll() sends the configured User-Agent to the token endpoint and the API", async ({ recorded }) => {
    const server = await recorded.serve({ [TOKEN_PATH]: TOKEN, "/search": listing("search-first.json") });
    const userAgent = "linux:earshot-acme:0.1.0 (by /u/acme_pr)";
    await reddit.poll(options(server, { userAgent }), null, ctx());
    expect(server.requests.map((r) => r.headers["user-agent"])).toEqual([userAgent, userAgent]);
  });

  test("poll() asks for a new token once the cached one is about to expire", async ({ recorded }) => {
    const server = await recorded.serve({ [TOKEN_PATH]: [TOKEN, { file: "reddit/token-second.json", contentType: JSON_TYPE }], "/search": listing("search-first.json") });
    await reddit.poll(options(server), null, ctx({ now: "2024-05-14T12:00:00Z" }));
    await reddit.poll(options(server), null, ctx({ now: "2024-05-15T11:50:00Z" }));
    await reddit.poll(options(server), null, ctx({ now: "2024-05-15T11:56:00Z" }));
    expect(server.requests.map((r) => [r.path.split("?")[0], r.headers["authorization"]?.split(" ")[0]])).toEqual([
      [TOKEN_PATH, "Basic"],
      ["/search", "bearer"],
      ["/search", "bearer"],
      [TOKEN_PATH, "Basic"],
      ["/search", "bearer"],
    ]);
    expect(server.requests[4]?.headers["authorization"]).toBe(`bearer ${TOKEN_2}`);
  });

  test("poll() replaces a token Reddit refuses and tries once more", async ({ recorded }) => {
    const server = await recorded.serve({
      [TOKEN_PATH]: [TOKEN, { file: "reddit/token-second.json", contentType: JSON_TYPE }],
      "/search": [{ status: 401, body: '{"message": "Unauthorized", "error": 401}', contentType: JSON_TYPE }, listing("search-first.json")],
    });
    const result = await reddit.poll(options(server), null, ctx());
    expect(result.mentions).toHaveLength(5);
    expect(server.requests.map((r) => [r.path.split("?")[0], r.status])).toEqual([
      [TOKEN_PATH, 200],
      ["/search", 401],
      [TOKEN_PATH, 200],
      ["/search", 200],
    ]);
    expect(server.requests[3]?.headers["authorization"]).toBe(`bearer ${TOKEN_2}`);
  });

  test("poll() gives up with a SourceError that is not retryable when a fresh token is refused too", async ({ recorded }) => {
    const server = await recorded.serve({ [TOKEN_PATH]: TOKEN, "/search": { status: 401 } });
    const err = await sourceError(reddit.poll(options(server), null, ctx()));
    expect(err.retryable).toBe(false);
    expect(err.message).toBe(`[earshot] [reddit] HTTP 401 from ${server.url("/search")} (Reddit refused a fresh token too; check the app's access)`);
    expect(server.requests.filter((r) => r.path === TOKEN_PATH)).toHaveLength(2);
  });

  test.for([
    [401, false, "Reddit refused the app's credentials; check EARSHOT_REDDIT_CLIENT_ID and EARSHOT_REDDIT_CLIENT_SECRET"],
    [429, true, "while asking for a token"],
    [503, true, "while asking for a token"],
    [400, false, "while asking for a token"],
  ] as const)("poll() turns HTTP %i from the token endpoint into a SourceError with retryable %s", async ([status, retryable, text], { recorded }) => {
    const server = await recorded.serve({ [TOKEN_PATH]: { status, file: "reddit/token-unauthorized.json", contentType: JSON_TYPE }, "/search": listing("search-first.json") });
    const err = await sourceError(reddit.poll(options(server), null, ctx()));
    expect(err).toMatchObject({ source: "reddit", retryable });
    expect(err.message).toContain(`HTTP ${status} from ${server.url(TOKEN_PATH)}`);
    expect(err.message).toContain(text);
    expect(err.message).not.toContain(CREDENTIALS.clientSecret);
    expect(server.requests.map((r) => r.path)).toEqual([TOKEN_PATH]);
  });

  test("poll() turns a refused grant answered with 200 into a SourceError that is not retryable", async ({ recorded }) => {
    const server = await recorded.serve({ [TOKEN_PATH]: { file: "reddit/token-bad-grant.json", contentType: JSON_TYPE } });
    const err = await sourceError(reddit.poll(options(server), null, ctx()));
    expect(err).toMatchObject({ retryable: false, message: "[earshot] [reddit] Reddit refused the token request: unsupported_grant_type" });
  });

  test.for([
    [429, true, ""],
    [503, true, ""],
    [403, false, " (a private, quarantined or banned subreddit?)"],
    [404, false, " (no such subreddit?)"],
  ] as const)("poll() turns HTTP %i from the API into a SourceError with retryable %s", async ([status, retryable, hint], { recorded }) => {
    const server = await recorded.serve({ [TOKEN_PATH]: TOKEN, "/search": { status, headers: QUOTA } });
    const err = await sourceError(reddit.poll(options(server), null, ctx()));
    expect(err).toMatchObject({ source: "reddit", retryable, message: `[earshot] [reddit] HTTP ${status} from ${server.url("/search")}${hint}` });
  });

  test("poll() maps Reddit's error object and an HTML page to SourceErrors that are not retryable", async ({ recorded }) => {
    const server = await recorded.serve({
      [TOKEN_PATH]: TOKEN,
      "/search": [listing("error-private.json"), { body: "<!doctype html><title>Reddit is down</title>", contentType: "text/html" }],
    });
    const apiError = await sourceError(reddit.poll(options(server), null, ctx()));
    expect(apiError).toMatchObject({ retryable: false, message: `[earshot] [reddit] Reddit answered with an error: 403 Forbidden (private) from ${server.url("/search")}` });
    const html = await sourceError(reddit.poll(options(server), null, ctx()));
    expect(html).toMatchObject({ retryable: false });
    expect(html.message).toContain("expected JSON, got an HTML page");
  });

  test("poll() refuses a redirect away from the subreddit's listing", async ({ recorded }) => {
    const server = await recorded.serve({
      [TOKEN_PATH]: TOKEN,
      "/r/lumioo/new": { status: 302, headers: { location: "/subreddits/search?q=lumioo" } },
      "/subreddits/search": listing("empty-listing.json"),
    });
    const err = await sourceError(reddit.poll(options(server, { query: undefined, subreddits: ["lumioo"], include: ["posts"] }), null, ctx()));
    expect(err).toMatchObject({ retryable: false, message: "[earshot] [reddit] Reddit redirected /r/lumioo/new to /subreddits/search: does the subreddit exist?" });
  });

  test("poll() ignores the cursor of a stream whose query changed", async ({ recorded }) => {
    const server = await recorded.serve({ [TOKEN_PATH]: TOKEN, "/search": listing("search-first.json") });
    const foreign: Cursor = { postsKey: "search?q=acme", postsAnchor: "t3_zzzzzz", postsNewest: 1_900_000_000, postsSeen: "[]" };
    const result = await reddit.poll(options(server), foreign, ctx());
    expect(params(server, 1)["before"]).toBeUndefined();
    expect(result.mentions).toHaveLength(5);
  });

  test("poll() without credentials names the variables to set and sends nothing", async ({ recorded }) => {
    const server = await recorded.serve({ [TOKEN_PATH]: TOKEN });
    const err = await sourceError(reddit.poll(options(server), null, ctx({ credentials: {} })));
    expect(err).toMatchObject({ retryable: false, message: "[earshot] [reddit] no app credentials: set EARSHOT_REDDIT_CLIENT_ID and EARSHOT_REDDIT_CLIENT_SECRET" });
    expect(server.requests).toHaveLength(0);
  });
});

describe("reddit.credentials", () => {
  test("credentials name the client id and secret variables", () => {
    expect(reddit.credentials).toEqual([
      { name: "clientId", env: "EARSHOT_REDDIT_CLIENT_ID" },
      { name: "clientSecret", env: "EARSHOT_REDDIT_CLIENT_SECRET" },
    ]);
  });
});

describe("reddit.options", () => {
  test("options fill in the real hosts and maxPages", () => {
    expect(reddit.options.parse({ subreddits: ["Polska"] })).toEqual({
      subreddits: ["Polska"],
      baseUrl: "https://oauth.reddit.com",
      authBaseUrl: "https://www.reddit.com",
      maxPages: 5,
    });
  });

  test("options need a query or subreddits, and subreddits for comments", () => {
    expect(reddit.options.safeParse({}).error?.issues[0]?.message).toBe("give a query, subreddits or both");
    const comments = reddit.options.safeParse({ query: "lumio", include: ["comments"] });
    expect(comments.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["include", "comments need subreddits: Reddit's search finds posts only"]]);
  });

  test("options refuse r/ prefixes, unknown keys and other schemes", () => {
    expect(reddit.options.safeParse({ subreddits: ["r/Polska"] }).success).toBe(false);
    expect(reddit.options.safeParse({ query: "lumio", subredits: ["Polska"] }).success).toBe(false);
    expect(reddit.options.safeParse({ query: "lumio", baseUrl: "ftp://oauth.reddit.com" }).success).toBe(false);
  });
});
