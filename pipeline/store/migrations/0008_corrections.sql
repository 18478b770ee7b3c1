-- Labels the team corrected by hand. Every correction is kept with who made it
-- and when (an audit trail); the newest per mention and field is the one the
-- models learn from. The text and language are copied so that learning needs
-- only this table, even after old mentions are dropped.
CREATE TABLE IF NOT EXISTS {db}.corrections
(
    mention_id String,
    -- "sentiment" (value: negative | neutral | positive) or "problems" (value: JSON array of types)
    field LowCardinality(String),
    value String,
    text String,
    lang LowCardinality(String),
    corrected_by String,
    corrected_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (field, mention_id, corrected_at);
