import { describe, expect, test } from "vitest";
import { toIncidentView, toMentionView, toMinutePoint } from "../../../dashboard/server/views";
import { makeIncident, makeMention } from "./dashboard-fixture";

describe("views", () => {
  test("toMentionView() keeps exactly the protocol's fields", () => {
    const mention = makeMention({
      id: "rss:42",
      sourceId: "42",
      url: "https://example.pl/a",
      title: "Awaria",
      text: "Lumio nie działa",
      publishedAt: 1_700_000_000_000,
      collectedAt: 1_700_000_005_000,
      claimedLang: "en",
      rating: 1,
      lang: "pl",
    });
    expect(toMentionView(mention)).toEqual({
      id: "rss:42",
      source: "demo",
      url: "https://example.pl/a",
      authorHandle: "@kasia",
      authorName: "Kasia",
      authorFollowers: 120,
      title: "Awaria",
      text: "Lumio nie działa",
      lang: "pl",
      publishedAt: 1_700_000_000_000,
      brand: "Lumio",
      matchedTerms: ["Lumio"],
      sentiment: { score: -0.8, label: "negative", confidence: 0.9, terms: ["nie działa", "masakra"] },
    });
  });

  test("toMentionView() leaves the text as it is, markup included", () => {
    const text = "<img src=x onerror=alert(1)>";
    expect(toMentionView(makeMention({ text })).text).toBe(text);
  });

  test("toMentionView() copies the term lists rather than sharing them", () => {
    const mention = makeMention();
    const view = toMentionView(mention);
    view.matchedTerms.push("changed");
    view.sentiment.terms.push("changed");
    expect(mention.matchedTerms).toEqual(["Lumio"]);
    expect(mention.sentiment.terms).toEqual(["nie działa", "masakra"]);
  });

  test("toIncidentView() carries the lifecycle fields", () => {
    const incident = makeIncident({ state: "acknowledged", acknowledgedAt: 5, acknowledgedBy: "ola", updatedAt: 5 });
    expect(toIncidentView(incident)).toEqual({
      key: "Lumio:spike:1",
      brand: "Lumio",
      state: "acknowledged",
      severity: "critical",
      startedAt: incident.startedAt,
      updatedAt: 5,
      acknowledgedAt: 5,
      acknowledgedBy: "ola",
      resolvedAt: null,
      peakNegative: 42,
      baseline: 3,
      firstMentionId: "demo:1",
      summary: "Negative mentions of Lumio jumped to 42 a minute (baseline 3)",
    });
  });

  test("toMinutePoint() copies brand, minute and both counts", () => {
    expect(toMinutePoint({ brand: "Lumio", minute: 60_000, total: 9, negative: 4 })).toEqual({
      brand: "Lumio",
      minute: 60_000,
      total: 9,
      negative: 4,
    });
  });
});
