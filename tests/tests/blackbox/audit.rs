//! The audit chain: changes verify; a hand-edited row makes `ggzy audit verify` name the
//! first bad event.

use diesel::{Connection, RunQueryDsl};
use ggzy_blackbox::{both_backends, Backend, Server};
use serde_json::json;

use crate::{get, patch, register, start};

/// Runs SQL directly on the server's database, as someone with database access would.
pub(crate) fn tamper(server: &Server, statements: &[&str]) -> Result<(), diesel::result::Error> {
    match server.database.backend {
        Backend::Sqlite => {
            let path = server.database.url.trim_start_matches("sqlite://");
            let mut conn = diesel::SqliteConnection::establish(path).unwrap();
            for sql in statements {
                diesel::sql_query(*sql).execute(&mut conn)?;
            }
        }
        Backend::Postgres => {
            let mut conn = diesel::PgConnection::establish(&server.database.url).unwrap();
            for sql in statements {
                diesel::sql_query(*sql).execute(&mut conn)?;
            }
        }
    }
    Ok(())
}

fn drop_append_only_guard(server: &Server) -> Vec<&'static str> {
    match server.database.backend {
        Backend::Sqlite => vec!["DROP TRIGGER audit_events_no_update", "DROP TRIGGER audit_events_no_delete"],
        Backend::Postgres => vec!["DROP TRIGGER audit_events_no_update ON audit_events"],
    }
}

fn participant_changes_verify_and_tampering_is_named(backend: Backend) {
    let Some(server) = start(backend) else { return };
    let first = register(&server, "91110000600037341L", &["bidder"]);
    let second = register(&server, "914403001922038216", &["tenderer"]);
    let id = first["id"].as_str().unwrap();
    let centre = server.token("centre_staff", Some("centre"));
    for name in ["改名一", "改名二"] {
        let reply = patch(&server, &format!("/api/v1/participants/{id}"), Some(&centre), &json!({"name": name}));
        assert_eq!(reply.status, 200, "{}", reply.text);
    }
    let inspector = server.token("inspector", Some("jijian"));
    let verified = get(&server, "/api/v1/audit/verification", Some(&inspector));
    assert_eq!(verified.body["valid"], true, "{}", verified.text);
    // Two registrations and two changes, on two chains; and the test document every server
    // of the suite is handed at its start, on a chain of its own.
    assert_eq!(verified.body["events_checked"], 5);
    assert_eq!(verified.body["chains_checked"], 3);
    let ok = server.cli(&["audit", "verify"]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));

    // The table refuses edits while its guard is in place.
    assert!(tamper(&server, &["UPDATE audit_events SET actor = 'x'"]).is_err(), "audit_events accepted an UPDATE");
    assert!(tamper(&server, &["DELETE FROM audit_events"]).is_err(), "audit_events accepted a DELETE");

    // Someone with database access removes the guard and rewrites the second event of the
    // first participant's chain (the first rename).
    let mut statements = drop_append_only_guard(&server);
    let edit = format!(
        "UPDATE audit_events SET payload = replace(payload, '改名一', '别的名字') \
         WHERE chain = 'participant:{id}' AND position = 2"
    );
    statements.push(&edit);
    tamper(&server, &statements).unwrap();

    let bad = server.cli(&["audit", "verify"]);
    assert_eq!(bad.status.code(), Some(1), "{}", String::from_utf8_lossy(&bad.stderr));
    let report: serde_json::Value = serde_json::from_slice(&bad.stdout).unwrap();
    assert_eq!(report["valid"], false);
    assert_eq!(report["first_bad_event"]["chain"], format!("participant:{id}"));
    assert_eq!(report["first_bad_event"]["position"], 2);
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains(report["first_bad_event"]["id"].as_str().unwrap()), "{stderr}");
    let over_http = get(&server, "/api/v1/audit/verification", Some(&inspector));
    assert_eq!(over_http.body["first_bad_event"], report["first_bad_event"]);
    let _ = second;
}

fn rewriting_the_hashes_still_breaks_the_link(backend: Backend) {
    let Some(server) = start(backend) else { return };
    let first = register(&server, "91110000600037341L", &["bidder"]);
    let id = first["id"].as_str().unwrap();
    let centre = server.token("centre_staff", Some("centre"));
    patch(&server, &format!("/api/v1/participants/{id}"), Some(&centre), &json!({"name": "改名"}));
    // A forger recomputes the payload hash of the first event but cannot recompute its
    // event hash without changing the link the next event holds.
    let mut statements = drop_append_only_guard(&server);
    let edit = format!(
        "UPDATE audit_events SET actor = 'centre_staff:forger@centre' WHERE chain = 'participant:{id}' AND position = 1"
    );
    statements.push(&edit);
    tamper(&server, &statements).unwrap();
    let bad = server.cli(&["audit", "verify"]);
    assert_eq!(bad.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&bad.stdout).unwrap();
    assert_eq!(report["first_bad_event"]["position"], 1);
    assert!(report["first_bad_event"]["fault"].as_str().unwrap().contains("event_hash"), "{report}");
}

both_backends!(participant_changes_verify_and_tampering_is_named, rewriting_the_hashes_still_breaks_the_link);
