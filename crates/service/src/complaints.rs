//! Complaints (投诉) to the project's industry regulator: filed within the window (the
//! objection's reply time not counted; procurement after the reply period), accepted or
//! refused within the acceptance limit, decided within the decision limit with time for
//! testing, appraisal or expert review paused and resumed on record; findings become
//! credit records, and so does a complaint found false.

use ggzy_kernel::Answer;
use ggzy_oversight::complaint::{self, ComplaintDecisionValues, Filing};
pub use ggzy_oversight::complaint::{
    AcceptComplaint, ComplaintDecision, ComplaintPause, DecideComplaint, FileComplaint, PauseComplaint, PauseReason,
};
use ggzy_rules::Category;
use ggzy_store::objections::{self as repo, ComplaintRow};
use ggzy_store::projects::ProjectRow;
use ggzy_store::DbConnection;
pub use ggzy_views::complaints::{Complaint, ComplaintPage, ComplaintQuery};

use crate::policy::{authorize, authorized, Action};
use crate::{Principal, ServiceError};

pub use ggzy_oversight::lifecycle::{ComplaintCommand, ComplaintOutcome, ComplaintStatus, Remedy};

pub(crate) use ggzy_views::complaints::pauses_of;
use ggzy_views::complaints::{
    complaint_cursor, decided_complaint_row, decision_entry, filed_complaint_row, filed_entry, named_objection,
    paused_complaint_row, read_query, review_entry, reviewed_complaint_row,
};

impl crate::contexts::Oversight<'_> {
    pub(crate) fn complaint_view(&self, conn: &mut DbConnection, row: ComplaintRow) -> Result<Complaint, ServiceError> {
        let calendar = self.working_calendar_in(conn)?;
        self.complaint_view_with(conn, &calendar, row)
    }

    /// A complaint's view with its clocks counted on `calendar` (read once for a list).
    pub(crate) fn complaint_view_with(
        &self,
        conn: &mut DbConnection,
        calendar: &ggzy_kernel::WorkingCalendar,
        row: ComplaintRow,
    ) -> Result<Complaint, ServiceError> {
        let project =
            ggzy_store::projects::find(conn, &row.project_id)?.ok_or(ServiceError::NotFound { what: "complaint" })?;
        let (rule, clock) = self.complaint_decision(conn, calendar, &project, &row)?;
        let floored =
            |(start, due)| Self::with_floor(conn, crate::clocks::COMPLAINT_DECISION, &row.id, due).map(|d| (start, d));
        let clock = clock.map(floored).transpose()?;
        Ok(Complaint::from_row(row, rule, clock, &calendar.years())?)
    }

    /// A bidder complains to the project's industry regulator within the window.
    #[tracing::instrument(skip_all, fields(project_id = %project_id))]
    pub fn file_complaint(
        &self,
        principal: Option<&Principal>,
        project_id: &str,
        request: FileComplaint,
    ) -> Result<Complaint, ServiceError> {
        let principal = authorized(principal, Action::Bid)?;
        let values = complaint::read_complaint(request).map_err(ServiceError::Invalid)?;
        let now = self.now();
        let calendar = self.working_calendar()?;
        let complainant = principal.org.clone().unwrap_or_default();
        self.store().write(|conn| {
            let project: ProjectRow =
                ggzy_store::projects::find(conn, project_id)?.ok_or(ServiceError::NotFound { what: "project" })?;
            let category: Category = crate::projects::parse_stored_enum("category", &project.category)?;
            let rule_set = self.stored_rule_set(conn, project.rule_set_version)?;
            let found = values.objection_id.as_ref().map(|id| repo::find(conn, id)).transpose()?.flatten();
            let named = named_objection(values.objection_id.is_some(), found.as_ref());
            let facts = complaint::filing_facts(category, project_id, &complainant, values.knew_at, named)
                .map_err(|problem| ServiceError::Invalid(vec![problem]))?;
            let Filing { rule, acceptance_due, .. } = complaint::filing(&facts, &rule_set, &calendar, now)
                .map_err(|refused| refused.answer().unwrap_or_else(Answer::from))?;
            let row = filed_complaint_row(self.fresh_id(), &project, complainant.clone(), values, acceptance_due, now);
            repo::insert_complaint(conn, &row)?;
            crate::record_entry(conn, principal, now.naive_utc(), filed_entry(&row, rule, acceptance_due))?;
            self.complaint_view(conn, row)
        })
    }

    /// Loads a complaint for a supervisory act on its project.
    fn supervised_complaint(
        &self,
        conn: &mut DbConnection,
        principal: Option<&Principal>,
        id: &str,
    ) -> Result<ComplaintRow, ServiceError> {
        let (row, regulator) =
            repo::complaint_with_regulator(conn, id)?.ok_or(ServiceError::NotFound { what: "complaint" })?;
        authorize(principal, Action::SuperviseProject { regulator_id: regulator.as_deref() })?;
        Ok(row)
    }

    pub fn complaint(&self, principal: Option<&Principal>, id: &str) -> Result<Complaint, ServiceError> {
        principal.ok_or(ServiceError::Unauthenticated)?;
        self.store().read(|conn| {
            let row = repo::find_complaint(conn, id)?.ok_or(ServiceError::NotFound { what: "complaint" })?;
            let own = authorize(principal, Action::ReadOwnComplaint { complainant_id: &row.complainant_id }).is_ok();
            if !own {
                self.supervised_complaint(conn, principal, id)
                    .map_err(|_| ServiceError::NotFound { what: "complaint" })?;
            }
            self.complaint_view(conn, row)
        })
    }

    /// The complaints inbox, newest filing first: every complaint for 公管办, those on the
    /// projects it supervises for an industry regulator, its own for a complainant (bidder).
    /// Each as `GET /complaints/{id}` shows it, decided ones included.
    pub fn complaints(
        &self,
        principal: Option<&Principal>,
        query: ComplaintQuery,
    ) -> Result<ComplaintPage, ServiceError> {
        let principal = authorized(principal, Action::ListComplaints)?;
        let scope = crate::policy::complaint_scope(principal);
        let (status, project_id, page) = read_query(query).map_err(ServiceError::Invalid)?;
        self.store().read(|conn| {
            // The cursor is the last complaint of the caller's previous page.
            let cursor = page.after.as_deref().map(|id| repo::complaint_with_regulator(conn, id)).transpose()?;
            let after = cursor.map(|found| complaint_cursor(scope, found).ok_or_else(crate::validate::unknown_cursor));
            let after = after.transpose()?;
            let filter = repo::ComplaintFilter {
                status: status.map(ComplaintStatus::as_str),
                project_id: project_id.as_deref(),
            };
            let mut rows = repo::complaints_page(conn, scope, &filter, after, i64::from(page.limit) + 1)?;
            let next_cursor = crate::validate::next_cursor(&mut rows, page.limit, |row| row.id.clone());
            let calendar = self.working_calendar_in(conn)?;
            let items = rows
                .into_iter()
                .map(|row| self.complaint_view_with(conn, &calendar, row))
                .collect::<Result<Vec<_>, ServiceError>>()?;
            Ok(ComplaintPage { items, next_cursor })
        })
    }

    /// The regulator accepts or refuses the complaint.
    pub fn accept_complaint(
        &self,
        principal: Option<&Principal>,
        id: &str,
        request: AcceptComplaint,
    ) -> Result<Complaint, ServiceError> {
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        let (accept, reason) = complaint::read_acceptance(request).map_err(ServiceError::Invalid)?;
        let now = self.now();
        self.store().write(|conn| {
            let mut row = self.supervised_complaint(conn, principal, id)?;
            let status = complaint_after(&row, ComplaintCommand::Review { accept })?;
            reviewed_complaint_row(&mut row, status, accept, now);
            repo::update_complaint(conn, &row)?;
            crate::record_entry(conn, principal_ref, now.naive_utc(), review_entry(&row, accept, &reason, now))?;
            self.complaint_view(conn, row)
        })
    }

    /// Pauses the decision clock (testing, appraisal, expert review), or resumes it.
    pub fn pause_complaint(
        &self,
        principal: Option<&Principal>,
        id: &str,
        pause: Option<PauseComplaint>,
    ) -> Result<Complaint, ServiceError> {
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        let today = self.today();
        let now = self.now_naive();
        self.store().write(|conn| {
            let mut row = self.supervised_complaint(conn, principal, id)?;
            complaint_after(&row, ComplaintCommand::PauseOrResume)?;
            let mut pauses = pauses_of(&row)?;
            let moved = complaint::move_clock(&mut pauses, pause, today).map_err(Answer::from)?;
            let entry = paused_complaint_row(&mut row, moved, pauses)?;
            repo::update_complaint(conn, &row)?;
            crate::record_entry(conn, principal_ref, now, entry)?;
            self.complaint_view(conn, row)
        })
    }

    /// The regulator decides; wrongdoing found and false complaints become credit records.
    pub fn decide_complaint(
        &self,
        principal: Option<&Principal>,
        id: &str,
        request: DecideComplaint,
    ) -> Result<Complaint, ServiceError> {
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        let decided = complaint::read_decision(request).map_err(ServiceError::Invalid)?;
        let now = self.now();
        let today = self.today();
        let policy = self.credit().current_credit_policy()?;
        self.store().write(|conn| {
            let mut row = self.supervised_complaint(conn, principal, id)?;
            let paused = pauses_of(&row)?.iter().any(|p| p.until.is_none());
            let next = complaint_after(&row, ComplaintCommand::Decide { paused })?;
            let findings = decided.findings(&row.complainant_id);
            let ComplaintDecisionValues { outcome, decision, remedies, .. } = decided;
            let source = row.regulator_id.clone().unwrap_or_default();
            let records = complaint::finding_records(findings, &source, &decision, today, &policy, || self.fresh_id())
                .map_err(|e| ServiceError::Invalid(vec![e]))?;
            let credit_records = (records.into_iter())
                .map(|record| self.credit().record_credit_finding(conn, principal_ref, record, "complaint_decision"))
                .collect::<Result<Vec<_>, _>>()?;
            let decided = ComplaintDecision { decision, remedies, credit_records };
            decided_complaint_row(&mut row, next, outcome, &decided, now)?;
            repo::update_complaint(conn, &row)?;
            crate::record_entry(conn, principal_ref, now.naive_utc(), decision_entry(&row, outcome, &decided))?;
            self.complaint_view(conn, row)
        })
    }
}

/// Where a stored complaint goes on `command`, or the conflict its state makes of it.
fn complaint_after(row: &ComplaintRow, command: ComplaintCommand) -> Result<ComplaintStatus, ServiceError> {
    let status: ComplaintStatus = crate::stored::stored("complaints.status", &row.status)?;
    status.after(command).map_err(|refusal| ServiceError::Conflict { detail: refusal.detail().into() })
}
