//! Upgrades: a database written by an older build (the embedded SQLite default as
//! `cargo xtask seed --projects 6` left it at commit c60dc14, the oldest schema this build
//! upgrades from: migrations up to 2026-11-30-000022), with the keys it was written with,
//! opened by this build. The newer migrations apply, the audit chains and the ledger
//! verify, what was there reads back (announcements, opening records, the participants),
//! the OCDS releases of its earlier events are written and valid, and new work goes in.

use std::path::PathBuf;

use ggzy_blackbox::{Server, TestDatabase};
use serde_json::json;

use crate::{get, post, register, BINARY};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/upgrade-c60dc14")
}

#[test]
fn a_database_from_an_older_build_upgrades_and_reads_back() {
    let fixture = fixture();
    let database = TestDatabase::sqlite();
    std::fs::copy(fixture.join("ggzy.db"), database.sqlite_dir().unwrap().join("ggzy.db")).unwrap();
    let data = tempfile::tempdir().unwrap();
    for key in ["bid-master-key", "pii-key"] {
        std::fs::copy(fixture.join(key), data.path().join(key)).unwrap();
    }
    let pii_key = std::fs::read_to_string(fixture.join("pii-key")).unwrap();
    let server = Server::start_prepared(BINARY, database, data, &[("GGZY_PII_KEY", pii_key.trim())]);

    // The newer migrations applied at start.
    let log = server.log_lines().join("\n");
    assert!(log.contains("applied migrations") && log.contains("20261202000026"), "{log}");
    let ready = get(&server, "/readyz", None);
    assert_eq!(ready.status, 200, "{}", ready.text);
    // Every check passes on the upgraded database.
    for check in [&["audit", "verify"][..], &["ledger", "verify"][..]] {
        let output = server.cli(check);
        assert!(output.status.success(), "ggzy {check:?}: {}", String::from_utf8_lossy(&output.stdout));
    }
    // What was there reads back. (Read without the suite's check that no text names UTC:
    // the older build wrote listing periods in UTC into announcement summaries, which are
    // published records under their content hash and stay as they were.)
    let announcements: serde_json::Value =
        server.client().get(server.url("/api/v1/public/announcements?limit=200")).send().unwrap().json().unwrap();
    let items = announcements["items"].as_array().unwrap();
    assert!(items.len() >= 6, "{announcements}");
    let mut opened = 0;
    for section in items.iter().flat_map(|a| a["sections"].as_array().unwrap()) {
        let record = get(
            &server,
            &format!("/api/v1/public/sections/{}/opening-record", section["section_id"].as_str().unwrap()),
            None,
        );
        if record.status == 200 {
            assert!(!record.body["bids"].as_array().unwrap().is_empty(), "{}", record.text);
            opened += 1;
        }
    }
    assert!(opened >= 3, "the seeded tenders were opened");
    let centre = server.token("centre_staff", Some("centre"));
    let participants = get(&server, "/api/v1/participants?limit=200", Some(&centre));
    assert!(participants.body["items"].as_array().unwrap().len() >= 10, "{}", participants.text);
    // Search finds what the older build wrote: its entries were filled by the migration.
    let first = &items[0];
    let code = first["project_code"].as_str().unwrap();
    let found = get(&server, &format!("/api/v1/public/search?kind=announcement&q={code}"), None);
    assert_eq!(found.status, 200, "{}", found.text);
    assert!(
        found.body["items"].as_array().unwrap().iter().any(|hit| hit["id"] == first["id"]),
        "an announcement of the older build is found by its project code: {}",
        found.text
    );
    // Narrowed by category, the list finds each of the older build's announcements under its
    // project's category, which the migration copied onto it.
    assert!(announcements["next_cursor"].is_null(), "every announcement on one page: {announcements}");
    let mut by_category = std::collections::BTreeMap::<&str, Vec<&str>>::new();
    for item in items {
        by_category.entry(item["category"].as_str().unwrap()).or_default().push(item["id"].as_str().unwrap());
    }
    for (category, expected) in &by_category {
        // Read as the whole list is above: without the check that no text names UTC.
        let url = server.url(&format!("/api/v1/public/announcements?category={category}&limit=200"));
        let page: serde_json::Value = server.client().get(url).send().unwrap().json().unwrap();
        let listed: Vec<&str> = page["items"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
        assert_eq!(&listed, expected, "announcements of category {category}: {page}");
    }
    let participant = &participants.body["items"][0];
    let credit_code = participant["credit_code"].as_str().unwrap();
    let found = get(&server, &format!("/api/v1/public/search?kind=participant&q={credit_code}"), None);
    assert_eq!(found.body["items"][0]["id"], participant["id"], "{}", found.text);
    // The OCDS releases of the earlier events were written at start, and are valid.
    let output = crate::ocds::all_output(&server);
    assert!(output.len() > 6, "the release feed and each process");
    crate::ocds::validate_all(&output);
    // And new work goes in.
    let added = register(&server, "91110000600037341L", &["tenderer"]);
    assert!(added["id"].is_string());
    let project = post(
        &server,
        "/api/v1/projects",
        Some(&server.token("tenderer", Some(added["id"].as_str().unwrap()))),
        &json!({"name": "升级后的工程", "tenderer_id": added["id"], "category": "construction", "subtype": "works",
                "sector": "building", "funding": "state_funded", "legally_required_tendering": true,
                "sections": [{"name": "一标段", "estimated_amount": "1000000.00"}],
                "approval_documents": [{"title": "批复", "number": "1号", "sha256": crate::SHA256_OF_TEST}]}),
    );
    assert_eq!(project.status, 201, "{}", project.text);
}
