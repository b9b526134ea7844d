//! Response and request bodies of officials (see `ggzy_service::officials` for the use cases).

use chrono::{DateTime, Utc};
pub use ggzy_oversight::officials::{NameOfficial, NewPersonRelation, WithdrawOfficial};
use ggzy_oversight::recusal::Conflict;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonRelation {
    pub participant_id: String,
    pub relation: String,
}

/// A tie that obliges an official to step aside.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RecusalConflict {
    pub participant_id: String,
    /// tenderer, agency or bidder.
    pub party: String,
    /// employer, legal_representative or declared.
    pub tie: String,
}

impl From<Conflict> for RecusalConflict {
    fn from(c: Conflict) -> Self {
        RecusalConflict { participant_id: c.participant_id, party: c.party.as_str().into(), tie: c.tie.as_str().into() }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProjectOfficial {
    pub id: String,
    pub project_id: String,
    pub person_id: String,
    #[schema(value_type = ggzy_oversight::recusal::OfficialRole)]
    pub role: String,
    pub named_at: DateTime<Utc>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub withdrawn_reason: Option<String>,
    /// Ties with the project's parties as they are now (bidders arrive after naming).
    pub conflicts: Vec<RecusalConflict>,
    /// Still serving with a conflict: must step aside (recusal).
    pub must_recuse: bool,
}
