import { describe, expect, test } from "vitest";
import { createSourceHealth, newestPublishedAt } from "../../collectors/health";

describe("createSourceHealth()", () => {
  const clock = (iso: string) => () => new Date(iso);

  test("snapshot() lists registered sources in order with nothing recorded yet", () => {
    const health = createSourceHealth(clock("2024-05-14T12:00:00Z"));
    health.register("rss-1", "rss", "polling");
    health.register("demo-1", "demo", "streaming");
    expect(health.snapshot()).toEqual([
      {
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
        polls: 0,
        failures: 0,
        skipped: 0,
        lastItemsAt: null,
        usualItemGapMs: null,
        itemGaps: 0,
        lagMs: null,
        quotaLeft: null,
      },
      expect.objectContaining({ id: "demo-1", mode: "streaming" }),
    ]);
  });

  test("failed() counts a streak that succeeded() ends, keeping the last error for context", () => {
    let now = "2024-05-14T12:00:00Z";
    const health = createSourceHealth(() => new Date(now));
    health.register("rss-1", "rss", "polling");
    health.failed("rss-1", new Error("HTTP 503"), { durationMs: 120.4 });
    now = "2024-05-14T12:05:00Z";
    health.failed("rss-1", new Error("HTTP 502"), { durationMs: 80 });
    expect(health.snapshot()[0]).toMatchObject({ consecutiveFailures: 2, lastError: "HTTP 502", lastFailureAt: "2024-05-14T12:05:00.000Z", lastPollMs: 80 });
    now = "2024-05-14T12:10:00Z";
    health.succeeded("rss-1", { items: 7, durationMs: 310.6 });
    expect(health.snapshot()[0]).toMatchObject({
      consecutiveFailures: 0,
      lastSuccessAt: "2024-05-14T12:10:00.000Z",
      lastError: "HTTP 502",
      itemsLastPoll: 7,
      lastPollMs: 311,
      polls: 3,
      failures: 2,
    });
  });

  test("failed() cuts very long messages and accepts non-Error values", () => {
    const health = createSourceHealth(clock("2024-05-14T12:00:00Z"));
    health.failed("x", new Error("a".repeat(2_000)), { durationMs: null });
    expect(health.snapshot()[0]?.lastError).toHaveLength(501);
    health.failed("x", "plain string", { durationMs: null });
    expect(health.snapshot()[0]?.lastError).toBe("plain string");
  });

  test("snapshot() returns copies that do not change the record", () => {
    const health = createSourceHealth(clock("2024-05-14T12:00:00Z"));
    health.register("rss-1", "rss", "polling");
    const snap = health.snapshot();
    (snap[0] as { polls: number }).polls = 99;
    expect(health.snapshot()[0]?.polls).toBe(0);
  });

  test("succeeded() keeps what part of a poll failed until a poll without such a part", () => {
    const health = createSourceHealth(() => new Date("2024-05-14T12:00:00Z"));
    health.register("tg-1", "telegram", "polling");
    health.succeeded("tg-1", { items: 6, durationMs: 10, warnings: ["cannot read @lumio_insiders", "cannot read @lumio_old"] });
    expect(health.snapshot()[0]!.lastWarning).toBe("cannot read @lumio_insiders; cannot read @lumio_old");
    health.succeeded("tg-1", { items: 2, durationMs: 10 });
    expect(health.snapshot()[0]!.lastWarning).toBeNull();
  });

  test("succeeded() learns the usual gap between polls that bring mentions", () => {
    let now = "2024-05-14T12:00:00Z";
    const health = createSourceHealth(() => new Date(now));
    health.register("rss-1", "rss", "polling");
    health.succeeded("rss-1", { items: 3, durationMs: 10 });
    now = "2024-05-14T12:05:00Z";
    health.succeeded("rss-1", { items: 0, durationMs: 10 }); // an empty poll is not a beat
    now = "2024-05-14T12:10:00Z";
    health.succeeded("rss-1", { items: 2, durationMs: 10 });
    now = "2024-05-14T12:30:00Z";
    health.succeeded("rss-1", { items: 1, durationMs: 10 });
    const [s] = health.snapshot();
    expect(s).toMatchObject({ lastItemsAt: "2024-05-14T12:30:00.000Z", itemGaps: 2 });
    expect(s!.usualItemGapMs).toBe(Math.round(600_000 * 0.8 + 1_200_000 * 0.2));
  });

  test("succeeded() records the lag behind the newest mention, which grows while polls bring nothing newer", () => {
    let now = "2024-05-14T12:00:00Z";
    const health = createSourceHealth(() => new Date(now));
    health.register("reddit-1", "reddit", "polling");
    health.succeeded("reddit-1", { items: 0, durationMs: 10 });
    expect(health.snapshot()[0]).toMatchObject({ lagMs: null, quotaLeft: null });
    health.succeeded("reddit-1", { items: 3, durationMs: 10, newestAt: Date.parse("2024-05-14T11:58:30Z"), quotaLeft: 597 });
    expect(health.snapshot()[0]).toMatchObject({ lagMs: 90_000, quotaLeft: 597 });
    now = "2024-05-14T12:05:00Z";
    health.succeeded("reddit-1", { items: 0, durationMs: 10, newestAt: null });
    expect(health.snapshot()[0]).toMatchObject({ lagMs: 390_000, quotaLeft: null });
    // An older mention arriving late does not make the source look more behind.
    health.succeeded("reddit-1", { items: 1, durationMs: 10, newestAt: Date.parse("2024-05-14T10:00:00Z"), quotaLeft: 590 });
    expect(health.snapshot()[0]).toMatchObject({ lagMs: 390_000, quotaLeft: 590 });
    health.failed("reddit-1", new Error("HTTP 503"), { durationMs: 10 });
    expect(health.snapshot()[0]).toMatchObject({ lagMs: 390_000, quotaLeft: 590 });
  });

  test("newestPublishedAt() reads ISO and epoch dates and leaves out unreadable and far-future ones", () => {
    const now = Date.parse("2024-05-14T12:00:00Z");
    const mentions = [
      { publishedAt: "2024-05-14T11:50:00Z" },
      { publishedAt: Date.parse("2024-05-14T11:55:00Z") },
      { publishedAt: "yesterday" },
      { publishedAt: "2030-01-01T00:00:00Z" },
      {},
    ];
    expect(newestPublishedAt(mentions, now)).toBe(Date.parse("2024-05-14T11:55:00Z"));
    // A couple of minutes ahead is a clock difference, not a wrong date.
    expect(newestPublishedAt([{ publishedAt: "2024-05-14T12:02:00Z" }], now)).toBe(Date.parse("2024-05-14T12:02:00Z"));
    expect(newestPublishedAt([{ publishedAt: "nope" }], now)).toBeNull();
  });
});
