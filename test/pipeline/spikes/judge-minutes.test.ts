import { filter, map, merge, timer } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { describe, expect, test } from "vitest";
import type { ScoredMention } from "../../../pipeline/mention";
import { judgeMinutes, MinuteJudge } from "../../../pipeline/spikes/judge-minutes";
import type { ClosedMinute } from "../../../pipeline/spikes/minute-buckets";
import { minuteCounts, type MinuteSignal } from "../../../pipeline/spikes/minute-counts";

const SETTINGS = { minNegatives: 5, sensitivity: 4, warmupMinutes: 30 };
const minute = (i: number, total: number, negative: number, brand = "Lumio"): ClosedMinute => ({
  brand,
  minute: i * 60_000,
  total,
  negative,
  firstNegativeId: negative > 0 ? `m${i}` : "",
});

function calmJudge(judge = new MinuteJudge(SETTINGS)): MinuteJudge {
  for (let i = 0; i < 40; i++) judge.closed(minute(i, 10, 1));
  return judge;
}

describe("MinuteJudge", () => {
  test("running() raises a spike from a minute that is still open, before it closes", () => {
    const judge = calmJudge();
    expect(judge.running(minute(40, 6, 3))).toBeNull();
    const judged = judge.running(minute(40, 44, 40));
    expect(judged?.judgement.spike).toBe(true);
    expect(judged?.judgement.alert).toBe(true);
    expect(judged?.judgement.baseline).toBeGreaterThan(0.5);
    expect(judged?.judgement.baseline).toBeLessThan(5);
  });

  test("running() leaves the brand's state as it was; closed() moves it on", () => {
    const judge = calmJudge();
    for (let n = 0; n < 50; n++) judge.running(minute(40, 44, 40));
    // had a running minute been kept, the alert would have been spent already
    expect(judge.closed(minute(40, 44, 40)).judgement.alert).toBe(true);
    expect(judge.closed(minute(41, 44, 40)).judgement).toMatchObject({ alert: false, spike: true });
  });

  test("running() counts earlier minutes that are still open, so a surge over two minutes fires before either closes", () => {
    const judge = calmJudge();
    expect(judge.running(minute(40, 25, 22))).toBeNull(); // one such minute alone is not sure yet
    expect(judge.running(minute(41, 25, 22))?.judgement.alert).toBe(true); // minute 40 is still open: it counts
    expect(calmJudge().running(minute(41, 25, 22))).toBeNull(); // without it, minute 41 alone is not enough
  });

  test("closed() keeps a separate baseline per brand", () => {
    const judge = calmJudge();
    for (let i = 0; i < 40; i++) judge.closed(minute(i, 60, 30, "Busy"));
    expect(judge.closed(minute(40, 50, 45, "Busy")).judgement.spike).toBe(false);
    expect(judge.closed(minute(40, 50, 45)).judgement.spike).toBe(true);
  });

  test("closed() uses a brand's own sensitivity where one is given", () => {
    const judge = calmJudge(new MinuteJudge(SETTINGS, (brand) => (brand === "Lumio" ? 40 : undefined)));
    for (let i = 0; i < 40; i++) judge.closed(minute(i, 10, 1, "Other"));
    expect(judge.closed(minute(40, 50, 45)).judgement.spike).toBe(false);
    expect(judge.closed(minute(40, 50, 45, "Other")).judgement.spike).toBe(true);
  });

  test("judgeMinutes() after minuteCounts() alerts once, when the first surge minute closes, in virtual time", () => {
    const mention = (id: string, publishedAt: number, label: "negative" | "positive") =>
      ({ id, brand: "Lumio", publishedAt, sentiment: { score: 0, label, confidence: 1, terms: [] } }) as unknown as ScoredMention;
    const mentions: ScoredMention[] = [];
    for (let m = 0; m < 60; m++) {
      mentions.push(mention(`p${m}`, m * 60_000 + 1_000, "positive"));
      if (m % 10 === 0) mentions.push(mention(`n${m}`, m * 60_000 + 2_000, "negative"));
    }
    for (let i = 0; i < 30; i++) mentions.push(mention(`s${i}`, 60 * 60_000 + 1_000 + i * 1_000, "negative"));
    for (let m = 61; m < 70; m++) mentions.push(mention(`q${m}`, m * 60_000 + 1_000, "positive"));

    const ts = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const alerts: [number, number][] = [];
    ts.run(() => {
      // each mention arrives at the virtual time it was published
      merge(...mentions.map((m) => timer(m.publishedAt).pipe(map(() => m))))
        .pipe(
          // a 10 s tick: the virtual scheduler chains each tick to the last, so fewer ticks keep the chain short
          minuteCounts(0, 10_000, ts),
          filter((s): s is Extract<MinuteSignal, { type: "closed" }> => s.type === "closed"),
          map((s) => s.minute),
          judgeMinutes(SETTINGS),
          filter((j) => j.judgement.alert),
        )
        .subscribe((j) => alerts.push([ts.now(), j.closed.minute / 60_000]));
    });
    expect(alerts).toHaveLength(1);
    const [at, surgeMinute] = alerts[0]!;
    expect(surgeMinute).toBe(60);
    expect(at).toBeGreaterThanOrEqual(61 * 60_000); // the minute closes when the clock passes its end
    expect(at).toBeLessThanOrEqual(61 * 60_000 + 10_000); // … at the next tick
  });
});
