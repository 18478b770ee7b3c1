import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { makeAckLink, verifyAck, verifyAckLink } from "../../../pipeline/alerts/ack-link";

const SECRET = "s3cret-ack-link-key-0123456789abcdef";
const NOW = Date.UTC(2026, 10, 23, 14, 7);
const HOUR = 3_600_000;
const link = (key = "lumio-20261123T1406", base = "https://earshot.example.com") => makeAckLink(key, { baseUrl: base, secret: SECRET, now: NOW, ttlMs: HOUR });

describe("makeAckLink()", () => {
  test("makeAckLink() builds <base>/ack/<key>?exp=<epoch seconds>&sig=<base64url HMAC>", () => {
    expect(link()).toMatch(/^https:\/\/earshot\.example\.com\/ack\/lumio-20261123T1406\?exp=1795446420&sig=[A-Za-z0-9_-]{43}$/);
    expect(Number(new URL(link()).searchParams.get("exp")) * 1000).toBe(NOW + HOUR);
  });

  test("makeAckLink() keeps a path prefix of the base URL and encodes the key", () => {
    expect(link("a/b c", "https://example.com/earshot/")).toMatch(/^https:\/\/example\.com\/earshot\/ack\/a%2Fb%20c\?exp=/);
  });

  test("makeAckLink() refuses keys a URL would resolve away: empty, . and ..", () => {
    for (const key of ["", ".", "..", "%2e", "%2E%2e"]) expect(() => link(key)).toThrow(RangeError);
  });

  test("makeAckLink() refuses a secret shorter than 32 characters", () => {
    expect(() => makeAckLink("k", { baseUrl: "https://x", secret: "short", now: NOW })).toThrow(/32/);
  });
});

describe("verifyAckLink()", () => {
  test("verifyAckLink() accepts its own link before expiry, absolute or as a request path", () => {
    const l = link();
    expect(verifyAckLink(l, SECRET, NOW + HOUR - 1)).toEqual({ ok: true, key: "lumio-20261123T1406", expiresAt: 1795446420_000 });
    const u = new URL(l);
    expect(verifyAckLink(`${u.pathname}${u.search}`, SECRET, NOW)).toMatchObject({ ok: true, key: "lumio-20261123T1406" });
  });

  test("verifyAckLink() refuses a link at or after its expiry", () => {
    expect(verifyAckLink(link(), SECRET, NOW + HOUR)).toEqual({ ok: false, reason: "expired" });
  });

  test("verifyAckLink() refuses a changed key, a stretched expiry, a changed signature or another secret", () => {
    const u = new URL(link());
    const otherKey = new URL(u);
    otherKey.pathname = "/ack/other-incident";
    const later = new URL(u);
    later.searchParams.set("exp", String(Number(u.searchParams.get("exp")) + 86_400));
    const sig = u.searchParams.get("sig")!;
    const flipped = new URL(u);
    flipped.searchParams.set("sig", `${sig.slice(0, -1)}${sig.endsWith("A") ? "B" : "A"}`);
    for (const tampered of [otherKey, later, flipped])
      expect(verifyAckLink(tampered.toString(), SECRET, NOW)).toEqual({ ok: false, reason: "bad-signature" });
    expect(verifyAckLink(u.toString(), `${SECRET}-rotated`, NOW)).toEqual({ ok: false, reason: "bad-signature" });
  });

  test("verifyAckLink() calls malformed what it cannot read, without throwing", () => {
    for (const bad of ["", "/ack/", "/ack/k", "/ack/k?exp=abc&sig=x", "/ack/k?exp=1&sig=short", "/nope/k?exp=1&sig=" + "A".repeat(43), "/ack/%E0%A4%A?exp=1&sig=" + "A".repeat(43)])
      expect(verifyAckLink(bad, SECRET, NOW)).toEqual({ ok: false, reason: "malformed" });
  });

  fcTest.prop([fc.string({ minLength: 1, maxLength: 200 }).filter((k) => !/^(\.|%2e){1,2}$/i.test(k))])("verifyAckLink() round-trips any incident key", (key) => {
    expect(verifyAckLink(link(key), SECRET, NOW)).toEqual({ ok: true, key, expiresAt: Math.floor((NOW + HOUR) / 1000) * 1000 });
  });
});

describe("verifyAck()", () => {
  test("verifyAck() checks the parts a route has already split and decoded", () => {
    const u = new URL(link("ключ-инцидента"));
    const parts = { key: "ключ-инцидента", exp: u.searchParams.get("exp"), sig: u.searchParams.get("sig") };
    expect(verifyAck(parts, SECRET, NOW)).toMatchObject({ ok: true, key: "ключ-инцидента" });
    expect(verifyAck({ ...parts, sig: null }, SECRET, NOW)).toEqual({ ok: false, reason: "malformed" });
  });
});
