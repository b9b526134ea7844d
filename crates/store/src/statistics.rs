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

/// The aggregate for the given grouping (a project is counted by its first section: every
/// project has one, and it spares a DISTINCT); `from`/`to` bound the registration time.
pub fn aggregate(
    conn: &mut DbConnection,
    dimensions: &[Dimension],
    from: NaiveDateTime,
    to: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<Vec<StatisticsRow>, StoreError> {
    let postgres = matches!(conn, DbConnection::Postgres(_));
    // The Beijing month of registration (timestamps are stored in UTC).
    let month = if postgres {
        "to_char(p.registered_at + interval '8 hours', 'YYYY-MM')"
    } else {
        "strftime('%Y-%m', p.registered_at, '+8 hours')"
    };
    let column = |d: Dimension| match d {
        Dimension::Category => "p.category",
        Dimension::Subtype => "p.subtype",
        Dimension::Month => month,
        Dimension::Regulator => "p.regulator_id",
    };
    let select = |d: Dimension, name: &str| {
        if dimensions.contains(&d) {
            format!("{} AS {name}", column(d))
        } else {
            format!("CAST(NULL AS TEXT) AS {name}")
        }
    };
    let group: Vec<&str> = dimensions.iter().map(|d| column(*d)).collect();
    let group_by =
        if group.is_empty() { String::new() } else { format!("GROUP BY {0} ORDER BY {0}", group.join(", ")) };
    let (p1, p2, p3) = if postgres { ("$1", "$2", "$3") } else { ("?", "?", "?") };
    let sql = format!(
        "SELECT {category}, {subtype}, {month_column}, {regulator}, \
           CAST(COALESCE(SUM(CASE WHEN s.position = 1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS projects, \
           CAST(COUNT(s.id) AS BIGINT) AS sections, \
           CAST(COALESCE(SUM(s.estimated_amount), 0) AS BIGINT) AS budget, \
           CAST(COALESCE(SUM(CASE WHEN o.section_id IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS opened_sections, \
           CAST(COALESCE(SUM(CASE WHEN o.outcome = 'failed' THEN 1 ELSE 0 END), 0) AS BIGINT) AS failed_sections, \
           CAST(COALESCE(SUM(CASE WHEN o.outcome = 'opened' THEN o.bid_count ELSE 0 END), 0) AS BIGINT) AS bids, \
           CAST(COALESCE(SUM(CASE WHEN o.outcome = 'opened' THEN 1 ELSE 0 END), 0) AS BIGINT) AS sections_with_bids, \
           CAST(COALESCE(SUM(CASE WHEN r.winner_id IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS awarded_sections, \
           CAST(COALESCE(SUM(COALESCE(r.contract_amount, 0)), 0) AS BIGINT) AS contract_amount, \
           CAST(COALESCE(SUM(CASE WHEN r.contract_amount IS NOT NULL THEN s.estimated_amount ELSE 0 END), 0) AS BIGINT) AS contracted_budget, \
           CAST(COALESCE(SUM(CASE WHEN o.section_id IS NOT NULL THEN COALESCE(d.held, 0) ELSE 0 END), 0) AS BIGINT) AS bonds_held, \
           CAST(COALESCE(SUM(CASE WHEN o.section_id IS NOT NULL THEN COALESCE(d.refunded, 0) ELSE 0 END), 0) AS BIGINT) AS bonds_refunded, \
           CAST(COALESCE(SUM(CASE WHEN o.section_id IS NOT NULL THEN COALESCE(d.overdue, 0) ELSE 0 END), 0) AS BIGINT) AS bonds_overdue \
         FROM projects p \
         JOIN sections s ON s.project_id = p.id \
         LEFT JOIN openings o ON o.section_id = s.id \
         LEFT JOIN section_results r ON r.section_id = s.id \
         LEFT JOIN (SELECT section_id, \
             SUM(CASE WHEN outcome IS NULL THEN amount ELSE 0 END) AS held, \
             SUM(CASE WHEN outcome = 'refunded' THEN amount ELSE 0 END) AS refunded, \
             SUM(CASE WHEN outcome IS NULL AND refund_deadline < {p3} THEN 1 ELSE 0 END) AS overdue \
           FROM bonds GROUP BY section_id) d ON d.section_id = s.id \
         WHERE p.registered_at >= {p1} AND p.registered_at < {p2} \
         {group_by}",
        category = select(Dimension::Category, "category"),
        subtype = select(Dimension::Subtype, "subtype"),
        month_column = select(Dimension::Month, "month"),
        regulator = select(Dimension::Regulator, "regulator_id"),
    );
    let rows = match conn {
        DbConnection::Postgres(pg) => diesel::sql_query(sql)
            .bind::<Timestamp, _>(from)
            .bind::<Timestamp, _>(to)
            .bind::<Timestamp, _>(now)
            .load(pg)?,
        // SQLite binds in order of appearance: the bond subquery's `now` comes first.
        DbConnection::Sqlite(sqlite) => diesel::sql_query(sql)
            .bind::<Timestamp, _>(now)
            .bind::<Timestamp, _>(from)
            .bind::<Timestamp, _>(to)
            .load(sqlite)?,
    };
    Ok(rows)
}
