//! Every rule id of `RULES.md` as a constant, so that code cites rules without typos.
//!
//! `rule_ids::ENTRY_THRESHOLD == "entry.threshold"`; [`ALL`] lists them in table order.

pub const ENTRY_THRESHOLD: &str = "entry.threshold";
pub const ENTRY_CATEGORIES: &str = "entry.categories";
pub const ENTRY_CATALOGUE: &str = "entry.catalogue";
pub const ENTRY_VOLUNTARY: &str = "entry.voluntary";
pub const ENTRY_MUNICIPAL: &str = "entry.municipal";
pub const ENTRY_REGISTRATION_FORM: &str = "entry.registration_form";
pub const REGISTRATION_ONE_TIME_NOTICE: &str = "registration.one_time_notice";
pub const REGISTRATION_SERVICE_OWNER: &str = "registration.service_owner";
pub const AGENCY_MAX_AGENTS: &str = "agency.max_agents";
pub const DIRECT_AWARD_PUBLICITY: &str = "direct_award.publicity";
pub const REGULATOR_ASSIGNMENT: &str = "regulator.assignment";
pub const CENTRE_NO_REGULATORY_POWER: &str = "centre.no_regulatory_power";
pub const BOND_CENTRAL: &str = "bond.central";
pub const SERVICES_FREE: &str = "services.free";
pub const PARTICIPANT_REGISTER_ONCE: &str = "participant.register_once";
pub const CREDIT_COMMITMENT: &str = "credit.commitment";
pub const RECUSAL: &str = "recusal";
pub const CONSTRUCTION_BIDDING_PERIOD: &str = "construction.bidding_period";
pub const CONSTRUCTION_DOC_SALE_PERIOD: &str = "construction.doc_sale_period";
pub const CONSTRUCTION_CLARIFICATION: &str = "construction.clarification";
pub const CONSTRUCTION_OBJECTION_PREQUAL_DOCS: &str = "construction.objection.prequal_docs";
pub const CONSTRUCTION_OBJECTION_TENDER_DOCS: &str = "construction.objection.tender_docs";
pub const CONSTRUCTION_OBJECTION_REPLY: &str = "construction.objection.reply";
pub const CONSTRUCTION_OBJECTION_OPENING: &str = "construction.objection.opening";
pub const CONSTRUCTION_MIN_BIDDERS: &str = "construction.min_bidders";
/// Bids sealed by the bidder: each decrypts its own at the opening within this window.
pub const DECRYPTION_WINDOW: &str = "tendering.decryption_window";
/// Bids sealed by the bidder: a section announced so takes envelopes only.
pub const BIDDER_SEALING: &str = "tendering.bidder_sealing";
pub const CONSTRUCTION_CANDIDATES_PUBLISH: &str = "construction.candidates.publish";
pub const CONSTRUCTION_CANDIDATES_PUBLICITY: &str = "construction.candidates.publicity";
pub const CONSTRUCTION_CANDIDATES_MAX: &str = "construction.candidates.max";
pub const CONSTRUCTION_COMPLAINT_WINDOW: &str = "construction.complaint.window";
pub const CONSTRUCTION_COMPLAINT_ACCEPTANCE: &str = "construction.complaint.acceptance";
pub const CONSTRUCTION_COMPLAINT_DECISION: &str = "construction.complaint.decision";
pub const CONSTRUCTION_BOND_CAP: &str = "construction.bond.cap";
pub const CONSTRUCTION_BOND_BASIC_ACCOUNT: &str = "construction.bond.basic_account";
pub const CONSTRUCTION_BOND_REFUND_AFTER_CONTRACT: &str = "construction.bond.refund_after_contract";
pub const CONSTRUCTION_BOND_REFUND_ON_WITHDRAWAL: &str = "construction.bond.refund_on_withdrawal";
pub const CONSTRUCTION_BOND_FORFEIT: &str = "construction.bond.forfeit";
pub const CONSTRUCTION_BOND_REFUND_ON_TERMINATION: &str = "construction.bond.refund_on_termination";
pub const CONSTRUCTION_PERFORMANCE_BOND_CAP: &str = "construction.performance_bond.cap";
pub const CONSTRUCTION_CONTRACT_WINDOW: &str = "construction.contract.window";
pub const CONSTRUCTION_EVALUATION_COMMITTEE: &str = "construction.evaluation.committee";
pub const CONSTRUCTION_COLLUSION_DEEMED: &str = "construction.collusion.deemed";
pub const CONSTRUCTION_BARRED_BIDDERS: &str = "construction.barred_bidders";
pub const CONSTRUCTION_DEBARMENT: &str = "construction.debarment";
pub const PROCUREMENT_BIDDING_PERIOD: &str = "procurement.bidding_period";
pub const PROCUREMENT_CLARIFICATION: &str = "procurement.clarification";
pub const PROCUREMENT_BOND_CAP: &str = "procurement.bond.cap";
pub const PROCUREMENT_BOND_REFUND_LOSERS: &str = "procurement.bond.refund_losers";
pub const PROCUREMENT_BOND_REFUND_WINNER: &str = "procurement.bond.refund_winner";
pub const PROCUREMENT_BOND_REFUND_ON_WITHDRAWAL: &str = "procurement.bond.refund_on_withdrawal";
pub const PROCUREMENT_BOND_LATE_FEE: &str = "procurement.bond.late_fee";
pub const PROCUREMENT_QUESTION_WINDOW: &str = "procurement.question.window";
pub const PROCUREMENT_QUESTION_REPLY: &str = "procurement.question.reply";
pub const PROCUREMENT_COMPLAINT_WINDOW: &str = "procurement.complaint.window";
pub const PROCUREMENT_COMPLAINT_DECISION: &str = "procurement.complaint.decision";
pub const PROCUREMENT_AWARD_PUBLISH: &str = "procurement.award.publish";
pub const PROCUREMENT_CONTRACT_WINDOW: &str = "procurement.contract.window";
pub const PROCUREMENT_SINGLE_SOURCE_PUBLICITY: &str = "procurement.single_source.publicity";
pub const PROCUREMENT_COMMITTEE: &str = "procurement.committee";
pub const PROCUREMENT_COLLUSION_DEEMED: &str = "procurement.collusion.deemed";
pub const PROCUREMENT_RECUSAL: &str = "procurement.recusal";
pub const LAND_ANNOUNCEMENT: &str = "land.announcement";
pub const LAND_LISTING_PERIOD: &str = "land.listing_period";
pub const LAND_DEPOSIT_REFUND: &str = "land.deposit.refund";
pub const MINING_ANNOUNCEMENT: &str = "mining.announcement";
pub const PROPERTY_DISCLOSURE: &str = "property.disclosure";
pub const PROPERTY_RELISTING_FLOOR: &str = "property.relisting_floor";
pub const CREDIT_RECORD_PUBLICITY: &str = "credit.record.publicity";
pub const CREDIT_SEVERITY_PERIODS: &str = "credit.severity.periods";
pub const CREDIT_REPAIR: &str = "credit.repair";
pub const CREDIT_SCORE: &str = "credit.score";
pub const CREDIT_USE: &str = "credit.use";

/// Every rule id, in the order of `RULES.md` and of [`definitions()`](crate::definitions()).
pub const ALL: [&str; 71] = [
    ENTRY_THRESHOLD,
    ENTRY_CATEGORIES,
    ENTRY_CATALOGUE,
    ENTRY_VOLUNTARY,
    ENTRY_MUNICIPAL,
    ENTRY_REGISTRATION_FORM,
    REGISTRATION_ONE_TIME_NOTICE,
    REGISTRATION_SERVICE_OWNER,
    AGENCY_MAX_AGENTS,
    DIRECT_AWARD_PUBLICITY,
    REGULATOR_ASSIGNMENT,
    CENTRE_NO_REGULATORY_POWER,
    BOND_CENTRAL,
    SERVICES_FREE,
    PARTICIPANT_REGISTER_ONCE,
    CREDIT_COMMITMENT,
    RECUSAL,
    CONSTRUCTION_BIDDING_PERIOD,
    CONSTRUCTION_DOC_SALE_PERIOD,
    CONSTRUCTION_CLARIFICATION,
    CONSTRUCTION_OBJECTION_PREQUAL_DOCS,
    CONSTRUCTION_OBJECTION_TENDER_DOCS,
    CONSTRUCTION_OBJECTION_REPLY,
    CONSTRUCTION_OBJECTION_OPENING,
    CONSTRUCTION_MIN_BIDDERS,
    CONSTRUCTION_CANDIDATES_PUBLISH,
    CONSTRUCTION_CANDIDATES_PUBLICITY,
    CONSTRUCTION_CANDIDATES_MAX,
    CONSTRUCTION_COMPLAINT_WINDOW,
    CONSTRUCTION_COMPLAINT_ACCEPTANCE,
    CONSTRUCTION_COMPLAINT_DECISION,
    CONSTRUCTION_BOND_CAP,
    CONSTRUCTION_BOND_BASIC_ACCOUNT,
    CONSTRUCTION_BOND_REFUND_AFTER_CONTRACT,
    CONSTRUCTION_BOND_REFUND_ON_WITHDRAWAL,
    CONSTRUCTION_BOND_FORFEIT,
    CONSTRUCTION_BOND_REFUND_ON_TERMINATION,
    CONSTRUCTION_PERFORMANCE_BOND_CAP,
    CONSTRUCTION_CONTRACT_WINDOW,
    CONSTRUCTION_EVALUATION_COMMITTEE,
    CONSTRUCTION_COLLUSION_DEEMED,
    CONSTRUCTION_BARRED_BIDDERS,
    CONSTRUCTION_DEBARMENT,
    PROCUREMENT_BIDDING_PERIOD,
    PROCUREMENT_CLARIFICATION,
    PROCUREMENT_BOND_CAP,
    PROCUREMENT_BOND_REFUND_LOSERS,
    PROCUREMENT_BOND_REFUND_WINNER,
    PROCUREMENT_BOND_REFUND_ON_WITHDRAWAL,
    PROCUREMENT_BOND_LATE_FEE,
    PROCUREMENT_QUESTION_WINDOW,
    PROCUREMENT_QUESTION_REPLY,
    PROCUREMENT_COMPLAINT_WINDOW,
    PROCUREMENT_COMPLAINT_DECISION,
    PROCUREMENT_AWARD_PUBLISH,
    PROCUREMENT_CONTRACT_WINDOW,
    PROCUREMENT_SINGLE_SOURCE_PUBLICITY,
    PROCUREMENT_COMMITTEE,
    PROCUREMENT_COLLUSION_DEEMED,
    PROCUREMENT_RECUSAL,
    LAND_ANNOUNCEMENT,
    LAND_LISTING_PERIOD,
    LAND_DEPOSIT_REFUND,
    MINING_ANNOUNCEMENT,
    PROPERTY_DISCLOSURE,
    PROPERTY_RELISTING_FLOOR,
    CREDIT_RECORD_PUBLICITY,
    CREDIT_SEVERITY_PERIODS,
    CREDIT_REPAIR,
    CREDIT_SCORE,
    CREDIT_USE,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definitions::definitions;

    #[test]
    fn constants_are_exactly_the_defined_ids() {
        let defined: Vec<&str> = definitions().iter().map(|d| d.id).collect();
        assert_eq!(ALL.to_vec(), defined);
        assert_eq!(ENTRY_THRESHOLD, "entry.threshold");
        assert_eq!(REGISTRATION_ONE_TIME_NOTICE, "registration.one_time_notice");
    }
}
