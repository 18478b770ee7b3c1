-- The problems a mention reports (outage, delivery, …) and, per problem, the
-- words that decided it: parallel arrays, so "which problems" stays a cheap
-- array column for filters and counts. Old rows read as reporting none.
ALTER TABLE {db}.mentions ADD COLUMN IF NOT EXISTS problem_types Array(LowCardinality(String)) DEFAULT [];
ALTER TABLE {db}.mentions ADD COLUMN IF NOT EXISTS problem_terms Array(Array(String)) DEFAULT [];
