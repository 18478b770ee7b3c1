-- Incidents are not only spikes of a brand: a source that fails or goes
-- silent opens its own ("source-down"), naming the source. Old rows read as
-- spikes with no source.
ALTER TABLE {db}.incidents ADD COLUMN IF NOT EXISTS kind LowCardinality(String) DEFAULT 'spike';
ALTER TABLE {db}.incidents ADD COLUMN IF NOT EXISTS source String DEFAULT '';
