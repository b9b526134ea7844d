//! The public event feed: positions drawn from one counter row in the writing transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use crate::schema::public_events;
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = public_events)]
pub struct PublicEventRow {
    pub position: i64,
    pub event_type: String,
    pub occurred_at: NaiveDateTime,
    pub object_type: String,
    pub object_id: String,
    pub project_id: Option<String>,
    pub resource: Option<String>,
}

#[derive(QueryableByName)]
struct Counter {
    #[diesel(sql_type = BigInt)]
    last: i64,
}

/// The next position: the counter row stays locked until the transaction ends, so
/// positions are handed out in commit order.
pub fn next_position(conn: &mut DbConnection) -> Result<i64, StoreError> {
    const NEXT: &str = "UPDATE public_event_counter SET last = last + 1 WHERE id = 1 RETURNING last";
    let counter: Counter = match conn {
        DbConnection::Postgres(pg) => diesel::sql_query(NEXT).get_result(pg)?,
        DbConnection::Sqlite(sqlite) => diesel::sql_query(NEXT).get_result(sqlite)?,
    };
    Ok(counter.last)
}

pub fn insert(conn: &mut DbConnection, row: &PublicEventRow) -> Result<(), StoreError> {
    diesel::insert_into(public_events::table).values(row).execute(conn)?;
    Ok(())
}

/// Events after a position, in order.
pub fn after(conn: &mut DbConnection, position: i64, limit: i64) -> Result<Vec<PublicEventRow>, StoreError> {
    public_events::table
        .filter(public_events::position.gt(position))
        .select(PublicEventRow::as_select())
        .order(public_events::position.asc())
        .limit(limit)
        .load(conn)
        .map_err(StoreError::from)
}
