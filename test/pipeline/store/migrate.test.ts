import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openChdbRunner } from "../../../pipeline/store/chdb";
import {
  bindDatabase,
  clusterVariant,
  loadMigrations,
  migrate,
  splitStatements,
} from "../../../pipeline/store/migrate";
import type { SqlRunner } from "../../../pipeline/store/sql-runner";
import { isStoreError } from "../../../pipeline/store/sql-runner";
import { freshDatabase } from "../../contracts/store.contract";
import { tempDirs } from "../../support/temp-dir";

const dirs = tempDirs();
let runner: SqlRunner;
beforeAll(async () => {
  runner = await openChdbRunner({ dataDir: dirs.make("earshot-migrate-") });
});
afterAll(() => runner.close());

describe("clusterVariant()", () => {
  test("clusterVariant() puts ON CLUSTER after the name a statement creates", () => {
    expect(clusterVariant("CREATE DATABASE IF NOT EXISTS {db}", "prod")).toBe(
      "CREATE DATABASE IF NOT EXISTS {db} ON CLUSTER prod",
    );
    expect(
      clusterVariant("CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.m_mv TO {db}.m\nAS SELECT 1 FROM {db}.t", "prod"),
    ).toBe("CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.m_mv ON CLUSTER prod TO {db}.m\nAS SELECT 1 FROM {db}.t");
    expect(clusterVariant("ALTER TABLE {db}.mentions ADD COLUMN x UInt8", "c1")).toBe(
      "ALTER TABLE {db}.mentions ON CLUSTER c1 ADD COLUMN x UInt8",
    );
    expect(clusterVariant("DROP TABLE IF EXISTS {db}.old", "c1")).toBe("DROP TABLE IF EXISTS {db}.old ON CLUSTER c1");
  });

  test("clusterVariant() turns each MergeTree engine into its Replicated twin, keeping the engine's arguments", () => {
    const sql = [
      "CREATE TABLE {db}.a (v UInt64) ENGINE = ReplacingMergeTree(v) ORDER BY v;",
      "CREATE TABLE {db}.b (v UInt64) ENGINE = MergeTree ORDER BY v;",
      "CREATE TABLE {db}.c (v UInt64) ENGINE=AggregatingMergeTree() ORDER BY v;",
      "CREATE TABLE {db}.d (v UInt64) ENGINE = Memory;",
    ].join("\n");
    const path = "'/clickhouse/tables/{shard}/{database}/{table}', '{replica}'";
    expect(clusterVariant(sql, "prod")).toBe(
      [
        `CREATE TABLE {db}.a ON CLUSTER prod (v UInt64) ENGINE = ReplicatedReplacingMergeTree(${path}, v) ORDER BY v;`,
        `CREATE TABLE {db}.b ON CLUSTER prod (v UInt64) ENGINE = ReplicatedMergeTree(${path}) ORDER BY v;`,
        `CREATE TABLE {db}.c ON CLUSTER prod (v UInt64) ENGINE = ReplicatedAggregatingMergeTree(${path}) ORDER BY v;`,
        "CREATE TABLE {db}.d ON CLUSTER prod (v UInt64) ENGINE = Memory;",
      ].join("\n"),
    );
  });

  test("clusterVariant() leaves statements already ON CLUSTER, and comments, as they are", () => {
    const sql = "-- CREATE TABLE in a comment stays\nCREATE TABLE {db}.t ON CLUSTER other (v UInt8) ENGINE = Memory";
    expect(clusterVariant(sql, "prod")).toBe(sql);
    const commented = "-- DROP TABLE x is only words here\nCREATE TABLE {db}.t (v UInt8) ENGINE = Memory";
    expect(clusterVariant(commented, "prod")).toBe(
      "-- DROP TABLE x is only words here\nCREATE TABLE {db}.t ON CLUSTER prod (v UInt8) ENGINE = Memory",
    );
  });

  test("clusterVariant() refuses a cluster name that is not a plain identifier", () => {
    expect(() => clusterVariant("CREATE DATABASE {db}", "prod; DROP")).toThrow(/not a plain identifier/);
  });

  test("clusterVariant() of every migration parses as ClickHouse SQL, ON CLUSTER and replicated", async () => {
    for (const migration of await loadMigrations()) {
      for (const statement of splitStatements(migration.sql)) {
        const sql = bindDatabase(clusterVariant(statement, "earshot_cluster"), "earshot");
        // formatQuery() runs ClickHouse's own parser without executing anything.
        const [row] = await runner.query<{ q: string }>("SELECT formatQuerySingleLine({sql:String}) AS q", { sql });
        expect(row?.q).toContain("ON CLUSTER earshot_cluster");
        if (/ENGINE/.test(statement)) expect(row?.q).toMatch(/ENGINE = Replicated\w*MergeTree\('\/clickhouse\/tables\//);
      }
    }
  });
});

describe("splitStatements()", () => {
  test("splitStatements() drops comment lines and splits at semicolons that end a line", () => {
    expect(splitStatements("-- one\nCREATE A (x);\n\n-- two\nCREATE B\n(y)  ;\n")).toEqual(["CREATE A (x)", "CREATE B\n(y)"]);
  });
});

describe("bindDatabase()", () => {
  test("bindDatabase() refuses a database name that is not a plain identifier", () => {
    expect(() => bindDatabase("SELECT 1 FROM {db}.t", "x; DROP DATABASE y")).toThrow(/not a plain identifier/);
    expect(() => bindDatabase("SELECT 1 FROM {db}.t", "a.b")).toThrow(/not a plain identifier/);
    let caught: unknown;
    try {
      bindDatabase("x", "`quoted`");
    } catch (e) {
      caught = e;
    }
    expect(isStoreError(caught)).toBe(true);
  });
});

describe("migrate()", () => {
  test("migrate() applies each migration once and records it in schema_migrations", async () => {
    const database = freshDatabase();
    const all = (await loadMigrations()).map((m) => m.name);
    expect(all[0]).toBe("0001_mentions");

    expect(await migrate(runner, { database })).toEqual(all);
    expect(await migrate(runner, { database })).toEqual([]);
    const recorded = await runner.query<{ name: string }>(
      bindDatabase("SELECT name FROM {db}.schema_migrations FINAL ORDER BY name", database),
    );
    expect(recorded.map((r) => r.name)).toEqual(all);
  });

  test("migrate() applies only the migrations added since the last run", async () => {
    const database = freshDatabase();
    const first = await loadMigrations();
    await migrate(runner, { database }, first);
    const added = { name: "9999_extra", sql: "-- a later change\nCREATE TABLE IF NOT EXISTS {db}.extra (v UInt8) ENGINE = MergeTree ORDER BY v;\n" };
    expect(await migrate(runner, { database }, [...first, added])).toEqual(["9999_extra"]);
    expect(
      await runner.query<{ n: number }>("SELECT count() AS n FROM system.tables WHERE database = {db:String} AND name = 'extra'", {
        db: database,
      }),
    ).toEqual([{ n: 1 }]);
  });
});
