DROP TABLE search_trigrams;
DROP TABLE search_entries;
