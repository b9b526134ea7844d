//! Response and request bodies of calendar (see `ggzy_service::calendar` for the use cases).

use crate::clocks::RecountedClock;
use chrono::{DateTime, Utc};
pub use ggzy_kernel::calendar_load::{CalendarDay, LoadCalendarYear};
pub use ggzy_kernel::CalendarOutlook;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Whether a year is counted with the State Council's notice or provisionally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum YearStatus {
    /// The official arrangement is loaded.
    Official,
    /// Counted with the holidays the holiday law fixes and their make-up days; no make-up
    /// workdays (调休) are known.
    Provisional,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CalendarYear {
    pub year: i32,
    pub status: YearStatus,
    /// When and by whom the official arrangement was loaded; absent for a provisional year.
    pub loaded_at: Option<DateTime<Utc>>,
    pub loaded_by: Option<String>,
    pub days: Vec<CalendarDay>,
    /// Running clocks recounted by this load (only in the answer to a load).
    pub recounted: Vec<RecountedClock>,
}

/// One year and how it is counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CalendarYearStatus {
    pub year: i32,
    pub status: YearStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CalendarYears {
    /// Years whose official arrangement is loaded.
    pub years: Vec<i32>,
    /// Every year from the first official one to two years after the current one, each
    /// `official` or `provisional`.
    pub statuses: Vec<CalendarYearStatus>,
    /// How many years after the current (Beijing) year are loaded officially, in a row.
    pub official_years_ahead: u32,
    /// Set from the warning date (default 1 November) while next year is not loaded.
    pub warning: Option<String>,
}
