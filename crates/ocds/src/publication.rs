//! Who publishes the releases and under which `ocid` prefix, and the fields every package
//! of theirs opens with.

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

use crate::package::{package_open, package_text};
use crate::{beijing_date, EXTENSIONS, OCDS_VERSION};

/// Who publishes and under which `ocid` prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcdsPublication {
    /// The prefix the Open Contracting Partnership registered for the publisher, e.g.
    /// `ocds-213czf`; every `ocid` is the prefix, a hyphen and the project code.
    pub prefix: String,
    /// The platform's public address, without a trailing slash; package `uri`s and
    /// document links start with it.
    pub base_url: String,
    /// The publisher's name.
    pub publisher: String,
}

impl Default for OcdsPublication {
    fn default() -> Self {
        OcdsPublication {
            prefix: "ocds-ggzy00".into(),
            base_url: "http://127.0.0.1:8080".into(),
            publisher: "密云区公共资源交易中心".into(),
        }
    }
}

impl OcdsPublication {
    /// The ocid of a project.
    pub fn ocid(&self, project_code: &str) -> String {
        format!("{}-{project_code}", self.prefix)
    }

    /// The project code an ocid names, if it carries this publisher's prefix.
    pub fn project_code<'a>(&self, ocid: &'a str) -> Option<&'a str> {
        ocid.strip_prefix(self.prefix.as_str())?.strip_prefix('-').filter(|code| !code.is_empty())
    }

    /// A package's fields before its releases or records: its `uri`, the standard's
    /// version and extensions, the day it is published (`now`, in Beijing) and by whom.
    pub fn package_head(&self, uri: String, now: DateTime<Utc>) -> Map<String, Value> {
        let mut package = Map::new();
        package.insert("uri".into(), json!(uri));
        package.insert("version".into(), json!(OCDS_VERSION));
        package.insert("extensions".into(), json!(EXTENSIONS));
        package.insert("publishedDate".into(), json!(beijing_date(now)));
        package.insert("publisher".into(), json!({"name": self.publisher}));
        package
    }

    /// The page of releases after position `after` (at most `limit`, the last at position
    /// `last`) as a release package linking to the next page.
    pub fn releases_page(&self, now: DateTime<Utc>, page: (i64, u32), last: i64, releases: &[String]) -> String {
        let ((after, limit), base) = (page, &self.base_url);
        let mut package = self.package_head(format!("{base}/api/v1/ocds/releases?after={after}&limit={limit}"), now);
        let next = format!("{base}/api/v1/ocds/releases?after={last}&limit={limit}");
        package.insert("links".into(), json!({ "next": next }));
        package_text(package, releases)
    }

    /// Every release of the process `ocid` as a release package.
    pub fn process_package(&self, now: DateTime<Utc>, ocid: &str, releases: &[String]) -> String {
        package_text(self.package_head(format!("{}/api/v1/ocds/releases/{ocid}", self.base_url), now), releases)
    }

    /// The record package of the process `ocid`: its releases, compiled and versioned release.
    pub fn record_package(&self, now: DateTime<Utc>, ocid: &str, releases: Vec<Value>) -> Value {
        let base = &self.base_url;
        let mut package = self.package_head(format!("{base}/api/v1/ocds/records/{ocid}"), now);
        package.insert("packages".into(), json!([format!("{base}/api/v1/ocds/releases/{ocid}")]));
        let record = json!({
            "ocid": ocid,
            "compiledRelease": crate::compile(ocid, &releases),
            "versionedRelease": crate::versioned(ocid, &releases),
            "releases": releases,
        });
        package.insert("records".into(), json!([record]));
        Value::Object(package)
    }

    /// The bulk export's package up to its first release ([`package_open`]).
    pub fn export_open(&self, now: DateTime<Utc>) -> String {
        package_open(self.package_head(format!("{}/api/v1/ocds/releases", self.base_url), now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn publication() -> OcdsPublication {
        OcdsPublication { prefix: "ocds-213czf".into(), base_url: "https://x".into(), publisher: "中心".into() }
    }

    #[test]
    fn an_ocid_is_the_prefix_and_the_project_code() {
        assert_eq!(publication().ocid("P-1"), "ocds-213czf-P-1");
        assert_eq!(OcdsPublication::default().ocid("A"), "ocds-ggzy00-A");
    }

    #[test]
    fn a_project_code_is_read_only_from_an_ocid_of_this_publisher() {
        let publication = publication();
        assert_eq!(publication.project_code("ocds-213czf-P-1"), Some("P-1"));
        assert_eq!(publication.project_code(&publication.ocid("GC2024")), Some("GC2024"));
        assert_eq!(publication.project_code("ocds-213czf-"), None, "no code after the prefix");
        assert_eq!(publication.project_code("ocds-213czfP1"), None, "no hyphen after the prefix");
        assert_eq!(publication.project_code("ocds-other0-P1"), None, "another publisher's ocid");
    }

    #[test]
    fn a_package_opens_with_its_uri_version_date_and_publisher() {
        let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default();
        let head = publication().package_head("https://x/api/v1/ocds/releases".into(), now);
        let keys: Vec<&str> = head.keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 5);
        assert_eq!(head["uri"], "https://x/api/v1/ocds/releases");
        assert_eq!(head["version"], OCDS_VERSION);
        assert_eq!(head["extensions"], json!(EXTENSIONS));
        assert_eq!(head["publishedDate"], "2023-11-15T06:13:20+08:00");
        assert_eq!(head["publisher"], json!({"name": "中心"}));
    }

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default()
    }

    #[test]
    fn a_page_of_releases_links_to_the_page_after_its_last() {
        let text = publication().releases_page(now(), (3, 2), 9, &[r#"{"id":"a"}"#.into()]);
        let page: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(page["uri"], "https://x/api/v1/ocds/releases?after=3&limit=2");
        assert_eq!(page["links"], json!({"next": "https://x/api/v1/ocds/releases?after=9&limit=2"}));
        assert_eq!(page["releases"], json!([{"id": "a"}]));
        let process: Value =
            serde_json::from_str(&publication().process_package(now(), "ocds-213czf-P1", &[])).unwrap();
        assert_eq!(process["uri"], "https://x/api/v1/ocds/releases/ocds-213czf-P1");
        assert_eq!(process["releases"], json!([]));
    }

    #[test]
    fn a_record_package_names_its_release_package_and_holds_one_record() {
        let release = json!({"ocid": "ocds-213czf-P1", "id": "ocds-213czf-P1-1", "date": "2023-11-15T06:13:20+08:00", "tag": ["planning"]});
        let package = publication().record_package(now(), "ocds-213czf-P1", vec![release.clone()]);
        assert_eq!(package["uri"], "https://x/api/v1/ocds/records/ocds-213czf-P1");
        assert_eq!(package["packages"], json!(["https://x/api/v1/ocds/releases/ocds-213czf-P1"]));
        let record = &package["records"][0];
        assert_eq!((record["ocid"].as_str(), record["releases"].clone()), (Some("ocds-213czf-P1"), json!([release])));
        assert!(record["compiledRelease"].is_object() && record["versionedRelease"].is_object());
        assert_eq!(package["records"].as_array().map(Vec::len), Some(1));
    }

    #[test]
    fn the_export_opens_with_the_fields_of_its_package() {
        let open = publication().export_open(now());
        assert!(open.ends_with(r#""releases":["#));
        let package: Value = serde_json::from_str(&format!("{open}{}", crate::package::PACKAGE_CLOSE)).unwrap();
        assert_eq!(package["uri"], "https://x/api/v1/ocds/releases");
        assert_eq!(package["publisher"], json!({"name": "中心"}));
    }
}
