//! `cargo xtask crash [KILLS] [--db postgres|sqlite]`: durability under SIGKILL on
//! PostgreSQL (a fresh database on the local server) or on the embedded default (a fresh
//! SQLite file in WAL mode). Eight clients register bidders, sign their commitments,
//! deposit bonds, register project managers, register each bidder's sealing keys and submit
//! bids the bidders sealed themselves (`ggzy-seal`; each bid sealed once, so that every
//! retry sends the same body), each request with an Idempotency-Key, while the server is
//! killed every one to three seconds and restarted. An answer that never came is "unknown"
//! and is retried with the same key until it is definite. At the end every operation that
//! succeeded is present exactly once (a bid with its envelope), every one that failed is
//! absent, and the ledger and the audit chain verify.

use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use diesel::{Connection, PgConnection, RunQueryDsl};
use serde_json::{json, Value};

const CLIENTS: usize = 8;
const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

/// A unified social credit code with a valid check character (GB 32100).
fn credit_code(n: u32) -> String {
    let body = format!("91110000{n:09}");
    let check = ggzy_kernel::CreditCode::check_character(&body).unwrap_or('0');
    format!("{body}{check}")
}

struct Server {
    binary: std::path::PathBuf,
    data: std::path::PathBuf,
    database_url: String,
    port: u16,
    child: Option<Child>,
}

impl Server {
    fn start(&mut self) -> anyhow::Result<()> {
        let child = Command::new(&self.binary)
            .arg("serve")
            .env("GGZY_DATA_DIR", &self.data)
            .env("GGZY_DATABASE_URL", &self.database_url)
            .env("GGZY_LISTEN", format!("127.0.0.1:{}", self.port))
            .env("GGZY_LOG", "error")
            // A claim cut off by the kill blocks its key this long before a retry may run it.
            .env("GGZY_IDEMPOTENCY_STALE_SECONDS", "3")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting ggzy")?;
        self.child = Some(child);
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            anyhow::ensure!(started.elapsed() < Duration::from_secs(30), "ggzy did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(())
    }

    /// SIGKILL: no graceful shutdown, whatever was in flight is cut.
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn token(&self, role: &str, org: Option<&str>) -> anyhow::Result<String> {
        let mut command = Command::new(&self.binary);
        command.env("GGZY_DATA_DIR", &self.data).args(["token", "--role", role, "--ttl", "86400"]);
        if let Some(org) = org {
            command.args(["--org", org]);
        }
        Ok(String::from_utf8(command.output()?.stdout)?.trim().to_owned())
    }

    fn cli(&self, args: &[&str]) -> anyhow::Result<bool> {
        Ok(Command::new(&self.binary)
            .env("GGZY_DATA_DIR", &self.data)
            .env("GGZY_DATABASE_URL", &self.database_url)
            .env("GGZY_LOG", "error")
            .args(args)
            .stdout(Stdio::null())
            .status()?
            .success())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// One bidder attempted, and the outcome of each of its operations in order; an operation
/// after a failed one is not tried and counts as failed.
#[derive(Debug, Clone)]
struct Attempt {
    code: String,
    registered: Outcome,
    committed: Outcome,
    deposited: Outcome,
    manager: Outcome,
    sealing_key: Outcome,
    bid: Outcome,
}

/// A resident identity number with a valid check character (GB 11643), distinct for each n
/// below 4,032,000.
fn resident_id(n: u32) -> String {
    let (sequence, day, month, year) = (n % 1000, 1 + n / 1000 % 28, 1 + n / 28_000 % 12, 1960 + n / 336_000 % 12);
    let body = format!("110101{year}{month:02}{day:02}{sequence:03}");
    let check = ggzy_kernel::ResidentId::check_character(&body).unwrap_or('0');
    format!("{body}{check}")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Ok,
    Failed,
}

/// What the clients counted: answers lost and retried, and changes the server reported as
/// made whose answer it never stored (409 `applied_answer_lost`).
#[derive(Default)]
struct Counts {
    unknown: AtomicUsize,
    applied_unanswered: AtomicUsize,
}

/// Sends one operation until its answer is definite; counts the unknown attempts.
fn perform(
    client: &reqwest::blocking::Client,
    url: &str,
    token: &str,
    key: &str,
    body: &Value,
    counts: &Counts,
) -> (Outcome, Value) {
    let mut conflicts = 0;
    loop {
        let sent = client.post(url).bearer_auth(token).header("Idempotency-Key", key).json(body).send();
        match sent {
            Ok(reply) if reply.status().is_success() => return (Outcome::Ok, reply.json().unwrap_or(Value::Null)),
            // 409 while the key's first request is still claimed (up to the stale time), or a
            // server not ready: ask again. A 409 that outlasts the claim is the answer: the
            // change was made but its answer was lost (a command that does not store its
            // answer in its transaction), or a refusal.
            Ok(reply) if reply.status() == 409 => {
                let answer: Value = reply.json().unwrap_or(Value::Null);
                let applied = answer["errors"]
                    .as_array()
                    .is_some_and(|errors| errors.iter().any(|e| e["code"] == "applied_answer_lost"));
                if applied {
                    counts.applied_unanswered.fetch_add(1, Ordering::Relaxed);
                    return (Outcome::Ok, answer);
                }
                if conflicts >= 40 {
                    return (Outcome::Failed, answer);
                }
                conflicts += 1;
            }
            Ok(reply) if reply.status().is_server_error() => {}
            Ok(reply) => return (Outcome::Failed, reply.json().unwrap_or(Value::Null)),
            Err(_) => {
                counts.unknown.fetch_add(1, Ordering::Relaxed);
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[allow(clippy::print_stdout)]
pub fn run(root: &std::path::Path, kills: usize, sqlite: bool) -> anyhow::Result<bool> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let built =
        Command::new(&cargo).current_dir(root).args(["build", "--quiet", "--package", "ggzy-gateway"]).status()?;
    anyhow::ensure!(built.success(), "building ggzy failed");
    let target =
        std::env::var("CARGO_TARGET_DIR").map(std::path::PathBuf::from).unwrap_or_else(|_| root.join("target"));
    let data = std::env::temp_dir().join(format!("ggzy-crash-{}", std::process::id()));
    std::fs::create_dir_all(&data)?;
    let mut postgres = None;
    let database_url = if sqlite {
        format!("sqlite://{}/ggzy.db", data.display())
    } else {
        let admin_url = std::env::var("GGZY_BENCH_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let (base, _) = admin_url.rsplit_once('/').context("GGZY_BENCH_POSTGRES_URL has no database name")?;
        let name = format!("ggzy_crash_{}", std::process::id());
        let mut admin = PgConnection::establish(&admin_url).context("connecting to PostgreSQL")?;
        diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin)?;
        postgres = Some((admin, name.clone()));
        format!("{base}/{name}")
    };
    println!("crash test on {}", if sqlite { "SQLite (the embedded default)" } else { "PostgreSQL" });
    let mut server = Server {
        binary: target.join("debug/ggzy"),
        data: data.clone(),
        database_url,
        port: std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port(),
        child: None,
    };
    let outcome = exercise(&mut server, kills);
    server.kill();
    if let Some((mut admin, name)) = postgres {
        diesel::sql_query(format!("DROP DATABASE {name} WITH (FORCE)")).execute(&mut admin)?;
    }
    let _ = std::fs::remove_dir_all(&data);
    outcome
}

/// A tender open for bonds: (section id, base URL).
fn tender(server: &Server, client: &reqwest::blocking::Client) -> anyhow::Result<String> {
    let base = format!("http://127.0.0.1:{}", server.port);
    let post = |path: &str, token: &str, body: Value| -> anyhow::Result<Value> {
        let reply = client.post(format!("{base}{path}")).bearer_auth(token).json(&body).send()?;
        let status = reply.status();
        let body: Value = reply.json()?;
        anyhow::ensure!(status.is_success(), "{path}: {status} {body}");
        Ok(body)
    };
    let admin = server.token("platform_admin", None)?;
    post("/api/v1/departments/centre/staff", &admin, json!({"subject": "crash", "name": "值班员"}))?;
    let centre = server.token("centre_staff", Some("centre"))?;
    crate::seed::hand_in_test_document(client, &base, &centre)?;
    let tenderer = post(
        "/api/v1/participants",
        &centre,
        json!({"credit_code": "91110000600037341L", "name": "招标人", "kinds": ["tenderer"], "legal_representative": "张三"}),
    )?["id"]
        .as_str()
        .context("tenderer id")?
        .to_owned();
    let token = server.token("tenderer", Some(&tenderer))?;
    let project = post(
        "/api/v1/projects",
        &token,
        json!({"name": "崩溃测试工程", "tenderer_id": tenderer, "category": "construction", "subtype": "works",
               "sector": "building", "funding": "state_funded", "legally_required_tendering": true,
               "sections": [{"name": "一标段", "estimated_amount": "1000000.00"}],
               "approval_documents": [{"title": "批复", "number": "1号", "sha256": SHA}]}),
    )?;
    let section = project["sections"][0]["id"].as_str().context("section id")?.to_owned();
    let deadline = (chrono::Utc::now() + chrono::Duration::days(30)).format("%Y-%m-%dT02:00:00Z").to_string();
    post(
        &format!("/api/v1/projects/{}/announcements", project["id"].as_str().context("project id")?),
        &token,
        json!({"bid_deadline": deadline, "opening_place": "开标一室", "documents": [{"title": "招标文件", "sha256": SHA}],
               "sections": [{"section_id": section, "bond_amount": "20000.00"}]}),
    )?;
    Ok(section)
}

#[allow(clippy::print_stdout)]
fn exercise(server: &mut Server, kills: usize) -> anyhow::Result<bool> {
    server.start()?;
    let client = reqwest::blocking::Client::builder().timeout(Duration::from_secs(10)).build()?;
    let section = tender(server, &client)?;
    let base = format!("http://127.0.0.1:{}", server.port);
    let centre = server.token("centre_staff", Some("centre"))?;
    let stop = Arc::new(AtomicBool::new(false));
    let counts = Arc::new(Counts::default());
    let journal: Arc<Mutex<Vec<Attempt>>> = Arc::new(Mutex::new(Vec::new()));
    let minting = Arc::new(Mutex::new(()));
    let binary = server.binary.clone();
    let data = server.data.clone();
    let workers: Vec<_> = (0..CLIENTS)
        .map(|worker| {
            let (stop, counts, journal, minting) = (stop.clone(), counts.clone(), journal.clone(), minting.clone());
            let (base, centre, section, client, binary, data) =
                (base.clone(), centre.clone(), section.clone(), client.clone(), binary.clone(), data.clone());
            std::thread::spawn(move || {
                let mut n = 0_u32;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let code = credit_code(worker as u32 * 100_000 + n);
                    let key = |op: &str| format!("crash-{code}-{op}");
                    let (registered, body) = perform(
                        &client,
                        &format!("{base}/api/v1/participants"),
                        &centre,
                        &key("register"),
                        &json!({"credit_code": code, "name": format!("投标人{code}"), "kinds": ["bidder"], "legal_representative": "李四"}),
                        &counts,
                    );
                    let mut entry = Attempt {
                        code: code.clone(),
                        registered,
                        committed: Outcome::Failed,
                        deposited: Outcome::Failed,
                        manager: Outcome::Failed,
                        sealing_key: Outcome::Failed,
                        bid: Outcome::Failed,
                    };
                    if let (Outcome::Ok, Some(id)) = (registered, body["id"].as_str()) {
                        let token = {
                            let _one_at_a_time = minting.lock();
                            Command::new(&binary)
                                .env("GGZY_DATA_DIR", &data)
                                .args(["token", "--role", "bidder", "--org", id, "--ttl", "86400"])
                                .output()
                                .ok()
                                .and_then(|o| String::from_utf8(o.stdout).ok())
                                .map(|t| t.trim().to_owned())
                                .unwrap_or_default()
                        };
                        entry.committed = perform(&client, &format!("{base}/api/v1/participants/{id}/commitments"), &token, &key("commit"), &json!({}), &counts).0;
                        if entry.committed == Outcome::Ok {
                            entry.deposited = perform(
                                &client,
                                &format!("{base}/api/v1/sections/{section}/bonds"),
                                &token,
                                &key("bond"),
                                &json!({"form": "transfer", "amount": "20000.00",
                                        "payer_account": {"bank": "中国银行", "number": format!("6222{n}"), "is_basic_account": true}}),
                                &counts,
                            )
                            .0;
                        }
                        let mut manager_id = None;
                        if entry.deposited == Outcome::Ok {
                            let (outcome, person) = perform(
                                &client,
                                &format!("{base}/api/v1/persons"),
                                &centre,
                                &key("manager"),
                                &json!({"name": "项目经理", "id_number": resident_id(worker as u32 * 100_000 + n), "employer_id": id}),
                                &counts,
                            );
                            entry.manager = outcome;
                            manager_id = person["id"].as_str().map(str::to_owned);
                        }
                        // The bidder's own sealing keys, generated by its tool and registered once.
                        let keys = ggzy_seal::SecretKeys::generate(ggzy_seal::Suite::Hpke).ok();
                        let public = keys.as_ref().and_then(|k| k.public().ok()).and_then(|p| serde_json::to_value(p).ok());
                        if let (Outcome::Ok, Some(public)) = (entry.manager, public) {
                            entry.sealing_key = perform(
                                &client,
                                &format!("{base}/api/v1/participants/{id}/sealing-keys"),
                                &token,
                                &key("sealing-key"),
                                &public,
                                &counts,
                            )
                            .0;
                        }
                        // Sealed once: every retry under the key sends this same envelope.
                        let sealed = match (entry.sealing_key, &keys, manager_id) {
                            (Outcome::Ok, Some(keys), Some(manager)) => {
                                let content = json!({"price": format!("{}.00", 900_000 + n),
                                    "documents": [{"title": "投标文件", "sha256": SHA}],
                                    "project_manager_id": manager, "device_fingerprint": format!("device-{code}")});
                                serde_json::to_vec(&content)
                                    .ok()
                                    .and_then(|plain| ggzy_seal::seal(keys, &section, id, &plain).ok())
                                    .map(|(envelope, _)| json!({ "envelope": envelope }))
                            }
                            _ => None,
                        };
                        if let Some(sealed) = sealed {
                            entry.bid = perform(
                                &client,
                                &format!("{base}/api/v1/sections/{section}/bids"),
                                &token,
                                &key("bid"),
                                &sealed,
                                &counts,
                            )
                            .0;
                        }
                    }
                    if let Ok(mut journal) = journal.lock() {
                        journal.push(entry);
                    }
                }
            })
        })
        .collect();
    let mut killed = 0;
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    while killed < kills {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        std::thread::sleep(Duration::from_millis(1000 + state % 2000));
        server.kill();
        killed += 1;
        server.start()?;
    }
    stop.store(true, Ordering::Relaxed);
    for worker in workers {
        let _ = worker.join();
    }
    let journal = journal.lock().map_err(|_| anyhow::anyhow!("journal poisoned"))?.clone();
    // What the database holds now.
    let mut problems = Vec::new();
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        code: String,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        commitments: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        bonds: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        managers: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        sealing_keys: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        bids: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        envelopes: i64,
    }
    const STORED: &str = "SELECT p.credit_code AS code, \
           (SELECT COUNT(*) FROM commitments c WHERE c.participant_id = p.id) AS commitments, \
           (SELECT COUNT(*) FROM bonds b WHERE b.bidder_id = p.id) AS bonds, \
           (SELECT COUNT(*) FROM persons m WHERE m.employer_id = p.id) AS managers, \
           (SELECT COUNT(*) FROM sealing_keys k WHERE k.participant_id = p.id) AS sealing_keys, \
           (SELECT COUNT(*) FROM bids x WHERE x.bidder_id = p.id) AS bids, \
           (SELECT COUNT(*) FROM bids x JOIN bid_envelopes e ON e.bid_id = x.id WHERE x.bidder_id = p.id) AS envelopes \
         FROM participants p WHERE p.kinds = 'bidder'";
    let rows: Vec<Row> = match server.database_url.strip_prefix("sqlite://") {
        Some(path) => diesel::sql_query(STORED).load(&mut diesel::SqliteConnection::establish(path)?)?,
        None => diesel::sql_query(STORED).load(&mut PgConnection::establish(&server.database_url)?)?,
    };
    for attempt in &journal {
        let found: Vec<&Row> = rows.iter().filter(|r| r.code == attempt.code).collect();
        let expect = |outcome: Outcome| i64::from(outcome == Outcome::Ok);
        match (attempt.registered, found.as_slice()) {
            (Outcome::Ok, [row]) => {
                let stored = [row.commitments, row.bonds, row.managers, row.sealing_keys, row.bids, row.envelopes];
                let answered = [
                    attempt.committed,
                    attempt.deposited,
                    attempt.manager,
                    attempt.sealing_key,
                    attempt.bid,
                    attempt.bid,
                ]
                .map(expect);
                if stored != answered {
                    problems.push(format!(
                        "{}: stored commitments, bonds, managers, sealing keys, bids, envelopes {stored:?}; \
                         answered {answered:?}",
                        attempt.code
                    ));
                }
            }
            (Outcome::Failed, []) => {}
            (outcome, rows) => {
                problems.push(format!("{}: registration {outcome:?} but {} rows", attempt.code, rows.len()))
            }
        }
    }
    let registered = journal.iter().filter(|a| a.registered == Outcome::Ok).count();
    if rows.len() != registered {
        problems.push(format!("{} bidders stored, {registered} registrations answered as done", rows.len()));
    }
    // Every command the clients send keeps its answer in its own transaction: a retry after a
    // crash must replay it, never learn only that it was applied.
    let applied_unanswered = counts.applied_unanswered.load(Ordering::Relaxed);
    if applied_unanswered > 0 {
        problems.push(format!("{applied_unanswered} operations made but answered only as applied_answer_lost"));
    }
    let ledger = server.cli(&["ledger", "verify"])?;
    let audit = server.cli(&["audit", "verify"])?;
    let ok_ops: usize = journal
        .iter()
        .map(|a| {
            [a.registered, a.committed, a.deposited, a.manager, a.sealing_key, a.bid]
                .iter()
                .filter(|o| **o == Outcome::Ok)
                .count()
        })
        .sum();
    println!(
        "{killed} kills; {} bidders attempted, {ok_ops} operations succeeded, {} answers lost and retried, \
         {} made but answered only as applied_answer_lost; ledger {}, audit chain {}",
        journal.len(),
        counts.unknown.load(Ordering::Relaxed),
        applied_unanswered,
        if ledger { "verifies" } else { "DOES NOT VERIFY" },
        if audit { "verifies" } else { "DOES NOT VERIFY" },
    );
    for problem in &problems {
        println!("  {problem}");
    }
    Ok(problems.is_empty() && ledger && audit)
}
