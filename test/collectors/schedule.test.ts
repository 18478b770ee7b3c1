import { afterEach, describe, expect } from "vitest";
import { createSafeHttp, type SafeHttp } from "../../collectors/http";
import { createSourceHealth } from "../../collectors/health";
import {
  scheduleSources,
  startStreaming,
  type ConfiguredSource,
  type CursorStore,
  type PollingScheduler,
  type ScheduleDeps,
  type StreamingHandle,
} from "../../collectors/schedule";
import type { Cursor, RawMention } from "../../collectors/source";
import { test } from "../support/recorded-http";
import { memoryLog } from "./poll-context";

const POLISH = { file: "rss/polish-news.iso-8859-2.xml", contentType: "application/rss+xml" };
/** A schedule that does not fire during a test: polls are driven by pollNow(). */
const NEVER = "0 0 1 1 *";

const open: { http: SafeHttp[]; schedulers: PollingScheduler[]; streams: StreamingHandle[] } = { http: [], schedulers: [], streams: [] };
afterEach(async () => {
  for (const s of open.streams.splice(0)) s.stop();
  await Promise.all(open.schedulers.splice(0).map((s) => s.stop()));
  await Promise.all(open.http.splice(0).map((h) => h.close()));
});

/** Cursors kept in a Map, with every call recorded in `events`. */
function memoryCursors(events: string[]): CursorStore & { saved: Map<string, Cursor> } {
  const saved = new Map<string, Cursor>();
  return {
    saved,
    async load(id) {
      events.push(`load ${id}`);
      return saved.get(id) ?? null;
    },
    async save(id, cursor) {
      events.push(`save ${id}`);
      saved.set(id, cursor);
    },
  };
}

function deferred() {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function start(entries: ConfiguredSource[], deps: Partial<ScheduleDeps> & Pick<ScheduleDeps, "deliver" | "cursors">) {
  const http = createSafeHttp({ allowPrivateNetworks: ["127.0.0.1"], maxAttempts: 1 });
  open.http.push(http);
  const log = memoryLog();
  const scheduler = scheduleSources(entries, { http, log, pollOnStart: false, ...deps });
  open.schedulers.push(scheduler);
  return { scheduler, log };
}

describe("scheduleSources()", () => {
  test("scheduleSources() saves the cursor only after deliver() resolves", async ({ recorded }) => {
    const server = await recorded.serve({ "/kraj.xml": POLISH });
    const events: string[] = [];
    const cursors = memoryCursors(events);
    const storing = deferred();
    const delivered: RawMention[][] = [];
    const { scheduler } = start([{ kind: "rss", url: server.url("/kraj.xml"), schedule: NEVER }], {
      cursors,
      deliver: async (id, mentions) => {
        events.push(`deliver ${id} ${mentions.length}`);
        delivered.push(mentions);
        await storing.promise;
        events.push("stored");
      },
    });

    const outcome = scheduler.pollNow("rss-1");
    await expect.poll(() => delivered.length).toBe(1);
    expect(cursors.saved.size).toBe(0);
    storing.resolve();
    expect(await outcome).toMatchObject({ status: "ok", items: 4 });
    expect(events).toEqual(["load rss-1", "deliver rss-1 4", "stored", "save rss-1"]);
    expect(cursors.saved.get("rss-1")).toMatchObject({ newest: "2024-05-14T07:12:00.000Z" });
  });

  test("scheduleSources() leaves the cursor where it was when deliver() fails, so nothing is lost", async ({ recorded }) => {
    const server = await recorded.serve({ "/kraj.xml": POLISH });
    const events: string[] = [];
    const cursors = memoryCursors(events);
    let storeUp = false;
    const { scheduler, log } = start([{ kind: "rss", id: "kraj", url: server.url("/kraj.xml"), schedule: NEVER }], {
      cursors,
      deliver: async () => {
        if (!storeUp) throw new Error("store is down");
      },
    });

    expect(await scheduler.pollNow("kraj")).toMatchObject({ status: "failed" });
    expect(cursors.saved.has("kraj")).toBe(false);
    expect(events).toEqual(["load kraj"]);
    expect(log.lines.find((l) => l.level === "warn")).toMatchObject({ obj: { source: "kraj", kind: "rss" } });

    storeUp = true;
    expect(await scheduler.pollNow("kraj")).toMatchObject({ status: "ok", items: 4 });
    expect(cursors.saved.has("kraj")).toBe(true);
  });

  test("scheduleSources() skips a poll while the previous one still runs", async ({ recorded }) => {
    const server = await recorded.serve({ "/kraj.xml": POLISH });
    const storing = deferred();
    let deliveries = 0;
    const { scheduler } = start([{ kind: "rss", url: server.url("/kraj.xml"), schedule: NEVER }], {
      cursors: memoryCursors([]),
      deliver: async () => {
        deliveries += 1;
        await storing.promise;
      },
    });

    const first = scheduler.pollNow("rss-1");
    await expect.poll(() => deliveries).toBe(1);
    expect(await scheduler.pollNow("rss-1")).toEqual({ status: "skipped", reason: "overlap" });
    storing.resolve();
    expect(await first).toMatchObject({ status: "ok" });
    expect(server.requests).toHaveLength(1);
    expect(scheduler.health.snapshot()[0]).toMatchObject({ id: "rss-1", skipped: 1, polls: 1 });
  });

  test("scheduleSources() records failures in health and clears the streak on success", async ({ recorded }) => {
    const server = await recorded.serve({ "/kraj.xml": [{ status: 503 }, { status: 503 }, POLISH] });
    const delivered: RawMention[] = [];
    const { scheduler } = start([{ kind: "rss", url: server.url("/kraj.xml"), schedule: NEVER }], {
      cursors: memoryCursors([]),
      deliver: async (_id, mentions) => {
        delivered.push(...mentions);
      },
      now: () => new Date("2024-05-14T12:00:00Z"),
    });

    expect(await scheduler.pollNow("rss-1")).toMatchObject({ status: "failed" });
    expect(await scheduler.pollNow("rss-1")).toMatchObject({ status: "failed" });
    expect(scheduler.health.snapshot()).toEqual([
      expect.objectContaining({
        id: "rss-1",
        kind: "rss",
        mode: "polling",
        consecutiveFailures: 2,
        lastFailureAt: "2024-05-14T12:00:00.000Z",
        lastSuccessAt: null,
        lastError: `[earshot] [rss] HTTP 503 from ${server.url("/kraj.xml")}`,
        polls: 2,
        failures: 2,
      }),
    ]);

    expect(await scheduler.pollNow("rss-1")).toMatchObject({ status: "ok", items: 4 });
    // The lag behind the newest of the delivered mentions; RSS has no quota headers.
    const newest = Math.max(...delivered.map((m) => Date.parse(String(m.publishedAt))));
    expect(scheduler.health.snapshot()[0]).toMatchObject({ lagMs: Date.parse("2024-05-14T12:00:00Z") - newest, quotaLeft: null });
    expect(scheduler.health.snapshot()[0]).toMatchObject({
      consecutiveFailures: 0,
      lastSuccessAt: "2024-05-14T12:00:00.000Z",
      itemsLastPoll: 4,
      polls: 3,
      failures: 2,
    });
    expect(scheduler.health.snapshot()[0]?.lastPollMs).toEqual(expect.any(Number));
  });

  test("scheduleSources() does not save a cursor the poll left unchanged", async ({ recorded }) => {
    const server = await recorded.serve({ "/kraj.xml": { ...POLISH, etag: '"v1"' } });
    const events: string[] = [];
    const { scheduler } = start([{ kind: "rss", url: server.url("/kraj.xml"), schedule: NEVER }], {
      cursors: memoryCursors(events),
      deliver: async () => {},
    });
    await scheduler.pollNow("rss-1");
    await scheduler.pollNow("rss-1");
    expect(events).toEqual(["load rss-1", "save rss-1", "load rss-1"]);
    expect(server.requests.map((r) => r.status)).toEqual([200, 304]);
  });

  test("scheduleSources() polls on the cron schedule", async ({ recorded }) => {
    const server = await recorded.serve({ "/kraj.xml": POLISH });
    const delivered = deferred();
    start([{ kind: "rss", url: server.url("/kraj.xml"), schedule: "* * * * * *", jitterMs: 0 }], {
      cursors: memoryCursors([]),
      deliver: async () => delivered.resolve(),
    });
    await delivered.promise;
    expect(server.requests.length).toBeGreaterThanOrEqual(1);
  });

  test("scheduleSources() polls once at start when pollOnStart is set", async ({ recorded }) => {
    const server = await recorded.serve({ "/kraj.xml": POLISH });
    const delivered = deferred();
    start([{ kind: "rss", url: server.url("/kraj.xml"), schedule: NEVER, jitterMs: 0 }], {
      cursors: memoryCursors([]),
      deliver: async () => delivered.resolve(),
      pollOnStart: true,
    });
    await delivered.promise;
    expect(server.requests).toHaveLength(1);
  });

  test("stop() aborts a running poll and later polls are refused", async ({ recorded }) => {
    const server = await recorded.serve({ "/slow.xml": { ...POLISH, delayMs: 10_000 } });
    const { scheduler } = start([{ kind: "rss", url: server.url("/slow.xml"), schedule: NEVER }], {
      cursors: memoryCursors([]),
      deliver: async () => {},
    });
    const running = scheduler.pollNow("rss-1");
    await expect.poll(() => server.requests.length).toBe(1);
    await scheduler.stop();
    expect(await running).toMatchObject({ status: "failed" });
    expect(await scheduler.pollNow("rss-1")).toEqual({ status: "skipped", reason: "stopped" });
  });

  test("scheduleSources() names sources kind-N and rejects unknown ids", async () => {
    const { scheduler } = start(
      [
        { kind: "rss", url: "https://a.example.com/feed", schedule: NEVER },
        { kind: "rss", id: "b-feed", url: "https://b.example.com/feed", schedule: NEVER },
        { kind: "rss", url: "https://c.example.com/feed", schedule: NEVER },
      ],
      { cursors: memoryCursors([]), deliver: async () => {} },
    );
    expect(scheduler.ids).toEqual(["rss-1", "b-feed", "rss-3"]);
    await expect(scheduler.pollNow("nope")).rejects.toThrow('no polled source with id "nope"');
  });

  test("scheduleSources() refuses entries with bad options, bad schedules, unknown kinds or clashing ids", () => {
    const deps = { cursors: memoryCursors([]), deliver: async () => {} };
    expect(() => start([{ kind: "rss", url: "ftp://example.com/feed" }], deps)).toThrow();
    expect(() => start([{ kind: "rss", url: "https://example.com/feed", schedule: "every minute" }], deps)).toThrow(/not a cron expression/);
    expect(() => start([{ kind: "twitter" }], deps)).toThrow(/unknown source kind "twitter"/);
    expect(() =>
      start(
        [
          { kind: "rss", id: "same", url: "https://a.example.com/feed" },
          { kind: "rss", id: "same", url: "https://b.example.com/feed" },
        ],
        deps,
      ),
    ).toThrow(/share the id "same"/);
  });
});

/** The demo replays its recorded crisis; at this pace the replay part lasts well under a second. */
const FAST_DEMO = { kind: "demo", speed: 500 };

describe("startStreaming()", () => {
  function stream(entries: ConfiguredSource[], emit: (mentions: RawMention[]) => void, health = createSourceHealth()) {
    const log = memoryLog();
    const handle = startStreaming(entries, emit, { log, health });
    open.streams.push(handle);
    return { handle, log };
  }

  test("startStreaming() hands the demo's batches on and counts them in health", async () => {
    const received: RawMention[] = [];
    const { handle } = stream([{ kind: "rss", url: "https://example.com/feed" }, FAST_DEMO], (mentions) => received.push(...mentions));
    expect(handle.ids).toEqual(["demo-1"]);
    await expect.poll(() => received.length, { timeout: 10_000 }).toBeGreaterThan(10);
    expect(received.every((m) => m.source === "demo")).toBe(true);
    const [health] = handle.health.snapshot();
    expect(health).toMatchObject({ id: "demo-1", kind: "demo", mode: "streaming", consecutiveFailures: 0, lastPollMs: null });
    expect(health?.lastSuccessAt).toEqual(expect.any(String));
    expect(health?.polls).toBeGreaterThan(0);
  });

  test("startStreaming() records a source whose options are refused, and starts the others", async () => {
    const received: RawMention[] = [];
    const { handle, log } = stream([{ kind: "demo", id: "bad", speed: -1 }, { ...FAST_DEMO, id: "good" }], (m) => received.push(...m));
    expect(handle.health.snapshot()).toEqual([
      expect.objectContaining({ id: "bad", consecutiveFailures: 1, lastError: expect.stringContaining("speed") }),
      expect.objectContaining({ id: "good", consecutiveFailures: 0 }),
    ]);
    expect(log.lines).toContainEqual(expect.objectContaining({ level: "error", msg: "streaming source did not start", obj: expect.objectContaining({ source: "bad" }) }));
    await expect.poll(() => received.length, { timeout: 10_000 }).toBeGreaterThan(0);
  });

  test("startStreaming() records an emit that throws and keeps streaming", async () => {
    let calls = 0;
    const { handle } = stream([FAST_DEMO], () => {
      calls += 1;
      if (calls === 1) throw new Error("pipeline not ready");
    });
    await expect.poll(() => calls, { timeout: 10_000 }).toBeGreaterThan(2);
    expect(handle.health.snapshot()[0]).toMatchObject({ failures: 1, consecutiveFailures: 0, lastError: "pipeline not ready" });
  });

  test("stop() ends the stream", async () => {
    let batches = 0;
    const { handle } = stream([FAST_DEMO], () => (batches += 1));
    await expect.poll(() => batches, { timeout: 10_000 }).toBeGreaterThan(0);
    handle.stop();
    const after = batches;
    await new Promise((r) => setTimeout(r, 300));
    expect(batches).toBe(after);
  });

  test("scheduleSources() and startStreaming() share one health record when given one", async ({ recorded }) => {
    const server = await recorded.serve({ "/kraj.xml": POLISH });
    const health = createSourceHealth();
    const entries: ConfiguredSource[] = [{ kind: "rss", url: server.url("/kraj.xml"), schedule: NEVER }, FAST_DEMO];
    const { scheduler } = start(entries, { cursors: memoryCursors([]), deliver: async () => {}, health });
    stream(entries, () => {}, health);
    await scheduler.pollNow("rss-1");
    expect(health.snapshot().map((h) => [h.id, h.mode])).toEqual([
      ["rss-1", "polling"],
      ["demo-1", "streaming"],
    ]);
  });
});
