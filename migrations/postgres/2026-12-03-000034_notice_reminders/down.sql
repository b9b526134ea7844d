DROP TABLE notice_reminders;
