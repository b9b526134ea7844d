//! Response and request bodies of documents (see `ggzy_service::documents` for the use cases).

use chrono::{DateTime, Datelike, Utc};
use ggzy_kernel::{stored, StoredFault};
use ggzy_policy::Role;
use ggzy_rules::DocumentKind;
use ggzy_store::documents::{DocumentRow, DownloadRow};
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

impl Document {
    /// A stored document; `retention_years` is its project's (documents.retention).
    pub fn from_row(row: DocumentRow, retention_years: u32) -> Result<Self, StoredFault> {
        Ok(Document {
            kind: stored("documents.kind", &row.kind)?,
            retained_until_year: ggzy_trading::upload::retained_until_year(row.uploaded_at.year(), retention_years),
            id: row.id,
            title: row.title,
            sha256: row.sha256,
            size_bytes: row.size_bytes,
            media_type: row.media_type,
            project_id: row.project_id,
            uploader_org: row.uploader_org,
            uploaded_at: row.uploaded_at.and_utc(),
        })
    }
}

/// A download as shown: the downloader's organisation, or the person when it has none.
impl TryFrom<DownloadRow> for DocumentDownload {
    type Error = StoredFault;

    fn try_from(row: DownloadRow) -> Result<Self, StoredFault> {
        let downloader_role = Role::parse(&row.downloader_role)
            .ok_or_else(|| StoredFault::new("document_downloads.downloader_role", &row.downloader_role, "a Role"))?;
        Ok(DocumentDownload {
            sha256: row.sha256,
            downloader: row.downloader_org.unwrap_or(row.downloaded_by),
            downloader_role,
            downloaded_at: row.downloaded_at.and_utc(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hour: u32) -> chrono::NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap().and_hms_opt(hour, 0, 0).unwrap()
    }

    fn document(kind: &str) -> DocumentRow {
        DocumentRow {
            id: "d1".into(),
            sha256: "ab".into(),
            size_bytes: 10,
            kind: kind.into(),
            title: "招标文件".into(),
            media_type: "application/pdf".into(),
            project_id: Some("p1".into()),
            uploaded_by: "agent:1".into(),
            uploader_role: "agent".into(),
            uploader_org: Some("a1".into()),
            uploaded_at: at(9),
            section_id: None,
        }
    }

    #[test]
    fn a_document_shows_the_row_and_the_year_it_is_kept_until() {
        let kind = DocumentKind::ALL[0];
        let shown = Document::from_row(document(kind.as_str()), 15).unwrap();
        assert_eq!(shown.kind, kind);
        assert_eq!(shown.retained_until_year, 2041);
        assert_eq!((shown.title.as_str(), shown.size_bytes, shown.uploaded_at), ("招标文件", 10, at(9).and_utc()));
        assert_eq!(shown.uploader_org.as_deref(), Some("a1"));
    }

    #[test]
    fn an_unknown_stored_kind_or_role_is_a_fault() {
        let fault = Document::from_row(document("memo"), 15).unwrap_err();
        assert_eq!(fault.to_string(), "documents.kind holds `memo`, which is not DocumentKind");
        let download = |role: &str, org: Option<&str>| DownloadRow {
            id: "x".into(),
            announcement_id: "a".into(),
            project_id: "p".into(),
            sha256: "ab".into(),
            downloaded_by: "person1".into(),
            downloader_role: role.into(),
            downloader_org: org.map(Into::into),
            downloaded_at: at(9),
        };
        assert_eq!(
            DocumentDownload::try_from(download("pirate", None)).unwrap_err().column,
            "document_downloads.downloader_role"
        );
        let role = Role::Bidder.as_str();
        assert_eq!(DocumentDownload::try_from(download(role, Some("b1"))).unwrap().downloader, "b1");
        assert_eq!(DocumentDownload::try_from(download(role, None)).unwrap().downloader, "person1");
    }
}
