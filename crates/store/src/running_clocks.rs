//! The rows behind every running clock, each with the project it runs in, read with one
//! query per kind of clock: unanswered objections, open complaints, bonds whose refund
//! clock runs, results whose publicity or contract signing runs, direct awards in
//! publicity. The deadline watch and the recount of clocks when a year's official calendar
//! is loaded both start from them.

use chrono::NaiveDateTime;
use diesel::dsl::exists;
use diesel::prelude::*;

use crate::evaluation::ResultRow;
use crate::ledger::BondRow;
use crate::objections::{ComplaintRow, ObjectionRow};
use crate::projects::{DirectAwardRow, ProjectRow};
use crate::schema::{
    bonds, complaints, direct_awards, listings, objections, openings, projects, section_results, sections,
};
use crate::{DbConnection, StoreError};

/// A bond whose refund clock runs, with its project and whether its section has left the
/// sealing of its bidders by an opening record or a listing.
#[derive(Debug, Clone, PartialEq)]
pub struct BondOnClock {
    pub bond: BondRow,
    pub project: ProjectRow,
    pub opened_or_listed: bool,
}

/// Every running clock's row with its project.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunningClockRows {
    /// Unanswered objections, earliest reply due first.
    pub objections: Vec<(ObjectionRow, ProjectRow)>,
    /// Complaints received and not accepted yet, or accepted and not decided yet.
    pub complaints: Vec<(ComplaintRow, ProjectRow)>,
    /// Bonds with a refund deadline and no outcome, earliest deadline first.
    pub bonds: Vec<BondOnClock>,
    /// Section results whose contract is not signed yet.
    pub results: Vec<(ResultRow, ProjectRow)>,
    /// Direct awards whose publicity ends after the moment asked for (none when not asked).
    pub direct_awards: Vec<(DirectAwardRow, ProjectRow)>,
}

/// The rows of every running clock; direct awards in publicity at `direct_awards_at` when
/// given. A row whose project (or section) is missing is left out.
pub fn running_clock_rows(
    conn: &mut DbConnection,
    direct_awards_at: Option<NaiveDateTime>,
) -> Result<RunningClockRows, StoreError> {
    let objections = objections::table
        .inner_join(projects::table.on(projects::id.eq(objections::project_id)))
        .filter(objections::answered_at.is_null())
        .order((objections::reply_due.asc(), objections::id.asc()))
        .select((ObjectionRow::as_select(), ProjectRow::as_select()))
        .load(conn)?;
    let complaints = complaints::table
        .inner_join(projects::table.on(projects::id.eq(complaints::project_id)))
        .filter(complaints::status.eq_any(["received", "accepted"]))
        .order(complaints::id.asc())
        .select((ComplaintRow::as_select(), ProjectRow::as_select()))
        .load(conn)?;
    let opened = exists(openings::table.filter(openings::section_id.eq(bonds::section_id)));
    let listed = exists(listings::table.filter(listings::section_id.eq(bonds::section_id)));
    let bonds = bonds::table
        .inner_join(sections::table.on(sections::id.eq(bonds::section_id)))
        .inner_join(projects::table.on(projects::id.eq(sections::project_id)))
        .filter(bonds::outcome.is_null())
        .filter(bonds::refund_deadline.is_not_null())
        .order((bonds::refund_deadline.asc(), bonds::id.asc()))
        .select((BondRow::as_select(), ProjectRow::as_select(), opened, listed))
        .load::<(BondRow, ProjectRow, bool, bool)>(conn)?
        .into_iter()
        .map(|(bond, project, opened, listed)| BondOnClock { bond, project, opened_or_listed: opened || listed })
        .collect();
    let results = section_results::table
        .inner_join(sections::table.on(sections::id.eq(section_results::section_id)))
        .inner_join(projects::table.on(projects::id.eq(sections::project_id)))
        .filter(section_results::contract_signed_at.is_null())
        .order(section_results::section_id.asc())
        .select((ResultRow::as_select(), ProjectRow::as_select()))
        .load(conn)?;
    let direct_awards = match direct_awards_at {
        None => Vec::new(),
        Some(at) => direct_awards::table
            .inner_join(projects::table.on(projects::id.eq(direct_awards::project_id)))
            .filter(direct_awards::publicity_end.gt(at))
            .order(direct_awards::id.asc())
            .select((DirectAwardRow::as_select(), ProjectRow::as_select()))
            .load(conn)?,
    };
    Ok(RunningClockRows { objections, complaints, bonds, results, direct_awards })
}
