import { filter, map } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { describe, expect, test } from "vitest";
import type { ScoredMention } from "../../../pipeline/mention";
import { minuteCounts } from "../../../pipeline/spikes/minute-counts";

const mention = (id: string, publishedAt: number, label: "negative" | "positive"): ScoredMention =>
  ({ id, brand: "acme", publishedAt, sentiment: { score: 0, label, confidence: 1, terms: [] } }) as unknown as ScoredMention;

describe("minuteCounts()", () => {
  test("minuteCounts() closes a minute on the clock tick once wall time passes it, in virtual time", () => {
    const ts = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    ts.run(({ hot, expectObservable }) => {
      const mentions = hot("a 9999ms b 59999ms c 9999ms |", {
        a: mention("a", 0, "negative"),
        b: mention("b", 10_000, "positive"),
        c: mention("c", 70_000, "negative"),
      });
      const closed = mentions.pipe(
        minuteCounts(0, 1_000, ts),
        filter((s) => s.type === "closed"),
        map((s) => (s.type === "closed" ? [s.minute.minute, s.minute.total, s.minute.negative] : null)),
      );
      expectObservable(closed).toBe("60000ms x 19999ms |", { x: [0, 2, 1] });
    });
  });

  test("minuteCounts() emits the running count of the open minute for each mention", () => {
    const ts = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    ts.run(({ hot, expectObservable }) => {
      const mentions = hot("a b |", { a: mention("a", 0, "negative"), b: mention("b", 1, "negative") });
      const running = mentions.pipe(
        minuteCounts(60_000, 1_000, ts),
        filter((s) => s.type === "running"),
        map((s) => (s.type === "running" ? s.count.negative : -1)),
      );
      expectObservable(running).toBe("x y |", { x: 1, y: 2 });
    });
  });
});
