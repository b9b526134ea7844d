//! Projects (项目) and their sections (标段/包), project-code sequences, agency commissions
//! with their real-name agents, and direct-award publicity.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};

use crate::id_list::in_ids;
use crate::participants::ParticipantRow;
use crate::schema::{bids, bonds, commission_agents, commissions, direct_awards, participants, projects, sections};
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = projects)]
pub struct ProjectRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub category: String,
    pub subtype: String,
    pub tenderer_id: String,
    pub status: String,
    pub regulator_id: Option<String>,
    pub service_owner_id: String,
    pub rule_set_version: i32,
    pub entry_outcome: String,
    pub estimated_total: i64,
    /// JSON: sector, funding, approval documents, registration form, who registered and
    /// the other registration facts no query filters on.
    pub details: String,
    pub registered_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = sections)]
pub struct SectionRow {
    pub id: String,
    pub project_id: String,
    pub code: String,
    pub position: i32,
    pub name: String,
    pub estimated_amount: i64,
}

#[derive(QueryableByName)]
struct Counter {
    #[diesel(sql_type = Integer)]
    last: i32,
}

/// The next number of a code sequence, atomically: one upsert, so concurrent
/// registrations never draw the same number on either backend.
pub fn next_in_sequence(conn: &mut DbConnection, prefix: &str) -> Result<i32, StoreError> {
    let counter: Counter = match conn {
        DbConnection::Postgres(pg) => diesel::sql_query(
            "INSERT INTO project_code_counters (prefix, last) VALUES ($1, 1) \
             ON CONFLICT (prefix) DO UPDATE SET last = project_code_counters.last + 1 RETURNING last",
        )
        .bind::<Text, _>(prefix)
        .get_result(pg)?,
        DbConnection::Sqlite(sqlite) => diesel::sql_query(
            "INSERT INTO project_code_counters (prefix, last) VALUES (?, 1) \
             ON CONFLICT (prefix) DO UPDATE SET last = project_code_counters.last + 1 RETURNING last",
        )
        .bind::<Text, _>(prefix)
        .get_result(sqlite)?,
    };
    Ok(counter.last)
}

pub fn insert(
    conn: &mut DbConnection,
    project: &ProjectRow,
    sections_of_project: &[SectionRow],
) -> Result<(), StoreError> {
    diesel::insert_into(projects::table).values(project).execute(conn)?;
    for section in sections_of_project {
        diesel::insert_into(sections::table).values(section).execute(conn)?;
    }
    crate::search::index_project_object(conn, crate::search::PROJECT, &project.id, &project.id)
}

/// Adds a section to a registered project (a relisting's new round).
pub fn insert_section(conn: &mut DbConnection, section: &SectionRow) -> Result<(), StoreError> {
    diesel::insert_into(sections::table).values(section).execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<ProjectRow>, StoreError> {
    projects::table.find(id).select(ProjectRow::as_select()).first(conn).optional().map_err(StoreError::from)
}

pub fn sections_of(conn: &mut DbConnection, project_id: &str) -> Result<Vec<SectionRow>, StoreError> {
    sections::table
        .filter(sections::project_id.eq(project_id))
        .select(SectionRow::as_select())
        .order(sections::position.asc())
        .load(conn)
        .map_err(StoreError::from)
}

/// The sections of these projects, by project and position: one read for a page of
/// project views.
pub fn sections_of_projects(conn: &mut DbConnection, project_ids: &[String]) -> Result<Vec<SectionRow>, StoreError> {
    if project_ids.is_empty() {
        return Ok(Vec::new());
    }
    sections::table
        .filter(in_ids(sections::project_id, project_ids))
        .select(SectionRow::as_select())
        .order((sections::project_id.asc(), sections::position.asc()))
        .load(conn)
        .map_err(StoreError::from)
}

/// Which projects a list may show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProjectScope {
    All,
    Tenderer(String),
    Regulator(String),
    /// Projects on which the agency holds a commission in force.
    Agency(String),
    /// Projects in one of whose sections the participant posted a bond or submitted a bid.
    Bidder(String),
}

/// What a project list is narrowed to, besides the caller's scope; each `None` is no filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectFilter {
    pub status: Option<&'static str>,
    pub category: Option<&'static str>,
    pub subtype: Option<String>,
    pub regulator_id: Option<String>,
    /// Registered at or after this instant.
    pub registered_from: Option<NaiveDateTime>,
    /// Registered before this instant.
    pub registered_before: Option<NaiveDateTime>,
    /// Words found in the project's name, code or tenderer's name (case ignored).
    pub text: Option<String>,
}

/// The section ids of one bidder's bonds or bids.
type BondedSections = diesel::dsl::Select<
    diesel::dsl::Filter<bonds::table, diesel::dsl::Eq<bonds::bidder_id, String>>,
    bonds::section_id,
>;
type BidSections =
    diesel::dsl::Select<diesel::dsl::Filter<bids::table, diesel::dsl::Eq<bids::bidder_id, String>>, bids::section_id>;
type TakenPart =
    diesel::dsl::Or<diesel::dsl::EqAny<sections::id, BondedSections>, diesel::dsl::EqAny<sections::id, BidSections>>;

/// The projects of the sections where a participant posted a bond or submitted a bid, as a
/// subquery (both lists are indexed by bidder).
fn sections_taken_part_in(
    participant_id: &str,
) -> diesel::dsl::Select<diesel::dsl::Filter<sections::table, TakenPart>, sections::project_id> {
    let bonded = bonds::table.filter(bonds::bidder_id.eq(participant_id.to_owned())).select(bonds::section_id);
    let bid = bids::table.filter(bids::bidder_id.eq(participant_id.to_owned())).select(bids::section_id);
    sections::table.filter(sections::id.eq_any(bonded).or(sections::id.eq_any(bid))).select(sections::project_id)
}

/// Whether a participant posted a bond or submitted a bid in a section of the project.
pub fn takes_part(conn: &mut DbConnection, project_id: &str, participant_id: &str) -> Result<bool, StoreError> {
    let query = projects::table
        .filter(projects::id.eq(project_id.to_owned()))
        .filter(projects::id.eq_any(sections_taken_part_in(participant_id)))
        .select(projects::id);
    Ok(query.first::<String>(conn).optional()?.is_some())
}

pub fn list(
    conn: &mut DbConnection,
    scope: &ProjectScope,
    filter: &ProjectFilter,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<ProjectRow>, StoreError> {
    let mut query = projects::table.select(ProjectRow::as_select()).order(projects::id.asc()).into_boxed();
    if let Some(status) = filter.status {
        query = query.filter(projects::status.eq(status));
    }
    if let Some(category) = filter.category {
        query = query.filter(projects::category.eq(category));
    }
    if let Some(subtype) = &filter.subtype {
        query = query.filter(projects::subtype.eq(subtype.clone()));
    }
    if let Some(regulator) = &filter.regulator_id {
        query = query.filter(projects::regulator_id.eq(regulator.clone()));
    }
    if let Some(from) = filter.registered_from {
        query = query.filter(projects::registered_at.ge(from));
    }
    if let Some(before) = filter.registered_before {
        query = query.filter(projects::registered_at.lt(before));
    }
    match scope {
        ProjectScope::All => {}
        ProjectScope::Tenderer(id) => query = query.filter(projects::tenderer_id.eq(id.clone())),
        ProjectScope::Regulator(id) => query = query.filter(projects::regulator_id.eq(id.clone())),
        ProjectScope::Agency(id) => {
            let commissioned = commissions::table
                .filter(commissions::agency_id.eq(id.clone()))
                .filter(commissions::revoked_at.is_null())
                .select(commissions::project_id);
            query = query.filter(projects::id.eq_any(commissioned));
        }
        ProjectScope::Bidder(id) => query = query.filter(projects::id.eq_any(sections_taken_part_in(id))),
    }
    if let Some(text) = &filter.text {
        use diesel::dsl::sql;
        use diesel::sql_types::Bool;
        // The project's search entry (name, code, tenderer): on PostgreSQL ILIKE (LIKE for a
        // query without case, `search::pg_like`), which the trigram index answers; on SQLite
        // the FTS5 trigram table for three characters or more (a phrase, quotes doubled),
        // LIKE below that (`search::sqlite_like`). PostgreSQL's index is asked for the
        // query's rare part, the whole query checked on what it finds (see
        // `search::index_piece`); a query of one or two characters asks the index of
        // characters and pairs (`search_grams`), which no trigram can answer.
        query = match conn {
            DbConnection::Postgres(_) if crate::search::is_gram(text) => query.filter(
                sql::<Bool>("projects.id IN (SELECT object_id FROM search_entries WHERE kind = 'project' AND ")
                    .sql(crate::search::GRAMS_CHECK)
                    .bind::<Text, _>(text.clone())
                    .sql(")] AND text ")
                    .sql(crate::search::pg_like(text))
                    .sql(" ")
                    .bind::<Text, _>(crate::search::like_pattern(text))
                    .sql(" ESCAPE '\\')"),
            ),
            DbConnection::Postgres(_) => {
                let piece = crate::search::index_piece(text);
                let found = sql::<Bool>(
                    "projects.id IN (SELECT object_id FROM search_entries WHERE kind = 'project' AND text ",
                )
                .sql(crate::search::pg_like(text))
                .sql(" ")
                .bind::<Text, _>(crate::search::like_pattern(piece.as_deref().unwrap_or(text)))
                .sql(" ESCAPE '\\'");
                match piece {
                    Some(_) => query.filter(
                        found
                            .sql(" AND ")
                            .sql(crate::search::pg_whole_query_check(text))
                            .bind::<Text, _>(text.clone())
                            .sql(")) > 0)"),
                    ),
                    None => query.filter(found.sql(")")),
                }
            }
            DbConnection::Sqlite(_) if text.chars().count() >= 3 => query.filter(
                sql::<Bool>(
                    "projects.id IN (SELECT s.object_id FROM search_trigrams f CROSS JOIN search_entries s \
                     ON s.id = f.rowid WHERE search_trigrams MATCH ",
                )
                .bind::<Text, _>(format!("\"{}\"", text.replace('"', "\"\"")))
                .sql(" AND s.kind = 'project')"),
            ),
            DbConnection::Sqlite(_) => {
                let (column, pattern) = crate::search::sqlite_like(text);
                query.filter(
                    sql::<Bool>("projects.id IN (SELECT object_id FROM search_entries WHERE kind = 'project' AND ")
                        .sql(column)
                        .sql(" LIKE ")
                        .bind::<Text, _>(pattern)
                        .sql(" ESCAPE '\\')"),
                )
            }
        };
    }
    if let Some(after) = after {
        query = query.filter(projects::id.gt(after.to_owned()));
    }
    query.limit(limit).load(conn).map_err(StoreError::from)
}

/// Sets the regulator and status if the stored version is still `expected_version`.
pub fn set_regulator(
    conn: &mut DbConnection,
    id: &str,
    regulator_id: &str,
    status: &str,
    at: NaiveDateTime,
    expected_version: i64,
) -> Result<bool, StoreError> {
    let changed =
        diesel::update(projects::table.filter(projects::id.eq(id)).filter(projects::version.eq(expected_version)))
            .set((
                projects::regulator_id.eq(regulator_id),
                projects::status.eq(status),
                projects::updated_at.eq(at),
                projects::version.eq(expected_version + 1),
            ))
            .execute(conn)?;
    Ok(changed == 1)
}

/// Sets the status if the stored version is still `expected_version`.
pub fn set_status(
    conn: &mut DbConnection,
    id: &str,
    status: &str,
    at: NaiveDateTime,
    expected_version: i64,
) -> Result<bool, StoreError> {
    let changed =
        diesel::update(projects::table.filter(projects::id.eq(id)).filter(projects::version.eq(expected_version)))
            .set((projects::status.eq(status), projects::updated_at.eq(at), projects::version.eq(expected_version + 1)))
            .execute(conn)?;
    Ok(changed == 1)
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = commissions)]
pub struct CommissionRow {
    pub id: String,
    pub project_id: String,
    pub agency_id: String,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = commission_agents)]
pub struct CommissionAgentRow {
    pub id: i64,
    pub commission_id: String,
    pub person_id: String,
    pub added_at: NaiveDateTime,
    pub removed_at: Option<NaiveDateTime>,
}

pub fn insert_commission(conn: &mut DbConnection, row: &CommissionRow) -> Result<(), StoreError> {
    diesel::insert_into(commissions::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find_commission(conn: &mut DbConnection, id: &str) -> Result<Option<CommissionRow>, StoreError> {
    commissions::table.find(id).select(CommissionRow::as_select()).first(conn).optional().map_err(StoreError::from)
}

/// Commissions of a project that are in force.
pub fn commissions_of(conn: &mut DbConnection, project_id: &str) -> Result<Vec<CommissionRow>, StoreError> {
    commissions::table
        .filter(commissions::project_id.eq(project_id))
        .filter(commissions::revoked_at.is_null())
        .select(CommissionRow::as_select())
        .order(commissions::created_at.asc())
        .load(conn)
        .map_err(StoreError::from)
}

/// Commissions in force on any of these projects, oldest first, each with the persons of
/// its current agents (in the order they were named): one read for a page of project views.
pub fn commissions_with_agents(
    conn: &mut DbConnection,
    project_ids: &[String],
) -> Result<Vec<(CommissionRow, Vec<String>)>, StoreError> {
    if project_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(CommissionRow, Option<String>)> = commissions::table
        .left_join(
            commission_agents::table
                .on(commission_agents::commission_id.eq(commissions::id).and(commission_agents::removed_at.is_null())),
        )
        .filter(in_ids(commissions::project_id, project_ids))
        .filter(commissions::revoked_at.is_null())
        .select((CommissionRow::as_select(), commission_agents::person_id.nullable()))
        .order((commissions::created_at.asc(), commissions::id.asc(), commission_agents::id.asc()))
        .load(conn)?;
    let mut commissions: Vec<(CommissionRow, Vec<String>)> = Vec::new();
    for (commission, agent) in rows {
        match commissions.last_mut() {
            Some((last, agents)) if last.id == commission.id => agents.extend(agent),
            _ => commissions.push((commission, agent.into_iter().collect())),
        }
    }
    Ok(commissions)
}

/// The agents currently acting under a commission.
pub fn current_agents(conn: &mut DbConnection, commission_id: &str) -> Result<Vec<CommissionAgentRow>, StoreError> {
    commission_agents::table
        .filter(commission_agents::commission_id.eq(commission_id))
        .filter(commission_agents::removed_at.is_null())
        .select(CommissionAgentRow::as_select())
        .order(commission_agents::id.asc())
        .load(conn)
        .map_err(StoreError::from)
}

/// The persons named agents of a project's commissions in force (the tenderer's side),
/// commission by commission in the order they were named.
pub fn agent_persons(conn: &mut DbConnection, project_id: &str) -> Result<Vec<String>, StoreError> {
    let mut persons = Vec::new();
    for commission in commissions_of(conn, project_id)? {
        persons.extend(current_agents(conn, &commission.id)?.into_iter().map(|agent| agent.person_id));
    }
    Ok(persons)
}

pub fn add_agent(
    conn: &mut DbConnection,
    commission_id: &str,
    person_id: &str,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::insert_into(commission_agents::table)
        .values((
            commission_agents::commission_id.eq(commission_id),
            commission_agents::person_id.eq(person_id),
            commission_agents::added_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn remove_agent(
    conn: &mut DbConnection,
    commission_id: &str,
    person_id: &str,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::update(
        commission_agents::table
            .filter(commission_agents::commission_id.eq(commission_id))
            .filter(commission_agents::person_id.eq(person_id))
            .filter(commission_agents::removed_at.is_null()),
    )
    .set(commission_agents::removed_at.eq(Some(at)))
    .execute(conn)?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = direct_awards)]
pub struct DirectAwardRow {
    pub id: String,
    pub project_id: String,
    pub contractor_id: String,
    pub amount: i64,
    pub reported_at: NaiveDateTime,
    pub publicity_end: NaiveDateTime,
    pub publicity_end_day: NaiveDate,
    pub rule_id: String,
}

pub fn insert_direct_award(conn: &mut DbConnection, row: &DirectAwardRow) -> Result<(), StoreError> {
    diesel::insert_into(direct_awards::table).values(row).execute(conn)?;
    Ok(())
}

pub fn direct_award_of(conn: &mut DbConnection, project_id: &str) -> Result<Option<DirectAwardRow>, StoreError> {
    direct_awards::table
        .filter(direct_awards::project_id.eq(project_id))
        .select(DirectAwardRow::as_select())
        .first(conn)
        .optional()
        .map_err(StoreError::from)
}

/// The direct awards of any of these projects (at most one each).
pub fn direct_awards_of(conn: &mut DbConnection, project_ids: &[String]) -> Result<Vec<DirectAwardRow>, StoreError> {
    if project_ids.is_empty() {
        return Ok(Vec::new());
    }
    direct_awards::table
        .filter(in_ids(direct_awards::project_id, project_ids))
        .select(DirectAwardRow::as_select())
        .load(conn)
        .map_err(StoreError::from)
}

/// Direct awards in the order of their ids (time-ordered), each with its project and its
/// contractor, for public listing.
pub fn list_direct_awards(
    conn: &mut DbConnection,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<(DirectAwardRow, ProjectRow, ParticipantRow)>, StoreError> {
    let mut query = direct_awards::table
        .inner_join(projects::table.on(projects::id.eq(direct_awards::project_id)))
        .inner_join(participants::table.on(participants::id.eq(direct_awards::contractor_id)))
        .select((DirectAwardRow::as_select(), ProjectRow::as_select(), ParticipantRow::as_select()))
        .order(direct_awards::id.asc())
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(direct_awards::id.gt(after.to_owned()));
    }
    query.limit(limit).load(conn).map_err(StoreError::from)
}

/// Projects each read once however often they are asked for, as a pass over many records of
/// the same projects (the recount of every running clock) asks for them.
#[derive(Debug, Default)]
pub struct ProjectCache(std::collections::HashMap<String, ProjectRow>);

impl ProjectCache {
    /// A project by id.
    pub fn find(&mut self, conn: &mut DbConnection, id: &str) -> Result<Option<ProjectRow>, StoreError> {
        if let Some(found) = self.0.get(id) {
            return Ok(Some(found.clone()));
        }
        let found = find(conn, id)?;
        if let Some(project) = &found {
            self.0.insert(id.to_owned(), project.clone());
        }
        Ok(found)
    }

    /// The project of a section.
    pub fn of_section(&mut self, conn: &mut DbConnection, section_id: &str) -> Result<Option<ProjectRow>, StoreError> {
        let Some(section) = section(conn, section_id)? else { return Ok(None) };
        self.find(conn, &section.project_id)
    }
}

pub fn section(conn: &mut DbConnection, id: &str) -> Result<Option<SectionRow>, StoreError> {
    sections::table.find(id).select(SectionRow::as_select()).first(conn).optional().map_err(StoreError::from)
}

/// A section and the project it belongs to, read one after the other; `None` when either
/// is missing.
pub fn section_and_project(
    conn: &mut DbConnection,
    section_id: &str,
) -> Result<Option<(SectionRow, ProjectRow)>, StoreError> {
    let Some(section) = section(conn, section_id)? else { return Ok(None) };
    Ok(find(conn, &section.project_id)?.map(|project| (section, project)))
}

/// Moves the end of a direct award's publicity (instant and Beijing date).
pub fn set_direct_award_publicity_end(
    conn: &mut DbConnection,
    id: &str,
    due: NaiveDateTime,
    day: NaiveDate,
) -> Result<(), StoreError> {
    diesel::update(direct_awards::table.find(id))
        .set((direct_awards::publicity_end.eq(due), direct_awards::publicity_end_day.eq(day)))
        .execute(conn)?;
    Ok(())
}

/// Direct awards whose publicity has not ended at `now`.
pub fn direct_awards_in_publicity(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> Result<Vec<DirectAwardRow>, StoreError> {
    direct_awards::table
        .filter(direct_awards::publicity_end.gt(now))
        .select(DirectAwardRow::as_select())
        .load(conn)
        .map_err(Into::into)
}

/// What is stored about one section that decides its phase.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SectionFacts {
    pub announced: bool,
    pub opening_outcome: Option<String>,
    pub committee_drawn: bool,
    pub candidates_published: bool,
    pub awarded: bool,
    pub contracted: bool,
    /// A listing sells it (its phase is the listing's, read with the listing).
    pub listed: bool,
}

/// What a page of project views reads besides the projects, each read once for the whole
/// page.
#[derive(Debug, Default)]
pub struct PageReads {
    /// Each project's sections, by project id, in their order.
    pub sections: std::collections::HashMap<String, Vec<SectionRow>>,
    /// The projects under an open suspension.
    pub suspended: std::collections::HashSet<String>,
    /// Each section's phase facts, by section id.
    pub facts: std::collections::HashMap<String, SectionFacts>,
    /// The service owners' names, by staff id.
    pub owners: std::collections::HashMap<String, String>,
    /// Each project's commissions with their agents' ids, by project id.
    pub commissions: std::collections::HashMap<String, Vec<(CommissionRow, Vec<String>)>>,
    /// Each project's direct award, by project id.
    pub awards: std::collections::HashMap<String, DirectAwardRow>,
    /// The years whose official calendar is loaded; read only when the page has an award.
    pub official_years: Vec<i32>,
}

/// The sections, phase facts, owners, commissions with agents and direct awards of these
/// projects, each kind in one go: the sections, then one statement of facts (phases,
/// suspensions, owners' names, and which projects have a commission or a direct award),
/// then the commissions and the awards of only the projects that have one, so a page
/// without either pays three round trips.
pub fn page_reads(conn: &mut DbConnection, projects: &[ProjectRow]) -> Result<PageReads, StoreError> {
    let project_ids: Vec<String> = projects.iter().map(|p| p.id.clone()).collect();
    let mut read = PageReads::default();
    for section in sections_of_projects(conn, &project_ids)? {
        read.sections.entry(section.project_id.clone()).or_default().push(section);
    }
    let section_ids: Vec<String> = read.sections.values().flatten().map(|s| s.id.clone()).collect();
    let owner_ids: Vec<String> = projects.iter().map(|p| p.service_owner_id.clone()).collect();
    let facts = page_facts(conn, &project_ids, &section_ids, &owner_ids)?;
    (read.suspended, read.facts, read.owners) = (facts.suspended, facts.sections, facts.owners);
    let commissioned: Vec<String> = project_ids.iter().filter(|id| facts.commissioned.contains(*id)).cloned().collect();
    for (commission, agents) in commissions_with_agents(conn, &commissioned)? {
        read.commissions.entry(commission.project_id.clone()).or_default().push((commission, agents));
    }
    let awarded: Vec<String> = project_ids.iter().filter(|id| facts.directly_awarded.contains(*id)).cloned().collect();
    read.awards = direct_awards_of(conn, &awarded)?.into_iter().map(|a| (a.project_id.clone(), a)).collect();
    if !read.awards.is_empty() {
        read.official_years = crate::calendar::official_years(conn)?;
    }
    Ok(read)
}

/// What one statement tells of a page of projects (see [`page_facts`]).
#[derive(Debug, Default)]
pub struct PageFacts {
    /// The projects under an open suspension.
    pub suspended: std::collections::HashSet<String>,
    /// Each section's phase facts, by section id (every section asked has an entry).
    pub sections: std::collections::HashMap<String, SectionFacts>,
    /// The names of the staff asked, by id.
    pub owners: std::collections::HashMap<String, String>,
    /// The projects with a commission not revoked.
    pub commissioned: std::collections::HashSet<String>,
    /// The projects with a direct award.
    pub directly_awarded: std::collections::HashSet<String>,
}

/// The phase facts of these sections, which of these projects are suspended now, have a
/// live commission or a direct award, and the names of these staff, in one statement: each
/// table answers `(key, fact, value)` rows for the ids asked, joined by UNION ALL, so a
/// page of project views pays one round trip for all of them.
pub fn page_facts(
    conn: &mut DbConnection,
    project_ids: &[String],
    section_ids: &[String],
    staff_ids: &[String],
) -> Result<PageFacts, StoreError> {
    use crate::schema::{expert_draws, listings, openings, section_results, section_terms, staff, suspensions};
    use diesel::sql_types::{Integer, Nullable, Text};
    const SUSPENDED: i32 = 0;
    const ANNOUNCED: i32 = 1;
    const OPENED: i32 = 2;
    const DRAWN: i32 = 3;
    const RESULT: i32 = 4;
    const AWARDED: i32 = 5;
    const CONTRACTED: i32 = 6;
    const LISTED: i32 = 7;
    const STAFF_NAME: i32 = 8;
    const COMMISSIONED: i32 = 9;
    const DIRECTLY_AWARDED: i32 = 10;
    let mut found = PageFacts {
        sections: section_ids.iter().map(|id| (id.clone(), SectionFacts::default())).collect(),
        ..PageFacts::default()
    };
    if project_ids.is_empty() && section_ids.is_empty() && staff_ids.is_empty() {
        return Ok(found);
    }
    // Bound rather than literal values: a statement with SQL literals is not cached, so it
    // would be parsed and planned again on every read.
    let fact = |n: i32| n.into_sql::<Integer>();
    let no_value = || None::<String>.into_sql::<Nullable<Text>>();
    let query = suspensions::table
        .filter(in_ids(suspensions::project_id, project_ids))
        .filter(suspensions::resumed_at.is_null())
        .select((suspensions::project_id, fact(SUSPENDED), no_value()))
        .union_all(
            commissions::table
                .filter(in_ids(commissions::project_id, project_ids))
                .filter(commissions::revoked_at.is_null())
                .select((commissions::project_id, fact(COMMISSIONED), no_value())),
        )
        .union_all(direct_awards::table.filter(in_ids(direct_awards::project_id, project_ids)).select((
            direct_awards::project_id,
            fact(DIRECTLY_AWARDED),
            no_value(),
        )))
        .union_all(staff::table.filter(in_ids(staff::id, staff_ids)).select((
            staff::id,
            fact(STAFF_NAME),
            staff::name.nullable(),
        )))
        .union_all(section_terms::table.filter(in_ids(section_terms::section_id, section_ids)).select((
            section_terms::section_id,
            fact(ANNOUNCED),
            no_value(),
        )))
        .union_all(openings::table.filter(in_ids(openings::section_id, section_ids)).select((
            openings::section_id,
            fact(OPENED),
            openings::outcome.nullable(),
        )))
        .union_all(expert_draws::table.filter(in_ids(expert_draws::section_id, section_ids)).select((
            expert_draws::section_id,
            fact(DRAWN),
            no_value(),
        )))
        .union_all(section_results::table.filter(in_ids(section_results::section_id, section_ids)).select((
            section_results::section_id,
            fact(RESULT),
            no_value(),
        )))
        .union_all(
            section_results::table
                .filter(in_ids(section_results::section_id, section_ids))
                .filter(section_results::awarded_at.is_not_null())
                .select((section_results::section_id, fact(AWARDED), no_value())),
        )
        .union_all(
            section_results::table
                .filter(in_ids(section_results::section_id, section_ids))
                .filter(section_results::contract_signed_at.is_not_null())
                .select((section_results::section_id, fact(CONTRACTED), no_value())),
        )
        .union_all(listings::table.filter(in_ids(listings::section_id, section_ids)).select((
            listings::section_id,
            fact(LISTED),
            no_value(),
        )));
    // Set operations are each backend's own SQL, so the query is sent on the backend's
    // connection rather than through the multi-backend one.
    let rows: Vec<(String, i32, Option<String>)> = match conn {
        DbConnection::Postgres(pg) => query.load(pg)?,
        DbConnection::Sqlite(sqlite) => query.load(sqlite)?,
    };
    for (key, kind, value) in rows {
        let entry = match kind {
            SUSPENDED => {
                found.suspended.insert(key);
                continue;
            }
            COMMISSIONED => {
                found.commissioned.insert(key);
                continue;
            }
            DIRECTLY_AWARDED => {
                found.directly_awarded.insert(key);
                continue;
            }
            STAFF_NAME => {
                found.owners.insert(key, value.unwrap_or_default());
                continue;
            }
            _ => found.sections.entry(key).or_default(),
        };
        match kind {
            ANNOUNCED => entry.announced = true,
            OPENED => entry.opening_outcome = value,
            DRAWN => entry.committee_drawn = true,
            RESULT => entry.candidates_published = true,
            AWARDED => entry.awarded = true,
            CONTRACTED => entry.contracted = true,
            _ => entry.listed = true,
        }
    }
    Ok(found)
}
