DROP TABLE openings;
DROP TABLE bids;
DROP TABLE section_keys;
