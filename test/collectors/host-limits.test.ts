import { afterEach, describe, expect, test, vi } from "vitest";
import { HostLimits } from "../../collectors/host-limits";

afterEach(() => {
  vi.useRealTimers();
});

describe("HostLimits", () => {
  test("run() starts no more than the host's budget per interval", async () => {
    vi.useFakeTimers();
    const limits = new HostLimits(4);
    const started: number[] = [];
    const tasks = Array.from({ length: 7 }, (_, i) =>
      limits.run("api.vk.example", { requests: 3, perMs: 1_000 }, async () => void started.push(i)),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(started).toHaveLength(6);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(started).toHaveLength(7);
    await Promise.all(tasks);
  });

  test("run() keeps hosts apart and caps requests in flight per host", async () => {
    const limits = new HostLimits(2);
    let inFlight = 0;
    let peak = 0;
    const release: (() => void)[] = [];
    const task = () =>
      new Promise<void>((resolve) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        release.push(() => {
          inFlight--;
          resolve();
        });
      });
    const a = [limits.run("a.example", undefined, task), limits.run("a.example", undefined, task), limits.run("a.example", undefined, task)];
    const b = limits.run("b.example", undefined, task);
    await new Promise((r) => setImmediate(r));
    expect(peak).toBe(3); // two on a.example, one on b.example
    expect(limits.load()["a.example"]).toEqual({ pending: 2, waiting: 1 });
    while (release.length > 0) {
      release.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all([...a, b]);
  });

  test("run() never runs a queued request whose signal aborted while it waited", async () => {
    const limits = new HostLimits(1);
    let unblock!: () => void;
    const blocker = limits.run("c.example", undefined, () => new Promise<void>((r) => (unblock = r)));
    const controller = new AbortController();
    let ran = false;
    const queued = limits.run("c.example", undefined, async () => void (ran = true), controller.signal);
    controller.abort(new Error("poll stopped"));
    unblock();
    await blocker;
    await expect(queued).rejects.toThrow("poll stopped"); // rejected at its turn, never run
    expect(ran).toBe(false);
  });
});
