//! Response and request bodies of objections (see `ggzy_service::objections` for the use cases).

use chrono::{DateTime, Utc};
use ggzy_kernel::validation::read;
use ggzy_kernel::{stored, Answer, AuditAction, FieldError, PageRequest, StoredFault};
use ggzy_oversight::objection::request::ValidObjection;
pub use ggzy_oversight::objection::request::{AnswerObjection, RaiseObjection};
pub use ggzy_oversight::objection::ObjectionStage;
use ggzy_oversight::objection::{self, Publicity, StageFacts};
use ggzy_store::conduct::SuspensionRow;
use ggzy_store::objections::{ObjectionRow, QueueFilter, WindowDates, WindowRead};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::audit_entry::{project_chain, AuditEntry};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Objection {
    pub id: String,
    pub project_id: String,
    pub section_id: Option<String>,
    pub stage: ObjectionStage,
    pub objector_id: String,
    pub content: String,
    pub raised_at: DateTime<Utc>,
    /// The rule whose window it was raised in.
    pub rule_id: String,
    /// The rule of the answer's deadline.
    pub reply_rule_id: String,
    pub reply_due: DateTime<Utc>,
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    /// Unanswered past its deadline.
    pub overdue: bool,
    /// Whether the project was suspended until the answer.
    pub suspended_project: bool,
    /// True when the due date was counted through a year whose official holiday
    /// arrangement is not loaded (it may still move when it is).
    pub provisional: bool,
    /// The years counted provisionally; empty when `provisional` is false.
    pub provisional_years: Vec<i32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ObjectionPage {
    pub items: Vec<Objection>,
    pub next_cursor: Option<String>,
}

/// The query of a question or objection queue. Any other parameter is refused.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// `false`: those still waiting for an answer (the queue to work); `true`: the answered.
    #[param(value_type = Option<bool>)]
    pub answered: Option<String>,
    /// Only this project's.
    #[param(format = Uuid)]
    pub project_id: Option<String>,
    /// Cursor from the previous page's `next_cursor`.
    #[param(format = Uuid)]
    pub after: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

impl Objection {
    /// The objection as stored, as of `now`; `official` are the years whose holiday
    /// arrangement is loaded.
    pub fn from_row(row: ObjectionRow, now: DateTime<Utc>, official: &[i32]) -> Result<Objection, StoredFault> {
        let raised_at = row.raised_at.and_utc();
        let reply_due = row.reply_due.and_utc();
        let provisional_years = ggzy_kernel::provisional_span(official, raised_at, reply_due);
        Ok(Objection {
            provisional: !provisional_years.is_empty(),
            provisional_years,
            stage: stored("objections.stage", &row.stage)?,
            overdue: objection::overdue(row.answered_at.is_some(), reply_due, now),
            suspended_project: row.suspension_id.is_some(),
            id: row.id,
            project_id: row.project_id,
            section_id: row.section_id,
            objector_id: row.objector_id,
            content: row.content,
            raised_at,
            rule_id: row.rule_id,
            reply_rule_id: row.reply_rule_id,
            reply_due,
            answer: row.answer,
            answered_at: row.answered_at.map(|t| t.and_utc()),
        })
    }
}

/// Where an objection was raised: its window's rule, and its answer's rule and due time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RaisedIn {
    pub rule: &'static str,
    pub reply_rule: &'static str,
    pub reply_due: DateTime<Utc>,
}

/// The row of an objection raised now by `objector`, suspending the project by
/// `suspension_id` if it does.
pub fn objection_row(
    id: String,
    project_id: &str,
    objection: ValidObjection,
    objector_id: String,
    raised: &RaisedIn,
    suspension_id: Option<String>,
    now: chrono::NaiveDateTime,
) -> ObjectionRow {
    ObjectionRow {
        id,
        project_id: project_id.to_owned(),
        section_id: objection.section_id,
        stage: objection.stage.as_str().to_owned(),
        objector_id,
        content: objection.content,
        knew_at: objection.knew_at.map(|k| k.naive_utc()),
        raised_at: now,
        rule_id: raised.rule.to_owned(),
        reply_rule_id: raised.reply_rule.to_owned(),
        reply_due: raised.reply_due.naive_utc(),
        answer: None,
        answered_at: None,
        answered_by: None,
        suspension_id,
    }
}

/// The filter and page an objection queue's query asks for, every problem named at once.
pub fn read_queue(query: QueueQuery) -> Result<(QueueFilter, PageRequest), Vec<FieldError>> {
    let mut problems = Vec::new();
    let answered = match query.answered.as_deref() {
        None => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(other) => {
            problems.push(FieldError::new("answered", "invalid_boolean", format!("“{other}”无效，须为 true 或 false")));
            None
        }
    };
    let project_id = query.project_id.and_then(|p| read::uuid(&mut problems, "project_id", p));
    let page = ggzy_oversight::page::read_page(&mut problems, query.after, query.limit);
    match page {
        Some(page) if problems.is_empty() => Ok((QueueFilter { answered, project_id }, page)),
        _ => Err(problems),
    }
}

/// The audit entry of a raised objection, on its project's chain: its stage, the rule of its
/// window, when its answer is due and whether it suspended the tendering.
pub fn raised_entry(row: &ObjectionRow, stage: ObjectionStage, raised: &RaisedIn) -> AuditEntry<serde_json::Value> {
    let payload = serde_json::json!({
        "stage": stage,
        "rule": raised.rule,
        "reply_due": raised.reply_due,
        "suspended": row.suspension_id.is_some(),
    });
    let (chain, object_id) = (project_chain(&row.project_id), row.id.clone());
    AuditEntry { chain, action: AuditAction::ObjectionRaise, object_type: "objection", object_id, payload }
}

/// The audit entry of an objection answered at `at`: the answer, and whether it came after
/// its due time.
pub fn answered_entry(row: &ObjectionRow, answer: &str, at: DateTime<Utc>) -> AuditEntry<serde_json::Value> {
    let due = DateTime::<Utc>::from_naive_utc_and_offset(row.reply_due, Utc);
    let payload = serde_json::json!({ "answer": answer, "late": objection::answered_late(due, at) });
    let (chain, object_id) = (project_chain(&row.project_id), row.id.clone());
    AuditEntry { chain, action: AuditAction::ObjectionAnswer, object_type: "objection", object_id, payload }
}

/// The suspension of a project whose tendering waits for an objection's answer
/// (construction.objection.reply), ordered by the objector's actor, not by a regulator.
pub fn objection_suspension_row(
    id: String,
    project_id: &str,
    previous_status: String,
    ordered_by: String,
    now: chrono::NaiveDateTime,
) -> SuspensionRow {
    SuspensionRow {
        id,
        project_id: project_id.to_owned(),
        previous_status,
        reason: "异议待答复（construction.objection.reply）".into(),
        ordered_by,
        by_regulator: 0,
        suspended_at: now,
        resumed_at: None,
        resumed_by: None,
    }
}

/// Which recorded dates the window of `stage` is counted from.
pub fn window_read(stage: ObjectionStage) -> WindowRead {
    match stage {
        ObjectionStage::TenderDocuments => WindowRead::Announcement,
        ObjectionStage::Opening => WindowRead::Opening,
        ObjectionStage::EvaluationResult => WindowRead::EvaluationResult,
        ObjectionStage::DirectAward => WindowRead::DirectAward,
        ObjectionStage::ProcurementDocuments
        | ObjectionStage::ProcurementProcess
        | ObjectionStage::ProcurementResult => WindowRead::Nothing,
    }
}

/// The facts the window of `stage` is decided on, from the dates recorded on `project_id`:
/// an objection at the opening or to the evaluation result names one of the project's
/// sections; one to the tender documents needs the project's announcement.
pub fn stage_facts(
    stage: ObjectionStage,
    section_id: Option<&str>,
    project_id: &str,
    dates: WindowDates,
    knew_at: Option<DateTime<Utc>>,
) -> Result<StageFacts, Answer> {
    if matches!(stage, ObjectionStage::Opening | ObjectionStage::EvaluationResult) {
        objection::request::named_section(section_id, dates.section_project.as_deref(), project_id)
            .map_err(|problem| Answer::Invalid(vec![problem]))?;
    }
    let publicity = dates.publicity.map(|(start, end)| Publicity { start: start.and_utc(), end: end.and_utc() });
    Ok(match stage {
        ObjectionStage::TenderDocuments => {
            let deadline = dates.bid_deadline.ok_or_else(|| Answer::Conflict("尚未发布招标公告".into()))?;
            StageFacts::TenderDocuments { bid_deadline: deadline.and_utc() }
        }
        ObjectionStage::Opening => StageFacts::Opening { opened_at: dates.opened_at.map(|at| at.and_utc()) },
        ObjectionStage::EvaluationResult => StageFacts::EvaluationResult { publicity },
        ObjectionStage::DirectAward => StageFacts::DirectAward { publicity },
        ObjectionStage::ProcurementDocuments
        | ObjectionStage::ProcurementProcess
        | ObjectionStage::ProcurementResult => StageFacts::Procurement { knew_at },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stages_window_is_counted_from_what_it_reads() {
        let at = |seconds: i64| DateTime::from_timestamp(seconds, 0).unwrap().naive_utc();
        let dates = WindowDates { section_project: Some("p1".into()), opened_at: Some(at(60)), ..Default::default() };
        assert_eq!(window_read(ObjectionStage::Opening), WindowRead::Opening);
        let opening = stage_facts(ObjectionStage::Opening, Some("s1"), "p1", dates.clone(), None).unwrap();
        assert_eq!(opening, StageFacts::Opening { opened_at: Some(at(60).and_utc()) });
        let problem = |answer: Answer| match answer {
            Answer::Invalid(problems) => problems.into_iter().map(|p| (p.field, p.code)).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        let elsewhere = stage_facts(ObjectionStage::Opening, Some("s1"), "p2", dates.clone(), None).unwrap_err();
        assert_eq!(problem(elsewhere), [("section_id".to_owned(), "unknown_section".to_owned())]);
        let unnamed = stage_facts(ObjectionStage::EvaluationResult, None, "p1", WindowDates::default(), None);
        assert_eq!(problem(unnamed.unwrap_err()), [("section_id".to_owned(), "required".to_owned())]);
        let published = WindowDates { publicity: Some((at(1), at(2))), ..Default::default() };
        assert_eq!(window_read(ObjectionStage::DirectAward), WindowRead::DirectAward);
        assert_eq!(
            stage_facts(ObjectionStage::DirectAward, None, "p1", published, None),
            Ok(StageFacts::DirectAward { publicity: Some(Publicity { start: at(1).and_utc(), end: at(2).and_utc() }) })
        );
    }

    #[test]
    fn tender_documents_need_an_announcement_and_procurement_counts_the_objectors_date() {
        let deadline = DateTime::from_timestamp(86_400, 0).unwrap();
        assert_eq!(window_read(ObjectionStage::TenderDocuments), WindowRead::Announcement);
        let none = stage_facts(ObjectionStage::TenderDocuments, None, "p1", WindowDates::default(), None);
        assert_eq!(none, Err(Answer::Conflict("尚未发布招标公告".into())));
        let dates = WindowDates { bid_deadline: Some(deadline.naive_utc()), ..Default::default() };
        let facts = stage_facts(ObjectionStage::TenderDocuments, Some("any"), "p1", dates, None);
        assert_eq!(facts, Ok(StageFacts::TenderDocuments { bid_deadline: deadline }));
        assert_eq!(window_read(ObjectionStage::ProcurementProcess), WindowRead::Nothing);
        let knew_at = Some(deadline);
        let facts = stage_facts(ObjectionStage::ProcurementResult, None, "p1", WindowDates::default(), knew_at);
        assert_eq!(facts, Ok(StageFacts::Procurement { knew_at }));
    }

    #[test]
    fn an_objection_queries_problems_are_named_at_once() {
        let query = QueueQuery { answered: Some("false".into()), project_id: None, after: None, limit: Some(10) };
        let (filter, page) = read_queue(query).unwrap();
        assert_eq!((filter.answered, filter.project_id, page.limit), (Some(false), None, 10));
        let query =
            QueueQuery { answered: Some("yes".into()), project_id: Some("X".into()), after: None, limit: Some(201) };
        let problems = read_queue(query).unwrap_err();
        let named: Vec<_> = problems.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(
            named,
            [("answered", "invalid_boolean"), ("project_id", "invalid_id"), ("limit", "limit_out_of_range")]
        );
    }

    #[test]
    fn a_raised_objections_entry_names_its_window_and_suspension() {
        let raised = RaisedIn { rule: "construction.objection.opening", reply_rule: "r", reply_due: at(1_700_100_000) };
        let entry =
            raised_entry(&ObjectionRow { suspension_id: Some("s".into()), ..row() }, ObjectionStage::Opening, &raised);
        assert_eq!((entry.chain.as_str(), entry.action), ("project:p1", AuditAction::ObjectionRaise));
        assert_eq!((entry.object_type, entry.object_id.as_str()), ("objection", "o1"));
        assert_eq!(entry.payload["stage"], "opening");
        assert_eq!(entry.payload["rule"], "construction.objection.opening");
        assert_eq!(entry.payload["reply_due"], serde_json::json!(at(1_700_100_000)));
        assert_eq!(entry.payload["suspended"], true);
    }

    #[test]
    fn an_answer_at_or_after_its_due_time_is_late() {
        let on_time = answered_entry(&row(), "a", at(1_699_999_999));
        assert_eq!((on_time.action, on_time.payload["answer"].clone()), (AuditAction::ObjectionAnswer, "a".into()));
        assert_eq!(on_time.payload["late"], false);
        assert_eq!(answered_entry(&row(), "a", at(1_700_100_000)).payload["late"], true);
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(seconds, 0).unwrap()
    }

    fn row() -> ObjectionRow {
        ObjectionRow {
            id: "o1".into(),
            project_id: "p1".into(),
            section_id: Some("s1".into()),
            stage: "opening".into(),
            objector_id: "b1".into(),
            content: "c".into(),
            knew_at: None,
            raised_at: at(1_700_000_000).naive_utc(),
            rule_id: "construction.objection.opening".into(),
            reply_rule_id: "construction.objection.reply".into(),
            reply_due: at(1_700_100_000).naive_utc(),
            answer: None,
            answered_at: None,
            answered_by: None,
            suspension_id: Some("x".into()),
        }
    }

    #[test]
    fn an_objection_shows_its_row_and_is_overdue_only_unanswered_past_its_due() {
        let official = [2023];
        let before = Objection::from_row(row(), at(1_700_000_100), &official).unwrap();
        assert_eq!(before.stage, ObjectionStage::Opening);
        assert_eq!((before.id.as_str(), before.section_id.as_deref()), ("o1", Some("s1")));
        assert_eq!(before.reply_due, at(1_700_100_000));
        assert!(before.suspended_project);
        assert!(!before.overdue);
        assert!(!before.provisional && before.provisional_years.is_empty());
        let late = at(1_800_000_000);
        assert!(Objection::from_row(row(), late, &official).unwrap().overdue);
        let answered = ObjectionRow { answered_at: Some(at(1_700_050_000).naive_utc()), ..row() };
        assert!(!Objection::from_row(answered, late, &official).unwrap().overdue);
    }

    #[test]
    fn a_due_date_counted_through_an_unloaded_year_is_provisional() {
        let objection = Objection::from_row(row(), at(1_700_000_100), &[]).unwrap();
        assert!(objection.provisional);
        assert_eq!(objection.provisional_years, vec![2023]);
    }

    #[test]
    fn an_unknown_stage_is_a_fault() {
        let fault = Objection::from_row(ObjectionRow { stage: "gossip".into(), ..row() }, at(0), &[]).unwrap_err();
        assert_eq!((fault.column, fault.value.as_str()), ("objections.stage", "gossip"));
    }

    #[test]
    fn a_raised_objection_is_stored_unanswered_with_its_rules() {
        let raised = RaisedIn {
            rule: "construction.objection.opening",
            reply_rule: "construction.objection.reply",
            reply_due: at(1_700_100_000),
        };
        let objection = ValidObjection {
            stage: ObjectionStage::Opening,
            section_id: Some("s1".into()),
            content: "c".into(),
            knew_at: Some(at(1_699_999_000)),
        };
        let stored = objection_row(
            "o1".into(),
            "p1",
            objection,
            "b1".into(),
            &raised,
            Some("x".into()),
            at(1_700_000_000).naive_utc(),
        );
        assert_eq!(stored, ObjectionRow { knew_at: Some(at(1_699_999_000).naive_utc()), ..row() });
        let back = Objection::from_row(stored, at(1_700_000_100), &[2023]).unwrap();
        assert_eq!((back.stage, back.rule_id.as_str()), (ObjectionStage::Opening, "construction.objection.opening"));
    }

    #[test]
    fn an_objection_suspends_the_project_on_the_objectors_order() {
        let row = objection_suspension_row("x".into(), "p1", "announced".into(), "user:u1".into(), at(5).naive_utc());
        assert_eq!((row.id.as_str(), row.project_id.as_str(), row.previous_status.as_str()), ("x", "p1", "announced"));
        assert_eq!((row.ordered_by.as_str(), row.by_regulator), ("user:u1", 0));
        assert_eq!(row.reason, "异议待答复（construction.objection.reply）");
        assert_eq!((row.suspended_at, row.resumed_at, row.resumed_by), (at(5).naive_utc(), None, None));
    }
}
