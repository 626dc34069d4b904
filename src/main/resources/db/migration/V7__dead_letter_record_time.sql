-- A dead-letter topic's positions start again at 0 when the topic is deleted and created again (or the cluster is
-- replaced), so a position alone does not name a record for good: the record's timestamp joins it. A re-read of
-- the same record still finds its row.
ALTER TABLE dead_letter ADD COLUMN dlq_timestamp TIMESTAMPTZ;
UPDATE dead_letter SET dlq_timestamp = collected_at;
ALTER TABLE dead_letter ALTER COLUMN dlq_timestamp SET NOT NULL;
ALTER TABLE dead_letter DROP CONSTRAINT dead_letter_dlq_position;
ALTER TABLE dead_letter ADD CONSTRAINT dead_letter_dlq_record UNIQUE (dlq_topic, dlq_partition, dlq_offset, dlq_timestamp);
