//! The project archive (一项一档, 细则 §18): the whole file of a project with every audit
//! event of its hash chain, so anyone can verify it offline; every read is logged with who,
//! when and why (细则 §20).

use chrono::{DateTime, Utc};
use ggzy_store::audit;
use serde::Deserialize;

use crate::policy::{authorize, Action};
use crate::validate::Problems;
use crate::{Principal, ServiceError};
pub use ggzy_views::archive::{
    documents_of, verify_archive, ArchiveManifest, ArchiveRead, ArchiveVerification, ArchivedEvent, ManifestDocument,
    ProjectArchive,
};

/// Writes the archive as a zip: `archive.json`, `manifest.json` and, at
/// `documents/<sha256>`, the file of every document in `files` (hash → a local copy whose
/// bytes were verified against it). Files are copied through, never held in memory.
pub fn write_archive_zip<W: std::io::Write + std::io::Seek>(
    archive: &ProjectArchive,
    files: &std::collections::BTreeMap<String, std::path::PathBuf>,
    out: W,
) -> Result<W, ServiceError> {
    use std::io::Write;
    let internal = |e: &dyn std::fmt::Display| ServiceError::Internal(format!("writing the archive zip: {e}"));
    let json = serde_json::to_vec_pretty(archive).map_err(|e| internal(&e))?;
    let mut documents = documents_of(archive);
    for document in &mut documents {
        document.stored = files.contains_key(&document.sha256);
    }
    let manifest = ArchiveManifest {
        format: "ggzy-archive-zip-v1".into(),
        project_id: archive.project.id.clone(),
        project_code: archive.project.code.clone(),
        exported_at: archive.exported_at,
        archive_sha256: audit::sha256_hex(&json),
        documents,
    };
    let manifest = serde_json::to_vec_pretty(&manifest).map_err(|e| internal(&e))?;
    let mut writer = zip::ZipWriter::new(out);
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in [("archive.json", &json), ("manifest.json", &manifest)] {
        writer.start_file(name, options).map_err(|e| internal(&e))?;
        writer.write_all(bytes).map_err(|e| internal(&e))?;
    }
    // Stored as they are: documents are mostly compressed formats already, and large.
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored).large_file(true);
    for (sha256, path) in files {
        writer.start_file(format!("documents/{sha256}"), stored).map_err(|e| internal(&e))?;
        let mut file = std::fs::File::open(path).map_err(|e| internal(&e))?;
        std::io::copy(&mut file, &mut writer).map_err(|e| internal(&e))?;
    }
    writer.finish().map_err(|e| internal(&e))
}

/// The archive as a zip in memory, without document files (tests and small exports).
pub fn archive_zip(archive: &ProjectArchive) -> Result<Vec<u8>, ServiceError> {
    Ok(write_archive_zip(archive, &Default::default(), std::io::Cursor::new(Vec::new()))?.into_inner())
}

/// Verifies an exported archive file offline: the JSON export, or the zip (whose
/// `archive.json` must match the manifest's digest before its chain is checked, and every
/// file it carries the hash it is filed under).
pub fn verify_archive_file(bytes: &[u8]) -> Result<ArchiveVerification, String> {
    if !bytes.starts_with(b"PK\x03\x04") {
        let text = std::str::from_utf8(bytes).map_err(|_| "not a ggzy archive: neither JSON nor zip".to_owned())?;
        return verify_archive(text);
    }
    verify_archive_zip(std::io::Cursor::new(bytes))
}

/// Verifies an archive zip read from a file or any seekable reader, streaming each carried
/// document through its hash.
pub fn verify_archive_zip<R: std::io::Read + std::io::Seek>(reader: R) -> Result<ArchiveVerification, String> {
    match read_zip(reader) {
        Ok(json) => verify_archive(&json),
        // A zip that does not open, whose archive.json does not match its manifest, or
        // whose files do not match their hashes has been changed: it fails verification,
        // it is not a usage error.
        Err(fault) => {
            Ok(ArchiveVerification { valid: false, events_checked: 0, first_bad_event: None, file_fault: Some(fault) })
        }
    }
}

/// The `archive.json` of an archive zip, checked against the manifest's digest, after
/// every file the manifest says the zip carries was found and hashed.
fn read_zip<R: std::io::Read + std::io::Seek>(reader: R) -> Result<String, String> {
    use sha2::Digest;
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(reader).map_err(|e| format!("the zip does not open: {e}"))?;
    let read = |zip: &mut zip::ZipArchive<R>, name: &str| -> Result<Vec<u8>, String> {
        let mut file = zip.by_name(name).map_err(|e| format!("{name}: {e}"))?;
        let mut content = Vec::new();
        file.read_to_end(&mut content).map_err(|e| format!("{name}: {e}"))?;
        Ok(content)
    };
    let json = read(&mut zip, "archive.json")?;
    let manifest: ArchiveManifest =
        serde_json::from_slice(&read(&mut zip, "manifest.json")?).map_err(|e| format!("manifest.json: {e}"))?;
    if audit::sha256_hex(&json) != manifest.archive_sha256 {
        return Err("archive.json does not match the digest in manifest.json".into());
    }
    // Every file the zip carries hashes to its name, and every file the manifest or the
    // archive's own list of documents says is carried is there: a file dropped from the zip
    // together with its manifest flag is still missed, for archive.json (whose digest is
    // checked above) lists the project's documents, which are always carried.
    let mut expected: std::collections::BTreeSet<String> =
        manifest.documents.iter().filter(|d| d.stored).map(|d| d.sha256.clone()).collect();
    #[derive(Deserialize)]
    struct Listed {
        sha256: String,
    }
    #[derive(Deserialize)]
    struct WithDocuments {
        #[serde(default)]
        documents: Vec<Listed>,
    }
    let listed: WithDocuments = serde_json::from_slice(&json).map_err(|e| format!("archive.json: {e}"))?;
    expected.extend(listed.documents.into_iter().map(|d| d.sha256));
    let carried: Vec<String> = zip
        .file_names()
        .filter_map(|name| name.strip_prefix("documents/").map(str::to_owned))
        .filter(|name| !name.is_empty())
        .collect();
    if let Some(missing) = expected.iter().find(|sha| !carried.contains(sha)) {
        return Err(format!("documents/{missing} is named as carried but is not in the zip"));
    }
    for sha256 in carried {
        let title = manifest.documents.iter().find(|d| d.sha256 == sha256).map(|d| d.title.clone()).unwrap_or_default();
        let name = format!("documents/{sha256}");
        let document = ManifestDocument { source: String::new(), title, sha256, stored: true };
        let mut file = zip.by_name(&name).map_err(|e| format!("{name} ({}): {e}", document.title))?;
        let mut hasher = sha2::Sha256::new();
        let mut buffer = vec![0u8; 64 * 1024];
        loop {
            let n = file.read(&mut buffer).map_err(|e| format!("{name}: {e}"))?;
            if n == 0 {
                break;
            }
            hasher.update(&buffer[..n]);
        }
        let found = hex::encode(hasher.finalize());
        if found != document.sha256 {
            return Err(format!("{name} ({}) hashes to {found}: the file was changed", document.title));
        }
    }
    String::from_utf8(json).map_err(|e| format!("archive.json: {e}"))
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
        authorize(principal, Action::ReadArchive)?;
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        let mut problems = Problems::default();
        let purpose = problems.required("purpose", purpose).and_then(|p| problems.text("purpose", p, 200));
        problems.finish()?;
        let purpose = purpose.unwrap_or_default();
        let project = self.tendering().project(principal, project_id)?;
        let now = self.now_naive();
        let announcements = self
            .store()
            .read(|conn| ggzy_store::announcements::of_project(conn, project_id))?
            .into_iter()
            .map(|a| self.tendering().announcement(&a.id))
            .collect::<Result<Vec<_>, _>>()?;
        let mut opening_records = Vec::new();
        let mut expert_draws = Vec::new();
        let mut results = Vec::new();
        for section in &project.sections {
            if let Ok(record) = self.tendering().opening_record(&section.id) {
                opening_records.push(record);
            }
            let draws = self.store().read(|conn| ggzy_store::evaluation::draws_of(conn, &section.id))?;
            for draw in draws {
                expert_draws.push(self.evaluation().expert_draw(principal, &draw.id)?);
            }
            if let Ok(result) = self.evaluation().section_result(&section.id) {
                results.push(result);
            }
        }
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
