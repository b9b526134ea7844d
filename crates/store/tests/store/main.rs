//! The store's own integration suite: migrations, repositories, transactions and the audit
//! chain, each test on a fresh SQLite database and (when `GGZY_TEST_POSTGRES_URL` is set) a
//! fresh PostgreSQL database. `schema` compares the migrated schemas of both backends with
//! each other and with `src/schema.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, Barrier};

use chrono::{NaiveDate, NaiveDateTime, Timelike};
use diesel::connection::SimpleConnection;
use diesel::RunQueryDsl;
use ggzy_blackbox::{both_backends, Backend, TestDatabase};
use ggzy_store::audit::{self, AuditEventRow, ChainFault, NewAuditEvent, GENESIS_HASH};
use ggzy_store::participants::{self, ParticipantRow};
use ggzy_store::persons::{self, PersonRow};
use ggzy_store::{departments, Store, StoreConfig, StoreError};

mod bidding_reads;
mod closed_values;
mod command_reads;
mod ledger_batches;
mod oversight_reads;
mod schema;
mod search;

both_backends!(
    migrations_apply_once_and_seed_departments,
    autovacuum_is_reported_as_the_server_has_it,
    participants_repository,
    persons_enforce_foreign_keys_and_unique_id_number_hash,
    write_is_one_transaction,
    audit_chains_link_and_verify,
    audit_events_refuse_update_and_delete,
    audit_events_cannot_be_emptied,
    tampered_payload_is_named,
    removed_event_is_named,
    tampered_actor_is_named,
    concurrent_appends_to_one_chain_never_fork,
    chain_heads_follow_appends_rollbacks_and_direct_inserts,
    unsupported_url_is_refused,
    a_nested_connection_is_refused,
);

// ---------------------------------------------------------------------------------------
// Helpers

/// Opens the store without migrating.
fn open(db: &TestDatabase) -> Store {
    Store::open(&StoreConfig::new(db.url.clone())).expect("open store")
}

/// Opens the store and applies every migration.
fn open_migrated(db: &TestDatabase) -> Store {
    let store = open(db);
    store.migrate().expect("migrate");
    store
}

/// A timestamp with nanoseconds below the microsecond, which the store truncates.
fn at(second: u32, nanos: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 29).unwrap().and_hms_nano_opt(10, 0, second, nanos).unwrap()
}

/// A timestamp both backends store exactly (whole microseconds).
fn micros_at(second: u32) -> NaiveDateTime {
    at(second, 123_456_000)
}

/// An 18-character unified social credit code, distinct per `n`.
fn credit_code(n: u32) -> String {
    format!("91110228MA{n:08}")
}

fn participant(id: &str, n: u32) -> ParticipantRow {
    ParticipantRow {
        id: id.to_owned(),
        credit_code: credit_code(n),
        name: format!("密云建设有限公司{n}"),
        kinds: "tenderer,bidder".to_owned(),
        legal_representative: "张三".to_owned(),
        legal_representative_person_id: None,
        organisation_code_warning: 0,
        created_at: micros_at(1),
        updated_at: micros_at(1),
        version: 1,
    }
}

fn person(id: &str, employer_id: Option<&str>, id_number_hash: &str) -> PersonRow {
    PersonRow {
        id: id.to_owned(),
        name: "李四".to_owned(),
        id_number_hash: id_number_hash.to_owned(),
        id_number_masked: "110228********1234".to_owned(),
        employer_id: employer_id.map(str::to_owned),
        created_at: micros_at(2),
        updated_at: micros_at(2),
    }
}

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Appends one event to `chain` inside its own transaction.
fn append(
    store: &Store,
    chain: &str,
    actor: &str,
    occurred_at: NaiveDateTime,
    payload: serde_json::Value,
) -> AuditEventRow {
    store
        .write(|conn| {
            audit::append(
                conn,
                NewAuditEvent {
                    id: new_id(),
                    chain: chain.to_owned(),
                    occurred_at,
                    actor,
                    action: "participant.update",
                    object_type: "participant",
                    object_id: chain.trim_start_matches("participant:").to_owned(),
                    payload: &payload,
                },
            )
        })
        .expect("append audit event")
}

/// Appends a chain of `n` events and returns them.
fn append_chain(store: &Store, chain: &str, n: u32) -> Vec<AuditEventRow> {
    (1..=n)
        .map(|i| append(store, chain, "admin:root@centre", at(i, i * 1_000 + 789), serde_json::json!({ "step": i })))
        .collect()
}

fn verify(store: &Store) -> audit::Verification {
    store.read(audit::verify_all).expect("verify_all")
}

fn chain(store: &Store, name: &str) -> Vec<AuditEventRow> {
    store.read(|conn| audit::chain(conn, name)).expect("chain")
}

/// Runs SQL on a pooled connection outside any transaction, returning diesel's result.
fn execute(store: &Store, sql: &str) -> Result<usize, diesel::result::Error> {
    store.read(|conn| Ok::<_, StoreError>(diesel::sql_query(sql).execute(conn))).expect("pooled connection")
}

/// Removes the triggers that make audit_events append-only, to simulate tampering by
/// someone with direct database access.
fn drop_guard_triggers(store: &Store, backend: Backend) {
    let sql = match backend {
        Backend::Sqlite => "DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;",
        Backend::Postgres => "DROP TRIGGER audit_events_no_update ON audit_events;",
    };
    store.read(|conn| conn.batch_execute(sql).map_err(StoreError::from)).expect("drop guard triggers");
}

// ---------------------------------------------------------------------------------------
// 1. Migrations

/// The versions of the migrations in the source tree for the backend, in order: the
/// directory `2026-11-29-000001_foundation` is version `20261129000001`.
fn migration_versions(backend: Backend) -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations").join(match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    });
    let mut versions: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("migration dir entry"))
        .filter(|entry| entry.path().join("up.sql").is_file())
        .map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            name.split('_').next().unwrap_or_default().replace('-', "")
        })
        .collect();
    versions.sort();
    versions
}

fn migrations_apply_once_and_seed_departments(backend: Backend) {
    let Some(db) = TestDatabase::new(backend) else { return };
    let store = open(&db);
    store.ping().expect("ping");
    let known = migration_versions(backend);
    assert_eq!(known[..2], ["20261129000001", "20261129000002"], "foundation and departments come first");
    assert_eq!(store.pending_migrations().expect("pending before"), known.len());

    let applied = store.migrate().expect("first migrate");
    assert_eq!(applied, known, "a fresh database gets every migration, in order");

    let again = store.migrate().expect("second migrate");
    assert!(again.is_empty(), "second migrate applied {again:?}");
    assert_eq!(store.pending_migrations().expect("pending after"), 0);
    store.ping().expect("ping after migrate");

    let expected_backend = match backend {
        Backend::Sqlite => ggzy_store::Backend::Sqlite,
        Backend::Postgres => ggzy_store::Backend::Postgres,
    };
    assert_eq!(store.backend(), expected_backend);

    let all = store.read(departments::list).expect("departments");
    assert_eq!(all.len(), 13, "{all:?}");
    let ids: Vec<&str> = all.iter().map(|d| d.id.as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted, "departments::list is in id order");
    for (id, kind) in [("gongguanban", "comprehensive_regulator"), ("centre", "centre"), ("zjw", "industry_regulator")]
    {
        let department =
            store.read(|conn| departments::find(conn, id)).expect("find").unwrap_or_else(|| panic!("{id}"));
        assert_eq!(department.kind, kind, "{department:?}");
    }
    let zjw = store.read(|conn| departments::find(conn, "zjw")).expect("find zjw").expect("zjw");
    assert_eq!(zjw.industries, "construction:building,construction:municipal");
    assert!(store.read(|conn| departments::find(conn, "nobody")).expect("find").is_none());
}

/// The store reports PostgreSQL's autovacuum as the server has it (the gateway warns at start
/// when it is off); SQLite has none.
fn autovacuum_is_reported_as_the_server_has_it(backend: Backend) {
    let Some(db) = TestDatabase::new(backend) else { return };
    let store = open(&db);
    let reported = store.autovacuum().expect("autovacuum");
    match backend {
        Backend::Sqlite => assert_eq!(reported, None),
        Backend::Postgres => {
            #[derive(diesel::QueryableByName)]
            struct Setting {
                #[diesel(sql_type = diesel::sql_types::Text)]
                setting: String,
            }
            let shown: Setting = store
                .read(|conn| match conn {
                    ggzy_store::DbConnection::Postgres(pg) => {
                        diesel::sql_query("SELECT setting FROM pg_settings WHERE name = 'autovacuum'")
                            .get_result(pg)
                            .map_err(StoreError::from)
                    }
                    ggzy_store::DbConnection::Sqlite(_) => panic!("a PostgreSQL store gave a SQLite connection"),
                })
                .expect("pg_settings");
            assert!(["on", "off"].contains(&shown.setting.as_str()), "{}", shown.setting);
            assert_eq!(reported, Some(shown.setting == "on"), "SHOW autovacuum: {}", shown.setting);
        }
    }
}

// ---------------------------------------------------------------------------------------
// 2. Participants

fn participants_repository(backend: Backend) {
    let Some(db) = TestDatabase::new(backend) else { return };
    let store = open_migrated(&db);

    // Inserted out of id order; listing must come back in id order.
    let ids = ["p-03", "p-01", "p-05", "p-02", "p-04"];
    for (n, id) in ids.iter().enumerate() {
        let row = participant(id, n as u32 + 1);
        store.write(|conn| participants::insert(conn, &row)).expect("insert");
    }

    let p1 = store.read(|conn| participants::find(conn, "p-01")).expect("find").expect("p-01 exists");
    assert_eq!(p1, participant("p-01", 2), "the row reads back exactly as written");
    assert!(store.read(|conn| participants::find(conn, "p-99")).expect("find").is_none());

    let by_code = store
        .read(|conn| participants::find_by_credit_code(conn, &credit_code(3)))
        .expect("find by code")
        .expect("p-05");
    assert_eq!(by_code.id, "p-05");
    assert!(store.read(|conn| participants::find_by_credit_code(conn, &credit_code(42))).expect("find").is_none());

    // Keyset paging: pages of two, following the last id of each page.
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = store.read(|conn| participants::list(conn, after.as_deref(), 2)).expect("list");
        assert!(page.len() <= 2);
        let Some(last) = page.last() else { break };
        after = Some(last.id.clone());
        seen.extend(page.into_iter().map(|p| p.id));
    }
    assert_eq!(seen, ["p-01", "p-02", "p-03", "p-04", "p-05"]);
    let tail = store.read(|conn| participants::list(conn, Some("p-02"), 10)).expect("list after p-02");
    assert_eq!(tail.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["p-03", "p-04", "p-05"]);

    // Same credit code, different id.
    let mut duplicate = participant("p-06", 1);
    duplicate.name = "另一家公司".to_owned();
    let err = store.write(|conn| participants::insert(conn, &duplicate)).expect_err("duplicate credit code");
    assert!(matches!(err, StoreError::UniqueViolation(_)), "{err:?}");
    assert!(store.read(|conn| participants::find(conn, "p-06")).expect("find").is_none());

    // Optimistic concurrency.
    let mut changed = p1.clone();
    changed.name = "密云建设集团".to_owned();
    changed.updated_at = micros_at(30);
    changed.version = 2;
    let stale = store.write(|conn| participants::update(conn, &changed, 7)).expect("stale update");
    assert!(!stale, "a stale expected_version must not update");
    let unchanged = store.read(|conn| participants::find(conn, "p-01")).expect("find").expect("p-01");
    assert_eq!(unchanged, p1, "a stale update changes nothing");

    let fresh = store.write(|conn| participants::update(conn, &changed, 1)).expect("update");
    assert!(fresh, "the right expected_version updates");
    let updated = store.read(|conn| participants::find(conn, "p-01")).expect("find").expect("p-01");
    assert_eq!(updated, changed);

    // The version the row was read at is gone now.
    let again = store.write(|conn| participants::update(conn, &changed, 1)).expect("second update");
    assert!(!again, "updating from version 1 twice must fail the second time");
}

// ---------------------------------------------------------------------------------------
// 3. Persons

fn persons_enforce_foreign_keys_and_unique_id_number_hash(backend: Backend) {
    let Some(db) = TestDatabase::new(backend) else { return };
    let store = open_migrated(&db);

    // Run several times so that more than one pooled connection is used: the SQLite pragma
    // has to be set on each of them.
    for i in 0..3 {
        let orphan = person(&format!("orphan-{i}"), Some("no-such-participant"), &format!("hash-orphan-{i}"));
        let err = store.write(|conn| persons::insert(conn, &orphan)).expect_err("employer must exist");
        assert!(matches!(err, StoreError::ForeignKeyViolation(_)), "{err:?}");
    }
    assert!(store.read(|conn| persons::find(conn, "orphan-0")).expect("find").is_none());

    store.write(|conn| participants::insert(conn, &participant("employer", 1))).expect("insert employer");
    let staff = person("person-1", Some("employer"), "hash-1");
    store.write(|conn| persons::insert(conn, &staff)).expect("insert person");
    assert_eq!(store.read(|conn| persons::find(conn, "person-1")).expect("find"), Some(staff.clone()));
    assert_eq!(store.read(|conn| persons::find_by_id_number_hash(conn, "hash-1")).expect("find"), Some(staff.clone()));
    let free = person("person-2", None, "hash-2");
    store.write(|conn| persons::insert(conn, &free)).expect("insert person without employer");
    let of_employer = store.read(|conn| persons::list(conn, Some("employer"), None, 10)).expect("list");
    assert_eq!(of_employer, vec![staff]);

    let same_hash = person("person-3", None, "hash-1");
    let err = store.write(|conn| persons::insert(conn, &same_hash)).expect_err("id_number_hash is unique");
    assert!(matches!(err, StoreError::UniqueViolation(_)), "{err:?}");
    assert!(store.read(|conn| persons::find(conn, "person-3")).expect("find").is_none());

    // The participant -> legal representative reference is enforced as well.
    let mut with_missing_representative = participant("p-2", 2);
    with_missing_representative.legal_representative_person_id = Some("no-such-person".to_owned());
    let err = store
        .write(|conn| participants::insert(conn, &with_missing_representative))
        .expect_err("legal representative must exist");
    assert!(matches!(err, StoreError::ForeignKeyViolation(_)), "{err:?}");
}

// ---------------------------------------------------------------------------------------
// 4. Transactions

fn write_is_one_transaction(backend: Backend) {
    let Some(db) = TestDatabase::new(backend) else { return };
    let store = open_migrated(&db);
    let payload = serde_json::json!({ "name": "密云建设有限公司" });

    let insert_both = |conn: &mut ggzy_store::DbConnection, id: &str, n: u32| -> Result<(), StoreError> {
        participants::insert(conn, &participant(id, n))?;
        audit::append(
            conn,
            NewAuditEvent {
                id: new_id(),
                chain: format!("participant:{id}"),
                occurred_at: micros_at(3),
                actor: "admin:root@centre",
                action: "participant.create",
                object_type: "participant",
                object_id: id.to_owned(),
                payload: &payload,
            },
        )?;
        Ok(())
    };

    let result: Result<(), StoreError> = store.write(|conn| {
        insert_both(conn, "rolled-back", 1)?;
        // Both rows are visible inside the transaction…
        assert!(participants::find(conn, "rolled-back")?.is_some());
        assert_eq!(audit::chain(conn, "participant:rolled-back")?.len(), 1);
        // …and the command then fails.
        Err(StoreError::Corrupt("command failed after writing".to_owned()))
    });
    match result {
        Err(StoreError::Corrupt(message)) => assert_eq!(message, "command failed after writing"),
        other => panic!("the closure's own error must come back: {other:?}"),
    }
    assert!(store.read(|conn| participants::find(conn, "rolled-back")).expect("find").is_none());
    assert!(chain(&store, "participant:rolled-back").is_empty());
    assert_eq!(verify(&store).events_checked, 0);

    // The same closure returning Ok commits both.
    store.write(|conn| insert_both(conn, "committed", 1)).expect("commit");
    assert!(store.read(|conn| participants::find(conn, "committed")).expect("find").is_some());
    assert_eq!(chain(&store, "participant:committed").len(), 1);
    let verification = verify(&store);
    assert_eq!(verification.events_checked, 1);
    assert!(verification.first_bad.is_none(), "{verification:?}");
}

// ---------------------------------------------------------------------------------------
// 5. Audit chain

fn audit_chains_link_and_verify(backend: Backend) {
    let Some(db) = TestDatabase::new(backend) else { return };
    let store = open_migrated(&db);

    // Interleave the two chains.
    let payloads = [
        serde_json::json!({ "name": "甲", "kinds": ["tenderer"], "zeta": 1, "alpha": null }),
        serde_json::json!({ "name": "乙" }),
        serde_json::json!({ "name": "丙", "nested": { "b": 2, "a": 1 } }),
    ];
    let mut a = Vec::new();
    let mut b = Vec::new();
    a.push(append(&store, "participant:a", "admin:root@centre", at(1, 111_111_111), payloads[0].clone()));
    b.push(append(&store, "participant:b", "agency:alice@p-1", at(2, 222_222_999), serde_json::json!({ "b": 1 })));
    a.push(append(&store, "participant:a", "admin:root@centre", at(3, 333_333_333), payloads[1].clone()));
    a.push(append(&store, "participant:a", "admin:root@centre", at(4, 444_444_444), payloads[2].clone()));
    b.push(append(&store, "participant:b", "agency:alice@p-1", at(5, 555_555_555), serde_json::json!({ "b": 2 })));

    // Sub-microsecond nanoseconds are dropped before hashing and storing.
    assert_eq!(a[0].occurred_at, at(1, 111_111_000));
    assert_eq!(b[0].occurred_at, at(2, 222_222_000));
    assert_eq!(a[0].occurred_at.nanosecond() % 1_000, 0);
    // Object keys are sorted, so the stored payload text is canonical.
    assert_eq!(a[2].payload, r#"{"name":"丙","nested":{"a":1,"b":2}}"#);
    assert_eq!(a[2].payload_hash, audit::sha256_hex(a[2].payload.as_bytes()));

    for events in [&a, &b] {
        for (i, event) in events.iter().enumerate() {
            assert_eq!(event.position, i as i64 + 1);
            let expected_prev = if i == 0 { GENESIS_HASH } else { events[i - 1].event_hash.as_str() };
            assert_eq!(event.prev_hash, expected_prev, "{event:?}");
            assert_eq!(event.event_hash.len(), 64);
            let recomputed = audit::event_hash(
                &event.chain,
                event.position,
                event.occurred_at,
                &event.actor,
                &event.action,
                &event.object_type,
                &event.object_id,
                &event.payload_hash,
                &event.prev_hash,
            );
            assert_eq!(recomputed, event.event_hash);
        }
    }
    // Different chains start from the same genesis but never share hashes.
    assert_ne!(a[0].event_hash, b[0].event_hash);

    // What the database hands back equals what append returned (timestamps survive).
    assert_eq!(chain(&store, "participant:a"), a);
    assert_eq!(chain(&store, "participant:b"), b);
    assert!(chain(&store, "participant:none").is_empty());
    let seqs: Vec<i64> = [a[0].seq, b[0].seq, a[1].seq, a[2].seq, b[1].seq].into();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "seq follows insertion order: {seqs:?}");

    let verification = verify(&store);
    assert_eq!(verification.first_bad, None, "{verification:?}");
    assert_eq!(verification.events_checked, 5);
    assert_eq!(verification.chains_checked, 2);
}

// ---------------------------------------------------------------------------------------
// 6. Append-only

fn audit_events_refuse_update_and_delete(backend: Backend) {
    let Some(db) = TestDatabase::new(backend) else { return };
    let store = open_migrated(&db);
    let before = append_chain(&store, "participant:x", 3);
    let middle = &before[1].id;

    let statements = [
        format!("UPDATE audit_events SET payload = '{{\"step\":99}}' WHERE id = '{middle}'"),
        "UPDATE audit_events SET actor = 'admin:mallory@centre'".to_owned(),
        format!("DELETE FROM audit_events WHERE id = '{middle}'"),
        "DELETE FROM audit_events WHERE position = 3".to_owned(),
    ];
    for sql in &statements {
        let outcome = execute(&store, sql);
        assert!(outcome.is_err(), "`{sql}` must be refused, got {outcome:?}");
    }
    // Also inside a transaction.
    let in_tx: Result<usize, StoreError> =
        store.write(|conn| Ok(diesel::sql_query("DELETE FROM audit_events").execute(conn)?));
    assert!(in_tx.is_err(), "{in_tx:?}");

    assert_eq!(chain(&store, "participant:x"), before, "nothing changed");
    let verification = verify(&store);
    assert_eq!(verification.first_bad, None);
    assert_eq!(verification.events_checked, 3);
}

/// Emptying the whole table is as much a breach of append-only as deleting one row. On
/// SQLite that is `DELETE FROM audit_events` (there is no TRUNCATE); on PostgreSQL it is
/// `TRUNCATE`, which row-level triggers do not see.
fn audit_events_cannot_be_emptied(backend: Backend) {
    let Some(db) = TestDatabase::new(backend) else { return };
    let store = open_migrated(&db);
    let before = append_chain(&store, "participant:x", 3);

    let sql = match backend {
        Backend::Sqlite => "DELETE FROM audit_events",
        Backend::Postgres => "TRUNCATE audit_events",
    };
    let outcome = execute(&store, sql);
    let after = chain(&store, "participant:x");
    assert!(outcome.is_err(), "`{sql}` must be refused, got {outcome:?}; {} of 3 events left", after.len());
    assert_eq!(after, before);
}

// ---------------------------------------------------------------------------------------
// 7. Tampering is detected and located

fn tampered_payload_is_named(backend: Backend) {
    let Some(db) = TestDatabase::new(backend) else { return };
    let store = open_migrated(&db);
    append_chain(&store, "participant:other", 2);
    let events = append_chain(&store, "participant:x", 3);
    drop_guard_triggers(&store, backend);

    let target = &events[1];
    let changed =
        execute(&store, &format!("UPDATE audit_events SET payload = '{{\"step\":99}}' WHERE id = '{}'", target.id))
            .expect("update once the guard is gone");
    assert_eq!(changed, 1);

    let verification = verify(&store);
    let bad = verification.first_bad.expect("tampering detected");
    assert_eq!(bad.id, target.id);
    assert_eq!(bad.seq, target.seq);
    assert_eq!(bad.chain, "participant:x");
    assert_eq!(bad.position, 2);
    assert_eq!(bad.fault, ChainFault::PayloadHashMismatch);
    // The other chain (2 events) and the first event of this one were checked before it.
    assert_eq!(verification.events_checked, 4);
}

fn removed_event_is_named(backend: Backend) {
    let Some(db) = TestDatabase::new(backend) else { return };
    let store = open_migrated(&db);
    let events = append_chain(&store, "participant:x", 3);
    drop_guard_triggers(&store, backend);

    let deleted = execute(&store, &format!("DELETE FROM audit_events WHERE id = '{}'", events[1].id))
        .expect("delete once the guard is gone");
    assert_eq!(deleted, 1);

    let bad = verify(&store).first_bad.expect("removal detected");
    assert_eq!(bad.id, events[2].id, "the event after the gap is named");
    assert_eq!(bad.position, 3);
    assert_eq!(bad.fault, ChainFault::PositionGap { expected: 2 });
}

fn tampered_actor_is_named(backend: Backend) {
    let Some(db) = TestDatabase::new(backend) else { return };
    let store = open_migrated(&db);
    let events = append_chain(&store, "participant:x", 3);
    drop_guard_triggers(&store, backend);

    let changed = execute(
        &store,
        &format!("UPDATE audit_events SET actor = 'admin:mallory@centre' WHERE id = '{}'", events[2].id),
    )
    .expect("update once the guard is gone");
    assert_eq!(changed, 1);

    let verification = verify(&store);
    let bad = verification.first_bad.expect("tampering detected");
    assert_eq!(bad.id, events[2].id);
    assert_eq!(bad.position, 3);
    assert_eq!(bad.fault, ChainFault::EventHashMismatch);
    assert_eq!(verification.events_checked, 3);
}

// ---------------------------------------------------------------------------------------
// 8. Concurrent appends

fn concurrent_appends_to_one_chain_never_fork(backend: Backend) {
    const THREADS: usize = 8;
    const APPENDS: usize = 5;
    let Some(db) = TestDatabase::new(backend) else { return };
    let store = open_migrated(&db);
    let start = Arc::new(Barrier::new(THREADS));

    let workers: Vec<_> = (0..THREADS)
        .map(|t| {
            let store = store.clone();
            let start = Arc::clone(&start);
            std::thread::spawn(move || {
                start.wait();
                let mut lost_races = 0_u32;
                for i in 0..APPENDS {
                    let payload = serde_json::json!({ "thread": t, "append": i });
                    let actor = format!("agency:worker{t}@p-1");
                    loop {
                        let outcome = store.write(|conn| {
                            audit::append(
                                conn,
                                NewAuditEvent {
                                    id: new_id(),
                                    chain: "project:shared".to_owned(),
                                    occurred_at: chrono::Utc::now().naive_utc(),
                                    actor: &actor,
                                    action: "project.update",
                                    object_type: "project",
                                    object_id: "shared".to_owned(),
                                    payload: &payload,
                                },
                            )
                        });
                        match outcome {
                            Ok(_) => break,
                            Err(StoreError::UniqueViolation(_)) => {
                                lost_races += 1;
                                assert!(lost_races < 10_000, "thread {t} keeps losing");
                            }
                            Err(other) => panic!("thread {t}: {other:?}"),
                        }
                    }
                }
                lost_races
            })
        })
        .collect();
    let lost: u32 = workers.into_iter().map(|w| w.join().expect("worker")).sum();
    // Appends queue on the chain's head row (on SQLite, on the one writer), the first ones
    // included, which race to create that row: none reads a tail another has moved past.
    assert_eq!(lost, 0, "appends that read a stale tail and collided");

    let events = chain(&store, "project:shared");
    let positions: Vec<i64> = events.iter().map(|e| e.position).collect();
    assert_eq!(positions, (1..=(THREADS * APPENDS) as i64).collect::<Vec<_>>(), "lost races: {lost}");
    for pair in events.windows(2) {
        assert_eq!(pair[1].prev_hash, pair[0].event_hash);
    }
    let verification = verify(&store);
    assert_eq!(verification.first_bad, None, "{verification:?}");
    assert_eq!(verification.events_checked, (THREADS * APPENDS) as u64);
    assert_eq!(verification.chains_checked, 1);
}

/// The head row of a chain as stored: (position, event_hash), None for no row.
fn stored_head(store: &Store, chain: &str) -> Option<(i64, String)> {
    use diesel::{ExpressionMethods, OptionalExtension, QueryDsl};
    use ggzy_store::schema::audit_chain_heads::dsl as heads;
    store
        .read(|conn| {
            heads::audit_chain_heads
                .filter(heads::chain.eq(chain))
                .select((heads::position, heads::event_hash))
                .first::<(i64, String)>(conn)
                .optional()
                .map_err(StoreError::from)
        })
        .expect("read head")
}

fn chain_heads_follow_appends_rollbacks_and_direct_inserts(backend: Backend) {
    let Some(db) = TestDatabase::new(backend) else { return };
    let store = open_migrated(&db);
    let events = append_chain(&store, "participant:h", 2);
    assert_eq!(stored_head(&store, "participant:h"), Some((2, events[1].event_hash.clone())));

    // An append whose transaction rolls back leaves the head where it was, and a chain whose
    // first append rolls back leaves no row.
    for chain in ["participant:h", "participant:never"] {
        let refused: Result<(), StoreError> = store.write(|conn| {
            let appended = audit::append(
                conn,
                NewAuditEvent {
                    id: new_id(),
                    chain: chain.to_owned(),
                    occurred_at: micros_at(9),
                    actor: "admin:root@centre",
                    action: "participant.update",
                    object_type: "participant",
                    object_id: "h".to_owned(),
                    payload: &serde_json::json!({ "rolled": "back" }),
                },
            )?;
            Err(StoreError::Corrupt(format!("refused after appending position {}", appended.position)))
        });
        assert!(matches!(refused, Err(StoreError::Corrupt(_))), "{refused:?}");
    }
    assert_eq!(stored_head(&store, "participant:h"), Some((2, events[1].event_hash.clone())));
    assert_eq!(stored_head(&store, "participant:never"), None);
    let third = append(&store, "participant:h", "admin:root@centre", micros_at(10), serde_json::json!({ "step": 3 }));
    assert_eq!((third.position, third.prev_hash.as_str()), (3, events[1].event_hash.as_str()));

    // An event inserted by other means than append (a restore, an import) moves the head too,
    // and the next append links to it.
    let payload = r#"{"step":4}"#;
    let payload_hash = audit::sha256_hex(payload.as_bytes());
    let occurred_at = micros_at(11);
    let hash = audit::event_hash(
        "participant:h",
        4,
        occurred_at,
        "admin:root@centre",
        "participant.update",
        "participant",
        "h",
        &payload_hash,
        &third.event_hash,
    );
    let inserted = execute(
        &store,
        &format!(
            "INSERT INTO audit_events (id, chain, position, occurred_at, actor, action, object_type, object_id, \
             payload, payload_hash, prev_hash, event_hash) VALUES ('{}', 'participant:h', 4, '{}', \
             'admin:root@centre', 'participant.update', 'participant', 'h', '{payload}', '{payload_hash}', '{}', '{hash}')",
            new_id(),
            occurred_at.format("%Y-%m-%d %H:%M:%S%.6f"),
            third.event_hash,
        ),
    )
    .expect("direct insert");
    assert_eq!(inserted, 1);
    assert_eq!(stored_head(&store, "participant:h"), Some((4, hash.clone())));
    let fifth = append(&store, "participant:h", "admin:root@centre", micros_at(12), serde_json::json!({ "step": 5 }));
    assert_eq!((fifth.position, fifth.prev_hash.as_str()), (5, hash.as_str()));
    assert_eq!(stored_head(&store, "participant:h"), Some((5, fifth.event_hash.clone())));
    let verification = verify(&store);
    assert_eq!(verification.first_bad, None, "{verification:?}");
    assert_eq!(verification.events_checked, 5);
}

// ---------------------------------------------------------------------------------------
// 9. URLs

fn unsupported_url_is_refused(backend: Backend) {
    let Some(_db) = TestDatabase::new(backend) else { return };
    match Store::open(&StoreConfig::new("mysql://x")) {
        Err(StoreError::UnsupportedUrl(scheme)) => assert_eq!(scheme, "mysql"),
        other => panic!("mysql:// must be refused: {other:?}"),
    }
    for url in ["sqlite://", "sqlite://:memory:", "ggzy.db"] {
        let outcome = Store::open(&StoreConfig::new(url));
        assert!(matches!(outcome, Err(StoreError::UnsupportedUrl(_))), "{url}: {outcome:?}");
    }
}

// ---------------------------------------------------------------------------------------
// Connections

/// A second pooled connection inside a transaction (or a read) is refused, not taken: it
/// would miss the transaction's own writes and, under load, exhaust the pool.
fn a_nested_connection_is_refused(backend: Backend) {
    let Some(db) = TestDatabase::new(backend) else { return };
    let store = open_migrated(&db);
    let inside_write = store.write(|_| store.read(|_| Ok::<_, StoreError>(())));
    assert!(matches!(inside_write, Err(StoreError::NestedConnection)), "{inside_write:?}");
    let inside_read = store.read(|_| store.write(|_| Ok::<_, StoreError>(())));
    assert!(matches!(inside_read, Err(StoreError::NestedConnection)), "{inside_read:?}");
    // The claim is released with the connection: the next call on this thread works.
    assert!(store.read(|_| Ok::<_, StoreError>(())).is_ok());
    assert!(store.write(|_| Ok::<_, StoreError>(())).is_ok());
}
