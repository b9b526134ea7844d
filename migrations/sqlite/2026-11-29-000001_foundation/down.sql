DROP TABLE service_accounts;
DROP TABLE persons;
DROP TABLE participants;
DROP TABLE departments;
DROP TRIGGER audit_events_no_delete;
DROP TRIGGER audit_events_no_update;
DROP TABLE audit_events;
