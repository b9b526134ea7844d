-- Control between participants (控股、管理关系, 条例 §34): recorded once, read by the
-- risk scan and by anyone checking barred bidders.
CREATE TABLE participant_controls (
    controller_id   TEXT NOT NULL REFERENCES participants (id),
    controlled_id   TEXT NOT NULL REFERENCES participants (id),
    kind            TEXT NOT NULL CHECK (kind IN ('holding', 'management')),
    recorded_by     TEXT NOT NULL,
    recorded_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (controller_id, controlled_id),
    CHECK (controller_id <> controlled_id)
);
CREATE INDEX participant_controls_controlled ON participant_controls (controlled_id);

-- Bids the evaluation committee rejected (否决投标), recorded before its report; the
-- report ranks only the others.
CREATE TABLE bid_rejections (
    section_id      TEXT NOT NULL REFERENCES sections (id),
    bidder_id       TEXT NOT NULL REFERENCES participants (id),
    reason          TEXT NOT NULL,
    recorded_by     TEXT NOT NULL,
    recorded_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (section_id, bidder_id)
);

-- Collusion risk alerts. The fingerprint (indicator, sections, bidders) makes a rescan
-- find an alert again instead of raising it twice.
CREATE TABLE risk_alerts (
    id              TEXT PRIMARY KEY,
    fingerprint     TEXT NOT NULL UNIQUE,
    indicator       TEXT NOT NULL,
    rule_id         TEXT NOT NULL,
    severity        TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high')),
    -- JSON lists
    project_ids     TEXT NOT NULL,
    section_ids     TEXT NOT NULL,
    bidders         TEXT NOT NULL,
    evidence        TEXT NOT NULL,
    -- the industry regulator of the project, or 公管办 across projects
    department_id   TEXT NOT NULL REFERENCES departments (id),
    status          TEXT NOT NULL CHECK (status IN ('open', 'investigating', 'dismissed', 'confirmed')),
    detected_at     TIMESTAMP NOT NULL,
    -- JSON list of handling steps; JSON list of violation cases opened on confirmation
    handling        TEXT NOT NULL,
    violation_cases TEXT NOT NULL,
    version         BIGINT NOT NULL
);
CREATE INDEX risk_alerts_department ON risk_alerts (department_id, id);
