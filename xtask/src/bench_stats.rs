//! `cargo xtask bench stats [PROJECTS]`: fills a fresh PostgreSQL database with PROJECTS
//! projects (default 1,000,000), one section each, openings, four bids and bonds per opened
//! section and contracts, then times the public statistics queries on it and drops the
//! database.

use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use diesel::{Connection, PgConnection, RunQueryDsl};
use ggzy_service::statistics::StatisticsQuery;

fn execute(conn: &mut PgConnection, sql: &str) -> anyhow::Result<usize> {
    diesel::sql_query(sql).execute(conn).with_context(|| format!("running {}", &sql[..sql.len().min(60)]))
}

#[allow(clippy::print_stdout)]
pub fn run(projects: usize) -> anyhow::Result<bool> {
    let admin_url = std::env::var("GGZY_BENCH_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let (base, _) = admin_url.rsplit_once('/').context("GGZY_BENCH_POSTGRES_URL has no database name")?;
    let name = format!("ggzy_bench_{}", std::process::id());
    let url = format!("{base}/{name}");
    let mut admin = PgConnection::establish(&admin_url).context("connecting to PostgreSQL")?;
    execute(&mut admin, &format!("CREATE DATABASE {name}"))?;
    let outcome = fill_and_measure(&url, projects);
    execute(&mut admin, &format!("DROP DATABASE {name} WITH (FORCE)"))?;
    outcome
}

#[allow(clippy::print_stdout)]
fn fill_and_measure(url: &str, projects: usize) -> anyhow::Result<bool> {
    let store = ggzy_store::Store::open(&ggzy_store::StoreConfig::new(url)).context("opening the bench database")?;
    store.migrate().context("migrating")?;
    let platform = ggzy_service::Platform::new(store, Arc::new(ggzy_kernel::SystemClock), b"bench".to_vec());
    platform.rules().ensure_seed_rule_set().map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut conn = PgConnection::establish(url).context("connecting to the bench database")?;
    let started = Instant::now();
    let n = projects;
    // A bulk load: the statistics triggers are off for this session (they would run once a
    // row, for millions of rows) and the roll-ups are rebuilt in one pass at the end, the
    // way migration 000022 builds them for data already there.
    execute(&mut conn, "SET session_replication_role = replica")?;
    execute(
        &mut conn,
        "INSERT INTO participants (id, credit_code, name, kinds, legal_representative, organisation_code_warning, created_at, updated_at, version) \
         SELECT 'bench-' || k, code, '基准主体' || k, CASE WHEN k = 0 THEN 'tenderer' ELSE 'bidder' END, '张三', 0, now(), now(), 1 \
         FROM unnest(ARRAY['91110000600037341L', '914403001922038216', '91110108551385082Q', '9144030071526726XG', \
           '91350100M000100Y43']) WITH ORDINALITY AS c(code, n), LATERAL (SELECT n - 1 AS k) i",
    )?;
    execute(
        &mut conn,
        "INSERT INTO staff (id, department_id, subject, name, active, created_at) VALUES ('bench-staff', 'centre', 'bench', '基准', 1, now())",
    )?;
    execute(
        &mut conn,
        &format!(
            "INSERT INTO projects (id, code, name, category, subtype, tenderer_id, status, regulator_id, service_owner_id, \
               rule_set_version, entry_outcome, estimated_total, details, registered_at, updated_at, version) \
             SELECT 'p' || g, 'code' || g, 'project ' || g, \
               (ARRAY['construction', 'procurement', 'land_mining', 'state_property', 'other'])[1 + g % 5], \
               (ARRAY['works', 'goods', 'services'])[1 + g % 3], 'bench-0', 'completed', \
               (ARRAY['zjw', 'czj', 'gzfj', 'gzw', 'fgw', 'swj'])[1 + g % 6], 'bench-staff', 1, 'must_enter', \
               100000000 + (g % 100000) * 1000, '{{}}', \
               timestamp '2025-01-01' + (g % 730) * interval '1 day' + (g % 86400) * interval '1 second', now(), 1 \
             FROM generate_series(1, {n}) g"
        ),
    )?;
    execute(
        &mut conn,
        &format!(
            "INSERT INTO sections (id, project_id, code, position, name, estimated_amount) \
             SELECT 's' || g, 'p' || g, 'scode' || g, 1, '一标段', 100000000 + (g % 100000) * 1000 FROM generate_series(1, {n}) g"
        ),
    )?;
    // Four in five sections opened; one in seven of those failed with a single bid.
    execute(
        &mut conn,
        &format!(
            "INSERT INTO openings (section_id, opened_at, opened_by, witness_id, outcome, record, bid_count) \
             SELECT 's' || g, now(), 'bench', 'bench-staff', CASE WHEN g % 7 = 0 THEN 'failed' ELSE 'opened' END, '{{}}', \
               CASE WHEN g % 7 = 0 THEN 1 ELSE 4 END \
             FROM generate_series(1, {n}) g WHERE g % 5 <> 0"
        ),
    )?;
    execute(
        &mut conn,
        &format!(
            "INSERT INTO bids (id, section_id, bidder_id, sealed, receipt_hash, status, submitted_at, updated_at, version) \
             SELECT 'b' || g || '-' || k, 's' || g, 'bench-' || k, 'x', 'x', 'submitted', now(), now(), 1 \
             FROM generate_series(1, {n}) g, generate_series(1, 4) k WHERE g % 5 <> 0 AND (g % 7 <> 0 OR k = 1)"
        ),
    )?;
    // A bond behind every bid: the second refunded; one in a thousand of the third past
    // its refund deadline (an overdue bond is the platform's liability, and rare).
    execute(
        &mut conn,
        &format!(
            "INSERT INTO ledger_accounts (id, kind, owner, section_id, debits_must_not_exceed_credits, \
               credits_must_not_exceed_debits, created_at) \
             SELECT 'bond:b' || g || '-' || k, 'bidder_bond', 'bench-' || k, 's' || g, 1, 0, now() \
             FROM generate_series(1, {n}) g, generate_series(1, 4) k WHERE g % 5 <> 0 AND (g % 7 <> 0 OR k = 1)"
        ),
    )?;
    execute(
        &mut conn,
        &format!(
            "INSERT INTO bonds (id, section_id, bidder_id, account_id, form, amount, deposited_at, status, \
               refund_deadline, outcome, settled_at) \
             SELECT 'b' || g || '-' || k, 's' || g, 'bench-' || k, 'bond:b' || g || '-' || k, 'transfer', 2000000, now(), \
               CASE WHEN k = 2 THEN 'refunded' ELSE 'held' END, \
               CASE WHEN k = 3 AND g % 1000 = 0 THEN now() - interval '1 day' ELSE NULL END, \
               CASE WHEN k = 2 THEN 'refunded' ELSE NULL END, CASE WHEN k = 2 THEN now() ELSE NULL END \
             FROM generate_series(1, {n}) g, generate_series(1, 4) k WHERE g % 5 <> 0 AND (g % 7 <> 0 OR k = 1)"
        ),
    )?;
    execute(
        &mut conn,
        &format!(
            "INSERT INTO section_results (section_id, report, publicity_start, publicity_end, winner_id, awarded_at, contract_amount, contract_signed_at, contract_late) \
             SELECT 's' || g, '[]', now(), now(), 'bench-1', now(), (100000000 + (g % 100000) * 1000)::bigint * 97 / 100, now(), 0 \
             FROM generate_series(1, {n}) g WHERE g % 5 <> 0 AND g % 7 <> 0 AND g % 3 = 0"
        ),
    )?;
    execute(&mut conn, "SET session_replication_role = origin")?;
    let rebuilt = Instant::now();
    platform
        .store()
        .write(ggzy_store::statistics::rebuild_rollups)
        .map_err(|e| anyhow::anyhow!("rebuilding the roll-ups: {e}"))?;
    println!("rebuilt the statistics roll-ups in {:.1} s", rebuilt.elapsed().as_secs_f64());
    execute(&mut conn, "ANALYZE")?;
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        count: i64,
    }
    let bids: Count = diesel::sql_query("SELECT COUNT(*) AS count FROM bids").get_result(&mut conn)?;
    let bonds: Count = diesel::sql_query("SELECT COUNT(*) AS count FROM bonds").get_result(&mut conn)?;
    println!(
        "filled {n} projects, {n} sections, {} bids, {} bonds in {:.1} s",
        bids.count,
        bonds.count,
        started.elapsed().as_secs_f64()
    );
    let cases = [
        ("all four dimensions, all time", StatisticsQuery::default()),
        ("by category", StatisticsQuery { group_by: Some("category".into()), ..Default::default() }),
        (
            "by regulator, one month",
            StatisticsQuery {
                group_by: Some("regulator".into()),
                from: Some("2026-03".into()),
                to: Some("2026-03".into()),
            },
        ),
    ];
    for (label, query) in cases {
        let mut times = Vec::new();
        let mut groups = 0;
        for _ in 0..3 {
            let started = Instant::now();
            groups = platform.disclosure().statistics(query.clone()).map_err(|e| anyhow::anyhow!("{e}"))?.groups.len();
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        println!("{label:<32} {groups:>6} groups   best {:>8.0} ms   median {:>8.0} ms", times[0], times[1]);
    }
    Ok(true)
}
