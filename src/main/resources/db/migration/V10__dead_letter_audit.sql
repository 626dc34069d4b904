-- Who redrove or discarded which dead letter, when and why: written in the transaction that changes the dead
-- letter, listed by operators (GET /dead-letters/audit), never updated.
CREATE TABLE dead_letter_audit (
    id              bigserial PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT now(),
    actor           text        NOT NULL,
    action          text        NOT NULL CHECK (action IN ('redrive', 'discard')),
    dead_letter_id  bigint      NOT NULL REFERENCES dead_letter (id),
    consumer_group  text        NOT NULL,
    event_id        text,
    event_type      text,
    reason          text
);
CREATE INDEX dead_letter_audit_dead_letter ON dead_letter_audit (dead_letter_id);
