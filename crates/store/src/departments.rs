//! Departments: reference data seeded by migration (公管办, 交易中心, 纪检监察 and the
//! industry regulators).

use diesel::prelude::*;

use crate::schema::departments;
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = departments)]
pub struct DepartmentRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    /// Comma-separated `category:subtype` keys this department supervises.
    pub industries: String,
}

pub fn list(conn: &mut DbConnection) -> Result<Vec<DepartmentRow>, StoreError> {
    departments::table
        .select(DepartmentRow::as_select())
        .order(departments::id.asc())
        .load(conn)
        .map_err(StoreError::from)
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<DepartmentRow>, StoreError> {
    departments::table.find(id).select(DepartmentRow::as_select()).first(conn).optional().map_err(StoreError::from)
}
