//! Response and request bodies of events (see `ggzy_service::events` for the use cases).

use chrono::{DateTime, Utc};
pub use ggzy_oversight::notices::PublicEventType;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// One public change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PublicEvent {
    /// The event's position: pass it as `after` to read on from here.
    pub cursor: String,
    #[serde(rename = "type")]
    pub event_type: PublicEventType,
    pub occurred_at: DateTime<Utc>,
    pub object_type: String,
    pub object_id: String,
    pub project_id: Option<String>,
    /// The public route that shows the changed record, if there is one.
    pub resource: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicEventPage {
    pub items: Vec<PublicEvent>,
    /// The cursor to pass next time; the same as the request's when nothing is new.
    pub next_cursor: String,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// The `cursor` of the last event read (or `next_cursor`); from the beginning if absent.
    pub after: Option<String>,
    /// Page size, 1 to 200 (default 100).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}
