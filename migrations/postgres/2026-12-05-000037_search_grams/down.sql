DROP INDEX search_entries_grams;
DROP FUNCTION search_grams(text);
