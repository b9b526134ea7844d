-- A webhook secret being rotated away from, and until when deliveries are signed with it
-- too (receivers switch to the new secret within that grace period).
ALTER TABLE webhook_subscriptions ADD COLUMN previous_secret TEXT;
ALTER TABLE webhook_subscriptions ADD COLUMN previous_secret_until TIMESTAMP;
