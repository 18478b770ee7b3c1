import { describe, expect, test } from "vitest";
import { DEFAULT_SCRYPT, decoyHash, hashPassword, needsRehash, verifyPassword } from "../../../pipeline/users/password-hash";

describe("password hashes", () => {
  test("hashPassword() writes scrypt$N$r$p$salt$hash with the default parameters and a fresh salt", async () => {
    const a = await hashPassword("zażółć gęślą jaźń");
    const b = await hashPassword("zażółć gęślą jaźń");
    expect(a).toMatch(/^scrypt\$16384\$8\$5\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(DEFAULT_SCRYPT).toEqual({ N: 16384, r: 8, p: 5 });
  });

  test("verifyPassword() accepts the password, in either Unicode normal form, and refuses any other", async () => {
    const hash = await hashPassword("пароль-ś");
    expect(await verifyPassword("пароль-ś", hash)).toBe(true);
    expect(await verifyPassword("пароль-ś".normalize("NFD"), hash)).toBe(true);
    expect(await verifyPassword("пароль-s", hash)).toBe(false);
    expect(await verifyPassword("", hash)).toBe(false);
  });

  test("verifyPassword() checks a hash made with other parameters by its own parameters", async () => {
    const old = await hashPassword("secret-123", { N: 1024, r: 8, p: 1 });
    expect(old.startsWith("scrypt$1024$8$1$")).toBe(true);
    expect(await verifyPassword("secret-123", old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
    expect(needsRehash(await hashPassword("secret-123"))).toBe(false);
  });

  test("verifyPassword() refuses malformed and oversized hashes without throwing", async () => {
    for (const bad of ["", "plain", "bcrypt$10$abc", "scrypt$1000$8$1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", `scrypt$${2 ** 24}$8$1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA`]) {
      expect(await verifyPassword("x", bad)).toBe(false);
    }
  });

  test("decoyHash() is a well-formed hash that no password matches", async () => {
    const decoy = decoyHash();
    expect(needsRehash(decoy)).toBe(false);
    expect(await verifyPassword("", decoy)).toBe(false);
    expect(await verifyPassword("admin", decoy)).toBe(false);
  });
});
