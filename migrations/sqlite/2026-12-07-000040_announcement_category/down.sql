DROP INDEX announcements_kind;
DROP INDEX announcements_category;
DROP INDEX announcements_category_kind;
ALTER TABLE announcements DROP COLUMN category;
