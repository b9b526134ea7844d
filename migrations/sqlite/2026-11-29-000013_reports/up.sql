-- Reports of suspected wrongdoing (举报), with a tracking code for the reporter; the
-- reporter's identity is seen only by the handling regulator.
CREATE TABLE wrongdoing_reports (
    id              TEXT PRIMARY KEY,
    tracking_code   TEXT NOT NULL UNIQUE,
    project_id      TEXT REFERENCES projects (id),
    participant_id  TEXT REFERENCES participants (id),
    content         TEXT NOT NULL,
    reporter        TEXT,
    contact         TEXT,
    department_id   TEXT NOT NULL REFERENCES departments (id),
    received_at     TIMESTAMP NOT NULL,
    -- JSON list of handling steps: at, by, note, status
    handling        TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('received', 'investigating', 'closed'))
);
