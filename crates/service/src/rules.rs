//! Rule-set versions, the rules catalogue, entry decisions and deadlines: the persistence
//! and access side of the rules crate.

use chrono::NaiveDate;
use ggzy_kernel::local_date;
use ggzy_rules::{definitions, EntryDecision, RuleBook, RuleSet};
use ggzy_store::rule_sets::{self as repo, RuleSetRow};
pub use ggzy_views::rules::{
    DeadlineRequest, EntryDecisionRequest, PublishedRuleSet, RuleSetSummary, RuleView, RulesCatalogue,
};

use crate::policy::{authorized, Action};
use crate::{Platform, Principal, ServiceError};

/// The source of a rule id, for problem responses.
pub fn source_of(rule_id: &str) -> Option<&'static str> {
    ggzy_rules::definition(rule_id).map(|d| d.source)
}

pub(crate) fn row_to_rule_set(row: &RuleSetRow) -> Result<RuleSet, ServiceError> {
    ggzy_views::rules::rule_set_of(row).map_err(ServiceError::Internal)
}

impl crate::contexts::Rules<'_> {
    /// Seeds version 1 (effective 2019-08-21, from RULES.md) into an empty database.
    pub fn ensure_seed_rule_set(&self) -> Result<(), ServiceError> {
        let seed = ggzy_views::rules::rule_set_row(&RuleSet::seed(), "seed: RULES.md".into(), self.now_naive())
            .map_err(ServiceError::Internal)?;
        self.store().write(|conn| -> Result<(), ServiceError> {
            if repo::find(conn, 1)?.is_none() {
                repo::insert(conn, &seed)?;
            }
            Ok(())
        })
    }

    /// Every published version.
    pub fn rule_book(&self) -> Result<RuleBook, ServiceError> {
        let rows = self.store().read(repo::all)?;
        let versions = rows.iter().map(row_to_rule_set).collect::<Result<Vec<_>, _>>()?;
        RuleBook::new(versions).map_err(|e| ServiceError::Internal(format!("stored rule sets are inconsistent: {e:?}")))
    }

    pub fn rules_catalogue(&self) -> Result<RulesCatalogue, ServiceError> {
        let in_force = self.rule_set_on(self.today())?;
        Ok(RulesCatalogue {
            rule_set_in_force: in_force.version,
            rules: definitions().iter().map(RuleView::from).collect(),
        })
    }

    pub fn rule_sets(&self) -> Result<Vec<RuleSetSummary>, ServiceError> {
        let rows = self.store().read(repo::all)?;
        Ok(rows.into_iter().map(RuleSetSummary::from).collect())
    }

    pub fn rule_set(&self, version: u32) -> Result<PublishedRuleSet, ServiceError> {
        let version = i32::try_from(version).map_err(|_| ServiceError::NotFound { what: "rule set" })?;
        let row = self.store().read(|conn| repo::find(conn, version))?;
        let row = row.ok_or(ServiceError::NotFound { what: "rule set" })?;
        PublishedRuleSet::from_row(row).map_err(ServiceError::Internal)
    }

    /// Publishes a new version (comprehensive regulator only; entry.catalogue). It takes
    /// effect on a later day than today and than every earlier version, so no decision
    /// already made is judged anew; the version number is assigned here.
    #[tracing::instrument(skip_all)]
    pub fn publish_rule_set(
        &self,
        principal: Option<&Principal>,
        draft: serde_json::Value,
    ) -> Result<PublishedRuleSet, ServiceError> {
        let principal = authorized(principal, Action::PublishRuleSet)?;
        let book = self.rule_book()?;
        let latest = book.latest().ok_or_else(|| ServiceError::Internal("no rule set published".into()))?;
        let rule_set =
            ggzy_rules::publication::read_draft(draft, latest, self.today()).map_err(ServiceError::Invalid)?;
        let version = rule_set.version;
        let now = self.now_naive();
        let row = ggzy_views::rules::rule_set_row(&rule_set, principal.actor(), now).map_err(ServiceError::Internal)?;
        self.store().write(|conn| {
            repo::insert(conn, &row)?;
            crate::record_entry(conn, principal, now, ggzy_views::rules::published_entry(&rule_set))
        })?;
        self.rule_set(version)
    }

    /// Whether a project must enter the platform, by the version in force on `as_of`.
    pub fn entry_decision(&self, request: EntryDecisionRequest) -> Result<EntryDecision, ServiceError> {
        ggzy_rules::entry::check_subtype(request.category, &request.subtype)
            .map_err(|problem| ServiceError::Invalid(vec![problem]))?;
        let rule_set = self.rule_set_on(request.as_of.unwrap_or_else(|| self.today()))?;
        Ok(rule_set.entry_decision(&request.facts()))
    }

    /// The due moment of a time limit for an event (deadline arithmetic in one place).
    pub fn deadline(&self, request: DeadlineRequest) -> Result<ggzy_rules::Deadline, ServiceError> {
        let rule_set = self.rule_set_on(request.as_of.unwrap_or_else(|| local_date(request.event_at)))?;
        let calendar = self.working_calendar()?;
        rule_set.due(&request.rule_id, request.event_at, &calendar).map_err(deadline_error)
    }
}

/// A deadline that cannot be counted, as [`ggzy_rules::DeadlineError`]'s answer tells it.
pub(crate) fn deadline_error(error: ggzy_rules::DeadlineError) -> ServiceError {
    ggzy_kernel::Answer::from(error).into()
}

/// Readers that every context shares.
impl Platform {
    pub fn today(&self) -> NaiveDate {
        local_date(self.now())
    }

    /// The version in force on a date.
    pub fn rule_set_on(&self, date: NaiveDate) -> Result<RuleSet, ServiceError> {
        let book = self.rules().rule_book()?;
        let first = book.versions().first().map(|v| v.effective_from);
        let before_first = || ServiceError::Invalid(vec![ggzy_views::rules::before_first_rule_set(date, first)]);
        book.in_force(date).cloned().ok_or_else(before_first)
    }
}
