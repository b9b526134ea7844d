//! Listings and auctions: terms, the progress row every quote updates, bidder numbers and
//! the accepted quotes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::id_list::in_ids;
use crate::schema::{listing_bidders, listing_progress, listing_quotes, listings};
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = listings)]
pub struct ListingRow {
    pub id: String,
    pub project_id: String,
    pub section_id: String,
    pub announcement_id: String,
    pub starting_price: i64,
    pub increment: i64,
    pub reserve_price: Option<i64>,
    pub appraisal: Option<i64>,
    pub deposit: i64,
    pub listing_start: NaiveDateTime,
    pub listing_end: NaiveDateTime,
    pub extension_seconds: i32,
    pub floor_approval: Option<String>,
    pub place: String,
    /// The failed listing this one relists.
    pub relisting_of: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = listing_progress)]
#[diesel(treat_none_as_null = true)]
pub struct ProgressRow {
    pub listing_id: String,
    pub phase: String,
    pub current_price: Option<i64>,
    pub leader_id: Option<String>,
    pub auction_end: Option<NaiveDateTime>,
    pub quotes: i32,
    pub concluded_at: Option<NaiveDateTime>,
    pub confirmation: Option<String>,
    pub confirmed_at: Option<NaiveDateTime>,
    pub version: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = listing_quotes)]
pub struct QuoteRow {
    pub listing_id: String,
    pub sequence: i32,
    pub bidder_id: String,
    pub bidder_number: i32,
    pub price: i64,
    pub phase: String,
    pub placed_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, listing: &ListingRow, progress: &ProgressRow) -> Result<(), StoreError> {
    diesel::insert_into(listings::table).values(listing).execute(conn)?;
    diesel::insert_into(listing_progress::table).values(progress).execute(conn)?;
    crate::search::index_project_object(conn, crate::search::LISTING, &listing.id, &listing.project_id)
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<(ListingRow, ProgressRow)>, StoreError> {
    Ok(listings::table
        .inner_join(listing_progress::table.on(listing_progress::listing_id.eq(listings::id)))
        .filter(listings::id.eq(id))
        .select((ListingRow::as_select(), ProgressRow::as_select()))
        .first(conn)
        .optional()?)
}

/// The listings of a lot up to `listing`, first first: each relisting followed back to the
/// listing it relists.
pub fn lot_rounds(conn: &mut DbConnection, listing: ListingRow) -> Result<Vec<ListingRow>, StoreError> {
    let mut rounds = Vec::new();
    let mut round = Some(listing);
    while let Some(listing) = round {
        round = match &listing.relisting_of {
            Some(previous) => find(conn, previous)?.map(|(row, _)| row),
            None => None,
        };
        rounds.push(listing);
    }
    rounds.reverse();
    Ok(rounds)
}

/// The listings nobody has closed yet (not sold, not failed), oldest end first.
pub fn unclosed(conn: &mut DbConnection) -> Result<Vec<(ListingRow, ProgressRow)>, StoreError> {
    Ok(listings::table
        .inner_join(listing_progress::table.on(listing_progress::listing_id.eq(listings::id)))
        .filter(listing_progress::phase.ne_all(["sold", "failed"]))
        .order(listings::listing_end.asc())
        .select((ListingRow::as_select(), ProgressRow::as_select()))
        .load(conn)?)
}

/// The listing that relists `listing_id`, if any.
pub fn relisting(conn: &mut DbConnection, listing_id: &str) -> Result<Option<ListingRow>, StoreError> {
    Ok(listings::table
        .filter(listings::relisting_of.eq(listing_id))
        .select(ListingRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn of_section(conn: &mut DbConnection, section_id: &str) -> Result<Option<ListingRow>, StoreError> {
    Ok(listings::table
        .filter(listings::section_id.eq(section_id))
        .select(ListingRow::as_select())
        .first(conn)
        .optional()?)
}

/// The listings of these sections with their progress: one read for a page of project views.
pub fn of_sections(
    conn: &mut DbConnection,
    section_ids: &[String],
) -> Result<Vec<(ListingRow, ProgressRow)>, StoreError> {
    if section_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(listings::table
        .inner_join(listing_progress::table.on(listing_progress::listing_id.eq(listings::id)))
        .filter(in_ids(listings::section_id, section_ids))
        .select((ListingRow::as_select(), ProgressRow::as_select()))
        .load(conn)?)
}

/// Listings in id (time) order after `after`.
pub fn list(
    conn: &mut DbConnection,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<(ListingRow, ProgressRow)>, StoreError> {
    let mut query = listings::table
        .inner_join(listing_progress::table.on(listing_progress::listing_id.eq(listings::id)))
        .select((ListingRow::as_select(), ProgressRow::as_select()))
        .order(listings::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(listings::id.gt(after.to_owned()));
    }
    Ok(query.load(conn)?)
}

/// Writes the progress if it is still at `expected_version`; false when another quote or
/// close got there first (the caller reads again and decides again).
pub fn update_progress(conn: &mut DbConnection, next: &ProgressRow, expected_version: i32) -> Result<bool, StoreError> {
    let updated = diesel::update(
        listing_progress::table
            .filter(listing_progress::listing_id.eq(&next.listing_id))
            .filter(listing_progress::version.eq(expected_version)),
    )
    .set(next)
    .execute(conn)?;
    Ok(updated == 1)
}

/// The number a bidder was given in a listing, if it has quoted.
pub fn number_of(conn: &mut DbConnection, listing_id: &str, bidder_id: &str) -> Result<Option<i32>, StoreError> {
    Ok(listing_bidders::table
        .filter(listing_bidders::listing_id.eq(listing_id))
        .filter(listing_bidders::bidder_id.eq(bidder_id))
        .select(listing_bidders::bidder_number)
        .first::<i32>(conn)
        .optional()?)
}

/// The bidder's number, given at its first quote (the caller holds the progress row).
pub fn bidder_number(
    conn: &mut DbConnection,
    listing_id: &str,
    bidder_id: &str,
    at: NaiveDateTime,
) -> Result<i32, StoreError> {
    if let Some(number) = number_of(conn, listing_id, bidder_id)? {
        return Ok(number);
    }
    let taken =
        listing_bidders::table.filter(listing_bidders::listing_id.eq(listing_id)).count().get_result::<i64>(conn)?;
    let number = i32::try_from(taken + 1).map_err(|_| StoreError::Corrupt("bidder numbers exhausted".into()))?;
    diesel::insert_into(listing_bidders::table)
        .values((
            listing_bidders::listing_id.eq(listing_id),
            listing_bidders::bidder_id.eq(bidder_id),
            listing_bidders::bidder_number.eq(number),
            listing_bidders::joined_at.eq(at),
        ))
        .execute(conn)?;
    Ok(number)
}

pub fn insert_quote(conn: &mut DbConnection, quote: &QuoteRow) -> Result<(), StoreError> {
    diesel::insert_into(listing_quotes::table).values(quote).execute(conn)?;
    Ok(())
}

/// Accepted quotes in the order accepted.
pub fn quotes(conn: &mut DbConnection, listing_id: &str) -> Result<Vec<QuoteRow>, StoreError> {
    Ok(listing_quotes::table
        .filter(listing_quotes::listing_id.eq(listing_id))
        .order(listing_quotes::sequence.asc())
        .select(QuoteRow::as_select())
        .load(conn)?)
}

/// How many distinct bidders quoted in a phase.
pub fn bidders_in_phase(conn: &mut DbConnection, listing_id: &str, phase: &str) -> Result<usize, StoreError> {
    let mut ids: Vec<String> = listing_quotes::table
        .filter(listing_quotes::listing_id.eq(listing_id))
        .filter(listing_quotes::phase.eq(phase))
        .select(listing_quotes::bidder_id)
        .load(conn)?;
    ids.sort();
    ids.dedup();
    Ok(ids.len())
}

/// A listing a relisting names, as the relisting is decided on: its progress, its section,
/// whether a later listing relists it already and its lot's rounds, first first (this one
/// last).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedRound {
    pub progress: ProgressRow,
    pub section_id: String,
    pub relisted: bool,
    pub rounds: Vec<ListingRow>,
}

/// The listing `listing_id` with what a relisting of it is decided on, when it is one of
/// `project_id`'s.
pub fn named_round(
    conn: &mut DbConnection,
    project_id: &str,
    listing_id: &str,
) -> Result<Option<NamedRound>, StoreError> {
    let found = find(conn, listing_id)?.filter(|(listing, _)| listing.project_id == project_id);
    let Some((listing, progress)) = found else { return Ok(None) };
    let relisted = relisting(conn, listing_id)?.is_some();
    let section_id = listing.section_id.clone();
    let rounds = lot_rounds(conn, listing)?;
    Ok(Some(NamedRound { progress, section_id, relisted, rounds }))
}
