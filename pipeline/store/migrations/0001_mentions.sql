-- Every stored mention, one row per (brand, published_at, id) after merges.
-- The id is `source:nativeId`, so the same post collected twice replaces
-- itself; `version` (the collection time) decides which copy stays. Until a
-- merge runs both copies exist, so reads use FINAL.
-- Times are DateTime64(3, 'UTC') and travel as epoch milliseconds.
CREATE TABLE IF NOT EXISTS {db}.mentions
(
    id String,
    source LowCardinality(String),
    source_id String,
    url String,
    author_handle String,
    author_name String,
    author_followers UInt64,
    title String,
    text String,
    published_at DateTime64(3, 'UTC'),
    collected_at DateTime64(3, 'UTC'),
    stored_at DateTime64(3, 'UTC'),
    claimed_lang LowCardinality(String),
    rating Nullable(Float32),
    brand LowCardinality(String),
    matched_terms Array(String),
    lang LowCardinality(String),
    sentiment_score Float32,
    sentiment_label LowCardinality(String),
    sentiment_confidence Float32,
    sentiment_terms Array(String),
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(published_at)
ORDER BY (brand, published_at, id);
