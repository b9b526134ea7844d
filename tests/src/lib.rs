//! Test support: fresh databases on SQLite and PostgreSQL for every suite, and the real
//! `ggzy` binary started on a free port for the black-box suite.
//!
//! PostgreSQL is used when `GGZY_TEST_POSTGRES_URL` points at a server the tests may create
//! databases on; each test gets its own database, dropped afterwards. With
//! `GGZY_REQUIRE_POSTGRES=1` a missing URL fails the PostgreSQL tests instead of skipping
//! them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::{Connection, PgConnection, RunQueryDsl};

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database that exists for one test.
#[derive(Debug)]
pub struct TestDatabase {
    pub url: String,
    pub backend: Backend,
    dir: Option<tempfile::TempDir>,
    postgres: Option<(String, String)>,
}

fn required() -> bool {
    std::env::var("GGZY_REQUIRE_POSTGRES").is_ok_and(|v| v == "1")
}

impl TestDatabase {
    /// A fresh database, or `None` when PostgreSQL is not configured (and not required).
    pub fn new(backend: Backend) -> Option<TestDatabase> {
        match backend {
            Backend::Sqlite => Some(TestDatabase::sqlite()),
            Backend::Postgres => TestDatabase::postgres(),
        }
    }

    pub fn sqlite() -> TestDatabase {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}/ggzy.db", dir.path().display());
        TestDatabase { url, backend: Backend::Sqlite, dir: Some(dir), postgres: None }
    }

    pub fn postgres() -> Option<TestDatabase> {
        let admin_url = match std::env::var("GGZY_TEST_POSTGRES_URL") {
            Ok(url) if !url.is_empty() => url,
            _ if required() => panic!("GGZY_REQUIRE_POSTGRES=1 but GGZY_TEST_POSTGRES_URL is not set"),
            _ => {
                println!("skipped: GGZY_TEST_POSTGRES_URL is not set");
                return None;
            }
        };
        let name = format!("ggzy_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::establish(&admin_url)
            .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at GGZY_TEST_POSTGRES_URL: {e}"));
        diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin).expect("create test database");
        let url = replace_database(&admin_url, &name);
        Some(TestDatabase { url, backend: Backend::Postgres, dir: None, postgres: Some((admin_url, name)) })
    }

    /// Directory of a SQLite database.
    pub fn sqlite_dir(&self) -> Option<&Path> {
        self.dir.as_ref().map(|d| d.path())
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = &self.postgres {
            if let Ok(mut admin) = PgConnection::establish(admin_url) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin);
            }
        }
    }
}

/// The URL with its database name replaced.
fn replace_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{base}/{database}?{query}"),
        None => format!("{base}/{database}"),
    }
}

/// The HS256 secret every test server is started with, so tests can mint their own tokens.
/// SHA-256 of the five bytes `test`: every server the suite starts holds that file.
pub const SHA256_OF_TEST: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
pub const TEST_JWT_SECRET: &str = "test-secret-of-at-least-32-bytes-0123456789";
pub const TEST_PII_KEY: &str = "test-pii-key-of-at-least-32-bytes-0123456789";

/// A running `ggzy` server on its own database and data directory.
#[derive(Debug)]
pub struct Server {
    child: Child,
    pub base_url: String,
    pub binary: PathBuf,
    pub data_dir: tempfile::TempDir,
    pub database: TestDatabase,
    log: Arc<Mutex<Vec<String>>>,
    client: reqwest::blocking::Client,
    /// The server's manual clock, when it runs on one; tokens are minted for that time.
    clock: Option<chrono::DateTime<chrono::Utc>>,
}

impl Server {
    /// Starts the binary on a fresh database of the backend; `None` when that backend is
    /// not configured.
    pub fn start(binary: &str, backend: Backend) -> Option<Server> {
        Server::start_with(binary, backend, &[])
    }

    pub fn start_with(binary: &str, backend: Backend, env: &[(&str, &str)]) -> Option<Server> {
        let database = TestDatabase::new(backend)?;
        let data_dir = tempfile::tempdir().expect("data dir");
        Some(Server::spawn(PathBuf::from(binary), database, data_dir, env))
    }

    /// Starts the binary on a database and data directory prepared beforehand (an older
    /// database to upgrade, with its keys).
    pub fn start_prepared(
        binary: &str,
        database: TestDatabase,
        data_dir: tempfile::TempDir,
        env: &[(&str, &str)],
    ) -> Server {
        Server::spawn(PathBuf::from(binary), database, data_dir, env)
    }

    /// Stops this server and starts the binary again on the same database and data
    /// directory, with new extra environment (e.g. another `GGZY_CLOCK`).
    pub fn restart(mut self, env: &[(&str, &str)]) -> Server {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let binary = self.binary.clone();
        // Move the database and directory out; the old Server is then dropped empty-handed.
        let database = std::mem::replace(
            &mut self.database,
            TestDatabase { url: String::new(), backend: Backend::Sqlite, dir: None, postgres: None },
        );
        let data_dir = std::mem::replace(&mut self.data_dir, tempfile::tempdir().expect("temp dir"));
        Server::spawn(binary, database, data_dir, env)
    }

    fn spawn(binary: PathBuf, database: TestDatabase, data_dir: tempfile::TempDir, env: &[(&str, &str)]) -> Server {
        let mut command = Command::new(&binary);
        command
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("GGZY_DATABASE_URL", &database.url)
            .env("GGZY_LISTEN", "127.0.0.1:0")
            .env("GGZY_DATA_DIR", data_dir.path())
            .env("GGZY_JWT_SECRET", TEST_JWT_SECRET)
            .env("GGZY_PII_KEY", TEST_PII_KEY)
            .env("GGZY_WORKERS", "2")
            .env("GGZY_DB_POOL_SIZE", "4")
            .env("GGZY_LOG", "info")
            // Tests close listings themselves at the times they choose; the closer's own
            // test turns it on.
            .env("GGZY_LISTING_CLOSER_SECONDS", "0")
            .stdout(Stdio::piped())
            // The human banner goes to stderr; the JSON log on stdout is kept in `log`.
            .stderr(Stdio::null());
        let mut clock = None;
        for (key, value) in env {
            command.env(key, value);
            if *key == "GGZY_CLOCK" {
                clock = value.strip_prefix("manual:").and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok());
            }
        }
        let mut child = command.spawn().unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let stdout = child.stdout.take().expect("stdout");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let log_writer = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.contains("\"message\":\"listening\"") {
                    let value: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
                    if let Some(addr) = value["addr"].as_str() {
                        let _ = addr_tx.send(addr.to_owned());
                    }
                }
                log_writer.lock().unwrap().push(line);
            }
        });
        let addr = match addr_rx.recv_timeout(Duration::from_secs(60)) {
            Ok(addr) => addr,
            Err(_) => {
                let _ = child.kill();
                panic!("server did not report its address; log: {:?}", log.lock().unwrap());
            }
        };
        let client = reqwest::blocking::Client::builder().timeout(Duration::from_secs(30)).build().expect("client");
        let server = Server {
            child,
            base_url: format!("http://{addr}"),
            binary,
            data_dir,
            database,
            log,
            client,
            clock: clock.map(|t| t.with_timezone(&chrono::Utc)),
        };
        server.hand_in_test_document();
        server
    }

    /// Hands in the file `test` (whose SHA-256 the scenarios name wherever a document is
    /// needed) as the centre's evidence, so that records may point at it: a hash nobody
    /// uploaded is refused.
    fn hand_in_test_document(&self) {
        let token = self.token("centre_staff", Some("centre"));
        let url = self.url(&format!("/api/v1/documents?kind=evidence&title=test&sha256={SHA256_OF_TEST}"));
        let answer = self.client.post(url).bearer_auth(token).body("test").send().expect("upload the test document");
        let status = answer.status().as_u16();
        assert!(status == 201 || status == 200, "uploading the test document: {status} {:?}", answer.text());
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    pub fn client(&self) -> &reqwest::blocking::Client {
        &self.client
    }

    /// Lines the server has logged so far.
    pub fn log_lines(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// Runs a `ggzy` subcommand against this server's database and data directory.
    pub fn cli(&self, args: &[&str]) -> Output {
        Command::new(&self.binary)
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("GGZY_DATABASE_URL", &self.database.url)
            .env("GGZY_DATA_DIR", self.data_dir.path())
            .env("GGZY_JWT_SECRET", TEST_JWT_SECRET)
            .env("GGZY_PII_KEY", TEST_PII_KEY)
            .env("GGZY_LOG", "warn")
            .output()
            .expect("run ggzy")
    }

    /// A token for a role and organisation, signed with the test secret.
    pub fn token(&self, role: &str, org: Option<&str>) -> String {
        match self.clock {
            Some(now) => {
                let now = now.timestamp();
                let times = [("iat", now.into()), ("nbf", now.into()), ("exp", (now + 3600).into())];
                mint(role, org, &times, TEST_JWT_SECRET)
            }
            None => mint(role, org, &[], TEST_JWT_SECRET),
        }
    }

    /// A token for a named subject (e.g. a centre staff member's `sub`).
    pub fn token_for(&self, subject: &str, role: &str, org: Option<&str>) -> String {
        let now = self.clock.unwrap_or_else(chrono::Utc::now).timestamp();
        let claims = [("sub", subject.into()), ("iat", now.into()), ("nbf", now.into()), ("exp", (now + 3600).into())];
        mint(role, org, &claims, TEST_JWT_SECRET)
    }

    /// A token carrying scopes (space-separated), e.g. the bond desk's `bonds:desk`.
    pub fn token_with_scope(&self, role: &str, org: Option<&str>, scope: &str) -> String {
        let now = self.clock.unwrap_or_else(chrono::Utc::now).timestamp();
        let claims = [("scope", scope.into()), ("iat", now.into()), ("nbf", now.into()), ("exp", (now + 3600).into())];
        mint(role, org, &claims, TEST_JWT_SECRET)
    }

    /// Sends SIGTERM and waits; true when the process exited successfully.
    pub fn terminate(mut self) -> bool {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Mints an HS256 token with the given claims over standard ones (iss/aud "ggzy", one hour).
pub fn mint(role: &str, org: Option<&str>, extra: &[(&str, serde_json::Value)], secret: &str) -> String {
    let now = chrono::Utc::now().timestamp();
    let mut claims = serde_json::json!({
        "sub": "tester",
        "role": role,
        "iss": "ggzy",
        "aud": "ggzy",
        "iat": now,
        "nbf": now,
        "exp": now + 3600,
        "jti": uuid::Uuid::new_v4().to_string(),
    });
    if let Some(org) = org {
        claims["org"] = serde_json::Value::String(org.to_owned());
    }
    for (key, value) in extra {
        claims[*key] = value.clone();
    }
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("mint token")
}

/// Generates one test per backend from a function taking the backend:
/// `both_backends!(name_of_fn, …)` makes `sqlite::name_of_fn` and `postgres::name_of_fn`.
/// The PostgreSQL tests are ignored (reported as not run) unless the crate using the macro
/// was built with GGZY_TEST_POSTGRES_URL set (its build script sets `cfg(ggzy_postgres)`).
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name($crate::Backend::Sqlite) } )*
        }
        mod postgres {
            $(
                #[test]
                #[cfg_attr(
                    not(ggzy_postgres),
                    ignore = "needs GGZY_TEST_POSTGRES_URL (a PostgreSQL server the tests may create databases on)"
                )]
                fn $name() { super::$name($crate::Backend::Postgres) }
            )*
        }
    };
}

#[cfg(test)]
mod tests {
    use super::replace_database;

    #[test]
    fn database_name_is_replaced_keeping_the_rest() {
        assert_eq!(replace_database("postgres://u@h:5432/postgres", "x"), "postgres://u@h:5432/x");
        assert_eq!(
            replace_database("postgres://u@h/postgres?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
        assert_eq!(replace_database("postgres://u@h", "x"), "postgres://u@h/x");
    }
}
