-- The opening time of a section's terms, beside its bid deadline, so that the openings
-- of a range of dates (GET /public/openings) are one range of one index of sections,
-- whatever else announcements hold. SQLite adds a NOT NULL column only with a default; every
-- row gets its real value right after.
ALTER TABLE section_terms ADD COLUMN opening_at TIMESTAMP NOT NULL DEFAULT '1970-01-01 00:00:00';
UPDATE section_terms SET opening_at = (SELECT a.opening_at FROM announcements a WHERE a.id = section_terms.announcement_id);
CREATE INDEX section_terms_opening ON section_terms (opening_at, section_id);

-- Nothing reads announcements by opening time any more: the schedule reads the terms.
DROP INDEX announcements_opening;
