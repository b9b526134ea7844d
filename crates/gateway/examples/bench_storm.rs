//! `cargo xtask bench storm [--db postgres|sqlite] [--bidders N] [--sections N] [--clients N]`:
//! the deadline storm. One project of `sections` sections (10) whose bids close at the same
//! instant; `bidders` bidders (200) each holding a bond in every section; then, on a server
//! whose clock runs from 75 seconds before the deadline (`GGZY_CLOCK=from:…`):
//! 1. every bidder bids in every section within the last 60 seconds, as fast as `clients`
//!    (16) connections carry them;
//! 2. in the last 10 seconds a tenth of the bids are modified and a twentieth withdrawn;
//! 3. 5 seconds after the deadline, late bidders (a tenth as many, each with its bonds and
//!    its sealing key) try to bid in every section: every one must be refused for the
//!    deadline (409), and nothing else may be;
//! 4. right after, the openings: the tenderer opens the decryption window of every section;
//!    every bidder decrypts each of its bids still standing (its content key revealed), as
//!    fast as `clients` connections carry them; then the tenderer makes the opening records
//!    one after another, each of which must count exactly the bids submitted and not
//!    withdrawn.
//!
//! Every section announced now takes envelopes only (tendering.bidder_sealing): every bid,
//! modification and late bid is an envelope its bidder sealed offline (HPKE and Ed25519,
//! `ggzy-seal`) before it is timed, with the keys it registered at set-up.
//!
//! Prints accepted bids per second, p50/p99, the counts, decryptions per second and their
//! p50/p99, the windows' and opening records' times, and the machine anchor (pgbench
//! TPC-B, or SQLite commits) with the ratios to it. Exits 1 when a bid is lost, one is
//! accepted late, a bid standing is not decrypted, or an opening miscounts.

#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "bench_support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use chrono::{DateTime, Utc};
use ggzy_gateway::auth::TokenAuthority;
use ggzy_seal::SecretKeys;
use ggzy_service::Role;
use serde_json::{json, Value};
use support::{
    database, measure_items, pgbench_anchor, ready_bidder, register_participant, register_sealing_key, seal_all,
    sqlite_anchor, Http, SealedBid, Server, JWT_SECRET, SHA,
};

const REGISTRATION: &str = "2026-11-02T09:00:00+08:00";
/// The deadline and opening: Monday 2026-11-23 10:00 Beijing time.
const DEADLINE: &str = "2026-11-23T02:00:00Z";
/// The storm's server starts this long before the deadline.
const LEAD_SECONDS: i64 = 75;
/// What the refusal of a bid after the deadline says (409, bids.rs `before_deadline`).
const DEADLINE_PASSED: &str = "投标截止时间已到";

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
    /// Its sealing keys (the public half registered).
    keys: SecretKeys,
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
    http.hand_in_test_document()?;
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
        let (id, token, manager) = ready_bidder(http, &centre, n, &sections)?;
        let keys = register_sealing_key(http, &id, &token)?;
        Ok(Bidder { id, manager, keys })
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

/// A bid the storm placed: whose, where, its id, and the envelope's index in the storm's.
struct Placed {
    bidder: usize,
    section: usize,
    id: String,
    sealed: usize,
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
        "set up in {:.1} s: {} sections closing at {DEADLINE}, {} bidders and {} late bidders with a bond in each and a sealing key ({})",
        setting_up.elapsed().as_secs_f64(),
        world.sections.len(),
        world.bidders.len(),
        world.late.len(),
        if o.postgres { "PostgreSQL" } else { "SQLite" }
    );

    // Every bid and late bid sealed beforehand, as the bidders' tools do offline (not timed).
    let sections = world.sections.len();
    let total = world.bidders.len() * sections;
    let late_total = world.late.len() * sections;
    let sealing = Instant::now();
    let storm_sealed = seal_all(total, |n| {
        let bidder = &world.bidders[n / sections];
        let content = bid_body(price(n, 90_000_000), &bidder.manager);
        (&bidder.keys, world.sections[n % sections].as_str(), bidder.id.as_str(), content)
    })?;
    let late_sealed = seal_all(late_total, |n| {
        let bidder = &world.late[n / sections];
        let content = bid_body(price(n, 80_000_000), &bidder.manager);
        (&bidder.keys, world.sections[n % sections].as_str(), bidder.id.as_str(), content)
    })?;
    let storm_bodies: Vec<Value> = storm_sealed.iter().map(SealedBid::body).collect();
    let late_bodies: Vec<Value> = late_sealed.iter().map(SealedBid::body).collect();
    println!(
        "{} envelopes sealed offline by their bidders in {:.1} s (not timed)",
        total + late_total,
        sealing.elapsed().as_secs_f64()
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
    let placed: Mutex<Vec<Placed>> = Mutex::new(Vec::with_capacity(total));
    let refused_on_time = AtomicUsize::new(0);
    let storm = measure_items(o.clients, total, |n| {
        // Consecutive calls go to different sections, as at a real deadline.
        let (bidder, section) = (n / sections, n % sections);
        let reply = http
            .client
            .post(format!("{}/api/v1/sections/{}/bids", http.base, world.sections[section]))
            .bearer_auth(&bidder_tokens[bidder])
            .json(&storm_bodies[n])
            .send();
        match reply {
            Ok(r) if r.status().as_u16() == 201 => {
                let body: Value = r.json().unwrap_or_default();
                if let Some(id) = body["id"].as_str() {
                    placed.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(Placed {
                        bidder,
                        section,
                        id: id.to_owned(),
                        sealed: n,
                    });
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
    let bids = placed.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);

    // 2. The last 10 seconds: a tenth modified (each a new envelope, sealed by its bidder
    // before it is timed), a twentieth withdrawn (different bids).
    let changes: Vec<(usize, &Placed)> = bids.iter().enumerate().filter(|(k, _)| k % 10 == 0 || k % 20 == 5).collect();
    let withdrawn: Vec<usize> = changes.iter().filter(|(k, _)| k % 20 == 5).map(|(_, b)| b.section).collect();
    let modified: Vec<usize> = (0..changes.len()).filter(|c| changes[*c].0 % 10 == 0).collect();
    let modified_sealed = seal_all(modified.len(), |m| {
        let (k, bid) = changes[modified[m]];
        let bidder = &world.bidders[bid.bidder];
        let content = bid_body(price(k, 95_000_000), &bidder.manager);
        (&bidder.keys, world.sections[bid.section].as_str(), bidder.id.as_str(), content)
    })?;
    let mut new_envelopes: Vec<Option<SealedBid>> = (0..changes.len()).map(|_| None).collect();
    for (c, sealed) in modified.iter().zip(modified_sealed) {
        new_envelopes[*c] = Some(sealed);
    }
    let change_bodies: Vec<Value> =
        new_envelopes.iter().map(|e| e.as_ref().map_or_else(|| json!({}), SealedBid::body)).collect();
    let change_done: Vec<AtomicBool> = changes.iter().map(|_| AtomicBool::new(false)).collect();
    wait_until(started, start, deadline - chrono::Duration::seconds(10));
    let last_changes = measure_items(o.clients, changes.len(), |n| {
        let (Some((_, bid)), Some(body)) = (changes.get(n), change_bodies.get(n)) else {
            return false;
        };
        let token = &bidder_tokens[bid.bidder];
        let reply = if new_envelopes[n].is_some() {
            http.client.put(format!("{}/api/v1/bids/{}", http.base, bid.id)).bearer_auth(token).json(body).send()
        } else {
            http.client
                .post(format!("{}/api/v1/bids/{}/withdrawal", http.base, bid.id))
                .bearer_auth(token)
                .json(body)
                .send()
        };
        let done = reply.is_ok_and(|r| r.status().is_success());
        change_done[n].store(done, Ordering::Relaxed);
        done
    });
    let changed_by = started.elapsed();

    // 3. Five seconds after the deadline (by this side's estimate; the server's clock starts
    // a moment after the process, so it reads a little less): every late bid must be refused,
    // for the deadline.
    wait_until(started, start, deadline + chrono::Duration::seconds(5));
    let late_accepted = AtomicUsize::new(0);
    let late_answers: Mutex<BTreeMap<String, usize>> = Mutex::new(BTreeMap::new());
    let late = measure_items(o.clients, late_total, |n| {
        let (bidder, section) = (n / sections, n % sections);
        let reply = http
            .client
            .post(format!("{}/api/v1/sections/{}/bids", http.base, world.sections[section]))
            .bearer_auth(&late_tokens[bidder])
            .json(&late_bodies[n])
            .send();
        let (answer, refused_for_the_deadline) = match reply {
            Ok(r) => {
                let status = r.status();
                let body: Value = r.json().unwrap_or_default();
                let detail = body["detail"].as_str().unwrap_or_default().to_owned();
                if status.is_success() {
                    late_accepted.fetch_add(1, Ordering::Relaxed);
                }
                let for_the_deadline = status.as_u16() == 409 && detail.contains(DEADLINE_PASSED);
                (format!("{} {detail}", status.as_u16()), for_the_deadline)
            }
            Err(error) => (format!("no answer: {error}"), false),
        };
        *late_answers.lock().unwrap_or_else(std::sync::PoisonError::into_inner).entry(answer).or_default() += 1;
        refused_for_the_deadline
    });
    let late_answers = late_answers.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);

    // 4. The openings, right after: the decryption windows, every standing bid decrypted by
    // its bidder, then the opening records one after another.
    let tenderer = http.token(Role::Tenderer, Some(&world.tenderer))?;
    let openings_began = Instant::now();
    let mut window_ms = Vec::new();
    let mut failures = Vec::new();
    for section in &world.sections {
        let began = Instant::now();
        if let Err(error) = http.post(&format!("/api/v1/sections/{section}/decryption-window"), &tenderer, &json!({})) {
            failures.push(format!("{section}: decryption window: {error:#}"));
        }
        window_ms.push(began.elapsed().as_secs_f64() * 1000.0);
    }
    // Each bid standing, with the content key of its latest envelope.
    let mut content_keys: Vec<Option<&str>> =
        bids.iter().map(|b| Some(storm_sealed[b.sealed].content_key.as_str())).collect();
    for (c, (k, _)) in changes.iter().enumerate() {
        if change_done[c].load(Ordering::Relaxed) {
            content_keys[*k] = new_envelopes[c].as_ref().map(|e| e.content_key.as_str());
        }
    }
    let standing: Vec<(&Placed, Value)> = bids
        .iter()
        .zip(content_keys)
        .filter_map(|(bid, key)| key.map(|key| (bid, json!({ "content_key": key }))))
        .collect();
    let decryptions = measure_items(o.clients, standing.len(), |n| {
        let Some((bid, reveal)) = standing.get(n) else {
            return false;
        };
        http.client
            .post(format!("{}/api/v1/bids/{}/decryption", http.base, bid.id))
            .bearer_auth(&bidder_tokens[bid.bidder])
            .json(reveal)
            .send()
            .is_ok_and(|r| r.status().as_u16() == 200)
    });
    let mut record_ms = Vec::new();
    let mut miscounted = Vec::new();
    for (index, section) in world.sections.iter().enumerate() {
        let began = Instant::now();
        let record =
            http.post(&format!("/api/v1/sections/{section}/opening"), &tenderer, &json!({"witness_id": world.witness}));
        record_ms.push(began.elapsed().as_secs_f64() * 1000.0);
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                miscounted.push(format!("{section}: no opening record: {error:#}"));
                continue;
            }
        };
        let expected =
            bids.iter().filter(|b| b.section == index).count() - withdrawn.iter().filter(|s| **s == index).count();
        let counted = record["bid_count"].as_u64().unwrap_or(u64::MAX) as usize;
        let not_opened = record["not_opened"].as_array().map_or(0, Vec::len);
        if counted != expected || not_opened != 0 {
            miscounted.push(format!("{section}: {counted} counted, {expected} expected, {not_opened} not opened"));
        }
    }
    let openings_took = openings_began.elapsed();
    let rss = server.peak_rss_mib().unwrap_or(f64::NAN);

    let accepted = bids.len();
    let storm_rate = accepted as f64 / storm.seconds;
    println!(
        "project {}: {} sections, {} bidders, {} clients, every bid an envelope sealed by its bidder",
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
        "  {} modified (new envelopes), {} withdrawn, done {:.1} s before the deadline",
        changes.len() - withdrawn.len(),
        withdrawn.len(),
        (LEAD_SECONDS as f64) - changed_by.as_secs_f64()
    );
    println!("{}", late.line("late bids (after the deadline)"));
    let late_refused = late.count - late.errors;
    println!(
        "  {late_refused} refused for the deadline of {late_total} sent late, {} accepted",
        late_accepted.load(Ordering::Relaxed)
    );
    for (answer, count) in &late_answers {
        println!("  late answer {answer}: {count}");
    }
    let slowest = |ms: &[f64]| ms.iter().copied().fold(f64::NAN, f64::max);
    println!(
        "decryption windows of the {} sections, one after another: {:.0} ms in all, slowest {:.0} ms",
        sections,
        window_ms.iter().sum::<f64>(),
        slowest(&window_ms)
    );
    println!("{}", decryptions.line("decryptions (bidders, window open)"));
    println!(
        "  {} decrypted of {} standing, {:.1} decryptions per second, p99 {:.1} ms",
        decryptions.count - decryptions.errors,
        standing.len(),
        decryptions.rate(),
        decryptions.percentile(0.99)
    );
    println!(
        "opening records of the {} sections, one after another: {:.0} ms in all, slowest {:.0} ms",
        sections,
        record_ms.iter().sum::<f64>(),
        slowest(&record_ms)
    );
    println!("openings in all (windows, decryptions, records): {:.1} s", openings_took.as_secs_f64());
    println!("server peak RSS: {rss:.1} MiB");
    println!("ratios to the anchor ({}):", anchor.what);
    println!("  accepted bids per second / anchor tps: {:.2}", storm_rate / anchor.tps);
    println!("  bid p99 / anchor latency: {:.1}", storm.percentile(0.99) / anchor.latency_ms);
    println!("  decryptions per second / anchor tps: {:.2}", decryptions.rate() / anchor.tps);
    println!("  decryption p99 / anchor latency: {:.1}", decryptions.percentile(0.99) / anchor.latency_ms);

    let checks = [
        ("every bid sent before the deadline accepted", accepted == total && storm.errors == 0),
        ("every bid in before the last 10 seconds", submitted_by < Duration::from_secs((LEAD_SECONDS - 10) as u64)),
        ("every modification and withdrawal accepted", last_changes.errors == 0),
        ("the changes done before the deadline", changed_by < Duration::from_secs(LEAD_SECONDS as u64 - 1)),
        (
            "every late bid refused for the deadline, none accepted",
            late_refused == late_total && late_accepted.load(Ordering::Relaxed) == 0,
        ),
        (
            "every decryption window opened, every standing bid decrypted",
            failures.is_empty() && decryptions.errors == 0,
        ),
        ("every opening record counts the bids standing", miscounted.is_empty()),
    ];
    for line in failures.iter().chain(&miscounted) {
        println!("  failed: {line}");
    }
    for (what, met) in &checks {
        println!("  {} {what}", if *met { "met:   " } else { "MISSED:" });
    }
    Ok(checks.iter().all(|(_, met)| *met))
}
