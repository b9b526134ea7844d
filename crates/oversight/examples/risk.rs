//! The risk scan over synthetic histories, built with optimisations by `cargo xtask`:
//! `risk bench [BIDS…]` times full scans; `risk seed [--sections N] [--seed S]` generates a
//! history with planted rings and reports what the scan found.

#![allow(clippy::print_stdout, clippy::print_stderr)] // a command-line report

use std::process::ExitCode;
use std::time::Instant;

use ggzy_oversight::risk::{scan_history, synthetic, RiskPolicy};

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

fn seed(sections: usize, seed: u64) -> ExitCode {
    let dataset = synthetic::generate(seed, sections, AVERAGE_BIDS);
    let findings = scan_history(&dataset.sections, &RiskPolicy::default());
    println!(
        "{} sections, {} bids, {} rings planted (seed {seed})",
        dataset.sections.len(),
        dataset.bid_count(),
        dataset.planted.len()
    );
    let mut missed = 0;
    for ring in &dataset.planted {
        let found = findings
            .iter()
            .any(|f| f.indicator == ring.indicator && f.section_ids == ring.section_ids && f.bidders == ring.bidders);
        missed += usize::from(!found);
        println!(
            "  {:<28} {} section(s), bidders {:<60} {}",
            ring.indicator.as_str(),
            ring.section_ids.len(),
            ring.bidders.join(","),
            if found { "found" } else { "MISSED" }
        );
    }
    let unexpected = findings
        .iter()
        .filter(|f| {
            !dataset
                .planted
                .iter()
                .any(|r| r.indicator == f.indicator && r.section_ids == f.section_ids && r.bidders == f.bidders)
        })
        .count();
    println!("{} findings: {} planted rings missed, {unexpected} on honest sections", findings.len(), missed);
    if missed == 0 && unexpected == 0 {
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
            seed(value("--sections").unwrap_or(5_000) as usize, value("--seed").unwrap_or(20_261_130))
        }
        _ => {
            eprintln!("usage: risk bench [BIDS…] | risk seed [--sections N] [--seed S]");
            ExitCode::from(2)
        }
    }
}
