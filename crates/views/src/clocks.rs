//! Response and request bodies of clocks (see `ggzy_service::clocks` for the use cases).

use chrono::{DateTime, NaiveDateTime, Utc};
use ggzy_kernel::AuditAction;
use ggzy_oversight::clocks::{self, ClockOwner, ClockSpan, Recounted, RunningClock};
use ggzy_oversight::complaint::ComplaintPause;
use ggzy_oversight::lifecycle::{ClockKind, ComplaintStatus, RecountOutcome};
use ggzy_rules::rule_ids;
use ggzy_store::evaluation::ResultRow;
use ggzy_store::ledger::BondRow;
use ggzy_store::objections::{ComplaintRow, ObjectionRow};
use ggzy_store::projects::{DirectAwardRow, ProjectRow};
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit_entry::AuditEntry;
use crate::proceedings::{NotificationPayload, RecountNotice};

/// One clock the loading of an official year recounted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RecountedClock {
    pub kind: ClockKind,
    pub project_id: String,
    /// The objection, complaint, bond, section or direct award.
    pub subject_id: String,
    pub rule_id: String,
    /// The due date counted with the provisional year.
    pub provisional_due: DateTime<Utc>,
    /// The due date counted with the official year.
    pub official_due: DateTime<Utc>,
    /// The due date now: the official one when it is later (`moved`), else the provisional
    /// one stands (`kept`).
    pub due: DateTime<Utc>,
    pub outcome: RecountOutcome,
}

impl RecountedClock {
    /// A recounted clock as the loader's answer lists it.
    pub fn of(recounted: &Recounted) -> Self {
        let Recounted { running, plan } = recounted;
        RecountedClock {
            kind: running.clock.kind,
            project_id: running.project_id.clone(),
            subject_id: running.subject_id.clone(),
            rule_id: running.rule_id.clone(),
            provisional_due: plan.provisional_due,
            official_due: plan.official_due,
            due: plan.due,
            outcome: plan.outcome,
        }
    }
}

/// The project a running clock belongs to, as its recount needs it.
pub fn clock_owner(project: &ProjectRow) -> ClockOwner<'_> {
    ClockOwner {
        project_id: &project.id,
        rule_set_version: project.rule_set_version,
        tenderer: &project.tenderer_id,
        regulator: project.regulator_id.as_deref(),
    }
}

/// What the parties of a clock the loading of `year` recounted are told
/// (`deadline.recounted`).
pub fn recount_notice(year: i32, recounted: &Recounted) -> NotificationPayload {
    let Recounted { running, plan } = recounted;
    NotificationPayload::Recount(RecountNotice {
        year,
        kind: running.clock.kind,
        rule_id: running.rule_id.clone(),
        counted_from: running.clock.event,
        provisional_due: plan.provisional_due,
        official_due: plan.official_due,
        due: plan.due,
        outcome: plan.outcome,
    })
}

/// The audit entry of a recounted clock on `chain`: the notice its parties are told.
pub fn recount_entry<'a>(
    chain: String,
    recounted: &Recounted,
    notice: &'a NotificationPayload,
) -> AuditEntry<&'a NotificationPayload> {
    let (kind, object_id) = (recounted.running.clock.kind, recounted.running.subject_id.clone());
    AuditEntry { chain, action: AuditAction::DeadlineRecount, object_type: kind.as_str(), object_id, payload: notice }
}

/// A stored moment and a stored due moment as the span of a clock.
fn span(from: NaiveDateTime, due: NaiveDateTime) -> ClockSpan {
    (crate::utc(from), crate::utc(due))
}

/// The answer clock of an unanswered objection, about its objector.
pub fn objection_clock(objection: &ObjectionRow, project: &ProjectRow) -> RunningClock {
    let (owner, party) = (clock_owner(project), Some(objection.objector_id.as_str()));
    let span = span(objection.raised_at, objection.reply_due);
    RunningClock::new(ClockKind::ObjectionAnswer, owner, &objection.id, &objection.reply_rule_id, span, party, false)
}

/// The acceptance clock of a complaint standing at `status`, while it runs.
pub fn acceptance_clock(
    complaint: &ComplaintRow,
    status: ComplaintStatus,
    project: &ProjectRow,
) -> Option<RunningClock> {
    if !clocks::acceptance_runs(status) {
        return None;
    }
    let (kind, rule) = (ClockKind::ComplaintAcceptance, rule_ids::CONSTRUCTION_COMPLAINT_ACCEPTANCE);
    let (owner, party) = (clock_owner(project), Some(complaint.complainant_id.as_str()));
    let span = span(complaint.filed_at, complaint.acceptance_due);
    Some(RunningClock::new(kind, owner, &complaint.id, rule, span, party, false))
}

/// The decision clock of a complaint under `rule` over `span`, its `pauses` not counted.
pub fn decision_clock(
    complaint: &ComplaintRow,
    project: &ProjectRow,
    rule: &str,
    span: ClockSpan,
    pauses: Vec<ComplaintPause>,
) -> RunningClock {
    let (owner, party) = (clock_owner(project), Some(complaint.complainant_id.as_str()));
    RunningClock::new(ClockKind::ComplaintDecision, owner, &complaint.id, rule, span, party, false).paused(pauses)
}

/// The refund clock of a bond once it has one, about its holder (who is not told while its
/// section is `sealed`).
pub fn bond_clock(bond: &BondRow, project: &ProjectRow, sealed: bool) -> Option<RunningClock> {
    let (Some(trigger_at), Some(deadline), Some(rule)) =
        (bond.refund_trigger_at, bond.refund_deadline, &bond.refund_rule)
    else {
        return None;
    };
    let (owner, party) = (clock_owner(project), Some(bond.bidder_id.as_str()));
    Some(RunningClock::new(ClockKind::BondRefund, owner, &bond.id, rule, span(trigger_at, deadline), party, sealed))
}

/// The candidate publicity clock of a section's result not yet awarded.
pub fn publicity_clock(result: &ResultRow, project: &ProjectRow) -> RunningClock {
    let (kind, rule) = (ClockKind::CandidatePublicity, rule_ids::CONSTRUCTION_CANDIDATES_PUBLICITY);
    let span = span(result.publicity_start, result.publicity_end);
    RunningClock::new(kind, clock_owner(project), &result.section_id, rule, span, None, false)
}

/// The contract signing clock of an awarded section under `rule` over `span`, about its
/// winner.
pub fn signing_clock(result: &ResultRow, project: &ProjectRow, rule: &str, span: ClockSpan) -> RunningClock {
    let (owner, winner) = (clock_owner(project), result.winner_id.as_deref());
    RunningClock::new(ClockKind::ContractSigning, owner, &result.section_id, rule, span, winner, false)
}

/// The publicity clock of a direct award, about its contractor.
pub fn direct_award_clock(award: &DirectAwardRow, project: &ProjectRow) -> RunningClock {
    let (owner, party) = (clock_owner(project), Some(award.contractor_id.as_str()));
    let span = span(award.reported_at, award.publicity_end);
    RunningClock::new(ClockKind::DirectAwardPublicity, owner, &award.id, &award.rule_id, span, party, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::project_row;
    use chrono::TimeZone;
    use ggzy_oversight::clocks::{Counting, RecountPlan};

    fn at(day: u32) -> NaiveDateTime {
        Utc.with_ymd_and_hms(2026, 10, day, 16, 0, 0).unwrap().naive_utc()
    }

    fn project() -> ProjectRow {
        ProjectRow { regulator_id: Some("r1".into()), rule_set_version: 3, ..project_row(at(1)) }
    }

    /// The kind, subject, rule, span and rule set of a running clock.
    fn shape(clock: &RunningClock) -> (ClockKind, &str, &str, ClockSpan, i32) {
        let span = (clock.clock.event, clock.clock.due);
        (clock.clock.kind, clock.subject_id.as_str(), clock.rule_id.as_str(), span, clock.rule_set_version)
    }

    #[test]
    fn an_objection_and_a_direct_award_run_from_their_stored_moments() {
        let objection = ObjectionRow {
            id: "o1".into(),
            project_id: "p1".into(),
            section_id: None,
            stage: "opening".into(),
            objector_id: "b1".into(),
            content: "c".into(),
            knew_at: None,
            raised_at: at(1),
            rule_id: "w".into(),
            reply_rule_id: "construction.objection.reply".into(),
            reply_due: at(4),
            answer: None,
            answered_at: None,
            answered_by: None,
            suspension_id: None,
        };
        let clock = objection_clock(&objection, &project());
        let span = (crate::utc(at(1)), crate::utc(at(4)));
        assert_eq!(shape(&clock), (ClockKind::ObjectionAnswer, "o1", "construction.objection.reply", span, 3));
        assert_eq!(clock.project_id, "p1");
        let award = DirectAwardRow {
            id: "d1".into(),
            project_id: "p1".into(),
            contractor_id: "c1".into(),
            amount: 1,
            reported_at: at(2),
            publicity_end: at(5),
            publicity_end_day: at(5).date(),
            rule_id: "direct.publicity".into(),
        };
        let span = (crate::utc(at(2)), crate::utc(at(5)));
        let clock = direct_award_clock(&award, &project());
        assert_eq!(shape(&clock), (ClockKind::DirectAwardPublicity, "d1", "direct.publicity", span, 3));
    }

    fn complaint() -> ComplaintRow {
        ComplaintRow {
            id: "c1".into(),
            project_id: "p1".into(),
            complainant_id: "b1".into(),
            objection_id: None,
            content: "c".into(),
            knew_at: at(1),
            filed_at: at(2),
            regulator_id: None,
            status: "received".into(),
            acceptance_due: at(6),
            accepted_at: None,
            pauses: "[]".into(),
            decided_at: None,
            outcome: None,
            decision: None,
        }
    }

    #[test]
    fn a_complaints_acceptance_runs_only_while_received_and_its_decision_keeps_its_pauses() {
        let span = (crate::utc(at(2)), crate::utc(at(6)));
        let rule = rule_ids::CONSTRUCTION_COMPLAINT_ACCEPTANCE;
        let clock = acceptance_clock(&complaint(), ComplaintStatus::Received, &project()).unwrap();
        assert_eq!(shape(&clock), (ClockKind::ComplaintAcceptance, "c1", rule, span, 3));
        assert!(acceptance_clock(&complaint(), ComplaintStatus::Accepted, &project()).is_none());
        let pause =
            ComplaintPause { reason: ggzy_oversight::complaint::PauseReason::ALL[0], from: at(3).date(), until: None };
        let clock = decision_clock(&complaint(), &project(), "d", span, vec![pause.clone()]);
        assert_eq!(shape(&clock), (ClockKind::ComplaintDecision, "c1", "d", span, 3));
        assert_eq!(clock.counting, Counting::Paused(vec![pause]));
    }

    #[test]
    fn a_bond_runs_once_its_refund_has_a_deadline_and_a_result_by_its_award() {
        let bond = BondRow {
            id: "bo1".into(),
            section_id: "s1".into(),
            bidder_id: "b1".into(),
            account_id: "a".into(),
            form: "cash".into(),
            amount: 1,
            payer_account: None,
            guarantee: None,
            deposited_at: at(1),
            status: "held".into(),
            refund_trigger: Some("award".into()),
            refund_trigger_at: Some(at(2)),
            refund_rule: Some("bond.refund".into()),
            refund_deadline: Some(at(7)),
            outcome: None,
            settled_at: None,
        };
        let span = (crate::utc(at(2)), crate::utc(at(7)));
        let clock = bond_clock(&bond, &project(), false).unwrap();
        assert_eq!(shape(&clock), (ClockKind::BondRefund, "bo1", "bond.refund", span, 3));
        assert!(bond_clock(&BondRow { refund_deadline: None, ..bond }, &project(), false).is_none());
        let result = ResultRow {
            section_id: "s1".into(),
            report: "[]".into(),
            publicity_start: at(2),
            publicity_end: at(5),
            winner_id: Some("b1".into()),
            awarded_at: None,
            contract_amount: None,
            contract_sha256: None,
            contract_signed_at: None,
            contract_late: None,
        };
        let span = (crate::utc(at(2)), crate::utc(at(5)));
        let rule = rule_ids::CONSTRUCTION_CANDIDATES_PUBLICITY;
        assert_eq!(shape(&publicity_clock(&result, &project())), (ClockKind::CandidatePublicity, "s1", rule, span, 3));
        let signing = signing_clock(&result, &project(), "sign", span);
        assert_eq!(shape(&signing), (ClockKind::ContractSigning, "s1", "sign", span, 3));
    }

    #[test]
    fn a_recounted_clock_shows_the_plan_it_followed() {
        let day = |d| Utc.with_ymd_and_hms(2026, 10, d, 16, 0, 0).unwrap();
        let plan = RecountPlan {
            outcome: RecountOutcome::Kept,
            provisional_due: day(9),
            official_due: day(8),
            due: day(9),
            write: None,
            parties: vec!["t1".into()],
            sealed: false,
        };
        let owner = ClockOwner { project_id: "p1", rule_set_version: 1, tenderer: "t1", regulator: None };
        let span = (day(1), day(9));
        let running = RunningClock::new(ClockKind::ObjectionAnswer, owner, "o1", "r1", span, Some("b1"), false);
        let shown = RecountedClock::of(&Recounted { running, plan });
        assert_eq!(
            (shown.kind, shown.project_id.as_str(), shown.subject_id.as_str()),
            (ClockKind::ObjectionAnswer, "p1", "o1")
        );
        assert_eq!((shown.rule_id.as_str(), shown.outcome), ("r1", RecountOutcome::Kept));
        assert_eq!((shown.provisional_due, shown.official_due, shown.due), (day(9), day(8), day(9)));
    }

    #[test]
    fn a_recounted_clock_tells_its_plan_and_is_audited_under_its_kind() {
        let day = |d| Utc.with_ymd_and_hms(2026, 10, d, 16, 0, 0).unwrap();
        let plan = RecountPlan {
            outcome: RecountOutcome::Moved,
            provisional_due: day(8),
            official_due: day(9),
            due: day(9),
            write: None,
            parties: vec!["t1".into()],
            sealed: false,
        };
        let owner = ClockOwner { project_id: "p1", rule_set_version: 1, tenderer: "t1", regulator: None };
        let running = RunningClock::new(ClockKind::BondRefund, owner, "b1", "r1", (day(1), day(8)), None, false);
        let recounted = Recounted { running, plan };
        let notice = recount_notice(2027, &recounted);
        let NotificationPayload::Recount(told) = &notice else { panic!("a recount notice") };
        assert_eq!((told.year, told.kind, told.rule_id.as_str()), (2027, ClockKind::BondRefund, "r1"));
        assert_eq!(
            (told.counted_from, told.provisional_due, told.official_due, told.due),
            (day(1), day(8), day(9), day(9))
        );
        assert_eq!(told.outcome, RecountOutcome::Moved);
        let entry = recount_entry("project:p1".into(), &recounted, &notice);
        assert_eq!(
            (entry.action, entry.object_type, entry.object_id.as_str()),
            (AuditAction::DeadlineRecount, "bond_refund", "b1")
        );
        assert_eq!((entry.chain.as_str(), entry.payload), ("project:p1", &notice));
    }
}
