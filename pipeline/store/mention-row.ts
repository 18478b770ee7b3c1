import type { Lang, ProblemType, ScoredMention, SentimentLabel } from "../mention";

/**
 * A mention as a row of {db}.mentions and back: shared by the Store's own
 * queries (store.ts) and the stream's (mention-workflow-queries.ts).
 */

/** A mention as a row of {db}.mentions; times as epoch ms (DateTime64(3) reads them exactly). */
export function mentionRow(m: ScoredMention, storedAt: number) {
  return {
    id: m.id,
    source: m.source,
    source_id: m.sourceId,
    url: m.url,
    author_handle: m.authorHandle,
    author_name: m.authorName,
    author_followers: m.authorFollowers,
    title: m.title,
    text: m.text,
    published_at: m.publishedAt,
    collected_at: m.collectedAt,
    stored_at: storedAt,
    claimed_lang: m.claimedLang,
    rating: m.rating,
    brand: m.brand,
    matched_terms: m.matchedTerms,
    lang: m.lang,
    sentiment_score: m.sentiment.score,
    sentiment_label: m.sentiment.label,
    sentiment_confidence: m.sentiment.confidence,
    sentiment_terms: m.sentiment.terms,
    problem_types: m.problems.map((p) => p.type),
    problem_terms: m.problems.map((p) => p.terms),
    priority: m.priority ?? "",
    // The later collection of the same post wins.
    version: m.collectedAt,
  };
}

export interface MentionRow {
  id: string;
  source: string;
  source_id: string;
  url: string;
  author_handle: string;
  author_name: string;
  author_followers: number;
  title: string;
  text: string;
  published_at_ms: number;
  collected_at_ms: number;
  claimed_lang: string;
  rating: number | null;
  brand: string;
  matched_terms: string[];
  lang: string;
  sentiment_score: number;
  sentiment_label: string;
  sentiment_confidence: number;
  sentiment_terms: string[];
  problem_types: string[];
  problem_terms: string[][];
  /** '' on rows stored before priority existed. */
  priority: string;
}

export function fromMentionRow(r: MentionRow): ScoredMention {
  const m: ScoredMention = {
    id: r.id,
    source: r.source,
    sourceId: r.source_id,
    url: r.url,
    authorHandle: r.author_handle,
    authorName: r.author_name,
    authorFollowers: Number(r.author_followers),
    title: r.title,
    text: r.text,
    publishedAt: Number(r.published_at_ms),
    collectedAt: Number(r.collected_at_ms),
    claimedLang: r.claimed_lang,
    rating: r.rating === null ? null : Number(r.rating),
    brand: r.brand,
    matchedTerms: r.matched_terms,
    lang: r.lang as Lang,
    sentiment: {
      score: Number(r.sentiment_score),
      label: r.sentiment_label as SentimentLabel,
      confidence: Number(r.sentiment_confidence),
      terms: r.sentiment_terms,
    },
    problems: r.problem_types.map((type, i) => ({ type: type as ProblemType, terms: r.problem_terms[i] ?? [] })),
  };
  if (r.priority === "high" || r.priority === "normal" || r.priority === "low") m.priority = r.priority;
  return m;
}
