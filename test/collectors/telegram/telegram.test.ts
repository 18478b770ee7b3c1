import { describe, expect } from "vitest";
import type { Cursor } from "../../../collectors/source";
import { telegram, telegramOptions } from "../../../collectors/telegram/telegram";
import { test, type RecordedResponse } from "../../support/recorded-http";
import { trackedPollContexts } from "../poll-context";
import { sourceError } from "../rejection";

const ctx = trackedPollContexts();

const html = (file: string): RecordedResponse => ({ file: `telegram/${file}`, contentType: "text/html; charset=utf-8" });
const RU = html("lumio_ru.html");
const RU_NEXT = html("lumio_ru-next.html");
const RU_OLDER = html("lumio_ru-before-1201.html");
const PL = html("lumio_pl.html");

const options = (baseUrl: string, channels: string[], extra: Record<string, unknown> = {}) => telegramOptions.parse({ channels, baseUrl, ...extra });
const channelsOf = (cursor: Cursor | null) => JSON.parse(String(cursor?.["channels"])) as unknown;
const cursorOf = (channels: Record<string, unknown>): Cursor => ({ channels: JSON.stringify(channels) });

describe("telegram.poll()", () => {
  test("poll() reads a new channel's newest page, oldest first, and logs the message it skips", async ({ recorded }) => {
    const server = await recorded.serve({ "/s/lumio_ru": RU });
    const c = ctx();
    const page = await telegram.poll(options(server.baseUrl, ["lumio_ru"]), null, c);
    expect(page.mentions.map((m) => [m.sourceId, m.url])).toEqual([
      ["lumio_ru/1201", "https://t.me/lumio_ru/1201"],
      ["lumio_ru/1204", "https://t.me/lumio_ru/1204"],
      ["lumio_ru/1205", "https://t.me/lumio_ru/1205"],
      ["lumio_ru/1207", "https://t.me/lumio_ru/1207"],
      ["lumio_ru/1208", "https://t.me/lumio_ru/1208"],
      ["lumio_ru/1210", "https://t.me/lumio_ru/1210"],
    ]);
    expect(channelsOf(page.cursor)).toEqual({ lumio_ru: { last: 1210 } });
    expect(server.requests.map((r) => [r.path, r.headers["accept"], r.headers["accept-language"]])).toEqual([["/s/lumio_ru", "text/html", "en"]]);
    expect(c.log.lines.filter((l) => l.level === "warn")).toEqual([
      { level: "warn", obj: { channel: "lumio_ru", id: 1202, reason: "media without a caption" }, msg: "telegram message skipped" },
    ]);
  });

  test("poll() reads every configured channel into one cursor", async ({ recorded }) => {
    const server = await recorded.serve({ "/s/lumio_ru": RU, "/s/Lumio_PL": PL });
    const page = await telegram.poll(options(server.baseUrl, ["lumio_ru", "Lumio_PL"]), null, ctx());
    expect(page.mentions.filter((m) => m.sourceId.startsWith("lumio_pl/")).map((m) => m.author)).toEqual([
      { handle: "lumio_pl", name: "Lumio Polska", followers: 3_200 },
      { handle: "lumio_pl", name: "Lumio Polska", followers: 3_200 },
      { handle: "lumio_pl", name: "Lumio Polska", followers: 3_200 },
    ]);
    expect(page.mentions).toHaveLength(9);
    expect(channelsOf(page.cursor)).toEqual({ lumio_ru: { last: 1210 }, lumio_pl: { last: 418 } });
  });

  test("poll() with the cursor returns only messages newer than the last id, and nothing when none are", async ({ recorded }) => {
    const server = await recorded.serve({ "/s/lumio_ru": [RU, RU_NEXT] });
    const first = await telegram.poll(options(server.baseUrl, ["lumio_ru"]), null, ctx());
    const c = ctx();
    const second = await telegram.poll(options(server.baseUrl, ["lumio_ru"]), first.cursor, c);
    expect(second.mentions.map((m) => [m.sourceId, m.publishedAt])).toEqual([
      ["lumio_ru/1211", "2024-05-14T11:48:15.000Z"],
      ["lumio_ru/1213", "2024-05-14T12:03:26.000Z"],
    ]);
    expect(c.log.lines.filter((l) => l.level === "warn").map((l) => l.obj)).toEqual([{ channel: "lumio_ru", id: 1212, reason: "media without a caption" }]);
    expect(channelsOf(second.cursor)).toEqual({ lumio_ru: { last: 1213 } });

    const third = await telegram.poll(options(server.baseUrl, ["lumio_ru"]), second.cursor, ctx());
    expect(third.mentions).toEqual([]);
    expect(third.cursor).toEqual(second.cursor);
    // The newest page reached back past the cursor each time: no older page was needed.
    expect(server.requests.map((r) => r.path)).toEqual(["/s/lumio_ru", "/s/lumio_ru", "/s/lumio_ru"]);
  });

  test("poll() follows ?before= when the whole newest page is new, down to the cursor", async ({ recorded }) => {
    const server = await recorded.serve({ "/s/lumio_ru": [RU, RU_OLDER] });
    const page = await telegram.poll(options(server.baseUrl, ["lumio_ru"]), cursorOf({ lumio_ru: { last: 1195 } }), ctx());
    expect(page.mentions.map((m) => m.sourceId)).toEqual([
      "lumio_ru/1196",
      "lumio_ru/1200",
      "lumio_ru/1201",
      "lumio_ru/1204",
      "lumio_ru/1205",
      "lumio_ru/1207",
      "lumio_ru/1208",
      "lumio_ru/1210",
    ]);
    expect(server.requests.map((r) => r.path)).toEqual(["/s/lumio_ru", "/s/lumio_ru?before=1201"]);
    expect(channelsOf(page.cursor)).toEqual({ lumio_ru: { last: 1210 } });
  });

  test("poll() that reaches maxPages before the cursor leaves the gap for the next poll and fills it then", async ({ recorded }) => {
    const server = await recorded.serve({ "/s/lumio_ru": [RU, RU_NEXT, RU_OLDER] });
    const c = ctx();
    const first = await telegram.poll(options(server.baseUrl, ["lumio_ru"], { maxPages: 1 }), cursorOf({ lumio_ru: { last: 1195 } }), c);
    expect(first.mentions.map((m) => m.sourceId)).toEqual(["lumio_ru/1201", "lumio_ru/1204", "lumio_ru/1205", "lumio_ru/1207", "lumio_ru/1208", "lumio_ru/1210"]);
    expect(channelsOf(first.cursor)).toEqual({ lumio_ru: { last: 1210, holeFrom: 1195, holeTo: 1201 } });
    expect(c.log.lines.some((l) => l.level === "warn" && l.msg === "telegram messages left for the next poll")).toBe(true);

    const second = await telegram.poll(options(server.baseUrl, ["lumio_ru"], { maxPages: 2 }), first.cursor, ctx());
    expect(second.mentions.map((m) => m.sourceId)).toEqual(["lumio_ru/1196", "lumio_ru/1200", "lumio_ru/1211", "lumio_ru/1213"]);
    expect(server.requests.map((r) => r.path)).toEqual(["/s/lumio_ru", "/s/lumio_ru", "/s/lumio_ru?before=1201"]);
    expect(channelsOf(second.cursor)).toEqual({ lumio_ru: { last: 1213 } });
  });

  test("poll() drops channels no longer configured from the cursor and matches names in any case", async ({ recorded }) => {
    const server = await recorded.serve({ "/s/LUMIO_RU": RU_NEXT });
    const cursor = cursorOf({ lumio_ru: { last: 1210 }, old_channel: { last: 5 } });
    const page = await telegram.poll(options(server.baseUrl, ["LUMIO_RU"]), cursor, ctx());
    expect(page.mentions.map((m) => m.sourceId)).toEqual(["lumio_ru/1211", "lumio_ru/1213"]);
    expect(channelsOf(page.cursor)).toEqual({ lumio_ru: { last: 1213 } });
  });

  test("poll() turns a redirect to a private channel's landing page into a clear SourceError", async ({ recorded }) => {
    const server = await recorded.serve({
      "/s/lumio_insiders": { status: 302, headers: { location: "/lumio_insiders" } },
      "/lumio_insiders": html("lumio_insiders-landing.html"),
    });
    const err = await sourceError(telegram.poll(options(server.baseUrl, ["lumio_insiders"]), null, ctx()));
    expect(err).toMatchObject({
      source: "telegram",
      retryable: false,
      message: `[earshot] [telegram] @lumio_insiders has no public preview: ${server.baseUrl}/s/lumio_insiders redirects to ${server.baseUrl}/lumio_insiders (is the channel private, renamed or missing?)`,
    });
  });

  test("poll() turns a page that is not a channel preview into a SourceError that is not retryable", async ({ recorded }) => {
    const server = await recorded.serve({ "/s/lumio_insiders": html("lumio_insiders-landing.html") });
    const err = await sourceError(telegram.poll(options(server.baseUrl, ["lumio_insiders"]), null, ctx()));
    expect(err.retryable).toBe(false);
    expect(err.message).toBe(
      `[earshot] [telegram] cannot read @lumio_insiders at ${server.baseUrl}/s/lumio_insiders: not a channel preview: Telegram shows the landing page of "Lumio Insiders" (the channel is private, does not exist, or has its preview turned off)`,
    );
  });

  test("poll() keeps reading the other channels when one fails, and logs the failure", async ({ recorded }) => {
    const server = await recorded.serve({ "/s/lumio_ru": RU, "/s/lumio_insiders": html("lumio_insiders-landing.html") });
    const c = ctx();
    const cursor = cursorOf({ lumio_insiders: { last: 40 } });
    const page = await telegram.poll(options(server.baseUrl, ["lumio_insiders", "lumio_ru"]), cursor, c);
    expect(page.mentions).toHaveLength(6);
    expect(channelsOf(page.cursor)).toEqual({ lumio_insiders: { last: 40 }, lumio_ru: { last: 1210 } });
    // The poll succeeded in part: health shows the source degraded with the reason.
    expect(page.warnings).toEqual([expect.stringContaining("cannot read @lumio_insiders")]);
    expect(c.log.lines.filter((l) => l.level === "error")).toEqual([
      {
        level: "error",
        obj: { channel: "lumio_insiders", retryable: false, err: expect.stringContaining("cannot read @lumio_insiders") as unknown },
        msg: "telegram channel not read",
      },
    ]);
  });

  test("poll() fails when no channel can be read, retryable if any failure is", async ({ recorded }) => {
    const server = await recorded.serve({ "/s/lumio_ru": { status: 503 }, "/s/lumio_pl": html("lumio_insiders-landing.html") });
    const err = await sourceError(telegram.poll(options(server.baseUrl, ["lumio_ru", "lumio_pl"]), null, ctx()));
    expect(err.retryable).toBe(true);
    expect(err.message).toBe(`[earshot] [telegram] no channel could be read; first: [earshot] [telegram] HTTP 503 from ${server.baseUrl}/s/lumio_ru`);
  });

  test.for([
    [503, true],
    [429, true],
    [404, false],
    [403, false],
  ] as const)("poll() turns HTTP %i into a SourceError with retryable %s", async ([status, retryable], { recorded }) => {
    const server = await recorded.serve({ "/s/lumio_ru": { status } });
    const err = await sourceError(telegram.poll(options(server.baseUrl, ["lumio_ru"]), null, ctx()));
    expect(err).toMatchObject({ source: "telegram", retryable, message: `[earshot] [telegram] HTTP ${status} from ${server.baseUrl}/s/lumio_ru` });
  });
});

describe("telegram.options", () => {
  test("options fill in t.me and the page limit", () => {
    expect(telegram.options.parse({ channels: ["lumio_ru"] })).toEqual({ channels: ["lumio_ru"], baseUrl: "https://t.me", maxPages: 5 });
  });

  test("options refuse @names, links, duplicates, an empty list and unknown keys", () => {
    expect(telegram.options.safeParse({ channels: ["@lumio_ru"] }).success).toBe(false);
    expect(telegram.options.safeParse({ channels: ["https://t.me/lumio_ru"] }).success).toBe(false);
    expect(telegram.options.safeParse({ channels: ["lumio_ru", "Lumio_Ru"] }).success).toBe(false);
    expect(telegram.options.safeParse({ channels: [] }).success).toBe(false);
    expect(telegram.options.safeParse({ channels: ["lumio_ru"], channel: "x" }).success).toBe(false);
  });

  test("telegram declares no credentials: the preview pages are public", () => {
    expect(telegram.credentials).toBeUndefined();
  });
});
