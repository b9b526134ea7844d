//! Sealed bids, the wrapped per-section keys that seal them, and opening records.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::{bids, openings, section_keys};
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = bids)]
pub struct BidRow {
    pub id: String,
    pub section_id: String,
    pub bidder_id: String,
    pub sealed: String,
    pub receipt_hash: String,
    pub commitment_hash: Option<String>,
    pub revealed_nonce: Option<String>,
    pub status: String,
    pub submitted_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = openings)]
pub struct OpeningRow {
    pub section_id: String,
    pub opened_at: NaiveDateTime,
    pub opened_by: String,
    pub witness_id: String,
    pub outcome: String,
    pub record: String,
    /// Bids opened (kept apart from the record for statistics).
    pub bid_count: i64,
}

pub fn wrapped_key(conn: &mut DbConnection, section_id: &str) -> Result<Option<String>, StoreError> {
    section_keys::table
        .find(section_id)
        .select(section_keys::wrapped_key)
        .first(conn)
        .optional()
        .map_err(StoreError::from)
}

pub fn insert_wrapped_key(
    conn: &mut DbConnection,
    section_id: &str,
    wrapped: &str,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::insert_into(section_keys::table)
        .values((
            section_keys::section_id.eq(section_id),
            section_keys::wrapped_key.eq(wrapped),
            section_keys::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Every wrapped section key: (section id, wrapped key).
pub fn all_wrapped_keys(conn: &mut DbConnection) -> Result<Vec<(String, String)>, StoreError> {
    section_keys::table
        .select((section_keys::section_id, section_keys::wrapped_key))
        .order(section_keys::section_id.asc())
        .load(conn)
        .map_err(StoreError::from)
}

/// Replaces a section's wrapped key (the same key wrapped under another master key).
pub fn rewrap_key(conn: &mut DbConnection, section_id: &str, wrapped: &str) -> Result<(), StoreError> {
    diesel::update(section_keys::table.find(section_id)).set(section_keys::wrapped_key.eq(wrapped)).execute(conn)?;
    Ok(())
}

pub fn insert(conn: &mut DbConnection, row: &BidRow) -> Result<(), StoreError> {
    diesel::insert_into(bids::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<BidRow>, StoreError> {
    bids::table.find(id).select(BidRow::as_select()).first(conn).optional().map_err(StoreError::from)
}

pub fn of_bidder(conn: &mut DbConnection, section_id: &str, bidder_id: &str) -> Result<Option<BidRow>, StoreError> {
    bids::table
        .filter(bids::section_id.eq(section_id))
        .filter(bids::bidder_id.eq(bidder_id))
        .select(BidRow::as_select())
        .first(conn)
        .optional()
        .map_err(StoreError::from)
}

/// The sections a bidder has a standing bid in.
pub fn sections_of_bidder(conn: &mut DbConnection, bidder_id: &str) -> Result<Vec<String>, StoreError> {
    bids::table
        .filter(bids::bidder_id.eq(bidder_id))
        .filter(bids::status.eq("submitted"))
        .select(bids::section_id)
        .order(bids::section_id.asc())
        .load(conn)
        .map_err(StoreError::from)
}

/// Bids still standing in a section (withdrawn ones excluded), in submission order.
pub fn submitted(conn: &mut DbConnection, section_id: &str) -> Result<Vec<BidRow>, StoreError> {
    bids::table
        .filter(bids::section_id.eq(section_id))
        .filter(bids::status.eq("submitted"))
        .select(BidRow::as_select())
        .order(bids::submitted_at.asc())
        .load(conn)
        .map_err(StoreError::from)
}

/// Replaces the sealed content (a modification before the deadline) if the version still
/// matches.
pub fn update_sealed(conn: &mut DbConnection, row: &BidRow, expected_version: i64) -> Result<bool, StoreError> {
    let changed = diesel::update(bids::table.filter(bids::id.eq(&row.id)).filter(bids::version.eq(expected_version)))
        .set((
            bids::sealed.eq(&row.sealed),
            bids::receipt_hash.eq(&row.receipt_hash),
            bids::commitment_hash.eq(&row.commitment_hash),
            bids::status.eq(&row.status),
            bids::updated_at.eq(row.updated_at),
            bids::version.eq(row.version),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}

pub fn set_revealed_nonce(conn: &mut DbConnection, id: &str, nonce: &str) -> Result<(), StoreError> {
    diesel::update(bids::table.find(id)).set(bids::revealed_nonce.eq(Some(nonce))).execute(conn)?;
    Ok(())
}

pub fn insert_opening(conn: &mut DbConnection, row: &OpeningRow) -> Result<(), StoreError> {
    diesel::insert_into(openings::table).values(row).execute(conn)?;
    Ok(())
}

pub fn opening(conn: &mut DbConnection, section_id: &str) -> Result<Option<OpeningRow>, StoreError> {
    openings::table.find(section_id).select(OpeningRow::as_select()).first(conn).optional().map_err(StoreError::from)
}
