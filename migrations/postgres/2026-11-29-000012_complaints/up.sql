-- Complaints (投诉) to the project's industry regulator, with the acceptance and decision
-- clocks and the pauses for testing, appraisal or expert review.
CREATE TABLE complaints (
    id                TEXT PRIMARY KEY,
    project_id        TEXT NOT NULL REFERENCES projects (id),
    complainant_id    TEXT NOT NULL REFERENCES participants (id),
    objection_id      TEXT REFERENCES objections (id),
    content           TEXT NOT NULL,
    knew_at           TIMESTAMP NOT NULL,
    filed_at          TIMESTAMP NOT NULL,
    regulator_id      TEXT,
    status            TEXT NOT NULL CHECK (status IN ('received', 'accepted', 'rejected', 'decided')),
    acceptance_due    TIMESTAMP NOT NULL,
    accepted_at       TIMESTAMP,
    -- JSON list of pauses: from, until (dates), reason
    pauses            TEXT NOT NULL,
    decided_at        TIMESTAMP,
    outcome           TEXT,
    decision          TEXT
);

CREATE INDEX complaints_project ON complaints (project_id, filed_at);
