import { describe, expect, test } from "vitest";
import type { MentionView } from "../../../../dashboard/protocol";
import { byPriorityFirst, combineStream, isNewerWorkflow, mergeMentionBatches, mergeMentions } from "../../../../dashboard/web/lib/feed-merge";

function view(id: string, publishedAt: number, text = id): MentionView {
  return {
    id,
    source: "demo",
    url: "",
    authorHandle: "",
    authorName: "",
    authorFollowers: 0,
    title: "",
    text,
    lang: "pl",
    publishedAt,
    brand: "Lumio",
    matchedTerms: [],
    sentiment: { score: 0, label: "neutral", confidence: 1, terms: [] },
    problems: [],
  };
}

describe("mergeMentionBatches()", () => {
  test("mergeMentionBatches() gives the same list as merging each frame in turn", () => {
    const current = [view("c2", 20), view("c1", 10)];
    const frames = [
      [view("a", 21), view("b", 22)],
      [view("c", 23)],
      [view("d", 24), view("e", 25), view("f", 26)],
    ];
    let oneByOne: MentionView[] = [...current];
    for (const f of frames) oneByOne = mergeMentions(oneByOne, f, 5);
    expect(mergeMentionBatches(current, frames, 5).map((m) => m.id)).toEqual(oneByOne.map((m) => m.id));
    expect(oneByOne.map((m) => m.id)).toEqual(["f", "e", "d", "c", "b"]);
  });

  test("mergeMentionBatches() keeps the latest copy of a mention sent twice and never repeats an id", () => {
    const merged = mergeMentionBatches([view("x", 1, "old")], [[view("x", 1, "first")], [view("x", 1, "latest"), view("y", 2)]], 10);
    expect(merged.map((m) => [m.id, m.text])).toEqual([
      ["y", "y"],
      ["x", "latest"],
    ]);
  });

  test("mergeMentionBatches() looks at no more than `max` incoming mentions in a burst", () => {
    const burst = Array.from({ length: 100 }, (_, f) => Array.from({ length: 50 }, (_, i) => view(`m${f * 50 + i}`, f * 50 + i)));
    const merged = mergeMentionBatches([], burst, 500);
    expect(merged).toHaveLength(500);
    expect(merged[0]!.id).toBe("m4999");
    expect(merged.at(-1)!.id).toBe("m4500");
  });
});

describe("combineStream()", () => {
  test("combineStream() joins live mentions and loaded pages in stream order, one per id, capped", () => {
    const live = [view("b", 5, "live copy"), view("a", 3)];
    const pages = [view("b", 5, "page copy"), view("c", 3), view("d", 1)];
    expect(combineStream(live, pages, 3).map((m) => [m.id, m.text])).toEqual([
      ["b", "live copy"],
      ["c", "c"],
      ["a", "a"],
    ]);
  });
});

describe("isNewerWorkflow()", () => {
  test("isNewerWorkflow() lets a later or equal change replace the one held, never an older one", () => {
    expect(isNewerWorkflow(undefined, { updatedAt: 1 })).toBe(true);
    expect(isNewerWorkflow({ updatedAt: 5 }, { updatedAt: 6 })).toBe(true);
    expect(isNewerWorkflow({ updatedAt: 5 }, { updatedAt: 5 })).toBe(true);
    expect(isNewerWorkflow({ updatedAt: 5 }, { updatedAt: 4 })).toBe(false);
  });
});

describe("byPriorityFirst()", () => {
  test("byPriorityFirst() puts high before normal before low and keeps stream order within each; none counts as normal", () => {
    const list = [
      { ...view("a", 5), priority: "low" as const },
      { ...view("b", 4), priority: "high" as const },
      view("c", 3),
      { ...view("d", 2), priority: "high" as const },
      { ...view("e", 1), priority: "normal" as const },
    ];
    expect(byPriorityFirst(list).map((m) => m.id)).toEqual(["b", "d", "c", "e", "a"]);
  });
});
