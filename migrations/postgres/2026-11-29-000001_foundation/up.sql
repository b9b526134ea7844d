-- Foundation: audit chain, departments, participants, persons, service accounts.
-- Portable types only (BIGINT, INTEGER, TEXT, TIMESTAMP); the SQLite migration of the same
-- name creates the same tables.

CREATE TABLE audit_events (
    seq          BIGSERIAL PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    chain        TEXT NOT NULL,
    position     BIGINT NOT NULL CHECK (position >= 1),
    occurred_at  TIMESTAMP NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    object_type  TEXT NOT NULL,
    object_id    TEXT NOT NULL,
    payload      TEXT NOT NULL,
    payload_hash TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    event_hash   TEXT NOT NULL,
    UNIQUE (chain, position)
);

-- The audit table is append-only: the database itself refuses UPDATE and DELETE.
CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();

-- Row triggers do not fire on TRUNCATE; this one does.
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

CREATE TABLE departments (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL CHECK (kind IN ('comprehensive_regulator', 'centre', 'inspector', 'industry_regulator')),
    industries TEXT NOT NULL DEFAULT ''
);

CREATE TABLE participants (
    id                             TEXT PRIMARY KEY,
    credit_code                    TEXT NOT NULL UNIQUE CHECK (length(credit_code) = 18),
    name                           TEXT NOT NULL,
    kinds                          TEXT NOT NULL,
    legal_representative           TEXT NOT NULL,
    legal_representative_person_id TEXT,
    organisation_code_warning      INTEGER NOT NULL DEFAULT 0,
    created_at                     TIMESTAMP NOT NULL,
    updated_at                     TIMESTAMP NOT NULL,
    version                        BIGINT NOT NULL CHECK (version >= 1)
);

CREATE TABLE persons (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    id_number_hash   TEXT NOT NULL UNIQUE,
    id_number_masked TEXT NOT NULL,
    employer_id      TEXT REFERENCES participants (id),
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);

ALTER TABLE participants
    ADD CONSTRAINT participants_legal_representative_person_fk
    FOREIGN KEY (legal_representative_person_id) REFERENCES persons (id);

CREATE INDEX persons_employer ON persons (employer_id, id);

CREATE TABLE service_accounts (
    id          TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    scopes      TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    disabled_at TIMESTAMP
);
