DROP TABLE service_accounts;
ALTER TABLE participants DROP CONSTRAINT participants_legal_representative_person_fk;
DROP TABLE persons;
DROP TABLE participants;
DROP TABLE departments;
DROP TRIGGER audit_events_no_truncate ON audit_events;
DROP TABLE audit_events;
DROP FUNCTION audit_events_append_only();
