//! The public event feed for other district systems (细则 §31): every public change —
//! announcements and corrections, answers to questions, opening records, candidate
//! publicity, awards, contracts, direct-award publicity, suspensions, resumptions and
//! terminations, restrictions, rule sets — in commit order with a stable cursor, each
//! pointing at the public route that shows it. The same events go to every webhook
//! subscription, signed and retried like notifications.

use chrono::NaiveDateTime;
use ggzy_kernel::FieldError;
use ggzy_store::events::{self as repo, PublicEventRow};
use ggzy_store::DbConnection;

pub use ggzy_oversight::notices::PublicEventType;

use crate::proceedings::NotificationPayload;
use crate::{Platform, ServiceError};
pub use ggzy_views::events::{EventQuery, PublicEvent, PublicEventPage};

/// Appends the public event of an audited action, if it makes one, and queues it for every
/// webhook subscription; inside the action's transaction.
pub(crate) fn publish(
    conn: &mut DbConnection,
    action: ggzy_kernel::AuditAction,
    object_type: &str,
    object_id: &str,
    chain: &str,
    at: NaiveDateTime,
) -> Result<(), ServiceError> {
    let project_id = chain.strip_prefix("project:");
    let Some(event_type) = PublicEventType::of_action(action) else { return Ok(()) };
    let row = PublicEventRow {
        position: repo::next_position(conn)?,
        event_type: event_type.as_str().into(),
        occurred_at: at,
        object_type: object_type.into(),
        object_id: object_id.into(),
        project_id: project_id.map(str::to_owned),
        resource: event_type.resource(object_id, project_id),
    };
    repo::insert(conn, &row)?;
    let event = PublicEvent::try_from(row)?;
    let project_id = event.project_id.clone();
    crate::inboxes::deliver(
        conn,
        &["public".to_owned()],
        project_id.as_deref(),
        event_type.notification_kind(),
        &NotificationPayload::PublicEvent(event),
        at,
        true,
    )
}

/// A position cursor and page size of a feed read in commit order: `after` a non-negative
/// position (0 when absent), `limit` 1 to 200 (default 100); both problems named at once.
pub(crate) fn position_page(
    after: Option<&str>,
    limit: Option<u32>,
    cursor_message: &str,
) -> Result<(i64, u32), ServiceError> {
    let mut problems = Vec::new();
    let after = match after {
        None => 0,
        Some(text) => match text.parse::<i64>() {
            Ok(position) if position >= 0 => position,
            _ => {
                problems.push(FieldError::new("after", "invalid_cursor", cursor_message));
                0
            }
        },
    };
    let limit = limit.unwrap_or(100);
    if !(1..=ggzy_kernel::PageRequest::MAX_LIMIT).contains(&limit) {
        problems.push(FieldError::new("limit", "out_of_range", "每页 1 至 200 条"));
    }
    if problems.is_empty() {
        Ok((after, limit))
    } else {
        Err(ServiceError::Invalid(problems))
    }
}

impl Platform {
    /// Public events after a cursor (no token needed).
    pub fn public_events(&self, query: EventQuery) -> Result<PublicEventPage, ServiceError> {
        let (after, limit) = position_page(query.after.as_deref(), query.limit, "游标应为此前返回的 cursor")?;
        let rows = self.store().read(|conn| repo::after(conn, after, i64::from(limit)))?;
        let next_cursor = rows.last().map_or(after, |r| r.position).to_string();
        Ok(PublicEventPage {
            items: rows.into_iter().map(PublicEvent::try_from).collect::<Result<_, _>>()?,
            next_cursor,
        })
    }
}
