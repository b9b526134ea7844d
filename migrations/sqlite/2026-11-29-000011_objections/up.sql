-- Objections (异议 in tendering, 质疑 in procurement) with their windows, reply deadlines
-- and the suspension a construction objection causes until it is answered.
CREATE TABLE objections (
    id            TEXT PRIMARY KEY,
    project_id    TEXT NOT NULL REFERENCES projects (id),
    section_id    TEXT REFERENCES sections (id),
    stage         TEXT NOT NULL,
    objector_id   TEXT NOT NULL REFERENCES participants (id),
    content       TEXT NOT NULL,
    knew_at       TIMESTAMP,
    raised_at     TIMESTAMP NOT NULL,
    rule_id       TEXT NOT NULL,
    reply_rule_id TEXT NOT NULL,
    reply_due     TIMESTAMP NOT NULL,
    answer        TEXT,
    answered_at   TIMESTAMP,
    answered_by   TEXT,
    suspension_id TEXT REFERENCES suspensions (id)
);

CREATE INDEX objections_project ON objections (project_id, raised_at);
CREATE INDEX objections_open ON objections (answered_at, reply_due);
