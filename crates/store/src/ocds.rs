//! OCDS releases as written: positions from one counter row in the writing transaction, so
//! that reading in position order never skips a release committed later.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use crate::schema::ocds_releases;
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = ocds_releases)]
pub struct ReleaseRow {
    pub position: i64,
    pub project_id: String,
    pub project_code: String,
    pub published_at: NaiveDateTime,
    pub body: String,
}

#[derive(QueryableByName)]
struct Counter {
    #[diesel(sql_type = BigInt)]
    last: i64,
}

/// One section of a process with the records its releases read: its result, its opening
/// record, its listing with where the listing stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionRecords {
    pub section: crate::projects::SectionRow,
    pub result: Option<crate::evaluation::ResultRow>,
    pub opening: Option<crate::bids::OpeningRow>,
    pub listing: Option<(crate::listings::ListingRow, crate::listings::ProgressRow)>,
}

/// Every section of a project, in section order, with its records.
pub fn section_records(conn: &mut DbConnection, project_id: &str) -> Result<Vec<SectionRecords>, StoreError> {
    let mut records = Vec::new();
    for section in crate::projects::sections_of(conn, project_id)? {
        let listing = match crate::listings::of_section(conn, &section.id)? {
            Some(listing) => crate::listings::find(conn, &listing.id)?,
            None => None,
        };
        let result = crate::evaluation::result(conn, &section.id)?;
        let opening = crate::bids::opening(conn, &section.id)?;
        records.push(SectionRecords { section, result, opening, listing });
    }
    Ok(records)
}

/// The next position; the counter row stays locked until the transaction ends.
pub fn next_position(conn: &mut DbConnection) -> Result<i64, StoreError> {
    const NEXT: &str = "UPDATE ocds_release_counter SET last = last + 1 WHERE id = 1 RETURNING last";
    let counter: Counter = match conn {
        DbConnection::Postgres(pg) => diesel::sql_query(NEXT).get_result(pg)?,
        DbConnection::Sqlite(sqlite) => diesel::sql_query(NEXT).get_result(sqlite)?,
    };
    Ok(counter.last)
}

pub fn insert(conn: &mut DbConnection, row: &ReleaseRow) -> Result<(), StoreError> {
    diesel::insert_into(ocds_releases::table).values(row).execute(conn)?;
    Ok(())
}

/// Releases after a position, in order.
pub fn after(conn: &mut DbConnection, position: i64, limit: i64) -> Result<Vec<ReleaseRow>, StoreError> {
    ocds_releases::table
        .filter(ocds_releases::position.gt(position))
        .select(ReleaseRow::as_select())
        .order(ocds_releases::position.asc())
        .limit(limit)
        .load(conn)
        .map_err(StoreError::from)
}

/// Every release of one process, in order.
pub fn of_process(conn: &mut DbConnection, project_code: &str) -> Result<Vec<ReleaseRow>, StoreError> {
    ocds_releases::table
        .filter(ocds_releases::project_code.eq(project_code))
        .select(ReleaseRow::as_select())
        .order(ocds_releases::position.asc())
        .load(conn)
        .map_err(StoreError::from)
}

/// How many releases there are (none in a database written before releases were kept).
pub fn count(conn: &mut DbConnection) -> Result<i64, StoreError> {
    ocds_releases::table.count().get_result(conn).map_err(StoreError::from)
}

/// Whether a process has any release yet.
pub fn exists_for(conn: &mut DbConnection, project_id: &str) -> Result<bool, StoreError> {
    let found: i64 = ocds_releases::table.filter(ocds_releases::project_id.eq(project_id)).count().get_result(conn)?;
    Ok(found > 0)
}

/// Locks the counter row for the rest of the transaction (one writer of releases at a time).
pub fn lock_counter(conn: &mut DbConnection) -> Result<(), StoreError> {
    diesel::sql_query("UPDATE ocds_release_counter SET last = last WHERE id = 1").execute(conn)?;
    Ok(())
}
