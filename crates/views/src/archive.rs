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
