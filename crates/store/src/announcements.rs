//! Tender announcements (招标公告, 更正公告) and the section terms they set.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::{announcements, projects, section_terms};
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = announcements)]
pub struct AnnouncementRow {
    pub id: String,
    pub project_id: String,
    pub kind: String,
    pub supersedes: Option<String>,
    pub published_at: NaiveDateTime,
    pub documents_issued_at: NaiveDateTime,
    pub bid_deadline: NaiveDateTime,
    pub opening_at: NaiveDateTime,
    pub opening_place: String,
    /// The announcement as published (JSON); `content_hash` is its sha256.
    pub body: String,
    pub content_hash: String,
    pub published_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = section_terms)]
pub struct SectionTermsRow {
    pub section_id: String,
    pub announcement_id: String,
    pub bond_amount: i64,
    pub bid_deadline: NaiveDateTime,
    /// The opening time of the announcement, kept here for the openings schedule.
    pub opening_at: NaiveDateTime,
}

/// Inserts an announcement and its search entry.
pub fn insert(conn: &mut DbConnection, row: &AnnouncementRow) -> Result<(), StoreError> {
    diesel::insert_into(announcements::table).values(row).execute(conn)?;
    crate::search::index_project_object(conn, crate::search::ANNOUNCEMENT, &row.id, &row.project_id)
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<AnnouncementRow>, StoreError> {
    announcements::table.find(id).select(AnnouncementRow::as_select()).first(conn).optional().map_err(StoreError::from)
}

pub fn of_project(conn: &mut DbConnection, project_id: &str) -> Result<Vec<AnnouncementRow>, StoreError> {
    announcements::table
        .filter(announcements::project_id.eq(project_id))
        .select(AnnouncementRow::as_select())
        .order(announcements::published_at.asc())
        .load(conn)
        .map_err(StoreError::from)
}

/// Every announcement, by id (time-ordered), for the public list.
/// What the public announcement list is narrowed to; each `None` is no filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnnouncementFilter {
    pub project_id: Option<String>,
    /// The category of the announcement's project.
    pub category: Option<&'static str>,
    pub kind: Option<&'static str>,
    /// Published at or after this instant.
    pub published_from: Option<NaiveDateTime>,
    /// Published before this instant.
    pub published_before: Option<NaiveDateTime>,
}

pub fn list(
    conn: &mut DbConnection,
    filter: &AnnouncementFilter,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<AnnouncementRow>, StoreError> {
    let mut query =
        announcements::table.select(AnnouncementRow::as_select()).order(announcements::id.asc()).into_boxed();
    if let Some(project_id) = &filter.project_id {
        query = query.filter(announcements::project_id.eq(project_id.clone()));
    }
    if let Some(category) = filter.category {
        let of_category = projects::table.filter(projects::category.eq(category)).select(projects::id);
        query = query.filter(announcements::project_id.eq_any(of_category));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(announcements::kind.eq(kind));
    }
    if let Some(from) = filter.published_from {
        query = query.filter(announcements::published_at.ge(from));
    }
    if let Some(before) = filter.published_before {
        query = query.filter(announcements::published_at.lt(before));
    }
    if let Some(after) = after {
        query = query.filter(announcements::id.gt(after.to_owned()));
    }
    query.limit(limit).load(conn).map_err(StoreError::from)
}

/// Sets a section's terms (the first announcement) or replaces them (a correction).
pub fn set_terms(conn: &mut DbConnection, terms: &SectionTermsRow) -> Result<(), StoreError> {
    let updated = diesel::update(section_terms::table.find(&terms.section_id)).set(terms).execute(conn)?;
    if updated == 0 {
        diesel::insert_into(section_terms::table).values(terms).execute(conn)?;
    }
    Ok(())
}

pub fn terms(conn: &mut DbConnection, section_id: &str) -> Result<Option<SectionTermsRow>, StoreError> {
    section_terms::table
        .find(section_id)
        .select(SectionTermsRow::as_select())
        .first(conn)
        .optional()
        .map_err(StoreError::from)
}

/// A section's opening as its terms' announcement schedules it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct ScheduledOpeningRow {
    pub section_id: String,
    pub section_code: String,
    pub section_name: String,
    pub project_id: String,
    pub project_code: String,
    pub project_name: String,
    pub opening_at: NaiveDateTime,
    pub opening_place: String,
}

/// Sections opening in `[from, before)`, soonest first (then by section id), after the
/// position `(opening_at, section_id)` of the previous page's last: one range of the index
/// `section_terms (opening_at, section_id)`, each row joined to its section, project and
/// announcement by key.
pub fn openings_between(
    conn: &mut DbConnection,
    from: Option<NaiveDateTime>,
    before: Option<NaiveDateTime>,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> Result<Vec<ScheduledOpeningRow>, StoreError> {
    use crate::schema::sections;
    let mut query = section_terms::table
        .inner_join(announcements::table.on(announcements::id.eq(section_terms::announcement_id)))
        .inner_join(sections::table.on(sections::id.eq(section_terms::section_id)))
        .inner_join(projects::table.on(projects::id.eq(sections::project_id)))
        .select((
            section_terms::section_id,
            sections::code,
            sections::name,
            projects::id,
            projects::code,
            projects::name,
            section_terms::opening_at,
            announcements::opening_place,
        ))
        .order((section_terms::opening_at.asc(), section_terms::section_id.asc()))
        .into_boxed();
    if let Some(from) = from {
        query = query.filter(section_terms::opening_at.ge(from));
    }
    if let Some(before) = before {
        query = query.filter(section_terms::opening_at.lt(before));
    }
    if let Some((at, section)) = after {
        query = query.filter(
            section_terms::opening_at
                .gt(at)
                .or(section_terms::opening_at.eq(at).and(section_terms::section_id.gt(section))),
        );
    }
    query.limit(limit).load(conn).map_err(StoreError::from)
}
