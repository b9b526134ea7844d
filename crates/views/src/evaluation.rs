//! Response and request bodies of evaluation (see `ggzy_service::evaluation` for the use cases).

use chrono::{DateTime, Utc};
use ggzy_kernel::Money;
pub use ggzy_trading::committee::{
    AwardSection, BidScore, Candidate, CommitteeState, DeclareRelation, DrawExperts, DrawRecord, DrawReplay, Expert,
    NewExpert, OwnCommittee, Recusal, RecuseExpert, RestrictExpert, SignContract, SubmitScores,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A page of the expert pool, by id.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExpertPage {
    pub items: Vec<Expert>,
    pub next_cursor: Option<String>,
}

/// The query of the expert pool. Any other parameter is refused.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExpertQuery {
    /// Only experts with this specialty code among theirs (ASCII case ignored; one code, no
    /// comma).
    pub specialty: Option<String>,
    /// `true`: only experts in the pool's active service; `false`: only those out of it.
    #[param(value_type = Option<bool>)]
    pub active: Option<String>,
    /// `true`: only experts barred from draws today (Beijing); `false`: only those not.
    #[param(value_type = Option<bool>)]
    pub restricted: Option<String>,
    /// A part of the name, as a person types it (ASCII case ignored).
    pub name: Option<String>,
    /// Cursor from the previous page's `next_cursor`.
    #[param(format = Uuid)]
    pub after: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExpertDraw {
    pub id: String,
    pub section_id: String,
    pub specialty: String,
    pub size: i32,
    pub drawn_at: DateTime<Utc>,
    pub record: DrawRecord,
    /// The committee now: the selected minus the recused plus their replacements.
    pub committee: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExpertDrawPage {
    pub items: Vec<ExpertDraw>,
    pub next_cursor: Option<String>,
}

/// The query of the draw list. Any other parameter is refused.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DrawListQuery {
    /// Only this section's draws.
    #[param(format = Uuid)]
    pub section_id: Option<String>,
    /// Cursor from the previous page's `next_cursor`.
    #[param(format = Uuid)]
    pub after: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// The committee's result, its publicity, award and contract.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SectionResult {
    pub section_id: String,
    pub candidates: Vec<Candidate>,
    pub publicity_start: DateTime<Utc>,
    /// End of the candidate publicity (construction.candidates.publicity).
    pub publicity_end: DateTime<Utc>,
    pub winner_id: Option<String>,
    pub awarded_at: Option<DateTime<Utc>>,
    pub contract_amount: Option<Money>,
    pub contract_signed_at: Option<DateTime<Utc>>,
    /// Signed after the contract window (construction.contract.window, procurement.contract.window).
    pub contract_late: Option<bool>,
    /// Once awarded: when the contract must be signed at the latest (24:00 Beijing time).
    pub contract_due: Option<DateTime<Utc>>,
    /// True when `publicity_end` or `contract_due` was counted through a year whose
    /// official holiday arrangement is not loaded (it may still move when it is).
    pub provisional: bool,
    /// The years counted provisionally; empty when `provisional` is false.
    pub provisional_years: Vec<i32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OwnCommitteePage {
    pub items: Vec<OwnCommittee>,
    pub next_cursor: Option<String>,
}

/// The query of an expert's committees. Any other parameter is refused.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OwnCommitteeQuery {
    /// Only committees in this state.
    #[param(value_type = Option<CommitteeState>)]
    pub state: Option<String>,
    /// Cursor from the previous page's `next_cursor`.
    #[param(format = Uuid)]
    pub after: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}
