import { createClient } from "@clickhouse/client";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openServerRunner } from "../../../pipeline/store/clickhouse";
import { openStore } from "../../../pipeline/store/open-store";
import { isStoreError, type StoreError } from "../../../pipeline/store/sql-runner";
import { freshDatabase, storeContract } from "../../contracts/store.contract";
import { closedPort, startClickHouseHttp, type ClickHouseHttp } from "../../support/clickhouse-http";
import { tempDirs } from "../../support/temp-dir";

const dirs = tempDirs();
const auth = { username: "earshot", password: "s3cret pass:word" };

let endpoint: ClickHouseHttp;
beforeAll(async () => {
  endpoint = await startClickHouseHttp({ dataDir: dirs.make("earshot-ch-http-"), auth });
});
afterAll(() => endpoint.close());

storeContract("server runner over HTTP (chDB behind a ClickHouse-HTTP endpoint)", () =>
  openStore({ kind: "server", url: endpoint.url, ...auth, database: freshDatabase() }),
);

const failureOf = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

describe("openServerRunner()", () => {
  test("openServerRunner() reports a server that is down as a transient StoreError", async () => {
    const runner = await openServerRunner({ url: `http://127.0.0.1:${await closedPort()}` });
    try {
      const err = await failureOf(runner.query("SELECT 1"));
      expect(isStoreError(err)).toBe(true);
      expect((err as StoreError).transient).toBe(true);
      expect((err as StoreError).message).toMatch(/ECONNREFUSED/);
      const insertErr = await failureOf(runner.insert("db.t", [{ a: 1 }]));
      expect((insertErr as StoreError).transient).toBe(true);
    } finally {
      await runner.close();
    }
  });

  test("openServerRunner() reports bad SQL as a non-transient StoreError with the ClickHouse code", async () => {
    const runner = await openServerRunner({ url: endpoint.url, ...auth });
    try {
      const err = await failureOf(runner.query("SELEC 1"));
      expect(isStoreError(err)).toBe(true);
      expect((err as StoreError).transient).toBe(false);
      expect((err as StoreError).message).toMatch(/Code 62 \(SYNTAX_ERROR\)/);
      const ddlErr = await failureOf(runner.command("CREATE TABLE no_such_db.t (a UInt8) ENGINE = Memory"));
      expect((ddlErr as StoreError).transient).toBe(false);
      expect((ddlErr as StoreError).message).toMatch(/Code 81 \(UNKNOWN_DATABASE\)/);
    } finally {
      await runner.close();
    }
  });

  test("openServerRunner() reports wrong credentials as a non-transient StoreError", async () => {
    const runner = await openServerRunner({ url: endpoint.url, username: auth.username, password: "wrong" });
    try {
      const err = await failureOf(runner.query("SELECT 1"));
      expect((err as StoreError).transient).toBe(false);
      expect((err as StoreError).message).toMatch(/Code 516 \(AUTHENTICATION_FAILED\)/);
    } finally {
      await runner.close();
    }
  });

  test("query() binds strings, arrays and nulls as values over HTTP", async () => {
    const runner = await openServerRunner({ url: endpoint.url, ...auth });
    try {
      const text = "it's \\ a\ttab\nline 'x'; DROP TABLE t; -- Zażółć Люмио 😀";
      const rows = await runner.query<{ s: string; a: string[]; n: number | null; big: number }>(
        "SELECT {s:String} AS s, {a:Array(String)} AS a, {n:Nullable(Int32)} AS n, toUInt64({big:UInt64}) AS big",
        { s: text, a: ["a'b", "c\\d", "ж, ]"], n: null, big: 2 ** 40 },
      );
      expect(rows).toEqual([{ s: text, a: ["a'b", "c\\d", "ж, ]"], n: null, big: 2 ** 40 }]);
    } finally {
      await runner.close();
    }
  });

  test("openServerRunner() uses the database it is given for unqualified names", async () => {
    const runner = await openServerRunner({ url: endpoint.url, ...auth, database: "system" });
    try {
      expect(await runner.query("SELECT currentDatabase() AS db")).toEqual([{ db: "system" }]);
    } finally {
      await runner.close();
    }
  });
});

describe("ClickHouse-HTTP test endpoint", () => {
  // The endpoint stands in for a server in the tests above; these check that
  // it honours what the runner relies on rather than chDB's defaults.
  test("the endpoint applies settings sent with the request", async () => {
    const client = createClient({ url: endpoint.url, ...auth });
    try {
      const quoted = await client.query({
        query: "SELECT toUInt64(5) AS n",
        format: "JSONEachRow",
        clickhouse_settings: { output_format_json_quote_64bit_integers: 1 },
      });
      expect(await quoted.json()).toEqual([{ n: "5" }]);
      const plain = await client.query({
        query: "SELECT toUInt64(5) AS n",
        format: "JSONEachRow",
        clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
      });
      expect(await plain.json()).toEqual([{ n: 5 }]);
    } finally {
      await client.close();
    }
  });

  test("the endpoint answers gzip-compressed responses when asked", async () => {
    const client = createClient({ url: endpoint.url, ...auth, compression: { response: true, request: true } });
    try {
      const result = await client.query({ query: "SELECT 'Люмио' AS s", format: "JSONEachRow" });
      expect(await result.json()).toEqual([{ s: "Люмио" }]);
    } finally {
      await client.close();
    }
  });
});

const realUrl = process.env.EARSHOT_TEST_CLICKHOUSE_URL;
describe.skipIf(realUrl === undefined)(
  realUrl === undefined
    ? "real ClickHouse server: skipped because EARSHOT_TEST_CLICKHOUSE_URL is not set (e.g. http://user:pass@host:8123)"
    : `real ClickHouse server at ${new URL(realUrl).host}`,
  () => {
    storeContract("server runner against a real ClickHouse", () =>
      openStore({ kind: "server", url: realUrl ?? "", database: freshDatabase() }),
    );
  },
);
