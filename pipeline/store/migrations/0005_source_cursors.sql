-- Where each configured source left off: one row per source id after merges,
-- the highest version wins. The cursor is the source's own JSON.
CREATE TABLE IF NOT EXISTS {db}.source_cursors
(
    source_id String,
    cursor String,
    updated_at DateTime64(3, 'UTC'),
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY source_id;
