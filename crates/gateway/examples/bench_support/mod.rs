//! What the benches of the gateway share (`bench_api`, `bench_storm`): a fresh database,
//! the release binary started on it, an HTTP client with tokens, timing of concurrent
//! work, the machine anchor every figure is divided by, and the bidder's side of sealing
//! (every section announced now takes envelopes only, tendering.bidder_sealing): its keys
//! registered once, its bids sealed offline as its own tool does.

// Each bench is its own crate and uses part of this module.
#![allow(dead_code)]

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use chrono::{DateTime, Utc};
use ggzy_gateway::auth::TokenAuthority;
use ggzy_seal::{Envelope, SecretKeys, Suite};
use ggzy_service::{Principal, Role};
use ggzy_store::{DbConnection, Store, StoreConfig};
use serde_json::{json, Value};

/// The binary's allocator (src/main.rs), so that work done in-process is measured as the
/// server does it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub const JWT_SECRET: &str = "bench-jwt-secret-0123456789abcdef-0123";
pub const PII_KEY: &str = "bench-pii-key-0123456789abcdef-0123456";
pub const MASTER_KEY: [u8; 32] = [7; 32];
pub const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

/// A database for the run and how to remove it.
pub struct Database {
    pub url: String,
    pub drop_with: Option<(String, String)>,
    pub dir: std::path::PathBuf,
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = &self.drop_with {
            if let Ok(store) = Store::open(&StoreConfig::new(admin_url.clone())) {
                let _ = raw(&store, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// How every PostgreSQL connection of the run is made: libpq's `PGSSLMODE`, `disable` unless
/// set. The PostgreSQL of docker-compose.yml offers no TLS, so a deployment's connections are
/// plain TCP; a server that offers it (Debian's default) would otherwise have libpq's default
/// `prefer` encrypt every loopback connection of the run, the anchor's as well, and the figures
/// would measure TLS. Set in this process before its first connection, and inherited by the
/// server and pgbench, so that all three connect alike. Returns the line the bench prints.
pub fn postgres_transport() -> String {
    if std::env::var_os("PGSSLMODE").is_none() {
        std::env::set_var("PGSSLMODE", "disable");
    }
    let mode = std::env::var("PGSSLMODE").unwrap_or_default();
    format!(
        "PostgreSQL connections (server, in-process and anchor): sslmode={mode} (PGSSLMODE; docker-compose.yml's \
         PostgreSQL offers no TLS; PGSSLMODE=prefer measures TLS where the server offers it)"
    )
}

pub fn database(postgres: bool) -> anyhow::Result<Database> {
    named_database(postgres, "")
}

/// A further database of the run, `part` telling it apart from the first (`database`).
pub fn named_database(postgres: bool, part: &str) -> anyhow::Result<Database> {
    if postgres {
        postgres_transport();
    }
    let suffix = if part.is_empty() { String::new() } else { format!("_{part}") };
    let dir = std::env::temp_dir().join(format!("ggzy-bench-api-{}{suffix}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    if !postgres {
        return Ok(Database { url: format!("sqlite://{}", dir.join("ggzy.db").display()), drop_with: None, dir });
    }
    let admin_url = std::env::var("GGZY_BENCH_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let (base, _) = admin_url.rsplit_once('/').context("GGZY_BENCH_POSTGRES_URL has no database name")?;
    let name = format!("ggzy_bench_api_{}{suffix}", std::process::id());
    let admin = Store::open(&StoreConfig::new(admin_url.clone()))?;
    raw(&admin, &format!("CREATE DATABASE {name}"))?;
    Ok(Database { url: format!("{base}/{name}"), drop_with: Some((admin_url, name)), dir })
}

/// One statement outside a transaction (CREATE DATABASE cannot run inside one).
pub fn raw(store: &Store, sql: &str) -> anyhow::Result<usize> {
    use diesel::RunQueryDsl;
    let sql = sql.to_owned();
    store
        .read(|conn| -> Result<usize, ggzy_store::StoreError> {
            Ok(match conn {
                DbConnection::Postgres(pg) => diesel::sql_query(&sql).execute(pg),
                DbConnection::Sqlite(lite) => diesel::sql_query(&sql).execute(lite),
            }?)
        })
        .with_context(|| format!("running {}", &sql[..sql.len().min(60)]))
}

pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// The release binary on `database`, its clock as `GGZY_CLOCK` says (`manual:…`, `from:…`).
    pub fn start(database: &Database, pool: u32, clock: &str) -> anyhow::Result<Server> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let binary = std::env::current_exe()?
            .parent()
            .and_then(|examples| examples.parent())
            .map(|release| release.join("ggzy"))
            .context("locating the ggzy binary next to the example")?;
        let child = Command::new(&binary)
            .arg("serve")
            .env("GGZY_DATABASE_URL", &database.url)
            .env("GGZY_LISTEN", format!("127.0.0.1:{port}"))
            .env("GGZY_DATA_DIR", database.dir.join("data"))
            .env("GGZY_JWT_SECRET", JWT_SECRET)
            .env("GGZY_PII_KEY", PII_KEY)
            .env("GGZY_BID_MASTER_KEY", hex::encode(MASTER_KEY))
            .env("GGZY_CLOCK", clock)
            .env("GGZY_LOG", "warn")
            .env("GGZY_DB_POOL_SIZE", pool.to_string())
            // GGZY_BENCH_SERVER_LOG=1 shows the server's log (warnings and errors).
            .stdout(if std::env::var_os("GGZY_BENCH_SERVER_LOG").is_some() { Stdio::inherit() } else { Stdio::null() })
            .stderr(if std::env::var_os("GGZY_BENCH_SERVER_LOG").is_some() { Stdio::inherit() } else { Stdio::null() })
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let server = Server { child, base: format!("http://127.0.0.1:{port}") };
        let client = reqwest::blocking::Client::new();
        for _ in 0..300 {
            if client.get(format!("{}/readyz", server.base)).send().is_ok_and(|r| r.status().is_success()) {
                return Ok(server);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        bail!("the server did not become ready")
    }

    /// Peak resident set size in MiB (VmHWM), from /proc.
    pub fn peak_rss_mib(&self) -> Option<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib / 1024.0)
    }
}

pub fn principal(role: Role, org: Option<&str>) -> Principal {
    Principal { subject: "bench".into(), role, org: org.map(str::to_owned), scopes: vec![], request_key: None }
}

pub struct Http {
    pub client: reqwest::blocking::Client,
    pub base: String,
    pub tokens: Arc<TokenAuthority>,
    /// When the tokens it mints are issued (the server's clock, not this machine's).
    pub issued_at: DateTime<Utc>,
}

impl Http {
    pub fn token(&self, role: Role, org: Option<&str>) -> anyhow::Result<String> {
        self.tokens.issue(&principal(role, org), self.issued_at, 86_400)
    }

    pub fn post(&self, path: &str, token: &str, body: &Value) -> anyhow::Result<Value> {
        let reply = self.client.post(format!("{}{path}", self.base)).bearer_auth(token).json(body).send()?;
        let status = reply.status();
        let body: Value = reply.json().unwrap_or(Value::Null);
        if !status.is_success() {
            bail!("{path}: {status} {body}");
        }
        Ok(body)
    }

    /// Hands in the file `test` (SHA-256 [`SHA`]), which the benches' records name: a
    /// record may not point at a file the platform never received.
    pub fn hand_in_test_document(&self) -> anyhow::Result<()> {
        let token = self.token(Role::CentreStaff, Some("centre"))?;
        let reply = self
            .client
            .post(format!("{}/api/v1/documents?kind=evidence&title=test&sha256={SHA}", self.base))
            .bearer_auth(token)
            .body("test")
            .send()?;
        let status = reply.status();
        if !status.is_success() {
            bail!("uploading the test document: {status} {}", reply.text().unwrap_or_default());
        }
        Ok(())
    }
}

/// The load generator's side of the measured phases: HTTP/1.1 over one kept-alive TCP
/// connection per client thread, the request written in one piece and the reply read to
/// its last byte. The server sees the same requests as from any client; what this saves is
/// the load generator's own CPU on the machine the server shares, which reqwest's blocking
/// client (every request handed to one runtime thread and back) spent in the measured time.
pub struct Wire {
    addr: std::net::SocketAddr,
    host: String,
}

type WireConnection = std::io::BufReader<std::net::TcpStream>;

thread_local! {
    static WIRE_CONNECTION: std::cell::RefCell<Option<(std::net::SocketAddr, WireConnection)>> =
        const { std::cell::RefCell::new(None) };
}

impl Wire {
    /// The server at `base` (`http://host:port`).
    pub fn new(base: &str) -> anyhow::Result<Wire> {
        use std::net::ToSocketAddrs;
        let host = base.strip_prefix("http://").context("the bench speaks plain HTTP")?.trim_end_matches('/');
        let addr = host.to_socket_addrs()?.next().context("resolving the server's address")?;
        Ok(Wire { addr, host: host.to_owned() })
    }

    /// GET `path`; the reply's status once its whole body has arrived.
    pub fn get(&self, path: &str, token: Option<&str>) -> Option<u16> {
        self.exchange("GET", path, token, None)
    }

    /// A request with a JSON body (already serialised, as a client tool sends it).
    pub fn send_json(&self, method: &str, path: &str, token: &str, body: &[u8]) -> Option<u16> {
        self.exchange(method, path, Some(token), Some(body))
    }

    fn exchange(&self, method: &str, path: &str, token: Option<&str>, body: Option<&[u8]>) -> Option<u16> {
        use std::fmt::Write as _;
        let mut request = String::with_capacity(256);
        let _ = write!(request, "{method} {path} HTTP/1.1\r\nHost: {}\r\n", self.host);
        if let Some(token) = token {
            let _ = write!(request, "Authorization: Bearer {token}\r\n");
        }
        if let Some(body) = body {
            let _ = write!(request, "Content-Type: application/json\r\nContent-Length: {}\r\n", body.len());
        }
        request.push_str("\r\n");
        let mut bytes = request.into_bytes();
        bytes.extend_from_slice(body.unwrap_or_default());
        WIRE_CONNECTION.with(|cell| {
            let mut slot = cell.borrow_mut();
            // A kept connection the server has closed meanwhile fails at once: one retry on a
            // new connection.
            for attempt in 0..2 {
                let reused = matches!(&*slot, Some((addr, _)) if *addr == self.addr);
                if !reused {
                    let stream = std::net::TcpStream::connect(self.addr).ok()?;
                    stream.set_nodelay(true).ok()?;
                    *slot = Some((self.addr, std::io::BufReader::with_capacity(64 * 1024, stream)));
                }
                let (_, connection) = slot.as_mut()?;
                match Self::round_trip(connection, &bytes) {
                    Ok((status, keep)) => {
                        if !keep {
                            *slot = None;
                        }
                        return Some(status);
                    }
                    Err(_) => {
                        *slot = None;
                        if !reused || attempt == 1 {
                            return None;
                        }
                    }
                }
            }
            None
        })
    }

    /// Writes the request, reads the status, the headers and the body (by its length, or
    /// chunk by chunk); the status and whether the connection stays open.
    fn round_trip(connection: &mut WireConnection, request: &[u8]) -> std::io::Result<(u16, bool)> {
        use std::io::{BufRead, Read, Write};
        let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned());
        connection.get_mut().write_all(request)?;
        let mut line = String::new();
        if connection.read_line(&mut line)? == 0 {
            return Err(bad("closed before the reply"));
        }
        let status: u16 = line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or_else(|| bad("status"))?;
        let (mut length, mut chunked, mut keep) = (None, false, true);
        loop {
            line.clear();
            if connection.read_line(&mut line)? == 0 {
                return Err(bad("closed in the headers"));
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':').ok_or_else(|| bad("header"))?;
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = Some(value.parse::<u64>().map_err(|_| bad("content-length"))?);
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                chunked = value.eq_ignore_ascii_case("chunked");
            } else if name.eq_ignore_ascii_case("connection") {
                keep = !value.eq_ignore_ascii_case("close");
            }
        }
        let mut sink = std::io::sink();
        if chunked {
            loop {
                line.clear();
                connection.read_line(&mut line)?;
                let size = u64::from_str_radix(line.trim_end().split(';').next().unwrap_or(""), 16)
                    .map_err(|_| bad("chunk size"))?;
                // The chunk and its CRLF; the last (empty) chunk's CRLF ends the body.
                std::io::copy(&mut connection.by_ref().take(size + 2), &mut sink)?;
                if size == 0 {
                    break;
                }
            }
        } else if let Some(length) = length {
            if std::io::copy(&mut connection.by_ref().take(length), &mut sink)? != length {
                return Err(bad("body cut short"));
            }
        }
        Ok((status, keep))
    }
}

/// A credit code with a valid check character (GB 32100), distinct for each n.
pub fn credit_code(n: usize) -> String {
    let body = format!("91110000{n:09}");
    let check = ggzy_kernel::CreditCode::check_character(&body).unwrap_or('0');
    format!("{body}{check}")
}

/// A resident identity number with a valid check character (GB 11643), distinct for each n
/// below 1,000.
pub fn resident_id(n: usize) -> String {
    let body = format!("11010119800101{n:03}");
    let check = ggzy_kernel::ResidentId::check_character(&body).unwrap_or('0');
    format!("{body}{check}")
}

pub struct Figures {
    pub count: usize,
    pub errors: usize,
    pub seconds: f64,
    pub latencies_ms: Vec<f64>,
}

impl Figures {
    pub fn rate(&self) -> f64 {
        self.count as f64 / self.seconds
    }

    pub fn percentile(&self, p: f64) -> f64 {
        let mut sorted = self.latencies_ms.clone();
        sorted.sort_by(f64::total_cmp);
        let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
        sorted.get(index).copied().unwrap_or(f64::NAN)
    }

    /// The figures of several runs of the same work taken as one: counts and times added,
    /// latencies pooled.
    pub fn joined(parts: Vec<Figures>) -> Figures {
        parts.into_iter().fold(
            Figures { count: 0, errors: 0, seconds: 0.0, latencies_ms: Vec::new() },
            |mut all, part| {
                all.count += part.count;
                all.errors += part.errors;
                all.seconds += part.seconds;
                all.latencies_ms.extend(part.latencies_ms);
                all
            },
        )
    }

    /// Mean latency, milliseconds.
    pub fn mean(&self) -> f64 {
        self.latencies_ms.iter().sum::<f64>() / self.latencies_ms.len().max(1) as f64
    }

    pub fn line(&self, what: &str) -> String {
        format!(
            "{what:<34} {:>7} ops {:>5} errors {:>8.1} ops/s  p50 {:>6.1} ms  p99 {:>6.1} ms",
            self.count,
            self.errors,
            self.rate(),
            self.percentile(0.50),
            self.percentile(0.99)
        )
    }
}

/// Runs `work(client, i)` for i in 0..per_client on each client thread at once.
pub fn measure<F>(clients: usize, per_client: usize, work: F) -> Figures
where
    F: Fn(usize, usize) -> bool + Sync,
{
    let clients = clients.max(1);
    measure_items(clients, clients * per_client, |n| work(n % clients, n / clients))
}

/// The machine anchor: what the same database server does with the simplest durable work.
pub struct Anchor {
    pub what: String,
    /// Transactions per second.
    pub tps: f64,
    /// Average latency, milliseconds (pgbench's; the mean commit time on SQLite).
    pub latency_ms: f64,
    /// The 99th percentile of the anchor's own latencies, milliseconds: how long a tail the
    /// machine gives a simple transaction at the same concurrency (pgbench's log of every
    /// transaction; each commit timed on SQLite).
    pub p99_ms: f64,
}

/// The 99th percentile of pgbench's per-transaction log files under `dir` (`-l`): each line
/// `client transaction latency_µs script epoch µs`.
fn pgbench_log_p99(dir: &std::path::Path) -> anyhow::Result<f64> {
    let mut latencies_ms = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let text = std::fs::read_to_string(entry?.path())?;
        for line in text.lines() {
            let micros: f64 = line.split_whitespace().nth(2).context("a pgbench log line without latency")?.parse()?;
            latencies_ms.push(micros / 1000.0);
        }
    }
    anyhow::ensure!(!latencies_ms.is_empty(), "pgbench logged no transactions");
    Ok(Figures { count: latencies_ms.len(), errors: 0, seconds: 0.0, latencies_ms }.percentile(0.99))
}

/// pgbench TPC-B on a database of its own, dropped afterwards.
pub fn pgbench_anchor(clients: usize) -> anyhow::Result<Anchor> {
    postgres_transport();
    let admin_url = std::env::var("GGZY_BENCH_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let (base, _) = admin_url.rsplit_once('/').context("GGZY_BENCH_POSTGRES_URL has no database name")?;
    let name = format!("ggzy_bench_anchor_{}", std::process::id());
    let admin = Store::open(&StoreConfig::new(admin_url.clone()))?;
    raw(&admin, &format!("CREATE DATABASE {name}"))?;
    let url = format!("{base}/{name}");
    let result = (|| -> anyhow::Result<Anchor> {
        let init =
            Command::new("pgbench").args(["-i", "-q", "-s", "16", &url]).output().context("running pgbench -i")?;
        anyhow::ensure!(init.status.success(), "pgbench -i: {}", String::from_utf8_lossy(&init.stderr));
        let clients = clients.to_string();
        let logs = std::env::temp_dir().join(format!("{name}-log"));
        let _ = std::fs::remove_dir_all(&logs);
        std::fs::create_dir_all(&logs)?;
        let prefix = logs.join("anchor").display().to_string();
        let run = Command::new("pgbench")
            .args(["-n", "-c", &clients, "-j", &clients, "-T", "15", "-l", "--log-prefix", &prefix, &url])
            .output()
            .context("running pgbench");
        let p99_ms = pgbench_log_p99(&logs);
        let _ = std::fs::remove_dir_all(&logs);
        let run = run?;
        anyhow::ensure!(run.status.success(), "pgbench: {}", String::from_utf8_lossy(&run.stderr));
        let text = String::from_utf8_lossy(&run.stdout).into_owned();
        let number_after = |label: &str| -> anyhow::Result<f64> {
            let rest = text.split(label).nth(1).with_context(|| format!("no `{label}` in pgbench's output"))?;
            let number: String = rest.trim_start().chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
            Ok(number.parse()?)
        };
        Ok(Anchor {
            what: format!("pgbench TPC-B, scale 16, {clients} clients, 15 s"),
            tps: number_after("tps = ")?,
            latency_ms: number_after("latency average = ")?,
            p99_ms: p99_ms?,
        })
    })();
    let _ = raw(&admin, &format!("DROP DATABASE IF EXISTS {name}"));
    result
}

/// Single-row inserts, each committed on its own, for five seconds (SQLite's anchor).
pub fn sqlite_anchor(dir: &std::path::Path) -> anyhow::Result<Anchor> {
    let path = dir.join("anchor.db");
    let store = Store::open(&StoreConfig::new(format!("sqlite://{}", path.display())))?;
    raw(&store, "CREATE TABLE anchor (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")?;
    let started = Instant::now();
    let mut commits = 0_u64;
    let mut latencies_ms = Vec::new();
    while started.elapsed() < Duration::from_secs(5) {
        let commit = Instant::now();
        raw(&store, &format!("INSERT INTO anchor (body) VALUES ('row {commits}')"))?;
        latencies_ms.push(commit.elapsed().as_secs_f64() * 1000.0);
        commits += 1;
    }
    let seconds = started.elapsed().as_secs_f64();
    let p99_ms = Figures { count: latencies_ms.len(), errors: 0, seconds, latencies_ms }.percentile(0.99);
    drop(store);
    let _ = std::fs::remove_file(&path);
    Ok(Anchor {
        what: "SQLite single-row insert and commit, one connection, 5 s".into(),
        tps: commits as f64 / seconds,
        latency_ms: seconds * 1000.0 / commits.max(1) as f64,
        p99_ms,
    })
}

/// Runs `work(n)` for every n in 0..items on `clients` threads at once (client c takes c,
/// c + clients, …): exactly `items` timed calls.
pub fn measure_items<F>(clients: usize, items: usize, work: F) -> Figures
where
    F: Fn(usize) -> bool + Sync,
{
    let clients = clients.max(1);
    let started = Instant::now();
    let results: Vec<(usize, Vec<f64>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..clients)
            .map(|client| {
                let work = &work;
                scope.spawn(move || {
                    let mut errors = 0;
                    let mut latencies = Vec::new();
                    for n in (client..items).step_by(clients) {
                        let t = Instant::now();
                        if !work(n) {
                            errors += 1;
                        }
                        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
                    }
                    (errors, latencies)
                })
            })
            .collect();
        // A worker that panicked did none of its items: they count as errors.
        handles
            .into_iter()
            .enumerate()
            .map(|(client, h)| h.join().unwrap_or_else(|_| ((client..items).step_by(clients).count(), Vec::new())))
            .collect()
    });
    let seconds = started.elapsed().as_secs_f64();
    let errors = results.iter().map(|(e, _)| e).sum();
    let latencies_ms: Vec<f64> = results.into_iter().flat_map(|(_, l)| l).collect();
    Figures { count: items, errors, seconds, latencies_ms }
}

/// A participant registered by centre staff, with a valid credit code distinct for `n`.
pub fn register_participant(http: &Http, centre: &str, n: usize, kind: &str) -> anyhow::Result<String> {
    let body = json!({"credit_code": credit_code(n), "name": format!("基准主体{n}"), "kinds": [kind], "legal_representative": "张三"});
    Ok(http.post("/api/v1/participants", centre, &body)?["id"].as_str().context("participant id")?.to_owned())
}

/// A bidder ready to bid: registered, its commitment signed, a project manager, and a bond
/// held in each section (paid from its own basic account). Returns (id, token, manager).
pub fn ready_bidder(
    http: &Http,
    centre: &str,
    n: usize,
    sections: &[String],
) -> anyhow::Result<(String, String, String)> {
    let id = register_participant(http, centre, n, "bidder")?;
    let token = http.token(Role::Bidder, Some(&id))?;
    http.post(&format!("/api/v1/participants/{id}/commitments"), &token, &json!({}))?;
    let person = json!({"name": "项目经理", "id_number": resident_id(n), "employer_id": id});
    let manager = http.post("/api/v1/persons", centre, &person)?["id"].as_str().context("person id")?.to_owned();
    for section in sections {
        http.post(
            &format!("/api/v1/sections/{section}/bonds"),
            &token,
            &json!({"form": "transfer", "amount": "20000.00",
                    "payer_account": {"bank": "中国银行", "number": format!("6222 0000 {n:06}"), "is_basic_account": true}}),
        )?;
    }
    Ok((id, token, manager))
}

/// A bidder's sealing keys, generated as its own tool does (HPKE and Ed25519) and the public
/// half registered at the platform with the bidder's token (set-up, not timed).
pub fn register_sealing_key(http: &Http, bidder: &str, token: &str) -> anyhow::Result<SecretKeys> {
    let keys = SecretKeys::generate(Suite::Hpke)?;
    let public = serde_json::to_value(keys.public()?)?;
    http.post(&format!("/api/v1/participants/{bidder}/sealing-keys"), token, &public)
        .with_context(|| format!("registering the sealing key of {bidder}"))?;
    Ok(keys)
}

/// A bid sealed offline by its bidder: the envelope it sends and the content key it keeps
/// to reveal at the opening.
pub struct SealedBid {
    pub envelope: Envelope,
    /// Base64, as revealed (`POST /bids/{id}/decryption`).
    pub content_key: String,
}

impl SealedBid {
    /// The body of a submission or a modification: the envelope and nothing else.
    pub fn body(&self) -> Value {
        json!({ "envelope": self.envelope })
    }

    /// The body of the decryption: the content key.
    pub fn reveal(&self) -> Value {
        json!({ "content_key": self.content_key })
    }
}

/// Seals `content` (the bid's JSON, exactly what used to be posted in clear) for a section as
/// the bidder holding `keys`.
pub fn seal_bid(keys: &SecretKeys, section: &str, bidder: &str, content: &Value) -> anyhow::Result<SealedBid> {
    let (envelope, content_key) = ggzy_seal::seal(keys, section, bidder, &serde_json::to_vec(content)?)?;
    Ok(SealedBid { envelope, content_key: ggzy_seal::encode_key(&content_key) })
}

/// Seals `count` bids, `bid(n)` giving the n-th one's keys, section, bidder and content, on
/// every core (the bidders' tools, before anything is timed).
pub fn seal_all<'a, F>(count: usize, bid: F) -> anyhow::Result<Vec<SealedBid>>
where
    F: Fn(usize) -> (&'a SecretKeys, &'a str, &'a str, Value) + Sync,
{
    let threads = std::thread::available_parallelism().map_or(1, usize::from).min(count.max(1));
    let parts: Vec<anyhow::Result<Vec<(usize, SealedBid)>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let bid = &bid;
                scope.spawn(move || {
                    (t..count)
                        .step_by(threads)
                        .map(|n| {
                            let (keys, section, bidder, content) = bid(n);
                            Ok((n, seal_bid(keys, section, bidder, &content)?))
                        })
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(anyhow::anyhow!("a sealing thread panicked"))))
            .collect()
    });
    let mut sealed: Vec<(usize, SealedBid)> = Vec::with_capacity(count);
    for part in parts {
        sealed.extend(part?);
    }
    sealed.sort_by_key(|(n, _)| *n);
    Ok(sealed.into_iter().map(|(_, s)| s).collect())
}

/// Resident set size now, in MiB (VmRSS), from /proc.
pub fn rss_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// The name and CPU seconds (user and system) of a `/proc/…/stat` line: `pid (comm) state
/// ppid …`; the name may hold spaces and parentheses, so the fields are counted from its last
/// `)`, utime and stime being the 14th and 15th, in clock ticks of 10 ms.
fn stat_cpu_seconds(stat: &str) -> Option<(String, f64)> {
    let (open, close) = (stat.find('(')?, stat.rfind(')')?);
    let fields: Vec<&str> = stat.get(close + 1..)?.split_whitespace().collect();
    let ticks: f64 = fields.get(11..13)?.iter().filter_map(|f| f.parse::<f64>().ok()).sum();
    Some((stat.get(open + 1..close)?.to_owned(), ticks / 100.0))
}

/// CPU seconds a process has spent so far, its ended threads included (Linux's /proc).
pub fn process_cpu_seconds(pid: u32) -> Option<f64> {
    stat_cpu_seconds(&std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?).map(|(_, seconds)| seconds)
}

/// CPU seconds of a process's running threads so far, summed by thread name (empty where
/// there is no /proc). The names say what the threads do: `actix-rt|system` the HTTP
/// workers, `ggzy-service` the threads the service's use cases run on.
pub fn thread_cpu_seconds(pid: u32) -> std::collections::BTreeMap<String, f64> {
    let mut by_name = std::collections::BTreeMap::new();
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else { return by_name };
    for task in tasks.flatten() {
        let Ok(stat) = std::fs::read_to_string(task.path().join("stat")) else { continue };
        if let Some((name, seconds)) = stat_cpu_seconds(&stat) {
            *by_name.entry(name).or_insert(0.0) += seconds;
        }
    }
    by_name
}

/// The machine's CPU seconds so far, busy and idle, summed over its CPUs (the first line of
/// Linux's /proc/stat, in ticks of 10 ms: user, nice, system, idle, iowait, irq, softirq,
/// steal, …).
pub fn machine_cpu_seconds() -> Option<(f64, f64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let ticks: Vec<f64> =
        stat.lines().next()?.split_whitespace().skip(1).take(8).filter_map(|t| t.parse().ok()).collect();
    let tick = |n: usize| ticks.get(n).copied().unwrap_or(0.0);
    let busy = tick(0) + tick(1) + tick(2) + tick(5) + tick(6) + tick(7);
    Some((busy / 100.0, (tick(3) + tick(4)) / 100.0))
}

/// What the processes named `postgres` on this machine (the server and its backends, whose
/// connections the bench keeps open; nothing when the database is elsewhere) have used so
/// far: CPU seconds, and how often they gave the CPU up waiting (voluntary) or were taken off
/// it (involuntary), from Linux's /proc (a backend is one thread).
#[derive(Debug, Default, Clone, Copy)]
pub struct PostgresUsage {
    pub cpu_seconds: f64,
    pub voluntary_switches: f64,
    pub involuntary_switches: f64,
}

impl PostgresUsage {
    pub fn now() -> PostgresUsage {
        let mut usage = PostgresUsage::default();
        let Ok(processes) = std::fs::read_dir("/proc") else { return usage };
        let numbered = processes
            .flatten()
            .filter(|entry| entry.file_name().to_str().is_some_and(|name| name.bytes().all(|b| b.is_ascii_digit())));
        for process in numbered {
            let Ok(stat) = std::fs::read_to_string(process.path().join("stat")) else { continue };
            let Some((name, seconds)) = stat_cpu_seconds(&stat) else { continue };
            if name != "postgres" {
                continue;
            }
            usage.cpu_seconds += seconds;
            let status = std::fs::read_to_string(process.path().join("status")).unwrap_or_default();
            for line in status.lines() {
                let count = |prefix: &str| line.strip_prefix(prefix).and_then(|n| n.trim().parse::<f64>().ok());
                if let Some(n) = count("voluntary_ctxt_switches:") {
                    usage.voluntary_switches += n;
                } else if let Some(n) = count("nonvoluntary_ctxt_switches:") {
                    usage.involuntary_switches += n;
                }
            }
        }
        usage
    }

    /// What was used between `earlier` and this reading.
    pub fn since(&self, earlier: &PostgresUsage) -> PostgresUsage {
        PostgresUsage {
            cpu_seconds: self.cpu_seconds - earlier.cpu_seconds,
            voluntary_switches: self.voluntary_switches - earlier.voluntary_switches,
            involuntary_switches: self.involuntary_switches - earlier.involuntary_switches,
        }
    }

    pub fn add(&mut self, other: &PostgresUsage) {
        self.cpu_seconds += other.cpu_seconds;
        self.voluntary_switches += other.voluntary_switches;
        self.involuntary_switches += other.involuntary_switches;
    }
}

/// The CPU seconds each thread name spent between two readings of `thread_cpu_seconds`.
pub fn cpu_spent(
    before: &std::collections::BTreeMap<String, f64>,
    after: &std::collections::BTreeMap<String, f64>,
) -> std::collections::BTreeMap<String, f64> {
    after.iter().map(|(name, seconds)| (name.clone(), seconds - before.get(name).copied().unwrap_or(0.0))).collect()
}

/// What a document's trip through the server cost.
pub struct DocumentTrip {
    pub mib: usize,
    pub upload_mib_s: f64,
    pub download_mib_s: f64,
    /// Reading the same stored file from disk in this process, hashing it as the server
    /// does: what the HTTP download is compared with.
    pub disk_mib_s: f64,
    /// The server's RSS before the upload and the highest seen while the file went in and out.
    pub rss_before_mib: f64,
    pub rss_peak_mib: f64,
}

impl DocumentTrip {
    pub fn print(&self) {
        println!(
            "document of {} MiB: upload {:.0} MiB/s, download over HTTP {:.0} MiB/s, the stored file read from disk \
             in-process {:.0} MiB/s (HTTP / disk {:.2})",
            self.mib,
            self.upload_mib_s,
            self.download_mib_s,
            self.disk_mib_s,
            self.download_mib_s / self.disk_mib_s
        );
        println!(
            "server RSS while it went in and out: {:.1} MiB before, {:.1} MiB at most ({:+.1} MiB)",
            self.rss_before_mib,
            self.rss_peak_mib,
            self.rss_peak_mib - self.rss_before_mib
        );
    }
}

/// Writes `mib` MiB of pseudo-random bytes to `path` and answers their SHA-256.
fn random_file(path: &std::path::Path, mib: usize) -> anyhow::Result<String> {
    use sha2::Digest;
    use std::io::Write;
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut hasher = sha2::Sha256::new();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut block = vec![0u8; 1024 * 1024];
    for _ in 0..mib {
        for chunk in block.chunks_mut(8) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            chunk.copy_from_slice(&state.to_le_bytes()[..chunk.len()]);
        }
        hasher.update(&block);
        file.write_all(&block)?;
    }
    file.flush()?;
    Ok(hex::encode(hasher.finalize()))
}

/// Uploads a file of `mib` MiB as the centre's recording of `project`, downloads it, and
/// reads the stored copy from disk, sampling the server's RSS all the while.
pub fn document_trip(
    http: &Http,
    server: &Server,
    work_dir: &std::path::Path,
    documents_dir: &std::path::Path,
    project: &str,
    mib: usize,
) -> anyhow::Result<DocumentTrip> {
    use sha2::Digest;
    use std::io::Read;
    use std::sync::atomic::{AtomicBool, Ordering};
    let path = work_dir.join("bench-document.bin");
    let sha = random_file(&path, mib)?;
    let bytes = (mib * 1024 * 1024) as f64 / (1024.0 * 1024.0);
    let pid = server.child.id();
    let rss_before = rss_mib(pid).unwrap_or(f64::NAN);
    let sampling = Arc::new(AtomicBool::new(true));
    let sampler = {
        let sampling = sampling.clone();
        std::thread::spawn(move || {
            let mut peak = 0.0f64;
            while sampling.load(Ordering::Relaxed) {
                peak = peak.max(rss_mib(pid).unwrap_or(0.0));
                std::thread::sleep(Duration::from_millis(20));
            }
            peak
        })
    };
    let centre = http.token(Role::CentreStaff, Some("centre"))?;
    let client = reqwest::blocking::Client::builder().timeout(Duration::from_secs(3600)).build()?;
    let file = std::fs::File::open(&path)?;
    let length = file.metadata()?.len();
    let started = Instant::now();
    let uploaded = client
        .post(format!("{}/api/v1/documents?kind=recording&title=opening&sha256={sha}&project_id={project}", http.base))
        .bearer_auth(&centre)
        .header("Content-Type", "video/mp4")
        .header("Content-Length", length)
        .body(reqwest::blocking::Body::sized(file, length))
        .send()?;
    let upload_s = started.elapsed().as_secs_f64();
    let status = uploaded.status();
    let document: Value = uploaded.json().unwrap_or(Value::Null);
    if !status.is_success() {
        sampling.store(false, Ordering::Relaxed);
        bail!("uploading {mib} MiB: {status} {document}");
    }
    let id = document["id"].as_str().context("document id")?.to_owned();
    let started = Instant::now();
    let mut answer = client.get(format!("{}/api/v1/documents/{id}/content", http.base)).bearer_auth(&centre).send()?;
    if !answer.status().is_success() {
        sampling.store(false, Ordering::Relaxed);
        bail!("downloading: {}", answer.status());
    }
    let mut hasher = sha2::Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let n = answer.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    let download_s = started.elapsed().as_secs_f64();
    sampling.store(false, Ordering::Relaxed);
    let rss_peak = sampler.join().map_err(|_| anyhow::anyhow!("the RSS sampler failed"))?;
    anyhow::ensure!(hex::encode(hasher.finalize()) == sha, "the download is not the file uploaded");
    let stored = documents_dir.join("sha256").join(&sha[..2]).join(&sha);
    let started = Instant::now();
    let mut file = std::fs::File::open(&stored).with_context(|| format!("opening {}", stored.display()))?;
    let mut hasher = sha2::Sha256::new();
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    let disk_s = started.elapsed().as_secs_f64();
    anyhow::ensure!(hex::encode(hasher.finalize()) == sha, "the stored file is not the file uploaded");
    let _ = std::fs::remove_file(&path);
    Ok(DocumentTrip {
        mib,
        upload_mib_s: bytes / upload_s,
        download_mib_s: bytes / download_s,
        disk_mib_s: bytes / disk_s,
        rss_before_mib: rss_before,
        rss_peak_mib: rss_peak,
    })
}

/// How many API reads the server runs at once: GGZY_READ_CONCURRENCY from this environment,
/// which the server inherits, or its default.
pub fn reads_at_once() -> String {
    std::env::var("GGZY_READ_CONCURRENCY").map_or_else(
        |_| format!("{} (GGZY_READ_CONCURRENCY's default: twice the cores)", ggzy_gateway::admission::default_limit()),
        |set| format!("{set} (GGZY_READ_CONCURRENCY)"),
    )
}
