-- The spike detectors' saved states, one row per brand after merges (the
-- newest save wins): a restart replays only the minutes after
-- through_minute instead of the whole warm-start window
-- (pipeline/spikes/detector-snapshot.ts). Losing this table costs a longer
-- start, never an alert: the stored minutes rebuild the same states.
CREATE TABLE IF NOT EXISTS {db}.detector_states
(
    brand String,
    -- start of the last closed minute the saved detectors judged
    through_minute DateTime64(3, 'UTC'),
    saved_at DateTime64(3, 'UTC'),
    -- the brand's detectors as JSON (detector-snapshot.ts: encodeDetectors)
    state String CODEC(ZSTD(3))
)
ENGINE = ReplacingMergeTree(saved_at)
ORDER BY brand;
