CREATE INDEX announcements_opening ON announcements (opening_at, id);
DROP INDEX section_terms_opening;
ALTER TABLE section_terms DROP COLUMN opening_at;
