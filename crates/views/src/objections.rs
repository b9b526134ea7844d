//! Response and request bodies of objections (see `ggzy_service::objections` for the use cases).

use chrono::{DateTime, Utc};
pub use ggzy_oversight::objection::request::{AnswerObjection, RaiseObjection};
pub use ggzy_oversight::objection::ObjectionStage;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Objection {
    pub id: String,
    pub project_id: String,
    pub section_id: Option<String>,
    pub stage: ObjectionStage,
    pub objector_id: String,
    pub content: String,
    pub raised_at: DateTime<Utc>,
    /// The rule whose window it was raised in.
    pub rule_id: String,
    /// The rule of the answer's deadline.
    pub reply_rule_id: String,
    pub reply_due: DateTime<Utc>,
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    /// Unanswered past its deadline.
    pub overdue: bool,
    /// Whether the project was suspended until the answer.
    pub suspended_project: bool,
    /// True when the due date was counted through a year whose official holiday
    /// arrangement is not loaded (it may still move when it is).
    pub provisional: bool,
    /// The years counted provisionally; empty when `provisional` is false.
    pub provisional_years: Vec<i32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ObjectionPage {
    pub items: Vec<Objection>,
    pub next_cursor: Option<String>,
}

/// The query of a question or objection queue. Any other parameter is refused.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// `false`: those still waiting for an answer (the queue to work); `true`: the answered.
    #[param(value_type = Option<bool>)]
    pub answered: Option<String>,
    /// Only this project's.
    #[param(format = Uuid)]
    pub project_id: Option<String>,
    /// Cursor from the previous page's `next_cursor`.
    #[param(format = Uuid)]
    pub after: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}
