import { describe, expect, test } from "vitest";
import { MinuteBuckets, MINUTE_MS } from "../../../pipeline/spikes/minute-buckets";

const T0 = Date.UTC(2026, 10, 23, 10, 0, 0);

describe("MinuteBuckets", () => {
  test("add() counts total and negative per brand per minute of event time", () => {
    const b = new MinuteBuckets(0);
    b.add("acme", T0 + 1_000, true, "a", T0);
    b.add("acme", T0 + 2_000, false, "b", T0);
    expect(b.add("acme", T0 + 59_999, true, "c", T0)).toEqual({ brand: "acme", minute: T0, total: 3, negative: 2, firstNegativeId: "a" });
    expect(b.add("other", T0 + 5_000, true, "d", T0)).toMatchObject({ brand: "other", minute: T0, total: 1, negative: 1 });
  });

  test("closeDue() closes minutes in order without gaps once event time passes them", () => {
    const b = new MinuteBuckets(0);
    b.add("acme", T0 + 1_000, true, "first", T0);
    b.add("acme", T0 + 3 * MINUTE_MS + 5_000, false, "later", T0);
    const closed = b.closeDue(T0);
    expect(closed.map((c) => [c.minute - T0, c.total, c.negative])).toEqual([
      [0, 1, 1],
      [MINUTE_MS, 0, 0],
      [2 * MINUTE_MS, 0, 0],
    ]);
    expect(closed[0]!.firstNegativeId).toBe("first");
  });

  test("closeDue() closes a quiet brand's minutes as wall time passes, after the lateness", () => {
    const b = new MinuteBuckets(30_000);
    b.add("acme", T0 + 10_000, true, "a", T0 + 10_000);
    expect(b.closeDue(T0 + 89_999)).toEqual([]);
    expect(b.closeDue(T0 + 90_000).map((c) => c.minute)).toEqual([T0]);
  });

  test("add() answers null for a mention older than the newest closed minute", () => {
    const b = new MinuteBuckets(0);
    b.add("acme", T0 + 2 * MINUTE_MS, true, "a", T0);
    b.closeDue(T0);
    expect(b.add("acme", T0 + 10_000, true, "late", T0)).toBeNull();
  });

  test("firstNegativeId is the earliest negative by event time, whatever the arrival order", () => {
    const b = new MinuteBuckets(0);
    b.add("acme", T0 + 40_000, true, "second", T0);
    b.add("acme", T0 + 20_000, true, "first", T0);
    b.add("acme", T0 + MINUTE_MS + 1, false, "next-minute", T0);
    expect(b.closeDue(T0)[0]!.firstNegativeId).toBe("first");
  });
});
