-- Every user's screens (GET /notifications, GET /complaints).
--
-- A notification is read or not: when its inbox marked it read (POST
-- /notifications/{id}/read, POST /notifications/read); null while unread.
ALTER TABLE notifications ADD COLUMN read_at TIMESTAMP;
-- An inbox lists newest first: the keyset runs on (created_at, id) within a recipient, and
-- the unread ones (the filter and the count) have their own, smaller index.
DROP INDEX notifications_recipient;
CREATE INDEX notifications_recipient_created ON notifications (recipient, created_at, id);
CREATE INDEX notifications_recipient_unread ON notifications (recipient, created_at, id) WHERE read_at IS NULL;
-- A regulator's (or a complainant's) complaints, newest filing first.
CREATE INDEX complaints_filed ON complaints (filed_at, id);
CREATE INDEX complaints_complainant_filed ON complaints (complainant_id, filed_at, id);
