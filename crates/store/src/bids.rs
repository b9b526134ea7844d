//! Sealed bids, the wrapped per-section keys that seal them, and opening records.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::audit::{AuditEventRow, LockedAppend};
use crate::credit::{standing_of, StandingRow, StandingRows};
use crate::id_list::in_ids;
use crate::projects::{ProjectRow, SectionRow};
use crate::schema::{
    bid_envelopes, bidder_sealed_sections, bids, bonds, listings, openings, projects, sealing_keys, section_keys,
    section_terms, sections, suspensions,
};
use crate::schema_views::participant_standing;
use crate::sealing::{EnvelopeRow, SealingKeyRow};
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

/// Everything a bid submission checks about its section and its bidder, read in one
/// statement: the section and its project, the project's open suspension, the section's
/// terms, whether the bidder seals its bids itself, whether the section is a listed lot and
/// whether it has been opened, the bidder's bond and bid there, and the bidder's
/// restrictions and commitments, which the credit gate decides the bid on.
#[derive(Debug, Clone)]
pub struct SubmissionFacts {
    pub section: SectionRow,
    pub project: ProjectRow,
    pub suspension_reason: Option<String>,
    /// The bid deadline of the section's terms; none before its announcement.
    pub bid_deadline: Option<NaiveDateTime>,
    pub bidder_sealed: bool,
    pub listed: bool,
    /// Whether the section has its opening record (opened or failed).
    pub opened: bool,
    /// The stored status of the bidder's bond in the section.
    pub bond_status: Option<String>,
    pub existing_bid: Option<String>,
    /// The bidder's latest registered sealing key (`sealing::keys_of`'s first), which a
    /// bidder-sealed envelope is verified with; `None` when it registered none.
    pub bidder_key: Option<SealingKeyRow>,
    /// The bidder's restrictions and commitments (`credit::standing_rows`).
    pub bidder_standing: StandingRows,
}

type SubmissionTuple = (
    SectionRow,
    ProjectRow,
    Option<String>,
    Option<NaiveDateTime>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<SealingKeyRow>,
    Option<StandingRow>,
);

/// The query of `submission_facts`, written once for both backends: `as_select` takes its
/// backend from the connection the query runs on.
macro_rules! submission_query {
    ($section_id:expr, $bidder:expr) => {{
        // The join's bound values must own their text.
        let bidder: String = $bidder;
        // The bidder's latest key, as `sealing::keys_of` orders them: read with the facts, so
        // a bid pays no round trip of its own for it.
        let keys = diesel::alias!(sealing_keys as latest_keys);
        let latest_key = keys
            .filter(keys.field(sealing_keys::participant_id).eq(bidder.clone()))
            .order((keys.field(sealing_keys::registered_at).desc(), keys.field(sealing_keys::id).desc()))
            .select(keys.field(sealing_keys::id))
            .limit(1)
            .single_value();
        sections::table
            .inner_join(projects::table)
            .left_join(
                suspensions::table.on(suspensions::project_id.eq(projects::id).and(suspensions::resumed_at.is_null())),
            )
            .left_join(section_terms::table.on(section_terms::section_id.eq(sections::id)))
            .left_join(bidder_sealed_sections::table.on(bidder_sealed_sections::section_id.eq(sections::id)))
            .left_join(listings::table.on(listings::section_id.eq(sections::id)))
            .left_join(openings::table.on(openings::section_id.eq(sections::id)))
            .left_join(bonds::table.on(bonds::section_id.eq(sections::id).and(bonds::bidder_id.eq(bidder.clone()))))
            .left_join(bids::table.on(bids::section_id.eq(sections::id).and(bids::bidder_id.eq(bidder.clone()))))
            .left_join(sealing_keys::table.on(sealing_keys::id.nullable().eq(latest_key)))
            .left_join(participant_standing::table.on(participant_standing::participant_id.eq(bidder)))
            .filter(sections::id.eq($section_id))
            .select((
                SectionRow::as_select(),
                ProjectRow::as_select(),
                suspensions::reason.nullable(),
                section_terms::bid_deadline.nullable(),
                bidder_sealed_sections::section_id.nullable(),
                listings::id.nullable(),
                openings::section_id.nullable(),
                bonds::status.nullable(),
                bids::id.nullable(),
                Option::<SealingKeyRow>::as_select(),
                Option::<StandingRow>::as_select(),
            ))
    }};
}

/// The facts of a bid submission; `None` when the section does not exist. Each joined table
/// but two holds at most one matching row (keyed by section, or unique by section and
/// bidder). A project has one open suspension by the service's rule, and should it have
/// more, the first row names one of them, as a lookup of the open suspension would. The
/// bidder's standing gives a row for each of its restrictions and commitments (one with
/// none when it has neither), each the same facts but for the standing's columns.
pub fn submission_facts(
    conn: &mut DbConnection,
    section_id: &str,
    bidder_id: &str,
) -> Result<Option<SubmissionFacts>, StoreError> {
    // Run on the backend's own connection: through the multi-backend connection diesel
    // writes this statement's SQL text (2.5 kB, eleven tables) anew at every execution, most
    // of the 29% of a bid's service-thread samples this read took; on the backend's own it
    // finds the prepared statement by the query's type alone.
    let rows: Vec<SubmissionTuple> = match conn {
        DbConnection::Postgres(pg) => submission_query!(section_id, bidder_id.to_owned()).load(pg)?,
        DbConnection::Sqlite(sqlite) => submission_query!(section_id, bidder_id.to_owned()).load(sqlite)?,
    };
    let mut rows = rows.into_iter();
    let Some(first) = rows.next() else { return Ok(None) };
    let (
        section,
        project,
        suspension_reason,
        bid_deadline,
        sealed,
        listing,
        opening,
        bond_status,
        existing_bid,
        key,
        standing,
    ) = first;
    let bidder_standing = standing_of(standing.into_iter().chain(rows.filter_map(|row| row.10)))?;
    Ok(Some(SubmissionFacts {
        section,
        project,
        suspension_reason,
        bid_deadline,
        bidder_sealed: sealed.is_some(),
        listed: listing.is_some(),
        opened: opening.is_some(),
        bond_status,
        existing_bid,
        bidder_key: key,
        bidder_standing,
    }))
}

pub fn insert(conn: &mut DbConnection, row: &BidRow) -> Result<(), StoreError> {
    diesel::insert_into(bids::table).values(row).execute(conn)?;
    Ok(())
}

/// Inserts a bid, its envelope when its bidder sealed it, and the audit event that records
/// the bid, whose chain the transaction has locked: one statement on PostgreSQL for a bid
/// sealed by its bidder (the hottest write at a deadline, and a round trip is a good part of
/// its cost); a statement a row on SQLite, whose statements cost no round trip.
pub fn insert_recorded(
    conn: &mut DbConnection,
    bid: &BidRow,
    envelope: Option<&EnvelopeRow>,
    event: LockedAppend,
) -> Result<AuditEventRow, StoreError> {
    match (conn, envelope) {
        (DbConnection::Postgres(pg), Some(envelope)) => {
            let seq = crate::prepared::InsertRecordedBid { bid, envelope, event: event.insert() }.get_result(pg)?;
            Ok(event.stored(seq))
        }
        (conn, envelope) => {
            insert(conn, bid)?;
            if let Some(envelope) = envelope {
                crate::sealing::insert_envelope(conn, envelope)?;
            }
            crate::audit::insert_locked(conn, event)
        }
    }
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

/// `submitted`, each bid with its bidder's envelope where its bidder sealed it: two reads
/// however many bids there are.
pub fn submitted_with_envelopes(
    conn: &mut DbConnection,
    section_id: &str,
) -> Result<Vec<(BidRow, Option<EnvelopeRow>)>, StoreError> {
    let bids = submitted(conn, section_id)?;
    if bids.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<&str> = bids.iter().map(|bid| bid.id.as_str()).collect();
    let mut envelopes: std::collections::HashMap<String, EnvelopeRow> = bid_envelopes::table
        .filter(in_ids(bid_envelopes::bid_id, &ids))
        .select(EnvelopeRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|envelope: EnvelopeRow| (envelope.bid_id.clone(), envelope))
        .collect();
    Ok(bids
        .into_iter()
        .map(|bid| {
            let envelope = envelopes.remove(&bid.id);
            (bid, envelope)
        })
        .collect())
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

/// One of a bidder's bids as its own list shows it: where and when, never what.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct OwnBidRow {
    pub id: String,
    pub section_id: String,
    pub project_id: String,
    pub project_code: String,
    pub project_name: String,
    pub status: String,
    pub submitted_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Filters of a bidder's own list of bids.
#[derive(Debug, Clone, Default)]
pub struct OwnBidFilter<'a> {
    pub status: Option<&'a str>,
    pub section_id: Option<&'a str>,
}

/// Where a keyset page of a bidder's bids resumes: the submission time and id of the last
/// bid of the previous page, if that bid is the bidder's.
pub fn own_cursor(
    conn: &mut DbConnection,
    bidder_id: &str,
    bid_id: &str,
) -> Result<Option<(NaiveDateTime, String)>, StoreError> {
    bids::table
        .filter(bids::id.eq(bid_id))
        .filter(bids::bidder_id.eq(bidder_id))
        .select((bids::submitted_at, bids::id))
        .first(conn)
        .optional()
        .map_err(StoreError::from)
}

/// A page of the bidder's bids in every section, newest submission first (ties by id,
/// descending), after `after` (the submission time and id of the previous page's last bid).
pub fn own_page(
    conn: &mut DbConnection,
    bidder_id: &str,
    filter: &OwnBidFilter<'_>,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> Result<Vec<OwnBidRow>, StoreError> {
    let mut query = bids::table
        .inner_join(sections::table.on(sections::id.eq(bids::section_id)))
        .inner_join(projects::table.on(projects::id.eq(sections::project_id)))
        .filter(bids::bidder_id.eq(bidder_id.to_owned()))
        .select((
            bids::id,
            bids::section_id,
            projects::id,
            projects::code,
            projects::name,
            bids::status,
            bids::submitted_at,
            bids::updated_at,
        ))
        .order((bids::submitted_at.desc(), bids::id.desc()))
        .into_boxed();
    if let Some(status) = filter.status {
        query = query.filter(bids::status.eq(status.to_owned()));
    }
    if let Some(section_id) = filter.section_id {
        query = query.filter(bids::section_id.eq(section_id.to_owned()));
    }
    if let Some((at, id)) = after {
        query = query.filter(bids::submitted_at.lt(at).or(bids::submitted_at.eq(at).and(bids::id.lt(id))));
    }
    query.limit(limit).load(conn).map_err(StoreError::from)
}

/// Of these bids, those the bidder sealed itself, with the outcome of their decryption
/// (none until the opening decides it): (bid id, outcome).
pub fn envelope_outcomes(
    conn: &mut DbConnection,
    bid_ids: &[String],
) -> Result<Vec<(String, Option<String>)>, StoreError> {
    if bid_ids.is_empty() {
        return Ok(Vec::new());
    }
    bid_envelopes::table
        .filter(in_ids(bid_envelopes::bid_id, bid_ids))
        .select((bid_envelopes::bid_id, bid_envelopes::outcome))
        .load(conn)
        .map_err(StoreError::from)
}

/// What tells whether a section's bidders are still secret, read in one statement: whether
/// it is a listed lot, the outcome of its opening record (when it has one) and the status of
/// its project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionOpenness {
    pub listed: bool,
    /// The stored outcome of the section's opening record, when it has one.
    pub opening_outcome: Option<String>,
    /// The stored status of the section's project.
    pub project_status: String,
}

/// The openness of a section; `None` when the section does not exist. A section has at most
/// one listing and one opening record (each keyed by section).
pub fn openness(conn: &mut DbConnection, section_id: &str) -> Result<Option<SectionOpenness>, StoreError> {
    let row: Option<(Option<String>, Option<String>, String)> = sections::table
        .inner_join(projects::table)
        .left_join(listings::table.on(listings::section_id.eq(sections::id)))
        .left_join(openings::table.on(openings::section_id.eq(sections::id)))
        .filter(sections::id.eq(section_id))
        .select((listings::id.nullable(), openings::outcome.nullable(), projects::status))
        .first(conn)
        .optional()?;
    Ok(row.map(|(listing, opening_outcome, project_status)| SectionOpenness {
        listed: listing.is_some(),
        opening_outcome,
        project_status,
    }))
}

#[cfg(test)]
mod tests {
    use diesel::query_builder::QueryId;

    use super::*;

    /// Whether diesel keeps a query's prepared statement by its type alone, without writing
    /// its SQL text to look it up.
    fn prepared_by_type<Q: QueryId>(_: &Q) -> bool {
        Q::HAS_STATIC_QUERY_ID
    }

    #[test]
    fn submission_facts_are_found_prepared_by_their_type_on_both_backends() {
        let on_postgres = submission_query!("section", "bidder".to_owned());
        assert!(diesel::debug_query::<diesel::pg::Pg, _>(&on_postgres).to_string().contains("latest_keys"));
        assert!(prepared_by_type(&on_postgres));
        let on_sqlite = submission_query!("section", "bidder".to_owned());
        assert!(diesel::debug_query::<diesel::sqlite::Sqlite, _>(&on_sqlite).to_string().contains("latest_keys"));
        assert!(prepared_by_type(&on_sqlite));
    }
}
