//! Every answer the suite receives is held to the OpenAPI document the server publishes
//! (api-spec/openapi.json, which a gateway test keeps equal to the served one): the status
//! must be one the operation documents, and a JSON body must validate against that
//! response's schema. A handler whose answer drifts from its documented type fails here,
//! in whichever scenario first meets it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{json, Value};

const DOCUMENT: &str = include_str!("../../../api-spec/openapi.json");

fn document() -> &'static Value {
    static DOCUMENT_VALUE: OnceLock<Value> = OnceLock::new();
    DOCUMENT_VALUE.get_or_init(|| serde_json::from_str(DOCUMENT).expect("api-spec/openapi.json parses"))
}

/// The documented path template a request path falls under, preferring the one with the
/// most literal segments (`/public/statistics.csv` over `/public/{x}`).
fn template_of(path: &str) -> Option<&'static str> {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let mut best: Option<(&'static str, usize)> = None;
    for template in document()["paths"].as_object()?.keys() {
        let parts: Vec<&str> = template.split('/').collect();
        if parts.len() != segments.len() {
            continue;
        }
        let mut literal = 0;
        let fits = parts.iter().zip(&segments).all(|(part, segment)| {
            if part.starts_with('{') && part.ends_with('}') {
                !segment.is_empty()
            } else {
                literal += 1;
                part == segment
            }
        });
        if fits && best.is_none_or(|(_, most)| literal > most) {
            best = Some((template.as_str(), literal));
        }
    }
    best.map(|(template, _)| template)
}

type Validators = Mutex<HashMap<String, Arc<jsonschema::Validator>>>;

fn validator(key: &str, schema: &Value) -> Arc<jsonschema::Validator> {
    static CACHE: OnceLock<Validators> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    cache
        .entry(key.to_owned())
        .or_insert_with(|| {
            // The response schema, with the document's components beside it so that its
            // `#/components/schemas/…` references resolve.
            let root = json!({ "allOf": [schema], "components": document()["components"] });
            Arc::new(
                jsonschema::options()
                    .with_draft(jsonschema::Draft::Draft202012)
                    .build(&root)
                    .unwrap_or_else(|e| panic!("schema of {key} does not compile: {e}")),
            )
        })
        .clone()
}

/// Holds one answer to the document; panics naming every difference.
pub fn check(method: &str, path: &str, status: u16, content_type: &str, text: &str) {
    let Some(template) = template_of(path) else { return };
    let Some(operation) = document()["paths"][template].get(method.to_ascii_lowercase()) else { return };
    let responses = &operation["responses"];
    let Some(response) = responses.get(status.to_string()).or_else(|| responses.get("default")) else {
        let documented: Vec<&String> = responses.as_object().map(|r| r.keys().collect()).unwrap_or_default();
        panic!("{method} {template} answered {status}, which it does not document ({documented:?}): {text}");
    };
    let media = content_type.split(';').next().unwrap_or("").trim();
    if !media.ends_with("json") {
        return;
    }
    let Some(schema) = response["content"][media].get("schema") else {
        let declared: Vec<&String> = response["content"].as_object().map(|c| c.keys().collect()).unwrap_or_default();
        panic!("{method} {template} {status} answered {media}, documented {declared:?}: {text}");
    };
    let Ok(body) = serde_json::from_str::<Value>(text) else {
        panic!("{method} {template} {status} answered {media} that does not parse: {text}");
    };
    let key = format!("{method} {template} {status} {media}");
    let validator = validator(&key, schema);
    let errors: Vec<String> = validator.iter_errors(&body).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{key}: the answer breaks its documented schema:\n{}\n{text}", errors.join("\n"));
}

#[test]
fn the_check_sees_a_drift() {
    // A documented problem passes…
    let problem =
        json!({"type": "urn:ggzy:problem:not-found", "title": "t", "status": 404, "detail": "d", "errors": []});
    check("GET", "/api/v1/departments", 200, "application/json", "[]");
    let found = std::panic::catch_unwind(|| {
        check("GET", "/api/v1/departments", 200, "application/json", r#"[{"id": 1}]"#);
    });
    assert!(found.is_err(), "a department without its fields must fail the check");
    let undocumented = std::panic::catch_unwind(|| {
        check("GET", "/api/v1/departments", 418, "application/problem+json", &problem.to_string());
    });
    assert!(undocumented.is_err(), "an undocumented status must fail the check");
    assert_eq!(template_of("/api/v1/public/statistics.csv"), Some("/api/v1/public/statistics.csv"));
}
