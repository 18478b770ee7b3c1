-- Silences mute notices for a brand and/or problem type until a time. One row
-- per silence id after merges (the highest version wins), so ending a silence
-- early is a new version of the same row with an earlier ends_at.
CREATE TABLE IF NOT EXISTS {db}.silences
(
    id String,
    -- '' = every brand
    brand String,
    -- '' = every problem type
    problem LowCardinality(String),
    starts_at DateTime64(3, 'UTC'),
    ends_at DateTime64(3, 'UTC'),
    created_by String,
    reason String,
    created_at DateTime64(3, 'UTC'),
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id;
