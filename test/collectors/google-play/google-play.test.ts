import { afterEach, describe, expect, test } from "vitest";
import { googlePlay, googlePlayOptions, PAGE_SIZE, reviewsRequestBody } from "../../../collectors/google-play/google-play";
import { isHttpError } from "../../../collectors/http";
import type { Cursor } from "../../../collectors/source";
import { trackedPollContexts } from "../poll-context";
import { sourceError } from "../rejection";
import { servePlay, type PlayAnswer, type PlayRequest, type PlayServer } from "./play-server";

const APP = "com.lumio.app";
const TOKEN1_PREFIX = "CpEBCo4BKmgK";
const file = (name: string): PlayAnswer => ({ file: `google-play/${name}` });

const ctx = trackedPollContexts();
const servers: PlayServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function serve(answer: (req: PlayRequest, n: number) => PlayAnswer): Promise<PlayServer> {
  const s = await servePlay(answer);
  servers.push(s);
  return s;
}
const options = (baseUrl: string, extra: Record<string, unknown> = {}) => googlePlayOptions.parse({ appId: APP, baseUrl, ...extra });
/** Answers by language: page 1, or page 2 when asked with page 1's token. */
const byLang =
  (pages: Record<string, PlayAnswer>, second: PlayAnswer = file("reviews-pl-page2.txt")) =>
  (req: PlayRequest): PlayAnswer =>
    typeof req.call?.token === "string" ? second : (pages[req.query["hl"] ?? ""] ?? { status: 404, body: "no such language" });
const texts = (mentions: readonly { text?: string }[]) => mentions.map((m) => m.text);
const floorAt = (iso: string) => JSON.stringify({ newest: Date.parse(iso), seen: [], resume: null, commentsOff: false });

describe("googlePlay.poll()", () => {
  test("poll() reads page 1 of each language on the first poll and returns the reviews oldest first", async () => {
    const server = await serve(byLang({ pl: file("reviews-pl-page1.txt"), ru: file("reviews-ru.txt"), en: file("reviews-en.txt") }));
    const c = ctx();
    const page = await googlePlay.poll(options(server.baseUrl), null, c);
    expect(server.requests.map((r) => [r.query["hl"], r.query["gl"], r.call?.token])).toEqual([
      ["pl", "PL", null],
      ["ru", "RU", null],
      ["en", "US", null],
    ]);
    expect(page.mentions.map((m) => [m.publishedAt, m.rating, m.lang, m.author?.name])).toEqual([
      ["2024-05-14T09:12:11.000Z", 5, "ru", "Ольга Петрова"],
      ["2024-05-14T10:10:45.999Z", 5, "pl", "Piotr"],
      ["2024-05-14T11:45:00.120Z", 1, "ru", "Дмитрий"],
      ["2024-05-14T11:49:30.000Z", 2, "en", "Sam Taylor"],
      ["2024-05-14T11:52:18.005Z", 2, "pl", "Marek Nowak"],
      ["2024-05-14T11:58:40.412Z", 1, "pl", "Kasia Wrona"],
    ]);
    expect(page.cursor?.["appId"]).toBe(APP);
    expect(Object.keys(page.cursor ?? {}).sort()).toEqual(["appId", "locale:en-US", "locale:pl-PL", "locale:ru-RU"]);
    // The review without text is reported once, with its reason.
    expect(c.log.lines.filter((l) => l.level === "warn").map((l) => [l.obj["locale"], l.obj["reason"]])).toEqual([["pl-PL", "review without text"]]);
  });

  test("poll() posts the reviews call as the web store does, with a descriptive User-Agent and no credentials", async () => {
    const server = await serve(() => file("reviews-empty.txt"));
    await googlePlay.poll(options(server.baseUrl, { locales: ["pl"] }), null, ctx());
    const [req] = server.requests;
    expect(req).toMatchObject({ method: "POST", path: "/_/PlayStoreUi/data/batchexecute", query: { rpcids: "UsvDTd", hl: "pl", gl: "PL" } });
    expect(req?.call).toEqual({ rpc: "UsvDTd", appId: APP, sort: 2, count: PAGE_SIZE, token: null });
    expect(req?.headers["content-type"]).toBe("application/x-www-form-urlencoded;charset=UTF-8");
    expect(req?.headers["user-agent"]).toMatch(/^Earshot\//);
    expect(req?.headers["cookie"]).toBeUndefined();
    expect(req?.headers["authorization"]).toBeUndefined();
  });

  test("poll() with the cursor returns only the new reviews, and then nothing", async () => {
    let second = false;
    const server = await serve(() => (second ? file("reviews-pl-next.txt") : file("reviews-pl-page1.txt")));
    const opts = options(server.baseUrl, { locales: ["pl-PL"] });
    const first = await googlePlay.poll(opts, null, ctx());
    second = true;
    const next = await googlePlay.poll(opts, first.cursor, ctx({ now: "2024-05-14T12:05:00Z" }));
    expect(texts(next.mentions)).toEqual(["Już działa, dzięki za szybką poprawkę.", "Dalej źle, trzeci dzień bez dostępu."]);
    const third = await googlePlay.poll(opts, next.cursor, ctx({ now: "2024-05-14T12:10:00Z" }));
    expect(third.mentions).toEqual([]);
    expect(third.cursor).toEqual(next.cursor);
    // Each later poll met a review it had handed out on page 1: no token was followed.
    expect(server.requests.map((r) => r.call?.token)).toEqual([null, null, null]);
  });

  test("poll() follows the continuation token down to the last review collected", async () => {
    const server = await serve(byLang({ pl: file("reviews-pl-page1.txt") }));
    const cursor: Cursor = { appId: APP, "locale:pl-PL": floorAt("2024-05-13T12:00:00Z") };
    const page = await googlePlay.poll(options(server.baseUrl, { locales: ["pl-PL"] }), cursor, ctx());
    expect(server.requests.map((r) => String(r.call?.token).slice(0, 12))).toEqual(["null", TOKEN1_PREFIX]);
    // Page 2's review from 2024-05-13T01:20 is older than the floor; its malformed item is logged.
    expect(texts(page.mentions)).toEqual([
      "Średnio, czasem się zacina.",
      "Świetna aplikacja, polecam <3 & działa szybko",
      "Od aktualizacji\nciągle się wylogowuje.",
      "Aplikacja Lumio znowu nie działa od rana 😡 nie polecam, zwrot pieniędzy!",
    ]);
    expect(JSON.parse(String(page.cursor?.["locale:pl-PL"]))).toMatchObject({ newest: Date.parse("2024-05-14T11:58:40.412Z"), resume: null });
  });

  test("poll() stopped by maxPages keeps the token and reads on from it in the next poll", async () => {
    const server = await serve(byLang({ pl: file("reviews-pl-page1.txt") }));
    const opts = options(server.baseUrl, { locales: ["pl-PL"], maxPages: 1 });
    const cursor: Cursor = { appId: APP, "locale:pl-PL": floorAt("2024-05-12T00:00:00Z") };
    const c1 = ctx();
    const first = await googlePlay.poll(opts, cursor, c1);
    expect(first.mentions).toHaveLength(3);
    expect(c1.log.lines.some((l) => l.level === "warn" && /maxPages/.test(l.msg ?? ""))).toBe(true);
    const state = JSON.parse(String(first.cursor?.["locale:pl-PL"])) as { resume: { pageToken: string } | null };
    expect(state.resume?.pageToken).toMatch(new RegExp(`^${TOKEN1_PREFIX}`));

    const second = await googlePlay.poll(opts, first.cursor, ctx());
    expect(texts(second.mentions)).toEqual(["Masakra, nie da się zalogować.", "Średnio, czasem się zacina."]);
    expect(server.requests.map((r) => String(r.call?.token).slice(0, 12))).toEqual(["null", TOKEN1_PREFIX]);
    const third = await googlePlay.poll(opts, second.cursor, ctx());
    expect(third.mentions).toEqual([]);
  });

  test("poll() reads from the top again when Google refuses a kept token", async () => {
    const server = await serve((req) => (typeof req.call?.token === "string" ? { status: 400, file: "google-play/bad-request.txt" } : file("reviews-pl-page1.txt")));
    const resume = JSON.stringify({ newest: Date.parse("2024-05-14T11:00:00Z"), seen: [], resume: { pageToken: "expired", topAt: Date.parse("2024-05-14T11:52:18.005Z"), topIds: [] }, commentsOff: false });
    const c = ctx();
    const page = await googlePlay.poll(options(server.baseUrl, { locales: ["pl-PL"] }), { appId: APP, "locale:pl-PL": resume }, c);
    expect(server.requests.map((r) => r.call?.token)).toEqual(["expired", null]);
    expect(page.mentions.length).toBeGreaterThan(0);
    expect(c.log.lines.some((l) => /refused the continuation token/.test(l.msg ?? ""))).toBe(true);
  });

  test("poll() ignores a cursor written for another app", async () => {
    const server = await serve(() => file("reviews-pl-page1.txt"));
    const cursor: Cursor = { appId: "com.other.app", "locale:pl-PL": floorAt("2030-01-01T00:00:00Z") };
    const page = await googlePlay.poll(options(server.baseUrl, { locales: ["pl-PL"] }), cursor, ctx());
    expect(page.mentions).toHaveLength(3);
  });
});

describe("googlePlay.poll() rate limits and errors", () => {
  test("poll() waits Retry-After after a 503 and goes on", async () => {
    const server = await serve((_, n) => (n === 0 ? { status: 503, body: "busy", headers: { "retry-after": "0" } } : file("reviews-pl-page1.txt")));
    const c = ctx();
    const page = await googlePlay.poll(options(server.baseUrl, { locales: ["pl-PL"] }), null, c);
    expect(page.mentions).toHaveLength(3);
    expect(server.requests).toHaveLength(2);
    expect(c.log.lines.find((l) => /retrying/.test(l.msg ?? ""))?.obj).toMatchObject({ status: 503, attempt: 1, waitMs: 0, fromRetryAfter: true });
  });

  test("poll() ends with a retryable rate-limit error when 503 persists past rateLimitRetries", async () => {
    const server = await serve(() => ({ status: 503, body: "Service Unavailable", headers: { "retry-after": "0" } }));
    const err = await sourceError(googlePlay.poll(options(server.baseUrl, { locales: ["pl-PL"], rateLimitRetries: 1 }), null, ctx()));
    expect(server.requests).toHaveLength(2);
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/rate-limiting this address \(HTTP 503\); Retry-After 0 s/);
    expect(isHttpError(err.cause) && err.cause.status).toBe(503);
  });

  test("poll() does not wait out a long Retry-After and keeps it on the error", async () => {
    const server = await serve(() => ({ status: 429, body: "Too Many Requests", headers: { "retry-after": "120" } }));
    const err = await sourceError(googlePlay.poll(options(server.baseUrl, { locales: ["pl-PL"] }), null, ctx()));
    expect(server.requests).toHaveLength(1);
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/HTTP 429\); Retry-After 120 s/);
    expect(isHttpError(err.cause) && err.cause.retryAfterMs).toBe(120_000);
  });

  test("poll() turns the captcha page into a retryable rate-limit error without retrying", async () => {
    const answers: PlayAnswer[] = [
      { status: 429, file: "google-play/captcha.html", headers: { "content-type": "text/html" } },
      { status: 200, file: "google-play/captcha.html", headers: { "content-type": "text/html" } },
      { status: 302, body: "", headers: { location: "https://www.google.com/sorry/index?continue=https://play.google.com/" } },
    ];
    for (const answer of answers) {
      const server = await serve(() => answer);
      const err = await sourceError(googlePlay.poll(options(server.baseUrl, { locales: ["pl-PL"] }), null, ctx()));
      expect(server.requests).toHaveLength(1);
      expect(err.retryable).toBe(true);
      expect(err.message).toMatch(/captcha page \("unusual traffic"\); the next poll tries again/);
    }
  });

  test("poll() reports an unknown app as not retryable", async () => {
    const server = await serve(() => file("reviews-not-found.txt"));
    const err = await sourceError(googlePlay.poll(options(server.baseUrl, { locales: ["pl-PL"] }), null, ctx()));
    expect(err.retryable).toBe(false);
    expect(err.message).toBe(`[earshot] [google-play] Google Play knows no app ${APP} (status NOT_FOUND): check appId`);
  });

  test("poll() reports a refused request and an unreadable reply as not retryable", async () => {
    const answers: PlayAnswer[] = [{ status: 400, file: "google-play/bad-request.txt" }, { body: "not batchexecute" }];
    for (const answer of answers) {
      const server = await serve(() => answer);
      const err = await sourceError(googlePlay.poll(options(server.baseUrl, { locales: ["pl-PL"] }), null, ctx()));
      expect(err.retryable).toBe(false);
    }
  });

  test("poll() reports a refused connection as retryable", async () => {
    const server = await serve(() => file("reviews-empty.txt"));
    const { baseUrl } = server;
    await server.close();
    const err = await sourceError(googlePlay.poll(options(baseUrl, { locales: ["pl-PL"] }), null, ctx()));
    expect(err.retryable).toBe(true);
  });
});

describe("googlePlayOptions", () => {
  test("googlePlayOptions accepts a store link and short locales, and refuses what is not a package name", () => {
    const parsed = googlePlayOptions.parse({ appId: "https://play.google.com/store/apps/details?id=com.lumio.app&hl=pl", locales: ["pl", "en", "ru_ru", "uk"] });
    expect(parsed).toMatchObject({ appId: APP, locales: ["pl-PL", "en-US", "ru-RU", "uk-UA"], baseUrl: "https://play.google.com", maxPages: 10, rateLimitRetries: 2 });
    expect(googlePlayOptions.safeParse({ appId: "Lumio app" }).success).toBe(false);
    expect(googlePlayOptions.safeParse({ appId: APP, locales: ["polish"] }).success).toBe(false);
  });

  test("reviewsRequestBody() keeps a token with quotes inside its JSON string", () => {
    const body = reviewsRequestBody(APP, 20, 'a"b\\c');
    const outer = JSON.parse(new URLSearchParams(body).get("f.req") ?? "") as unknown[][][];
    expect(JSON.parse(String(outer[0]?.[0]?.[1]))).toEqual([null, null, [2, 2, [20, null, 'a"b\\c'], null, []], [APP, 7]]);
  });
});
