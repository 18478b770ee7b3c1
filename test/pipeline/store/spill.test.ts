import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ScoredMention } from "../../../pipeline/mention";
import { leaseChdbSession, type ChdbLease } from "../../../pipeline/store/chdb";
import { openServerRunner } from "../../../pipeline/store/clickhouse";
import { openStore } from "../../../pipeline/store/open-store";
import { Spill } from "../../../pipeline/store/spill";
import { isStoreError } from "../../../pipeline/store/sql-runner";
import { createStore, type Store } from "../../../pipeline/store/store";
import { freshDatabase } from "../../contracts/store.contract";
import { closedPort } from "../../support/clickhouse-http";
import { tempDirs } from "../../support/temp-dir";

const dirs = tempDirs();
const dataDir = dirs.make("earshot-spill-");
let lease: ChdbLease;
beforeAll(async () => {
  lease = await leaseChdbSession(dataDir);
});
afterAll(() => lease.release());

const T0 = Date.UTC(2024, 4, 17, 12, 0, 0, 0);
const mention = (n: number, text = `Lumio #${n}`): ScoredMention => ({
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
  collectedAt: T0 + n * 1_000,
  claimedLang: "",
  rating: n % 2 === 0 ? 4 : null,
  brand: "Lumio",
  matchedTerms: ["Lumio"],
  lang: "pl",
  sentiment: { score: 0.25, label: "positive", confidence: 0.5, terms: ["polecam"] },
  problems: [],
});

async function withStore(fn: (store: Store) => Promise<void>): Promise<void> {
  const store = await openStore({ kind: "embedded", dataDir, database: freshDatabase() });
  try {
    await fn(store);
  } finally {
    await store.close();
  }
}

describe("Spill", () => {
  test("put() keeps a batch as one JSONL file: a header with the reason, then one mention a line", async () => {
    const spill = new Spill(join(dirs.make("spill-"), "nested", "spill"));
    const batch = [mention(1, "line\nbreak «Люмио» 😡 \\ '"), mention(2)];
    const path = await spill.put(batch, new Error("ClickHouse is unreachable (ECONNREFUSED)"));

    const lines = readFileSync(path, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0]!)).toMatchObject({ rows: 2, error: "ClickHouse is unreachable (ECONNREFUSED)" });
    expect(lines.slice(1).map((l) => JSON.parse(l) as ScoredMention)).toEqual(batch);
    expect(await spill.pending()).toHaveLength(1);
  });

  test("pending() is empty for a spill directory that was never created", async () => {
    expect(await new Spill(join(dirs.make("spill-"), "absent")).pending()).toEqual([]);
  });

  test("drain() stores every spilled batch, oldest first, and deletes their files", () =>
    withStore(async (store) => {
      const spill = new Spill(dirs.make("spill-"));
      // An older and a newer copy of mention 1: the newer one must win.
      await spill.put([mention(1, "first copy"), mention(2)], "down");
      await spill.put([{ ...mention(1, "second copy"), collectedAt: T0 + 9_000 }, mention(3)], "down");

      expect(await spill.drain(store)).toEqual({ files: 2, rows: 4, bad: 0, refused: 0 });
      expect(await spill.pending()).toEqual([]);
      expect(await store.countMentions({})).toBe(3);
      const texts = (await store.recentMentions({ limit: 10 })).map((m) => m.text);
      expect(texts).toEqual(["Lumio #3", "Lumio #2", "second copy"]);
    }));

  test("drain() stops while the store is down and keeps every file for the next drain", async () => {
    const spill = new Spill(dirs.make("spill-"));
    await spill.put([mention(1)], "down");
    await spill.put([mention(2)], "down");
    const down = createStore(await openServerRunner({ url: `http://127.0.0.1:${await closedPort()}` }), {
      database: "earshot",
    });
    const err = await spill.drain(down).then(
      () => null,
      (e: unknown) => e,
    );
    await down.close();
    expect(isStoreError(err) && err.transient).toBe(true);
    expect(await spill.pending()).toHaveLength(2);

    await withStore(async (store) => {
      expect(await spill.drain(store)).toEqual({ files: 2, rows: 2, bad: 0, refused: 0 });
      expect(await store.countMentions({})).toBe(2);
    });
  });

  test("drain() keeps a batch the store refuses and still stores the ones after it", () =>
    withStore(async (store) => {
      const spill = new Spill(dirs.make("spill-"));
      // Followers below zero do not fit UInt64: the store refuses this batch, not the store's fault.
      await spill.put([{ ...mention(1), authorFollowers: -5 }], "refused");
      await spill.put([mention(2)], "down");

      const result = await spill.drain(store);
      expect(result).toMatchObject({ files: 1, rows: 1, bad: 0, refused: 1 });
      expect(result.lastError).toMatch(/ClickHouse|chDB/);
      expect(await spill.pending()).toHaveLength(1);
      expect(await store.countMentions({})).toBe(1);
    }));

  test("drain() stores the rows of a refused batch the store does take, and keeps only the refused row on disk", () =>
    withStore(async (store) => {
      const spill = new Spill(dirs.make("spill-"));
      const path = await spill.put([mention(1), { ...mention(2), authorFollowers: -5 }, mention(3)], "refused");

      const result = await spill.drain(store);
      expect(result).toMatchObject({ files: 0, rows: 2, bad: 0, refused: 1 });
      expect((await store.recentMentions({ limit: 10 })).map((m) => m.id)).toEqual(["rss:3", "rss:1"]);
      const lines = readFileSync(path, "utf8").trimEnd().split("\n");
      expect(JSON.parse(lines[0]!)).toMatchObject({ rows: 1 });
      expect(lines.slice(1).map((l) => (JSON.parse(l) as ScoredMention).id)).toEqual(["rss:2"]);

      // The next drain tries only what is left.
      expect(await spill.drain(store)).toMatchObject({ files: 0, rows: 0, refused: 1 });
      expect(await store.countMentions({})).toBe(2);
    }));

  test("drain() sets an unreadable file aside as .bad and stores the others", () =>
    withStore(async (store) => {
      const dir = dirs.make("spill-");
      const spill = new Spill(dir);
      writeFileSync(join(dir, "000000000000001-000000-broken.jsonl"), '{"spilledAt":1,"rows":2,"error":"x"}\n{"id":\n');
      await spill.put([mention(1)], "down");

      expect(await spill.drain(store)).toEqual({ files: 1, rows: 1, bad: 1, refused: 0 });
      expect(readdirSync(dir)).toEqual(["000000000000001-000000-broken.jsonl.bad"]);
      expect(await store.countMentions({})).toBe(1);
    }));

  test("putQuarantine() keeps quarantine records on disk and drain() stores them in the quarantine table", () =>
    withStore(async (store) => {
      const spill = new Spill(dirs.make("spill-"));
      const record = { at: T0, stage: "normalize", reason: "empty-text", payload: '{"source":"rss","sourceId":"9","text":"\\u0000"}', error: "" };
      const path = await spill.putQuarantine([record], new Error("ClickHouse is unreachable"));
      expect(JSON.parse(readFileSync(path, "utf8").split("\n")[0]!)).toMatchObject({ kind: "quarantine", rows: 1, error: "ClickHouse is unreachable" });
      await spill.put([mention(1)], "down");

      expect(await spill.drain(store)).toEqual({ files: 2, rows: 2, bad: 0, refused: 0 });
      expect(await store.quarantined(10)).toEqual([record]);
      expect(await store.countMentions({})).toBe(1);
    }));

  test("drain() called while a drain runs joins it instead of storing twice", () =>
    withStore(async (store) => {
      const spill = new Spill(dirs.make("spill-"));
      await spill.put([mention(1), mention(2)], "down");
      const [a, b] = await Promise.all([spill.drain(store), spill.drain(store)]);
      expect(a).toEqual({ files: 1, rows: 2, bad: 0, refused: 0 });
      expect(b).toBe(a);
    }));
});
