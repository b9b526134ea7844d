//! Public disclosure: every route the OpenAPI document marks public answers without a
//! token, and none shows what the public may not see — sealed prices before the opening,
//! identity numbers, a reporter's name or contact, who asked a question.

use ggzy_blackbox::{both_backends, Backend, Server};
use serde_json::{json, Value};

use crate::bids::{bid_body, ready_bidder, tender};
use crate::envelopes::{open_bids, place_bid};
use crate::{get, post, resident_id};

const SEALED_PRICE: &str = "876543.21";

/// Every public GET route of the served OpenAPI document, with its path filled in.
fn public_paths(server: &Server, ids: &[(&str, String)]) -> Vec<String> {
    let document = get(server, "/api-docs/openapi.json", None).body;
    let mut paths = Vec::new();
    for (template, operations) in document["paths"].as_object().unwrap() {
        let Some(operation) = operations.get("get") else { continue };
        // An operation that needs no token declares no security.
        let public = operation.get("security").is_none();
        if !public {
            continue;
        }
        let filled = ids.iter().find(|(prefix, _)| template.starts_with(prefix)).map(|(_, id)| {
            let start = template.find('{').unwrap_or(template.len());
            let end = template.find('}').map_or(template.len(), |e| e + 1);
            format!("{}{}{}", &template[..start], id, &template[end..])
        });
        match (template.contains('{'), filled) {
            (false, _) => paths.push(template.clone()),
            (true, Some(path)) => paths.push(path),
            (true, None) => panic!("public route {template} has no id in this test: add one"),
        }
    }
    paths
}

fn public_routes_show_nothing_private(backend: Backend) {
    let Some(t) = tender(backend) else { return };
    let server = &t.server;
    let project = t.project["id"].as_str().unwrap().to_owned();
    let (bidder, token, manager) = ready_bidder(server, &t.section, "914403001922038216", "11010519800101001");
    let identity_number = resident_id("11010519800101001");
    // The bidder seals its bid itself, as every new section requires.
    let bid = place_bid(server, &t.section, &token, &bid_body(SEALED_PRICE, &manager, None));
    assert_eq!(bid.status, 201, "{}", bid.text);
    let asked = post(
        server,
        &format!("/api/v1/projects/{project}/questions"),
        Some(&token),
        &json!({"question": "工期能否调整？"}),
    );
    assert_eq!(asked.status, 201, "{}", asked.text);
    // The tenderer is told a question waits, not who asked it (招标投标法 §22).
    let tenderer_token = server.token("tenderer", Some(&t.tenderer));
    let waiting = crate::notices(server, &tenderer_token, "question.asked");
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    assert_eq!(waiting[0]["payload"]["link"], format!("/api/v1/projects/{project}/questions"));
    assert!(!waiting[0].to_string().contains(&bidder), "{waiting:?}");
    // The tenderer's queue across its projects holds it, without the asker.
    let queue = get(server, "/api/v1/questions?answered=false", Some(&tenderer_token));
    assert_eq!(queue.body["items"].as_array().map(Vec::len), Some(1), "{}", queue.text);
    assert_eq!(queue.body["items"][0]["id"], asked.body["id"]);
    assert!(!queue.text.contains(&bidder), "{}", queue.text);
    let answered = post(
        server,
        &format!("/api/v1/questions/{}/answer", asked.body["id"].as_str().unwrap()),
        Some(&server.token("tenderer", Some(&t.tenderer))),
        &json!({"answer": "工期不变"}),
    );
    assert_eq!(answered.status, 200, "{}", answered.text);
    assert_eq!(crate::notices(server, &token, "question.answered").len(), 1);
    let items = |query: &str, token: &str| -> usize {
        let page = get(server, &format!("/api/v1/questions?{query}"), Some(token));
        assert_eq!(page.status, 200, "{query}: {}", page.text);
        page.body["items"].as_array().map_or(0, Vec::len)
    };
    assert_eq!(items("answered=false", &tenderer_token), 0, "answered: off the queue");
    assert_eq!(items(&format!("answered=true&project_id={project}"), &tenderer_token), 1);
    assert_eq!(items("", &token), 1, "the bidder's own");
    let stranger = crate::register(server, "91350100M000100Y43", &["bidder"])["id"].as_str().unwrap().to_owned();
    assert_eq!(items("", &server.token("bidder", Some(&stranger))), 0, "another bidder's are not shown");
    let bad = get(server, "/api/v1/questions?answered=maybe&project_id=x&limit=500", Some(&tenderer_token));
    bad.problem(422, "validation-failed");
    assert_eq!(bad.error_fields(), ["answered", "project_id", "limit"], "{}", bad.text);
    let report = post(
        server,
        "/api/v1/reports",
        None,
        &json!({"project_id": project, "content": "疑似串标", "reporter": "举报人李四", "contact": "13900001111"}),
    );
    let code = report.body["tracking_code"].as_str().unwrap().to_owned();
    let announcement =
        get(server, "/api/v1/public/announcements", None).body["items"][0]["id"].as_str().unwrap().to_owned();
    let venue =
        get(server, "/api/v1/venues", None).body[0]["id"].as_str().map(str::to_owned).unwrap_or_else(|| "none".into());
    let ocid = format!("ocds-ggzy00-{}", t.project["code"].as_str().unwrap());
    let ids = [
        ("/api/v1/ocds/", ocid),
        ("/api/v1/public/announcements/", announcement),
        ("/api/v1/public/projects/", project.clone()),
        ("/api/v1/public/sections/", t.section.clone()),
        ("/api/v1/participants/", bidder.clone()),
        ("/api/v1/reports/", code),
        ("/api/v1/rule-sets/", "1".to_owned()),
        ("/api/v1/calendar/", "2026".to_owned()),
        ("/api/v1/venues/", venue),
        // No listing in a construction tender: the listing routes answer 404 here and are
        // walked with a real listing in the listings tests.
        ("/api/v1/public/listings/", "00000000-0000-7000-8000-000000000000".to_owned()),
    ];
    let never = [identity_number.as_str(), "举报人李四", "13900001111"];
    let check = |server: &Server, sealed: bool| {
        let paths = public_paths(server, &ids);
        assert!(paths.len() >= 25, "{paths:?}");
        for path in &paths {
            let reply = get(server, path, None);
            assert!(reply.status < 500, "{path}: {}", reply.text);
            assert_ne!(reply.status, 401, "{path} asks for a token");
            for secret in never {
                assert!(!reply.text.contains(secret), "{path} shows {secret}: {}", reply.text);
            }
            if sealed {
                assert!(!reply.text.contains(SEALED_PRICE), "{path} shows the sealed price");
            }
            if path.ends_with("/answers") {
                assert!(reply.text.contains("工期不变") && !reply.text.contains(&bidder), "{path}: {}", reply.text);
            }
        }
    };
    check(server, true);
    // After the opening (the bid decrypted in the window) the price is public; the rest
    // stays private.
    let server = t.server.restart(&[("GGZY_CLOCK", "manual:2026-11-23T10:00:00+08:00")]);
    let opened = open_bids(&server, &t.section, &server.token("tenderer", Some(&t.tenderer)), &t.witness);
    assert_eq!(opened.status, 200, "{}", opened.text);
    check(&server, false);
    let record: Value = get(&server, &format!("/api/v1/public/sections/{}/opening-record", t.section), None).body;
    assert_eq!(record["outcome"], "failed", "one bid is too few to open (construction.min_bidders)");
}

both_backends!(public_routes_show_nothing_private);
