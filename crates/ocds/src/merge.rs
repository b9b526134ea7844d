//! The standard's merge rules (OCDS 1.1.5, "Merging"): releases of one process, in date
//! order, become a compiled release (the latest value of every field) and a versioned
//! release (every value a field has had, with the release that set it).
//!
//! - Top-level `id`, `date` and `tag` are not merged (`omitWhenMerged`).
//! - Objects merge field by field; a `null` removes a field from the compiled release.
//! - Arrays of objects that all have an `id` merge item by item on that id (identifier
//!   merge); other arrays, and `additionalIdentifiers` and `additionalClassifications`
//!   (`wholeListMerge`), are replaced whole.
//! - In the versioned release the `id` of an item of an identifier-merged array stays a
//!   plain value; every other `id` (`tender.id`, `identifier.id`, `buyer.id`,
//!   `tender.procuringEntity.id`) is versioned like any field.

use serde_json::{json, Map, Value};

/// Top-level fields that a merge leaves out.
const OMIT_WHEN_MERGED: [&str; 3] = ["id", "date", "tag"];
/// Arrays replaced whole even when their items carry ids.
const WHOLE_LIST_MERGE: [&str; 2] = ["additionalIdentifiers", "additionalClassifications"];

fn id_of(item: &Value) -> Option<String> {
    match item.get("id")? {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

fn identifier_merged(key: &str, items: &[Value]) -> bool {
    !WHOLE_LIST_MERGE.contains(&key) && !items.is_empty() && items.iter().all(|item| id_of(item).is_some())
}

/// The compiled release of a process from its releases (in date order): tagged `compiled`,
/// dated and identified by the last release.
pub fn compile(ocid: &str, releases: &[Value]) -> Value {
    let mut compiled = Map::new();
    for release in releases {
        if let Some(fields) = release.as_object() {
            merge_into(&mut compiled, fields, true);
        }
    }
    let date = releases.last().and_then(|r| r.get("date")).cloned().unwrap_or(Value::Null);
    let id = match &date {
        Value::String(date) => format!("{ocid}-{date}"),
        _ => format!("{ocid}-compiled"),
    };
    compiled.insert("ocid".into(), json!(ocid));
    compiled.insert("id".into(), json!(id));
    compiled.insert("date".into(), date);
    compiled.insert("tag".into(), json!(["compiled"]));
    Value::Object(compiled)
}

fn merge_into(target: &mut Map<String, Value>, source: &Map<String, Value>, top: bool) {
    for (key, value) in source {
        if top && OMIT_WHEN_MERGED.contains(&key.as_str()) {
            continue;
        }
        match value {
            Value::Null => {
                target.remove(key);
            }
            Value::Object(fields) => {
                let slot = target.entry(key.clone()).or_insert_with(|| Value::Object(Map::new()));
                if !slot.is_object() {
                    *slot = Value::Object(Map::new());
                }
                if let Value::Object(inner) = slot {
                    merge_into(inner, fields, false);
                }
            }
            Value::Array(items) if identifier_merged(key, items) => {
                let slot = target.entry(key.clone()).or_insert_with(|| Value::Array(Vec::new()));
                if !slot.is_array() {
                    *slot = Value::Array(Vec::new());
                }
                if let Value::Array(existing) = slot {
                    for item in items {
                        let (Some(id), Some(fields)) = (id_of(item), item.as_object()) else { continue };
                        match existing.iter_mut().find(|e| id_of(e).as_deref() == Some(id.as_str())) {
                            Some(Value::Object(present)) => merge_into(present, fields, false),
                            _ => {
                                let mut fresh = Map::new();
                                merge_into(&mut fresh, fields, false);
                                existing.push(Value::Object(fresh));
                            }
                        }
                    }
                }
            }
            other => {
                target.insert(key.clone(), other.clone());
            }
        }
    }
}

/// Where a field sits, for the rules on `id`.
#[derive(Clone, Copy)]
enum Parent {
    Top,
    Field,
    ArrayItem,
}

struct Version<'a> {
    id: &'a Value,
    date: &'a Value,
    tag: &'a Value,
}

/// The versioned release of a process from its releases (in date order).
pub fn versioned(ocid: &str, releases: &[Value]) -> Value {
    let mut out = Map::new();
    for release in releases {
        let Some(fields) = release.as_object() else { continue };
        let version = Version {
            id: fields.get("id").unwrap_or(&Value::Null),
            date: fields.get("date").unwrap_or(&Value::Null),
            tag: fields.get("tag").unwrap_or(&Value::Null),
        };
        versioned_into(&mut out, fields, &version, Parent::Top);
    }
    out.insert("ocid".into(), json!(ocid));
    Value::Object(out)
}

fn versioned_into(target: &mut Map<String, Value>, source: &Map<String, Value>, version: &Version, parent: Parent) {
    for (key, value) in source {
        if let Parent::Top = parent {
            if OMIT_WHEN_MERGED.contains(&key.as_str()) || key == "ocid" {
                continue;
            }
        }
        match value {
            Value::Object(fields) => {
                let slot = target.entry(key.clone()).or_insert_with(|| Value::Object(Map::new()));
                if !slot.is_object() {
                    *slot = Value::Object(Map::new());
                }
                if let Value::Object(inner) = slot {
                    versioned_into(inner, fields, version, Parent::Field);
                }
            }
            Value::Array(items) if identifier_merged(key, items) => {
                let slot = target.entry(key.clone()).or_insert_with(|| Value::Array(Vec::new()));
                if !slot.is_array() {
                    *slot = Value::Array(Vec::new());
                }
                if let Value::Array(existing) = slot {
                    for item in items {
                        let (Some(id), Some(fields)) = (id_of(item), item.as_object()) else { continue };
                        let position = match existing.iter().position(|e| id_of(e).as_deref() == Some(id.as_str())) {
                            Some(position) => position,
                            None => {
                                existing.push(json!({"id": item["id"].clone()}));
                                existing.len() - 1
                            }
                        };
                        if let Some(Value::Object(present)) = existing.get_mut(position) {
                            versioned_into(present, fields, version, Parent::ArrayItem);
                        }
                    }
                }
            }
            // A null over items or an object says nothing about their versions.
            Value::Null if target.get(key).is_some_and(|slot| slot.is_object() || holds_items(slot)) => {}
            // The merge key of an array item is set when the item is; any other id (of
            // the tender, an identifier, an organisation reference) is versioned.
            _ if key == "id" && matches!(parent, Parent::ArrayItem) => {}
            _ => push_version(target, key, value, version),
        }
    }
}

/// Whether a versioned slot holds array items rather than versions of a value.
fn holds_items(slot: &Value) -> bool {
    slot.as_array().and_then(|items| items.first()).is_some_and(|first| first.get("releaseID").is_none())
}

/// Appends a version of a field when its value differs from the last one.
fn push_version(target: &mut Map<String, Value>, key: &str, value: &Value, version: &Version) {
    let slot = target.entry(key.to_owned()).or_insert_with(|| Value::Array(Vec::new()));
    if !slot.is_array() {
        *slot = Value::Array(Vec::new());
    }
    let Value::Array(history) = slot else { return };
    let unchanged = match history.last() {
        Some(last) => last.get("value") == Some(value),
        None => value.is_null(),
    };
    if !unchanged {
        history.push(json!({
            "releaseID": version.id,
            "releaseDate": version.date,
            "releaseTag": version.tag,
            "value": value,
        }));
    }
    if history.is_empty() {
        target.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn releases() -> Vec<Value> {
        vec![
            json!({"ocid": "o", "id": "1", "date": "2026-11-02T09:00:00+08:00", "tag": ["tender"],
                "initiationType": "tender",
                "tender": {"id": "T", "status": "active", "lots": [{"id": "L1", "status": "active", "title": "一标段"}],
                    "documents": [{"id": "d1", "title": "招标文件"}]},
                "parties": [{"id": "CN-USCC-1", "name": "甲", "roles": ["buyer"],
                    "additionalIdentifiers": [{"id": "x", "scheme": "A"}]}]}),
            json!({"ocid": "o", "id": "2", "date": "2026-11-23T10:00:00+08:00", "tag": ["tenderUpdate"],
                "tender": {"lots": [{"id": "L1", "status": "complete"}, {"id": "L2", "status": "active"}],
                    "documents": null},
                "parties": [{"id": "CN-USCC-1", "additionalIdentifiers": [{"id": "y", "scheme": "B"}]},
                    {"id": "CN-USCC-2", "name": "乙", "roles": ["tenderer"]}]}),
        ]
    }

    #[test]
    fn compiled_releases_merge_by_id_replace_whole_lists_and_drop_nulls() {
        let compiled = compile("o", &releases());
        assert_eq!(compiled["tag"], json!(["compiled"]));
        assert_eq!(compiled["id"], "o-2026-11-23T10:00:00+08:00");
        assert_eq!(compiled["date"], "2026-11-23T10:00:00+08:00");
        assert_eq!(
            compiled["tender"]["lots"],
            json!([{"id": "L1", "status": "complete", "title": "一标段"}, {"id": "L2", "status": "active"}])
        );
        assert!(compiled["tender"].get("documents").is_none(), "null removes");
        assert_eq!(compiled["parties"][0]["additionalIdentifiers"], json!([{"id": "y", "scheme": "B"}]));
        assert_eq!(compiled["parties"][0]["name"], "甲");
        assert_eq!(compiled["parties"][1]["roles"], json!(["tenderer"]));
    }

    #[test]
    fn versioned_releases_keep_every_value_with_its_release() {
        let versioned = versioned("o", &releases());
        assert_eq!(versioned["ocid"], "o");
        assert!(versioned.get("tag").is_none() && versioned.get("date").is_none());
        let lot = &versioned["tender"]["lots"][0];
        assert_eq!(lot["id"], "L1", "array item ids stay plain");
        let statuses: Vec<&Value> = lot["status"].as_array().unwrap().iter().map(|v| &v["value"]).collect();
        assert_eq!(statuses, vec![&json!("active"), &json!("complete")]);
        assert_eq!(lot["status"][1]["releaseID"], "2");
        assert_eq!(lot["status"][1]["releaseTag"], json!(["tenderUpdate"]));
        assert_eq!(lot["title"].as_array().unwrap().len(), 1, "an unchanged value adds no version");
        assert_eq!(versioned["tender"]["id"][0]["value"], "T", "tender.id is versioned");
        assert_eq!(versioned["parties"][0]["id"], "CN-USCC-1", "an array item's id stays plain");
        let documents = versioned["tender"]["documents"][0]["title"].as_array().unwrap();
        assert_eq!(documents.len(), 1);
        assert_eq!(
            versioned["parties"][0]["additionalIdentifiers"].as_array().unwrap().len(),
            2,
            "whole list versioned"
        );
        assert_eq!(versioned["initiationType"][0]["value"], "tender");
    }
}
