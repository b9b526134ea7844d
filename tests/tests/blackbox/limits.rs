//! What the platform refuses before any handler runs, each as problem+json: client
//! credentials guessed too often (429), bodies too large (413) or too slow (408), CSV sent
//! as something else (415), and dates outside 1900–2100 (422).

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use ggzy_blackbox::{both_backends, Backend, Server};
use serde_json::json;

use crate::{post, send, BINARY};

fn token_request(server: &Server, client_id: &str, secret: &str) -> crate::Reply {
    send(
        server
            .client()
            .post(server.url("/api/v1/auth/token"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("grant_type=client_credentials&client_id={client_id}&client_secret={secret}")),
    )
}

fn account(server: &Server, name: &str) -> (String, String) {
    let admin = server.token("platform_admin", None);
    let reply = post(server, "/api/v1/service-accounts", Some(&admin), &json!({"name": name, "scopes": []}));
    assert_eq!(reply.status, 201, "{}", reply.text);
    (reply.body["client_id"].as_str().unwrap().to_owned(), reply.body["client_secret"].as_str().unwrap().to_owned())
}

fn guessed_secrets_back_off_per_client_id(backend: Backend) {
    // The default: five failures, then 1 s, doubling. The clock stands still, so a wait never
    // ends by itself here.
    let Some(server) = Server::start_with(BINARY, backend, &[("GGZY_CLOCK", "manual:2026-11-02T09:00:00+08:00")])
    else {
        return;
    };
    let (attacked, _) = account(&server, "被猜测的系统");
    let (legitimate, secret) = account(&server, "正常使用的系统");
    for _ in 0..5 {
        token_request(&server, &attacked, "wrong").problem(401, "invalid-client");
    }
    let throttled = token_request(&server, &attacked, "wrong");
    throttled.problem(429, "too-many-requests");
    assert_eq!(throttled.headers["retry-after"], "1");
    token_request(&server, &attacked, "wrong").problem(429, "too-many-requests");
    // Each attempt while waiting does not count again; the next failure after the wait would.
    assert_eq!(token_request(&server, &attacked, "wrong").headers["retry-after"], "1");
    // Another client id from the same address is not held up.
    let granted = token_request(&server, &legitimate, &secret);
    assert_eq!(granted.status, 200, "{}", granted.text);

    // The wait doubles with each further failure (crate throttle's unit tests): a restart,
    // the only way to move this server's clock, also forgets the counts.
}

fn an_address_trying_many_ids_backs_off(backend: Backend) {
    let Some(server) = Server::start_with(
        BINARY,
        backend,
        &[("GGZY_CLOCK", "manual:2026-11-02T09:00:00+08:00"), ("GGZY_AUTH_ADDRESS_FAILURES", "4")],
    ) else {
        return;
    };
    let (client_id, secret) = account(&server, "正常使用的系统");
    for n in 0..4 {
        token_request(&server, &format!("svc-guess-{n}"), "x").problem(401, "invalid-client");
    }
    let throttled = token_request(&server, "svc-guess-9", "x");
    throttled.problem(429, "too-many-requests");
    assert!(throttled.headers.contains_key("retry-after"));
    // The address waits, whatever id it names.
    token_request(&server, &client_id, &secret).problem(429, "too-many-requests");
}

fn bodies_too_large_are_problems_everywhere(backend: Backend) {
    let Some(server) = Server::start(BINARY, backend) else { return };
    let centre = server.token("centre_staff", Some("centre"));
    let big = "x".repeat(2 * 1024 * 1024);
    let json_body = format!("{{\"name\": \"{big}\"}}");
    let with_key = send(
        server
            .client()
            .post(server.url("/api/v1/participants"))
            .bearer_auth(&centre)
            .header("idempotency-key", "big-1")
            .header("content-type", "application/json")
            .body(json_body.clone()),
    );
    with_key.problem(413, "payload-too-large");
    let csv = send(
        server
            .client()
            .post(server.url("/api/v1/ledger/bank-statements"))
            .bearer_auth(&centre)
            .header("content-type", "text/csv")
            .body(big.clone()),
    );
    csv.problem(413, "payload-too-large");
    // Sent in chunks, without a length announced.
    let streamed = send(
        server
            .client()
            .post(server.url("/api/v1/projects"))
            .bearer_auth(&centre)
            .header("content-type", "application/json")
            .body(reqwest::blocking::Body::new(std::io::Cursor::new(vec![b' '; 2_600_000]))),
    );
    streamed.problem(413, "payload-too-large");
}

fn csv_routes_take_only_csv(backend: Backend) {
    let Some(server) = Server::start(BINARY, backend) else { return };
    let regulator = server.token("comprehensive_regulator", Some("gongguanban"));
    let lines = "credit_code,case_number,court,decided_on\n";
    for content_type in ["application/json", "text/plain"] {
        let refused = send(
            server
                .client()
                .post(server.url("/api/v1/credit/court-enforcement-imports"))
                .bearer_auth(&regulator)
                .header("content-type", content_type)
                .body(lines),
        );
        refused.problem(415, "unsupported-media-type");
    }
    let accepted = send(
        server
            .client()
            .post(server.url("/api/v1/credit/court-enforcement-imports"))
            .bearer_auth(&regulator)
            .header("content-type", "text/csv; charset=utf-8")
            .body(lines),
    );
    assert_eq!(accepted.status, 200, "{}", accepted.text);
}

fn a_body_that_never_arrives_times_out(backend: Backend) {
    let Some(server) = Server::start_with(BINARY, backend, &[("GGZY_BODY_TIMEOUT_SECONDS", "2")]) else {
        return;
    };
    let centre = server.token("centre_staff", Some("centre"));
    let address = server.base_url.trim_start_matches("http://").to_owned();
    let mut stream = std::net::TcpStream::connect(&address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let started = Instant::now();
    write!(
        stream,
        "POST /api/v1/participants HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {centre}\r\n\
         Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"na"
    )
    .unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    let waited = started.elapsed();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("application/problem+json") && answer.contains("request-timeout"), "{answer}");
    assert!(waited >= Duration::from_secs(2) && waited < Duration::from_secs(15), "{waited:?}");
    // The server goes on serving.
    assert_eq!(crate::get(&server, "/healthz", None).status, 200);
}

fn dates_outside_1900_to_2100_are_refused(backend: Backend) {
    let Some(server) = Server::start(BINARY, backend) else { return };
    let regulator = server.token("industry_regulator", Some("zjw"));
    let participant = crate::register(&server, "914403001922038216", &["bidder"]);
    let record = post(
        &server,
        "/api/v1/credit/records",
        Some(&regulator),
        &json!({"participant_id": participant["id"], "kind": "bad_trading_conduct", "severity": "general",
                "decision": "x", "decided_on": "0000-01-01"}),
    );
    assert_eq!(record.problem(422, "validation-failed")["errors"][0]["code"], "date_out_of_range");
    assert_eq!(record.error_fields(), ["decided_on"]);
    let reports = crate::get(&server, "/api/v1/public/statistics?from=9999-01-01", None);
    reports.problem(422, "validation-failed");
    assert_eq!(reports.error_fields(), ["from"]);
    // Nothing was recorded.
    let records = crate::get(
        &server,
        &format!("/api/v1/participants/{}/credit-records", participant["id"].as_str().unwrap()),
        Some(&regulator),
    );
    assert_eq!(records.body, json!([]), "{}", records.text);
}

both_backends!(
    guessed_secrets_back_off_per_client_id,
    an_address_trying_many_ids_backs_off,
    bodies_too_large_are_problems_everywhere,
    csv_routes_take_only_csv,
    a_body_that_never_arrives_times_out,
    dates_outside_1900_to_2100_are_refused,
);
