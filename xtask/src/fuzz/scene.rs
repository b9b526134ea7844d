//! The fuzzer's scene: records put, through the API, into the states in which the
//! operations that change them can succeed — a registered project that may be announced, an
//! open tender that takes bonds, bids, questions and objections, a complaint waiting to be
//! accepted, a credit record whose repair may be applied for … — and, for each operation, a
//! valid call on them (path and query parameters and body) given to schemathesis as that
//! operation's example. Without them a generated call on the seeded district, whose every
//! procedure has ended, can only be refused.
//!
//! The server's clock stands still at [`AT`] (after the seed's last step), so the scene and
//! its examples mean the same whatever the day of the run. Each step stages what its
//! operations need and answers their examples; a step that fails is reported by name with
//! the API's answer (and fails the run), the others still give theirs.

use std::collections::BTreeMap;

use anyhow::Context;
use chrono::{DateTime, Utc};
use ggzy_gateway::auth::TokenAuthority;
use ggzy_service::{Principal, Role};
use serde_json::{json, Value};

use crate::seed::District;

mod oversight;
mod registry;
mod tendering;

/// Where the fuzzed server's clock stands (Beijing): a Monday, two weeks after the seed's
/// last step.
pub const AT: &str = "2026-11-02T09:00:00+08:00";

/// A valid call of one operation: the values of its parameters and its JSON body, and who
/// may make it (the fuzzer sends it with every role's token; `--stage-only` plays it once
/// as this caller to show that it succeeds).
#[derive(Debug, Clone)]
pub struct Example {
    pub method: &'static str,
    /// The path template as the document names it, e.g. `/api/v1/bids/{id}`.
    pub path: &'static str,
    /// Path and query parameters by name (a number where the parameter is an integer).
    pub parameters: Vec<(&'static str, Value)>,
    pub body: Option<Value>,
    pub by: (Role, Option<String>),
}

impl Example {
    pub fn new(method: &'static str, path: &'static str, by: Role, org: Option<&str>) -> Example {
        Example { method, path, parameters: Vec::new(), body: None, by: (by, org.map(str::to_owned)) }
    }

    pub fn with(mut self, name: &'static str, value: impl Into<Value>) -> Example {
        self.parameters.push((name, value.into()));
        self
    }

    pub fn body(mut self, body: Value) -> Example {
        self.body = Some(body);
        self
    }
}

/// The running district as the scene's steps reach it.
pub struct Scene<'a> {
    pub base: String,
    pub district: &'a District,
    /// The sealing keys of the fuzzer's bidder (`district.bidders[0]`): the scene's bids are
    /// sealed with them, and registering a key again must register these (the latest
    /// registered key is the one a bid's signature is checked with).
    pub bidder_keys: ggzy_seal::SecretKeys,
    client: reqwest::blocking::Client,
    tokens: &'a TokenAuthority,
    now: DateTime<Utc>,
}

impl<'a> Scene<'a> {
    pub fn new(base: String, district: &'a District, tokens: &'a TokenAuthority) -> anyhow::Result<Scene<'a>> {
        Ok(Scene {
            base,
            district,
            bidder_keys: ggzy_seal::SecretKeys::generate(ggzy_seal::Suite::Hpke)?,
            client: reqwest::blocking::Client::builder().timeout(std::time::Duration::from_secs(60)).build()?,
            tokens,
            now: at()?,
        })
    }

    pub fn token(&self, role: Role, org: Option<&str>) -> anyhow::Result<String> {
        let principal =
            // The fuzzer's subject: records that belong to their very caller (an upload
            // session) are then the fuzzer's too.
            Principal { subject: "fuzz".into(), role, org: org.map(str::to_owned), scopes: vec![], request_key: None };
        self.tokens.issue(&principal, self.now, 86_400)
    }

    /// A seeded id of `collection`, the `n`th.
    pub fn seeded(&self, collection: &str, n: usize) -> anyhow::Result<String> {
        self.district
            .ids
            .get(collection)
            .and_then(|ids| ids.get(n))
            .cloned()
            .with_context(|| format!("the seed made no {collection} #{n}"))
    }

    /// Sends a request; the answer of a 2xx, an error naming the call (`what`) and the API's
    /// answer otherwise.
    fn answer(&self, request: reqwest::blocking::RequestBuilder, what: String) -> anyhow::Result<Value> {
        let reply = request.send().with_context(|| what.clone())?;
        let status = reply.status();
        let answer: Value = reply.json().unwrap_or(Value::Null);
        anyhow::ensure!(status.is_success(), "{what}: {status} {answer}");
        Ok(answer)
    }

    /// Sends `body` with `method` to `path` (see `answer`).
    pub fn send(&self, method: reqwest::Method, path: &str, token: &str, body: &Value) -> anyhow::Result<Value> {
        let request = self.client.request(method.clone(), format!("{}{path}", self.base)).bearer_auth(token).json(body);
        self.answer(request, format!("{method} {path}"))
    }

    pub fn post(&self, path: &str, token: &str, body: &Value) -> anyhow::Result<Value> {
        self.send(reqwest::Method::POST, path, token, body)
    }

    /// POSTs and answers the `id` of what was made.
    pub fn id(&self, path: &str, token: &str, body: &Value) -> anyhow::Result<String> {
        let answer = self.post(path, token, body)?;
        answer["id"].as_str().map(str::to_owned).with_context(|| format!("POST {path}: no id in {answer}"))
    }

    pub fn get(&self, path: &str, token: &str) -> anyhow::Result<Value> {
        self.answer(self.client.get(format!("{}{path}", self.base)).bearer_auth(token), format!("GET {path}"))
    }
}

pub fn at() -> anyhow::Result<DateTime<Utc>> {
    Ok(DateTime::parse_from_rfc3339(AT)?.with_timezone(&Utc))
}

/// One step of the scene: its name and what it runs.
pub type Step = (&'static str, fn(&Scene) -> anyhow::Result<Vec<Example>>);

/// Stages every step; answers the examples of those that succeeded and the failures of the
/// others (`step: error`).
pub fn stage(scene: &Scene) -> (Vec<Example>, Vec<String>) {
    let steps: Vec<Step> = [registry::STEPS, tendering::STEPS, oversight::STEPS].concat();
    let mut examples = Vec::new();
    let mut failures = Vec::new();
    for (name, step) in steps {
        match step(scene) {
            Ok(found) => examples.extend(found),
            Err(error) => failures.push(format!("{name}: {error:#}")),
        }
    }
    (examples, failures)
}

/// Gives each example's values to its operation in the document, in place of any others
/// (the seeded ids): the named parameters' `examples` and the JSON body's; the operation's
/// other parameters lose theirs, for schemathesis puts every parameter with examples into
/// every call it makes of them, and a seeded id in a parameter the call leaves out would
/// make it another call. Answers the examples whose operation or parameter the document
/// does not have, and operations given two.
pub fn give(document: &mut Value, examples: &[Example]) -> Vec<String> {
    let mut unknown = Vec::new();
    let mut given = std::collections::BTreeSet::new();
    for example in examples {
        if !given.insert((example.method, example.path)) {
            unknown.push(format!("{} {} given two calls", example.method, example.path));
            continue;
        }
        let Some(operation) = document.pointer_mut(&format!(
            "/paths/{}/{}",
            example.path.replace('~', "~0").replace('/', "~1"),
            example.method.to_lowercase()
        )) else {
            unknown.push(format!("{} {}", example.method, example.path));
            continue;
        };
        for parameter in operation["parameters"].as_array_mut().into_iter().flatten() {
            let named = example.parameters.iter().any(|(name, _)| parameter["name"] == *name);
            if !named {
                if let Some(fields) = parameter.as_object_mut() {
                    fields.remove("examples");
                }
            }
        }
        for (name, value) in &example.parameters {
            let parameter = operation["parameters"]
                .as_array_mut()
                .and_then(|all| all.iter_mut().find(|p| p["name"] == *name && p["in"] != "header"));
            match parameter {
                Some(parameter) => parameter["examples"] = json!({"scene": {"value": value}}),
                None => unknown.push(format!("{} {} parameter {name}", example.method, example.path)),
            }
        }
        if let Some(body) = &example.body {
            match operation.pointer_mut("/requestBody/content/application~1json") {
                Some(media) => {
                    media["examples"] = json!({"scene": {"value": body}});
                }
                None => unknown.push(format!("{} {} JSON body", example.method, example.path)),
            }
        }
    }
    unknown
}

/// Sends each example once as its caller, in the order of the document's paths (the order
/// in which schemathesis sends them, so that one example undoing another's state shows);
/// answers a line for each that did not succeed. (The records it changes are then used up:
/// `--stage-only` alone plays them.)
pub fn play(scene: &Scene, examples: &[Example]) -> Vec<String> {
    let mut failed = Vec::new();
    let mut ordered: Vec<&Example> = examples.iter().collect();
    ordered.sort_by_key(|e| e.path);
    for example in ordered {
        let mut path = example.path.to_owned();
        let mut query = Vec::new();
        for (name, value) in &example.parameters {
            let value = value.as_str().map_or_else(|| value.to_string(), str::to_owned);
            let template = format!("{{{name}}}");
            if path.contains(&template) {
                path = path.replace(&template, &value);
            } else {
                query.push(format!("{name}={}", urlencoding(&value)));
            }
        }
        if !query.is_empty() {
            path = format!("{path}?{}", query.join("&"));
        }
        let outcome = scene.token(example.by.0, example.by.1.as_deref()).and_then(|token| {
            let method = reqwest::Method::from_bytes(example.method.as_bytes())?;
            let mut request = scene.client.request(method, format!("{}{path}", scene.base)).bearer_auth(token);
            if let Some(body) = &example.body {
                request = request.json(body);
            }
            let reply = request.send()?;
            Ok((reply.status(), reply.text().unwrap_or_default()))
        });
        match outcome {
            Ok((status, _)) if status.is_success() => {}
            Ok((status, text)) => {
                failed.push(format!("{} {path} as {}: {status} {text}", example.method, example.by.0))
            }
            Err(error) => failed.push(format!("{} {path}: {error:#}", example.method)),
        }
    }
    failed
}

/// A query value percent-encoded (everything but unreserved characters).
fn urlencoding(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// How many calls each operation was given (`METHOD path` → calls), for the report.
pub fn describe(examples: &[Example]) -> BTreeMap<String, usize> {
    let mut operations = BTreeMap::new();
    for example in examples {
        *operations.entry(format!("{} {}", example.method, example.path)).or_insert(0) += 1;
    }
    operations
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_example_replaces_the_seeded_values_of_its_operation_only() {
        let mut document = json!({"paths": {
            "/api/v1/bids/{id}": {
                "put": {"parameters": [{"name": "id", "in": "path", "examples": {"seeded-0": {"value": "b0"}}},
                                       {"name": "section_id", "in": "query", "examples": {"seeded-0": {"value": "s0"}}}],
                        "requestBody": {"content": {"application/json": {"schema": {}}}}},
                "get": {"parameters": [{"name": "id", "in": "path", "examples": {"seeded-0": {"value": "b0"}}}]},
                "delete": {"parameters": [{"name": "id", "in": "path", "examples": {"seeded-0": {"value": "b0"}}}]},
            },
        }});
        let examples = [
            Example::new("PUT", "/api/v1/bids/{id}", Role::Bidder, None).with("id", "b9").body(json!({"envelope": 1})),
            Example::new("POST", "/api/v1/bids/{id}", Role::Bidder, None),
            Example::new("GET", "/api/v1/bids/{id}", Role::Bidder, None).with("nope", "x"),
            Example::new("PUT", "/api/v1/bids/{id}", Role::Bidder, None).with("id", "b8"),
        ];
        let unknown = give(&mut document, &examples);
        assert_eq!(
            unknown,
            ["POST /api/v1/bids/{id}", "GET /api/v1/bids/{id} parameter nope", "PUT /api/v1/bids/{id} given two calls"]
        );
        let put = &document["paths"]["/api/v1/bids/{id}"]["put"];
        assert_eq!(put["parameters"][0]["examples"], json!({"scene": {"value": "b9"}}));
        // A seeded value the call does not name is gone, so it does not join the call.
        assert!(put["parameters"][1].get("examples").is_none());
        assert_eq!(put["requestBody"]["content"]["application/json"]["examples"]["scene"]["value"]["envelope"], 1);
        // An operation without a call keeps its seeded values.
        let delete = &document["paths"]["/api/v1/bids/{id}"]["delete"];
        assert_eq!(delete["parameters"][0]["examples"]["seeded-0"]["value"], "b0");
    }
}
