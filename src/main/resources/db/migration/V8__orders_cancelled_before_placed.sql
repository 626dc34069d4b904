-- Orders a consumer group saw cancelled before it saw them placed (the placement was dead-lettered and is
-- redriven later): the late placement must not authorize credit or reserve stock for a cancelled order.
CREATE TABLE order_cancelled_early (
    consumer_group TEXT        NOT NULL,
    order_id       TEXT        NOT NULL,
    recorded_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer_group, order_id)
);
