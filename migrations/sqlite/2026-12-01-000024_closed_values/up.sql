-- Every text column that holds a closed enum lists its values (the enums of the domain
-- crates; crates/store/tests/store/schema.rs holds both backends to them). These columns
-- had none yet; SQLite cannot add a CHECK to an existing table, so triggers refuse any
-- other value on insert and on update.

CREATE TRIGGER projects_status_check_insert BEFORE INSERT ON projects
WHEN NEW.status NOT IN ('registered', 'awaiting_regulator', 'direct_award_publicity', 'tendering', 'terminated')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: projects.status');
END;
CREATE TRIGGER projects_status_check_update BEFORE UPDATE OF status ON projects
WHEN NEW.status NOT IN ('registered', 'awaiting_regulator', 'direct_award_publicity', 'tendering', 'terminated')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: projects.status');
END;
CREATE TRIGGER projects_entry_outcome_check_insert BEFORE INSERT ON projects
WHEN NEW.entry_outcome NOT IN ('must_enter', 'municipal_platform', 'voluntary', 'not_required')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: projects.entry_outcome');
END;
CREATE TRIGGER projects_entry_outcome_check_update BEFORE UPDATE OF entry_outcome ON projects
WHEN NEW.entry_outcome NOT IN ('must_enter', 'municipal_platform', 'voluntary', 'not_required')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: projects.entry_outcome');
END;
CREATE TRIGGER projects_category_check_insert BEFORE INSERT ON projects
WHEN NEW.category NOT IN ('construction', 'procurement', 'land_mining', 'state_property', 'other')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: projects.category');
END;
CREATE TRIGGER projects_category_check_update BEFORE UPDATE OF category ON projects
WHEN NEW.category NOT IN ('construction', 'procurement', 'land_mining', 'state_property', 'other')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: projects.category');
END;
CREATE TRIGGER bonds_status_check_insert BEFORE INSERT ON bonds
WHEN NEW.status NOT IN ('held', 'refund_pending', 'refund_failed', 'refunded', 'returned', 'forfeited', 'applied_to_price')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: bonds.status');
END;
CREATE TRIGGER bonds_status_check_update BEFORE UPDATE OF status ON bonds
WHEN NEW.status NOT IN ('held', 'refund_pending', 'refund_failed', 'refunded', 'returned', 'forfeited', 'applied_to_price')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: bonds.status');
END;
CREATE TRIGGER bonds_refund_trigger_check_insert BEFORE INSERT ON bonds
WHEN NEW.refund_trigger IS NOT NULL AND NEW.refund_trigger NOT IN ('withdrawal', 'award_notice', 'contract_signed', 'termination')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: bonds.refund_trigger');
END;
CREATE TRIGGER bonds_refund_trigger_check_update BEFORE UPDATE OF refund_trigger ON bonds
WHEN NEW.refund_trigger IS NOT NULL AND NEW.refund_trigger NOT IN ('withdrawal', 'award_notice', 'contract_signed', 'termination')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: bonds.refund_trigger');
END;
CREATE TRIGGER complaints_outcome_check_insert BEFORE INSERT ON complaints
WHEN NEW.outcome IS NOT NULL AND NEW.outcome NOT IN ('dismissed', 'upheld')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: complaints.outcome');
END;
CREATE TRIGGER complaints_outcome_check_update BEFORE UPDATE OF outcome ON complaints
WHEN NEW.outcome IS NOT NULL AND NEW.outcome NOT IN ('dismissed', 'upheld')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: complaints.outcome');
END;
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
CREATE TRIGGER violation_cases_subject_kind_check_insert BEFORE INSERT ON violation_cases
WHEN NEW.subject_kind NOT IN ('comprehensive_regulator', 'industry_regulator', 'centre', 'tenderer', 'bidder', 'agency', 'expert', 'supervisor', 'tenderer_representative')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: violation_cases.subject_kind');
END;
CREATE TRIGGER violation_cases_subject_kind_check_update BEFORE UPDATE OF subject_kind ON violation_cases
WHEN NEW.subject_kind NOT IN ('comprehensive_regulator', 'industry_regulator', 'centre', 'tenderer', 'bidder', 'agency', 'expert', 'supervisor', 'tenderer_representative')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: violation_cases.subject_kind');
END;
