import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { gatherWeeklyFigures } from "../../../pipeline/reports/gather-figures";
import { parseIsoWeek } from "../../../pipeline/reports/iso-week";
import type { WeeklyFigures } from "../../../pipeline/reports/weekly-figures";
import { openStore } from "../../../pipeline/store/open-store";
import type { Store } from "../../../pipeline/store/store";
import { freshDatabase } from "../../contracts/store.contract";
import { tempDirs } from "../../support/temp-dir";
import { ACKED, OPEN, REPEATED, seedWeek, WEEK, ZONE } from "./support/seed-week";

const dirs = tempDirs();
let store: Store;
let figures: WeeklyFigures;

beforeAll(async () => {
  store = await openStore({ kind: "embedded", dataDir: dirs.make("earshot-report-"), database: freshDatabase() });
  await seedWeek(store);
  figures = await gatherWeeklyFigures(store, { brand: "Lumio", week: parseIsoWeek(WEEK)!, timeZone: ZONE });
});
afterAll(() => store.close());

describe("gatherWeeklyFigures()", () => {
  test("gatherWeeklyFigures() counts the brand's week from Monday 00:00 to Monday 00:00 in the report's time zone", () => {
    expect(figures.from).toBe(Date.parse("2026-11-15T23:00:00Z"));
    expect(figures.to).toBe(Date.parse("2026-11-22T23:00:00Z"));
    expect(figures.counts).toEqual({ total: 11, negative: 6, positive: 3, neutral: 2 });
  });

  test("gatherWeeklyFigures() gives volume, net sentiment and negative share with their change since the week before", () => {
    expect(figures.previousWeek).toBe("2026-W46");
    expect(figures.volume).toEqual({ current: 11, previous: 5, change: 1.2, kind: "relative" });
    expect(figures.netSentiment.current).toBeCloseTo(-3 / 11, 10);
    expect(figures.netSentiment.previous).toBeCloseTo(0.2, 10);
    expect(figures.netSentiment.change).toBeCloseTo(-3 / 11 - 0.2, 10);
    expect(figures.negativeShare.current).toBeCloseTo(6 / 11, 10);
    expect(figures.negativeShare.change).toBeCloseTo(6 / 11 - 0.2, 10);
  });

  test("gatherWeeklyFigures() splits the week into seven local days, empty days included", () => {
    expect(figures.daily.map((d) => d.total)).toEqual([3, 4, 0, 2, 1, 0, 1]);
    expect(figures.daily.map((d) => d.negative)).toEqual([2, 3, 0, 0, 1, 0, 0]);
    expect(figures.daily.map((d) => d.positive)).toEqual([1, 0, 0, 2, 0, 0, 0]);
    expect(figures.daily[0]!.day).toBe(figures.from);
  });

  test("gatherWeeklyFigures() lists problem types by count with how they moved, including one that went away", () => {
    expect(figures.problems.map(({ type, count, previous, change }) => ({ type, count, previous, change }))).toEqual([
      { type: "outage", count: 5, previous: 0, change: 5 },
      { type: "delivery", count: 1, previous: 0, change: 1 },
      { type: "price", count: 0, previous: 1, change: -1 },
    ]);
  });

  test("gatherWeeklyFigures() ranks sources by mentions and authors by reach and by count", () => {
    expect(figures.sources).toEqual([
      { source: "reddit", count: 10, negative: 6 },
      { source: "vk", count: 1, negative: 0 },
    ]);
    expect(figures.authorsByReach.slice(0, 3).map((a) => [a.handle, a.reach, a.count])).toEqual([
      ["piotr", 20_000, 1],
      ["ivan", 5_000, 1],
      ["kasia", 1_200, 4],
    ]);
    expect(figures.authorsByCount[0]).toMatchObject({ handle: "kasia", count: 4, negative: 3, reach: 1_200 });
    expect(figures.authorsByCount[1]).toMatchObject({ handle: "tomek", count: 2 });
  });

  test("gatherWeeklyFigures() lists incidents that fired with time to acknowledge from the first notice and time to resolve", () => {
    expect(figures.incidents.map((i) => i.key)).toEqual([ACKED.key, OPEN.key]);
    expect(figures.incidents[0]).toMatchObject({ timeToAcknowledgeMs: 14 * 60_000, timeToResolveMs: 2 * 3_600_000, acknowledgedBy: "anna" });
    expect(figures.incidents[1]).toMatchObject({ timeToAcknowledgeMs: null, timeToResolveMs: null, state: "firing" });
    expect(figures.incidentSummary).toEqual({ count: 2, medianTimeToAcknowledgeMs: 14 * 60_000, medianTimeToResolveMs: 2 * 3_600_000 });
  });

  test("gatherWeeklyFigures() groups near-duplicate negative texts and ranks unrepeated positive ones by reach", () => {
    const negative = figures.quotes.negative;
    expect(negative.basis).toBe("repeats");
    expect(negative.items[0]).toMatchObject({ copies: 3, reach: 20_000, authorHandle: "piotr" });
    expect(negative.items[0]!.text.toLowerCase()).toContain("aplikacja leży od rana");
    expect(REPEATED).toContain("Aplikacja leży od rana");
    expect(negative.items.slice(1).every((q) => q.copies === 1)).toBe(true);
    const positive = figures.quotes.positive;
    expect(positive.basis).toBe("reach");
    expect(positive.items.map((q) => [q.text, q.reach])).toEqual([
      ["Люмио — отличный сервис, спасибо!", 5_000],
      ["Świetna obsługa, polecam Lumio", 300],
      ["Lumio działa szybko", 40],
    ]);
  });
});
