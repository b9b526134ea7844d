DROP TABLE entrusted_agents;
DROP TABLE basic_account_declarations;
DROP TABLE risk_alert_departments;
DROP INDEX risk_alerts_group;
ALTER TABLE risk_alerts DROP COLUMN group_id;
DELETE FROM risk_alerts WHERE indicator = 'shared_basic_account';
-- A merged alert was untouched before its merge: its one step is the merge, which the
-- older build cannot read.
UPDATE risk_alerts SET status = 'dismissed', handling = '[]' WHERE status = 'merged';
ALTER TABLE risk_alerts DROP CONSTRAINT risk_alerts_status_check;
ALTER TABLE risk_alerts ADD CONSTRAINT risk_alerts_status_check CHECK (status IN ('open', 'investigating', 'dismissed', 'confirmed'));
ALTER TABLE risk_alerts DROP CONSTRAINT risk_alerts_indicator_check;
ALTER TABLE risk_alerts ADD CONSTRAINT risk_alerts_indicator_check CHECK (indicator IN ('same_device', 'same_author', 'same_handler', 'same_project_manager', 'identical_documents', 'price_pattern', 'same_bond_account', 'shared_legal_representative', 'control_relation', 'rotating_group', 'single_bid', 'win_at_ceiling', 'others_all_disqualified', 'lowest_disqualified'));
