import { describe, expect, test } from "vitest";
import {
  brandMinutes,
  incidentMarks,
  percentOf,
  volumeData,
  volumeSummary,
  withLiveMinutes,
} from "../../../../dashboard/web/lib/chart-data";

const MIN = 60_000;
const Q = 15 * MIN;

describe("volumeData()", () => {
  test("volumeData() turns buckets into uPlot columns with the negative share in %", () => {
    expect(
      volumeData([
        { start: 0, total: 4, negative: 1 },
        { start: MIN, total: 0, negative: 0 },
        { start: 2 * MIN, total: 2, negative: 2 },
      ]),
    ).toEqual([
      [0, MIN, 2 * MIN],
      [4, 0, 2],
      [1, 0, 2],
      [25, null, 100],
    ]);
  });
  test("volumeData() of no buckets is four empty columns", () => {
    expect(volumeData([])).toEqual([[], [], [], []]);
  });
});

describe("withLiveMinutes()", () => {
  const buckets = [
    { start: 0, total: 10, negative: 2 },
    { start: Q, total: 5, negative: 1 },
  ];
  test("withLiveMinutes() adds what each minute gained since the answer to its bucket", () => {
    const baseline = new Map([[Q + MIN, { total: 3, negative: 1 }]]);
    const current = new Map([
      [Q + MIN, { total: 5, negative: 2 }],
      [Q + 2 * MIN, { total: 1, negative: 1 }],
      [3 * MIN, { total: 0, negative: 0 }],
    ]);
    expect(withLiveMinutes(buckets, Q, baseline, current)).toEqual([
      { start: 0, total: 10, negative: 2 },
      { start: Q, total: 8, negative: 3 },
    ]);
  });
  test("withLiveMinutes() leaves out minutes outside the buckets and never subtracts", () => {
    const baseline = new Map([[MIN, { total: 9, negative: 9 }]]);
    const current = new Map([
      [-MIN, { total: 4, negative: 4 }],
      [2 * Q, { total: 4, negative: 4 }],
      [MIN, { total: 1, negative: 0 }],
    ]);
    expect(withLiveMinutes(buckets, Q, baseline, current)).toEqual(buckets);
  });
  test("withLiveMinutes() does not change the buckets it was given", () => {
    const given = [{ start: 0, total: 1, negative: 0 }];
    withLiveMinutes(given, MIN, new Map(), new Map([[0, { total: 5, negative: 5 }]]));
    expect(given).toEqual([{ start: 0, total: 1, negative: 0 }]);
  });
});

describe("brandMinutes()", () => {
  test("brandMinutes() keeps one brand's minutes by start", () => {
    const m = brandMinutes(
      [
        { brand: "Lumio", minute: 0, total: 2, negative: 1 },
        { brand: "Acme", minute: 0, total: 7, negative: 7 },
        { brand: "Lumio", minute: MIN, total: 1, negative: 0 },
      ],
      "Lumio",
    );
    expect([...m]).toEqual([
      [0, { total: 2, negative: 1 }],
      [MIN, { total: 1, negative: 0 }],
    ]);
  });
});

describe("incidentMarks()", () => {
  test("incidentMarks() gives start, acknowledgement and resolution inside the window in time order", () => {
    const marks = incidentMarks(
      [
        { key: "b", severity: "critical", startedAt: 5 * MIN, acknowledgedAt: 7 * MIN, resolvedAt: null },
        { key: "a", severity: "warning", startedAt: -10 * MIN, acknowledgedAt: -MIN, resolvedAt: 6 * MIN },
      ],
      0,
      10 * MIN,
    );
    expect(marks).toEqual([
      { key: "b", kind: "started", at: 5 * MIN, severity: "critical" },
      { key: "a", kind: "resolved", at: 6 * MIN, severity: "warning" },
      { key: "b", kind: "acknowledged", at: 7 * MIN, severity: "critical" },
    ]);
  });
  test("incidentMarks() leaves out times at or after the window's end", () => {
    expect(incidentMarks([{ key: "x", severity: "warning", startedAt: MIN, acknowledgedAt: null, resolvedAt: null }], 0, MIN)).toEqual([]);
  });
});

describe("volumeSummary()", () => {
  test("volumeSummary() sums the series and names the first busiest bucket", () => {
    expect(
      volumeSummary([
        { start: 0, total: 3, negative: 1 },
        { start: MIN, total: 5, negative: 2 },
        { start: 2 * MIN, total: 5, negative: 5 },
      ]),
    ).toEqual({ total: 13, negative: 8, busiest: { start: MIN, total: 5, negative: 2 } });
  });
  test("volumeSummary() has no busiest bucket when nothing was said", () => {
    expect(volumeSummary([{ start: 0, total: 0, negative: 0 }]).busiest).toBeNull();
  });
});

describe("percentOf()", () => {
  test("percentOf() is a share in % clamped to 0–100, and 0 of nothing", () => {
    expect(percentOf(1, 4)).toBe(25);
    expect(percentOf(5, 4)).toBe(100);
    expect(percentOf(3, 0)).toBe(0);
  });
});
