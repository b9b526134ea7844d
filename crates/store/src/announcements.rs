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
    /// The project's category, copied here so that a list narrowed by it reads one index
    /// range in id order (`announcements_category_kind`, `announcements_category`).
    pub category: String,
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

/// The public list's statement for one backend (`$backend`): announcements in id order
/// after the cursor, narrowed by `$filter`. Every narrowing is an equality on a leading
/// column of an index that ends in `id` (or the key itself), so the database reads one index
/// range in id order and stops after `$limit` rows, whatever the table's size.
macro_rules! list_query {
    ($filter:expr, $after:expr, $limit:expr, $backend:ty) => {{
        let filter: &AnnouncementFilter = $filter;
        let mut query = announcements::table
            .select(AnnouncementRow::as_select())
            .order(announcements::id.asc())
            .into_boxed::<$backend>();
        if let Some(project_id) = &filter.project_id {
            query = query.filter(announcements::project_id.eq(project_id.clone()));
        }
        if let Some(category) = filter.category {
            query = query.filter(announcements::category.eq(category));
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
        if let Some(after) = $after {
            query = query.filter(announcements::id.gt(after.to_owned()));
        }
        query.limit($limit)
    }};
}

/// Up to `limit` announcements after the cursor `after`, in id order, narrowed by `filter`:
/// `list_query!`'s statement on the backend's own connection (the tests explain that same
/// statement on each backend).
pub fn list(
    conn: &mut DbConnection,
    filter: &AnnouncementFilter,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<AnnouncementRow>, StoreError> {
    Ok(match conn {
        DbConnection::Postgres(pg) => list_query!(filter, after, limit, diesel::pg::Pg).load(pg)?,
        DbConnection::Sqlite(sqlite) => list_query!(filter, after, limit, diesel::sqlite::Sqlite).load(sqlite)?,
    })
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use diesel::connection::SimpleConnection;
    use diesel::sql_types::Text;
    use ggzy_blackbox::{both_backends, Backend, TestDatabase};

    use super::*;
    use crate::{Store, StoreConfig};

    both_backends!(every_narrowing_of_the_list_reads_one_index_range_in_id_order);

    #[derive(QueryableByName)]
    struct SqlitePlanLine {
        #[diesel(sql_type = Text)]
        detail: String,
    }

    #[derive(QueryableByName)]
    struct PostgresPlanLine {
        #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
        line: String,
    }

    /// The plan of the list's statement as `list` sends it, on the backend's own connection:
    /// its SQL text from diesel, explained with the cursor and limit as parameters.
    fn plan(conn: &mut DbConnection, filter: &AnnouncementFilter) -> String {
        let after = Some("00000000");
        match conn {
            DbConnection::Postgres(pg) => {
                let query = list_query!(filter, after, 51, diesel::pg::Pg);
                let text = diesel::debug_query::<diesel::pg::Pg, _>(&query).to_string();
                let (sql, _) = text.split_once(" -- binds:").expect("diesel's debug text");
                // The parameters in the statement's order: the narrowings, the cursor (before
                // every row) and the limit.
                let values: Vec<String> = [filter.category, filter.kind, Some("00000000"), Some("51")]
                    .into_iter()
                    .flatten()
                    .map(|value| if value == "51" { value.to_owned() } else { format!("'{value}'") })
                    .collect();
                assert_eq!(values.len(), sql.matches('$').count(), "a parameter for each placeholder of {sql}");
                pg.batch_execute(&format!("DEALLOCATE ALL; PREPARE list_plan AS {sql}")).expect("prepare");
                let lines: Vec<PostgresPlanLine> =
                    diesel::sql_query(format!("EXPLAIN EXECUTE list_plan({})", values.join(", ")))
                        .load(pg)
                        .expect("explain");
                lines.into_iter().map(|l| l.line).collect::<Vec<_>>().join("\n")
            }
            DbConnection::Sqlite(sqlite) => {
                let query = list_query!(filter, after, 51, diesel::sqlite::Sqlite);
                let text = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&query).to_string();
                let (sql, _) = text.split_once(" -- binds:").expect("diesel's debug text");
                let lines: Vec<SqlitePlanLine> =
                    diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}")).load(sqlite).expect("explain");
                lines.into_iter().map(|l| l.detail).collect::<Vec<_>>().join("\n")
            }
        }
    }

    /// Keyset paging holds only if no narrowing makes the database read every matching row
    /// and sort them: each must read an index range in id order. (Narrowed by category
    /// through the projects, SQLite read every announcement of the category's projects and
    /// sorted them in a temporary tree.)
    fn every_narrowing_of_the_list_reads_one_index_range_in_id_order(backend: Backend) {
        let Some(db) = TestDatabase::new(backend) else { return };
        let store = Store::open(&StoreConfig::new(db.url.clone())).expect("open");
        store.migrate().expect("migrate");
        // PostgreSQL plans from statistics: 40,000 announcements analysed, of two kinds alike
        // and two categories, one of them rare but still many pages long (written without
        // their projects, foreign keys off for the session: only the plan is looked at).
        // SQLite, without statistics, plans from the schema alone.
        store
            .write(|conn| {
                if let DbConnection::Postgres(pg) = conn {
                    pg.batch_execute(
                        "SET session_replication_role = replica; \
                         INSERT INTO announcements (id, project_id, kind, published_at, documents_issued_at, bid_deadline, \
                           opening_at, opening_place, body, content_hash, published_by, category) \
                         SELECT lpad(n::text, 8, '0'), 'p', CASE WHEN n % 2 = 0 THEN 'tender' ELSE 'correction' END, \
                           now(), now(), now(), now(), '', '{}', '', '', \
                           CASE WHEN n % 100 < 2 THEN 'land' ELSE 'construction' END \
                         FROM generate_series(1, 40000) AS n; \
                         SET session_replication_role = origin; ANALYZE announcements",
                    )?;
                }
                Ok::<_, StoreError>(())
            })
            .expect("announcements to plan for");
        let narrowings = [
            (Some("land"), Some("tender"), "announcements_category_kind"),
            (Some("land"), None, "announcements_category"),
            (None, Some("tender"), "announcements_kind"),
        ];
        for (category, kind, index) in narrowings {
            let filter = AnnouncementFilter { category, kind, ..AnnouncementFilter::default() };
            let plan = store.read(|conn| Ok::<_, StoreError>(plan(conn, &filter))).expect("plan");
            let in_id_order = !(plan.contains("TEMP B-TREE") || plan.contains("Sort"));
            // SQLite takes the narrowing's own index. PostgreSQL weighs it against walking the
            // key with a filter, which it prefers where most rows match (the kind here) and
            // which is in id order too; for the rare category it must take the category's.
            let range = match backend {
                Backend::Sqlite => plan.contains(&format!("USING INDEX {index} (")) && plan.contains("id>?"),
                Backend::Postgres if category.is_some() => {
                    plan.contains("Index Scan using announcements_category") && plan.contains("(id > ")
                }
                Backend::Postgres => plan.contains("Index Scan using ") && plan.contains("(id > "),
            };
            assert!(
                range && in_id_order,
                "{backend:?}, category {category:?}, kind {kind:?}: expected an index range in id order, planned:\n{plan}"
            );
        }
    }
}
