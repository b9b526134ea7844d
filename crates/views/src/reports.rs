//! Response and request bodies of reports (see `ggzy_service::reports` for the use cases).

use chrono::{DateTime, Utc};
pub use ggzy_oversight::lifecycle::ReportState;
pub use ggzy_oversight::wrongdoing::{HandleReport, HandlingStep, NewReport, ReportQuery};
use serde::Serialize;
use utoipa::ToSchema;

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
