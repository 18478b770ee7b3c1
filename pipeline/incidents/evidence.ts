import type { MinuteCount, ProblemType, ScoredMention } from "../mention";
import { PROBLEM_TYPES } from "../mention";

/**
 * What the team needs to see about a surge to answer it well: where it
 * started, who is loudest, what people say in each language, and what kind of
 * problem it is. Pure: the surge's mentions and counts in, the evidence out.
 */
export interface IncidentEvidence {
  /** The first negative mention of the surge. */
  firstMention: EvidenceMention | null;
  /** Negative mentions by the authors with the widest reach, widest first (one per author). */
  loudest: EvidenceMention[];
  /** Per language, the negative mentions seen by most people. */
  quotes: { lang: string; mentions: EvidenceMention[] }[];
  /** The problem type most negative mentions report, and how many report each. */
  dominantProblem: ProblemType | null;
  problems: { type: ProblemType; count: number }[];
  negativeMentions: number;
  /** The brand's counts per minute over the surge. */
  counts: MinuteCount[];
}

export interface EvidenceMention {
  id: string;
  source: string;
  url: string;
  authorHandle: string;
  authorName: string;
  authorFollowers: number;
  text: string;
  lang: string;
  publishedAt: number;
}

const LOUDEST = 5;
const QUOTES_PER_LANG = 3;
/** Quotes are for reading at a glance; the full text is one click away. */
const QUOTE_CHARS = 280;

export function incidentEvidence(mentions: readonly ScoredMention[], counts: readonly MinuteCount[]): IncidentEvidence {
  const negative = mentions.filter((m) => m.sentiment.label === "negative").sort((a, b) => a.publishedAt - b.publishedAt || (a.id < b.id ? -1 : 1));
  const byReach = [...negative].sort((a, b) => b.authorFollowers - a.authorFollowers || a.publishedAt - b.publishedAt);

  const loudest: EvidenceMention[] = [];
  const authors = new Set<string>();
  for (const m of byReach) {
    const author = `${m.source}:${m.authorHandle || m.authorName}`;
    if (authors.has(author)) continue;
    authors.add(author);
    loudest.push(view(m));
    if (loudest.length === LOUDEST) break;
  }

  const langs = new Map<string, EvidenceMention[]>();
  for (const m of byReach) {
    const list = langs.get(m.lang) ?? [];
    if (list.length < QUOTES_PER_LANG) list.push(view(m));
    langs.set(m.lang, list);
  }
  const quotes = [...langs]
    .map(([lang, list]) => ({ lang, mentions: list }))
    .sort((a, b) => b.mentions.length - a.mentions.length || a.lang.localeCompare(b.lang));

  const problemCounts = new Map<ProblemType, number>();
  for (const m of negative) for (const p of m.problems) problemCounts.set(p.type, (problemCounts.get(p.type) ?? 0) + 1);
  const problems = PROBLEM_TYPES.filter((t) => problemCounts.has(t))
    .map((type) => ({ type, count: problemCounts.get(type)! }))
    .sort((a, b) => b.count - a.count);

  return {
    firstMention: negative[0] ? view(negative[0]) : null,
    loudest,
    quotes,
    dominantProblem: problems[0]?.type ?? null,
    problems,
    negativeMentions: negative.length,
    counts: [...counts],
  };
}

function view(m: ScoredMention): EvidenceMention {
  return {
    id: m.id,
    source: m.source,
    url: m.url,
    authorHandle: m.authorHandle,
    authorName: m.authorName,
    authorFollowers: m.authorFollowers,
    text: m.text.length > QUOTE_CHARS ? `${m.text.slice(0, QUOTE_CHARS - 1)}…` : m.text,
    lang: m.lang,
    publishedAt: m.publishedAt,
  };
}
