//! Response and request bodies of ocds (see `ggzy_service::ocds` for the use cases).

use serde::Deserialize;
use serde_json::Value;
use utoipa::IntoParams;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReleaseQuery {
    /// The `after` of the previous page's `links.next`; from the first release if absent.
    pub after: Option<String>,
    /// Releases per page, 1 to 200 (default 100).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// An OCDS 1.1.5 release package as JSON text: `uri`, `version`, `extensions`,
/// `publishedDate`, `publisher` and `releases`, valid against the standard's
/// `release-package-schema.json`; `links.next` is the next page. Kept as text: stored
/// releases are spliced into it without being parsed.
#[derive(Debug, Clone, utoipa::ToSchema)]
#[schema(value_type = Object)]
pub struct ReleasePackage(pub String);

/// An OCDS 1.1.5 record package with one record: every release of the process, its
/// compiled release and its versioned release, valid against `record-package-schema.json`.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[serde(transparent)]
#[schema(value_type = Object)]
pub struct RecordPackage(pub Value);
