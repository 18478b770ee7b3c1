import { describe, expect, test } from "vitest";
import type { SourceHealthSnapshot } from "../../../collectors/health";
import {
  sourceState,
  toIncidentView,
  toMentionView,
  toMinutePoint,
  toSourceHealthView,
} from "../../../dashboard/server/views";
import { makeIncident, makeMention } from "./dashboard-fixture";

describe("views", () => {
  test("toMentionView() keeps exactly the protocol's fields", () => {
    const mention = makeMention({
      id: "rss:42",
      sourceId: "42",
      url: "https://example.pl/a",
      title: "Awaria",
      text: "Lumio nie działa",
      publishedAt: 1_700_000_000_000,
      collectedAt: 1_700_000_005_000,
      claimedLang: "en",
      rating: 1,
      lang: "pl",
    });
    expect(toMentionView(mention)).toEqual({
      id: "rss:42",
      source: "demo",
      url: "https://example.pl/a",
      authorHandle: "@kasia",
      authorName: "Kasia",
      authorFollowers: 120,
      title: "Awaria",
      text: "Lumio nie działa",
      lang: "pl",
      publishedAt: 1_700_000_000_000,
      brand: "Lumio",
      matchedTerms: ["Lumio"],
      sentiment: { score: -0.8, label: "negative", confidence: 0.9, terms: ["nie działa", "masakra"] },
      problems: [{ type: "outage", terms: ["nie działa"] }],
    });
  });

  test("toMentionView() leaves the text as it is, markup included", () => {
    const text = "<img src=x onerror=alert(1)>";
    expect(toMentionView(makeMention({ text })).text).toBe(text);
  });

  test("toMentionView() copies the term lists rather than sharing them", () => {
    const mention = makeMention();
    const view = toMentionView(mention);
    view.matchedTerms.push("changed");
    view.sentiment.terms.push("changed");
    expect(mention.matchedTerms).toEqual(["Lumio"]);
    expect(mention.sentiment.terms).toEqual(["nie działa", "masakra"]);
  });

  test("toIncidentView() carries the lifecycle fields", () => {
    const incident = makeIncident({ state: "acknowledged", acknowledgedAt: 5, acknowledgedBy: "ola", updatedAt: 5 });
    expect(toIncidentView(incident)).toEqual({
      key: "Lumio:spike:1",
      kind: "spike",
      source: null,
      brand: "Lumio",
      state: "acknowledged",
      severity: "critical",
      startedAt: incident.startedAt,
      updatedAt: 5,
      acknowledgedAt: 5,
      acknowledgedBy: "ola",
      resolvedAt: null,
      peakNegative: 42,
      baseline: 3,
      firstMentionId: "demo:1",
      summary: "Negative mentions of Lumio jumped to 42 a minute (baseline 3)",
    });
  });

  test("toMinutePoint() copies brand, minute and both counts", () => {
    expect(toMinutePoint({ brand: "Lumio", minute: 60_000, total: 9, negative: 4 })).toEqual({
      brand: "Lumio",
      minute: 60_000,
      total: 9,
      negative: 4,
    });
  });

  test.each<[ReturnType<typeof sourceState>, string, Partial<SourceHealthSnapshot>]>([
    ["waiting", "no poll has run yet", {}],
    ["waiting", "the first poll is still running and ticks were skipped", { skipped: 2 }],
    ["ok", "the last poll succeeded", { polls: 4, lastSuccessAt: "2025-01-01T00:00:00.000Z", itemsLastPoll: 2 }],
    ["ok", "a success came after earlier failures", { polls: 5, failures: 2, lastError: "HTTP 503", lastSuccessAt: "2025-01-01T00:00:00.000Z" }],
    ["degraded", "the last poll worked only in part", { polls: 4, lastSuccessAt: "2025-01-01T00:00:00.000Z", lastWarning: "cannot read @lumio_insiders" }],
    ["failing", "the last poll failed", { polls: 3, failures: 1, consecutiveFailures: 1, lastError: "HTTP 503" }],
    ["failing", "a streaming source failed before any batch", { mode: "streaming", polls: 1, failures: 1, consecutiveFailures: 1, lastError: "socket closed" }],
    ["off", "its credentials are missing", { polls: 1, failures: 1, consecutiveFailures: 1, lastError: "off: set EARSHOT_REDDIT_CLIENT_ID" }],
    ["failing", "\"off:\" appears later in the message", { polls: 1, failures: 1, consecutiveFailures: 1, lastError: "HTTP 500: turned off: retry" }],
  ])("sourceState() says %s when %s", (expected, _when, fields) => {
    expect(sourceState(snapshot(fields))).toBe(expected);
  });

  test("toSourceHealthView() carries every field, times as epoch ms, with the state", () => {
    const s = snapshot({
      id: "rss-pl",
      kind: "rss",
      lastSuccessAt: "2025-03-01T12:00:00.000Z",
      lastFailureAt: "2025-03-01T12:05:00.250Z",
      consecutiveFailures: 2,
      lastError: "<script>alert(1)</script>",
      lastWarning: null,
      itemsLastPoll: 12,
      lastPollMs: 830,
      polls: 9,
      failures: 3,
      skipped: 1,
      lagMs: 95_000,
      quotaLeft: 412,
    });
    expect(toSourceHealthView(s)).toEqual({
      id: "rss-pl",
      kind: "rss",
      mode: "polling",
      state: "failing",
      lastSuccessAt: Date.UTC(2025, 2, 1, 12, 0, 0),
      lastFailureAt: Date.UTC(2025, 2, 1, 12, 5, 0, 250),
      consecutiveFailures: 2,
      lastError: "<script>alert(1)</script>",
      lastWarning: null,
      itemsLastPoll: 12,
      lastPollMs: 830,
      polls: 9,
      failures: 3,
      skipped: 1,
      lagMs: 95_000,
      quotaLeft: 412,
    });
  });

  test("toSourceHealthView() keeps null times null and reads a time it cannot parse as null", () => {
    const view = toSourceHealthView(snapshot({ lastFailureAt: "not a time" }));
    expect(view.lastSuccessAt).toBeNull();
    expect(view.lastFailureAt).toBeNull();
  });
});

/** A snapshot as collectors/health.ts's blank entry, with `fields` laid over it. */
function snapshot(fields: Partial<SourceHealthSnapshot>): SourceHealthSnapshot {
  return {
    id: "src",
    kind: "rss",
    mode: "polling",
    lastSuccessAt: null,
    lastFailureAt: null,
    consecutiveFailures: 0,
    lastError: null,
    lastWarning: null,
    lastItemsAt: null,
    usualItemGapMs: null,
    itemGaps: 0,
    itemsLastPoll: null,
    lastPollMs: null,
    polls: 0,
    failures: 0,
    skipped: 0,
    lagMs: null,
    quotaLeft: null,
    ...fields,
  };
}
