//! Trading statistics as one aggregate query over projects, sections, openings, results,
//! bids and bonds, grouped by any of category, subtype, Beijing month and regulator.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamp};

use crate::{DbConnection, StoreError};

/// A grouping column of the statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    Category,
    Subtype,
    Month,
    Regulator,
}

/// One group's figures; amounts in fen. Bid and bond figures count only sections whose
/// bids are open (after the opening), so nothing sealed is revealed.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct StatisticsRow {
    #[diesel(sql_type = Nullable<Text>)]
    pub category: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub subtype: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub month: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub regulator_id: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub projects: i64,
    #[diesel(sql_type = BigInt)]
    pub sections: i64,
    #[diesel(sql_type = BigInt)]
    pub budget: i64,
    #[diesel(sql_type = BigInt)]
    pub opened_sections: i64,
    #[diesel(sql_type = BigInt)]
    pub failed_sections: i64,
    #[diesel(sql_type = BigInt)]
    pub bids: i64,
    #[diesel(sql_type = BigInt)]
    pub sections_with_bids: i64,
    #[diesel(sql_type = BigInt)]
    pub awarded_sections: i64,
    #[diesel(sql_type = BigInt)]
    pub contract_amount: i64,
    #[diesel(sql_type = BigInt)]
    pub contracted_budget: i64,
    #[diesel(sql_type = BigInt)]
    pub bonds_held: i64,
    #[diesel(sql_type = BigInt)]
    pub bonds_refunded: i64,
    #[diesel(sql_type = BigInt)]
    pub bonds_overdue: i64,
}

/// The overdue bonds of one group, read live: time alone makes a bond overdue (late from
/// the instant of its deadline on, as in the overdue list).
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
struct OverdueBonds {
    #[diesel(sql_type = Nullable<Text>)]
    category: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    subtype: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    month: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    regulator_id: Option<String>,
    #[diesel(sql_type = BigInt)]
    overdue: i64,
}

/// Rebuilds the roll-ups from the tables in one set-based pass, after a bulk load that ran
/// without the triggers (`session_replication_role = replica` on PostgreSQL). Run it in a
/// transaction.
pub fn rebuild_rollups(conn: &mut DbConnection) -> Result<(), StoreError> {
    let month = match conn {
        DbConnection::Postgres(_) => "to_char(p.registered_at + interval '8 hours', 'YYYY-MM')",
        DbConnection::Sqlite(_) => "strftime('%Y-%m', p.registered_at, '+8 hours')",
    };
    let rebuild = format!(
        "INSERT INTO statistics_rollup (month, category, subtype, regulator_id, projects, sections, budget, \
           opened_sections, failed_sections, bids, sections_with_bids, awarded_sections, contract_amount, \
           contracted_budget, bonds_held, bonds_refunded) \
         SELECT {month}, p.category, p.subtype, COALESCE(p.regulator_id, ''), \
           SUM(CASE WHEN s.position = 1 THEN 1 ELSE 0 END), COUNT(s.id), SUM(s.estimated_amount), \
           COUNT(o.section_id), SUM(CASE WHEN o.outcome = 'failed' THEN 1 ELSE 0 END), \
           SUM(CASE WHEN o.outcome = 'opened' THEN o.bid_count ELSE 0 END), \
           SUM(CASE WHEN o.outcome = 'opened' THEN 1 ELSE 0 END), \
           SUM(CASE WHEN r.winner_id IS NOT NULL THEN 1 ELSE 0 END), SUM(COALESCE(r.contract_amount, 0)), \
           SUM(CASE WHEN r.contract_amount IS NOT NULL THEN s.estimated_amount ELSE 0 END), \
           SUM(CASE WHEN o.section_id IS NOT NULL THEN COALESCE(b.held, 0) ELSE 0 END), \
           SUM(CASE WHEN o.section_id IS NOT NULL THEN COALESCE(b.refunded, 0) ELSE 0 END) \
         FROM projects p \
         JOIN sections s ON s.project_id = p.id \
         LEFT JOIN openings o ON o.section_id = s.id \
         LEFT JOIN section_results r ON r.section_id = s.id \
         LEFT JOIN (SELECT section_id, \
             SUM(CASE WHEN outcome IS NULL THEN amount ELSE 0 END) AS held, \
             SUM(CASE WHEN outcome = 'refunded' THEN amount ELSE 0 END) AS refunded \
           FROM bonds GROUP BY section_id) b ON b.section_id = s.id \
         GROUP BY 1, 2, 3, 4"
    );
    diesel::sql_query("DELETE FROM statistics_rollup").execute(conn)?;
    diesel::sql_query(rebuild).execute(conn)?;
    Ok(())
}

/// The Beijing month (YYYY-MM) of a stored UTC timestamp.
fn beijing_month(t: NaiveDateTime) -> String {
    (t + chrono::Duration::hours(8)).format("%Y-%m").to_string()
}

/// The aggregate for the given grouping; `from`/`to` bound the registration time and fall
/// on the start of Beijing months. Everything but the overdue count comes from the monthly
/// roll-ups the triggers of migration 000022 keep (a few rows per month); overdue bonds are
/// counted live through the partial index of bonds without an outcome.
pub fn aggregate(
    conn: &mut DbConnection,
    dimensions: &[Dimension],
    from: NaiveDateTime,
    to: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<Vec<StatisticsRow>, StoreError> {
    let postgres = matches!(conn, DbConnection::Postgres(_));
    let pick = |d: Dimension, expression: &str, name: &str| {
        if dimensions.contains(&d) {
            format!("{expression} AS {name}")
        } else {
            format!("CAST(NULL AS TEXT) AS {name}")
        }
    };
    let group_by = |columns: &[(Dimension, &str)]| {
        let group: Vec<&str> = columns.iter().filter(|(d, _)| dimensions.contains(d)).map(|(_, c)| *c).collect();
        if group.is_empty() {
            String::new()
        } else {
            format!("GROUP BY {}", group.join(", "))
        }
    };
    let (p1, p2, p3) = if postgres { ("$1", "$2", "$3") } else { ("?", "?", "?") };

    let rolled = [
        (Dimension::Category, "category"),
        (Dimension::Subtype, "subtype"),
        (Dimension::Month, "month"),
        (Dimension::Regulator, "regulator_id"),
    ];
    // A bucket a project moved out of (its regulator assigned) keeps zeros: not a group.
    let having = if dimensions.is_empty() { "" } else { "HAVING SUM(sections) <> 0" };
    let figures = format!(
        "SELECT {category}, {subtype}, {month}, {regulator}, \
           CAST(COALESCE(SUM(projects), 0) AS BIGINT) AS projects, \
           CAST(COALESCE(SUM(sections), 0) AS BIGINT) AS sections, \
           CAST(COALESCE(SUM(budget), 0) AS BIGINT) AS budget, \
           CAST(COALESCE(SUM(opened_sections), 0) AS BIGINT) AS opened_sections, \
           CAST(COALESCE(SUM(failed_sections), 0) AS BIGINT) AS failed_sections, \
           CAST(COALESCE(SUM(bids), 0) AS BIGINT) AS bids, \
           CAST(COALESCE(SUM(sections_with_bids), 0) AS BIGINT) AS sections_with_bids, \
           CAST(COALESCE(SUM(awarded_sections), 0) AS BIGINT) AS awarded_sections, \
           CAST(COALESCE(SUM(contract_amount), 0) AS BIGINT) AS contract_amount, \
           CAST(COALESCE(SUM(contracted_budget), 0) AS BIGINT) AS contracted_budget, \
           CAST(COALESCE(SUM(bonds_held), 0) AS BIGINT) AS bonds_held, \
           CAST(COALESCE(SUM(bonds_refunded), 0) AS BIGINT) AS bonds_refunded, \
           CAST(0 AS BIGINT) AS bonds_overdue \
         FROM statistics_rollup WHERE month >= {p1} AND month < {p2} {group} {having}",
        category = pick(Dimension::Category, "category", "category"),
        subtype = pick(Dimension::Subtype, "subtype", "subtype"),
        month = pick(Dimension::Month, "month", "month"),
        regulator = pick(Dimension::Regulator, "NULLIF(regulator_id, '')", "regulator_id"),
        group = group_by(&rolled),
    );
    let registered_month = if postgres {
        "to_char(p.registered_at + interval '8 hours', 'YYYY-MM')"
    } else {
        "strftime('%Y-%m', p.registered_at, '+8 hours')"
    };
    let live = [
        (Dimension::Category, "p.category"),
        (Dimension::Subtype, "p.subtype"),
        (Dimension::Month, registered_month),
        (Dimension::Regulator, "p.regulator_id"),
    ];
    let overdue = format!(
        "SELECT {category}, {subtype}, {month}, {regulator}, CAST(COUNT(*) AS BIGINT) AS overdue \
         FROM bonds b \
         JOIN openings o ON o.section_id = b.section_id \
         JOIN sections s ON s.id = b.section_id \
         JOIN projects p ON p.id = s.project_id \
         WHERE b.outcome IS NULL AND b.refund_deadline <= {p3} \
           AND p.registered_at >= {p1} AND p.registered_at < {p2} {group}",
        category = pick(Dimension::Category, "p.category", "category"),
        subtype = pick(Dimension::Subtype, "p.subtype", "subtype"),
        month = pick(Dimension::Month, registered_month, "month"),
        regulator = pick(Dimension::Regulator, "p.regulator_id", "regulator_id"),
        group = group_by(&live),
    );
    let (from_month, to_month) = (beijing_month(from), beijing_month(to));
    let (mut rows, overdue_rows): (Vec<StatisticsRow>, Vec<OverdueBonds>) = match conn {
        DbConnection::Postgres(pg) => (
            diesel::sql_query(figures).bind::<Text, _>(&from_month).bind::<Text, _>(&to_month).load(pg)?,
            diesel::sql_query(overdue)
                .bind::<Timestamp, _>(from)
                .bind::<Timestamp, _>(to)
                .bind::<Timestamp, _>(now)
                .load(pg)?,
        ),
        // SQLite binds in order of appearance: the overdue test's `now` comes first.
        DbConnection::Sqlite(sqlite) => (
            diesel::sql_query(figures).bind::<Text, _>(&from_month).bind::<Text, _>(&to_month).load(sqlite)?,
            diesel::sql_query(overdue)
                .bind::<Timestamp, _>(now)
                .bind::<Timestamp, _>(from)
                .bind::<Timestamp, _>(to)
                .load(sqlite)?,
        ),
    };
    let index: std::collections::HashMap<_, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| ((r.category.clone(), r.subtype.clone(), r.month.clone(), r.regulator_id.clone()), i))
        .collect();
    for late in overdue_rows {
        let key = (late.category, late.subtype, late.month, late.regulator_id);
        if let Some(row) = index.get(&key).and_then(|i| rows.get_mut(*i)) {
            row.bonds_overdue = late.overdue;
        }
    }
    rows.sort_by(|a, b| {
        (&a.category, &a.subtype, &a.month, &a.regulator_id).cmp(&(&b.category, &b.subtype, &b.month, &b.regulator_id))
    });
    Ok(rows)
}
