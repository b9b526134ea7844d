//! The project archive (一项一档, 细则 §18): the whole file of a project with every audit
//! event of its hash chain, so anyone can verify it offline; every read is logged with who,
//! when and why (细则 §20).

use chrono::{DateTime, Utc};
use ggzy_store::audit;

use crate::announcements::Announcement;
use crate::policy::{authorize, authorized, Action};
use crate::{Principal, ServiceError};
pub use ggzy_views::archive::{
    documents_of, verify_archive, ArchiveManifest, ArchiveRead, ArchiveVerification, ArchivedEvent, ManifestDocument,
    ProjectArchive,
};
pub use ggzy_views::archive_zip::{verify_archive_file, verify_archive_zip};

/// Writes the archive as a zip (see [`ggzy_views::archive_zip`]) with the file of every
/// document in `files` (hash → a local copy whose bytes were verified against it).
pub fn write_archive_zip<W: std::io::Write + std::io::Seek>(
    archive: &ProjectArchive,
    files: &std::collections::BTreeMap<String, std::path::PathBuf>,
    out: W,
) -> Result<W, ServiceError> {
    ggzy_views::archive_zip::write_archive_zip(archive, files, |path| std::fs::File::open(path), out)
        .map_err(ServiceError::Internal)
}

/// The archive as a zip in memory, without document files (tests and small exports).
pub fn archive_zip(archive: &ProjectArchive) -> Result<Vec<u8>, ServiceError> {
    ggzy_views::archive_zip::archive_zip(archive).map_err(ServiceError::Internal)
}

impl crate::contexts::Disclosure<'_> {
    /// Exports a project's archive for a stated purpose (centre, supervisors, inspectors);
    /// the read is logged.
    #[tracing::instrument(skip_all, fields(project_id = %project_id))]
    pub fn project_archive(
        &self,
        principal: Option<&Principal>,
        project_id: &str,
        purpose: Option<String>,
    ) -> Result<ProjectArchive, ServiceError> {
        let principal_ref = authorized(principal, Action::ReadArchive)?;
        let purpose = ggzy_views::archive::read_purpose(purpose).map_err(ServiceError::Invalid)?;
        let project = self.tendering().project(principal, project_id)?;
        let now = self.now_naive();
        let (announcements, draw_ids) = self.store().read(|conn| -> Result<_, ServiceError> {
            let mut draw_ids = Vec::new();
            for section in &project.sections {
                draw_ids.extend(ggzy_store::evaluation::draws_of(conn, &section.id)?.into_iter().map(|draw| draw.id));
            }
            Ok((ggzy_store::announcements::of_project(conn, project_id)?, draw_ids))
        })?;
        let announcements = announcements
            .into_iter()
            .map(|row| Ok(Announcement::try_from(row)?))
            .collect::<Result<_, ServiceError>>()?;
        let sections = || project.sections.iter().map(|section| section.id.as_str());
        // A section not opened or not evaluated yet has no record or result to file.
        let opening_records = sections().filter_map(|id| self.tendering().opening_record(id).ok()).collect();
        let results = sections().filter_map(|id| self.evaluation().section_result(id).ok()).collect();
        let expert_draws =
            draw_ids.iter().map(|id| self.evaluation().expert_draw(principal, id)).collect::<Result<_, _>>()?;
        let objections = self.oversight().objections(principal, project_id)?;
        let (bonds, complaints, audit_chain, documents) = self.store().write(|conn| -> Result<_, ServiceError> {
            let calendar = self.working_calendar_in(conn)?;
            let complaints = ggzy_store::objections::complaints_of(conn, project_id)?
                .into_iter()
                .map(|row| self.oversight().complaint_view_with(conn, &calendar, row))
                .collect::<Result<Vec<_>, _>>()?;
            // Before a section's opening its bonds and the acts on its bids and bonds (its
            // sealed chain) stay out of the file; from the opening on they are in it.
            let mut bonds = Vec::new();
            let mut chain = audit::chain(conn, &format!("project:{project_id}"))?;
            for section in &project.sections {
                if crate::bids::sealed_section(conn, &section.id)? {
                    continue;
                }
                for bond in ggzy_store::ledger::bonds_of_section(conn, &section.id)? {
                    bonds.push(crate::contexts::Bonds::bond_view(conn, bond)?);
                }
                chain.extend(audit::chain(conn, &format!("{}{}", crate::bids::SEALED_CHAIN_PREFIX, section.id))?);
            }
            chain.sort_by_key(|event| event.seq);
            let chain: Vec<ArchivedEvent> = chain.into_iter().map(ArchivedEvent::from).collect();
            audit::log_archive_read(conn, project_id, &principal_ref.actor(), &purpose, now)?;
            let retention = self.tendering().retention_years(conn, Some(project_id))?;
            // A bid file (sealed or opened) joins the file once its section is opened.
            let mut documents = Vec::new();
            for row in ggzy_store::documents::of_project(conn, project_id)? {
                if !crate::documents::bid_file_closed(conn, &row)? {
                    documents.push(crate::contexts::Tendering::document_view(row, retention)?);
                }
            }
            Ok((bonds, complaints, chain, documents))
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
            complaints,
            audit_chain,
            documents,
        })
    }

    /// Who read a project's archive (inspectors and regulators).
    pub fn archive_reads(
        &self,
        principal: Option<&Principal>,
        project_id: &str,
    ) -> Result<Vec<ArchiveRead>, ServiceError> {
        authorize(principal, Action::ReadArchiveReads)?;
        let rows = self.store().read(|conn| audit::archive_reads(conn, project_id))?;
        Ok(rows.into_iter().map(ArchiveRead::from).collect())
    }
}
