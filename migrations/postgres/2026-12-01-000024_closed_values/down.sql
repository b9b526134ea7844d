ALTER TABLE violation_cases DROP CONSTRAINT violation_cases_subject_kind_check;
ALTER TABLE risk_alerts DROP CONSTRAINT risk_alerts_indicator_check;
ALTER TABLE complaints DROP CONSTRAINT complaints_outcome_check;
ALTER TABLE bonds DROP CONSTRAINT bonds_refund_trigger_check;
ALTER TABLE bonds DROP CONSTRAINT bonds_status_check;
ALTER TABLE projects DROP CONSTRAINT projects_category_check;
ALTER TABLE projects DROP CONSTRAINT projects_entry_outcome_check;
ALTER TABLE projects DROP CONSTRAINT projects_status_check;
