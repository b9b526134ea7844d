//! Persistence of ggzy. Owns the one diesel schema that runs on PostgreSQL and SQLite
//! (`DbConnection`, a `MultiConnection`), the connection pool, the embedded migrations of
//! both backends, the row types and repositories, and the append-only audit chain.
//!
//! Rows here are database shapes only; JSON shapes live in the gateway and rules in the
//! domain crates.

pub mod announcements;
pub mod audit;
pub mod backup;
pub mod bids;
pub mod calendar;
pub mod command_reads;
pub mod conduct;
pub mod credit;
mod db;
pub mod departments;
pub mod documents;
mod error;
pub mod evaluation;
pub mod events;
mod id_list;
pub mod idempotency;
pub mod ledger;
pub mod listings;
pub mod objections;
pub mod ocds;
pub mod participants;
pub mod persons;
mod prepared;
pub mod projects;
pub mod risk;
pub mod rule_sets;
pub mod running_clocks;
pub mod schema;
mod schema_views;
pub mod sealing;
pub mod search;
pub mod service_accounts;
pub mod service_quality;
pub mod staff;
pub mod statistics;
mod turns;
pub mod violations;
pub mod waits;
pub mod webhooks;

pub use db::{statements_executed, statements_on_this_thread, Backend, DbConnection, Store, StoreConfig};
pub use error::StoreError;

/// Timestamps are kept at microsecond precision, the finest both backends store, so that a
/// value read back equals the value written (the audit chain hashes them).
pub fn truncate_to_micros(t: chrono::NaiveDateTime) -> chrono::NaiveDateTime {
    use chrono::Timelike;
    let nanos = t.nanosecond();
    t.with_nanosecond(nanos - nanos % 1_000).unwrap_or(t)
}
