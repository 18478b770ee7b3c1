import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { demo, demoOptions } from "../../../collectors/demo/demo";
import { planReplay } from "../../../collectors/demo/plan";
import { recording } from "../../../collectors/demo/recording";
import type { RawMention } from "../../../collectors/source";
import { memoryLog } from "../poll-context";

const T0 = Date.UTC(2026, 10, 23, 14, 0, 0);

function context(signal = new AbortController().signal) {
  return { now: () => new Date(), log: memoryLog(), signal };
}

/** Collects what the demo emits, batch by batch, with the (fake) time of each batch. */
function collector() {
  const batches: { at: number; mentions: RawMention[] }[] = [];
  const emit = (mentions: RawMention[]) => {
    batches.push({ at: Date.now(), mentions });
  };
  const all = () => batches.flatMap((b) => b.mentions);
  return { batches, emit, all };
}

describe("demo", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test("demoOptions defaults to speed 1 and seed 1, and refuses a speed of 0 and unknown keys", () => {
    expect(demoOptions.parse({})).toEqual({ speed: 1, seed: 1 });
    expect(demoOptions.parse({ speed: 2.5, seed: 42, loop: true })).toEqual({ speed: 2.5, seed: 42, loop: true });
    expect(demoOptions.safeParse({ speed: 0 }).success).toBe(false);
    expect(demoOptions.safeParse({ speed: -1 }).success).toBe(false);
    expect(demoOptions.safeParse({ seed: 1.5 }).success).toBe(false);
    expect(demoOptions.safeParse({ sped: 2 }).success).toBe(false);
  });

  test("demo.start() emits each recorded minute on time and stop() clears every timer", () => {
    const { batches, emit, all } = collector();
    const stop = demo.start(demoOptions.parse({}), emit, context());
    expect(batches).toHaveLength(0);

    vi.advanceTimersByTime(99);
    expect(batches).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.at).toBe(T0 + 100);

    vi.advanceTimersByTime(18_000 - 100); // the calm hours
    expect(batches).toHaveLength(180);
    for (const m of all()) expect(m.publishedAt as number).toBeLessThanOrEqual(T0 + 18_000);

    stop();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(3_600_000);
    expect(batches).toHaveLength(180);
  });

  test("demo.start() emits what planReplay() plans, then the calm live tail", () => {
    const { batches, emit, all } = collector();
    const stop = demo.start(demoOptions.parse({ speed: 2, seed: 9 }), emit, context());
    vi.advanceTimersByTime(46_500);
    const planned = planReplay(recording, { now: T0, speed: 2, seed: 9 });
    expect(batches.map((b) => b.at - T0)).toEqual(planned.map((s) => s.atMs));
    expect(all()).toEqual(planned.flatMap((s) => s.mentions));

    vi.advanceTimersByTime(10 * 60_000);
    const tail = batches.slice(300).flatMap((b) => b.mentions);
    expect(tail.length).toBeGreaterThanOrEqual(13);
    expect(tail.length).toBeLessThanOrEqual(40);
    for (const b of batches.slice(300)) for (const m of b.mentions) expect(m.publishedAt as number).toBeLessThanOrEqual(b.at);
    stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  test("demo.start() catches up when its timers fire late instead of drifting", () => {
    const { batches, emit } = collector();
    const stop = demo.start(demoOptions.parse({}), emit, context());
    // The event loop stalls for 5 s: the clock moves on, no timer runs.
    vi.setSystemTime(T0 + 5_000);
    vi.advanceTimersByTime(100);
    expect(batches).toHaveLength(1);
    // The minutes already due follow right away (Node waits at least 1 ms per timer) …
    vi.advanceTimersByTime(60);
    expect(batches).toHaveLength(51);
    // … and the rest keep their times: the 130th minute is played 13 s after the start, not 18 s.
    vi.advanceTimersByTime(13_000 - 5_160);
    expect(batches).toHaveLength(130);
    expect(batches.at(-1)!.at).toBe(T0 + 13_000);
    stop();
  });

  test("demo.start() with loop plays the crisis again after the replay", () => {
    const { batches, emit } = collector();
    const stop = demo.start(demoOptions.parse({ speed: 60, loop: true }), emit, context());
    vi.advanceTimersByTime(93_000 / 60 + 300 * 1_000);
    const second = batches.slice(300).flatMap((b) => b.mentions);
    expect(batches).toHaveLength(600);
    expect(second.every((m) => /-r1-\d+-\d+$/.test(m.sourceId))).toBe(true);
    stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  test("demo.start() stops when its context is aborted", () => {
    const { batches, emit } = collector();
    const controller = new AbortController();
    demo.start(demoOptions.parse({}), emit, context(controller.signal));
    vi.advanceTimersByTime(1_000);
    expect(batches).toHaveLength(10);
    controller.abort();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(100_000);
    expect(batches).toHaveLength(10);
  });

  test("demo.start() logs a failed hand-over and keeps replaying", () => {
    let calls = 0;
    const ctx = context();
    const stop = demo.start(
      demoOptions.parse({}),
      () => {
        calls += 1;
        if (calls === 2) throw new Error("pipeline busy");
      },
      ctx,
    );
    vi.advanceTimersByTime(500);
    expect(calls).toBe(5);
    expect(ctx.log.lines.filter((l) => l.level === "warn")).toHaveLength(1);
    expect(ctx.log.lines.some((l) => l.level === "info" && l.obj["replayMs"] === 93_000)).toBe(true);
    stop();
  });
});
