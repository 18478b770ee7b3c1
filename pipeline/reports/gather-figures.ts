import type { ReportStore } from "../store/report-queries";
import { previousWeek, weekRange, type IsoWeek } from "./iso-week";
import { weeklyFigures, type WeeklyFigures } from "./weekly-figures";

/** How many rows each list of the report shows. */
export const REPORT_LIMITS = { sources: 5, authors: 5, quotes: 3, quoteChars: 600 } as const;

/** Asks the store for one brand's week and the week before, and turns the answers into figures. */
export async function gatherWeeklyFigures(
  store: ReportStore,
  q: { brand: string; week: IsoWeek; timeZone: string },
): Promise<WeeklyFigures> {
  const range = weekRange(q.week, q.timeZone);
  const previousRange = weekRange(previousWeek(q.week), q.timeZone);
  const now = { brand: q.brand, from: range.from, to: range.to };
  const before = { brand: q.brand, from: previousRange.from, to: previousRange.to };
  // One after another: chDB runs one statement at a time anyway, and a server is spared a burst.
  const totals = await store.reportTotals(now);
  const previousTotals = await store.reportTotals(before);
  const daily = await store.reportDailyCounts({ ...now, timeZone: q.timeZone });
  const problems = await store.reportProblemCounts(now);
  const previousProblems = await store.reportProblemCounts(before);
  const sources = await store.reportTopSources({ ...now, limit: REPORT_LIMITS.sources });
  const authorsByReach = await store.reportTopAuthors({ ...now, limit: REPORT_LIMITS.authors, by: "reach" });
  const authorsByCount = await store.reportTopAuthors({ ...now, limit: REPORT_LIMITS.authors, by: "count" });
  const incidents = await store.reportIncidents(now);
  const quote = (label: "negative" | "positive") =>
    store.reportQuotes({ ...now, label, limit: REPORT_LIMITS.quotes, maxChars: REPORT_LIMITS.quoteChars });
  const negativeQuotes = await quote("negative");
  const positiveQuotes = await quote("positive");
  return weeklyFigures({
    brand: q.brand,
    range,
    previousRange,
    totals,
    previousTotals,
    daily,
    problems,
    previousProblems,
    sources,
    authorsByReach,
    authorsByCount,
    incidents,
    negativeQuotes,
    positiveQuotes,
  });
}
