//! `cargo xtask bench api [--db postgres|sqlite] [--clients N] [--sections N]
//! [--announcements N] [--requests N] [--pool N]`: a load generator driving the release binary over
//! HTTP, and the same work called in-process to find the database's limit.
//!
//! Set-up (not timed): a fresh database (PostgreSQL from GGZY_BENCH_POSTGRES_URL, default
//! the local server, or a SQLite file), the binary on a fixed clock, `sections` announced
//! sections (every section announced now takes envelopes only, tendering.bidder_sealing),
//! two bidders per client each holding a bond in every section and a registered sealing key,
//! and the announcements and the OCDS releases each filled up to `announcements` rows with
//! copies of a real one. Every bid is an envelope its bidder sealed offline (HPKE and
//! Ed25519, `ggzy-seal`), before anything is timed: what is timed is the server's side.
//! Then:
//! 1. bid submission over HTTP: each client's first bidder submits one envelope per section
//!    (the envelope checked against the bidder's registered key — format, address, Ed25519
//!    signature —, credit gate, bond check, the envelope stored, audit) — throughput,
//!    p50/p99;
//! 2. the same of each client's second bidder through `Tendering::submit_bid` in this
//!    process (one transaction each, no HTTP) — the database limit, and the ratio; the two
//!    run in four turns each, a quarter of the sections a turn, alternately first, so that the
//!    host's drift within a run falls on both alike; on Linux also the CPU each side spends
//!    per bid (the server's threads by name, the load generator, the in-process bench, the
//!    local PostgreSQL's processes and their context switches) and the machine's idle share,
//!    which measure HTTP's own cost without the noise of a saturated machine's throughput;
//! 3. the public announcement list at random keyset positions, at the full size and at
//!    10,000 rows (a second server on a database of its own) in alternate turns, and a
//!    project read;
//! 4. OCDS release pages (`/api/v1/ocds/releases`, 100 releases) at random positions, and
//!    the screens' lists at the full size: the announcement list filtered by category and
//!    kind (every filled row matches, the filter's worst case) at random positions, the
//!    month's openings, the centre's project list by status and category, the deadline
//!    watch and the objection queue;
//! 5. a document of 64 MiB handed in, downloaded over HTTP, and the stored file read from
//!    disk in this process: MiB/s of each and the server's RSS meanwhile (the large-file
//!    run is `cargo xtask bench documents`).
//!
//! Prints every figure and the peak RSS of the server; exits 1 if a target is missed (bids ≥
//! 50% of the direct rate, bid p99 < 50 ms, list and release page p99 < 20 ms, no errors,
//! RSS < 300 MB).
//!
//! Absolute figures do not travel between machines, so the run first measures a machine
//! anchor on the same database server and prints every figure also as a ratio to it: on
//! PostgreSQL `pgbench` TPC-B (scale 16, the bench's client count, 15 s) on a database of its
//! own — its tps and average latency; on SQLite a loop of single-row inserts, each its own
//! committed transaction, in a file beside the bench's database — its commits per second.
//! The anchor is measured again right after the bids (a shared host's speed drifts within a
//! run); the drift is printed and the ratios use the mean of the two. The goals of the
//! ratios (in-process bids ≥ 0.5 × the anchor's tps, HTTP ≥ 90% of in-process, bid p99 ≤ 4 ×
//! the anchor's latency) are printed as met or missed without changing the exit code.

#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "bench_support/mod.rs"]
mod support;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context};
use chrono::{DateTime, Utc};
use ggzy_gateway::auth::TokenAuthority;
use ggzy_seal::SecretKeys;
use ggzy_service::bids::SubmitBid;
use ggzy_service::sealed_bids::SealedEnvelope;
use ggzy_service::{Platform, Role};
use ggzy_store::{Store, StoreConfig};
use serde_json::{json, Value};
use support::{
    cpu_spent, database, machine_cpu_seconds, measure, pgbench_anchor, principal, process_cpu_seconds, raw,
    ready_bidder, register_participant, register_sealing_key, seal_all, sqlite_anchor, thread_cpu_seconds, Anchor,
    Figures, Http, PostgresUsage, Server, Wire, JWT_SECRET, MASTER_KEY, PII_KEY, SHA,
};

const CLOCK: &str = "2026-11-02T09:00:00+08:00";
const DEADLINE: &str = "2026-11-30T02:00:00Z";
/// Turns of bids over HTTP and in-process (see `run`).
const BID_ROUNDS: usize = 4;
/// Turns of the announcement list at 10,000 rows and at the full size.
const LIST_ROUNDS: usize = 4;

struct Options {
    postgres: bool,
    clients: usize,
    sections: usize,
    announcements: usize,
    requests: usize,
    /// Database connections of the server and of the in-process run alike.
    pool: u32,
}

fn options() -> anyhow::Result<Options> {
    let mut o =
        Options { postgres: true, clients: 16, sections: 400, announcements: 1_000_000, requests: 300, pool: 10 };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).context("an option without its value")?;
        match args[i].as_str() {
            "--db" => o.postgres = value == "postgres",
            "--clients" => o.clients = value.parse()?,
            "--sections" => o.sections = value.parse()?,
            "--announcements" => o.announcements = value.parse()?,
            "--requests" => o.requests = value.parse()?,
            "--pool" => o.pool = value.parse()?,
            other => bail!("unknown option {other}"),
        }
        i += 2;
    }
    Ok(o)
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(error) => {
            eprintln!("bench api: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(CLOCK).map(|t| t.with_timezone(&Utc)).unwrap_or_default()
}

struct Bidder {
    id: String,
    manager: String,
    token: String,
    /// Its sealing keys (the public half registered).
    keys: SecretKeys,
}

struct World {
    projects: Vec<String>,
    sections: Vec<String>,
    /// Two per client: the first bids over HTTP, the second in-process.
    bidders: Vec<(Bidder, Bidder)>,
}

/// `sections` announced sections, each its own project, and two bidders for each of `clients`.
fn set_up(http: &Http, sections: usize, clients: usize) -> anyhow::Result<World> {
    let admin = http.token(Role::PlatformAdmin, None)?;
    http.post("/api/v1/departments/centre/staff", &admin, &json!({"subject": "bench", "name": "值班员"}))?;
    let centre = http.token(Role::CentreStaff, Some("centre"))?;
    let tenderer = register_participant(http, &centre, 0, "tenderer")?;
    let tenderer_token = http.token(Role::Tenderer, Some(&tenderer))?;
    http.hand_in_test_document()?;
    let (mut projects, mut section_ids) = (Vec::new(), Vec::new());
    for n in 0..sections {
        let project = http.post(
            "/api/v1/projects",
            &tenderer_token,
            &json!({"name": format!("基准工程{n}"), "tenderer_id": tenderer, "category": "construction", "subtype": "works",
                    "sector": "building", "funding": "state_funded", "legally_required_tendering": true,
                    "sections": [{"name": "一标段", "estimated_amount": "1000000.00"}],
                    "approval_documents": [{"title": "批复", "number": "1号", "sha256": SHA}]}),
        )?;
        let project_id = project["id"].as_str().context("project id")?.to_owned();
        let section = project["sections"][0]["id"].as_str().context("section id")?.to_owned();
        http.post(
            &format!("/api/v1/projects/{project_id}/announcements"),
            &tenderer_token,
            &json!({"bid_deadline": DEADLINE, "opening_place": "开标一室", "documents": [{"title": "招标文件", "sha256": SHA}],
                    "sections": [{"section_id": section, "bond_amount": "20000.00"}]}),
        )?;
        projects.push(project_id);
        section_ids.push(section);
    }
    let bidder = |n: usize| -> anyhow::Result<Bidder> {
        let (id, token, manager) = ready_bidder(http, &centre, n, &section_ids)?;
        let keys = register_sealing_key(http, &id, &token)?;
        Ok(Bidder { id, manager, token, keys })
    };
    let bidders =
        (0..clients).map(|c| Ok((bidder(1 + 2 * c)?, bidder(2 + 2 * c)?))).collect::<anyhow::Result<Vec<_>>>()?;
    Ok(World { projects, sections: section_ids, bidders })
}

/// Rows of the announcement list's smaller size, measured on a database of its own.
const SMALL_LIST: usize = 10_000;

/// `count` keyset cursors at random positions among `rows` filled announcements, `turn`
/// choosing the sequence.
fn cursors(count: usize, rows: usize, turn: u64) -> Vec<String> {
    let mut state = 0x2545_F491_4F6C_DD1D_u64 ^ turn.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (0..count)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            format!("ffffffff-ffff-7fff-8fff-{:012}", state % rows.max(1) as u64)
        })
        .collect()
}

/// The public announcement list at random keyset positions among `rows`.
fn list_pages(wire: &Wire, clients: usize, requests: usize, rows: usize, turn: u64) -> Figures {
    let cursors = cursors(clients * requests, rows, turn);
    measure(clients, requests, |client, i| {
        let after = &cursors[client * requests + i];
        wire.get(&format!("/api/v1/public/announcements?limit=50&after={after}"), None) == Some(200)
    })
}

/// Copies of the newest announcement numbered `first..=last` (ids after every real one).
fn fill_announcements(store: &Store, first: usize, last: usize, postgres: bool) -> anyhow::Result<()> {
    if last < first {
        return Ok(());
    }
    let series = if postgres {
        format!("generate_series({first}, {last}) AS g(n)")
    } else {
        format!(
            "(WITH RECURSIVE c(n) AS (SELECT {first} UNION ALL SELECT n + 1 FROM c WHERE n < {last}) SELECT n FROM c) AS g"
        )
    };
    // Ids shaped like UUIDs (the cursor must be one), after every real id.
    let pad = if postgres { "lpad(g.n::text, 12, '0')" } else { "substr('000000000000' || g.n, -12, 12)" };
    raw(
        store,
        &format!(
            "INSERT INTO announcements (id, project_id, kind, supersedes, published_at, documents_issued_at, bid_deadline, \
               opening_at, opening_place, body, content_hash, published_by, category) \
             SELECT 'ffffffff-ffff-7fff-8fff-' || {pad}, a.project_id, a.kind, NULL, a.published_at, a.documents_issued_at, a.bid_deadline, \
               a.opening_at, a.opening_place, a.body, a.content_hash, a.published_by, a.category \
             FROM (SELECT * FROM announcements WHERE id NOT LIKE 'ffffffff-%' ORDER BY id DESC LIMIT 1) a, {series}"
        ),
    )?;
    if postgres {
        // Settled before timing: otherwise autovacuum takes the million new rows on during
        // the runs.
        raw(store, "VACUUM (ANALYZE) announcements")?;
    }
    Ok(())
}

/// Copies of the newest OCDS release until the table holds `total` rows, at positions after
/// every real one; the counter moves past them.
fn fill_releases(store: &Store, total: usize, postgres: bool) -> anyhow::Result<()> {
    let series = if postgres {
        format!("generate_series(1, {total}) AS g(n)")
    } else {
        format!(
            "(WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < {total}) SELECT n FROM c) AS g"
        )
    };
    raw(
        store,
        &format!(
            "INSERT INTO ocds_releases (position, project_id, project_code, published_at, body) \
             SELECT m.last + g.n, r.project_id, r.project_code, r.published_at, r.body \
             FROM (SELECT * FROM ocds_releases ORDER BY position DESC LIMIT 1) r, \
               (SELECT MAX(position) AS last FROM ocds_releases) m, {series} \
             WHERE g.n <= {total} - (SELECT COUNT(*) FROM ocds_releases)"
        ),
    )?;
    raw(store, "UPDATE ocds_release_counter SET last = (SELECT MAX(position) FROM ocds_releases) WHERE id = 1")?;
    if postgres {
        raw(store, "VACUUM (ANALYZE) ocds_releases")?;
    }
    Ok(())
}

/// A bid's content, exactly what used to be posted in clear; now sealed in an envelope.
fn bid_content(price_yuan: usize, manager: &str) -> Value {
    json!({"price": format!("{price_yuan}.00"), "documents": [{"title": "投标文件", "sha256": SHA}],
           "project_manager_id": manager, "device_fingerprint": format!("device-{manager}")})
}

fn run() -> anyhow::Result<bool> {
    let o = options()?;
    if o.postgres {
        println!("{}", support::postgres_transport());
    }
    let anchor = if o.postgres { pgbench_anchor(o.clients)? } else { sqlite_anchor(&std::env::temp_dir())? };
    println!(
        "machine anchor: {}: {:.0} tps, average latency {:.2} ms, p99 {:.2} ms",
        anchor.what, anchor.tps, anchor.latency_ms, anchor.p99_ms
    );
    let database = database(o.postgres)?;
    let server = Server::start(&database, o.pool, &format!("manual:{CLOCK}"))?;
    let tokens = Arc::new(TokenAuthority::new(JWT_SECRET.as_bytes(), "ggzy".into(), "ggzy".into()));
    let client = reqwest::blocking::Client::builder().pool_max_idle_per_host(o.clients * 2).build()?;
    let http = Http { client, base: server.base.clone(), tokens, issued_at: now() };
    // The measured phases' client (set-up goes through reqwest).
    let wire = Wire::new(&server.base)?;
    let setting_up = Instant::now();
    let world = set_up(&http, o.sections, o.clients)?;
    let store = Store::open(&StoreConfig::new(database.url.clone()))?;
    fill_announcements(&store, 1, o.announcements.saturating_sub(world.sections.len()), o.postgres)?;
    fill_releases(&store, o.announcements, o.postgres)?;
    // The list at 10,000 rows: a second server on a database of its own, one project
    // announced and the announcements filled to 10,000, so that the list at both sizes is
    // measured in the same turns (below). Measured once before the bids and once at the full
    // size after them, the two had the bids, a pgbench run and the host's drift between
    // them, and their ratio ranged from 0.66 to 1.66 over the earlier runs.
    let small = SMALL_LIST.min(o.announcements);
    let small_database = support::named_database(o.postgres, "list")?;
    let small_server = Server::start(&small_database, o.pool, &format!("manual:{CLOCK}"))?;
    let small_http = Http {
        client: http.client.clone(),
        base: small_server.base.clone(),
        tokens: http.tokens.clone(),
        issued_at: now(),
    };
    let small_world = set_up(&small_http, 1, 0)?;
    let small_store = Store::open(&StoreConfig::new(small_database.url.clone()))?;
    fill_announcements(&small_store, 1, small.saturating_sub(small_world.sections.len()), o.postgres)?;
    if o.postgres {
        raw(&small_store, "ANALYZE")?;
    }
    drop(small_store);
    let small_wire = Wire::new(&small_server.base)?;
    if o.postgres {
        println!("PostgreSQL's autovacuum: {}", if store.autovacuum()? == Some(true) { "on" } else { "off" });
        // Statistics of every table, as autovacuum keeps them on a database in service: right
        // after the set-up PostgreSQL still holds projects, sections and terms for empty (the
        // fills analyse their own tables) and plans the filtered lists for that, e.g. the
        // announcements of a category read project by project and sorted, 10 ms a page
        // instead of 0.1.
        raw(&store, "ANALYZE")?;
    }
    println!(
        "set up in {:.1} s: {} sections, {} bidders with a bond in each, {} announcements ({})",
        setting_up.elapsed().as_secs_f64(),
        world.sections.len(),
        world.bidders.len() * 2,
        o.announcements,
        if o.postgres { "PostgreSQL" } else { "SQLite" }
    );

    // 1. Bids over HTTP. Client c takes the sections from its own starting point, so the
    // clients bid in different projects at any moment, as bidders at many deadlines do;
    // bids of one project queue on its audit chain.
    let sections = world.sections.len();
    // The first tenth of the sections take untimed bids from both sides (below); the timed
    // turns bid in the rest.
    let warm = sections / 10;
    let timed = sections - warm;
    let section_of = |client: usize, i: usize| warm + (client * timed / o.clients.max(1) + i) % timed.max(1);
    // Every envelope sealed beforehand, as the bidders' tools do offline: n = client *
    // sections + section, the HTTP bidder's first, then the in-process bidder's.
    let sealing = Instant::now();
    let per_bidder = o.clients * sections;
    let sealed = seal_all(2 * per_bidder, |n| {
        let (http_side, client, i) = (n < per_bidder, (n % per_bidder) / sections.max(1), n % sections.max(1));
        let pair = &world.bidders[client];
        let (bidder, price) = if http_side { (&pair.0, 800_000 + i) } else { (&pair.1, 900_000 + i) };
        (&bidder.keys, world.sections[i].as_str(), bidder.id.as_str(), bid_content(price, &bidder.manager))
    })?;
    let (http_sealed, direct_sealed) = sealed.split_at(per_bidder);
    let http_bodies: Vec<Vec<u8>> =
        http_sealed.iter().map(|s| serde_json::to_vec(&s.body())).collect::<Result<_, _>>()?;
    let direct_envelopes: Vec<SealedEnvelope> =
        direct_sealed.iter().map(|s| SealedEnvelope::from(s.envelope.clone())).collect();
    println!(
        "{} envelopes sealed offline by their bidders in {:.1} s (not timed)",
        sealed.len(),
        sealing.elapsed().as_secs_f64()
    );
    // Both take the section's index among all the sections.
    let bid_over_http = |client: usize, i: usize| {
        let bidder = &world.bidders[client].0;
        let path = format!("/api/v1/sections/{}/bids", world.sections[i]);
        wire.send_json("POST", &path, &bidder.token, &http_bodies[client * sections + i]) == Some(201)
    };

    // 2. The same work in-process: the database limit.
    let clock = Arc::new(ggzy_kernel::ManualClock::new(now()));
    let mut config = StoreConfig::new(database.url.clone());
    config.max_connections = o.pool;
    let platform =
        Platform::new(Store::open(&config)?, clock, PII_KEY.as_bytes().to_vec()).with_bid_master_key(MASTER_KEY);
    let bid_in_process = |client: usize, i: usize| {
        let bidder = &world.bidders[client].1;
        let principal = principal(Role::Bidder, Some(&bidder.id));
        let bid = SubmitBid { envelope: Some(direct_envelopes[client * sections + i].clone()), ..SubmitBid::default() };
        platform.tendering().submit_bid(Some(&principal), &world.sections[i], bid).is_ok()
    };
    // A database in service holds the bids of earlier deadlines, and autovacuum keeps its
    // statistics: its connections plan a bid's reads for a table of bids. Right after the
    // set-up `bids` is empty, and a connection keeps the generic plan it makes of a statement
    // after running it five times: made while `bids` held a page or two, a bid's lookup
    // scans the whole table for every later bid (auto_explain showed it), and nothing
    // plans it again until an ANALYZE, which autovacuum, where it runs at all, starts at most
    // once a minute. In one run with 4 connections `bids` was scanned 12,803 times for 12,800
    // bids; with 10, PostgreSQL spent 230–310 µs more a bid over HTTP than in-process in two
    // runs of three (which side's connections caught such plans varies), and within 30 µs in
    // four runs with the plans made afresh. So both sides first bid in the warm-up sections,
    // untimed, and the tables the bids fill are analysed, which makes every connection plan
    // again.
    if warm > 0 {
        let warm_section = |client: usize, i: usize| (client * warm / o.clients.max(1) + i) % warm;
        let http_errors = measure(o.clients, warm, |client, i| bid_over_http(client, warm_section(client, i))).errors;
        let direct_errors =
            measure(o.clients, warm, |client, i| bid_in_process(client, warm_section(client, i))).errors;
        if http_errors + direct_errors > 0 {
            bail!("{http_errors} bids over HTTP and {direct_errors} in-process failed in the warm-up");
        }
        if o.postgres {
            raw(&store, "ANALYZE bids, bid_envelopes, audit_events")?;
        }
        println!(
            "warm-up: {} bids in {warm} sections (not timed){}",
            2 * o.clients * warm,
            if o.postgres { ", then the bids' tables analysed" } else { "" }
        );
    }
    // The two in turns, each on a quarter of the timed sections, the first of each pair alternating:
    // a shared host's speed drifts by 5–15% within a run, and with one phase after the other
    // the drift alone moved their ratio by as much.
    let (mut http_parts, mut direct_parts, mut direct_statements) = (Vec::new(), Vec::new(), 0_u64);
    // The CPU each side spends on the bids, from /proc: the throughput of a saturated machine
    // moves with the host's drift, while what the server's HTTP threads spend on a bid is the
    // cost of HTTP itself.
    let (server_pid, bench_pid) = (server.child.id(), std::process::id());
    let mut server_cpu_over_http = std::collections::BTreeMap::<String, f64>::new();
    let (mut bench_cpu_over_http, mut bench_cpu_in_process) = (0.0, 0.0);
    // PostgreSQL's CPU and the machine's idle time on each side: [over HTTP, in-process].
    let (mut postgres, mut machine_busy, mut machine_idle) =
        ([PostgresUsage::default(); 2], [0.0_f64; 2], [0.0_f64; 2]);
    for round in 0..BID_ROUNDS {
        let (from, to) = (round * timed / BID_ROUNDS, (round + 1) * timed / BID_ROUNDS);
        for in_process in [round % 2 == 1, round % 2 == 0] {
            // On stderr, so that a profiler can be started for one turn.
            eprintln!("bench api: bids, turn {} {}", round + 1, if in_process { "in-process" } else { "over HTTP" });
            let bench_cpu_before = process_cpu_seconds(bench_pid).unwrap_or(0.0);
            let (postgres_before, machine_before) = (PostgresUsage::now(), machine_cpu_seconds());
            if in_process {
                let statements_before = ggzy_store::statements_executed();
                direct_parts.push(measure(o.clients, to - from, |client, i| {
                    bid_in_process(client, section_of(client, from + i))
                }));
                direct_statements += ggzy_store::statements_executed() - statements_before;
                bench_cpu_in_process += process_cpu_seconds(bench_pid).unwrap_or(0.0) - bench_cpu_before;
            } else {
                let server_cpu_before = thread_cpu_seconds(server_pid);
                http_parts.push(measure(o.clients, to - from, |client, i| {
                    bid_over_http(client, section_of(client, from + i))
                }));
                for (name, seconds) in cpu_spent(&server_cpu_before, &thread_cpu_seconds(server_pid)) {
                    *server_cpu_over_http.entry(name).or_insert(0.0) += seconds;
                }
                bench_cpu_over_http += process_cpu_seconds(bench_pid).unwrap_or(0.0) - bench_cpu_before;
            }
            let side = usize::from(in_process);
            postgres[side].add(&PostgresUsage::now().since(&postgres_before));
            if let (Some((busy_before, idle_before)), Some((busy, idle))) = (machine_before, machine_cpu_seconds()) {
                machine_busy[side] += busy - busy_before;
                machine_idle[side] += idle - idle_before;
            }
        }
    }
    let (over_http, direct) = (Figures::joined(http_parts), Figures::joined(direct_parts));
    let statements_per_bid = direct_statements as f64 / direct.count.max(1) as f64;
    // A side's total (seconds, or switches) per bid of that side: [over HTTP, in-process].
    let per_bid = |side: usize, value: f64| value / [over_http.count, direct.count][side].max(1) as f64;
    let server_threads: Vec<String> = server_cpu_over_http
        .iter()
        .filter(|(_, seconds)| **seconds > 0.0)
        .map(|(name, seconds)| format!("{name} {:.0}", per_bid(0, seconds * 1e6)))
        .collect();
    // The statements of one project read and of one page of the centre's project list,
    // counted in-process: a view reads its page's sections, phases, owners and commissions
    // together, so neither grows with the number of projects or sections shown.
    let centre_staff = principal(Role::CentreStaff, Some("centre"));
    let statements_before = ggzy_store::statements_executed();
    for project in &world.projects {
        platform.tendering().project(Some(&centre_staff), project).map_err(|e| anyhow::anyhow!("project read: {e}"))?;
    }
    let statements_per_project_read =
        (ggzy_store::statements_executed() - statements_before) as f64 / world.projects.len().max(1) as f64;
    let statements_before = ggzy_store::statements_executed();
    let list_query = ggzy_service::projects::ProjectListQuery { limit: Some(50), ..Default::default() };
    platform
        .tendering()
        .list_projects(Some(&centre_staff), list_query)
        .map_err(|e| anyhow::anyhow!("project list: {e}"))?;
    let statements_per_project_page = ggzy_store::statements_executed() - statements_before;
    // The machine's speed drifts on a shared host: the anchor measured again right after the
    // bids, and the bids compared with the mean of the two.
    let anchor_after = if o.postgres { pgbench_anchor(o.clients)? } else { sqlite_anchor(&std::env::temp_dir())? };

    // 3. The public announcement list at random keyset positions, at 10,000 rows and at the
    // full size in alternate turns (each a quarter of the requests, the first of each pair
    // alternating), so that the host's drift falls on both alike; and project reads.
    let (mut small_parts, mut full_parts) = (Vec::new(), Vec::new());
    for round in 0..LIST_ROUNDS {
        let requests = (o.requests / LIST_ROUNDS).max(1);
        for full in [round % 2 == 1, round % 2 == 0] {
            let turn = round as u64 + 1;
            if full {
                full_parts.push(list_pages(&wire, o.clients, requests, o.announcements, turn));
            } else {
                small_parts.push(list_pages(&small_wire, o.clients, requests, small, turn));
            }
        }
    }
    let (list_small, listing) = (Figures::joined(small_parts), Figures::joined(full_parts));
    drop(small_server);
    drop(small_database);
    let cursors = cursors(o.clients * o.requests, o.announcements, 0);
    // 4. OCDS release pages (100 releases each) at random positions of as many releases.
    let positions: Vec<u64> =
        cursors.iter().map(|c| c.rsplit('-').next().and_then(|n| n.parse().ok()).unwrap_or(0)).collect();
    let releases = measure(o.clients, o.requests, |client, i| {
        let after = positions[client * o.requests + i];
        // 200 with releases: a 204 (nothing after the cursor) would not be a page.
        wire.get(&format!("/api/v1/ocds/releases?limit=100&after={after}"), None) == Some(200)
    });
    // The same pages one at a time: the page's own cost, without the queueing of 16 clients
    // on the machine's cores.
    let releases_alone = measure(1, o.requests, |_, i| {
        let after = positions[i];
        wire.get(&format!("/api/v1/ocds/releases?limit=100&after={after}"), None) == Some(200)
    });
    let centre = http.token(Role::CentreStaff, Some("centre"))?;
    let reads = measure(o.clients, o.requests, |client, i| {
        let project = &world.projects[(client * o.requests + i) % world.projects.len()];
        wire.get(&format!("/api/v1/projects/{project}"), Some(&centre)) == Some(200)
    });
    // The screens' lists (each 50 a page).
    let screens: Vec<(String, Figures)> = {
        let from = now().format("%Y-%m-%d").to_string();
        let to = (now() + chrono::Duration::days(30)).format("%Y-%m-%d").to_string();
        let fixed = [
            ("openings of the month (public)", format!("/api/v1/public/openings?from={from}&to={to}&limit=50")),
            (
                "project list, status and category (centre)",
                "/api/v1/projects?status=tendering&category=construction&limit=50".to_owned(),
            ),
            ("deadline watch (centre)", "/api/v1/oversight/deadlines?limit=50".to_owned()),
            ("objection queue, unanswered (centre)", "/api/v1/objections?answered=false&limit=50".to_owned()),
        ];
        let mut screens = vec![(
            format!("announcement list by category and kind ({} rows)", o.announcements),
            measure(o.clients, o.requests, |client, i| {
                let after = &cursors[client * o.requests + i];
                let path =
                    format!("/api/v1/public/announcements?category=construction&kind=tender&limit=50&after={after}");
                wire.get(&path, None) == Some(200)
            }),
        )];
        for (what, path) in fixed {
            // On stderr, so that a profiler can be started for one list at a time.
            eprintln!("bench api: measuring {what}");
            let figures = measure(o.clients, o.requests, |_, _| wire.get(&path, Some(&centre)) == Some(200));
            screens.push((what.to_owned(), figures));
        }
        screens
    };
    // Document download throughput: a 64 MiB file over HTTP against reading it from disk.
    let documents = database.dir.join("data/documents");
    let trip = support::document_trip(&http, &server, &database.dir, &documents, &world.projects[0], 64)?;
    let rss = server.peak_rss_mib().unwrap_or(f64::NAN);

    let reads_at_once = support::reads_at_once();
    println!("{} clients, {} database connections, API reads at once: {reads_at_once}", o.clients, o.pool);
    println!("{}", over_http.line("bid submission over HTTP"));
    println!("{}", direct.line("bid submission in-process (limit)"));
    let ratio = over_http.rate() / direct.rate();
    println!("HTTP / database limit: {:.0}%", ratio * 100.0);
    // Where /proc is (Linux): what HTTP costs, apart from the database's share of the machine.
    if !server_threads.is_empty() {
        println!(
            "CPU µs per bid over HTTP: the server's threads {}; the load generator {:.0}; in-process, the bench's threads {:.0}",
            server_threads.join(", "),
            per_bid(0, bench_cpu_over_http * 1e6),
            per_bid(1, bench_cpu_in_process * 1e6),
        );
        let idle_share = |side: usize| machine_idle[side] / (machine_busy[side] + machine_idle[side]).max(f64::EPSILON);
        println!(
            "CPU µs per bid of PostgreSQL on this machine: over HTTP {:.0}, in-process {:.0}; the machine idle {:.1}% of the turns over HTTP, {:.1}% in-process",
            per_bid(0, postgres[0].cpu_seconds * 1e6),
            per_bid(1, postgres[1].cpu_seconds * 1e6),
            idle_share(0) * 100.0,
            idle_share(1) * 100.0,
        );
        println!(
            "PostgreSQL's context switches per bid, waiting / taken off the CPU: over HTTP {:.1} / {:.1}, in-process {:.1} / {:.1}",
            per_bid(0, postgres[0].voluntary_switches),
            per_bid(0, postgres[0].involuntary_switches),
            per_bid(1, postgres[1].voluntary_switches),
            per_bid(1, postgres[1].involuntary_switches),
        );
    }
    println!("statements per bid submission (in-process, transaction control included): {statements_per_bid:.1}");
    println!("statements per project read (in-process): {statements_per_project_read:.1}");
    println!("statements per page of 50 projects (in-process): {statements_per_project_page}");
    println!("{}", list_small.line(&format!("announcement list ({small} rows)")));
    println!("{}", listing.line(&format!("announcement list ({} rows)", o.announcements)));
    let list_growth = listing.percentile(0.99) / list_small.percentile(0.99);
    println!("announcement list p99 at {} rows / at {small} rows: {list_growth:.2}", o.announcements);
    println!("{}", releases.line(&format!("OCDS release page of 100 ({} releases)", o.announcements)));
    println!("{}", releases_alone.line("OCDS release page, one client"));
    println!("{}", reads.line("project read"));
    for (what, figures) in &screens {
        println!("{}", figures.line(what));
    }
    trip.print();
    println!("server peak RSS: {rss:.1} MiB");
    println!(
        "machine anchor again after the bids: {:.0} tps, average latency {:.2} ms, p99 {:.2} ms (drift {:+.0}% in tps)",
        anchor_after.tps,
        anchor_after.latency_ms,
        anchor_after.p99_ms,
        (anchor_after.tps / anchor.tps - 1.0) * 100.0
    );
    let anchor = Anchor {
        what: format!("{}, mean of the runs before and after the bids", anchor.what),
        tps: (anchor.tps + anchor_after.tps) / 2.0,
        latency_ms: (anchor.latency_ms + anchor_after.latency_ms) / 2.0,
        p99_ms: (anchor.p99_ms + anchor_after.p99_ms) / 2.0,
    };
    // The same figures against the anchor: these are what travel between machines.
    println!("ratios to the anchor ({}):", anchor.what);
    println!("  bids over HTTP / anchor tps: {:.2}", over_http.rate() / anchor.tps);
    println!("  bids in-process / anchor tps: {:.2}", direct.rate() / anchor.tps);
    println!("  bid p99 over HTTP / anchor latency: {:.1}", over_http.percentile(0.99) / anchor.latency_ms);
    // With every client always waiting on a request, a mean latency is the clients over the
    // rate (Little's law), for the bids and the anchor alike: so this ratio is the bids' own
    // p99 over their mean times the anchor's tps over the bids' rate, and it falls only as
    // the bids come nearer the anchor's throughput.
    println!(
        "    = the bids' p99 / their mean latency {:.1} x their mean latency / the anchor's {:.1} (the anchor's tps / the bids' rate: {:.1})",
        over_http.percentile(0.99) / over_http.mean(),
        over_http.mean() / anchor.latency_ms,
        anchor.tps / over_http.rate(),
    );
    // The machine's own tail at the same concurrency: a transaction of pgbench's waits as
    // long at its p99, so this much of the bids' tail is the machine's, not the bid's.
    println!(
        "    the anchor's own p99 / its mean latency: {:.1}; the bids' p99 / the anchor's p99: {:.1}",
        anchor.p99_ms / anchor.latency_ms,
        over_http.percentile(0.99) / anchor.p99_ms,
    );
    println!("  announcement list p99 / anchor latency: {:.1}", listing.percentile(0.99) / anchor.latency_ms);
    println!("  OCDS release page p99 / anchor latency: {:.1}", releases.percentile(0.99) / anchor.latency_ms);
    println!(
        "  OCDS release page p99, one client / anchor latency: {:.1}",
        releases_alone.percentile(0.99) / anchor.latency_ms
    );
    for (what, figures) in &screens {
        println!("  {what} p99 / anchor latency: {:.1}", figures.percentile(0.99) / anchor.latency_ms);
    }
    let screens_p99 = screens.iter().map(|(_, f)| f.percentile(0.99)).fold(0.0, f64::max);
    let screen_errors: usize = screens.iter().map(|(_, f)| f.errors).sum();

    let checks = [
        ("bids at least 50% of the database limit", ratio >= 0.5),
        ("bid p99 under 50 ms", over_http.percentile(0.99) < 50.0),
        ("announcement list p99 under 20 ms", listing.percentile(0.99) < 20.0),
        ("announcement list p99 at the full size within 1.2 x its p99 at 10,000 rows", list_growth <= 1.2),
        ("OCDS release page p99 under 20 ms", releases.percentile(0.99) < 20.0),
        ("every screen list p99 under 20 ms", screens_p99 < 20.0),
        (
            "no errors",
            over_http.errors
                + direct.errors
                + list_small.errors
                + listing.errors
                + releases.errors
                + releases_alone.errors
                + reads.errors
                + screen_errors
                == 0,
        ),
        ("peak RSS under 300 MB", rss < 300.0),
    ];
    for (what, met) in &checks {
        println!("  {} {what}", if *met { "met:   " } else { "MISSED:" });
    }
    // The goals stated as ratios, which hold on any machine (shown, not enforced: a shared
    // host's drift moves them more than a change of the code does).
    let goals = [
        ("bids in-process at least 0.5 x the anchor's tps", direct.rate() / anchor.tps >= 0.5),
        ("bids over HTTP at least 90% of in-process", ratio >= 0.9),
        ("bid p99 over HTTP at most 4 x the anchor's latency", over_http.percentile(0.99) <= 4.0 * anchor.latency_ms),
    ];
    for (what, met) in &goals {
        println!("  goal {} {what}", if *met { "met:   " } else { "missed:" });
    }
    Ok(checks.iter().all(|(_, met)| *met))
}
