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

describe("reduceIncidents() signals", () => {
  /** A source's signal says how many of its negatives report an outage: all of them unless told. */
  const sig = (kind: "problem" | "source", name: string, negative: number, spike: boolean, score = spike ? 0.8 : 0.1, outageNegative = negative) => ({
    kind,
    name,
    negative,
    ...(kind === "source" ? { outageNegative } : {}),
    judgement: { spike, score, baseline: 0.5, threshold: 6 },
  });
  const signals = (i: number, list: ReturnType<typeof sig>[]): IncidentEvent => ({
    type: "signals",
    brand: "Lumio",
    minute: T0 + i * MINUTE_MS,
    signals: list,
    wallNow: T0 + i * MINUTE_MS + 90_000,
  });

  test("reduceIncidents() joins a problem spike and a source spike of the same minutes to the brand's one incident", () => {
    const { changes, book } = run([
      minute(0, 20, true),
      signals(0, [sig("problem", "outage", 12, true), sig("problem", "delivery", 0, false)]),
      minute(1, 25, true),
      signals(1, [sig("problem", "outage", 15, true), sig("source", "forum", 9, true)]),
    ]);
    const keys = new Set(changes.map((c) => c.incident.key));
    expect(keys.size).toBe(1);
    expect(changes.filter((c) => c.kind === "firing")).toHaveLength(1);
    const incident = book.get("Lumio")!.incident;
    expect(incident.signals?.map((s) => [s.kind, s.name, s.peakNegative, s.inhibited])).toEqual([
      ["brand", "Lumio", 25, false],
      ["problem", "outage", 15, false],
      ["source", "forum", 9, true],
    ]);
    expect(changes.flatMap((c) => c.joined ?? []).map((s) => `${s.kind}:${s.name}`)).toEqual([
      "brand:Lumio",
      "problem:outage",
      "source:forum",
    ]);
  });

  test("reduceIncidents() opens the brand's incident from a signal when the brand's own series is calm", () => {
    const { changes } = run([minute(0, 2, false), signals(0, [sig("problem", "delivery", 7, true), sig("source", "shop", 6, true)])]);
    expect(changes.map((c) => c.kind)).toEqual(["firing"]);
    expect(changes[0]!.incident).toMatchObject({ key: "lumio-20261123T1405", brand: "Lumio", state: "firing", peakNegative: 7 });
    expect(changes[0]!.incident.summary).toContain("delivery");
    // no outage: the source spike is a signal of its own, not inhibited
    expect(changes[0]!.joined?.map((s) => [s.name, s.inhibited])).toEqual([
      ["delivery", false],
      ["shop", false],
    ]);
  });

  test("reduceIncidents() inhibits a per-source spike while an outage signal is live: recorded, quiet, and it does not keep the incident open", () => {
    const { changes, book } = run([
      signals(0, [sig("problem", "outage", 12, true)]),
      minute(1, 2, false),
      signals(1, [sig("problem", "outage", 3, false), sig("source", "forum", 8, true)]),
      minute(2, 2, false),
      signals(2, [sig("source", "forum", 9, true)]),
      minute(3, 1, false),
    ]);
    expect(changes.map((c) => [c.kind, c.refresh ?? false])).toEqual([
      ["firing", false],
      ["updated", false],
      ["updated", true],
      ["resolved", false],
    ]);
    expect(changes[1]!.joined).toEqual([expect.objectContaining({ kind: "source", name: "forum", inhibited: true })]);
    // the source kept spiking, yet the episode resolved keepFiringMinutes after the outage's last spike
    expect(changes[3]!.incident.resolvedAt).toBe(T0 + 3 * MINUTE_MS + 90_000);
    expect(book.size).toBe(0);
    // as in Alertmanager, inhibition ends with the outage: a source spike after it is an incident of its own
    const after = run([signals(4, [sig("source", "forum", 9, true)])], book);
    expect(after.changes.map((c) => [c.kind, c.joined?.[0]?.inhibited])).toEqual([["firing", false]]);
    expect(after.changes[0]!.incident.key).not.toBe(changes[0]!.incident.key);
  });

  test("reduceIncidents() inhibits a source's spike only when the outage explains it: mostly outage reports", () => {
    const { changes } = run([
      signals(0, [sig("problem", "outage", 12, true)]),
      // "forum": 9 negatives, 6 about the outage; "shop": 8 negatives, 1 about it (delivery complaints)
      signals(1, [sig("source", "forum", 9, true, 0.8, 6), sig("source", "shop", 8, true, 0.8, 1)]),
    ]);
    expect(changes[1]!.joined?.map((s) => [s.name, s.inhibited])).toEqual([
      ["forum", true],
      ["shop", false],
    ]);
    // The unexplained source keeps the episode live and is on the timeline as a signal of its own.
    expect(changes[1]).toMatchObject({ kind: "updated" });
  });

  test("reduceIncidents() takes from a running minute only what opens or joins: the scores of signals already in wait for its close", () => {
    const opened = run([signals(0, [sig("problem", "outage", 12, true)])]);
    const early = (list: ReturnType<typeof sig>[]): IncidentEvent => ({ ...signals(1, list), early: true } as IncidentEvent);
    // The outage spiking again, higher, in the next running minute: nothing to save yet.
    expect(run([early([sig("problem", "outage", 20, true, 0.95)])], opened.book).changes).toEqual([]);
    // A new series spiking in it joins at once.
    const joined = run([early([sig("problem", "outage", 20, true, 0.95), sig("problem", "service", 9, true)])], opened.book).changes;
    expect(joined.map((c) => [c.kind, c.joined?.map((j) => j.name)])).toEqual([["updated", ["service"]]]);
    expect(joined[0]!.incident.signals?.find((x) => x.name === "outage")?.peakNegative).toBe(12);
    // The closed minute then brings the outage's new peak.
    const closed = run([signals(1, [sig("problem", "outage", 20, true, 0.95)])], opened.book).changes;
    expect(closed[0]!.incident.signals?.find((x) => x.name === "outage")?.peakNegative).toBe(20);
  });

  test("reduceIncidents() keeps signals' current scores up to date without putting them on the timeline", () => {
    const opened = run([signals(0, [sig("problem", "outage", 12, true)])]);
    const { changes } = run([signals(1, [sig("problem", "outage", 4, false, 0.3)])], opened.book);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ kind: "updated", quiet: true, refresh: true });
    expect(changes[0]!.incident.signals?.[0]).toMatchObject({ name: "outage", score: 0.3, peakScore: 0.8, peakNegative: 12 });
    expect(run([signals(2, [sig("problem", "outage", 4, false, 0.3)])], opened.book).changes[0]?.refresh).toBe(true);
  });

  test("reduceIncidents() resolves an incident a person closes, naming them; an unknown key changes nothing", () => {
    const opened = run([minute(0, 20, true)]);
    const key = opened.changes[0]!.incident.key;
    const done = reduceIncidents(opened.book, { type: "resolve", key, by: "ola", wallNow: T0 + 200_000 }, SETTINGS);
    expect(done.changes).toEqual([
      expect.objectContaining({ kind: "resolved", by: "ola", incident: expect.objectContaining({ state: "resolved", resolvedAt: T0 + 200_000 }) }),
    ]);
    expect(done.book.size).toBe(0);
    expect(reduceIncidents(done.book, { type: "resolve", key, by: "ola", wallNow: T0 }, SETTINGS).changes).toEqual([]);
  });

  test("bookFromStored() restores an incident's signals: after a restart they update in place and the keep-firing clock runs from their last spike", () => {
    const before = run([
      signals(0, [sig("problem", "outage", 12, true)]),
      signals(3, [sig("problem", "outage", 14, true), sig("source", "forum", 8, true)]),
    ]);
    const stored = before.book.get("Lumio")!.incident;
    const { signals: storedSignals, ...withoutSignals } = stored;
    // the incidents table holds no signals: they come back from their own table
    const book = bookFromStored([withoutSignals], new Map([[stored.key, storedSignals!]]));
    expect(book.get("Lumio")!.lastSpikeMinute).toBe(T0 + 3 * MINUTE_MS);
    const after = run([minute(4, 2, false), signals(4, [sig("problem", "outage", 20, true)]), minute(8, 1, false)], book);
    expect(after.changes.map((c) => [c.kind, c.incident.key])).toEqual([
      ["updated", stored.key],
      ["resolved", stored.key],
    ]);
    expect(after.changes[0]!.incident.signals?.map((s) => [s.name, s.peakNegative, s.inhibited])).toEqual([
      ["outage", 20, false],
      ["forum", 8, true],
    ]);
  });
});
