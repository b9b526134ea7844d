DROP INDEX notifications_recipient_kind;
DROP TABLE clock_floors;
