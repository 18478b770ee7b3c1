import type { Incident } from "../mention";
import { bindDatabase } from "./migrate";
import type { SqlRunner } from "./sql-runner";
import { fromIncidentRow, INCIDENT_COLUMNS, type IncidentRow } from "./incident-row";

/**
 * What the dashboard's overview of one brand reads: counts per bucket, the
 * breakdowns by facet, the loudest negative authors, and the incidents of a
 * window. Built to answer fast with millions of mentions:
 * - a window cut at quarter hours (the day and week views) reads the
 *   quarter-hour sums of 0016 mention_facets, for its buckets and its
 *   breakdowns alike;
 * - any other window (the hour view: one hour of one brand) reads the exact
 *   minute rollup (0002 mention_minutes) and the mentions themselves, which
 *   count a mention stored twice once;
 * - the loudest negative authors of a quarter-cut window come from two more
 *   rollups of 0016: the largest-reach candidates per quarter hour, then the
 *   chosen authors' figures by key; any other window reads its negative
 *   mentions, which the table's order (brand, published_at, id) keeps to a
 *   narrow range.
 * Every value a caller gives travels as a bound parameter; `{db}` is the
 * configured database, checked by bindDatabase.
 */

/** A breakdown: how mentions of the window split by source, language, sentiment label or problem type. */
export type OverviewFacet = "source" | "lang" | "sentiment" | "problem";

export interface OverviewBucketRecord {
  /** Epoch ms of the bucket's start (a multiple of the bucket size since the epoch). */
  start: number;
  total: number;
  negative: number;
}

export interface OverviewFacetRecord {
  facet: OverviewFacet;
  value: string;
  total: number;
  negative: number;
}

export interface OverviewAuthorRecord {
  handle: string;
  name: string;
  source: string;
  /** The largest follower count seen for the author in the window. */
  reach: number;
  negative: number;
}

export interface OverviewStore {
  /**
   * Mentions per bucket of `bucketMs` in [from, to) (epoch ms), ascending; empty buckets omitted. Exact (distinct
   * ids) unless the window and the bucket are whole quarter hours: then from the quarter-hour sums.
   */
  overviewBuckets(q: { brand: string; from: number; to: number; bucketMs: number }): Promise<OverviewBucketRecord[]>;
  /** Mentions per facet value in [from, to), by facet then the largest first; quarter-hour sums when the window is cut at quarters. */
  overviewFacets(q: { brand: string; from: number; to: number }): Promise<OverviewFacetRecord[]>;
  /**
   * Authors of negative mentions in [from, to), the largest reach first, then the most negative mentions.
   * Exact (distinct ids) unless the window is cut at quarter hours: then from the author rollups' sums.
   */
  overviewAuthors(q: { brand: string; from: number; to: number; limit: number }): Promise<OverviewAuthorRecord[]>;
  /** The brand's spike incidents that overlap [from, to) (started before `to`, not resolved before `from`), oldest first. */
  overviewIncidents(q: { brand: string; from: number; to: number }): Promise<Incident[]>;
}

/** The rollup's grain (0016_mention_facets.sql). */
export const FACET_QUARTER_MS = 15 * 60_000;

const BUCKETS_FROM_MINUTES = `
SELECT
    toInt64(intDiv(toUnixTimestamp(minute), {bucketSeconds:UInt32}) * {bucketSeconds:UInt32}) * 1000 AS start_ms,
    toUInt64(sum(minute_total)) AS total_n,
    toUInt64(sum(minute_negative)) AS negative_n
FROM
(
    SELECT minute, uniqExactMerge(total) AS minute_total, uniqExactIfMerge(negative) AS minute_negative
    FROM {db}.mention_minutes
    WHERE brand = {brand:String}
      AND minute >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
      AND minute < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
    GROUP BY minute
)
GROUP BY start_ms
HAVING total_n > 0
ORDER BY start_ms`;

/** Every mention has one sentiment label, so the label rows of a quarter sum to its total. */
const BUCKETS_FROM_QUARTERS = `
SELECT
    toInt64(intDiv(toUnixTimestamp(quarter), {bucketSeconds:UInt32}) * {bucketSeconds:UInt32}) * 1000 AS start_ms,
    toUInt64(sum(total)) AS total_n,
    toUInt64(sum(negative)) AS negative_n
FROM {db}.mention_facets
WHERE brand = {brand:String}
  AND facet = 'sentiment'
  AND quarter >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
  AND quarter < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
GROUP BY start_ms
HAVING total_n > 0
ORDER BY start_ms`;

/** Sums, so rows not merged yet add up the same as merged ones. */
const FACETS_FROM_QUARTERS = `
SELECT facet, value, toUInt64(sum(total)) AS total_n, toUInt64(sum(negative)) AS negative_n
FROM {db}.mention_facets
WHERE brand = {brand:String}
  AND quarter >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
  AND quarter < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
GROUP BY facet, value
HAVING total_n > 0
ORDER BY facet, total_n DESC, value`;

/** The same figures from the mentions: the facet pairs are those of the rollup's view. */
const FACETS_FROM_MENTIONS = `
SELECT
    facet_value.1 AS facet,
    facet_value.2 AS value,
    toUInt64(uniqExact(id)) AS total_n,
    toUInt64(uniqExactIf(id, sentiment_label = 'negative')) AS negative_n
FROM {db}.mentions
ARRAY JOIN arrayConcat(
    [('source', toString(source)), ('lang', toString(lang)), ('sentiment', toString(sentiment_label))],
    arrayMap(p -> ('problem', toString(p)), problem_types)
) AS facet_value
WHERE brand = {brand:String}
  AND published_at >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
  AND published_at < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
GROUP BY facet, value
ORDER BY facet, total_n DESC, value`;

/** Handles are per platform, so an author is a (source, handle) pair; the newest display name wins. */
const AUTHORS_FROM_MENTIONS = `
SELECT
    author_handle AS handle,
    argMax(author_name, published_at) AS name,
    toString(source) AS source_kind,
    max(author_followers) AS reach,
    toUInt64(uniqExact(id)) AS negative_n
FROM {db}.mentions
WHERE brand = {brand:String}
  AND published_at >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
  AND published_at < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
  AND sentiment_label = 'negative'
  AND author_handle != ''
GROUP BY source, author_handle
ORDER BY reach DESC, negative_n DESC, handle, source_kind
LIMIT {limit:UInt32}`;

/** The largest-reach candidates of the window: (−followers, author_key), ascending, at most AUTHOR_CANDIDATES. */
const AUTHOR_CANDIDATES_FROM_QUARTERS = `
SELECT groupArraySortedMerge(200)(top) AS candidates
FROM {db}.mention_author_reach
WHERE brand = {brand:String}
  AND quarter >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
  AND quarter < fromUnixTimestamp64Milli({to:Int64}, 'UTC')`;

/** The chosen authors' figures over the window, read by key (author_key leads the table's order after the brand). */
const AUTHORS_FROM_QUARTERS = `
SELECT
    author_handle AS handle,
    argMax(name, quarter) AS name,
    toString(source) AS source_kind,
    max(reach) AS reach,
    toUInt64(sum(negative)) AS negative_n
FROM {db}.mention_author_quarters
WHERE brand = {brand:String}
  AND author_key IN {keys:Array(UInt32)}
  AND quarter >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
  AND quarter < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
GROUP BY source, author_handle`;

/** The candidates kept per quarter hour by 0016 mention_author_reach (groupArraySorted(200)). */
export const AUTHOR_CANDIDATES = 200;

const INCIDENTS = `
SELECT ${INCIDENT_COLUMNS}
FROM {db}.incidents FINAL
WHERE brand = {brand:String}
  AND kind = 'spike'
  AND started_at < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
  AND (isNull(resolved_at) OR resolved_at >= fromUnixTimestamp64Milli({from:Int64}, 'UTC'))
ORDER BY started_at, key
LIMIT 200`;

const FACETS: ReadonlySet<string> = new Set<OverviewFacet>(["source", "lang", "sentiment", "problem"]);

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function overviewStore(runner: SqlRunner, database: string): OverviewStore {
  const sql = {
    bucketsFromMinutes: bindDatabase(BUCKETS_FROM_MINUTES, database),
    bucketsFromQuarters: bindDatabase(BUCKETS_FROM_QUARTERS, database),
    facetsFromQuarters: bindDatabase(FACETS_FROM_QUARTERS, database),
    facetsFromMentions: bindDatabase(FACETS_FROM_MENTIONS, database),
    authorsFromMentions: bindDatabase(AUTHORS_FROM_MENTIONS, database),
    authorCandidates: bindDatabase(AUTHOR_CANDIDATES_FROM_QUARTERS, database),
    authorsFromQuarters: bindDatabase(AUTHORS_FROM_QUARTERS, database),
    incidents: bindDatabase(INCIDENTS, database),
  };
  const window = (from: number, to: number) => ({ from: Math.floor(from), to: Math.floor(to) });
  const onQuarters = (from: number, to: number): boolean => from % FACET_QUARTER_MS === 0 && to % FACET_QUARTER_MS === 0;

  return {
    async overviewBuckets({ brand, from, to, bucketMs }) {
      if (!(bucketMs >= 60_000 && bucketMs % 60_000 === 0)) {
        throw new RangeError(`bucketMs must be a whole number of minutes, not ${bucketMs}`);
      }
      const quarters = onQuarters(from, to) && bucketMs % FACET_QUARTER_MS === 0;
      const rows = await runner.query<{ start_ms: number; total_n: number; negative_n: number }>(
        quarters ? sql.bucketsFromQuarters : sql.bucketsFromMinutes,
        { brand, ...window(from, to), bucketSeconds: bucketMs / 1000 },
      );
      return rows.map((r) => ({ start: Number(r.start_ms), total: Number(r.total_n), negative: Number(r.negative_n) }));
    },

    async overviewFacets({ brand, from, to }) {
      const rows = await runner.query<{ facet: string; value: string; total_n: number; negative_n: number }>(
        onQuarters(from, to) ? sql.facetsFromQuarters : sql.facetsFromMentions,
        { brand, ...window(from, to) },
      );
      return rows
        .filter((r) => FACETS.has(r.facet))
        .map((r) => ({ facet: r.facet as OverviewFacet, value: r.value, total: Number(r.total_n), negative: Number(r.negative_n) }));
    },

    async overviewAuthors({ brand, from, to, limit }) {
      type Row = { handle: string; name: string; source_kind: string; reach: number; negative_n: number };
      const toRecord = (r: Row): OverviewAuthorRecord => ({
        handle: r.handle,
        name: r.name,
        source: r.source_kind,
        reach: Number(r.reach),
        negative: Number(r.negative_n),
      });
      const fromMentions = async () =>
        (await runner.query<Row>(sql.authorsFromMentions, { brand, ...window(from, to), limit })).map(toRecord);
      if (!onQuarters(from, to)) return fromMentions();

      const [row] = await runner.query<{ candidates: [number, number][] }>(sql.authorCandidates, { brand, ...window(from, to) });
      const candidates = row?.candidates ?? [];
      // Distinct authors, largest reach first; every author tied with the last one kept is kept too.
      const chosen = new Set<number>();
      let cutoff = -Infinity;
      for (const [negReach, key] of candidates) {
        const reach = -Number(negReach);
        if (chosen.size >= limit && reach < cutoff) break;
        if (chosen.has(key)) continue;
        chosen.add(key);
        if (chosen.size === limit) cutoff = reach;
      }
      // A few loud authors posting in every quarter can fill all the candidate slots: then ask the mentions.
      if (chosen.size < limit && candidates.length >= AUTHOR_CANDIDATES) return fromMentions();
      if (chosen.size === 0) return [];
      // An author whose hash collides with a chosen one comes along; sorting by reach puts it where it belongs.
      const rows = await runner.query<Row>(sql.authorsFromQuarters, { brand, ...window(from, to), keys: [...chosen] });
      return rows
        .map(toRecord)
        .sort((a, b) => b.reach - a.reach || b.negative - a.negative || compare(a.handle, b.handle) || compare(a.source, b.source))
        .slice(0, limit);
    },

    async overviewIncidents({ brand, from, to }) {
      const rows = await runner.query<IncidentRow>(sql.incidents, { brand, ...window(from, to) });
      return rows.map(fromIncidentRow);
    },
  };
}
