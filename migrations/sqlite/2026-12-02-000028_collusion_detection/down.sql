DROP TABLE entrusted_agents;
DROP TABLE basic_account_declarations;
DROP TABLE risk_alert_departments;
DELETE FROM risk_alerts WHERE indicator = 'shared_basic_account';
-- A merged alert was untouched before its merge: its one step is the merge, which the
-- older build cannot read.
UPDATE risk_alerts SET status = 'dismissed', handling = '[]' WHERE status = 'merged';
CREATE TABLE risk_alerts_rebuilt (
    id              TEXT PRIMARY KEY,
    fingerprint     TEXT NOT NULL UNIQUE,
    indicator       TEXT NOT NULL,
    rule_id         TEXT NOT NULL,
    severity        TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high')),
    project_ids     TEXT NOT NULL,
    section_ids     TEXT NOT NULL,
    bidders         TEXT NOT NULL,
    evidence        TEXT NOT NULL,
    department_id   TEXT NOT NULL REFERENCES departments (id),
    status          TEXT NOT NULL CHECK (status IN ('open', 'investigating', 'dismissed', 'confirmed')),
    detected_at     TIMESTAMP NOT NULL,
    handling        TEXT NOT NULL,
    violation_cases TEXT NOT NULL,
    version         BIGINT NOT NULL
);
INSERT INTO risk_alerts_rebuilt SELECT id, fingerprint, indicator, rule_id, severity, project_ids, section_ids, bidders,
    evidence, department_id, status, detected_at, handling, violation_cases, version FROM risk_alerts;
DROP TABLE risk_alerts;
ALTER TABLE risk_alerts_rebuilt RENAME TO risk_alerts;
CREATE INDEX risk_alerts_department ON risk_alerts (department_id, id);
CREATE TRIGGER risk_alerts_indicator_check_insert BEFORE INSERT ON risk_alerts
WHEN NEW.indicator NOT IN ('same_device', 'same_author', 'same_handler', 'same_project_manager', 'identical_documents', 'price_pattern', 'same_bond_account', 'shared_legal_representative', 'control_relation', 'rotating_group', 'single_bid', 'win_at_ceiling', 'others_all_disqualified', 'lowest_disqualified')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: risk_alerts.indicator');
END;
CREATE TRIGGER risk_alerts_indicator_check_update BEFORE UPDATE OF indicator ON risk_alerts
WHEN NEW.indicator NOT IN ('same_device', 'same_author', 'same_handler', 'same_project_manager', 'identical_documents', 'price_pattern', 'same_bond_account', 'shared_legal_representative', 'control_relation', 'rotating_group', 'single_bid', 'win_at_ceiling', 'others_all_disqualified', 'lowest_disqualified')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: risk_alerts.indicator');
END;
