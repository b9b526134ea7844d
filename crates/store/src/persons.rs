//! Natural persons (agent staff, project managers, legal representatives). The resident
//! identity number is never stored: only a keyed hash (for uniqueness and look-up) and a
//! masked form (for display).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::persons;
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = persons)]
pub struct PersonRow {
    pub id: String,
    pub name: String,
    pub id_number_hash: String,
    pub id_number_masked: String,
    pub employer_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, row: &PersonRow) -> Result<(), StoreError> {
    diesel::insert_into(persons::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<PersonRow>, StoreError> {
    persons::table.find(id).select(PersonRow::as_select()).first(conn).optional().map_err(StoreError::from)
}

pub fn find_by_id_number_hash(conn: &mut DbConnection, hash: &str) -> Result<Option<PersonRow>, StoreError> {
    persons::table
        .filter(persons::id_number_hash.eq(hash))
        .select(PersonRow::as_select())
        .first(conn)
        .optional()
        .map_err(StoreError::from)
}

/// One page in id order, optionally only the staff of one employer.
pub fn list(
    conn: &mut DbConnection,
    employer_id: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<PersonRow>, StoreError> {
    let mut query = persons::table.select(PersonRow::as_select()).order(persons::id.asc()).into_boxed();
    if let Some(employer_id) = employer_id {
        query = query.filter(persons::employer_id.eq(employer_id.to_owned()));
    }
    if let Some(after) = after {
        query = query.filter(persons::id.gt(after.to_owned()));
    }
    query.limit(limit).load(conn).map_err(StoreError::from)
}
