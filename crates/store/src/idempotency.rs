//! Idempotency keys (DESIGN.md, API conventions).
//!
//! Exactly once: a key is claimed with a fresh token; the transaction that makes the
//! request's change marks the key (`mark_applied`) with that token, and may store the answer
//! in the same transaction (`answer`). A claim is only taken over from a dead request when
//! the key carries no mark, and taking it over replaces the token, so the dead request can
//! no longer mark it.

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
    /// The token of the request that holds the key now.
    pub claim: Option<String>,
    /// `type:id` of what the request changed, once its change committed.
    pub applied_object: Option<String>,
}

/// What claiming a key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is new (or taken over from a dead request) and now held with this token.
    Claimed,
    /// The key was used before (or is in use now).
    Existing(IdempotencyRow),
}

/// Reserves a key with `row.claim`; an existing key is returned instead. A reservation
/// older than `stale_before` without an answer and without a committed change (its request
/// died before changing anything) is taken over.
pub fn claim(conn: &mut DbConnection, row: &IdempotencyRow, stale_before: NaiveDateTime) -> Result<Claim, StoreError> {
    let existing = idempotency_keys::table
        .find((&row.scope, &row.key))
        .select(IdempotencyRow::as_select())
        .first(conn)
        .optional()?;
    match existing {
        Some(found)
            if found.status.is_none()
                && found.applied_object.is_none()
                && found.created_at < stale_before
                && found.fingerprint == row.fingerprint =>
        {
            // Conditional, so that a change committed meanwhile by the old holder wins.
            let taken = diesel::update(
                idempotency_keys::table
                    .find((&row.scope, &row.key))
                    .filter(idempotency_keys::status.is_null())
                    .filter(idempotency_keys::applied_object.is_null()),
            )
            .set((idempotency_keys::created_at.eq(row.created_at), idempotency_keys::claim.eq(&row.claim)))
            .execute(conn)?;
            if taken == 1 {
                return Ok(Claim::Claimed);
            }
            let now_found =
                idempotency_keys::table.find((&row.scope, &row.key)).select(IdempotencyRow::as_select()).first(conn)?;
            Ok(Claim::Existing(now_found))
        }
        Some(found) => Ok(Claim::Existing(found)),
        None => {
            diesel::insert_into(idempotency_keys::table).values(row).execute(conn)?;
            Ok(Claim::Claimed)
        }
    }
}

/// What marking a key inside the change's transaction found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// The key now records this change (or already did, from this same request).
    Marked,
    /// Another request holds the key, or its answer is stored: this change must not commit.
    Lost,
}

/// Marks the key held with `claim` as applied to `object`, in the caller's transaction.
pub fn mark_applied(
    conn: &mut DbConnection,
    scope: &str,
    key: &str,
    claim: &str,
    object: &str,
) -> Result<Mark, StoreError> {
    let marked = diesel::update(
        idempotency_keys::table
            .find((scope, key))
            .filter(idempotency_keys::claim.eq(claim))
            .filter(idempotency_keys::status.is_null())
            .filter(idempotency_keys::applied_object.is_null()),
    )
    .set(idempotency_keys::applied_object.eq(object))
    .execute(conn)?;
    if marked == 1 {
        return Ok(Mark::Marked);
    }
    // A request that writes twice (or records two events) marks once.
    let ours = idempotency_keys::table
        .find((scope, key))
        .filter(idempotency_keys::claim.eq(claim))
        .filter(idempotency_keys::status.is_null())
        .filter(idempotency_keys::applied_object.is_not_null())
        .count()
        .get_result::<i64>(conn)?;
    Ok(if ours == 1 { Mark::Marked } else { Mark::Lost })
}

/// Stores the answer of the request holding the key with `claim`; an answer stored already
/// stays. Returns whether this call stored it.
pub fn answer(
    conn: &mut DbConnection,
    scope: &str,
    key: &str,
    claim: &str,
    status: i32,
    content_type: &str,
    body: &str,
) -> Result<bool, StoreError> {
    let stored = diesel::update(
        idempotency_keys::table
            .find((scope, key))
            .filter(idempotency_keys::claim.eq(claim))
            .filter(idempotency_keys::status.is_null()),
    )
    .set((
        idempotency_keys::status.eq(Some(status)),
        idempotency_keys::content_type.eq(Some(content_type)),
        idempotency_keys::body.eq(Some(body)),
    ))
    .execute(conn)?;
    Ok(stored == 1)
}

/// Frees a key whose request failed on the platform's side before changing anything, so
/// that a retry can run.
pub fn release(conn: &mut DbConnection, scope: &str, key: &str, claim: &str) -> Result<(), StoreError> {
    diesel::delete(
        idempotency_keys::table
            .find((scope, key))
            .filter(idempotency_keys::claim.eq(claim))
            .filter(idempotency_keys::applied_object.is_null())
            .filter(idempotency_keys::status.is_null()),
    )
    .execute(conn)?;
    Ok(())
}

/// Stored answers whose body starts with `prefix` (the sealed ones): (scope, key, body).
pub fn answers_with_prefix(conn: &mut DbConnection, prefix: &str) -> Result<Vec<(String, String, String)>, StoreError> {
    let rows: Vec<(String, String, Option<String>)> = idempotency_keys::table
        .filter(idempotency_keys::body.like(format!("{prefix}%")))
        .select((idempotency_keys::scope, idempotency_keys::key, idempotency_keys::body))
        .load(conn)?;
    Ok(rows.into_iter().filter_map(|(scope, key, body)| body.map(|b| (scope, key, b))).collect())
}

/// Replaces a stored answer's body (the same answer sealed under another key).
pub fn replace_answer_body(conn: &mut DbConnection, scope: &str, key: &str, body: &str) -> Result<(), StoreError> {
    diesel::update(idempotency_keys::table.find((scope, key))).set(idempotency_keys::body.eq(body)).execute(conn)?;
    Ok(())
}
