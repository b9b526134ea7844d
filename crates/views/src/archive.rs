//! Response and request bodies of archive (see `ggzy_service::archive` for the use cases).

use crate::announcements::Announcement;
use crate::bids::OpeningRecord;
use crate::bonds::Bond;
use crate::evaluation::{ExpertDraw, SectionResult};
use crate::objections::Objection;
use crate::projects::Project;
use chrono::{DateTime, NaiveDateTime, Utc};
use ggzy_store::audit::AuditEventRow;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One audit event as archived: everything needed to recompute its hashes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ArchivedEvent {
    pub seq: i64,
    pub id: String,
    pub chain: String,
    pub position: i64,
    #[schema(value_type = String)]
    pub occurred_at: NaiveDateTime,
    pub actor: String,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    /// The canonical JSON text the payload hash is computed over.
    pub payload: String,
    pub payload_hash: String,
    pub prev_hash: String,
    pub event_hash: String,
}

impl From<AuditEventRow> for ArchivedEvent {
    fn from(row: AuditEventRow) -> Self {
        ArchivedEvent {
            seq: row.seq,
            id: row.id,
            chain: row.chain,
            position: row.position,
            occurred_at: row.occurred_at,
            actor: row.actor,
            action: row.action,
            object_type: row.object_type,
            object_id: row.object_id,
            payload: row.payload,
            payload_hash: row.payload_hash,
            prev_hash: row.prev_hash,
            event_hash: row.event_hash,
        }
    }
}

/// The whole file of a project.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProjectArchive {
    /// `ggzy-archive-v1`.
    pub format: String,
    pub exported_at: DateTime<Utc>,
    pub exported_by: String,
    pub purpose: String,
    pub project: Project,
    pub announcements: Vec<Announcement>,
    pub opening_records: Vec<OpeningRecord>,
    pub expert_draws: Vec<ExpertDraw>,
    pub results: Vec<SectionResult>,
    pub bonds: Vec<Bond>,
    pub objections: Vec<Objection>,
    /// Complaints to the regulator with their clocks and decisions.
    #[serde(default)]
    pub complaints: Vec<crate::complaints::Complaint>,
    /// Every event of the project's chain and, from a section's opening on, of the section's
    /// sealed chain (`sealed:<section>`: its bids and bonds), in the order written.
    pub audit_chain: Vec<ArchivedEvent>,
    /// The documents handed in for the project (reports, recordings, contracts, evidence…);
    /// the zip export carries their files.
    #[serde(default)]
    pub documents: Vec<crate::documents::Document>,
}

/// The result of verifying an archive's chain offline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArchiveVerification {
    pub valid: bool,
    pub events_checked: usize,
    /// The first bad event: its id, position and what is wrong.
    pub first_bad_event: Option<(String, i64, String)>,
    /// What is wrong with the file itself (a zip whose contents fail their checks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_fault: Option<String>,
}

/// A document named in an archive: where it appears, its title and the SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestDocument {
    pub source: String,
    pub title: String,
    pub sha256: String,
    /// Whether the zip carries the file, at `documents/<sha256>`. A hash named in a record
    /// whose file the platform never received (a paper original, a record written before
    /// files were stored) is listed with `false`.
    #[serde(default)]
    pub stored: bool,
}

/// `manifest.json` of an archive zip: the archive file's own digest and every document
/// the file names, by hash, with whether the zip carries its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchiveManifest {
    pub format: String,
    pub project_id: String,
    pub project_code: String,
    pub exported_at: DateTime<Utc>,
    /// SHA-256 of `archive.json` in the same zip.
    pub archive_sha256: String,
    pub documents: Vec<ManifestDocument>,
}

/// One read of an archive.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArchiveRead {
    pub reader: String,
    pub purpose: String,
    pub read_at: DateTime<Utc>,
}

/// One stored read: who, why and when.
impl From<(String, String, NaiveDateTime)> for ArchiveRead {
    fn from((reader, purpose, at): (String, String, NaiveDateTime)) -> Self {
        ArchiveRead { reader, purpose, read_at: at.and_utc() }
    }
}

/// The purpose an archive is read for: required, at most 200 characters (logged with the read).
pub fn read_purpose(purpose: Option<String>) -> Result<String, Vec<ggzy_kernel::FieldError>> {
    use ggzy_kernel::validation::read;
    let mut problems = Vec::new();
    let purpose = read::required(&mut problems, "purpose", purpose);
    purpose.and_then(|p| read::text(&mut problems, "purpose", p, 200)).ok_or(problems)
}

impl From<ArchivedEvent> for AuditEventRow {
    fn from(event: ArchivedEvent) -> Self {
        AuditEventRow {
            seq: event.seq,
            id: event.id,
            chain: event.chain,
            position: event.position,
            occurred_at: event.occurred_at,
            actor: event.actor,
            action: event.action,
            object_type: event.object_type,
            object_id: event.object_id,
            payload: event.payload,
            payload_hash: event.payload_hash,
            prev_hash: event.prev_hash,
            event_hash: event.event_hash,
        }
    }
}

/// Verifies the audit chain inside an exported archive (JSON text), without a database.
pub fn verify_archive(json: &str) -> Result<ArchiveVerification, String> {
    #[derive(Deserialize)]
    struct Section {
        id: String,
    }
    #[derive(Deserialize)]
    struct ArchivedProject {
        id: String,
        sections: Vec<Section>,
    }
    #[derive(Deserialize)]
    struct Chain {
        project: ArchivedProject,
        audit_chain: Vec<ArchivedEvent>,
    }
    let chain: Chain = serde_json::from_str(json).map_err(|e| format!("not a ggzy archive: {e}"))?;
    // Only the project's own chain and its sections' sealed chains belong in its file.
    let project_chain = format!("project:{}", chain.project.id);
    let belongs = |name: &str| {
        name == project_chain
            || name
                .strip_prefix(ggzy_trading::bidding::SEALED_CHAIN_PREFIX)
                .is_some_and(|s| chain.project.sections.iter().any(|x| x.id == s))
    };
    if let Some(stranger) = chain.audit_chain.iter().find(|e| !belongs(&e.chain)) {
        return Ok(ArchiveVerification {
            valid: false,
            events_checked: 0,
            first_bad_event: Some((
                stranger.id.clone(),
                stranger.position,
                format!("chain {} is not this project's", stranger.chain),
            )),
            file_fault: None,
        });
    }
    // The project's chain and the sealed chains of its opened sections, interleaved in the
    // order they were written; each links to its own previous event.
    let mut heads: std::collections::HashMap<String, (i64, String)> = std::collections::HashMap::new();
    let total = chain.audit_chain.len();
    for (index, event) in chain.audit_chain.into_iter().enumerate() {
        let row: AuditEventRow = event.into();
        let previous = heads.get(&row.chain);
        if let Some(fault) = ggzy_store::audit::check_event(&row, previous.map(|(p, h)| (*p, h.as_str()))) {
            return Ok(ArchiveVerification {
                valid: false,
                events_checked: index + 1,
                first_bad_event: Some((row.id, row.position, fault.to_string())),
                file_fault: None,
            });
        }
        heads.insert(row.chain, (row.position, row.event_hash));
    }
    Ok(ArchiveVerification { valid: true, events_checked: total, first_bad_event: None, file_fault: None })
}

/// Every document an archive names: approval documents, announcement documents, the
/// bids' documents in the opening records and the documents handed in for the project.
/// `stored` is left false: whoever writes the zip sets it for the files it carries.
pub fn documents_of(archive: &ProjectArchive) -> Vec<ManifestDocument> {
    let mut documents: Vec<ManifestDocument> = archive
        .project
        .approval_documents
        .iter()
        .map(|d| ManifestDocument {
            source: "approval".into(),
            title: d.title.clone().unwrap_or_default(),
            sha256: d.sha256.clone().unwrap_or_default(),
            stored: false,
        })
        .collect();
    for announcement in &archive.announcements {
        for document in &announcement.content.documents {
            documents.push(ManifestDocument {
                source: format!("announcement:{}", announcement.id),
                title: document.title.clone().unwrap_or_default(),
                sha256: document.sha256.clone().unwrap_or_default(),
                stored: false,
            });
        }
    }
    for record in &archive.opening_records {
        for bid in &record.bids {
            for document in &bid.documents {
                documents.push(ManifestDocument {
                    source: format!("bid:{}:{}", record.section_id, bid.bidder_id),
                    title: document.title.clone().unwrap_or_default(),
                    sha256: document.sha256.clone().unwrap_or_default(),
                    stored: false,
                });
            }
        }
    }
    for document in &archive.documents {
        documents.push(ManifestDocument {
            source: format!("document:{}:{}", document.kind, document.id),
            title: document.title.clone(),
            sha256: document.sha256.clone(),
            stored: false,
        });
    }
    documents
}

#[cfg(test)]
mod tests {
    use super::*;
    use ggzy_store::audit::{event_hash, sha256_hex, GENESIS_HASH};

    fn event(chain: &str, position: i64, prev_hash: &str) -> ArchivedEvent {
        let occurred_at = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap().and_hms_opt(9, 0, 0).unwrap();
        let payload = "{}".to_owned();
        let payload_hash = sha256_hex(payload.as_bytes());
        let hash = event_hash(chain, position, occurred_at, "system", "x", "project", "p1", &payload_hash, prev_hash);
        ArchivedEvent {
            seq: position,
            id: format!("e{position}"),
            chain: chain.into(),
            position,
            occurred_at,
            actor: "system".into(),
            action: "x".into(),
            object_type: "project".into(),
            object_id: "p1".into(),
            payload,
            payload_hash,
            prev_hash: prev_hash.into(),
            event_hash: hash,
        }
    }

    fn archive(events: &[ArchivedEvent]) -> String {
        serde_json::json!({
            "project": { "id": "p1", "sections": [{ "id": "s1" }] },
            "audit_chain": events,
        })
        .to_string()
    }

    #[test]
    fn an_archive_is_read_for_a_stated_purpose_and_the_read_shows_as_stored() {
        assert_eq!(read_purpose(Some(" 审计 ".into())), Ok("审计".to_owned()));
        let codes = |purpose| read_purpose(purpose).unwrap_err().into_iter().map(|p| p.code).collect::<Vec<_>>();
        assert_eq!(codes(None), ["required"]);
        assert_eq!(codes(Some("为".repeat(201))), ["too_long"]);
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap().and_hms_opt(9, 0, 0).unwrap();
        let read = ArchiveRead::from(("inspector:1".to_owned(), "审计".to_owned(), at));
        assert_eq!((read.reader.as_str(), read.purpose.as_str(), read.read_at), ("inspector:1", "审计", at.and_utc()));
    }

    #[test]
    fn a_linked_chain_with_its_sealed_section_chain_verifies() {
        let first = event("project:p1", 1, GENESIS_HASH);
        let second = event("project:p1", 2, &first.event_hash);
        let sealed = event("sealed:s1", 1, GENESIS_HASH);
        let verified = verify_archive(&archive(&[first, sealed, second])).unwrap();
        assert_eq!((verified.valid, verified.events_checked, verified.first_bad_event), (true, 3, None));
    }

    #[test]
    fn a_broken_link_names_the_first_bad_event() {
        let first = event("project:p1", 1, GENESIS_HASH);
        let second = event("project:p1", 2, GENESIS_HASH);
        let verified = verify_archive(&archive(&[first, second])).unwrap();
        assert!(!verified.valid);
        assert_eq!(verified.events_checked, 2);
        assert_eq!(verified.first_bad_event.map(|(id, position, _)| (id, position)), Some(("e2".to_owned(), 2)));
    }

    #[test]
    fn a_chain_of_another_project_or_section_does_not_belong() {
        let stranger = event("sealed:s9", 1, GENESIS_HASH);
        let verified = verify_archive(&archive(&[stranger])).unwrap();
        assert_eq!((verified.valid, verified.events_checked), (false, 0));
        assert_eq!(
            verified.first_bad_event.map(|(_, _, why)| why),
            Some("chain sealed:s9 is not this project's".to_owned())
        );
        assert!(verify_archive("[]").unwrap_err().starts_with("not a ggzy archive"));
    }
}
