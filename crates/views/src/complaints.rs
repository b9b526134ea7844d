//! Response and request bodies of complaints (see `ggzy_service::complaints` for the use cases).

use chrono::{DateTime, Utc};
pub use ggzy_oversight::complaint::{
    AcceptComplaint, ComplaintDecision, ComplaintPause, DecideComplaint, FileComplaint, PauseComplaint, PauseReason,
};
pub use ggzy_oversight::lifecycle::{ComplaintCommand, ComplaintOutcome, ComplaintStatus, Remedy};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Complaint {
    pub id: String,
    pub project_id: String,
    pub complainant_id: String,
    pub objection_id: Option<String>,
    pub content: String,
    pub filed_at: DateTime<Utc>,
    pub regulator_id: Option<String>,
    pub status: ComplaintStatus,
    pub acceptance_due: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub pauses: Vec<ComplaintPause>,
    /// The decision limit (construction.complaint.decision / procurement.complaint.decision)
    /// with paused working days not counted; none while a pause is open.
    pub decision_due: Option<DateTime<Utc>>,
    pub decision_rule: String,
    pub outcome: Option<ComplaintOutcome>,
    /// The decision as stored when it was made; none before.
    #[schema(value_type = Option<ComplaintDecision>)]
    pub decision: Option<serde_json::Value>,
    /// True when `acceptance_due` or `decision_due` was counted through a year whose
    /// official holiday arrangement is not loaded (it may still move when it is).
    pub provisional: bool,
    /// The years counted provisionally; empty when `provisional` is false.
    pub provisional_years: Vec<i32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComplaintPage {
    pub items: Vec<Complaint>,
    pub next_cursor: Option<String>,
}

/// The query of a complaints list. Any other parameter is refused.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ComplaintQuery {
    /// Only complaints in this state (decided ones included unless filtered out).
    #[param(value_type = Option<ComplaintStatus>)]
    pub status: Option<String>,
    /// Only complaints about this project.
    #[param(format = Uuid)]
    pub project_id: Option<String>,
    /// Cursor from the previous page's `next_cursor`.
    #[param(format = Uuid)]
    pub after: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}
