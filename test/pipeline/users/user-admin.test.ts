import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { leaseChdbSession, type ChdbLease } from "../../../pipeline/store/chdb";
import { openStore } from "../../../pipeline/store/open-store";
import type { Store } from "../../../pipeline/store/store";
import { verifyPassword } from "../../../pipeline/users/password-hash";
import { UserAdmin, UserError } from "../../../pipeline/users/user-admin";
import { freshDatabase } from "../../contracts/store.contract";
import { tempDirs } from "../../support/temp-dir";

const dirs = tempDirs();
const dataDir = dirs.make("earshot-user-admin-");
let lease: ChdbLease;
beforeAll(async () => {
  lease = await leaseChdbSession(dataDir);
});
afterAll(() => lease.release());

const T = Date.UTC(2026, 10, 23, 9, 0);
const CHEAP = { N: 1024, r: 8, p: 1 };

async function withAdmin(run: (admin: UserAdmin, store: Store, changes: { n: number }) => Promise<void>): Promise<void> {
  const store = await openStore({ kind: "embedded", dataDir, database: freshDatabase() });
  const changes = { n: 0 };
  try {
    await run(new UserAdmin({ store, now: () => T, params: CHEAP, changed: () => changes.n++ }), store, changes);
  } finally {
    await store.close();
  }
}

const problemOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => (e instanceof UserError ? e.problem : e));

describe("UserAdmin", () => {
  test("add() stores a hashed password, never the password, and tells of the change", async () => {
    await withAdmin(async (admin, store, changes) => {
      const user = await admin.add({ username: "ola", role: "responder", password: "zażółć-123", lang: "pl", timeZone: "Europe/Warsaw" });
      expect(user).toMatchObject({ username: "ola", role: "responder", lang: "pl", timeZone: "Europe/Warsaw", disabled: false, createdAt: T });
      const stored = (await store.user("ola"))!;
      expect(stored.passwordHash).toMatch(/^scrypt\$1024\$8\$1\$/);
      expect(stored.passwordHash).not.toContain("zażółć");
      expect(await verifyPassword("zażółć-123", stored.passwordHash)).toBe(true);
      expect(changes.n).toBe(1);
    });
  });

  test("add() refuses a taken name, a bad name, a short password and an unknown time zone", async () => {
    await withAdmin(async (admin) => {
      await admin.add({ username: "ola", role: "viewer", password: "long-enough" });
      expect(await problemOf(admin.add({ username: "ola", role: "admin", password: "long-enough" }))).toBe("exists");
      expect(await problemOf(admin.add({ username: "two words", role: "admin", password: "long-enough" }))).toBe("invalid");
      expect(await problemOf(admin.add({ username: "kasia", role: "admin", password: "short" }))).toBe("invalid");
      expect(await problemOf(admin.add({ username: "kasia", role: "admin", password: "long-enough", timeZone: "Mars/Olympus" }))).toBe("invalid");
    });
  });

  test("remove(), update() and disabling refuse to leave no enabled admin, and allow it once another admin exists", async () => {
    await withAdmin(async (admin) => {
      await admin.add({ username: "root", role: "admin", password: "long-enough" });
      await admin.add({ username: "ivan", role: "viewer", password: "long-enough" });
      expect(await problemOf(admin.remove("root"))).toBe("last-admin");
      expect(await problemOf(admin.update("root", { role: "responder" }))).toBe("last-admin");
      expect(await problemOf(admin.update("root", { disabled: true }))).toBe("last-admin");
      // A disabled admin does not count as one.
      await admin.add({ username: "old", role: "admin", password: "long-enough" });
      await admin.update("old", { disabled: true });
      expect(await problemOf(admin.update("root", { role: "viewer" }))).toBe("last-admin");

      await admin.update("ivan", { role: "admin" });
      expect((await admin.update("root", { role: "viewer" })).role).toBe("viewer");
      await admin.remove("old");
      expect((await admin.list()).map((u) => [u.username, u.role])).toEqual([
        ["ivan", "admin"],
        ["root", "viewer"],
      ]);
    });
  });

  test("updateOwn() changes language and time zone, and the password only with the current one", async () => {
    await withAdmin(async (admin, store) => {
      await admin.add({ username: "ola", role: "viewer", password: "first-pass" });
      expect(await problemOf(admin.updateOwn("ola", { password: { current: "wrong-pass", next: "second-pass" } }))).toBe("wrong-password");
      const user = await admin.updateOwn("ola", { lang: "ru", timeZone: "Europe/Moscow", password: { current: "first-pass", next: "second-pass" } });
      expect(user).toMatchObject({ lang: "ru", timeZone: "Europe/Moscow" });
      expect(await verifyPassword("second-pass", (await store.user("ola"))!.passwordHash)).toBe(true);
      expect((await admin.updateOwn("ola", { lang: null, timeZone: null })).lang).toBeNull();
    });
  });

  test("update() and remove() of an unknown user answer not-found", async () => {
    await withAdmin(async (admin) => {
      expect(await problemOf(admin.update("ghost", { role: "viewer" }))).toBe("not-found");
      expect(await problemOf(admin.remove("ghost"))).toBe("not-found");
    });
  });
});
