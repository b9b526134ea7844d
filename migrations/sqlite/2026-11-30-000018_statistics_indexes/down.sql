ALTER TABLE openings DROP COLUMN bid_count;
DROP INDEX projects_registered;
