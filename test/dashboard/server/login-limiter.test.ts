import { describe, expect, test } from "vitest";
import { clientKey, LoginLimiter } from "../../../dashboard/server/login-limiter";

const clock = () => {
  const c = { now: 1_000_000 };
  return Object.assign(c, { read: () => c.now });
};

describe("LoginLimiter", () => {
  test("retryAfterMs() is 0 until the address reaches the failure limit", () => {
    const c = clock();
    const limiter = new LoginLimiter({ maxFailures: 3, windowMs: 60_000 }, c.read);
    for (let i = 0; i < 2; i++) limiter.recordFailure("10.0.0.1");
    expect(limiter.retryAfterMs("10.0.0.1")).toBe(0);
    limiter.recordFailure("10.0.0.1");
    expect(limiter.retryAfterMs("10.0.0.1")).toBe(60_000);
    expect(limiter.retryAfterMs("10.0.0.2")).toBe(0);
  });

  test("retryAfterMs() frees the address as its oldest failures leave the window", () => {
    const c = clock();
    const limiter = new LoginLimiter({ maxFailures: 2, windowMs: 60_000 }, c.read);
    limiter.recordFailure("a");
    c.now += 10_000;
    limiter.recordFailure("a");
    expect(limiter.retryAfterMs("a")).toBe(50_000);
    c.now += 50_000;
    expect(limiter.retryAfterMs("a")).toBe(0);
    limiter.recordFailure("a");
    expect(limiter.retryAfterMs("a")).toBe(10_000);
  });

  test("recordFailure() forgets the stalest addresses past the tracking cap", () => {
    const c = clock();
    const limiter = new LoginLimiter({ maxFailures: 1, windowMs: 60_000, maxAddresses: 2 }, c.read);
    limiter.recordFailure("first");
    limiter.recordFailure("second");
    limiter.recordFailure("third");
    expect(limiter.retryAfterMs("first")).toBe(0);
    expect(limiter.retryAfterMs("second")).toBeGreaterThan(0);
    expect(limiter.retryAfterMs("third")).toBeGreaterThan(0);
  });

  test("forget() takes back one recorded failure and leaves the others", () => {
    const c = clock();
    const limiter = new LoginLimiter({ maxFailures: 2, windowMs: 60_000 }, c.read);
    limiter.recordFailure("a");
    c.now += 1_000;
    const counted = limiter.recordFailure("a");
    expect(limiter.retryAfterMs("a")).toBeGreaterThan(0);
    limiter.forget("a", counted);
    expect(limiter.retryAfterMs("a")).toBe(0);
    limiter.forget("a", counted);
    limiter.recordFailure("a");
    expect(limiter.retryAfterMs("a")).toBe(59_000);
  });
});

describe("clientKey()", () => {
  test.for([
    ["203.0.113.7", "203.0.113.7"],
    ["::ffff:203.0.113.7", "203.0.113.7"],
    ["2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"],
    ["2001:db8:1:2::1", "2001:db8:1:2::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
  ])("clientKey() counts %s as %s", ([address, key]) => {
    expect(clientKey(address)).toBe(key);
  });

  test("clientKey() puts every address of one IPv6 /64 under one key and another /64 under another", () => {
    expect(clientKey("2001:db8:0:5::1")).toBe(clientKey("2001:db8:0:5:ffff:ffff:ffff:ffff"));
    expect(clientKey("2001:db8:0:5::1")).not.toBe(clientKey("2001:db8:0:6::1"));
  });
});
