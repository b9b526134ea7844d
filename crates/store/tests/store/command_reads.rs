//! Reads a command makes together: the employers of named persons and participants by id
//! come back for those that exist only; a commission's agents are named and changed.

use ggzy_blackbox::{both_backends, Backend, TestDatabase};
use ggzy_store::command_reads;
use ggzy_store::{participants, persons, projects};

use super::{micros_at, open_migrated, participant, person};

both_backends!(reads_together_answer_for_what_exists);

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
