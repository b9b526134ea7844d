-- Every read of a project's archive: who, when and why (细则 §20).
CREATE TABLE archive_reads (
    seq        BIGSERIAL PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects (id),
    reader     TEXT NOT NULL,
    purpose    TEXT NOT NULL,
    read_at    TIMESTAMP NOT NULL
);

CREATE INDEX archive_reads_project ON archive_reads (project_id, seq);
