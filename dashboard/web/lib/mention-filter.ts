/**
 * The stream's filters as one pure predicate. The web app applies it to the
 * live flow; GET /api/mentions applies the same filters in SQL
 * (pipeline/store/mention-workflow-queries.ts `streamMentions`) to the pages it
 * loads. A test runs one table of cases through both, so the two agree:
 *
 * - brand, lang, source: equal;
 * - sentiment: the label is equal;
 * - problem: one of the mention's problem types;
 * - priority: equal, a mention without one counting as "normal";
 * - q: a case-insensitive substring of title + " " + text (after trimming the
 *   query; ClickHouse's positionCaseInsensitiveUTF8 on the server). Letters whose
 *   lower case changes length (Turkish İ) may differ between the two.
 *
 * Empty or absent values do not filter.
 */
import {
  MENTION_PRIORITIES,
  MENTION_QUERY_MAX_CHARS,
  type MentionPriority,
  type MentionQuery,
  type MentionView,
  type SentimentLabel,
} from "../../protocol";

/** The filters as the stream's controls hold them: "" means "any". */
export interface StreamFilters {
  brand: string;
  lang: string;
  sentiment: SentimentLabel | "";
  source: string;
  problem: string;
  priority: MentionPriority | "";
  q: string;
}

export const NO_FILTERS: StreamFilters = { brand: "", lang: "", sentiment: "", source: "", problem: "", priority: "", q: "" };

/** The controls' values as a MentionQuery: empty ones left out, the search trimmed and capped. */
export function toMentionQuery(f: StreamFilters): MentionQuery {
  const query: MentionQuery = {};
  if (f.brand !== "") query.brand = f.brand;
  if (f.lang !== "") query.lang = f.lang;
  if (f.sentiment !== "") query.sentiment = f.sentiment;
  if (f.source !== "") query.source = f.source;
  if (f.problem !== "") query.problem = f.problem;
  if (f.priority !== "") query.priority = f.priority;
  const q = f.q.trim().slice(0, MENTION_QUERY_MAX_CHARS);
  if (q !== "") query.q = q;
  return query;
}

/** Query parameters for GET API.mentions, in a fixed order. */
export function toSearchParams(query: MentionQuery, extra: { before?: string; limit?: number } = {}): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of ["brand", "lang", "sentiment", "source", "problem", "priority", "q"] as const) {
    const value = query[name];
    if (value !== undefined && value !== "") params.set(name, value);
  }
  if (extra.before !== undefined) params.set("before", extra.before);
  if (extra.limit !== undefined) params.set("limit", String(extra.limit));
  return params;
}

export const priorityOf = (m: Pick<MentionView, "priority">): MentionPriority =>
  m.priority !== undefined && (MENTION_PRIORITIES as readonly string[]).includes(m.priority) ? m.priority : "normal";

/**
 * A predicate for `query`, built once per change of filters and run per
 * mention: the search text is lower-cased once, not per mention.
 */
export function mentionMatcher(query: MentionQuery): (m: MentionView) => boolean {
  const { brand, lang, sentiment, source, problem, priority } = query;
  const q = query.q === undefined ? "" : query.q.trim().toLowerCase();
  return (m) =>
    (brand === undefined || brand === "" || m.brand === brand) &&
    (lang === undefined || lang === "" || m.lang === lang) &&
    (sentiment === undefined || m.sentiment.label === sentiment) &&
    (source === undefined || source === "" || m.source === source) &&
    (problem === undefined || problem === "" || m.problems.some((p) => p.type === problem)) &&
    (priority === undefined || priorityOf(m) === priority) &&
    (q === "" || `${m.title} ${m.text}`.toLowerCase().includes(q));
}

export function matchesMention(m: MentionView, query: MentionQuery): boolean {
  return mentionMatcher(query)(m);
}
