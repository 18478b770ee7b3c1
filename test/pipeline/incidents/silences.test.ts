import { describe, expect, test } from "vitest";
import { silenceProblems, silencing, type Silence } from "../../../pipeline/incidents/silences";

const T = Date.UTC(2026, 10, 23, 12, 0);
const HOUR = 3_600_000;
const silence = (over: Partial<Silence>): Silence => ({
  id: "s1",
  brand: "Lumio",
  problem: null,
  startsAt: T - HOUR,
  endsAt: T + HOUR,
  createdBy: "ola",
  reason: "planned maintenance",
  createdAt: T - HOUR,
  ...over,
});
const spike = { brand: "Lumio", kind: "spike" as const };

describe("silencing()", () => {
  test("silencing() mutes a spike of the silenced brand while the silence runs", () => {
    expect(silencing(spike, null, [silence({})], T)?.id).toBe("s1");
  });

  test("silencing() matches the brand whatever its case", () => {
    expect(silencing({ brand: "LUMIO", kind: "spike" }, null, [silence({})], T)?.id).toBe("s1");
  });

  test.each([
    ["before it starts", T - 2 * HOUR],
    ["at its end", T + HOUR],
    ["after it ends", T + 2 * HOUR],
  ])("silencing() does not mute %s", (_case, now) => {
    expect(silencing(spike, null, [silence({})], now)).toBeNull();
  });

  test("silencing() does not mute another brand", () => {
    expect(silencing({ brand: "Acme", kind: "spike" }, null, [silence({})], T)).toBeNull();
  });

  test("silencing() with a problem type mutes only incidents of that type", () => {
    const s = silence({ problem: "delivery" });
    expect(silencing(spike, "delivery", [s], T)?.id).toBe("s1");
    expect(silencing(spike, "outage", [s], T)).toBeNull();
    expect(silencing(spike, null, [s], T)).toBeNull();
  });

  test("silencing() with no brand mutes every brand and source-down incidents", () => {
    const s = silence({ brand: null });
    expect(silencing({ brand: "Acme", kind: "spike" }, null, [s], T)?.id).toBe("s1");
    expect(silencing({ brand: "", kind: "source-down" }, null, [s], T)?.id).toBe("s1");
  });

  test("silencing() of a brand does not mute a source-down incident", () => {
    expect(silencing({ brand: "", kind: "source-down" }, null, [silence({})], T)).toBeNull();
  });

  test("silencing() answers the matching silence that ends last", () => {
    const short = silence({ id: "short", endsAt: T + HOUR });
    const long = silence({ id: "long", endsAt: T + 5 * HOUR });
    expect(silencing(spike, null, [short, long], T)?.id).toBe("long");
  });
});

describe("silenceProblems()", () => {
  test("silenceProblems() accepts a silence of one brand for the next hours", () => {
    expect(silenceProblems(silence({ startsAt: T, endsAt: T + 4 * HOUR }), T)).toEqual([]);
  });

  test("silenceProblems() lists every problem of a bad silence", () => {
    const problems = silenceProblems(
      { brand: "", problem: "Outage!", startsAt: T, endsAt: T - 1, reason: "x".repeat(501) },
      T,
    );
    expect(problems).toEqual([
      "endsAt must be after startsAt",
      "endsAt is in the past",
      "brand must be 1–200 characters",
      "problem must be a problem type such as outage or delivery",
      "reason may be at most 500 characters",
    ]);
  });

  test("silenceProblems() refuses a silence longer than 90 days and one without times", () => {
    expect(silenceProblems(silence({ startsAt: T, endsAt: T + 91 * 24 * HOUR }), T)).toEqual(["a silence may last at most 90 days"]);
    expect(silenceProblems(silence({ endsAt: Number.NaN }), T)).toEqual(["startsAt and endsAt must be epoch milliseconds"]);
  });
});
