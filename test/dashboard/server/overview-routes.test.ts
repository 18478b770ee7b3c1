import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { API, type ApiError, type OverviewView } from "../../../dashboard/protocol";
import { fillBuckets, overviewWindow, summarizeFacets } from "../../../dashboard/server/overview-routes";
import { login, makeIncident, makeMention, send, startTestDashboard, type TestDashboard } from "./dashboard-fixture";

const MIN = 60_000;
const QUARTER = 15 * MIN;
const HOUR = 60 * MIN;

describe("overviewWindow()", () => {
  const now = Date.UTC(2026, 10, 23, 14, 7, 30);
  test("overviewWindow() cuts the last hour into 60 minutes ending with the minute in progress", () => {
    expect(overviewWindow("hour", now)).toEqual({ from: Date.UTC(2026, 10, 23, 13, 8), to: Date.UTC(2026, 10, 23, 14, 8), bucketMs: MIN });
  });
  test("overviewWindow() cuts the last day into 96 quarter hours and the week into 168 hours", () => {
    expect(overviewWindow("day", now)).toEqual({ from: Date.UTC(2026, 10, 22, 14, 15), to: Date.UTC(2026, 10, 23, 14, 15), bucketMs: QUARTER });
    expect(overviewWindow("week", now)).toEqual({ from: Date.UTC(2026, 10, 16, 15), to: Date.UTC(2026, 10, 23, 15), bucketMs: HOUR });
  });
  test("overviewWindow() starts a new bucket exactly on its boundary", () => {
    expect(overviewWindow("day", Date.UTC(2026, 10, 23, 14, 15)).to).toBe(Date.UTC(2026, 10, 23, 14, 30));
  });
});

describe("fillBuckets()", () => {
  test("fillBuckets() gives every bucket of the window, zeros where the store had none", () => {
    expect(fillBuckets([{ start: 2 * MIN, total: 3, negative: 1 }], 0, 4 * MIN, MIN)).toEqual([
      { start: 0, total: 0, negative: 0 },
      { start: MIN, total: 0, negative: 0 },
      { start: 2 * MIN, total: 3, negative: 1 },
      { start: 3 * MIN, total: 0, negative: 0 },
    ]);
  });
  test("fillBuckets() ignores records outside the window", () => {
    expect(fillBuckets([{ start: -MIN, total: 9, negative: 9 }, { start: 5 * MIN, total: 9, negative: 9 }], 0, 2 * MIN, MIN)).toEqual([
      { start: 0, total: 0, negative: 0 },
      { start: MIN, total: 0, negative: 0 },
    ]);
  });
});

describe("summarizeFacets()", () => {
  test("summarizeFacets() sorts breakdowns largest first and computes net sentiment and negative share", () => {
    const s = summarizeFacets([
      { facet: "source", value: "rss", total: 2, negative: 1 },
      { facet: "source", value: "vk", total: 5, negative: 0 },
      { facet: "sentiment", value: "negative", total: 2, negative: 2 },
      { facet: "sentiment", value: "neutral", total: 3, negative: 0 },
      { facet: "sentiment", value: "positive", total: 3, negative: 0 },
      { facet: "problem", value: "outage", total: 2, negative: 2 },
    ]);
    expect(s.sources.map((x) => x.value)).toEqual(["vk", "rss"]);
    expect(s.sentiment).toEqual({ total: 8, negative: 2, neutral: 3, positive: 3 });
    expect(s.netSentiment).toBeCloseTo(1 / 8, 10);
    expect(s.negativeShare).toBeCloseTo(2 / 8, 10);
    expect(s.languages).toEqual([]);
    expect(s.problems).toEqual([{ value: "outage", total: 2, negative: 2 }]);
  });
  test("summarizeFacets() answers null shares when there are no mentions", () => {
    expect(summarizeFacets([])).toMatchObject({ netSentiment: null, negativeShare: null, sentiment: { total: 0 } });
  });
});

describe("GET /api/overview", () => {
  let d: TestDashboard;
  let cookie: string;
  let now: number;
  const get = (path: string) => send(d.url, path, { headers: { cookie } });

  beforeAll(async () => {
    d = await startTestDashboard();
    // Half a minute into a minute, 7.5 minutes into a quarter hour: the windows' edges are tested too.
    now = Math.floor(d.clock.now / HOUR) * HOUR + 7 * MIN + 30_000;
    d.clock.now = now;
    await d.store.insertMentions([
      makeMention({ id: "rss:o1", publishedAt: now - 5 * MIN, authorHandle: "@loud", authorName: "Loud", authorFollowers: 90_000 }),
      makeMention({ id: "rss:o2", publishedAt: now - 4 * MIN, problems: [], lang: "ru", authorHandle: "@quiet", authorFollowers: 10 }),
      makeMention({
        id: "reddit:o3",
        source: "reddit",
        publishedAt: now - 3 * MIN,
        lang: "en",
        problems: [],
        sentiment: { score: 0.7, label: "positive", confidence: 0.9, terms: ["great"] },
      }),
      // Three hours back: in the day and the week, not in the hour.
      makeMention({ id: "rss:o4", publishedAt: now - 3 * HOUR, problems: [{ type: "delivery", terms: ["kurier"] }] }),
      makeMention({ id: "rss:o5", publishedAt: now - 3 * MIN, brand: "Acme" }),
    ]);
    await d.store.saveIncident(makeIncident({ key: "Lumio:spike:o", startedAt: now - 10 * MIN, acknowledgedAt: now - 8 * MIN, state: "acknowledged" }));
    cookie = await login(d.url);
  }, 30_000);
  afterAll(() => d?.close());

  test("GET /api/overview?range=hour answers minute buckets, breakdowns, authors and incidents of the last hour", async () => {
    const reply = await get(`${API.overview}?brand=Lumio&range=hour`);
    expect(reply.status).toBe(200);
    const body = reply.json() as OverviewView;
    const to = Math.floor(now / MIN) * MIN + MIN;
    expect(body).toMatchObject({ brand: "Lumio", range: "hour", from: to - HOUR, to, bucketMs: MIN });
    expect(body.buckets).toHaveLength(60);
    expect(body.buckets.filter((b) => b.total > 0)).toEqual([
      { start: Math.floor((now - 5 * MIN) / MIN) * MIN, total: 1, negative: 1 },
      { start: Math.floor((now - 4 * MIN) / MIN) * MIN, total: 1, negative: 1 },
      { start: Math.floor((now - 3 * MIN) / MIN) * MIN, total: 1, negative: 0 },
    ]);
    expect(body.sentiment).toEqual({ total: 3, negative: 2, neutral: 0, positive: 1 });
    expect(body.netSentiment).toBeCloseTo(-1 / 3, 10);
    expect(body.negativeShare).toBeCloseTo(2 / 3, 10);
    expect(body.sources).toEqual([
      { value: "demo", total: 2, negative: 2 },
      { value: "reddit", total: 1, negative: 0 },
    ]);
    // Ties: more negatives first, then by name.
    expect(body.languages).toEqual([
      { value: "pl", total: 1, negative: 1 },
      { value: "ru", total: 1, negative: 1 },
      { value: "en", total: 1, negative: 0 },
    ]);
    expect(body.problems).toEqual([{ value: "outage", total: 1, negative: 1 }]);
    expect(body.topAuthors).toEqual([
      { handle: "@loud", name: "Loud", source: "demo", reach: 90_000, negative: 1 },
      { handle: "@quiet", name: "Kasia", source: "demo", reach: 10, negative: 1 },
    ]);
    expect(body.incidents).toEqual([
      {
        key: "Lumio:spike:o",
        state: "acknowledged",
        severity: "critical",
        startedAt: now - 10 * MIN,
        acknowledgedAt: now - 8 * MIN,
        resolvedAt: null,
        summary: "Negative mentions of Lumio jumped to 42 a minute (baseline 3)",
      },
    ]);
  });

  test("GET /api/overview?range=day and week include the mention three hours back, in quarter-hour and hour buckets", async () => {
    const day = (await get(`${API.overview}?brand=Lumio&range=day`)).json() as OverviewView;
    expect(day.buckets).toHaveLength(96);
    expect(day.bucketMs).toBe(QUARTER);
    expect(day.sentiment.total).toBe(4);
    expect(day.problems).toEqual([
      { value: "delivery", total: 1, negative: 1 },
      { value: "outage", total: 1, negative: 1 },
    ]);
    expect(day.buckets.find((b) => b.start === Math.floor((now - 3 * HOUR) / QUARTER) * QUARTER)).toEqual({
      start: Math.floor((now - 3 * HOUR) / QUARTER) * QUARTER,
      total: 1,
      negative: 1,
    });
    const week = (await get(`${API.overview}?brand=Lumio&range=week`)).json() as OverviewView;
    expect(week.buckets).toHaveLength(168);
    expect(week.buckets.reduce((n, b) => n + b.total, 0)).toBe(4);
    expect(week.sentiment).toEqual({ total: 4, negative: 3, neutral: 0, positive: 1 });
  });

  test("GET /api/overview answers zeros for a brand with no mentions", async () => {
    const body = (await get(`${API.overview}?brand=Nobody&range=day`)).json() as OverviewView;
    expect(body.buckets.every((b) => b.total === 0)).toBe(true);
    expect(body).toMatchObject({ netSentiment: null, negativeShare: null, sources: [], topAuthors: [], incidents: [] });
  });

  test("GET /api/overview refuses a bad parameter with a 400 that names it", async () => {
    for (const [query, name] of [
      ["range=day", "brand"],
      ["brand=&range=day", "brand"],
      [`brand=${"x".repeat(201)}`, "brand"],
      ["brand=Lumio&range=month", "range"],
      ["brand=Lumio&range=day&range=week", "range"],
      ["brand=Lumio&brand=Acme", "brand"],
    ] as const) {
      const reply = await get(`${API.overview}?${query}`);
      expect(reply.status, query).toBe(400);
      expect((reply.json() as ApiError).error, query).toMatch(new RegExp(`^${name}\\b`));
    }
  });

  test("GET /api/overview needs a session and refuses other methods", async () => {
    expect((await send(d.url, `${API.overview}?brand=Lumio`)).status).toBe(401);
    const post = await send(d.url, `${API.overview}?brand=Lumio`, {
      method: "POST",
      headers: { cookie, "x-earshot-csrf": "1", origin: d.url },
    });
    expect(post.status).toBe(405);
  });

  test("GET /api/overview keeps markup in author names as data", async () => {
    await d.store.insertMentions([
      makeMention({ id: "rss:x1", brand: "Xss", publishedAt: now - MIN, authorHandle: "@x", authorName: "<img src=x onerror=alert(1)>" }),
    ]);
    const reply = await get(`${API.overview}?brand=Xss&range=hour`);
    expect(reply.headers["content-type"]).toMatch(/^application\/json/);
    expect((reply.json() as OverviewView).topAuthors[0]?.name).toBe("<img src=x onerror=alert(1)>");
  });
});
