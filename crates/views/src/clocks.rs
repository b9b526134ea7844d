//! Response and request bodies of clocks (see `ggzy_service::clocks` for the use cases).

use chrono::{DateTime, Utc};
use ggzy_oversight::lifecycle::{ClockKind, RecountOutcome};
use serde::Serialize;
use utoipa::ToSchema;

/// One clock the loading of an official year recounted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RecountedClock {
    pub kind: ClockKind,
    pub project_id: String,
    /// The objection, complaint, bond, section or direct award.
    pub subject_id: String,
    pub rule_id: String,
    /// The due date counted with the provisional year.
    pub provisional_due: DateTime<Utc>,
    /// The due date counted with the official year.
    pub official_due: DateTime<Utc>,
    /// The due date now: the official one when it is later (`moved`), else the provisional
    /// one stands (`kept`).
    pub due: DateTime<Utc>,
    pub outcome: RecountOutcome,
}
