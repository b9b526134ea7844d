-- The public event feed (细则 §31): every public change in commit order. Positions come
-- from one counter row updated inside the writing transaction, so a later position is
-- never committed before an earlier one and a reader's cursor never skips an event.
CREATE TABLE public_event_counter (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    last    BIGINT NOT NULL
);
INSERT INTO public_event_counter (id, last) VALUES (1, 0);

CREATE TABLE public_events (
    position        BIGINT PRIMARY KEY,
    event_type      TEXT NOT NULL,
    occurred_at     TIMESTAMP NOT NULL,
    object_type     TEXT NOT NULL,
    object_id       TEXT NOT NULL,
    project_id      TEXT,
    -- the public route that shows the changed record
    resource        TEXT
);
