//! Response and request bodies of sealed_bids (see `ggzy_service::sealed_bids` for the use cases).

use chrono::{DateTime, Utc};
use ggzy_seal::Envelope;
pub use ggzy_trading::decryption::{DecryptBid, DecryptionFailure, OpenedFile, RegisterSealingKey};
pub use ggzy_trading::lifecycle::DecryptionOutcome;
pub use ggzy_trading::opening::NotOpenedBid;
use serde::{Deserialize, Serialize};
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
