//! Violation cases with their departments, declared relations of persons, and the officials
//! named on projects (recusal).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::id_list::in_ids;
use crate::schema::{person_relations, project_officials, violation_case_departments, violation_cases};
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = violation_cases)]
#[diesel(treat_none_as_null = true)]
pub struct ViolationCaseRow {
    pub id: String,
    pub project_id: Option<String>,
    pub subject_kind: String,
    pub subject_id: String,
    pub suspected_codes: String,
    pub description: String,
    pub evidence: String,
    pub report_id: Option<String>,
    pub reported_by: String,
    pub reporter_org: Option<String>,
    pub reported_at: NaiveDateTime,
    pub status: String,
    pub steps: String,
    pub decision: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub version: i64,
}

pub fn insert_case(conn: &mut DbConnection, row: &ViolationCaseRow, lead: &str) -> Result<(), StoreError> {
    diesel::insert_into(violation_cases::table).values(row).execute(conn)?;
    diesel::insert_into(violation_case_departments::table)
        .values((
            violation_case_departments::case_id.eq(&row.id),
            violation_case_departments::department_id.eq(lead),
            violation_case_departments::part.eq("lead"),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn find_case(conn: &mut DbConnection, id: &str) -> Result<Option<ViolationCaseRow>, StoreError> {
    violation_cases::table
        .find(id)
        .select(ViolationCaseRow::as_select())
        .first(conn)
        .optional()
        .map_err(StoreError::from)
}

/// Writes the case if nobody changed it since `row.version - 1` was read; false otherwise.
pub fn update_case(conn: &mut DbConnection, row: &ViolationCaseRow) -> Result<bool, StoreError> {
    let changed = diesel::update(
        violation_cases::table
            .filter(violation_cases::id.eq(&row.id))
            .filter(violation_cases::version.eq(row.version - 1)),
    )
    .set(row)
    .execute(conn)?;
    Ok(changed == 1)
}

/// (department, part) of a case, the lead first.
pub fn departments_of(conn: &mut DbConnection, case_id: &str) -> Result<Vec<(String, String)>, StoreError> {
    let mut rows: Vec<(String, String)> = violation_case_departments::table
        .filter(violation_case_departments::case_id.eq(case_id))
        .select((violation_case_departments::department_id, violation_case_departments::part))
        .order(violation_case_departments::department_id.asc())
        .load(conn)?;
    rows.sort_by_key(|(_, part)| part != "lead");
    Ok(rows)
}

pub fn add_joint_department(conn: &mut DbConnection, case_id: &str, department_id: &str) -> Result<(), StoreError> {
    diesel::insert_into(violation_case_departments::table)
        .values((
            violation_case_departments::case_id.eq(case_id),
            violation_case_departments::department_id.eq(department_id),
            violation_case_departments::part.eq("joint"),
        ))
        .execute(conn)?;
    Ok(())
}

/// Cases in id order after `after`; `department` limits them to the cases it leads or
/// joins, `reporter_org` to those its organisation reported.
pub fn list_cases(
    conn: &mut DbConnection,
    department: Option<&str>,
    reporter_org: Option<&str>,
    status: Option<&str>,
    project_id: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<ViolationCaseRow>, StoreError> {
    let mut query = violation_cases::table.select(ViolationCaseRow::as_select()).into_boxed();
    if let Some(department) = department {
        let joined = violation_case_departments::table
            .filter(violation_case_departments::department_id.eq(department.to_owned()))
            .select(violation_case_departments::case_id);
        query = query.filter(violation_cases::id.eq_any(joined));
    }
    if let Some(org) = reporter_org {
        query = query.filter(violation_cases::reporter_org.eq(org.to_owned()));
    }
    if let Some(status) = status {
        query = query.filter(violation_cases::status.eq(status.to_owned()));
    }
    if let Some(project) = project_id {
        query = query.filter(violation_cases::project_id.eq(project.to_owned()));
    }
    if let Some(after) = after {
        query = query.filter(violation_cases::id.gt(after.to_owned()));
    }
    query.order(violation_cases::id.asc()).limit(limit).load(conn).map_err(StoreError::from)
}

/// Declares (or restates) a person's relation with a participant.
pub fn declare_relation(
    conn: &mut DbConnection,
    person_id: &str,
    participant_id: &str,
    relation: &str,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::delete(
        person_relations::table
            .filter(person_relations::person_id.eq(person_id))
            .filter(person_relations::participant_id.eq(participant_id)),
    )
    .execute(conn)?;
    diesel::insert_into(person_relations::table)
        .values((
            person_relations::person_id.eq(person_id),
            person_relations::participant_id.eq(participant_id),
            person_relations::relation.eq(relation),
            person_relations::declared_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// (participant, relation) pairs a person declared.
pub fn relations_of(conn: &mut DbConnection, person_id: &str) -> Result<Vec<(String, String)>, StoreError> {
    person_relations::table
        .filter(person_relations::person_id.eq(person_id))
        .select((person_relations::participant_id, person_relations::relation))
        .order(person_relations::participant_id.asc())
        .load(conn)
        .map_err(StoreError::from)
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = project_officials)]
pub struct OfficialRow {
    pub id: String,
    pub project_id: String,
    pub person_id: String,
    pub role: String,
    pub named_by: String,
    pub named_at: NaiveDateTime,
    pub withdrawn_at: Option<NaiveDateTime>,
    pub withdrawn_reason: Option<String>,
}

pub fn insert_official(conn: &mut DbConnection, row: &OfficialRow) -> Result<(), StoreError> {
    diesel::insert_into(project_officials::table).values(row).execute(conn)?;
    Ok(())
}

pub fn officials_of(conn: &mut DbConnection, project_id: &str) -> Result<Vec<OfficialRow>, StoreError> {
    project_officials::table
        .filter(project_officials::project_id.eq(project_id))
        .select(OfficialRow::as_select())
        .order((project_officials::named_at.asc(), project_officials::id.asc()))
        .load(conn)
        .map_err(StoreError::from)
}

pub fn find_official(conn: &mut DbConnection, id: &str) -> Result<Option<OfficialRow>, StoreError> {
    project_officials::table.find(id).select(OfficialRow::as_select()).first(conn).optional().map_err(StoreError::from)
}

/// Marks an official as stepped aside; false if already withdrawn.
pub fn withdraw_official(
    conn: &mut DbConnection,
    id: &str,
    at: NaiveDateTime,
    reason: &str,
) -> Result<bool, StoreError> {
    let changed = diesel::update(
        project_officials::table.filter(project_officials::id.eq(id)).filter(project_officials::withdrawn_at.is_null()),
    )
    .set((project_officials::withdrawn_at.eq(Some(at)), project_officials::withdrawn_reason.eq(Some(reason))))
    .execute(conn)?;
    Ok(changed == 1)
}

/// The participants a person is the registered legal representative of.
pub fn represented_by(conn: &mut DbConnection, person_id: &str) -> Result<Vec<String>, StoreError> {
    crate::schema::participants::table
        .filter(crate::schema::participants::legal_representative_person_id.eq(person_id))
        .select(crate::schema::participants::id)
        .order(crate::schema::participants::id.asc())
        .load(conn)
        .map_err(StoreError::from)
}

/// Persons with a declared relation to this participant.
pub fn persons_related_to(conn: &mut DbConnection, participant_id: &str) -> Result<Vec<String>, StoreError> {
    person_relations::table
        .filter(person_relations::participant_id.eq(participant_id))
        .select(person_relations::person_id)
        .order(person_relations::person_id.asc())
        .load(conn)
        .map_err(StoreError::from)
}

/// The stored kind of each of these departments, in their order (`None` for one missing),
/// read in one query.
pub fn department_kinds(conn: &mut DbConnection, ids: &[String]) -> Result<Vec<Option<String>>, StoreError> {
    use crate::schema::departments;
    let found: std::collections::HashMap<String, String> = departments::table
        .filter(in_ids(departments::id, ids))
        .select((departments::id, departments::kind))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    Ok(ids.iter().map(|id| found.get(id).cloned()).collect())
}
