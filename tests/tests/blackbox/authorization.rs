//! The authorisation matrix: role × route × own or other organisation × project phase,
//! each cell with the expected status. The test walks every cell and reports every
//! mismatch at once.

use ggzy_blackbox::{both_backends, Backend, Server};
use serde_json::json;

use crate::bids::{bid_body, ready_bidder, tender};
use crate::{register, send};

/// Who calls: a role acting for its own organisation or for another one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Caller {
    Public,
    TendererOwn,
    TendererOther,
    BidderOwn,
    BidderOther,
    Centre,
    RegulatorOwn,
    RegulatorOther,
    Comprehensive,
    Inspector,
    Admin,
}

const CALLERS: [Caller; 11] = [
    Caller::Public,
    Caller::TendererOwn,
    Caller::TendererOther,
    Caller::BidderOwn,
    Caller::BidderOther,
    Caller::Centre,
    Caller::RegulatorOwn,
    Caller::RegulatorOther,
    Caller::Comprehensive,
    Caller::Inspector,
    Caller::Admin,
];

struct Orgs {
    tenderer: String,
    other_tenderer: String,
    bidder: String,
    other_bidder: String,
}

fn token(server: &Server, caller: Caller, orgs: &Orgs) -> Option<String> {
    Some(match caller {
        Caller::Public => return None,
        Caller::TendererOwn => server.token("tenderer", Some(&orgs.tenderer)),
        Caller::TendererOther => server.token("tenderer", Some(&orgs.other_tenderer)),
        Caller::BidderOwn => server.token("bidder", Some(&orgs.bidder)),
        Caller::BidderOther => server.token("bidder", Some(&orgs.other_bidder)),
        Caller::Centre => server.token("centre_staff", Some("centre")),
        Caller::RegulatorOwn => server.token("industry_regulator", Some("zjw")),
        Caller::RegulatorOther => server.token("industry_regulator", Some("swj")),
        Caller::Comprehensive => server.token("comprehensive_regulator", Some("gongguanban")),
        Caller::Inspector => server.token("inspector", Some("jijian")),
        Caller::Admin => server.token("platform_admin", None),
    })
}

/// One route and its expected status for each caller, in the order of `CALLERS`.
struct Row {
    method: &'static str,
    path: String,
    expected: [u16; 11],
}

fn walk(server: &Server, orgs: &Orgs, phase: &str, rows: &[Row], mismatches: &mut Vec<String>) {
    for row in rows {
        for (caller, expected) in CALLERS.iter().zip(row.expected) {
            let url = server.url(&row.path);
            let mut request = match row.method {
                "POST" => server.client().post(url).json(&json!({})),
                _ => server.client().get(url),
            };
            if let Some(token) = token(server, *caller, orgs) {
                request = request.bearer_auth(token);
            }
            let status = send(request).status;
            if status != expected {
                mismatches
                    .push(format!("{phase}: {} {} as {caller:?}: {status}, expected {expected}", row.method, row.path));
            }
        }
    }
}

fn every_cell_of_the_matrix_holds(backend: Backend) {
    let Some(t) = tender(backend) else { return };
    let server = &t.server;
    let (bidder, token, manager) = ready_bidder(server, &t.section, "914403001922038216", "11010519800101001");
    let (other_bidder, other_token, other_manager) =
        ready_bidder(server, &t.section, "91110108551385082Q", "11010519800101002");
    let (_, third_token, third_manager) = ready_bidder(server, &t.section, "91350100M000100Y43", "11010519800101003");
    let other_tenderer = register(server, "9144030071526726XG", &["tenderer"])["id"].as_str().unwrap().to_owned();
    let bid = crate::post(
        server,
        &format!("/api/v1/sections/{}/bids", t.section),
        Some(&token),
        &bid_body("990000.00", &manager, None),
    );
    let bid = bid.body["id"].as_str().unwrap().to_owned();
    // Three bids, so the section opens (construction.min_bidders).
    for (token, manager, price) in
        [(&other_token, &other_manager, "995000.00"), (&third_token, &third_manager, "998000.00")]
    {
        let placed = crate::post(
            server,
            &format!("/api/v1/sections/{}/bids", t.section),
            Some(token),
            &bid_body(price, manager, None),
        );
        assert_eq!(placed.status, 201, "{}", placed.text);
    }
    let project = t.project["id"].as_str().unwrap().to_owned();
    let orgs = Orgs { tenderer: t.tenderer.clone(), other_tenderer, bidder, other_bidder };
    let row = |method, path: String, expected| Row { method, path, expected };
    // Callers:                  pub  tOwn tOth bOwn bOth cent rOwn rOth comp insp admn
    let tendering = [
        row("GET", format!("/api/v1/projects/{project}"), [401, 200, 404, 404, 404, 200, 200, 404, 200, 200, 404]),
        row("GET", format!("/api/v1/bids/{bid}"), [401, 404, 404, 200, 404, 404, 404, 404, 404, 404, 404]),
        row(
            "GET",
            format!("/api/v1/projects/{project}/officials"),
            [401, 200, 404, 404, 404, 200, 200, 404, 200, 200, 404],
        ),
        row(
            "GET",
            format!("/api/v1/projects/{project}/archive?purpose=核查"),
            [401, 403, 403, 403, 403, 200, 200, 404, 200, 200, 403],
        ),
        row("GET", "/api/v1/oversight/deadlines".into(), [401, 403, 403, 403, 403, 200, 200, 200, 200, 200, 403]),
        row("GET", "/api/v1/risk/alerts".into(), [401, 403, 403, 403, 403, 403, 200, 200, 200, 200, 403]),
        row("GET", "/api/v1/violations".into(), [401, 403, 403, 403, 403, 200, 200, 200, 200, 200, 403]),
        row("GET", "/api/v1/reports".into(), [401, 403, 403, 403, 403, 403, 200, 200, 200, 200, 403]),
        row("POST", "/api/v1/risk/scans".into(), [401, 403, 403, 403, 403, 403, 403, 403, 200, 403, 200]),
        row("GET", "/api/v1/public/statistics".into(), [200; 11]),
        row("GET", "/api/v1/events".into(), [200; 11]),
        row("GET", "/api/v1/audit/verification".into(), [401, 403, 403, 403, 403, 403, 403, 403, 200, 200, 200]),
    ];
    let mut mismatches = Vec::new();
    walk(server, &orgs, "tendering", &tendering, &mut mismatches);

    // After the opening the tenderer, the centre and the supervisors read the bids.
    let server = t.server.restart(&[("GGZY_CLOCK", "manual:2026-11-23T10:00:00+08:00")]);
    let opened = crate::post(
        &server,
        &format!("/api/v1/sections/{}/opening", t.section),
        Some(&server.token("tenderer", Some(&t.tenderer))),
        &json!({"witness_id": t.witness}),
    );
    assert_eq!(opened.body["outcome"], "opened", "{}", opened.text);
    let opened_rows = [
        row("GET", format!("/api/v1/bids/{bid}"), [401, 200, 404, 200, 404, 200, 200, 404, 200, 200, 404]),
        row("GET", format!("/api/v1/public/sections/{}/opening-record", t.section), [200; 11]),
    ];
    walk(&server, &orgs, "opened", &opened_rows, &mut mismatches);
    assert!(mismatches.is_empty(), "{} cells differ:\n{}", mismatches.len(), mismatches.join("\n"));
}

both_backends!(every_cell_of_the_matrix_holds);
