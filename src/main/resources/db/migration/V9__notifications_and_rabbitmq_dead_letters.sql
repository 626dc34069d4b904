-- What the notifier (shop.notifications) recorded for a customer: one row per order event it received from RabbitMQ
-- queue notifier, keyed by the event id so that a redelivered message records nothing new.
CREATE TABLE notification (
    event_id       UUID        PRIMARY KEY,
    event_type     TEXT        NOT NULL,
    order_id       TEXT        NOT NULL,
    customer_id    TEXT,       -- from the order's view, when it has one
    correlation_id TEXT,
    message        TEXT        NOT NULL,
    recorded_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Dead letters from RabbitMQ dead-letter queues join the Kafka ones. A queue has no partition or offset: such a
-- dead letter is named by its dead-letter queue (dlq_topic) and dlq_message_id (the message id, or a hash of the
-- body, with the time it was dead-lettered), so that a message collected twice is stored once.
ALTER TABLE dead_letter ADD COLUMN broker TEXT NOT NULL DEFAULT 'kafka' CHECK (broker IN ('kafka', 'rabbitmq'));
ALTER TABLE dead_letter ALTER COLUMN dlq_partition DROP NOT NULL;
ALTER TABLE dead_letter ALTER COLUMN dlq_offset DROP NOT NULL;
ALTER TABLE dead_letter ALTER COLUMN dlq_timestamp DROP NOT NULL;
ALTER TABLE dead_letter ADD COLUMN dlq_message_id TEXT;
ALTER TABLE dead_letter ADD CONSTRAINT dead_letter_kafka_or_rabbitmq CHECK (
    (broker = 'kafka' AND dlq_partition IS NOT NULL AND dlq_offset IS NOT NULL AND dlq_timestamp IS NOT NULL)
    OR (broker = 'rabbitmq' AND dlq_message_id IS NOT NULL));
CREATE UNIQUE INDEX dead_letter_dlq_message ON dead_letter (dlq_topic, dlq_message_id) WHERE dlq_message_id IS NOT NULL;
