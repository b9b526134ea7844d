//! The project archive (一项一档, 细则 §18): the whole file of a project with every audit
//! event of its hash chain, so anyone can verify it offline; every read is logged with who,
//! when and why (细则 §20).

use chrono::{DateTime, NaiveDateTime, Utc};
use ggzy_store::audit::{self, AuditEventRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::announcements::Announcement;
use crate::bids::OpeningRecord;
use crate::bonds::Bond;
use crate::evaluation::{ExpertDraw, SectionResult};
use crate::objections::Objection;
use crate::policy::{authorize, Action};
use crate::projects::Project;
use crate::validate::Problems;
use crate::{Platform, Principal, ServiceError};

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
    /// Every event of the project's chain, in order.
    pub audit_chain: Vec<ArchivedEvent>,
}

/// The result of verifying an archive's chain offline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArchiveVerification {
    pub valid: bool,
    pub events_checked: usize,
    /// The first bad event: its id, position and what is wrong.
    pub first_bad_event: Option<(String, i64, String)>,
}

/// Verifies the audit chain inside an exported archive (JSON text), without a database.
pub fn verify_archive(json: &str) -> Result<ArchiveVerification, String> {
    #[derive(Deserialize)]
    struct Chain {
        audit_chain: Vec<ArchivedEvent>,
    }
    let chain: Chain = serde_json::from_str(json).map_err(|e| format!("not a ggzy archive: {e}"))?;
    let mut previous: Option<(i64, String)> = None;
    let total = chain.audit_chain.len();
    for (index, event) in chain.audit_chain.into_iter().enumerate() {
        let row: AuditEventRow = event.into();
        if let Some(fault) = audit::check_event(&row, previous.as_ref().map(|(p, h)| (*p, h.as_str()))) {
            return Ok(ArchiveVerification {
                valid: false,
                events_checked: index + 1,
                first_bad_event: Some((row.id, row.position, fault.to_string())),
            });
        }
        previous = Some((row.position, row.event_hash));
    }
    Ok(ArchiveVerification { valid: true, events_checked: total, first_bad_event: None })
}

/// One read of an archive.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArchiveRead {
    pub reader: String,
    pub purpose: String,
    pub read_at: DateTime<Utc>,
}

impl Platform {
    /// Exports a project's archive for a stated purpose (centre, supervisors, inspectors);
    /// the read is logged.
    #[tracing::instrument(skip_all, fields(project_id = %project_id))]
    pub fn project_archive(
        &self,
        principal: Option<&Principal>,
        project_id: &str,
        purpose: Option<String>,
    ) -> Result<ProjectArchive, ServiceError> {
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        if !matches!(
            principal_ref.role,
            crate::Role::CentreStaff
                | crate::Role::IndustryRegulator
                | crate::Role::ComprehensiveRegulator
                | crate::Role::Inspector
        ) {
            return Err(ServiceError::Forbidden {
                detail: "档案由交易中心、监管部门和纪检监察调阅".into(),
                rule: None,
            });
        }
        let mut problems = Problems::default();
        let purpose = problems.required("purpose", purpose).and_then(|p| problems.text("purpose", p, 200));
        problems.finish()?;
        let purpose = purpose.unwrap_or_default();
        let project = self.project(principal, project_id)?;
        let now = self.now_naive();
        let announcements = self
            .store()
            .read(|conn| ggzy_store::announcements::of_project(conn, project_id))?
            .into_iter()
            .map(|a| self.announcement(&a.id))
            .collect::<Result<Vec<_>, _>>()?;
        let mut opening_records = Vec::new();
        let mut expert_draws = Vec::new();
        let mut results = Vec::new();
        for section in &project.sections {
            if let Ok(record) = self.opening_record(&section.id) {
                opening_records.push(record);
            }
            let draws = self.store().read(|conn| ggzy_store::evaluation::draws_of(conn, &section.id))?;
            for draw in draws {
                expert_draws.push(self.expert_draw(principal, &draw.id)?);
            }
            if let Ok(result) = self.section_result(&section.id) {
                results.push(result);
            }
        }
        let objections = self.objections(principal, project_id)?;
        let (bonds, audit_chain) = self.store().write(|conn| -> Result<_, ServiceError> {
            let mut bonds = Vec::new();
            for section in &project.sections {
                for bond in ggzy_store::ledger::bonds_of_section(conn, &section.id)? {
                    bonds.push(Self::bond_view(conn, bond)?);
                }
            }
            let chain: Vec<ArchivedEvent> =
                audit::chain(conn, &format!("project:{project_id}"))?.into_iter().map(ArchivedEvent::from).collect();
            audit::log_archive_read(conn, project_id, &principal_ref.actor(), &purpose, now)?;
            Ok((bonds, chain))
        })?;
        Ok(ProjectArchive {
            format: "ggzy-archive-v1".into(),
            exported_at: DateTime::from_naive_utc_and_offset(now, Utc),
            exported_by: principal_ref.actor(),
            purpose,
            project,
            announcements,
            opening_records,
            expert_draws,
            results,
            bonds,
            objections,
            audit_chain,
        })
    }

    /// Who read a project's archive (inspectors and regulators).
    pub fn archive_reads(
        &self,
        principal: Option<&Principal>,
        project_id: &str,
    ) -> Result<Vec<ArchiveRead>, ServiceError> {
        authorize(principal, Action::ReadBonds)?;
        let rows = self.store().read(|conn| audit::archive_reads(conn, project_id))?;
        Ok(rows
            .into_iter()
            .map(|(reader, purpose, at)| ArchiveRead {
                reader,
                purpose,
                read_at: DateTime::from_naive_utc_and_offset(at, Utc),
            })
            .collect())
    }
}
