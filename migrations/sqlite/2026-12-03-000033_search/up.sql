-- Search of what people look for by the words they know (项目名称, 项目编号, 招标人, 主体名称,
-- 统一社会信用代码): one row per searchable object, its fields and their text, kept by
-- the platform as it writes the objects.
CREATE TABLE search_entries (
    -- An explicit INTEGER PRIMARY KEY: the FTS index refers to it, and VACUUM keeps it.
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('announcement', 'listing', 'project', 'participant')),
    object_id TEXT NOT NULL,
    -- The project of an announcement, listing or project; none for a participant.
    project_id TEXT REFERENCES projects (id),
    -- A project's name (a participant's), its code (a participant's credit code) and its
    -- tenderer's name (none for a participant).
    name TEXT NOT NULL,
    code TEXT NOT NULL,
    party TEXT,
    -- What a query is matched against: the fields above, space-separated.
    text TEXT NOT NULL,
    UNIQUE (kind, object_id)
);

INSERT INTO search_entries (kind, object_id, project_id, name, code, party, text)
    SELECT 'announcement', a.id, p.id, p.name, p.code, t.name, p.name || ' ' || p.code || ' ' || t.name
    FROM announcements a JOIN projects p ON p.id = a.project_id JOIN participants t ON t.id = p.tenderer_id;
INSERT INTO search_entries (kind, object_id, project_id, name, code, party, text)
    SELECT 'listing', l.id, p.id, p.name, p.code, t.name, p.name || ' ' || p.code || ' ' || t.name
    FROM listings l JOIN projects p ON p.id = l.project_id JOIN participants t ON t.id = p.tenderer_id;
INSERT INTO search_entries (kind, object_id, project_id, name, code, party, text)
    SELECT 'project', p.id, p.id, p.name, p.code, t.name, p.name || ' ' || p.code || ' ' || t.name
    FROM projects p JOIN participants t ON t.id = p.tenderer_id;
INSERT INTO search_entries (kind, object_id, project_id, name, code, party, text)
    SELECT 'participant', id, NULL, name, credit_code, NULL, name || ' ' || credit_code FROM participants;

-- Trigram full-text index (FTS5's trigram tokenizer, SQLite 3.34 and later) over the
-- entries' text, kept in step with them by triggers.
CREATE VIRTUAL TABLE search_trigrams USING fts5 (text, content = 'search_entries', content_rowid = 'id', tokenize = 'trigram');
INSERT INTO search_trigrams (search_trigrams) VALUES ('rebuild');
CREATE TRIGGER search_entries_indexed AFTER INSERT ON search_entries BEGIN
    INSERT INTO search_trigrams (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER search_entries_unindexed AFTER DELETE ON search_entries BEGIN
    INSERT INTO search_trigrams (search_trigrams, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER search_entries_reindexed AFTER UPDATE ON search_entries BEGIN
    INSERT INTO search_trigrams (search_trigrams, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO search_trigrams (rowid, text) VALUES (new.id, new.text);
END;
