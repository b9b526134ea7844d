//! Named staff of departments. The centre's active staff are the service owners of
//! projects (registration.service_owner).

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;

use crate::id_list::in_ids;
use crate::schema::{projects, staff};
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = staff)]
pub struct StaffRow {
    pub id: String,
    pub department_id: String,
    /// The `sub` of the member's tokens.
    pub subject: String,
    pub name: String,
    pub active: i32,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, row: &StaffRow) -> Result<(), StoreError> {
    diesel::insert_into(staff::table).values(row).execute(conn)?;
    Ok(())
}

pub fn of_department(conn: &mut DbConnection, department_id: &str) -> Result<Vec<StaffRow>, StoreError> {
    staff::table
        .filter(staff::department_id.eq(department_id))
        .select(StaffRow::as_select())
        .order(staff::id.asc())
        .load(conn)
        .map_err(StoreError::from)
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<StaffRow>, StoreError> {
    staff::table.find(id).select(StaffRow::as_select()).first(conn).optional().map_err(StoreError::from)
}

/// These staff members (those that exist), in no particular order.
pub fn find_many(conn: &mut DbConnection, ids: &[String]) -> Result<Vec<StaffRow>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    staff::table.filter(in_ids(staff::id, ids)).select(StaffRow::as_select()).load(conn).map_err(StoreError::from)
}

/// Active members of a department with how many projects in the given statuses each
/// serves, least loaded first (ties by id, so the choice is deterministic).
pub fn load_of_active(
    conn: &mut DbConnection,
    department_id: &str,
    open_statuses: &[&str],
) -> Result<Vec<(StaffRow, i64)>, StoreError> {
    let members = staff::table
        .filter(staff::department_id.eq(department_id))
        .filter(staff::active.eq(1))
        .select(StaffRow::as_select())
        .order(staff::id.asc())
        .load(conn)?;
    let statuses: Vec<String> = open_statuses.iter().map(|s| (*s).to_owned()).collect();
    let mut loads = Vec::with_capacity(members.len());
    for member in members {
        let count: i64 = projects::table
            .filter(projects::service_owner_id.eq(&member.id))
            .filter(projects::status.eq_any(&statuses))
            .select(count_star())
            .first(conn)?;
        loads.push((member, count));
    }
    loads.sort_by(|(a, la), (b, lb)| la.cmp(lb).then_with(|| a.id.cmp(&b.id)));
    Ok(loads)
}
