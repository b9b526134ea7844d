//! Response and request bodies of documents (see `ggzy_service::documents` for the use cases).

use chrono::{DateTime, Datelike, NaiveDateTime, Utc};
use ggzy_kernel::{stored, StoredFault};
use ggzy_policy::{Principal, Role};
use ggzy_rules::DocumentKind;
use ggzy_rules::DocumentNumbers;
use ggzy_store::documents::{DocumentRow, DownloadRow};
use ggzy_trading::announcement::TenderDocument;
pub use ggzy_trading::upload::UploadRequest;
use ggzy_trading::upload::{UploadTarget, ValidUpload};
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

/// An upload checked before its bytes are read: what it will be, and its size limit.
#[derive(Debug, Clone)]
pub struct UploadPlan {
    pub kind: DocumentKind,
    pub sha256: String,
    pub title: String,
    pub media_type: String,
    pub project_id: Option<String>,
    /// The section of a sealed bid file.
    pub section_id: Option<String>,
    /// The rule set's limit for the kind, in bytes.
    pub max_bytes: u64,
    /// The same file handed in before as the same document (a retried upload).
    pub existing: Option<Document>,
}

/// A download the caller may make: the bytes to stream and how to name them.
#[derive(Debug, Clone)]
pub struct DownloadGrant {
    pub sha256: String,
    pub title: String,
    pub media_type: String,
    /// Set when the download is one of an announcement's issued documents, to be recorded
    /// once the file is verified and about to be served.
    pub issued_by: Option<(String, String)>,
}

/// A file size no stored document can have (beyond the column's range).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeOutOfRange;

impl UploadPlan {
    /// The plan of a valid upload: it belongs to `project_id` (a sealed bid file's is its
    /// section's project) and, when sealed, to its section; its limit is the kind's in
    /// `numbers`.
    pub fn of(
        upload: ValidUpload,
        project_id: Option<String>,
        numbers: &DocumentNumbers,
        existing: Option<Document>,
    ) -> UploadPlan {
        let ValidUpload { kind, title, sha256, media_type, target } = upload;
        let section_id = match target {
            UploadTarget::SealedBidSection(section_id) => Some(section_id),
            UploadTarget::Project(_) => None,
        };
        UploadPlan {
            kind,
            sha256,
            title,
            media_type,
            project_id,
            section_id,
            max_bytes: numbers.max_bytes(kind),
            existing,
        }
    }

    /// The document a planned upload of `size_bytes` becomes, handed in by `uploader` at `at`.
    pub fn document_row(
        &self,
        id: String,
        size_bytes: u64,
        uploader: &Principal,
        at: NaiveDateTime,
    ) -> Result<DocumentRow, SizeOutOfRange> {
        Ok(DocumentRow {
            id,
            sha256: self.sha256.clone(),
            size_bytes: i64::try_from(size_bytes).map_err(|_| SizeOutOfRange)?,
            kind: self.kind.as_str().into(),
            title: self.title.clone(),
            media_type: self.media_type.clone(),
            project_id: self.project_id.clone(),
            uploaded_by: uploader.actor(),
            uploader_role: uploader.role.to_string(),
            uploader_org: uploader.org.clone(),
            uploaded_at: at,
            section_id: self.section_id.clone(),
        })
    }

    /// The upload of document `document_id` on `chain`, its payload as `audit_payload`.
    pub fn audit_entry(
        &self,
        chain: String,
        document_id: &str,
        size_bytes: u64,
    ) -> crate::audit_entry::AuditEntry<serde_json::Value> {
        crate::audit_entry::AuditEntry {
            chain,
            action: ggzy_kernel::AuditAction::DocumentUpload,
            object_type: "document",
            object_id: document_id.to_owned(),
            payload: self.audit_payload(size_bytes),
        }
    }

    /// The audit payload of the upload.
    pub fn audit_payload(&self, size_bytes: u64) -> serde_json::Value {
        serde_json::json!({
            "kind": self.kind,
            "title": self.title,
            "sha256": self.sha256,
            "size_bytes": size_bytes,
            "project_id": self.project_id,
            "section_id": self.section_id,
        })
    }
}

/// The download of a stored document as it is, recorded nowhere.
impl From<DocumentRow> for DownloadGrant {
    fn from(row: DocumentRow) -> Self {
        DownloadGrant { sha256: row.sha256, title: row.title, media_type: row.media_type, issued_by: None }
    }
}

impl DownloadGrant {
    /// The download of the document an announcement of `project_id` issues as `named`,
    /// whose file is `stored`: titled as the announcement names it, else as stored.
    pub fn issued(announcement_id: &str, project_id: &str, named: &TenderDocument, stored: DocumentRow) -> Self {
        let stored = DownloadGrant::from(stored);
        DownloadGrant {
            title: named.title.clone().unwrap_or(stored.title),
            issued_by: Some((announcement_id.to_owned(), project_id.to_owned())),
            ..stored
        }
    }

    /// The record that `downloader` obtained an announcement's issued document at `at`;
    /// none for a download that is not one.
    pub fn download_row(&self, id: String, downloader: &Principal, at: NaiveDateTime) -> Option<DownloadRow> {
        let (announcement_id, project_id) = self.issued_by.as_ref()?;
        Some(DownloadRow {
            id,
            announcement_id: announcement_id.clone(),
            project_id: project_id.clone(),
            sha256: self.sha256.clone(),
            downloaded_by: downloader.actor(),
            downloader_role: downloader.role.to_string(),
            downloader_org: downloader.org.clone(),
            downloaded_at: at,
        })
    }
}

/// The problem of a contract named by a hash no upload has (`field`, `document_not_stored`).
pub fn contract_not_stored(field: &str) -> ggzy_kernel::FieldError {
    ggzy_kernel::FieldError::new(
        field,
        "document_not_stored",
        "平台上没有此摘要的文件：请先上传合同文件（POST /api/v1/documents，kind=contract）",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_of_a_sealed_bid_file_holds_the_seal_of_the_largest_bid_file() {
        let numbers = DocumentNumbers::seed();
        let largest = numbers.max_bytes(DocumentKind::BidFile);
        assert!(numbers.max_bytes(DocumentKind::SealedBidFile) >= ggzy_seal::sealed_size(largest));
        assert!(numbers.max_bytes(DocumentKind::SealedBidFile) < ggzy_seal::sealed_size(largest + 1) + 16);
    }

    #[test]
    fn a_contract_not_stored_names_its_field_and_code() {
        let problem = contract_not_stored("sha256");
        assert_eq!((problem.field.as_str(), problem.code.as_str()), ("sha256", "document_not_stored"));
        assert!(problem.message.contains("kind=contract"));
    }

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

    fn bidder() -> Principal {
        Principal {
            subject: "alice".into(),
            role: Role::Bidder,
            org: Some("b1".into()),
            scopes: vec![],
            request_key: None,
        }
    }

    fn plan(project_id: Option<&str>, section_id: Option<&str>) -> UploadPlan {
        UploadPlan {
            kind: DocumentKind::BidFile,
            sha256: "ab".into(),
            title: "投标文件".into(),
            media_type: "application/pdf".into(),
            project_id: project_id.map(str::to_owned),
            section_id: section_id.map(str::to_owned),
            max_bytes: 100,
            existing: None,
        }
    }

    fn valid(target: UploadTarget) -> ValidUpload {
        ValidUpload {
            kind: DocumentKind::SealedBidFile,
            title: "投标文件".into(),
            sha256: "ab".into(),
            media_type: "application/octet-stream".into(),
            target,
        }
    }

    #[test]
    fn a_sealed_bid_file_is_planned_for_its_section_and_project_under_the_kind_limit() {
        let numbers = DocumentNumbers::seed();
        let planned =
            UploadPlan::of(valid(UploadTarget::SealedBidSection("s1".into())), Some("p1".into()), &numbers, None);
        assert_eq!((planned.project_id.as_deref(), planned.section_id.as_deref()), (Some("p1"), Some("s1")));
        assert_eq!(planned.max_bytes, numbers.max_bytes(DocumentKind::SealedBidFile));
        assert_eq!((planned.sha256.as_str(), planned.title.as_str()), ("ab", "投标文件"));
    }

    #[test]
    fn a_project_upload_has_no_section_and_keeps_what_was_handed_in_before() {
        let numbers = DocumentNumbers::seed();
        let mut upload = valid(UploadTarget::Project(Some("p1".into())));
        upload.kind = DocumentKind::Evidence;
        let before = plan(Some("p1"), None).document_row("d0".into(), 1, &bidder(), at(8)).unwrap();
        let existing = Document::from_row(before, 30).unwrap();
        let planned = UploadPlan::of(upload, Some("p1".into()), &numbers, Some(existing.clone()));
        assert_eq!((planned.project_id.as_deref(), planned.section_id), (Some("p1"), None));
        assert_eq!(
            (planned.kind, planned.max_bytes),
            (DocumentKind::Evidence, numbers.max_bytes(DocumentKind::Evidence))
        );
        assert_eq!(planned.existing, Some(existing));
    }

    #[test]
    fn an_upload_is_stored_as_planned_under_its_uploader() {
        let row = plan(Some("p1"), Some("s1")).document_row("d1".into(), 42, &bidder(), at(9)).unwrap();
        assert_eq!(
            (row.size_bytes, row.kind.as_str(), row.uploaded_by.as_str(), row.uploader_role.as_str()),
            (42, "bid_file", "bidder:alice@b1", "bidder")
        );
        assert_eq!(
            (row.uploader_org.as_deref(), row.section_id.as_deref(), row.uploaded_at),
            (Some("b1"), Some("s1"), at(9))
        );
        assert_eq!(plan(None, None).document_row("d1".into(), u64::MAX, &bidder(), at(9)), Err(SizeOutOfRange));
    }

    #[test]
    fn the_upload_payload_names_the_file_and_where_it_belongs() {
        let payload = plan(Some("p1"), None).audit_payload(42);
        assert_eq!(
            payload,
            serde_json::json!({
                "kind": "bid_file", "title": "投标文件", "sha256": "ab", "size_bytes": 42,
                "project_id": "p1", "section_id": null,
            })
        );
        let entry = plan(Some("p1"), None).audit_entry("project:p1".into(), "d1", 42);
        assert_eq!(
            (entry.chain.as_str(), entry.object_type, entry.object_id.as_str()),
            ("project:p1", "document", "d1")
        );
        assert_eq!((entry.action, entry.payload), (ggzy_kernel::AuditAction::DocumentUpload, payload));
    }

    #[test]
    fn an_issued_document_is_titled_as_announced_else_as_stored() {
        let stored = || plan(Some("p1"), None).document_row("d1".into(), 42, &bidder(), at(9)).unwrap();
        let plain = DownloadGrant::from(stored());
        assert_eq!((plain.sha256.as_str(), plain.title.as_str(), plain.issued_by), ("ab", "投标文件", None));
        let named = TenderDocument { title: Some("招标文件（修订）".into()), sha256: Some("ab".into()) };
        let issued = DownloadGrant::issued("a1", "p1", &named, stored());
        assert_eq!(issued.title, "招标文件（修订）");
        assert_eq!(
            (issued.media_type.as_str(), issued.issued_by),
            ("application/pdf", Some(("a1".into(), "p1".into())))
        );
        let untitled = TenderDocument { title: None, sha256: Some("ab".into()) };
        assert_eq!(DownloadGrant::issued("a1", "p1", &untitled, stored()).title, "投标文件");
    }

    #[test]
    fn only_an_issued_document_records_its_download() {
        let mut grant = DownloadGrant {
            sha256: "ab".into(),
            title: "招标文件".into(),
            media_type: "application/pdf".into(),
            issued_by: None,
        };
        assert_eq!(grant.download_row("x1".into(), &bidder(), at(9)), None);
        grant.issued_by = Some(("a1".into(), "p1".into()));
        let row = grant.download_row("x1".into(), &bidder(), at(9)).unwrap();
        assert_eq!(
            (row.announcement_id.as_str(), row.project_id.as_str(), row.downloaded_by.as_str(), row.downloaded_at),
            ("a1", "p1", "bidder:alice@b1", at(9))
        );
    }
}
