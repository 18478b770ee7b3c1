-- The series that spiked within an incident (its brand, a problem type, a
-- source) and how each did: grouping keeps one incident per brand surge with
-- several signals. One row per (incident, kind, name) after merges: the
-- highest version wins, so a signal's peak and current score are upserts.
CREATE TABLE IF NOT EXISTS {db}.incident_signals
(
    incident_key String,
    -- brand | problem | source
    kind LowCardinality(String),
    name String,
    first_at DateTime64(3, 'UTC'),
    last_spike_at DateTime64(3, 'UTC'),
    peak_negative UInt32,
    peak_score Float64,
    score Float64,
    baseline Float64,
    -- 1: explained by an open outage signal of the brand (recorded, never paged)
    inhibited UInt8,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (incident_key, kind, name);

-- The incident playbook's checklist as the team works through it: one row per
-- (incident, playbook, item) after merges, the latest tick or untick winning,
-- with who did it and when. Items are numbered in the playbook's checklist
-- order, so a tick reads the same in every UI language.
CREATE TABLE IF NOT EXISTS {db}.playbook_ticks
(
    incident_key String,
    playbook_id LowCardinality(String),
    item UInt16,
    checked UInt8,
    by String,
    at DateTime64(3, 'UTC'),
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (incident_key, playbook_id, item);
