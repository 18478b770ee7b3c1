import { describe, expect, test } from "vitest";
import type { MentionView } from "../../../../dashboard/protocol";
import { matchesMention, NO_FILTERS, priorityOf, toMentionQuery, toSearchParams } from "../../../../dashboard/web/lib/mention-filter";

const M: MentionView = {
  id: "demo:1",
  source: "telegram",
  url: "",
  authorHandle: "",
  authorName: "",
  authorFollowers: 0,
  title: "Awaria",
  text: "Lumio NIE DZIAŁA — <img src=x onerror=alert(1)>",
  lang: "pl",
  publishedAt: 1,
  brand: "Lumio",
  matchedTerms: [],
  sentiment: { score: -0.5, label: "negative", confidence: 1, terms: [] },
  problems: [{ type: "outage", terms: [] }],
};

describe("matchesMention()", () => {
  test.each([
    [{}, true],
    [{ brand: "Lumio", lang: "pl", sentiment: "negative", source: "telegram", problem: "outage", priority: "normal" }, true],
    [{ brand: "Acme" }, false],
    [{ lang: "ru" }, false],
    [{ sentiment: "positive" }, false],
    [{ source: "vk" }, false],
    [{ problem: "price" }, false],
    [{ priority: "high" }, false],
    [{ q: "nie działa" }, true],
    [{ q: "awaria lumio" }, true],
    [{ q: "  onerror=alert " }, true],
    [{ q: "   " }, true],
    [{ q: "orlen" }, false],
  ] as const)("matchesMention() with %j is %s", (query, expected) => {
    expect(matchesMention(M, query)).toBe(expected);
  });

  test("priorityOf() reads a missing or unknown priority as normal", () => {
    expect(priorityOf(M)).toBe("normal");
    expect(priorityOf({ priority: "high" })).toBe("high");
  });
});

describe("toMentionQuery() and toSearchParams()", () => {
  test("toMentionQuery() leaves out empty controls and trims and caps the search", () => {
    expect(toMentionQuery(NO_FILTERS)).toEqual({});
    expect(toMentionQuery({ ...NO_FILTERS, lang: "ru", q: `  ${"x".repeat(300)}  ` })).toEqual({ lang: "ru", q: "x".repeat(200) });
  });

  test("toSearchParams() writes the filters, cursor and limit in a fixed order", () => {
    expect(toSearchParams({ q: "zażółć & co", lang: "pl", priority: "high" }, { before: "5:demo:1", limit: 100 }).toString()).toBe(
      "lang=pl&priority=high&q=za%C5%BC%C3%B3%C5%82%C4%87+%26+co&before=5%3Ademo%3A1&limit=100",
    );
  });
});
