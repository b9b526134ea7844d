//! Response and request bodies of documents (see `ggzy_service::documents` for the use cases).

use chrono::{DateTime, Utc};
use ggzy_policy::Role;
use ggzy_rules::DocumentKind;
pub use ggzy_trading::upload::UploadRequest;
use serde::Serialize;
use utoipa::ToSchema;

/// A stored document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Document {
    pub id: String,
    pub kind: DocumentKind,
    pub title: String,
    /// SHA-256 of the bytes, the address of the file in the store.
    #[schema(example = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    pub sha256: String,
    pub size_bytes: i64,
    #[schema(example = "application/pdf")]
    pub media_type: String,
    pub project_id: Option<String>,
    /// The organisation that handed it in (a participant or department), if any.
    pub uploader_org: Option<String>,
    pub uploaded_at: DateTime<Utc>,
    /// Kept at least until the end of this year (documents.retention: the rule set's years
    /// from the upload; the archive keeps the file as long); nothing deletes it before.
    #[schema(example = 2041)]
    pub retained_until_year: i32,
}

/// One download of an announcement's documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DocumentDownload {
    pub sha256: String,
    /// Who downloaded: the organisation (a bidder's participant id), or the person when none.
    pub downloader: String,
    pub downloader_role: Role,
    pub downloaded_at: DateTime<Utc>,
}
