-- A new indicator: one basic account (基本账户) declared by different firms.
ALTER TABLE risk_alerts DROP CONSTRAINT risk_alerts_indicator_check;
ALTER TABLE risk_alerts ADD CONSTRAINT risk_alerts_indicator_check CHECK (indicator IN ('same_device', 'same_author', 'same_handler', 'same_project_manager', 'identical_documents', 'price_pattern', 'same_bond_account', 'shared_legal_representative', 'control_relation', 'rotating_group', 'single_bid', 'win_at_ceiling', 'others_all_disqualified', 'lowest_disqualified', 'shared_basic_account'));

-- An open alert found to be part of a larger one of the same ring is merged into it.
ALTER TABLE risk_alerts DROP CONSTRAINT risk_alerts_status_check;
ALTER TABLE risk_alerts ADD CONSTRAINT risk_alerts_status_check
    CHECK (status IN ('open', 'investigating', 'dismissed', 'confirmed', 'merged'));

-- One alert per ring: the alerts of one group share its identity (the first alert's id).
ALTER TABLE risk_alerts ADD COLUMN group_id TEXT NOT NULL DEFAULT '';
UPDATE risk_alerts SET group_id = id;
CREATE INDEX risk_alerts_group ON risk_alerts (group_id);

-- Every department an alert goes to: the industry regulator of each project involved, and
-- 公管办. Alerts raised before go to their department and to 公管办.
CREATE TABLE risk_alert_departments (
    alert_id       TEXT NOT NULL REFERENCES risk_alerts (id),
    department_id  TEXT NOT NULL,
    PRIMARY KEY (alert_id, department_id)
);
CREATE INDEX risk_alert_departments_department ON risk_alert_departments (department_id, alert_id);
INSERT INTO risk_alert_departments (alert_id, department_id) SELECT id, department_id FROM risk_alerts;
INSERT INTO risk_alert_departments (alert_id, department_id)
    SELECT id, 'gongguanban' FROM risk_alerts WHERE department_id <> 'gongguanban';

-- Each bond paid from an account its bidder declared its basic account (基本账户), with
-- that account as one comparable key (institution and digits). Bonds deposited before are
-- keyed when the server starts.
CREATE TABLE basic_account_declarations (
    bond_id      TEXT PRIMARY KEY REFERENCES bonds (id),
    bidder_id    TEXT NOT NULL,
    section_id   TEXT NOT NULL,
    account_key  TEXT NOT NULL
);
CREATE INDEX basic_account_declarations_account ON basic_account_declarations (account_key, bidder_id);

-- Persons a bidder entrusts to act for it (委托代理人) without being its staff.
CREATE TABLE entrusted_agents (
    bidder_id     TEXT NOT NULL REFERENCES participants (id),
    person_id     TEXT NOT NULL REFERENCES persons (id),
    entrusted_at  TIMESTAMP NOT NULL,
    entrusted_by  TEXT NOT NULL,
    PRIMARY KEY (bidder_id, person_id)
);
CREATE INDEX entrusted_agents_person ON entrusted_agents (person_id);
