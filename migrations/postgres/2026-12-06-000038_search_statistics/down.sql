CREATE OR REPLACE FUNCTION search_grams(entry_text text) RETURNS text[]
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
ALTER INDEX search_entries_grams ALTER COLUMN 1 SET STATISTICS -1;
ALTER TABLE search_entries ALTER COLUMN text SET STATISTICS -1;
ANALYZE search_entries;
