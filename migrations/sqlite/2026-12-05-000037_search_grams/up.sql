-- An index of every entry's lowered characters and pairs of characters, so that a search of
-- one or two characters (which no trigram answers: two-character Chinese names are common)
-- finds its hits from an index, where it read a window of the newest 20,000 entries. An
-- FTS5 table without content whose unicode61 tokenizer reads `search_grams(text)`: the
-- grams separated by spaces, made by the store's `search::grams`, which every connection
-- of the platform registers (a connection without it, such as the sqlite3 shell, cannot
-- write search entries). One gram is one token, so neither positions nor sizes are kept.
CREATE VIRTUAL TABLE search_bigrams USING fts5 (
    grams, content = '', detail = none, columnsize = 0, tokenize = 'unicode61 remove_diacritics 0'
);
INSERT INTO search_bigrams (rowid, grams) SELECT id, search_grams(text) FROM search_entries;
CREATE TRIGGER search_entries_grams_indexed AFTER INSERT ON search_entries BEGIN
    INSERT INTO search_bigrams (rowid, grams) VALUES (new.id, search_grams(new.text));
END;
CREATE TRIGGER search_entries_grams_unindexed AFTER DELETE ON search_entries BEGIN
    INSERT INTO search_bigrams (search_bigrams, rowid, grams) VALUES ('delete', old.id, search_grams(old.text));
END;
CREATE TRIGGER search_entries_grams_reindexed AFTER UPDATE OF text ON search_entries BEGIN
    INSERT INTO search_bigrams (search_bigrams, rowid, grams) VALUES ('delete', old.id, search_grams(old.text));
    INSERT INTO search_bigrams (rowid, grams) VALUES (new.id, search_grams(new.text));
END;
