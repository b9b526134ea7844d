//! The public event feed for other district systems (细则 §31): every public change —
//! announcements and corrections, answers to questions, opening records, candidate
//! publicity, awards, contracts, direct-award publicity, suspensions, resumptions and
//! terminations, restrictions, rule sets — in commit order with a stable cursor, each
//! pointing at the public route that shows it. The same events go to every webhook
//! subscription, signed and retried like notifications.

use chrono::NaiveDateTime;
use ggzy_oversight::notices;
use ggzy_store::events as repo;
use ggzy_store::DbConnection;

pub use ggzy_oversight::notices::PublicEventType;

use crate::proceedings::NotificationPayload;
use crate::ServiceError;
use ggzy_views::events::event_row;
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
    let row = event_row(repo::next_position(conn)?, event_type, at, object_type, object_id, project_id);
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

impl crate::contexts::Disclosure<'_> {
    /// Public events after a cursor (no token needed).
    pub fn public_events(&self, query: EventQuery) -> Result<PublicEventPage, ServiceError> {
        let (after, limit) = notices::position_page(query.after.as_deref(), query.limit, "游标应为此前返回的 cursor")
            .map_err(ServiceError::Invalid)?;
        let rows = self.store().read(|conn| repo::after(conn, after, i64::from(limit)))?;
        let next_cursor = rows.last().map_or(after, |r| r.position).to_string();
        Ok(PublicEventPage {
            items: rows.into_iter().map(PublicEvent::try_from).collect::<Result<_, _>>()?,
            next_cursor,
        })
    }
}
