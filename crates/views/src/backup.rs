//! Response and request bodies of backup (see `ggzy_service::backup` for the use cases).

use crate::audit::AuditVerification;
use crate::bonds::LedgerVerification;
use chrono::{DateTime, Utc};
pub use ggzy_store::backup::LedgerTotals;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The last event of one audit chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainHead {
    pub events: i64,
    pub head_hash: String,
}

/// What a backup holds, to check a restore against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupManifest {
    pub format: String,
    pub taken_at: DateTime<Utc>,
    /// `sqlite` or `postgres`: what the copy restores into.
    pub backend: String,
    /// The backup file's name and sha256, filled in once it is written.
    pub file: Option<String>,
    pub file_sha256: Option<String>,
    /// The last migration the database had applied.
    pub schema_version: Option<String>,
    pub chains: BTreeMap<String, ChainHead>,
    pub ledger: LedgerTotals,
}

/// A restored (or any) database checked against a manifest.
#[derive(Debug, Clone, Serialize)]
pub struct ManifestCheck {
    /// True when the manifest matches and the audit chains and ledger verify.
    pub valid: bool,
    /// Every difference from the manifest, described.
    pub differences: Vec<String>,
    pub audit: AuditVerification,
    pub ledger: LedgerVerification,
}
