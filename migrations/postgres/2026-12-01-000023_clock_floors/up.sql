-- A due date that a clock computed on demand (contract signing, complaint decision) had
-- on a provisional calendar year, kept when the official year made it earlier: the later
-- of the two stands for a duty already running.
CREATE TABLE clock_floors (
    kind TEXT NOT NULL CHECK (kind IN ('contract_signing', 'complaint_decision')),
    subject_id TEXT NOT NULL,
    due TIMESTAMP NOT NULL,
    set_at TIMESTAMP NOT NULL,
    PRIMARY KEY (kind, subject_id)
);
CREATE INDEX notifications_recipient_kind ON notifications (recipient, kind, created_at);
