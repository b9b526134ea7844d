//! The authorisation matrix: role × route × own or other organisation × project phase,
//! each cell with the expected status. The test walks every cell and reports every
//! mismatch at once.

use std::io::Write;

use ggzy_blackbox::{both_backends, Backend, Server};
use serde_json::json;

use crate::bids::{bid_body, ready_bidder, tender};
use crate::envelopes::{open_bids, place_bid, seal};
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
    let bid = place_bid(server, &t.section, &token, &bid_body("990000.00", &manager, None));
    assert_eq!(bid.status, 201, "{}", bid.text);
    let bid = bid.body["id"].as_str().unwrap().to_owned();
    // Three bids, so the section opens (construction.min_bidders).
    for (token, manager, price) in
        [(&other_token, &other_manager, "995000.00"), (&third_token, &third_manager, "998000.00")]
    {
        let placed = place_bid(server, &t.section, token, &bid_body(price, manager, None));
        assert_eq!(placed.status, 201, "{}", placed.text);
    }
    let project = t.project["id"].as_str().unwrap().to_owned();
    let orgs = Orgs { tenderer: t.tenderer.clone(), other_tenderer, bidder, other_bidder };
    let row = |method, path: String, expected| Row { method, path, expected };
    // Callers:                  pub  tOwn tOth bOwn bOth cent rOwn rOth comp insp admn
    let tendering = [
        // Both bidders hold a bond in the project's section: each reads the project.
        row("GET", format!("/api/v1/projects/{project}"), [401, 200, 404, 200, 200, 200, 200, 404, 200, 200, 404]),
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

    // After the opening (the bids decrypted by their bidders in the window) the tenderer,
    // the centre and the supervisors read the bids.
    let server = t.server.restart(&[("GGZY_CLOCK", "manual:2026-11-23T10:00:00+08:00")]);
    let opened = open_bids(&server, &t.section, &server.token("tenderer", Some(&t.tenderer)), &t.witness);
    assert_eq!(opened.body["outcome"], "opened", "{}", opened.text);
    let opened_rows = [
        row("GET", format!("/api/v1/bids/{bid}"), [401, 200, 404, 200, 404, 200, 200, 404, 200, 200, 404]),
        row("GET", format!("/api/v1/public/sections/{}/opening-record", t.section), [200; 11]),
    ];
    walk(&server, &orgs, "opened", &opened_rows, &mut mismatches);
    assert!(mismatches.is_empty(), "{} cells differ:\n{}", mismatches.len(), mismatches.join("\n"));
}

/// Every caller of the generated matrix: each role, acting for an organisation that has a
/// stake in the fixture's project or for one that has none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Public,
    TendererOwn,
    TendererOther,
    AgentOther,
    BidderOwn,
    BidderOther,
    ExpertNobody,
    Centre,
    RegulatorOwn,
    RegulatorOther,
    Comprehensive,
    Inspector,
    Admin,
    SystemBare,
}

const EVERYONE: [Who; 14] = [
    Who::Public,
    Who::TendererOwn,
    Who::TendererOther,
    Who::AgentOther,
    Who::BidderOwn,
    Who::BidderOther,
    Who::ExpertNobody,
    Who::Centre,
    Who::RegulatorOwn,
    Who::RegulatorOther,
    Who::Comprehensive,
    Who::Inspector,
    Who::Admin,
    Who::SystemBare,
];

fn token_of(server: &Server, who: Who, orgs: &Orgs) -> Option<String> {
    Some(match who {
        Who::Public => return None,
        Who::TendererOwn => server.token("tenderer", Some(&orgs.tenderer)),
        Who::TendererOther => server.token("tenderer", Some(&orgs.other_tenderer)),
        Who::AgentOther => server.token("agent", Some(&orgs.other_tenderer)),
        Who::BidderOwn => server.token("bidder", Some(&orgs.bidder)),
        Who::BidderOther => server.token("bidder", Some(&orgs.other_bidder)),
        Who::ExpertNobody => server.token("expert", Some("nobody")),
        Who::Centre => server.token("centre_staff", Some("centre")),
        Who::RegulatorOwn => server.token("industry_regulator", Some("zjw")),
        Who::RegulatorOther => server.token("industry_regulator", Some("swj")),
        Who::Comprehensive => server.token("comprehensive_regulator", Some("gongguanban")),
        Who::Inspector => server.token("inspector", Some("jijian")),
        Who::Admin => server.token("platform_admin", None),
        Who::SystemBare => server.token("system", Some("district-system")),
    })
}

/// The operations of the committed OpenAPI document: method, path template, whether it
/// declares security, and the content type of its body.
/// The statuses an operation documents.
fn documented_statuses(method: &str, path: &str) -> Vec<String> {
    let document: serde_json::Value =
        serde_json::from_str(include_str!("../../../api-spec/openapi.json")).expect("the committed OpenAPI document");
    document["paths"][path][method.to_lowercase()]["responses"]
        .as_object()
        .map(|responses| responses.keys().cloned().collect())
        .unwrap_or_default()
}

fn operations() -> Vec<(String, String, bool, Option<String>)> {
    let document: serde_json::Value =
        serde_json::from_str(include_str!("../../../api-spec/openapi.json")).expect("the committed OpenAPI document");
    let mut operations = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if !["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                continue;
            }
            let secured = operation.get("security").is_some();
            let body = operation["requestBody"]["content"].as_object().and_then(|c| c.keys().next().cloned());
            operations.push((method.to_uppercase(), path.clone(), secured, body));
        }
    }
    operations
}

/// Who may act on (or see) each operation in the fixture of the test below: a tender
/// before its opening, bids and bonds in, an objection raised (so the project is suspended)
/// and a question asked. Every caller not named must be refused before any state is looked
/// at. `EVERYONE` for the operations without security.
const MAY_ACT: &[(&str, &[Who])] = &[
    ("POST /api/v1/bids/{id}/decryption", &[Who::BidderOwn]),
    ("POST /api/v1/bids/{id}/decryption-failure", &[Who::Centre]),
    (
        "GET /api/v1/participants/{id}/sealing-keys",
        &[
            Who::TendererOwn,
            Who::TendererOther,
            Who::AgentOther,
            Who::BidderOwn,
            Who::BidderOther,
            Who::ExpertNobody,
            Who::Centre,
            Who::RegulatorOwn,
            Who::RegulatorOther,
            Who::Comprehensive,
            Who::Inspector,
            Who::Admin,
            Who::SystemBare,
        ],
    ),
    ("POST /api/v1/participants/{id}/sealing-keys", &[Who::BidderOwn]),
    ("POST /api/v1/sections/{id}/decryption-window", &[Who::TendererOwn]),
    ("GET /api/v1/audit/verification", &[Who::Comprehensive, Who::Inspector, Who::Admin]),
    ("POST /api/v1/auth/token", &EVERYONE),
    ("GET /api/v1/bids", &[Who::BidderOwn, Who::BidderOther]),
    ("GET /api/v1/bids/{id}", &[Who::BidderOwn]),
    ("GET /api/v1/bids/{id}/documents/{sha256}", &[Who::BidderOwn]),
    ("PUT /api/v1/bids/{id}", &[Who::BidderOwn]),
    ("POST /api/v1/bids/{id}/reveal", &[Who::BidderOwn]),
    ("POST /api/v1/bids/{id}/withdrawal", &[Who::BidderOwn]),
    ("GET /api/v1/bonds", &[Who::BidderOwn, Who::BidderOther]),
    (
        "GET /api/v1/bonds/overdue",
        &[Who::Centre, Who::RegulatorOwn, Who::RegulatorOther, Who::Comprehensive, Who::Inspector],
    ),
    ("GET /api/v1/calendar", &EVERYONE),
    ("GET /api/v1/calendar/{year}", &EVERYONE),
    (
        "PUT /api/v1/calendar/{year}",
        &[
            Who::Public,
            Who::TendererOwn,
            Who::TendererOther,
            Who::AgentOther,
            Who::BidderOwn,
            Who::BidderOther,
            Who::ExpertNobody,
            Who::Centre,
            Who::RegulatorOwn,
            Who::RegulatorOther,
            Who::Comprehensive,
            Who::Inspector,
            Who::Admin,
            Who::SystemBare,
        ],
    ),
    ("GET /api/v1/credit/commitment-text", &EVERYONE),
    ("POST /api/v1/credit/conduct-reports", &[Who::Centre]),
    (
        "POST /api/v1/credit/conduct-reports/{id}/decision",
        &[Who::RegulatorOwn, Who::RegulatorOther, Who::Comprehensive],
    ),
    ("POST /api/v1/credit/court-enforcement-imports", &[Who::RegulatorOwn, Who::RegulatorOther, Who::Comprehensive]),
    ("POST /api/v1/credit/policies", &[Who::Comprehensive]),
    ("GET /api/v1/credit/policy", &EVERYONE),
    ("POST /api/v1/credit/records", &[Who::RegulatorOwn, Who::RegulatorOther, Who::Comprehensive]),
    (
        "POST /api/v1/credit/repair-applications/{id}/decision",
        &[Who::RegulatorOwn, Who::RegulatorOther, Who::Comprehensive],
    ),
    (
        "GET /api/v1/credit/repair-applications",
        &[
            Who::TendererOwn,
            Who::TendererOther,
            Who::AgentOther,
            Who::BidderOwn,
            Who::BidderOther,
            Who::RegulatorOwn,
            Who::RegulatorOther,
            Who::Comprehensive,
            Who::Inspector,
        ],
    ),
    ("POST /api/v1/credit/restrictions", &[Who::RegulatorOwn, Who::RegulatorOther, Who::Comprehensive]),
    ("GET /api/v1/departments", &EVERYONE),
    (
        "GET /api/v1/departments/{id}/staff",
        &[Who::Centre, Who::RegulatorOwn, Who::RegulatorOther, Who::Comprehensive, Who::Inspector, Who::Admin],
    ),
    ("POST /api/v1/departments/{id}/staff", &[Who::Admin]),
    ("GET /api/v1/events", &EVERYONE),
    ("GET /api/v1/ocds/releases", &EVERYONE),
    ("GET /api/v1/ocds/releases/{ocid}", &EVERYONE),
    ("GET /api/v1/ocds/records/{ocid}", &EVERYONE),
    ("POST /api/v1/expert-draws/{id}/recusals", &[Who::Centre]),
    ("GET /api/v1/experts", &[Who::Centre, Who::Comprehensive]),
    ("GET /api/v1/experts/me/committees", &[Who::ExpertNobody]),
    ("POST /api/v1/experts", &[Who::Centre, Who::Comprehensive]),
    ("POST /api/v1/experts/{id}/relations", &[Who::Centre, Who::Comprehensive]),
    ("POST /api/v1/experts/{id}/restriction", &[Who::RegulatorOwn, Who::RegulatorOther, Who::Comprehensive]),
    ("POST /api/v1/ledger/bank-statements", &[Who::Centre]),
    ("GET /api/v1/ledger/verification", &[Who::Comprehensive, Who::Inspector, Who::Admin]),
    ("POST /api/v1/listings/{id}/quotes", &[Who::BidderOwn, Who::BidderOther]),
    ("POST /api/v1/listings/{id}/refusal", &[Who::Centre]),
    (
        "GET /api/v1/notifications",
        &[
            Who::TendererOwn,
            Who::TendererOther,
            Who::AgentOther,
            Who::BidderOwn,
            Who::BidderOther,
            Who::Centre,
            Who::RegulatorOwn,
            Who::RegulatorOther,
            Who::Comprehensive,
            Who::Inspector,
            Who::Admin,
        ],
    ),
    (
        "GET /api/v1/notifications/unread-count",
        &[
            Who::TendererOwn,
            Who::TendererOther,
            Who::AgentOther,
            Who::BidderOwn,
            Who::BidderOther,
            Who::Centre,
            Who::RegulatorOwn,
            Who::RegulatorOther,
            Who::Comprehensive,
            Who::Inspector,
            Who::Admin,
        ],
    ),
    (
        "POST /api/v1/notifications/read",
        &[
            Who::TendererOwn,
            Who::TendererOther,
            Who::AgentOther,
            Who::BidderOwn,
            Who::BidderOther,
            Who::Centre,
            Who::RegulatorOwn,
            Who::RegulatorOther,
            Who::Comprehensive,
            Who::Inspector,
            Who::Admin,
        ],
    ),
    (
        "POST /api/v1/notifications/{id}/read",
        &[
            Who::TendererOwn,
            Who::TendererOther,
            Who::AgentOther,
            Who::BidderOwn,
            Who::BidderOther,
            Who::Centre,
            Who::RegulatorOwn,
            Who::RegulatorOther,
            Who::Comprehensive,
            Who::Inspector,
            Who::Admin,
        ],
    ),
    ("POST /api/v1/objections/{id}/answer", &[Who::TendererOwn]),
    ("GET /api/v1/oversight/conduct-codes", &EVERYONE),
    (
        "GET /api/v1/oversight/deadlines",
        &[Who::Centre, Who::RegulatorOwn, Who::RegulatorOther, Who::Comprehensive, Who::Inspector],
    ),
    (
        "GET /api/v1/oversight/objections",
        &[Who::Centre, Who::RegulatorOwn, Who::RegulatorOther, Who::Comprehensive, Who::Inspector],
    ),
    (
        "GET /api/v1/participants",
        &[
            Who::TendererOwn,
            Who::TendererOther,
            Who::AgentOther,
            Who::BidderOwn,
            Who::BidderOther,
            Who::ExpertNobody,
            Who::Centre,
            Who::RegulatorOwn,
            Who::RegulatorOther,
            Who::Comprehensive,
            Who::Inspector,
            Who::Admin,
        ],
    ),
    ("POST /api/v1/participants", &[Who::Centre]),
    (
        "GET /api/v1/participants/{id}",
        &[
            Who::TendererOwn,
            Who::TendererOther,
            Who::AgentOther,
            Who::BidderOwn,
            Who::BidderOther,
            Who::ExpertNobody,
            Who::Centre,
            Who::RegulatorOwn,
            Who::RegulatorOther,
            Who::Comprehensive,
            Who::Inspector,
            Who::Admin,
        ],
    ),
    ("PATCH /api/v1/participants/{id}", &[Who::BidderOwn, Who::Centre]),
    ("GET /api/v1/participants/{id}/entrusted-agents", &[Who::BidderOwn, Who::Centre]),
    ("POST /api/v1/participants/{id}/entrusted-agents", &[Who::BidderOwn, Who::Centre]),
    ("GET /api/v1/participants/{id}/commitments", &EVERYONE),
    ("POST /api/v1/participants/{id}/commitments", &[Who::BidderOwn]),
    ("POST /api/v1/participants/{id}/controls", &[Who::Centre]),
    ("GET /api/v1/participants/{id}/credit-reads", &[Who::Comprehensive, Who::Inspector]),
    (
        "GET /api/v1/participants/{id}/credit-records",
        &[Who::BidderOwn, Who::Centre, Who::RegulatorOwn, Who::RegulatorOther, Who::Comprehensive, Who::Inspector],
    ),
    (
        "GET /api/v1/participants/{id}/credit-report",
        &[Who::BidderOwn, Who::Centre, Who::RegulatorOwn, Who::RegulatorOther, Who::Comprehensive, Who::Inspector],
    ),
    (
        "GET /api/v1/participants/{id}/credit-score",
        &[Who::BidderOwn, Who::Centre, Who::RegulatorOwn, Who::RegulatorOther, Who::Comprehensive, Who::Inspector],
    ),
    ("GET /api/v1/persons", &[Who::Centre, Who::RegulatorOwn, Who::RegulatorOther, Who::Comprehensive, Who::Inspector]),
    ("POST /api/v1/persons", &[Who::Centre]),
    (
        "GET /api/v1/persons/{id}",
        &[Who::BidderOwn, Who::Centre, Who::RegulatorOwn, Who::RegulatorOther, Who::Comprehensive, Who::Inspector],
    ),
    (
        "GET /api/v1/persons/{id}/relations",
        &[Who::BidderOwn, Who::Centre, Who::RegulatorOwn, Who::RegulatorOther, Who::Comprehensive, Who::Inspector],
    ),
    (
        "POST /api/v1/persons/{id}/relations",
        &[Who::BidderOwn, Who::Centre, Who::RegulatorOwn, Who::RegulatorOther, Who::Comprehensive, Who::Inspector],
    ),
    (
        "GET /api/v1/projects",
        &[
            Who::TendererOwn,
            Who::TendererOther,
            Who::AgentOther,
            Who::BidderOwn,
            Who::BidderOther,
            Who::Centre,
            Who::RegulatorOwn,
            Who::RegulatorOther,
            Who::Comprehensive,
            Who::Inspector,
        ],
    ),
    ("POST /api/v1/projects", &[Who::AgentOther, Who::Centre]),
    (
        "GET /api/v1/projects/{id}",
        &[
            Who::TendererOwn,
            Who::BidderOwn,
            Who::BidderOther,
            Who::Centre,
            Who::RegulatorOwn,
            Who::Comprehensive,
            Who::Inspector,
        ],
    ),
    ("POST /api/v1/projects/{id}/announcements", &[Who::TendererOwn]),
    // Followed live by those who may read the project and the section's own bidders.
    (
        "GET /api/v1/sections/{id}/opening/events",
        &[Who::TendererOwn, Who::BidderOwn, Who::Centre, Who::RegulatorOwn, Who::Comprehensive, Who::Inspector],
    ),
    (
        "GET /api/v1/projects/{id}/documents",
        &[Who::TendererOwn, Who::Centre, Who::RegulatorOwn, Who::Comprehensive, Who::Inspector],
    ),
    // Evidence is handed in by anyone signed in (a complaint's, a report's); what else a
    // caller hands in is decided by kind and project once the query names them.
    (
        "POST /api/v1/uploads",
        &[
            Who::TendererOwn,
            Who::TendererOther,
            Who::AgentOther,
            Who::BidderOwn,
            Who::BidderOther,
            Who::ExpertNobody,
            Who::Centre,
            Who::RegulatorOwn,
            Who::RegulatorOther,
            Who::Comprehensive,
            Who::Inspector,
            Who::Admin,
        ],
    ),
    (
        "POST /api/v1/documents",
        &[
            Who::TendererOwn,
            Who::TendererOther,
            Who::AgentOther,
            Who::BidderOwn,
            Who::BidderOther,
            Who::ExpertNobody,
            Who::Centre,
            Who::RegulatorOwn,
            Who::RegulatorOther,
            Who::Comprehensive,
            Who::Inspector,
            Who::Admin,
        ],
    ),
    ("GET /api/v1/projects/{id}/archive", &[Who::Centre, Who::RegulatorOwn, Who::Comprehensive, Who::Inspector]),
    (
        "GET /api/v1/projects/{id}/archive-reads",
        &[Who::Centre, Who::RegulatorOwn, Who::RegulatorOther, Who::Comprehensive, Who::Inspector],
    ),
    ("GET /api/v1/projects/{id}/archive.zip", &[Who::Centre, Who::RegulatorOwn, Who::Comprehensive, Who::Inspector]),
    ("POST /api/v1/projects/{id}/commissions", &[Who::TendererOwn]),
    ("POST /api/v1/projects/{id}/complaints", &[Who::BidderOwn, Who::BidderOther]),
    (
        "GET /api/v1/complaints",
        &[Who::BidderOwn, Who::BidderOther, Who::RegulatorOwn, Who::RegulatorOther, Who::Comprehensive],
    ),
    (
        "GET /api/v1/objections",
        &[
            Who::TendererOwn,
            Who::TendererOther,
            Who::AgentOther,
            Who::BidderOwn,
            Who::BidderOther,
            Who::Centre,
            Who::RegulatorOwn,
            Who::RegulatorOther,
            Who::Comprehensive,
            Who::Inspector,
        ],
    ),
    (
        "GET /api/v1/questions",
        &[
            Who::TendererOwn,
            Who::TendererOther,
            Who::AgentOther,
            Who::BidderOwn,
            Who::BidderOther,
            Who::Centre,
            Who::RegulatorOwn,
            Who::RegulatorOther,
            Who::Comprehensive,
            Who::Inspector,
        ],
    ),
    ("POST /api/v1/projects/{id}/direct-award", &[Who::TendererOwn]),
    ("POST /api/v1/projects/{id}/listings", &[Who::TendererOwn]),
    (
        "GET /api/v1/projects/{id}/objections",
        &[
            Who::TendererOwn,
            Who::BidderOwn,
            Who::BidderOther,
            Who::Centre,
            Who::RegulatorOwn,
            Who::Comprehensive,
            Who::Inspector,
        ],
    ),
    ("POST /api/v1/projects/{id}/objections", &[Who::BidderOwn, Who::BidderOther]),
    (
        "GET /api/v1/projects/{id}/officials",
        &[Who::TendererOwn, Who::Centre, Who::RegulatorOwn, Who::Comprehensive, Who::Inspector],
    ),
    (
        "POST /api/v1/projects/{id}/officials",
        &[
            Who::TendererOwn,
            Who::TendererOther,
            Who::AgentOther,
            Who::BidderOwn,
            Who::BidderOther,
            Who::ExpertNobody,
            Who::Centre,
            Who::RegulatorOwn,
            Who::RegulatorOther,
            Who::Comprehensive,
            Who::Inspector,
            Who::Admin,
            Who::SystemBare,
        ],
    ),
    (
        "GET /api/v1/projects/{id}/questions",
        &[
            Who::TendererOwn,
            Who::BidderOwn,
            Who::BidderOther,
            Who::Centre,
            Who::RegulatorOwn,
            Who::Comprehensive,
            Who::Inspector,
        ],
    ),
    ("POST /api/v1/projects/{id}/questions", &[Who::BidderOwn, Who::BidderOther]),
    ("PUT /api/v1/projects/{id}/regulator", &[Who::Comprehensive]),
    ("POST /api/v1/projects/{id}/resumption", &[Who::TendererOwn, Who::RegulatorOwn, Who::Comprehensive]),
    ("POST /api/v1/projects/{id}/suspension", &[Who::TendererOwn, Who::RegulatorOwn, Who::Comprehensive]),
    ("POST /api/v1/projects/{id}/termination", &[Who::TendererOwn]),
    ("GET /api/v1/public/announcements", &EVERYONE),
    ("GET /api/v1/public/search", &EVERYONE),
    ("GET /api/v1/public/announcements/{id}", &EVERYONE),
    ("GET /api/v1/public/credit-records", &EVERYONE),
    ("GET /api/v1/public/direct-awards", &EVERYONE),
    ("GET /api/v1/public/listings", &EVERYONE),
    ("GET /api/v1/public/listings/{id}", &EVERYONE),
    ("GET /api/v1/public/listings/{id}/quotes", &EVERYONE),
    ("GET /api/v1/public/listings/{id}/events", &EVERYONE),
    ("GET /api/v1/public/projects/{id}/answers", &EVERYONE),
    ("GET /api/v1/public/restrictions", &EVERYONE),
    ("GET /api/v1/public/sections/{id}/opening-record", &EVERYONE),
    ("GET /api/v1/public/sections/{id}/result", &EVERYONE),
    ("GET /api/v1/public/service-items", &EVERYONE),
    ("GET /api/v1/public/service-quality", &EVERYONE),
    ("GET /api/v1/public/statistics", &EVERYONE),
    ("GET /api/v1/public/statistics.csv", &EVERYONE),
    ("POST /api/v1/questions/{id}/answer", &[Who::TendererOwn]),
    ("GET /api/v1/reports", &[Who::RegulatorOwn, Who::RegulatorOther, Who::Comprehensive, Who::Inspector]),
    ("POST /api/v1/reports", &EVERYONE),
    ("GET /api/v1/reports/{code}", &EVERYONE),
    (
        "POST /api/v1/reports/{code}/handling",
        &[
            Who::TendererOwn,
            Who::TendererOther,
            Who::AgentOther,
            Who::BidderOwn,
            Who::BidderOther,
            Who::ExpertNobody,
            Who::Centre,
            Who::RegulatorOwn,
            Who::RegulatorOther,
            Who::Comprehensive,
            Who::Inspector,
            Who::Admin,
            Who::SystemBare,
        ],
    ),
    ("GET /api/v1/risk/alerts", &[Who::RegulatorOwn, Who::RegulatorOther, Who::Comprehensive, Who::Inspector]),
    (
        "POST /api/v1/risk/alerts/{id}/handling",
        &[
            Who::TendererOwn,
            Who::TendererOther,
            Who::AgentOther,
            Who::BidderOwn,
            Who::BidderOther,
            Who::ExpertNobody,
            Who::Centre,
            Who::RegulatorOwn,
            Who::RegulatorOther,
            Who::Comprehensive,
            Who::Inspector,
            Who::Admin,
            Who::SystemBare,
        ],
    ),
    ("POST /api/v1/risk/scans", &[Who::Comprehensive, Who::Admin]),
    ("GET /api/v1/rule-sets", &EVERYONE),
    ("GET /api/v1/public/openings", &EVERYONE),
    ("GET /api/v1/bookings", &EVERYONE),
    (
        "GET /api/v1/expert-draws",
        &[
            Who::TendererOwn,
            Who::TendererOther,
            Who::AgentOther,
            Who::Centre,
            Who::RegulatorOwn,
            Who::RegulatorOther,
            Who::Comprehensive,
            Who::Inspector,
        ],
    ),
    (
        "GET /api/v1/credit/conduct-reports",
        &[Who::Centre, Who::RegulatorOwn, Who::RegulatorOther, Who::Comprehensive, Who::Inspector],
    ),
    ("POST /api/v1/rule-sets", &[Who::Comprehensive]),
    ("GET /api/v1/rule-sets/{id}", &EVERYONE),
    ("GET /api/v1/rules", &EVERYONE),
    ("POST /api/v1/rules/deadline", &EVERYONE),
    ("POST /api/v1/rules/entry-decision", &EVERYONE),
    ("POST /api/v1/sections/{id}/award", &[Who::TendererOwn]),
    ("POST /api/v1/sections/{id}/bids", &[Who::BidderOwn, Who::BidderOther]),
    (
        "GET /api/v1/sections/{id}/bond-closure",
        &[Who::Centre, Who::RegulatorOwn, Who::RegulatorOther, Who::Comprehensive, Who::Inspector],
    ),
    ("POST /api/v1/sections/{id}/bond-events", &[Who::TendererOwn]),
    ("POST /api/v1/sections/{id}/bonds", &[Who::BidderOwn, Who::BidderOther]),
    ("POST /api/v1/sections/{id}/contract", &[Who::TendererOwn]),
    ("POST /api/v1/sections/{id}/evaluation-report", &[Who::Centre]),
    ("POST /api/v1/sections/{id}/expert-draws", &[Who::Centre]),
    ("POST /api/v1/sections/{id}/opening", &[Who::TendererOwn]),
    ("POST /api/v1/sections/{id}/rejections", &[Who::Centre]),
    ("POST /api/v1/sections/{id}/scores", &[Who::ExpertNobody]),
    ("GET /api/v1/service-accounts", &[Who::Admin]),
    ("POST /api/v1/service-accounts", &[Who::Admin]),
    ("PUT /api/v1/service-items/{id}", &[Who::Centre]),
    (
        "POST /api/v1/service-ratings",
        &[Who::TendererOwn, Who::TendererOther, Who::AgentOther, Who::BidderOwn, Who::BidderOther],
    ),
    ("GET /api/v1/venues", &EVERYONE),
    ("POST /api/v1/venues", &[Who::Centre]),
    ("GET /api/v1/venues/{id}/bookings", &EVERYONE),
    ("POST /api/v1/venues/{id}/bookings", &[Who::Centre]),
    (
        "GET /api/v1/violations",
        &[Who::Centre, Who::RegulatorOwn, Who::RegulatorOther, Who::Comprehensive, Who::Inspector],
    ),
    (
        "POST /api/v1/violations",
        &[Who::Centre, Who::RegulatorOwn, Who::RegulatorOther, Who::Comprehensive, Who::Inspector],
    ),
    (
        "GET /api/v1/webhooks",
        &[
            Who::TendererOwn,
            Who::TendererOther,
            Who::AgentOther,
            Who::BidderOwn,
            Who::BidderOther,
            Who::ExpertNobody,
            Who::Centre,
            Who::RegulatorOwn,
            Who::RegulatorOther,
            Who::Comprehensive,
            Who::Inspector,
            Who::Admin,
            Who::SystemBare,
        ],
    ),
    ("POST /api/v1/webhooks", &[Who::Admin, Who::SystemBare]),
    ("GET /healthz", &EVERYONE),
    ("GET /metrics", &EVERYONE),
    ("GET /readyz", &EVERYONE),
];

/// Operations on an object of a kind the fixture does not hold (complaints, violations,
/// alerts, draws, listings, bookings, officials, commissions; a bond, which before the
/// opening only its bidder and the bond desk see): every caller is told it does not exist,
/// or is refused, without learning anything more.
const NO_SUCH_OBJECT: &[&str] = &[
    "POST /api/v1/announcements/{id}/corrections",
    "GET /api/v1/announcements/{id}/documents/{sha256}",
    "GET /api/v1/announcements/{id}/downloads",
    "GET /api/v1/sections/{id}/bids",
    "GET /api/v1/sections/{id}/bonds",
    "GET /api/v1/documents/{id}",
    "GET /api/v1/documents/{id}/content",
    "GET /api/v1/uploads/{id}",
    "PATCH /api/v1/uploads/{id}",
    "GET /api/v1/bonds/{id}",
    "POST /api/v1/bonds/{id}/forfeiture",
    "POST /api/v1/bonds/{id}/refund-confirmations",
    "POST /api/v1/bonds/{id}/refund-instructions",
    "POST /api/v1/bookings/{id}/cancellation",
    "GET /api/v1/complaints/{id}",
    "POST /api/v1/complaints/{id}/acceptance",
    "POST /api/v1/complaints/{id}/decision",
    "POST /api/v1/complaints/{id}/pauses",
    "POST /api/v1/complaints/{id}/resumption",
    "POST /api/v1/credit/records/{id}/repair-applications",
    "GET /api/v1/expert-draws/{id}",
    "GET /api/v1/expert-draws/{id}/replay",
    "POST /api/v1/listings/{id}/close",
    "POST /api/v1/listings/{id}/confirmation",
    "PUT /api/v1/projects/{id}/commissions/{commission_id}/agents",
    "POST /api/v1/projects/{id}/officials/{official_id}/withdrawal",
    "GET /api/v1/risk/alerts/{id}",
    "GET /api/v1/violations/{id}",
    "POST /api/v1/violations/{id}/decision",
    "POST /api/v1/violations/{id}/investigation",
    "POST /api/v1/violations/{id}/steps",
    "POST /api/v1/webhooks/{id}/secret-rotation",
];

/// A body that passes the operation's own validation, so that what a stranger is told does
/// not stop at a missing field: were the state looked at before the caller, it would show.
fn sample_body(operation: &str) -> Option<&'static str> {
    Some(match operation {
        "POST /api/v1/objections/{id}/answer" | "POST /api/v1/questions/{id}/answer" => r#"{"answer": "答复"}"#,
        "POST /api/v1/complaints/{id}/acceptance" => r#"{"accept": true, "reason": "受理"}"#,
        "POST /api/v1/complaints/{id}/decision" | "POST /api/v1/violations/{id}/decision" => {
            r#"{"outcome": "dismissed", "decision": "决定书"}"#
        }
        "POST /api/v1/bonds/{id}/forfeiture" => r#"{"reason": "refused_to_sign", "decision": "决定"}"#,
        "POST /api/v1/bonds/{id}/refund-confirmations" => r#"{"paid": true, "bank_reference": "B1"}"#,
        "POST /api/v1/credit/records/{id}/repair-applications" => {
            r#"{"commitment_id": "00000000-0000-4000-8000-000000000000", "obligations_proof_sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}"#
        }
        "POST /api/v1/persons/{id}/relations" => {
            r#"{"participant_id": "00000000-0000-4000-8000-000000000000", "relation": "亲属"}"#
        }
        "POST /api/v1/projects/{id}/officials" => {
            r#"{"person_id": "00000000-0000-4000-8000-000000000000", "role": "project_lead"}"#
        }
        "POST /api/v1/projects/{id}/officials/{official_id}/withdrawal"
        | "POST /api/v1/projects/{id}/resumption"
        | "POST /api/v1/projects/{id}/suspension"
        | "POST /api/v1/projects/{id}/termination" => r#"{"reason": "测试"}"#,
        "POST /api/v1/reports/{code}/handling" | "POST /api/v1/risk/alerts/{id}/handling" => {
            r#"{"status": "handled", "note": "处理"}"#
        }
        "POST /api/v1/sections/{id}/award" => r#"{"winner_id": "00000000-0000-4000-8000-000000000000"}"#,
        "POST /api/v1/sections/{id}/bond-events" => r#"{"event": "termination"}"#,
        "POST /api/v1/sections/{id}/contract" => {
            r#"{"amount": "100.00", "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}"#
        }
        "POST /api/v1/sections/{id}/opening" => r#"{"witness_id": "00000000-0000-4000-8000-000000000000"}"#,
        "POST /api/v1/violations/{id}/investigation" | "POST /api/v1/violations/{id}/steps" => r#"{"note": "记录"}"#,
        "PUT /api/v1/projects/{id}/commissions/{commission_id}/agents" => r#"{"agent_ids": []}"#,
        "POST /api/v1/projects/{id}/commissions" => {
            r#"{"agency_id": "00000000-0000-4000-8000-000000000000", "agent_ids": []}"#
        }
        "POST /api/v1/projects/{id}/direct-award" => {
            r#"{"contractor_id": "00000000-0000-4000-8000-000000000000", "amount": "100.00"}"#
        }
        "PUT /api/v1/bids/{id}" => r#"{"envelope": {envelope}}"#,
        "POST /api/v1/bids/{id}/reveal" => r#"{"nonce": "n"}"#,
        "POST /api/v1/bids/{id}/decryption" => r#"{"content_key": "AAAAAAAAAAAAAAAAAAAAAA=="}"#,
        "POST /api/v1/bids/{id}/decryption-failure" => r#"{"reason": "解密服务中断"}"#,
        "POST /api/v1/projects/{id}/complaints" => r#"{"content": "投诉", "knew_at": "2026-11-02T01:00:00Z"}"#,
        "POST /api/v1/projects/{id}/objections" => r#"{"stage": "tender_documents", "content": "异议"}"#,
        "POST /api/v1/projects/{id}/questions" => r#"{"question": "问题"}"#,
        "POST /api/v1/sections/{id}/bonds" => {
            r#"{"form": "transfer", "amount": "20000.00", "payer_account": {"bank": "中国银行", "number": "6222", "is_basic_account": true}}"#
        }
        _ => return None,
    })
}

/// A caller that may not act on an operation is refused before the operation looks at the
/// state of anything (or at the body): 401 without a token, 403 or 404 with one — never a
/// 409 or 422 that would tell it what state an object it may not see is in. Each operation
/// of the OpenAPI document needs an entry in `MAY_ACT`, so a new route without one fails.
fn every_operation_refuses_strangers_before_looking_at_state(backend: Backend) {
    let Some(t) = tender(backend) else { return };
    let server = &t.server;
    let (bidder, token, manager) = ready_bidder(server, &t.section, "914403001922038216", "11010519800101001");
    let (other_bidder, _, _) = ready_bidder(server, &t.section, "91110108551385082Q", "11010519800101002");
    let other_tenderer = register(server, "9144030071526726XG", &["tenderer"])["id"].as_str().unwrap().to_owned();
    let bid = place_bid(server, &t.section, &token, &bid_body("990000.00", &manager, None));
    assert_eq!(bid.status, 201, "{}", bid.text);
    // A second envelope of the bidder, valid for the bid's section, for the body of a change.
    let envelope = serde_json::to_string(&seal(server, &t.section, &token, &bid_body("985000.00", &manager, None)))
        .expect("an envelope as JSON");
    let project = t.project["id"].as_str().unwrap().to_owned();
    let question = crate::post(
        server,
        &format!("/api/v1/projects/{project}/questions"),
        Some(&token),
        &json!({"question": "工期能否调整？"}),
    );
    assert_eq!(question.status, 201, "{}", question.text);
    let objection = crate::post(
        server,
        &format!("/api/v1/projects/{project}/objections"),
        Some(&token),
        &json!({"stage": "tender_documents", "content": "资格条件排斥潜在投标人"}),
    );
    assert_eq!(objection.status, 201, "{}", objection.text);
    let orgs = Orgs { tenderer: t.tenderer.clone(), other_tenderer, bidder: bidder.clone(), other_bidder };
    let expert = crate::lifecycle::expert(server, "专家甲", None);
    let ids = |template: &str| -> String {
        let mut path = template.to_owned();
        let fill = |segment: &str| -> String {
            match segment {
                "projects" => project.clone(),
                "sections" => t.section.clone(),
                "bids" => bid.body["id"].as_str().unwrap().to_owned(),
                "participants" => bidder.clone(),
                "persons" => manager.clone(),
                "objections" => objection.body["id"].as_str().unwrap().to_owned(),
                "questions" => question.body["id"].as_str().unwrap().to_owned(),
                "experts" => expert.clone(),
                "departments" => "centre".to_owned(),
                "calendar" => "2026".to_owned(),
                "rule-sets" => "1".to_owned(),
                _ => "00000000-0000-4000-8000-000000000000".to_owned(),
            }
        };
        while let Some(open) = path.find('{') {
            let close = path[open..].find('}').unwrap() + open;
            let segment = path[..open].trim_end_matches('/').rsplit('/').next().unwrap_or("").to_owned();
            let value = if path[open..=close].contains("commission_id") || path[open..=close].contains("official_id") {
                "00000000-0000-4000-8000-000000000000".to_owned()
            } else {
                fill(&segment)
            };
            path.replace_range(open..=close, &value);
        }
        if template.contains("/archive") {
            path.push_str("?purpose=%E6%A0%B8%E6%9F%A5");
        }
        path
    };
    // GGZY_MATRIX_DISCOVER=1 prints what every caller is answered, to write the entry of a
    // new operation from.
    let discover = std::env::var_os("GGZY_MATRIX_DISCOVER").is_some();
    let mut problems: Vec<String> = Vec::new();
    let documented: Vec<String> = operations().iter().map(|(m, p, _, _)| format!("{m} {p}")).collect();
    for (entry, _) in MAY_ACT {
        if !documented.iter().any(|d| d == entry) {
            problems.push(format!("{entry}: in MAY_ACT but not in the OpenAPI document"));
        }
    }
    for (method, template, secured, body) in operations() {
        let key = format!("{method} {template}");
        let may_act: &[Who] = match (MAY_ACT.iter().find(|(k, _)| *k == key), NO_SUCH_OBJECT.contains(&key.as_str())) {
            (Some((_, who)), false) => who,
            (None, true) => &[],
            (Some(_), true) => {
                problems.push(format!("{key}: in both MAY_ACT and NO_SUCH_OBJECT"));
                continue;
            }
            (None, false) => {
                problems.push(format!("{key}: no entry in MAY_ACT (a new operation?)"));
                if !discover {
                    continue;
                }
                &[]
            }
        };
        if !secured && may_act != EVERYONE.as_slice() {
            problems.push(format!("{key}: declares no security, yet MAY_ACT limits it"));
        }
        let path = ids(&template);
        let statuses = documented_statuses(&method, &template);
        let mut line = Vec::new();
        for who in EVERYONE {
            // Only strangers are sent, so the fixture stays as it is for the next operation.
            if may_act.contains(&who) && !discover {
                continue;
            }
            let url = server.url(&path);
            let mut request = match method.as_str() {
                "GET" => server.client().get(url),
                "POST" => server.client().post(url),
                "PUT" => server.client().put(url),
                "PATCH" => server.client().patch(url),
                _ => server.client().delete(url),
            };
            request = match body.as_deref() {
                Some("application/json") if sample_body(&key).is_some() => request
                    .header("content-type", "application/json")
                    .body(sample_body(&key).unwrap_or_default().replace("{envelope}", &envelope)),
                Some("text/csv") => request.header("content-type", "text/csv").body("x\n"),
                Some("application/x-www-form-urlencoded") => {
                    request.header("content-type", "application/x-www-form-urlencoded").body("")
                }
                Some(_) => request.header("content-type", "application/json").body("{}"),
                None => request,
            };
            if let Some(token) = token_of(server, who, &orgs) {
                request = request.bearer_auth(token);
            }
            let response = request.send().expect("request");
            let status = response.status().as_u16();
            line.push(status);
            if !statuses.contains(&status.to_string()) {
                problems.push(format!("{key} as {who:?}: {status}, which the operation does not document"));
            }
            if may_act.contains(&who) {
                continue;
            }
            let refused = match who {
                Who::Public => status == 401,
                _ => status == 403 || status == 404,
            };
            if !refused {
                let text = response.text().unwrap_or_default();
                problems.push(format!("{key} as {who:?}: {status} {text:.200}"));
            }
        }
        if discover {
            let _ = writeln!(std::io::stdout(), "{key}: {line:?}");
        }
    }
    // The ones who may act on the sealing of the bid are let through to the operation
    // itself, once the strangers are done (the change replaces the bid): what they are told
    // then is about the state (no commitment to reveal before the deadline, no window to
    // decrypt in yet, no window before the opening time), never a refusal of the caller.
    if !discover {
        for (key, who) in [
            ("POST /api/v1/bids/{id}/reveal", Who::BidderOwn),
            ("POST /api/v1/bids/{id}/decryption", Who::BidderOwn),
            ("POST /api/v1/sections/{id}/decryption-window", Who::TendererOwn),
            ("PUT /api/v1/bids/{id}", Who::BidderOwn),
        ] {
            let may_act = MAY_ACT.iter().find(|(k, _)| *k == key).map(|(_, who)| *who).unwrap_or_default();
            if !may_act.contains(&who) {
                problems.push(format!("{key}: {who:?} may not act in MAY_ACT"));
            }
            let (method, template) = key.split_once(' ').expect("method and path");
            let url = server.url(&ids(template));
            let request = if method == "PUT" { server.client().put(url) } else { server.client().post(url) };
            let body = sample_body(key).unwrap_or("{}").replace("{envelope}", &envelope);
            let token = token_of(server, who, &orgs).expect("a token");
            let reply = send(request.bearer_auth(token).header("content-type", "application/json").body(body));
            if [401, 403, 404].contains(&reply.status) {
                problems.push(format!("{key} as {who:?}, who may act: refused, {} {:.200}", reply.status, reply.text));
            }
            if !documented_statuses(method, template).contains(&reply.status.to_string()) {
                problems.push(format!("{key} as {who:?}: {}, which the operation does not document", reply.status));
            }
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

both_backends!(every_cell_of_the_matrix_holds, every_operation_refuses_strangers_before_looking_at_state);
