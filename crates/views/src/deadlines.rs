//! Response and request bodies of deadlines (see `ggzy_service::deadlines` for the use cases).

use ggzy_oversight::lifecycle::ClockKind;
pub use ggzy_oversight::watch::RunningDeadline;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The deadline watch: the running clocks, soonest first, and warnings about the calendar
/// they are counted with.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeadlineWatch {
    pub deadlines: Vec<RunningDeadline>,
    /// For example: next year's official holiday arrangement is not loaded yet.
    pub warnings: Vec<String>,
    /// Pass as `after` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

/// The watch's filters and page. Any other parameter is refused.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeadlineFilter {
    /// Only clocks of this kind.
    #[param(value_type = Option<ClockKind>)]
    pub kind: Option<String>,
    /// Cursor from the previous page's `next_cursor` (the watch goes on after that clock's
    /// due moment even if the clock has ended since).
    pub after: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// Only projects this department supervises.
    pub department: Option<String>,
    /// Only this project.
    pub project: Option<String>,
    /// Only overdue clocks.
    pub overdue: Option<bool>,
}
