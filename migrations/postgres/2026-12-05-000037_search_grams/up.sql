-- An index of every entry's lowered characters and pairs of characters, so that a search of
-- one or two characters (which no trigram answers: two-character Chinese names are common)
-- finds every hit however far back, where it read a window of the newest 20,000 entries.
-- The store's `search::grams` makes the same grams for SQLite's index. In PL/pgSQL rather
-- than SQL: a set-returning SQL body cost about four times as much per entry.
CREATE FUNCTION search_grams(entry_text text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
DECLARE
    chars text[] := string_to_array(lower(entry_text), NULL);
    grams text[] := chars;
BEGIN
    FOR i IN 1 .. cardinality(chars) - 1 LOOP
        grams := grams || (chars[i] || chars[i + 1]);
    END LOOP;
    RETURN ARRAY(SELECT DISTINCT gram FROM unnest(grams) AS gram ORDER BY gram);
END
$$;
CREATE INDEX search_entries_grams ON search_entries USING gin (search_grams(text));
