DROP INDEX complaints_complainant_filed;
DROP INDEX complaints_filed;
DROP INDEX notifications_recipient_unread;
DROP INDEX notifications_recipient_created;
CREATE INDEX notifications_recipient ON notifications (recipient, id);
ALTER TABLE notifications DROP COLUMN read_at;
