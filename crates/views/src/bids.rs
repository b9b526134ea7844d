//! Response and request bodies of bids (see `ggzy_service::bids` for the use cases).

use crate::announcements::TenderDocument;
use chrono::{DateTime, Utc};
use ggzy_trading::bidding::ClearBid;
pub use ggzy_trading::bidding::{BidContent, OwnBidQuery, RevealCommitment};
pub use ggzy_trading::lifecycle::{BidStatus, DecryptionTally, OpeningOutcome, OpeningStage};
pub use ggzy_trading::opening::{OpenBids, OpenedBid, OpeningObjection, OpeningRecord};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A bid as the bidder sends it: in a section the platform seals, the content in clear
/// (sealed on arrival); in a section announced for bidder sealing, only `envelope` (the
/// content sealed offline by the bidder, `ggzy bid seal`).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitBid {
    /// 投标报价, decimal yuan (required unless the bid is an envelope).
    #[schema(value_type = Option<String>, example = "985000.00")]
    pub price: Option<String>,
    /// Required unless the bid is an envelope.
    pub documents: Option<Vec<TenderDocument>>,
    /// The project manager (项目负责人), a registered person of the bidder (required unless
    /// the bid is an envelope).
    #[schema(value_type = Option<String>, format = Uuid)]
    pub project_manager_id: Option<String>,
    /// The contact (联系人), a registered person of the bidder.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub contact_person_id: Option<String>,
    /// The entrusted agent handling the bid (委托代理人): a registered person of the bidder,
    /// or a person the bidder entrusted (POST /participants/{id}/entrusted-agents).
    #[schema(value_type = Option<String>, format = Uuid)]
    pub agent_person_id: Option<String>,
    /// Fingerprint of the device that prepared the bid (编制设备识别码; required unless the
    /// bid is an envelope).
    #[schema(value_type = Option<String>)]
    pub device_fingerprint: Option<String>,
    /// The author recorded in the bid document's metadata (文件创建者).
    pub document_author: Option<String>,
    /// Optional sha256 hex of `"<price>:<nonce>"`, the nonce kept by the bidder and revealed
    /// after the deadline.
    pub commitment_hash: Option<String>,
    /// The bid sealed by its bidder: required, and the only field, in a section announced
    /// for bidder sealing (tendering.bidder_sealing); refused elsewhere.
    pub envelope: Option<crate::sealed_bids::SealedEnvelope>,
}

impl SubmitBid {
    /// The bid in clear, and the envelope of a bid its bidder sealed.
    pub fn split(self) -> (ClearBid, Option<crate::sealed_bids::SealedEnvelope>) {
        let clear = ClearBid {
            price: self.price,
            documents: self.documents,
            project_manager_id: self.project_manager_id,
            contact_person_id: self.contact_person_id,
            agent_person_id: self.agent_person_id,
            device_fingerprint: self.device_fingerprint,
            document_author: self.document_author,
            commitment_hash: self.commitment_hash,
        };
        (clear, self.envelope)
    }
}

/// A bid as its bidder sees it (and, after opening, the tenderer, centre and supervisors).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Bid {
    pub id: String,
    pub section_id: String,
    pub bidder_id: String,
    pub status: BidStatus,
    pub submitted_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The bidder's receipt: HMAC-SHA256 keyed by `receipt_salt` over `content` as JSON with
    /// its keys sorted and no white space. It confirms nothing to whoever lacks the salt.
    pub receipt_hash: String,
    /// The receipt's key (64 hex characters), shown only to the bidder; absent for bids
    /// sealed before receipts were keyed (their receipt is the plain sha256).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receipt_salt: Option<String>,
    pub commitment_hash: Option<String>,
    /// The content; absent while the bid is still its bidder's envelope (until decrypted at
    /// the opening).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<BidContent>,
    /// Whether the bidder sealed the bid itself (an envelope) rather than the platform.
    pub sealed_by_bidder: bool,
}

/// One of the calling bidder's bids as its list shows it: where, when and in what state —
/// never the price or the content (the bidder reads a bid whole with `GET /bids/{id}`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OwnBid {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub section_id: String,
    #[schema(format = Uuid)]
    pub project_id: String,
    pub project_code: String,
    pub project_name: String,
    pub status: BidStatus,
    pub submitted_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Whether the bidder sealed the bid itself (an envelope) rather than the platform.
    pub sealed_by_bidder: bool,
    /// For an envelope, whether it has been decrypted at the opening; null for a bid the
    /// platform sealed.
    pub decrypted: Option<bool>,
    /// For an envelope, what the opening made of it (decrypted, revoked, withdrawn); null
    /// until then, and for a bid the platform sealed.
    pub decryption_outcome: Option<crate::sealed_bids::DecryptionOutcome>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OwnBidPage {
    pub items: Vec<OwnBid>,
    pub next_cursor: Option<String>,
}

/// Where a section's opening stands (`GET /sections/{id}/opening/events`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct OpeningProgress {
    pub section_id: String,
    pub stage: OpeningStage,
    /// The announced opening time (none before the announcement).
    pub opening_at: Option<DateTime<Utc>>,
    /// The decryption window of a section whose bidders seal their bids, once opened.
    pub window_opened_at: Option<DateTime<Utc>>,
    pub window_closes_at: Option<DateTime<Utc>>,
    /// Shown once the opening has begun (招标投标法 §22: before it, not even how many).
    pub bids: Option<DecryptionTally>,
}
