import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Subject, VirtualTimeScheduler } from "rxjs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ScoredMention } from "../../../pipeline/mention";
import { leaseChdbSession, openChdbRunner, type ChdbLease } from "../../../pipeline/store/chdb";
import { openServerRunner } from "../../../pipeline/store/clickhouse";
import { openStore } from "../../../pipeline/store/open-store";
import { Spill } from "../../../pipeline/store/spill";
import { isStoreError } from "../../../pipeline/store/sql-runner";
import { createStore, type Store } from "../../../pipeline/store/store";
import { writeMentions, type WriteResult } from "../../../pipeline/store/writer";
import { freshDatabase } from "../../contracts/store.contract";
import { closedPort } from "../../support/clickhouse-http";
import { tempDirs } from "../../support/temp-dir";

const dirs = tempDirs();
const dataDir = dirs.make("earshot-writer-");
let lease: ChdbLease;
beforeAll(async () => {
  lease = await leaseChdbSession(dataDir);
});
afterAll(() => lease.release());

/**
 * Virtual time for operators whose work is real I/O (a TestScheduler `run()`
 * cannot wait for promises). Time moves only when the test says so; `until`
 * lets real promises settle while nudging virtual time forward.
 */
class VirtualClock {
  readonly scheduler = new VirtualTimeScheduler();

  get now(): number {
    return this.scheduler.now();
  }

  /** Runs everything due up to `t` (ms) and leaves the clock at `t`. */
  advanceTo(t: number): void {
    this.scheduler.maxFrames = t;
    this.scheduler.flush();
    this.scheduler.frame = Math.max(this.scheduler.frame, t);
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.now + ms);
  }

  /**
   * Waits for `done()` while real I/O settles, calling `step()` (e.g. advance
   * virtual time) between looks. Gives up after `maxLooks` with an error, so a
   * broken operator fails the test instead of hanging it.
   */
  async until(done: () => boolean, step: () => void = () => {}, maxLooks = 2_000): Promise<void> {
    for (let look = 0; !done(); look++) {
      if (look >= maxLooks) throw new Error("condition not reached");
      step();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

const T0 = Date.UTC(2024, 4, 17, 12, 0, 0, 0);
const mention = (n: number, text = `Lumio nie działa #${n}`): ScoredMention => ({
  id: `rss:${n}`,
  source: "rss",
  sourceId: String(n),
  url: `https://example.com/${n}`,
  authorHandle: "@someone",
  authorName: "Someone",
  authorFollowers: 10,
  title: "",
  text,
  publishedAt: T0 + n * 1_000,
  collectedAt: T0 + n * 1_000 + 500,
  claimedLang: "",
  rating: null,
  brand: "Lumio",
  matchedTerms: ["Lumio"],
  lang: "pl",
  sentiment: { score: -0.5, label: "negative", confidence: 0.75, terms: ["nie działa"] },
  problems: [{ type: "outage", terms: ["nie działa"] }],
});

/** The writer over `store`, fed by a Subject, its results collected. */
function harness(store: Store, spill: Spill, options: { flushMs: number; maxRows: number; retries?: number; backoffMs?: number }) {
  const clock = new VirtualClock();
  const input = new Subject<ScoredMention>();
  const results: WriteResult[] = [];
  let completed = false;
  const subscription = input.pipe(writeMentions(store, spill, options, clock.scheduler)).subscribe({
    next: (r) => results.push(r),
    complete: () => (completed = true),
  });
  return { clock, input, results, isCompleted: () => completed, stop: () => subscription.unsubscribe() };
}

const errorOf = (r: WriteResult | undefined): Error | undefined => (r !== undefined && "error" in r ? r.error : undefined);

async function withStore(fn: (store: Store) => Promise<void>): Promise<void> {
  const store = await openStore({ kind: "embedded", dataDir, database: freshDatabase() });
  try {
    await fn(store);
  } finally {
    await store.close();
  }
}

describe("writeMentions()", () => {
  test("writeMentions() writes a batch as soon as it holds maxRows mentions, in virtual time", () =>
    withStore(async (store) => {
      const w = harness(store, new Spill(dirs.make("spill-")), { flushMs: 1_000, maxRows: 2 });
      w.input.next(mention(1));
      w.input.next(mention(2));
      w.input.next(mention(3));
      await w.clock.until(() => w.results.length === 1);
      expect(w.results).toEqual([{ stored: 2, attempts: 1 }]);
      expect(w.clock.now).toBe(0);
      expect(await store.countMentions({})).toBe(2);

      // The third mention waits for the clock.
      w.clock.advanceTo(1_000);
      await w.clock.until(() => w.results.length === 2);
      expect(w.results[1]).toEqual({ stored: 1, attempts: 1 });
      expect(await store.countMentions({})).toBe(3);
      w.stop();
    }));

  test("writeMentions() writes a partial batch when flushMs has passed, not before", () =>
    withStore(async (store) => {
      const w = harness(store, new Spill(dirs.make("spill-")), { flushMs: 1_000, maxRows: 100 });
      w.input.next(mention(1));
      w.input.next(mention(2));
      w.clock.advanceTo(999);
      expect(w.results).toEqual([]);
      expect(await store.countMentions({})).toBe(0);

      w.clock.advanceTo(1_000);
      await w.clock.until(() => w.results.length === 1);
      expect(w.results).toEqual([{ stored: 2, attempts: 1 }]);
      expect(await store.recentMentions({ limit: 10 })).toEqual([mention(2), mention(1)]);
      w.stop();
    }));

  test("writeMentions() writes the last partial batch when its source completes", () =>
    withStore(async (store) => {
      const w = harness(store, new Spill(dirs.make("spill-")), { flushMs: 60_000, maxRows: 100 });
      w.input.next(mention(1));
      w.input.complete();
      await w.clock.until(w.isCompleted);
      expect(w.results).toEqual([{ stored: 1, attempts: 1 }]);
      expect(await store.countMentions({})).toBe(1);
    }));

  test("writeMentions() retries while the server is down, then keeps the batch on disk until drain() stores it", () =>
    withStore(async (store) => {
      const down = createStore(await openServerRunner({ url: `http://127.0.0.1:${await closedPort()}` }), {
        database: "earshot",
      });
      const spill = new Spill(join(dirs.make("spill-"), "spill"));
      const w = harness(down, spill, { flushMs: 1_000, maxRows: 100, retries: 3, backoffMs: 100 });
      const batch = [mention(1, "Zażółć 'gęślą' \\ <script>x</script> Люмио 😡"), mention(2), mention(3)];
      for (const m of batch) w.input.next(m);
      w.clock.advanceTo(1_000);
      // Each retry waits 100, 200, 400 ms of virtual time: move the clock on while they happen.
      await w.clock.until(
        () => w.results.length === 1,
        () => w.clock.advanceBy(100),
      );

      expect(w.results[0]).toMatchObject({ spilled: 3, attempts: 4 });
      const error = errorOf(w.results[0]);
      expect(isStoreError(error) && error.transient).toBe(true);
      expect(await spill.pending()).toHaveLength(1);
      expect(await store.countMentions({})).toBe(0);

      expect(await spill.drain(store)).toEqual({ files: 1, rows: 3, bad: 0, refused: 0 });
      expect(await spill.pending()).toEqual([]);
      expect(await store.recentMentions({ limit: 10 })).toEqual([...batch].reverse());
      w.stop();
      await down.close();
    }));

  test("writeMentions() spills a batch the store refuses without retrying it", async () => {
    // A database that was never created: a non-transient UNKNOWN_DATABASE.
    const refusing = createStore(await openChdbRunner({ dataDir }), { database: "earshot_never_created" });
    const spill = new Spill(dirs.make("spill-"));
    const w = harness(refusing, spill, { flushMs: 1_000, maxRows: 2, retries: 5 });
    w.input.next(mention(1));
    w.input.next(mention(2));
    await w.clock.until(() => w.results.length === 1);
    expect(w.results[0]).toMatchObject({ spilled: 2, attempts: 1 });
    const error = errorOf(w.results[0]);
    expect(isStoreError(error) && !error.transient).toBe(true);
    expect(await spill.pending()).toHaveLength(1);
    w.stop();
    await refusing.close();
  });

  test("writeMentions() reports a batch as lost only when the spill cannot keep it either", async () => {
    const refusing = createStore(await openChdbRunner({ dataDir }), { database: "earshot_never_created" });
    const notADirectory = join(dirs.make("spill-"), "file");
    writeFileSync(notADirectory, "");
    const w = harness(refusing, new Spill(join(notADirectory, "spill")), { flushMs: 1_000, maxRows: 1 });
    w.input.next(mention(1));
    await w.clock.until(() => w.results.length === 1);
    expect(w.results[0]).toMatchObject({ lost: 1, attempts: 1 });
    const result = w.results[0];
    expect(result !== undefined && "spillError" in result ? result.spillError.message : "").toMatch(/ENOTDIR|EEXIST/);
    w.stop();
    await refusing.close();
  });
});
