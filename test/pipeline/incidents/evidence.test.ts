import { describe, expect, test } from "vitest";
import { incidentEvidence } from "../../../pipeline/incidents/evidence";
import type { ProblemTag, ScoredMention, SentimentLabel } from "../../../pipeline/mention";

const T = Date.UTC(2026, 10, 23, 14, 0);
let seq = 0;
const mention = (o: { lang?: "pl" | "ru" | "en"; label?: SentimentLabel; at?: number; author?: string; followers?: number; text?: string; problems?: ProblemTag[] }): ScoredMention => {
  seq++;
  return {
    id: `demo:${seq}`,
    source: "demo",
    sourceId: String(seq),
    url: `https://example.com/${seq}`,
    authorHandle: `@${o.author ?? `user${seq}`}`,
    authorName: o.author ?? `User ${seq}`,
    authorFollowers: o.followers ?? 10,
    title: "",
    text: o.text ?? `post ${seq}`,
    publishedAt: o.at ?? T + seq * 1_000,
    collectedAt: T,
    claimedLang: "",
    rating: null,
    brand: "Lumio",
    matchedTerms: ["Lumio"],
    lang: o.lang ?? "pl",
    sentiment: { score: o.label === "positive" ? 0.5 : -0.5, label: o.label ?? "negative", confidence: 0.8, terms: [] },
    problems: o.problems ?? [],
  };
};
const outage: ProblemTag = { type: "outage", terms: ["nie działa"] };
const delivery: ProblemTag = { type: "delivery", terms: ["kurier"] };

describe("incidentEvidence()", () => {
  test("incidentEvidence() names the first negative mention, the loudest authors once each and the dominant problem", () => {
    const first = mention({ at: T, text: "Lumio nie działa od rana", problems: [outage] });
    const star = mention({ at: T + 5_000, author: "tech_star", followers: 250_000, problems: [outage] });
    const starAgain = mention({ at: T + 6_000, author: "tech_star", followers: 250_000, problems: [outage, delivery] });
    const praise = mention({ at: T - 1_000, label: "positive", followers: 1_000_000 });
    const small = mention({ at: T + 7_000, followers: 5, problems: [delivery] });
    const evidence = incidentEvidence([star, praise, small, first, starAgain], []);
    expect(evidence.firstMention?.id).toBe(first.id);
    expect(evidence.loudest.map((m) => m.id)).toEqual([star.id, first.id, small.id]);
    expect(evidence.dominantProblem).toBe("outage");
    expect(evidence.problems).toEqual([{ type: "outage", count: 3 }, { type: "delivery", count: 2 }]);
    expect(evidence.negativeMentions).toBe(4);
  });

  test("incidentEvidence() quotes each language's most-seen negative mentions, the busiest language first", () => {
    const mentions = [
      mention({ lang: "ru", followers: 10 }),
      mention({ lang: "pl", followers: 30 }),
      mention({ lang: "pl", followers: 20 }),
      mention({ lang: "pl", followers: 10 }),
      mention({ lang: "pl", followers: 5 }),
      mention({ lang: "en", followers: 99, label: "neutral" }),
    ];
    const { quotes } = incidentEvidence(mentions, []);
    expect(quotes.map((q) => [q.lang, q.mentions.map((m) => m.authorFollowers)])).toEqual([
      ["pl", [30, 20, 10]],
      ["ru", [10]],
    ]);
  });

  test("incidentEvidence() clips long texts for quoting and keeps markup as text", () => {
    const long = mention({ text: `<b>${"x".repeat(1_000)}</b>` });
    const [quoted] = incidentEvidence([long], []).loudest;
    expect(quoted!.text).toHaveLength(280);
    expect(quoted!.text.startsWith("<b>")).toBe(true);
  });

  test("incidentEvidence() of a surge with no negative mention stored has no first mention and no problem", () => {
    const evidence = incidentEvidence([mention({ label: "positive" })], [{ brand: "Lumio", minute: T, total: 1, negative: 0 }]);
    expect(evidence).toMatchObject({ firstMention: null, loudest: [], quotes: [], dominantProblem: null, negativeMentions: 0 });
    expect(evidence.counts).toHaveLength(1);
  });
});
