import { describe, expect } from "vitest";
import type { Cursor } from "../../../collectors/source";
import { vk, vkOptions } from "../../../collectors/vk/vk";
import { test, type LoggedRequest, type RecordedResponse } from "../../support/recorded-http";
import { trackedPollContexts } from "../poll-context";
import { sourceError } from "../rejection";

const TOKEN = "vk1.a.service-token-for-tests";
const ctx = trackedPollContexts({ credentials: { token: TOKEN } });

const SEARCH = "/method/newsfeed.search";
const json = (file: string): RecordedResponse => ({ file: `vk/${file}`, contentType: "application/json; charset=utf-8" });
const PAGE1 = json("newsfeed-search-page1.json");
const PAGE2 = json("newsfeed-search-page2.json");
const NEXT = json("newsfeed-search-next.json");
const EMPTY = json("newsfeed-search-empty.json");

/** The query parameters a request carried. */
const params = (r: LoggedRequest | undefined): Record<string, string> => Object.fromEntries(new URL(r?.path ?? "/", "http://x").searchParams);
/** start_time and end_time of each request. */
const spans = (requests: readonly LoggedRequest[]) => requests.map((r) => [Number(params(r)["start_time"]), Number(params(r)["end_time"])]);

const options = (baseUrl: string, extra: Record<string, unknown> = {}) => vkOptions.parse({ query: "Lumio", baseUrl, ...extra });

// Unix seconds of the clock the tests run at.
const T_1100 = 1715684400;
const T_1150 = 1715687400;
const T_1200 = 1715688000;
const T_1205 = 1715688300;

describe("vk.poll()", () => {
  test("poll() searches the last window page by page and returns every post oldest first", async ({ recorded }) => {
    const server = await recorded.serve({ [SEARCH]: [PAGE1, PAGE2] });
    const c = ctx();
    const page = await vk.poll(options(server.baseUrl), null, c);
    expect(page.mentions.map((m) => [m.sourceId, m.publishedAt])).toEqual([
      ["648120078_96", "2024-05-14T11:02:27.000Z"],
      ["-99887766_3310", "2024-05-14T11:15:02.000Z"],
      ["731004552_77", "2024-05-14T11:24:19.000Z"],
      ["-187654321_90233", "2024-05-14T11:36:48.000Z"],
      ["648120077_415", "2024-05-14T11:41:05.000Z"],
      ["512338871_2291", "2024-05-14T11:47:33.000Z"],
      ["-41203658_18244", "2024-05-14T11:52:10.000Z"],
    ]);
    expect(server.requests.map(params)).toEqual([
      { q: "Lumio", count: "200", start_time: String(T_1100), end_time: String(T_1200), extended: "1", fields: "screen_name,followers_count,members_count", access_token: TOKEN, v: "5.199" },
      { q: "Lumio", count: "200", start_time: String(T_1100), end_time: String(T_1200), extended: "1", fields: "screen_name,followers_count,members_count", start_from: "4/-187654321_90233", access_token: TOKEN, v: "5.199" },
    ]);
    expect(page.cursor).toMatchObject({ query: "Lumio", coveredTo: T_1200, holeFrom: null, holeTo: null });
    // Only posts a later search can return again are remembered: those in the overlap.
    expect(JSON.parse(String(page.cursor?.["seen"]))).toEqual([["-41203658_18244", 1715687530]]);
    expect(c.log.lines.filter((l) => l.level === "warn")).toEqual([
      { level: "warn", obj: { id: "845566123_12", reason: "post has no text, repost text or photo caption" }, msg: "vk post skipped" },
    ]);
  });

  test("poll() sends the token as access_token and nowhere else", async ({ recorded }) => {
    const server = await recorded.serve({ [SEARCH]: EMPTY });
    await vk.poll(options(server.baseUrl), null, ctx());
    const [request] = server.requests;
    expect(params(request)["access_token"]).toBe(TOKEN);
    expect(request?.headers["authorization"]).toBeUndefined();
    expect(request?.headers["user-agent"]).toMatch(/^Earshot\//);
  });

  test("poll() with the cursor searches from the covered time minus the overlap and returns only posts not handed out", async ({ recorded }) => {
    const server = await recorded.serve({ [SEARCH]: [PAGE1, PAGE2, NEXT] });
    const first = await vk.poll(options(server.baseUrl), null, ctx());
    const second = await vk.poll(options(server.baseUrl), first.cursor, ctx({ now: "2024-05-14T12:05:00Z" }));
    // 2292 is dated before the last poll but was indexed after it; 18244 was handed out already.
    expect(second.mentions.map((m) => [m.sourceId, m.text])).toEqual([
      ["512338871_2292", "Lumio, ну наконец-то заработало"],
      ["-41203658_18247", "Связь восстановлена во всех районах. Спасибо за терпение! Компенсацию начислим автоматически."],
    ]);
    expect(spans(server.requests.slice(2))).toEqual([[T_1150, T_1205]]);
    expect(second.cursor).toMatchObject({ coveredTo: T_1205, holeFrom: null, holeTo: null });

    const third = await vk.poll(options(server.baseUrl), second.cursor, ctx({ now: "2024-05-14T12:05:00Z" }));
    expect(third.mentions).toEqual([]);
    expect(third.cursor).toEqual(second.cursor);
  });

  test("poll() ignores a cursor that belongs to another query", async ({ recorded }) => {
    const server = await recorded.serve({ [SEARCH]: EMPTY });
    const foreign: Cursor = { query: "Other brand", coveredTo: T_1100 - 86_400, holeFrom: null, holeTo: null, seen: "[]" };
    const page = await vk.poll(options(server.baseUrl), foreign, ctx());
    expect(spans(server.requests)).toEqual([[T_1100, T_1200]]);
    expect(page.cursor).toMatchObject({ query: "Lumio", coveredTo: T_1200 });
  });

  test("poll() catches up a long gap window by window, oldest first", async ({ recorded }) => {
    const server = await recorded.serve({ [SEARCH]: EMPTY });
    const cursor: Cursor = { query: "Lumio", coveredTo: 1715670600, holeFrom: null, holeTo: null, seen: "[]" };
    const page = await vk.poll(options(server.baseUrl, { windowMinutes: 120 }), cursor, ctx());
    expect(spans(server.requests)).toEqual([
      [1715670000, 1715677200],
      [1715677200, 1715684400],
      [1715684400, T_1200],
    ]);
    expect(page.cursor).toMatchObject({ coveredTo: T_1200 });
  });

  test("poll() stops at maxPages and leaves the windows it did not reach for the next poll", async ({ recorded }) => {
    const server = await recorded.serve({ [SEARCH]: EMPTY });
    const cursor: Cursor = { query: "Lumio", coveredTo: 1715670600, holeFrom: null, holeTo: null, seen: "[]" };
    const c = ctx();
    const first = await vk.poll(options(server.baseUrl, { windowMinutes: 120, maxPages: 2 }), cursor, c);
    expect(first.cursor).toMatchObject({ coveredTo: 1715684400, holeFrom: null });
    expect(c.log.lines.some((l) => l.level === "warn" && l.msg?.includes("maxPages"))).toBe(true);
    await vk.poll(options(server.baseUrl, { windowMinutes: 120, maxPages: 2 }), first.cursor, ctx());
    expect(spans(server.requests.slice(2))).toEqual([[1715683800, T_1200]]);
  });

  test("poll() that runs out of pages inside a window fills the unread oldest part first on the next poll", async ({ recorded }) => {
    const server = await recorded.serve({ [SEARCH]: [PAGE1, PAGE2, EMPTY] });
    const first = await vk.poll(options(server.baseUrl, { maxPages: 1 }), null, ctx());
    expect(first.mentions).toHaveLength(4);
    // The oldest post read is at 11:36:48; that second may hold more posts, so it is searched again.
    expect(first.cursor).toMatchObject({ coveredTo: T_1200, holeFrom: T_1100, holeTo: 1715686608 });

    const second = await vk.poll(options(server.baseUrl, { maxPages: 2 }), first.cursor, ctx());
    expect(second.mentions.map((m) => m.sourceId)).toEqual(["648120078_96", "-99887766_3310", "731004552_77"]);
    expect(spans(server.requests.slice(1))).toEqual([
      [T_1100, 1715686608],
      [T_1150, T_1200],
    ]);
    expect(second.cursor).toMatchObject({ coveredTo: T_1200, holeFrom: null, holeTo: null });
  });

  test("poll() narrows the window when VK stops at its 1000-result cap", async ({ recorded }) => {
    // 1000 posts, one a second back from 11:59:59, in five pages; VK ends the chain there.
    const posts = Array.from({ length: 1000 }, (_, i) => ({ id: 5000 - i, owner_id: -41203658, from_id: -41203658, date: T_1200 - 1 - i, text: `Lumio пост ${5000 - i}` }));
    const pages: RecordedResponse[] = [0, 1, 2, 3, 4].map((n) => ({
      contentType: "application/json",
      body: JSON.stringify({
        response: { items: posts.slice(n * 200, n * 200 + 200), profiles: [], groups: [], count: 200, total_count: 1400, ...(n < 4 ? { next_from: `${(n + 1) * 200}/x` } : {}) },
      }),
    }));
    const server = await recorded.serve({ [SEARCH]: [...pages, EMPTY] });
    const page = await vk.poll(options(server.baseUrl), null, ctx());
    expect(page.mentions).toHaveLength(1000);
    expect(server.requests).toHaveLength(6);
    expect(params(server.requests[5])).toMatchObject({ start_time: String(T_1100), end_time: String(T_1200 - 1000) });
    expect(params(server.requests[5])["start_from"]).toBeUndefined();
    expect(page.cursor).toMatchObject({ coveredTo: T_1200, holeFrom: null });
  });

  test("poll() logs a skipped post once, though the overlap reads it again", async ({ recorded }) => {
    const body = JSON.stringify({
      response: {
        items: [
          { id: 31, owner_id: 845566123, from_id: 845566123, date: 1715687740, text: "", attachments: [] },
          { id: 30, owner_id: 845566123, from_id: 845566123, date: 1715687700, text: "Lumio снова без связи" },
        ],
        profiles: [],
        groups: [],
        count: 2,
        total_count: 2,
      },
    });
    const server = await recorded.serve({ [SEARCH]: { body, contentType: "application/json" } });
    const first = ctx();
    const a = await vk.poll(options(server.baseUrl), null, first);
    const second = ctx({ now: "2024-05-14T12:05:00Z" });
    const b = await vk.poll(options(server.baseUrl), a.cursor, second);
    expect(a.mentions.map((m) => m.sourceId)).toEqual(["845566123_30"]);
    expect(b.mentions).toEqual([]);
    expect(first.log.lines.filter((l) => l.msg === "vk post skipped").map((l) => l.obj)).toEqual([{ id: "845566123_31", reason: "post has no text, repost text or photo caption" }]);
    expect(second.log.lines.filter((l) => l.msg === "vk post skipped")).toEqual([]);
  });

  test("poll() without a token refuses to run and names the variable", async ({ recorded }) => {
    const server = await recorded.serve({ [SEARCH]: EMPTY });
    const err = await sourceError(vk.poll(options(server.baseUrl), null, ctx({ credentials: {} })));
    expect(err).toMatchObject({ source: "vk", retryable: false });
    expect(err.message).toContain("EARSHOT_VK_TOKEN");
    expect(server.requests).toHaveLength(0);
  });

  test.for([
    ["error-5-auth.json", false, "[earshot] [vk] VK refused the token (error 5: User authorization failed: invalid access_token (4).): set EARSHOT_VK_TOKEN to a valid service token"],
    ["error-6-too-many-requests.json", true, "[earshot] [vk] VK rate limit (error 6: Too many requests per second); trying again on the next poll"],
    ["error-9-flood-control.json", true, "[earshot] [vk] VK rate limit (error 9: Flood control); trying again on the next poll"],
    ["error-29-rate-limit.json", true, "[earshot] [vk] VK rate limit (error 29: Rate limit reached); trying again on the next poll"],
    ["error-100-invalid-parameter.json", false, "[earshot] [vk] VK API error 100: One of the parameters specified was missing or invalid: start_time should be less than end_time"],
  ] as const)("poll() maps the API error in %s to a SourceError with retryable %s", async ([file, retryable, message], { recorded }) => {
    const server = await recorded.serve({ [SEARCH]: json(file) });
    const err = await sourceError(vk.poll(options(server.baseUrl), null, ctx()));
    expect(err).toMatchObject({ source: "vk", retryable, message });
  });

  test("poll() fails the whole poll when an API error arrives after the first page", async ({ recorded }) => {
    const server = await recorded.serve({ [SEARCH]: [PAGE1, json("error-6-too-many-requests.json")] });
    const err = await sourceError(vk.poll(options(server.baseUrl), null, ctx()));
    expect(err.retryable).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  test.for([
    [503, true],
    [429, true],
    [401, false],
    [404, false],
  ] as const)("poll() turns HTTP %i into a SourceError with retryable %s, without the token", async ([status, retryable], { recorded }) => {
    const server = await recorded.serve({ [SEARCH]: { status } });
    const err = await sourceError(vk.poll(options(server.baseUrl), null, ctx()));
    expect(err).toMatchObject({ source: "vk", retryable, message: `[earshot] [vk] HTTP ${status} from ${server.url(SEARCH)}` });
    expect(err.message).not.toContain(TOKEN);
  });

  test("poll() turns a reply that is not JSON into a SourceError that is not retryable", async ({ recorded }) => {
    const server = await recorded.serve({ [SEARCH]: { file: "vk/proxy-error-page.html", contentType: "text/html" } });
    const err = await sourceError(vk.poll(options(server.baseUrl), null, ctx()));
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/^\[earshot\] \[vk\] cannot read the newsfeed\.search reply: the reply is not JSON: /);
  });

  test("poll() that is aborted fails with a retryable SourceError", async ({ recorded }) => {
    const server = await recorded.serve({ [SEARCH]: EMPTY });
    const err = await sourceError(vk.poll(options(server.baseUrl), null, { ...ctx(), signal: AbortSignal.abort() }));
    expect(err.retryable).toBe(true);
  });

  test("poll() reaches a base URL with a path prefix", async ({ recorded }) => {
    const server = await recorded.serve({ [`/vk${SEARCH}`]: EMPTY });
    const page = await vk.poll(options(`${server.baseUrl}/vk/`), null, ctx());
    expect(page.mentions).toEqual([]);
    expect(server.requests[0]?.status).toBe(200);
  });
});

describe("vk.options", () => {
  test("options fill in the API host, pages and window", () => {
    expect(vk.options.parse({ query: " Lumio " })).toEqual({ query: "Lumio", baseUrl: "https://api.vk.com", maxPages: 10, windowMinutes: 60 });
  });

  test("options refuse an empty query, unknown keys and out-of-range numbers", () => {
    expect(vk.options.safeParse({ query: "" }).success).toBe(false);
    expect(vk.options.safeParse({ query: "Lumio", token: "x" }).success).toBe(false);
    expect(vk.options.safeParse({ query: "Lumio", maxPages: 0 }).success).toBe(false);
    expect(vk.options.safeParse({ query: "Lumio", windowMinutes: 1.5 }).success).toBe(false);
    expect(vk.options.safeParse({ query: "Lumio", baseUrl: "ftp://api.vk.com" }).success).toBe(false);
  });

  test("credentials declare the service token's variable", () => {
    expect(vk.credentials).toEqual([{ name: "token", env: "EARSHOT_VK_TOKEN" }]);
  });
});
