//! Violation cases (管理办法 §20–27, 细则 §17(七)): centre staff, inspectors and regulators
//! record conduct they saw, with evidence; the lead department investigates, joined by
//! others where several are concerned (联合查处), and decides with findings from the
//! prohibited-conduct catalogue. A confirmed finding against a market participant becomes a
//! credit record; against an expert it may restrict the expert.

use crate::stored::stored;
use chrono::{DateTime, Utc};
use ggzy_credit::{CreditRecord, RecordKind};
use ggzy_kernel::FieldError;
use ggzy_oversight::conduct::{self, CaseStatus, ConductCode, Subject};
use ggzy_oversight::violation::{self as decide, CaseValues, DecisionValues};
pub use ggzy_oversight::violation::{
    CaseDecision, DecideViolation, Evidence, InvestigationStep, InvestigationStepInput, NewViolationCase,
    OpenInvestigation,
};
use ggzy_store::violations::{self as repo, ViolationCaseRow};
use ggzy_store::DbConnection;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::policy::{authorize, Action, CaseScope};
use crate::validate::{self, Problems};
use crate::{json_text, utc};
use crate::{Platform, Principal, ServiceError};

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

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ViolationFilter {
    #[param(value_type = Option<CaseStatus>)]
    pub status: Option<String>,
    pub project: Option<String>,
    /// Only cases this department leads or joins (comprehensive regulator and inspectors).
    pub department: Option<String>,
    pub after: Option<String>,
    /// Page size, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, ServiceError> {
    crate::from_json_column(text, "violation case")
}

use ggzy_oversight::conduct::CasePart as Part;

impl Platform {
    /// The prohibited-conduct catalogue (public: it is the text of the rules).
    pub fn conduct_codes(&self) -> Vec<ConductItem> {
        conduct::CATALOGUE.iter().map(ConductItem::from).collect()
    }

    fn case_view(&self, conn: &mut DbConnection, row: ViolationCaseRow) -> Result<ViolationCase, ServiceError> {
        let departments = repo::departments_of(conn, &row.id)?;
        let departments = departments
            .into_iter()
            .map(|(department, part)| Ok((department, stored::<Part>("violation_case_departments.part", &part)?)))
            .collect::<Result<Vec<_>, ServiceError>>()?;
        let lead = departments.iter().find(|(_, part)| *part == Part::Lead).map(|(d, _)| d.clone()).unwrap_or_default();
        let codes: Vec<String> = from_json(&row.suspected_codes)?;
        Ok(ViolationCase {
            suspected: codes.iter().filter_map(|c| conduct::conduct(c)).map(ConductItem::from).collect(),
            evidence: from_json(&row.evidence)?,
            steps: from_json(&row.steps)?,
            decision: row.decision.as_deref().map(from_json).transpose()?,
            joint_departments: departments
                .into_iter()
                .filter(|(_, part)| *part == Part::Joint)
                .map(|(d, _)| d)
                .collect(),
            lead_department: lead,
            id: row.id,
            project_id: row.project_id,
            subject_kind: stored("violation_cases.subject_kind", &row.subject_kind)?,
            subject_id: row.subject_id,
            description: row.description,
            from_report: row.report_id.is_some(),
            reported_by: row.reported_by,
            reported_at: utc(row.reported_at),
            status: stored("violation_cases.status", &row.status)?,
            decided_at: row.decided_at.map(utc),
        })
    }

    /// The department that leads a case about this subject on this project.
    fn lead_department(
        conn: &mut DbConnection,
        subject: Subject,
        project_id: Option<&str>,
    ) -> Result<String, ServiceError> {
        Ok(match subject {
            // The comprehensive regulator does not judge itself.
            Subject::ComprehensiveRegulator => crate::INSPECTORS.into(),
            // Cases about a department go one level up.
            Subject::IndustryRegulator | Subject::Centre => crate::COMPREHENSIVE_REGULATOR.into(),
            _ => {
                let project = match project_id {
                    Some(id) => ggzy_store::projects::find(conn, id)?,
                    None => None,
                };
                crate::supervising_department(project.as_ref())
            }
        })
    }

    /// Names the subject's record missing, if it is.
    fn subject_exists(conn: &mut DbConnection, subject: Subject, id: &str) -> Result<bool, ServiceError> {
        Ok(match subject {
            Subject::Tenderer | Subject::Bidder | Subject::Agency => {
                ggzy_store::participants::find(conn, id)?.is_some()
            }
            Subject::Expert => ggzy_store::evaluation::find_expert(conn, id)?.is_some(),
            Subject::Supervisor | Subject::TendererRepresentative => ggzy_store::persons::find(conn, id)?.is_some(),
            Subject::ComprehensiveRegulator | Subject::IndustryRegulator | Subject::Centre => {
                ggzy_store::departments::find(conn, id)?.is_some_and(|d| d.kind == subject.as_str())
            }
        })
    }

    /// The principal's part on a case (policy::part_on_case), from its department's among
    /// the case's.
    fn part_on_case(
        conn: &mut DbConnection,
        principal: Option<&Principal>,
        row: &ViolationCaseRow,
    ) -> Result<Part, ServiceError> {
        let p = principal.ok_or(ServiceError::Unauthenticated)?;
        let departments = repo::departments_of(conn, &row.id)?;
        let own_part = departments
            .iter()
            .find(|(d, _)| p.acts_for(d))
            .map(|(_, part)| stored::<Part>("violation_case_departments.part", part))
            .transpose()?;
        crate::policy::part_on_case(p, own_part, row.subject_kind == Subject::ComprehensiveRegulator.as_str())
    }

    fn may_read_case(
        conn: &mut DbConnection,
        principal: Option<&Principal>,
        row: &ViolationCaseRow,
    ) -> Result<bool, ServiceError> {
        let p = principal.ok_or(ServiceError::Unauthenticated)?;
        let on_case = repo::departments_of(conn, &row.id)?.iter().any(|(d, _)| p.acts_for(d));
        let read = Action::ReadViolationCase { reporter_org: row.reporter_org.as_deref(), on_case };
        Ok(authorize(principal, read).is_ok())
    }

    /// Centre staff, inspectors and regulators record conduct they saw, with evidence.
    #[tracing::instrument(skip_all)]
    pub fn record_violation(
        &self,
        principal: Option<&Principal>,
        request: NewViolationCase,
    ) -> Result<ViolationCase, ServiceError> {
        authorize(principal, Action::RecordViolation)?;
        let principal = principal.ok_or(ServiceError::Unauthenticated)?;
        let (case, report_tracking_code) = decide::read_case(request).map_err(ServiceError::Invalid)?;
        self.store().write(|conn| {
            let mut problems = Problems::default();
            if let Some(project) = &case.project_id {
                if ggzy_store::projects::find(conn, project)?.is_none() {
                    problems.push(FieldError::new("project_id", "unknown_project", "项目不存在"));
                }
            }
            if !Self::subject_exists(conn, case.subject, &case.subject_id)? {
                problems.push(FieldError::new("subject_id", "unknown_subject", "被反映的对象不存在或类型不符"));
            }
            let report_id = match &report_tracking_code {
                Some(code) => {
                    let report = ggzy_store::objections::report_by_code(conn, code)?;
                    if report.is_none() {
                        problems.push(FieldError::new("report_tracking_code", "unknown_report", "举报不存在"));
                    }
                    report.map(|r| r.id)
                }
                None => None,
            };
            problems.finish()?;
            self.open_violation_case(conn, principal, case.clone(), report_id)
        })
    }

    /// Inserts a checked case with its lead department and audits it.
    pub(crate) fn open_violation_case(
        &self,
        conn: &mut DbConnection,
        principal: &Principal,
        case: CaseValues,
        report_id: Option<String>,
    ) -> Result<ViolationCase, ServiceError> {
        let lead = Self::lead_department(conn, case.subject, case.project_id.as_deref())?;
        let row = ViolationCaseRow {
            id: self.fresh_id(),
            project_id: case.project_id,
            subject_kind: case.subject.as_str().into(),
            subject_id: case.subject_id,
            suspected_codes: json_text(&case.codes)?,
            description: case.description,
            evidence: json_text(&case.evidence)?,
            report_id,
            reported_by: principal.actor(),
            reporter_org: principal.org.clone(),
            reported_at: self.now_naive(),
            status: CaseStatus::Reported.as_str().into(),
            steps: "[]".into(),
            decision: None,
            decided_at: None,
            version: 1,
        };
        repo::insert_case(conn, &row, &lead)?;
        let view = self.case_view(conn, row)?;
        self.record_case_event(conn, principal, &view, "violation.report")?;
        Ok(view)
    }

    fn record_case_event(
        &self,
        conn: &mut DbConnection,
        principal: &Principal,
        view: &ViolationCase,
        action: &'static str,
    ) -> Result<(), ServiceError> {
        let chain = match &view.project_id {
            Some(project) => format!("project:{project}"),
            None => format!("violation:{}", view.id),
        };
        crate::record(
            conn,
            principal,
            self.now_naive(),
            crate::AuditRecord {
                chain,
                action,
                object_type: "violation_case",
                object_id: view.id.clone(),
                payload: crate::payload_of(view)?,
            },
        )
    }

    pub fn violation_case(&self, principal: Option<&Principal>, id: &str) -> Result<ViolationCase, ServiceError> {
        principal.ok_or(ServiceError::Unauthenticated)?;
        self.store().read(|conn| {
            let row = repo::find_case(conn, id)?.ok_or(ServiceError::NotFound { what: "violation case" })?;
            if !Self::may_read_case(conn, principal, &row)? {
                return Err(ServiceError::NotFound { what: "violation case" });
            }
            self.case_view(conn, row)
        })
    }

    /// Cases the principal may see, in id order.
    pub fn violation_cases(
        &self,
        principal: Option<&Principal>,
        filter: ViolationFilter,
    ) -> Result<ViolationCasePage, ServiceError> {
        let p = principal.ok_or(ServiceError::Unauthenticated)?;
        let mut problems = Problems::default();
        if let Some(status) = &filter.status {
            problems.closed::<CaseStatus>("status", status);
        }
        let page = validate::page_of(&mut problems, filter.after, filter.limit);
        problems.finish()?;
        let page = page.ok_or_else(|| ServiceError::Internal("page checked without a value".into()))?;
        authorize(principal, Action::ListViolationCases)?;
        let (department, reporter) = match crate::policy::violation_case_scope(p) {
            CaseScope::All => (filter.department.clone(), None),
            CaseScope::Department(department) => (Some(department.to_owned()), None),
            CaseScope::ReportedBy(reporter) => (None, Some(reporter.to_owned())),
        };
        self.store().read(|conn| {
            let mut rows = repo::list_cases(
                conn,
                department.as_deref(),
                reporter.as_deref(),
                filter.status.as_deref(),
                filter.project.as_deref(),
                page.after.as_deref(),
                i64::from(page.limit) + 1,
            )?;
            let next_cursor = validate::next_cursor(&mut rows, page.limit, |r| r.id.clone());
            let items = rows.into_iter().map(|r| self.case_view(conn, r)).collect::<Result<Vec<_>, _>>()?;
            Ok(ViolationCasePage { items, next_cursor })
        })
    }

    /// The lead department opens the investigation, naming any joint departments.
    #[tracing::instrument(skip_all, fields(case_id = %id))]
    pub fn open_investigation(
        &self,
        principal: Option<&Principal>,
        id: &str,
        request: OpenInvestigation,
    ) -> Result<ViolationCase, ServiceError> {
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        let (note, joint) = decide::read_opening(request).map_err(ServiceError::Invalid)?;
        let now = self.now();
        self.store().write(|conn| {
            let mut row = repo::find_case(conn, id)?.ok_or(ServiceError::NotFound { what: "violation case" })?;
            if Self::part_on_case(conn, principal, &row)? != Part::Lead {
                return Err(ServiceError::Forbidden { detail: "仅承办部门可立案调查".into(), rule: None });
            }
            let status: CaseStatus = stored("violation_cases.status", &row.status)?;
            if !status.can_investigate() {
                return Err(ServiceError::Conflict { detail: "该案件已立案或已办结".into() });
            }
            let mut problems = Problems::default();
            let on_case: Vec<String> = repo::departments_of(conn, id)?.into_iter().map(|(d, _)| d).collect();
            let mut added = Vec::new();
            for (index, department) in joint.iter().enumerate() {
                let field = format!("joint_departments[{index}]");
                match ggzy_store::departments::find(conn, department)? {
                    None => problems.push(FieldError::new(field, "unknown_department", "部门不存在")),
                    Some(d) if d.kind == crate::departments::DepartmentKind::Centre.as_str() => {
                        problems.push(FieldError::new(field, "not_a_regulator", "交易中心不参与查处"))
                    }
                    Some(_) if on_case.contains(department) || added.contains(department) => {
                        problems.push(FieldError::new(field, "duplicate", "该部门已在本案中"))
                    }
                    Some(_) => added.push(department.clone()),
                }
            }
            problems.finish()?;
            for department in &added {
                repo::add_joint_department(conn, id, department)?;
            }
            let mut steps: Vec<InvestigationStep> = from_json(&row.steps)?;
            steps.push(InvestigationStep {
                at: now,
                by: principal_ref.org.clone().unwrap_or_default(),
                note,
                evidence: Vec::new(),
            });
            row.steps = json_text(&steps)?;
            row.status = CaseStatus::Investigating.as_str().into();
            row.version += 1;
            if !repo::update_case(conn, &row)? {
                return Err(ServiceError::Conflict { detail: "案件已被同时修改，请重试".into() });
            }
            let view = self.case_view(conn, row)?;
            self.record_case_event(conn, principal_ref, &view, "violation.investigate")?;
            Ok(view)
        })
    }

    /// A department on the case records an investigation step with any new evidence.
    pub fn add_investigation_step(
        &self,
        principal: Option<&Principal>,
        id: &str,
        request: InvestigationStepInput,
    ) -> Result<ViolationCase, ServiceError> {
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        let (note, evidence) = decide::read_step(request).map_err(ServiceError::Invalid)?;
        let now = self.now();
        self.store().write(|conn| {
            let mut row = repo::find_case(conn, id)?.ok_or(ServiceError::NotFound { what: "violation case" })?;
            Self::part_on_case(conn, principal, &row)?;
            if stored::<CaseStatus>("violation_cases.status", &row.status)? != CaseStatus::Investigating {
                return Err(ServiceError::Conflict { detail: "仅调查中的案件可记录调查情况".into() });
            }
            let mut steps: Vec<InvestigationStep> = from_json(&row.steps)?;
            steps.push(InvestigationStep {
                at: now,
                by: principal_ref.org.clone().unwrap_or_default(),
                note: note.clone(),
                evidence: evidence.clone(),
            });
            row.steps = json_text(&steps)?;
            row.version += 1;
            if !repo::update_case(conn, &row)? {
                return Err(ServiceError::Conflict { detail: "案件已被同时修改，请重试".into() });
            }
            let view = self.case_view(conn, row)?;
            self.record_case_event(conn, principal_ref, &view, "violation.step")?;
            Ok(view)
        })
    }

    /// The lead department decides: dismissed, or confirmed with catalogue findings.
    #[tracing::instrument(skip_all, fields(case_id = %id))]
    pub fn decide_violation(
        &self,
        principal: Option<&Principal>,
        id: &str,
        request: DecideViolation,
    ) -> Result<ViolationCase, ServiceError> {
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        let decided = decide::read_decision(request).map_err(ServiceError::Invalid)?;
        let today = self.today();
        let policy = self.current_credit_policy()?;
        self.store().write(|conn| {
            let mut row = repo::find_case(conn, id)?.ok_or(ServiceError::NotFound { what: "violation case" })?;
            if Self::part_on_case(conn, principal, &row)? != Part::Lead {
                return Err(ServiceError::Forbidden {
                    detail: "仅承办部门可作出处理决定".into(), rule: None
                });
            }
            let status: CaseStatus = stored("violation_cases.status", &row.status)?;
            if !status.can_decide() {
                return Err(ServiceError::Conflict { detail: "须先立案调查，且案件尚未办结".into() });
            }
            let subject: Subject = stored("violation_cases.subject_kind", &row.subject_kind)?;
            let consequences = decide::check_decision(&decided, subject, today).map_err(ServiceError::Invalid)?;
            let DecisionValues { outcome, findings, decision, penalty, severity, expert_restricted_until } = decided;
            let credit_record_id = match consequences.credit_record {
                Some(severity) => {
                    let months = policy
                        .publication_months(RecordKind::ViolationFinding, Some(severity), None, None)
                        .map_err(|e| ServiceError::Invalid(vec![e]))?;
                    let record = CreditRecord {
                        id: self.fresh_id(),
                        participant_id: row.subject_id.clone(),
                        kind: RecordKind::ViolationFinding,
                        severity: Some(severity),
                        source: Self::department_name(conn, principal_ref)?,
                        decision: decision.clone(),
                        decided_on: today,
                        publication_months: months,
                        repaired_on: None,
                    };
                    Some(self.record_credit_finding(conn, principal_ref, record, "violation_case")?)
                }
                None => None,
            };
            if let Some(until) = consequences.expert_restricted_until {
                ggzy_store::evaluation::restrict_expert(conn, &row.subject_id, until, &decision)?;
            }
            let decided = CaseDecision {
                outcome,
                findings,
                decision,
                penalty,
                severity,
                credit_record_id,
                expert_restricted_until,
                decided_by: principal_ref.org.clone().unwrap_or_default(),
            };
            row.decision = Some(json_text(&decided)?);
            row.decided_at = Some(self.now_naive());
            row.status = outcome.status().as_str().into();
            row.version += 1;
            if !repo::update_case(conn, &row)? {
                return Err(ServiceError::Conflict { detail: "案件已被同时修改，请重试".into() });
            }
            let view = self.case_view(conn, row)?;
            self.record_case_event(conn, principal_ref, &view, "violation.decide")?;
            Ok(view)
        })
    }
}
