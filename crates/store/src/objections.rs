//! Objections (异议, 质疑).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::objections;
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = objections)]
pub struct ObjectionRow {
    pub id: String,
    pub project_id: String,
    pub section_id: Option<String>,
    pub stage: String,
    pub objector_id: String,
    pub content: String,
    pub knew_at: Option<NaiveDateTime>,
    pub raised_at: NaiveDateTime,
    pub rule_id: String,
    pub reply_rule_id: String,
    pub reply_due: NaiveDateTime,
    pub answer: Option<String>,
    pub answered_at: Option<NaiveDateTime>,
    pub answered_by: Option<String>,
    pub suspension_id: Option<String>,
}

pub fn insert(conn: &mut DbConnection, row: &ObjectionRow) -> Result<(), StoreError> {
    diesel::insert_into(objections::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<ObjectionRow>, StoreError> {
    objections::table.find(id).select(ObjectionRow::as_select()).first(conn).optional().map_err(StoreError::from)
}

pub fn of_project(conn: &mut DbConnection, project_id: &str) -> Result<Vec<ObjectionRow>, StoreError> {
    objections::table
        .filter(objections::project_id.eq(project_id))
        .select(ObjectionRow::as_select())
        .order(objections::id.asc())
        .load(conn)
        .map_err(StoreError::from)
}

/// Unanswered objections, by reply deadline.
/// Objections raised at a section's opening, in the order raised.
pub fn at_opening(conn: &mut DbConnection, section_id: &str) -> Result<Vec<ObjectionRow>, StoreError> {
    objections::table
        .filter(objections::section_id.eq(section_id))
        .filter(objections::stage.eq("opening"))
        .select(ObjectionRow::as_select())
        .order((objections::raised_at.asc(), objections::id.asc()))
        .load(conn)
        .map_err(StoreError::from)
}

pub fn unanswered(conn: &mut DbConnection) -> Result<Vec<ObjectionRow>, StoreError> {
    objections::table
        .filter(objections::answered_at.is_null())
        .select(ObjectionRow::as_select())
        .order(objections::reply_due.asc())
        .load(conn)
        .map_err(StoreError::from)
}

pub fn answer(conn: &mut DbConnection, id: &str, text: &str, by: &str, at: NaiveDateTime) -> Result<bool, StoreError> {
    let changed = diesel::update(objections::table.find(id).filter(objections::answered_at.is_null()))
        .set((
            objections::answer.eq(Some(text)),
            objections::answered_by.eq(Some(by)),
            objections::answered_at.eq(Some(at)),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = crate::schema::complaints)]
#[diesel(treat_none_as_null = true)]
pub struct ComplaintRow {
    pub id: String,
    pub project_id: String,
    pub complainant_id: String,
    pub objection_id: Option<String>,
    pub content: String,
    pub knew_at: NaiveDateTime,
    pub filed_at: NaiveDateTime,
    pub regulator_id: Option<String>,
    pub status: String,
    pub acceptance_due: NaiveDateTime,
    pub accepted_at: Option<NaiveDateTime>,
    pub pauses: String,
    pub decided_at: Option<NaiveDateTime>,
    pub outcome: Option<String>,
    pub decision: Option<String>,
}

pub fn insert_complaint(conn: &mut DbConnection, row: &ComplaintRow) -> Result<(), StoreError> {
    diesel::insert_into(crate::schema::complaints::table).values(row).execute(conn)?;
    Ok(())
}

/// A complaint with the regulator of its project, if the project has one.
pub fn complaint_with_regulator(
    conn: &mut DbConnection,
    id: &str,
) -> Result<Option<(ComplaintRow, Option<String>)>, StoreError> {
    use crate::schema::{complaints, projects};
    complaints::table
        .left_join(projects::table.on(projects::id.eq(complaints::project_id)))
        .filter(complaints::id.eq(id))
        .select((ComplaintRow::as_select(), projects::regulator_id.nullable()))
        .first(conn)
        .optional()
        .map_err(StoreError::from)
}

pub fn find_complaint(conn: &mut DbConnection, id: &str) -> Result<Option<ComplaintRow>, StoreError> {
    crate::schema::complaints::table
        .find(id)
        .select(ComplaintRow::as_select())
        .first(conn)
        .optional()
        .map_err(StoreError::from)
}

/// A project's complaints, oldest first.
pub fn complaints_of(conn: &mut DbConnection, project_id: &str) -> Result<Vec<ComplaintRow>, StoreError> {
    crate::schema::complaints::table
        .filter(crate::schema::complaints::project_id.eq(project_id))
        .select(ComplaintRow::as_select())
        .order((crate::schema::complaints::filed_at.asc(), crate::schema::complaints::id.asc()))
        .load(conn)
        .map_err(StoreError::from)
}

/// Whose complaints a list holds: every one (公管办), those on the projects a regulator
/// supervises, or a complainant's own.
#[derive(Debug, Clone, Copy)]
pub enum ComplaintScope<'a> {
    All,
    Regulator(&'a str),
    Complainant(&'a str),
}

/// Filters of a complaints list.
#[derive(Debug, Clone, Default)]
pub struct ComplaintFilter<'a> {
    pub status: Option<&'a str>,
    pub project_id: Option<&'a str>,
}

/// A page of complaints in the scope, newest filing first (ties by id, descending), after
/// `after` (the filing time and id of the previous page's last complaint).
pub fn complaints_page(
    conn: &mut DbConnection,
    scope: ComplaintScope<'_>,
    filter: &ComplaintFilter<'_>,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> Result<Vec<ComplaintRow>, StoreError> {
    use crate::schema::{complaints, projects};
    let mut query = complaints::table
        .select(ComplaintRow::as_select())
        .order((complaints::filed_at.desc(), complaints::id.desc()))
        .into_boxed();
    query = match scope {
        ComplaintScope::All => query,
        ComplaintScope::Regulator(regulator) => query.filter(
            complaints::project_id
                .eq_any(projects::table.filter(projects::regulator_id.eq(regulator.to_owned())).select(projects::id)),
        ),
        ComplaintScope::Complainant(complainant) => query.filter(complaints::complainant_id.eq(complainant.to_owned())),
    };
    if let Some(status) = filter.status {
        query = query.filter(complaints::status.eq(status.to_owned()));
    }
    if let Some(project_id) = filter.project_id {
        query = query.filter(complaints::project_id.eq(project_id.to_owned()));
    }
    if let Some((at, id)) = after {
        query = query.filter(complaints::filed_at.lt(at).or(complaints::filed_at.eq(at).and(complaints::id.lt(id))));
    }
    query.limit(limit).load(conn).map_err(StoreError::from)
}

/// Complaints whose acceptance or decision clock runs: filed and not yet accepted, or
/// accepted and not yet decided.
pub fn open_complaints(conn: &mut DbConnection) -> Result<Vec<ComplaintRow>, StoreError> {
    crate::schema::complaints::table
        .filter(crate::schema::complaints::status.eq_any(["received", "accepted"]))
        .select(ComplaintRow::as_select())
        .order(crate::schema::complaints::id.asc())
        .load(conn)
        .map_err(StoreError::from)
}

pub fn update_complaint(conn: &mut DbConnection, row: &ComplaintRow) -> Result<(), StoreError> {
    diesel::update(crate::schema::complaints::table.find(&row.id)).set(row).execute(conn)?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = crate::schema::wrongdoing_reports)]
#[diesel(treat_none_as_null = true)]
pub struct ReportRow {
    pub id: String,
    pub tracking_code: String,
    pub project_id: Option<String>,
    pub participant_id: Option<String>,
    pub content: String,
    pub reporter: Option<String>,
    pub contact: Option<String>,
    pub department_id: String,
    pub received_at: NaiveDateTime,
    pub handling: String,
    pub status: String,
}

pub fn insert_report(conn: &mut DbConnection, row: &ReportRow) -> Result<(), StoreError> {
    diesel::insert_into(crate::schema::wrongdoing_reports::table).values(row).execute(conn)?;
    Ok(())
}

pub fn report_by_code(conn: &mut DbConnection, code: &str) -> Result<Option<ReportRow>, StoreError> {
    crate::schema::wrongdoing_reports::table
        .filter(crate::schema::wrongdoing_reports::tracking_code.eq(code))
        .select(ReportRow::as_select())
        .first(conn)
        .optional()
        .map_err(StoreError::from)
}

/// A report by its code, its row locked until the transaction ends on PostgreSQL (SQLite's
/// write transactions are serial already): two handling steps at once take turns, so a
/// step cannot reopen a report the other just closed.
pub fn report_by_code_for_update(conn: &mut DbConnection, code: &str) -> Result<Option<ReportRow>, StoreError> {
    match conn {
        DbConnection::Postgres(pg) => crate::schema::wrongdoing_reports::table
            .filter(crate::schema::wrongdoing_reports::tracking_code.eq(code))
            .select(ReportRow::as_select())
            .for_update()
            .first(pg)
            .optional()
            .map_err(StoreError::from),
        DbConnection::Sqlite(_) => report_by_code(conn, code),
    }
}

pub fn update_report(conn: &mut DbConnection, row: &ReportRow) -> Result<(), StoreError> {
    diesel::update(crate::schema::wrongdoing_reports::table.find(&row.id)).set(row).execute(conn)?;
    Ok(())
}

/// A page of wrongdoing reports, newest first: a department's (or all), in one state (or any).
pub fn reports_page(
    conn: &mut DbConnection,
    department_id: Option<&str>,
    status: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<ReportRow>, StoreError> {
    use crate::schema::wrongdoing_reports as reports;
    let mut query = reports::table.select(ReportRow::as_select()).order(reports::id.desc()).into_boxed();
    if let Some(department) = department_id {
        query = query.filter(reports::department_id.eq(department.to_owned()));
    }
    if let Some(status) = status {
        query = query.filter(reports::status.eq(status.to_owned()));
    }
    if let Some(after) = after {
        query = query.filter(reports::id.lt(after.to_owned()));
    }
    query.limit(limit).load(conn).map_err(StoreError::from)
}

/// Moves the answer deadline of an objection (a recount after the official calendar).
pub fn set_reply_due(conn: &mut DbConnection, id: &str, due: NaiveDateTime) -> Result<(), StoreError> {
    diesel::update(objections::table.find(id)).set(objections::reply_due.eq(due)).execute(conn)?;
    Ok(())
}

/// Moves the acceptance deadline of a complaint.
pub fn set_complaint_acceptance_due(conn: &mut DbConnection, id: &str, due: NaiveDateTime) -> Result<(), StoreError> {
    diesel::update(crate::schema::complaints::table.find(id))
        .set(crate::schema::complaints::acceptance_due.eq(due))
        .execute(conn)?;
    Ok(())
}

/// Whose questions and objections a queue holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueScope {
    /// Every one (the centre, 公管办, inspectors).
    All,
    /// Those on the projects of this scope (a tenderer, an agency, an industry regulator).
    Projects(crate::projects::ProjectScope),
    /// Those this participant asked or raised.
    Own(String),
}

/// What a queue is narrowed to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueFilter {
    /// `Some(false)`: the unanswered only; `Some(true)`: the answered only.
    pub answered: Option<bool>,
    pub project_id: Option<String>,
}

macro_rules! scoped_queue {
    ($table:ident, $owner:ident, $scope:expr, $filter:expr, $after:expr, $limit:expr, $conn:expr, $row:ty) => {{
        use crate::schema::{commissions, projects};
        let mut query = $table::table.select(<$row>::as_select()).order($table::id.desc()).into_boxed();
        match $scope {
            QueueScope::All | QueueScope::Projects(crate::projects::ProjectScope::All) => {}
            // A bidder's queue is its own, whichever way it is scoped.
            QueueScope::Own(participant) | QueueScope::Projects(crate::projects::ProjectScope::Bidder(participant)) => {
                query = query.filter($table::$owner.eq(participant.clone()))
            }
            QueueScope::Projects(crate::projects::ProjectScope::Tenderer(id)) => {
                let own = projects::table.filter(projects::tenderer_id.eq(id.clone())).select(projects::id);
                query = query.filter($table::project_id.eq_any(own));
            }
            QueueScope::Projects(crate::projects::ProjectScope::Regulator(id)) => {
                let supervised = projects::table.filter(projects::regulator_id.eq(id.clone())).select(projects::id);
                query = query.filter($table::project_id.eq_any(supervised));
            }
            QueueScope::Projects(crate::projects::ProjectScope::Agency(id)) => {
                let commissioned = commissions::table
                    .filter(commissions::agency_id.eq(id.clone()))
                    .filter(commissions::revoked_at.is_null())
                    .select(commissions::project_id);
                query = query.filter($table::project_id.eq_any(commissioned));
            }
        }
        match $filter.answered {
            Some(true) => query = query.filter($table::answered_at.is_not_null()),
            Some(false) => query = query.filter($table::answered_at.is_null()),
            None => {}
        }
        if let Some(project_id) = &$filter.project_id {
            query = query.filter($table::project_id.eq(project_id.clone()));
        }
        if let Some(after) = $after {
            query = query.filter($table::id.lt(after.to_owned()));
        }
        query.limit($limit).load($conn).map_err(StoreError::from)
    }};
}

/// A page of the objections a caller's queue holds, newest raised first (ids are
/// time-ordered), after the id `after`.
pub fn objection_queue(
    conn: &mut DbConnection,
    scope: &QueueScope,
    filter: &QueueFilter,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<ObjectionRow>, StoreError> {
    scoped_queue!(objections, objector_id, scope, filter, after, limit, conn, ObjectionRow)
}

/// A page of the questions a caller's queue holds, newest asked first, after the id `after`.
pub fn question_queue(
    conn: &mut DbConnection,
    scope: &QueueScope,
    filter: &QueueFilter,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<crate::conduct::QuestionRow>, StoreError> {
    use crate::schema::questions;
    scoped_queue!(questions, asked_by, scope, filter, after, limit, conn, crate::conduct::QuestionRow)
}

/// Unanswered objections, earliest reply due first; with `regulator`, only those on the
/// projects it supervises (one query).
pub fn unanswered_supervised_by(
    conn: &mut DbConnection,
    regulator: Option<&str>,
) -> Result<Vec<ObjectionRow>, StoreError> {
    use crate::schema::projects;
    let mut query = objections::table.filter(objections::answered_at.is_null()).into_boxed();
    if let Some(regulator) = regulator {
        let supervised = projects::table.filter(projects::regulator_id.eq(regulator.to_owned())).select(projects::id);
        query = query.filter(objections::project_id.eq_any(supervised));
    }
    query.select(ObjectionRow::as_select()).order(objections::reply_due.asc()).load(conn).map_err(StoreError::from)
}

/// Which recorded dates an objection's window is counted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowRead {
    /// The bid deadline of the project's latest announcement.
    Announcement,
    /// The opening of the section named.
    Opening,
    /// The candidates' publicity of the section named.
    EvaluationResult,
    /// The publicity of the project's direct award.
    DirectAward,
    /// Nothing recorded: the objector's own date counts.
    Nothing,
}

/// The recorded dates an objection's window is counted from, as far as `read` asks for them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WindowDates {
    /// The project of the section named, for a section's stage (`None`: no such section).
    pub section_project: Option<String>,
    /// The bid deadline of the project's latest announcement, when one is published.
    pub bid_deadline: Option<NaiveDateTime>,
    /// When the section named was opened, if it was.
    pub opened_at: Option<NaiveDateTime>,
    /// The (start, end) of the section's candidates' publicity or of the direct award's.
    pub publicity: Option<(NaiveDateTime, NaiveDateTime)>,
}

/// The dates an objection's window on `project_id` is counted from, read in one call.
pub fn window_dates(
    conn: &mut DbConnection,
    project_id: &str,
    section_id: Option<&str>,
    read: WindowRead,
) -> Result<WindowDates, StoreError> {
    let mut dates = WindowDates::default();
    match read {
        WindowRead::Announcement => {
            dates.bid_deadline = crate::announcements::of_project(conn, project_id)?.pop().map(|a| a.bid_deadline);
        }
        WindowRead::Opening | WindowRead::EvaluationResult => {
            let Some(id) = section_id else { return Ok(dates) };
            let Some(section) = crate::projects::section(conn, id)? else { return Ok(dates) };
            if read == WindowRead::Opening {
                dates.opened_at = crate::bids::opening(conn, &section.id)?.map(|o| o.opened_at);
            } else {
                let result = crate::evaluation::result(conn, &section.id)?;
                dates.publicity = result.map(|r| (r.publicity_start, r.publicity_end));
            }
            dates.section_project = Some(section.project_id);
        }
        WindowRead::DirectAward => {
            let award = crate::projects::direct_award_of(conn, project_id)?;
            dates.publicity = award.map(|a| (a.reported_at, a.publicity_end));
        }
        WindowRead::Nothing => {}
    }
    Ok(dates)
}
