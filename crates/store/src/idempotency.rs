//! Idempotency keys (DESIGN.md, API conventions).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::idempotency_keys;
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = idempotency_keys)]
pub struct IdempotencyRow {
    pub scope: String,
    pub key: String,
    /// sha256 of method, path and body.
    pub fingerprint: String,
    /// The first answer, once there is one.
    pub status: Option<i32>,
    pub content_type: Option<String>,
    pub body: Option<String>,
    pub created_at: NaiveDateTime,
}

/// What claiming a key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is new and now reserved for this request.
    Claimed,
    /// The key was used before (or is in use now).
    Existing(IdempotencyRow),
}

/// Reserves a key; an existing key is returned instead. A reservation older than
/// `stale_before` that never got an answer (its request died) is taken over.
pub fn claim(conn: &mut DbConnection, row: &IdempotencyRow, stale_before: NaiveDateTime) -> Result<Claim, StoreError> {
    let existing = idempotency_keys::table
        .find((&row.scope, &row.key))
        .select(IdempotencyRow::as_select())
        .first(conn)
        .optional()?;
    match existing {
        Some(found)
            if found.status.is_none() && found.created_at < stale_before && found.fingerprint == row.fingerprint =>
        {
            diesel::update(idempotency_keys::table.find((&row.scope, &row.key)))
                .set(idempotency_keys::created_at.eq(row.created_at))
                .execute(conn)?;
            Ok(Claim::Claimed)
        }
        Some(found) => Ok(Claim::Existing(found)),
        None => {
            diesel::insert_into(idempotency_keys::table).values(row).execute(conn)?;
            Ok(Claim::Claimed)
        }
    }
}

pub fn complete(
    conn: &mut DbConnection,
    scope: &str,
    key: &str,
    status: i32,
    content_type: &str,
    body: &str,
) -> Result<(), StoreError> {
    diesel::update(idempotency_keys::table.find((scope, key)))
        .set((
            idempotency_keys::status.eq(Some(status)),
            idempotency_keys::content_type.eq(Some(content_type)),
            idempotency_keys::body.eq(Some(body)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Frees a key whose request failed on the platform's side, so that a retry can run.
pub fn release(conn: &mut DbConnection, scope: &str, key: &str) -> Result<(), StoreError> {
    diesel::delete(idempotency_keys::table.find((scope, key))).execute(conn)?;
    Ok(())
}
