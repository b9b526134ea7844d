//! Reports of suspected wrongdoing (举报, 管理办法 §35, 细则 §42–43): anyone, with or
//! without a token, reports about a project or participant; the report gets a tracking
//! code, goes to the project's industry regulator (or 公管办), and its handling is recorded;
//! who reported is visible only to the handling regulator.

use ggzy_oversight::wrongdoing as decide;
use ggzy_store::objections as repo;
use rand::RngCore;

use crate::policy::{authorize, authorized, Action};
use crate::{Principal, ServiceError};
pub use ggzy_oversight::lifecycle::ReportState;
pub use ggzy_oversight::wrongdoing::{HandleReport, HandlingStep, NewReport, ReportQuery};
use ggzy_views::reports::{filing_entry, handled_report_row, handling_entry, received_report_row};
pub use ggzy_views::reports::{Report, ReportPage, ReportStatus};

impl crate::contexts::Oversight<'_> {
    /// Anyone reports; the answer is the tracking code.
    pub fn file_report(&self, request: NewReport) -> Result<ReportStatus, ServiceError> {
        let values = decide::read_report(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        let mut code_bytes = [0_u8; 6];
        rand::rngs::OsRng.fill_bytes(&mut code_bytes);
        let tracking_code = decide::tracking_code(self.today(), code_bytes);
        self.store().write(|conn| {
            let project = values.project_id.as_ref().map(|id| ggzy_store::projects::find(conn, id)).transpose()?;
            let participant_known = match (&project, &values.participant_id) {
                // An unknown project is refused before the participant is looked at.
                (Some(None), _) | (_, None) => None,
                (_, Some(id)) => Some(ggzy_store::participants::find(conn, id)?.is_some()),
            };
            decide::check_named(project.as_ref().map(Option::is_some), participant_known)
                .map_err(|problem| ServiceError::Invalid(vec![problem]))?;
            let department_id = crate::supervising_department(project.flatten().as_ref());
            let row = received_report_row(self.fresh_id(), tracking_code.clone(), values, department_id, now);
            repo::insert_report(conn, &row)?;
            // On the report's chain from the start, filed by no one in particular.
            crate::record_entry(conn, &Principal::system("public", Vec::new()), now, filing_entry(&row))?;
            Ok(ReportStatus::try_from(&row)?)
        })
    }

    /// Follow a report by its tracking code (no token needed).
    pub fn report_status(&self, tracking_code: &str) -> Result<ReportStatus, ServiceError> {
        let row = self.store().read(|conn| repo::report_by_code(conn, tracking_code))?;
        Ok(ReportStatus::try_from(&row.ok_or(ServiceError::NotFound { what: "report" })?)?)
    }

    /// Reports for the handling regulator (公管办 and inspectors see all).
    pub fn reports(&self, principal: Option<&Principal>, query: ReportQuery) -> Result<ReportPage, ServiceError> {
        let principal = authorized(principal, Action::ListReports)?;
        let scope = crate::policy::industry_of(principal);
        let (status, page) = decide::read_report_query(query).map_err(ServiceError::Invalid)?;
        self.store().read(|conn| {
            let mut rows = repo::reports_page(
                conn,
                scope,
                status.map(ReportState::as_str),
                page.after.as_deref(),
                i64::from(page.limit) + 1,
            )?;
            let next_cursor = crate::validate::next_cursor(&mut rows, page.limit, |row| row.id.clone());
            let items = rows.into_iter().map(Report::try_from).collect::<Result<_, _>>()?;
            Ok(ReportPage { items, next_cursor })
        })
    }

    /// The handling regulator records a step.
    pub fn handle_report(
        &self,
        principal: Option<&Principal>,
        tracking_code: &str,
        request: HandleReport,
    ) -> Result<ReportStatus, ServiceError> {
        let principal = principal.ok_or(ServiceError::Unauthenticated)?;
        let (status, note) = decide::read_handling(request).map_err(ServiceError::Invalid)?;
        let now = self.now();
        self.store().write(|conn| {
            let mut row = repo::report_by_code_for_update(conn, tracking_code)?
                .ok_or(ServiceError::NotFound { what: "report" })?;
            authorize(Some(principal), Action::HandleReport { department_id: &row.department_id })?;
            let current: ReportState = crate::stored::stored("wrongdoing_reports.status", &row.status)?;
            let status = decide::step_after(current, status)
                .map_err(|closed| ServiceError::Conflict { detail: closed.detail().into() })?;
            let step = HandlingStep { at: now, by: principal.org.clone().unwrap_or_default(), status, note };
            let handling = handled_report_row(&mut row, step)?;
            repo::update_report(conn, &row)?;
            crate::record_entry(conn, principal, now.naive_utc(), handling_entry(&row, handling))?;
            Ok(ReportStatus::try_from(&row)?)
        })
    }
}
