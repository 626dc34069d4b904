-- Readers of the whole log ("read all from a position") must not skip an event whose transaction commits
-- after a later position became visible. Each row keeps its transaction id; a reader only takes rows whose
-- transaction is older than every transaction still running (pg_snapshot_xmin).
ALTER TABLE event_store ADD COLUMN transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id();

-- Transactional outbox: rows written in the same transaction as the events they publish, deleted by the
-- relay once Kafka acknowledged them. Self-contained, so that publishers which are not event-sourced can
-- use it too.
CREATE TABLE outbox (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id       UUID        NOT NULL,              -- CloudEvents id (ce_id)
    topic          TEXT        NOT NULL,
    message_key    TEXT        NOT NULL,              -- the aggregate id: one partition per aggregate
    event_type     TEXT        NOT NULL,              -- ce_type, e.g. order.placed.v1
    source         TEXT        NOT NULL,              -- ce_source
    subject        TEXT,                              -- ce_subject
    occurred_at    TIMESTAMPTZ NOT NULL,              -- ce_time
    avro_schema    TEXT        NOT NULL,              -- full name of the Avro record in payload
    payload        JSONB       NOT NULL,              -- the record in Avro's JSON encoding
    correlation_id TEXT,
    causation_id   TEXT,
    traceparent    TEXT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Wakes the relay at commit (notifications are delivered only when the transaction commits, once per
-- transaction and channel); the relay still polls in case a notification is missed.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
