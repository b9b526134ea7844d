-- Idempotency keys of creating and money-moving POSTs: the same key and body replay the
-- first answer; the same key with another body is refused; a duplicate still running is a
-- conflict.
CREATE TABLE idempotency_keys (
    scope        TEXT NOT NULL,
    key          TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    status       INTEGER,
    content_type TEXT,
    body         TEXT,
    created_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (scope, key)
);
