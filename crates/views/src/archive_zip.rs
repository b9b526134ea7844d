//! The archive zip (`ggzy-archive-zip-v1`): what it carries and how it is checked, over any
//! writer and reader. `archive.json` is the export, `manifest.json` its digest and every
//! document it names by hash, and `documents/<sha256>` the files the platform holds. Where
//! the files come from (a spool directory, memory) is the caller's.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Seek, Write};

use ggzy_store::audit::sha256_hex;
use serde::Deserialize;
use sha2::Digest;

use crate::archive::{documents_of, verify_archive, ArchiveManifest, ArchiveVerification, ProjectArchive};

/// The format a zip's manifest names.
pub const ZIP_FORMAT: &str = "ggzy-archive-zip-v1";

/// The manifest of a zip whose `archive.json` is `json`: every document the archive names,
/// each `stored` when `carried` says the zip holds its file.
pub fn manifest_of(archive: &ProjectArchive, json: &[u8], carried: impl Fn(&str) -> bool) -> ArchiveManifest {
    let mut documents = documents_of(archive);
    for document in &mut documents {
        document.stored = carried(&document.sha256);
    }
    ArchiveManifest {
        format: ZIP_FORMAT.into(),
        project_id: archive.project.id.clone(),
        project_code: archive.project.code.clone(),
        exported_at: archive.exported_at,
        archive_sha256: sha256_hex(json),
        documents,
    }
}

/// Writes the archive as a zip: `archive.json`, `manifest.json` and, at
/// `documents/<sha256>`, the file of every document in `files` (hash → where its verified
/// bytes are, opened by `open` one at a time and copied through, never held in memory).
pub fn write_archive_zip<W, S, R>(
    archive: &ProjectArchive,
    files: &BTreeMap<String, S>,
    open: impl Fn(&S) -> std::io::Result<R>,
    out: W,
) -> Result<W, String>
where
    W: Write + Seek,
    R: Read,
{
    let json = serde_json::to_vec_pretty(archive).map_err(|e| format!("writing the archive zip: {e}"))?;
    let manifest = manifest_of(archive, &json, |sha256| files.contains_key(sha256));
    write_entries(&json, &manifest, files, open, out)
}

/// The zip of an `archive.json` with its manifest and the files in `files`.
fn write_entries<W, S, R>(
    json: &[u8],
    manifest: &ArchiveManifest,
    files: &BTreeMap<String, S>,
    open: impl Fn(&S) -> std::io::Result<R>,
    out: W,
) -> Result<W, String>
where
    W: Write + Seek,
    R: Read,
{
    let fault = |e: &dyn std::fmt::Display| format!("writing the archive zip: {e}");
    let manifest = serde_json::to_vec_pretty(manifest).map_err(|e| fault(&e))?;
    let mut writer = zip::ZipWriter::new(out);
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in [("archive.json", json), ("manifest.json", &manifest)] {
        writer.start_file(name, options).map_err(|e| fault(&e))?;
        writer.write_all(bytes).map_err(|e| fault(&e))?;
    }
    // Stored as they are: documents are mostly compressed formats already, and large.
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored).large_file(true);
    for (sha256, source) in files {
        writer.start_file(format!("documents/{sha256}"), stored).map_err(|e| fault(&e))?;
        let mut file = open(source).map_err(|e| fault(&e))?;
        std::io::copy(&mut file, &mut writer).map_err(|e| fault(&e))?;
    }
    writer.finish().map_err(|e| fault(&e))
}

/// The archive as a zip in memory, without document files (tests and small exports).
pub fn archive_zip(archive: &ProjectArchive) -> Result<Vec<u8>, String> {
    let none: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let written = write_archive_zip(
        archive,
        &none,
        |bytes| Ok(std::io::Cursor::new(bytes.clone())),
        std::io::Cursor::new(Vec::new()),
    )?;
    Ok(written.into_inner())
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
pub fn verify_archive_zip<R: Read + Seek>(reader: R) -> Result<ArchiveVerification, String> {
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

/// The hashes an archive zip must carry: those its manifest marks stored, and every
/// document `archive.json` itself lists (always carried, and covered by the manifest's
/// digest, so a file dropped together with its manifest flag is still missed).
pub fn expected_files(manifest: &ArchiveManifest, json: &[u8]) -> Result<BTreeSet<String>, String> {
    #[derive(Deserialize)]
    struct Listed {
        sha256: String,
    }
    #[derive(Deserialize)]
    struct WithDocuments {
        #[serde(default)]
        documents: Vec<Listed>,
    }
    let mut expected: BTreeSet<String> =
        manifest.documents.iter().filter(|d| d.stored).map(|d| d.sha256.clone()).collect();
    let listed: WithDocuments = serde_json::from_slice(json).map_err(|e| format!("archive.json: {e}"))?;
    expected.extend(listed.documents.into_iter().map(|d| d.sha256));
    Ok(expected)
}

/// The `archive.json` of an archive zip, checked against the manifest's digest, after
/// every file the manifest says the zip carries was found and hashed.
fn read_zip<R: Read + Seek>(reader: R) -> Result<String, String> {
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
    if sha256_hex(&json) != manifest.archive_sha256 {
        return Err("archive.json does not match the digest in manifest.json".into());
    }
    let expected = expected_files(&manifest, &json)?;
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
        let mut file = zip.by_name(&name).map_err(|e| format!("{name} ({title}): {e}"))?;
        let found = hash_of(&mut file).map_err(|e| format!("{name}: {e}"))?;
        if found != sha256 {
            return Err(format!("{name} ({title}) hashes to {found}: the file was changed"));
        }
    }
    String::from_utf8(json).map_err(|e| format!("archive.json: {e}"))
}

/// The SHA-256 (hex) of everything a reader yields, read in pieces.
fn hash_of(reader: &mut impl Read) -> std::io::Result<String> {
    let mut hasher = sha2::Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let n = reader.read(&mut buffer)?;
        if n == 0 {
            return Ok(hex::encode(hasher.finalize()));
        }
        hasher.update(&buffer[..n]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::ManifestDocument;

    const JSON: &str = r#"{"project":{"id":"p1","sections":[]},"audit_chain":[],"documents":[]}"#;

    fn sha(bytes: &[u8]) -> String {
        sha256_hex(bytes)
    }

    fn manifest(json: &str, stored: &[(&str, bool)]) -> ArchiveManifest {
        ArchiveManifest {
            format: ZIP_FORMAT.into(),
            project_id: "p1".into(),
            project_code: "A1".into(),
            exported_at: chrono::DateTime::UNIX_EPOCH,
            archive_sha256: sha(json.as_bytes()),
            documents: stored
                .iter()
                .map(|(sha256, stored)| ManifestDocument {
                    source: "approval".into(),
                    title: "批复".into(),
                    sha256: (*sha256).into(),
                    stored: *stored,
                })
                .collect(),
        }
    }

    fn zip_of(json: &str, manifest: &ArchiveManifest, files: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
        write_entries(
            json.as_bytes(),
            manifest,
            files,
            |b| Ok(std::io::Cursor::new(b.clone())),
            std::io::Cursor::new(Vec::new()),
        )
        .unwrap()
        .into_inner()
    }

    fn fault(bytes: &[u8]) -> Option<String> {
        verify_archive_file(bytes).unwrap().file_fault
    }

    #[test]
    fn a_zip_carrying_its_files_under_their_hashes_verifies() {
        let file = b"the approval".to_vec();
        let files = BTreeMap::from([(sha(&file), file.clone())]);
        let zip = zip_of(JSON, &manifest(JSON, &[(&sha(&file), true), ("0".repeat(64).as_str(), false)]), &files);
        let verified = verify_archive_file(&zip).unwrap();
        assert_eq!((verified.valid, verified.events_checked, verified.file_fault), (true, 0, None));
    }

    #[test]
    fn a_changed_archive_json_is_refused_by_the_manifest_digest() {
        let zip = zip_of(JSON, &manifest(&JSON.replace("p1", "p2"), &[]), &BTreeMap::new());
        assert_eq!(fault(&zip).as_deref(), Some("archive.json does not match the digest in manifest.json"));
    }

    #[test]
    fn a_file_filed_under_another_hash_is_named() {
        let name = sha(b"the original");
        let files = BTreeMap::from([(name.clone(), b"a changed file".to_vec())]);
        let zip = zip_of(JSON, &manifest(JSON, &[(&name, true)]), &files);
        let fault = fault(&zip).unwrap();
        assert!(fault.starts_with(&format!("documents/{name} (批复) hashes to {}", sha(b"a changed file"))), "{fault}");
    }

    #[test]
    fn a_file_marked_carried_or_listed_by_the_archive_must_be_in_the_zip() {
        let missing = sha(b"dropped");
        let zip = zip_of(JSON, &manifest(JSON, &[(&missing, true)]), &BTreeMap::new());
        assert_eq!(fault(&zip), Some(format!("documents/{missing} is named as carried but is not in the zip")));
        // Dropped together with its manifest flag, the archive's own list still names it.
        let json = format!(
            r#"{{"project":{{"id":"p1","sections":[]}},"audit_chain":[],"documents":[{{"sha256":"{missing}"}}]}}"#
        );
        let zip = zip_of(&json, &manifest(&json, &[(&missing, false)]), &BTreeMap::new());
        assert_eq!(fault(&zip), Some(format!("documents/{missing} is named as carried but is not in the zip")));
    }

    #[test]
    fn what_is_neither_a_zip_nor_an_archive_is_refused_or_faulted() {
        assert!(verify_archive_file(b"\xff\xfe").unwrap_err().starts_with("not a ggzy archive"));
        assert!(fault(b"PK\x03\x04 broken").unwrap().starts_with("the zip does not open"));
        assert!(verify_archive_file(JSON.as_bytes()).unwrap().valid);
    }

    #[test]
    fn the_expected_files_join_the_manifest_flags_and_the_archive_list() {
        let json = r#"{"documents":[{"sha256":"b"}]}"#;
        let expected = expected_files(&manifest(json, &[("a", true), ("c", false)]), json.as_bytes()).unwrap();
        assert_eq!(expected.into_iter().collect::<Vec<_>>(), vec!["a".to_owned(), "b".to_owned()]);
    }
}
