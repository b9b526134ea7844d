//! Response and request bodies of violations (see `ggzy_service::violations` for the use cases).

use chrono::{DateTime, Utc};
use ggzy_kernel::{stored, stored_json, StoredFault};
use ggzy_oversight::conduct::{self, CasePart, CaseStatus, ConductCode, Subject};
use ggzy_oversight::investigation;
pub use ggzy_oversight::investigation::ViolationFilter;
pub use ggzy_oversight::violation::{
    CaseDecision, DecideViolation, Evidence, InvestigationStep, InvestigationStepInput, NewViolationCase,
    OpenInvestigation,
};
use ggzy_store::violations::ViolationCaseRow;
use serde::Serialize;
use utoipa::ToSchema;

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
}
