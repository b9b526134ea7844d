-- The opening time of a section's terms, beside its bid deadline, so that the openings
-- of a range of dates (GET /public/openings) are one range of one index of sections,
-- whatever else announcements hold; ordered by the announcement's opening time they had to
-- walk announcements that open in the range and name no section.
ALTER TABLE section_terms ADD COLUMN opening_at TIMESTAMP;
UPDATE section_terms SET opening_at = (SELECT a.opening_at FROM announcements a WHERE a.id = section_terms.announcement_id);
ALTER TABLE section_terms ALTER COLUMN opening_at SET NOT NULL;
CREATE INDEX section_terms_opening ON section_terms (opening_at, section_id);

-- Nothing reads announcements by opening time any more: the schedule reads the terms.
DROP INDEX announcements_opening;
