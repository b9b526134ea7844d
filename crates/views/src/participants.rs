//! Response and request bodies of participants (see `ggzy_service::participants` for the use cases).

use chrono::{DateTime, Utc};
pub use ggzy_credit::participant::{ParticipantKind, RegisterParticipant, UpdateParticipant, Warning};
use serde::Serialize;
use utoipa::ToSchema;

/// A registered market participant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Participant {
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    #[schema(example = "91110000600037341L")]
    pub credit_code: String,
    pub name: String,
    pub kinds: Vec<ParticipantKind>,
    pub legal_representative: String,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub legal_representative_person_id: Option<String>,
    pub warnings: Vec<Warning>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Incremented by every change.
    pub version: i64,
}

/// One page of participants; pass `next_cursor` as `after` for the next.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ParticipantPage {
    pub items: Vec<Participant>,
    pub next_cursor: Option<String>,
}
