import type { ScoredMention } from "../../../../pipeline/mention";

/** A scored mention of "Lumio" from "rss" with the given time and label; any field can be changed. */
export function storedMention(n: number, o: Partial<ScoredMention> & { at: number; label: ScoredMention["sentiment"]["label"] }): ScoredMention {
  const { at, label, ...rest } = o;
  return {
    id: `rss:${n}`,
    source: "rss",
    sourceId: String(n),
    url: `https://example.com/${n}`,
    authorHandle: "@a",
    authorName: "Ala",
    authorFollowers: 100,
    title: "",
    text: `mention ${n}`,
    publishedAt: at,
    collectedAt: at + 1_000,
    claimedLang: "",
    rating: null,
    brand: "Lumio",
    matchedTerms: ["Lumio"],
    lang: "pl",
    sentiment: { score: label === "negative" ? -0.7 : label === "positive" ? 0.6 : 0, label, confidence: 0.9, terms: [] },
    problems: [],
    ...rest,
  };
}
