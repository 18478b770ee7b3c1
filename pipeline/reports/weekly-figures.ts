import type {
  ReportAuthor,
  ReportDayCount,
  ReportIncidentRow,
  ReportProblemCount,
  ReportQuote,
  ReportSourceCount,
  ReportTotals,
} from "../store/report-queries";
import type { WeekRange } from "./iso-week";

/**
 * A figure and how it moved since the previous week. `change` is relative for
 * counts (0.25 = +25 %; null when last week had none) and a difference for
 * shares and net sentiment (0.05 = +5 percentage points; null when either
 * week had no mentions).
 */
export interface Trend {
  current: number | null;
  previous: number | null;
  change: number | null;
  kind: "relative" | "points";
}

export interface ProblemFigure {
  type: string;
  count: number;
  previous: number;
  /** count − previous. */
  change: number;
  /** Of this week's mentions. */
  share: number;
}

export interface IncidentFigure {
  key: string;
  severity: string;
  state: string;
  startedAt: number;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  resolvedAt: number | null;
  /** From the first notice (the "firing" event, else the start) to the acknowledgement. */
  timeToAcknowledgeMs: number | null;
  /** From the start of the surge to its resolution. */
  timeToResolveMs: number | null;
  peakNegative: number;
  summary: string;
}

/**
 * "repeats": the quotes are the texts posted most often (near-duplicates
 * grouped); "reach": no text was posted twice, so they are the ones whose
 * authors reach the most people.
 */
export type QuoteBasis = "repeats" | "reach";

export interface WeeklyFigures {
  brand: string;
  week: string;
  previousWeek: string;
  timeZone: string;
  from: number;
  to: number;
  volume: Trend;
  netSentiment: Trend;
  negativeShare: Trend;
  counts: ReportTotals;
  /** The 7 days Monday → Sunday, local midnights in timeZone. */
  daily: ReportDayCount[];
  problems: ProblemFigure[];
  sources: ReportSourceCount[];
  authorsByReach: ReportAuthor[];
  authorsByCount: ReportAuthor[];
  incidents: IncidentFigure[];
  incidentSummary: { count: number; medianTimeToAcknowledgeMs: number | null; medianTimeToResolveMs: number | null };
  quotes: {
    negative: { basis: QuoteBasis; items: ReportQuote[] };
    positive: { basis: QuoteBasis; items: ReportQuote[] };
  };
}

/** Everything the store answered for one brand, the week and the one before. */
export interface WeeklyQueryResults {
  brand: string;
  range: WeekRange;
  previousRange: WeekRange;
  totals: ReportTotals;
  previousTotals: ReportTotals;
  daily: ReportDayCount[];
  problems: ReportProblemCount[];
  previousProblems: ReportProblemCount[];
  sources: ReportSourceCount[];
  authorsByReach: ReportAuthor[];
  authorsByCount: ReportAuthor[];
  incidents: ReportIncidentRow[];
  negativeQuotes: ReportQuote[];
  positiveQuotes: ReportQuote[];
}

/** The report's figures from the query results. Pure: same input, same figures. */
export function weeklyFigures(q: WeeklyQueryResults): WeeklyFigures {
  const net = (t: ReportTotals) => (t.total === 0 ? null : (t.positive - t.negative) / t.total);
  const negShare = (t: ReportTotals) => (t.total === 0 ? null : t.negative / t.total);
  const previousCounts = new Map(q.previousProblems.map((p) => [p.type, p.count]));
  const problems: ProblemFigure[] = q.problems.map((p) => {
    const previous = previousCounts.get(p.type) ?? 0;
    return { type: p.type, count: p.count, previous, change: p.count - previous, share: q.totals.total === 0 ? 0 : p.count / q.totals.total };
  });
  // A problem that went away this week is news too.
  for (const p of q.previousProblems) {
    if (!q.problems.some((c) => c.type === p.type)) problems.push({ type: p.type, count: 0, previous: p.count, change: -p.count, share: 0 });
  }
  const incidents = q.incidents.filter((i) => !i.dismissed && i.state !== "pending").map(incidentFigure);
  return {
    brand: q.brand,
    week: q.range.week,
    previousWeek: q.previousRange.week,
    timeZone: q.range.timeZone,
    from: q.range.from,
    to: q.range.to,
    volume: {
      current: q.totals.total,
      previous: q.previousTotals.total,
      change: q.previousTotals.total === 0 ? null : (q.totals.total - q.previousTotals.total) / q.previousTotals.total,
      kind: "relative",
    },
    netSentiment: pointsTrend(net(q.totals), net(q.previousTotals)),
    negativeShare: pointsTrend(negShare(q.totals), negShare(q.previousTotals)),
    counts: q.totals,
    daily: sevenDays(q.range.dayStarts, q.daily),
    problems,
    sources: q.sources,
    authorsByReach: q.authorsByReach,
    authorsByCount: q.authorsByCount,
    incidents,
    incidentSummary: {
      count: incidents.length,
      medianTimeToAcknowledgeMs: median(incidents.map((i) => i.timeToAcknowledgeMs)),
      medianTimeToResolveMs: median(incidents.map((i) => i.timeToResolveMs)),
    },
    quotes: { negative: quoteSet(q.negativeQuotes), positive: quoteSet(q.positiveQuotes) },
  };
}

function pointsTrend(current: number | null, previous: number | null): Trend {
  return { current, previous, change: current === null || previous === null ? null : current - previous, kind: "points" };
}

/** One entry per local day; the store leaves out days without mentions. */
function sevenDays(dayStarts: readonly number[], counts: readonly ReportDayCount[]): ReportDayCount[] {
  const byDay = new Map(counts.map((c) => [c.day, c]));
  return dayStarts.slice(0, 7).map((day) => byDay.get(day) ?? { day, total: 0, negative: 0, positive: 0 });
}

function incidentFigure(i: ReportIncidentRow): IncidentFigure {
  const pagedAt = i.firingAt ?? i.startedAt;
  return {
    key: i.key,
    severity: i.severity,
    state: i.state,
    startedAt: i.startedAt,
    acknowledgedAt: i.acknowledgedAt,
    acknowledgedBy: i.acknowledgedBy,
    resolvedAt: i.resolvedAt,
    timeToAcknowledgeMs: i.acknowledgedAt === null ? null : Math.max(0, i.acknowledgedAt - pagedAt),
    timeToResolveMs: i.resolvedAt === null ? null : Math.max(0, i.resolvedAt - i.startedAt),
    peakNegative: i.peakNegative,
    summary: i.summary,
  };
}

function quoteSet(items: ReportQuote[]): { basis: QuoteBasis; items: ReportQuote[] } {
  // The store orders by copies, then reach: when even the first was posted once, reach decided.
  return { basis: (items[0]?.copies ?? 0) > 1 ? "repeats" : "reach", items };
}

export function median(values: readonly (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (known.length === 0) return null;
  const mid = Math.floor(known.length / 2);
  return known.length % 2 === 1 ? known[mid]! : (known[mid - 1]! + known[mid]!) / 2;
}
