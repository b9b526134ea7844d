//! Backups that can be checked: a manifest taken from the same snapshot as the copy (the
//! head of every audit chain, the ledger's totals and a digest of every account, the
//! schema version, the copy's own sha256), and the check of a restored database against
//! it, with the audit chains and the ledger verified too. The copy itself is made by the
//! command line: `VACUUM INTO` on SQLite, `pg_dump` on the exported snapshot on PostgreSQL.

use chrono::{DateTime, Utc};

use crate::{Platform, ServiceError};
pub use ggzy_views::backup::{BackupManifest, ChainHead, ManifestCheck};

/// The format name a manifest carries.
pub const MANIFEST_FORMAT: &str = "ggzy-backup-manifest-v1";

pub use ggzy_store::backup::LedgerTotals;

fn manifest_in(
    conn: &mut ggzy_store::DbConnection,
    now: DateTime<Utc>,
    backend: &str,
) -> Result<BackupManifest, ServiceError> {
    let chains = ggzy_store::backup::chain_heads(conn)?
        .into_iter()
        .map(|h| (h.chain, ChainHead { events: h.position, head_hash: h.event_hash }))
        .collect();
    Ok(BackupManifest {
        format: MANIFEST_FORMAT.into(),
        taken_at: now,
        backend: backend.into(),
        file: None,
        file_sha256: None,
        schema_version: ggzy_store::backup::schema_version(conn)?,
        chains,
        ledger: ggzy_store::backup::ledger_totals(conn)?,
    })
}

/// Every way `found` differs from `expected`, the backup's own file and time aside.
pub fn differences(expected: &BackupManifest, found: &BackupManifest) -> Vec<String> {
    let mut differences = Vec::new();
    if expected.schema_version != found.schema_version {
        differences.push(format!(
            "schema version: the backup has {:?}, the database {:?}",
            expected.schema_version, found.schema_version
        ));
    }
    for (chain, head) in &expected.chains {
        match found.chains.get(chain) {
            None => differences.push(format!("audit chain {chain}: missing")),
            Some(present) if present != head => differences.push(format!(
                "audit chain {chain}: the backup ends at event {} ({}), the database at {} ({})",
                head.events, head.head_hash, present.events, present.head_hash
            )),
            Some(_) => {}
        }
    }
    for chain in found.chains.keys().filter(|c| !expected.chains.contains_key(*c)) {
        differences.push(format!("audit chain {chain}: not in the backup"));
    }
    if expected.ledger != found.ledger {
        differences.push(format!("ledger: the backup has {:?}, the database {:?}", expected.ledger, found.ledger));
    }
    differences
}

impl Platform {
    /// The manifest of the database as one snapshot sees it; with `while_in_snapshot`, run
    /// inside that same snapshot with its exported id (PostgreSQL), so that a dump made
    /// there holds exactly what the manifest describes.
    pub fn backup_manifest(
        &self,
        while_in_snapshot: impl FnOnce(Option<&str>) -> Result<(), ServiceError>,
    ) -> Result<BackupManifest, ServiceError> {
        let backend = self.store().backend_name();
        let now = self.now();
        self.store().snapshot(|conn| {
            let snapshot = ggzy_store::backup::export_snapshot(conn)?;
            let manifest = manifest_in(conn, now, backend)?;
            while_in_snapshot(snapshot.as_deref())?;
            Ok(manifest)
        })
    }

    /// Checks this database against a manifest: the same chains ending in the same events,
    /// the same ledger, the same schema version; and every chain and the ledger verify.
    pub fn check_against(&self, expected: &BackupManifest) -> Result<ManifestCheck, ServiceError> {
        let found = self.backup_manifest(|_| Ok(()))?;
        let differences = differences(expected, &found);
        let audit = self.verify_audit_unchecked()?;
        let ledger = self.bonds().verify_ledger_unchecked()?;
        Ok(ManifestCheck { valid: differences.is_empty() && audit.valid && ledger.valid, differences, audit, ledger })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> BackupManifest {
        BackupManifest {
            format: MANIFEST_FORMAT.into(),
            taken_at: DateTime::<Utc>::MIN_UTC,
            backend: "sqlite".into(),
            file: None,
            file_sha256: None,
            schema_version: Some("20261202000026".into()),
            chains: [("project:a".to_owned(), ChainHead { events: 3, head_hash: "aa".into() })].into(),
            ledger: LedgerTotals {
                accounts: 2,
                transfers: 1,
                debits_posted: 100,
                credits_posted: 100,
                debits_pending: 0,
                credits_pending: 0,
                accounts_digest: "d".into(),
            },
        }
    }

    #[test]
    fn every_difference_is_named() {
        let expected = manifest();
        assert!(differences(&expected, &expected.clone()).is_empty());
        let mut found = expected.clone();
        found.chains.insert("project:a".into(), ChainHead { events: 4, head_hash: "bb".into() });
        found.chains.insert("project:b".into(), ChainHead { events: 1, head_hash: "cc".into() });
        found.ledger.credits_posted = 90;
        found.schema_version = None;
        let named = differences(&expected, &found);
        assert_eq!(named.len(), 4, "{named:?}");
        assert!(named[1].contains("project:a") && named[2].contains("project:b") && named[3].starts_with("ledger"));
        let mut missing = expected.clone();
        missing.chains.clear();
        assert_eq!(differences(&expected, &missing), vec!["audit chain project:a: missing".to_owned()]);
    }
}
