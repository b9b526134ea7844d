//! Who publishes the releases and under which `ocid` prefix, and the fields every package
//! of theirs opens with.

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

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
}
