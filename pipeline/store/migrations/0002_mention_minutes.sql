-- Per brand and minute of event time: distinct mentions and distinct negative
-- ones. A re-collected mention can be inserted twice, so the rollup keeps
-- uniqExact states of ids rather than counts: merging them (uniqExactMerge)
-- counts each id once however often it arrived.
CREATE TABLE IF NOT EXISTS {db}.mention_minutes
(
    brand LowCardinality(String),
    minute DateTime('UTC'),
    total AggregateFunction(uniqExact, String),
    negative AggregateFunction(uniqExactIf, String, UInt8)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(minute)
ORDER BY (brand, minute);

-- Fed by every insert into mentions (the view sees each inserted block).
CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.mention_minutes_mv TO {db}.mention_minutes
AS SELECT
    brand,
    toStartOfMinute(toDateTime(published_at, 'UTC')) AS minute,
    uniqExactState(id) AS total,
    uniqExactIfState(id, sentiment_label = 'negative') AS negative
FROM {db}.mentions
GROUP BY brand, minute;
