import { describe, expect, test } from "vitest";
import type { OverviewView } from "../../../../dashboard/protocol";
import { isOverviewView, overviewPath } from "../../../../dashboard/web/lib/overview-api";

const VIEW: OverviewView = {
  brand: "Lumio",
  range: "hour",
  from: 0,
  to: 60_000,
  bucketMs: 60_000,
  buckets: [{ start: 0, total: 1, negative: 1 }],
  sentiment: { total: 1, negative: 1, neutral: 0, positive: 0 },
  netSentiment: -1,
  negativeShare: 1,
  sources: [{ value: "rss", total: 1, negative: 1 }],
  languages: [],
  problems: [],
  topAuthors: [{ handle: "@a", name: "A", source: "rss", reach: 5, negative: 1 }],
  incidents: [{ key: "k", state: "firing", severity: "warning", startedAt: 0, acknowledgedAt: null, resolvedAt: null, summary: "" }],
};

describe("isOverviewView()", () => {
  test("isOverviewView() accepts an answer of the protocol's shape", () => {
    expect(isOverviewView(VIEW)).toBe(true);
    expect(isOverviewView({ ...VIEW, netSentiment: null, negativeShare: null })).toBe(true);
  });
  test.each([
    ["a list", []],
    ["an unknown range", { ...VIEW, range: "month" }],
    ["a bucket without counts", { ...VIEW, buckets: [{ start: 0 }] }],
    ["a zero bucket size", { ...VIEW, bucketMs: 0 }],
    ["a share with a numeric value", { ...VIEW, sources: [{ value: 1, total: 1, negative: 0 }] }],
    ["an author without reach", { ...VIEW, topAuthors: [{ handle: "@a", name: "A", source: "rss" }] }],
  ])("isOverviewView() refuses %s", (_what, body) => {
    expect(isOverviewView(body)).toBe(false);
  });
});

describe("overviewPath()", () => {
  test("overviewPath() encodes the brand as a query parameter", () => {
    expect(overviewPath("Żabka & Co", "week")).toBe("/api/overview?brand=%C5%BBabka+%26+Co&range=week");
  });
});
