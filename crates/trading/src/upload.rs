//! What an upload says of its file, read before its bytes are: the kind, title, declared
//! hash and media type, and what the file belongs to (a project, or the section of a sealed
//! bid file). Every problem of the request is named at once. Also: when an upload for a
//! project the caller may not read is refused as if the project did not exist, which kinds
//! an announcement issues for download, and until when a document is kept
//! (documents.retention). Who may hand which kind in is the service's policy.

use ggzy_kernel::validation::read;
use ggzy_kernel::FieldError;
use ggzy_rules::DocumentKind;
use serde::Deserialize;

/// What an upload says of its file (the query of `POST /documents`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct UploadRequest {
    pub kind: Option<String>,
    pub title: Option<String>,
    /// The SHA-256 the uploader computed; the bytes received must hash to it.
    pub sha256: Option<String>,
    pub project_id: Option<String>,
    /// The section a sealed bid file is for (only with `sealed_bid_file`).
    pub section_id: Option<String>,
    /// The `Content-Type` of the upload.
    pub media_type: Option<String>,
}

/// The media type of an upload that names none.
pub const DEFAULT_MEDIA_TYPE: &str = "application/octet-stream";

/// What a file belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadTarget {
    /// A sealed bid file, for the named section (its project follows from the section).
    SealedBidSection(String),
    /// Any other kind: its project, which only evidence may lack.
    Project(Option<String>),
}

/// An upload request whose fields are all valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidUpload {
    pub kind: DocumentKind,
    pub title: String,
    pub sha256: String,
    pub media_type: String,
    pub target: UploadTarget,
}

/// Reads an upload request: every problem at once, in the order the fields are checked
/// (kind, title, sha256, Content-Type, then what the file belongs to).
pub fn read_upload(request: UploadRequest) -> Result<ValidUpload, Vec<FieldError>> {
    let mut problems = Vec::new();
    let kind = read::required(&mut problems, "kind", request.kind)
        .and_then(|k| read::closed::<DocumentKind>(&mut problems, "kind", &k));
    let title =
        read::required(&mut problems, "title", request.title).and_then(|t| read::text(&mut problems, "title", t, 200));
    let sha256 = read::sha256(&mut problems, "sha256", request.sha256);
    let media_type = request.media_type.filter(|m| !m.trim().is_empty()).unwrap_or_else(|| DEFAULT_MEDIA_TYPE.into());
    if media_type.len() > 200 || media_type.chars().any(char::is_control) {
        problems.push(FieldError::new("Content-Type", "invalid_media_type", "文件类型无效"));
    }
    if kind == Some(DocumentKind::BidFile) {
        problems.push(FieldError::new(
            "kind",
            "bid_file_with_sealed_bid",
            "投标文件以加密形式提交（kind=sealed_bid_file 与 section_id），解密投标时由平台保存其明文",
        ));
    }
    let project_id = request.project_id.filter(|id| !id.is_empty());
    let section_id = request.section_id.filter(|id| !id.is_empty());
    let target = if kind == Some(DocumentKind::SealedBidFile) {
        if section_id.is_none() {
            problems.push(FieldError::new("section_id", "required", "加密投标文件须指明投标的标段"));
        }
        if project_id.is_some() {
            problems.push(FieldError::new(
                "project_id",
                "section_names_project",
                "加密投标文件以 section_id 指明标段，不另填 project_id",
            ));
        }
        section_id.map(UploadTarget::SealedBidSection)
    } else {
        if section_id.is_some() {
            problems.push(FieldError::new(
                "section_id",
                "only_for_sealed_bid_files",
                "section_id 仅用于加密投标文件（kind=sealed_bid_file）",
            ));
        }
        if project_id.is_none() && kind.is_some_and(|k| k != DocumentKind::Evidence) {
            problems.push(FieldError::new("project_id", "required", "除证明材料外，文件须属于一个项目"));
        }
        Some(UploadTarget::Project(project_id))
    };
    match (kind, title, sha256, target) {
        (Some(kind), Some(title), Some(sha256), Some(target)) if problems.is_empty() => {
            Ok(ValidUpload { kind, title, sha256, media_type, target })
        }
        _ => Err(problems),
    }
}

/// Whether an upload for a project the caller may not read is answered as if the project
/// did not exist (so that its existence does not leak): evidence may be handed in about
/// any project (a report of wrongdoing), and an expert hands in the report of a committee
/// it sits on; anything else needs a project the caller reads.
pub fn project_unseen(kind: DocumentKind, reads_project: bool, on_committee: bool) -> bool {
    !reads_project && kind != DocumentKind::Evidence && !on_committee
}

/// The kinds of document an announcement issues for download: only what the project's
/// tender side handed in as tender documents, so that naming another file's hash in an
/// announcement does not make it downloadable.
pub const ISSUED_KINDS: [DocumentKind; 2] = [DocumentKind::TenderDocument, DocumentKind::TenderCorrection];

/// The last year a document uploaded in `uploaded_year` is kept: `retention_years` after
/// it (documents.retention); nothing deletes it before the end of that year.
pub fn retained_until_year(uploaded_year: i32, retention_years: u32) -> i32 {
    uploaded_year + i32::try_from(retention_years).unwrap_or(i32::MAX / 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    fn request(kind: &str) -> UploadRequest {
        UploadRequest {
            kind: Some(kind.into()),
            title: Some("招标文件".into()),
            sha256: Some(SHA.into()),
            project_id: Some("p-1".into()),
            section_id: None,
            media_type: Some("application/pdf".into()),
        }
    }

    fn codes(problems: &[FieldError]) -> Vec<(String, String)> {
        problems.iter().map(|p| (p.field.clone(), p.code.clone())).collect()
    }

    fn pair(field: &str, code: &str) -> (String, String) {
        (field.to_owned(), code.to_owned())
    }

    #[test]
    fn a_project_document_is_read_with_its_project() {
        let upload = read_upload(request("tender_document")).expect("valid");
        assert_eq!(upload.kind, DocumentKind::TenderDocument);
        assert_eq!(upload.media_type, "application/pdf");
        assert_eq!(upload.target, UploadTarget::Project(Some("p-1".into())));
    }

    #[test]
    fn a_missing_or_blank_media_type_is_the_default() {
        for media_type in [None, Some("  ".to_owned())] {
            let upload = read_upload(UploadRequest { media_type, ..request("contract") }).expect("valid");
            assert_eq!(upload.media_type, DEFAULT_MEDIA_TYPE);
        }
    }

    #[test]
    fn evidence_alone_may_lack_a_project() {
        let evidence = read_upload(UploadRequest { project_id: Some(String::new()), ..request("evidence") });
        assert_eq!(evidence.expect("valid").target, UploadTarget::Project(None));
        let contract = read_upload(UploadRequest { project_id: None, ..request("contract") }).expect_err("refused");
        assert_eq!(codes(&contract), vec![pair("project_id", "required")]);
    }

    #[test]
    fn a_sealed_bid_file_names_its_section_and_no_project() {
        let sealed = UploadRequest { project_id: None, section_id: Some("s-1".into()), ..request("sealed_bid_file") };
        assert_eq!(read_upload(sealed).expect("valid").target, UploadTarget::SealedBidSection("s-1".into()));
        let both = read_upload(request("sealed_bid_file")).expect_err("refused");
        assert_eq!(codes(&both), vec![pair("section_id", "required"), pair("project_id", "section_names_project")]);
        let section_elsewhere =
            read_upload(UploadRequest { section_id: Some("s-1".into()), ..request("contract") }).expect_err("refused");
        assert_eq!(codes(&section_elsewhere), vec![pair("section_id", "only_for_sealed_bid_files")]);
    }

    #[test]
    fn a_plain_bid_file_is_refused() {
        let refused = read_upload(request("bid_file")).expect_err("refused");
        assert_eq!(codes(&refused), vec![pair("kind", "bid_file_with_sealed_bid")]);
    }

    #[test]
    fn every_problem_is_named_at_once_in_order() {
        let refused = read_upload(UploadRequest {
            kind: Some("letter".into()),
            title: None,
            sha256: Some("ABC".into()),
            project_id: None,
            section_id: Some("s-1".into()),
            media_type: Some("text/plain\n".into()),
        })
        .expect_err("refused");
        assert_eq!(
            codes(&refused),
            vec![
                pair("kind", "unknown_value"),
                pair("title", "required"),
                pair("sha256", "invalid_sha256"),
                pair("Content-Type", "invalid_media_type"),
                pair("section_id", "only_for_sealed_bid_files"),
            ]
        );
    }

    #[test]
    fn an_unread_project_is_unseen_but_for_evidence_and_its_committee() {
        use DocumentKind::*;
        let table = [
            (Contract, true, false, false),
            (Contract, false, false, true),
            (Evidence, false, false, false),
            (EvaluationReport, false, true, false),
            (EvaluationReport, false, false, true),
        ];
        for (kind, reads, on_committee, unseen) in table {
            assert_eq!(project_unseen(kind, reads, on_committee), unseen, "{kind:?} reads={reads} {on_committee}");
        }
    }

    #[test]
    fn a_document_is_kept_its_retention_years_after_its_upload() {
        assert_eq!(retained_until_year(2026, 15), 2041);
        assert_eq!(retained_until_year(2026, 0), 2026);
        assert_eq!(retained_until_year(2026, u32::MAX), 2026 + i32::MAX / 2);
        assert!(ISSUED_KINDS.contains(&DocumentKind::TenderCorrection));
        assert!(!ISSUED_KINDS.contains(&DocumentKind::Contract));
    }
}
