DROP TABLE notifications;
DROP TABLE suspensions;
DROP TABLE venue_bookings;
DROP TABLE venues;
DROP TABLE questions;
