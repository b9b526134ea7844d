//! Violation cases (管理办法 §20–27, 细则 §17(七)): centre staff, inspectors and regulators
//! record conduct they saw, with evidence; the lead department investigates, joined by
//! others where several are concerned (联合查处), and decides with findings from the
//! prohibited-conduct catalogue. A confirmed finding against a market participant becomes a
//! credit record; against an expert it may restrict the expert.

use crate::stored::stored;
use ggzy_kernel::{Answer, AuditAction};
use ggzy_oversight::conduct::{self, CaseStatus, Subject};
pub use ggzy_oversight::investigation::ViolationFilter;
use ggzy_oversight::investigation::{self, CaseAt, Lead, Named, RecordWriter, Verdict};
use ggzy_oversight::violation::{self as decide, CaseValues};
pub use ggzy_oversight::violation::{
    CaseDecision, DecideViolation, Evidence, InvestigationStep, InvestigationStepInput, NewViolationCase,
    OpenInvestigation,
};
use ggzy_oversight::DepartmentKind;
use ggzy_store::violations::{self as repo, ViolationCaseRow};
use ggzy_store::DbConnection;
use ggzy_views::violations::{case_entry, decided_case_row, reported_case_row, stepped_case_row, Reporter};
pub use ggzy_views::violations::{ConductItem, ViolationCase, ViolationCasePage};

use crate::policy::{authorize, authorized, Action, CaseScope};
use crate::validate;
use crate::{Principal, ServiceError};

use ggzy_oversight::conduct::CasePart as Part;

impl crate::contexts::Oversight<'_> {
    /// The prohibited-conduct catalogue (public: it is the text of the rules).
    pub fn conduct_codes(&self) -> Vec<ConductItem> {
        conduct::CATALOGUE.iter().map(ConductItem::from).collect()
    }

    fn case_view(&self, conn: &mut DbConnection, row: ViolationCaseRow) -> Result<ViolationCase, ServiceError> {
        let departments = repo::departments_of(conn, &row.id)?;
        Ok(ViolationCase::from_row(row, departments)?)
    }

    /// The department that leads a case about this subject on this project.
    fn lead_department(
        conn: &mut DbConnection,
        subject: Subject,
        project_id: Option<&str>,
    ) -> Result<String, ServiceError> {
        Ok(match investigation::lead_of(subject) {
            Lead::Inspectors => crate::INSPECTORS.into(),
            Lead::ComprehensiveRegulator => crate::COMPREHENSIVE_REGULATOR.into(),
            Lead::ProjectSupervisor => {
                let project = project_id.map(|id| ggzy_store::projects::find(conn, id)).transpose()?.flatten();
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
                let kind = ggzy_store::departments::find(conn, id)?.and_then(|d| DepartmentKind::parse(&d.kind));
                kind.is_some() && kind == investigation::department_kind(subject)
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
        crate::policy::part_on_case(
            p,
            own_part,
            Subject::parse(&row.subject_kind) == Some(Subject::ComprehensiveRegulator),
        )
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
        let principal = authorized(principal, Action::RecordViolation)?;
        let (case, report_tracking_code) = decide::read_case(request).map_err(ServiceError::Invalid)?;
        self.store().write(|conn| {
            let project = case.project_id.as_ref().map(|id| ggzy_store::projects::find(conn, id)).transpose()?;
            let project_known = project.map(|found| found.is_some());
            let subject_exists = Self::subject_exists(conn, case.subject, &case.subject_id)?;
            let report =
                report_tracking_code.map(|code| ggzy_store::objections::report_by_code(conn, &code)).transpose()?;
            investigation::check_references(project_known, subject_exists, report.as_ref().map(Option::is_some))
                .map_err(ServiceError::Invalid)?;
            let report_id = report.flatten().map(|r| r.id);
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
        let reporter = Reporter { actor: principal.actor(), org: principal.org.clone(), at: self.now_naive() };
        let row = reported_case_row(self.fresh_id(), case, report_id, reporter)
            .map_err(|e| ServiceError::Internal(e.to_string()))?;
        repo::insert_case(conn, &row, &lead)?;
        let view = self.case_view(conn, row)?;
        self.record_case_event(conn, principal, &view, AuditAction::ViolationReport)?;
        Ok(view)
    }

    /// Writes a case moved on, unless another request moved it meanwhile, and audits it.
    fn save_case(
        &self,
        conn: &mut DbConnection,
        principal: &Principal,
        row: ViolationCaseRow,
        action: AuditAction,
    ) -> Result<ViolationCase, ServiceError> {
        if !repo::update_case(conn, &row)? {
            return Err(ServiceError::Conflict { detail: "案件已被同时修改，请重试".into() });
        }
        let view = self.case_view(conn, row)?;
        self.record_case_event(conn, principal, &view, action)?;
        Ok(view)
    }

    fn record_case_event(
        &self,
        conn: &mut DbConnection,
        principal: &Principal,
        view: &ViolationCase,
        action: AuditAction,
    ) -> Result<(), ServiceError> {
        crate::record_entry(conn, principal, self.now_naive(), case_entry(action, view))
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
        let page = investigation::read_filter(&filter).map_err(ServiceError::Invalid)?;
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
            let part = Self::part_on_case(conn, principal, &row)?;
            let status: CaseStatus = stored("violation_cases.status", &row.status)?;
            let on_case: Vec<String> = repo::departments_of(conn, id)?.into_iter().map(|(d, _)| d).collect();
            let kinds = repo::department_kinds(conn, &joint)?;
            let named: Vec<_> =
                joint.iter().zip(kinds).map(|(d, kind)| (d.clone(), Named::of_stored(kind.as_deref()))).collect();
            let opened = investigation::open(part, status, &named, &on_case).map_err(Answer::from)?;
            for department in &opened.joint {
                repo::add_joint_department(conn, id, department)?;
            }
            let by = principal_ref.org.clone().unwrap_or_default();
            let step = InvestigationStep { at: now, by, note, evidence: Vec::new() };
            stepped_case_row(&mut row, step, Some(opened.status))?;
            self.save_case(conn, principal_ref, row, AuditAction::ViolationInvestigate)
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
            investigation::record_step(stored("violation_cases.status", &row.status)?).map_err(Answer::from)?;
            let by = principal_ref.org.clone().unwrap_or_default();
            stepped_case_row(&mut row, InvestigationStep { at: now, by, note, evidence }, None)?;
            self.save_case(conn, principal_ref, row, AuditAction::ViolationStep)
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
        let policy = self.credit().current_credit_policy()?;
        self.store().write(|conn| {
            let mut row = repo::find_case(conn, id)?.ok_or(ServiceError::NotFound { what: "violation case" })?;
            let case = CaseAt {
                part: Self::part_on_case(conn, principal, &row)?,
                status: stored("violation_cases.status", &row.status)?,
                subject: stored("violation_cases.subject_kind", &row.subject_kind)?,
                subject_id: &row.subject_id,
            };
            let writer = RecordWriter {
                id: self.fresh_id(),
                source: crate::contexts::Credit::department_name(conn, principal_ref)?,
            };
            let Verdict { status, credit_record, expert_restricted_until: restricted } =
                investigation::decide(case, &decided, today, &policy, writer).map_err(Answer::from)?;
            let credit_record_id = credit_record
                .map(|record| self.credit().record_credit_finding(conn, principal_ref, record, "violation_case"))
                .transpose()?;
            if let Some(until) = restricted {
                ggzy_store::evaluation::restrict_expert(conn, &row.subject_id, until, &decided.decision)?;
            }
            let decided = decided.into_decision(credit_record_id, principal_ref.org.clone().unwrap_or_default());
            decided_case_row(&mut row, status, &decided, self.now_naive())?;
            self.save_case(conn, principal_ref, row, AuditAction::ViolationDecide)
        })
    }
}
