DROP INDEX venue_bookings_starts;
DROP INDEX announcements_opening;
DROP TABLE notice_reminders;
