-- Every delivery attempt of every notice: append-only history.
CREATE TABLE IF NOT EXISTS {db}.notifications
(
    incident_key String,
    channel LowCardinality(String),
    target String,
    event LowCardinality(String),
    attempt UInt16,
    status LowCardinality(String),
    http_status Nullable(UInt16),
    error String,
    at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (incident_key, at, attempt);
