import { bindDatabase } from "./migrate";
import type { SqlRunner } from "./sql-runner";

/**
 * What the weekly report reads and keeps. The SQL follows queries.ts: `{db}`
 * is the checked database name, every value a bound `{name:Type}` parameter,
 * times leave and arrive as epoch milliseconds, upserted tables read FINAL,
 * and counts are distinct ids (a mention stored twice is counted once).
 */

/** One brand's mentions in [from, to), by sentiment. */
export interface ReportTotals {
  total: number;
  negative: number;
  positive: number;
  neutral: number;
}

export interface ReportDayCount {
  /** Epoch ms of the local midnight (in the asked time zone) the day starts at. */
  day: number;
  total: number;
  negative: number;
  positive: number;
}

export interface ReportProblemCount {
  type: string;
  count: number;
}

export interface ReportSourceCount {
  source: string;
  count: number;
  negative: number;
}

export interface ReportAuthor {
  source: string;
  handle: string;
  name: string;
  /** The author's largest follower count seen in the week. */
  reach: number;
  count: number;
  negative: number;
}

/** Near-duplicate mentions grouped: the loudest copy's text stands for the group. */
export interface ReportQuote {
  text: string;
  /** Mentions in the group (same text once case, links, @handles, "RT" and punctuation are set aside). */
  copies: number;
  /** The largest author reach in the group. */
  reach: number;
  authorHandle: string;
  source: string;
  url: string;
  lang: string;
  publishedAt: number;
}

export interface ReportIncidentRow {
  key: string;
  severity: string;
  state: string;
  startedAt: number;
  /** First "firing" event (when people were paged); null when the timeline has none. */
  firingAt: number | null;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  resolvedAt: number | null;
  peakNegative: number;
  summary: string;
  /** A surge that faded before it fired: nobody was paged. */
  dismissed: boolean;
}

export interface StoredWeeklyReport {
  /** Stable per brand, week and language (see reportId in pipeline/reports). */
  id: string;
  brand: string;
  week: string;
  lang: string;
  timeZone: string;
  /** Epoch ms of the week's Monday 00:00 in timeZone. */
  weekStart: number;
  producedAt: number;
  producedBy: string;
  /** WeeklyFigures as JSON. */
  figures: string;
  pdf: Buffer;
}

export type WeeklyReportSummary = Omit<StoredWeeklyReport, "figures" | "pdf"> & { pdfBytes: number };

export interface ReportDeliveryRecord {
  reportId: string;
  email: string;
  /** Epoch ms. */
  at: number;
  status: "delivered" | "failed";
  error: string;
}

interface Range {
  brand: string;
  from: number;
  to: number;
}

export interface ReportStore {
  reportTotals(q: Range): Promise<ReportTotals>;
  /** Days with mentions only, ascending; `timeZone` decides where a day starts. */
  reportDailyCounts(q: Range & { timeZone: string }): Promise<ReportDayCount[]>;
  /** Mentions per problem type, most first. */
  reportProblemCounts(q: Range): Promise<ReportProblemCount[]>;
  reportTopSources(q: Range & { limit: number }): Promise<ReportSourceCount[]>;
  reportTopAuthors(q: Range & { limit: number; by: "reach" | "count" }): Promise<ReportAuthor[]>;
  /** Groups of near-duplicate mentions with one label, most copies first, then by reach. */
  reportQuotes(q: Range & { label: "negative" | "positive"; limit: number; maxChars: number }): Promise<ReportQuote[]>;
  /** The brand's spike incidents that started in [from, to), oldest first. */
  reportIncidents(q: Range): Promise<ReportIncidentRow[]>;

  /** Upsert by id. */
  saveWeeklyReport(r: StoredWeeklyReport): Promise<void>;
  /** Newest week first; without figures and PDF. */
  weeklyReports(q: { brand?: string; limit: number }): Promise<WeeklyReportSummary[]>;
  weeklyReport(id: string): Promise<StoredWeeklyReport | null>;
  recordReportDelivery(d: ReportDeliveryRecord): Promise<void>;
  /** Oldest first. */
  reportDeliveries(reportId: string): Promise<ReportDeliveryRecord[]>;
}

const RANGE = `brand = {brand:String}
  AND published_at >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
  AND published_at < fromUnixTimestamp64Milli({to:Int64}, 'UTC')`;

/**
 * The text a near-duplicate is recognised by: a leading "RT @x:", links and
 * @handles removed, letters lower-cased, every run of non-letters one space.
 */
const NEAR_DUPLICATE_KEY = `trim(replaceRegexpAll(lowerUTF8(replaceRegexpAll(text, '(?i)^rt @\\\\S+:?|https?://\\\\S+|@\\\\w+', ' ')), '[^\\\\p{L}\\\\p{N}]+', ' '))`;

/** The week's authors (one row per source and handle) in `order`; the ordering is a fixed text, never input. */
const topAuthors = (order: string): string => `
SELECT source, author_handle AS handle, argMax(author_name, author_followers) AS name,
    toUInt64(max(author_followers)) AS reach,
    toUInt32(uniqExact(id)) AS count,
    toUInt32(uniqExactIf(id, sentiment_label = 'negative')) AS negative
FROM {db}.mentions FINAL
WHERE ${RANGE} AND author_handle != ''
GROUP BY source, author_handle
ORDER BY ${order}
LIMIT {limit:UInt32}`;

const REPORT_COLUMNS = `id, brand, week, lang, time_zone,
    toUnixTimestamp64Milli(week_start) AS week_start_ms,
    toUnixTimestamp64Milli(produced_at) AS produced_at_ms,
    produced_by`;

export const reportQueries = {
  reportTotals: `
SELECT
    toUInt32(uniqExact(id)) AS total,
    toUInt32(uniqExactIf(id, sentiment_label = 'negative')) AS negative,
    toUInt32(uniqExactIf(id, sentiment_label = 'positive')) AS positive,
    toUInt32(uniqExactIf(id, sentiment_label = 'neutral')) AS neutral
FROM {db}.mentions FINAL
WHERE ${RANGE}`,

  reportDailyCounts: `
SELECT
    toInt64(toUnixTimestamp(toStartOfDay(published_at, {tz:String}))) * 1000 AS day,
    toUInt32(uniqExact(id)) AS total,
    toUInt32(uniqExactIf(id, sentiment_label = 'negative')) AS negative,
    toUInt32(uniqExactIf(id, sentiment_label = 'positive')) AS positive
FROM {db}.mentions FINAL
WHERE ${RANGE}
GROUP BY day
ORDER BY day`,

  reportProblemCounts: `
SELECT problem AS type, toUInt32(uniqExact(id)) AS count
FROM {db}.mentions FINAL
ARRAY JOIN problem_types AS problem
WHERE ${RANGE}
GROUP BY problem
ORDER BY count DESC, type`,

  reportTopSources: `
SELECT source, toUInt32(uniqExact(id)) AS count, toUInt32(uniqExactIf(id, sentiment_label = 'negative')) AS negative
FROM {db}.mentions FINAL
WHERE ${RANGE}
GROUP BY source
ORDER BY count DESC, source
LIMIT {limit:UInt32}`,

  reportTopAuthorsByReach: topAuthors("reach DESC, count DESC, handle"),

  reportTopAuthorsByCount: topAuthors("count DESC, reach DESC, handle"),

  reportQuotes: `
SELECT
    substringUTF8(argMax(text, (author_followers, id)), 1, {maxChars:UInt32}) AS quote_text,
    toUInt32(uniqExact(id)) AS copies,
    toUInt64(max(author_followers)) AS reach,
    argMax(author_handle, (author_followers, id)) AS quote_author,
    argMax(source, (author_followers, id)) AS quote_source,
    argMax(url, (author_followers, id)) AS quote_url,
    argMax(lang, (author_followers, id)) AS quote_lang,
    toUnixTimestamp64Milli(min(published_at)) AS published_at_ms
FROM
(
    SELECT id, text, author_followers, author_handle, source, url, lang, published_at, ${NEAR_DUPLICATE_KEY} AS near_key
    FROM {db}.mentions FINAL
    WHERE ${RANGE} AND sentiment_label = {label:String}
)
WHERE near_key != ''
GROUP BY near_key
ORDER BY copies DESC, reach DESC, published_at_ms
LIMIT {limit:UInt32}`,

  reportIncidents: `
SELECT
    i.key AS key, i.severity AS severity, i.state AS state,
    toUnixTimestamp64Milli(i.started_at) AS started_at_ms,
    if(isNull(i.acknowledged_at), 0, toUnixTimestamp64Milli(assumeNotNull(i.acknowledged_at))) AS acknowledged_at_ms,
    i.acknowledged_by AS acknowledged_by,
    if(isNull(i.resolved_at), 0, toUnixTimestamp64Milli(assumeNotNull(i.resolved_at))) AS resolved_at_ms,
    i.peak_negative AS peak_negative, i.summary AS summary,
    e.firing_ms AS firing_ms, e.acknowledged_ms AS acknowledged_event_ms, e.resolved_ms AS resolved_event_ms,
    e.dismissed AS dismissed
FROM
(
    SELECT * FROM {db}.incidents FINAL
    WHERE brand = {brand:String} AND kind = 'spike'
      AND started_at >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
      AND started_at < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
) AS i
LEFT JOIN
(
    SELECT
        incident_key,
        toInt64(if(countIf(type = 'firing') = 0, 0, toUnixTimestamp64Milli(minIf(at, type = 'firing')))) AS firing_ms,
        toInt64(if(countIf(type = 'acknowledged') = 0, 0, toUnixTimestamp64Milli(minIf(at, type = 'acknowledged')))) AS acknowledged_ms,
        toInt64(if(countIf(type = 'resolved') = 0, 0, toUnixTimestamp64Milli(minIf(at, type = 'resolved')))) AS resolved_ms,
        toUInt8(countIf(type = 'dismissed') > 0) AS dismissed
    FROM {db}.incident_events
    WHERE incident_key IN
    (
        SELECT key FROM {db}.incidents
        WHERE brand = {brand:String}
          AND started_at >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
          AND started_at < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
    )
    GROUP BY incident_key
) AS e ON e.incident_key = i.key
ORDER BY i.started_at, i.key`,

  saveWeeklyReportTable: "{db}.weekly_reports",

  weeklyReports: `
SELECT ${REPORT_COLUMNS}, toUInt64(length(pdf)) AS pdf_chars
FROM {db}.weekly_reports FINAL
WHERE {brand:String} = '' OR brand = {brand:String}
ORDER BY week DESC, brand, lang
LIMIT {limit:UInt32}`,

  weeklyReport: `
SELECT ${REPORT_COLUMNS}, figures, pdf
FROM {db}.weekly_reports FINAL
WHERE id = {id:String}
LIMIT 1`,

  recordReportDeliveryTable: "{db}.report_deliveries",

  reportDeliveries: `
SELECT report_id, email, toUnixTimestamp64Milli(at) AS at_ms, status, error
FROM {db}.report_deliveries
WHERE report_id = {id:String}
ORDER BY at, email`,
} as const;

interface ReportRow {
  id: string;
  brand: string;
  week: string;
  lang: string;
  time_zone: string;
  week_start_ms: number;
  produced_at_ms: number;
  produced_by: string;
}

const orNull = (ms: number): number | null => (Number(ms) === 0 ? null : Number(ms));

export function reportStore(runner: SqlRunner, database: string): ReportStore {
  const sql = Object.fromEntries(
    Object.entries(reportQueries).map(([name, text]) => [name, bindDatabase(text, database)]),
  ) as { [K in keyof typeof reportQueries]: string };
  const range = ({ brand, from, to }: Range) => ({ brand, from: Math.floor(from), to: Math.floor(to) });
  let lastVersion = 0;
  // Increasing even for two saves in one millisecond, so the later save wins.
  const nextVersion = (now: number) => (lastVersion = Math.max(now * 1000, lastVersion + 1));
  const summary = (r: ReportRow) => ({
    id: r.id,
    brand: r.brand,
    week: r.week,
    lang: r.lang,
    timeZone: r.time_zone,
    weekStart: Number(r.week_start_ms),
    producedAt: Number(r.produced_at_ms),
    producedBy: r.produced_by,
  });

  return {
    async reportTotals(q) {
      const [row] = await runner.query<ReportTotals>(sql.reportTotals, range(q));
      return {
        total: Number(row?.total ?? 0),
        negative: Number(row?.negative ?? 0),
        positive: Number(row?.positive ?? 0),
        neutral: Number(row?.neutral ?? 0),
      };
    },

    async reportDailyCounts(q) {
      const rows = await runner.query<ReportDayCount>(sql.reportDailyCounts, { ...range(q), tz: q.timeZone });
      return rows.map((r) => ({ day: Number(r.day), total: Number(r.total), negative: Number(r.negative), positive: Number(r.positive) }));
    },

    async reportProblemCounts(q) {
      const rows = await runner.query<ReportProblemCount>(sql.reportProblemCounts, range(q));
      return rows.map((r) => ({ type: r.type, count: Number(r.count) }));
    },

    async reportTopSources(q) {
      const rows = await runner.query<ReportSourceCount>(sql.reportTopSources, { ...range(q), limit: q.limit });
      return rows.map((r) => ({ source: r.source, count: Number(r.count), negative: Number(r.negative) }));
    },

    async reportTopAuthors(q) {
      const rows = await runner.query<ReportAuthor>(q.by === "reach" ? sql.reportTopAuthorsByReach : sql.reportTopAuthorsByCount, {
        ...range(q),
        limit: q.limit,
      });
      return rows.map((r) => ({
        source: r.source,
        handle: r.handle,
        name: r.name,
        reach: Number(r.reach),
        count: Number(r.count),
        negative: Number(r.negative),
      }));
    },

    async reportQuotes(q) {
      const rows = await runner.query<{
        quote_text: string;
        copies: number;
        reach: number;
        quote_author: string;
        quote_source: string;
        quote_url: string;
        quote_lang: string;
        published_at_ms: number;
      }>(sql.reportQuotes, { ...range(q), label: q.label, limit: q.limit, maxChars: q.maxChars });
      return rows.map((r) => ({
        text: r.quote_text,
        copies: Number(r.copies),
        reach: Number(r.reach),
        authorHandle: r.quote_author,
        source: r.quote_source,
        url: r.quote_url,
        lang: r.quote_lang,
        publishedAt: Number(r.published_at_ms),
      }));
    },

    async reportIncidents(q) {
      const rows = await runner.query<{
        key: string;
        severity: string;
        state: string;
        started_at_ms: number;
        acknowledged_at_ms: number;
        acknowledged_by: string | null;
        resolved_at_ms: number;
        peak_negative: number;
        summary: string;
        firing_ms: number;
        acknowledged_event_ms: number;
        resolved_event_ms: number;
        dismissed: number;
      }>(sql.reportIncidents, range(q));
      return rows.map((r) => ({
        key: r.key,
        severity: r.severity,
        state: r.state,
        startedAt: Number(r.started_at_ms),
        firingAt: orNull(r.firing_ms),
        acknowledgedAt: orNull(r.acknowledged_at_ms) ?? orNull(r.acknowledged_event_ms),
        acknowledgedBy: r.acknowledged_by,
        resolvedAt: orNull(r.resolved_at_ms) ?? orNull(r.resolved_event_ms),
        peakNegative: Number(r.peak_negative),
        summary: r.summary,
        dismissed: Number(r.dismissed) === 1,
      }));
    },

    async saveWeeklyReport(r) {
      await runner.insert(sql.saveWeeklyReportTable, [
        {
          id: r.id,
          brand: r.brand,
          week: r.week,
          lang: r.lang,
          time_zone: r.timeZone,
          week_start: r.weekStart,
          produced_at: r.producedAt,
          produced_by: r.producedBy,
          figures: r.figures,
          pdf: r.pdf.toString("base64"),
          version: nextVersion(r.producedAt),
        },
      ]);
    },

    async weeklyReports({ brand, limit }) {
      const rows = await runner.query<ReportRow & { pdf_chars: number }>(sql.weeklyReports, { brand: brand ?? "", limit });
      // base64: 4 characters per 3 bytes (padding aside)
      return rows.map((r) => ({ ...summary(r), pdfBytes: Math.floor((Number(r.pdf_chars) * 3) / 4) }));
    },

    async weeklyReport(id) {
      const [row] = await runner.query<ReportRow & { figures: string; pdf: string }>(sql.weeklyReport, { id });
      if (row === undefined) return null;
      return { ...summary(row), figures: row.figures, pdf: Buffer.from(row.pdf, "base64") };
    },

    async recordReportDelivery(d) {
      await runner.insert(sql.recordReportDeliveryTable, [
        { report_id: d.reportId, email: d.email, at: d.at, status: d.status, error: d.error },
      ]);
    },

    async reportDeliveries(reportId) {
      const rows = await runner.query<{ report_id: string; email: string; at_ms: number; status: string; error: string }>(
        sql.reportDeliveries,
        { id: reportId },
      );
      return rows.map((r) => ({
        reportId: r.report_id,
        email: r.email,
        at: Number(r.at_ms),
        status: r.status === "delivered" ? "delivered" : "failed",
        error: r.error,
      }));
    },
  };
}
