//! Questions and answers, venues, suspension and termination with notifications.

use ggzy_blackbox::{both_backends, Backend};
use serde_json::json;

use crate::bids::{bid_body, ready_bidder, tender};
use crate::envelopes::place_bid;
use crate::{get, post, send};

fn questions_are_clarifications_without_names(backend: Backend) {
    let Some(t) = tender(backend) else { return };
    let server = &t.server;
    let project = t.project["id"].as_str().unwrap().to_owned();
    let (bidder, bidder_token, _) = ready_bidder(server, &t.section, "914403001922038216", "11010519800101001");
    let asked = post(
        server,
        &format!("/api/v1/projects/{project}/questions"),
        Some(&bidder_token),
        &json!({"question": "工程量清单第3项单位是否有误？"}),
    );
    assert_eq!(asked.status, 201, "{}", asked.text);
    let tenderer = server.token("tenderer", Some(&t.tenderer));
    let listed = get(server, &format!("/api/v1/projects/{project}/questions"), Some(&tenderer));
    assert_eq!(listed.body.as_array().unwrap().len(), 1);
    assert!(!listed.text.contains(&bidder), "the tenderer never learns who asked");
    let answered = post(
        server,
        &format!("/api/v1/questions/{}/answer", asked.body["id"].as_str().unwrap()),
        Some(&tenderer),
        &json!({"answer": "单位应为立方米，已更正。"}),
    );
    assert_eq!(answered.status, 200, "{}", answered.text);
    let public = get(server, &format!("/api/v1/public/projects/{project}/answers"), None);
    assert_eq!(public.body[0]["answer"], "单位应为立方米，已更正。");
    assert!(!public.text.contains(&bidder));

    // 15 days before the 11-23 deadline is 11-08: from 11-09 on, questions and answers are late.
    let server = t.server.restart(&[("GGZY_CLOCK", "manual:2026-11-09T09:00:00+08:00")]);
    let bidder_token = server.token("bidder", Some(&bidder));
    let late = post(
        &server,
        &format!("/api/v1/projects/{project}/questions"),
        Some(&bidder_token),
        &json!({"question": "还能问吗？"}),
    );
    assert_eq!(late.problem(422, "rule-violation")["rule"]["id"], "construction.clarification");
}

fn rooms_are_booked_without_overlap(backend: Backend) {
    let Some(t) = tender(backend) else { return };
    let server = &t.server;
    let centre = server.token("centre_staff", Some("centre"));
    let opening = post(server, "/api/v1/venues", Some(&centre), &json!({"name": "开标一室", "kind": "opening_room"}));
    let evaluation =
        post(server, "/api/v1/venues", Some(&centre), &json!({"name": "评标一室", "kind": "evaluation_room"}));
    assert_eq!(opening.status, 201, "{}", opening.text);
    let book = |venue: &serde_json::Value, purpose: &str, from: &str, to: &str| {
        post(
            server,
            &format!("/api/v1/venues/{}/bookings", venue["id"].as_str().unwrap()),
            Some(&centre),
            &json!({"project_id": t.project["id"], "purpose": purpose, "starts_at": from, "ends_at": to}),
        )
    };
    let first = book(&opening.body, "opening", "2026-11-23T01:00:00Z", "2026-11-23T03:00:00Z");
    assert_eq!(first.status, 201, "{}", first.text);
    book(&opening.body, "opening", "2026-11-23T02:59:00Z", "2026-11-23T04:00:00Z").problem(409, "conflict");
    assert_eq!(
        book(&opening.body, "opening", "2026-11-23T03:00:00Z", "2026-11-23T04:00:00Z").status,
        201,
        "back to back is fine"
    );
    let wrong = book(&evaluation.body, "opening", "2026-11-23T01:00:00Z", "2026-11-23T03:00:00Z");
    assert_eq!(wrong.problem(422, "validation-failed")["errors"][0]["field"], "purpose");
    let cancelled = post(
        server,
        &format!("/api/v1/bookings/{}/cancellation", first.body["id"].as_str().unwrap()),
        Some(&centre),
        &json!({}),
    );
    assert_eq!(cancelled.body["cancelled"], true);
    let last = book(&opening.body, "opening", "2026-11-23T02:00:00Z", "2026-11-23T02:30:00Z");
    assert_eq!(last.status, 201, "{}", last.text);
    let next_day = book(&evaluation.body, "evaluation", "2026-11-24T01:00:00Z", "2026-11-24T03:00:00Z");
    assert_eq!(next_day.status, 201, "{}", next_day.text);
    // The centre's day across rooms: by start, cancelled ones left out, paged; no token.
    let starts = |query: &str| -> Vec<String> {
        let page = get(server, &format!("/api/v1/bookings?{query}"), None);
        assert_eq!(page.status, 200, "{query}: {}", page.text);
        page.body["items"].as_array().unwrap().iter().map(|b| b["starts_at"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(starts("from=2026-11-23&to=2026-11-23"), ["2026-11-23T02:00:00Z", "2026-11-23T03:00:00Z"]);
    assert_eq!(starts("from=2026-11-24"), ["2026-11-24T01:00:00Z"]);
    let evaluation_room = evaluation.body["id"].as_str().unwrap();
    assert_eq!(starts(&format!("venue_id={evaluation_room}")), ["2026-11-24T01:00:00Z"]);
    let first_page = get(server, "/api/v1/bookings?limit=2", None);
    let cursor = first_page.body["next_cursor"].as_str().expect("a second page").to_owned();
    assert_eq!(starts(&format!("limit=2&after={cursor}")), ["2026-11-24T01:00:00Z"]);
    let bad = get(server, "/api/v1/bookings?from=tomorrow&venue_id=1&after=01a00000-0000-7000-8000-000000000000", None);
    bad.problem(422, "validation-failed");
    assert_eq!(bad.error_fields(), ["from", "venue_id"], "{}", bad.text);
    get(server, "/api/v1/bookings?after=01a00000-0000-7000-8000-000000000000", None).problem(422, "validation-failed");
    let bidder = server.token("bidder", Some(&t.tenderer));
    post(server, "/api/v1/venues", Some(&bidder), &json!({"name": "x", "kind": "auction_hall"}))
        .problem(403, "forbidden");
}

fn suspension_stops_trading_and_everyone_hears(backend: Backend) {
    let Some(t) = tender(backend) else { return };
    let server = &t.server;
    let project = t.project["id"].as_str().unwrap().to_owned();
    let (bidder, bidder_token, manager) = ready_bidder(server, &t.section, "914403001922038216", "11010519800101001");
    let zjw = server.token("industry_regulator", Some("zjw"));
    let suspended = post(
        server,
        &format!("/api/v1/projects/{project}/suspension"),
        Some(&zjw),
        &json!({"reason": "责令暂停：收到投诉"}),
    );
    assert_eq!(suspended.status, 200, "{}", suspended.text);
    let phase = |at: &str| {
        let read = get(server, &format!("/api/v1/projects/{project}"), Some(&zjw));
        assert_eq!(
            (&read.body["phase"], &read.body["sections"][0]["phase"]),
            (&json!(at), &json!(at)),
            "{}",
            read.text
        );
    };
    phase("suspended");
    let bid = place_bid(server, &t.section, &bidder_token, &bid_body("990000.00", &manager, None));
    assert!(bid.problem(409, "conflict")["detail"].as_str().unwrap().contains("暂停"), "{}", bid.text);
    let tenderer = server.token("tenderer", Some(&t.tenderer));
    post(server, &format!("/api/v1/projects/{project}/resumption"), Some(&tenderer), &json!({"reason": "想恢复"}))
        .problem(403, "forbidden");
    let resumed =
        post(server, &format!("/api/v1/projects/{project}/resumption"), Some(&zjw), &json!({"reason": "投诉已处理"}));
    assert_eq!(resumed.status, 200, "{}", resumed.text);
    phase("announced");
    let bid = place_bid(server, &t.section, &bidder_token, &bid_body("990000.00", &manager, None));
    assert_eq!(bid.status, 201, "resumed: {}", bid.text);
    assert_eq!(bid.body["sealed_by_bidder"], true, "{}", bid.text);

    let terminated = post(
        server,
        &format!("/api/v1/projects/{project}/termination"),
        Some(&tenderer),
        &json!({"reason": "项目取消"}),
    );
    assert_eq!(terminated.status, 200, "{}", terminated.text);
    phase("terminated");
    for token in [&bidder_token, &tenderer] {
        let notes = get(server, "/api/v1/notifications", Some(token));
        let kinds: Vec<&str> =
            notes.body["items"].as_array().unwrap().iter().map(|n| n["kind"].as_str().unwrap()).collect();
        // Newest first.
        assert_eq!(kinds, vec!["project.terminated", "project.resumed", "project.suspended"], "{}", notes.text);
    }
    // An inbox is read by the roles of its organisation's kind only: a token of another
    // role naming the bidder's organisation reads nothing of it.
    for role in ["expert", "system", "centre_staff"] {
        let other = server.token(role, Some(&bidder));
        get(server, "/api/v1/notifications", Some(&other)).problem(403, "forbidden");
    }
    let centre = server.token("centre_staff", Some("centre"));
    let overdue_soon = send(server.client().get(server.url("/api/v1/bonds/overdue")).bearer_auth(&centre));
    assert_eq!(overdue_soon.body, json!([]));
    let _ = bidder;
}

both_backends!(
    questions_are_clarifications_without_names,
    rooms_are_booked_without_overlap,
    suspension_stops_trading_and_everyone_hears,
    webhooks_are_signed_and_retried,
);

/// A received request: lower-cased headers and the body.
type Received = (std::collections::HashMap<String, String>, String);

/// A tiny HTTP endpoint on loopback that records requests and fails the first one.
struct Receiver {
    url: String,
    seen: std::sync::Arc<std::sync::Mutex<Vec<Received>>>,
}

fn receiver() -> Receiver {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/events", listener.local_addr().unwrap());
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut headers = std::collections::HashMap::new();
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            loop {
                line.clear();
                reader.read_line(&mut line).unwrap();
                if line.trim().is_empty() {
                    break;
                }
                if let Some((name, value)) = line.trim().split_once(':') {
                    headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
                }
            }
            let length: usize = headers.get("content-length").and_then(|l| l.parse().ok()).unwrap_or(0);
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let mut seen = record.lock().unwrap();
            seen.push((headers, String::from_utf8(body).unwrap()));
            let status = if seen.len() == 1 { "500 Internal Server Error" } else { "200 OK" };
            let mut stream = stream;
            let _ = write!(stream, "HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        }
    });
    Receiver { url, seen }
}

fn webhooks_are_signed_and_retried(backend: Backend) {
    let Some(t) = tender(backend) else { return };
    let server = &t.server;
    let receiver = receiver();
    let system = server.token("system", None);
    let subscribed = post(server, "/api/v1/webhooks", Some(&system), &json!({"url": receiver.url}));
    assert_eq!(subscribed.status, 201, "{}", subscribed.text);
    let secret = subscribed.body["secret"].as_str().unwrap().to_owned();
    post(server, "/api/v1/webhooks", Some(&system), &json!({"url": "ftp://x"})).problem(422, "validation-failed");
    // A bidder holds a bond in the sealed section: it is told of the suspension, but no copy
    // naming it goes to the subscribers before the opening (招标投标法 §22).
    let (bidder, bidder_token, _) = ready_bidder(server, &t.section, "914403001922038216", "11010519800101001");
    let zjw = server.token("industry_regulator", Some("zjw"));
    let project = t.project["id"].as_str().unwrap().to_owned();
    assert_eq!(
        post(server, &format!("/api/v1/projects/{project}/suspension"), Some(&zjw), &json!({"reason": "核查"})).status,
        200
    );
    assert_eq!(crate::notices(server, &bidder_token, "project.suspended").len(), 1);
    let wait_for = |count: usize| {
        for _ in 0..100 {
            if receiver.seen.lock().unwrap().len() >= count {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("only {} deliveries arrived", receiver.seen.lock().unwrap().len());
    };
    // The notification goes to the tenderer, the centre and the regulator, and the public
    // event feed has the suspension: four deliveries, the first of which the receiver refuses.
    wait_for(4);
    // The receiver has read the fourth; wait until the server has recorded its answer too,
    // or a restart in between would send that delivery again instead of the refused one.
    for _ in 0..100 {
        let status = get(server, "/api/v1/webhooks", Some(&system));
        if status.body[0]["delivered"] == 3 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // An hour later (on the platform's clock) the refused one is retried.
    let server = t.server.restart(&[("GGZY_CLOCK", "manual:2026-11-02T10:00:00+08:00")]);
    wait_for(5);
    let seen = receiver.seen.lock().unwrap().clone();
    for (headers, body) in &seen {
        use hmac::Mac;
        let timestamp = &headers["x-ggzy-timestamp"];
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(format!("{timestamp}.{body}").as_bytes());
        assert_eq!(headers["x-ggzy-signature"], format!("sha256={}", hex::encode(mac.finalize().into_bytes())));
        let event: serde_json::Value = serde_json::from_str(body).unwrap();
        assert!(event["kind"] == "project.suspended" || event["kind"] == "event:project.suspended", "{body}");
        assert!(!body.contains(&bidder), "a copy names the bidder: {body}");
    }
    let public_events: Vec<&Received> =
        seen.iter().filter(|(_, body)| body.contains("\"event:project.suspended\"")).collect();
    assert!(!public_events.is_empty());
    let event: serde_json::Value = serde_json::from_str(&public_events[0].1).unwrap();
    assert_eq!(event["payload"]["type"], "project.suspended");
    assert_eq!(event["payload"]["project_id"], project.as_str());
    assert_eq!(seen[4].0["x-ggzy-delivery"], seen[0].0["x-ggzy-delivery"], "the refused delivery came again");
    let status = get(&server, "/api/v1/webhooks", Some(&server.token("system", None)));
    assert_eq!(
        (status.body[0]["delivered"].clone(), status.body[0]["pending"].clone()),
        (json!(4), json!(0)),
        "{}",
        status.text
    );

    // The secret rotates: for an hour each delivery carries the new secret's signature and
    // the old one's, then the new one's alone.
    let system = server.token("system", None);
    let subscription = status.body[0]["id"].as_str().unwrap().to_owned();
    let rotation = format!("/api/v1/webhooks/{subscription}/secret-rotation");
    post(&server, &rotation, Some(&system), &json!({"grace_hours": 0})).problem(422, "validation-failed");
    post(&server, &rotation, Some(&server.token("platform_admin", None)), &json!({})).problem(404, "not-found");
    let rotated = post(&server, &rotation, Some(&system), &json!({"grace_hours": 1}));
    assert_eq!(rotated.status, 200, "{}", rotated.text);
    let new_secret = rotated.body["secret"].as_str().unwrap().to_owned();
    assert_ne!(new_secret, secret);
    assert_eq!(rotated.body["previous_secret_until"], "2026-11-02T03:00:00Z");
    let signature = |key: &str, headers: &std::collections::HashMap<String, String>, body: &str| {
        use hmac::Mac;
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).unwrap();
        mac.update(format!("{}.{body}", headers["x-ggzy-timestamp"]).as_bytes());
        format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
    };
    let zjw = server.token("industry_regulator", Some("zjw"));
    let resumed =
        post(&server, &format!("/api/v1/projects/{project}/resumption"), Some(&zjw), &json!({"reason": "核查完毕"}));
    assert_eq!(resumed.status, 200, "{}", resumed.text);
    wait_for(9);
    for (headers, body) in &receiver.seen.lock().unwrap()[5..9] {
        let both = format!("{}, {}", signature(&new_secret, headers, body), signature(&secret, headers, body));
        assert_eq!(headers["x-ggzy-signature"], both, "both signatures during the grace period");
    }
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-11-02T11:30:00+08:00")]);
    let zjw = server.token("industry_regulator", Some("zjw"));
    let suspended =
        post(&server, &format!("/api/v1/projects/{project}/suspension"), Some(&zjw), &json!({"reason": "再核查"}));
    assert_eq!(suspended.status, 200, "{}", suspended.text);
    wait_for(13);
    for (headers, body) in &receiver.seen.lock().unwrap()[9..13] {
        assert_eq!(headers["x-ggzy-signature"], signature(&new_secret, headers, body), "the new one alone after it");
    }
}
