//! Collusion risk alerts, control between participants and the committee's bid rejections.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::id_list::in_ids;
use crate::schema::{
    basic_account_declarations, bid_rejections, bids, entrusted_agents, openings, participant_controls,
    risk_alert_departments, risk_alerts,
};
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = risk_alerts)]
pub struct AlertRow {
    pub id: String,
    pub fingerprint: String,
    pub indicator: String,
    pub rule_id: String,
    pub severity: String,
    pub project_ids: String,
    pub section_ids: String,
    pub bidders: String,
    pub evidence: String,
    pub department_id: String,
    pub status: String,
    pub detected_at: NaiveDateTime,
    pub handling: String,
    pub violation_cases: String,
    pub version: i64,
    /// The ring's identity: the id of the group's first alert.
    pub group_id: String,
}

/// Inserts an alert unless one with its fingerprint exists, with the departments it goes
/// to; true if it is new.
pub fn insert_alert_once(conn: &mut DbConnection, row: &AlertRow, departments: &[String]) -> Result<bool, StoreError> {
    let exists = risk_alerts::table
        .filter(risk_alerts::fingerprint.eq(&row.fingerprint))
        .select(risk_alerts::id)
        .first::<String>(conn)
        .optional()?
        .is_some();
    if exists {
        return Ok(false);
    }
    diesel::insert_into(risk_alerts::table).values(row).execute(conn)?;
    add_departments(conn, &row.id, departments)?;
    Ok(true)
}

/// Adds departments an alert goes to (those it already goes to stay).
pub fn add_departments(conn: &mut DbConnection, alert_id: &str, departments: &[String]) -> Result<(), StoreError> {
    let known = departments_of(conn, alert_id)?;
    for department in departments {
        if !known.contains(department) {
            diesel::insert_into(risk_alert_departments::table)
                .values((
                    risk_alert_departments::alert_id.eq(alert_id),
                    risk_alert_departments::department_id.eq(department),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// The departments an alert goes to, sorted.
pub fn departments_of(conn: &mut DbConnection, alert_id: &str) -> Result<Vec<String>, StoreError> {
    risk_alert_departments::table
        .filter(risk_alert_departments::alert_id.eq(alert_id))
        .select(risk_alert_departments::department_id)
        .order(risk_alert_departments::department_id.asc())
        .load(conn)
        .map_err(StoreError::from)
}

/// Every alert of these indicators (for grouping findings with the alerts of their ring).
pub fn alerts_of_indicators(conn: &mut DbConnection, indicators: &[String]) -> Result<Vec<AlertRow>, StoreError> {
    risk_alerts::table
        .filter(risk_alerts::indicator.eq_any(indicators))
        .select(AlertRow::as_select())
        .order(risk_alerts::id.asc())
        .load(conn)
        .map_err(StoreError::from)
}

pub fn find_alert(conn: &mut DbConnection, id: &str) -> Result<Option<AlertRow>, StoreError> {
    risk_alerts::table.find(id).select(AlertRow::as_select()).first(conn).optional().map_err(StoreError::from)
}

/// Writes the alert if its version is still the one read; false otherwise.
pub fn update_alert(conn: &mut DbConnection, row: &AlertRow) -> Result<bool, StoreError> {
    let changed = diesel::update(
        risk_alerts::table.filter(risk_alerts::id.eq(&row.id)).filter(risk_alerts::version.eq(row.version - 1)),
    )
    .set(row)
    .execute(conn)?;
    Ok(changed == 1)
}

pub fn list_alerts(
    conn: &mut DbConnection,
    department: Option<&str>,
    status: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<AlertRow>, StoreError> {
    let mut query = risk_alerts::table.select(AlertRow::as_select()).into_boxed();
    if let Some(department) = department {
        query = query.filter(
            risk_alerts::id.eq_any(
                risk_alert_departments::table
                    .filter(risk_alert_departments::department_id.eq(department.to_owned()))
                    .select(risk_alert_departments::alert_id),
            ),
        );
    }
    if let Some(status) = status {
        query = query.filter(risk_alerts::status.eq(status.to_owned()));
    }
    if let Some(after) = after {
        query = query.filter(risk_alerts::id.gt(after.to_owned()));
    }
    query.order(risk_alerts::id.asc()).limit(limit).load(conn).map_err(StoreError::from)
}

pub fn record_control(
    conn: &mut DbConnection,
    controller: &str,
    controlled: &str,
    kind: &str,
    by: &str,
    at: NaiveDateTime,
) -> Result<bool, StoreError> {
    let exists = participant_controls::table
        .filter(participant_controls::controller_id.eq(controller))
        .filter(participant_controls::controlled_id.eq(controlled))
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if exists {
        return Ok(false);
    }
    diesel::insert_into(participant_controls::table)
        .values((
            participant_controls::controller_id.eq(controller),
            participant_controls::controlled_id.eq(controlled),
            participant_controls::kind.eq(kind),
            participant_controls::recorded_by.eq(by),
            participant_controls::recorded_at.eq(at),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Participants in a control relation with this one, either way.
pub fn controls_of(conn: &mut DbConnection, participant: &str) -> Result<Vec<String>, StoreError> {
    let mut related: Vec<String> = participant_controls::table
        .filter(participant_controls::controller_id.eq(participant))
        .select(participant_controls::controlled_id)
        .load(conn)?;
    related.extend(
        participant_controls::table
            .filter(participant_controls::controlled_id.eq(participant))
            .select(participant_controls::controller_id)
            .load::<String>(conn)?,
    );
    related.sort();
    related.dedup();
    Ok(related)
}

pub fn insert_rejection(
    conn: &mut DbConnection,
    section_id: &str,
    bidder_id: &str,
    reason: &str,
    by: &str,
    at: NaiveDateTime,
) -> Result<bool, StoreError> {
    let exists = bid_rejections::table
        .filter(bid_rejections::section_id.eq(section_id))
        .filter(bid_rejections::bidder_id.eq(bidder_id))
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if exists {
        return Ok(false);
    }
    diesel::insert_into(bid_rejections::table)
        .values((
            bid_rejections::section_id.eq(section_id),
            bid_rejections::bidder_id.eq(bidder_id),
            bid_rejections::reason.eq(reason),
            bid_rejections::recorded_by.eq(by),
            bid_rejections::recorded_at.eq(at),
        ))
        .execute(conn)?;
    Ok(true)
}

/// (bidder, reason) of the rejected bids of a section.
pub fn rejections_of(conn: &mut DbConnection, section_id: &str) -> Result<Vec<(String, String)>, StoreError> {
    bid_rejections::table
        .filter(bid_rejections::section_id.eq(section_id))
        .select((bid_rejections::bidder_id, bid_rejections::reason))
        .order(bid_rejections::bidder_id.asc())
        .load(conn)
        .map_err(StoreError::from)
}

/// Sections opened with bids, in id order after `after`: the history a full scan walks.
pub fn opened_sections(conn: &mut DbConnection, after: Option<&str>, limit: i64) -> Result<Vec<String>, StoreError> {
    let mut query = openings::table.filter(openings::outcome.eq("opened")).select(openings::section_id).into_boxed();
    if let Some(after) = after {
        query = query.filter(openings::section_id.gt(after.to_owned()));
    }
    query.order(openings::section_id.asc()).limit(limit).load(conn).map_err(StoreError::from)
}

/// Opened sections of one trade: (category, subtype, regulator, how many).
pub type TradeSections = (String, String, Option<String>, i64);

/// The market a rotating group is weighed in: the number of bids of each section opened
/// with bids, and how many such sections each trade has.
pub fn market(conn: &mut DbConnection) -> Result<(Vec<i64>, Vec<TradeSections>), StoreError> {
    use crate::schema::{projects, sections};
    let sizes: Vec<i64> =
        openings::table.filter(openings::outcome.eq("opened")).select(openings::bid_count).load(conn)?;
    let trades = openings::table
        .inner_join(sections::table.inner_join(projects::table))
        .filter(openings::outcome.eq("opened"))
        .group_by((projects::category, projects::subtype, projects::regulator_id))
        .select((projects::category, projects::subtype, projects::regulator_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok((sizes, trades))
}

/// The alert, locked for the rest of the transaction on PostgreSQL (SQLite has one writer).
pub fn find_alert_for_update(conn: &mut DbConnection, id: &str) -> Result<Option<AlertRow>, StoreError> {
    match conn {
        DbConnection::Postgres(pg) => risk_alerts::table
            .find(id)
            .select(AlertRow::as_select())
            .for_update()
            .first(pg)
            .optional()
            .map_err(StoreError::from),
        DbConnection::Sqlite(_) => find_alert(conn, id),
    }
}

/// Sections where any of these bidders bid.
pub fn sections_of_bidders(conn: &mut DbConnection, bidders: &[String]) -> Result<Vec<String>, StoreError> {
    let mut sections: Vec<String> = bids::table
        .filter(bids::bidder_id.eq_any(bidders))
        .filter(bids::status.eq("submitted"))
        .select(bids::section_id)
        .load(conn)?;
    sections.sort();
    sections.dedup();
    Ok(sections)
}

/// Records that a bond was paid from its bidder's declared basic account.
pub fn declare_basic_account(
    conn: &mut DbConnection,
    bond_id: &str,
    bidder_id: &str,
    section_id: &str,
    account_key: &str,
) -> Result<(), StoreError> {
    diesel::insert_into(basic_account_declarations::table)
        .values((
            basic_account_declarations::bond_id.eq(bond_id),
            basic_account_declarations::bidder_id.eq(bidder_id),
            basic_account_declarations::section_id.eq(section_id),
            basic_account_declarations::account_key.eq(account_key),
        ))
        .execute(conn)?;
    Ok(())
}

/// (bidder, section) of every other bidder's bond paid from this basic account.
pub fn basic_account_holders(
    conn: &mut DbConnection,
    account_key: &str,
    except_bidder: &str,
) -> Result<Vec<(String, String)>, StoreError> {
    basic_account_declarations::table
        .filter(basic_account_declarations::account_key.eq(account_key))
        .filter(basic_account_declarations::bidder_id.ne(except_bidder))
        .select((basic_account_declarations::bidder_id, basic_account_declarations::section_id))
        .order((basic_account_declarations::bidder_id.asc(), basic_account_declarations::section_id.asc()))
        .load(conn)
        .map_err(StoreError::from)
}

/// Bonds paid from a declared basic account with no declaration row yet: (bond, bidder,
/// section, payer JSON). The payer JSON is written by the platform, so the flag's text is
/// known.
pub fn bonds_without_declaration(conn: &mut DbConnection) -> Result<Vec<(String, String, String, String)>, StoreError> {
    use crate::schema::bonds;
    bonds::table
        .filter(bonds::payer_account.like("%\"is_basic_account\":true%"))
        .filter(bonds::id.ne_all(basic_account_declarations::table.select(basic_account_declarations::bond_id)))
        .select((bonds::id, bonds::bidder_id, bonds::section_id, bonds::payer_account.assume_not_null()))
        .order(bonds::id.asc())
        .load(conn)
        .map_err(StoreError::from)
}

/// Records that a bidder entrusts a person to act for it; false if it already does.
pub fn entrust_agent(
    conn: &mut DbConnection,
    bidder_id: &str,
    person_id: &str,
    by: &str,
    at: NaiveDateTime,
) -> Result<bool, StoreError> {
    if is_entrusted(conn, bidder_id, person_id)? {
        return Ok(false);
    }
    diesel::insert_into(entrusted_agents::table)
        .values((
            entrusted_agents::bidder_id.eq(bidder_id),
            entrusted_agents::person_id.eq(person_id),
            entrusted_agents::entrusted_at.eq(at),
            entrusted_agents::entrusted_by.eq(by),
        ))
        .execute(conn)?;
    Ok(true)
}

pub fn is_entrusted(conn: &mut DbConnection, bidder_id: &str, person_id: &str) -> Result<bool, StoreError> {
    Ok(entrusted_agents::table
        .filter(entrusted_agents::bidder_id.eq(bidder_id))
        .filter(entrusted_agents::person_id.eq(person_id))
        .count()
        .get_result::<i64>(conn)?
        > 0)
}

/// (person, entrusted at) of a bidder's entrusted agents, by person.
pub fn entrusted_agents_of(
    conn: &mut DbConnection,
    bidder_id: &str,
) -> Result<Vec<(String, NaiveDateTime)>, StoreError> {
    entrusted_agents::table
        .filter(entrusted_agents::bidder_id.eq(bidder_id))
        .select((entrusted_agents::person_id, entrusted_agents::entrusted_at))
        .order(entrusted_agents::person_id.asc())
        .load(conn)
        .map_err(StoreError::from)
}

/// What the collusion scan knows of a bidder in a section besides its bid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BidderRecords {
    /// The person registered as the bidder's legal representative.
    pub legal_representative: Option<String>,
    /// The stored `payer_account` of the bidder's bond in the section.
    pub bond_payer: Option<String>,
    /// Persons declared related to the bidder.
    pub declared_persons: Vec<String>,
    /// Participants controlling, or controlled by, the bidder.
    pub related_participants: Vec<String>,
}

/// What the collusion scan reads of a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionRecords {
    pub section: crate::projects::SectionRow,
    pub project: crate::projects::ProjectRow,
    /// The bidders whose bids the committee rejected.
    pub rejected: Vec<String>,
    /// The winner of the section's result, when one is reported.
    pub winner: Option<String>,
    /// Each submitted bid with what is known of its bidder.
    pub bids: Vec<(crate::bids::BidRow, BidderRecords)>,
}

/// The reads of a section's collusion scan, in one call; `None` when the section or its
/// project is missing.
pub fn section_records(conn: &mut DbConnection, section_id: &str) -> Result<Option<SectionRecords>, StoreError> {
    let Some((section, project)) = crate::projects::section_and_project(conn, section_id)? else { return Ok(None) };
    let rejected = rejections_of(conn, section_id)?.into_iter().map(|(bidder, _)| bidder).collect();
    let winner = crate::evaluation::result(conn, section_id)?.and_then(|r| r.winner_id);
    let mut bids = Vec::new();
    for row in crate::bids::submitted(conn, section_id)? {
        let records = BidderRecords {
            legal_representative: crate::participants::find(conn, &row.bidder_id)?
                .and_then(|p| p.legal_representative_person_id),
            bond_payer: crate::ledger::bond_of(conn, section_id, &row.bidder_id)?.and_then(|b| b.payer_account),
            declared_persons: crate::violations::persons_related_to(conn, &row.bidder_id)?,
            related_participants: controls_of(conn, &row.bidder_id)?,
        };
        bids.push((row, records));
    }
    Ok(Some(SectionRecords { section, project, rejected, winner, bids }))
}

/// The regulator of each of these projects, in their order (`None` for a project without
/// one, or missing), read in one query.
pub fn regulators_of_projects(
    conn: &mut DbConnection,
    project_ids: &[String],
) -> Result<Vec<Option<String>>, StoreError> {
    use crate::schema::projects;
    let found: std::collections::HashMap<String, Option<String>> = projects::table
        .filter(in_ids(projects::id, project_ids))
        .select((projects::id, projects::regulator_id))
        .load::<(String, Option<String>)>(conn)?
        .into_iter()
        .collect();
    Ok(project_ids.iter().map(|id| found.get(id).cloned().flatten()).collect())
}

/// A bidder's bond paid from a basic account: the bidder, the section and its project.
pub type BasicAccountHolding = (String, crate::projects::SectionRow, Option<crate::projects::ProjectRow>);

/// Every other bidder's bond paid from this basic account in another section opened with
/// bids: (bidder, section, its project), in (bidder, section) order.
pub fn opened_basic_account_holdings(
    conn: &mut DbConnection,
    account_key: &str,
    except_bidder: &str,
    except_section: &str,
) -> Result<Vec<BasicAccountHolding>, StoreError> {
    use crate::projects::{ProjectRow, SectionRow};
    use crate::schema::{projects, sections};
    basic_account_declarations::table
        .inner_join(openings::table.on(openings::section_id.eq(basic_account_declarations::section_id)))
        .inner_join(sections::table.on(sections::id.eq(basic_account_declarations::section_id)))
        .left_join(projects::table.on(projects::id.eq(sections::project_id)))
        .filter(basic_account_declarations::account_key.eq(account_key))
        .filter(basic_account_declarations::bidder_id.ne(except_bidder))
        .filter(basic_account_declarations::section_id.ne(except_section))
        .filter(openings::outcome.eq("opened"))
        .select((basic_account_declarations::bidder_id, SectionRow::as_select(), Option::<ProjectRow>::as_select()))
        .order((basic_account_declarations::bidder_id.asc(), basic_account_declarations::section_id.asc()))
        .load(conn)
        .map_err(StoreError::from)
}

/// What a committee's rejection of a bid is decided on, read together: the section,
/// whether its evaluation result is reported, and its submitted bids' bidders; `None` when
/// the section is missing.
pub fn rejection_reads(
    conn: &mut DbConnection,
    section_id: &str,
) -> Result<Option<(crate::projects::SectionRow, bool, Vec<String>)>, StoreError> {
    let Some(section) = crate::projects::section(conn, section_id)? else { return Ok(None) };
    let reported = crate::evaluation::result(conn, section_id)?.is_some();
    let bidders = crate::bids::submitted(conn, section_id)?.into_iter().map(|b| b.bidder_id).collect();
    Ok(Some((section, reported, bidders)))
}
