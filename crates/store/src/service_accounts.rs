//! Service accounts of other district systems (client credentials). Secrets are stored
//! only as argon2 hashes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::service_accounts;
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = service_accounts)]
pub struct ServiceAccountRow {
    pub id: String,
    pub client_id: String,
    pub name: String,
    pub secret_hash: String,
    /// Space-separated scopes, as in OAuth 2.
    pub scopes: String,
    pub created_at: NaiveDateTime,
    pub disabled_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConnection, row: &ServiceAccountRow) -> Result<(), StoreError> {
    diesel::insert_into(service_accounts::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find_by_client_id(conn: &mut DbConnection, client_id: &str) -> Result<Option<ServiceAccountRow>, StoreError> {
    service_accounts::table
        .filter(service_accounts::client_id.eq(client_id))
        .select(ServiceAccountRow::as_select())
        .first(conn)
        .optional()
        .map_err(StoreError::from)
}

pub fn list(conn: &mut DbConnection, after: Option<&str>, limit: i64) -> Result<Vec<ServiceAccountRow>, StoreError> {
    let mut query =
        service_accounts::table.select(ServiceAccountRow::as_select()).order(service_accounts::id.asc()).into_boxed();
    if let Some(after) = after {
        query = query.filter(service_accounts::id.gt(after.to_owned()));
    }
    query.limit(limit).load(conn).map_err(StoreError::from)
}
