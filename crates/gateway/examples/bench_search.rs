//! `cargo xtask bench search [--db postgres|sqlite] [--rows N] [--clients N] [--requests N]
//! [--pool N]`: public search (`GET /api/v1/public/search`) over HTTP against the release
//! binary, with the search entries at 10,000 rows and then at `rows` (1,000,000 by default),
//! the server holding `pool` database connections (10 by default, the server's own default)
//! and running as many searches at once as `GGZY_READ_CONCURRENCY` lets it (inherited from
//! this environment; by default twice the machine's cores: ggzy_gateway::admission).
//!
//! The entries are made in SQL (not timed) with varied names: a district or town of 40, a
//! work of 30, a number; a code `MY-2026-<12 digits>`; one tenderer of 20. Measured at each
//! size, each query class by `clients` clients × `requests`:
//! - a rare term of three characters or more (one project's name and number: one row);
//! - a common term of three or more (a town: 1 row in 40);
//! - a common term of two characters (answered from the index of characters and pairs, or
//!   where the term is that common by reading the entries newest first until a page is full);
//! - a term of two characters found nowhere (the index says so at once; it was the worst
//!   case when a window of 20,000 entries was read for an empty page).
//!
//! The same for participants (`kind=participant`), filled to the same size beside them (so
//! the table holds twice `rows`): a name `<town><work>建设有限公司<n>` and a unified social
//! credit code; queried by one firm's name, by a Chinese part of a name (a town and a work,
//! 1 in 120), by a town (1 in 40) and by the tail of a credit code.
//!
//! Prints p50/p99 for each and the p99 at the full size against the p99 at 10,000 rows (the
//! trigram index must keep the size nearly irrelevant for three characters and more), with
//! a machine anchor measured in the same run (pgbench TPC-B on the same PostgreSQL, or an
//! SQLite insert-and-commit loop) and every p99 as a ratio to the anchor's latency, and the
//! goal of a participant found by a Chinese part of its name among `rows` in under 50 ms p99
//! as met or missed. Exits 1 if a query fails or a hit is wrong.

#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "bench_support/mod.rs"]
mod support;

use std::process::ExitCode;

use anyhow::Context;
use ggzy_store::{Store, StoreConfig};
use support::{database, measure, pgbench_anchor, raw, sqlite_anchor, Figures, Server};

const CLOCK: &str = "2026-11-02T09:00:00+08:00";
const PLACES: [&str; 40] = [
    "鼓楼",
    "果园",
    "檀营",
    "密云镇",
    "溪翁庄",
    "西田各庄",
    "十里堡",
    "河南寨",
    "巨各庄",
    "穆家峪",
    "太师屯",
    "高岭",
    "不老屯",
    "冯家峪",
    "古北口",
    "大城子",
    "东邵渠",
    "北庄",
    "新城子",
    "石城",
    "怀柔",
    "雁栖",
    "庙城",
    "桥梓",
    "杨宋",
    "汤河口",
    "喇叭沟门",
    "琉璃庙",
    "渤海",
    "九渡河",
    "延庆",
    "康庄",
    "八达岭",
    "永宁",
    "旧县",
    "珍珠泉",
    "刘斌堡",
    "大庄科",
    "四海",
    "千家店",
];
const WORKS: [&str; 30] = [
    "道路改造",
    "供水管网",
    "污水处理",
    "河道治理",
    "水库除险加固",
    "学校扩建",
    "医院门诊楼",
    "社区服务中心",
    "老旧小区改造",
    "公交场站",
    "桥梁维修",
    "绿化提升",
    "路灯更换",
    "燃气管道",
    "供热改造",
    "体育公园",
    "垃圾转运站",
    "消防站",
    "停车场",
    "农田水利",
    "森林防火",
    "文化中心",
    "养老照料中心",
    "幼儿园",
    "图书馆",
    "应急避难场所",
    "雨水管网",
    "地下综合管廊",
    "人行天桥",
    "山区道路",
];

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(error) => {
            eprintln!("bench search: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// What the bench fills: announcements (of projects) or participants.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Announcement,
    Participant,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Announcement => "announcement",
            Kind::Participant => "participant",
        }
    }
}

/// The entries of `kind` numbered `first..=last`, in one statement.
fn fill(store: &Store, kind: Kind, first: usize, last: usize, postgres: bool) -> anyhow::Result<()> {
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
    let pad = if postgres { "lpad(g.n::text, 12, '0')" } else { "substr('000000000000' || g.n, -12, 12)" };
    let pad10 = if postgres { "lpad(g.n::text, 10, '0')" } else { "substr('0000000000' || g.n, -10, 10)" };
    let insert = match kind {
        Kind::Announcement => format!(
            "INSERT INTO search_entries (kind, object_id, project_id, name, code, party, text) \
             SELECT 'announcement', 'ffffffff-ffff-7fff-8fff-' || {pad}, NULL, \
               p.w || w.w || '工程' || g.n, 'MY-2026-' || {pad}, t.w, \
               p.w || w.w || '工程' || g.n || ' MY-2026-' || {pad} || ' ' || t.w \
             FROM {series} \
             JOIN bench_places p ON p.i = g.n % 40 JOIN bench_works w ON w.i = g.n % 30 \
             JOIN bench_parties t ON t.i = g.n % 20"
        ),
        Kind::Participant => format!(
            "INSERT INTO search_entries (kind, object_id, project_id, name, code, party, text) \
             SELECT 'participant', 'eeeeeeee-eeee-7eee-8eee-' || {pad}, NULL, \
               p.w || w.w || '建设有限公司' || g.n, '91110228' || {pad10}, NULL, \
               p.w || w.w || '建设有限公司' || g.n || ' 91110228' || {pad10} \
             FROM {series} \
             JOIN bench_places p ON p.i = g.n % 40 JOIN bench_works w ON w.i = g.n % 30"
        ),
    };
    raw(store, &insert)?;
    if postgres {
        raw(store, "VACUUM (ANALYZE) search_entries")?;
    }
    Ok(())
}

fn words(store: &Store, table: &str, words: &[String]) -> anyhow::Result<()> {
    raw(store, &format!("CREATE TABLE {table} (i INTEGER PRIMARY KEY, w TEXT NOT NULL)"))?;
    let values: Vec<String> = words.iter().enumerate().map(|(i, w)| format!("({i}, '{w}')")).collect();
    raw(store, &format!("INSERT INTO {table} (i, w) VALUES {}", values.join(", ")))?;
    Ok(())
}

/// A query class: what it stands for, the kind searched and the query.
struct Class {
    what: &'static str,
    kind: Kind,
    q: String,
}

fn run() -> anyhow::Result<bool> {
    let (mut postgres, mut rows, mut clients, mut requests) = (false, 1_000_000usize, 8usize, 50usize);
    let mut pool = 10;
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        match pair {
            [flag, value] if flag == "--db" => postgres = value == "postgres",
            [flag, value] if flag == "--rows" => rows = value.parse().context("--rows")?,
            [flag, value] if flag == "--clients" => clients = value.parse().context("--clients")?,
            [flag, value] if flag == "--requests" => requests = value.parse().context("--requests")?,
            [flag, value] if flag == "--pool" => pool = value.parse().context("--pool")?,
            other => anyhow::bail!("unknown option {other:?}: --db, --rows, --clients, --requests, --pool"),
        }
    }
    if postgres {
        println!("{}", support::postgres_transport());
    }
    let anchor = if postgres { pgbench_anchor(clients)? } else { sqlite_anchor(&std::env::temp_dir())? };
    println!(
        "machine anchor: {}: {:.0} tps, average latency {:.2} ms, p99 {:.2} ms",
        anchor.what, anchor.tps, anchor.latency_ms, anchor.p99_ms
    );
    let database = database(postgres)?;
    let server = Server::start(&database, pool, &format!("manual:{CLOCK}"))?;
    let reads_at_once = support::reads_at_once();
    println!("{clients} clients, {pool} database connections (--pool), searches at once: {reads_at_once}");
    let store = Store::open(&StoreConfig::new(database.url.clone()))?;
    words(&store, "bench_places", &PLACES.map(str::to_owned))?;
    words(&store, "bench_works", &WORKS.map(str::to_owned))?;
    let parties: Vec<String> = (0..20).map(|i| format!("北京市第{i}建设投资有限公司")).collect();
    words(&store, "bench_parties", &parties)?;
    // One firm among them, numbered so that no other firm's number begins with its own
    // (ten times it is beyond the last).
    let firm = (rows * 654_321 / 1_000_000).max(1);
    let classes = [
        Class { what: "rare, 3+ characters (one project's name)", kind: Kind::Announcement, q: "工程123456".into() },
        Class { what: "common, 3+ characters (a town, 1 in 40)", kind: Kind::Announcement, q: "溪翁庄".into() },
        Class { what: "common, 2 characters (1 in 40)", kind: Kind::Announcement, q: "檀营".into() },
        Class { what: "absent, 2 characters", kind: Kind::Announcement, q: "澳门".into() },
        Class { what: "participant: one firm's name", kind: Kind::Participant, q: format!("建设有限公司{firm}") },
        Class {
            what: "participant: a Chinese part of a name (1 in 120)",
            kind: Kind::Participant,
            q: "溪翁庄水库除险加固".into(),
        },
        Class { what: "participant: a town (1 in 40)", kind: Kind::Participant, q: "琉璃庙".into() },
        Class {
            what: "participant: a credit code's tail",
            kind: Kind::Participant,
            q: format!("{:010}", rows * 765_432 / 1_000_000),
        },
    ];
    let client = reqwest::blocking::Client::builder().pool_max_idle_per_host(clients * 2).build()?;
    let search = |class: &Class| -> Figures {
        let url = format!(
            "{}/api/v1/public/search?kind={}&limit=20&q={}",
            server.base,
            class.kind.as_str(),
            urlencode(&class.q)
        );
        measure(clients, requests, |_, _| {
            client.get(&url).send().is_ok_and(|r| r.status().is_success() && r.json::<serde_json::Value>().is_ok())
        })
    };
    let mut ok = true;
    let mut small = Vec::new();
    let small_rows = 10_000.min(rows);
    fill(&store, Kind::Announcement, 1, small_rows, postgres)?;
    fill(&store, Kind::Participant, 1, small_rows, postgres)?;
    println!(
        "search entries: {small_rows} announcements and {small_rows} participants ({})",
        if postgres { "PostgreSQL" } else { "SQLite" }
    );
    for class in &classes {
        let figures = search(class);
        println!("{}", figures.line(&format!("  {}", class.what)));
        ok &= figures.errors == 0;
        small.push(figures.percentile(0.99));
    }
    let started = std::time::Instant::now();
    fill(&store, Kind::Announcement, small_rows + 1, rows, postgres)?;
    fill(&store, Kind::Participant, small_rows + 1, rows, postgres)?;
    println!(
        "search entries: {rows} announcements and {rows} participants (filled in {:.1} s, not timed)",
        started.elapsed().as_secs_f64()
    );
    let mut part_of_name_p99 = f64::NAN;
    for (class, small_p99) in classes.iter().zip(&small) {
        let figures = search(class);
        println!("{}", figures.line(&format!("  {}", class.what)));
        let p99 = figures.percentile(0.99);
        println!(
            "    p99 at {rows} / at {small_rows} rows: {:.2}; p99 / anchor latency: {:.1}",
            p99 / small_p99,
            p99 / anchor.latency_ms
        );
        if class.q == "溪翁庄水库除险加固" {
            part_of_name_p99 = p99;
        }
        ok &= figures.errors == 0;
    }
    // The hits are right: the rare name is found, once, as a name; the absent term's page is
    // empty and the last (the index found nothing to go on to); one firm by its name and by
    // its code's tail, each once.
    let get = |kind: Kind, q: &str| -> anyhow::Result<serde_json::Value> {
        let url = format!("{}/api/v1/public/search?kind={}&q={}", server.base, kind.as_str(), urlencode(q));
        Ok(client.get(url).send()?.json()?)
    };
    let hits = get(Kind::Announcement, "工程123456")?;
    let found = hits["items"].as_array().map(Vec::len).unwrap_or(0);
    let rare_ok = found == 1 && hits["items"][0]["matched"] == serde_json::json!(["name"]);
    println!("rare name found: {found} hit(s) {}", if rare_ok { "(ok)" } else { "(WRONG)" });
    let absent = get(Kind::Announcement, "澳门")?;
    let absent_ok = absent["items"].as_array().is_some_and(Vec::is_empty) && absent["next_cursor"].is_null();
    println!("absent term: an empty last page {}", if absent_ok { "(ok)" } else { "(WRONG)" });
    let by_name = get(Kind::Participant, &format!("建设有限公司{firm}"))?;
    let by_code = get(Kind::Participant, &format!("{firm:010}"))?;
    let firm_ok = by_name["items"].as_array().map(Vec::len) == Some(1)
        && by_name["items"][0]["matched"] == serde_json::json!(["name"])
        && by_code["items"].as_array().map(Vec::len) == Some(1)
        && by_code["items"][0]["matched"] == serde_json::json!(["code"])
        && by_name["items"][0]["id"] == by_code["items"][0]["id"];
    println!("one firm by name and by code tail: {} ", if firm_ok { "the same one hit (ok)" } else { "(WRONG)" });
    let part = get(Kind::Participant, "溪翁庄水库除险加固")?;
    let part_ok = part["items"].as_array().is_some_and(|items| {
        !items.is_empty() && items.iter().all(|i| i["name"].as_str().is_some_and(|n| n.contains("溪翁庄水库除险加固")))
    });
    println!("a part of a name: every hit contains it {}", if part_ok { "(ok)" } else { "(WRONG)" });
    println!(
        "goal: a participant by a Chinese part of its name among {rows} p99 {part_of_name_p99:.1} ms < 50 ms: {}",
        if part_of_name_p99 < 50.0 { "met" } else { "missed" }
    );
    Ok(ok && rare_ok && absent_ok && firm_ok && part_ok)
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}
