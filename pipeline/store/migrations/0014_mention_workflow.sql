-- Priority of each mention (high / normal / low, from pipeline/stages/rank-priority.ts).
-- Rows stored before it existed read '' and count as normal.
ALTER TABLE {db}.mentions ADD COLUMN IF NOT EXISTS priority LowCardinality(String) DEFAULT '';

-- The team's work on one mention: status (new → in-progress → responded →
-- resolved), assignee, tags and a note. One row per mention after merges: the
-- highest version wins, so reads use FINAL. Who changed it last, and when,
-- travel with the row.
CREATE TABLE IF NOT EXISTS {db}.mention_workflow
(
    mention_id String,
    brand LowCardinality(String),
    status LowCardinality(String),
    assignee String,
    tags Array(String),
    note String,
    updated_by String,
    updated_at DateTime64(3, 'UTC'),
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY mention_id;

-- Every change to a mention's workflow, kept (an audit trail: who did what, when).
CREATE TABLE IF NOT EXISTS {db}.mention_workflow_history
(
    mention_id String,
    status LowCardinality(String),
    assignee String,
    tags Array(String),
    note String,
    updated_by String,
    updated_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (mention_id, updated_at);
