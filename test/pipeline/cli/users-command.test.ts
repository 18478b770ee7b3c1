import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { runUsersCommand } from "../../../pipeline/cli/users-command";
import { openStore } from "../../../pipeline/store/open-store";
import { verifyPassword } from "../../../pipeline/users/password-hash";
import { tempDirs } from "../../support/temp-dir";

const dirs = tempDirs();
const T = Date.UTC(2026, 10, 23, 9, 0);
let configFile = "";
let dataDir = "";

beforeAll(() => {
  const dir = dirs.make("earshot-users-cli-");
  dataDir = join(dir, "store");
  configFile = join(dir, "earshot.config.json");
  writeFileSync(configFile, JSON.stringify({ store: { kind: "embedded", dataDir } }));
});

const run = async (args: string[], stdin = "") => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runUsersCommand([...args, "--config", configFile], { out: (t) => out.push(t), err: (t) => err.push(t) }, {}, () => T, async () => stdin);
  return { code, out: out.join(""), err: err.join("") };
};

async function storedHash(username: string): Promise<string> {
  const store = await openStore({ kind: "embedded", dataDir, database: "earshot" });
  try {
    return (await store.user(username))!.passwordHash;
  } finally {
    await store.close();
  }
}

describe("earshot users", () => {
  test("runUsersCommand() adds users with a password from stdin or a printed one, and lists them", async () => {
    const first = await run(["add", "ola", "--role", "admin", "--password-stdin", "--lang", "pl"], "zażółć-gęślą\n");
    expect(first).toEqual({ code: 0, out: "added ola (admin)\n", err: "" });
    expect(await verifyPassword("zażółć-gęślą", await storedHash("ola"))).toBe(true);

    const second = await run(["add", "kasia", "--role", "viewer"]);
    expect(second.code).toBe(0);
    const password = /password: (\S+)/.exec(second.out)?.[1];
    expect(password).toMatch(/^[\w-]{16}$/);
    expect(await verifyPassword(password!, await storedHash("kasia"))).toBe(true);

    expect((await run(["list"])).out).toBe("kasia\tviewer\tenabled\t-\t-\nola\tadmin\tenabled\tpl\t-\n");
    const listed = JSON.parse((await run(["list", "--json"])).out) as Record<string, unknown>[];
    expect(listed.map((u) => u.username)).toEqual(["kasia", "ola"]);
    expect(JSON.stringify(listed)).not.toContain("scrypt");
  });

  test("runUsersCommand() sets a role and a password, and keeps the last admin", async () => {
    await run(["add", "piotr", "--role", "responder", "--password-stdin"], "piotr-password\n");
    expect(await run(["set-role", "piotr", "admin"])).toMatchObject({ code: 0, out: "piotr is now admin\n" });
    expect(await run(["set-password", "piotr", "--password-stdin"], "another-password")).toMatchObject({ code: 0, out: "new password for piotr set\n" });
    expect(await verifyPassword("another-password", await storedHash("piotr"))).toBe(true);

    expect((await run(["remove", "piotr"])).code).toBe(0);
    const last = await run(["set-role", "ola", "viewer"]);
    expect(last.code).toBe(1);
    expect(last.err).toMatch(/last admin/);
    expect((await run(["remove", "ola"])).err).toMatch(/last admin/);
    expect((await run(["disable", "ola"])).err).toMatch(/last admin/);
  });

  test("runUsersCommand() refuses a bad role, a missing name, a short password and an unknown action with usage", async () => {
    expect(await run(["add", "x", "--role", "owner"])).toMatchObject({ code: 2, err: expect.stringContaining("viewer, responder or admin") });
    expect((await run(["remove"])).code).toBe(2);
    expect(await run(["add", "y", "--role", "viewer", "--password-stdin"], "short\n")).toMatchObject({ code: 2, err: expect.stringContaining("at least 8") });
    expect(await run(["rename", "x"])).toMatchObject({ code: 2, err: expect.stringContaining("usage:") });
    expect((await run(["remove", "ghost"])).err).toMatch(/no user "ghost"/);
  });
});
