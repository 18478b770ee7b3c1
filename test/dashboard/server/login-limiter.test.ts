import { describe, expect, test } from "vitest";
import { LoginLimiter } from "../../../dashboard/server/login-limiter";

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
});
