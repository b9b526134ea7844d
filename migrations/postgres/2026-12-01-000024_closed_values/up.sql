-- Every text column that holds a closed enum lists its values (the enums of the domain
-- crates; crates/store/tests/store/schema.rs holds both backends to them). These columns
-- had none yet.

ALTER TABLE projects ADD CONSTRAINT projects_status_check CHECK (status IN ('registered', 'awaiting_regulator', 'direct_award_publicity', 'tendering', 'terminated'));
ALTER TABLE projects ADD CONSTRAINT projects_entry_outcome_check CHECK (entry_outcome IN ('must_enter', 'municipal_platform', 'voluntary', 'not_required'));
ALTER TABLE projects ADD CONSTRAINT projects_category_check CHECK (category IN ('construction', 'procurement', 'land_mining', 'state_property', 'other'));
ALTER TABLE bonds ADD CONSTRAINT bonds_status_check CHECK (status IN ('held', 'refund_pending', 'refund_failed', 'refunded', 'returned', 'forfeited', 'applied_to_price'));
ALTER TABLE bonds ADD CONSTRAINT bonds_refund_trigger_check CHECK (refund_trigger IS NULL OR refund_trigger IN ('withdrawal', 'award_notice', 'contract_signed', 'termination'));
ALTER TABLE complaints ADD CONSTRAINT complaints_outcome_check CHECK (outcome IS NULL OR outcome IN ('dismissed', 'upheld'));
ALTER TABLE risk_alerts ADD CONSTRAINT risk_alerts_indicator_check CHECK (indicator IN ('same_device', 'same_author', 'same_handler', 'same_project_manager', 'identical_documents', 'price_pattern', 'same_bond_account', 'shared_legal_representative', 'control_relation', 'rotating_group', 'single_bid', 'win_at_ceiling', 'others_all_disqualified', 'lowest_disqualified'));
ALTER TABLE violation_cases ADD CONSTRAINT violation_cases_subject_kind_check CHECK (subject_kind IN ('comprehensive_regulator', 'industry_regulator', 'centre', 'tenderer', 'bidder', 'agency', 'expert', 'supervisor', 'tenderer_representative'));
