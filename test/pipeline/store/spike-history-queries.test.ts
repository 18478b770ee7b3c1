import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ScoredMention } from "../../../pipeline/mention";
import { openStore } from "../../../pipeline/store/open-store";
import { storedMention } from "./support/stored-mention";
import type { Store } from "../../../pipeline/store/store";
import { tempDirs } from "../../support/temp-dir";

/**
 * The history a restart replays into the spike detectors, read from a real
 * embedded ClickHouse: every count below is counted by hand from the rows
 * inserted here.
 */
const dirs = tempDirs();
const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 23, 12, 0);

/** A mention for the detectors: negative or positive. */
const mention = (n: number, o: Partial<ScoredMention> & { at: number; negative: boolean }): ScoredMention => {
  const { negative, ...rest } = o;
  return storedMention(n, { ...rest, label: negative ? "negative" : "positive" });
};

let store: Store;
beforeAll(async () => {
  store = await openStore({ kind: "embedded", dataDir: dirs.make("earshot-spike-history-"), database: "earshot" });
  const outage = [{ type: "outage" as const, terms: ["awaria"] }];
  const twice = mention(3, { at: T0 + 10_000, negative: true, problems: outage });
  await store.insertMentions([
    mention(1, { at: T0 + 1_000, negative: false }),
    mention(2, { at: T0 + 2_000, negative: true, source: "reddit", id: "reddit:2" }),
    twice,
    mention(4, { at: T0 + 2 * MIN, negative: true, problems: [...outage, { type: "service", terms: ["obsługa"] }] }),
    mention(5, { at: T0 + 2 * MIN + 5_000, negative: false, brand: "Other" }),
    mention(6, { at: T0 - 10 * MIN, negative: true }), // before the range asked for
  ]);
});
afterAll(() => store.close());

describe("minuteHistory()", () => {
  test("minuteHistory() gives each brand's minutes in order with totals and per-problem and per-source counts", async () => {
    const history = await store.minuteHistory({ from: T0, to: T0 + 60 * MIN });
    const sorted = history.map((m) => ({ ...m, parts: [...m.parts].sort((a, b) => a.series.localeCompare(b.series)) }));
    expect(sorted).toEqual([
      {
        brand: "Lumio",
        minute: T0,
        total: 3,
        negative: 2,
        parts: [
          { series: "problem:outage", total: 1, negative: 1 },
          { series: "source:reddit", total: 1, negative: 1 },
          { series: "source:rss", total: 2, negative: 1 },
        ],
      },
      {
        brand: "Lumio",
        minute: T0 + 2 * MIN,
        total: 1,
        negative: 1,
        parts: [
          { series: "problem:outage", total: 1, negative: 1 },
          { series: "problem:service", total: 1, negative: 1 },
          { series: "source:rss", total: 1, negative: 1 },
        ],
      },
      { brand: "Other", minute: T0 + 2 * MIN, total: 1, negative: 0, parts: [{ series: "source:rss", total: 1, negative: 0 }] },
    ]);
  });

  test("minuteHistory() of one brand leaves the others out", async () => {
    const other = await store.minuteHistory({ from: T0, to: T0 + 60 * MIN, brand: "Other" });
    expect(other.map((m) => [m.brand, m.minute, m.total, m.parts.length])).toEqual([["Other", T0 + 2 * MIN, 1, 1]]);
  });

  test("minuteHistory() reads nothing outside [from, to)", async () => {
    expect(await store.minuteHistory({ from: T0 + 3 * MIN, to: T0 + 60 * MIN })).toEqual([]);
    const before = await store.minuteHistory({ from: T0 - 60 * MIN, to: T0 });
    expect(before.map((m) => [m.brand, m.minute, m.total])).toEqual([["Lumio", T0 - 10 * MIN, 1]]);
  });
});
