//! Reports of suspected wrongdoing (举报, 管理办法 §35, 细则 §42–43): anyone, with or
//! without a token, reports about a project or participant; the report gets a tracking
//! code, goes to the project's industry regulator (or 公管办), and its handling is recorded;
//! who reported is visible only to the handling regulator.

use chrono::{DateTime, Utc};
use ggzy_kernel::FieldError;
use ggzy_store::objections::{self as repo, ReportRow};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::policy::{authorize, Action};
use crate::validate::Problems;
use crate::{Platform, Principal, ServiceError};
pub use ggzy_oversight::lifecycle::ReportState;

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReport {
    #[schema(value_type = Option<String>, format = Uuid)]
    pub project_id: Option<String>,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub participant_id: Option<String>,
    #[schema(required = true, value_type = String)]
    pub content: Option<String>,
    /// Who reports, if they wish to say (seen only by the handling regulator).
    pub reporter: Option<String>,
    pub contact: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandleReport {
    /// investigating or closed.
    #[schema(required = true, value_type = ReportState)]
    pub status: Option<String>,
    #[schema(required = true, value_type = String)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct HandlingStep {
    pub at: DateTime<Utc>,
    pub by: String,
    pub status: ReportState,
    pub note: String,
}

/// A report as its reporter follows it (by tracking code): no identities.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportStatus {
    pub tracking_code: String,
    pub received_at: DateTime<Utc>,
    pub department_id: String,
    pub status: ReportState,
    pub handling: Vec<HandlingStep>,
}

/// A report as the handling regulator sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Report {
    #[serde(flatten)]
    pub status: ReportStatus,
    pub project_id: Option<String>,
    pub participant_id: Option<String>,
    pub content: String,
    pub reporter: Option<String>,
    pub contact: Option<String>,
}

/// A page of reports, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportPage {
    pub items: Vec<Report>,
    pub next_cursor: Option<String>,
}

/// The query of the reports inbox. Any other parameter is refused.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// Only reports in this state (`received`: not yet taken up).
    #[param(value_type = Option<ReportState>)]
    pub status: Option<String>,
    /// Cursor from the previous page's `next_cursor`.
    #[param(format = Uuid)]
    pub after: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

fn status_of(row: &ReportRow) -> Result<ReportStatus, ServiceError> {
    Ok(ReportStatus {
        tracking_code: row.tracking_code.clone(),
        received_at: DateTime::from_naive_utc_and_offset(row.received_at, Utc),
        department_id: row.department_id.clone(),
        status: crate::stored::stored("wrongdoing_reports.status", &row.status)?,
        handling: serde_json::from_str(&row.handling).map_err(|e| ServiceError::Internal(e.to_string()))?,
    })
}

impl Platform {
    /// Anyone reports; the answer is the tracking code.
    pub fn file_report(&self, request: NewReport) -> Result<ReportStatus, ServiceError> {
        let mut problems = Problems::default();
        let content = problems.required("content", request.content).and_then(|c| problems.text("content", c, 5000));
        if request.project_id.is_none() && request.participant_id.is_none() {
            problems.push(FieldError::new("project_id", "required", "须指明被举报的项目或市场主体"));
        }
        let reporter = request.reporter.and_then(|r| problems.text("reporter", r, 100));
        let contact = request.contact.and_then(|c| problems.text("contact", c, 100));
        problems.finish()?;
        let content = content.unwrap_or_default();
        let now = self.now_naive();
        let mut code_bytes = [0_u8; 6];
        rand::rngs::OsRng.fill_bytes(&mut code_bytes);
        let tracking_code = format!("JB{}{}", self.today().format("%y%m%d"), hex::encode_upper(code_bytes));
        self.store().write(|conn| {
            let project = match &request.project_id {
                Some(project_id) => Some(ggzy_store::projects::find(conn, project_id)?.ok_or_else(|| {
                    ServiceError::Invalid(vec![FieldError::new("project_id", "unknown_project", "项目不存在")])
                })?),
                None => None,
            };
            let department_id = crate::supervising_department(project.as_ref());
            if let Some(participant) = &request.participant_id {
                if ggzy_store::participants::find(conn, participant)?.is_none() {
                    return Err(ServiceError::Invalid(vec![FieldError::new(
                        "participant_id",
                        "unknown_participant",
                        "市场主体不存在",
                    )]));
                }
            }
            let row = ReportRow {
                id: self.fresh_id(),
                tracking_code: tracking_code.clone(),
                project_id: request.project_id.clone(),
                participant_id: request.participant_id.clone(),
                content,
                reporter,
                contact,
                department_id,
                received_at: now,
                handling: "[]".into(),
                status: ReportState::Received.as_str().into(),
            };
            repo::insert_report(conn, &row)?;
            // On the report's chain from the start; who reported stays out of the payload
            // (seen only by the handling regulator), the content is bound by its hash.
            let anonymous = Principal {
                subject: "public".into(),
                role: crate::Role::System,
                org: None,
                scopes: Vec::new(),
                request_key: None,
            };
            crate::record(
                conn,
                &anonymous,
                now,
                crate::AuditRecord {
                    chain: format!("report:{}", row.id),
                    action: "report.file",
                    object_type: "report",
                    object_id: row.id.clone(),
                    payload: serde_json::json!({
                        "tracking_code": row.tracking_code,
                        "department_id": row.department_id,
                        "project_id": row.project_id,
                        "participant_id": row.participant_id,
                        "content_sha256": ggzy_store::audit::sha256_hex(row.content.as_bytes()),
                    }),
                },
            )?;
            status_of(&row)
        })
    }

    /// Follow a report by its tracking code (no token needed).
    pub fn report_status(&self, tracking_code: &str) -> Result<ReportStatus, ServiceError> {
        let row = self.store().read(|conn| repo::report_by_code(conn, tracking_code))?;
        status_of(&row.ok_or(ServiceError::NotFound { what: "report" })?)
    }

    /// Reports for the handling regulator (公管办 and inspectors see all).
    pub fn reports(&self, principal: Option<&Principal>, query: ReportQuery) -> Result<ReportPage, ServiceError> {
        authorize(principal, Action::ListReports)?;
        let principal = principal.ok_or(ServiceError::Unauthenticated)?;
        let scope = crate::policy::industry_of(principal);
        let mut problems = Problems::default();
        let status = query.status.as_deref().and_then(|s| problems.closed::<ReportState>("status", s));
        let page = crate::validate::page_of(&mut problems, query.after, query.limit);
        problems.finish()?;
        let page = page.ok_or_else(|| ServiceError::Internal("page checked without a value".into()))?;
        self.store().read(|conn| {
            let mut rows = repo::reports_page(
                conn,
                scope,
                status.map(ReportState::as_str),
                page.after.as_deref(),
                i64::from(page.limit) + 1,
            )?;
            let next_cursor = crate::validate::next_cursor(&mut rows, page.limit, |row| row.id.clone());
            let items = rows
                .into_iter()
                .map(|row| {
                    Ok(Report {
                        status: status_of(&row)?,
                        project_id: row.project_id,
                        participant_id: row.participant_id,
                        content: row.content,
                        reporter: row.reporter,
                        contact: row.contact,
                    })
                })
                .collect::<Result<_, ServiceError>>()?;
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
        let mut problems = Problems::default();
        let status = problems.required("status", request.status).and_then(|s| {
            match problems.closed::<ReportState>("status", &s) {
                Some(ReportState::Received) => {
                    problems.push(FieldError::new("status", "unknown_value", "可选：investigating、closed"));
                    None
                }
                other => other,
            }
        });
        let note = problems.required("note", request.note).and_then(|n| problems.text("note", n, 2000));
        problems.finish()?;
        let (Some(status), Some(note)) = (status, note) else {
            return Err(ServiceError::Internal("validation passed without values".into()));
        };
        let now = self.now();
        self.store().write(|conn| {
            let mut row = repo::report_by_code_for_update(conn, tracking_code)?
                .ok_or(ServiceError::NotFound { what: "report" })?;
            authorize(Some(principal), Action::HandleReport { department_id: &row.department_id })?;
            let current: ReportState = crate::stored::stored("wrongdoing_reports.status", &row.status)?;
            if current.handle(status).is_none() {
                return Err(ServiceError::Conflict {
                    detail: "该举报已办结，不能再记录办理情况；如有新情况请另行举报".into(),
                });
            }
            let mut handling: Vec<HandlingStep> =
                serde_json::from_str(&row.handling).map_err(|e| ServiceError::Internal(e.to_string()))?;
            handling.push(HandlingStep { at: now, by: principal.org.clone().unwrap_or_default(), status, note });
            row.handling = serde_json::to_string(&handling).map_err(|e| ServiceError::Internal(e.to_string()))?;
            row.status = status.as_str().to_owned();
            repo::update_report(conn, &row)?;
            crate::record(
                conn,
                principal,
                now.naive_utc(),
                crate::AuditRecord {
                    chain: format!("report:{}", row.id),
                    action: "report.handle",
                    object_type: "report",
                    object_id: row.id.clone(),
                    payload: crate::payload_of(&handling)?,
                },
            )?;
            status_of(&row)
        })
    }
}
