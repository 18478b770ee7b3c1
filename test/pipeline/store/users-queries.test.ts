import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { leaseChdbSession, type ChdbLease } from "../../../pipeline/store/chdb";
import { clusterVariant, loadMigrations } from "../../../pipeline/store/migrate";
import { openStore } from "../../../pipeline/store/open-store";
import type { UserRecord } from "../../../pipeline/users/user-record";
import { freshDatabase } from "../../contracts/store.contract";
import { tempDirs } from "../../support/temp-dir";

const dirs = tempDirs();
const dataDir = dirs.make("earshot-users-");
let lease: ChdbLease;
beforeAll(async () => {
  lease = await leaseChdbSession(dataDir);
});
afterAll(() => lease.release());

const T = Date.UTC(2026, 10, 23, 9, 0);
const ola: UserRecord = {
  username: "ola",
  role: "responder",
  passwordHash: "scrypt$16384$8$5$c2FsdA$aGFzaA",
  passwordSetAt: T - 1,
  lang: "pl",
  timeZone: "Europe/Warsaw",
  disabled: false,
  createdAt: T,
  updatedAt: T,
};

describe("users store (embedded chDB)", () => {
  test("saveUser() and users() round-trip every field, and user() finds one by name", async () => {
    const store = await openStore({ kind: "embedded", dataDir, database: freshDatabase() });
    try {
      const ivan: UserRecord = { ...ola, username: "иван", role: "viewer", lang: null, timeZone: null, disabled: true };
      await store.saveUser(ola);
      await store.saveUser(ivan);
      expect(await store.users()).toEqual([ola, ivan]);
      expect(await store.user("иван")).toEqual(ivan);
      expect(await store.user("nobody")).toBeNull();
    } finally {
      await store.close();
    }
  });

  test("saveUser() again replaces the row: the latest save wins", async () => {
    const store = await openStore({ kind: "embedded", dataDir, database: freshDatabase() });
    try {
      await store.saveUser(ola);
      const admin = { ...ola, role: "admin" as const, updatedAt: T + 1 };
      await store.saveUser(admin);
      expect(await store.users()).toEqual([admin]);
      expect(await store.user("ola")).toEqual(admin);
    } finally {
      await store.close();
    }
  });

  test("removeUser() hides the user from every read; saving the name again makes a new user", async () => {
    const store = await openStore({ kind: "embedded", dataDir, database: freshDatabase() });
    try {
      await store.saveUser(ola);
      await store.removeUser("ola", T + 5);
      expect(await store.users()).toEqual([]);
      expect(await store.user("ola")).toBeNull();
      const again = { ...ola, role: "viewer" as const, createdAt: T + 9, updatedAt: T + 9 };
      await store.saveUser(again);
      expect(await store.users()).toEqual([again]);
    } finally {
      await store.close();
    }
  });

  test("the users migration has a replicated cluster form keyed by version", async () => {
    const migration = (await loadMigrations()).find((m) => m.name === "0013_users");
    expect(migration).toBeDefined();
    const sql = clusterVariant(migration!.sql, "prod");
    expect(sql).toContain("CREATE TABLE IF NOT EXISTS {db}.users ON CLUSTER prod");
    expect(sql).toContain("ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}', version)");
  });
});
