import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Incident, ScoredMention } from "../../../pipeline/mention";
import { openStore } from "../../../pipeline/store/open-store";
import { storedMention as mention } from "./support/stored-mention";
import type { Store } from "../../../pipeline/store/store";
import { tempDirs } from "../../support/temp-dir";

/**
 * The overview's reads on a real embedded ClickHouse with known mentions:
 * every figure below is counted by hand from the rows inserted here.
 */
const dirs = tempDirs();
const dataDir = dirs.make("earshot-overview-");

const MIN = 60_000;
/** A quarter hour, so windows from here use the rollup. */
const T0 = Date.UTC(2026, 10, 23, 12, 0);


function incident(key: string, o: Partial<Incident>): Incident {
  return {
    key,
    kind: "spike",
    source: null,
    brand: "Lumio",
    state: "firing",
    severity: "warning",
    startedAt: T0,
    updatedAt: T0,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    peakNegative: 9,
    baseline: 1,
    firstMentionId: "rss:1",
    summary: `incident ${key}`,
    ...o,
  };
}

const MENTIONS: ScoredMention[] = [
  mention(1, { at: T0 + 1 * MIN, label: "negative", problems: [{ type: "outage", terms: ["awaria"] }] }),
  mention(2, {
    at: T0 + 2 * MIN,
    label: "negative",
    authorHandle: "@b",
    authorName: "Bartek",
    authorFollowers: 5_000,
    problems: [
      { type: "outage", terms: ["nie działa"] },
      { type: "service", terms: ["infolinia"] },
    ],
  }),
  mention(3, { at: T0 + 2 * MIN + 30_000, label: "positive", source: "reddit", id: "reddit:3", lang: "en", authorHandle: "@c", authorFollowers: 900 }),
  mention(4, { at: T0 + 20 * MIN, label: "neutral", source: "reddit", id: "reddit:4", lang: "ru", authorHandle: "@d" }),
  // @a again, with more followers and a new display name: reach is the largest, the name the newest.
  mention(5, { at: T0 + 20 * MIN, label: "negative", authorName: "Ala K.", authorFollowers: 150, problems: [{ type: "delivery", terms: ["kurier"] }] }),
  // Outside every window below, and another brand inside it.
  mention(6, { at: T0 - 1 * MIN, label: "negative", authorHandle: "@z", authorFollowers: 1_000_000 }),
  mention(7, { at: T0 + 3 * MIN, label: "negative", brand: "Acme", authorHandle: "@y", authorFollowers: 2_000_000 }),
];

describe("overviewStore()", () => {
  let store: Store;

  beforeAll(async () => {
    store = await openStore({ kind: "embedded", dataDir, database: "overview_test" });
    await store.insertMentions(MENTIONS);
    // The same post stored twice (collected again later), for the test of what each path counts.
    const twice = mention(8, { at: T0 + 4 * MIN, label: "negative", brand: "Twice" });
    await store.insertMentions([twice]);
    await store.insertMentions([{ ...twice, collectedAt: T0 + 10 * MIN }]);
    await store.saveIncident(incident("in-window", { startedAt: T0 + 5 * MIN, acknowledgedAt: T0 + 7 * MIN, resolvedAt: T0 + 10 * MIN, state: "resolved" }));
    await store.saveIncident(incident("over-before", { startedAt: T0 - 60 * MIN, resolvedAt: T0 - 30 * MIN, state: "resolved" }));
    await store.saveIncident(incident("still-open", { startedAt: T0 - 60 * MIN }));
    await store.saveIncident(incident("starts-late", { startedAt: T0 + 25 * MIN }));
    await store.saveIncident(incident("after", { startedAt: T0 + 30 * MIN }));
    await store.saveIncident(incident("other-brand", { brand: "Acme", startedAt: T0 + 5 * MIN }));
    await store.saveIncident(incident("source-down", { kind: "source-down", source: "rss-1", brand: "", startedAt: T0 + 5 * MIN }));
  }, 30_000);
  afterAll(() => store?.close());

  test("overviewBuckets() counts mentions and negatives per bucket, from quarter sums and from the minute rollup alike", async () => {
    expect(await store.overviewBuckets({ brand: "Lumio", from: T0, to: T0 + 30 * MIN, bucketMs: 15 * MIN })).toEqual([
      { start: T0, total: 3, negative: 2 },
      { start: T0 + 15 * MIN, total: 2, negative: 1 },
    ]);
    expect(await store.overviewBuckets({ brand: "Lumio", from: T0, to: T0 + 30 * MIN, bucketMs: MIN })).toEqual([
      { start: T0 + 1 * MIN, total: 1, negative: 1 },
      { start: T0 + 2 * MIN, total: 2, negative: 1 },
      { start: T0 + 20 * MIN, total: 2, negative: 1 },
    ]);
  });

  test("overviewBuckets() counts a mention stored twice once from the minute rollup and twice from quarter sums", async () => {
    expect(await store.overviewBuckets({ brand: "Twice", from: T0 + MIN, to: T0 + 16 * MIN, bucketMs: 15 * MIN })).toEqual([
      { start: T0, total: 1, negative: 1 },
    ]);
    expect(await store.overviewBuckets({ brand: "Twice", from: T0, to: T0 + 15 * MIN, bucketMs: 15 * MIN })).toEqual([
      { start: T0, total: 2, negative: 2 },
    ]);
    expect(await store.overviewFacets({ brand: "Twice", from: T0 + MIN, to: T0 + 15 * MIN })).toContainEqual({
      facet: "source",
      value: "rss",
      total: 1,
      negative: 1,
    });
    expect(await store.overviewAuthors({ brand: "Twice", from: T0 + MIN, to: T0 + 15 * MIN, limit: 10 })).toEqual([
      { handle: "@a", name: "Ala", source: "rss", reach: 100, negative: 1 },
    ]);
    expect(await store.overviewAuthors({ brand: "Twice", from: T0, to: T0 + 15 * MIN, limit: 10 })).toEqual([
      { handle: "@a", name: "Ala", source: "rss", reach: 100, negative: 2 },
    ]);
  });

  test("overviewBuckets() refuses a bucket that is not whole minutes", async () => {
    await expect(store.overviewBuckets({ brand: "Lumio", from: T0, to: T0 + MIN, bucketMs: 90_000 })).rejects.toThrow(/whole number of minutes/);
  });

  const FACETS = [
    { facet: "lang", value: "pl", total: 3, negative: 3 },
    { facet: "lang", value: "en", total: 1, negative: 0 },
    { facet: "lang", value: "ru", total: 1, negative: 0 },
    { facet: "problem", value: "outage", total: 2, negative: 2 },
    { facet: "problem", value: "delivery", total: 1, negative: 1 },
    { facet: "problem", value: "service", total: 1, negative: 1 },
    { facet: "sentiment", value: "negative", total: 3, negative: 3 },
    { facet: "sentiment", value: "neutral", total: 1, negative: 0 },
    { facet: "sentiment", value: "positive", total: 1, negative: 0 },
    { facet: "source", value: "rss", total: 3, negative: 3 },
    { facet: "source", value: "reddit", total: 2, negative: 0 },
  ];

  test("overviewFacets() breaks a quarter-aligned window down by source, language, sentiment and problem from quarter sums", async () => {
    expect(await store.overviewFacets({ brand: "Lumio", from: T0, to: T0 + 30 * MIN })).toEqual(FACETS);
  });

  test("overviewFacets() gives the same figures from the mentions when the window is not quarter-aligned", async () => {
    expect(await store.overviewFacets({ brand: "Lumio", from: T0 + 1 * MIN, to: T0 + 21 * MIN })).toEqual(FACETS);
  });

  test("overviewFacets() leaves out what falls outside the window, on both paths", async () => {
    const early = [
      { facet: "lang", value: "pl", total: 2, negative: 2 },
      { facet: "lang", value: "en", total: 1, negative: 0 },
      { facet: "problem", value: "outage", total: 2, negative: 2 },
      { facet: "problem", value: "service", total: 1, negative: 1 },
      { facet: "sentiment", value: "negative", total: 2, negative: 2 },
      { facet: "sentiment", value: "positive", total: 1, negative: 0 },
      { facet: "source", value: "rss", total: 2, negative: 2 },
      { facet: "source", value: "reddit", total: 1, negative: 0 },
    ];
    expect(await store.overviewFacets({ brand: "Lumio", from: T0, to: T0 + 15 * MIN })).toEqual(early);
    expect(await store.overviewFacets({ brand: "Lumio", from: T0 + 30_000, to: T0 + 15 * MIN })).toEqual(early);
  });

  test("overviewAuthors() ranks authors of negative mentions by reach with their newest name, from rollups and from mentions alike", async () => {
    const expected = [
      { handle: "@b", name: "Bartek", source: "rss", reach: 5_000, negative: 1 },
      { handle: "@a", name: "Ala K.", source: "rss", reach: 150, negative: 2 },
    ];
    expect(await store.overviewAuthors({ brand: "Lumio", from: T0, to: T0 + 30 * MIN, limit: 10 })).toEqual(expected);
    expect(await store.overviewAuthors({ brand: "Lumio", from: T0 + MIN, to: T0 + 21 * MIN, limit: 10 })).toEqual(expected);
    expect(await store.overviewAuthors({ brand: "Lumio", from: T0, to: T0 + 30 * MIN, limit: 1 })).toEqual(expected.slice(0, 1));
    expect(await store.overviewAuthors({ brand: "Lumio", from: T0 + MIN, to: T0 + 21 * MIN, limit: 1 })).toEqual(expected.slice(0, 1));
  });

  test("overviewAuthors() still finds every author when one loud author fills all the rollup's candidates", async () => {
    const loud = Array.from({ length: 201 }, (_, i) =>
      mention(1_000 + i, { at: T0 - (i + 1) * 15 * MIN, label: "negative", brand: "Loud", authorHandle: "@x", authorFollowers: 9_000 }),
    );
    await store.insertMentions([...loud, mention(2_000, { at: T0 - 15 * MIN, label: "negative", brand: "Loud", authorHandle: "@y", authorFollowers: 10 })]);
    expect(await store.overviewAuthors({ brand: "Loud", from: T0 - 300 * 15 * MIN, to: T0, limit: 10 })).toEqual([
      { handle: "@x", name: "Ala", source: "rss", reach: 9_000, negative: 201 },
      { handle: "@y", name: "Ala", source: "rss", reach: 10, negative: 1 },
    ]);
  });

  test("overviewIncidents() lists the brand's spikes that overlap the window, oldest first", async () => {
    const found = await store.overviewIncidents({ brand: "Lumio", from: T0, to: T0 + 30 * MIN });
    expect(found.map((i) => i.key)).toEqual(["still-open", "in-window", "starts-late"]);
    expect(found[1]).toMatchObject({ startedAt: T0 + 5 * MIN, acknowledgedAt: T0 + 7 * MIN, resolvedAt: T0 + 10 * MIN, state: "resolved" });
  });

  test("overview reads answer nothing for a brand with no mentions", async () => {
    const q = { brand: "Nobody", from: T0, to: T0 + 30 * MIN };
    expect(await store.overviewBuckets({ ...q, bucketMs: MIN })).toEqual([]);
    expect(await store.overviewFacets(q)).toEqual([]);
    expect(await store.overviewAuthors({ ...q, limit: 10 })).toEqual([]);
    expect(await store.overviewIncidents(q)).toEqual([]);
  });
});
