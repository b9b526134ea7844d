//! Reads a command makes together: the employers of named persons and participants by id
//! come back for those that exist only; a commission's agents are named and changed.

use ggzy_blackbox::{both_backends, Backend, TestDatabase};
use ggzy_store::command_reads;
use ggzy_store::{participants, persons, projects};

use super::{micros_at, open_migrated, participant, person};

both_backends!(reads_together_answer_for_what_exists, an_id_list_finds_each_row_once_in_one_kept_statement);

fn reads_together_answer_for_what_exists(backend: Backend) {
    let Some(db) = TestDatabase::new(backend) else { return };
    let store = open_migrated(&db);
    store.write(|conn| participants::insert(conn, &participant("agency", 1))).expect("insert agency");
    store.write(|conn| persons::insert(conn, &person("agent-1", Some("agency"), "hash-1"))).expect("insert agent");
    store.write(|conn| persons::insert(conn, &person("free-1", None, "hash-2"))).expect("insert person");

    let ids: Vec<String> = ["agent-1", "free-1", "nobody"].map(str::to_owned).into();
    let employers = store.read(|conn| command_reads::employers_of(conn, &ids)).expect("employers");
    assert_eq!(
        employers.into_iter().collect::<Vec<_>>(),
        [("agent-1".to_owned(), Some("agency".to_owned())), ("free-1".to_owned(), None)]
    );
    assert!(store.read(|conn| command_reads::employers_of(conn, &[])).expect("none asked").is_empty());

    let ids: Vec<String> = ["agency", "nobody"].map(str::to_owned).into();
    let found = store.read(|conn| command_reads::participants_by_id(conn, &ids)).expect("participants");
    assert_eq!(found.keys().collect::<Vec<_>>(), ["agency"]);
    assert_eq!(found["agency"], participant("agency", 1));
    assert!(store.read(|conn| command_reads::project_with_agencies(conn, "no-project")).expect("read").is_none());
    // Nothing was written by the reads above: a commission on a missing project is refused.
    let commission = projects::CommissionRow {
        id: "c1".into(),
        project_id: "no-project".into(),
        agency_id: "agency".into(),
        created_at: micros_at(1),
        revoked_at: None,
    };
    let written = store.write(|conn| {
        command_reads::insert_commission_with_agents(conn, &commission, &["agent-1".into()], micros_at(1))
    });
    assert!(written.is_err(), "a commission names a registered project");
}

/// A list of ids (`ggzy_store`'s `in_ids`) finds each existing row once, whatever the list
/// repeats or misses, and an empty list finds nothing. On PostgreSQL the statement's text
/// does not depend on the list, so one prepared statement serves lists of every length.
fn an_id_list_finds_each_row_once_in_one_kept_statement(backend: Backend) {
    use diesel::RunQueryDsl;

    #[derive(diesel::QueryableByName)]
    struct Prepared {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        count: i64,
    }

    let Some(db) = TestDatabase::new(backend) else { return };
    let store = open_migrated(&db);
    for (n, id) in ["p1", "p2", "p3"].into_iter().enumerate() {
        store.write(|conn| participants::insert(conn, &participant(id, n as u32 + 1))).expect("insert");
    }
    let ids = |list: &[&str]| list.iter().map(|id| (*id).to_owned()).collect::<Vec<String>>();
    store
        .read(|conn| {
            let names = |conn: &mut ggzy_store::DbConnection, list: &[&str]| {
                participants::names_of(conn, &ids(list))
                    .map(|rows| rows.into_iter().map(|(id, _, _)| id).collect::<Vec<_>>())
            };
            assert_eq!(names(conn, &["p3", "p1", "p3", "nobody"])?, ["p1", "p3"]);
            assert_eq!(names(conn, &["p2"])?, ["p2"]);
            assert!(names(conn, &[])?.is_empty());
            assert!(names(conn, &["nobody"])?.is_empty());
            if backend == Backend::Postgres {
                let kept: Prepared = diesel::sql_query(
                    "SELECT count(*) AS count FROM pg_prepared_statements WHERE statement LIKE '%unnest%'",
                )
                .get_result(conn)?;
                assert_eq!(kept.count, 1, "lists of 0, 1 and 4 ids share one prepared statement");
            }
            Ok::<_, ggzy_store::StoreError>(())
        })
        .expect("names");
}
