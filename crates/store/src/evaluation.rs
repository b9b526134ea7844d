//! Experts, draws, scores, results, award and contract.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::schema::{expert_draws, expert_relations, expert_scores, experts, section_results};
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = experts)]
pub struct ExpertRow {
    pub id: String,
    pub name: String,
    pub specialties: String,
    pub employer_id: Option<String>,
    pub active: i32,
    pub restricted_until: Option<NaiveDate>,
    pub restriction_decision: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = expert_draws)]
pub struct DrawRow {
    pub id: String,
    pub section_id: String,
    pub specialty: String,
    pub size: i32,
    pub record: String,
    pub drawn_at: NaiveDateTime,
    pub drawn_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = section_results)]
pub struct ResultRow {
    pub section_id: String,
    pub report: String,
    pub publicity_start: NaiveDateTime,
    pub publicity_end: NaiveDateTime,
    pub winner_id: Option<String>,
    pub awarded_at: Option<NaiveDateTime>,
    pub contract_amount: Option<i64>,
    pub contract_sha256: Option<String>,
    pub contract_signed_at: Option<NaiveDateTime>,
    pub contract_late: Option<i32>,
}

pub fn insert_expert(conn: &mut DbConnection, row: &ExpertRow) -> Result<(), StoreError> {
    diesel::insert_into(experts::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find_expert(conn: &mut DbConnection, id: &str) -> Result<Option<ExpertRow>, StoreError> {
    experts::table.find(id).select(ExpertRow::as_select()).first(conn).optional().map_err(StoreError::from)
}

pub fn all_experts(conn: &mut DbConnection) -> Result<Vec<ExpertRow>, StoreError> {
    experts::table.select(ExpertRow::as_select()).order(experts::id.asc()).load(conn).map_err(StoreError::from)
}

/// Which experts a page of the pool shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExpertFilter {
    /// Experts with this specialty among theirs.
    pub specialty: Option<String>,
    pub active: Option<bool>,
    /// Restricted (barred from draws) on this day, or not.
    pub restricted_on: Option<(NaiveDate, bool)>,
    /// A part of the name.
    pub name: Option<String>,
}

#[diesel::declare_sql_function]
extern "SQL" {
    /// Lower case, applied to both the column and the pattern so that each backend folds
    /// them alike (SQLite: ASCII letters only; PostgreSQL: by the database's locale).
    fn lower(text: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// A page of the expert pool by id.
pub fn experts_page(
    conn: &mut DbConnection,
    filter: &ExpertFilter,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<ExpertRow>, StoreError> {
    let mut query = experts::table.select(ExpertRow::as_select()).order(experts::id.asc()).into_boxed();
    if let Some(specialty) = &filter.specialty {
        // Specialties are stored comma-joined (a code never holds a comma): a whole code
        // is matched, first, last, in the middle or alone.
        let code = crate::search::escape_like(specialty);
        let column = || lower(experts::specialties);
        query = query.filter(
            column()
                .like(lower(code.clone()))
                .escape('\\')
                .or(column().like(lower(format!("{code},%"))).escape('\\'))
                .or(column().like(lower(format!("%,{code}"))).escape('\\'))
                .or(column().like(lower(format!("%,{code},%"))).escape('\\')),
        );
    }
    if let Some(active) = filter.active {
        query = query.filter(experts::active.eq(i32::from(active)));
    }
    match filter.restricted_on {
        Some((day, true)) => query = query.filter(experts::restricted_until.ge(day)),
        Some((day, false)) => {
            query = query.filter(experts::restricted_until.is_null().or(experts::restricted_until.lt(day)))
        }
        None => {}
    }
    if let Some(name) = &filter.name {
        let part = crate::search::escape_like(name);
        query = query.filter(lower(experts::name).like(lower(format!("%{part}%"))).escape('\\'));
    }
    if let Some(after) = after {
        query = query.filter(experts::id.gt(after.to_owned()));
    }
    query.limit(limit).load(conn).map_err(StoreError::from)
}

pub fn restrict_expert(conn: &mut DbConnection, id: &str, until: NaiveDate, decision: &str) -> Result<(), StoreError> {
    diesel::update(experts::table.find(id))
        .set((experts::restricted_until.eq(Some(until)), experts::restriction_decision.eq(Some(decision))))
        .execute(conn)?;
    Ok(())
}

pub fn insert_relation(
    conn: &mut DbConnection,
    expert_id: &str,
    participant_id: &str,
    relation: &str,
) -> Result<(), StoreError> {
    diesel::insert_into(expert_relations::table)
        .values((
            expert_relations::expert_id.eq(expert_id),
            expert_relations::participant_id.eq(participant_id),
            expert_relations::relation.eq(relation),
        ))
        .execute(conn)?;
    Ok(())
}

/// (expert id, participant id) of every declared relation.
pub fn relations(conn: &mut DbConnection) -> Result<Vec<(String, String)>, StoreError> {
    expert_relations::table
        .select((expert_relations::expert_id, expert_relations::participant_id))
        .load(conn)
        .map_err(StoreError::from)
}

pub fn insert_draw(conn: &mut DbConnection, row: &DrawRow) -> Result<(), StoreError> {
    diesel::insert_into(expert_draws::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find_draw(conn: &mut DbConnection, id: &str) -> Result<Option<DrawRow>, StoreError> {
    expert_draws::table.find(id).select(DrawRow::as_select()).first(conn).optional().map_err(StoreError::from)
}

pub fn draws_of(conn: &mut DbConnection, section_id: &str) -> Result<Vec<DrawRow>, StoreError> {
    expert_draws::table
        .filter(expert_draws::section_id.eq(section_id))
        .select(DrawRow::as_select())
        .order(expert_draws::drawn_at.asc())
        .load(conn)
        .map_err(StoreError::from)
}

pub fn update_draw_record(conn: &mut DbConnection, id: &str, record: &str) -> Result<(), StoreError> {
    diesel::update(expert_draws::table.find(id)).set(expert_draws::record.eq(record)).execute(conn)?;
    Ok(())
}

pub fn insert_scores(
    conn: &mut DbConnection,
    section_id: &str,
    expert_id: &str,
    scores: &str,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::insert_into(expert_scores::table)
        .values((
            expert_scores::section_id.eq(section_id),
            expert_scores::expert_id.eq(expert_id),
            expert_scores::scores.eq(scores),
            expert_scores::submitted_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// (expert id, scores JSON) of a section.
pub fn scores_of(conn: &mut DbConnection, section_id: &str) -> Result<Vec<(String, String)>, StoreError> {
    expert_scores::table
        .filter(expert_scores::section_id.eq(section_id))
        .select((expert_scores::expert_id, expert_scores::scores))
        .load(conn)
        .map_err(StoreError::from)
}

pub fn insert_result(conn: &mut DbConnection, row: &ResultRow) -> Result<(), StoreError> {
    diesel::insert_into(section_results::table).values(row).execute(conn)?;
    Ok(())
}

pub fn result(conn: &mut DbConnection, section_id: &str) -> Result<Option<ResultRow>, StoreError> {
    section_results::table
        .find(section_id)
        .select(ResultRow::as_select())
        .first(conn)
        .optional()
        .map_err(StoreError::from)
}

pub fn all_results(conn: &mut DbConnection) -> Result<Vec<ResultRow>, StoreError> {
    section_results::table
        .select(ResultRow::as_select())
        .order(section_results::section_id.asc())
        .load(conn)
        .map_err(StoreError::from)
}

pub fn set_award(
    conn: &mut DbConnection,
    section_id: &str,
    winner_id: &str,
    at: NaiveDateTime,
) -> Result<bool, StoreError> {
    let changed = diesel::update(section_results::table.find(section_id).filter(section_results::winner_id.is_null()))
        .set((section_results::winner_id.eq(Some(winner_id)), section_results::awarded_at.eq(Some(at))))
        .execute(conn)?;
    Ok(changed == 1)
}

pub fn set_contract(
    conn: &mut DbConnection,
    section_id: &str,
    amount: i64,
    sha256: &str,
    at: NaiveDateTime,
    late: bool,
) -> Result<bool, StoreError> {
    let changed =
        diesel::update(section_results::table.find(section_id).filter(section_results::contract_signed_at.is_null()))
            .set((
                section_results::contract_amount.eq(Some(amount)),
                section_results::contract_sha256.eq(Some(sha256)),
                section_results::contract_signed_at.eq(Some(at)),
                section_results::contract_late.eq(Some(i32::from(late))),
            ))
            .execute(conn)?;
    Ok(changed == 1)
}

/// Moves the end of a section's candidate publicity.
pub fn set_candidate_publicity_end(
    conn: &mut DbConnection,
    section_id: &str,
    due: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::update(section_results::table.find(section_id))
        .set(section_results::publicity_end.eq(due))
        .execute(conn)?;
    Ok(())
}

/// The draws whose record names the expert anywhere (candidate, selected, recused or
/// replacement), newest first: the candidates of the expert's committees, which the caller
/// narrows to the committees the expert sits on now.
pub fn draws_naming(conn: &mut DbConnection, expert_id: &str) -> Result<Vec<DrawRow>, StoreError> {
    expert_draws::table
        .filter(expert_draws::record.like(format!("%\"{expert_id}\"%")))
        .select(DrawRow::as_select())
        .order((expert_draws::drawn_at.desc(), expert_draws::id.desc()))
        .load(conn)
        .map_err(StoreError::from)
}

/// The draws naming the expert that are still the latest of their section, newest first: a
/// draw replaced by a later one seats nobody any more.
pub fn latest_draws_naming(conn: &mut DbConnection, expert_id: &str) -> Result<Vec<DrawRow>, StoreError> {
    let mut latest = Vec::new();
    for row in draws_naming(conn, expert_id)? {
        if draws_of(conn, &row.section_id)?.pop().map(|d| d.id).as_deref() == Some(row.id.as_str()) {
            latest.push(row);
        }
    }
    Ok(latest)
}

/// When the expert submitted its scores for the section, if it has.
pub fn scores_submitted_at(
    conn: &mut DbConnection,
    section_id: &str,
    expert_id: &str,
) -> Result<Option<NaiveDateTime>, StoreError> {
    expert_scores::table
        .find((section_id, expert_id))
        .select(expert_scores::submitted_at)
        .first(conn)
        .optional()
        .map_err(StoreError::from)
}

/// A page of draws, newest first (ids are time-ordered), of one section or all in scope.
pub fn draws_page(
    conn: &mut DbConnection,
    scope: &crate::projects::ProjectScope,
    section_id: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<DrawRow>, StoreError> {
    use crate::projects::ProjectScope;
    use crate::schema::{commissions, projects, sections};
    let mut query = expert_draws::table.select(DrawRow::as_select()).order(expert_draws::id.desc()).into_boxed();
    match scope {
        ProjectScope::All => {}
        ProjectScope::Tenderer(id) => {
            let own = projects::table.filter(projects::tenderer_id.eq(id.clone())).select(projects::id);
            query = query.filter(
                expert_draws::section_id
                    .eq_any(sections::table.filter(sections::project_id.eq_any(own)).select(sections::id)),
            );
        }
        ProjectScope::Regulator(id) => {
            let supervised = projects::table.filter(projects::regulator_id.eq(id.clone())).select(projects::id);
            query = query.filter(
                expert_draws::section_id
                    .eq_any(sections::table.filter(sections::project_id.eq_any(supervised)).select(sections::id)),
            );
        }
        ProjectScope::Agency(id) => {
            let commissioned = commissions::table
                .filter(commissions::agency_id.eq(id.clone()))
                .filter(commissions::revoked_at.is_null())
                .select(commissions::project_id);
            query =
                query
                    .filter(expert_draws::section_id.eq_any(
                        sections::table.filter(sections::project_id.eq_any(commissioned)).select(sections::id),
                    ));
        }
        // Committees are never a bidder's to list (the policy refuses it first).
        ProjectScope::Bidder(_) => query = query.filter(diesel::dsl::sql::<diesel::sql_types::Bool>("1 = 0")),
    }
    if let Some(section_id) = section_id {
        query = query.filter(expert_draws::section_id.eq(section_id.to_owned()));
    }
    if let Some(after) = after {
        query = query.filter(expert_draws::id.lt(after.to_owned()));
    }
    query.limit(limit).load(conn).map_err(StoreError::from)
}

/// Where a committee an expert sits on stands: its section and project, whether the
/// section's report is recorded, and when the expert submitted its scores, if it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitteeFacts {
    pub section: crate::projects::SectionRow,
    pub project: crate::projects::ProjectRow,
    pub reported: bool,
    pub scores_submitted_at: Option<NaiveDateTime>,
}

/// The facts of the committee of a section for one of its experts; `None` when the section
/// or its project does not exist.
pub fn committee_facts(
    conn: &mut DbConnection,
    section_id: &str,
    expert_id: &str,
) -> Result<Option<CommitteeFacts>, StoreError> {
    let Some((section, project)) = crate::projects::section_and_project(conn, section_id)? else { return Ok(None) };
    let reported = result(conn, section_id)?.is_some();
    let scores_submitted_at = scores_submitted_at(conn, section_id, expert_id)?;
    Ok(Some(CommitteeFacts { section, project, reported, scores_submitted_at }))
}

/// What a committee's report is decided on: the section's latest draw, every member's
/// scores (expert id, scores JSON), whether a report is already recorded, and the bidders
/// whose bids the committee rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportReads {
    pub latest_draw: Option<DrawRow>,
    pub scores: Vec<(String, String)>,
    pub recorded: bool,
    pub rejected: Vec<String>,
}

/// The reads of a section's report.
pub fn report_reads(conn: &mut DbConnection, section_id: &str) -> Result<ReportReads, StoreError> {
    Ok(ReportReads {
        latest_draw: draws_of(conn, section_id)?.pop(),
        scores: scores_of(conn, section_id)?,
        recorded: result(conn, section_id)?.is_some(),
        rejected: crate::risk::rejections_of(conn, section_id)?.into_iter().map(|(bidder, _)| bidder).collect(),
    })
}

/// What a member's scores are accepted on: the section's latest draw, whether its report
/// is recorded, the bidders of its submitted bids (in submission order), and its project
/// (none when the section is missing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoringReads {
    pub latest_draw: Option<DrawRow>,
    pub reported: bool,
    pub bidders: Vec<String>,
    pub project_id: Option<String>,
}

/// The reads of a member's scores for a section.
pub fn scoring_reads(conn: &mut DbConnection, section_id: &str) -> Result<ScoringReads, StoreError> {
    Ok(ScoringReads {
        latest_draw: draws_of(conn, section_id)?.pop(),
        reported: result(conn, section_id)?.is_some(),
        bidders: crate::bids::submitted(conn, section_id)?.into_iter().map(|bid| bid.bidder_id).collect(),
        project_id: crate::projects::section(conn, section_id)?.map(|section| section.project_id),
    })
}

/// Restricts an expert (see [`restrict_expert`]) and reads it back; `None` when there is no
/// such expert.
pub fn restricted_expert(
    conn: &mut DbConnection,
    id: &str,
    until: NaiveDate,
    decision: &str,
) -> Result<Option<ExpertRow>, StoreError> {
    restrict_expert(conn, id, until, decision)?;
    find_expert(conn, id)
}

/// Who may sit on a section's committee is decided on: whether the section was drawn
/// before, the bidders of its submitted bids (in submission order), the agencies
/// commissioned on its project (oldest first), every declared relation and every expert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawReads {
    pub drawn_before: bool,
    pub bidders: Vec<String>,
    pub agencies: Vec<String>,
    pub relations: Vec<(String, String)>,
    pub experts: Vec<ExpertRow>,
}

/// The reads of a draw of the committee of `section_id` of `project_id`.
pub fn draw_reads(conn: &mut DbConnection, project_id: &str, section_id: &str) -> Result<DrawReads, StoreError> {
    Ok(DrawReads {
        drawn_before: expert_draws::table
            .filter(expert_draws::section_id.eq(section_id))
            .count()
            .get_result::<i64>(conn)?
            > 0,
        bidders: crate::bids::submitted(conn, section_id)?.into_iter().map(|bid| bid.bidder_id).collect(),
        agencies: crate::projects::commissions_of(conn, project_id)?.into_iter().map(|c| c.agency_id).collect(),
        relations: relations(conn)?,
        experts: all_experts(conn)?,
    })
}
