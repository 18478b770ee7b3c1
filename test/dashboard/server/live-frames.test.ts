import { TestScheduler } from "rxjs/testing";
import { describe, expect, test } from "vitest";
import { buildFrames } from "../../../dashboard/server/frames";
import { liveFrames } from "../../../dashboard/server/live-frames";
import type { LiveEvent } from "../../../pipeline/mention";
import { makeMention } from "./dashboard-fixture";

const ts = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const ev = (id: string): LiveEvent => ({ type: "mention", mention: makeMention({ id }) });

describe("liveFrames()", () => {
  test("liveFrames() sends the events of one window together when the window ends", () => {
    const a = ev("a"), b = ev("b"), c = ev("c"), d = ev("d");
    ts().run(({ hot, expectObservable }) => {
      const events = hot("a-b-c 300ms d", { a, b, c, d });
      expectObservable(events.pipe(liveFrames({ flushMs: 250, maxMentionsPerFrame: 50 })), "^ 600ms !").toBe(
        "250ms x 249ms y",
        { x: buildFrames([a, b, c], 50), y: buildFrames([d], 50) },
      );
    });
  });

  test("liveFrames() emits nothing for windows without events", () => {
    ts().run(({ hot, expectObservable }) => {
      const events = hot<LiveEvent>("-");
      expectObservable(events.pipe(liveFrames({ flushMs: 250, maxMentionsPerFrame: 50 })), "^ 2000ms !").toBe("");
    });
  });

  test("liveFrames() splits a big window by the frame size", () => {
    const many = Array.from({ length: 5 }, (_, i) => ev(`m${i}`));
    ts().run(({ hot, expectObservable }) => {
      const events = hot("(abcde)", { a: many[0]!, b: many[1]!, c: many[2]!, d: many[3]!, e: many[4]! });
      expectObservable(events.pipe(liveFrames({ flushMs: 100, maxMentionsPerFrame: 2 })), "^ 150ms !").toBe("100ms x", {
        x: buildFrames(many, 2),
      });
    });
  });

  test("liveFrames() sends what is left when the events end", () => {
    const a = ev("a");
    ts().run(({ hot, expectObservable }) => {
      const events = hot("a 10ms |", { a });
      expectObservable(events.pipe(liveFrames({ flushMs: 250, maxMentionsPerFrame: 50 }))).toBe("11ms (x|)", {
        x: buildFrames([a], 50),
      });
    });
  });
});
