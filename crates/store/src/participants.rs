//! Market participants (市场主体), keyed by unified social credit code.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::id_list::in_ids;
use crate::schema::participants;
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = participants)]
pub struct ParticipantRow {
    pub id: String,
    pub credit_code: String,
    pub name: String,
    /// Comma-separated kinds in a fixed order (`tenderer,bidder,agency`).
    pub kinds: String,
    pub legal_representative: String,
    pub legal_representative_person_id: Option<String>,
    /// 1 when the organisation-code check digit inside the credit code did not match.
    pub organisation_code_warning: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

/// Inserts a participant and its search entry.
pub fn insert(conn: &mut DbConnection, row: &ParticipantRow) -> Result<(), StoreError> {
    diesel::insert_into(participants::table).values(row).execute(conn)?;
    crate::search::index_participant(conn, &row.id, &row.name, &row.credit_code)
}

/// The name and unified social credit code of each of these participants (those that
/// exist), by id.
pub fn names_of(conn: &mut DbConnection, ids: &[String]) -> Result<Vec<(String, String, String)>, StoreError> {
    participants::table
        .filter(in_ids(participants::id, ids))
        .select((participants::id, participants::name, participants::credit_code))
        .order(participants::id.asc())
        .load(conn)
        .map_err(StoreError::from)
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<ParticipantRow>, StoreError> {
    participants::table.find(id).select(ParticipantRow::as_select()).first(conn).optional().map_err(StoreError::from)
}

pub fn find_by_credit_code(conn: &mut DbConnection, credit_code: &str) -> Result<Option<ParticipantRow>, StoreError> {
    participants::table
        .filter(participants::credit_code.eq(credit_code))
        .select(ParticipantRow::as_select())
        .first(conn)
        .optional()
        .map_err(StoreError::from)
}

/// One page in id order (ids are time-ordered UUIDs, so this is registration order).
pub fn list(conn: &mut DbConnection, after: Option<&str>, limit: i64) -> Result<Vec<ParticipantRow>, StoreError> {
    let mut query = participants::table.select(ParticipantRow::as_select()).order(participants::id.asc()).into_boxed();
    if let Some(after) = after {
        query = query.filter(participants::id.gt(after.to_owned()));
    }
    query.limit(limit).load(conn).map_err(StoreError::from)
}

/// Writes the changed fields if the stored version is still `expected_version`; false when
/// someone else changed the row first.
pub fn update(conn: &mut DbConnection, row: &ParticipantRow, expected_version: i64) -> Result<bool, StoreError> {
    let changed = diesel::update(
        participants::table.filter(participants::id.eq(&row.id)).filter(participants::version.eq(expected_version)),
    )
    .set((
        participants::name.eq(&row.name),
        participants::kinds.eq(&row.kinds),
        participants::legal_representative.eq(&row.legal_representative),
        participants::legal_representative_person_id.eq(&row.legal_representative_person_id),
        participants::updated_at.eq(row.updated_at),
        participants::version.eq(row.version),
    ))
    .execute(conn)?;
    if changed == 1 {
        // The name may have changed (the credit code does not).
        let credit_code: String = participants::table.find(&row.id).select(participants::credit_code).first(conn)?;
        crate::search::rename_participant(conn, &row.id, &row.name, &credit_code)?;
    }
    Ok(changed == 1)
}
