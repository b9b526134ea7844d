//! Response and request bodies of events (see `ggzy_service::events` for the use cases).

use chrono::{DateTime, Utc};
use ggzy_kernel::{stored, StoredFault};
pub use ggzy_oversight::notices::PublicEventType;
use ggzy_store::events::PublicEventRow;
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

impl TryFrom<PublicEventRow> for PublicEvent {
    type Error = StoredFault;

    fn try_from(row: PublicEventRow) -> Result<Self, StoredFault> {
        Ok(PublicEvent {
            cursor: row.position.to_string(),
            event_type: stored("public_events.event_type", &row.event_type)?,
            occurred_at: row.occurred_at.and_utc(),
            object_type: row.object_type,
            object_id: row.object_id,
            project_id: row.project_id,
            resource: row.resource,
        })
    }
}

/// The row of the public event of `event_type` on `object_id` at `at`, appended at
/// `position`, pointing at the route that shows it.
pub fn event_row(
    position: i64,
    event_type: PublicEventType,
    at: chrono::NaiveDateTime,
    object_type: &str,
    object_id: &str,
    project_id: Option<&str>,
) -> PublicEventRow {
    PublicEventRow {
        position,
        event_type: event_type.as_str().into(),
        occurred_at: at,
        object_type: object_type.into(),
        object_id: object_id.into(),
        project_id: project_id.map(str::to_owned),
        resource: event_type.resource(object_id, project_id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(event_type: &str) -> PublicEventRow {
        PublicEventRow {
            position: 42,
            event_type: event_type.into(),
            occurred_at: chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap().naive_utc(),
            object_type: "announcement".into(),
            object_id: "a1".into(),
            project_id: Some("p1".into()),
            resource: Some("/api/v1/announcements/a1".into()),
        }
    }

    #[test]
    fn an_event_shows_its_row_with_its_position_as_cursor() {
        let kind = PublicEventType::ALL[0];
        let event = PublicEvent::try_from(row(kind.as_str())).unwrap();
        assert_eq!(event.cursor, "42");
        assert_eq!(event.event_type, kind);
        assert_eq!(event.occurred_at.timestamp(), 1_700_000_000);
        assert_eq!((event.object_type.as_str(), event.object_id.as_str()), ("announcement", "a1"));
        assert_eq!(event.project_id.as_deref(), Some("p1"));
        assert_eq!(event.resource.as_deref(), Some("/api/v1/announcements/a1"));
    }

    #[test]
    fn an_unknown_event_type_is_a_fault() {
        let fault = PublicEvent::try_from(row("rumour")).unwrap_err();
        assert_eq!((fault.column, fault.value.as_str()), ("public_events.event_type", "rumour"));
    }

    #[test]
    fn an_event_row_points_at_the_route_of_its_type() {
        let kind = PublicEventType::ALL[0];
        let at = row("x").occurred_at;
        let appended = event_row(42, kind, at, "announcement", "a1", Some("p1"));
        assert_eq!(appended, PublicEventRow { resource: kind.resource("a1", Some("p1")), ..row(kind.as_str()) });
        let event = PublicEvent::try_from(appended).unwrap();
        assert_eq!((event.cursor.as_str(), event.event_type), ("42", kind));
        assert_eq!(event_row(1, kind, at, "announcement", "a1", None).project_id, None);
    }
}
