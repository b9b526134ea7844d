//! Response and request bodies of violations (see `ggzy_service::violations` for the use cases).

use chrono::{DateTime, Utc};
use ggzy_oversight::conduct::{CaseStatus, ConductCode, Subject};
pub use ggzy_oversight::investigation::ViolationFilter;
pub use ggzy_oversight::violation::{
    CaseDecision, DecideViolation, Evidence, InvestigationStep, InvestigationStepInput, NewViolationCase,
    OpenInvestigation,
};
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
