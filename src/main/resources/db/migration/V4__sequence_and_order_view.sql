-- The position of a message within its subject's stream (the aggregate's version), sent as the CloudEvents
-- "sequence" extension (header ce_sequence), so that consumers can tell a repeat from the next event.
ALTER TABLE outbox ADD COLUMN sequence BIGINT;
ALTER TABLE outbox_parked ADD COLUMN sequence BIGINT;

-- Read model of consumer group order-views: one row per order, at the version of the last event applied.
CREATE TABLE order_view (
    order_id      TEXT        PRIMARY KEY,
    customer_id   TEXT        NOT NULL,
    status        TEXT        NOT NULL,
    currency      TEXT        NOT NULL,
    total_minor   BIGINT      NOT NULL,
    lines         JSONB       NOT NULL,
    version       INTEGER     NOT NULL,
    placed_at     TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);

CREATE INDEX order_view_status_placed ON order_view (status, placed_at DESC);
CREATE INDEX order_view_customer_placed ON order_view (customer_id, placed_at DESC);
