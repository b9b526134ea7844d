-- OCDS releases: one per public event of a contracting process, written in the event's
-- transaction with what was public at that moment. Positions come from one counter row,
-- so they follow commit order like the public event feed. The `ocid` and release `id` are
-- put on when read (the ocid prefix is configuration).
CREATE TABLE ocds_release_counter (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    last    BIGINT NOT NULL
);
INSERT INTO ocds_release_counter (id, last) VALUES (1, 0);

CREATE TABLE ocds_releases (
    position        BIGINT PRIMARY KEY,
    project_id      TEXT NOT NULL,
    project_code    TEXT NOT NULL,
    published_at    TIMESTAMP NOT NULL,
    -- the release without ocid and id, as JSON
    body            TEXT NOT NULL
);
CREATE INDEX ocds_releases_by_process ON ocds_releases (project_code, position);
