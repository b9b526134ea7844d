//! Response and request bodies of deadlines (see `ggzy_service::deadlines` for the use cases).

use crate::complaints::Complaint;
use ggzy_oversight::lifecycle::ClockKind;
pub use ggzy_oversight::watch::RunningDeadline;
use ggzy_oversight::watch::{Clock, ComplaintStanding, ResultStanding};
use ggzy_store::evaluation::ResultRow;
use ggzy_store::ledger::BondRow;
use ggzy_store::objections::ObjectionRow;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The deadline watch: the running clocks, soonest first, and warnings about the calendar
/// they are counted with.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeadlineWatch {
    pub deadlines: Vec<RunningDeadline>,
    /// For example: next year's official holiday arrangement is not loaded yet.
    pub warnings: Vec<String>,
    /// Pass as `after` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

/// The watch's filters and page. Any other parameter is refused.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeadlineFilter {
    /// Only clocks of this kind.
    #[param(value_type = Option<ClockKind>)]
    pub kind: Option<String>,
    /// Cursor from the previous page's `next_cursor` (the watch goes on after that clock's
    /// due moment even if the clock has ended since).
    pub after: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// Only projects this department supervises.
    pub department: Option<String>,
    /// Only this project.
    pub project: Option<String>,
    /// Only overdue clocks.
    pub overdue: Option<bool>,
}

/// The answer clock of an objection not yet answered.
pub fn objection_clock(row: ObjectionRow) -> Clock {
    Clock {
        kind: ClockKind::ObjectionAnswer,
        subject_id: row.id,
        rule_id: row.reply_rule_id,
        started: Some(row.raised_at.and_utc()),
        due: row.reply_due.and_utc(),
    }
}

/// The refund clock of a bond, once its refund deadline and rule are set.
pub fn bond_clock(row: BondRow) -> Option<Clock> {
    let (Some(due), Some(rule_id)) = (row.refund_deadline, row.refund_rule) else { return None };
    Some(Clock {
        kind: ClockKind::BondRefund,
        subject_id: row.id,
        rule_id,
        started: row.refund_trigger_at.map(|t| t.and_utc()),
        due: due.and_utc(),
    })
}

/// Where a complaint stands, as its clocks are read from it.
pub fn complaint_standing(complaint: Complaint) -> ComplaintStanding {
    ComplaintStanding {
        id: complaint.id,
        status: complaint.status,
        filed_at: complaint.filed_at,
        acceptance_due: complaint.acceptance_due,
        accepted_at: complaint.accepted_at,
        decision_rule: complaint.decision_rule,
        decision_due: complaint.decision_due,
    }
}

/// Where a section's result stands, as its publicity and contract clocks are read from it.
pub fn result_standing(row: ResultRow) -> ResultStanding {
    ResultStanding {
        section_id: row.section_id,
        contract_signed: row.contract_signed_at.is_some(),
        winner_named: row.winner_id.is_some(),
        publicity_start: row.publicity_start.and_utc(),
        publicity_end: row.publicity_end.and_utc(),
        awarded_at: row.awarded_at.map(|t| t.and_utc()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDateTime;

    fn at(hour: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 5, 6).and_then(|d| d.and_hms_opt(hour, 0, 0)).unwrap()
    }

    #[test]
    fn an_unanswered_objection_runs_from_its_raising_to_its_reply_due() {
        let row = ObjectionRow {
            id: "o1".into(),
            project_id: "p1".into(),
            section_id: None,
            stage: "documents".into(),
            objector_id: "b1".into(),
            content: "异议".into(),
            knew_at: None,
            raised_at: at(1),
            rule_id: "r".into(),
            reply_rule_id: "reply".into(),
            reply_due: at(9),
            answer: None,
            answered_at: None,
            answered_by: None,
            suspension_id: None,
        };
        let clock = objection_clock(row);
        assert_eq!(
            (clock.kind, clock.subject_id.as_str(), clock.rule_id.as_str()),
            (ClockKind::ObjectionAnswer, "o1", "reply")
        );
        assert_eq!((clock.started, clock.due), (Some(at(1).and_utc()), at(9).and_utc()));
    }

    #[test]
    fn a_bond_runs_a_refund_clock_only_with_its_deadline_and_rule() {
        let deposit = ggzy_ledger::requests::DepositValues {
            form: ggzy_ledger::BondForm::Guarantee,
            amount: ggzy_kernel::Money::from_fen(100).unwrap(),
            payer: None,
            guarantee: None,
        };
        let held = crate::bonds::deposited_bond_row("b1".into(), "s1".into(), "p1".into(), "a".into(), &deposit, at(1));
        assert!(bond_clock(held.clone()).is_none());
        let no_rule = BondRow { refund_deadline: Some(at(8)), ..held.clone() };
        assert!(bond_clock(no_rule).is_none());
        let running = BondRow {
            refund_deadline: Some(at(8)),
            refund_rule: Some("refund".into()),
            refund_trigger_at: Some(at(2)),
            ..held
        };
        let clock = bond_clock(running).unwrap();
        assert_eq!(
            (clock.kind, clock.subject_id.as_str(), clock.rule_id.as_str()),
            (ClockKind::BondRefund, "b1", "refund")
        );
        assert_eq!((clock.started, clock.due), (Some(at(2).and_utc()), at(8).and_utc()));
    }

    #[test]
    fn a_result_row_stands_as_its_columns_say() {
        let row = ResultRow {
            section_id: "s1".into(),
            report: "[]".into(),
            publicity_start: at(1),
            publicity_end: at(2),
            winner_id: Some("w".into()),
            awarded_at: Some(at(3)),
            contract_amount: None,
            contract_sha256: None,
            contract_signed_at: None,
            contract_late: None,
        };
        let standing = result_standing(row.clone());
        assert_eq!(standing.section_id, "s1");
        assert_eq!((standing.contract_signed, standing.winner_named), (false, true));
        assert_eq!((standing.publicity_start, standing.publicity_end), (at(1).and_utc(), at(2).and_utc()));
        assert_eq!(standing.awarded_at, Some(at(3).and_utc()));
        let signed = result_standing(ResultRow { contract_signed_at: Some(at(4)), winner_id: None, ..row });
        assert_eq!((signed.contract_signed, signed.winner_named), (true, false));
    }
}
