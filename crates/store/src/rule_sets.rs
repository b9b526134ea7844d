//! Published rule-set versions (the rules crate's `RuleSet` as JSON). Rows are only ever
//! inserted.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::schema::rule_sets;
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = rule_sets)]
pub struct RuleSetRow {
    pub version: i32,
    pub effective_from: NaiveDate,
    pub title: String,
    pub body: String,
    pub published_at: NaiveDateTime,
    pub published_by: String,
}

pub fn insert(conn: &mut DbConnection, row: &RuleSetRow) -> Result<(), StoreError> {
    diesel::insert_into(rule_sets::table).values(row).execute(conn)?;
    Ok(())
}

/// Every version, oldest first.
pub fn all(conn: &mut DbConnection) -> Result<Vec<RuleSetRow>, StoreError> {
    rule_sets::table
        .select(RuleSetRow::as_select())
        .order(rule_sets::version.asc())
        .load(conn)
        .map_err(StoreError::from)
}

pub fn find(conn: &mut DbConnection, version: i32) -> Result<Option<RuleSetRow>, StoreError> {
    rule_sets::table.find(version).select(RuleSetRow::as_select()).first(conn).optional().map_err(StoreError::from)
}
