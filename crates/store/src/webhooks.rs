//! Webhook subscriptions and deliveries.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::{notifications, webhook_deliveries, webhook_subscriptions};
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhook_subscriptions)]
pub struct SubscriptionRow {
    pub id: String,
    pub owner: String,
    pub url: String,
    pub secret: String,
    pub active: i32,
    pub created_at: NaiveDateTime,
    /// The secret rotated away from, still signing deliveries until `previous_secret_until`.
    pub previous_secret: Option<String>,
    pub previous_secret_until: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhook_deliveries)]
pub struct DeliveryRow {
    pub id: String,
    pub subscription_id: String,
    pub notification_id: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub delivered_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
}

pub fn insert_subscription(conn: &mut DbConnection, row: &SubscriptionRow) -> Result<(), StoreError> {
    diesel::insert_into(webhook_subscriptions::table).values(row).execute(conn)?;
    Ok(())
}

pub fn active_subscriptions(conn: &mut DbConnection) -> Result<Vec<SubscriptionRow>, StoreError> {
    webhook_subscriptions::table
        .filter(webhook_subscriptions::active.eq(1))
        .select(SubscriptionRow::as_select())
        .load(conn)
        .map_err(StoreError::from)
}

pub fn subscriptions_of(conn: &mut DbConnection, owner: &str) -> Result<Vec<SubscriptionRow>, StoreError> {
    webhook_subscriptions::table
        .filter(webhook_subscriptions::owner.eq(owner))
        .select(SubscriptionRow::as_select())
        .order(webhook_subscriptions::id.asc())
        .load(conn)
        .map_err(StoreError::from)
}

/// The owner's subscriptions as [`subscriptions_of`] reads them, each with its deliveries.
pub fn subscriptions_with_deliveries(
    conn: &mut DbConnection,
    owner: &str,
) -> Result<Vec<(SubscriptionRow, Vec<DeliveryRow>)>, StoreError> {
    let mut found = Vec::new();
    for row in subscriptions_of(conn, owner)? {
        let deliveries = deliveries_of(conn, &row.id)?;
        found.push((row, deliveries));
    }
    Ok(found)
}

pub fn find_subscription(conn: &mut DbConnection, id: &str) -> Result<Option<SubscriptionRow>, StoreError> {
    webhook_subscriptions::table
        .find(id)
        .select(SubscriptionRow::as_select())
        .first(conn)
        .optional()
        .map_err(StoreError::from)
}

/// A new secret; the old one signs too until `until`. Only while the secret is still
/// `previous` (a rotation that raced another changes nothing): whether it changed.
pub fn rotate_secret(
    conn: &mut DbConnection,
    id: &str,
    secret: &str,
    previous: &str,
    until: NaiveDateTime,
) -> Result<bool, StoreError> {
    let changed = diesel::update(
        webhook_subscriptions::table
            .filter(webhook_subscriptions::id.eq(id))
            .filter(webhook_subscriptions::secret.eq(previous)),
    )
    .set((
        webhook_subscriptions::secret.eq(secret),
        webhook_subscriptions::previous_secret.eq(Some(previous)),
        webhook_subscriptions::previous_secret_until.eq(Some(until)),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

pub fn insert_delivery(conn: &mut DbConnection, row: &DeliveryRow) -> Result<(), StoreError> {
    diesel::insert_into(webhook_deliveries::table).values(row).execute(conn)?;
    Ok(())
}

/// Deliveries in the status `waiting` (the caller's text for a delivery not yet taken) due
/// now, with their subscription and notification, oldest first.
pub fn due(
    conn: &mut DbConnection,
    waiting: &str,
    now: NaiveDateTime,
    limit: i64,
) -> Result<Vec<(DeliveryRow, SubscriptionRow, crate::conduct::NotificationRow)>, StoreError> {
    let due: Vec<DeliveryRow> = webhook_deliveries::table
        .filter(webhook_deliveries::status.eq(waiting))
        .filter(webhook_deliveries::next_attempt_at.le(now))
        .select(DeliveryRow::as_select())
        .order(webhook_deliveries::next_attempt_at.asc())
        .limit(limit)
        .load(conn)?;
    let mut out = Vec::with_capacity(due.len());
    for delivery in due {
        let subscription = webhook_subscriptions::table
            .find(&delivery.subscription_id)
            .select(SubscriptionRow::as_select())
            .first(conn)?;
        let notification = notifications::table
            .find(&delivery.notification_id)
            .select(crate::conduct::NotificationRow::as_select())
            .first(conn)?;
        out.push((delivery, subscription, notification));
    }
    Ok(out)
}

pub fn record_attempt(
    conn: &mut DbConnection,
    id: &str,
    status: &str,
    attempts: i32,
    next_attempt_at: NaiveDateTime,
    delivered_at: Option<NaiveDateTime>,
    last_error: Option<&str>,
) -> Result<(), StoreError> {
    diesel::update(webhook_deliveries::table.find(id))
        .set((
            webhook_deliveries::status.eq(status),
            webhook_deliveries::attempts.eq(attempts),
            webhook_deliveries::next_attempt_at.eq(next_attempt_at),
            webhook_deliveries::delivered_at.eq(delivered_at),
            webhook_deliveries::last_error.eq(last_error),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn deliveries_of(conn: &mut DbConnection, subscription_id: &str) -> Result<Vec<DeliveryRow>, StoreError> {
    webhook_deliveries::table
        .filter(webhook_deliveries::subscription_id.eq(subscription_id))
        .select(DeliveryRow::as_select())
        .order(webhook_deliveries::id.asc())
        .load(conn)
        .map_err(StoreError::from)
}

pub fn deliveries_of_id(conn: &mut DbConnection, id: &str) -> Result<Option<DeliveryRow>, StoreError> {
    webhook_deliveries::table.find(id).select(DeliveryRow::as_select()).first(conn).optional().map_err(StoreError::from)
}
