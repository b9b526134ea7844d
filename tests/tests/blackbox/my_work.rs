//! A bidder's own work (GET /api/v1/bids, GET /api/v1/bonds): its bids and bonds across
//! sections, newest first, keyset-paged, filtered by status and section — and nobody else's.
//! Two bidders bid in two sections at different times (the manual clock moves by restarts);
//! each lists exactly its own, a withdrawn bid shows as withdrawn, no list shows a price,
//! every other role is refused, and an unknown query parameter is a 400 naming it. A
//! bidder's project list (GET /api/v1/projects) holds exactly the projects it posted a bond
//! or a bid in, without the tenderer's registration contact.

use std::collections::HashSet;

use ggzy_blackbox::{both_backends, Backend, Server};
use serde_json::{json, Value};

use crate::bids::{bid_body, ready_bidder, tender, Tender};
use crate::envelopes::place_bid;
use crate::{get, post, register};

const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const PRICES: [&str; 4] = ["9876543.21", "8765432.12", "7654321.23", "6543210.34"];

/// A second project of the same tenderer, announced with one section; returns its id and
/// the section's.
fn second_tender(server: &Server, tenderer: &str) -> (String, String) {
    let token = server.token("tenderer", Some(tenderer));
    let project = post(
        server,
        "/api/v1/projects",
        Some(&token),
        &json!({
        "name": "另一工程", "tenderer_id": tenderer, "category": "construction", "subtype": "works", "sector": "building",
        "funding": "state_funded", "legally_required_tendering": true,
        "sections": [{"name": "一标段", "estimated_amount": "1000000.00"}],
        "approval_documents": [{"title": "批复", "number": "2号", "sha256": SHA}]}),
    );
    assert_eq!(project.status, 201, "{}", project.text);
    let id = project.body["id"].as_str().unwrap().to_owned();
    let section = project.body["sections"][0]["id"].as_str().unwrap().to_owned();
    let announced = post(
        server,
        &format!("/api/v1/projects/{id}/announcements"),
        Some(&token),
        &json!({"bid_deadline": "2026-11-23T02:00:00Z", "opening_place": "开标二室",
                "documents": [{"title": "招标文件", "sha256": SHA}],
                "sections": [{"section_id": section, "bond_amount": "20000.00"}]}),
    );
    assert_eq!(announced.status, 201, "{}", announced.text);
    (id, section)
}

fn deposit(server: &Server, section: &str, token: &str) -> String {
    let held = post(
        server,
        &format!("/api/v1/sections/{section}/bonds"),
        Some(token),
        &json!({"form": "transfer", "amount": "20000.00", "payer_account": {"bank": "中国银行", "number": "6222", "is_basic_account": true}}),
    );
    assert_eq!(held.status, 201, "{}", held.text);
    held.body["id"].as_str().unwrap().to_owned()
}

fn bid(server: &Server, section: &str, token: &str, price: &str, manager: &str) -> String {
    let placed = place_bid(server, section, token, &bid_body(price, manager, None));
    assert_eq!(placed.status, 201, "{}", placed.text);
    placed.body["id"].as_str().unwrap().to_owned()
}

fn ids(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|item| item["id"].as_str().unwrap().to_owned()).collect()
}

/// Every item of a list, walked one page of `limit` 1 at a time.
fn walk(server: &Server, path: &str, token: &str) -> Vec<String> {
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let separator = if path.contains('?') { '&' } else { '?' };
        let url = match &cursor {
            Some(after) => format!("{path}{separator}limit=1&after={after}"),
            None => format!("{path}{separator}limit=1"),
        };
        let page = get(server, &url, Some(token));
        assert_eq!(page.status, 200, "{url}: {}", page.text);
        let items = ids(&page.body);
        assert!(items.len() <= 1, "{url}: {}", page.text);
        seen.extend(items);
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
        assert!(seen.len() < 20, "the walk does not end: {seen:?}");
    }
    seen
}

fn a_bidder_lists_its_own_bids_and_bonds(backend: Backend) {
    let Some(t) = tender(backend) else { return };
    let Tender { server, project, section: first, tenderer, witness } = t;
    let first_project = project["id"].as_str().unwrap().to_owned();
    let first_code = project["code"].as_str().unwrap().to_owned();
    let (second_project, second) = second_tender(&server, &tenderer);

    // 09:00: both bidders deposit in the first section and bid there.
    let (a, a_token, a_manager) = ready_bidder(&server, &first, "914403001922038216", "11010519800101001");
    let (b, b_token, b_manager) = ready_bidder(&server, &first, "91110108551385082Q", "11010519800101002");
    let a_first = bid(&server, &first, &a_token, PRICES[0], &a_manager);
    let b_first = bid(&server, &first, &b_token, PRICES[1], &b_manager);
    // 10:00: the first bidder deposits and bids in the second section.
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-11-02T10:00:00+08:00")]);
    let a_token = server.token("bidder", Some(&a));
    let a_second_bond = deposit(&server, &second, &a_token);
    let a_second = bid(&server, &second, &a_token, PRICES[2], &a_manager);
    // 11:00: the second bidder does, and withdraws its bid in the first section.
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-11-02T11:00:00+08:00")]);
    let a_token = server.token("bidder", Some(&a));
    let b_token = server.token("bidder", Some(&b));
    let b_second_bond = deposit(&server, &second, &b_token);
    let b_second = bid(&server, &second, &b_token, PRICES[3], &b_manager);
    let withdrawn = post(&server, &format!("/api/v1/bids/{b_first}/withdrawal"), Some(&b_token), &json!({}));
    assert_eq!(withdrawn.status, 200, "{}", withdrawn.text);

    // Each sees exactly its own bids, newest submission first, with where and when.
    let a_bids = get(&server, "/api/v1/bids", Some(&a_token));
    assert_eq!(a_bids.status, 200, "{}", a_bids.text);
    assert_eq!(ids(&a_bids.body), [a_second.clone(), a_first.clone()], "{}", a_bids.text);
    assert!(a_bids.body["next_cursor"].is_null(), "{}", a_bids.text);
    let newest = &a_bids.body["items"][0];
    assert_eq!(newest["section_id"], second.as_str());
    assert_eq!(newest["project_id"], second_project.as_str());
    assert_eq!(newest["project_name"], "另一工程");
    assert_eq!(newest["status"], "submitted");
    assert_eq!(newest["sealed_by_bidder"], true);
    assert_eq!(newest["decrypted"], false, "not decrypted before the opening: {}", a_bids.text);
    assert!(newest["submitted_at"].as_str().unwrap().starts_with("2026-11-02T02:00:00"), "{}", a_bids.text);
    let oldest = &a_bids.body["items"][1];
    assert_eq!(oldest["section_id"], first.as_str());
    assert_eq!(oldest["project_id"], first_project.as_str());
    assert_eq!(oldest["project_code"], first_code.as_str());
    assert!(oldest["submitted_at"].as_str().unwrap().starts_with("2026-11-02T01:00:00"), "{}", a_bids.text);
    let b_bids = get(&server, "/api/v1/bids", Some(&b_token));
    assert_eq!(ids(&b_bids.body), [b_second.clone(), b_first.clone()], "{}", b_bids.text);
    // The withdrawn bid shows as withdrawn, changed at the withdrawal.
    assert_eq!(b_bids.body["items"][1]["status"], "withdrawn", "{}", b_bids.text);
    assert!(
        b_bids.body["items"][1]["updated_at"].as_str().unwrap().starts_with("2026-11-02T03:00:00"),
        "{}",
        b_bids.text
    );
    assert_eq!(b_bids.body["items"][0]["status"], "submitted", "{}", b_bids.text);

    // Bonds: each its own, newest deposit first, with amount, form, status and project.
    let a_bonds = get(&server, "/api/v1/bonds", Some(&a_token));
    assert_eq!(a_bonds.status, 200, "{}", a_bonds.text);
    let a_bond_ids = ids(&a_bonds.body);
    assert_eq!(a_bond_ids.len(), 2, "{}", a_bonds.text);
    assert_eq!(a_bond_ids[0], a_second_bond, "{}", a_bonds.text);
    let bond = &a_bonds.body["items"][0];
    assert_eq!(bond["section_id"], second.as_str());
    assert_eq!(bond["project_id"], second_project.as_str());
    assert_eq!(bond["bidder_id"], a.as_str());
    assert_eq!(bond["amount"], "20000.00");
    assert_eq!(bond["form"], "transfer");
    assert_eq!(bond["status"], "held");
    assert!(bond["deposited_at"].as_str().unwrap().starts_with("2026-11-02T02:00:00"), "{}", a_bonds.text);
    assert!(bond["refund_deadline"].is_null() && bond["settled_at"].is_null(), "{}", a_bonds.text);
    assert_eq!(a_bonds.body["items"][1]["section_id"], first.as_str(), "{}", a_bonds.text);
    let b_bonds = get(&server, "/api/v1/bonds", Some(&b_token));
    let b_bond_ids = ids(&b_bonds.body);
    assert_eq!(b_bond_ids.len(), 2, "{}", b_bonds.text);
    assert_eq!(b_bond_ids[0], b_second_bond, "{}", b_bonds.text);
    assert!(b_bonds.body["items"].as_array().unwrap().iter().all(|bond| bond["bidder_id"] == b.as_str()));
    // The withdrawal started the refund clock of the bond of its section.
    let refunding = &b_bonds.body["items"][1];
    assert_eq!(refunding["section_id"], first.as_str(), "{}", b_bonds.text);
    assert_eq!(refunding["refund_trigger"], "withdrawal", "{}", b_bonds.text);
    assert_eq!(refunding["refund_rule"], "construction.bond.refund_on_withdrawal", "{}", b_bonds.text);
    assert!(refunding["refund_deadline"].is_string(), "{}", b_bonds.text);
    let all_a: HashSet<&String> = a_bond_ids.iter().collect();
    assert!(b_bond_ids.iter().all(|id| !all_a.contains(id)), "no bond in both lists");

    // No list shows a price or a bid's content, nor the other bidder.
    for (reply, other, other_bids) in [
        (&a_bids, &b, [&b_first, &b_second]),
        (&b_bids, &a, [&a_first, &a_second]),
        (&a_bonds, &b, [&b_first, &b_second]),
        (&b_bonds, &a, [&a_first, &a_second]),
    ] {
        for price in PRICES {
            assert!(!reply.text.contains(price), "a price in a list: {}", reply.text);
        }
        assert!(!reply.text.contains("\"price\"") && !reply.text.contains("\"content\""), "{}", reply.text);
        assert!(!reply.text.contains(other.as_str()), "the other bidder in a list: {}", reply.text);
        for id in other_bids {
            assert!(!reply.text.contains(id.as_str()), "the other bidder's bid in a list: {}", reply.text);
        }
    }

    // Paging by one walks every item once, in the same order.
    assert_eq!(walk(&server, "/api/v1/bids", &a_token), ids(&a_bids.body));
    assert_eq!(walk(&server, "/api/v1/bids", &b_token), ids(&b_bids.body));
    assert_eq!(walk(&server, "/api/v1/bonds", &a_token), a_bond_ids);
    assert_eq!(walk(&server, "/api/v1/bonds", &b_token), b_bond_ids);
    assert_eq!(walk(&server, &format!("/api/v1/bids?section_id={first}"), &b_token), [b_first.as_str()]);
    let first_page = get(&server, "/api/v1/bids?limit=1", Some(&a_token));
    assert_eq!(first_page.body["next_cursor"], a_second.as_str(), "{}", first_page.text);
    // Another bidder's cursor resumes nothing of its list (and tells nothing of that bid).
    let foreign = get(&server, &format!("/api/v1/bids?after={b_second}"), Some(&a_token));
    assert_eq!(foreign.problem(422, "validation-failed")["errors"][0]["field"], "after", "{}", foreign.text);
    let unknown = get(&server, "/api/v1/bids?after=00000000-0000-4000-8000-000000000000", Some(&a_token));
    assert_eq!((unknown.status, unknown.text.clone()), (foreign.status, foreign.text.clone()));

    // Filters: status and section, alone and together.
    let filtered = |path: &str, token: &str| ids(&get(&server, path, Some(token)).body);
    assert_eq!(filtered("/api/v1/bids?status=withdrawn", &b_token), [b_first.as_str()]);
    assert_eq!(filtered("/api/v1/bids?status=submitted", &b_token), [b_second.as_str()]);
    assert!(filtered("/api/v1/bids?status=withdrawn", &a_token).is_empty());
    assert_eq!(filtered(&format!("/api/v1/bids?section_id={second}"), &a_token), [a_second.as_str()]);
    assert_eq!(filtered(&format!("/api/v1/bids?section_id={first}&status=submitted"), &a_token), [a_first.as_str()]);
    assert!(filtered(&format!("/api/v1/bids?section_id={first}&status=submitted"), &b_token).is_empty());
    assert_eq!(filtered(&format!("/api/v1/bonds?section_id={second}"), &b_token), [b_second_bond.as_str()]);
    assert_eq!(filtered("/api/v1/bonds?status=held", &a_token), a_bond_ids);
    assert!(filtered("/api/v1/bonds?status=refunded", &a_token).is_empty());
    // Every problem of a query at once, the page's with the filters'.
    let bad = get(&server, "/api/v1/bids?status=opened&section_id=x&after=y&limit=0", Some(&a_token));
    bad.problem(422, "validation-failed");
    assert_eq!(bad.error_fields(), ["status", "section_id", "after", "limit"], "{}", bad.text);
    let bad = get(&server, "/api/v1/bonds?status=kept&limit=201", Some(&a_token));
    bad.problem(422, "validation-failed");
    assert_eq!(bad.error_fields(), ["status", "limit"], "{}", bad.text);

    // An unknown query parameter is a 400 naming it.
    for path in ["/api/v1/bids?bidder_id=x", "/api/v1/bonds?bidder_id=x&limit=5"] {
        let refused = get(&server, path, Some(&a_token));
        refused.problem(400, "malformed-request");
        assert_eq!(refused.error_fields(), ["bidder_id"], "{path}: {}", refused.text);
    }

    // Nobody but a bidder is given such a list.
    let others = [
        server.token("tenderer", Some(&tenderer)),
        server.token("agent", Some("some-agency")),
        server.token("centre_staff", Some("centre")),
        server.token_with_scope("centre_staff", Some("centre"), "bonds:desk"),
        server.token("industry_regulator", Some("zjw")),
        server.token("comprehensive_regulator", Some("gongguanban")),
        server.token("inspector", Some("jijian")),
        server.token("expert", Some("some-expert")),
        server.token("platform_admin", None),
        server.token("system", Some("district-system")),
    ];
    for path in ["/api/v1/bids", "/api/v1/bonds", &format!("/api/v1/bids?section_id={first}")] {
        for token in &others {
            let refused = get(&server, path, Some(token));
            refused.problem(403, "forbidden");
            assert!(!refused.text.contains(&a_first) && !refused.text.contains(&b_first), "{}", refused.text);
        }
        get(&server, path, None).problem(401, "unauthenticated");
    }

    // At the opening of the first section its standing envelope is decrypted (the opening
    // itself fails: one bid stands where three are needed); the list says so.
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-11-23T10:00:00+08:00")]);
    let opened = crate::envelopes::open_bids(&server, &first, &server.token("tenderer", Some(&tenderer)), &witness);
    assert_eq!((opened.status, opened.body["bid_count"].clone()), (200, json!(1)), "{}", opened.text);
    let a_bids = get(&server, &format!("/api/v1/bids?section_id={first}"), Some(&server.token("bidder", Some(&a))));
    assert_eq!(ids(&a_bids.body), [a_first.as_str()], "{}", a_bids.text);
    assert_eq!(a_bids.body["items"][0]["decrypted"], true, "{}", a_bids.text);
    assert_eq!(a_bids.body["items"][0]["decryption_outcome"], "decrypted", "{}", a_bids.text);
    assert!(!a_bids.text.contains(PRICES[0]), "the price stays out of the list: {}", a_bids.text);
    let a_second_now =
        get(&server, &format!("/api/v1/bids?section_id={second}"), Some(&server.token("bidder", Some(&a))));
    assert_eq!(a_second_now.body["items"][0]["decrypted"], false, "{}", a_second_now.text);
    // After the opening, too, nobody else is given the lists.
    for path in ["/api/v1/bids", "/api/v1/bonds"] {
        get(&server, path, Some(&server.token("tenderer", Some(&tenderer)))).problem(403, "forbidden");
        get(&server, path, Some(&server.token("inspector", Some("jijian")))).problem(403, "forbidden");
    }
}

/// A water project of the tenderer, with a registration contact, announced with one section;
/// returns its id and the section's.
fn water_tender(server: &Server, tenderer: &str) -> (String, String) {
    let token = server.token("tenderer", Some(tenderer));
    let project = post(
        server,
        "/api/v1/projects",
        Some(&token),
        &json!({
        "name": "水库除险加固工程", "tenderer_id": tenderer, "category": "construction", "subtype": "works",
        "sector": "water", "funding": "state_funded", "legally_required_tendering": true,
        "sections": [{"name": "一标段", "estimated_amount": "1000000.00"}],
        "approval_documents": [{"title": "批复", "number": "3号", "sha256": SHA}],
        "registration_form": {"contact_name": "赵六", "contact_phone": "010-69000000", "sha256": SHA}}),
    );
    assert_eq!(project.status, 201, "{}", project.text);
    let id = project.body["id"].as_str().unwrap().to_owned();
    let section = project.body["sections"][0]["id"].as_str().unwrap().to_owned();
    let announced = post(
        server,
        &format!("/api/v1/projects/{id}/announcements"),
        Some(&token),
        &json!({"bid_deadline": "2026-11-23T02:00:00Z", "opening_place": "开标三室",
                "documents": [{"title": "招标文件", "sha256": SHA}],
                "sections": [{"section_id": section, "bond_amount": "20000.00"}]}),
    );
    assert_eq!(announced.status, 201, "{}", announced.text);
    (id, section)
}

fn a_bidder_lists_the_projects_it_takes_part_in(backend: Backend) {
    let Some(t) = tender(backend) else { return };
    let Tender { server, project, section: first, tenderer, .. } = t;
    let building = project["id"].as_str().unwrap().to_owned();
    let (water, water_section) = water_tender(&server, &tenderer);
    let (_, untouched_section) = second_tender(&server, &tenderer);
    // a: a bond in the building project only; b: a bond and a bid in the water project;
    // c: registered, nothing posted; nobody in the third project.
    let (_, a_token, _) = ready_bidder(&server, &first, "914403001922038216", "11010519800101001");
    let (_, b_token, b_manager) = ready_bidder(&server, &water_section, "91110108551385082Q", "11010519800101002");
    bid(&server, &water_section, &b_token, PRICES[0], &b_manager);
    let c = register(&server, "91350100M000100Y43", &["bidder"])["id"].as_str().unwrap().to_owned();
    crate::projects::commit(&server, &c, "bidder");
    let c_token = server.token("bidder", Some(&c));

    let listed = |path: &str, token: &str| -> Vec<String> {
        let page = get(&server, path, Some(token));
        assert_eq!(page.status, 200, "{path}: {}", page.text);
        ids(&page.body)
    };
    assert_eq!(listed("/api/v1/projects", &a_token), [building.as_str()]);
    assert_eq!(listed("/api/v1/projects", &b_token), [water.as_str()]);
    assert!(listed("/api/v1/projects", &c_token).is_empty());
    // The centre sees all three, the water project's registration contact included.
    let centre = server.token("centre_staff", Some("centre"));
    assert_eq!(listed("/api/v1/projects", &centre).len(), 3);
    let seen_by_centre = get(&server, &format!("/api/v1/projects/{water}"), Some(&centre));
    assert_eq!(seen_by_centre.body["registration_form"]["contact_name"], "赵六", "{}", seen_by_centre.text);

    // The bidder reads the project it takes part in, with each section's phase, and not the
    // registration contact; another's project is not found.
    let read = get(&server, &format!("/api/v1/projects/{water}"), Some(&b_token));
    assert_eq!(read.status, 200, "{}", read.text);
    assert_eq!(read.body["sections"][0]["id"], water_section.as_str(), "{}", read.text);
    assert_eq!(read.body["sections"][0]["phase"], "announced", "{}", read.text);
    assert!(read.body["registration_form"].is_null(), "{}", read.text);
    assert!(!read.text.contains("赵六") && !read.text.contains("010-69000000"), "{}", read.text);
    let listed_water = get(&server, "/api/v1/projects", Some(&b_token));
    assert!(!listed_water.text.contains("赵六"), "{}", listed_water.text);
    for (token, project) in [(&a_token, &water), (&b_token, &building), (&c_token, &building)] {
        get(&server, &format!("/api/v1/projects/{project}"), Some(token)).problem(404, "not-found");
    }
    // Taking part starts with the bond: once c posts one in the third project, it is c's.
    let c_bond = deposit(&server, &untouched_section, &c_token);
    assert!(!c_bond.is_empty());
    let c_projects = listed("/api/v1/projects", &c_token);
    assert_eq!(c_projects.len(), 1, "{c_projects:?}");
    assert!(c_projects[0] != building && c_projects[0] != water, "{c_projects:?}");

    // The list's filters narrow a bidder's scope, never widen it; its problems are named.
    assert_eq!(listed("/api/v1/projects?category=construction", &b_token), [water.as_str()]);
    assert!(listed("/api/v1/projects?category=procurement", &b_token).is_empty());
    let q = "%E9%99%A4%E9%99%A9"; // 除险
    assert_eq!(listed(&format!("/api/v1/projects?q={q}"), &b_token), [water.as_str()]);
    assert!(listed(&format!("/api/v1/projects?q={q}"), &a_token).is_empty());
    assert!(listed("/api/v1/projects?status=terminated", &b_token).is_empty());
    let bad = get(&server, "/api/v1/projects?status=done&limit=0", Some(&b_token));
    bad.problem(422, "validation-failed");
    assert_eq!(bad.error_fields(), ["status", "limit"], "{}", bad.text);
    let unknown = get(&server, "/api/v1/projects?bidder_id=x", Some(&b_token));
    unknown.problem(400, "malformed-request");
    assert_eq!(unknown.error_fields(), ["bidder_id"], "{}", unknown.text);
    // An expert is given no project list.
    get(&server, "/api/v1/projects", Some(&server.token("expert", Some("some-expert")))).problem(403, "forbidden");
}

both_backends!(a_bidder_lists_its_own_bids_and_bonds, a_bidder_lists_the_projects_it_takes_part_in);
