import { describe, expect, test } from "vitest";
import { buildFrames } from "../../../dashboard/server/frames";
import { toIncidentView, toMentionView } from "../../../dashboard/server/views";
import type { LiveEvent } from "../../../pipeline/mention";
import { makeIncident, makeMention } from "./dashboard-fixture";

const mentionEvent = (over: Parameters<typeof makeMention>[0] = {}): LiveEvent => ({ type: "mention", mention: makeMention(over) });

describe("buildFrames()", () => {
  test("buildFrames() puts several mentions into one frame, oldest first", () => {
    const events = [mentionEvent({ id: "a" }), mentionEvent({ id: "b" }), mentionEvent({ id: "c" })];
    const frames = buildFrames(events, 50);
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ type: "mentions" });
    expect(frames[0]!.type === "mentions" && frames[0]!.mentions.map((m) => m.id)).toEqual(["a", "b", "c"]);
  });

  test("buildFrames() splits mentions into frames of at most the given size", () => {
    const events = Array.from({ length: 7 }, (_, i) => mentionEvent({ id: `m${i}` }));
    const frames = buildFrames(events, 3);
    expect(frames.map((f) => (f.type === "mentions" ? f.mentions.map((m) => m.id) : f.type))).toEqual([
      ["m0", "m1", "m2"],
      ["m3", "m4", "m5"],
      ["m6"],
    ]);
  });

  test("buildFrames() keeps the latest value of a repeated mention, count and incident", () => {
    const frames = buildFrames(
      [
        mentionEvent({ id: "a", text: "first" }),
        { type: "count", count: { brand: "Lumio", minute: 60_000, total: 1, negative: 0 } },
        { type: "incident", incident: makeIncident({ key: "k", state: "firing" }) },
        mentionEvent({ id: "b" }),
        mentionEvent({ id: "a", text: "edited" }),
        { type: "count", count: { brand: "Lumio", minute: 60_000, total: 5, negative: 4 } },
        { type: "count", count: { brand: "Acme", minute: 60_000, total: 2, negative: 0 } },
        { type: "incident", incident: makeIncident({ key: "k", state: "acknowledged", acknowledgedBy: "ola" }) },
      ],
      50,
    );
    expect(frames.map((f) => f.type)).toEqual(["mentions", "counts", "incident"]);
    const [mentions, counts, incident] = frames;
    expect(mentions!.type === "mentions" && mentions!.mentions.map((m) => [m.id, m.text])).toEqual([
      ["a", "edited"],
      ["b", "Lumio znowu nie działa, masakra"],
    ]);
    expect(counts).toEqual({
      type: "counts",
      counts: [
        { brand: "Lumio", minute: 60_000, total: 5, negative: 4 },
        { brand: "Acme", minute: 60_000, total: 2, negative: 0 },
      ],
    });
    expect(incident).toEqual({
      type: "incident",
      incident: toIncidentView(makeIncident({ key: "k", state: "acknowledged", acknowledgedBy: "ola" })),
    });
  });

  test("buildFrames() sends one incident frame per distinct incident", () => {
    const frames = buildFrames(
      [
        { type: "incident", incident: makeIncident({ key: "k1" }) },
        { type: "incident", incident: makeIncident({ key: "k2" }) },
      ],
      50,
    );
    expect(frames.map((f) => (f.type === "incident" ? f.incident.key : f.type))).toEqual(["k1", "k2"]);
  });

  test("buildFrames() returns no frames for no events", () => {
    expect(buildFrames([], 50)).toEqual([]);
  });

  test("buildFrames() passes mention text through as the same string", () => {
    const text = `<img src=x onerror=alert(1)> "quoted" </script><script>alert(2)</script> & ё`;
    const mention = makeMention({ id: "x", text, title: "<b>title</b>" });
    const [frame] = buildFrames([{ type: "mention", mention }], 50);
    expect(frame!.type === "mentions" && frame!.mentions[0]).toEqual(toMentionView(mention));
    const wire = JSON.parse(JSON.stringify(frame)) as typeof frame;
    expect(wire!.type === "mentions" && wire!.mentions[0]!.text).toBe(text);
  });

  test("buildFrames() refuses a frame size below one", () => {
    expect(() => buildFrames([mentionEvent()], 0)).toThrow(RangeError);
  });
});
