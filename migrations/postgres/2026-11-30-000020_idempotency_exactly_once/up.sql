-- Exactly-once for keyed requests: each claim of a key gets its own token, and the
-- transaction that makes the request's change marks the key with that token and the object
-- it changed. A retry after a crash then finds the mark and never runs the change again;
-- a claim taken over from a dead request invalidates the dead one's token.
ALTER TABLE idempotency_keys ADD COLUMN claim TEXT;
ALTER TABLE idempotency_keys ADD COLUMN applied_object TEXT;
