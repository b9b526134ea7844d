//! OpenAPI links from each create operation to the operations that take what it created,
//! derived from the paths by rule rather than written on every route, so that a client (and
//! schemathesis's stateful phase) can follow `POST /projects` to `GET /projects/{id}`,
//! `POST /sections/{id}/bids` to `GET /bids/{id}` and so on.
//!
//! A create is a POST whose path ends in a collection name `C` (`…/bids`) and whose 201 (or
//! 200) response is a JSON object. What it created is found in that body: the body itself,
//! or, when the body is the parent that holds the collection (`POST /projects/{id}/commissions`
//! answers the project), the first member of its array `C`. Every other array of objects with
//! an `id` in the body is a collection too (a project's `sections`). A collection `C` of the
//! body links to each operation whose path has `C/{p}`:
//! - nested under the create's own path (`/projects/{id}/commissions/{commission_id}/agents`),
//!   the create's path parameters passed on as they were sent; or
//! - at the top of the API (`/bids/{id}`, `/public/listings/{id}`) or under a name of the
//!   create's own path (`/credit/repair-applications/{id}` from
//!   `/credit/records/{id}/repair-applications`), when `{p}` is its only parameter.
//!
//! `{p}` named `id` or `…_id` takes the member's `id`; another name takes the member's field of
//! that name or ending in `_p` (`{code}` takes `tracking_code`). A target none of whose
//! parameters can be filled gets no link.

use std::collections::BTreeMap;

use serde_json::Value;
use utoipa::openapi::extensions::Extensions;
use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::RefOr;
use utoipa::Modify;

/// One link: from the `status` response of `POST from` to the operation `operation_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DerivedLink {
    pub from: String,
    pub status: String,
    pub operation_id: String,
    /// Target parameter name → runtime expression.
    pub parameters: BTreeMap<String, String>,
}

/// Adds the derived links to the document; runs after the paths are collected.
#[derive(Debug)]
pub struct CreateLinks;

impl Modify for CreateLinks {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let Ok(document) = serde_json::to_value(&*openapi) else { return };
        for link in derive(&document) {
            let Some(post) = openapi.paths.paths.get_mut(&link.from).and_then(|item| item.post.as_mut()) else {
                continue;
            };
            let Some(RefOr::T(response)) = post.responses.responses.get_mut(&link.status) else { continue };
            let described = link.parameters.keys().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ");
            // utoipa 5.5 serialises `Link::operation_id` as `operation_id`, which OpenAPI does
            // not know; the flattened extensions write the field under its name.
            let target = Extensions::from_iter([("operationId", link.operation_id.clone())]);
            let mut builder = LinkBuilder::new()
                .extensions(Some(target))
                .description(format!("With {described} of what this call created"));
            for (name, expression) in link.parameters {
                builder = builder.parameter(name, expression);
            }
            response.links.insert(link.operation_id, builder.build().into());
        }
    }
}

const METHODS: [&str; 5] = ["get", "put", "post", "patch", "delete"];

/// Segments that say nothing of a collection's place: a top-level collection follows them.
const ROOTS: [&str; 2] = ["v1", "public"];

fn segments(path: &str) -> Vec<&str> {
    path.trim_start_matches('/').split('/').collect()
}

fn parameter(segment: &str) -> Option<&str> {
    segment.strip_prefix('{')?.strip_suffix('}')
}

/// Follows `$ref`s to the schema they name (a bounded number of times).
fn resolve<'a>(document: &'a Value, mut schema: &'a Value) -> &'a Value {
    for _ in 0..16 {
        match schema.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
            Some(pointer) => schema = document.pointer(pointer).unwrap_or(&Value::Null),
            None => break,
        }
    }
    schema
}

/// The properties of an object schema, those of its `allOf` parts included.
fn properties<'a>(document: &'a Value, schema: &'a Value) -> BTreeMap<&'a str, &'a Value> {
    let schema = resolve(document, schema);
    let mut found = BTreeMap::new();
    for part in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
        found.extend(properties(document, part));
    }
    for (name, property) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
        found.insert(name.as_str(), property);
    }
    found
}

/// The item properties of an array of objects with an `id`, if `schema` is one.
fn members<'a>(document: &'a Value, schema: &'a Value) -> Option<BTreeMap<&'a str, &'a Value>> {
    let schema = resolve(document, schema);
    let array = match &schema["type"] {
        Value::String(t) => t == "array",
        Value::Array(types) => types.iter().any(|t| t == "array"),
        _ => false,
    };
    let items = properties(document, schema.get("items")?);
    (array && items.contains_key("id")).then_some(items)
}

/// A collection of what a create answers: its name, where its member is in the body and the
/// member's properties.
struct Collection<'a> {
    name: &'a str,
    pointer: String,
    fields: BTreeMap<&'a str, &'a Value>,
}

/// The runtime expression for the target parameter `name` from a member, if it has one.
fn expression(name: &str, collection: &Collection) -> Option<String> {
    let field = if name == "id" || name.ends_with("_id") {
        collection.fields.contains_key("id").then_some("id")?
    } else {
        let suffix = format!("_{name}");
        *collection.fields.keys().find(|f| **f == name || f.ends_with(&suffix))?
    };
    Some(format!("$response.body#{}/{field}", collection.pointer))
}

/// The parameters of `target` that a create at `from` can fill from `collection`, if all.
fn fill(from: &[&str], target: &[&str], collection: &Collection) -> Option<BTreeMap<String, String>> {
    (1..target.len().saturating_sub(1)).find_map(|i| {
        let name = parameter(target[i + 1]).filter(|_| target[i] == collection.name)?;
        let nested = target.len() > from.len() && target[..from.len()] == *from && i + 1 == from.len();
        let previous = target[i - 1];
        let top = ROOTS.contains(&previous) || (parameter(previous).is_none() && from.contains(&previous));
        if !nested && !top {
            return None;
        }
        let mut parameters = BTreeMap::from([(name.to_owned(), expression(name, collection)?)]);
        for other in target.iter().filter_map(|s| parameter(s)).filter(|p| *p != name) {
            // Only a nested target shares the create's path parameters.
            let shared = nested && from.iter().any(|s| parameter(s) == Some(other));
            if !shared {
                return None;
            }
            parameters.insert(other.to_owned(), format!("$request.path.{other}"));
        }
        Some(parameters)
    })
}

/// Every link the rule gives over a serialised OpenAPI document.
pub fn derive(document: &Value) -> Vec<DerivedLink> {
    let Some(paths) = document["paths"].as_object() else { return Vec::new() };
    let operations: Vec<(&str, &str, &str)> = paths
        .iter()
        .flat_map(|(path, item)| {
            METHODS.iter().filter_map(move |method| {
                let id = item.get(*method)?.get("operationId")?.as_str()?;
                Some((path.as_str(), *method, id))
            })
        })
        .collect();
    let mut links = Vec::new();
    for (path, item) in paths {
        let from = segments(path);
        let Some(name) = from.last().copied().filter(|s| parameter(s).is_none()) else { continue };
        let Some(post) = item.get("post") else { continue };
        let Some((status, body)) = ["201", "200"].into_iter().find_map(|status| {
            let schema = post["responses"].get(status)?.pointer("/content/application~1json/schema")?;
            Some((status, schema))
        }) else {
            continue;
        };
        let fields = properties(document, body);
        if fields.is_empty() {
            continue;
        }
        let mut collections = Vec::new();
        match fields.get(name).and_then(|s| members(document, s)) {
            // The body is the parent that holds the collection the call added to.
            Some(items) => collections.push(Collection { name, pointer: format!("/{name}/0"), fields: items }),
            None => collections.push(Collection { name, pointer: String::new(), fields: fields.clone() }),
        }
        for (field, schema) in fields.iter().filter(|(f, _)| **f != name) {
            if let Some(items) = members(document, schema) {
                collections.push(Collection { name: field, pointer: format!("/{field}/0"), fields: items });
            }
        }
        for (target, method, operation_id) in &operations {
            if *target == path.as_str() && *method == "post" {
                continue;
            }
            let target = segments(target);
            if let Some(parameters) = collections.iter().find_map(|c| fill(&from, &target, c)) {
                links.push(DerivedLink {
                    from: path.clone(),
                    status: status.to_owned(),
                    operation_id: (*operation_id).to_owned(),
                    parameters,
                });
            }
        }
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn link<'a>(links: &'a [DerivedLink], from: &str, to: &str) -> Option<&'a DerivedLink> {
        links.iter().find(|l| l.from == from && l.operation_id == to)
    }

    fn operation(id: &str, status: &str, schema: Value) -> Value {
        json!({"operationId": id, "responses": {status: {"description": "", "content": {"application/json": {"schema": schema}}}}})
    }

    /// The rule over a small document: each case it decides.
    #[test]
    fn links_follow_the_rule() {
        let id = json!({"type": "object", "properties": {"id": {"type": "string"}}});
        let document = json!({
            "paths": {
                "/api/v1/things": {"post": operation("create_thing", "201", json!({"$ref": "#/components/schemas/Thing"}))},
                "/api/v1/things/{id}": {"get": operation("get_thing", "200", id.clone())},
                "/api/v1/public/things/{id}": {"get": operation("public_thing", "200", id.clone())},
                "/api/v1/things/{id}/parts": {"post": operation("add_part", "201", json!({"$ref": "#/components/schemas/Thing"}))},
                "/api/v1/things/{id}/parts/{part_id}": {"get": operation("get_part", "200", id.clone())},
                "/api/v1/things/{id}/notes": {"post": operation("add_note", "200", id.clone())},
                "/api/v1/notes/{id}": {"get": operation("get_note", "200", id.clone())},
                "/api/v1/other/notes/{id}": {"get": operation("other_note", "200", id.clone())},
                "/api/v1/leaves/{id}/x/{y}": {"get": operation("leaf_y", "200", id.clone())},
                "/api/v1/leaves/{id}": {"get": operation("get_leaf", "200", id.clone())},
                "/api/v1/tickets": {"post": operation("file_ticket", "201", json!({"type": "object", "properties": {"tracking_code": {"type": "string"}}}))},
                "/api/v1/tickets/{code}": {"get": operation("get_ticket", "200", id.clone())},
            },
            "components": {"schemas": {"Thing": {"allOf": [
                {"type": "object", "properties": {"id": {"type": "string"}}},
                {"type": "object", "properties": {
                    "parts": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}}}},
                    "leaves": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}}}},
                    "tags": {"type": "array", "items": {"type": "string"}}}}
            ]}}}
        });
        let links = derive(&document);
        let body = |p: &str, e: &str| BTreeMap::from([(p.to_owned(), e.to_owned())]);
        let things = "/api/v1/things";
        assert_eq!(link(&links, things, "get_thing").map(|l| &l.parameters), Some(&body("id", "$response.body#/id")));
        assert_eq!(link(&links, things, "get_thing").map(|l| l.status.as_str()), Some("201"));
        assert!(link(&links, things, "public_thing").is_some());
        // A nested create under the thing, and an embedded collection of the body.
        assert!(link(&links, things, "add_part").is_some());
        assert_eq!(
            link(&links, things, "get_leaf").map(|l| &l.parameters),
            Some(&body("id", "$response.body#/leaves/0/id"))
        );
        // A target with a parameter nothing fills gets no link; nor does the create itself.
        assert!(link(&links, things, "leaf_y").is_none());
        assert!(link(&links, things, "create_thing").is_none());
        // The parent answered: the member is the first of the collection, the parent's id
        // comes from the request's path.
        let parts = "/api/v1/things/{id}/parts";
        let get_part = link(&links, parts, "get_part").map(|l| l.parameters.clone());
        let mut expected = body("part_id", "$response.body#/parts/0/id");
        expected.insert("id".into(), "$request.path.id".into());
        assert_eq!(get_part, Some(expected));
        assert!(link(&links, parts, "get_thing").is_none(), "the project's id is not the part's");
        // A top-level collection, a 200 create; not a collection of that name elsewhere.
        let notes = "/api/v1/things/{id}/notes";
        assert_eq!(link(&links, notes, "get_note").map(|l| l.status.as_str()), Some("200"));
        assert!(link(&links, notes, "other_note").is_none());
        // A parameter named after a field's suffix.
        assert_eq!(
            link(&links, "/api/v1/tickets", "get_ticket").map(|l| &l.parameters),
            Some(&body("code", "$response.body#/tracking_code"))
        );
        assert_eq!(links.iter().filter(|l| l.from == things).count(), 5, "{links:#?}");
    }

    /// Over the real document: the links a client relies on are there, and every link names an
    /// operation that exists and fills every path parameter it has.
    #[test]
    fn the_document_links_creates_to_their_uses() {
        let document = serde_json::to_value(crate::openapi_document()).unwrap();
        let mut targets = BTreeMap::new();
        for (path, item) in document["paths"].as_object().unwrap() {
            for (_, operation) in item.as_object().unwrap() {
                if let Some(id) = operation["operationId"].as_str() {
                    assert!(targets.insert(id.to_owned(), path.clone()).is_none(), "{id} is not unique");
                }
            }
        }
        let mut count = 0;
        for (path, item) in document["paths"].as_object().unwrap() {
            for (status, response) in item["post"]["responses"].as_object().into_iter().flatten() {
                for (name, link) in response["links"].as_object().into_iter().flatten() {
                    count += 1;
                    assert!(link.get("operation_id").is_none(), "POST {path} {status} → {name}: {link}");
                    let target = &targets[link["operationId"].as_str().unwrap()];
                    let wanted: Vec<&str> = segments(target).into_iter().filter_map(parameter).collect();
                    let given: Vec<&str> = link["parameters"].as_object().unwrap().keys().map(String::as_str).collect();
                    let mut sorted = wanted.clone();
                    sorted.sort_unstable();
                    assert_eq!(given, sorted, "POST {path} {status} → {name}");
                }
            }
        }
        let links = derive(&document);
        assert_eq!(count, links.len());
        let expression = |from: &str, to: &str, p: &str| {
            link(&links, from, to).and_then(|l| l.parameters.get(p).cloned()).unwrap_or_default()
        };
        let id = "$response.body#/id";
        assert_eq!(expression("/api/v1/projects", "get_project", "id"), id);
        assert_eq!(expression("/api/v1/projects", "submit_bid", "id"), "$response.body#/sections/0/id");
        assert_eq!(expression("/api/v1/sections/{id}/bids", "get_bid", "id"), id);
        assert_eq!(expression("/api/v1/projects/{id}/listings", "get_listing", "id"), id);
        assert_eq!(expression("/api/v1/projects/{id}/announcements", "publish_correction", "id"), id);
        assert_eq!(expression("/api/v1/credit/records/{id}/repair-applications", "decide_repair", "id"), id);
        assert_eq!(expression("/api/v1/reports", "report_status", "code"), "$response.body#/tracking_code");
        assert_eq!(
            expression("/api/v1/projects/{id}/commissions", "replace_agents", "commission_id"),
            "$response.body#/commissions/0/id"
        );
        // A credit record is not an OCDS record.
        assert!(links
            .iter()
            .all(|l| !(l.from == "/api/v1/credit/records" && targets[&l.operation_id].contains("ocds"))));
    }
}
