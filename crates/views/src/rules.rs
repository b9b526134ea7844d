//! Response and request bodies of rules (see `ggzy_service::rules` for the use cases).

use chrono::{DateTime, NaiveDate, Utc};
use ggzy_kernel::Money;
use ggzy_rules::{Category, Funding, RuleDefinition, RuleSet, Sector};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One rule of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RuleView {
    pub id: String,
    pub title: String,
    pub number: String,
    pub source: String,
}

impl From<&RuleDefinition> for RuleView {
    fn from(d: &RuleDefinition) -> Self {
        RuleView {
            id: d.id.to_owned(),
            title: d.title.to_owned(),
            number: d.number.to_owned(),
            source: d.source.to_owned(),
        }
    }
}

/// Every rule the platform enforces, and the version in force today.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RulesCatalogue {
    pub rule_set_in_force: u32,
    pub rules: Vec<RuleView>,
}

/// A published rule-set version with its publication record.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublishedRuleSet {
    pub rule_set: RuleSet,
    pub published_at: DateTime<Utc>,
    pub published_by: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RuleSetSummary {
    pub version: u32,
    pub effective_from: NaiveDate,
    pub title: String,
    pub published_at: DateTime<Utc>,
}

/// Facts for an entry decision (进场判定).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryDecisionRequest {
    pub category: Category,
    #[schema(example = "works")]
    pub subtype: String,
    /// Construction only: 房建, 市政, 水利, 交通 or other.
    pub sector: Option<Sector>,
    pub funding: Funding,
    /// Whether law requires the project to be tendered (依法必须招标).
    pub legally_required_tendering: bool,
    pub estimated_amount: Money,
    /// Judge by the rule set in force on this date (default: today, Beijing time).
    pub as_of: Option<NaiveDate>,
}

/// A deadline question: when is the limit of `rule_id` reached for an event at `event_at`?
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeadlineRequest {
    #[schema(example = "direct_award.publicity")]
    pub rule_id: String,
    pub event_at: DateTime<Utc>,
    /// Use the rule set in force on this date (default: the event's date).
    pub as_of: Option<NaiveDate>,
}
