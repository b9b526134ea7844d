use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{ManageConnection, Pool, R2D2Connection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::turns::{NoTurn, Turn, Turns};
use crate::StoreError;

const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");
const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");

/// One connection type over both backends; which one is decided by the URL scheme.
#[allow(missing_debug_implementations)]
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(PgConnection),
    // SQLite accepts any path, so it stays last (see the MultiConnection docs).
    Sqlite(SqliteConnection),
}

/// Which database the store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

#[derive(Debug, Clone)]
enum Target {
    Postgres(String),
    Sqlite(PathBuf),
}

impl Target {
    fn parse(url: &str) -> Result<Target, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Target::Postgres(url.to_owned()));
        }
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() || path.starts_with(':') {
                return Err(StoreError::UnsupportedUrl(url.to_owned()));
            }
            return Ok(Target::Sqlite(PathBuf::from(path)));
        }
        let scheme = url.split(':').next().unwrap_or(url);
        Err(StoreError::UnsupportedUrl(scheme.to_owned()))
    }
}

/// Settings of the connection pool.
#[derive(Debug, Clone)]
pub struct StoreConfig {
    /// `postgres://…` or `sqlite://relative/or/absolute/path`.
    pub database_url: String,
    pub max_connections: u32,
    pub connect_timeout: Duration,
}

impl StoreConfig {
    pub fn new(database_url: impl Into<String>) -> Self {
        StoreConfig { database_url: database_url.into(), max_connections: 10, connect_timeout: Duration::from_secs(5) }
    }
}

/// Statements sent to the database by this process, on every connection of every store:
/// what the benches divide by the work done (one counter, one relaxed increment each).
static STATEMENTS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

thread_local! {
    /// The same count for the statements this thread sent: a store's connection works on the
    /// thread that asked (diesel is synchronous), so this is what one operation costs, whatever
    /// else the process does meanwhile.
    static STATEMENTS_ON_THREAD: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

fn count_statements(event: diesel::connection::InstrumentationEvent<'_>) {
    if matches!(event, diesel::connection::InstrumentationEvent::StartQuery { .. }) {
        STATEMENTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        STATEMENTS_ON_THREAD.with(|count| count.set(count.get() + 1));
    }
}

/// How many statements this thread has sent to its databases so far (transaction control
/// included): the difference around one call is that call's statements.
pub fn statements_on_this_thread() -> u64 {
    STATEMENTS_ON_THREAD.with(std::cell::Cell::get)
}

/// How many statements this process has sent to its databases so far (each one a round
/// trip; transaction control included).
pub fn statements_executed() -> u64 {
    STATEMENTS.load(std::sync::atomic::Ordering::Relaxed)
}

#[derive(Debug, Clone)]
pub(crate) struct Manager {
    target: Target,
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConnection, Self::Error> {
        match &self.target {
            Target::Postgres(url) => {
                let mut conn = PgConnection::establish(url).map_err(diesel::r2d2::Error::ConnectionError)?;
                // No parallel plans: the platform's statements are short and many run at once,
                // so a plan's workers (about 8 ms to start on a 2-core host, beside the page's
                // 2 ms) cost more than they save and take the cores other requests wait for. A
                // search of a common pair of characters took 17.7 ms at p50 with them.
                conn.batch_execute("SET max_parallel_workers_per_gather = 0")
                    .map_err(diesel::r2d2::Error::QueryError)?;
                conn.set_instrumentation(count_statements);
                Ok(DbConnection::Postgres(conn))
            }
            Target::Sqlite(path) => {
                let path = path.to_string_lossy();
                let mut conn = SqliteConnection::establish(&path).map_err(diesel::r2d2::Error::ConnectionError)?;
                conn.set_instrumentation(count_statements);
                // Per connection: enforce foreign keys, wait rather than fail on a lock,
                // and use WAL so readers never block the writer.
                conn.batch_execute(
                    "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
                     PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
                )
                .map_err(diesel::r2d2::Error::QueryError)?;
                crate::search::register_unicode_lower(&mut conn).map_err(diesel::r2d2::Error::QueryError)?;
                crate::search::register_search_grams(&mut conn).map_err(diesel::r2d2::Error::QueryError)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), Self::Error> {
        conn.ping().map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        std::thread::panicking() || conn.is_broken()
    }
}

/// A pooled connection held in its turn. Fields drop in order: the connection first.
pub(crate) struct InTurn {
    conn: diesel::r2d2::PooledConnection<Manager>,
    _turn: Turn,
}

impl std::ops::Deref for InTurn {
    type Target = DbConnection;
    fn deref(&self) -> &DbConnection {
        &self.conn
    }
}

impl std::ops::DerefMut for InTurn {
    fn deref_mut(&mut self) -> &mut DbConnection {
        &mut self.conn
    }
}

/// The database: a pool of connections plus, on SQLite, the single-writer lock.
#[derive(Clone)]
pub struct Store {
    pool: Pool<Manager>,
    /// As many as the pool has connections, taken first come first served before one
    /// (`crate::turns`): the pool alone lets a newcomer overtake those waiting.
    turns: Arc<Turns>,
    /// How long a caller waits for its turn (the pool's connection timeout).
    turn_timeout: Duration,
    backend: Backend,
    // SQLite allows one writer; taking the lock before BEGIN avoids the busy errors that
    // deferred transactions hit when two of them try to upgrade to writers at once.
    sqlite_writer: Arc<Mutex<()>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("backend", &self.backend).finish_non_exhaustive()
    }
}

impl Store {
    /// Opens a pool for the URL. It does not wait for the database: `migrate` or `ping`
    /// tell whether it answers.
    pub fn open(config: &StoreConfig) -> Result<Store, StoreError> {
        let target = Target::parse(&config.database_url)?;
        let backend = match &target {
            Target::Postgres(_) => Backend::Postgres,
            Target::Sqlite(path) => {
                if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent)?;
                }
                Backend::Sqlite
            }
        };
        let connections = config.max_connections.max(1);
        let pool = Pool::builder()
            .max_size(connections)
            .min_idle(Some(0))
            .connection_timeout(config.connect_timeout)
            .test_on_check_out(false)
            .build_unchecked(Manager { target });
        Ok(Store {
            pool,
            turns: Turns::new(connections as usize),
            turn_timeout: config.connect_timeout,
            backend,
            sqlite_writer: Arc::new(Mutex::new(())),
        })
    }

    /// A pooled connection, in turn: see `turns`. The connection goes back to the pool
    /// before the turn is handed on, so the next holder finds it there.
    pub(crate) fn connection(&self) -> Result<InTurn, StoreError> {
        let turn = self
            .turns
            .take(self.turn_timeout)
            .map_err(|NoTurn| StoreError::Unavailable("timed out waiting for a database connection".into()))?;
        Ok(InTurn { conn: self.pool.get()?, _turn: turn })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The most connections the pool opens.
    pub fn connections_limit(&self) -> u32 {
        self.pool.max_size()
    }

    /// How long callers have waited for a connection turn, since the store was opened.
    pub fn connection_waits(&self) -> crate::waits::WaitSnapshot {
        self.turns.waits.snapshot()
    }

    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Postgres => "postgres",
            Backend::Sqlite => "sqlite",
        }
    }

    /// Applies every pending migration; returns the versions applied.
    pub fn migrate(&self) -> Result<Vec<String>, StoreError> {
        let _writer = self.lock_writer();
        let mut conn = self.connection()?;
        let applied = match &mut *conn {
            DbConnection::Postgres(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS),
            DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
        }
        .map_err(|e| StoreError::Migration(e.to_string()))?;
        Ok(applied.into_iter().map(|v| v.to_string()).collect())
    }

    /// How many migrations this build knows that the database has not applied.
    pub fn pending_migrations(&self) -> Result<usize, StoreError> {
        let mut conn = self.connection()?;
        let pending = match &mut *conn {
            DbConnection::Postgres(c) => c.pending_migrations(POSTGRES_MIGRATIONS).map(|m| m.len()),
            DbConnection::Sqlite(c) => c.pending_migrations(SQLITE_MIGRATIONS).map(|m| m.len()),
        }
        .map_err(|e| StoreError::Migration(e.to_string()))?;
        Ok(pending)
    }

    /// Whether PostgreSQL's autovacuum runs; `None` on SQLite. Each connection keeps its
    /// generic plan of a statement until the statistics of a table it reads change, and
    /// autovacuum is what refreshes them as tables grow: without it, a plan made while `bids`
    /// was nearly empty scans the whole table for every later bid.
    pub fn autovacuum(&self) -> Result<Option<bool>, StoreError> {
        #[derive(QueryableByName)]
        struct Setting {
            #[diesel(sql_type = diesel::sql_types::Bool)]
            on: bool,
        }
        let mut conn = self.connection()?;
        match &mut *conn {
            DbConnection::Postgres(pg) => {
                let setting: Setting =
                    diesel::sql_query("SELECT current_setting('autovacuum')::boolean AS on").get_result(pg)?;
                Ok(Some(setting.on))
            }
            DbConnection::Sqlite(_) => Ok(None),
        }
    }

    /// Checks that the database answers.
    pub fn ping(&self) -> Result<(), StoreError> {
        let mut conn = self.connection()?;
        conn.ping()?;
        Ok(())
    }

    /// Runs `f` on a pooled connection, outside any explicit transaction.
    pub fn read<T, E>(&self, f: impl FnOnce(&mut DbConnection) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let _held = Held::take()?;
        let mut conn = self.connection()?;
        f(&mut conn)
    }

    /// Runs `f` in one transaction: committed when it returns Ok, rolled back otherwise.
    /// The change and the audit events that record it go through the same call.
    pub fn write<T, E>(&self, f: impl FnOnce(&mut DbConnection) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let _held = Held::take()?;
        let _writer = self.lock_writer();
        let mut conn = self.connection()?;
        in_transaction(&mut conn, None, f)
    }

    /// Runs `f` in one read-only transaction that sees one snapshot of the whole database:
    /// REPEATABLE READ on PostgreSQL, a read transaction on SQLite (in WAL mode its reads
    /// see the database as of its first read, while writers go on).
    pub fn snapshot<T, E>(&self, f: impl FnOnce(&mut DbConnection) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let _held = Held::take()?;
        let mut conn = self.connection()?;
        let setup =
            (self.backend == Backend::Postgres).then_some("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        in_transaction(&mut conn, setup, f)
    }

    fn lock_writer(&self) -> Option<std::sync::MutexGuard<'_, ()>> {
        match self.backend {
            // A poisoned lock only means another writer panicked; the database rolled back.
            Backend::Sqlite => Some(self.sqlite_writer.lock().unwrap_or_else(|p| p.into_inner())),
            Backend::Postgres => None,
        }
    }
}

/// Runs `f` in a transaction on `conn`, after `setup` (a statement that must come first in
/// it); committed when `f` returns Ok, rolled back otherwise, with `f`'s own error.
fn in_transaction<T, E>(
    conn: &mut DbConnection,
    setup: Option<&str>,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<StoreError>,
{
    let mut failure: Option<E> = None;
    let outcome = conn.transaction::<T, diesel::result::Error, _>(|tx| {
        if let Some(statement) = setup {
            tx.batch_execute(statement)?;
        }
        match f(tx) {
            Ok(value) => Ok(value),
            Err(error) => {
                failure = Some(error);
                Err(diesel::result::Error::RollbackTransaction)
            }
        }
    });
    match outcome {
        Ok(value) => Ok(value),
        Err(db_error) => Err(failure.unwrap_or_else(|| E::from(StoreError::from(db_error)))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_scheme_decides_the_backend() {
        assert!(matches!(Target::parse("postgres://u@h/db"), Ok(Target::Postgres(_))));
        assert!(matches!(Target::parse("postgresql://u@h/db"), Ok(Target::Postgres(_))));
        match Target::parse("sqlite://data/ggzy.db") {
            Ok(Target::Sqlite(p)) => assert_eq!(p, PathBuf::from("data/ggzy.db")),
            other => panic!("{other:?}"),
        }
        assert!(matches!(Target::parse("mysql://h/db"), Err(StoreError::UnsupportedUrl(s)) if s == "mysql"));
        assert!(matches!(Target::parse("data/ggzy.db"), Err(StoreError::UnsupportedUrl(_))));
        assert!(matches!(Target::parse("sqlite://"), Err(StoreError::UnsupportedUrl(_))));
    }
}

thread_local! {
    /// Whether this thread holds a pooled connection through [`Store::read`] or [`Store::write`].
    static HOLDING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// This thread's claim on one pooled connection at a time, released when dropped.
struct Held;

impl Held {
    fn take() -> Result<Held, StoreError> {
        if HOLDING.with(|holding| holding.replace(true)) {
            return Err(StoreError::NestedConnection);
        }
        Ok(Held)
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        HOLDING.with(|holding| holding.set(false));
    }
}
