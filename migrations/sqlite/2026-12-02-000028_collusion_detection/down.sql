DROP TABLE entrusted_agents;
DROP TABLE basic_account_declarations;
DROP TABLE risk_alert_departments;
DROP INDEX risk_alerts_group;
ALTER TABLE risk_alerts DROP COLUMN group_id;
DELETE FROM risk_alerts WHERE indicator = 'shared_basic_account';
DROP TRIGGER risk_alerts_indicator_check_insert;
DROP TRIGGER risk_alerts_indicator_check_update;
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
