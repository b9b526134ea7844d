//! Bids sealed by the bidder: the bidders' registered sealing keys, the sections whose bids
//! they seal with their decryption windows, and each such bid's envelope and outcome.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::{bid_envelopes, bidder_sealed_sections, sealing_keys};
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = sealing_keys)]
pub struct SealingKeyRow {
    pub id: String,
    pub participant_id: String,
    pub suite: String,
    pub encryption_key: String,
    pub verifying_key: String,
    pub registered_at: NaiveDateTime,
    pub registered_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = bidder_sealed_sections)]
pub struct SealedSectionRow {
    pub section_id: String,
    pub window_minutes: i32,
    pub window_opened_at: Option<NaiveDateTime>,
    pub window_closes_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = bid_envelopes)]
pub struct EnvelopeRow {
    pub bid_id: String,
    pub key_id: String,
    pub envelope: String,
    pub outcome: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub note: Option<String>,
}

pub fn insert_key(conn: &mut DbConnection, row: &SealingKeyRow) -> Result<(), StoreError> {
    diesel::insert_into(sealing_keys::table).values(row).execute(conn)?;
    Ok(())
}

/// A participant's keys, latest first.
pub fn keys_of(conn: &mut DbConnection, participant_id: &str) -> Result<Vec<SealingKeyRow>, StoreError> {
    sealing_keys::table
        .filter(sealing_keys::participant_id.eq(participant_id))
        .order((sealing_keys::registered_at.desc(), sealing_keys::id.desc()))
        .select(SealingKeyRow::as_select())
        .load(conn)
        .map_err(StoreError::from)
}

pub fn find_key(conn: &mut DbConnection, id: &str) -> Result<Option<SealingKeyRow>, StoreError> {
    sealing_keys::table.find(id).select(SealingKeyRow::as_select()).first(conn).optional().map_err(StoreError::from)
}

pub fn insert_sealed_section(conn: &mut DbConnection, row: &SealedSectionRow) -> Result<(), StoreError> {
    diesel::insert_into(bidder_sealed_sections::table).values(row).execute(conn)?;
    Ok(())
}

pub fn sealed_section(conn: &mut DbConnection, section_id: &str) -> Result<Option<SealedSectionRow>, StoreError> {
    bidder_sealed_sections::table
        .find(section_id)
        .select(SealedSectionRow::as_select())
        .first(conn)
        .optional()
        .map_err(StoreError::from)
}

/// Opens the decryption window once; false when it was opened already.
pub fn open_window(
    conn: &mut DbConnection,
    section_id: &str,
    opened_at: NaiveDateTime,
    closes_at: NaiveDateTime,
) -> Result<bool, StoreError> {
    let changed = diesel::update(
        bidder_sealed_sections::table
            .filter(bidder_sealed_sections::section_id.eq(section_id))
            .filter(bidder_sealed_sections::window_opened_at.is_null()),
    )
    .set((
        bidder_sealed_sections::window_opened_at.eq(opened_at),
        bidder_sealed_sections::window_closes_at.eq(closes_at),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

pub fn insert_envelope(conn: &mut DbConnection, row: &EnvelopeRow) -> Result<(), StoreError> {
    diesel::insert_into(bid_envelopes::table).values(row).execute(conn)?;
    Ok(())
}

pub fn envelope(conn: &mut DbConnection, bid_id: &str) -> Result<Option<EnvelopeRow>, StoreError> {
    bid_envelopes::table.find(bid_id).select(EnvelopeRow::as_select()).first(conn).optional().map_err(StoreError::from)
}

/// Replaces a bid's envelope before the deadline (a modified bid).
pub fn replace_envelope(conn: &mut DbConnection, row: &EnvelopeRow) -> Result<(), StoreError> {
    diesel::update(bid_envelopes::table.find(&row.bid_id))
        .set((bid_envelopes::key_id.eq(&row.key_id), bid_envelopes::envelope.eq(&row.envelope)))
        .execute(conn)?;
    Ok(())
}

/// Records what became of an envelope, once; false when it had an outcome already.
pub fn decide(
    conn: &mut DbConnection,
    bid_id: &str,
    outcome: &str,
    at: NaiveDateTime,
    note: Option<&str>,
) -> Result<bool, StoreError> {
    let changed = diesel::update(
        bid_envelopes::table.filter(bid_envelopes::bid_id.eq(bid_id)).filter(bid_envelopes::outcome.is_null()),
    )
    .set((bid_envelopes::outcome.eq(outcome), bid_envelopes::decided_at.eq(at), bid_envelopes::note.eq(note)))
    .execute(conn)?;
    Ok(changed == 1)
}
