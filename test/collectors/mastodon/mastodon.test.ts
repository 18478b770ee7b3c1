import { describe, expect } from "vitest";
import { mastodon, PAGE_LIMIT, type MastodonOptions } from "../../../collectors/mastodon/mastodon";
import { readStreamState, snowflakeAt } from "../../../collectors/mastodon/stream-cursor";
import type { Cursor } from "../../../collectors/source";
import { payload, serveRecorded, test, type RecordedResponse } from "../../support/recorded-http";
import { trackedPollContexts } from "../poll-context";
import { sourceError } from "../rejection";

const ctx = trackedPollContexts();

const options = (baseUrl: string, more: Partial<MastodonOptions> = {}): MastodonOptions => mastodon.options.parse({ baseUrl, hashtags: ["lumio"], ...more });

/** The headers Mastodon sends with a timeline page. */
const RATE = { "x-ratelimit-limit": "300", "x-ratelimit-remaining": "297", "x-ratelimit-reset": "2024-05-14T12:05:00.000000Z" };
const TAG = { file: "mastodon/tag-lumio.json", headers: RATE };
const TAG_NEXT = { file: "mastodon/tag-lumio-next.json", headers: RATE };
const TAG_PATH = "/api/v1/timelines/tag/lumio";

const ID = (iso: string, seq = 1) => ((BigInt(Date.parse(iso)) << 16n) | BigInt(seq)).toString();
const query = (path: string) => Object.fromEntries(new URL(path, "http://x").searchParams);

/** A page of statuses at the given times (newest first), made from a recorded status with new ids and uris. */
function statusPage(times: readonly string[]): string {
  const [template] = JSON.parse(payload("mastodon/tag-lumio.json").toString("utf8")) as Record<string, unknown>[];
  return JSON.stringify(
    [...times]
      .sort()
      .reverse()
      .map((iso) => ({ ...template, id: ID(iso), created_at: iso, uri: `https://mastodon.social/users/kasia_wro/statuses/${ID(iso)}`, url: null })),
  );
}
const json = (times: readonly string[]) => ({ body: statusPage(times), contentType: "application/json" }) satisfies RecordedResponse;
/** `n` times one second apart from `from`. */
const seconds = (from: string, n: number) => Array.from({ length: n }, (_, i) => new Date(Date.parse(from) + i * 1000).toISOString());

describe("mastodon.poll() hashtags", () => {
  test("poll() returns the newest page oldest first on the first poll, without a token", async ({ recorded }) => {
    const server = await recorded.serve({ [TAG_PATH]: TAG });
    const page = await mastodon.poll(options(server.baseUrl), null, ctx());
    expect(page.mentions.map((m) => m.publishedAt)).toEqual([
      "2024-05-14T11:42:10.000Z",
      "2024-05-14T11:48:33.000Z",
      "2024-05-14T11:55:00.000Z",
      "2024-05-14T11:58:02.412Z",
    ]);
    expect(page.mentions[3]).toMatchObject({ source: "mastodon", sourceId: "https://mastodon.social/users/kasia_wro/statuses/112439321034752017", lang: "pl" });
    expect(server.requests.map((r) => [r.path, r.headers["authorization"], r.headers["accept"]])).toEqual([
      [`${TAG_PATH}?limit=40`, undefined, "application/json"],
    ]);
    expect(page.cursor?.["server"]).toBe(server.baseUrl);
    // X-RateLimit-Remaining of the last response, for health.
    expect(page.quotaLeft).toBe(297);
    expect(readStreamState(page.cursor?.["tag:lumio"])).toEqual({
      newest: "112439321034752017",
      floor: snowflakeAt(Date.parse("2024-05-14T11:48:02Z")),
      seen: ["112439283744768901", "112439309107204242", "112439321034752017"],
      gapBelow: null,
    });
  });

  test("poll() asks from the cursor's floor and returns nothing when nothing is new", async ({ recorded }) => {
    const server = await recorded.serve({ [TAG_PATH]: TAG });
    const first = await mastodon.poll(options(server.baseUrl), null, ctx());
    const second = await mastodon.poll(options(server.baseUrl), first.cursor, ctx());
    expect(second.mentions).toEqual([]);
    expect(second.cursor).toEqual(first.cursor);
    expect(query(server.requests[1]?.path ?? "")).toEqual({ limit: "40", min_id: snowflakeAt(Date.parse("2024-05-14T11:48:02Z")) });
  });

  test("poll() returns new statuses and one federated late below the newest, never those handed out before", async ({ recorded }) => {
    const server = await recorded.serve({ [TAG_PATH]: [TAG, TAG_NEXT] });
    const first = await mastodon.poll(options(server.baseUrl), null, ctx());
    const second = await mastodon.poll(options(server.baseUrl), first.cursor, ctx());
    expect(second.mentions.map((m) => [m.publishedAt, m.author?.handle])).toEqual([
      ["2024-05-14T11:53:10.000Z", "marek@pol.example"],
      ["2024-05-14T11:59:30.118Z", "olga_s@mastodon.social"],
    ]);
    const third = await mastodon.poll(options(server.baseUrl), second.cursor, ctx());
    expect(third.mentions).toEqual([]);
  });

  test("poll() reads a Cyrillic hashtag written with # and sends the token when one is set", async ({ recorded }) => {
    const server = await recorded.serve({ "/api/v1/timelines/tag/%D0%BB%D1%8E%D0%BC%D0%B8%D0%BE": TAG });
    const page = await mastodon.poll(options(server.baseUrl, { hashtags: ["#Люмио"] }), null, ctx({ credentials: { token: "tok-123" } }));
    expect(page.mentions).toHaveLength(4);
    expect(server.requests[0]?.headers["authorization"]).toBe("Bearer tok-123");
    expect(Object.keys(page.cursor ?? {})).toEqual(["server", "tag:люмио"]);
  });

  test("poll() hands out a post under two hashtags once", async ({ recorded }) => {
    const server = await recorded.serve({ [TAG_PATH]: TAG, "/api/v1/timelines/tag/awaria": TAG_NEXT });
    const page = await mastodon.poll(options(server.baseUrl, { hashtags: ["lumio", "awaria"] }), null, ctx());
    expect(page.mentions).toHaveLength(6);
    expect(new Set(page.mentions.map((m) => m.sourceId)).size).toBe(6);
    expect(Object.keys(page.cursor ?? {})).toEqual(["server", "tag:lumio", "tag:awaria"]);
  });

  /** The second poll's pages: a full one with a Link header, then the rest. */
  async function pagedServer(recorded: { serve: typeof serveRecorded }, linkOrigin: (own: string) => string) {
    const full = seconds("2024-05-14T11:58:03Z", PAGE_LIMIT);
    const rest = seconds("2024-05-14T11:59:00Z", 3);
    const fullTop = ID(full[full.length - 1] as string);
    const routes: Record<string, RecordedResponse[]> = {};
    const server = await recorded.serve(routes);
    const origin = linkOrigin(server.baseUrl);
    const link = `<${origin}${TAG_PATH}?limit=40&max_id=1>; rel="next", <${origin}${TAG_PATH}?limit=40&min_id=${fullTop}&local=false>; rel="prev"`;
    routes[TAG_PATH] = [TAG, { ...json(full), headers: { ...RATE, link } }, json(rest)];
    return { server, fullTop };
  }

  test("poll() follows the Link header's prev while pages are full", async ({ recorded }) => {
    const { server, fullTop } = await pagedServer(recorded, (own) => own);
    const first = await mastodon.poll(options(server.baseUrl), null, ctx());
    const second = await mastodon.poll(options(server.baseUrl), first.cursor, ctx());
    expect(second.mentions).toHaveLength(PAGE_LIMIT + 3);
    expect(server.requests.slice(1).map((r) => query(r.path))).toEqual([
      { limit: "40", min_id: snowflakeAt(Date.parse("2024-05-14T11:48:02Z")) },
      { limit: "40", min_id: fullTop, local: "false" },
    ]);
  });

  test("poll() does not follow a Link to another host, where the token would go, and pages on by itself", async ({ recorded }) => {
    const { server, fullTop } = await pagedServer(recorded, () => "https://elsewhere.example");
    const c = { credentials: { token: "tok-123" } };
    const first = await mastodon.poll(options(server.baseUrl), null, ctx(c));
    const second = await mastodon.poll(options(server.baseUrl), first.cursor, ctx(c));
    expect(second.mentions).toHaveLength(PAGE_LIMIT + 3);
    expect(query(server.requests[2]?.path ?? "")).toEqual({ limit: "40", min_id: fullTop });
  });

  test("poll() stops at maxPages and goes on from there next poll, skipping nothing", async ({ recorded }) => {
    const first = seconds("2024-05-14T11:50:00Z", PAGE_LIMIT);
    const second = seconds("2024-05-14T11:51:00Z", PAGE_LIMIT);
    const third = seconds("2024-05-14T11:52:00Z", 5);
    // What a server answers to min_id: the statuses right after it, up to 40.
    const afterFloor = json([...first.slice(1), ...second.slice(0, 1)]);
    const afterSecondTop = json([...second.slice(1), ...third.slice(0, 1)]);
    const server = await recorded.serve({ [TAG_PATH]: [json(first), json(second), afterFloor, afterSecondTop, afterFloor, afterSecondTop, json(third.slice(1))] });
    const opts = options(server.baseUrl, { maxPages: 1 });
    const iso = (times: string[]) => times.map((t) => new Date(t).toISOString());

    const a = await mastodon.poll(opts, null, ctx());
    const b = await mastodon.poll(opts, a.cursor, ctx());
    expect(b.mentions.map((m) => m.publishedAt)).toEqual(iso(second));
    // A page of statuses already handed out (the lookback window) does not count against maxPages.
    const c = await mastodon.poll(opts, b.cursor, ctx());
    expect(c.mentions.map((m) => m.publishedAt)).toEqual(iso(third.slice(0, 1)));
    const d = await mastodon.poll(opts, c.cursor, ctx());
    expect(d.mentions.map((m) => m.publishedAt)).toEqual(iso(third.slice(1)));
    expect(server.requests.map((r) => query(r.path)["min_id"])).toEqual([
      undefined,
      ID(first[0] as string),
      ID(first[0] as string),
      ID(second[0] as string),
      ID(first[0] as string),
      ID(second[0] as string),
      ID(third[0] as string),
    ]);
    const all = [...a.mentions, ...b.mentions, ...c.mentions, ...d.mentions].map((m) => m.sourceId);
    expect(all).toHaveLength(PAGE_LIMIT * 2 + 5);
    expect(new Set(all).size).toBe(all.length);
  });

  test("poll() ignores a cursor from another server", async ({ recorded }) => {
    const server = await recorded.serve({ [TAG_PATH]: TAG });
    const foreign: Cursor = { server: "https://mastodon.example.ru", "tag:lumio": JSON.stringify({ newest: "9", floor: "9", seen: [] }) };
    const page = await mastodon.poll(options(server.baseUrl), foreign, ctx());
    expect(page.mentions).toHaveLength(4);
    expect(server.requests[0]?.path).toBe(`${TAG_PATH}?limit=40`);
  });

  test("poll() logs a skipped status with its reason and keeps the rest", async ({ recorded }) => {
    const statuses = JSON.parse(payload("mastodon/tag-lumio.json").toString("utf8")) as Record<string, unknown>[];
    delete statuses[1]?.["uri"];
    const server = await recorded.serve({ [TAG_PATH]: { body: JSON.stringify(statuses), contentType: "application/json" } });
    const c = ctx();
    const page = await mastodon.poll(options(server.baseUrl), null, c);
    expect(page.mentions).toHaveLength(3);
    expect(c.log.lines.filter((l) => l.level === "warn")).toEqual([
      { level: "warn", obj: { statusId: "112439309107204242", reason: "status 112439309107204242 has no uri" }, msg: "status skipped" },
    ]);
    // The skipped status still moves the cursor, so it is not logged again and again.
    expect(readStreamState(page.cursor?.["tag:lumio"])?.seen).toContain("112439309107204242");
  });
});

describe("mastodon.poll() search", () => {
  const SEARCH = { file: "mastodon/search-lumio.json", headers: RATE };

  test("poll() searches with the token, withholds private statuses and merges with the hashtag", async ({ recorded }) => {
    const server = await recorded.serve({ [TAG_PATH]: TAG, "/api/v2/search": SEARCH });
    const page = await mastodon.poll(options(server.baseUrl, { query: "lumio awaria" }), null, ctx({ credentials: { token: "tok-123" } }));
    expect(page.mentions.map((m) => m.publishedAt)).toEqual([
      "2024-05-14T11:31:47.000Z",
      "2024-05-14T11:42:10.000Z",
      "2024-05-14T11:48:33.000Z",
      "2024-05-14T11:55:00.000Z",
      "2024-05-14T11:58:02.412Z",
    ]);
    expect(page.mentions.some((m) => m.sourceId.includes("c1a7d2e9"))).toBe(false);
    const search = server.requests.find((r) => r.path.startsWith("/api/v2/search"));
    expect(query(search?.path ?? "")).toEqual({ q: "lumio awaria", type: "statuses", limit: "40" });
    expect(search?.headers["authorization"]).toBe("Bearer tok-123");
    expect(page.cursor?.["searchQuery"]).toBe("lumio awaria");
  });

  test("poll() searches from the floor next time and starts afresh when the query changes", async ({ recorded }) => {
    const server = await recorded.serve({ "/api/v2/search": SEARCH });
    const c = { credentials: { token: "tok-123" } };
    const first = await mastodon.poll(options(server.baseUrl, { hashtags: [], query: "lumio" }), null, ctx(c));
    const again = await mastodon.poll(options(server.baseUrl, { hashtags: [], query: "lumio" }), first.cursor, ctx(c));
    expect(again.mentions).toEqual([]);
    expect(query(server.requests[1]?.path ?? "")["min_id"]).toBe(readStreamState(first.cursor?.["search"])?.floor);
    const changed = await mastodon.poll(options(server.baseUrl, { hashtags: [], query: "люмио" }), first.cursor, ctx(c));
    expect(changed.mentions).toHaveLength(2);
    expect(query(server.requests[2]?.path ?? "")["min_id"]).toBeUndefined();
  });

  test("poll() leaves a gap at maxPages, warns, and reads the gap first next poll", async ({ recorded }) => {
    const server = await recorded.serve({
      "/api/v2/search": [
        SEARCH,
        { body: JSON.stringify({ accounts: [], hashtags: [], statuses: JSON.parse(statusPage(seconds("2024-05-14T11:59:00Z", PAGE_LIMIT))) }), contentType: "application/json" },
        { body: JSON.stringify({ accounts: [], hashtags: [], statuses: JSON.parse(statusPage(seconds("2024-05-14T11:58:10Z", 3))) }), contentType: "application/json" },
      ],
    });
    const opts = options(server.baseUrl, { hashtags: [], query: "lumio", maxPages: 1 });
    const c = { credentials: { token: "tok-123" } };
    const first = await mastodon.poll(opts, null, ctx(c));
    const capped = ctx(c);
    const second = await mastodon.poll(opts, first.cursor, capped);
    expect(second.mentions).toHaveLength(PAGE_LIMIT);
    expect(capped.log.lines.some((l) => l.level === "warn" && l.msg?.includes("more new statuses than maxPages"))).toBe(true);
    const state = readStreamState(second.cursor?.["search"]);
    expect(state?.gapBelow).toBe(ID("2024-05-14T11:59:00Z"));
    const third = await mastodon.poll(opts, second.cursor, ctx(c));
    expect(third.mentions).toHaveLength(3);
    expect(query(server.requests[2]?.path ?? "")).toMatchObject({ min_id: readStreamState(first.cursor?.["search"])?.floor, max_id: state?.gapBelow });
    expect(readStreamState(third.cursor?.["search"])?.gapBelow).toBeNull();
  });

  test("poll() refuses a query without a token, naming the variable, before any request", async ({ recorded }) => {
    const server = await recorded.serve({ "/api/v2/search": SEARCH });
    const err = await sourceError(mastodon.poll(options(server.baseUrl, { query: "lumio" }), null, ctx()));
    expect(err).toMatchObject({ source: "mastodon", retryable: false });
    expect(err.message).toContain("EARSHOT_MASTODON_TOKEN");
    expect(server.requests).toHaveLength(0);
  });
});

describe("mastodon.poll() errors", () => {
  test.for([
    [503, true],
    [429, true],
    [500, true],
    [410, false],
  ] as const)("poll() turns HTTP %i into a SourceError with retryable %s", async ([status, retryable], { recorded }) => {
    const server = await recorded.serve({ [TAG_PATH]: { status, headers: RATE } });
    const err = await sourceError(mastodon.poll(options(server.baseUrl), null, ctx()));
    expect(err).toMatchObject({ source: "mastodon", retryable, message: `[earshot] [mastodon] HTTP ${status} from ${server.url(TAG_PATH)}` });
  });

  test.for([
    [401, undefined, "the server lets only signed-in users read this: set EARSHOT_MASTODON_TOKEN"],
    [401, "revoked", "the server refused the access token: check EARSHOT_MASTODON_TOKEN"],
    [403, undefined, "the server does not show this to visitors: set EARSHOT_MASTODON_TOKEN"],
    [404, undefined, "no Mastodon API there: is baseUrl the server's address?"],
  ] as const)("poll() explains HTTP %i (token %s) in a SourceError that is not retryable", async ([status, token, hint], { recorded }) => {
    const server = await recorded.serve({ [TAG_PATH]: { status, file: "mastodon/error-invalid-token.json" } });
    const err = await sourceError(mastodon.poll(options(server.baseUrl), null, ctx(token === undefined ? {} : { credentials: { token } })));
    expect(err).toMatchObject({ retryable: false, message: `[earshot] [mastodon] HTTP ${status} from ${server.url(TAG_PATH)}: ${hint}` });
  });

  test("poll() turns a page that is not a timeline into a SourceError that is not retryable", async ({ recorded }) => {
    const server = await recorded.serve({
      [TAG_PATH]: { body: "<!DOCTYPE html><html><body>Welcome to nginx</body></html>", contentType: "text/html" },
      "/api/v1/timelines/tag/awaria": { file: "mastodon/error-invalid-token.json" },
    });
    const html = await sourceError(mastodon.poll(options(server.baseUrl), null, ctx()));
    expect(html).toMatchObject({ retryable: false });
    expect(html.message).toBe(
      `[earshot] [mastodon] cannot read #lumio from ${server.url(TAG_PATH)}: the response is markup, not JSON (is baseUrl the address of a Mastodon server?)`,
    );
    const apiError = await sourceError(mastodon.poll(options(server.baseUrl, { hashtags: ["awaria"] }), null, ctx()));
    expect(apiError.message).toContain("(the server says: The access token is invalid)");
  });

  test("poll() refuses a server on a private address unless the guard allows it", async ({ recorded }) => {
    const server = await recorded.serve({ [TAG_PATH]: TAG });
    const err = await sourceError(mastodon.poll(options(server.baseUrl), null, ctx({ httpOptions: { allowPrivateNetworks: false } })));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain("127.0.0.1 is loopback");
    expect(server.requests).toHaveLength(0);
  });
});

describe("mastodon.options", () => {
  test("options take hashtags with or without # in any script and default maxPages", () => {
    expect(mastodon.options.parse({ baseUrl: "https://mastodon.social", hashtags: ["#lumio", "люмио", "Światłowód"] })).toEqual({
      baseUrl: "https://mastodon.social",
      hashtags: ["lumio", "люмио", "Światłowód"],
      maxPages: 5,
    });
  });

  test("options refuse no hashtag and no query, bad hashtags, other schemes and unknown keys", () => {
    expect(mastodon.options.safeParse({ baseUrl: "https://mastodon.social" }).success).toBe(false);
    expect(mastodon.options.safeParse({ baseUrl: "https://mastodon.social", hashtags: ["two words"] }).success).toBe(false);
    expect(mastodon.options.safeParse({ baseUrl: "ftp://mastodon.social", hashtags: ["lumio"] }).success).toBe(false);
    expect(mastodon.options.safeParse({ baseUrl: "https://mastodon.social", hashtags: ["lumio"], tags: ["x"] }).success).toBe(false);
    expect(mastodon.options.safeParse({ baseUrl: "https://mastodon.social", query: "lumio" }).success).toBe(true);
  });

  test("credentials declare the optional token", () => {
    expect(mastodon.credentials).toEqual([{ name: "token", env: "EARSHOT_MASTODON_TOKEN", optional: true }]);
  });
});
