//! `cargo xtask outage [SECONDS]`: PostgreSQL goes away under load and comes back. The task
//! starts a PostgreSQL server of its own (initdb in a temporary directory, a free port, as
//! the `postgres` user when run as root) and ggzy on it; four clients register participants
//! with Idempotency-Keys. After a few seconds PostgreSQL is stopped (immediate shutdown, as
//! a crash would) for SECONDS (default 30), then started again; ggzy is not restarted.
//!
//! It checks, and prints the figures of: every answer during the outage is a 503
//! problem+json within a bound (10 s: no worker hangs); `/readyz` answers 503 and `/healthz`
//! 200 meanwhile; after PostgreSQL returns, ggzy serves again by itself; every request that
//! was not answered 201 is retried with its key until it is; at the end each acknowledged
//! registration is stored exactly once and the audit chains and ledger verify. Exits 1 when
//! a check fails.

use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use diesel::{Connection, PgConnection, RunQueryDsl};
use serde_json::json;

const CLIENTS: usize = 4;
/// The longest an answer may take while the database is away.
const ANSWER_BOUND: Duration = Duration::from_secs(10);
const PG_BIN: &str = "/usr/lib/postgresql/15/bin";

fn credit_code(n: u32) -> String {
    let body = format!("92110000{n:09}");
    let check = ggzy_kernel::CreditCode::check_character(&body).unwrap_or('0');
    format!("{body}{check}")
}

/// A PostgreSQL server of the task's own.
struct Postgres {
    dir: std::path::PathBuf,
    port: u16,
    as_postgres_user: bool,
}

impl Postgres {
    fn command(&self, program: &str) -> Command {
        let path = format!("{PG_BIN}/{program}");
        if self.as_postgres_user {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--", &path]);
            command
        } else {
            Command::new(path)
        }
    }

    fn init(port: u16) -> anyhow::Result<Postgres> {
        let dir = std::env::temp_dir().join(format!("ggzy-outage-pg-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let as_postgres_user = Command::new("id").arg("-u").output()?.stdout.starts_with(b"0");
        if as_postgres_user {
            let owned = Command::new("chown").args(["-R", "postgres"]).arg(&dir).status()?;
            anyhow::ensure!(owned.success(), "chown of {} failed", dir.display());
        }
        let postgres = Postgres { dir, port, as_postgres_user };
        let initdb = postgres
            .command("initdb")
            .args(["-A", "trust", "-U", "postgres", "-D"])
            .arg(postgres.dir.join("data"))
            .stdout(Stdio::null())
            .status()
            .context("initdb")?;
        anyhow::ensure!(initdb.success(), "initdb failed");
        Ok(postgres)
    }

    fn start(&self) -> anyhow::Result<()> {
        let options = format!("-p {} -k {} -c listen_addresses=127.0.0.1", self.port, self.dir.display());
        let started = self
            .command("pg_ctl")
            .args(["-w", "-D"])
            .arg(self.dir.join("data"))
            .args(["-o", &options, "-l"])
            .arg(self.dir.join("log"))
            .arg("start")
            .stdout(Stdio::null())
            .status()?;
        anyhow::ensure!(started.success(), "pg_ctl start failed");
        Ok(())
    }

    /// Immediate shutdown: no checkpoint, connections cut, as a crash would.
    fn stop(&self) -> anyhow::Result<()> {
        let stopped = self
            .command("pg_ctl")
            .args(["-w", "-m", "immediate", "-D"])
            .arg(self.dir.join("data"))
            .arg("stop")
            .stdout(Stdio::null())
            .status()?;
        anyhow::ensure!(stopped.success(), "pg_ctl stop failed");
        Ok(())
    }

    fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// One answer as a client saw it.
#[derive(Debug, Clone)]
struct Answer {
    at: Instant,
    took: Duration,
    /// The HTTP status, or None when no answer came.
    status: Option<u16>,
    problem_json: bool,
}

#[allow(clippy::print_stdout)]
pub fn run(root: &std::path::Path, outage_seconds: u64) -> anyhow::Result<bool> {
    let binary = crate::seed::binary(root)?;
    let free_port = || -> anyhow::Result<u16> { Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port()) };
    let postgres = Postgres::init(free_port()?)?;
    postgres.start()?;
    let mut admin =
        PgConnection::establish(&postgres.url("postgres")).context("connecting to the task's PostgreSQL")?;
    diesel::sql_query("CREATE DATABASE ggzy").execute(&mut admin)?;
    drop(admin);
    let data = postgres.dir.join("ggzy-data");
    std::fs::create_dir_all(&data)?;
    let port = free_port()?;
    let database_url = postgres.url("ggzy");
    let mut server = Command::new(&binary)
        .arg("serve")
        .env("GGZY_DATA_DIR", &data)
        .env("GGZY_DATABASE_URL", &database_url)
        .env("GGZY_LISTEN", format!("127.0.0.1:{port}"))
        .env("GGZY_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("starting ggzy")?;
    let outcome = exercise(&binary, &data, &database_url, port, &postgres, outage_seconds);
    let _ = server.kill();
    let _ = server.wait();
    outcome
}

#[allow(clippy::print_stdout)]
fn exercise(
    binary: &std::path::Path,
    data: &std::path::Path,
    database_url: &str,
    port: u16,
    postgres: &Postgres,
    outage_seconds: u64,
) -> anyhow::Result<bool> {
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::blocking::Client::builder().timeout(Duration::from_secs(30)).build()?;
    let started = Instant::now();
    while !client.get(format!("{base}/readyz")).send().is_ok_and(|r| r.status().is_success()) {
        if started.elapsed() > Duration::from_secs(60) {
            bail!("ggzy did not become ready");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let token = String::from_utf8(
        Command::new(binary)
            .env("GGZY_DATA_DIR", data)
            .args(["token", "--role", "centre_staff", "--org", "centre", "--ttl", "86400"])
            .output()?
            .stdout,
    )?
    .trim()
    .to_owned();
    let stop = Arc::new(AtomicBool::new(false));
    let answers: Arc<Mutex<Vec<Answer>>> = Arc::new(Mutex::new(Vec::new()));
    // The credit code of every registration answered 201.
    let acknowledged: Arc<Mutex<Vec<String>>> = Arc::new(Mutex::new(Vec::new()));
    let workers: Vec<_> = (0..CLIENTS)
        .map(|worker| {
            let (stop, answers, acknowledged, client, base, token) =
                (stop.clone(), answers.clone(), acknowledged.clone(), client.clone(), base.clone(), token.clone());
            std::thread::spawn(move || {
                let mut n = 0_u32;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let code = credit_code(worker as u32 * 1_000_000 + n);
                    let body = json!({"credit_code": code, "name": format!("主体{code}"), "kinds": ["bidder"],
                                      "legal_representative": "李四"});
                    // Retried with its key until a 201 (or the run ends).
                    loop {
                        let sent = Instant::now();
                        let reply = client
                            .post(format!("{base}/api/v1/participants"))
                            .bearer_auth(&token)
                            .header("Idempotency-Key", format!("outage-{code}"))
                            .json(&body)
                            .send();
                        let answer = Answer {
                            at: sent,
                            took: sent.elapsed(),
                            status: reply.as_ref().ok().map(|r| r.status().as_u16()),
                            problem_json: reply.as_ref().ok().is_some_and(|r| {
                                r.headers()
                                    .get("content-type")
                                    .is_some_and(|c| c.as_bytes().starts_with(b"application/problem+json"))
                            }),
                        };
                        let created = answer.status == Some(201);
                        answers.lock().map(|mut a| a.push(answer)).ok();
                        if created {
                            acknowledged.lock().map(|mut a| a.push(code.clone())).ok();
                            break;
                        }
                        if stop.load(Ordering::Relaxed) && !created {
                            // Unacknowledged at the end: it must then be absent or present
                            // once; the check below reads the key's outcome from the store.
                            break;
                        }
                        std::thread::sleep(Duration::from_millis(200));
                    }
                }
            })
        })
        .collect();

    std::thread::sleep(Duration::from_secs(5));
    let down_at = Instant::now();
    postgres.stop()?;
    // While it is away: readiness says so, liveness does not.
    let mut probes = Vec::new();
    while down_at.elapsed() < Duration::from_secs(outage_seconds) {
        let ready = client.get(format!("{base}/readyz")).send().map(|r| r.status().as_u16()).ok();
        let alive = client.get(format!("{base}/healthz")).send().map(|r| r.status().as_u16()).ok();
        probes.push((ready, alive));
        std::thread::sleep(Duration::from_secs(2));
    }
    postgres.start()?;
    let up_at = Instant::now();
    // Back: the clients' retries go through without restarting ggzy.
    let mut recovered = None;
    while up_at.elapsed() < Duration::from_secs(60) {
        if client.get(format!("{base}/readyz")).send().is_ok_and(|r| r.status().is_success()) {
            recovered = Some(up_at.elapsed());
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_secs(5));
    stop.store(true, Ordering::Relaxed);
    for worker in workers {
        let _ = worker.join();
    }

    let answers = answers.lock().map_err(|_| anyhow::anyhow!("answers poisoned"))?.clone();
    let acknowledged = acknowledged.lock().map_err(|_| anyhow::anyhow!("poisoned"))?.clone();
    let outage_end = down_at + Duration::from_secs(outage_seconds);
    let during: Vec<&Answer> = answers.iter().filter(|a| a.at >= down_at && a.at < outage_end).collect();
    let mut problems = Vec::new();
    for answer in &during {
        match answer.status {
            Some(201) => {} // taken just before the database went, answered from memory of it
            Some(503) if answer.problem_json => {}
            other => problems.push(format!("during the outage: {other:?} (problem+json {})", answer.problem_json)),
        }
        if answer.took > ANSWER_BOUND {
            problems.push(format!("an answer during the outage took {:.1} s", answer.took.as_secs_f64()));
        }
    }
    let unready = probes.iter().filter(|(ready, _)| *ready == Some(503)).count();
    let alive = probes.iter().filter(|(_, alive)| *alive == Some(200)).count();
    if unready + 1 < probes.len() {
        problems.push(format!("/readyz answered 503 to {unready} of {} probes during the outage", probes.len()));
    }
    if alive != probes.len() {
        problems.push(format!("/healthz answered 200 to {alive} of {} probes during the outage", probes.len()));
    }
    if recovered.is_none() {
        problems.push("ggzy did not become ready again within 60 s of PostgreSQL's return".into());
    }
    // Each acknowledged registration is stored exactly once.
    #[derive(diesel::QueryableByName)]
    struct Stored {
        #[diesel(sql_type = diesel::sql_types::Text)]
        credit_code: String,
    }
    let stored: Vec<Stored> = diesel::sql_query("SELECT credit_code FROM participants WHERE kinds = 'bidder'")
        .load(&mut PgConnection::establish(database_url)?)?;
    let mut counts = std::collections::HashMap::new();
    for row in &stored {
        *counts.entry(row.credit_code.as_str()).or_insert(0_usize) += 1;
    }
    for code in &acknowledged {
        if counts.get(code.as_str()) != Some(&1) {
            problems.push(format!("{code}: acknowledged, stored {} times", counts.get(code.as_str()).unwrap_or(&0)));
        }
    }
    let verify = |args: &[&str]| -> anyhow::Result<bool> {
        Ok(Command::new(binary)
            .env("GGZY_DATA_DIR", data)
            .env("GGZY_DATABASE_URL", database_url)
            .env("GGZY_LOG", "error")
            .args(args)
            .stdout(Stdio::null())
            .status()?
            .success())
    };
    let ledger = verify(&["ledger", "verify"])?;
    let audit = verify(&["audit", "verify"])?;
    if !ledger || !audit {
        problems.push(format!("ledger verifies: {ledger}, audit chains verify: {audit}"));
    }
    let slowest = during.iter().map(|a| a.took).max().unwrap_or_default();
    let unavailable = during.iter().filter(|a| a.status == Some(503)).count();
    println!(
        "PostgreSQL away {outage_seconds} s under {CLIENTS} clients: {} answers during it ({unavailable} were 503 \
         problem+json), the slowest {:.2} s (bound {} s); /readyz 503 for {unready} of {} probes, /healthz 200 for \
         {alive}; ready again {:.1} s after PostgreSQL; {} registrations acknowledged, {} stored, each once: {}; \
         ledger {}, audit chains {}",
        during.len(),
        slowest.as_secs_f64(),
        ANSWER_BOUND.as_secs(),
        probes.len(),
        recovered.map_or(f64::NAN, |d| d.as_secs_f64()),
        acknowledged.len(),
        stored.len(),
        problems.iter().all(|p| !p.contains("stored")),
        if ledger { "verifies" } else { "DOES NOT VERIFY" },
        if audit { "verify" } else { "DO NOT VERIFY" },
    );
    for problem in problems.iter().take(20) {
        println!("  {problem}");
    }
    Ok(problems.is_empty())
}
