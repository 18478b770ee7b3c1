import { describe, expect, test } from "vitest";
import { SeriesJudge, type SeriesJudged } from "../../../pipeline/spikes/judge-series";
import { MinuteBuckets, type ClosedMinute, type SeriesPart } from "../../../pipeline/spikes/minute-buckets";
import { parseSeriesKey, seriesOf } from "../../../pipeline/spikes/series-key";

const SETTINGS = { minNegatives: 5, sensitivity: 4, warmupMinutes: 30 };
const MINUTE = 60_000;
// A Monday: weekday hours from the start.
const T0 = Date.UTC(2026, 10, 23, 9, 0);

const closed = (i: number, total: number, negative: number, parts: SeriesPart[] = []): ClosedMinute => ({
  brand: "Lumio",
  minute: T0 + i * MINUTE,
  total,
  negative,
  firstNegativeId: "",
  ...(parts.length > 0 ? { parts } : {}),
});
const part = (series: string, total: number, negative: number): SeriesPart => ({ series, total, negative });
const named = (judged: SeriesJudged[], kind: string, name: string) => judged.find((j) => j.kind === kind && j.name === name);

/** Two calm hours: 20 mentions a minute, 1–2 negatives, from "forum" and "news"; a delivery complaint now and then. */
function calm(judge: SeriesJudge, minutes = 120): void {
  for (let i = 0; i < minutes; i++) {
    const negative = i % 3 === 0 ? 2 : 1;
    judge.closed(
      closed(i, 20, negative, [
        part("source:forum", 12, negative),
        part("source:news", 8, 0),
        ...(i % 7 === 0 ? [part("problem:delivery", 1, 1)] : []),
      ]),
    );
  }
}

describe("SeriesJudge", () => {
  test("closed() judges every problem type from the brand's first minute and each source from its first mention", () => {
    const judge = new SeriesJudge(SETTINGS);
    const first = judge.closed(closed(0, 3, 1, [part("source:forum", 3, 1)]));
    expect(first.map((j) => `${j.kind}:${j.name}`)).toEqual([
      "problem:outage",
      "problem:delivery",
      "problem:quality",
      "problem:price",
      "problem:service",
      "problem:scandal",
      "problem:security",
      "source:forum",
    ]);
    expect(named(first, "source", "forum")?.negative).toBe(1);
    expect(judge.size()).toBe(8);
  });

  test("closed() raises the outage series on an outage surge the brand's other negatives would hide", () => {
    const judge = new SeriesJudge(SETTINGS);
    calm(judge);
    const spikes: string[] = [];
    for (let i = 120; i < 140; i++) {
      const judged = judge.closed(
        closed(i, 32, 14, [part("source:forum", 20, 10), part("source:news", 12, 4), part("problem:outage", 12, 12)]),
      );
      for (const j of judged) if (j.judgement.alert) spikes.push(`${i}:${j.kind}:${j.name}`);
    }
    expect(spikes.some((s) => s.endsWith("problem:outage"))).toBe(true);
    expect(spikes.some((s) => s.endsWith("problem:delivery"))).toBe(false);
    // the outage series is the first to alert: it had no outage reports at all before
    expect(spikes[0]).toMatch(/problem:outage$/);
  });

  test("closed() keeps a launch quiet: every series up, the negative shares as usual", () => {
    const judge = new SeriesJudge(SETTINGS);
    calm(judge);
    const alerts: string[] = [];
    for (let i = 120; i < 150; i++) {
      const negative = i % 3 === 0 ? 8 : 4;
      const judged = judge.closed(closed(i, 80, negative, [part("source:forum", 48, negative), part("source:news", 32, 0)]));
      for (const j of judged) if (j.judgement.alert) alerts.push(`${j.kind}:${j.name}`);
    }
    expect(alerts).toEqual([]);
  });

  test("closed() drops a source series after idleMinutes without a mention, and starts it again when the source returns", () => {
    const judge = new SeriesJudge(SETTINGS, () => undefined, { idleMinutes: 10, maxSourcesPerBrand: 8 });
    judge.closed(closed(0, 2, 0, [part("source:forum", 1, 0), part("source:news", 1, 0)]));
    expect(judge.size()).toBe(9);
    for (let i = 1; i < 10; i++) judge.closed(closed(i, 1, 0, [part("source:forum", 1, 0)]));
    expect(judge.size()).toBe(9);
    const later = judge.closed(closed(10, 1, 0, [part("source:forum", 1, 0)]));
    expect(named(later, "source", "news")).toBeUndefined();
    expect(judge.size()).toBe(8);
    judge.closed(closed(11, 1, 0, [part("source:news", 1, 0)]));
    expect(judge.size()).toBe(9);
  });

  test("closed() keeps at most maxSourcesPerBrand source series per brand", () => {
    const judge = new SeriesJudge(SETTINGS, () => undefined, { idleMinutes: 60, maxSourcesPerBrand: 2 });
    const judged = judge.closed(closed(0, 3, 0, [part("source:a", 1, 0), part("source:b", 1, 0), part("source:c", 1, 0)]));
    expect(judged.filter((j) => j.kind === "source").map((j) => j.name)).toEqual(["a", "b"]);
    expect(judge.size()).toBe(7 + 2);
  });

  test("closed() uses the brand's own sensitivity for its series", () => {
    const alertedIn = (judge: SeriesJudge) => {
      calm(judge);
      let alerted = false;
      for (let i = 120; i < 125; i++) {
        const judged = judge.closed(closed(i, 32, 14, [part("source:forum", 20, 10), part("problem:outage", 12, 12)]));
        alerted ||= judged.some((j) => j.judgement.alert);
      }
      return alerted;
    };
    // five minutes of surge: enough at the default, not for a brand set to 20 (thresholds five times higher)
    expect(alertedIn(new SeriesJudge(SETTINGS))).toBe(true);
    expect(alertedIn(new SeriesJudge(SETTINGS, (brand) => (brand === "Lumio" ? 20 : undefined)))).toBe(false);
  });
});

describe("SeriesJudge outage reports per source", () => {
  test("closed() and running() say how many of a source's negatives report an outage", () => {
    const judge = new SeriesJudge(SETTINGS);
    calm(judge);
    const parts = [part("problem:outage", 9, 9), part("source:forum", 90, 80), part("source-outage:forum", 7, 7)];
    const early = judge.running(closed(120, 98, 80), parts);
    expect(named(early, "source", "forum")?.outageNegative).toBe(7);
    expect(named(early, "problem", "outage")?.outageNegative).toBeUndefined();
    const atClose = judge.closed(closed(120, 98, 80, [...parts, part("source:news", 8, 0)]));
    expect(named(atClose, "source", "forum")?.outageNegative).toBe(7);
    expect(named(atClose, "source", "news")?.outageNegative).toBe(0);
  });
});

describe("SeriesJudge.running()", () => {
  test("running() raises the outage series inside the minute still open, once it holds minNegatives, and keeps no state", () => {
    const judge = new SeriesJudge(SETTINGS);
    calm(judge);
    const open = closed(120, 29, 10);
    // Four outage reports so far: below minNegatives, not looked at.
    expect(judge.running(open, [part("problem:outage", 4, 4), part("source:forum", 4, 4)])).toEqual([]);
    const early = judge.running(open, [part("problem:outage", 9, 9), part("source:forum", 19, 9)]);
    expect(early.map((j) => `${j.kind}:${j.name}`)).toContain("problem:outage");
    expect(named(early, "problem", "outage")).toMatchObject({ minute: T0 + 120 * MINUTE, negative: 9 });
    expect(early.every((j) => j.judgement.spike)).toBe(true);
    // Judging the running minute changed nothing: the same running counts give the same answer,
    // and the closed minute is judged from the state before it.
    expect(judge.running(open, [part("problem:outage", 9, 9), part("source:forum", 19, 9)])).toEqual(early);
    const atClose = judge.closed(closed(120, 26, 7, [part("problem:outage", 9, 9), part("source:forum", 19, 9)]));
    expect(named(atClose, "problem", "outage")?.judgement).toEqual(named(early, "problem", "outage")?.judgement);
  });

  test("running() says nothing of a brand it has no minute of, of a series not yet kept, or of a minute already closed", () => {
    const judge = new SeriesJudge(SETTINGS);
    expect(judge.running(closed(0, 30, 30), [part("problem:outage", 30, 30)])).toEqual([]);
    calm(judge);
    expect(judge.running(closed(121, 30, 30), [part("source:newcomer", 30, 30)])).toEqual([]);
    expect(judge.running(closed(119, 30, 30), [part("problem:outage", 30, 30)])).toEqual([]);
  });
});

describe("MinuteBuckets series parts", () => {
  test("closeDue() gives each closed minute the counts of the series its mentions named", () => {
    const buckets = new MinuteBuckets(0);
    const mention = (negative: boolean, source: string, problems: string[]) =>
      seriesOf({ source, problems: problems.map((type) => ({ type: type as "outage", terms: [] })) });
    buckets.add("Lumio", T0 + 1_000, true, "a", T0, mention(true, "forum", ["outage"]));
    buckets.add("Lumio", T0 + 2_000, false, "b", T0, mention(false, "forum", []));
    buckets.add("Lumio", T0 + 3_000, true, "c", T0, mention(true, "news", ["outage", "service"]));
    buckets.add("Lumio", T0 + MINUTE + 1_000, false, "d", T0);
    const [first, second] = buckets.closeDue(T0 + 2 * MINUTE);
    expect(first!.parts).toEqual([
      { series: "problem:outage", total: 2, negative: 2 },
      { series: "source:forum", total: 2, negative: 1 },
      // each source's outage reports, beside its series (for inhibition)
      { series: "source-outage:forum", total: 1, negative: 1 },
      { series: "problem:service", total: 1, negative: 1 },
      { series: "source:news", total: 1, negative: 1 },
      { series: "source-outage:news", total: 1, negative: 1 },
    ]);
    expect(second!.parts).toBeUndefined();
  });

  test("partsOf() gives the running counts of the named series of a minute still open", () => {
    const buckets = new MinuteBuckets(60_000);
    buckets.add("Lumio", T0 + 1_000, true, "a", T0, ["problem:outage", "source:forum"]);
    buckets.add("Lumio", T0 + 2_000, false, "b", T0, ["source:forum"]);
    expect(buckets.partsOf("Lumio", T0, ["problem:outage", "source:forum", "source:news"])).toEqual([
      { series: "problem:outage", total: 1, negative: 1 },
      { series: "source:forum", total: 2, negative: 1 },
    ]);
    // `also`: one more series read beside them, once even when it is among them already.
    expect(buckets.partsOf("Lumio", T0, ["source:forum"], "problem:outage")).toEqual([
      { series: "source:forum", total: 2, negative: 1 },
      { series: "problem:outage", total: 1, negative: 1 },
    ]);
    expect(buckets.partsOf("Lumio", T0, ["problem:outage"], "problem:outage")).toEqual([{ series: "problem:outage", total: 1, negative: 1 }]);
    expect(buckets.partsOf("Lumio", T0 + MINUTE, ["source:forum"])).toEqual([]);
    expect(buckets.partsOf("Aster", T0, ["source:forum"])).toEqual([]);
  });

  test("parseSeriesKey() reads the keys seriesOf() writes and refuses others", () => {
    expect(seriesOf({ source: "rss", problems: [{ type: "delivery", terms: [] }] }).map(parseSeriesKey)).toEqual([
      { kind: "problem", name: "delivery" },
      { kind: "source", name: "rss" },
    ]);
    expect(parseSeriesKey("brand:Lumio")).toBeNull();
    expect(parseSeriesKey("source-outage:rss")).toBeNull(); // counted beside a source, not judged
    expect(parseSeriesKey("outage")).toBeNull();
  });
});
