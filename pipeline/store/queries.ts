import { INCIDENT_COLUMNS } from "./incident-row";

/**
 * One SQL statement per Store method, named after it. The same text runs on
 * chDB and on a ClickHouse server. `{db}` is the configured database (a
 * checked identifier, put in by `bindDatabase`); everything else a caller
 * supplies travels as a bound `{name:Type}` parameter.
 *
 * Conventions:
 * - times leave as epoch milliseconds (`toUnixTimestamp64Milli`) and arrive as
 *   epoch milliseconds (`fromUnixTimestamp64Milli({…:Int64})`);
 * - an optional brand filter is `{brand:String}` with '' meaning "all brands"
 *   (brand names are never empty);
 * - tables that are upserted (ReplacingMergeTree) are read with FINAL, so a row
 *   written twice never shows twice, merged or not.
 */

export const MENTION_COLUMNS = `
    id, source, source_id, url, author_handle, author_name, author_followers, title, text,
    toUnixTimestamp64Milli(published_at) AS published_at_ms,
    toUnixTimestamp64Milli(collected_at) AS collected_at_ms,
    claimed_lang, rating, brand, matched_terms, lang,
    sentiment_score, sentiment_label, sentiment_confidence, sentiment_terms,
    problem_types, problem_terms, priority`;

export const queries = {
  /** insert_mentions: rows go through SqlRunner.insert (JSONEachRow) into this table. */
  insertMentionsTable: "{db}.mentions",

  /** recent_mentions: newest first; LIMIT 1 BY id also hides a copy whose published_at changed. */
  /** In two steps, as mention-workflow-queries.ts streamMentions explains: ids from narrow columns, then those rows whole. */
  recentMentions: `
SELECT ${MENTION_COLUMNS}
FROM {db}.mentions
WHERE id IN (
  SELECT id
  FROM {db}.mentions
  WHERE {brand:String} = '' OR brand = {brand:String}
  ORDER BY published_at DESC, id DESC
  LIMIT 1 BY id
  LIMIT {limit:UInt32}
)
ORDER BY published_at DESC, id DESC, version DESC
LIMIT 1 BY id`,

  /** count_mentions: distinct ids, so copies not merged yet are not counted twice. */
  countMentions: `
SELECT toUInt64(uniqExact(id)) AS n
FROM {db}.mentions
WHERE {brand:String} = '' OR brand = {brand:String}`,

  /**
   * minute_counts: from the rollup; uniqExact states merged, so a mention
   * stored twice counts once. Also the brand totals of the detectors' warm
   * start (spike-history-queries.ts), for all brands with brand ''.
   */
  minuteCounts: `
SELECT
    brand,
    toInt64(toUnixTimestamp(minute)) * 1000 AS minute_ms,
    toUInt32(uniqExactMerge(total)) AS total_n,
    toUInt32(uniqExactIfMerge(negative)) AS negative_n
FROM {db}.mention_minutes
WHERE ({brand:String} = '' OR brand = {brand:String})
  AND minute >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
  AND minute < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
GROUP BY brand, minute
ORDER BY brand, minute`,

  /** brands: read from the small rollup rather than scanning mentions. */
  brands: `
SELECT DISTINCT brand
FROM {db}.mention_minutes
ORDER BY brand`,

  /** save_incident: rows go through SqlRunner.insert into this table. */
  saveIncidentTable: "{db}.incidents",

  /** incident */
  incident: `
SELECT ${INCIDENT_COLUMNS}
FROM {db}.incidents FINAL
WHERE key = {key:String}
LIMIT 1`,

  /** incidents: newest first by started_at. */
  incidents: `
SELECT ${INCIDENT_COLUMNS}
FROM {db}.incidents FINAL
WHERE {brand:String} = '' OR brand = {brand:String}
ORDER BY started_at DESC, key
LIMIT {limit:UInt32}`,

  /** record_notification: rows go through SqlRunner.insert into this table. */
  recordNotificationTable: "{db}.notifications",

  /** notifications: oldest first. */
  notifications: `
SELECT
    incident_key, channel, target, event, attempt, status, http_status, error,
    toUnixTimestamp64Milli(at) AS at_ms
FROM {db}.notifications
WHERE incident_key = {key:String}
ORDER BY at, attempt, channel, target`,

  /** save_cursor: rows go through SqlRunner.insert into this table. */
  saveCursorTable: "{db}.source_cursors",

  /** cursor */
  cursor: `
SELECT cursor
FROM {db}.source_cursors FINAL
WHERE source_id = {source:String}
LIMIT 1`,

  /** quarantine: rows go through SqlRunner.insert into this table. */
  quarantineTable: "{db}.quarantine",

  /** quarantined: newest first. */
  quarantined: `
SELECT toUnixTimestamp64Milli(at) AS at_ms, stage, reason, payload, error
FROM {db}.quarantine
ORDER BY at DESC
LIMIT {limit:UInt32}`,

  /** mention: one stored mention by id (the newest copy). */
  mention: `
SELECT ${MENTION_COLUMNS}
FROM {db}.mentions FINAL
WHERE id = {id:String}
ORDER BY collected_at DESC
LIMIT 1`,

  /** mentions_between: one brand's mentions published in [from, to), oldest first (evidence of an incident). */
  mentionsBetween: `
SELECT ${MENTION_COLUMNS}
FROM {db}.mentions FINAL
WHERE brand = {brand:String}
  AND published_at >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
  AND published_at < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
  AND ({label:String} = '' OR sentiment_label = {label:String})
ORDER BY published_at, id
LIMIT 1 BY id
LIMIT {limit:UInt32}`,

  /** channel_health: per channel and target, the last attempt and the failures since the last delivery (silenced ones aside). */
  channelHealth: `
SELECT
    channel,
    target,
    toUnixTimestamp64Milli(max(at)) AS last_attempt_ms,
    argMax(status, (at, attempt)) AS last_status,
    argMax(error, (at, attempt)) AS last_error,
    if(max(last_delivered) = toDateTime64(0, 3, 'UTC'), NULL, toUnixTimestamp64Milli(max(last_delivered))) AS last_delivered_ms,
    toUInt32(countIf(status = 'failed' AND at > last_delivered)) AS failures_since
FROM
(
    SELECT
        channel, target, at, attempt, status, error,
        max(if(status = 'delivered', at, toDateTime64(0, 3, 'UTC'))) OVER (PARTITION BY channel, target) AS last_delivered
    FROM {db}.notifications
    WHERE status != 'silenced' AND at >= fromUnixTimestamp64Milli({since:Int64}, 'UTC')
)
GROUP BY channel, target
ORDER BY channel, target`,

  /** save_correction: rows go through SqlRunner.insert into this table. */
  saveCorrectionTable: "{db}.corrections",

  /** corrections: the newest correction of each mention for one field, oldest first (the order they are learned in). */
  corrections: `
SELECT mention_id, field, value, text, lang, corrected_by, toUnixTimestamp64Milli(corrected_at) AS corrected_at_ms
FROM
(
    SELECT *
    FROM {db}.corrections
    WHERE field = {field:String}
    ORDER BY corrected_at DESC
    LIMIT 1 BY mention_id
)
ORDER BY corrected_at, mention_id
LIMIT {limit:UInt32}`,

  /** save_silence: rows go through SqlRunner.insert into this table. */
  saveSilenceTable: "{db}.silences",

  /** silences: those not over at {now}, soonest end first. */
  silences: `
SELECT
    id, brand, problem, created_by, reason,
    toUnixTimestamp64Milli(starts_at) AS starts_at_ms,
    toUnixTimestamp64Milli(ends_at) AS ends_at_ms,
    toUnixTimestamp64Milli(created_at) AS created_at_ms
FROM {db}.silences FINAL
WHERE ends_at > fromUnixTimestamp64Milli({now:Int64}, 'UTC')
ORDER BY ends_at, id`,

  /** silence: one by id, over or not. */
  silence: `
SELECT
    id, brand, problem, created_by, reason,
    toUnixTimestamp64Milli(starts_at) AS starts_at_ms,
    toUnixTimestamp64Milli(ends_at) AS ends_at_ms,
    toUnixTimestamp64Milli(created_at) AS created_at_ms
FROM {db}.silences FINAL
WHERE id = {id:String}
LIMIT 1`,

  /** record_incident_event: rows go through SqlRunner.insert into this table. */
  recordIncidentEventTable: "{db}.incident_events",

  /** incident_events: one incident's timeline, oldest first. */
  incidentEvents: `
SELECT incident_key, toUnixTimestamp64Milli(at) AS at_ms, type, actor, detail
FROM {db}.incident_events
WHERE incident_key = {key:String}
ORDER BY at, type`,
} as const;

export type QueryName = keyof typeof queries;
