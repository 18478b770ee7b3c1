import { describe, expect } from "vitest";
import type { Cursor } from "../../../collectors/source";
import { readStreamState } from "../../../collectors/youtube/thread-stream";
import { nextPacificMidnight, youtube, youtubeOptions } from "../../../collectors/youtube/youtube";
import { test, type LoggedRequest, type RecordedResponse } from "../../support/recorded-http";
import { trackedPollContexts } from "../poll-context";
import { sourceError } from "../rejection";

const KEY = "AIzaSyD-test-key-for-earshot-0123456789";
const ctx = trackedPollContexts({ credentials: { apiKey: KEY } });

const PATH = "/youtube/v3/commentThreads";
const JSON_TYPE = "application/json; charset=UTF-8";
const ok = (file: string): RecordedResponse => ({ file: `youtube/${file}`, contentType: JSON_TYPE });
const refusal = (file: string, status: number): RecordedResponse => ({ file: `youtube/${file}`, status, contentType: JSON_TYPE });
const PAGE1 = ok("video-page1.json");
const PAGE2 = ok("video-page2.json");
const NEXT = ok("video-next.json");
const EMPTY = ok("empty.json");
const QUOTA = refusal("error-quota-exceeded.json", 403);
const DISABLED = refusal("error-comments-disabled.json", 403);
const NOT_FOUND = refusal("error-video-not-found.json", 404);

const VIDEO = "Lm7qXc2Yb4E";
const OTHER = "Qx81ZpLumio";
const CHANNEL = "UCk3LumioOfficialPL0x9aQ";
const TOKEN1 = "QURTSl9pMkxLbWlkeEsyX3lCNlNoWEZaN1ZiZ1lqQWhQYVg4dmdGa1JqR1dtbUhaNDlVbXY4SkVRZmJQbmZHUU1DUFlJcWVOYm9FYg==";

/** Thread ids of the fixtures, by what they say. */
const T = {
  kasia: "UgxR4kq2Lumio9pl1mK4AaABAg", // 11:58:02
  ivan: "Ugz7aYp3Lumio2ruQwE4AaABAg", // 11:51:40
  empty: "UgwEmpty0Lumio3xyZ4AaABAg", // 11:44:13, no text
  marek: "Ugy9mN2bLumio4plTr4AaABAg", // 11:37:55
  tom: "UgxK1vB7Lumio5enHs4AaABAg", // 11:20:09
  olga: "Ugz3cD8eLumio6ruVb4AaABAg", // 11:10:30
  dan: "UgwP5fQ1Lumio7enNa4AaABAg", // 10:52:00
  jurek: "Ugy6gH2jLumio8plLk4AaABAg", // 10:40:45
  back: "UgxN1wE4Lumio9plOk4AaABAg", // 12:03:10
  vernulsya: "Ugz2nR5tLumio0ruOk4AaABAg", // 12:01:00
  otherVideo: "UgwC1hY6Lumio1plNw4AaABAg", // 11:56:30
};

const params = (r: LoggedRequest | undefined): Record<string, string> => Object.fromEntries(new URL(r?.path ?? "/", "http://x").searchParams);
const options = (baseUrl: string, extra: Record<string, unknown> = {}) => youtubeOptions.parse({ videoIds: [VIDEO], baseUrl, ...extra });
const stateOf = (cursor: Cursor | null, key: string) => readStreamState(cursor?.[key]);

describe("youtube.poll()", () => {
  test("poll() reads the newest page of a video on the first poll and returns its comments oldest first", async ({ recorded }) => {
    const server = await recorded.serve({ [PATH]: PAGE1 });
    const c = ctx();
    const page = await youtube.poll(options(server.baseUrl), null, c);
    expect(page.mentions.map((m) => [m.sourceId, m.publishedAt])).toEqual([
      [T.tom, "2024-05-14T11:20:09.000Z"],
      [T.marek, "2024-05-14T11:37:55.000Z"],
      [T.ivan, "2024-05-14T11:51:40.000Z"],
      [T.kasia, "2024-05-14T11:58:02.000Z"],
    ]);
    expect(server.requests.map(params)).toEqual([{ part: "snippet", videoId: VIDEO, order: "time", maxResults: "100", textFormat: "plainText", key: KEY }]);
    expect(page.cursor).toMatchObject({ start: null });
    expect(stateOf(page.cursor, `video:${VIDEO}`)).toEqual({ newest: Date.parse("2024-05-14T11:58:02Z"), seen: [T.kasia], resume: null, commentsOff: false });
    expect(c.log.lines.filter((l) => l.level !== "debug")).toEqual([
      { level: "warn", obj: { stream: `video:${VIDEO}`, threadId: T.empty, reason: "comment without text" }, msg: "comment thread skipped" },
      { level: "info", obj: { quotaUnits: 1, maxUnitsPerPoll: 50, streams: 1, unfinished: 0 }, msg: "youtube quota units spent" },
    ]);
  });

  test("poll() sends the key as the key parameter and in no header", async ({ recorded }) => {
    const server = await recorded.serve({ [PATH]: EMPTY });
    await youtube.poll(options(server.baseUrl), null, ctx());
    const [request] = server.requests;
    expect(params(request)["key"]).toBe(KEY);
    expect(request?.headers["authorization"]).toBeUndefined();
    expect(request?.headers["x-goog-api-key"]).toBeUndefined();
    expect(request?.headers["user-agent"]).toMatch(/^Earshot\//);
  });

  test("poll() with the cursor returns only newer comments, stops at the known ones, and then returns nothing", async ({ recorded }) => {
    const server = await recorded.serve({ [PATH]: [PAGE1, NEXT] });
    const first = await youtube.poll(options(server.baseUrl), null, ctx());
    const second = await youtube.poll(options(server.baseUrl), first.cursor, ctx({ now: "2024-05-14T12:05:00Z" }));
    expect(second.mentions.map((m) => [m.sourceId, m.text])).toEqual([
      [T.vernulsya, "Интернет вернулся, спасибо"],
      [T.back, "Już działa, dzięki Lumio"],
    ]);
    // The page reaches comments already handed out: no second page, though it offers one.
    expect(server.requests).toHaveLength(2);
    expect(params(server.requests[1])["pageToken"]).toBeUndefined();

    const third = await youtube.poll(options(server.baseUrl), second.cursor, ctx({ now: "2024-05-14T12:05:00Z" }));
    expect(third.mentions).toEqual([]);
    expect(third.cursor).toEqual(second.cursor);
  });

  test("poll() stops at maxUnitsPerPoll, keeps the page token, and reads the gap before the newest comments on the next poll", async ({ recorded }) => {
    const server = await recorded.serve({ [PATH]: [PAGE1, PAGE2, NEXT] });
    const cursor: Cursor = { start: null, [`video:${VIDEO}`]: JSON.stringify({ newest: Date.parse("2024-05-14T10:30:00Z"), seen: ["UgOlder"], resume: null, commentsOff: false }) };
    const c = ctx();
    const first = await youtube.poll(options(server.baseUrl, { maxUnitsPerPoll: 1 }), cursor, c);
    expect(first.mentions.map((m) => m.sourceId)).toEqual([T.tom, T.marek, T.ivan, T.kasia]);
    expect(stateOf(first.cursor, `video:${VIDEO}`)).toEqual({
      newest: Date.parse("2024-05-14T10:30:00Z"),
      seen: ["UgOlder"],
      resume: { pageToken: TOKEN1, topAt: Date.parse("2024-05-14T11:58:02Z"), topIds: [T.kasia] },
      commentsOff: false,
    });
    expect(c.log.lines.filter((l) => l.level === "info").map((l) => l.obj)).toEqual([{ quotaUnits: 1, maxUnitsPerPoll: 1, streams: 1, unfinished: 1 }]);
    expect(c.log.lines.some((l) => l.level === "warn" && l.msg?.includes("maxUnitsPerPoll reached"))).toBe(true);

    const second = await youtube.poll(options(server.baseUrl, { maxUnitsPerPoll: 3 }), first.cursor, ctx({ now: "2024-05-14T12:05:00Z" }));
    expect(second.mentions.map((m) => m.sourceId)).toEqual([T.jurek, T.dan, T.olga, T.vernulsya, T.back]);
    expect(server.requests.slice(1).map((r) => params(r)["pageToken"])).toEqual([TOKEN1, undefined]);
    expect(stateOf(second.cursor, `video:${VIDEO}`)).toEqual({ newest: Date.parse("2024-05-14T12:03:10Z"), seen: [T.back], resume: null, commentsOff: false });
  });

  test("poll() that cannot reach every video starts the next poll with the first one left out", async ({ recorded }) => {
    const server = await recorded.serve({ [PATH]: EMPTY });
    const opts = options(server.baseUrl, { videoIds: [VIDEO, OTHER], maxUnitsPerPoll: 1 });
    const first = await youtube.poll(opts, null, ctx());
    expect(first.cursor).toMatchObject({ start: `video:${OTHER}` });
    const second = await youtube.poll(opts, first.cursor, ctx());
    expect(second.cursor).toMatchObject({ start: `video:${VIDEO}` });
    expect(server.requests.map((r) => params(r)["videoId"])).toEqual([VIDEO, OTHER]);
  });

  test("poll() gives every stream its first page before paging further in any", async ({ recorded }) => {
    const server = await recorded.serve({ [PATH]: [PAGE1, EMPTY, PAGE2] });
    const old = JSON.stringify({ newest: Date.parse("2024-05-14T10:30:00Z"), seen: [], resume: null, commentsOff: false });
    const cursor: Cursor = { [`video:${VIDEO}`]: old, [`video:${OTHER}`]: old };
    await youtube.poll(options(server.baseUrl, { videoIds: [VIDEO, OTHER] }), cursor, ctx());
    expect(server.requests.map((r) => [params(r)["videoId"], params(r)["pageToken"]])).toEqual([
      [VIDEO, undefined],
      [OTHER, undefined],
      [VIDEO, TOKEN1],
    ]);
  });

  test("poll() reads a channel and its videos and returns a thread both list once", async ({ recorded }) => {
    const server = await recorded.serve({ [PATH]: [ok("channel-threads.json"), PAGE1] });
    const page = await youtube.poll(options(server.baseUrl, { channelId: CHANNEL }), null, ctx());
    expect(server.requests.map(params).map((p) => p["allThreadsRelatedToChannelId"] ?? p["videoId"])).toEqual([CHANNEL, VIDEO]);
    expect(page.mentions.map((m) => m.sourceId)).toEqual([T.tom, T.marek, T.ivan, T.otherVideo, T.kasia, T.back]);
    expect(page.mentions.find((m) => m.sourceId === T.otherVideo)?.url).toBe(`https://www.youtube.com/watch?v=${OTHER}&lc=${T.otherVideo}`);
    expect(Object.keys(page.cursor ?? {}).sort()).toEqual([`channel:${CHANNEL}`, "start", `video:${VIDEO}`]);
  });

  test("poll() skips a video with comments turned off, says so once, and reads the others", async ({ recorded }) => {
    const server = await recorded.serve({ [PATH]: [DISABLED, PAGE1, DISABLED, EMPTY] });
    const opts = options(server.baseUrl, { videoIds: [OTHER, VIDEO] });
    const c1 = ctx();
    const first = await youtube.poll(opts, null, c1);
    expect(first.mentions).toHaveLength(4);
    expect(stateOf(first.cursor, `video:${OTHER}`)).toMatchObject({ newest: null, commentsOff: true });
    expect(c1.log.lines.filter((l) => l.level === "warn" && l.obj["stream"] === `video:${OTHER}`)).toEqual([
      { level: "warn", obj: { stream: `video:${OTHER}` }, msg: "comments are turned off for this video; it is skipped until they are back" },
    ]);
    const c2 = ctx();
    await youtube.poll(opts, first.cursor, c2);
    expect(c2.log.lines.filter((l) => l.level === "warn")).toEqual([]);
    expect(c2.log.lines.some((l) => l.level === "debug" && l.msg === "comments still turned off")).toBe(true);
  });

  test("poll() skips a video YouTube cannot find and reads the others", async ({ recorded }) => {
    const server = await recorded.serve({ [PATH]: [NOT_FOUND, PAGE1] });
    const c = ctx();
    const page = await youtube.poll(options(server.baseUrl, { videoIds: [OTHER, VIDEO] }), null, c);
    expect(page.mentions).toHaveLength(4);
    expect(c.log.lines).toContainEqual({ level: "warn", obj: { stream: `video:${OTHER}`, reason: "videoNotFound" }, msg: "YouTube cannot find the video; it is skipped" });
  });

  test("poll() fails when YouTube can find none of the videos", async ({ recorded }) => {
    const server = await recorded.serve({ [PATH]: NOT_FOUND });
    const err = await sourceError(youtube.poll(options(server.baseUrl, { videoIds: [OTHER, VIDEO] }), null, ctx()));
    expect(err).toMatchObject({
      source: "youtube",
      retryable: false,
      message: `[earshot] [youtube] YouTube cannot find any of video:${OTHER}, video:${VIDEO}: check videoIds and channelId`,
    });
  });

  test("poll() reads from the top when YouTube refuses the kept page token", async ({ recorded }) => {
    const server = await recorded.serve({ [PATH]: [refusal("error-invalid-argument.json", 400), NEXT] });
    const state = { newest: Date.parse("2024-05-14T11:55:00Z"), seen: [], resume: { pageToken: "expired-token", topAt: Date.parse("2024-05-14T11:58:02Z"), topIds: [T.kasia] }, commentsOff: false };
    const c = ctx({ now: "2024-05-14T12:05:00Z" });
    const page = await youtube.poll(options(server.baseUrl), { [`video:${VIDEO}`]: JSON.stringify(state) }, c);
    expect(server.requests.map((r) => params(r)["pageToken"])).toEqual(["expired-token", undefined]);
    // The top read goes down past the old edge (11:58, handed out already) to the floor (11:55).
    expect(page.mentions.map((m) => m.sourceId)).toEqual([T.vernulsya, T.back]);
    expect(stateOf(page.cursor, `video:${VIDEO}`)).toEqual({ newest: Date.parse("2024-05-14T12:03:10Z"), seen: [T.back], resume: null, commentsOff: false });
    expect(c.log.lines.some((l) => l.level === "warn" && l.msg?.startsWith("YouTube refused the page token"))).toBe(true);
  });

  test("poll() stops paging a stream whose next page repeats the one before", async ({ recorded }) => {
    const server = await recorded.serve({ [PATH]: NEXT });
    const state = { newest: Date.parse("2024-05-14T11:00:00Z"), seen: [], resume: null, commentsOff: false };
    const c = ctx();
    const page = await youtube.poll(options(server.baseUrl), { [`video:${VIDEO}`]: JSON.stringify(state) }, c);
    expect(page.mentions).toHaveLength(4);
    expect(server.requests).toHaveLength(2);
    expect(c.log.lines.some((l) => l.level === "warn" && l.msg?.startsWith("YouTube's next page repeated"))).toBe(true);
    expect(stateOf(page.cursor, `video:${VIDEO}`)).toMatchObject({ newest: Date.parse("2024-05-14T12:03:10Z"), resume: null });
  });

  test("poll() fails on a 400 for a page token of its own instead of asking again", async ({ recorded }) => {
    const server = await recorded.serve({ [PATH]: [PAGE1, refusal("error-invalid-argument.json", 400)] });
    const state = { newest: Date.parse("2024-05-14T10:00:00Z"), seen: [], resume: null, commentsOff: false };
    const err = await sourceError(youtube.poll(options(server.baseUrl), { [`video:${VIDEO}`]: JSON.stringify(state) }, ctx()));
    expect(err.message).toBe("[earshot] [youtube] YouTube API error (HTTP 400 badRequest: Request contains an invalid argument.)");
    expect(server.requests).toHaveLength(2);
  });

  test("poll() turns quotaExceeded into a retryable SourceError that says when the quota resets", async ({ recorded }) => {
    const server = await recorded.serve({ [PATH]: QUOTA });
    const c = ctx();
    const err = await sourceError(youtube.poll(options(server.baseUrl), null, c));
    expect(c.log.lines.filter((l) => l.level === "info").map((l) => l.obj)).toEqual([{ quotaUnits: 1, maxUnitsPerPoll: 50, streams: 1, unfinished: 1 }]);
    expect(err).toMatchObject({
      source: "youtube",
      retryable: true,
      message:
        "[earshot] [youtube] YouTube quota exceeded (HTTP 403 quotaExceeded: The request cannot be completed because you have exceeded your quota.); it resets at midnight Pacific Time, 2024-05-15T07:00:00.000Z",
    });
  });

  test("poll() fails the whole poll when the quota runs out after the first video", async ({ recorded }) => {
    const server = await recorded.serve({ [PATH]: [PAGE1, QUOTA] });
    const err = await sourceError(youtube.poll(options(server.baseUrl, { videoIds: [VIDEO, OTHER] }), null, ctx()));
    expect(err.retryable).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  test.for([
    ["error-key-invalid.json", "HTTP 400 badRequest, API_KEY_INVALID: API key not valid. Please pass a valid API key."],
    ["error-key-invalid-legacy.json", "HTTP 400 keyInvalid: Bad Request"],
  ] as const)("poll() turns the refused key in %s into a SourceError naming the variable, without the key", async ([file, said], { recorded }) => {
    const server = await recorded.serve({ [PATH]: refusal(file, 400) });
    const err = await sourceError(youtube.poll(options(server.baseUrl), null, ctx()));
    expect(err).toMatchObject({ source: "youtube", retryable: false, message: `[earshot] [youtube] YouTube refused the API key (${said}): set EARSHOT_YOUTUBE_API_KEY to a valid key` });
    expect(err.message).not.toContain(KEY);
  });

  test("poll() says to enable the API when the key's project has it off", async ({ recorded }) => {
    const server = await recorded.serve({ [PATH]: refusal("error-access-not-configured.json", 403) });
    const err = await sourceError(youtube.poll(options(server.baseUrl), null, ctx()));
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/^\[earshot\] \[youtube\] the YouTube Data API v3 is not enabled for the key's project \(HTTP 403 accessNotConfigured, SERVICE_DISABLED: /);
    expect(err.message).toMatch(/: enable it in the Google Cloud console$/);
  });

  test("poll() reports another API error with Google's reason and message", async ({ recorded }) => {
    const server = await recorded.serve({ [PATH]: refusal("error-invalid-argument.json", 400) });
    const err = await sourceError(youtube.poll(options(server.baseUrl), null, ctx()));
    expect(err).toMatchObject({ retryable: false, message: "[earshot] [youtube] YouTube API error (HTTP 400 badRequest: Request contains an invalid argument.)" });
  });

  test.for([
    [503, true],
    [429, true],
    [403, false],
    [404, false],
  ] as const)("poll() turns HTTP %i without Google's error body into a SourceError with retryable %s, without the key", async ([status, retryable], { recorded }) => {
    const server = await recorded.serve({ [PATH]: { status } });
    const err = await sourceError(youtube.poll(options(server.baseUrl), null, ctx()));
    expect(err).toMatchObject({ source: "youtube", retryable, message: `[earshot] [youtube] HTTP ${status} from ${server.url(PATH)}` });
    expect(err.message).not.toContain(KEY);
  });

  test("poll() turns a reply that is not the API's JSON into a SourceError that is not retryable", async ({ recorded }) => {
    const server = await recorded.serve({ [PATH]: { body: "<!DOCTYPE html><html><body>Before you continue to YouTube</body></html>", contentType: "text/html" } });
    const err = await sourceError(youtube.poll(options(server.baseUrl), null, ctx()));
    expect(err).toMatchObject({
      retryable: false,
      message: `[earshot] [youtube] cannot read the commentThreads reply for video:${VIDEO}: expected JSON, got an HTML or XML page (a proxy or sign-in page?)`,
    });
  });

  test("poll() without a key refuses to run and names the variable", async ({ recorded }) => {
    const server = await recorded.serve({ [PATH]: EMPTY });
    const err = await sourceError(youtube.poll(options(server.baseUrl), null, ctx({ credentials: {} })));
    expect(err).toMatchObject({ source: "youtube", retryable: false });
    expect(err.message).toContain("EARSHOT_YOUTUBE_API_KEY");
    expect(server.requests).toHaveLength(0);
  });

  test("poll() that is aborted fails with a retryable SourceError", async ({ recorded }) => {
    const server = await recorded.serve({ [PATH]: EMPTY });
    const err = await sourceError(youtube.poll(options(server.baseUrl), null, { ...ctx(), signal: AbortSignal.abort() }));
    expect(err.retryable).toBe(true);
  });

  test("poll() reaches a base URL with a path prefix", async ({ recorded }) => {
    const server = await recorded.serve({ [`/google${PATH}`]: PAGE1 });
    const page = await youtube.poll(options(`${server.baseUrl}/google/`), null, ctx());
    expect(page.mentions).toHaveLength(4);
  });
});

describe("youtube.options", () => {
  test("options fill in the API host and the unit budget", () => {
    expect(youtube.options.parse({ videoIds: [VIDEO] })).toEqual({ videoIds: [VIDEO], baseUrl: "https://www.googleapis.com", maxUnitsPerPoll: 50 });
    expect(youtube.options.parse({ channelId: CHANNEL })).toEqual({ channelId: CHANNEL, baseUrl: "https://www.googleapis.com", maxUnitsPerPoll: 50 });
  });

  test("options take video links as people copy them", () => {
    const links = [`https://www.youtube.com/watch?v=${VIDEO}&t=42s`, `https://youtu.be/${VIDEO}?si=abc`, `https://www.youtube.com/shorts/${VIDEO}`, `https://m.youtube.com/live/${VIDEO}`];
    expect(youtube.options.parse({ videoIds: links }).videoIds).toEqual([VIDEO, VIDEO, VIDEO, VIDEO]);
  });

  test("options refuse no streams, bad ids, a handle for a channel, unknown keys and out-of-range budgets", () => {
    expect(youtube.options.safeParse({}).success).toBe(false);
    expect(youtube.options.safeParse({ videoIds: [] }).success).toBe(false);
    expect(youtube.options.safeParse({ videoIds: ["short"] }).success).toBe(false);
    expect(youtube.options.safeParse({ videoIds: ["https://example.com/watch?v=x"] }).success).toBe(false);
    expect(youtube.options.safeParse({ channelId: "@lumio" }).success).toBe(false);
    expect(youtube.options.safeParse({ videoIds: [VIDEO], apiKey: "x" }).success).toBe(false);
    expect(youtube.options.safeParse({ videoIds: [VIDEO], maxUnitsPerPoll: 0 }).success).toBe(false);
    expect(youtube.options.safeParse({ videoIds: [VIDEO], baseUrl: "ftp://www.googleapis.com" }).success).toBe(false);
  });

  test("youtube declares its key as a required credential", () => {
    expect(youtube.credentials).toEqual([{ name: "apiKey", env: "EARSHOT_YOUTUBE_API_KEY" }]);
  });
});

describe("nextPacificMidnight()", () => {
  test.for([
    ["2024-05-14T12:00:00Z", "2024-05-15T07:00:00.000Z"], // daylight saving time: midnight is 07:00 UTC
    ["2024-05-14T06:30:00Z", "2024-05-14T07:00:00.000Z"], // still the evening before in California
    ["2024-01-10T12:00:00Z", "2024-01-11T08:00:00.000Z"], // standard time: midnight is 08:00 UTC
    ["2024-11-03T12:00:00Z", "2024-11-04T08:00:00.000Z"], // the day daylight saving time ends
    ["2024-03-10T12:00:00Z", "2024-03-11T07:00:00.000Z"], // the day it begins
  ])("nextPacificMidnight() after %s is %s", ([now, expected]) => {
    expect(nextPacificMidnight(new Date(now)).toISOString()).toBe(expected);
  });
});
