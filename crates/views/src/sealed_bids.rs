//! Response and request bodies of sealed_bids (see `ggzy_service::sealed_bids` for the use cases).

use crate::audit_entry::{participant_chain, project_chain, AuditEntry};
use chrono::{DateTime, NaiveDateTime, Utc};
use ggzy_kernel::{AuditAction, StoredFault};
use ggzy_rules::rule_ids;
use ggzy_seal::{Envelope, PublicKeys, Suite};
use ggzy_store::documents::DocumentRow;
use ggzy_store::sealing::{EnvelopeRow, SealingKeyRow};
pub use ggzy_trading::decryption::{DecryptBid, DecryptionFailure, OpenedFile, RegisterSealingKey};
pub use ggzy_trading::lifecycle::DecryptionOutcome;
pub use ggzy_trading::opening::NotOpenedBid;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// A bid sealed by its bidder: the envelope `ggzy bid seal` (crate ggzy-seal) writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SealedEnvelope {
    /// `ggzy-bid-envelope-v1`.
    #[schema(example = "ggzy-bid-envelope-v1")]
    pub format: String,
    /// `hpke-x25519-sha256-aes256gcm+ed25519` or `sm2-sm3-sm4gcm+sm2`.
    #[schema(example = "sm2-sm3-sm4gcm+sm2")]
    pub suite: String,
    /// The section and the bidder the bid is for (bound into the encryption and the
    /// signature).
    pub section_id: String,
    pub bidder_id: String,
    /// The content key wrapped to the bidder's own encryption key (HPKE: encapsulated key
    /// then sealed key; SM2: C1C3C2 ciphertext), base64.
    pub wrapped_key: String,
    /// 12 bytes, base64.
    pub nonce: String,
    /// The bid's content (its JSON: price, documents, project_manager_id,
    /// contact_person_id, device_fingerprint) under the content key (AES-256-GCM or
    /// SM4-GCM; associated data `ggzy-bid-envelope-v1\n<section>\n<bidder>`), base64.
    pub ciphertext: String,
    /// Hex SHA-256 (or SM3) of `ggzy-bid-commitment-v1` followed by the content key.
    pub commitment: String,
    /// The bid's files in their sealed form (`ggzy-bid-file-v1`, under the content key): the
    /// SHA-256 of each, handed in before as a `sealed_bid_file` document for this section.
    /// Absent (or empty) when the bid carries no file. At the opening each opens with the
    /// revealed key, and the content's `documents` name exactly the files they open to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(max_items = 100, value_type = Vec<String>)]
    pub files: Vec<String>,
    /// The bidder's Ed25519 (or SM2) signature over `ggzy-bid-envelope-v1\n` and the JSON of
    /// the fields above in this order (`files` left out when empty), base64.
    pub signature: String,
}

impl From<Envelope> for SealedEnvelope {
    fn from(e: Envelope) -> SealedEnvelope {
        SealedEnvelope {
            format: e.format,
            suite: e.suite,
            section_id: e.section_id,
            bidder_id: e.bidder_id,
            wrapped_key: e.wrapped_key,
            nonce: e.nonce,
            ciphertext: e.ciphertext,
            commitment: e.commitment,
            files: e.files,
            signature: e.signature,
        }
    }
}

/// A registered sealing key; the latest a participant registered is the one its envelopes
/// must be sealed and signed with.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SealingKey {
    pub id: String,
    pub participant_id: String,
    pub suite: String,
    pub encryption_key: String,
    pub verifying_key: String,
    pub registered_at: DateTime<Utc>,
}

/// A section's decryption window.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecryptionWindow {
    pub section_id: String,
    pub opened_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// The rule that sets its length.
    pub rule: String,
}

impl From<SealedEnvelope> for Envelope {
    fn from(e: SealedEnvelope) -> Envelope {
        Envelope {
            format: e.format,
            suite: e.suite,
            section_id: e.section_id,
            bidder_id: e.bidder_id,
            wrapped_key: e.wrapped_key,
            nonce: e.nonce,
            ciphertext: e.ciphertext,
            commitment: e.commitment,
            files: e.files,
            signature: e.signature,
        }
    }
}

impl From<SealingKeyRow> for SealingKey {
    fn from(row: SealingKeyRow) -> SealingKey {
        SealingKey {
            id: row.id,
            participant_id: row.participant_id,
            suite: row.suite,
            encryption_key: row.encryption_key,
            verifying_key: row.verifying_key,
            registered_at: DateTime::from_naive_utc_and_offset(row.registered_at, Utc),
        }
    }
}

/// The row of public keys `registered_by` registers for a participant at `registered_at`.
pub fn sealing_key_row(
    id: String,
    participant_id: &str,
    keys: PublicKeys,
    registered_at: NaiveDateTime,
    registered_by: String,
) -> SealingKeyRow {
    SealingKeyRow {
        id,
        participant_id: participant_id.to_owned(),
        suite: keys.suite.name().to_owned(),
        encryption_key: keys.encryption_key,
        verifying_key: keys.verifying_key,
        registered_at,
        registered_by,
    }
}

impl DecryptionWindow {
    /// The window of a section opened at `opened_at` until `closes_at`
    /// (tendering.decryption_window).
    pub fn opened(section_id: &str, opened_at: NaiveDateTime, closes_at: NaiveDateTime) -> Self {
        DecryptionWindow {
            section_id: section_id.to_owned(),
            opened_at: opened_at.and_utc(),
            closes_at: closes_at.and_utc(),
            rule: rule_ids::DECRYPTION_WINDOW.into(),
        }
    }
}

/// What the audit trail keeps of a decrypted bid: its section, the envelope's commitment
/// and, when it carries sealed files, each file's sealed and opened SHA-256 and size.
pub fn decryption_audit(section_id: &str, commitment: &str, files: &[(String, OpenedFile)]) -> serde_json::Value {
    let mut payload = serde_json::json!({ "section_id": section_id, "commitment": commitment });
    if !files.is_empty() {
        let carried = files
            .iter()
            .map(|(_, f)| serde_json::json!({ "sealed_sha256": f.sealed_sha256, "sha256": f.sha256, "size_bytes": f.size }))
            .collect();
        payload["files"] = serde_json::Value::Array(carried);
    }
    payload
}

/// The public keys a registered sealing key holds, its suite read back.
pub fn public_keys(row: &SealingKeyRow) -> Result<PublicKeys, StoredFault> {
    let suite = Suite::parse(&row.suite).ok_or_else(|| StoredFault::new("sealing_keys.suite", &row.suite, "Suite"))?;
    Ok(PublicKeys { suite, encryption_key: row.encryption_key.clone(), verifying_key: row.verifying_key.clone() })
}

/// The envelope a bid's bidder sealed, as stored.
pub fn envelope_from_row(row: &EnvelopeRow) -> Result<Envelope, StoredFault> {
    ggzy_kernel::stored_json("bid_envelopes.envelope", row.envelope.as_bytes())
}

/// What decrypting a bid needs from the document store: its sealed files (their SHA-256)
/// to be opened with the revealed key, for this section and bidder.
#[derive(Clone)]
pub struct DecryptionPlan {
    pub suite: Suite,
    pub content_key: Vec<u8>,
    pub section_id: String,
    pub bidder_id: String,
    pub files: Vec<String>,
}

/// Leaves the content key out of logs.
impl std::fmt::Debug for DecryptionPlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DecryptionPlan")
            .field("section_id", &self.section_id)
            .field("files", &self.files)
            .finish_non_exhaustive()
    }
}

/// What the audit trail keeps of a registered sealing key, on its participant's chain: the
/// public keys and their suite.
pub fn sealing_key_entry(row: &SealingKeyRow) -> AuditEntry<Value> {
    let payload = serde_json::json!({ "suite": row.suite, "encryption_key": row.encryption_key, "verifying_key": row.verifying_key });
    AuditEntry {
        chain: participant_chain(&row.participant_id),
        action: AuditAction::SealingKeyRegister,
        object_type: "sealing_key",
        object_id: row.id.clone(),
        payload,
    }
}

/// What the audit trail keeps of a decryption window opened for a section: when it closes
/// and how long it runs.
pub fn window_entry(project_id: &str, section_id: &str, closes_at: NaiveDateTime, minutes: i32) -> AuditEntry<Value> {
    AuditEntry {
        chain: project_chain(project_id),
        action: AuditAction::SectionDecryptionWindow,
        object_type: "section",
        object_id: section_id.into(),
        payload: serde_json::json!({ "closes_at": closes_at.and_utc(), "minutes": minutes }),
    }
}

/// A bid decrypted by its bidder, on `chain` ([`decryption_audit`]).
pub fn decrypted_entry(
    chain: String,
    bid_id: &str,
    section_id: &str,
    commitment: &str,
    files: &[(String, OpenedFile)],
) -> AuditEntry<Value> {
    AuditEntry {
        chain,
        action: AuditAction::BidDecrypt,
        object_type: "bid",
        object_id: bid_id.into(),
        payload: decryption_audit(section_id, commitment, files),
    }
}

/// A bid that failed to decrypt through the platform's fault: the platform's liability
/// under the decryption window's rule, with the centre's reason.
pub fn failure_entry(chain: String, bid_id: &str, reason: &str) -> AuditEntry<Value> {
    let payload = serde_json::json!({ "liability": "platform", "reason": reason, "rule": rule_ids::DECRYPTION_WINDOW });
    AuditEntry {
        chain,
        action: AuditAction::BidDecryptionFailure,
        object_type: "bid",
        object_id: bid_id.into(),
        payload,
    }
}

/// Who hands a decrypted bid's files in, and when: the bidder's caller, for its bid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileUploader {
    pub actor: String,
    pub role: String,
    pub bidder_id: String,
    pub at: NaiveDateTime,
}

impl FileUploader {
    /// The caller `principal` handing in the files of `bidder_id`'s bid at `at`.
    pub fn of(principal: &ggzy_policy::Principal, bidder_id: &str, at: NaiveDateTime) -> Self {
        FileUploader { actor: principal.actor(), role: principal.role.to_string(), bidder_id: bidder_id.into(), at }
    }
}

/// The document row of a file a decrypted bid carries (`bid_file`, as its bidder wrote it),
/// filed with the bid's project and section under the title its content gives it.
pub fn bid_file_row(
    id: String,
    (title, file): (&str, &OpenedFile),
    (project_id, section_id): (&str, &str),
    uploader: FileUploader,
) -> Result<DocumentRow, StoredFault> {
    let size_bytes =
        i64::try_from(file.size).map_err(|_| StoredFault::new("documents.size_bytes", file.size, "a size in bytes"))?;
    Ok(DocumentRow {
        id,
        sha256: file.sha256.clone(),
        size_bytes,
        kind: ggzy_rules::DocumentKind::BidFile.as_str().into(),
        title: title.into(),
        media_type: "application/octet-stream".into(),
        project_id: Some(project_id.into()),
        uploaded_by: uploader.actor,
        uploader_role: uploader.role,
        uploader_org: Some(uploader.bidder_id),
        uploaded_at: uploader.at,
        section_id: Some(section_id.into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_row(suite: &str) -> SealingKeyRow {
        SealingKeyRow {
            id: "k1".into(),
            participant_id: "p1".into(),
            suite: suite.into(),
            encryption_key: "ek".into(),
            verifying_key: "vk".into(),
            registered_at: chrono::NaiveDate::from_ymd_opt(2026, 3, 1).and_then(|d| d.and_hms_opt(9, 0, 0)).unwrap(),
            registered_by: "bidder:u@p1".into(),
        }
    }

    #[test]
    fn registered_keys_are_stored_with_their_suite_name() {
        let keys = public_keys(&key_row("sm2-sm3-sm4gcm+sm2")).unwrap();
        let at = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).and_then(|d| d.and_hms_opt(8, 0, 0)).unwrap();
        let row = sealing_key_row("k2".into(), "p9", keys, at, "bidder:v@p9".into());
        assert_eq!(
            (row.id.as_str(), row.participant_id.as_str(), row.suite.as_str()),
            ("k2", "p9", "sm2-sm3-sm4gcm+sm2")
        );
        assert_eq!((row.encryption_key.as_str(), row.verifying_key.as_str()), ("ek", "vk"));
        assert_eq!((row.registered_at, row.registered_by.as_str()), (at, "bidder:v@p9"));
    }

    #[test]
    fn an_opened_window_names_its_rule_and_its_span() {
        let at = |h| chrono::NaiveDate::from_ymd_opt(2026, 3, 2).and_then(|d| d.and_hms_opt(h, 0, 0)).unwrap();
        let window = DecryptionWindow::opened("s1", at(1), at(2));
        assert_eq!((window.section_id.as_str(), window.rule.as_str()), ("s1", rule_ids::DECRYPTION_WINDOW));
        assert_eq!((window.opened_at, window.closes_at), (at(1).and_utc(), at(2).and_utc()));
    }

    #[test]
    fn the_decryption_audit_lists_carried_files_only_when_there_are_some() {
        let bare = decryption_audit("s1", "c0ffee", &[]);
        assert_eq!(bare, serde_json::json!({ "section_id": "s1", "commitment": "c0ffee" }));
        let file = OpenedFile { sealed_sha256: "aa".into(), sha256: "bb".into(), size: 12 };
        let carried = decryption_audit("s1", "c0ffee", &[("标书".into(), file)]);
        assert_eq!(
            carried,
            serde_json::json!({
                "section_id": "s1",
                "commitment": "c0ffee",
                "files": [{ "sealed_sha256": "aa", "sha256": "bb", "size_bytes": 12 }],
            })
        );
    }

    #[test]
    fn a_sealing_key_shows_its_row() {
        let row = key_row("sm2-sm3-sm4gcm+sm2");
        let registered_at = DateTime::<Utc>::from_naive_utc_and_offset(row.registered_at, Utc);
        let key = SealingKey::from(row);
        assert_eq!(
            (key.id.as_str(), key.participant_id.as_str(), key.suite.as_str()),
            ("k1", "p1", "sm2-sm3-sm4gcm+sm2")
        );
        assert_eq!((key.encryption_key.as_str(), key.verifying_key.as_str()), ("ek", "vk"));
        assert_eq!(key.registered_at, registered_at);
    }

    #[test]
    fn public_keys_read_their_suite_and_an_unknown_suite_is_a_fault() {
        let keys = public_keys(&key_row("sm2-sm3-sm4gcm+sm2")).unwrap();
        assert_eq!(keys.suite.name(), "sm2-sm3-sm4gcm+sm2");
        assert_eq!((keys.encryption_key.as_str(), keys.verifying_key.as_str()), ("ek", "vk"));
        assert_eq!(
            public_keys(&key_row("rot13")).err().map(|f| f.to_string()).as_deref(),
            Some("sealing_keys.suite holds `rot13`, which is not Suite")
        );
    }

    #[test]
    fn a_stored_envelope_reads_back_and_one_that_does_not_read_is_a_fault() {
        let envelope = Envelope {
            format: "ggzy-bid-envelope-v1".into(),
            suite: "sm2-sm3-sm4gcm+sm2".into(),
            section_id: "s1".into(),
            bidder_id: "p1".into(),
            wrapped_key: "wk".into(),
            nonce: "n".into(),
            ciphertext: "c".into(),
            commitment: "cm".into(),
            files: vec!["f".into()],
            signature: "sig".into(),
        };
        let mut row = EnvelopeRow {
            bid_id: "b1".into(),
            key_id: "k1".into(),
            envelope: serde_json::to_string(&envelope).unwrap(),
            outcome: None,
            decided_at: None,
            note: None,
        };
        assert_eq!(envelope_from_row(&row), Ok(envelope));
        row.envelope = "[]".into();
        assert_eq!(envelope_from_row(&row).err().map(|f| f.column), Some("bid_envelopes.envelope"));
    }

    #[test]
    fn a_decryption_plan_keeps_its_content_key_out_of_logs() {
        let plan = DecryptionPlan {
            suite: Suite::parse("sm2-sm3-sm4gcm+sm2").unwrap(),
            content_key: b"secret-key".to_vec(),
            section_id: "s1".into(),
            bidder_id: "p1".into(),
            files: vec!["f1".into()],
        };
        let logged = format!("{plan:?}");
        assert!(logged.contains("s1") && logged.contains("f1"), "{logged}");
        assert!(!logged.contains("secret") && !logged.contains("115"), "{logged}");
    }
}

#[cfg(test)]
mod entries {
    use super::*;

    #[test]
    fn a_sealing_key_is_audited_on_its_participants_chain() {
        let row = SealingKeyRow {
            id: "k1".into(),
            participant_id: "a1".into(),
            suite: "x25519-ed25519".into(),
            encryption_key: "ek".into(),
            verifying_key: "vk".into(),
            registered_at: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap().and_hms_opt(2, 0, 0).unwrap(),
            registered_by: "user:u1".into(),
        };
        let entry = sealing_key_entry(&row);
        assert_eq!((entry.chain.as_str(), entry.action), ("participant:a1", AuditAction::SealingKeyRegister));
        assert_eq!((entry.object_type, entry.object_id.as_str()), ("sealing_key", "k1"));
        assert_eq!(
            entry.payload,
            serde_json::json!({ "suite": "x25519-ed25519", "encryption_key": "ek", "verifying_key": "vk" })
        );
    }

    #[test]
    fn a_window_and_a_failed_decryption_are_audited_with_their_times_and_rule() {
        let closes = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap().and_hms_opt(2, 30, 0).unwrap();
        let window = window_entry("p1", "s1", closes, 30);
        assert_eq!((window.chain.as_str(), window.object_id.as_str()), ("project:p1", "s1"));
        assert_eq!(window.action, AuditAction::SectionDecryptionWindow);
        assert_eq!(window.payload, serde_json::json!({ "closes_at": "2026-12-01T02:30:00Z", "minutes": 30 }));
        let failure = failure_entry("sealed:s1".into(), "b1", "服务器故障");
        assert_eq!((failure.action, failure.object_id.as_str()), (AuditAction::BidDecryptionFailure, "b1"));
        assert_eq!(failure.payload["rule"], rule_ids::DECRYPTION_WINDOW);
        assert_eq!(failure.payload["liability"], "platform");
        let decrypted = decrypted_entry("sealed:s1".into(), "b1", "s1", "c1", &[]);
        assert_eq!((decrypted.action, decrypted.chain.as_str()), (AuditAction::BidDecrypt, "sealed:s1"));
        assert_eq!(decrypted.payload, decryption_audit("s1", "c1", &[]));
    }
}

#[cfg(test)]
mod files {
    use super::*;

    #[test]
    fn the_files_are_handed_in_by_the_caller_for_the_bidder() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap().and_hms_opt(2, 10, 0).unwrap();
        let caller = ggzy_policy::Principal {
            subject: "u1".into(),
            role: ggzy_policy::Role::Bidder,
            org: Some("a1".into()),
            scopes: vec![],
            request_key: None,
        };
        let uploader = FileUploader::of(&caller, "a1", at);
        assert_eq!(
            uploader,
            FileUploader { actor: "bidder:u1@a1".into(), role: "bidder".into(), bidder_id: "a1".into(), at }
        );
    }

    #[test]
    fn a_decrypted_bids_file_is_filed_as_a_bid_file_of_its_section() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap().and_hms_opt(2, 10, 0).unwrap();
        let file = OpenedFile { sealed_sha256: "aa".into(), sha256: "bb".into(), size: 2_048 };
        let uploader = FileUploader { actor: "bidder:u1@a1".into(), role: "bidder".into(), bidder_id: "a1".into(), at };
        let row = bid_file_row("d1".into(), ("技术标", &file), ("p1", "s1"), uploader.clone()).unwrap();
        assert_eq!((row.id.as_str(), row.sha256.as_str(), row.size_bytes), ("d1", "bb", 2_048));
        assert_eq!((row.kind.as_str(), row.title.as_str()), ("bid_file", "技术标"));
        assert_eq!((row.project_id.as_deref(), row.section_id.as_deref()), (Some("p1"), Some("s1")));
        assert_eq!((row.uploaded_by.as_str(), row.uploader_role.as_str()), ("bidder:u1@a1", "bidder"));
        assert_eq!((row.uploader_org.as_deref(), row.uploaded_at), (Some("a1"), at));
        let huge = OpenedFile { size: u64::MAX, ..file };
        assert_eq!(
            bid_file_row("d2".into(), ("x", &huge), ("p1", "s1"), uploader).unwrap_err().column,
            "documents.size_bytes"
        );
    }
}
