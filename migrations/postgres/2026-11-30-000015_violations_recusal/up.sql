-- Violation cases (管理办法 §20–27; 细则 §17(七)): recorded with evidence by whoever saw
-- the conduct, investigated by a lead department with others where several are concerned
-- (联合查处), decided with findings from the prohibited-conduct catalogue.
CREATE TABLE violation_cases (
    id                  TEXT PRIMARY KEY,
    project_id          TEXT REFERENCES projects (id),
    subject_kind        TEXT NOT NULL,
    subject_id          TEXT NOT NULL,
    -- JSON list of suspected catalogue codes
    suspected_codes     TEXT NOT NULL,
    description         TEXT NOT NULL,
    -- JSON list of {name, sha256}
    evidence            TEXT NOT NULL,
    report_id           TEXT REFERENCES wrongdoing_reports (id),
    reported_by         TEXT NOT NULL,
    reporter_org        TEXT,
    reported_at         TIMESTAMP NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('reported', 'investigating', 'confirmed', 'dismissed')),
    -- JSON list of investigation steps: at, by, note, evidence
    steps               TEXT NOT NULL,
    -- JSON: findings, decision, penalty, credit records (once decided)
    decision            TEXT,
    decided_at          TIMESTAMP,
    version             BIGINT NOT NULL
);
CREATE INDEX violation_cases_project ON violation_cases (project_id);

-- The departments on a case: one lead, any number joint.
CREATE TABLE violation_case_departments (
    case_id         TEXT NOT NULL REFERENCES violation_cases (id),
    department_id   TEXT NOT NULL REFERENCES departments (id),
    part            TEXT NOT NULL CHECK (part IN ('lead', 'joint')),
    PRIMARY KEY (case_id, department_id)
);
CREATE INDEX violation_case_departments_department ON violation_case_departments (department_id);

-- Relations a person declares with a participant (recusal).
CREATE TABLE person_relations (
    person_id       TEXT NOT NULL REFERENCES persons (id),
    participant_id  TEXT NOT NULL REFERENCES participants (id),
    relation        TEXT NOT NULL,
    declared_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (person_id, participant_id)
);

-- Supervisors and tenderer representatives named on a project; one who steps aside keeps
-- the row with the reason.
CREATE TABLE project_officials (
    id              TEXT PRIMARY KEY,
    project_id      TEXT NOT NULL REFERENCES projects (id),
    person_id       TEXT NOT NULL REFERENCES persons (id),
    role            TEXT NOT NULL CHECK (role IN ('supervisor', 'tenderer_representative')),
    named_by        TEXT NOT NULL,
    named_at        TIMESTAMP NOT NULL,
    withdrawn_at    TIMESTAMP,
    withdrawn_reason TEXT
);
CREATE INDEX project_officials_project ON project_officials (project_id);
