-- Inbox: the events each consumer group has applied, written in the same transaction as the effect, so that a
-- redelivered event is recognised and skipped (at-least-once delivery, applied once).
CREATE TABLE inbox (
    consumer_group TEXT        NOT NULL,
    event_id       UUID        NOT NULL,
    applied_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer_group, event_id)
);

-- Consumer group payments: one authorization per order against the customer's credit limit.
CREATE TABLE payment (
    order_id     TEXT        PRIMARY KEY,
    customer_id  TEXT        NOT NULL,
    amount_minor BIGINT      NOT NULL,
    currency     TEXT        NOT NULL,
    status       TEXT        NOT NULL CHECK (status IN ('authorized', 'declined', 'voided')),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX payment_customer_authorized ON payment (customer_id) WHERE status = 'authorized';

-- Consumer group inventory: stock per SKU, and what each order holds of it.
CREATE TABLE stock_level (
    sku       TEXT    PRIMARY KEY,
    available INTEGER NOT NULL CHECK (available >= 0)
);
CREATE TABLE stock_reservation (
    order_id TEXT    NOT NULL,
    sku      TEXT    NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, sku)
);

-- Consumer group order-saga: what the saga knows of each order, and what it decided.
CREATE TABLE order_saga (
    order_id   TEXT        PRIMARY KEY,
    payment    TEXT,       -- authorized | declined
    stock      TEXT,       -- reserved | short
    outcome    TEXT,       -- confirmed | cancelled | order-closed (the order was no longer placed)
    reason     TEXT,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Consumer group analytics: running counters (orders by outcome, confirmed revenue per currency).
CREATE TABLE analytics_counter (
    name  TEXT   PRIMARY KEY,
    value BIGINT NOT NULL
);

-- Dead letters of every consumer group, collected from the groups' dead-letter topics (<group>.dlq).
CREATE TABLE dead_letter (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consumer_group  TEXT        NOT NULL,
    dlq_topic       TEXT        NOT NULL,
    dlq_partition   INTEGER     NOT NULL,
    dlq_offset      BIGINT      NOT NULL,
    topic           TEXT,       -- where the record was first consumed from
    topic_partition INTEGER,
    topic_offset    BIGINT,
    message_key     TEXT,
    event_id        TEXT,
    event_type      TEXT,
    subject         TEXT,
    reason          TEXT,
    cause           TEXT,
    exception_class TEXT,
    headers         JSONB       NOT NULL,
    payload         BYTEA,
    status          TEXT        NOT NULL CHECK (status IN ('parked', 'redriven', 'discarded')),
    redrive_count   INTEGER     NOT NULL DEFAULT 0,
    note            TEXT,       -- why it was discarded
    collected_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- The collector may read a dead-letter record twice; it is stored once.
    CONSTRAINT dead_letter_dlq_position UNIQUE (dlq_topic, dlq_partition, dlq_offset)
);
CREATE INDEX dead_letter_listing ON dead_letter (consumer_group, status, id);
