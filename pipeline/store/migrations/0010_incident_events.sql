-- What happened to each incident and who did it: the timeline the dashboard
-- shows and the post-crisis review reads (time to acknowledge, escalations).
-- Deliveries stay in notifications; this holds the incident's own changes.
CREATE TABLE IF NOT EXISTS {db}.incident_events
(
    incident_key String,
    at DateTime64(3, 'UTC'),
    -- firing | updated | acknowledged | resolved | escalated | silenced
    type LowCardinality(String),
    -- who: a user name, or "earshot" for what the system did itself
    actor String,
    detail String
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (incident_key, at);
