//! Search entries: a query of three characters or more answered from the trigram index,
//! one of one or two from the index of characters and pairs, however far back the hit is;
//! on SQLite a term with more hits than it sorts looks through a bounded window of entries a
//! page and says where it stopped, so that the next page goes on.

use diesel::RunQueryDsl;
use ggzy_blackbox::{both_backends, Backend, TestDatabase};
use ggzy_store::search::{self, SHORT_QUERY_WINDOW};

use super::{execute, open_migrated};

both_backends!(
    a_short_query_is_answered_from_an_index_and_a_dense_one_on_sqlite_from_a_window,
    a_greek_sigma_is_found_however_it_ends_a_word
);

fn a_short_query_is_answered_from_an_index_and_a_dense_one_on_sqlite_from_a_window(backend: Backend) {
    let Some(db) = TestDatabase::new(backend) else { return };
    let store = open_migrated(&db);
    // More entries than a window and the hits SQLite sorts: entry n has id p-<n, 9 digits>;
    // the oldest (n = 0) alone is in 澳门, and the oldest 2,001 (n ≤ 2,000) have a 港口.
    let dense = 2_001;
    let total = SHORT_QUERY_WINDOW + dense + 9;
    let series = match backend {
        Backend::Postgres => format!("generate_series(0, {}) AS g(n)", total - 1),
        Backend::Sqlite => format!(
            "(WITH RECURSIVE c(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM c WHERE n < {}) SELECT n FROM c) AS g",
            total - 1
        ),
    };
    let pad = match backend {
        Backend::Postgres => "lpad(g.n::text, 9, '0')",
        Backend::Sqlite => "substr('000000000' || g.n, -9, 9)",
    };
    let name = format!(
        "CASE WHEN g.n = 0 THEN '港口澳门建设公司' WHEN g.n < {dense} THEN '北京港口建设公司' ELSE '北京建设公司' END"
    );
    let inserted = execute(
        &store,
        &format!(
            "INSERT INTO search_entries (kind, object_id, project_id, name, code, party, text) \
             SELECT 'participant', 'p-' || {pad}, NULL, {name}, 'C' || {pad}, NULL, {name} || ' C' || {pad} \
             FROM {series}"
        ),
    )
    .unwrap();
    assert_eq!(inserted as i64, total);
    if backend == Backend::Postgres {
        // A common pair is read newest first from the entries' key, not by parallel workers.
        #[derive(diesel::QueryableByName)]
        struct Setting {
            #[diesel(sql_type = diesel::sql_types::Text)]
            max_parallel_workers_per_gather: String,
        }
        let setting: Setting = store
            .read(|conn| {
                diesel::sql_query("SHOW max_parallel_workers_per_gather")
                    .get_result(conn)
                    .map_err(ggzy_store::StoreError::from)
            })
            .unwrap();
        assert_eq!(setting.max_parallel_workers_per_gather, "0");
    }

    // Three characters: found from the index at once, the oldest entry of all.
    let found = store.read(|conn| search::search(conn, "participant", "澳门建", None, 20)).unwrap();
    assert_eq!(found.rows.iter().map(|r| r.object_id.as_str()).collect::<Vec<_>>(), vec!["p-000000000"]);
    assert_eq!(found.looked_to, None);
    // A query with words common to every name: the index looks for its rare part (澳门建),
    // and the whole query decides what is found.
    let whole = store.read(|conn| search::search(conn, "participant", "澳门建设公司", None, 20)).unwrap();
    assert_eq!(whole.rows.iter().map(|r| r.object_id.as_str()).collect::<Vec<_>>(), vec!["p-000000000"]);
    let other = store.read(|conn| search::search(conn, "participant", "澳门建设集团", None, 20)).unwrap();
    assert!(other.rows.is_empty(), "the rare part alone is not a hit");
    // A code's tail: its zero padding is left to the check like a common word (the index
    // looks for 012345), and the whole tail decides.
    let tail = store.read(|conn| search::search(conn, "participant", "000012345", None, 20)).unwrap();
    assert_eq!(tail.rows.iter().map(|r| r.object_id.as_str()).collect::<Vec<_>>(), vec!["p-000012345"]);
    let not_the_tail = store.read(|conn| search::search(conn, "participant", "1000012345", None, 20)).unwrap();
    assert!(not_the_tail.rows.is_empty(), "the rare part alone is not a hit");
    // Two characters and one: found from the index at once, the oldest entry of all.
    for query in ["澳门", "澳"] {
        let found = store.read(|conn| search::search(conn, "participant", query, None, 20)).unwrap();
        assert_eq!(found.rows.iter().map(|r| r.object_id.as_str()).collect::<Vec<_>>(), vec!["p-000000000"], "{query}");
        assert_eq!(found.looked_to, None, "{query}");
    }
    assert!(store.read(|conn| search::search(conn, "participant", "延庆", None, 20)).unwrap().rows.is_empty());
    // A short query with a separator: the index finds its letter, the whole query decides.
    let separated = store.read(|conn| search::search(conn, "participant", " c", None, 3)).unwrap();
    assert_eq!(separated.rows.len(), 3);
    assert!(store.read(|conn| search::search(conn, "participant", "c-", None, 3)).unwrap().rows.is_empty());
    // Two characters in 2,001 entries, all older than the newest window: PostgreSQL finds
    // the newest of them from its index; SQLite, which sorts at most 2,000 hits, looks
    // through a window that holds none of them, says where it stopped, and goes on.
    let first = store.read(|conn| search::search(conn, "participant", "港口", None, 2)).unwrap();
    let newest_dense: Vec<String> = (1..=2).map(|k| format!("p-{:09}", dense - k)).collect();
    match backend {
        Backend::Postgres => {
            assert_eq!(first.rows.iter().map(|r| r.object_id.clone()).collect::<Vec<_>>(), newest_dense);
            assert_eq!(first.looked_to, None);
        }
        Backend::Sqlite => {
            assert!(first.rows.is_empty());
            let stopped = first.looked_to.expect("more entries to look through");
            assert_eq!(stopped, format!("p-{:09}", total - SHORT_QUERY_WINDOW));
            let second = store.read(|conn| search::search(conn, "participant", "港口", Some(&stopped), 2)).unwrap();
            assert_eq!(second.rows.iter().map(|r| r.object_id.clone()).collect::<Vec<_>>(), newest_dense);
        }
    }
    // A full page of a short query needs no window cursor; the code matches in any case.
    let page = store.read(|conn| search::search(conn, "participant", "北京", None, 5)).unwrap();
    assert_eq!(page.rows.len(), 5);
    assert_eq!(page.looked_to, None);
    // A term of three characters in every entry: read newest first rather than sorted.
    let common = store.read(|conn| search::search(conn, "participant", "北京建", None, 3)).unwrap();
    let newest: Vec<String> = (1..=3).map(|k| format!("p-{:09}", total - k)).collect();
    assert_eq!(common.rows.iter().map(|r| r.object_id.clone()).collect::<Vec<_>>(), newest);
    let code = store.read(|conn| search::search(conn, "participant", "c000000009", None, 5)).unwrap();
    assert_eq!(code.rows.iter().map(|r| r.object_id.as_str()).collect::<Vec<_>>(), vec!["p-000000009"]);
}

/// Σ lowers to σ wherever it stands, on both databases, as PostgreSQL's `lower()` lowers it:
/// the Σ ending ΟΔΟΣ (before 泵; the text's only Σ) is found by σ alone, by a pair and by three characters
/// or more, in either case; and a query without case (Chinese, digits), which PostgreSQL
/// compares byte for byte, finds what it found with case ignored.
fn a_greek_sigma_is_found_however_it_ends_a_word(backend: Backend) {
    let Some(db) = TestDatabase::new(backend) else { return };
    let store = open_migrated(&db);
    execute(
        &store,
        "INSERT INTO search_entries (kind, object_id, project_id, name, code, party, text) VALUES \
         ('participant', 'p-1', NULL, 'ΟΔΟΣ泵站有限公司', 'C-0001', NULL, 'ΟΔΟΣ泵站有限公司 C-0001'), \
         ('participant', 'p-2', NULL, '北京泵站建设有限公司', 'c-0002', NULL, '北京泵站建设有限公司 c-0002')",
    )
    .unwrap();
    let found = |query: &str| -> Vec<String> {
        let found = store.read(|conn| search::search(conn, "participant", query, None, 20)).unwrap();
        found.rows.into_iter().map(|row| row.object_id).collect()
    };
    for query in ["σ", "Σ", "σ泵", "Σ泵", "δοσ泵", "ΔΟΣ泵站", "οδοσ泵站有限公司"] {
        assert_eq!(found(query), vec!["p-1"], "{query}");
    }
    assert!(found("ς").is_empty(), "ς is not how Σ lowers");
    for (query, expected) in
        [("泵站", vec!["p-2", "p-1"]), ("泵站建设", vec!["p-2"]), ("0001", vec!["p-1"]), ("c-000", vec!["p-2", "p-1"])]
    {
        assert_eq!(found(query), expected, "{query}");
    }
}
