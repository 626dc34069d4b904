-- The append-only event store: every state change of every event-sourced aggregate, in commit order.
CREATE TABLE event_store (
    global_position BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stream_id       TEXT        NOT NULL,
    stream_version  INTEGER     NOT NULL CHECK (stream_version >= 1),
    event_id        UUID        NOT NULL,
    event_type      TEXT        NOT NULL,
    payload         JSONB       NOT NULL,
    -- correlation id, causation id, W3C traceparent
    metadata        JSONB       NOT NULL DEFAULT '{}'::jsonb,
    recorded_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- Optimistic concurrency: two writers appending the same version to a stream cannot both commit.
    CONSTRAINT event_store_stream_version_key UNIQUE (stream_id, stream_version),
    CONSTRAINT event_store_event_id_key UNIQUE (event_id)
);
