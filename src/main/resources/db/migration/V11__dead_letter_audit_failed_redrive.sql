-- A redrive the broker refused is given back (the dead letter parked again); the audit keeps the attempt and adds
-- a redrive_failed entry rather than editing or deleting the first.
ALTER TABLE dead_letter_audit DROP CONSTRAINT dead_letter_audit_action_check;
ALTER TABLE dead_letter_audit ADD CONSTRAINT dead_letter_audit_action_check
    CHECK (action IN ('redrive', 'redrive_failed', 'discard'));
