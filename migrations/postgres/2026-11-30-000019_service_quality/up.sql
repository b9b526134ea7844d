-- Service quality (细则 §39–40): the centre publishes its service items with the time it
-- promises for each; participants rate a finished service on a project.
CREATE TABLE service_items (
    id                      TEXT PRIMARY KEY,
    name                    TEXT NOT NULL,
    promised_working_days   INTEGER NOT NULL CHECK (promised_working_days BETWEEN 1 AND 60),
    description             TEXT NOT NULL,
    published_by            TEXT NOT NULL,
    published_at            TIMESTAMP NOT NULL
);

CREATE TABLE service_ratings (
    id              TEXT PRIMARY KEY,
    service_item_id TEXT NOT NULL REFERENCES service_items (id),
    participant_id  TEXT NOT NULL REFERENCES participants (id),
    project_id      TEXT NOT NULL REFERENCES projects (id),
    score           INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    on_time         INTEGER NOT NULL CHECK (on_time IN (0, 1)),
    comment         TEXT,
    rated_at        TIMESTAMP NOT NULL,
    UNIQUE (service_item_id, participant_id, project_id)
);
