import { describe, expect, test } from "vitest";
import type { ChannelHealthView, SourceHealthView } from "../../../../dashboard/protocol";
import { isChannelHealthView, isMentionView, isSourceHealthView, parseServerMessage } from "../../../../dashboard/web/lib/server-message";

const VIEW: SourceHealthView = {
  id: "rss-pl",
  kind: "rss",
  mode: "polling",
  state: "failing",
  lastSuccessAt: 1_740_830_400_000,
  lastFailureAt: 1_740_830_700_000,
  consecutiveFailures: 2,
  lastError: "HTTP 503 from example.pl",
  lastWarning: null,
  itemsLastPoll: 12,
  lastPollMs: 830,
  polls: 9,
  failures: 3,
  skipped: 0,
  lagMs: 95_000,
  quotaLeft: null,
};

describe("isChannelHealthView()", () => {
  const view: ChannelHealthView = {
    channel: "telegram",
    target: "https://api.telegram.org/bot…/sendMessage#-1001",
    state: "failing",
    lastAttemptAt: 1_795_000_000_000,
    lastError: "sendMessage to -1001 failed: 403 Forbidden: bot was kicked",
    lastDeliveredAt: null,
    failuresSinceDelivered: 3,
  };

  test("isChannelHealthView() accepts a view as the server sends it, delivered or never", () => {
    expect(isChannelHealthView(view)).toBe(true);
    expect(isChannelHealthView({ ...view, state: "ok", lastError: "", lastDeliveredAt: 1_795_000_000_000, failuresSinceDelivered: 0 })).toBe(true);
  });

  test.each([
    ["an unknown state", { ...view, state: "broken" }],
    ["a missing target", { ...view, target: undefined }],
    ["a text count", { ...view, failuresSinceDelivered: "3" }],
    ["not an object", "failing"],
  ])("isChannelHealthView() refuses %s", (_case, value) => {
    expect(isChannelHealthView(value)).toBe(false);
  });
});

describe("isSourceHealthView()", () => {
  test("isSourceHealthView() accepts a view as the server sends it", () => {
    expect(isSourceHealthView(JSON.parse(JSON.stringify(VIEW)))).toBe(true);
  });

  test("isSourceHealthView() accepts a source that has never polled", () => {
    expect(
      isSourceHealthView({ ...VIEW, state: "waiting", lastSuccessAt: null, lastError: null, itemsLastPoll: null }),
    ).toBe(true);
  });

  test.each<[string, unknown]>([
    ["null", null],
    ["a list", [VIEW]],
    ["an unknown state", { ...VIEW, state: "down" }],
    ["no id", { ...VIEW, id: undefined }],
    ["a time as a string", { ...VIEW, lastSuccessAt: "2025-03-01T12:00:00Z" }],
    ["a failure count that is not a number", { ...VIEW, consecutiveFailures: "2" }],
    ["an error that is not text", { ...VIEW, lastError: { message: "x" } }],
    ["a lag that is not a number", { ...VIEW, lagMs: "95 s" }],
    ["a quota that is not a number", { ...VIEW, quotaLeft: "58" }],
  ])("isSourceHealthView() refuses %s", (_what, value) => {
    expect(isSourceHealthView(value)).toBe(false);
  });
});

describe("isMentionView()", () => {
  const MENTION = {
    id: "demo:1",
    source: "demo",
    url: "https://example.com/1",
    authorHandle: "@kasia",
    authorName: "Kasia",
    authorFollowers: 120,
    title: "",
    text: "Lumio nie działa",
    lang: "pl",
    publishedAt: 1_740_830_400_000,
    brand: "Lumio",
    matchedTerms: ["Lumio"],
    sentiment: { score: -0.8, label: "negative", confidence: 0.9, terms: ["nie działa"] },
    problems: [{ type: "outage", terms: ["nie działa"] }],
  };

  test("isMentionView() accepts a mention with its problems as the server sends it", () => {
    expect(isMentionView(JSON.parse(JSON.stringify(MENTION)))).toBe(true);
  });

  test.each<[string, unknown]>([
    ["no problems list", { ...MENTION, problems: undefined }],
    ["a problem without its words", { ...MENTION, problems: [{ type: "outage" }] }],
    ["a problem that is a string", { ...MENTION, problems: ["outage"] }],
  ])("isMentionView() refuses %s", (_case, value) => {
    expect(isMentionView(value)).toBe(false);
  });
});

describe("parseServerMessage() mention-workflow frames", () => {
  const workflow = {
    mentionId: "demo:1",
    brand: "Lumio",
    status: "in-progress",
    assignee: null,
    tags: ["vip"],
    note: "<b>not html</b>",
    updatedBy: "ola",
    updatedAt: 1_740_830_400_000,
  };

  test("parseServerMessage() takes a well-formed mention-workflow frame", () => {
    expect(parseServerMessage(JSON.stringify({ type: "mention-workflow", workflow }))).toEqual({ type: "mention-workflow", workflow });
  });

  test.each([
    { ...workflow, status: "done" },
    { ...workflow, tags: [1] },
    { ...workflow, assignee: 5 },
    { ...workflow, updatedAt: "today" },
  ])("parseServerMessage() drops a mention-workflow frame with %j", (bad) => {
    expect(parseServerMessage(JSON.stringify({ type: "mention-workflow", workflow: bad }))).toBeNull();
  });
});
