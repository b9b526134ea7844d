//! Response and request bodies of violations (see `ggzy_service::violations` for the use cases).

use chrono::{DateTime, Utc};
use ggzy_kernel::{stored, stored_json, AuditAction, StoredFault};
use ggzy_oversight::conduct::{self, CasePart, CaseStatus, ConductCode, Subject};
use ggzy_oversight::investigation;
pub use ggzy_oversight::investigation::ViolationFilter;
use ggzy_oversight::violation::CaseValues;
pub use ggzy_oversight::violation::{
    CaseDecision, DecideViolation, Evidence, InvestigationStep, InvestigationStepInput, NewViolationCase,
    OpenInvestigation,
};
use ggzy_store::violations::ViolationCaseRow;
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit_entry::{project_chain, AuditEntry};

/// One item of the prohibited-conduct catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ConductItem {
    pub code: String,
    pub subjects: Vec<String>,
    pub text: String,
    pub source: String,
}

impl From<&ConductCode> for ConductItem {
    fn from(item: &ConductCode) -> Self {
        ConductItem {
            code: item.code.into(),
            subjects: item.subjects.iter().map(|s| s.as_str().to_owned()).collect(),
            text: item.text.into(),
            source: item.source.into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ViolationCase {
    pub id: String,
    pub project_id: Option<String>,
    pub subject_kind: Subject,
    pub subject_id: String,
    pub suspected: Vec<ConductItem>,
    pub description: String,
    pub evidence: Vec<Evidence>,
    pub from_report: bool,
    pub reported_by: String,
    pub reported_at: DateTime<Utc>,
    pub status: CaseStatus,
    pub lead_department: String,
    pub joint_departments: Vec<String>,
    pub steps: Vec<InvestigationStep>,
    pub decision: Option<CaseDecision>,
    pub decided_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ViolationCasePage {
    pub items: Vec<ViolationCase>,
    pub next_cursor: Option<String>,
}

impl ViolationCase {
    /// The case as stored, with the departments on it and the part of each (as stored in
    /// `violation_case_departments`).
    pub fn from_row(row: ViolationCaseRow, departments: Vec<(String, String)>) -> Result<ViolationCase, StoredFault> {
        let departments = departments
            .into_iter()
            .map(|(department, part)| Ok((department, stored::<CasePart>("violation_case_departments.part", &part)?)))
            .collect::<Result<Vec<_>, StoredFault>>()?;
        let (lead, joint_departments) = investigation::lead_and_joint(departments);
        let codes: Vec<String> = stored_json("violation_cases.suspected_codes", &row.suspected_codes)?;
        Ok(ViolationCase {
            suspected: codes.iter().filter_map(|c| conduct::conduct(c)).map(ConductItem::from).collect(),
            evidence: stored_json("violation_cases.evidence", &row.evidence)?,
            steps: stored_json("violation_cases.steps", &row.steps)?,
            decision: row.decision.as_deref().map(|d| stored_json("violation_cases.decision", d)).transpose()?,
            joint_departments,
            lead_department: lead,
            id: row.id,
            project_id: row.project_id,
            subject_kind: stored("violation_cases.subject_kind", &row.subject_kind)?,
            subject_id: row.subject_id,
            description: row.description,
            from_report: row.report_id.is_some(),
            reported_by: row.reported_by,
            reported_at: row.reported_at.and_utc(),
            status: stored("violation_cases.status", &row.status)?,
            decided_at: row.decided_at.map(|t| t.and_utc()),
        })
    }
}

/// Who reported a case, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reporter {
    /// The actor (`role:subject@org`).
    pub actor: String,
    pub org: Option<String>,
    pub at: chrono::NaiveDateTime,
}

/// The row of a case just reported, at its first version with no step yet; `report_id`
/// is the public report it follows, if any.
pub fn reported_case_row(
    id: String,
    case: CaseValues,
    report_id: Option<String>,
    reporter: Reporter,
) -> Result<ViolationCaseRow, serde_json::Error> {
    Ok(ViolationCaseRow {
        id,
        project_id: case.project_id,
        subject_kind: case.subject.as_str().into(),
        subject_id: case.subject_id,
        suspected_codes: serde_json::to_string(&case.codes)?,
        description: case.description,
        evidence: serde_json::to_string(&case.evidence)?,
        report_id,
        reported_by: reporter.actor,
        reporter_org: reporter.org,
        reported_at: reporter.at,
        status: CaseStatus::Reported.as_str().into(),
        steps: "[]".into(),
        decision: None,
        decided_at: None,
        version: 1,
    })
}

/// A case's stored investigation steps with `step` recorded after them.
pub fn steps_after(row: &ViolationCaseRow, step: InvestigationStep) -> Result<Vec<InvestigationStep>, StoredFault> {
    let mut steps: Vec<InvestigationStep> = stored_json("violation_cases.steps", &row.steps)?;
    steps.push(step);
    Ok(steps)
}

/// A case's row with `step` recorded after its stored steps, moved to `status` when the
/// step moves it (a new version).
pub fn stepped_case_row(
    row: &mut ViolationCaseRow,
    step: InvestigationStep,
    status: Option<CaseStatus>,
) -> Result<(), StoredFault> {
    let steps = steps_after(row, step)?;
    row.steps = serde_json::to_string(&steps)
        .map_err(|e| StoredFault::new("violation_cases.steps", e, "investigation steps as JSON"))?;
    if let Some(status) = status {
        row.status = status.as_str().into();
    }
    row.version += 1;
    Ok(())
}

/// A case's row once decided at `at`, in `status` (a new version).
pub fn decided_case_row(
    row: &mut ViolationCaseRow,
    status: CaseStatus,
    decision: &CaseDecision,
    at: chrono::NaiveDateTime,
) -> Result<(), StoredFault> {
    let text = serde_json::to_string(decision)
        .map_err(|e| StoredFault::new("violation_cases.decision", e, "a decision as JSON"))?;
    row.decision = Some(text);
    row.decided_at = Some(at);
    row.status = status.as_str().into();
    row.version += 1;
    Ok(())
}

/// The audit entry of a case reported or moved on (`action`): the case as now shown, on its
/// project's chain, or on its own when it names no project.
pub fn case_entry(action: AuditAction, case: &ViolationCase) -> AuditEntry<&ViolationCase> {
    let chain = case.project_id.as_deref().map_or_else(|| format!("violation:{}", case.id), project_chain);
    AuditEntry { chain, action, object_type: "violation_case", object_id: case.id.clone(), payload: case }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> ViolationCaseRow {
        ViolationCaseRow {
            id: "c1".into(),
            project_id: Some("p1".into()),
            subject_kind: "bidder".into(),
            subject_id: "b1".into(),
            suspected_codes: format!(r#"["{}","no-such-code"]"#, conduct::CATALOGUE[0].code),
            description: "d".into(),
            evidence: "[]".into(),
            report_id: Some("r1".into()),
            reported_by: "staff".into(),
            reporter_org: None,
            reported_at: chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap().naive_utc(),
            status: "reported".into(),
            steps: "[]".into(),
            decision: None,
            decided_at: None,
            version: 1,
        }
    }

    fn departments() -> Vec<(String, String)> {
        vec![("d1".into(), "lead".into()), ("d2".into(), "joint".into())]
    }

    #[test]
    fn a_case_shows_its_row_its_lead_and_joint_departments_and_known_codes() {
        let case = ViolationCase::from_row(row(), departments()).unwrap();
        assert_eq!(case.lead_department, "d1");
        assert_eq!(case.joint_departments, vec!["d2"]);
        assert_eq!(case.suspected, vec![ConductItem::from(&conduct::CATALOGUE[0])]);
        assert_eq!(case.subject_kind, Subject::Bidder);
        assert_eq!(case.status, CaseStatus::Reported);
        assert!(case.from_report);
        assert_eq!(case.reported_at.timestamp(), 1_700_000_000);
        assert!(case.decision.is_none() && case.decided_at.is_none());
    }

    #[test]
    fn a_case_is_audited_on_its_projects_chain_or_its_own() {
        let case = ViolationCase::from_row(row(), departments()).unwrap();
        let entry = case_entry(AuditAction::ViolationReport, &case);
        let expected =
            case.project_id.as_deref().map_or_else(|| format!("violation:{}", case.id), |p| format!("project:{p}"));
        assert_eq!((entry.chain, entry.action), (expected, AuditAction::ViolationReport));
        assert_eq!((entry.object_type, entry.object_id.as_str()), ("violation_case", case.id.as_str()));
        let own = ViolationCase { project_id: None, ..case.clone() };
        assert_eq!(case_entry(AuditAction::ViolationDecide, &own).chain, format!("violation:{}", case.id));
        let on_project = ViolationCase { project_id: Some("p9".into()), ..case };
        assert_eq!(case_entry(AuditAction::ViolationStep, &on_project).chain, "project:p9");
    }

    #[test]
    fn an_unknown_part_status_or_unreadable_list_is_a_fault() {
        let fault = ViolationCase::from_row(row(), vec![("d1".into(), "boss".into())]).unwrap_err();
        assert_eq!((fault.column, fault.value.as_str()), ("violation_case_departments.part", "boss"));
        let fault =
            ViolationCase::from_row(ViolationCaseRow { status: "lost".into(), ..row() }, departments()).unwrap_err();
        assert_eq!(fault.column, "violation_cases.status");
        let fault = ViolationCase::from_row(ViolationCaseRow { decision: Some("{".into()), ..row() }, departments())
            .unwrap_err();
        assert_eq!(fault.column, "violation_cases.decision");
    }

    #[test]
    fn a_reported_case_is_stored_at_its_first_version_without_steps() {
        let case = CaseValues {
            project_id: Some("p1".into()),
            subject: Subject::Bidder,
            subject_id: "b1".into(),
            codes: vec![conduct::CATALOGUE[0].code.to_owned(), "no-such-code".into()],
            description: "d".into(),
            evidence: Vec::new(),
        };
        let reporter = Reporter { actor: "staff".into(), org: None, at: row().reported_at };
        let stored = reported_case_row("c1".into(), case, Some("r1".into()), reporter).unwrap();
        assert_eq!(stored, row());
        let case = ViolationCase::from_row(stored, departments()).unwrap();
        assert_eq!((case.status, case.steps.len()), (CaseStatus::Reported, 0));
    }

    #[test]
    fn a_step_is_recorded_after_the_stored_ones() {
        let at = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let step = |note: &str| InvestigationStep { at, by: "d1".into(), note: note.into(), evidence: Vec::new() };
        let first = steps_after(&row(), step("立案")).unwrap();
        assert_eq!(first, vec![step("立案")]);
        let stored = ViolationCaseRow { steps: serde_json::to_string(&first).unwrap(), ..row() };
        let notes: Vec<String> = steps_after(&stored, step("调查")).unwrap().into_iter().map(|s| s.note).collect();
        assert_eq!(notes, vec!["立案", "调查"]);
        let fault = steps_after(&ViolationCaseRow { steps: "{".into(), ..row() }, step("x")).unwrap_err();
        assert_eq!(fault.column, "violation_cases.steps");
    }

    #[test]
    fn a_stepped_case_keeps_its_steps_and_moves_only_when_told() {
        let at = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let step = |note: &str| InvestigationStep { at, by: "d1".into(), note: note.into(), evidence: Vec::new() };
        let mut case = row();
        stepped_case_row(&mut case, step("立案"), Some(CaseStatus::Investigating)).unwrap();
        assert_eq!((case.status.as_str(), case.version), ("investigating", row().version + 1));
        stepped_case_row(&mut case, step("调查"), None).unwrap();
        assert_eq!((case.status.as_str(), case.version), ("investigating", row().version + 2));
        let steps: Vec<InvestigationStep> = serde_json::from_str(&case.steps).unwrap();
        assert_eq!(steps, vec![step("立案"), step("调查")]);
        let mut unreadable = ViolationCaseRow { steps: "{".into(), ..row() };
        assert!(stepped_case_row(&mut unreadable, step("x"), None).is_err());
        assert_eq!(unreadable.version, row().version, "nothing changes when the steps cannot be read");
    }

    #[test]
    fn a_decided_case_stores_its_decision_and_when() {
        let decided = ggzy_oversight::violation::read_decision(DecideViolation {
            outcome: Some("dismissed".into()),
            decision: Some("不构成违法".into()),
            ..DecideViolation::default()
        })
        .unwrap()
        .into_decision(None, "d1".into());
        let mut case = row();
        let at = row().reported_at + chrono::TimeDelta::days(3);
        decided_case_row(&mut case, CaseStatus::Dismissed, &decided, at).unwrap();
        assert_eq!((case.status.as_str(), case.decided_at, case.version), ("dismissed", Some(at), row().version + 1));
        let stored: CaseDecision = serde_json::from_str(case.decision.as_deref().unwrap()).unwrap();
        assert_eq!(stored, decided);
    }
}
