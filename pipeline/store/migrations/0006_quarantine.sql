-- Items a stage could not handle, kept with the reason so they stay visible
-- and can be replayed.
CREATE TABLE IF NOT EXISTS {db}.quarantine
(
    at DateTime64(3, 'UTC'),
    stage LowCardinality(String),
    reason LowCardinality(String),
    payload String,
    error String
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(at)
ORDER BY at;
