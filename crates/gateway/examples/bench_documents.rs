//! `cargo xtask bench documents [--mib N] [--db sqlite|postgres]`: one large document
//! (500 MiB by default) handed in over HTTP, downloaded over HTTP and read from disk in this
//! process, against the release binary, with the server's RSS sampled every 20 ms all the
//! while. Both directions stream, so the RSS must not grow by more than a few MiB whatever
//! the file's size (the check: 16 MiB); the download's rate is shown against reading the
//! same stored file from disk (the server hashes a file in full before serving it, then
//! again as it streams, so the HTTP rate is at most about half the disk's).

#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "bench_support/mod.rs"]
mod support;

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use chrono::{DateTime, Utc};
use ggzy_gateway::auth::TokenAuthority;
use ggzy_service::Role;
use serde_json::json;
use support::{database, document_trip, register_participant, Http, Server, JWT_SECRET, SHA};

const CLOCK: &str = "2026-11-02T09:00:00+08:00";
/// The most the server's RSS may grow while a file of any size goes in and out.
const RSS_GROWTH_MIB: f64 = 16.0;

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(error) => {
            eprintln!("bench documents: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> anyhow::Result<bool> {
    let mut mib = 500usize;
    let mut postgres = false;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut pairs = args.chunks(2);
    for pair in pairs.by_ref() {
        match pair {
            [flag, value] if flag == "--mib" => mib = value.parse().context("--mib")?,
            [flag, value] if flag == "--db" => postgres = value == "postgres",
            other => anyhow::bail!("unknown option {other:?}: --mib N, --db sqlite|postgres"),
        }
    }
    let database = database(postgres)?;
    let server = Server::start(&database, 4, &format!("manual:{CLOCK}"))?;
    let tokens = Arc::new(TokenAuthority::new(JWT_SECRET.as_bytes(), "ggzy".into(), "ggzy".into()));
    let issued_at = DateTime::parse_from_rfc3339(CLOCK).map(|t| t.with_timezone(&Utc)).unwrap_or_default();
    let http = Http { client: reqwest::blocking::Client::new(), base: server.base.clone(), tokens, issued_at };
    let admin = http.token(Role::PlatformAdmin, None)?;
    http.post("/api/v1/departments/centre/staff", &admin, &json!({"subject": "bench", "name": "值班员"}))?;
    let centre = http.token(Role::CentreStaff, Some("centre"))?;
    let tenderer = register_participant(&http, &centre, 0, "tenderer")?;
    let tenderer_token = http.token(Role::Tenderer, Some(&tenderer))?;
    let project = http.post(
        "/api/v1/projects",
        &tenderer_token,
        &json!({"name": "文件基准工程", "tenderer_id": tenderer, "category": "construction", "subtype": "works",
                "sector": "building", "funding": "state_funded", "legally_required_tendering": true,
                "sections": [{"name": "一标段", "estimated_amount": "1000000.00"}],
                "approval_documents": [{"title": "批复", "number": "1号", "sha256": SHA}]}),
    )?;
    let project = project["id"].as_str().context("project id")?.to_owned();
    let trip = document_trip(&http, &server, &database.dir, &database.dir.join("data/documents"), &project, mib)?;
    println!("{} backend, release binary", if postgres { "PostgreSQL" } else { "SQLite" });
    trip.print();
    let growth = trip.rss_peak_mib - trip.rss_before_mib;
    let checks = [(format!("server RSS grew by at most {RSS_GROWTH_MIB} MiB"), growth <= RSS_GROWTH_MIB)];
    for (what, met) in &checks {
        println!("  {} {what}", if *met { "met:   " } else { "MISSED:" });
    }
    Ok(checks.iter().all(|(_, met)| *met))
}
