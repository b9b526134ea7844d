//! Whether a project must trade on the platform (entry.*), and whether it files the
//! registration form (entry.registration_form).

use ggzy_kernel::{FieldError, Money};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::category::{is_subtype, subtype_name, subtypes, Category, Funding, ProcurementOrganisation, Sector};
use crate::definitions::definition;
use crate::ruleset::{Platform, RuleSet};

/// A rule applied by a decision, with the source it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Citation {
    #[schema(example = "entry.threshold")]
    pub rule_id: String,
    #[schema(example = "实施方案 二(一)")]
    pub source: String,
}

impl Citation {
    /// Cites a rule of [`definitions()`](crate::definitions()); the source is empty only for
    /// an id that is not defined (a bug that the tests rule out for every id cited here).
    pub fn of(rule_id: &str) -> Citation {
        Citation { rule_id: rule_id.to_owned(), source: definition(rule_id).map_or("", |d| d.source).to_owned() }
    }
}

/// What is known about a project when deciding whether it must enter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryFacts {
    pub category: Category,
    /// A subtype key of the category, e.g. `works`.
    #[schema(example = "works")]
    pub subtype: String,
    /// The sector of a construction project; absent for other categories.
    #[serde(default)]
    pub sector: Option<Sector>,
    pub funding: Funding,
    /// Whether law requires the project to be tendered (依法必须招标).
    pub legally_required_tendering: bool,
    /// Contract estimate or budget (合同估算价或采购预算).
    pub estimated_amount: Money,
}

impl EntryFacts {
    /// The facts a decision needs, all problems at once: the subtype must belong to the
    /// category, and a sector is given for construction and only for construction.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if !is_subtype(self.category, &self.subtype) {
            errors.push(FieldError::new(
                "subtype",
                "unknown_subtype",
                format!(
                    "\"{}\" 不是{}的子类型，可选：{}",
                    self.subtype,
                    self.category.name(),
                    subtypes(self.category).join("、")
                ),
            ));
        }
        match (self.category, self.sector) {
            (Category::Construction, None) => errors.push(FieldError::new(
                "sector",
                "required",
                "建设工程项目须注明行业（房建、市政、水利、交通或其他）",
            )),
            (Category::Construction, Some(_)) | (_, None) => {}
            (_, Some(_)) => errors.push(FieldError::new("sector", "not_applicable", "只有建设工程项目填写行业")),
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// The subtype of an entry question must be one of its category's (the question is
/// answered only for a known subtype; the full facts are checked by
/// [`EntryFacts::validate`]).
pub fn check_subtype(category: Category, subtype: &str) -> Result<(), FieldError> {
    if is_subtype(category, subtype) {
        return Ok(());
    }
    Err(FieldError::new(
        "subtype",
        "unknown_subtype",
        format!("“{subtype}”不是该类别的项目类型，可选：{}", subtypes(category).join("、")),
    ))
}

ggzy_kernel::closed_enum! {
    /// The answer of [`RuleSet::entry_decision`].
    ///
    /// - `must_enter`: 必须进入本平台交易
    /// - `municipal_platform`: 进入市级平台交易
    /// - `voluntary`: 可自愿进场，平台须提供服务
    /// - `not_required`: 不属于必须进场交易的项目
    pub enum EntryOutcome {
        /// 必须进入本平台交易
        MustEnter = "must_enter",
        /// 按规定进入市级平台交易
        MunicipalPlatform = "municipal_platform",
        /// 社会投资项目自愿进场，平台须提供服务
        Voluntary = "voluntary",
        /// 不属于必须进场交易的项目
        NotRequired = "not_required",
    }
}

/// Whether a project must enter, under which version, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EntryDecision {
    pub outcome: EntryOutcome,
    /// The rule-set version that decided.
    #[schema(example = 1)]
    pub rule_set_version: u32,
    /// The threshold of the catalogue entry that applied; absent when the project is not
    /// catalogued.
    pub threshold: Option<Money>,
    /// Every rule applied, with its source.
    pub cited: Vec<Citation>,
    /// The reason in Chinese, for the person who asked.
    pub reason: String,
}

impl RuleSet {
    /// Decides whether a project must trade on the platform:
    ///
    /// 1. not in the catalogue (including an unknown subtype): `not_required`
    ///    (entry.catalogue);
    /// 2. catalogued for the municipal platform: `municipal_platform` (entry.municipal);
    /// 3. social investment not legally required to tender: `voluntary` (entry.voluntary);
    /// 4. estimate at or above the threshold (inclusive): `must_enter` (entry.threshold,
    ///    entry.catalogue, entry.categories);
    /// 5. otherwise `not_required` (entry.threshold).
    pub fn entry_decision(&self, facts: &EntryFacts) -> EntryDecision {
        let what = match subtype_name(facts.category, &facts.subtype) {
            Some(name) => format!("{}（{}）", facts.category.name(), name),
            None => facts.category.name().to_owned(),
        };
        let decide = |outcome, threshold, cited: &[&str], reason: String| EntryDecision {
            outcome,
            rule_set_version: self.version,
            threshold,
            cited: cited.iter().map(|id| Citation::of(id)).collect(),
            reason,
        };

        let Some(entry) = self.catalogue_entry(facts.category, &facts.subtype) else {
            let reason = if is_subtype(facts.category, &facts.subtype) {
                format!("{what}项目不在进场交易目录内，不属于必须进场交易的项目")
            } else {
                format!(
                    "\"{}\" 不是{}的子类型，该项目不在进场交易目录内，不属于必须进场交易的项目",
                    facts.subtype,
                    facts.category.name()
                )
            };
            return decide(EntryOutcome::NotRequired, None, &["entry.catalogue"], reason);
        };
        let threshold = entry.threshold;

        if entry.platform == Platform::Municipal {
            return decide(
                EntryOutcome::MunicipalPlatform,
                Some(threshold),
                &["entry.municipal", "entry.catalogue"],
                format!("按进场交易目录，{what}项目进入市级公共资源交易平台交易，不在本平台交易"),
            );
        }
        if facts.funding == Funding::SocialInvestment && !facts.legally_required_tendering {
            return decide(
                EntryOutcome::Voluntary,
                Some(threshold),
                &["entry.voluntary"],
                format!("{what}项目为社会投资且不属于依法必须招标的项目，可自愿进场交易，平台应当提供服务"),
            );
        }
        if facts.estimated_amount >= threshold {
            decide(
                EntryOutcome::MustEnter,
                Some(threshold),
                &["entry.threshold", "entry.catalogue", "entry.categories"],
                format!(
                    "{what}项目估算金额 {} 元，达到进场交易限额 {} 元（含本数），必须进入本平台交易",
                    facts.estimated_amount, threshold
                ),
            )
        } else {
            decide(
                EntryOutcome::NotRequired,
                Some(threshold),
                &["entry.threshold"],
                format!(
                    "{what}项目估算金额 {} 元，低于进场交易限额 {} 元，不属于必须进场交易的项目",
                    facts.estimated_amount, threshold
                ),
            )
        }
    }

    /// Whether the tenderer files the 进场登记表 with the approval documents
    /// (entry.registration_form): everyone except construction in the building or
    /// municipal sector and centralised government procurement.
    pub fn registration_form_required(
        &self,
        category: Category,
        sector: Option<Sector>,
        procurement_organisation: Option<ProcurementOrganisation>,
    ) -> bool {
        match category {
            Category::Construction => !matches!(sector, Some(Sector::Building | Sector::Municipal)),
            Category::Procurement => procurement_organisation != Some(ProcurementOrganisation::Centralised),
            Category::LandMining | Category::StateProperty | Category::Other => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ruleset::{CatalogueEntry, RuleBook};
    use chrono::NaiveDate;

    fn money(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    #[test]
    fn an_entry_question_names_a_subtype_of_its_category() {
        let cases = [
            (Category::Construction, "works", true),
            (Category::Procurement, "goods", true),
            (Category::LandMining, "works", false),
            (Category::Construction, "goods", false),
            (Category::Construction, "", false),
        ];
        for (category, subtype, known) in cases {
            assert_eq!(check_subtype(category, subtype).is_ok(), known, "{category} {subtype}");
        }
        let problem = check_subtype(Category::LandMining, "works").unwrap_err();
        assert_eq!((problem.field.as_str(), problem.code.as_str()), ("subtype", "unknown_subtype"));
        assert_eq!(problem.message, "“works”不是该类别的项目类型，可选：land_use_right、mining_right");
    }

    fn facts(category: Category, subtype: &str, amount: &str) -> EntryFacts {
        EntryFacts {
            category,
            subtype: subtype.to_owned(),
            sector: (category == Category::Construction).then_some(Sector::Building),
            funding: Funding::StateFunded,
            legally_required_tendering: true,
            estimated_amount: money(amount),
        }
    }

    fn ids(d: &EntryDecision) -> Vec<&str> {
        d.cited.iter().map(|c| c.rule_id.as_str()).collect()
    }

    #[test]
    fn threshold_is_inclusive_in_every_category() {
        let seed = RuleSet::seed();
        let cases = [
            (Category::Construction, "works"),
            (Category::Procurement, "goods"),
            (Category::LandMining, "land_use_right"),
            (Category::StateProperty, "transfer"),
            (Category::Other, "landscaping"),
        ];
        for (category, subtype) in cases {
            let at = seed.entry_decision(&facts(category, subtype, "500000.00"));
            assert_eq!(at.outcome, EntryOutcome::MustEnter, "{category}");
            assert_eq!(at.rule_set_version, 1);
            assert_eq!(at.threshold, Some(money("500000.00")));
            assert_eq!(ids(&at), ["entry.threshold", "entry.catalogue", "entry.categories"]);
            assert_eq!(at.cited[0].source, "实施方案 二(一)");
            assert_eq!(at.cited[1].source, "管理办法 §6");
            assert_eq!(at.cited[2].source, "实施方案 二(二)");
            assert!(at.reason.contains("500000.00"), "{}", at.reason);

            let below = seed.entry_decision(&facts(category, subtype, "499999.99"));
            assert_eq!(below.outcome, EntryOutcome::NotRequired, "{category}");
            assert_eq!(below.threshold, Some(money("500000.00")));
            assert_eq!(ids(&below), ["entry.threshold"]);
        }
    }

    #[test]
    fn social_investment_not_required_to_tender_may_enter_voluntarily() {
        let seed = RuleSet::seed();
        let mut f = facts(Category::Construction, "works", "80000000.00");
        f.funding = Funding::SocialInvestment;
        f.legally_required_tendering = false;
        let d = seed.entry_decision(&f);
        assert_eq!(d.outcome, EntryOutcome::Voluntary);
        assert_eq!(ids(&d), ["entry.voluntary"]);
        assert_eq!(d.cited[0].source, "细则 §8, 实施方案 一");

        // Social investment that law requires to tender is judged by the threshold.
        f.legally_required_tendering = true;
        assert_eq!(seed.entry_decision(&f).outcome, EntryOutcome::MustEnter);
    }

    #[test]
    fn municipal_catalogue_entries_go_to_the_municipal_platform() {
        let mut set = RuleSet::seed();
        set.catalogue.push(CatalogueEntry {
            category: Category::LandMining,
            subtype: Some("mining_right".to_owned()),
            threshold: money("0.00"),
            platform: Platform::Municipal,
        });
        set.validate().unwrap();
        let d = set.entry_decision(&facts(Category::LandMining, "mining_right", "100.00"));
        assert_eq!(d.outcome, EntryOutcome::MunicipalPlatform);
        assert_eq!(ids(&d), ["entry.municipal", "entry.catalogue"]);
        assert_eq!(d.threshold, Some(Money::ZERO));
        // The category-wide entry still governs the other subtype.
        let d = set.entry_decision(&facts(Category::LandMining, "land_use_right", "500000.00"));
        assert_eq!(d.outcome, EntryOutcome::MustEnter);
    }

    #[test]
    fn unknown_subtype_or_uncatalogued_is_not_required() {
        let seed = RuleSet::seed();
        let d = seed.entry_decision(&facts(Category::Construction, "demolition", "9000000.00"));
        assert_eq!(d.outcome, EntryOutcome::NotRequired);
        assert_eq!(d.threshold, None);
        assert_eq!(ids(&d), ["entry.catalogue"]);
        assert!(d.reason.contains("demolition"), "{}", d.reason);

        let mut set = RuleSet::seed();
        set.catalogue.retain(|e| e.category != Category::Other);
        let d = set.entry_decision(&facts(Category::Other, "advertising", "9000000.00"));
        assert_eq!(d.outcome, EntryOutcome::NotRequired);
        assert_eq!(ids(&d), ["entry.catalogue"]);
    }

    #[test]
    fn version_in_force_decides() {
        let mut v2 = RuleSet::seed();
        v2.version = 2;
        v2.effective_from = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        v2.title = "密云区公共资源交易平台进场交易规则（2027 年第 2 版）".to_owned();
        for e in v2.catalogue.iter_mut().filter(|e| e.category == Category::Construction) {
            e.threshold = money("1000000.00");
        }
        let book = RuleBook::new(vec![v2, RuleSet::seed()]).unwrap();
        let f = facts(Category::Construction, "works", "800000.00");

        let old = book.in_force(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()).unwrap();
        let d = old.entry_decision(&f);
        assert_eq!((d.outcome, d.rule_set_version), (EntryOutcome::MustEnter, 1));

        let new = book.in_force(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()).unwrap();
        let d = new.entry_decision(&f);
        assert_eq!((d.outcome, d.rule_set_version), (EntryOutcome::NotRequired, 2));
        assert_eq!(d.threshold, Some(money("1000000.00")));
        // Other categories keep 500,000.00 in version 2.
        let d = new.entry_decision(&facts(Category::Procurement, "services", "800000.00"));
        assert_eq!((d.outcome, d.rule_set_version), (EntryOutcome::MustEnter, 2));
    }

    #[test]
    fn registration_form() {
        let seed = RuleSet::seed();
        let c = Category::Construction;
        assert!(!seed.registration_form_required(c, Some(Sector::Building), None));
        assert!(!seed.registration_form_required(c, Some(Sector::Municipal), None));
        assert!(seed.registration_form_required(c, Some(Sector::Water), None));
        assert!(seed.registration_form_required(c, Some(Sector::Transport), None));
        assert!(seed.registration_form_required(c, None, None));
        let p = Category::Procurement;
        assert!(!seed.registration_form_required(p, None, Some(ProcurementOrganisation::Centralised)));
        assert!(seed.registration_form_required(p, None, Some(ProcurementOrganisation::Decentralised)));
        assert!(seed.registration_form_required(p, None, None));
        assert!(seed.registration_form_required(Category::LandMining, None, None));
        assert!(seed.registration_form_required(Category::StateProperty, None, None));
        assert!(seed.registration_form_required(Category::Other, None, None));
    }

    #[test]
    fn facts_validation_names_every_problem() {
        let mut f = facts(Category::Construction, "painting", "1.00");
        f.sector = None;
        let errs = f.validate().unwrap_err();
        let fields: Vec<(&str, &str)> = errs.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(fields, [("subtype", "unknown_subtype"), ("sector", "required")]);

        let mut f = facts(Category::Procurement, "goods", "1.00");
        f.sector = Some(Sector::Water);
        assert_eq!(f.validate().unwrap_err()[0].code, "not_applicable");
        assert!(facts(Category::Procurement, "goods", "1.00").validate().is_ok());
    }

    #[test]
    fn facts_and_decision_serde() {
        let json = serde_json::json!({
            "category": "construction",
            "subtype": "works",
            "sector": "municipal",
            "funding": "state_controlled",
            "legally_required_tendering": true,
            "estimated_amount": "500000.00"
        });
        let f: EntryFacts = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(serde_json::to_value(&f).unwrap(), json);
        let mut extra = json;
        extra["colour"] = serde_json::json!("red");
        assert!(serde_json::from_value::<EntryFacts>(extra).is_err());

        let d = RuleSet::seed().entry_decision(&f);
        let out = serde_json::to_value(&d).unwrap();
        assert_eq!(out["outcome"], "must_enter");
        assert_eq!(out["threshold"], "500000.00");
        assert_eq!(out["cited"][0], serde_json::json!({"rule_id": "entry.threshold", "source": "实施方案 二(一)"}));
    }
}
