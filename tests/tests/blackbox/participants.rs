//! The participant registry over HTTP.

use ggzy_blackbox::{both_backends, Backend};
use serde_json::json;

use crate::{get, patch, post, register, send, start, VALID_CODES};

const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

fn every_valid_code_is_accepted(backend: Backend) {
    let Some(server) = start(backend) else { return };
    for code in VALID_CODES {
        let created = register(&server, code, &["bidder"]);
        assert_eq!(created["credit_code"], code);
        assert_eq!(created["version"], 1);
    }
}

fn every_single_character_change_is_refused(backend: Backend) {
    let Some(server) = start(backend) else { return };
    let token = server.token("centre_staff", Some("centre"));
    let original: Vec<char> = "91110000600037341L".chars().collect();
    let replacements: Vec<char> = ALPHABET.chars().chain("IOSVZaloz -".chars()).collect();
    let mut tried = 0;
    for position in 0..original.len() {
        for &replacement in &replacements {
            if replacement == original[position] {
                continue;
            }
            let mut changed = original.clone();
            changed[position] = replacement;
            let code: String = changed.into_iter().collect();
            let reply = post(
                &server,
                "/api/v1/participants",
                Some(&token),
                &json!({"credit_code": code, "name": "甲", "kinds": ["bidder"], "legal_representative": "张三"}),
            );
            reply.problem(422, "validation-failed");
            assert_eq!(reply.error_fields(), vec!["credit_code"], "{code}: {}", reply.text);
            tried += 1;
        }
    }
    assert_eq!(tried, 18 * (replacements.len() - 1));
    // Nothing was registered by all that.
    assert_eq!(get(&server, "/api/v1/participants", Some(&token)).body["items"], json!([]));
}

fn registering_twice_points_at_the_record(backend: Backend) {
    let Some(server) = start(backend) else { return };
    let first = register(&server, "91110108551385082Q", &["tenderer"]);
    let token = server.token("centre_staff", Some("centre"));
    let again = post(
        &server,
        "/api/v1/participants",
        Some(&token),
        &json!({"credit_code": "91110108551385082Q", "name": "另一个名字", "kinds": ["bidder"], "legal_representative": "王五"}),
    );
    let problem = again.problem(409, "already-exists");
    assert_eq!(problem["existing"]["id"], first["id"]);
    assert_eq!(problem["rule"]["id"], "participant.register_once");
    let href = format!("/api/v1/participants/{}", first["id"].as_str().unwrap());
    assert_eq!(problem["existing"]["href"], href.as_str());
    assert_eq!(again.headers["location"], href.as_str());
    // The existing record is unchanged.
    assert_eq!(get(&server, &href, Some(&token)).body["name"], first["name"]);
}

fn concurrent_registrations_of_one_code_make_one_record(backend: Backend) {
    let Some(server) = start(backend) else { return };
    let token = server.token("centre_staff", Some("centre"));
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let server = &server;
                let token = &token;
                scope.spawn(move || {
                    post(
                        server,
                        "/api/v1/participants",
                        Some(token),
                        &json!({"credit_code": "9144030071526726XG", "name": format!("并发{i}"), "kinds": ["bidder"], "legal_representative": "张三"}),
                    )
                    .status
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 7, "{statuses:?}");
    assert_eq!(get(&server, "/api/v1/participants", Some(&token)).body["items"].as_array().unwrap().len(), 1);
}

fn every_problem_is_named_at_once(backend: Backend) {
    let Some(server) = start(backend) else { return };
    let token = server.token("centre_staff", Some("centre"));
    let reply = post(
        &server,
        "/api/v1/participants",
        Some(&token),
        &json!({"credit_code": "91110000600037341X", "name": "   ", "kinds": ["tenderer", "landlord"], "legal_representative_person_id": "nope"}),
    );
    reply.problem(422, "validation-failed");
    assert_eq!(
        reply.error_fields(),
        vec!["credit_code", "name", "kinds[1]", "legal_representative", "legal_representative_person_id"]
    );
    let empty = post(&server, "/api/v1/participants", Some(&token), &json!({}));
    empty.problem(422, "validation-failed");
    assert_eq!(empty.error_fields(), vec!["credit_code", "name", "kinds", "legal_representative"]);
    for error in empty.body["errors"].as_array().unwrap() {
        assert_eq!(error["code"], "required");
        assert!(!error["message"].as_str().unwrap().is_empty());
    }
}

fn malformed_bodies_are_4xx_not_500(backend: Backend) {
    let Some(server) = start(backend) else { return };
    let token = server.token("centre_staff", Some("centre"));
    let url = server.url("/api/v1/participants");
    let not_json =
        send(server.client().post(&url).bearer_auth(&token).header("content-type", "application/json").body("{"));
    not_json.problem(400, "malformed-request");
    let wrong_type =
        send(server.client().post(&url).bearer_auth(&token).header("content-type", "text/plain").body("{}"));
    wrong_type.problem(415, "unsupported-media-type");
    let number_name = post(&server, "/api/v1/participants", Some(&token), &json!({"name": 5}));
    number_name.problem(400, "malformed-request");
    let typo = post(&server, "/api/v1/participants", Some(&token), &json!({"nmae": "x"}));
    assert_eq!(typo.problem(400, "malformed-request")["errors"][0]["field"], "nmae");
    let huge = "x".repeat(2 * 1024 * 1024);
    let too_large = post(&server, "/api/v1/participants", Some(&token), &json!({"name": huge}));
    too_large.problem(413, "payload-too-large");
    let bad_limit = get(&server, "/api/v1/participants?limit=0", Some(&token));
    assert_eq!(bad_limit.problem(422, "validation-failed")["errors"][0]["field"], "limit");
    get(&server, "/api/v1/participants?limit=abc", Some(&token)).problem(400, "malformed-request");
    get(&server, "/api/v1/participants?after=nonsense", Some(&token)).problem(422, "validation-failed");
    get(&server, "/api/v1/participants/not-an-id", Some(&token)).problem(404, "not-found");
}

fn keyset_paging_walks_every_participant_once(backend: Backend) {
    let Some(server) = start(backend) else { return };
    let token = server.token("centre_staff", Some("centre"));
    let mut registered: Vec<String> = VALID_CODES
        .iter()
        .map(|code| register(&server, code, &["bidder"])["id"].as_str().unwrap().to_owned())
        .collect();
    registered.sort();
    let mut seen = Vec::new();
    let mut path = "/api/v1/participants?limit=2".to_owned();
    loop {
        let page = get(&server, &path, Some(&token));
        assert_eq!(page.status, 200, "{}", page.text);
        let items = page.body["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        seen.extend(items.iter().map(|p| p["id"].as_str().unwrap().to_owned()));
        match page.body["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/participants?limit=2&after={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, registered);
}

fn updates_are_versioned_and_limited_to_the_owner(backend: Backend) {
    let Some(server) = start(backend) else { return };
    let first = register(&server, "91110000600037341L", &["bidder"]);
    let second = register(&server, "914403001922038216", &["bidder"]);
    let id = first["id"].as_str().unwrap();
    let path = format!("/api/v1/participants/{id}");

    let own = server.token("bidder", Some(id));
    let updated = patch(&server, &path, Some(&own), &json!({"name": "新名称", "kinds": ["bidder", "tenderer"]}));
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert_eq!(updated.body["name"], "新名称");
    assert_eq!(updated.body["kinds"], json!(["tenderer", "bidder"]));
    assert_eq!(updated.body["version"], 2);
    assert_eq!(updated.body["credit_code"], "91110000600037341L");

    let other = server.token("bidder", Some(second["id"].as_str().unwrap()));
    patch(&server, &path, Some(&other), &json!({"name": "抢注"})).problem(403, "forbidden");
    let code_change = patch(&server, &path, Some(&own), &json!({"credit_code": "914403001922038216", "name": ""}));
    code_change.problem(422, "validation-failed");
    assert_eq!(code_change.error_fields(), vec!["credit_code", "name"]);
    let centre = server.token("centre_staff", Some("centre"));
    let after = get(&server, &path, Some(&centre));
    assert_eq!(after.body["name"], "新名称");
    assert_eq!(after.body["version"], 2);
    patch(&server, "/api/v1/participants/00000000-0000-7000-8000-000000000000", Some(&centre), &json!({"name": "x"}))
        .problem(404, "not-found");
}

both_backends!(
    every_valid_code_is_accepted,
    every_single_character_change_is_refused,
    registering_twice_points_at_the_record,
    concurrent_registrations_of_one_code_make_one_record,
    every_problem_is_named_at_once,
    malformed_bodies_are_4xx_not_500,
    keyset_paging_walks_every_participant_once,
    updates_are_versioned_and_limited_to_the_owner,
);
