import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { leaseChdbSession, type ChdbLease } from "../../../pipeline/store/chdb";
import { openStore } from "../../../pipeline/store/open-store";
import { bootstrapAdmin, ensureUsers } from "../../../pipeline/users/bootstrap-admin";
import { verifyPassword } from "../../../pipeline/users/password-hash";
import { UserAdmin } from "../../../pipeline/users/user-admin";
import { freshDatabase } from "../../contracts/store.contract";
import { tempDirs } from "../../support/temp-dir";

const dirs = tempDirs();
const dataDir = dirs.make("earshot-bootstrap-");
let lease: ChdbLease;
beforeAll(async () => {
  lease = await leaseChdbSession(dataDir);
});
afterAll(() => lease.release());

const T = Date.UTC(2026, 10, 23, 9, 0);
const open = () => openStore({ kind: "embedded", dataDir, database: freshDatabase() });

describe("bootstrapAdmin()", () => {
  test("bootstrapAdmin() makes the admin from the environment on first start, and later starts keep a changed password", async () => {
    const store = await open();
    try {
      expect(await bootstrapAdmin(store, { username: "pr-team", password: "env-password-1" }, T)).toEqual({
        created: true,
        username: "pr-team",
        generatedPassword: null,
      });
      expect((await store.user("pr-team"))!.role).toBe("admin");

      await new UserAdmin({ store, now: () => T + 1 }).update("pr-team", { password: "changed-in-ui" });
      expect(await bootstrapAdmin(store, { username: "pr-team", password: "env-password-1" }, T + 2)).toMatchObject({ created: false });
      const hash = (await store.user("pr-team"))!.passwordHash;
      expect(await verifyPassword("changed-in-ui", hash)).toBe(true);
      expect(await verifyPassword("env-password-1", hash)).toBe(false);
    } finally {
      await store.close();
    }
  });

  test("bootstrapAdmin() without a password makes a one-off one that signs in", async () => {
    const store = await open();
    try {
      const result = await bootstrapAdmin(store, { username: "admin", password: null }, T);
      expect(result.created).toBe(true);
      expect(result.generatedPassword).toMatch(/^[\w-]{16}$/);
      expect(await verifyPassword(result.generatedPassword!, (await store.user("admin"))!.passwordHash)).toBe(true);
    } finally {
      await store.close();
    }
  });

  test("bootstrapAdmin() makes the named user an admin again when every admin was disabled", async () => {
    const store = await open();
    try {
      await ensureUsers(store, [{ username: "pr-team", password: "old-password", role: "viewer" }], T, { N: 1024, r: 8, p: 1 });
      const result = await bootstrapAdmin(store, { username: "pr-team", password: "env-password-1" }, T + 1);
      expect(result.created).toBe(true);
      const user = (await store.user("pr-team"))!;
      expect(user).toMatchObject({ role: "admin", disabled: false, createdAt: T, updatedAt: T + 1 });
    } finally {
      await store.close();
    }
  });
});

describe("ensureUsers()", () => {
  test("ensureUsers() adds missing users and leaves stored ones as they are", async () => {
    const store = await open();
    try {
      const cheap = { N: 1024, r: 8, p: 1 };
      await ensureUsers(store, [{ username: "ola", password: "first-pass" }], T, cheap);
      await ensureUsers(store, [{ username: "ola", password: "other-pass" }, { username: "ivan", password: "ivan-pass", role: "viewer" }], T + 1, cheap);
      const users = await store.users();
      expect(users.map((u) => [u.username, u.role])).toEqual([
        ["ivan", "viewer"],
        ["ola", "admin"],
      ]);
      expect(await verifyPassword("first-pass", users[1]!.passwordHash)).toBe(true);
      await expect(ensureUsers(store, [{ username: "a", password: "x" }, { username: "a", password: "y" }], T, cheap)).rejects.toThrow(/given twice/);
    } finally {
      await store.close();
    }
  });
});
