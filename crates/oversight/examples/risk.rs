//! The risk scan over synthetic histories, built with optimisations by `cargo xtask`:
//! `risk bench [BIDS…]` times full scans; `risk seed [--sections N] [--seed S]` generates a
//! history with planted rings and reports what the scan found.

#![allow(clippy::print_stdout, clippy::print_stderr)] // a command-line report

use std::process::ExitCode;
use std::time::Instant;

use ggzy_oversight::risk::{scan_history, synthetic, Indicator, RiskPolicy};

const AVERAGE_BIDS: usize = 8;

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn bench(sizes: &[usize]) -> ExitCode {
    let policy = RiskPolicy::default();
    let mut previous: Option<(usize, f64)> = None;
    println!("{:>10} {:>9} {:>9} {:>10} {:>10} {:>9}", "bids", "sections", "findings", "generate", "scan", "ns/bid");
    for &bids in sizes {
        let started = Instant::now();
        let dataset = synthetic::generate(20_261_130, bids / AVERAGE_BIDS, AVERAGE_BIDS);
        let generated = started.elapsed().as_secs_f64();
        let started = Instant::now();
        let findings = scan_history(&dataset.sections, &policy);
        let scanned = started.elapsed().as_secs_f64();
        let count = dataset.bid_count();
        println!(
            "{:>10} {:>9} {:>9} {:>9.2}s {:>9.2}s {:>9.0}",
            count,
            dataset.sections.len(),
            findings.len(),
            generated,
            scanned,
            scanned * 1e9 / count as f64
        );
        if let Some((previous_count, previous_time)) = previous {
            let growth = count as f64 / previous_count as f64;
            println!(
                "  {growth:.1}× the bids took {:.1}× the time (n log n predicts {:.1}×, n² {:.0}×)",
                scanned / previous_time,
                growth * (count as f64).ln() / (previous_count as f64).ln(),
                growth * growth
            );
        }
        previous = Some((count, scanned));
    }
    if let Some(rss) = peak_rss_mib() {
        println!("peak RSS {rss:.0} MiB");
    }
    ExitCode::SUCCESS
}

fn seed(sections: usize, seed: u64, copies: usize, price_ppm: Option<u64>, rotation_ppm: Option<u64>) -> ExitCode {
    let dataset = synthetic::generate_with_copies(seed, sections, AVERAGE_BIDS, copies);
    let mut policy = RiskPolicy::default();
    if let Some(ppm) = price_ppm {
        policy.price_max_chance = ppm as f64 / 1e6;
    }
    if let Some(ppm) = rotation_ppm {
        policy.rotation_max_chance = ppm as f64 / 1e6;
    }
    let findings = scan_history(&dataset.sections, &policy);
    println!(
        "{} sections ({sections} honest), {} bids, {} rings planted (seed {seed}); bounds: price patterns {:.0e}, rotation {:.0e}",
        dataset.sections.len(),
        dataset.bid_count(),
        dataset.planted.len(),
        policy.price_max_chance,
        policy.rotation_max_chance,
    );
    for ring in dataset.planted.iter().filter(|_| copies == 1) {
        let found = findings.iter().any(|f| ring.matches(f));
        println!(
            "  {:<28} {:<42} {} section(s)  {}",
            ring.indicator.as_str(),
            ring.variant,
            ring.section_ids.len(),
            if found { "found" } else { "MISSED" }
        );
    }
    if std::env::var_os("GGZY_RISK_VERBOSE").is_some() {
        for finding in findings.iter().filter(|f| !dataset.is_planted(f)) {
            println!("  not planted: {finding:?}");
        }
    }
    println!("{:<64} {:>7} {:>6}", "variant", "planted", "found");
    let mut variants: Vec<(Indicator, &str)> = Vec::new();
    for ring in &dataset.planted {
        if !variants.contains(&(ring.indicator, ring.variant)) {
            variants.push((ring.indicator, ring.variant));
        }
    }
    for (indicator, variant) in variants {
        let rings: Vec<_> =
            dataset.planted.iter().filter(|r| r.indicator == indicator && r.variant == variant).collect();
        let found = rings.iter().filter(|r| findings.iter().any(|f| r.matches(f))).count();
        println!("{:<64} {:>7} {:>6}", format!("{} / {variant}", indicator.as_str()), rings.len(), found);
    }
    println!("{:<28} {:>7} {:>6} {:>7} {:>13}", "indicator", "planted", "found", "recall", "false alerts");
    let mut unexpected_misses = 0;
    let mut false_alerts = 0;
    for line in synthetic::report(&dataset, &findings) {
        let recall = if line.planted == 0 { 1.0 } else { line.found as f64 / line.planted as f64 };
        println!(
            "{:<28} {:>7} {:>6} {:>6.0}% {:>13}",
            line.indicator.as_str(),
            line.planted,
            line.found,
            recall * 100.0,
            line.false_alerts
        );
        unexpected_misses += line.missed.iter().filter(|v| !synthetic::MEASURED_RECALL.contains(v)).count();
        false_alerts += line.false_alerts;
    }
    println!(
        "{} findings: {unexpected_misses} rings missed that must always be found (recall of {} is measured above), {false_alerts} false alerts on {sections} honest sections ({:.2} per 1,000)",
        findings.len(),
        synthetic::MEASURED_RECALL.join("; "),
        false_alerts as f64 * 1000.0 / sections.max(1) as f64
    );
    // Misses are failures; false alerts are a rate to read (bounded by the policy).
    if unexpected_misses == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("bench") => {
            let sizes: Vec<usize> = args[1..].iter().filter_map(|a| a.parse().ok()).collect();
            bench(if sizes.is_empty() { &[100_000, 1_000_000] } else { &sizes })
        }
        Some("seed") => {
            let value =
                |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)?.parse::<u64>().ok());
            seed(
                value("--sections").unwrap_or(5_000) as usize,
                value("--seed").unwrap_or(20_261_130),
                value("--copies").unwrap_or(10) as usize,
                value("--price-ppm"),
                value("--rotation-ppm"),
            )
        }
        _ => {
            eprintln!("usage: risk bench [BIDS…] | risk seed [--sections N] [--seed S] [--copies N] [--price-ppm N] [--rotation-ppm N]");
            ExitCode::from(2)
        }
    }
}
