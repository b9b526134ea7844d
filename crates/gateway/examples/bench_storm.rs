//! `cargo xtask bench storm [--db postgres|sqlite] [--bidders N] [--sections N] [--clients N]`:
//! the deadline storm. One project of `sections` sections (10) whose bids close at the same
//! instant; `bidders` bidders (200) each holding a bond in every section; then, on a server
//! whose clock runs from 75 seconds before the deadline (`GGZY_CLOCK=from:…`):
//! 1. every bidder bids in every section within the last 60 seconds, as fast as `clients`
//!    (16) connections carry them;
//! 2. in the last 10 seconds a tenth of the bids are modified and a twentieth withdrawn;
//! 3. 5 seconds after the deadline, late bidders (a tenth as many, each with its bonds)
//!    try to bid in every section: every one must be refused, and nothing else may be;
//! 4. right after, the tenderer opens all the sections; each opening record must count
//!    exactly the bids submitted and not withdrawn.
//!
//! Prints accepted bids per second, p50/p99, the counts, the openings' times, and the
//! machine anchor (pgbench TPC-B, or SQLite commits) with the ratios to it. Exits 1 when a
//! bid is lost, one is accepted late, or an opening miscounts.

#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "bench_support/mod.rs"]
mod support;

use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use chrono::{DateTime, Utc};
use ggzy_gateway::auth::TokenAuthority;
use ggzy_service::Role;
use serde_json::json;
use support::{
    database, measure_items, pgbench_anchor, ready_bidder, register_participant, sqlite_anchor, Http, Server,
    JWT_SECRET, SHA,
};

const REGISTRATION: &str = "2026-11-02T09:00:00+08:00";
/// The deadline and opening: Monday 2026-11-23 10:00 Beijing time.
const DEADLINE: &str = "2026-11-23T02:00:00Z";
/// The storm's server starts this long before the deadline.
const LEAD_SECONDS: i64 = 75;

struct Options {
    postgres: bool,
    bidders: usize,
    sections: usize,
    clients: usize,
}

fn options() -> anyhow::Result<Options> {
    let mut o = Options { postgres: true, bidders: 200, sections: 10, clients: 16 };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).context("an option without its value")?;
        match args[i].as_str() {
            "--db" => o.postgres = value == "postgres",
            "--bidders" => o.bidders = value.parse()?,
            "--sections" => o.sections = value.parse()?,
            "--clients" => o.clients = value.parse()?,
            other => bail!("unknown option {other}"),
        }
        i += 2;
    }
    anyhow::ensure!(o.bidders >= 20 && o.bidders <= 900, "--bidders must be 20 to 900");
    Ok(o)
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(error) => {
            eprintln!("bench storm: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn instant(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).unwrap_or_default()
}

struct Bidder {
    id: String,
    manager: String,
}

struct World {
    project: String,
    tenderer: String,
    witness: String,
    sections: Vec<String>,
    bidders: Vec<Bidder>,
    /// Bidders that hold bonds and bid only after the deadline.
    late: Vec<Bidder>,
}

/// Registration, the announcement and every bond, on a server whose clock stands at
/// registration time (not timed).
fn set_up(http: &Http, o: &Options) -> anyhow::Result<World> {
    let admin = http.token(Role::PlatformAdmin, None)?;
    let witness =
        http.post("/api/v1/departments/centre/staff", &admin, &json!({"subject": "storm", "name": "见证人"}))?;
    let centre = http.token(Role::CentreStaff, Some("centre"))?;
    let tenderer = register_participant(http, &centre, 0, "tenderer")?;
    let tenderer_token = http.token(Role::Tenderer, Some(&tenderer))?;
    let sections_body: Vec<_> =
        (0..o.sections).map(|n| json!({"name": format!("{}标段", n + 1), "estimated_amount": "1000000.00"})).collect();
    let project = http.post(
        "/api/v1/projects",
        &tenderer_token,
        &json!({"name": "截止风暴工程", "tenderer_id": tenderer, "category": "construction", "subtype": "works",
                "sector": "building", "funding": "state_funded", "legally_required_tendering": true,
                "sections": sections_body,
                "approval_documents": [{"title": "批复", "number": "1号", "sha256": SHA}]}),
    )?;
    let project_id = project["id"].as_str().context("project id")?.to_owned();
    let sections: Vec<String> = project["sections"]
        .as_array()
        .context("sections")?
        .iter()
        .filter_map(|s| s["id"].as_str().map(str::to_owned))
        .collect();
    let announced: Vec<_> = sections.iter().map(|s| json!({"section_id": s, "bond_amount": "20000.00"})).collect();
    http.post(
        &format!("/api/v1/projects/{project_id}/announcements"),
        &tenderer_token,
        &json!({"bid_deadline": DEADLINE, "opening_place": "开标一室", "documents": [{"title": "招标文件", "sha256": SHA}],
                "sections": announced}),
    )?;
    let bidder = |n: usize| -> anyhow::Result<Bidder> {
        let (id, _, manager) = ready_bidder(http, &centre, n, &sections)?;
        Ok(Bidder { id, manager })
    };
    let late_count = (o.bidders / 10).max(1);
    let all = (1..=o.bidders + late_count).map(bidder).collect::<anyhow::Result<Vec<_>>>()?;
    let (bidders, late) = {
        let mut all = all;
        let late = all.split_off(o.bidders);
        (all, late)
    };
    Ok(World {
        project: project_id,
        tenderer,
        witness: witness["id"].as_str().context("witness id")?.to_owned(),
        sections,
        bidders,
        late,
    })
}

fn bid_body(price_fen: usize, manager: &str) -> serde_json::Value {
    // Each bid its own document (one shared by all would rightly be flagged at the opening).
    let document = format!("{:064x}", price_fen as u128 * 0x9E37_79B9_7F4A_7C15_u128);
    json!({"price": format!("{}.{:02}", price_fen / 100, price_fen % 100), "documents": [{"title": "投标文件", "sha256": &document[document.len() - 64..]}],
           "project_manager_id": manager, "device_fingerprint": format!("device-{manager}")})
}

/// A price in fen that looks like a bidder's own (no pattern across bidders): `base`
/// plus up to 5% of it, scattered by a hash of `n`.
fn price(n: usize, base: usize) -> usize {
    let mut x = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x ^= x >> 29;
    base + (x % (base as u64 / 20)) as usize
}

/// Sleeps until the server's clock (estimated from when it started) reads `at`.
fn wait_until(server_started: Instant, start: DateTime<Utc>, at: DateTime<Utc>) {
    let offset = (at - start).to_std().unwrap_or_default();
    let elapsed = server_started.elapsed();
    if offset > elapsed {
        std::thread::sleep(offset - elapsed);
    }
}

fn run() -> anyhow::Result<bool> {
    let o = options()?;
    let anchor = if o.postgres { pgbench_anchor(o.clients)? } else { sqlite_anchor(&std::env::temp_dir())? };
    println!("machine anchor: {}: {:.0} tps, average latency {:.2} ms", anchor.what, anchor.tps, anchor.latency_ms);
    let database = database(o.postgres)?;
    let tokens = Arc::new(TokenAuthority::new(JWT_SECRET.as_bytes(), "ggzy".into(), "ggzy".into()));
    let client = reqwest::blocking::Client::builder().pool_max_idle_per_host(o.clients * 2).build()?;

    let setting_up = Instant::now();
    let world = {
        let server = Server::start(&database, 10, &format!("manual:{REGISTRATION}"))?;
        let http = Http {
            client: client.clone(),
            base: server.base.clone(),
            tokens: tokens.clone(),
            issued_at: instant(REGISTRATION),
        };
        set_up(&http, &o)?
    };
    println!(
        "set up in {:.1} s: {} sections closing at {DEADLINE}, {} bidders and {} late bidders with a bond in each ({})",
        setting_up.elapsed().as_secs_f64(),
        world.sections.len(),
        world.bidders.len(),
        world.late.len(),
        if o.postgres { "PostgreSQL" } else { "SQLite" }
    );

    // The storm's server: its clock runs from LEAD_SECONDS before the deadline.
    let deadline = instant(DEADLINE);
    let start = deadline - chrono::Duration::seconds(LEAD_SECONDS);
    let started = Instant::now();
    let server = Server::start(&database, 10, &format!("from:{}", start.to_rfc3339()))?;
    let http = Http { client, base: server.base.clone(), tokens, issued_at: start };
    let bidder_tokens: Vec<String> =
        world.bidders.iter().map(|b| http.token(Role::Bidder, Some(&b.id))).collect::<anyhow::Result<_>>()?;
    let late_tokens: Vec<String> =
        world.late.iter().map(|b| http.token(Role::Bidder, Some(&b.id))).collect::<anyhow::Result<_>>()?;

    // 1. Every bid, from 60 seconds before the deadline.
    wait_until(started, start, deadline - chrono::Duration::seconds(60));
    let sections = world.sections.len();
    let total = world.bidders.len() * sections;
    let bid_ids: Mutex<Vec<(usize, usize, String)>> = Mutex::new(Vec::with_capacity(total));
    let refused_on_time = AtomicUsize::new(0);
    let storm = measure_items(o.clients, total, |n| {
        // Consecutive calls go to different sections, as at a real deadline.
        let (bidder, section) = (n / sections, n % sections);
        let reply = http
            .client
            .post(format!("{}/api/v1/sections/{}/bids", http.base, world.sections[section]))
            .bearer_auth(&bidder_tokens[bidder])
            .json(&bid_body(price(n, 90_000_000), &world.bidders[bidder].manager))
            .send();
        match reply {
            Ok(r) if r.status().as_u16() == 201 => {
                let body: serde_json::Value = r.json().unwrap_or_default();
                if let Some(id) = body["id"].as_str() {
                    bid_ids.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push((
                        bidder,
                        section,
                        id.to_owned(),
                    ));
                }
                true
            }
            _ => {
                refused_on_time.fetch_add(1, Ordering::Relaxed);
                false
            }
        }
    });
    let submitted_by = started.elapsed();
    let bids = bid_ids.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);

    // 2. The last 10 seconds: a tenth modified, a twentieth withdrawn (different bids).
    wait_until(started, start, deadline - chrono::Duration::seconds(10));
    let changes: Vec<(usize, &(usize, usize, String))> =
        bids.iter().enumerate().filter(|(k, _)| k % 10 == 0 || k % 20 == 5).collect();
    let withdrawn: Vec<usize> = changes.iter().filter(|(k, _)| k % 20 == 5).map(|(_, b)| b.1).collect();
    let last_changes = measure_items(o.clients, changes.len(), |n| {
        let Some((k, (bidder, _, id))) = changes.get(n) else {
            return false;
        };
        let token = &bidder_tokens[*bidder];
        let reply = if k % 10 == 0 {
            http.client
                .put(format!("{}/api/v1/bids/{id}", http.base))
                .bearer_auth(token)
                .json(&bid_body(price(*k, 95_000_000), &world.bidders[*bidder].manager))
                .send()
        } else {
            http.client
                .post(format!("{}/api/v1/bids/{id}/withdrawal", http.base))
                .bearer_auth(token)
                .json(&json!({}))
                .send()
        };
        reply.is_ok_and(|r| r.status().is_success())
    });
    let changed_by = started.elapsed();

    // 3. Five seconds after the deadline (by this side's estimate; the server's clock starts
    // a moment after the process, so it reads a little less): every late bid must be refused.
    wait_until(started, start, deadline + chrono::Duration::seconds(5));
    let late_total = world.late.len() * sections;
    let late_accepted = AtomicUsize::new(0);
    let late = measure_items(o.clients, late_total, |n| {
        let (bidder, section) = (n / sections, n % sections);
        let reply = http
            .client
            .post(format!("{}/api/v1/sections/{}/bids", http.base, world.sections[section]))
            .bearer_auth(&late_tokens[bidder])
            .json(&bid_body(price(n, 80_000_000), &world.late[bidder].manager))
            .send();
        match reply {
            Ok(r) if r.status().as_u16() == 409 => true,
            Ok(r) if r.status().is_success() => {
                late_accepted.fetch_add(1, Ordering::Relaxed);
                false
            }
            _ => false,
        }
    });

    // 4. The openings, one after another, right after.
    let tenderer = http.token(Role::Tenderer, Some(&world.tenderer))?;
    let mut opening_ms = Vec::new();
    let mut miscounted = Vec::new();
    for (index, section) in world.sections.iter().enumerate() {
        let began = Instant::now();
        let record = http.post(
            &format!("/api/v1/sections/{section}/opening"),
            &tenderer,
            &json!({"witness_id": world.witness}),
        )?;
        opening_ms.push(began.elapsed().as_secs_f64() * 1000.0);
        let expected = bids.iter().filter(|b| b.1 == index).count() - withdrawn.iter().filter(|s| **s == index).count();
        let counted = record["bid_count"].as_u64().unwrap_or(u64::MAX) as usize;
        if counted != expected {
            miscounted.push(format!("{section}: {counted} counted, {expected} expected"));
        }
    }
    let rss = server.peak_rss_mib().unwrap_or(f64::NAN);

    let accepted = bids.len();
    let storm_rate = accepted as f64 / storm.seconds;
    println!(
        "project {}: {} sections, {} bidders, {} clients",
        world.project,
        sections,
        world.bidders.len(),
        o.clients
    );
    println!("{}", storm.line("bids in the last minute"));
    println!(
        "  {accepted} accepted of {total} sent ({} refused), all in by {:.1} s before the deadline",
        refused_on_time.load(Ordering::Relaxed),
        (LEAD_SECONDS as f64) - submitted_by.as_secs_f64()
    );
    println!("{}", last_changes.line("modifications and withdrawals"));
    println!(
        "  {} modified, {} withdrawn, done {:.1} s before the deadline",
        changes.len() - withdrawn.len(),
        withdrawn.len(),
        (LEAD_SECONDS as f64) - changed_by.as_secs_f64()
    );
    println!("{}", late.line("late bids (after the deadline)"));
    let late_refused = late.count - late.errors;
    println!("  {late_refused} refused of {late_total} sent late, {} accepted", late_accepted.load(Ordering::Relaxed));
    let mut sorted = opening_ms.clone();
    sorted.sort_by(f64::total_cmp);
    println!(
        "openings of the {} sections, one after another: {:.0} ms in all, slowest {:.0} ms",
        sections,
        opening_ms.iter().sum::<f64>(),
        sorted.last().copied().unwrap_or(f64::NAN)
    );
    println!("server peak RSS: {rss:.1} MiB");
    println!("ratios to the anchor ({}):", anchor.what);
    println!("  accepted bids per second / anchor tps: {:.2}", storm_rate / anchor.tps);
    println!("  bid p99 / anchor latency: {:.1}", storm.percentile(0.99) / anchor.latency_ms);

    let checks = [
        ("every bid sent before the deadline accepted", accepted == total && storm.errors == 0),
        ("every bid in before the last 10 seconds", submitted_by < Duration::from_secs((LEAD_SECONDS - 10) as u64)),
        ("every modification and withdrawal accepted", last_changes.errors == 0),
        ("the changes done before the deadline", changed_by < Duration::from_secs(LEAD_SECONDS as u64 - 1)),
        (
            "every late bid refused, none accepted",
            late_refused == late_total && late_accepted.load(Ordering::Relaxed) == 0,
        ),
        ("every opening record counts the bids standing", miscounted.is_empty()),
    ];
    for line in &miscounted {
        println!("  miscounted: {line}");
    }
    for (what, met) in &checks {
        println!("  {} {what}", if *met { "met:   " } else { "MISSED:" });
    }
    Ok(checks.iter().all(|(_, met)| *met))
}
