-- Reminders of clocks about to run out (deadline.due) and of overdue refunds
-- (refund.overdue): one row per reminder sent, so that the scheduled reminder, which runs
-- every few minutes in every instance, sends each once. The key names the notice, the
-- clock, its subject and its due moment (a clock whose due moment moves is reminded of again).
CREATE TABLE notice_reminders (
    reminder_key TEXT PRIMARY KEY,
    sent_at TIMESTAMP NOT NULL
);
-- The day's openings (GET /public/openings) by the opening time their announcement gives,
-- and the bookings across rooms (GET /bookings) by start.
CREATE INDEX announcements_opening ON announcements (opening_at, id);
CREATE INDEX venue_bookings_starts ON venue_bookings (starts_at, id);
