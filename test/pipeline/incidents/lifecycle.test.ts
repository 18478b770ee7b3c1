import { describe, expect, test } from "vitest";
import { bookFromStored, reduceIncidents, type IncidentBook, type IncidentEvent } from "../../../pipeline/incidents/lifecycle";
import { MINUTE_MS } from "../../../pipeline/spikes/minute-buckets";

const T0 = Date.UTC(2026, 10, 23, 14, 5);
const SETTINGS = { keepFiringMinutes: 3 };
const minute = (i: number, negative: number, spike: boolean): IncidentEvent => ({
  type: "minute",
  closed: { brand: "Lumio", minute: T0 + i * MINUTE_MS, total: negative + 2, negative, firstNegativeId: `demo:${i}` },
  judgement: { spike, score: spike ? 0.9 : 0.1, baseline: 1, threshold: 6 },
  wallNow: T0 + i * MINUTE_MS + 90_000,
});

function run(events: IncidentEvent[], book: IncidentBook = new Map()) {
  const changes = [];
  for (const e of events) {
    const r = reduceIncidents(book, e, SETTINGS);
    book = r.book;
    changes.push(...r.changes);
  }
  return { book, changes };
}

const building = (i: number, negative: number, score: number): IncidentEvent => ({
  type: "minute",
  closed: { brand: "Lumio", minute: T0 + i * MINUTE_MS, total: negative + 2, negative, firstNegativeId: `demo:${i}` },
  judgement: { spike: false, score, baseline: 1, threshold: 6 },
  wallNow: T0 + i * MINUTE_MS + 90_000,
});

describe("reduceIncidents() pending", () => {
  test("reduceIncidents() shows a building surge as a quiet pending incident and fires it, announced, when the detector alerts", () => {
    const { changes } = run([minute(0, 1, false), building(1, 8, 0.3), building(2, 10, 0.4), minute(3, 20, true)]);
    expect(changes.map((c) => [c.kind, c.incident.state, c.quiet ?? false])).toEqual([
      ["pending", "pending", true],
      ["firing", "firing", false],
    ]);
    expect(changes[1]!.incident.key).toBe(changes[0]!.incident.key);
    expect(changes[1]!.incident.startedAt).toBe(T0 + MINUTE_MS);
    expect(changes[1]!.incident.peakNegative).toBe(20);
  });

  test("reduceIncidents() dismisses a pending incident quietly when the surge fades", () => {
    const { changes, book } = run([building(0, 8, 0.3), building(1, 2, 0.05)]);
    expect(changes.map((c) => [c.kind, c.incident.state, c.quiet ?? false])).toEqual([
      ["pending", "pending", true],
      ["dismissed", "resolved", true],
    ]);
    expect(book.size).toBe(0);
  });

  test("reduceIncidents() does not open anything for a high score without more negatives than usual", () => {
    expect(run([building(0, 1, 0.4)]).changes).toEqual([]);
  });

  test("reduceIncidents() lets the team take a pending incident; nothing about it is announced afterwards", () => {
    const opened = run([building(0, 8, 0.3)]);
    const key = opened.changes[0]!.incident.key;
    const ack = reduceIncidents(opened.book, { type: "acknowledge", key, by: "ola", wallNow: T0 + 100_000 }, SETTINGS);
    expect(ack.changes.map((c) => [c.kind, c.incident.state, c.quiet ?? false])).toEqual([["acknowledged", "acknowledged", true]]);
    const later = run([minute(1, 30, true), minute(2, 1, false), minute(3, 1, false), minute(4, 1, false)], ack.book);
    expect(later.changes.map((c) => [c.kind, c.incident.state, c.quiet ?? false])).toEqual([
      ["updated", "acknowledged", true],
      ["resolved", "resolved", true],
    ]);
  });
});

describe("reduceIncidents()", () => {
  test("reduceIncidents() opens one firing incident on the first spike minute with a stable key", () => {
    const { changes } = run([minute(0, 1, false), minute(1, 20, true), minute(2, 30, true)]);
    expect(changes.map((c) => c.kind)).toEqual(["firing", "updated"]);
    expect(changes[0]!.incident).toMatchObject({ key: "lumio-20261123T1406", state: "firing", firstMentionId: "demo:1" });
    expect(changes[1]!.incident.key).toBe(changes[0]!.incident.key);
    expect(changes[1]!.incident.peakNegative).toBe(30);
  });

  test("reduceIncidents() keeps firing through short quiet gaps and resolves after keepFiringMinutes", () => {
    const { changes, book } = run([
      minute(0, 20, true),
      minute(1, 2, false),
      minute(2, 25, true),
      minute(3, 1, false),
      minute(4, 1, false),
      minute(5, 1, false),
    ]);
    expect(changes.map((c) => c.kind)).toEqual(["firing", "updated", "resolved"]);
    expect(changes[2]!.incident.state).toBe("resolved");
    expect(book.size).toBe(0);
  });

  test("reduceIncidents() acknowledges a firing incident once, recording who and when", () => {
    const opened = run([minute(0, 20, true)]);
    const key = opened.changes[0]!.incident.key;
    const ack = { type: "acknowledge" as const, key, by: "ola", wallNow: T0 + 120_000 };
    const first = reduceIncidents(opened.book, ack, SETTINGS);
    expect(first.changes[0]!.incident).toMatchObject({ state: "acknowledged", acknowledgedBy: "ola", acknowledgedAt: T0 + 120_000 });
    expect(reduceIncidents(first.book, ack, SETTINGS).changes).toEqual([]);
  });

  test("reduceIncidents() ignores an acknowledgement of an unknown key", () => {
    const opened = run([minute(0, 20, true)]);
    expect(reduceIncidents(opened.book, { type: "acknowledge", key: "nope", by: "x", wallNow: T0 }, SETTINGS).changes).toEqual([]);
  });

  test("bookFromStored() reopens unresolved incidents after a restart so a surge in progress does not open a second one", () => {
    const first = run([minute(0, 20, true)]).changes[0]!.incident;
    const book = bookFromStored([first, { ...first, key: "old", state: "resolved" }]);
    const { changes } = run([minute(1, 30, true)], book);
    expect(changes.map((c) => [c.kind, c.incident.key])).toEqual([["updated", first.key]]);
  });
});
