-- One row per incident key after merges: the row with the latest updated_at
-- wins (upsert by insert). Reads use FINAL.
CREATE TABLE IF NOT EXISTS {db}.incidents
(
    key String,
    brand LowCardinality(String),
    state LowCardinality(String),
    severity LowCardinality(String),
    started_at DateTime64(3, 'UTC'),
    updated_at DateTime64(3, 'UTC'),
    acknowledged_at Nullable(DateTime64(3, 'UTC')),
    acknowledged_by Nullable(String),
    resolved_at Nullable(DateTime64(3, 'UTC')),
    peak_negative UInt32,
    baseline Float64,
    first_mention_id String,
    summary String
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY key;
