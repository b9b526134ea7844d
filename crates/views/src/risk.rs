//! Response and request bodies of risk (see `ggzy_service::risk` for the use cases).

use chrono::{DateTime, Utc};
use ggzy_oversight::lifecycle::AlertStatus;
pub use ggzy_oversight::risk::handling::{AlertStep, HandleAlert};
pub use ggzy_oversight::risk::ties::{NewControl, NewEntrustment};
use ggzy_oversight::risk::{Indicator, RiskSeverity};
pub use ggzy_trading::committee::RejectBid;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A collusion risk alert.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RiskAlert {
    pub id: String,
    pub indicator: Indicator,
    pub rule_id: String,
    pub severity: RiskSeverity,
    pub project_ids: Vec<String>,
    pub section_ids: Vec<String>,
    pub bidders: Vec<String>,
    pub evidence: String,
    /// The lead department: the project's industry regulator when one project is involved,
    /// 公管办 when several are (or none has a regulator).
    pub department_id: String,
    /// Every department it goes to: the industry regulator of each project involved and
    /// 公管办. Each sees it and may handle it; each sees the others' handling.
    pub department_ids: Vec<String>,
    /// The ring's identity: alerts of one group (a closed alert and what was found of the
    /// same ring afterwards) share it.
    pub group_id: String,
    pub status: AlertStatus,
    pub detected_at: DateTime<Utc>,
    pub handling: Vec<AlertStep>,
    /// Violation cases opened when it was confirmed.
    pub violation_cases: Vec<String>,
    /// Where to look: the projects, the sections' opening records and the bidders.
    pub links: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RiskAlertPage {
    pub items: Vec<RiskAlert>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AlertFilter {
    #[param(value_type = Option<AlertStatus>)]
    pub status: Option<String>,
    /// Only alerts of this department (公管办 and inspectors).
    pub department: Option<String>,
    pub after: Option<String>,
    /// Page size, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// What a scan looked at and raised.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScanSummary {
    pub sections: usize,
    pub bids: usize,
    pub findings: usize,
    pub new_alerts: usize,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntrustedAgent {
    pub person_id: String,
    pub entrusted_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BidRejection {
    pub bidder_id: String,
    pub reason: String,
}
