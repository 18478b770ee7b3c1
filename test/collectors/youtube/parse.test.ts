import { fc, test as prop } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { isYoutubeParseError, parseApiError, parseCommentThreads, type YoutubeReply } from "../../../collectors/youtube/parse";
import { payload } from "../../support/recorded-http";
import { ownOutcome, page, visible } from "../parsed";
import { thrown } from "../rejection";

const reply = (file: string): string => payload(`youtube/${file}`).toString("utf8");

const parseError = (fn: () => unknown) => thrown(fn, isYoutubeParseError, "a YoutubeParseError");

/** One thread as the API sends it, with the top-level comment's snippet replaced by `comment`. */
function thread(id: unknown, comment: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { kind: "youtube#commentThread", id, snippet: { videoId: "Lm7qXc2Yb4E", topLevelComment: { kind: "youtube#comment", id, snippet: comment }, totalReplyCount: 0, ...extra } };
}
const listOf = (items: unknown[], more: Record<string, unknown> = {}) => JSON.stringify({ kind: "youtube#commentThreadListResponse", items, ...more });

describe("parseCommentThreads() threads", () => {
  test("parseCommentThreads() reads a page newest first with authors, text, likes and replies", () => {
    const result = page(parseCommentThreads(reply("video-page1.json")));
    expect(result.nextPageToken).toMatch(/^QURTSl9p/);
    expect(result.skipped).toEqual([]);
    expect(result.entries.map((e) => [e.id, new Date(e.at).toISOString(), e.reason ?? null])).toEqual([
      ["UgxR4kq2Lumio9pl1mK4AaABAg", "2024-05-14T11:58:02.000Z", null],
      ["Ugz7aYp3Lumio2ruQwE4AaABAg", "2024-05-14T11:51:40.000Z", null],
      ["UgwEmpty0Lumio3xyZ4AaABAg", "2024-05-14T11:44:13.000Z", "comment without text"],
      ["Ugy9mN2bLumio4plTr4AaABAg", "2024-05-14T11:37:55.000Z", null],
      ["UgxK1vB7Lumio5enHs4AaABAg", "2024-05-14T11:20:09.000Z", null],
    ]);
    const mentions = result.entries.flatMap((e) => (e.mention === null ? [] : [visible(e.mention)]));
    expect(mentions[0]).toEqual({
      source: "youtube",
      sourceId: "UgxR4kq2Lumio9pl1mK4AaABAg",
      url: "https://www.youtube.com/watch?v=Lm7qXc2Yb4E&lc=UgxR4kq2Lumio9pl1mK4AaABAg",
      author: { handle: "kasia_wro", name: "@kasia_wro" },
      text: "Lumio znowu nie działa od rana 😡 nie polecam",
      publishedAt: "2024-05-14T11:58:02.000Z",
      engagement: { likes: 12, replies: 3 },
      parentId: "Lm7qXc2Yb4E",
      threadId: "Lm7qXc2Yb4E",
    });
    // An older channel has no handle: its channel id stands in.
    expect(mentions[2]).toMatchObject({ author: { handle: "UCq2Wm8LumioFan0rV5xT1sA", name: "Marek Nowak" }, text: "Czy ktoś wie, kiedy naprawią?\nPłacę za Lumio i nic." });
    expect(mentions[3]?.text).toBe("Lumio support said it's a regional outage & ETA is 2 hours: https://status.lumio.example/incidents/4411");
  });

  test("parseCommentThreads() keeps the whole thread as raw", () => {
    const result = page(parseCommentThreads(reply("video-page1.json")));
    const raw = result.entries[0]?.mention?.raw as { kind: string; snippet: { canReply: boolean } };
    expect(raw.kind).toBe("youtube#commentThread");
    expect(raw.snippet.canReply).toBe(true);
  });

  test("parseCommentThreads() reads the last page without a page token", () => {
    const result = page(parseCommentThreads(reply("video-page2.json")));
    expect(result.nextPageToken).toBeUndefined();
    expect(result.entries.map((e) => e.mention?.text)).toEqual([
      "Lumio, верните интернет!!!",
      "Switched from Lumio last year, best decision I made",
      "Lumio działa u mnie bez problemu, Kraków",
    ]);
  });

  test("parseCommentThreads() reads an empty list", () => {
    expect(parseCommentThreads(reply("empty.json"))).toEqual({ kind: "page", entries: [], skipped: [], nextPageToken: undefined });
  });

  test("parseCommentThreads() falls back to textDisplay, reads a handle from the channel URL and counts sent as strings", () => {
    const body = listOf([
      thread("UgA", { textDisplay: "only display text", authorDisplayName: "Ola", authorChannelUrl: "http://www.youtube.com/@ola.pl", likeCount: "42", publishedAt: "2024-05-14T11:00:00Z" }, { totalReplyCount: "2" }),
    ]);
    const [entry] = page(parseCommentThreads(body)).entries;
    expect(entry?.mention && visible(entry.mention)).toEqual({
      source: "youtube",
      sourceId: "UgA",
      url: "https://www.youtube.com/watch?v=Lm7qXc2Yb4E&lc=UgA",
      author: { handle: "ola.pl", name: "Ola" },
      text: "only display text",
      publishedAt: "2024-05-14T11:00:00.000Z",
      engagement: { likes: 42, replies: 2 },
      parentId: "Lm7qXc2Yb4E",
      threadId: "Lm7qXc2Yb4E",
    });
  });

  test("parseCommentThreads() links a thread without a video to its channel", () => {
    const body = JSON.stringify({
      items: [{ id: "UgB", snippet: { channelId: "UCk3LumioOfficialPL0x9aQ", topLevelComment: { snippet: { textOriginal: "hello", publishedAt: "2024-05-14T11:00:00Z" } } } }],
    });
    const [entry] = page(parseCommentThreads(body)).entries;
    expect(entry?.mention && visible(entry.mention)).toEqual({
      source: "youtube",
      sourceId: "UgB",
      url: "https://www.youtube.com/channel/UCk3LumioOfficialPL0x9aQ",
      text: "hello",
      publishedAt: "2024-05-14T11:00:00.000Z",
    });
  });

  test("parseCommentThreads() skips unreadable threads with a reason and keeps the rest of the page", () => {
    const good = thread("UgOK", { textOriginal: "fine", publishedAt: "2024-05-14T11:00:00Z" });
    const body = listOf([
      "a string",
      { snippet: {} },
      { id: "UgNoSnippet" },
      thread("UgNoDate", { textOriginal: "x", publishedAt: "yesterday" }),
      thread("UgBlank", { textOriginal: "   ", textDisplay: "", publishedAt: "2024-05-14T11:01:00Z" }),
      good,
    ]);
    const result = page(parseCommentThreads(body));
    expect(result.skipped).toEqual([
      { reason: "thread is not an object" },
      { reason: "thread without an id" },
      { reason: "thread without a top-level comment snippet", id: "UgNoSnippet" },
      { reason: "comment without a readable publishedAt", id: "UgNoDate" },
    ]);
    expect(result.entries.map((e) => [e.id, e.reason ?? "ok"])).toEqual([
      ["UgBlank", "comment without text"],
      ["UgOK", "ok"],
    ]);
  });
});

describe("parseCommentThreads() refusals", () => {
  test.for([
    ["<!DOCTYPE html><html><body>Sign in</body></html>", "expected JSON, got an HTML or XML page"],
    ["{not json", "the reply is not JSON: "],
    ["[1, 2]", "the reply is not a JSON object"],
    ['{"kind": "youtube#videoListResponse", "items": []}', "expected kind youtube#commentThreadListResponse"],
    ['{"kind": "youtube#commentThreadListResponse"}', 'the reply has no "items" array'],
    ['{"error": "boom"}', '"error" is not an error object'],
  ])("parseCommentThreads() refuses %s with a clear message", ([body, message]) => {
    expect(parseError(() => parseCommentThreads(body)).message).toContain(message);
  });

  test("parseCommentThreads() returns Google's error object when it arrives with a 200", () => {
    expect(parseCommentThreads(reply("error-comments-disabled.json"))).toEqual({
      kind: "error",
      code: 403,
      reasons: ["commentsDisabled"],
      message: "The video identified by the videoId parameter has disabled comments.",
    });
  });
});

describe("parseApiError()", () => {
  test.for([
    ["error-quota-exceeded.json", 403, ["quotaExceeded"], "The request cannot be completed because you have exceeded your quota."],
    ["error-comments-disabled.json", 403, ["commentsDisabled"], "The video identified by the videoId parameter has disabled comments."],
    ["error-video-not-found.json", 404, ["videoNotFound"], "The video identified by the videoId parameter could not be found."],
    ["error-key-invalid.json", 400, ["badRequest", "API_KEY_INVALID"], "API key not valid. Please pass a valid API key."],
    ["error-key-invalid-legacy.json", 400, ["keyInvalid"], "Bad Request"],
    ["error-invalid-argument.json", 400, ["badRequest"], "Request contains an invalid argument."],
  ] as const)("parseApiError() reads %s", ([file, code, reasons, message]) => {
    // The HTTP client hands over the body with its whitespace folded.
    expect(parseApiError(reply(file).replace(/\s+/g, " ").trim())).toEqual({ kind: "error", code, reasons, message });
  });

  test("parseApiError() finds the reasons in a body cut short", () => {
    const whole = reply("error-access-not-configured.json").replace(/\s+/g, " ");
    // Cut inside the object, after errors[] and before "status" and "details".
    const cut = whole.slice(0, whole.indexOf('"status"'));
    const failure = parseApiError(cut);
    expect(failure?.code).toBe(403);
    expect(failure?.reasons).toEqual(["accessNotConfigured"]);
    expect(failure?.message).toMatch(/^YouTube Data API v3 has not been used in project 487254915321/);
  });

  test("parseApiError() uses status when a newer error names no reason", () => {
    expect(parseApiError('{"error":{"code":403,"message":"The caller does not have permission","status":"PERMISSION_DENIED"}}')).toEqual({
      kind: "error",
      code: 403,
      reasons: ["PERMISSION_DENIED"],
      message: "The caller does not have permission",
    });
  });

  test.for(["", "<html>502 Bad Gateway</html>", '{"kind":"youtube#commentThreadListResponse","items":[]}', "no such recorded route"])(
    "parseApiError() returns undefined for %j",
    (body) => {
      expect(parseApiError(body)).toBeUndefined();
    },
  );
});

describe("parseCommentThreads() on arbitrary input", () => {
  const isOwnOutcome = (run: () => YoutubeReply): boolean =>
    ownOutcome(
      run,
      (r) =>
        r.kind === "error"
          ? Array.isArray(r.reasons) && typeof r.message === "string"
          : r.entries.every((e) => typeof e.id === "string" && Number.isFinite(e.at) && (e.mention === null ? typeof e.reason === "string" : e.mention.source === "youtube")),
      isYoutubeParseError,
    );

  prop.prop([fc.string({ maxLength: 2_000 })])("parseCommentThreads() either parses or throws YoutubeParseError on any text", (text) =>
    isOwnOutcome(() => parseCommentThreads(text)),
  );

  prop.prop([fc.jsonValue({ maxDepth: 5 })])("parseCommentThreads() either parses or throws YoutubeParseError on any JSON", (value) =>
    isOwnOutcome(() => parseCommentThreads(JSON.stringify(value))),
  );

  const anything = fc.jsonValue({ maxDepth: 3 });
  const comment = fc.record(
    {
      textOriginal: fc.oneof(fc.string({ maxLength: 200 }), anything),
      textDisplay: fc.oneof(fc.string({ maxLength: 200 }), anything),
      authorDisplayName: fc.oneof(fc.string({ maxLength: 40 }), anything),
      authorChannelUrl: fc.oneof(fc.webUrl(), fc.string(), anything),
      authorChannelId: fc.oneof(fc.record({ value: fc.oneof(fc.string(), anything) }), anything),
      likeCount: fc.oneof(fc.integer(), fc.string(), anything),
      publishedAt: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string(), anything),
      videoId: fc.oneof(fc.string(), anything),
    },
    { requiredKeys: [] },
  );
  const item = fc.record(
    {
      id: fc.oneof(fc.string({ maxLength: 30 }), anything),
      snippet: fc.oneof(
        fc.record({ videoId: fc.oneof(fc.string(), anything), topLevelComment: fc.oneof(fc.record({ snippet: fc.oneof(comment, anything) }), anything), totalReplyCount: anything }, { requiredKeys: [] }),
        anything,
      ),
    },
    { requiredKeys: [] },
  );
  prop.prop([fc.array(fc.oneof(item, anything), { maxLength: 10 }), fc.oneof(fc.string(), anything)])(
    "parseCommentThreads() either parses or throws YoutubeParseError on threads with arbitrary fields",
    (items, nextPageToken) => isOwnOutcome(() => parseCommentThreads(JSON.stringify({ kind: "youtube#commentThreadListResponse", nextPageToken, items }))),
  );

  prop.prop([fc.oneof(fc.string({ maxLength: 1_000 }), fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)), fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify({ error: v })))])(
    "parseApiError() never throws",
    (body) => {
      const r = parseApiError(body);
      return r === undefined || (r.kind === "error" && Array.isArray(r.reasons));
    },
  );
});
