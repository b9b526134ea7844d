//! Credit: commitments, records, restrictions, conduct reports, repair applications, credit
//! policy versions and the log of reads of unpublished records.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::schema::{
    commitment_texts, commitments, conduct_reports, credit_policies, credit_reads, credit_records, repair_applications,
    restrictions,
};
use crate::schema_views::participant_standing;
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = commitment_texts)]
pub struct CommitmentTextRow {
    pub version: i32,
    pub body: String,
    pub effective_from: NaiveDate,
    pub published_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = commitments)]
pub struct CommitmentRow {
    pub id: String,
    pub participant_id: String,
    pub text_version: i32,
    pub signed_on: NaiveDate,
    pub signed_at: NaiveDateTime,
    pub signed_by: String,
    pub revoked_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = credit_records)]
pub struct CreditRecordRow {
    pub id: String,
    pub participant_id: String,
    pub kind: String,
    pub severity: Option<String>,
    pub source: String,
    pub decision: String,
    pub decided_on: NaiveDate,
    pub publication_months: Option<i32>,
    pub repaired_on: Option<NaiveDate>,
    /// `regulator`, `conduct_report` or `court_import`.
    pub origin: String,
    pub external_key: Option<String>,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = restrictions)]
pub struct RestrictionRow {
    pub id: String,
    pub participant_id: String,
    pub kind: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub decision: String,
    pub decided_by: String,
    pub rule_id: String,
    pub recorded_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = conduct_reports)]
pub struct ConductReportRow {
    pub id: String,
    pub participant_id: String,
    pub project_id: Option<String>,
    pub description: String,
    pub reported_by: String,
    pub reported_at: NaiveDateTime,
    pub status: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub record_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = repair_applications)]
pub struct RepairApplicationRow {
    pub id: String,
    pub record_id: String,
    pub participant_id: String,
    pub obligations_proof_sha256: String,
    pub commitment_id: String,
    pub applied_at: NaiveDateTime,
    pub status: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = credit_policies)]
pub struct CreditPolicyRow {
    pub version: i32,
    pub effective_from: NaiveDate,
    pub body: String,
    pub published_at: NaiveDateTime,
    pub published_by: String,
}

pub fn latest_commitment_text(conn: &mut DbConnection) -> Result<Option<CommitmentTextRow>, StoreError> {
    commitment_texts::table
        .select(CommitmentTextRow::as_select())
        .order(commitment_texts::version.desc())
        .first(conn)
        .optional()
        .map_err(StoreError::from)
}

pub fn insert_commitment(conn: &mut DbConnection, row: &CommitmentRow) -> Result<(), StoreError> {
    diesel::insert_into(commitments::table).values(row).execute(conn)?;
    Ok(())
}

pub fn commitments_of(conn: &mut DbConnection, participant_id: &str) -> Result<Vec<CommitmentRow>, StoreError> {
    commitments::table
        .filter(commitments::participant_id.eq(participant_id))
        .select(CommitmentRow::as_select())
        .order(commitments::signed_at.asc())
        .load(conn)
        .map_err(StoreError::from)
}

pub fn find_commitment(conn: &mut DbConnection, id: &str) -> Result<Option<CommitmentRow>, StoreError> {
    commitments::table.find(id).select(CommitmentRow::as_select()).first(conn).optional().map_err(StoreError::from)
}

pub fn insert_record(conn: &mut DbConnection, row: &CreditRecordRow) -> Result<(), StoreError> {
    diesel::insert_into(credit_records::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find_record(conn: &mut DbConnection, id: &str) -> Result<Option<CreditRecordRow>, StoreError> {
    credit_records::table.find(id).select(CreditRecordRow::as_select()).first(conn).optional().map_err(StoreError::from)
}

/// A record, its row locked until the transaction ends on PostgreSQL (SQLite's write
/// transactions are serial already): applications to repair it take turns, so one pending
/// application is seen by the next.
pub fn find_record_for_update(conn: &mut DbConnection, id: &str) -> Result<Option<CreditRecordRow>, StoreError> {
    match conn {
        DbConnection::Postgres(pg) => credit_records::table
            .find(id)
            .select(CreditRecordRow::as_select())
            .for_update()
            .first(pg)
            .optional()
            .map_err(StoreError::from),
        DbConnection::Sqlite(_) => find_record(conn, id),
    }
}

pub fn find_record_by_external_key(conn: &mut DbConnection, key: &str) -> Result<Option<CreditRecordRow>, StoreError> {
    credit_records::table
        .filter(credit_records::external_key.eq(key))
        .select(CreditRecordRow::as_select())
        .first(conn)
        .optional()
        .map_err(StoreError::from)
}

pub fn records_of(conn: &mut DbConnection, participant_id: &str) -> Result<Vec<CreditRecordRow>, StoreError> {
    credit_records::table
        .filter(credit_records::participant_id.eq(participant_id))
        .select(CreditRecordRow::as_select())
        .order((credit_records::decided_on.asc(), credit_records::id.asc()))
        .load(conn)
        .map_err(StoreError::from)
}

/// Bad records decided on or after `since` (every record that can still be public), by id.
pub fn records_decided_since(
    conn: &mut DbConnection,
    since: NaiveDate,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<CreditRecordRow>, StoreError> {
    let mut query = credit_records::table
        .filter(credit_records::decided_on.ge(since))
        .select(CreditRecordRow::as_select())
        .order(credit_records::id.asc())
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(credit_records::id.gt(after.to_owned()));
    }
    query.limit(limit).load(conn).map_err(StoreError::from)
}

/// Walks the records decided on or after `since` in id order from after `after`, a batch
/// at a time, keeping what `keep` makes of each, until `limit` are kept: what was kept and,
/// when a full page was kept, the id of its last record (where the next page starts).
pub fn walk_records_decided_since<T, E: From<StoreError>>(
    conn: &mut DbConnection,
    since: NaiveDate,
    after: Option<String>,
    limit: usize,
    mut keep: impl FnMut(&CreditRecordRow) -> Result<Option<T>, E>,
) -> Result<(Vec<T>, Option<String>), E> {
    const BATCH: i64 = 200;
    let mut kept = Vec::new();
    let mut cursor = after;
    loop {
        let batch = records_decided_since(conn, since, cursor.as_deref(), BATCH)?;
        let exhausted = batch.len() < BATCH as usize;
        for row in &batch {
            cursor = Some(row.id.clone());
            if let Some(item) = keep(row)? {
                kept.push(item);
                if kept.len() == limit {
                    return Ok((kept, Some(row.id.clone())));
                }
            }
        }
        if exhausted {
            return Ok((kept, None));
        }
    }
}

pub fn set_repaired(conn: &mut DbConnection, id: &str, on: NaiveDate) -> Result<(), StoreError> {
    diesel::update(credit_records::table.find(id)).set(credit_records::repaired_on.eq(Some(on))).execute(conn)?;
    Ok(())
}

pub fn insert_restriction(conn: &mut DbConnection, row: &RestrictionRow) -> Result<(), StoreError> {
    diesel::insert_into(restrictions::table).values(row).execute(conn)?;
    Ok(())
}

pub fn restrictions_of(conn: &mut DbConnection, participant_id: &str) -> Result<Vec<RestrictionRow>, StoreError> {
    restrictions::table
        .filter(restrictions::participant_id.eq(participant_id))
        .select(RestrictionRow::as_select())
        .order(restrictions::starts_on.asc())
        .load(conn)
        .map_err(StoreError::from)
}

/// Restrictions still running on `on` (ends_on ≥ on), by id.
pub fn restrictions_running(
    conn: &mut DbConnection,
    on: NaiveDate,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<RestrictionRow>, StoreError> {
    let mut query = restrictions::table
        .filter(restrictions::ends_on.ge(on))
        .filter(restrictions::starts_on.le(on))
        .select(RestrictionRow::as_select())
        .order(restrictions::id.asc())
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(restrictions::id.gt(after.to_owned()));
    }
    query.limit(limit).load(conn).map_err(StoreError::from)
}

pub fn insert_conduct_report(conn: &mut DbConnection, row: &ConductReportRow) -> Result<(), StoreError> {
    diesel::insert_into(conduct_reports::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find_conduct_report(conn: &mut DbConnection, id: &str) -> Result<Option<ConductReportRow>, StoreError> {
    conduct_reports::table
        .find(id)
        .select(ConductReportRow::as_select())
        .first(conn)
        .optional()
        .map_err(StoreError::from)
}

/// Records the decision on a pending report; false when it was decided already.
pub fn decide_conduct_report(
    conn: &mut DbConnection,
    id: &str,
    status: &str,
    decided_by: &str,
    at: NaiveDateTime,
    record_id: Option<&str>,
) -> Result<bool, StoreError> {
    let changed = diesel::update(
        conduct_reports::table.filter(conduct_reports::id.eq(id)).filter(conduct_reports::status.eq("pending")),
    )
    .set((
        conduct_reports::status.eq(status),
        conduct_reports::decided_by.eq(Some(decided_by)),
        conduct_reports::decided_at.eq(Some(at)),
        conduct_reports::record_id.eq(record_id),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Decides a pending report ([`decide_conduct_report`]) and reads it back as decided; none
/// when it was decided already.
pub fn decided_conduct_report(
    conn: &mut DbConnection,
    id: &str,
    status: &str,
    decided_by: &str,
    at: NaiveDateTime,
    record_id: Option<&str>,
) -> Result<Option<ConductReportRow>, StoreError> {
    if !decide_conduct_report(conn, id, status, decided_by, at, record_id)? {
        return Ok(None);
    }
    find_conduct_report(conn, id)
}

pub fn insert_repair_application(conn: &mut DbConnection, row: &RepairApplicationRow) -> Result<(), StoreError> {
    diesel::insert_into(repair_applications::table).values(row).execute(conn)?;
    Ok(())
}

/// The id of the application to repair `record_id` that awaits a decision, if one does.
pub fn pending_repair_application(conn: &mut DbConnection, record_id: &str) -> Result<Option<String>, StoreError> {
    repair_applications::table
        .filter(repair_applications::record_id.eq(record_id))
        .filter(repair_applications::status.eq("pending"))
        .select(repair_applications::id)
        .first(conn)
        .optional()
        .map_err(StoreError::from)
}

pub fn find_repair_application(conn: &mut DbConnection, id: &str) -> Result<Option<RepairApplicationRow>, StoreError> {
    repair_applications::table
        .find(id)
        .select(RepairApplicationRow::as_select())
        .first(conn)
        .optional()
        .map_err(StoreError::from)
}

/// Repair applications newest first, of one participant or all, in one status or all, after
/// a keyset position (applied_at, id).
pub fn repair_applications_page(
    conn: &mut DbConnection,
    participant_id: Option<&str>,
    status: Option<&str>,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> Result<Vec<RepairApplicationRow>, StoreError> {
    let mut query = repair_applications::table
        .select(RepairApplicationRow::as_select())
        .order((repair_applications::applied_at.desc(), repair_applications::id.desc()))
        .into_boxed();
    if let Some(participant_id) = participant_id {
        query = query.filter(repair_applications::participant_id.eq(participant_id.to_owned()));
    }
    if let Some(status) = status {
        query = query.filter(repair_applications::status.eq(status.to_owned()));
    }
    if let Some((at, id)) = after {
        query = query.filter(
            repair_applications::applied_at
                .lt(at)
                .or(repair_applications::applied_at.eq(at).and(repair_applications::id.lt(id))),
        );
    }
    query.limit(limit).load(conn).map_err(StoreError::from)
}

/// The keyset position (applied_at, id) of the application a page starts after, if it
/// exists and is `participant_id`'s (any participant's with `None`).
pub fn repair_application_cursor(
    conn: &mut DbConnection,
    participant_id: Option<&str>,
    id: &str,
) -> Result<Option<(NaiveDateTime, String)>, StoreError> {
    let found = repair_applications::table
        .filter(repair_applications::id.eq(id))
        .select((repair_applications::participant_id, repair_applications::applied_at, repair_applications::id))
        .first::<(String, NaiveDateTime, String)>(conn)
        .optional()?;
    Ok(found.filter(|(owner, ..)| participant_id.is_none_or(|p| p == owner)).map(|(_, at, id)| (at, id)))
}

/// A page of repair applications as [`repair_applications_page`] reads it, starting after
/// the application `after_id` names; `None` when there is no such application of
/// `participant_id` (a cursor no page gave).
pub fn repair_applications_after(
    conn: &mut DbConnection,
    participant_id: Option<&str>,
    status: Option<&str>,
    after_id: Option<&str>,
    limit: i64,
) -> Result<Option<Vec<RepairApplicationRow>>, StoreError> {
    let after = match after_id {
        Some(id) => match repair_application_cursor(conn, participant_id, id)? {
            Some(position) => Some(position),
            None => return Ok(None),
        },
        None => None,
    };
    repair_applications_page(conn, participant_id, status, after, limit).map(Some)
}

/// Records the decision on a pending application; false when it was decided already.
pub fn decide_repair_application(
    conn: &mut DbConnection,
    id: &str,
    status: &str,
    decided_by: &str,
    at: NaiveDateTime,
    reason: Option<&str>,
) -> Result<bool, StoreError> {
    let changed = diesel::update(
        repair_applications::table
            .filter(repair_applications::id.eq(id))
            .filter(repair_applications::status.eq("pending")),
    )
    .set((
        repair_applications::status.eq(status),
        repair_applications::decided_by.eq(Some(decided_by)),
        repair_applications::decided_at.eq(Some(at)),
        repair_applications::reason.eq(reason),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Decides a pending application ([`decide_repair_application`]) and reads it back as
/// decided; none when it was decided already.
pub fn decided_repair_application(
    conn: &mut DbConnection,
    id: &str,
    status: &str,
    decided_by: &str,
    at: NaiveDateTime,
    reason: Option<&str>,
) -> Result<Option<RepairApplicationRow>, StoreError> {
    if !decide_repair_application(conn, id, status, decided_by, at, reason)? {
        return Ok(None);
    }
    find_repair_application(conn, id)
}

pub fn insert_policy(conn: &mut DbConnection, row: &CreditPolicyRow) -> Result<(), StoreError> {
    diesel::insert_into(credit_policies::table).values(row).execute(conn)?;
    Ok(())
}

pub fn policies(conn: &mut DbConnection) -> Result<Vec<CreditPolicyRow>, StoreError> {
    credit_policies::table
        .select(CreditPolicyRow::as_select())
        .order(credit_policies::version.asc())
        .load(conn)
        .map_err(StoreError::from)
}

pub fn log_read(
    conn: &mut DbConnection,
    reader: &str,
    participant_id: &str,
    purpose: &str,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::insert_into(credit_reads::table)
        .values((
            credit_reads::reader.eq(reader),
            credit_reads::participant_id.eq(participant_id),
            credit_reads::purpose.eq(purpose),
            credit_reads::read_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn reads_of(
    conn: &mut DbConnection,
    participant_id: &str,
) -> Result<Vec<(String, String, NaiveDateTime)>, StoreError> {
    credit_reads::table
        .filter(credit_reads::participant_id.eq(participant_id))
        .select((credit_reads::reader, credit_reads::purpose, credit_reads::read_at))
        .order(credit_reads::seq.asc())
        .load(conn)
        .map_err(StoreError::from)
}

/// A page of conduct reports, newest first (ids are time-ordered), in one status or all.
pub fn conduct_reports_page(
    conn: &mut DbConnection,
    regulator_id: Option<&str>,
    status: Option<&str>,
    participant_id: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<ConductReportRow>, StoreError> {
    let mut query =
        conduct_reports::table.select(ConductReportRow::as_select()).order(conduct_reports::id.desc()).into_boxed();
    if let Some(regulator) = regulator_id {
        use crate::schema::projects;
        let supervised =
            projects::table.filter(projects::regulator_id.eq(regulator.to_owned())).select(projects::id.nullable());
        query = query.filter(conduct_reports::project_id.eq_any(supervised));
    }
    if let Some(status) = status {
        query = query.filter(conduct_reports::status.eq(status.to_owned()));
    }
    if let Some(participant_id) = participant_id {
        query = query.filter(conduct_reports::participant_id.eq(participant_id.to_owned()));
    }
    if let Some(after) = after {
        query = query.filter(conduct_reports::id.lt(after.to_owned()));
    }
    query.limit(limit).load(conn).map_err(StoreError::from)
}

/// For each (credit code, external key) of an imported list, in order: the participant
/// with that credit code, and whether a record with that key exists for a participant
/// found; two queries for the whole list.
pub fn court_lines_found(
    conn: &mut DbConnection,
    lines: &[(String, String)],
) -> Result<Vec<(Option<String>, bool)>, StoreError> {
    use crate::schema::participants;
    let codes: Vec<&str> = lines.iter().map(|(code, _)| code.as_str()).collect();
    let keys: Vec<&str> = lines.iter().map(|(_, key)| key.as_str()).collect();
    let participants: std::collections::HashMap<String, String> = participants::table
        .filter(participants::credit_code.eq_any(&codes))
        .select((participants::credit_code, participants::id))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let imported: std::collections::HashSet<Option<String>> = credit_records::table
        .filter(credit_records::external_key.eq_any(&keys))
        .select(credit_records::external_key)
        .load::<Option<String>>(conn)?
        .into_iter()
        .collect();
    Ok(lines
        .iter()
        .map(|(code, key)| {
            let participant = participants.get(code).cloned();
            let imported_before = participant.is_some() && imported.contains(&Some(key.clone()));
            (participant, imported_before)
        })
        .collect())
}

/// The record (locked), its pending application and the commitment named.
pub type RepairApplicationReads = (CreditRecordRow, Option<String>, Option<CommitmentRow>);

/// What an application to repair a record is decided on, read together: the record
/// (locked, as `find_record_for_update`), the application on it awaiting a decision, and
/// the commitment named; `None` when the record is missing.
pub fn repair_application_reads(
    conn: &mut DbConnection,
    record_id: &str,
    commitment_id: &str,
) -> Result<Option<RepairApplicationReads>, StoreError> {
    let Some(record) = find_record_for_update(conn, record_id)? else { return Ok(None) };
    let pending = pending_repair_application(conn, record_id)?;
    Ok(Some((record, pending, find_commitment(conn, commitment_id)?)))
}

/// Whether the participant a conduct report names is registered, and whether the project
/// it names (asked only of a registered participant) exists.
pub fn conduct_report_reads(
    conn: &mut DbConnection,
    participant_id: &str,
    project_id: Option<&str>,
) -> Result<(bool, bool), StoreError> {
    let registered = crate::participants::find(conn, participant_id)?.is_some();
    let project_exists = match project_id {
        Some(project) if registered => crate::projects::find(conn, project)?.is_some(),
        _ => false,
    };
    Ok((registered, project_exists))
}

/// A participant's restrictions (by start) and commitments (by signing): what the credit
/// gate decides on.
pub type StandingRows = (Vec<RestrictionRow>, Vec<CommitmentRow>);

/// A row of the `participant_standing` view: a restriction when it has a kind, a
/// commitment when it has a text version (each NOT NULL in its table).
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = participant_standing)]
pub(crate) struct StandingRow {
    id: String,
    participant_id: String,
    kind: Option<String>,
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
    decision: Option<String>,
    decided_by: Option<String>,
    rule_id: Option<String>,
    recorded_at: Option<NaiveDateTime>,
    text_version: Option<i32>,
    signed_on: Option<NaiveDate>,
    signed_at: Option<NaiveDateTime>,
    signed_by: Option<String>,
    revoked_on: Option<NaiveDate>,
}

/// A column NOT NULL in its table, read through the `participant_standing` view.
fn present<T>(value: Option<T>, column: &str, id: &str) -> Result<T, StoreError> {
    value.ok_or_else(|| StoreError::Corrupt(format!("{column} of `{id}` is NULL")))
}

/// A participant's restrictions and commitments, read in one statement, for the credit gate
/// of acts other than a bid (a bid reads them with its section's facts:
/// `bids::submission_facts`).
pub fn standing_rows(conn: &mut DbConnection, participant_id: &str) -> Result<StandingRows, StoreError> {
    let rows = participant_standing::table
        .filter(participant_standing::participant_id.eq(participant_id))
        .select(StandingRow::as_select())
        .load(conn)?;
    standing_of(rows)
}

/// The restrictions and commitments among rows of `participant_standing`, each once (a join
/// may repeat a row), in the order each list is read in elsewhere (`restrictions_of`,
/// `commitments_of`).
pub(crate) fn standing_of(rows: impl IntoIterator<Item = StandingRow>) -> Result<StandingRows, StoreError> {
    let mut restrictions: Vec<RestrictionRow> = Vec::new();
    let mut commitments: Vec<CommitmentRow> = Vec::new();
    for row in rows {
        let StandingRow { id, participant_id, kind, .. } = row;
        if let Some(kind) = kind {
            if restrictions.iter().any(|r| r.id == id) {
                continue;
            }
            restrictions.push(RestrictionRow {
                starts_on: present(row.starts_on, "restrictions.starts_on", &id)?,
                ends_on: present(row.ends_on, "restrictions.ends_on", &id)?,
                decision: present(row.decision, "restrictions.decision", &id)?,
                decided_by: present(row.decided_by, "restrictions.decided_by", &id)?,
                rule_id: present(row.rule_id, "restrictions.rule_id", &id)?,
                recorded_at: present(row.recorded_at, "restrictions.recorded_at", &id)?,
                id,
                participant_id,
                kind,
            });
        } else {
            if commitments.iter().any(|c| c.id == id) {
                continue;
            }
            commitments.push(CommitmentRow {
                text_version: present(row.text_version, "commitments.text_version", &id)?,
                signed_on: present(row.signed_on, "commitments.signed_on", &id)?,
                signed_at: present(row.signed_at, "commitments.signed_at", &id)?,
                signed_by: present(row.signed_by, "commitments.signed_by", &id)?,
                id,
                participant_id,
                revoked_on: row.revoked_on,
            });
        }
    }
    restrictions.sort_by_key(|r| r.starts_on);
    commitments.sort_by_key(|c| c.signed_at);
    Ok((restrictions, commitments))
}
