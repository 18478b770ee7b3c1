-- Weekly reports as they were produced and sent: the figures (JSON, for the
-- dashboard's view) and the PDF itself (base64). The PDF is kept rather than
-- re-rendered on download so that what a manager opens later is exactly what
-- was e-mailed, even after mentions have aged out (TTL) or the code changed.
-- One row per id (brand + week + language) after merges: producing the same
-- report again replaces it; `version` decides which copy stays. Reads use FINAL.
CREATE TABLE IF NOT EXISTS {db}.weekly_reports
(
    id String,
    brand LowCardinality(String),
    -- ISO 8601 week, e.g. 2026-W47
    week String,
    lang LowCardinality(String),
    time_zone String,
    week_start DateTime64(3, 'UTC'),
    produced_at DateTime64(3, 'UTC'),
    -- a user name, or "schedule" for the weekly run
    produced_by String,
    figures String,
    pdf String,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id;

-- Each e-mail of a report to a manager: the weekly run sends a report to an
-- address only when no delivered row exists for it, so a restart does not
-- send the same week twice.
CREATE TABLE IF NOT EXISTS {db}.report_deliveries
(
    report_id String,
    email String,
    at DateTime64(3, 'UTC'),
    -- delivered | failed
    status LowCardinality(String),
    error String
)
ENGINE = MergeTree
ORDER BY (report_id, email, at);
