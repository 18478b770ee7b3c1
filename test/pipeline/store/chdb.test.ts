import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { leaseChdbSession, openChdbRunner, type ChdbLease } from "../../../pipeline/store/chdb";
import { openStore } from "../../../pipeline/store/open-store";
import { isStoreError, type StoreError } from "../../../pipeline/store/sql-runner";
import { freshDatabase, storeContract } from "../../contracts/store.contract";
import { tempDirs } from "../../support/temp-dir";

// Registered first, so its cleanup runs after the session below has closed.
const dirs = tempDirs();
const dataDir = dirs.make("earshot-chdb-");

// One hold on the session for the whole file: stores come and go per test
// without reopening the engine each time.
let lease: ChdbLease;
beforeAll(async () => {
  lease = await leaseChdbSession(dataDir);
});
afterAll(() => lease.release());

storeContract("embedded chDB", () => openStore({ kind: "embedded", dataDir, database: freshDatabase() }));

describe("openChdbRunner()", () => {
  test("openChdbRunner() shares one session per directory and keeps it open while another user holds it", async () => {
    const a = await openChdbRunner({ dataDir });
    const b = await openChdbRunner({ dataDir: `${dataDir}/.` });
    await a.command("CREATE DATABASE IF NOT EXISTS shared_check");
    await a.close();
    await a.close();
    expect(await b.query<{ n: number }>("SELECT count() AS n FROM system.databases WHERE name = 'shared_check'")).toEqual([
      { n: 1 },
    ]);
    await b.close();
  });

  test("openChdbRunner() refuses a second data directory in the same process with a StoreError", async () => {
    const err = await openChdbRunner({ dataDir: dirs.make("earshot-other-") }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isStoreError(err)).toBe(true);
    expect((err as StoreError).transient).toBe(false);
    expect((err as StoreError).message).toMatch(/one data directory per process/);
  });

  test("query() returns 64-bit integers and epoch milliseconds as numbers", async () => {
    const runner = await openChdbRunner({ dataDir });
    try {
      const rows = await runner.query<{ n: number; ms: number; big: number }>(
        "SELECT count() AS n, toUnixTimestamp64Milli(fromUnixTimestamp64Milli({ms:Int64}, 'UTC')) AS ms, toUInt64({big:UInt64}) AS big FROM numbers(3)",
        { ms: 1_715_949_296_789, big: 2 ** 40 },
      );
      expect(rows).toEqual([{ n: 3, ms: 1_715_949_296_789, big: 2 ** 40 }]);
    } finally {
      await runner.close();
    }
  });

  test("query() binds strings, arrays and nulls as values", async () => {
    const runner = await openChdbRunner({ dataDir });
    try {
      const text = "it's \\ a\ttab\nline 'x'; DROP TABLE t; --";
      const rows = await runner.query<{ s: string; a: string[]; n: number | null; len: number }>(
        "SELECT {s:String} AS s, {a:Array(String)} AS a, {n:Nullable(Int32)} AS n, length({a:Array(String)}) AS len",
        { s: text, a: ["a'b", "c\\d", "ж"], n: null },
      );
      expect(rows).toEqual([{ s: text, a: ["a'b", "c\\d", "ж"], n: null, len: 3 }]);
    } finally {
      await runner.close();
    }
  });

  test("query() reports a syntax error as a non-transient StoreError with the ClickHouse code", async () => {
    const runner = await openChdbRunner({ dataDir });
    try {
      const err = await runner.query("SELEC 1").then(
        () => null,
        (e: unknown) => e,
      );
      expect(isStoreError(err)).toBe(true);
      expect((err as StoreError).transient).toBe(false);
      expect((err as StoreError).message).toMatch(/Code: 62.*SYNTAX_ERROR/s);
    } finally {
      await runner.close();
    }
  });

  test("command() reports an unknown table as a non-transient StoreError", async () => {
    const runner = await openChdbRunner({ dataDir });
    try {
      const err = await runner.command("INSERT INTO no_such_db.no_such_table SELECT 1").then(
        () => null,
        (e: unknown) => e,
      );
      expect(isStoreError(err)).toBe(true);
      expect((err as StoreError).transient).toBe(false);
      expect((err as StoreError).message).toMatch(/UNKNOWN_DATABASE|UNKNOWN_TABLE/);
    } finally {
      await runner.close();
    }
  });
});
