//! The REST gateway of ggzy and its binary `ggzy`: actix-web routes under /api/v1, bearer
//! authentication, RFC 9457 problem responses, the OpenAPI document and Swagger UI,
//! request ids, JSON logs and Prometheus metrics. Handlers stay thin: extract, call one
//! service function, map the result.

pub mod admission;
pub mod auth;
pub mod backup;
pub mod body;
pub mod cli;
pub mod config;
mod fallback;
pub mod idempotency;
pub mod links;
pub mod live;
pub mod metrics;
pub mod problem;
pub mod routes;
pub mod scheduled;
pub mod server;
pub mod service_threads;
pub mod throttle;
pub mod webhooks;

use std::sync::Arc;
use std::time::Duration;

use ggzy_service::Platform;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// Shared by every request.
#[derive(Debug)]
pub struct AppState {
    pub platform: Platform,
    pub tokens: auth::TokenAuthority,
    pub metrics: Arc<metrics::Metrics>,
    pub token_ttl: Duration,
    pub token_throttle: throttle::TokenThrottle,
    pub body_rules: body::BodyRules,
    /// Where documents' bytes are kept (`GGZY_DOCUMENT_STORE`).
    pub documents: ggzy_documents::DocumentStore,
    /// `GGZY_UPLOAD_TIMEOUT_SECONDS`.
    pub upload_timeout: Duration,
    /// What wakes the live streams, and how many are open (`GGZY_STREAM_LIMIT`).
    pub live: Arc<live::LiveSignals>,
    /// Where use cases run (`GGZY_SERVICE_THREADS`).
    pub service_threads: service_threads::ServiceThreads,
}

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::builder().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
        components.add_security_scheme("basic", SecurityScheme::Http(Http::new(HttpAuthScheme::Basic)));
    }
}

/// A response carrying a problem document.
fn problem_response(description: &str) -> utoipa::openapi::Response {
    let problem =
        utoipa::openapi::ContentBuilder::new().schema(Some(utoipa::openapi::Ref::from_schema_name("Problem"))).build();
    utoipa::openapi::ResponseBuilder::new()
        .description(description)
        .content("application/problem+json", problem)
        .build()
}

/// Every POST takes an optional `Idempotency-Key` (see `idempotency`); every operation with a
/// query string may answer 400 for one that does not parse.
struct IdempotencyHeader;

impl Modify for IdempotencyHeader {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
        use utoipa::openapi::Required;
        for item in openapi.paths.paths.values_mut() {
            // Any query string can fail to parse (`limit=-1`): 400, on every operation that
            // takes one.
            for operation in
                [item.get.as_mut(), item.post.as_mut(), item.put.as_mut(), item.patch.as_mut()].into_iter().flatten()
            {
                let has_query =
                    operation.parameters.iter().flatten().any(|p| matches!(p.parameter_in, ParameterIn::Query));
                if has_query && !operation.responses.responses.contains_key("400") {
                    operation
                        .responses
                        .responses
                        .insert("400".to_owned(), problem_response("Malformed query string").into());
                }
                // The body and date checks of crate::body, ahead of every handler.
                let mut added = Vec::new();
                if has_query || operation.request_body.is_some() {
                    added
                        .push(("422", "Invalid (among others: a date before 1900 or after 2100, `date_out_of_range`)"));
                }
                if operation.request_body.is_some() {
                    added.push(("408", "The body did not arrive in full within GGZY_BODY_TIMEOUT_SECONDS"));
                    added.push(("413", "Body larger than GGZY_BODY_LIMIT_BYTES"));
                }
                for (status, description) in added {
                    if !operation.responses.responses.contains_key(status) {
                        operation.responses.responses.insert(status.to_owned(), problem_response(description).into());
                    }
                }
            }
            if let Some(post) = item.post.as_mut() {
                let parameter = ParameterBuilder::new()
                    .name("Idempotency-Key")
                    .parameter_in(ParameterIn::Header)
                    .required(Required::False)
                    .description(Some(
                        "Same key and body replay the first answer (header Idempotent-Replayed); \
                         the same key with another body is 422; while the first runs, 409.",
                    ))
                    .schema(Some(
                        utoipa::openapi::ObjectBuilder::new()
                            .schema_type(utoipa::openapi::schema::Type::String)
                            .min_length(Some(1))
                            .max_length(Some(200))
                            .pattern(Some("^[!-~]+$")),
                    ))
                    .build();
                post.parameters.get_or_insert_with(Vec::new).push(parameter);
                // What the key itself can cause, on top of what the operation declares.
                for (status, description) in [
                    ("400", "Malformed request (among others: an Idempotency-Key that is not 1 to 200 visible ASCII characters)"),
                    ("409", "Conflict (among others: the first request with this Idempotency-Key is still running)"),
                    ("422", "Invalid (among others: the Idempotency-Key was used with another request)"),
                ] {
                    if !post.responses.responses.contains_key(status) {
                        post.responses.responses.insert(status.to_owned(), problem_response(description).into());
                    }
                }
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "ggzy — 公共资源交易平台 API",
        description = "District public resource trading platform (密云区公共资源交易平台). \
            Errors are RFC 9457 application/problem+json with a stable `type` \
            (urn:ggzy:problem:<code>), a Chinese `detail` and every problem in `errors[]`. \
            Lists use keyset cursors (`after`, `limit`). Money is a decimal string with at \
            most two places. Authenticate with `Authorization: Bearer <JWT>`.",
        license(name = "MulanPSL-2.0")
    ),
    modifiers(&SecuritySchemes),
    components(schemas(problem::Problem, ggzy_kernel::FieldError, ggzy_service::Role)),
    tags(
        (name = "operations", description = "Health, readiness and metrics"),
        (name = "auth", description = "Tokens and service accounts"),
        (name = "reference", description = "Reference data"),
        (name = "participants", description = "Market participants (市场主体)"),
        (name = "persons", description = "Persons: agent staff, project managers, legal representatives"),
        (name = "audit", description = "The tamper-evident audit chain"),
        (name = "rules", description = "Trading rules as versioned data, entry decisions and deadlines"),
        (name = "projects", description = "Project registration (进场登记), commissions, direct award"),
        (name = "public", description = "What anyone may see without a token"),
        (name = "credit", description = "Credit commitments, records, restrictions, scores and repair"),
        (name = "tendering", description = "Announcements and corrections"),
        (name = "bids", description = "Sealed bids and their opening"),
        (name = "proceedings", description = "Questions and answers, venues, suspension and termination, notifications"),
        (name = "oversight", description = "Objections, and the regulators' lists"),
        (name = "webhooks", description = "Subscriptions of other district systems to notifications"),
        (name = "evaluation", description = "Experts, the committee draw, scores, award and contract"),
        (name = "bonds", description = "Bid bonds held centrally and the double-entry ledger behind them"),
        (name = "documents", description = "Documents stored by the platform: uploads, downloads, the downloads of tender documents"),
        (name = "listings", description = "Listings (挂牌) and auctions (拍卖, 网络竞价) of land, mining rights and state-owned property"),
    )
)]
struct ApiDoc;

/// The OpenAPI document, built from the same route table the server mounts.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    use utoipa_actix_web::AppExt;
    let (_, mut document) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(utoipa_actix_web::scope("/api/v1").configure(routes::api_v1))
        .configure(routes::operations)
        .split_for_parts();
    // The paths are collected from the route table, so these go on after.
    IdempotencyHeader.modify(&mut document);
    OptionalTokens.modify(&mut document);
    links::CreateLinks.modify(&mut document);
    // An upload's chunk may be empty: sent at the full offset, it completes a session whose
    // file could not be stored at the last chunk (`routes::documents::continue_upload`).
    // utoipa marks every typed body required.
    if let Some(chunk) = document
        .paths
        .paths
        .get_mut("/api/v1/uploads/{id}")
        .and_then(|item| item.patch.as_mut())
        .and_then(|operation| operation.request_body.as_mut())
    {
        chunk.required = Some(utoipa::openapi::Required::False);
    }
    document
}

/// Routes annotate a token they take but do not need as `security((), …)`; in the document
/// such an operation declares no security at all, so that Swagger UI shows a lock only on
/// operations that need a token.
struct OptionalTokens;

impl Modify for OptionalTokens {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for operation in
                [item.get.as_mut(), item.post.as_mut(), item.put.as_mut(), item.patch.as_mut(), item.delete.as_mut()]
                    .into_iter()
                    .flatten()
            {
                let optional = operation.security.as_ref().is_some_and(|requirements| {
                    requirements.iter().any(|r| serde_json::to_value(r).is_ok_and(|v| v == serde_json::json!({})))
                });
                if optional {
                    operation.security = None;
                }
            }
        }
    }
}

/// The OpenAPI document as committed in api-spec/openapi.json.
pub fn openapi_json() -> Result<String, serde_json::Error> {
    let mut text = serde_json::to_string_pretty(&openapi_document())?;
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    #[test]
    fn committed_openapi_document_is_fresh() {
        let committed = include_str!("../../../api-spec/openapi.json");
        let fresh = super::openapi_json().unwrap();
        assert!(fresh == committed, "api-spec/openapi.json is stale: run `cargo xtask openapi`");
    }

    /// Whether a schema lets any string through (no enum, no reference to one).
    fn free_text(schema: &serde_json::Value) -> bool {
        if schema.get("$ref").is_some() || schema.get("enum").is_some() {
            return false;
        }
        if let Some(choices) = schema["oneOf"].as_array() {
            return choices.iter().filter(|c| c["type"] != "null").any(free_text);
        }
        let types: Vec<&str> = match &schema["type"] {
            serde_json::Value::String(t) => vec![t.as_str()],
            serde_json::Value::Array(ts) => ts.iter().filter_map(|t| t.as_str()).collect(),
            _ => vec![],
        };
        if types.contains(&"array") {
            return free_text(&schema["items"]);
        }
        types.contains(&"string")
    }

    /// Names that in this API always stand for a closed set of values.
    const CLOSED_NAMES: &[&str] = &[
        "status",
        "kind",
        "outcome",
        "severity",
        "phase",
        "indicator",
        "role",
        "stage",
        "form",
        "part",
        "confirmation",
        "category",
        "refund_trigger",
        "subject_kind",
        "state",
    ];

    /// Fields and parameters with such a name that are free text on purpose.
    const FREE_BY_DESIGN: &[(&str, &str, &str)] = &[
        ("Health", "status", "liveness text for probes"),
        ("Readiness", "status", "readiness text for probes"),
        ("Notification", "kind", "an open set of event names that grows with the procedures"),
    ];

    #[test]
    fn closed_values_are_enums_and_every_list_is_bounded() {
        let document = serde_json::to_value(super::openapi_document()).unwrap();
        let mut problems = Vec::new();
        for (name, schema) in document["components"]["schemas"].as_object().unwrap() {
            for (field, property) in schema["properties"].as_object().into_iter().flatten() {
                let by_design = FREE_BY_DESIGN.iter().any(|(s, f, _)| s == name && f == field);
                if CLOSED_NAMES.contains(&field.as_str()) && free_text(property) && !by_design {
                    problems.push(format!("{name}.{field} is free text"));
                }
            }
        }
        for (path, item) in document["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                for parameter in operation["parameters"].as_array().into_iter().flatten() {
                    let name = parameter["name"].as_str().unwrap_or_default();
                    if CLOSED_NAMES.contains(&name) && free_text(&parameter["schema"]) {
                        problems.push(format!("{method} {path} ?{name} is free text"));
                    }
                    if name == "limit" && (parameter["schema"]["minimum"] != 1 || parameter["schema"]["maximum"] != 200)
                    {
                        problems.push(format!("{method} {path} ?limit is not bounded 1–200"));
                    }
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// Every description renders as written in Swagger UI: an odd number of backticks turns
    /// the rest of a paragraph into code.
    #[test]
    fn every_description_has_balanced_backticks() {
        fn walk(value: &serde_json::Value, at: &str, odd: &mut Vec<String>) {
            match value {
                serde_json::Value::Object(map) => {
                    for (key, inner) in map {
                        if let (true, Some(text)) = (key == "description" || key == "summary", inner.as_str()) {
                            let paragraphs = text.split("\n\n").filter(|p| p.matches('`').count() % 2 == 1);
                            odd.extend(paragraphs.map(|p| format!("{at}: {p}")));
                        }
                        walk(inner, &format!("{at}/{key}"), odd);
                    }
                }
                serde_json::Value::Array(items) => items.iter().for_each(|item| walk(item, at, odd)),
                _ => {}
            }
        }
        let document = serde_json::to_value(super::openapi_document()).unwrap();
        let mut odd = Vec::new();
        walk(&document, "", &mut odd);
        assert!(odd.is_empty(), "unbalanced backticks:\n{}", odd.join("\n"));
        // The check sees an unbalanced paragraph.
        let mut probe = Vec::new();
        walk(&serde_json::json!({"description": "a `b\n\nc `d`"}), "", &mut probe);
        assert_eq!(probe.len(), 1);
    }

    /// Only operations that need a token declare security (Swagger UI shows a lock).
    #[test]
    fn a_lock_only_where_a_token_is_needed() {
        let document = serde_json::to_value(super::openapi_document()).unwrap();
        for path in ["/healthz", "/readyz", "/api/v1/public/announcements", "/api/v1/departments"] {
            let operation = &document["paths"][path]["get"];
            assert!(operation.is_object() && operation.get("security").is_none(), "{path}: {operation}");
        }
        let projects = &document["paths"]["/api/v1/projects"]["post"]["security"];
        assert_eq!(projects, &serde_json::json!([{"bearer": []}]));
        for (path, item) in document["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let requirements = operation["security"].as_array().into_iter().flatten();
                assert!(
                    requirements.into_iter().all(|r| r != &serde_json::json!({})),
                    "{method} {path} declares an optional token"
                );
            }
        }
    }

    /// Collects every schema within `schema` that lets any JSON through (`{}` or `true`).
    fn schemas_saying_nothing(schema: &serde_json::Value, at: &str, found: &mut Vec<String>) {
        let serde_json::Value::Object(map) = schema else {
            if schema == &serde_json::Value::Bool(true) {
                found.push(at.to_owned());
            }
            return;
        };
        if map.is_empty() {
            found.push(at.to_owned());
        }
        for key in ["items", "additionalProperties", "not"] {
            if let Some(inner) = map.get(key) {
                schemas_saying_nothing(inner, &format!("{at}/{key}"), found);
            }
        }
        for key in ["oneOf", "anyOf", "allOf", "prefixItems"] {
            for (index, inner) in map.get(key).and_then(|v| v.as_array()).into_iter().flatten().enumerate() {
                schemas_saying_nothing(inner, &format!("{at}/{key}/{index}"), found);
            }
        }
        for (name, inner) in map.get("properties").and_then(|v| v.as_object()).into_iter().flatten() {
            schemas_saying_nothing(inner, &format!("{at}/properties/{name}"), found);
        }
    }

    /// Every 2xx JSON answer and every component, down to each property and item, says what
    /// it holds: a client generated from the document gets a type, never `unknown`.
    #[test]
    fn every_answer_and_every_property_has_a_schema() {
        let document = serde_json::to_value(super::openapi_document()).unwrap();
        let mut empty = Vec::new();
        for (name, schema) in document["components"]["schemas"].as_object().unwrap() {
            schemas_saying_nothing(schema, &format!("#/components/schemas/{name}"), &mut empty);
        }
        for (path, item) in document["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                for (status, response) in operation["responses"].as_object().into_iter().flatten() {
                    if !status.starts_with('2') {
                        continue;
                    }
                    for (media, content) in response["content"].as_object().into_iter().flatten() {
                        if media.ends_with("json") {
                            let at = format!("{method} {path} {status} {media}");
                            schemas_saying_nothing(&content["schema"], &at, &mut empty);
                        }
                    }
                }
            }
        }
        assert!(empty.is_empty(), "schemas that say nothing:\n{}", empty.join("\n"));
        // The walk sees one deep inside.
        let mut probe = Vec::new();
        let nested = serde_json::json!({"type": "object", "properties": {"a": {"type": "array", "items": {}}}});
        schemas_saying_nothing(&nested, "probe", &mut probe);
        assert_eq!(probe, ["probe/properties/a/items"]);
    }

    #[test]
    fn every_operation_declares_its_errors_and_a_problem_body() {
        let document = serde_json::to_value(super::openapi_document()).unwrap();
        for (path, item) in document["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let responses = operation["responses"].as_object().unwrap();
                let errors: Vec<_> = responses.keys().filter(|s| s.starts_with('4') || s.starts_with('5')).collect();
                assert!(!errors.is_empty(), "{method} {path} declares no error response");
                for status in errors {
                    let content = &responses[status.as_str()]["content"];
                    assert!(
                        content.get("application/problem+json").is_some(),
                        "{method} {path} {status}: not problem+json"
                    );
                }
            }
        }
    }
}
