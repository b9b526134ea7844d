//! Published service items and participants' ratings of them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::{bonds, sections, service_items, service_ratings};
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = service_items)]
pub struct ServiceItemRow {
    pub id: String,
    pub name: String,
    pub promised_working_days: i32,
    pub description: String,
    pub published_by: String,
    pub published_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = service_ratings)]
pub struct RatingRow {
    pub id: String,
    pub service_item_id: String,
    pub participant_id: String,
    pub project_id: String,
    pub score: i32,
    pub on_time: i32,
    pub comment: Option<String>,
    pub rated_at: NaiveDateTime,
}

/// Publishes an item, replacing its earlier terms.
pub fn publish_item(conn: &mut DbConnection, row: &ServiceItemRow) -> Result<(), StoreError> {
    let changed = diesel::update(service_items::table.find(&row.id)).set(row).execute(conn)?;
    if changed == 0 {
        diesel::insert_into(service_items::table).values(row).execute(conn)?;
    }
    Ok(())
}

pub fn items(conn: &mut DbConnection) -> Result<Vec<ServiceItemRow>, StoreError> {
    service_items::table
        .select(ServiceItemRow::as_select())
        .order(service_items::id.asc())
        .load(conn)
        .map_err(StoreError::from)
}

pub fn find_item(conn: &mut DbConnection, id: &str) -> Result<Option<ServiceItemRow>, StoreError> {
    service_items::table.find(id).select(ServiceItemRow::as_select()).first(conn).optional().map_err(StoreError::from)
}

/// Inserts a rating; false if this participant already rated this item on this project.
/// Whether `participant_id` holds a bond in a section of the project.
pub fn holds_bond_in_project(
    conn: &mut DbConnection,
    project_id: &str,
    participant_id: &str,
) -> Result<bool, StoreError> {
    let sections_of_project = sections::table.filter(sections::project_id.eq(project_id)).select(sections::id);
    let found = bonds::table
        .filter(bonds::bidder_id.eq(participant_id))
        .filter(bonds::section_id.eq_any(sections_of_project))
        .select(bonds::id)
        .first::<String>(conn)
        .optional()?;
    Ok(found.is_some())
}

pub fn insert_rating(conn: &mut DbConnection, row: &RatingRow) -> Result<bool, StoreError> {
    let exists = service_ratings::table
        .filter(service_ratings::service_item_id.eq(&row.service_item_id))
        .filter(service_ratings::participant_id.eq(&row.participant_id))
        .filter(service_ratings::project_id.eq(&row.project_id))
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if exists {
        return Ok(false);
    }
    diesel::insert_into(service_ratings::table).values(row).execute(conn)?;
    Ok(true)
}

/// (item, ratings, sum of scores, ratings saying on time) per item.
pub fn rating_totals(conn: &mut DbConnection) -> Result<Vec<(String, i64, i64, i64)>, StoreError> {
    let rows: Vec<(String, i32, i32)> = service_ratings::table
        .select((service_ratings::service_item_id, service_ratings::score, service_ratings::on_time))
        .load(conn)?;
    let mut totals: std::collections::BTreeMap<String, (i64, i64, i64)> = std::collections::BTreeMap::new();
    for (item, score, on_time) in rows {
        let entry = totals.entry(item).or_default();
        entry.0 += 1;
        entry.1 += i64::from(score);
        entry.2 += i64::from(on_time);
    }
    Ok(totals.into_iter().map(|(item, (n, sum, on_time))| (item, n, sum, on_time)).collect())
}

/// Refunded bonds, and how many of them before their deadline (measured, not rated).
pub fn refund_timeliness(conn: &mut DbConnection) -> Result<(i64, i64), StoreError> {
    let rows: Vec<(Option<NaiveDateTime>, Option<NaiveDateTime>)> = bonds::table
        .filter(bonds::outcome.eq("refunded"))
        .select((bonds::settled_at, bonds::refund_deadline))
        .load(conn)?;
    let on_time = rows.iter().filter(|(settled, due)| matches!((settled, due), (Some(s), Some(d)) if s < d)).count();
    Ok((rows.len() as i64, on_time as i64))
}
