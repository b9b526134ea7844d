//! What a backup needs from the database: one consistent snapshot to read in (and, on
//! PostgreSQL, to hand to `pg_dump`), an online copy of an SQLite database, and the facts a
//! backup manifest records (the head of every audit chain, the ledger's totals).

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use sha2::{Digest, Sha256};

use crate::{DbConnection, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct ChainHead {
    #[diesel(sql_type = Text)]
    pub chain: String,
    #[diesel(sql_type = BigInt)]
    pub position: i64,
    #[diesel(sql_type = Text)]
    pub event_hash: String,
}

/// The last event of every audit chain, by chain.
pub fn chain_heads(conn: &mut DbConnection) -> Result<Vec<ChainHead>, StoreError> {
    const HEADS: &str = "SELECT a.chain, a.position, a.event_hash FROM audit_events a \
        JOIN (SELECT chain, MAX(position) AS last FROM audit_events GROUP BY chain) m \
          ON a.chain = m.chain AND a.position = m.last \
        ORDER BY a.chain";
    let heads = match conn {
        DbConnection::Postgres(pg) => diesel::sql_query(HEADS).load(pg)?,
        DbConnection::Sqlite(sqlite) => diesel::sql_query(HEADS).load(sqlite)?,
    };
    Ok(heads)
}

/// The ledger as a manifest records it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LedgerTotals {
    pub accounts: i64,
    pub transfers: i64,
    /// Sums over all accounts, in fen.
    pub debits_posted: i64,
    pub credits_posted: i64,
    pub debits_pending: i64,
    pub credits_pending: i64,
    /// sha256 over every account's id and four totals, in id order: any changed balance
    /// changes it.
    pub accounts_digest: String,
}

pub fn ledger_totals(conn: &mut DbConnection) -> Result<LedgerTotals, StoreError> {
    let accounts = crate::ledger::all_accounts(conn)?;
    let transfers: i64 = crate::schema::ledger_transfers::table.count().get_result(conn)?;
    let mut sorted: Vec<_> = accounts.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    let mut digest = Sha256::new();
    for a in &sorted {
        digest.update(
            format!("{} {} {} {} {}\n", a.id, a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending)
                .as_bytes(),
        );
    }
    Ok(LedgerTotals {
        accounts: i64::try_from(accounts.len()).unwrap_or(i64::MAX),
        transfers,
        debits_posted: accounts.iter().map(|a| a.debits_posted).sum(),
        credits_posted: accounts.iter().map(|a| a.credits_posted).sum(),
        debits_pending: accounts.iter().map(|a| a.debits_pending).sum(),
        credits_pending: accounts.iter().map(|a| a.credits_pending).sum(),
        accounts_digest: hex::encode(digest.finalize()),
    })
}

#[derive(QueryableByName)]
struct SnapshotId {
    #[diesel(sql_type = Text)]
    id: String,
}

/// Exports the snapshot of the current PostgreSQL transaction for `pg_dump --snapshot`.
pub fn export_snapshot(conn: &mut DbConnection) -> Result<Option<String>, StoreError> {
    match conn {
        DbConnection::Postgres(pg) => {
            let row: SnapshotId = diesel::sql_query("SELECT pg_export_snapshot() AS id").get_result(pg)?;
            Ok(Some(row.id))
        }
        DbConnection::Sqlite(_) => Ok(None),
    }
}

/// How many tables the database holds (a restore goes only into an empty one).
pub fn table_count(conn: &mut DbConnection) -> Result<i64, StoreError> {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let count: Count = match conn {
        DbConnection::Postgres(pg) => diesel::sql_query(
            "SELECT COUNT(*)::BIGINT AS n FROM information_schema.tables WHERE table_schema = 'public'",
        )
        .get_result(pg)?,
        DbConnection::Sqlite(sqlite) => {
            diesel::sql_query("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").get_result(sqlite)?
        }
    };
    Ok(count.n)
}

impl Store {
    /// Copies a live SQLite database into a new file, consistently, while writers go on
    /// (`VACUUM INTO`). Not for PostgreSQL (use `pg_dump`).
    pub fn copy_sqlite_into(&self, path: &std::path::Path) -> Result<(), StoreError> {
        let mut conn = self.connection()?;
        let DbConnection::Sqlite(sqlite) = &mut *conn else {
            return Err(StoreError::UnsupportedUrl("VACUUM INTO needs SQLite".into()));
        };
        let target = path.to_string_lossy().replace('\'', "''");
        sqlite.batch_execute(&format!("VACUUM INTO '{target}'"))?;
        Ok(())
    }
}

/// The last migration applied, if any.
pub fn schema_version(conn: &mut DbConnection) -> Result<Option<String>, StoreError> {
    #[derive(QueryableByName)]
    struct Version {
        #[diesel(sql_type = Text)]
        version: String,
    }
    const LAST: &str = "SELECT version FROM __diesel_schema_migrations ORDER BY version DESC LIMIT 1";
    let last: Option<Version> = match conn {
        DbConnection::Postgres(pg) => diesel::sql_query(LAST).get_result(pg).optional()?,
        DbConnection::Sqlite(sqlite) => diesel::sql_query(LAST).get_result(sqlite).optional()?,
    };
    Ok(last.map(|v| v.version))
}
