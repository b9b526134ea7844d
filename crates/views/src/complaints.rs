//! Response and request bodies of complaints (see `ggzy_service::complaints` for the use cases).

use chrono::{DateTime, Utc};
use ggzy_kernel::validation::read;
use ggzy_kernel::{stored, stored_json, stored_opt, AuditAction, FieldError, PageRequest, StoredFault};
pub use ggzy_oversight::complaint::{
    AcceptComplaint, ComplaintDecision, ComplaintPause, DecideComplaint, FileComplaint, PauseComplaint, PauseReason,
};
use ggzy_oversight::complaint::{ClockMove, ComplaintValues, NamedObjection, PriorObjection};
pub use ggzy_oversight::lifecycle::{ComplaintCommand, ComplaintOutcome, ComplaintStatus, Remedy};
use ggzy_store::objections::{ComplaintRow, ObjectionRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::audit_entry::{project_chain, AuditEntry};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Complaint {
    pub id: String,
    pub project_id: String,
    pub complainant_id: String,
    pub objection_id: Option<String>,
    pub content: String,
    pub filed_at: DateTime<Utc>,
    pub regulator_id: Option<String>,
    pub status: ComplaintStatus,
    pub acceptance_due: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub pauses: Vec<ComplaintPause>,
    /// The decision limit (construction.complaint.decision / procurement.complaint.decision)
    /// with paused working days not counted; none while a pause is open.
    pub decision_due: Option<DateTime<Utc>>,
    pub decision_rule: String,
    pub outcome: Option<ComplaintOutcome>,
    /// The decision as stored when it was made; none before.
    #[schema(value_type = Option<ComplaintDecision>)]
    pub decision: Option<serde_json::Value>,
    /// True when `acceptance_due` or `decision_due` was counted through a year whose
    /// official holiday arrangement is not loaded (it may still move when it is).
    pub provisional: bool,
    /// The years counted provisionally; empty when `provisional` is false.
    pub provisional_years: Vec<i32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComplaintPage {
    pub items: Vec<Complaint>,
    pub next_cursor: Option<String>,
}

/// The query of a complaints list. Any other parameter is refused.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ComplaintQuery {
    /// Only complaints in this state (decided ones included unless filtered out).
    #[param(value_type = Option<ComplaintStatus>)]
    pub status: Option<String>,
    /// Only complaints about this project.
    #[param(format = Uuid)]
    pub project_id: Option<String>,
    /// Cursor from the previous page's `next_cursor`.
    #[param(format = Uuid)]
    pub after: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// The pauses of a stored complaint's decision clock.
pub fn pauses_of(row: &ComplaintRow) -> Result<Vec<ComplaintPause>, StoredFault> {
    stored_json("complaints.pauses", &row.pauses)
}

/// The objection a filing names, as found by its id (`named` whether the filing named one).
pub fn named_objection(named: bool, found: Option<&ObjectionRow>) -> NamedObjection<'_> {
    match (named, found) {
        (false, _) => NamedObjection::None,
        (true, None) => NamedObjection::Missing,
        (true, Some(o)) => NamedObjection::Found {
            project_id: &o.project_id,
            objector_id: &o.objector_id,
            objection: PriorObjection {
                raised_at: o.raised_at.and_utc(),
                answered_at: o.answered_at.map(|t| t.and_utc()),
                reply_due: o.reply_due.and_utc(),
            },
        },
    }
}

impl Complaint {
    /// The complaint as stored, under the rule of its decision limit; `decision_clock` is
    /// when that clock started and when it is due, once it runs; `official` are the years
    /// whose holiday arrangement is loaded.
    pub fn from_row(
        row: ComplaintRow,
        decision_rule: &str,
        decision_clock: Option<(DateTime<Utc>, DateTime<Utc>)>,
        official: &[i32],
    ) -> Result<Complaint, StoredFault> {
        let filed_at = row.filed_at.and_utc();
        let acceptance_due = row.acceptance_due.and_utc();
        let mut provisional_years = ggzy_kernel::provisional_span(official, filed_at, acceptance_due);
        if let Some((start, due)) = decision_clock {
            provisional_years.extend(ggzy_kernel::provisional_span(official, start, due));
        }
        provisional_years.sort_unstable();
        provisional_years.dedup();
        Ok(Complaint {
            pauses: pauses_of(&row)?,
            decision: row.decision.as_deref().map(|d| stored_json("complaints.decision", d)).transpose()?,
            status: stored("complaints.status", &row.status)?,
            outcome: stored_opt("complaints.outcome", row.outcome.as_deref())?,
            id: row.id,
            project_id: row.project_id,
            complainant_id: row.complainant_id,
            objection_id: row.objection_id,
            content: row.content,
            filed_at,
            regulator_id: row.regulator_id,
            acceptance_due,
            accepted_at: row.accepted_at.map(|t| t.and_utc()),
            decision_due: decision_clock.map(|(_, due)| due),
            decision_rule: decision_rule.to_owned(),
            provisional: !provisional_years.is_empty(),
            provisional_years,
        })
    }
}

/// The row of a complaint filed `now` by `complainant_id` on `project`, received and
/// awaiting acceptance by `acceptance_due`.
pub fn filed_complaint_row(
    id: String,
    project: &ggzy_store::projects::ProjectRow,
    complainant_id: String,
    complaint: ComplaintValues,
    acceptance_due: DateTime<Utc>,
    now: DateTime<Utc>,
) -> ComplaintRow {
    ComplaintRow {
        id,
        project_id: project.id.clone(),
        complainant_id,
        objection_id: complaint.objection_id,
        content: complaint.content,
        knew_at: complaint.knew_at.naive_utc(),
        filed_at: now.naive_utc(),
        regulator_id: project.regulator_id.clone(),
        status: ComplaintStatus::Received.as_str().to_owned(),
        acceptance_due: acceptance_due.naive_utc(),
        accepted_at: None,
        pauses: "[]".into(),
        decided_at: None,
        outcome: None,
        decision: None,
    }
}

/// Whether a complaint is one `scope` lists: every complaint, the complainant's own, or
/// those on projects the regulator supervises (`project_regulator`: its project's, read for
/// a regulator's scope only).
pub fn listed_in(
    scope: ggzy_store::objections::ComplaintScope<'_>,
    row: &ComplaintRow,
    project_regulator: Option<&str>,
) -> bool {
    use ggzy_store::objections::ComplaintScope;
    match scope {
        ComplaintScope::All => true,
        ComplaintScope::Complainant(complainant) => row.complainant_id == complainant,
        ComplaintScope::Regulator(regulator) => project_regulator == Some(regulator),
    }
}

/// Where the page after the caller's cursor starts (the complaint it names, `found` with
/// its project's regulator): `None` when no complaint `scope` lists is named.
pub fn complaint_cursor(
    scope: ggzy_store::objections::ComplaintScope<'_>,
    found: Option<(ComplaintRow, Option<String>)>,
) -> Option<(chrono::NaiveDateTime, String)> {
    let (row, regulator) = found?;
    listed_in(scope, &row, regulator.as_deref()).then_some((row.filed_at, row.id))
}

/// A complaint's row once the regulator reviewed it at `at`: `status` as the review leaves
/// it, accepted then if it was accepted.
pub fn reviewed_complaint_row(row: &mut ComplaintRow, status: ComplaintStatus, accept: bool, at: DateTime<Utc>) {
    row.status = status.as_str().to_owned();
    row.accepted_at = accept.then_some(at.naive_utc());
}

/// What the audit of a review records: whether it was accepted, why, and whether the review
/// came after its acceptance limit.
pub fn review_payload(row: &ComplaintRow, accept: bool, reason: &str, at: DateTime<Utc>) -> serde_json::Value {
    let due = DateTime::<Utc>::from_naive_utc_and_offset(row.acceptance_due, Utc);
    serde_json::json!({ "accept": accept, "reason": reason, "late": ggzy_oversight::complaint::accepted_late(due, at) })
}

/// A complaint's row once decided at `at`: `status` as the decision leaves it, its outcome,
/// and its decision stored with the credit records it made.
pub fn decided_complaint_row(
    row: &mut ComplaintRow,
    status: ComplaintStatus,
    outcome: ComplaintOutcome,
    decided: &ComplaintDecision,
    at: DateTime<Utc>,
) -> Result<(), StoredFault> {
    // Through a JSON value, whose keys are sorted: the text stored as before.
    let stored =
        serde_json::to_value(decided).map_err(|e| StoredFault::new("complaints.decision", e, "a decision as JSON"))?;
    row.status = status.as_str().to_owned();
    row.decided_at = Some(at.naive_utc());
    row.outcome = Some(outcome.as_str().to_owned());
    row.decision = Some(stored.to_string());
    Ok(())
}

/// The state, project and page a complaints query asks for, every problem named at once.
pub fn read_query(
    query: ComplaintQuery,
) -> Result<(Option<ComplaintStatus>, Option<String>, PageRequest), Vec<FieldError>> {
    let mut problems = Vec::new();
    let status = query.status.as_deref().and_then(|s| read::closed::<ComplaintStatus>(&mut problems, "status", s));
    let project_id = query.project_id.and_then(|p| read::uuid(&mut problems, "project_id", p));
    let page = ggzy_oversight::page::read_page(&mut problems, query.after, query.limit);
    match page {
        Some(page) if problems.is_empty() => Ok((status, project_id, page)),
        _ => Err(problems),
    }
}

/// An audit entry of a complaint, on its project's chain.
fn complaint_entry<P>(row: &ComplaintRow, action: AuditAction, payload: P) -> AuditEntry<P> {
    let (chain, object_id) = (project_chain(&row.project_id), row.id.clone());
    AuditEntry { chain, action, object_type: "complaint", object_id, payload }
}

/// The audit entry of a filed complaint: the rule of its window and its acceptance limit.
pub fn filed_entry(
    row: &ComplaintRow,
    window_rule: &str,
    acceptance_due: DateTime<Utc>,
) -> AuditEntry<serde_json::Value> {
    let payload = serde_json::json!({ "window_rule": window_rule, "acceptance_due": acceptance_due });
    complaint_entry(row, AuditAction::ComplaintFile, payload)
}

/// The audit entry of a review ([`review_payload`]).
pub fn review_entry(
    row: &ComplaintRow,
    accept: bool,
    reason: &str,
    at: DateTime<Utc>,
) -> AuditEntry<serde_json::Value> {
    complaint_entry(row, AuditAction::ComplaintAccept, review_payload(row, accept, reason, at))
}

/// A complaint's row with its decision clock paused or resumed: its pauses stored, and the
/// audit entry of the move, which records every pause.
pub fn paused_complaint_row(
    row: &mut ComplaintRow,
    moved: ClockMove,
    pauses: Vec<ComplaintPause>,
) -> Result<AuditEntry<Vec<ComplaintPause>>, StoredFault> {
    row.pauses =
        serde_json::to_string(&pauses).map_err(|e| StoredFault::new("complaints.pauses", e, "pauses as JSON"))?;
    let action = match moved {
        ClockMove::Pause => AuditAction::ComplaintPause,
        ClockMove::Resume { .. } => AuditAction::ComplaintResume,
    };
    Ok(complaint_entry(row, action, pauses))
}

/// The audit entry of a decision ([`decision_payload`]).
pub fn decision_entry(
    row: &ComplaintRow,
    outcome: ComplaintOutcome,
    decided: &ComplaintDecision,
) -> AuditEntry<serde_json::Value> {
    complaint_entry(row, AuditAction::ComplaintDecide, decision_payload(outcome, decided))
}

/// What the audit of a decision records.
pub fn decision_payload(outcome: ComplaintOutcome, decided: &ComplaintDecision) -> serde_json::Value {
    serde_json::json!({
        "outcome": outcome,
        "decision": decided.decision,
        "remedies": decided.remedies,
        "credit_records": decided.credit_records,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_complaints_entries_are_on_its_projects_chain_and_name_the_act() {
        let due = at(1_700_400_000);
        let filed = filed_entry(&row(), "construction.complaint.window", due);
        assert_eq!((filed.chain.as_str(), filed.action), ("project:p1", AuditAction::ComplaintFile));
        assert_eq!((filed.object_type, filed.object_id.as_str()), ("complaint", "c1"));
        assert_eq!(filed.payload["window_rule"], "construction.complaint.window");
        assert_eq!(filed.payload["acceptance_due"], serde_json::json!(due));
        let reviewed = review_entry(&row(), true, "ok", due);
        assert_eq!((reviewed.action, reviewed.payload["accept"].clone()), (AuditAction::ComplaintAccept, true.into()));
        let decided = ComplaintDecision { decision: "d".into(), remedies: Vec::new(), credit_records: Vec::new() };
        let entry = decision_entry(&row(), ComplaintOutcome::Upheld, &decided);
        assert_eq!(entry.action, AuditAction::ComplaintDecide);
        assert_eq!(entry.payload, decision_payload(ComplaintOutcome::Upheld, &decided));
    }

    #[test]
    fn a_complaints_query_names_every_problem_at_once() {
        let project = "01890a5d-ac96-774b-bcce-b302099a8057".to_owned();
        let query =
            ComplaintQuery { status: Some("accepted".into()), project_id: Some(project.clone()), ..Default::default() };
        let (status, project_id, page) = read_query(query).unwrap();
        assert_eq!(
            (status, project_id, page),
            (Some(ComplaintStatus::Accepted), Some(project), PageRequest::default())
        );
        let query =
            ComplaintQuery { status: Some("lost".into()), project_id: Some("X".into()), after: None, limit: Some(0) };
        let problems = read_query(query).unwrap_err();
        let named: Vec<_> = problems.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(named, [("status", "unknown_value"), ("project_id", "invalid_id"), ("limit", "limit_out_of_range")]);
    }

    #[test]
    fn a_paused_or_resumed_clock_stores_its_pauses_and_names_the_move() {
        let mut row = row();
        let entry = paused_complaint_row(&mut row, ClockMove::Pause, Vec::new()).unwrap();
        assert_eq!((entry.action, row.pauses.as_str()), (AuditAction::ComplaintPause, "[]"));
        let entry = paused_complaint_row(&mut row, ClockMove::Resume { open: 0 }, Vec::new()).unwrap();
        assert_eq!((entry.action, entry.chain.as_str()), (AuditAction::ComplaintResume, "project:p1"));
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(seconds, 0).unwrap()
    }

    fn row() -> ComplaintRow {
        ComplaintRow {
            id: "c1".into(),
            project_id: "p1".into(),
            complainant_id: "b1".into(),
            objection_id: Some("o1".into()),
            content: "c".into(),
            knew_at: at(1_700_000_000).naive_utc(),
            filed_at: at(1_700_000_000).naive_utc(),
            regulator_id: Some("d1".into()),
            status: "received".into(),
            acceptance_due: at(1_700_400_000).naive_utc(),
            accepted_at: None,
            pauses: "[]".into(),
            decided_at: None,
            outcome: None,
            decision: Some(r#"{"findings":"x"}"#.into()),
        }
    }

    #[test]
    fn a_complaint_shows_its_row_and_its_decision_clock() {
        let due = at(1_702_000_000);
        let complaint =
            Complaint::from_row(row(), "construction.complaint.decision", Some((at(1_700_500_000), due)), &[2023])
                .unwrap();
        assert_eq!(complaint.status, ComplaintStatus::Received);
        assert_eq!((complaint.id.as_str(), complaint.objection_id.as_deref()), ("c1", Some("o1")));
        assert_eq!(complaint.decision_due, Some(due));
        assert_eq!(complaint.decision_rule, "construction.complaint.decision");
        assert_eq!(complaint.decision, Some(serde_json::json!({"findings": "x"})));
        assert!(complaint.pauses.is_empty() && complaint.outcome.is_none());
        assert!(!complaint.provisional);
    }

    #[test]
    fn years_counted_without_their_holidays_are_provisional_once_each() {
        let clock = Some((at(1_700_500_000), at(1_735_000_000)));
        let complaint = Complaint::from_row(row(), "r", clock, &[]).unwrap();
        assert!(complaint.provisional);
        assert_eq!(complaint.provisional_years, vec![2023, 2024]);
    }

    #[test]
    fn a_named_objection_is_none_missing_or_found_with_its_times() {
        let objection = ObjectionRow {
            id: "o1".into(),
            project_id: "p1".into(),
            section_id: None,
            stage: "opening".into(),
            objector_id: "b1".into(),
            content: String::new(),
            knew_at: None,
            raised_at: at(1_700_000_000).naive_utc(),
            rule_id: String::new(),
            reply_rule_id: String::new(),
            reply_due: at(1_700_300_000).naive_utc(),
            answer: None,
            answered_at: Some(at(1_700_100_000).naive_utc()),
            answered_by: None,
            suspension_id: None,
        };
        assert_eq!(named_objection(false, Some(&objection)), NamedObjection::None);
        assert_eq!(named_objection(true, None), NamedObjection::Missing);
        let prior = PriorObjection {
            raised_at: at(1_700_000_000),
            answered_at: Some(at(1_700_100_000)),
            reply_due: at(1_700_300_000),
        };
        assert_eq!(
            named_objection(true, Some(&objection)),
            NamedObjection::Found { project_id: "p1", objector_id: "b1", objection: prior }
        );
    }

    #[test]
    fn an_unknown_status_or_unreadable_pauses_is_a_fault() {
        let fault = Complaint::from_row(ComplaintRow { status: "lost".into(), ..row() }, "r", None, &[]).unwrap_err();
        assert_eq!((fault.column, fault.value.as_str()), ("complaints.status", "lost"));
        let fault = Complaint::from_row(ComplaintRow { pauses: "x".into(), ..row() }, "r", None, &[]).unwrap_err();
        assert_eq!(fault.column, "complaints.pauses");
        let fault =
            Complaint::from_row(ComplaintRow { outcome: Some("maybe".into()), ..row() }, "r", None, &[]).unwrap_err();
        assert_eq!(fault.column, "complaints.outcome");
    }

    #[test]
    fn a_filed_complaint_is_received_under_the_projects_regulator() {
        let project = ggzy_store::projects::ProjectRow {
            regulator_id: Some("d1".into()),
            ..crate::fixtures::project_row(at(1_600_000_000).naive_utc())
        };
        let values =
            ComplaintValues { content: "c".into(), knew_at: at(1_700_000_000), objection_id: Some("o1".into()) };
        let filed =
            filed_complaint_row("c1".into(), &project, "b1".into(), values, at(1_700_400_000), at(1_700_000_000));
        assert_eq!(filed, ComplaintRow { decision: None, ..row() });
        let complaint = Complaint::from_row(filed, "r", None, &[2023]).unwrap();
        assert_eq!((complaint.status, complaint.pauses.len()), (ComplaintStatus::Received, 0));
        let unsupervised = ggzy_store::projects::ProjectRow { regulator_id: None, ..project };
        let values = ComplaintValues { content: "c".into(), knew_at: at(1_700_000_000), objection_id: None };
        let filed = filed_complaint_row("c2".into(), &unsupervised, "b1".into(), values, at(1), at(2));
        assert_eq!((filed.regulator_id, filed.objection_id), (None, None));
    }

    #[test]
    fn a_reviewed_complaint_is_accepted_then_or_refused_and_late_from_its_limit_on() {
        let due = DateTime::<Utc>::from_naive_utc_and_offset(row().acceptance_due, Utc);
        let mut accepted = row();
        reviewed_complaint_row(&mut accepted, ComplaintStatus::Accepted, true, due);
        assert_eq!((accepted.status.as_str(), accepted.accepted_at), ("accepted", Some(due.naive_utc())));
        let mut refused = row();
        reviewed_complaint_row(&mut refused, ComplaintStatus::Rejected, false, due);
        assert_eq!((refused.status.as_str(), refused.accepted_at), ("rejected", None));
        let early = review_payload(&row(), true, "ok", due - chrono::TimeDelta::seconds(1));
        assert_eq!(early, serde_json::json!({ "accept": true, "reason": "ok", "late": false }));
        assert_eq!(review_payload(&row(), false, "no", due)["late"], true);
    }

    #[test]
    fn a_decided_complaint_stores_its_decision_with_sorted_keys_and_audits_it() {
        let decided =
            ComplaintDecision {
                decision: "责令改正".into(), remedies: Vec::new(), credit_records: vec!["r1".into()]
            };
        let mut row = row();
        let at = at(1_700_600_000);
        decided_complaint_row(&mut row, ComplaintStatus::Decided, ComplaintOutcome::Upheld, &decided, at).unwrap();
        assert_eq!((row.status.as_str(), row.decided_at), ("decided", Some(at.naive_utc())));
        assert_eq!(row.outcome.as_deref(), Some("upheld"));
        assert_eq!(row.decision.as_deref(), Some(r#"{"credit_records":["r1"],"decision":"责令改正","remedies":[]}"#));
        let payload = decision_payload(ComplaintOutcome::Upheld, &decided);
        assert_eq!(
            payload,
            serde_json::json!({ "outcome": "upheld", "decision": "责令改正", "remedies": [], "credit_records": ["r1"] })
        );
    }

    #[test]
    fn a_scope_lists_every_complaint_its_own_or_its_projects() {
        use ggzy_store::objections::ComplaintScope;
        assert!(listed_in(ComplaintScope::All, &row(), None));
        assert!(listed_in(ComplaintScope::Complainant("b1"), &row(), None));
        assert!(!listed_in(ComplaintScope::Complainant("b2"), &row(), Some("b2")));
        assert!(listed_in(ComplaintScope::Regulator("d1"), &row(), Some("d1")));
        // The regulator of the project counts, not the one recorded at filing.
        assert!(!listed_in(ComplaintScope::Regulator("d1"), &row(), Some("d2")));
        assert!(!listed_in(ComplaintScope::Regulator("d1"), &row(), None));
    }

    #[test]
    fn a_cursor_starts_after_a_complaint_of_the_callers_scope_only() {
        use ggzy_store::objections::ComplaintScope;
        let listed = complaint_cursor(ComplaintScope::Regulator("d1"), Some((row(), Some("d1".into()))));
        assert_eq!(listed, Some((row().filed_at, row().id)));
        assert_eq!(complaint_cursor(ComplaintScope::Regulator("d1"), Some((row(), Some("d2".into())))), None);
        assert_eq!(complaint_cursor(ComplaintScope::Complainant("b2"), Some((row(), None))), None);
        assert_eq!(complaint_cursor(ComplaintScope::All, None), None);
    }
}
