-- Questions and answers (答疑), venues and their bookings (场地安排), suspensions, and the
-- notification outbox.

CREATE TABLE questions (
    id          TEXT PRIMARY KEY,
    project_id  TEXT NOT NULL REFERENCES projects (id),
    -- Kept to let the asker follow its question; never shown to anyone else.
    asked_by    TEXT NOT NULL REFERENCES participants (id),
    question    TEXT NOT NULL,
    asked_at    TIMESTAMP NOT NULL,
    answer      TEXT,
    answered_at TIMESTAMP,
    answered_by TEXT
);

CREATE INDEX questions_project ON questions (project_id, asked_at);

CREATE TABLE venues (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL CHECK (kind IN ('opening_room', 'evaluation_room', 'negotiation_room', 'bidding_room', 'auction_hall')),
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE venue_bookings (
    id           TEXT PRIMARY KEY,
    venue_id     TEXT NOT NULL REFERENCES venues (id),
    project_id   TEXT NOT NULL REFERENCES projects (id),
    purpose      TEXT NOT NULL,
    starts_at    TIMESTAMP NOT NULL,
    ends_at      TIMESTAMP NOT NULL,
    booked_by    TEXT NOT NULL,
    cancelled_at TIMESTAMP,
    CHECK (ends_at > starts_at)
);

CREATE INDEX venue_bookings_venue ON venue_bookings (venue_id, starts_at);

CREATE TABLE suspensions (
    id              TEXT PRIMARY KEY,
    project_id      TEXT NOT NULL REFERENCES projects (id),
    previous_status TEXT NOT NULL,
    reason          TEXT NOT NULL,
    ordered_by      TEXT NOT NULL,
    by_regulator    INTEGER NOT NULL CHECK (by_regulator IN (0, 1)),
    suspended_at    TIMESTAMP NOT NULL,
    resumed_at      TIMESTAMP,
    resumed_by      TEXT
);

CREATE INDEX suspensions_project ON suspensions (project_id, suspended_at);

CREATE TABLE notifications (
    id         TEXT PRIMARY KEY,
    recipient  TEXT NOT NULL,
    project_id TEXT REFERENCES projects (id),
    kind       TEXT NOT NULL,
    payload    TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE INDEX notifications_recipient ON notifications (recipient, id);
