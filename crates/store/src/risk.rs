//! Collusion risk alerts, control between participants and the committee's bid rejections.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::{bid_rejections, bids, openings, participant_controls, risk_alerts};
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
}

/// Inserts an alert unless one with its fingerprint exists; true if it is new.
pub fn insert_alert_once(conn: &mut DbConnection, row: &AlertRow) -> Result<bool, StoreError> {
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
    Ok(true)
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
        query = query.filter(risk_alerts::department_id.eq(department.to_owned()));
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
