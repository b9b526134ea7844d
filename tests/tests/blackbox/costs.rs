//! What one operation costs the database, in statements. The real binary sets the world up
//! over HTTP; the operation then runs in-process on the same database, where the store
//! counts the statements its thread sent (the binary's answers cannot show them). A change
//! that adds a round trip to a hot path fails here, not only in `cargo xtask bench api`.

use std::sync::Arc;

use ggzy_blackbox::{both_backends, Backend, TEST_PII_KEY};
use ggzy_service::bids::SubmitBid;
use ggzy_service::sealed_bids::SealedEnvelope;
use ggzy_service::{Platform, Principal, Role};
use ggzy_store::{statements_on_this_thread, Store, StoreConfig};
use serde_json::json;

use crate::bids::{bid_body, ready_bidder, tender};
use crate::envelopes::{bidder_of, seal};
use crate::projects::{commit, person};
use crate::{get, post, register, VALID_CODES};

/// The platform the binary runs, opened in this process on the binary's database, with its
/// clock (the tender's, 2026-11-02 09:00 Beijing time) and its keys from its data directory.
fn in_process(server: &ggzy_blackbox::Server) -> Platform {
    let store = Store::open(&StoreConfig::new(server.database.url.clone())).unwrap();
    let clock = Arc::new(ggzy_kernel::ManualClock::new("2026-11-02T01:00:00Z".parse().unwrap()));
    let master_hex = std::fs::read_to_string(server.data_dir.path().join("bid-master-key")).unwrap();
    let master: [u8; 32] = hex::decode(master_hex.trim()).unwrap().try_into().unwrap();
    Platform::new(store, clock, TEST_PII_KEY.as_bytes().to_vec()).with_bid_master_key(master)
}

/// A caller of `role` acting for the organisation `org` (its subject too).
fn acting(role: Role, org: &str) -> Principal {
    Principal { subject: org.into(), role, org: Some(org.into()), scopes: vec![], request_key: None }
}

/// A sealed bid: BEGIN; the section's facts with the bidder's key and its credit standing
/// (restrictions and commitments); the audit chain's head; the bid, its envelope and the
/// audit event (one statement on PostgreSQL, three on SQLite); COMMIT.
fn a_sealed_bid_costs_a_fixed_number_of_statements(backend: Backend) {
    let Some(t) = tender(backend) else { return };
    let server = &t.server;
    let platform = in_process(server);
    let mut costs = Vec::new();
    for (code, id_body, price) in [
        ("914403001922038216", "11010519800101001", "987654.32"),
        ("91110108551385082Q", "11010519800101002", "990000.00"),
    ] {
        let (id, token, manager) = ready_bidder(server, &t.section, code, id_body);
        let envelope = seal(server, &t.section, &token, &bid_body(price, &manager, None));
        assert_eq!(bidder_of(&token), id);
        let bid = SubmitBid { envelope: Some(SealedEnvelope::from(envelope)), ..SubmitBid::default() };
        let before = statements_on_this_thread();
        let placed = platform.tendering().submit_bid(Some(&acting(Role::Bidder, &id)), &t.section, bid).unwrap();
        costs.push(statements_on_this_thread() - before);
        // Taken as through the API: the binary shows it to its bidder.
        let shown = get(server, &format!("/api/v1/bids/{}", placed.id), Some(&token));
        assert_eq!(shown.status, 200, "{}", shown.text);
    }
    let expected = match backend {
        Backend::Postgres => 5,
        Backend::Sqlite => 7,
    };
    assert_eq!(costs, [expected, expected], "statements of the first and the second bid");
}

/// A page of the centre's project list: the page; its sections; one statement of the
/// sections' phases, the suspensions, the owners' names and which projects have a
/// commission or a direct award; then the commissions of only the projects that have one.
fn a_page_of_projects_reads_commissions_only_when_one_is_on_it(backend: Backend) {
    let Some(t) = tender(backend) else { return };
    let server = &t.server;
    let platform = in_process(server);
    let centre = acting(Role::CentreStaff, "centre");
    let page = || {
        let before = statements_on_this_thread();
        let query = ggzy_service::projects::ProjectListQuery { limit: Some(50), ..Default::default() };
        let page = platform.tendering().list_projects(Some(&centre), query).unwrap();
        (statements_on_this_thread() - before, page)
    };
    let (cost, listed) = page();
    assert_eq!(cost, 3, "statements of a page without a commission");
    assert_eq!(listed.items.len(), 1);
    assert!(listed.items[0].commissions.is_empty());
    assert!(!listed.items[0].service_owner.name.is_empty(), "the owner's name is read with the facts");

    let agency = register(server, VALID_CODES[1], &["agency"])["id"].as_str().unwrap().to_owned();
    commit(server, &agency, "agent");
    let agent_id = person(server, &agency, "11010519800101003");
    let tenderer = server.token("tenderer", Some(&t.tenderer));
    let project_id = t.project["id"].as_str().unwrap();
    let commissioned = post(
        server,
        &format!("/api/v1/projects/{project_id}/commissions"),
        Some(&tenderer),
        &json!({"agency_id": agency, "agent_ids": [agent_id]}),
    );
    assert_eq!(commissioned.status, 201, "{}", commissioned.text);
    let (cost, listed) = page();
    assert_eq!(cost, 4, "statements of a page with a commission");
    let commission = &listed.items[0].commissions;
    assert_eq!(commission.len(), 1);
    assert_eq!((commission[0].agency_id.as_str(), commission[0].agent_ids.clone()), (agency.as_str(), vec![agent_id]));
}

both_backends!(
    a_sealed_bid_costs_a_fixed_number_of_statements,
    a_page_of_projects_reads_commissions_only_when_one_is_on_it
);
