-- Outbox rows the relay cannot publish (their payload no longer decodes with any known Avro record), with the
-- reason. A parked row also holds back every later row of the same topic and key, so that consumers never
-- see an aggregate's events out of order; an operator repairs and moves them back into outbox.
CREATE TABLE outbox_parked (
    LIKE outbox INCLUDING DEFAULTS,
    reason    TEXT        NOT NULL,
    parked_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (id)
);

CREATE INDEX outbox_parked_key ON outbox_parked (topic, message_key);
