//! The black-box suite: the real binary over HTTP. Every scenario runs on SQLite, and on
//! PostgreSQL when GGZY_TEST_POSTGRES_URL is set.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod audit;
mod auth;
mod authorization;
mod backup;
mod bids;
mod calendar;
mod collusion;
mod complaints;
mod contract;
mod costs;
mod credit;
mod disclosure;
mod documents;
mod envelopes;
mod keys;
mod lifecycle;
mod limits;
mod listings;
mod live;
mod my_work;
mod objections;
mod ocds;
mod ops;
mod participants;
mod persons;
mod proceedings;
mod projects;
mod risk;
mod rules;
mod screens;
mod sealed_by_bidder;
mod search;
mod secrecy;
mod tendering;
mod upgrade;
mod violations;

use ggzy_blackbox::{Backend, Server};
use reqwest::blocking::RequestBuilder;
use reqwest::header::HeaderMap;
use serde_json::Value;

/// A sha256 hex digest used wherever a document hash is needed.
pub const SHA256_OF_TEST: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

pub const BINARY: &str = env!("CARGO_BIN_EXE_ggzy-under-test");

/// Starts a server, or `None` when the backend is not configured (the test then passes as
/// skipped; CI requires PostgreSQL).
pub fn start(backend: Backend) -> Option<Server> {
    Server::start(BINARY, backend)
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Reply {
    pub fn content_type(&self) -> &str {
        self.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// Asserts an RFC 9457 problem of this status and type code, and returns it.
    pub fn problem(&self, status: u16, code: &str) -> &Value {
        assert_eq!(self.status, status, "status; body: {}", self.text);
        assert_eq!(self.content_type(), "application/problem+json", "content type; body: {}", self.text);
        assert_eq!(self.body["type"], format!("urn:ggzy:problem:{code}"), "type; body: {}", self.text);
        assert_eq!(self.body["status"], status);
        assert!(self.body["detail"].as_str().is_some_and(|d| !d.is_empty()), "detail; body: {}", self.text);
        assert!(self.body["errors"].is_array(), "errors[]; body: {}", self.text);
        &self.body
    }

    /// The fields named in `errors[]`.
    pub fn error_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|errors| errors.iter().map(|e| e["field"].as_str().unwrap_or("").to_owned()).collect())
            .unwrap_or_default()
    }
}

pub fn send(request: RequestBuilder) -> Reply {
    let (client, request) = request.build_split();
    let request = request.expect("request builds");
    let (method, path) = (request.method().as_str().to_owned(), request.url().path().to_owned());
    let response = client.execute(request).expect("request");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().expect("body");
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    let content_type = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    contract::check(&method, &path, status, content_type, &text);
    assert_beijing_time_in_text(&body);
    Reply { status, headers, body, text }
}

/// People read times in Beijing time: no text the suite is answered with (a problem's
/// detail and messages, an announcement's summary) names UTC. JSON instants are RFC 3339.
fn assert_beijing_time_in_text(body: &Value) {
    let mut texts: Vec<&str> = ["detail", "summary", "title"].iter().filter_map(|k| body[*k].as_str()).collect();
    for items in [&body["errors"], &body["items"]] {
        for item in items.as_array().into_iter().flatten() {
            texts.extend(["message", "summary"].iter().filter_map(|k| item[*k].as_str()));
        }
    }
    for text in texts {
        assert!(!text.contains("UTC"), "a time in UTC in text for people: {text}");
    }
}

pub fn get(server: &Server, path: &str, token: Option<&str>) -> Reply {
    let mut request = server.client().get(server.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    send(request)
}

pub fn post(server: &Server, path: &str, token: Option<&str>, body: &Value) -> Reply {
    let mut request = server.client().post(server.url(path)).json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    send(request)
}

pub fn patch(server: &Server, path: &str, token: Option<&str>, body: &Value) -> Reply {
    let mut request = server.client().patch(server.url(path)).json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    send(request)
}

/// The valid codes listed in RULES.md (Identifiers).
pub const VALID_CODES: [&str; 5] =
    ["91110000600037341L", "914403001922038216", "91110108551385082Q", "9144030071526726XG", "91350100M000100Y43"];

/// Registers a participant as centre staff and returns its body.
pub fn register(server: &Server, code: &str, kinds: &[&str]) -> Value {
    let token = server.token("centre_staff", Some("centre"));
    let reply = post(
        server,
        "/api/v1/participants",
        Some(&token),
        &serde_json::json!({
            "credit_code": code,
            "name": format!("测试主体{code}"),
            "kinds": kinds,
            "legal_representative": "张三",
        }),
    );
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body
}

/// A valid resident identity number built from a 17-digit body.
pub fn resident_id(body17: &str) -> String {
    format!("{body17}{}", ggzy_kernel::ResidentId::check_character(body17).unwrap())
}

/// The notifications of this kind in the token's inbox, newest first (the first 200).
pub fn notices(server: &Server, token: &str, kind: &str) -> Vec<Value> {
    let inbox = get(server, "/api/v1/notifications?limit=200", Some(token));
    assert_eq!(inbox.status, 200, "{}", inbox.text);
    inbox.body["items"].as_array().into_iter().flatten().filter(|n| n["kind"] == kind).cloned().collect()
}

/// Waits (up to 20 s) for a notification of this kind in the token's inbox and returns the
/// newest: for what the server's scheduled work sends on its own thread.
pub fn await_notice(server: &Server, token: &str, kind: &str) -> Value {
    for _ in 0..100 {
        if let Some(notice) = notices(server, token, kind).into_iter().next() {
            return notice;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    panic!("no {kind} notification arrived within 20 s")
}
