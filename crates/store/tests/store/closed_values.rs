//! Every text column that holds a closed enum of a domain crate lists exactly that enum's
//! values in the migrated database (a CHECK constraint, or on SQLite the triggers that stand
//! in for one on a table that already existed), and refuses any other value on insert and
//! on update.

use std::collections::BTreeSet;

use diesel::sql_types::Text;
use diesel::{QueryableByName, RunQueryDsl};
use ggzy_blackbox::{both_backends, Backend, TestDatabase};
use ggzy_kernel::ClosedEnum;
use ggzy_store::{DbConnection, Store, StoreError};

use super::{execute, open_migrated};

both_backends!(every_closed_column_lists_its_enum, an_unknown_value_is_refused_on_insert_and_update);

/// A text column that holds a closed enum.
struct Checked {
    table: &'static str,
    column: &'static str,
    values: Vec<&'static str>,
}

fn column<T: ClosedEnum>(table: &'static str, column: &'static str) -> Checked {
    Checked { table, column, values: T::all().iter().map(|v| v.as_str()).collect() }
}

/// The columns and their enums. A closed enum stored in a new column belongs here.
fn checked_columns() -> Vec<Checked> {
    use ggzy_ledger::{BondForm, BondOutcome, BondStatus, PendingStatus, RefundTrigger};
    use ggzy_oversight::conduct::{CasePart, CaseStatus, Subject};
    use ggzy_oversight::lifecycle::{AlertStatus, ComplaintOutcome, ComplaintStatus, ControlKind, ReportState};
    use ggzy_oversight::risk::{Indicator, RiskSeverity};
    use ggzy_trading::lifecycle::{BidStatus, OpeningOutcome, ProjectStatus};
    let mut resolutions = column::<PendingStatus>("ledger_resolutions", "status");
    // A resolution is what a pending transfer became; `pending` is never stored.
    resolutions.values.retain(|v| *v != PendingStatus::Pending.as_str());
    let mut categories = Checked { table: "projects", column: "category", values: Vec::new() };
    categories.values = ggzy_rules::Category::ALL.iter().map(|c| c.as_str()).collect();
    vec![
        column::<ProjectStatus>("projects", "status"),
        column::<ggzy_rules::EntryOutcome>("projects", "entry_outcome"),
        categories,
        column::<BondStatus>("bonds", "status"),
        column::<BondForm>("bonds", "form"),
        column::<BondOutcome>("bonds", "outcome"),
        column::<RefundTrigger>("bonds", "refund_trigger"),
        resolutions,
        column::<BidStatus>("bids", "status"),
        column::<OpeningOutcome>("openings", "outcome"),
        column::<ComplaintStatus>("complaints", "status"),
        column::<ComplaintOutcome>("complaints", "outcome"),
        column::<AlertStatus>("risk_alerts", "status"),
        column::<RiskSeverity>("risk_alerts", "severity"),
        column::<Indicator>("risk_alerts", "indicator"),
        column::<ControlKind>("participant_controls", "kind"),
        column::<CaseStatus>("violation_cases", "status"),
        column::<Subject>("violation_cases", "subject_kind"),
        column::<CasePart>("violation_case_departments", "part"),
        column::<ReportState>("wrongdoing_reports", "status"),
        column::<ggzy_oversight::DepartmentKind>("departments", "kind"),
        column::<ggzy_kernel::DayKind>("calendar_days", "kind"),
        column::<ggzy_oversight::notices::DeliveryStatus>("webhook_deliveries", "status"),
    ]
}

#[derive(QueryableByName)]
struct Definition {
    #[diesel(sql_type = Text)]
    definition: String,
}

/// The quoted literals of `text`, e.g. `'a', 'b'` → {a, b}.
fn literals(text: &str) -> BTreeSet<String> {
    text.split('\'').skip(1).step_by(2).map(str::to_owned).collect()
}

/// The values the live database allows in `table.column`, from the CHECK constraint on the
/// column (or, on SQLite, the insert trigger standing in for one), with whether the update
/// of the column is guarded as well.
fn allowed(conn: &mut DbConnection, table: &str, column: &str) -> Option<(BTreeSet<String>, bool)> {
    match conn {
        DbConnection::Sqlite(c) => {
            let table_sql: Vec<Definition> =
                diesel::sql_query("SELECT sql AS definition FROM sqlite_master WHERE type = 'table' AND name = ?")
                    .bind::<Text, _>(table)
                    .load(c)
                    .expect("table sql");
            let inline = table_sql.first().and_then(|t| {
                t.definition
                    .lines()
                    .map(str::trim)
                    .find(|line| line.starts_with(&format!("{column} ")) && line.contains(&format!("{column} IN (")))
            });
            if let Some(line) = inline {
                let list = &line[line.find(" IN (").unwrap_or(0)..];
                return Some((literals(&list[..list.find(')').unwrap_or(list.len())]), true));
            }
            let mut trigger = |event: &str| -> Option<String> {
                let rows: Vec<Definition> = diesel::sql_query(
                    "SELECT sql AS definition FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? AND name = ?",
                )
                .bind::<Text, _>(table)
                .bind::<Text, _>(format!("{table}_{column}_check_{event}"))
                .load(c)
                .expect("trigger sql");
                rows.into_iter().next().map(|r| r.definition)
            };
            let insert = trigger("insert")?;
            let update = trigger("update");
            let list = &insert[insert.find("NOT IN (")?..];
            let values = literals(&list[..list.find(')').unwrap_or(list.len())]);
            let guards_update = update.is_some_and(|u| {
                u.contains(&format!("BEFORE UPDATE OF {column} ON {table}"))
                    && u.contains(&list[..list.find(')').unwrap_or(list.len())])
            });
            Some((values, guards_update))
        }
        DbConnection::Postgres(c) => {
            let definitions: Vec<Definition> = diesel::sql_query(
                "SELECT pg_get_constraintdef(k.oid) AS definition FROM pg_constraint k \
                 JOIN pg_class t ON t.oid = k.conrelid WHERE t.relname = $1 AND k.contype = 'c'",
            )
            .bind::<Text, _>(table)
            .load(c)
            .expect("constraints");
            // PostgreSQL writes `c IN (…)` back as `(c = ANY (ARRAY['a'::text, …]))`.
            let definition = definitions.into_iter().find(|d| {
                d.definition.contains(&format!("({column} = ANY"))
                    || d.definition.contains(&format!("(({column})::text = ANY"))
            })?;
            Some((literals(&definition.definition), true))
        }
    }
}

fn every_closed_column_lists_its_enum(backend: Backend) {
    let Some(db) = TestDatabase::new(backend) else { return };
    let store = open_migrated(&db);
    let mut problems = Vec::new();
    for checked in checked_columns() {
        let expected: BTreeSet<String> = checked.values.iter().map(|v| (*v).to_owned()).collect();
        let live = store.read(|conn| Ok::<_, StoreError>(allowed(conn, checked.table, checked.column))).expect("read");
        match live {
            None => problems.push(format!("{}.{}: no list of values", checked.table, checked.column)),
            Some((values, guards_update)) => {
                if values != expected {
                    problems.push(format!(
                        "{}.{}: database allows {values:?}, the enum has {expected:?}",
                        checked.table, checked.column
                    ));
                }
                if !guards_update {
                    problems.push(format!("{}.{}: an update is not checked", checked.table, checked.column));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{backend:?}:\n{}", problems.join("\n"));
}

fn risk_alert(store: &Store, id: &str, indicator: &str) -> Result<usize, diesel::result::Error> {
    execute(
        store,
        &format!(
            "INSERT INTO risk_alerts (id, fingerprint, indicator, rule_id, severity, project_ids, section_ids, \
             bidders, evidence, department_id, status, detected_at, handling, violation_cases, version) \
             VALUES ('{id}', 'fp-{id}', '{indicator}', 'construction.collusion.deemed', 'high', '[]', '[]', '[]', \
             '', 'zjw', 'open', '2026-12-01 10:00:00', '[]', '[]', 1)"
        ),
    )
}

fn an_unknown_value_is_refused_on_insert_and_update(backend: Backend) {
    let Some(db) = TestDatabase::new(backend) else { return };
    let store = open_migrated(&db);
    // A misspelt indicator (a column whose list this migration added) is refused…
    assert!(risk_alert(&store, "a-1", "same_devise").is_err(), "{backend:?}: insert of an unknown indicator");
    // …a known one is stored…
    assert_eq!(risk_alert(&store, "a-2", "same_device").ok(), Some(1));
    // …and cannot be changed into an unknown one, nor can a column listed from the start.
    assert!(execute(&store, "UPDATE risk_alerts SET indicator = 'Same_Device' WHERE id = 'a-2'").is_err());
    assert!(execute(&store, "UPDATE risk_alerts SET status = 'closed' WHERE id = 'a-2'").is_err());
    assert_eq!(execute(&store, "UPDATE risk_alerts SET indicator = 'price_pattern' WHERE id = 'a-2'").ok(), Some(1));
}
