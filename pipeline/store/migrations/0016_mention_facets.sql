-- The overview's day and week views at scale: per brand and quarter hour of
-- event time, mentions (and negative ones) by facet value:
--   source    the source kind (rss, reddit, …)
--   lang      the detected language
--   sentiment the sentiment label (its values sum to the quarter's total)
--   problem   each problem type the mention reports (none, one or several)
-- Plain sums, not uniqExact states like mention_minutes: merging a week of
-- id states took ~1.5 s at 10M mentions, sums take milliseconds. The price:
-- a mention stored twice (re-collected before the pipeline's dedupe saw it)
-- counts twice here; the hour view and the detector read the exact rollup.
-- Fifteen minutes: the day view's bucket; the week's hours are made of them.
CREATE TABLE IF NOT EXISTS {db}.mention_facets
(
    brand LowCardinality(String),
    quarter DateTime('UTC'),
    facet LowCardinality(String),
    value LowCardinality(String),
    total UInt64,
    negative UInt64
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(quarter)
ORDER BY (brand, quarter, facet, value);

-- Fed by every insert into mentions: one row per mention and facet value.
CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.mention_facets_mv TO {db}.mention_facets
AS SELECT
    brand,
    toStartOfFifteenMinutes(toDateTime(published_at, 'UTC')) AS quarter,
    facet_value.1 AS facet,
    facet_value.2 AS value,
    count() AS total,
    countIf(sentiment_label = 'negative') AS negative
FROM {db}.mentions
ARRAY JOIN arrayConcat(
    [('source', toString(source)), ('lang', toString(lang)), ('sentiment', toString(sentiment_label))],
    arrayMap(p -> ('problem', toString(p)), problem_types)
) AS facet_value
GROUP BY brand, quarter, facet, value;

-- The loudest negative authors of a day or week without scanning its
-- mentions, in two steps. An author is (source, handle); `author_key` is a
-- 32-bit hash of the pair, so candidates are small numeric tuples that merge
-- fast (strings made a week's merge ~6x slower).
-- First the candidates: per brand and quarter hour, the 200 authors of
-- negative mentions with the largest reach, as (−followers, author_key) kept
-- sorted (groupArraySorted), so merging a week's quarters gives the week's
-- largest. (The overview checks that they hold enough distinct authors and
-- falls back to the mentions when they do not.)
CREATE TABLE IF NOT EXISTS {db}.mention_author_reach
(
    brand LowCardinality(String),
    quarter DateTime('UTC'),
    top AggregateFunction(groupArraySorted(200), Tuple(Int64, UInt32))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(quarter)
ORDER BY (brand, quarter);

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.mention_author_reach_mv TO {db}.mention_author_reach
AS SELECT
    brand,
    quarter,
    groupArraySortedState(200)((-toInt64(reach), author_key)) AS top
FROM
(
    SELECT
        brand,
        toStartOfFifteenMinutes(toDateTime(published_at, 'UTC')) AS quarter,
        toUInt32(cityHash64(toString(source), author_handle) % 4294967296) AS author_key,
        max(author_followers) AS reach
    FROM {db}.mentions
    WHERE sentiment_label = 'negative' AND author_handle != ''
    GROUP BY brand, quarter, author_key
)
GROUP BY brand, quarter;

-- Then the chosen authors' figures: per brand, author and quarter hour, their
-- negative mentions (summed, like mention_facets), largest reach and newest
-- display name. Keyed by author_key first, so ten authors are ten narrow key
-- ranges; source and handle stay in the key, so two authors whose hashes
-- collide are never merged.
CREATE TABLE IF NOT EXISTS {db}.mention_author_quarters
(
    brand LowCardinality(String),
    author_key UInt32,
    source LowCardinality(String),
    author_handle String,
    quarter DateTime('UTC'),
    negative SimpleAggregateFunction(sum, UInt64),
    reach SimpleAggregateFunction(max, UInt64),
    name SimpleAggregateFunction(anyLast, String)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(quarter)
ORDER BY (brand, author_key, source, author_handle, quarter);

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.mention_author_quarters_mv TO {db}.mention_author_quarters
AS SELECT
    brand,
    toUInt32(cityHash64(toString(source), author_handle) % 4294967296) AS author_key,
    source,
    author_handle,
    toStartOfFifteenMinutes(toDateTime(published_at, 'UTC')) AS quarter,
    toUInt64(count()) AS negative,
    max(author_followers) AS reach,
    argMax(author_name, published_at) AS name
FROM {db}.mentions
WHERE sentiment_label = 'negative' AND author_handle != ''
GROUP BY brand, author_key, source, author_handle, quarter;
