//! Response and request bodies of projects (see `ggzy_service::projects` for the use cases).

use chrono::{DateTime, NaiveDate, Utc};
use ggzy_kernel::Money;
use ggzy_rules::{Category, EntryDecision, Funding, ProcurementOrganisation, Sector};
pub use ggzy_trading::commission::{CommissionAgency, ReplaceAgents};
pub use ggzy_trading::lifecycle::{ProcedurePhase, ProjectCommand, ProjectStatus};
pub use ggzy_trading::registration::{
    ApprovalDocument, AssignRegulator, RegisterProject, RegistrationCommission, RegistrationForm, ReportDirectAward,
    SectionInput, DISTRICT_CODE,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Section {
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    /// Project code + three digits.
    pub code: String,
    pub position: i32,
    pub name: String,
    pub estimated_amount: Money,
    /// Where the section stands (kept from what is stored, not for the client to work out).
    pub phase: ProcedurePhase,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ServiceOwner {
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Commission {
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    #[schema(value_type = String, format = Uuid)]
    pub agency_id: String,
    /// Person ids of the real-name agents currently acting.
    pub agent_ids: Vec<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DirectAward {
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    #[schema(value_type = String, format = Uuid)]
    pub project_id: String,
    pub project_code: String,
    pub project_name: String,
    #[schema(value_type = String, format = Uuid)]
    pub contractor_id: String,
    pub contractor_name: String,
    pub amount: Money,
    pub publicity_start: DateTime<Utc>,
    /// Last day of the publicity period (Beijing date).
    pub publicity_end_day: NaiveDate,
    /// 24:00 Beijing time of that day.
    pub publicity_end: DateTime<Utc>,
    pub rule_id: String,
    /// True when the due date was counted through a year whose official holiday
    /// arrangement is not loaded (it may still move when it is).
    pub provisional: bool,
    /// The years counted provisionally; empty when `provisional` is false.
    pub provisional_years: Vec<i32>,
}

/// A registered project.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Project {
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    /// Category letter, 110118, yyMMdd, four-digit sequence.
    #[schema(example = "A1101182611290001")]
    pub code: String,
    pub name: String,
    pub category: Category,
    pub subtype: String,
    pub sector: Option<Sector>,
    pub funding: Funding,
    pub legally_required_tendering: bool,
    pub procurement_organisation: Option<ProcurementOrganisation>,
    #[schema(value_type = String, format = Uuid)]
    pub tenderer_id: String,
    pub status: ProjectStatus,
    /// Where the project stands: terminated or suspended, or as far as its least advanced
    /// section.
    pub phase: ProcedurePhase,
    /// The industry regulator; none while awaiting assignment by the comprehensive regulator.
    pub regulator_id: Option<String>,
    pub service_owner: ServiceOwner,
    pub rule_set_version: i32,
    #[schema(value_type = EntryDecision)]
    pub entry_decision: serde_json::Value,
    pub estimated_total: Money,
    pub sections: Vec<Section>,
    pub approval_documents: Vec<ApprovalDocument>,
    /// Not shown to a bidder.
    pub registration_form: Option<RegistrationForm>,
    pub commissions: Vec<Commission>,
    pub direct_award: Option<DirectAward>,
    pub registered_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// The filters of a project list (each narrows it; the caller's scope always applies). Any
/// other parameter is refused.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProjectListQuery {
    /// Only projects in this state (`awaiting_regulator`: those waiting for 公管办 to name
    /// their industry regulator).
    #[param(value_type = Option<ggzy_trading::lifecycle::ProjectStatus>)]
    pub status: Option<String>,
    /// Only this category.
    #[param(value_type = Option<ggzy_rules::Category>)]
    pub category: Option<String>,
    /// Only this subtype of the category (e.g. `building`, `goods`).
    pub subtype: Option<String>,
    /// Only projects this industry regulator supervises.
    pub regulator_id: Option<String>,
    /// Registered on or after this Beijing date.
    #[param(value_type = Option<String>, format = Date)]
    pub registered_from: Option<String>,
    /// Registered on or before this Beijing date.
    #[param(value_type = Option<String>, format = Date)]
    pub registered_to: Option<String>,
    /// Words (1–50 characters) found in the project's name or code or its tenderer's name,
    /// ASCII case ignored, as a person types them (`密云`, a code's tail).
    #[param(example = "水库")]
    pub q: Option<String>,
    /// Cursor from the previous page's `next_cursor`.
    #[param(format = Uuid)]
    pub after: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProjectPage {
    pub items: Vec<Project>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DirectAwardPage {
    pub items: Vec<DirectAward>,
    pub next_cursor: Option<String>,
}
