//! Release packages as JSON text: stored releases are spliced in as they were written,
//! never parsed, so a page of a thousand releases costs no more than copying them.

use ggzy_kernel::StoredFault;
use serde_json::{Map, Value};

/// A package's fields, then its releases (JSON texts), written as one JSON object.
pub fn package_text(head: Map<String, Value>, releases: &[String]) -> String {
    format!("{}{}{PACKAGE_CLOSE}", package_open(head), releases.join(","))
}

/// A release package's text up to its first release: its fields, then `"releases":[`. The
/// releases follow, separated by commas, then [`PACKAGE_CLOSE`].
pub fn package_open(head: Map<String, Value>) -> String {
    let fields = Value::Object(head).to_string();
    let fields = fields.strip_suffix('}').unwrap_or(&fields);
    let separator = if fields.len() > 1 { "," } else { "" };
    format!("{fields}{separator}\"releases\":[")
}

/// What closes a release package after its last release.
pub const PACKAGE_CLOSE: &str = "]}";

/// A stored release (`ocds_releases.body`) as JSON text with its `ocid` and `id` (the ocid
/// and its `position`) put first and its document links made absolute under `base_url`.
/// The stored text is a JSON object written by serde_json, in which `"url":"/api/v1/` can
/// only be a document link (a quote inside a value is escaped).
pub fn release_text(body: &str, ocid: &str, position: i64, base_url: &str) -> Result<String, StoredFault> {
    let fields = body.strip_prefix('{').ok_or_else(|| StoredFault::new("ocds_releases.body", body, "a JSON object"))?;
    // The address as JSON string content (escaped), without its quotes.
    let base = Value::from(base_url).to_string();
    let base = base.trim_matches('"');
    let fields = fields.replace("\"url\":\"/api/v1/", &format!("\"url\":\"{base}/api/v1/"));
    let separator = if fields.starts_with('}') { "" } else { "," };
    let id = Value::from(format!("{ocid}-{position}"));
    Ok(format!("{{\"ocid\":{},\"id\":{id}{separator}{fields}", Value::from(ocid)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_package_holds_its_fields_then_its_releases() {
        let mut head = Map::new();
        head.insert("uri".into(), json!("http://x/api/v1/ocds/releases"));
        let text = package_text(head, &[r#"{"id":"a"}"#.into(), r#"{"id":"b"}"#.into()]);
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed, json!({"uri": "http://x/api/v1/ocds/releases", "releases": [{"id": "a"}, {"id": "b"}]}));
        assert_eq!(package_text(Map::new(), &[]), r#"{"releases":[]}"#);
    }

    #[test]
    fn a_package_opened_then_closed_is_the_package_text() {
        let mut head = Map::new();
        head.insert("uri".into(), json!("u"));
        let open = package_open(head.clone());
        assert_eq!(open, r#"{"uri":"u","releases":["#);
        let written = format!("{open}{},{}{PACKAGE_CLOSE}", r#"{"id":"a"}"#, r#"{"id":"b"}"#);
        assert_eq!(written, package_text(head, &[r#"{"id":"a"}"#.into(), r#"{"id":"b"}"#.into()]));
        assert_eq!(package_open(Map::new()), r#"{"releases":["#);
    }

    #[test]
    fn a_release_gets_its_ocid_and_id_first_and_absolute_links() {
        let body = r#"{"tag":["tender"],"tender":{"documents":[{"url":"/api/v1/documents/d1"}],"note":"\"url\":\"/api/v1/x"}}"#;
        let text = release_text(body, "ocds-ggzy00-P1", 7, "https://ggzy.example.cn").unwrap();
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert!(text.starts_with(r#"{"ocid":"ocds-ggzy00-P1","id":"ocds-ggzy00-P1-7","#));
        assert_eq!(parsed["tender"]["documents"][0]["url"], "https://ggzy.example.cn/api/v1/documents/d1");
        assert_eq!(parsed["tender"]["note"], "\"url\":\"/api/v1/x", "a quoted text inside a value is left alone");
        assert_eq!(release_text("{}", "o", 1, "b").unwrap(), r#"{"ocid":"o","id":"o-1"}"#);
    }

    #[test]
    fn a_stored_release_that_is_not_an_object_is_a_fault() {
        let fault = release_text("[]", "o", 1, "b").unwrap_err();
        assert_eq!((fault.column, fault.value.as_str()), ("ocds_releases.body", "[]"));
    }
}
