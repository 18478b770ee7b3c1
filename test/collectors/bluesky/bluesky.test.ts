import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect } from "vitest";
import { createBluesky, SEARCH_LIMIT, type BlueskyOptions } from "../../../collectors/bluesky/bluesky";
import { readSearchState } from "../../../collectors/bluesky/search-cursor";
import type { Source } from "../../../collectors/source";
import { payload, test, type RecordedResponse, type RecordedServer } from "../../support/recorded-http";
import { trackedPollContexts } from "../poll-context";
import { sourceError } from "../rejection";

const CREDENTIALS = { identifier: "earshot-monitor.bsky.social", appPassword: "abcd-efgh-ijkl-mnop" };
const ctx = trackedPollContexts({ credentials: CREDENTIALS });

const json = <T>(file: string): T => JSON.parse(payload(`bluesky/${file}`).toString("utf8")) as T;
const SESSION = json<{ accessJwt: string; refreshJwt: string }>("create-session.json");
const REFRESHED = json<{ accessJwt: string; refreshJwt: string }>("refresh-session.json");

const CREATE = "/xrpc/com.atproto.server.createSession";
const REFRESH = "/xrpc/com.atproto.server.refreshSession";
const SEARCH = "/xrpc/app.bsky.feed.searchPosts";
const PROFILES = "/xrpc/app.bsky.actor.getProfiles";
/** Bluesky's rate-limit headers (reset in epoch seconds). */
const RATE = { "ratelimit-limit": "3000", "ratelimit-remaining": "2991", "ratelimit-reset": "1715688300", "ratelimit-policy": "3000;w=300" };
const SEARCH_PAGE = { file: "bluesky/search-posts-lumio.json", headers: RATE };
const SEARCH_NEXT = { file: "bluesky/search-posts-lumio-next.json", headers: RATE };
const ROUTES = {
  [CREATE]: "bluesky/create-session.json",
  [REFRESH]: "bluesky/refresh-session.json",
  [SEARCH]: SEARCH_PAGE,
  [PROFILES]: { file: "bluesky/get-profiles.json", headers: RATE },
};

const options = (baseUrl: string, more: Partial<BlueskyOptions> = {}): BlueskyOptions => createBluesky().options.parse({ query: "lumio", baseUrl, ...more });
const query = (path: string) => new URL(path, "http://x").searchParams;
const calls = (server: RecordedServer, path: string) => server.requests.filter((r) => r.path.split("?")[0] === path);

describe("bluesky.poll()", () => {
  test("poll() signs in, searches newest first with the access token and adds the authors' followers", async ({ recorded }) => {
    const server = await recorded.serve(ROUTES);
    const source = createBluesky();
    const page = await source.poll(options(server.baseUrl), null, ctx());
    expect(page.mentions.map((m) => [m.publishedAt, m.author?.handle, m.author?.followers])).toEqual([
      ["2024-05-14T11:45:10.000Z", "did:plc:brzk3nh4ndl3zzzzzzzzzzzz", 3],
      ["2024-05-14T11:48:33.000Z", "fibrewatch.bsky.social", 5210],
      ["2024-05-14T11:55:00.000Z", "ivan.example.ru", 87],
      ["2024-05-14T11:58:02.120Z", "kasia.bsky.social", 412],
    ]);
    expect(server.requests.map((r) => [r.method, r.path.split("?")[0]])).toEqual([
      ["POST", CREATE],
      ["GET", SEARCH],
      ["GET", PROFILES],
    ]);
    const [create, search, profiles] = server.requests;
    expect(create?.headers["content-type"]).toBe("application/json");
    expect(create?.headers["authorization"]).toBeUndefined();
    expect(search?.headers["authorization"]).toBe(`Bearer ${SESSION.accessJwt}`);
    expect(Object.fromEntries(query(search?.path ?? ""))).toEqual({ q: "lumio", sort: "latest", limit: String(SEARCH_LIMIT) });
    expect(query(profiles?.path ?? "").getAll("actors")).toEqual([
      "did:plc:brzk3nh4ndl3zzzzzzzzzzzz",
      "did:plc:s4r4hzn3ellfabr3w4tchxya",
      "did:plc:iv4np3trzvmzskv4r7y2u5xz",
      "did:plc:k4s5aw7rzc3l4wz2m5qvn6ty",
    ]);
    expect(page.cursor).toMatchObject({ query: "lumio", lang: null, newest: "2024-05-14T11:58:02.120Z", floor: "2024-05-14T11:45:10.000Z", gapBelow: null });
  });

  test("poll() sends the identifier and app password as JSON to createSession", async () => {
    const bodies: string[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      req.on("end", () => {
        const path = (req.url ?? "").split("?")[0];
        if (path === CREATE) bodies.push(body);
        const file = path === CREATE ? "create-session.json" : path === SEARCH ? "search-posts-lumio.json" : "get-profiles.json";
        res.writeHead(200, { "content-type": "application/json" }).end(payload(`bluesky/${file}`));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await createBluesky().poll(options(baseUrl), null, ctx());
      expect(bodies.map((b) => JSON.parse(b))).toEqual([{ identifier: "earshot-monitor.bsky.social", password: "abcd-efgh-ijkl-mnop" }]);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test("poll() keeps the session, searches since the floor and returns nothing when nothing is new", async ({ recorded }) => {
    const server = await recorded.serve(ROUTES);
    const source = createBluesky();
    const first = await source.poll(options(server.baseUrl), null, ctx());
    const second = await source.poll(options(server.baseUrl), first.cursor, ctx());
    expect(second.mentions).toEqual([]);
    expect(second.cursor).toEqual(first.cursor);
    expect(calls(server, CREATE)).toHaveLength(1);
    expect(calls(server, PROFILES)).toHaveLength(1);
    expect(query(calls(server, SEARCH)[1]?.path ?? "").get("since")).toBe("2024-05-14T11:45:10.000Z");
  });

  test("poll() returns new posts and one sorted below those read, and looks up only the new author", async ({ recorded }) => {
    const server = await recorded.serve({ ...ROUTES, [SEARCH]: [SEARCH_PAGE, SEARCH_NEXT] });
    const source = createBluesky();
    const first = await source.poll(options(server.baseUrl), null, ctx());
    const second = await source.poll(options(server.baseUrl), first.cursor, ctx());
    expect(second.mentions.map((m) => [m.publishedAt, m.text])).toEqual([
      ["2024-05-14T11:50:00.000Z", "В метро без связи, пишу офлайн: Люмио, верните интернет!"],
      ["2024-05-14T11:59:30.000Z", "Lumio znowu działa! Dzięki za szybką naprawę 👍 https://lumio.pl"],
    ]);
    // kasia's followers are remembered from the first poll; olga's are asked for (and the recorded answer lacks her).
    expect(second.mentions.map((m) => m.author?.followers)).toEqual([undefined, 412]);
    expect(query(calls(server, PROFILES)[1]?.path ?? "").getAll("actors")).toEqual(["did:plc:zlg4sm2rnzv4xxxxxxxxxxxx"]);
    expect((await source.poll(options(server.baseUrl), second.cursor, ctx())).mentions).toEqual([]);
  });

  test("poll() passes the language and starts afresh when the query changes", async ({ recorded }) => {
    const server = await recorded.serve(ROUTES);
    const source = createBluesky();
    const first = await source.poll(options(server.baseUrl, { lang: "pl" }), null, ctx());
    const other = await source.poll(options(server.baseUrl, { query: "люмио", lang: "pl" }), first.cursor, ctx());
    expect(other.mentions).toHaveLength(4);
    const searches = calls(server, SEARCH).map((r) => query(r.path));
    expect(searches.map((q) => [q.get("q"), q.get("lang"), q.get("since")])).toEqual([
      ["lumio", "pl", null],
      ["люмио", "pl", null],
    ]);
  });

  test("poll() follows the search cursor from page to page down to the floor", async ({ recorded }) => {
    const page1 = json<{ posts: unknown[] }>("search-posts-lumio-next.json");
    const server = await recorded.serve({
      ...ROUTES,
      [SEARCH]: [SEARCH_PAGE, { body: JSON.stringify({ ...page1, cursor: "100" }), contentType: "application/json" }, SEARCH_PAGE],
    });
    const source = createBluesky();
    const first = await source.poll(options(server.baseUrl), null, ctx());
    const second = await source.poll(options(server.baseUrl), first.cursor, ctx());
    expect(second.mentions).toHaveLength(2);
    const last = query(calls(server, SEARCH)[2]?.path ?? "");
    expect([last.get("cursor"), last.get("since")]).toEqual(["100", "2024-05-14T11:45:10.000Z"]);
  });

  test("poll() leaves a gap at maxPages, warns, and reads the gap first next poll", async ({ recorded }) => {
    const next = json<{ posts: unknown[] }>("search-posts-lumio-next.json");
    const server = await recorded.serve({
      ...ROUTES,
      [SEARCH]: [SEARCH_PAGE, { body: JSON.stringify({ posts: next.posts.slice(0, 1), cursor: "1" }), contentType: "application/json" }, SEARCH_NEXT],
    });
    const source = createBluesky();
    const opts = options(server.baseUrl, { maxPages: 1 });
    const first = await source.poll(opts, null, ctx());
    const capped = ctx();
    const second = await source.poll(opts, first.cursor, capped);
    expect(second.mentions.map((m) => m.publishedAt)).toEqual(["2024-05-14T11:59:30.000Z"]);
    expect(capped.log.lines.some((l) => l.level === "warn" && l.msg?.includes("more new posts than maxPages"))).toBe(true);
    expect(second.cursor?.["gapBelow"]).toBe("2024-05-14T11:59:30.000Z");
    const third = await source.poll(opts, second.cursor, ctx());
    expect(third.mentions.map((m) => m.publishedAt)).toEqual(["2024-05-14T11:50:00.000Z"]);
    const gapRead = query(calls(server, SEARCH)[2]?.path ?? "");
    expect([gapRead.get("since"), gapRead.get("until")]).toEqual(["2024-05-14T11:45:10.000Z", "2024-05-14T11:59:30.001Z"]);
    expect(readSearchState(third.cursor ?? {})?.gapBelow).toBeNull();
  });

  test("poll() logs a skipped post with its reason and keeps the rest", async ({ recorded }) => {
    const page = json<{ posts: Record<string, unknown>[] }>("search-posts-lumio.json");
    delete page.posts[2]?.["record"];
    const server = await recorded.serve({ ...ROUTES, [SEARCH]: { body: JSON.stringify(page), contentType: "application/json" } });
    const c = ctx();
    const result = await createBluesky().poll(options(server.baseUrl), null, c);
    expect(result.mentions).toHaveLength(3);
    expect(c.log.lines.filter((l) => l.level === "warn")).toEqual([
      {
        level: "warn",
        obj: {
          uri: "at://did:plc:s4r4hzn3ellfabr3w4tchxya/app.bsky.feed.post/3ksdb3nq7ek2c",
          reason: "post at://did:plc:s4r4hzn3ellfabr3w4tchxya/app.bsky.feed.post/3ksdb3nq7ek2c has no record",
        },
        msg: "post skipped",
      },
    ]);
  });

  test("poll() sends the posts without reach when getProfiles fails", async ({ recorded }) => {
    const server = await recorded.serve({ ...ROUTES, [PROFILES]: { status: 500 } });
    const c = ctx();
    const page = await createBluesky().poll(options(server.baseUrl), null, c);
    expect(page.mentions).toHaveLength(4);
    expect(page.mentions.every((m) => m.author?.followers === undefined)).toBe(true);
    expect(c.log.lines.some((l) => l.level === "warn" && l.msg === "author reach not read; posts go out without it")).toBe(true);
  });
});

describe("bluesky.poll() session", () => {
  test("poll() refreshes the session shortly before the access token expires", async ({ recorded }) => {
    const server = await recorded.serve(ROUTES);
    const source = createBluesky();
    const first = await source.poll(options(server.baseUrl), null, ctx());
    // The access token from createSession expires at 13:55.
    await source.poll(options(server.baseUrl), first.cursor, ctx({ now: "2024-05-14T13:54:30Z" }));
    expect(server.requests.map((r) => r.path.split("?")[0])).toEqual([CREATE, SEARCH, PROFILES, REFRESH, SEARCH]);
    expect(calls(server, REFRESH)[0]?.headers["authorization"]).toBe(`Bearer ${SESSION.refreshJwt}`);
    expect(calls(server, SEARCH)[1]?.headers["authorization"]).toBe(`Bearer ${REFRESHED.accessJwt}`);
  });

  test("poll() renews the session and searches again when the server says the token expired", async ({ recorded }) => {
    const server = await recorded.serve({ ...ROUTES, [SEARCH]: [{ status: 400, file: "bluesky/error-expired-token.json" }, SEARCH_PAGE] });
    const page = await createBluesky().poll(options(server.baseUrl), null, ctx());
    expect(page.mentions).toHaveLength(4);
    expect(server.requests.map((r) => [r.path.split("?")[0], r.status])).toEqual([
      [CREATE, 200],
      [SEARCH, 400],
      [REFRESH, 200],
      [SEARCH, 200],
      [PROFILES, 200],
    ]);
    expect(calls(server, SEARCH)[1]?.headers["authorization"]).toBe(`Bearer ${REFRESHED.accessJwt}`);
  });

  test("poll() signs in afresh when the refresh token is refused", async ({ recorded }) => {
    const server = await recorded.serve({
      ...ROUTES,
      [SEARCH]: [{ status: 401, file: "bluesky/error-expired-token.json" }, SEARCH_PAGE],
      [REFRESH]: { status: 400, file: "bluesky/error-expired-token.json" },
    });
    const c = ctx();
    const page = await createBluesky().poll(options(server.baseUrl), null, c);
    expect(page.mentions).toHaveLength(4);
    expect(server.requests.map((r) => r.path.split("?")[0])).toEqual([CREATE, SEARCH, REFRESH, CREATE, SEARCH, PROFILES]);
    expect(c.log.lines.some((l) => l.msg === "bluesky refresh token refused; signing in again")).toBe(true);
  });

  test("poll() of two sources on one account shares one sign-in and one refresh", async ({ recorded }) => {
    const server = await recorded.serve(ROUTES);
    const source = createBluesky();
    await Promise.all([source.poll(options(server.baseUrl), null, ctx()), source.poll(options(server.baseUrl, { query: "люмио" }), null, ctx())]);
    const later = { now: "2024-05-14T13:58:00Z" };
    await Promise.all([source.poll(options(server.baseUrl), null, ctx(later)), source.poll(options(server.baseUrl, { query: "люмио" }), null, ctx(later))]);
    expect(calls(server, CREATE)).toHaveLength(1);
    expect(calls(server, REFRESH)).toHaveLength(1);
  });

  test.for([
    [401, "error-invalid-password.json", false, "Bluesky refused the sign-in of earshot-monitor.bsky.social: AuthenticationRequired (Invalid identifier or password); check EARSHOT_BLUESKY_IDENTIFIER and EARSHOT_BLUESKY_APP_PASSWORD"],
    [401, "error-auth-factor.json", false, "the account earshot-monitor.bsky.social asks for an e-mail sign-in code: put an app password (Settings → Privacy and security → App passwords) in EARSHOT_BLUESKY_APP_PASSWORD"],
    [429, "error-rate-limit.json", true, "createSession answered HTTP 429: RateLimitExceeded (Rate Limit Exceeded); the limit resets at 2024-05-14T12:05:00.000Z"],
    [502, undefined, true, "createSession answered HTTP 502"],
  ] as const)("poll() turns a refused sign-in (HTTP %i, %s) into a SourceError with retryable %s", async ([status, file, retryable, message], { recorded }) => {
    const server = await recorded.serve({ ...ROUTES, [CREATE]: { status, ...(file === undefined ? {} : { file: `bluesky/${file}` }), headers: RATE } });
    const err = await sourceError(createBluesky().poll(options(server.baseUrl), null, ctx()));
    expect(err).toMatchObject({ source: "bluesky", retryable, message: `[earshot] [bluesky] ${message}` });
    expect(err.message).not.toContain(CREDENTIALS.appPassword);
    expect(calls(server, SEARCH)).toHaveLength(0);
  });

  test("poll() signs in again on the next poll after a failed sign-in", async ({ recorded }) => {
    const server = await recorded.serve({ ...ROUTES, [CREATE]: [{ status: 502 }, { file: "bluesky/create-session.json" }] });
    const source = createBluesky();
    await sourceError(source.poll(options(server.baseUrl), null, ctx()));
    expect((await source.poll(options(server.baseUrl), null, ctx())).mentions).toHaveLength(4);
  });

  test("poll() without credentials names both variables", async ({ recorded }) => {
    const server = await recorded.serve(ROUTES);
    const err = await sourceError(createBluesky().poll(options(server.baseUrl), null, ctx({ credentials: {} })));
    expect(err).toMatchObject({ retryable: false, message: "[earshot] [bluesky] set EARSHOT_BLUESKY_IDENTIFIER and EARSHOT_BLUESKY_APP_PASSWORD (an app password)" });
    expect(server.requests).toHaveLength(0);
  });
});

describe("bluesky.poll() errors", () => {
  test.for([
    [503, true],
    [429, true],
    [500, true],
  ] as const)("poll() turns HTTP %i from the search into a SourceError with retryable %s", async ([status, retryable], { recorded }) => {
    const server = await recorded.serve({ ...ROUTES, [SEARCH]: { status, headers: RATE } });
    const err = await sourceError(createBluesky().poll(options(server.baseUrl), null, ctx()));
    expect(err).toMatchObject({ source: "bluesky", retryable, message: `[earshot] [bluesky] HTTP ${status} from ${server.url(SEARCH)}` });
  });

  test.for([
    [400, "app.bsky.feed.searchPosts refused the request with a renewed session too: is the query valid?"],
    [401, "the renewed session was refused: check EARSHOT_BLUESKY_IDENTIFIER and EARSHOT_BLUESKY_APP_PASSWORD"],
  ] as const)("poll() gives up with a SourceError that is not retryable when HTTP %i survives a renewed session", async ([status, hint], { recorded }) => {
    const server = await recorded.serve({ ...ROUTES, [SEARCH]: { status, file: "bluesky/error-expired-token.json" } });
    const err = await sourceError(createBluesky().poll(options(server.baseUrl), null, ctx()));
    expect(err).toMatchObject({ retryable: false, message: `[earshot] [bluesky] HTTP ${status} from ${server.url(SEARCH)}: ${hint}` });
    expect(calls(server, SEARCH)).toHaveLength(2);
    expect(calls(server, REFRESH)).toHaveLength(1);
  });

  test.for([
    [403, "the account may not use this (suspended, or search closed to it)"],
    [501, "baseUrl does not serve app.bsky.feed.searchPosts: is it a Bluesky PDS or https://bsky.social?"],
  ] as const)("poll() explains HTTP %i from the search in a SourceError that is not retryable", async ([status, hint], { recorded }) => {
    const server = await recorded.serve({ ...ROUTES, [SEARCH]: { status } });
    const err = await sourceError(createBluesky().poll(options(server.baseUrl), null, ctx()));
    expect(err).toMatchObject({ retryable: false, message: `[earshot] [bluesky] HTTP ${status} from ${server.url(SEARCH)}: ${hint}` });
  });

  test("poll() turns a search answer that is not JSON into a SourceError that is not retryable", async ({ recorded }) => {
    const html: RecordedResponse = { body: "<html><body>It works!</body></html>", contentType: "text/html" };
    const server = await recorded.serve({ ...ROUTES, [SEARCH]: html });
    const err = await sourceError(createBluesky().poll(options(server.baseUrl), null, ctx()));
    expect(err).toMatchObject({
      retryable: false,
      message: `[earshot] [bluesky] cannot read the search from ${server.url(SEARCH)}: the response is markup, not JSON (does baseUrl serve the Bluesky XRPC API?)`,
    });
  });

  test("poll() refuses a service on a private address unless the guard allows it", async ({ recorded }) => {
    const server = await recorded.serve(ROUTES);
    const err = await sourceError(createBluesky().poll(options(server.baseUrl), null, ctx({ httpOptions: { allowPrivateNetworks: false } })));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain("127.0.0.1 is loopback");
    expect(server.requests).toHaveLength(0);
  });
});

describe("bluesky.options", () => {
  const source: Source<BlueskyOptions> = createBluesky();

  test("options default to bsky.social and five pages", () => {
    expect(source.options.parse({ query: " lumio " })).toEqual({ query: "lumio", baseUrl: "https://bsky.social", maxPages: 5 });
  });

  test("options refuse an empty query, other schemes and unknown keys", () => {
    expect(source.options.safeParse({ query: "" }).success).toBe(false);
    expect(source.options.safeParse({ query: "lumio", baseUrl: "file:///etc" }).success).toBe(false);
    expect(source.options.safeParse({ query: "lumio", q: "x" }).success).toBe(false);
  });

  test("credentials declare the identifier and the app password", () => {
    expect(source.credentials).toEqual([
      { name: "identifier", env: "EARSHOT_BLUESKY_IDENTIFIER" },
      { name: "appPassword", env: "EARSHOT_BLUESKY_APP_PASSWORD" },
    ]);
  });
});
