//! Response and request bodies of rules (see `ggzy_service::rules` for the use cases).

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use ggzy_kernel::Money;
use ggzy_rules::{Category, EntryFacts, Funding, RuleDefinition, RuleSet, Sector};
use ggzy_store::rule_sets::RuleSetRow;
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

/// The rule set a stored version holds; its fault says which version cannot be read.
pub fn rule_set_of(row: &RuleSetRow) -> Result<RuleSet, String> {
    serde_json::from_str(&row.body).map_err(|e| format!("stored rule set {} is unreadable: {e}", row.version))
}

/// The row a rule set is published as, by `published_by` at `at`.
pub fn rule_set_row(rule_set: &RuleSet, published_by: String, at: NaiveDateTime) -> Result<RuleSetRow, String> {
    Ok(RuleSetRow {
        version: i32::try_from(rule_set.version).map_err(|e| e.to_string())?,
        effective_from: rule_set.effective_from,
        title: rule_set.title.clone(),
        body: serde_json::to_string(rule_set).map_err(|e| e.to_string())?,
        published_at: at,
        published_by,
    })
}

impl PublishedRuleSet {
    /// A stored version with who published it and when.
    pub fn from_row(row: RuleSetRow) -> Result<Self, String> {
        Ok(PublishedRuleSet {
            rule_set: rule_set_of(&row)?,
            published_at: row.published_at.and_utc(),
            published_by: row.published_by,
        })
    }
}

/// A stored version as listed (a version number out of range shows as 0).
impl From<RuleSetRow> for RuleSetSummary {
    fn from(row: RuleSetRow) -> Self {
        RuleSetSummary {
            version: u32::try_from(row.version).unwrap_or(0),
            effective_from: row.effective_from,
            title: row.title,
            published_at: row.published_at.and_utc(),
        }
    }
}

impl EntryDecisionRequest {
    /// The facts the entry decision is made on.
    pub fn facts(self) -> EntryFacts {
        EntryFacts {
            category: self.category,
            subtype: self.subtype,
            sector: self.sector,
            funding: self.funding,
            legally_required_tendering: self.legally_required_tendering,
            estimated_amount: self.estimated_amount,
        }
    }
}

/// A rule-set version published, on its own chain, the rule set as payload.
pub fn published_entry(rule_set: &RuleSet) -> crate::audit_entry::AuditEntry<&RuleSet> {
    crate::audit_entry::AuditEntry {
        chain: format!("rule_set:{}", rule_set.version),
        action: ggzy_kernel::AuditAction::RuleSetPublish,
        object_type: "rule_set",
        object_id: rule_set.version.to_string(),
        payload: rule_set,
    }
}

/// The problem of a date before the first rule set took effect (`first`): no rule applies.
pub fn before_first_rule_set(date: NaiveDate, first: Option<NaiveDate>) -> ggzy_kernel::FieldError {
    let first = first.map(|d| d.to_string()).unwrap_or_default();
    ggzy_kernel::FieldError::new(
        "as_of",
        "before_first_rule_set",
        format!("{date} 早于第一版规则的生效日期 {first}，没有可适用的规则"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> NaiveDateTime {
        DateTime::from_timestamp(1_700_000_000, 0).unwrap().naive_utc()
    }

    #[test]
    fn a_published_rule_set_reads_back_as_itself_with_its_publication() {
        let seed = RuleSet::seed();
        let row = rule_set_row(&seed, "regulator:1".into(), at()).unwrap();
        assert_eq!(
            (row.version, row.effective_from, row.title.as_str()),
            (1, seed.effective_from, seed.title.as_str())
        );
        assert_eq!(rule_set_of(&row).unwrap(), seed);
        let published = PublishedRuleSet::from_row(row.clone()).unwrap();
        assert_eq!(
            (published.published_by.as_str(), published.published_at.timestamp()),
            ("regulator:1", 1_700_000_000)
        );
        let summary = RuleSetSummary::from(row);
        assert_eq!((summary.version, summary.title), (1, seed.title));
    }

    #[test]
    fn an_unreadable_or_out_of_range_version_is_named() {
        let mut row = rule_set_row(&RuleSet::seed(), "seed".into(), at()).unwrap();
        row.version = 7;
        row.body = "{".into();
        assert!(rule_set_of(&row).unwrap_err().starts_with("stored rule set 7 is unreadable"));
        assert!(PublishedRuleSet::from_row(row.clone()).is_err());
        row.version = -1;
        assert_eq!(RuleSetSummary::from(row).version, 0);
        let huge = RuleSet { version: u32::MAX, ..RuleSet::seed() };
        assert!(rule_set_row(&huge, "seed".into(), at()).is_err());
    }

    #[test]
    fn an_entry_request_gives_its_facts_as_asked() {
        let request: EntryDecisionRequest = serde_json::from_value(serde_json::json!({
            "category": "construction", "subtype": "works", "sector": null, "funding": "state_funded",
            "legally_required_tendering": true, "estimated_amount": "4000000.00", "as_of": null
        }))
        .unwrap();
        let facts = request.clone().facts();
        assert_eq!((facts.category, facts.subtype.as_str()), (request.category, "works"));
        assert_eq!((facts.funding, facts.legally_required_tendering), (request.funding, true));
        assert_eq!(facts.estimated_amount, Money::parse("4000000.00").unwrap());
    }

    #[test]
    fn a_publication_is_audited_on_the_version_s_own_chain() {
        let seed = RuleSet::seed();
        let entry = published_entry(&seed);
        assert_eq!(
            (entry.chain.as_str(), entry.object_type, entry.object_id.as_str()),
            ("rule_set:1", "rule_set", "1")
        );
        assert_eq!((entry.action, entry.payload), (ggzy_kernel::AuditAction::RuleSetPublish, &seed));
    }

    #[test]
    fn a_date_before_the_first_rule_set_names_the_first_effective_date() {
        let (date, first) = (NaiveDate::from_ymd_opt(2019, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2019, 8, 21));
        let problem = before_first_rule_set(date, first);
        assert_eq!((problem.field.as_str(), problem.code.as_str()), ("as_of", "before_first_rule_set"));
        assert_eq!(problem.message, "2019-01-01 早于第一版规则的生效日期 2019-08-21，没有可适用的规则");
    }
}
