import { describe, expect, test } from "vitest";
import type { MinutePoint } from "../../../dashboard/protocol";
import { LiveMemory, mergeSnapshotState, type SnapshotState } from "../../../dashboard/server/live-memory";
import { toIncidentView, toMentionView } from "../../../dashboard/server/views";
import { makeIncident, makeMention } from "./dashboard-fixture";

const HOUR = 60 * 60 * 1000;
const empty: SnapshotState = { brands: [], mentions: [], incidents: [], timeline: [] };
const view = (id: string, publishedAt: number, brand = "Lumio") => toMentionView(makeMention({ id, publishedAt, brand }));
const point = (brand: string, minute: number, total: number, negative: number): MinutePoint => ({ brand, minute, total, negative });

describe("LiveMemory", () => {
  test("complete() adds mentions sent live but not yet stored", () => {
    const memory = new LiveMemory({ mentions: 3, incidents: 10, timelineMs: 6 * HOUR });
    memory.remember([{ type: "mentions", mentions: [view("live-1", 3_000), view("live-2", 4_000, "Acme")] }], 10_000);
    const state = memory.complete({ ...empty, brands: ["Lumio"], mentions: [view("stored-1", 1_000), view("stored-2", 2_000)] }, 10_000);
    expect(state.mentions.map((m) => m.id)).toEqual(["live-2", "live-1", "stored-2"]);
    expect(state.brands).toEqual(["Acme", "Lumio"]);
  });

  test("remember() keeps only the newest arrivals up to the limit", () => {
    const memory = new LiveMemory({ mentions: 2, incidents: 10, timelineMs: 6 * HOUR });
    memory.remember([{ type: "mentions", mentions: [view("a", 1), view("b", 2), view("c", 3)] }], 10);
    expect(memory.complete(empty, 10).mentions.map((m) => m.id)).toEqual(["c", "b"]);
  });

  test("remember() forgets counts older than the timeline window", () => {
    const now = 10 * HOUR;
    const memory = new LiveMemory({ mentions: 10, incidents: 10, timelineMs: 6 * HOUR });
    memory.remember([{ type: "counts", counts: [point("Lumio", now - 7 * HOUR, 5, 1), point("Lumio", now - HOUR, 2, 2)] }], now);
    expect(memory.complete(empty, now).timeline).toEqual([point("Lumio", now - HOUR, 2, 2)]);
  });

  test("complete() takes the newer incident by updatedAt", () => {
    const memory = new LiveMemory({ mentions: 10, incidents: 10, timelineMs: 6 * HOUR });
    const stored = toIncidentView(makeIncident({ key: "k", state: "firing", updatedAt: 100 }));
    const live = toIncidentView(makeIncident({ key: "k", state: "acknowledged", updatedAt: 200, acknowledgedBy: "ola" }));
    memory.remember([{ type: "incident", incident: live }], 300);
    expect(memory.complete({ ...empty, incidents: [stored] }, 300).incidents).toEqual([live]);

    const older = new LiveMemory({ mentions: 10, incidents: 10, timelineMs: 6 * HOUR });
    older.remember([{ type: "incident", incident: { ...stored, updatedAt: 50 } }], 300);
    expect(older.complete({ ...empty, incidents: [stored] }, 300).incidents).toEqual([stored]);
  });
});

describe("mergeSnapshotState()", () => {
  const limits = { mentions: 200, incidents: 100, timelineFrom: 0 };

  test("mergeSnapshotState() keeps the larger count of a minute seen by both sides", () => {
    const merged = mergeSnapshotState(
      { ...empty, timeline: [point("Lumio", 60_000, 10, 2), point("Lumio", 120_000, 1, 0)] },
      { ...empty, timeline: [point("Lumio", 60_000, 7, 5), point("Acme", 60_000, 3, 0)] },
      limits,
    );
    expect(merged.timeline).toEqual([point("Acme", 60_000, 3, 0), point("Lumio", 60_000, 10, 5), point("Lumio", 120_000, 1, 0)]);
  });

  test("mergeSnapshotState() lists mentions newest first without duplicates", () => {
    const merged = mergeSnapshotState(
      { ...empty, mentions: [view("b", 2), view("a", 1)] },
      { ...empty, mentions: [view("b", 2), view("c", 3)] },
      limits,
    );
    expect(merged.mentions.map((m) => m.id)).toEqual(["c", "b", "a"]);
  });

  test("mergeSnapshotState() orders incidents newest first and applies the limit", () => {
    const merged = mergeSnapshotState(
      { ...empty, incidents: [toIncidentView(makeIncident({ key: "old", startedAt: 1 }))] },
      {
        ...empty,
        incidents: [
          toIncidentView(makeIncident({ key: "new", startedAt: 3 })),
          toIncidentView(makeIncident({ key: "mid", startedAt: 2 })),
        ],
      },
      { ...limits, incidents: 2 },
    );
    expect(merged.incidents.map((i) => i.key)).toEqual(["new", "mid"]);
  });
});
