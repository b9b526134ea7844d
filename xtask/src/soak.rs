//! `cargo xtask soak [--minutes N] [--clients N]`: a long mixed load on PostgreSQL (a fresh
//! database on the local server, GGZY_BENCH_POSTGRES_URL) against the optimised binary:
//! each client registers a participant, reads it back, reads a page of the public
//! announcements and one of the OCDS release feed, in a loop. The server's RSS is sampled
//! every second. After a warm-up (the first fifth of the run) it fails when the RSS grows
//! more than 10% or the p99 of the last fifth is more than 20% above the first fifth's
//! after warm-up; it prints every figure.

use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use diesel::{Connection, PgConnection, RunQueryDsl};
use serde_json::{json, Value};

const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

fn credit_code(n: u32) -> String {
    let body = format!("93110000{n:09}");
    let check = ggzy_kernel::CreditCode::check_character(&body).unwrap_or('0');
    format!("{body}{check}")
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()
}

fn p99(mut millis: Vec<f64>) -> f64 {
    if millis.is_empty() {
        return f64::NAN;
    }
    millis.sort_by(|a, b| a.total_cmp(b));
    let index = ((millis.len() as f64) * 0.99).ceil() as usize;
    millis[index.saturating_sub(1).min(millis.len() - 1)]
}

#[allow(clippy::print_stdout)]
pub fn run(root: &std::path::Path, minutes: u64, clients: usize) -> anyhow::Result<bool> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let built = Command::new(&cargo)
        .current_dir(root)
        .args(["build", "--release", "--quiet", "--package", "ggzy-gateway"])
        .status()?;
    anyhow::ensure!(built.success(), "building ggzy failed");
    let target =
        std::env::var("CARGO_TARGET_DIR").map(std::path::PathBuf::from).unwrap_or_else(|_| root.join("target"));
    let binary = target.join("release/ggzy");
    let admin_url = std::env::var("GGZY_BENCH_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let (base_url, _) = admin_url.rsplit_once('/').context("GGZY_BENCH_POSTGRES_URL has no database name")?;
    let name = format!("ggzy_soak_{}", std::process::id());
    let mut admin = PgConnection::establish(&admin_url).context("connecting to PostgreSQL")?;
    diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin)?;
    let data = std::env::temp_dir().join(format!("ggzy-soak-{}", std::process::id()));
    std::fs::create_dir_all(&data)?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let mut server = Command::new(&binary)
        .arg("serve")
        .env("GGZY_DATA_DIR", &data)
        .env("GGZY_DATABASE_URL", format!("{base_url}/{name}"))
        .env("GGZY_LISTEN", format!("127.0.0.1:{port}"))
        .env("GGZY_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("starting ggzy")?;
    let outcome = soak(&binary, &data, server.id(), port, Duration::from_secs(minutes * 60), clients);
    let _ = server.kill();
    let _ = server.wait();
    diesel::sql_query(format!("DROP DATABASE {name} WITH (FORCE)")).execute(&mut admin)?;
    let _ = std::fs::remove_dir_all(&data);
    outcome
}

fn token(binary: &std::path::Path, data: &std::path::Path, role: &str, org: Option<&str>) -> anyhow::Result<String> {
    let mut command = Command::new(binary);
    command.env("GGZY_DATA_DIR", data).args(["token", "--role", role, "--ttl", "86400"]);
    if let Some(org) = org {
        command.args(["--org", org]);
    }
    Ok(String::from_utf8(command.output()?.stdout)?.trim().to_owned())
}

#[allow(clippy::print_stdout)]
fn soak(
    binary: &std::path::Path,
    data: &std::path::Path,
    pid: u32,
    port: u16,
    length: Duration,
    clients: usize,
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
    // Something to list: a tender announced.
    let centre = token(binary, data, "centre_staff", Some("centre"))?;
    let post = |path: &str, token: &str, body: Value| -> anyhow::Result<Value> {
        let reply = client.post(format!("{base}{path}")).bearer_auth(token).json(&body).send()?;
        let status = reply.status();
        let answer: Value = reply.json().unwrap_or(Value::Null);
        anyhow::ensure!(status.is_success(), "POST {path}: {status} {answer}");
        Ok(answer)
    };
    let admin = token(binary, data, "platform_admin", None)?;
    post("/api/v1/departments/centre/staff", &admin, json!({"subject": "soak", "name": "王芳"}))?;
    crate::seed::hand_in_test_document(&client, &base, &centre)?;
    let tenderer = post(
        "/api/v1/participants",
        &centre,
        json!({"credit_code": "91110000600037341L", "name": "招标人", "kinds": ["tenderer"], "legal_representative": "张三"}),
    )?;
    let tenderer_id = tenderer["id"].as_str().context("tenderer id")?;
    let tenderer_token = token(binary, data, "tenderer", Some(tenderer_id))?;
    let project = post(
        "/api/v1/projects",
        &tenderer_token,
        json!({"name": "某工程", "tenderer_id": tenderer_id, "category": "construction", "subtype": "works",
               "sector": "building", "funding": "state_funded", "legally_required_tendering": true,
               "sections": [{"name": "一标段", "estimated_amount": "1000000.00"}],
               "approval_documents": [{"title": "批复", "number": "1号", "sha256": SHA}]}),
    )?;
    let section = project["sections"][0]["id"].as_str().context("section")?;
    let deadline = (chrono::Utc::now() + chrono::Duration::days(30)).format("%Y-%m-%dT02:00:00Z").to_string();
    post(
        &format!("/api/v1/projects/{}/announcements", project["id"].as_str().context("project id")?),
        &tenderer_token,
        json!({"bid_deadline": deadline, "opening_place": "开标一室", "documents": [{"title": "招标文件", "sha256": SHA}],
               "sections": [{"section_id": section, "bond_amount": "20000.00"}]}),
    )?;

    let stop = Arc::new(AtomicBool::new(false));
    // (seconds since start, milliseconds, ok) of every request.
    let samples: Arc<Mutex<Vec<(f64, f64, bool)>>> = Arc::new(Mutex::new(Vec::new()));
    let start = Instant::now();
    let workers: Vec<_> =
        (0..clients)
            .map(|worker| {
                let (stop, samples, client, base, centre) =
                    (stop.clone(), samples.clone(), client.clone(), base.clone(), centre.clone());
                std::thread::spawn(move || {
                    let mut n = 0_u32;
                    let timed = |request: reqwest::blocking::RequestBuilder| -> Option<Value> {
                        let sent = Instant::now();
                        let reply = request.send().ok();
                        let ok = reply.as_ref().is_some_and(|r| r.status().is_success());
                        let body = reply.and_then(|r| r.json::<Value>().ok());
                        let at = sent.duration_since(start).as_secs_f64();
                        samples.lock().map(|mut s| s.push((at, sent.elapsed().as_secs_f64() * 1000.0, ok))).ok();
                        body
                    };
                    while !stop.load(Ordering::Relaxed) {
                        n += 1;
                        let code = credit_code(worker as u32 * 10_000_000 + n);
                        let created =
                            timed(client.post(format!("{base}/api/v1/participants")).bearer_auth(&centre).json(
                                &json!({"credit_code": code, "name": format!("主体{code}"), "kinds": ["bidder"],
                                "legal_representative": "李四"}),
                            ));
                        if let Some(id) = created.as_ref().and_then(|c| c["id"].as_str()) {
                            timed(client.get(format!("{base}/api/v1/participants/{id}")).bearer_auth(&centre));
                        }
                        timed(client.get(format!("{base}/api/v1/public/announcements?limit=50")));
                        timed(client.get(format!("{base}/api/v1/ocds/releases?limit=50")));
                    }
                })
            })
            .collect();
    // The server's RSS every second: (seconds since start, KiB).
    let mut rss = Vec::new();
    while start.elapsed() < length {
        if let Some(kib) = rss_kib(pid) {
            rss.push((start.elapsed().as_secs_f64(), kib));
        }
        std::thread::sleep(Duration::from_secs(1));
    }
    stop.store(true, Ordering::Relaxed);
    for worker in workers {
        let _ = worker.join();
    }
    let samples = samples.lock().map_err(|_| anyhow::anyhow!("samples poisoned"))?.clone();
    let total = length.as_secs_f64();
    let fifth = total / 5.0;
    let window = |from: f64, to: f64| -> Vec<f64> {
        samples.iter().filter(|(at, _, _)| *at >= from && *at < to).map(|(_, ms, _)| *ms).collect()
    };
    // After the warm-up (the first fifth): the second fifth against the last.
    let early = p99(window(fifth, 2.0 * fifth));
    let late = p99(window(4.0 * fifth, total));
    let rss_at = |from: f64, to: f64| -> Option<u64> {
        rss.iter().filter(|(at, _)| *at >= from && *at < to).map(|(_, kib)| *kib).max()
    };
    let rss_warm = rss_at(fifth, 2.0 * fifth).unwrap_or(0);
    let rss_end = rss_at(4.0 * fifth, total + 1.0).unwrap_or(0);
    let errors = samples.iter().filter(|(_, _, ok)| !ok).count();
    let rss_growth = rss_end as f64 / rss_warm.max(1) as f64 - 1.0;
    let p99_drift = late / early - 1.0;
    println!(
        "soak {:.0} min, {clients} clients: {} requests ({:.0}/s), {errors} errors; p99 {early:.1} ms after warm-up, \
         {late:.1} ms in the last fifth ({:+.0}%); server RSS {:.1} MiB after warm-up, {:.1} MiB at the end ({:+.1}%)",
        total / 60.0,
        samples.len(),
        samples.len() as f64 / total,
        p99_drift * 100.0,
        rss_warm as f64 / 1024.0,
        rss_end as f64 / 1024.0,
        rss_growth * 100.0,
    );
    let checks = [
        ("RSS grows at most 10% after warm-up", rss_growth <= 0.10),
        ("p99 drifts up at most 20%", p99_drift <= 0.20),
        ("no errors", errors == 0),
    ];
    for (what, met) in &checks {
        println!("  {} {what}", if *met { "met:   " } else { "MISSED:" });
    }
    Ok(checks.iter().all(|(_, met)| *met))
}
