//! The holiday calendar, loaded a year at a time.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::schema::{calendar_days, calendar_years, clock_floors};
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = calendar_days)]
pub struct CalendarDayRow {
    pub day: NaiveDate,
    pub year: i32,
    /// `holiday` or `workday`.
    pub kind: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = calendar_years)]
pub struct CalendarYearRow {
    pub year: i32,
    pub loaded_at: NaiveDateTime,
    pub loaded_by: String,
}

/// Every loaded year with its listed days.
pub fn load_all(conn: &mut DbConnection) -> Result<(Vec<CalendarYearRow>, Vec<CalendarDayRow>), StoreError> {
    let years =
        calendar_years::table.select(CalendarYearRow::as_select()).order(calendar_years::year.asc()).load(conn)?;
    let days = calendar_days::table.select(CalendarDayRow::as_select()).order(calendar_days::day.asc()).load(conn)?;
    Ok((years, days))
}

pub fn year(conn: &mut DbConnection, year: i32) -> Result<Option<(CalendarYearRow, Vec<CalendarDayRow>)>, StoreError> {
    let Some(loaded) = calendar_years::table.find(year).select(CalendarYearRow::as_select()).first(conn).optional()?
    else {
        return Ok(None);
    };
    let days = calendar_days::table
        .filter(calendar_days::year.eq(year))
        .select(CalendarDayRow::as_select())
        .order(calendar_days::day.asc())
        .load(conn)?;
    Ok(Some((loaded, days)))
}

/// Replaces one year whole: its listed days and its load record.
pub fn replace_year(
    conn: &mut DbConnection,
    loaded: &CalendarYearRow,
    days: &[CalendarDayRow],
) -> Result<(), StoreError> {
    diesel::delete(calendar_days::table.filter(calendar_days::year.eq(loaded.year))).execute(conn)?;
    diesel::delete(calendar_years::table.filter(calendar_years::year.eq(loaded.year))).execute(conn)?;
    diesel::insert_into(calendar_years::table).values(loaded).execute(conn)?;
    // One row at a time: MultiConnection cannot batch-insert on SQLite.
    for day in days {
        diesel::insert_into(calendar_days::table).values(day).execute(conn)?;
    }
    Ok(())
}

/// The years whose official arrangement is loaded, ascending.
pub fn official_years(conn: &mut DbConnection) -> Result<Vec<i32>, StoreError> {
    calendar_years::table.select(calendar_years::year).order(calendar_years::year.asc()).load(conn).map_err(Into::into)
}

/// The kept due date of an on-demand clock (see migration 000023), if any.
pub fn clock_floor(conn: &mut DbConnection, kind: &str, subject_id: &str) -> Result<Option<NaiveDateTime>, StoreError> {
    clock_floors::table.find((kind, subject_id)).select(clock_floors::due).first(conn).optional().map_err(Into::into)
}

/// Keeps `due` as the earliest due date of an on-demand clock (replacing an earlier floor).
pub fn set_clock_floor(
    conn: &mut DbConnection,
    kind: &str,
    subject_id: &str,
    due: NaiveDateTime,
    set_at: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::delete(clock_floors::table.find((kind, subject_id))).execute(conn)?;
    diesel::insert_into(clock_floors::table)
        .values((
            clock_floors::kind.eq(kind),
            clock_floors::subject_id.eq(subject_id),
            clock_floors::due.eq(due),
            clock_floors::set_at.eq(set_at),
        ))
        .execute(conn)?;
    Ok(())
}
