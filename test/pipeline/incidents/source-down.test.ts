import { describe, expect, test } from "vitest";
import type { SourceHealthSnapshot } from "../../../collectors/health";
import { reduceIncidents } from "../../../pipeline/incidents/lifecycle";
import { DEFAULT_SOURCE_DOWN, judgeSource } from "../../../pipeline/incidents/source-down";
import { noticeText } from "../../../pipeline/alerts/notice-text";

const NOW = Date.UTC(2026, 10, 23, 12, 0);
const MIN = 60_000;
const health = (fields: Partial<SourceHealthSnapshot>): SourceHealthSnapshot => ({
  id: "rss-1",
  kind: "rss",
  mode: "polling",
  lastSuccessAt: null,
  lastFailureAt: null,
  consecutiveFailures: 0,
  lastError: null,
  lastWarning: null,
  itemsLastPoll: null,
  lastPollMs: null,
  polls: 10,
  failures: 0,
  skipped: 0,
  lastItemsAt: null,
  usualItemGapMs: null,
  itemGaps: 0,
  lagMs: null,
  quotaLeft: null,
  ...fields,
});
const ago = (ms: number) => new Date(NOW - ms).toISOString();

describe("judgeSource()", () => {
  test.each([
    ["a healthy source", health({ lastItemsAt: ago(5 * MIN), usualItemGapMs: 5 * MIN, itemGaps: 10 }), false],
    ["three failed polls in a row", health({ consecutiveFailures: 3, lastError: "HTTP 503" }), true],
    ["two failed polls", health({ consecutiveFailures: 2, lastError: "HTTP 503" }), false],
    ["silent for 6 × its rhythm and over an hour", health({ lastItemsAt: ago(121 * MIN), usualItemGapMs: 20 * MIN, itemGaps: 5 }), true],
    ["silent a long while but its rhythm is slow", health({ lastItemsAt: ago(121 * MIN), usualItemGapMs: 60 * MIN, itemGaps: 5 }), false],
    ["a fast source quiet for 30 min: under the one-hour floor", health({ lastItemsAt: ago(30 * MIN), usualItemGapMs: MIN, itemGaps: 50 }), false],
    ["a rhythm not yet learnt", health({ lastItemsAt: ago(600 * MIN), usualItemGapMs: MIN, itemGaps: 1 }), false],
    ["a pushing tool quiet for hours: it pushes when it has something", health({ mode: "pushed", lastItemsAt: ago(600 * MIN), usualItemGapMs: 5 * MIN, itemGaps: 20 }), false],
    ["a source kept off by its configuration", health({ consecutiveFailures: 9, lastError: "off: set EARSHOT_VK_TOKEN" }), false],
  ])("judgeSource() on %s → down %s", (_name, snapshot, down) => {
    expect(judgeSource(snapshot, NOW, DEFAULT_SOURCE_DOWN).down).toBe(down);
  });

  test("judgeSource() says why in plain words", () => {
    expect(judgeSource(health({ consecutiveFailures: 4, lastError: "HTTP 503" }), NOW, DEFAULT_SOURCE_DOWN).reason).toBe(
      "4 failed polls in a row: HTTP 503",
    );
    expect(
      judgeSource(health({ lastItemsAt: ago(180 * MIN), usualItemGapMs: 10 * MIN, itemGaps: 5 }), NOW, DEFAULT_SOURCE_DOWN).reason,
    ).toBe("no mentions for 3 h (usually every 10 min)");
  });
});

describe("reduceIncidents() with source events", () => {
  test("a source that goes down opens one source-down incident, and resolves it when it delivers again", () => {
    const settings = { keepFiringMinutes: 15 };
    const down = { type: "source" as const, source: "rss-1", down: true, reason: "3 failed polls in a row: HTTP 503", wallNow: NOW };
    const first = reduceIncidents(new Map(), down, settings);
    expect(first.changes.map((c) => c.kind)).toEqual(["firing"]);
    expect(first.changes[0]!.incident).toMatchObject({ kind: "source-down", source: "rss-1", brand: "", state: "firing" });
    expect(reduceIncidents(first.book, { ...down, wallNow: NOW + MIN }, settings).changes).toEqual([]);
    const back = reduceIncidents(first.book, { ...down, down: false, reason: "", wallNow: NOW + 5 * MIN }, settings);
    expect(back.changes.map((c) => [c.kind, c.incident.key])).toEqual([["resolved", first.changes[0]!.incident.key]]);
    expect(back.book.size).toBe(0);
  });

  test("a source-down incident and a brand spike are kept apart even for a brand named like the source", () => {
    const settings = { keepFiringMinutes: 15 };
    const r = reduceIncidents(new Map(), { type: "source", source: "Lumio", down: true, reason: "x", wallNow: NOW }, settings);
    const spike = reduceIncidents(
      r.book,
      {
        type: "minute",
        closed: { brand: "Lumio", minute: NOW, total: 30, negative: 25, firstNegativeId: "a" },
        judgement: { spike: true, score: 1, baseline: 1, threshold: 6 },
        wallNow: NOW,
      },
      settings,
    );
    expect(spike.changes.map((c) => c.kind)).toEqual(["firing"]);
    expect(spike.book.size).toBe(2);
  });

  test("noticeText() names the source in every language", () => {
    const settings = { keepFiringMinutes: 15 };
    const { changes } = reduceIncidents(new Map(), { type: "source", source: "vk-1", down: true, reason: "x", wallNow: NOW }, settings);
    const incident = changes[0]!.incident;
    expect(noticeText("firing", incident, "en", "UTC")).toContain("Source vk-1 is down");
    expect(noticeText("firing", incident, "pl", "UTC")).toContain("Źródło vk-1 nie działa");
    expect(noticeText("resolved", incident, "ru", "UTC")).toContain("Источник vk-1 снова работает");
  });

  test.each([
    ["en", "3 failed polls in a row (HTTP 503 from api.vk.com)", "no mentions for 3 h, usually one every 10 min"],
    ["pl", "3 nieudanych odpytań z rzędu (HTTP 503 from api.vk.com)", "brak wzmianek od 3 godz., zwykle co 10 min"],
    ["ru", "3 неудачных опросов подряд (HTTP 503 from api.vk.com)", "нет упоминаний 3 ч, обычно каждые 10 мин"],
  ] as const)("noticeText() in %s says why the source is down in that language", (lang, failures, silence) => {
    const settings = { keepFiringMinutes: 15 };
    const open = (snapshot: SourceHealthSnapshot) => {
      const { reason } = judgeSource(snapshot, NOW, DEFAULT_SOURCE_DOWN);
      const { changes } = reduceIncidents(new Map(), { type: "source", source: "vk-1", down: true, reason, wallNow: NOW }, settings);
      return changes[0]!.incident;
    };
    const failing = open(health({ consecutiveFailures: 3, lastError: "HTTP 503 from api.vk.com" }));
    const silent = open(health({ lastItemsAt: ago(180 * MIN), usualItemGapMs: 10 * MIN, itemGaps: 5 }));
    expect(noticeText("firing", failing, lang, "UTC")).toContain(failures);
    expect(noticeText("firing", silent, lang, "UTC")).toContain(silence);
  });
});
