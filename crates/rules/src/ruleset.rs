//! Versioned rule sets: the numbers the rules of `RULES.md` use, as data.
//!
//! A [`RuleSet`] is one published version (stored by others as JSON): the catalogue of
//! what must enter (entry.catalogue), the agent limit (agency.max_agents), bond caps,
//! every time limit and the regulator mapping (regulator.assignment). A version takes
//! effect on a date and never changes after that; a [`RuleBook`] holds all versions and
//! answers which one is in force on a date.

use std::collections::{BTreeSet, HashSet};

use chrono::NaiveDate;
use ggzy_kernel::{FieldError, Money};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::category::{is_subtype, subtypes, Category, Sector};
use crate::definitions::definition;
use crate::documents::DocumentNumbers;

/// Which platform a catalogued project trades on (entry.municipal).
///
/// - `district`: 区级平台（本平台）
/// - `municipal`: 市级平台
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    /// 区级公共资源交易平台（本平台）
    District,
    /// 市级公共资源交易平台
    Municipal,
}

/// How a time limit is counted.
///
/// - `days`: 日（日历日）
/// - `working_days`: 工作日
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    /// 日（日历日；期间最后一日为非工作日的，顺延至下一个工作日）
    Days,
    /// 工作日（不含周末和法定节假日，含调休上班日）
    WorkingDays,
}

/// Whether the period is a minimum or a maximum.
///
/// - `at_least`: 不少于（最短期限，例如投标文件编制期 ≥ 20 日）
/// - `at_most`: 不超过（最长期限，例如异议答复 ≤ 3 日）
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// 不少于
    AtLeast,
    /// 不超过
    AtMost,
}

/// Whether the period runs after its event or ends at it.
///
/// - `after`: 自事件之日起算（例如自收到异议之日起 3 日内）
/// - `before`: 在事件之前（例如投标截止时间 10 日前提出异议）
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// 自事件之日起算，事件当日不计入
    After,
    /// 在事件（通常为截止时间）之前，事件当日不计入
    Before,
}

/// One line of the catalogue (进场交易目录, entry.catalogue) drawn up by 公管办.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogueEntry {
    pub category: Category,
    /// A subtype key of the category; absent or null = every subtype of the category.
    #[serde(default)]
    #[schema(example = "works")]
    pub subtype: Option<String>,
    /// Contract estimate or budget at or above which the project must enter
    /// (entry.threshold, inclusive).
    pub threshold: Money,
    pub platform: Platform,
}

/// The agent limit of one category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryAgentLimit {
    pub category: Category,
    #[schema(minimum = 1, example = 3)]
    pub limit: u32,
}

/// How many real-name agent staff an agency may bring onto the platform for one
/// commission (agency.max_agents).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentLimit {
    #[schema(minimum = 1, example = 3)]
    pub default: u32,
    /// Categories with their own number.
    #[serde(default)]
    pub per_category: Vec<CategoryAgentLimit>,
}

/// Cap on the bid bond of a category, in basis points of the estimate or budget
/// (construction.bond.cap, procurement.bond.cap).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BondCap {
    #[schema(example = "construction.bond.cap")]
    pub rule_id: String,
    pub category: Category,
    /// 1/100 of a percent: 200 = 2%.
    #[schema(minimum = 1, maximum = 10000, example = 200)]
    pub basis_points: u32,
}

impl BondCap {
    /// The largest bond allowed on `base` (the estimate or budget), rounded down to the fen.
    pub fn max_amount(&self, base: Money) -> Money {
        let bp = i128::from(self.basis_points.min(10_000));
        let fen = i128::from(base.fen()) * bp / 10_000;
        // fen ≤ base because bp ≤ 10000, so it is always a valid amount.
        i64::try_from(fen).ok().and_then(|f| Money::from_fen(f).ok()).unwrap_or(base)
    }
}

/// One time limit of `RULES.md` (see [`crate::deadline`] for the counting).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeLimit {
    #[schema(example = "construction.objection.reply")]
    pub rule_id: String,
    #[schema(minimum = 1, example = 3)]
    pub amount: u32,
    pub unit: TimeUnit,
    pub bound: Bound,
    pub direction: Direction,
    /// The event the period is counted from (or, for `before`, back from), in English
    /// snake_case, e.g. `objection_received` or `bid_deadline`.
    #[schema(example = "objection_received")]
    pub counts_from: String,
}

/// Which department regulates projects of a category, subtype or construction sector
/// (regulator.assignment).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegulatorMapping {
    pub category: Category,
    /// A subtype key of the category, or for construction a sector key (`building`,
    /// `municipal`, `water`, `transport`, `other`); absent or null = the whole category.
    #[serde(default)]
    #[schema(example = "building")]
    pub key: Option<String>,
    /// Id of the regulating department, e.g. `zjw` (住建委).
    #[schema(example = "zjw")]
    pub department_id: String,
}

/// One published version of the trading rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    #[schema(minimum = 1, example = 1)]
    pub version: u32,
    /// First Beijing-time date on which this version applies.
    #[schema(value_type = String, format = Date, example = "2019-08-21")]
    pub effective_from: NaiveDate,
    #[schema(example = "密云区公共资源交易平台进场交易规则（2019 年第 1 版）")]
    pub title: String,
    pub catalogue: Vec<CatalogueEntry>,
    pub agent_limit: AgentLimit,
    pub bond_caps: Vec<BondCap>,
    pub time_limits: Vec<TimeLimit>,
    pub regulators: Vec<RegulatorMapping>,
    /// Interest and late-fee rates of bond refunds (kept as data; versions before this field
    /// existed read the seed's rates).
    #[serde(default = "BondRates::seed")]
    pub rates: BondRates,
    /// The numbers of tendering (versions before this field existed read the seed's).
    #[serde(default = "TenderingNumbers::seed")]
    pub tendering: TenderingNumbers,
    /// The numbers of listings and auctions (versions before this field existed read the
    /// seed's).
    #[serde(default = "ListingNumbers::seed")]
    pub listing: ListingNumbers,
    /// Bids sealed by the bidders (versions before this field existed read the seed's).
    #[serde(default = "SealingNumbers::seed")]
    pub sealing: SealingNumbers,
    /// Thresholds of collusion risk detection (versions before this field existed read the
    /// seed's).
    #[serde(default = "RiskNumbers::seed")]
    pub risk: RiskNumbers,
    /// Stored documents: the largest file of each kind and how long files are kept
    /// (versions before this field existed read the seed's).
    #[serde(default = "DocumentNumbers::seed")]
    pub documents: DocumentNumbers,
}

/// Thresholds of collusion risk detection (监测预警, 细则 §37): policy numbers, not law.
/// Chances are in parts per million: the largest chance, for independent bidders, of a
/// pattern that is still reported. They are the false-alarm rates the district accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RiskNumbers {
    /// risk.rotation: sections two bidders must share, each winning one, to be weighed as
    /// a rotating pair: 3.
    #[schema(minimum = 2, maximum = 20, example = 3)]
    pub rotation_min_meetings: u32,
    /// risk.rotation: the largest chance of the meetings and wins of a rotating group
    /// among independent bidders, over the whole scan: 1,000 ppm (0.1%).
    #[schema(minimum = 1, maximum = 100000, example = 1000)]
    pub rotation_max_chance_ppm: u32,
    /// risk.price_pattern: the largest chance of a price pattern among a section's
    /// independent prices: 1,000 ppm (one section in 1,000).
    #[schema(minimum = 1, maximum = 100000, example = 1000)]
    pub price_max_chance_ppm: u32,
    /// risk.win_at_ceiling: a winning price at or above this share of the ceiling, in
    /// basis points: 9,950.
    #[schema(minimum = 9000, maximum = 10000, example = 9950)]
    pub ceiling_basis_points: u32,
}

impl RiskNumbers {
    pub fn seed() -> RiskNumbers {
        RiskNumbers {
            rotation_min_meetings: 3,
            rotation_max_chance_ppm: 1_000,
            price_max_chance_ppm: 1_000,
            ceiling_basis_points: 9_950,
        }
    }
}

/// The numbers of bids sealed by their bidders (电子招标投标办法 §30, §31, as the platform
/// reads them: at the opening each bidder decrypts its own bid online within a window).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SealingNumbers {
    /// tendering.decryption_window: minutes the bidders have to decrypt their bids from the
    /// opening of the window: 30. An announcement may set its own within the limits below.
    #[schema(minimum = 15, maximum = 120, example = 30)]
    pub decryption_window_minutes: u32,
    #[schema(minimum = 1, example = 15)]
    pub decryption_window_min: u32,
    #[schema(minimum = 1, example = 120)]
    pub decryption_window_max: u32,
}

impl SealingNumbers {
    pub fn seed() -> SealingNumbers {
        SealingNumbers { decryption_window_minutes: 30, decryption_window_min: 15, decryption_window_max: 120 }
    }

    /// The window an announcement asks for, or the default; None when outside the limits.
    pub fn window(&self, asked: Option<u32>) -> Option<u32> {
        let minutes = asked.unwrap_or(self.decryption_window_minutes);
        (self.decryption_window_min..=self.decryption_window_max).contains(&minutes).then_some(minutes)
    }
}

/// The numbers of listings of land, mining rights and state-owned property.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListingNumbers {
    /// property.relisting_floor: listing state-owned property below this percentage of its
    /// appraisal needs a new approval: 90.
    #[schema(minimum = 1, maximum = 100, example = 90)]
    pub relisting_floor_percent: u32,
    /// How many rounds one lot may have: its first listing and the relistings of a failed
    /// one. 2 (relisted once) by default: neither the district's documents nor the national
    /// texts in force here limit relisting, so this is the platform's choice, a number a
    /// rule-set version may change (1 forbids relisting).
    #[serde(default = "ListingNumbers::seed_max_rounds")]
    #[schema(minimum = 1, maximum = 10, example = 2)]
    pub max_rounds: u32,
}

impl ListingNumbers {
    pub fn seed() -> ListingNumbers {
        ListingNumbers { relisting_floor_percent: 90, max_rounds: Self::seed_max_rounds() }
    }

    fn seed_max_rounds() -> u32 {
        2
    }
}

/// The counts the tendering rules fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TenderingNumbers {
    /// construction.min_bidders: fewer bids than this, no opening (流标): 3.
    pub min_bidders: u32,
    /// construction.evaluation.committee: at least this many members, an odd number: 5.
    pub committee_min: u32,
    /// procurement.committee: at least 5 members …
    pub procurement_committee_min: u32,
    /// … and at least 7 when the budget reaches 10,000,000.00 yuan.
    pub procurement_large_committee_min: u32,
    pub procurement_large_budget: Money,
    /// construction.candidates.max: ranked candidates: at most 3.
    pub candidates_max: u32,
}

impl TenderingNumbers {
    pub fn seed() -> TenderingNumbers {
        TenderingNumbers {
            min_bidders: 3,
            committee_min: 5,
            procurement_committee_min: 5,
            procurement_large_committee_min: 7,
            // 10,000,000.00 yuan; in range by construction.
            procurement_large_budget: Money::from_fen(1_000_000_000).unwrap_or(Money::MAX),
            candidates_max: 3,
        }
    }

    /// The smallest committee a section needs, with the rule that says so.
    pub fn committee_minimum(&self, category: Category, budget: Money) -> (&'static str, u32) {
        if category == Category::Procurement {
            let minimum = if budget >= self.procurement_large_budget {
                self.procurement_large_committee_min
            } else {
                self.procurement_committee_min
            };
            (crate::rule_ids::PROCUREMENT_COMMITTEE, minimum)
        } else {
            (crate::rule_ids::CONSTRUCTION_EVALUATION_COMMITTEE, self.committee_min)
        }
    }
}

/// Rates applied to bond refunds, in basis points a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BondRates {
    /// Bank demand-deposit rate paid as interest on construction refunds
    /// (construction.bond.refund_after_contract): 0.35%.
    pub demand_deposit_basis_points: u32,
    /// PBoC benchmark loan rate behind the late fee (procurement.bond.late_fee: rate × 1.2);
    /// last published one-year rate 4.35%.
    pub loan_benchmark_basis_points: u32,
}

impl BondRates {
    pub fn seed() -> BondRates {
        BondRates { demand_deposit_basis_points: 35, loan_benchmark_basis_points: 435 }
    }
}

/// entry.threshold of the seed: 500,000.00 yuan in fen.
const SEED_THRESHOLD_FEN: i64 = 50_000_000;

fn limit(rule_id: &str, amount: u32, unit: TimeUnit, bound: Bound, direction: Direction, from: &str) -> TimeLimit {
    TimeLimit { rule_id: rule_id.to_owned(), amount, unit, bound, direction, counts_from: from.to_owned() }
}

fn seed_time_limits() -> Vec<TimeLimit> {
    use Bound::{AtLeast, AtMost};
    use Direction::{After, Before};
    use TimeUnit::{Days, WorkingDays};
    vec![
        limit("direct_award.publicity", 5, WorkingDays, AtLeast, After, "publicity_start"),
        limit("construction.bidding_period", 20, Days, AtLeast, After, "tender_documents_issued"),
        limit("construction.doc_sale_period", 5, Days, AtLeast, After, "documents_sale_start"),
        limit("construction.clarification", 15, Days, AtLeast, Before, "bid_deadline"),
        limit("construction.objection.prequal_docs", 2, Days, AtLeast, Before, "prequalification_deadline"),
        limit("construction.objection.tender_docs", 10, Days, AtLeast, Before, "bid_deadline"),
        limit("construction.objection.reply", 3, Days, AtMost, After, "objection_received"),
        limit("construction.candidates.publish", 3, Days, AtMost, After, "evaluation_report_received"),
        limit("construction.candidates.publicity", 3, Days, AtLeast, After, "publicity_start"),
        limit("construction.complaint.window", 10, Days, AtMost, After, "knew_of_matter"),
        limit("construction.complaint.acceptance", 3, WorkingDays, AtMost, After, "complaint_received"),
        limit("construction.complaint.decision", 30, WorkingDays, AtMost, After, "complaint_accepted"),
        limit("construction.bond.refund_after_contract", 5, Days, AtMost, After, "contract_signed"),
        limit("construction.bond.refund_on_withdrawal", 5, Days, AtMost, After, "withdrawal"),
        limit("construction.bond.refund_on_termination", 5, Days, AtMost, After, "termination"),
        limit("construction.contract.window", 30, Days, AtMost, After, "award_notice"),
        limit("procurement.bidding_period", 20, Days, AtLeast, After, "tender_documents_issued"),
        limit("procurement.clarification", 15, Days, AtLeast, Before, "bid_deadline"),
        limit("procurement.bond.refund_losers", 5, WorkingDays, AtMost, After, "award_notice"),
        limit("procurement.bond.refund_winner", 5, WorkingDays, AtMost, After, "contract_signed"),
        limit("procurement.bond.refund_on_withdrawal", 5, WorkingDays, AtMost, After, "withdrawal"),
        limit("procurement.question.window", 7, WorkingDays, AtMost, After, "knew_of_matter"),
        limit("procurement.question.reply", 7, WorkingDays, AtMost, After, "question_received"),
        limit("procurement.complaint.window", 15, WorkingDays, AtMost, After, "question_reply_period_end"),
        limit("procurement.complaint.decision", 30, WorkingDays, AtMost, After, "complaint_received"),
        limit("procurement.award.publish", 2, WorkingDays, AtMost, After, "winner_determined"),
        limit("procurement.contract.window", 30, Days, AtMost, After, "award_notice"),
        limit("procurement.single_source.publicity", 5, WorkingDays, AtLeast, After, "publicity_start"),
        limit("land.announcement", 20, Days, AtLeast, After, "announcement"),
        limit("land.listing_period", 10, WorkingDays, AtLeast, After, "listing_start"),
        limit("land.deposit.refund", 5, WorkingDays, AtMost, After, "trading_concluded"),
        limit("mining.announcement", 20, WorkingDays, AtLeast, After, "announcement"),
        limit("property.disclosure", 20, WorkingDays, AtLeast, After, "disclosure_start"),
    ]
}

fn regulator(category: Category, key: Option<&str>, department_id: &str) -> RegulatorMapping {
    RegulatorMapping { category, key: key.map(str::to_owned), department_id: department_id.to_owned() }
}

impl RuleSet {
    /// Version 1: the district's 2019 rules (effective 2019-08-21). Every category is
    /// catalogued at 500,000.00 yuan on the district platform, agencies bring at most 3
    /// agents, bid bonds are capped at 2%, every time limit of `RULES.md` is present.
    pub fn seed() -> RuleSet {
        // In range by construction; the fallback is never taken.
        let threshold = Money::from_fen(SEED_THRESHOLD_FEN).unwrap_or(Money::MAX);
        let effective_from = NaiveDate::from_ymd_opt(2019, 8, 21).unwrap_or(NaiveDate::MIN);
        RuleSet {
            version: 1,
            effective_from,
            title: "密云区公共资源交易平台进场交易规则（2019 年第 1 版）".to_owned(),
            catalogue: Category::ALL
                .into_iter()
                .map(|category| CatalogueEntry { category, subtype: None, threshold, platform: Platform::District })
                .collect(),
            agent_limit: AgentLimit { default: 3, per_category: Vec::new() },
            bond_caps: vec![
                BondCap {
                    rule_id: "construction.bond.cap".to_owned(),
                    category: Category::Construction,
                    basis_points: 200,
                },
                BondCap {
                    rule_id: "procurement.bond.cap".to_owned(),
                    category: Category::Procurement,
                    basis_points: 200,
                },
            ],
            time_limits: seed_time_limits(),
            rates: BondRates::seed(),
            tendering: TenderingNumbers::seed(),
            listing: ListingNumbers::seed(),
            sealing: SealingNumbers::seed(),
            risk: RiskNumbers::seed(),
            documents: DocumentNumbers::seed(),
            regulators: vec![
                regulator(Category::Construction, Some("building"), "zjw"),
                regulator(Category::Construction, Some("municipal"), "zjw"),
                regulator(Category::Construction, Some("water"), "swj"),
                regulator(Category::Construction, Some("transport"), "glfj"),
                regulator(Category::Procurement, None, "czj"),
                regulator(Category::LandMining, None, "gzfj"),
                regulator(Category::StateProperty, None, "gzw"),
                regulator(Category::Other, Some("landscaping"), "yllhj"),
                regulator(Category::Other, Some("advertising"), "cgw"),
                regulator(Category::Other, Some("medical_procurement"), "wjw"),
            ],
        }
    }

    /// Checks the whole version and names every problem at once (一次性告知), with
    /// dotted field paths such as `catalogue[2].subtype`.
    ///
    /// A version may change numbers but not drop or add rules: its time limits and bond
    /// caps cover exactly the rule ids of the seed, with the same bound, direction, event
    /// and category. Numbers fixed by law (rules not marked "default" in `RULES.md`, see
    /// [`RuleDefinition::adjustable`](crate::RuleDefinition::adjustable)) keep the
    /// seed's value; a statutory bond cap may be lowered but not raised.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let seed = RuleSet::seed();

        if self.version == 0 {
            errors.push(FieldError::new("version", "version_out_of_range", "版本号须为正整数"));
        }
        if self.tendering != TenderingNumbers::seed() {
            errors.push(FieldError::new(
                "tendering",
                "statutory_number_changed",
                "投标人数、评标委员会人数和中标候选人数由法律规定，规则版本不得更改",
            ));
        }
        if !self.documents.valid() {
            errors.push(FieldError::new(
                "documents",
                "document_numbers_out_of_range",
                "文件保存年限不得少于 15 年（政府采购法第四十二条），各类文件大小上限须为正数（documents.retention）",
            ));
        }
        let sealing = self.sealing;
        if sealing.decryption_window_min == 0
            || sealing.decryption_window_min > sealing.decryption_window_max
            || sealing.window(None).is_none()
        {
            errors.push(FieldError::new(
                "sealing",
                "window_out_of_range",
                "解密时限须为正数，且默认时限在上下限之间（tendering.decryption_window）",
            ));
        }
        let risk = self.risk;
        if !(2..=20).contains(&risk.rotation_min_meetings)
            || !(1..=100_000).contains(&risk.rotation_max_chance_ppm)
            || !(1..=100_000).contains(&risk.price_max_chance_ppm)
            || !(9_000..=10_000).contains(&risk.ceiling_basis_points)
        {
            errors.push(FieldError::new(
                "risk",
                "risk_number_out_of_range",
                "风险预警阈值超出范围：相遇次数 2–20，概率 1–100000 ppm，最高限价比例 9000–10000 基点",
            ));
        }
        if !(1..=10).contains(&self.listing.max_rounds) {
            errors.push(FieldError::new(
                "listing.max_rounds",
                "rounds_out_of_range",
                "同一标的的挂牌轮次须在 1 至 10 之间",
            ));
        }
        if !(1..=100).contains(&self.listing.relisting_floor_percent) {
            errors.push(FieldError::new(
                "listing.relisting_floor_percent",
                "percent_out_of_range",
                "重新挂牌底价比例须在 1% 至 100% 之间（property.relisting_floor）",
            ));
        }
        for (field, rate) in [
            ("rates.demand_deposit_basis_points", self.rates.demand_deposit_basis_points),
            ("rates.loan_benchmark_basis_points", self.rates.loan_benchmark_basis_points),
        ] {
            if rate > 10_000 {
                errors.push(FieldError::new(field, "rate_out_of_range", "年利率须在 0 至 10000 个基点（100%）之间"));
            }
        }
        if self.title.trim().is_empty() {
            errors.push(FieldError::new("title", "required", "规则版本名称不能为空"));
        }
        self.validate_catalogue(&mut errors);
        self.validate_agent_limit(&mut errors);
        self.validate_bond_caps(&seed, &mut errors);
        self.validate_time_limits(&seed, &mut errors);
        self.validate_regulators(&mut errors);

        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn validate_catalogue(&self, errors: &mut Vec<FieldError>) {
        let mut seen = HashSet::new();
        for (i, entry) in self.catalogue.iter().enumerate() {
            if let Some(subtype) = &entry.subtype {
                if !is_subtype(entry.category, subtype) {
                    errors.push(FieldError::new(
                        format!("catalogue[{i}].subtype"),
                        "unknown_subtype",
                        format!(
                            "\"{subtype}\" 不是{}的子类型，可选：{}",
                            entry.category.name(),
                            subtypes(entry.category).join("、")
                        ),
                    ));
                    continue;
                }
            }
            if !seen.insert((entry.category, entry.subtype.as_deref())) {
                errors.push(FieldError::new(
                    format!("catalogue[{i}].subtype"),
                    "duplicate_catalogue_entry",
                    format!(
                        "目录中{}{}已出现过，同一类别和子类型只能有一条",
                        entry.category.name(),
                        entry.subtype.as_deref().map_or_else(|| "（全部子类型）".to_owned(), |s| format!("/{s}"))
                    ),
                ));
            }
        }
    }

    fn validate_agent_limit(&self, errors: &mut Vec<FieldError>) {
        if self.agent_limit.default == 0 {
            errors.push(FieldError::new("agent_limit.default", "agent_limit_out_of_range", "代理人员上限须至少为 1"));
        }
        let mut seen = HashSet::new();
        for (i, per) in self.agent_limit.per_category.iter().enumerate() {
            if per.limit == 0 {
                errors.push(FieldError::new(
                    format!("agent_limit.per_category[{i}].limit"),
                    "agent_limit_out_of_range",
                    "代理人员上限须至少为 1",
                ));
            }
            if !seen.insert(per.category) {
                errors.push(FieldError::new(
                    format!("agent_limit.per_category[{i}].category"),
                    "duplicate_agent_limit",
                    format!("{}的代理人员上限已设置过", per.category.name()),
                ));
            }
        }
    }

    fn validate_bond_caps(&self, seed: &RuleSet, errors: &mut Vec<FieldError>) {
        let mut seen_rules = BTreeSet::new();
        let mut seen_categories = HashSet::new();
        for (i, cap) in self.bond_caps.iter().enumerate() {
            let field = |name: &str| format!("bond_caps[{i}].{name}");
            if !(1..=10_000).contains(&cap.basis_points) {
                errors.push(FieldError::new(
                    field("basis_points"),
                    "basis_points_out_of_range",
                    "保证金上限以万分之一计，须在 1 到 10000 之间",
                ));
            }
            let Some(def) = definition(&cap.rule_id) else {
                errors.push(unknown_rule(field("rule_id"), &cap.rule_id));
                continue;
            };
            let Some(seeded) = seed.bond_caps.iter().find(|c| c.rule_id == cap.rule_id) else {
                errors.push(FieldError::new(
                    field("rule_id"),
                    "not_a_bond_cap",
                    format!("规则 {} 不是保证金上限规则", cap.rule_id),
                ));
                continue;
            };
            if !seen_rules.insert(cap.rule_id.as_str()) {
                errors.push(duplicate_rule(field("rule_id"), &cap.rule_id));
            }
            if cap.category != seeded.category {
                errors.push(FieldError::new(
                    field("category"),
                    "rule_meaning_changed",
                    format!("规则 {} 适用于{}，不能改为其他类别", cap.rule_id, seeded.category.name()),
                ));
            } else if !seen_categories.insert(cap.category) {
                errors.push(FieldError::new(
                    field("category"),
                    "duplicate_bond_cap",
                    format!("{}的保证金上限已设置过", cap.category.name()),
                ));
            }
            if !def.adjustable && cap.basis_points > seeded.basis_points {
                errors.push(FieldError::new(
                    field("basis_points"),
                    "exceeds_statutory_cap",
                    format!(
                        "{}规定保证金不得超过 {}（{}），规则版本不能提高",
                        def.source, def.number, seeded.basis_points
                    ),
                ));
            }
        }
        for missing in seed.bond_caps.iter().filter(|c| !seen_rules.contains(c.rule_id.as_str())) {
            errors.push(FieldError::new(
                "bond_caps",
                "missing_bond_cap",
                format!("缺少保证金上限规则 {}，新版本可以修改数值但不能删除规则", missing.rule_id),
            ));
        }
    }

    fn validate_time_limits(&self, seed: &RuleSet, errors: &mut Vec<FieldError>) {
        let mut seen = BTreeSet::new();
        for (i, tl) in self.time_limits.iter().enumerate() {
            let field = |name: &str| format!("time_limits[{i}].{name}");
            if tl.amount == 0 {
                errors.push(FieldError::new(field("amount"), "amount_out_of_range", "期限须至少为 1 日"));
            }
            let Some(def) = definition(&tl.rule_id) else {
                errors.push(unknown_rule(field("rule_id"), &tl.rule_id));
                continue;
            };
            let Some(seeded) = seed.time_limit(&tl.rule_id) else {
                errors.push(FieldError::new(
                    field("rule_id"),
                    "not_a_time_limit",
                    format!("规则 {}（{}）不是以日或工作日计的期限", tl.rule_id, def.title),
                ));
                continue;
            };
            if !seen.insert(tl.rule_id.as_str()) {
                errors.push(duplicate_rule(field("rule_id"), &tl.rule_id));
                continue;
            }
            let meaning = [
                ("bound", tl.bound != seeded.bound),
                ("direction", tl.direction != seeded.direction),
                ("counts_from", tl.counts_from != seeded.counts_from),
            ];
            for (name, changed) in meaning {
                if changed {
                    errors.push(FieldError::new(
                        field(name),
                        "rule_meaning_changed",
                        format!("规则 {} 的 {name} 是规则含义的一部分，新版本不能修改", tl.rule_id),
                    ));
                }
            }
            if !def.adjustable && tl.amount != 0 && (tl.amount, tl.unit) != (seeded.amount, seeded.unit) {
                let name = if tl.unit == seeded.unit { "amount" } else { "unit" };
                errors.push(FieldError::new(
                    field(name),
                    "statutory_number_changed",
                    format!("规则 {} 的期限（{}）由{}规定，规则版本不能修改", tl.rule_id, def.number, def.source),
                ));
            }
        }
        for missing in seed.time_limits.iter().filter(|t| !seen.contains(t.rule_id.as_str())) {
            errors.push(FieldError::new(
                "time_limits",
                "missing_time_limit",
                format!("缺少期限规则 {}，新版本可以修改数值但不能删除规则", missing.rule_id),
            ));
        }
    }

    fn validate_regulators(&self, errors: &mut Vec<FieldError>) {
        let mut seen = HashSet::new();
        for (i, mapping) in self.regulators.iter().enumerate() {
            if let Some(key) = &mapping.key {
                if !is_regulator_key(mapping.category, key) {
                    let mut allowed: Vec<&str> = subtypes(mapping.category).to_vec();
                    if mapping.category == Category::Construction {
                        allowed.extend(Sector::ALL.map(Sector::as_str));
                    }
                    errors.push(FieldError::new(
                        format!("regulators[{i}].key"),
                        "invalid_regulator_key",
                        format!(
                            "\"{key}\" 不是{}的子类型或行业，可选：{}",
                            mapping.category.name(),
                            allowed.join("、")
                        ),
                    ));
                    continue;
                }
            }
            if mapping.department_id.trim().is_empty() {
                errors.push(FieldError::new(format!("regulators[{i}].department_id"), "required", "监管部门不能为空"));
            }
            if !seen.insert((mapping.category, mapping.key.as_deref())) {
                errors.push(FieldError::new(
                    format!("regulators[{i}].key"),
                    "duplicate_regulator_mapping",
                    format!("{}的这一监管部门对应关系已出现过", mapping.category.name()),
                ));
            }
        }
    }

    /// The catalogue entry that governs `(category, subtype)`: the entry for the subtype
    /// if there is one, else the entry for the whole category. `None` when the project is
    /// not catalogued, which includes a subtype that does not exist.
    pub fn catalogue_entry(&self, category: Category, subtype: &str) -> Option<&CatalogueEntry> {
        if !is_subtype(category, subtype) {
            return None;
        }
        let exact = self.catalogue.iter().find(|e| e.category == category && e.subtype.as_deref() == Some(subtype));
        exact.or_else(|| self.catalogue.iter().find(|e| e.category == category && e.subtype.is_none()))
    }

    /// The regulating department (regulator.assignment): the most specific mapping wins
    /// (the subtype, then for construction the sector, then the whole category). `None`
    /// means no regulator can be determined and the comprehensive regulator (公管办) must
    /// assign one.
    pub fn regulator_for(&self, category: Category, subtype: &str, sector: Option<Sector>) -> Option<&str> {
        let find = |key: Option<&str>| {
            self.regulators
                .iter()
                .find(|m| m.category == category && m.key.as_deref() == key)
                .map(|m| m.department_id.as_str())
        };
        let by_subtype = if is_subtype(category, subtype) { find(Some(subtype)) } else { None };
        let by_sector = match (category, sector) {
            (Category::Construction, Some(sector)) => find(Some(sector.as_str())),
            _ => None,
        };
        by_subtype.or(by_sector).or_else(|| find(None))
    }

    /// Most agent staff an agency may bring for one commission in `category`
    /// (agency.max_agents).
    pub fn agent_limit(&self, category: Category) -> u32 {
        self.agent_limit
            .per_category
            .iter()
            .find(|p| p.category == category)
            .map_or(self.agent_limit.default, |p| p.limit)
    }

    /// The bid-bond cap of a category, if it has one.
    pub fn bond_cap(&self, category: Category) -> Option<&BondCap> {
        self.bond_caps.iter().find(|c| c.category == category)
    }

    /// The time limit with this rule id.
    pub fn time_limit(&self, rule_id: &str) -> Option<&TimeLimit> {
        self.time_limits.iter().find(|t| t.rule_id == rule_id)
    }
}

fn is_regulator_key(category: Category, key: &str) -> bool {
    is_subtype(category, key) || (category == Category::Construction && Sector::from_key(key).is_some())
}

fn unknown_rule(field: String, rule_id: &str) -> FieldError {
    FieldError::new(field, "unknown_rule", format!("规则 \"{rule_id}\" 不存在"))
}

fn duplicate_rule(field: String, rule_id: &str) -> FieldError {
    FieldError::new(field, "duplicate_rule", format!("规则 {rule_id} 出现了不止一次"))
}

/// Every published version, ordered by effective date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleBook {
    versions: Vec<RuleSet>,
}

impl RuleBook {
    /// Sorts the versions by `effective_from` and checks that along the dates both
    /// version numbers and dates strictly increase. Errors name the position in the
    /// input, e.g. `versions[2].version`.
    ///
    /// The contents are not re-validated here: each version was validated when it was
    /// published ([`RuleBook::push`], [`RuleSet::validate`]) and never changes after,
    /// and checking stored history against a newer release's seed could make it
    /// unreadable.
    pub fn new(versions: Vec<RuleSet>) -> Result<RuleBook, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut indexed: Vec<(usize, RuleSet)> = versions.into_iter().enumerate().collect();
        indexed.sort_by_key(|(i, set)| (set.effective_from, set.version, *i));
        for pair in indexed.windows(2) {
            let ((_, earlier), (j, later)) = (&pair[0], &pair[1]);
            if later.effective_from == earlier.effective_from {
                errors.push(FieldError::new(
                    format!("versions[{j}].effective_from"),
                    "duplicate_effective_date",
                    format!(
                        "版本 {} 与版本 {} 的生效日期同为 {}",
                        earlier.version, later.version, later.effective_from
                    ),
                ));
            }
            if later.version <= earlier.version {
                errors.push(FieldError::new(
                    format!("versions[{j}].version"),
                    "version_not_increasing",
                    format!(
                        "生效于 {} 的版本号 {} 须大于生效更早（{}）的版本号 {}",
                        later.effective_from, later.version, earlier.effective_from, earlier.version
                    ),
                ));
            }
        }
        if errors.is_empty() {
            Ok(RuleBook { versions: indexed.into_iter().map(|(_, set)| set).collect() })
        } else {
            Err(errors)
        }
    }

    /// A book holding only [`RuleSet::seed`].
    pub fn seed() -> RuleBook {
        RuleBook { versions: vec![RuleSet::seed()] }
    }

    /// Appends a new version; it must be valid and later, in both version number and
    /// effective date, than the latest one (history is never rewritten).
    pub fn push(&mut self, next: RuleSet) -> Result<(), Vec<FieldError>> {
        let mut errors = next.validate().err().unwrap_or_default();
        if let Some(latest) = self.latest() {
            if next.effective_from <= latest.effective_from {
                errors.push(FieldError::new(
                    "effective_from",
                    "not_after_latest",
                    format!(
                        "新版本的生效日期须晚于现行最新版本（版本 {}，{} 生效）",
                        latest.version, latest.effective_from
                    ),
                ));
            }
            if next.version <= latest.version {
                errors.push(FieldError::new(
                    "version",
                    "version_not_increasing",
                    format!("新版本号须大于现行最新版本号 {}", latest.version),
                ));
            }
        }
        if errors.is_empty() {
            self.versions.push(next);
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The version in force on a Beijing-time date: the latest with
    /// `effective_from <= date`. `None` before the first version.
    pub fn in_force(&self, date: NaiveDate) -> Option<&RuleSet> {
        self.versions.iter().rev().find(|set| set.effective_from <= date)
    }

    /// The version with the highest effective date.
    pub fn latest(&self) -> Option<&RuleSet> {
        self.versions.last()
    }

    /// A version by number.
    pub fn get(&self, version: u32) -> Option<&RuleSet> {
        self.versions.iter().find(|set| set.version == version)
    }

    /// All versions, oldest first.
    pub fn versions(&self) -> &[RuleSet] {
        &self.versions
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definitions::definitions;

    fn codes(errors: &[FieldError]) -> Vec<(&str, &str)> {
        errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect()
    }

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn seed_is_valid_and_as_published() {
        let seed = RuleSet::seed();
        assert_eq!(seed.validate(), Ok(()));
        assert_eq!(seed.version, 1);
        assert_eq!(seed.effective_from, date("2019-08-21"));
        assert_eq!(seed.title, "密云区公共资源交易平台进场交易规则（2019 年第 1 版）");
        assert_eq!(seed.catalogue.len(), 5);
        for c in Category::ALL {
            let e = seed.catalogue_entry(c, subtypes(c)[0]).unwrap();
            assert_eq!(e.threshold, Money::parse("500000.00").unwrap());
            assert_eq!(e.platform, Platform::District);
            assert_eq!(seed.agent_limit(c), 3);
        }
        assert_eq!(seed.time_limits.len(), 33);
        let cap = seed.bond_cap(Category::Construction).unwrap();
        assert_eq!((cap.rule_id.as_str(), cap.basis_points), ("construction.bond.cap", 200));
        assert_eq!(seed.bond_cap(Category::Procurement).unwrap().basis_points, 200);
        assert!(seed.bond_cap(Category::LandMining).is_none());
    }

    #[test]
    fn every_day_counted_rule_of_rules_md_has_a_time_limit() {
        let seed = RuleSet::seed();
        for d in definitions() {
            let counts_days = d.number.contains("days") || d.number.contains("working days");
            assert_eq!(seed.time_limit(d.id).is_some(), counts_days, "{}: {}", d.id, d.number);
        }
        for tl in &seed.time_limits {
            let def = definition(&tl.rule_id).unwrap();
            let unit = if def.number.contains("working days") { TimeUnit::WorkingDays } else { TimeUnit::Days };
            assert_eq!(tl.unit, unit, "{}", tl.rule_id);
            assert!(def.number.contains(&tl.amount.to_string()), "{}: {}", tl.rule_id, def.number);
            if def.number.starts_with('≥') {
                assert_eq!(tl.bound, Bound::AtLeast, "{}", tl.rule_id);
            }
            if def.number.starts_with('≤') {
                assert_eq!(tl.bound, Bound::AtMost, "{}", tl.rule_id);
            }
        }
    }

    #[test]
    fn bond_cap_amount_rounds_down() {
        let cap = RuleSet::seed().bond_cap(Category::Construction).unwrap().clone();
        assert_eq!(cap.max_amount(Money::parse("800000.00").unwrap()), Money::parse("16000.00").unwrap());
        assert_eq!(cap.max_amount(Money::parse("0.99").unwrap()), Money::parse("0.01").unwrap());
        assert_eq!(cap.max_amount(Money::parse("0.49").unwrap()), Money::ZERO);
        assert_eq!(cap.max_amount(Money::MAX), Money::parse("200000000000.00").unwrap());
    }

    #[test]
    fn regulator_mapping() {
        let seed = RuleSet::seed();
        let c = Category::Construction;
        assert_eq!(seed.regulator_for(c, "works", Some(Sector::Building)), Some("zjw"));
        assert_eq!(seed.regulator_for(c, "design", Some(Sector::Municipal)), Some("zjw"));
        assert_eq!(seed.regulator_for(c, "works", Some(Sector::Water)), Some("swj"));
        assert_eq!(seed.regulator_for(c, "supervision", Some(Sector::Transport)), Some("glfj"));
        assert_eq!(seed.regulator_for(c, "works", Some(Sector::Other)), None);
        assert_eq!(seed.regulator_for(c, "works", None), None);
        assert_eq!(seed.regulator_for(Category::Procurement, "goods", None), Some("czj"));
        assert_eq!(seed.regulator_for(Category::LandMining, "mining_right", None), Some("gzfj"));
        assert_eq!(seed.regulator_for(Category::StateProperty, "transfer", None), Some("gzw"));
        assert_eq!(seed.regulator_for(Category::Other, "landscaping", None), Some("yllhj"));
        assert_eq!(seed.regulator_for(Category::Other, "advertising", None), Some("cgw"));
        assert_eq!(seed.regulator_for(Category::Other, "medical_procurement", None), Some("wjw"));
        assert_eq!(seed.regulator_for(Category::Other, "other", None), None);
        // A sector is only a construction key.
        assert_eq!(seed.regulator_for(Category::Other, "other", Some(Sector::Building)), None);

        // The most specific mapping wins: subtype, then sector, then the category.
        let mut set = RuleSet::seed();
        set.regulators.push(regulator(Category::Construction, None, "gbb"));
        set.regulators.push(regulator(Category::Construction, Some("equipment"), "jxw"));
        set.regulators.push(regulator(Category::Procurement, Some("works"), "zjw"));
        assert_eq!(set.validate(), Ok(()));
        assert_eq!(set.regulator_for(c, "equipment", Some(Sector::Water)), Some("jxw"));
        assert_eq!(set.regulator_for(c, "works", Some(Sector::Water)), Some("swj"));
        assert_eq!(set.regulator_for(c, "works", Some(Sector::Other)), Some("gbb"));
        assert_eq!(set.regulator_for(Category::Procurement, "works", None), Some("zjw"));
        assert_eq!(set.regulator_for(Category::Procurement, "goods", None), Some("czj"));
    }

    #[test]
    fn agent_limit_per_category() {
        let mut set = RuleSet::seed();
        set.agent_limit.per_category.push(CategoryAgentLimit { category: Category::LandMining, limit: 2 });
        assert_eq!(set.validate(), Ok(()));
        assert_eq!(set.agent_limit(Category::LandMining), 2);
        assert_eq!(set.agent_limit(Category::Construction), 3);
    }

    #[test]
    fn validation_names_every_problem_at_once() {
        let mut set = RuleSet::seed();
        set.version = 0;
        set.title = "  ".to_owned();
        set.catalogue.push(CatalogueEntry {
            category: Category::Procurement,
            subtype: Some("survey".to_owned()),
            threshold: Money::ZERO,
            platform: Platform::District,
        });
        set.catalogue.push(set.catalogue[0].clone());
        set.agent_limit.default = 0;
        set.agent_limit.per_category = vec![
            CategoryAgentLimit { category: Category::Other, limit: 0 },
            CategoryAgentLimit { category: Category::Other, limit: 2 },
        ];
        set.bond_caps[0].basis_points = 10_001;
        set.bond_caps[1].basis_points = 300;
        set.bond_caps.push(BondCap {
            rule_id: "entry.threshold".to_owned(),
            category: Category::Other,
            basis_points: 1,
        });
        set.bond_caps.push(BondCap { rule_id: "no.such".to_owned(), category: Category::Other, basis_points: 1 });
        // time_limits[0] is direct_award.publicity (adjustable), [1] construction.bidding_period.
        set.time_limits[0].amount = 7;
        set.time_limits[1].amount = 15;
        set.time_limits[2].amount = 0;
        set.time_limits[3].counts_from = "bid_opening".to_owned();
        set.time_limits.retain(|t| t.rule_id != "land.deposit.refund");
        set.time_limits.push(set.time_limits[4].clone());
        set.time_limits.push(TimeLimit { rule_id: "nope".to_owned(), ..set.time_limits[4].clone() });
        set.time_limits.push(TimeLimit { rule_id: "services.free".to_owned(), ..set.time_limits[4].clone() });
        set.regulators[0].key = Some("harbour".to_owned());
        set.regulators[4].department_id = String::new();
        set.regulators.push(set.regulators[5].clone());

        let n = set.time_limits.len();
        let errors = set.validate().unwrap_err();
        let got = codes(&errors);
        let expected: Vec<(String, &str)> = vec![
            ("version".into(), "version_out_of_range"),
            ("title".into(), "required"),
            ("catalogue[5].subtype".into(), "unknown_subtype"),
            ("catalogue[6].subtype".into(), "duplicate_catalogue_entry"),
            ("agent_limit.default".into(), "agent_limit_out_of_range"),
            ("agent_limit.per_category[0].limit".into(), "agent_limit_out_of_range"),
            ("agent_limit.per_category[1].category".into(), "duplicate_agent_limit"),
            ("bond_caps[0].basis_points".into(), "basis_points_out_of_range"),
            ("bond_caps[0].basis_points".into(), "exceeds_statutory_cap"),
            ("bond_caps[1].basis_points".into(), "exceeds_statutory_cap"),
            ("bond_caps[2].rule_id".into(), "not_a_bond_cap"),
            ("bond_caps[3].rule_id".into(), "unknown_rule"),
            ("time_limits[1].amount".into(), "statutory_number_changed"),
            ("time_limits[2].amount".into(), "amount_out_of_range"),
            ("time_limits[3].counts_from".into(), "rule_meaning_changed"),
            (format!("time_limits[{}].rule_id", n - 3), "duplicate_rule"),
            (format!("time_limits[{}].rule_id", n - 2), "unknown_rule"),
            (format!("time_limits[{}].rule_id", n - 1), "not_a_time_limit"),
            ("time_limits".into(), "missing_time_limit"),
            ("regulators[0].key".into(), "invalid_regulator_key"),
            ("regulators[4].department_id".into(), "required"),
            (format!("regulators[{}].key", set.regulators.len() - 1), "duplicate_regulator_mapping"),
        ];
        let expected: Vec<(&str, &str)> = expected.iter().map(|(f, c)| (f.as_str(), *c)).collect();
        assert_eq!(got, expected);
        let missing = errors.iter().find(|e| e.code == "missing_time_limit").unwrap();
        assert!(missing.message.contains("land.deposit.refund"), "{}", missing.message);
        // The adjustable direct_award.publicity may change from 5 to 7 working days.
        assert!(!got.contains(&("time_limits[0].amount", "statutory_number_changed")));
    }

    #[test]
    fn the_relisting_floor_is_a_percentage() {
        let mut set = RuleSet::seed();
        assert_eq!(set.listing.relisting_floor_percent, 90);
        set.listing.relisting_floor_percent = 85;
        assert!(set.validate().is_ok(), "property.relisting_floor is adjustable");
        set.listing.relisting_floor_percent = 0;
        let errors = set.validate().unwrap_err();
        assert!(errors.iter().any(|e| e.field == "listing.relisting_floor_percent"), "{errors:?}");
        let older: RuleSet = serde_json::from_value({
            let mut json = serde_json::to_value(RuleSet::seed()).unwrap();
            json.as_object_mut().unwrap().remove("listing");
            json
        })
        .unwrap();
        assert_eq!(older.listing, ListingNumbers::seed(), "versions stored before the field read the seed's");
    }

    #[test]
    fn adjustable_numbers_may_change_and_statutory_caps_may_be_lowered() {
        let mut set = RuleSet::seed();
        set.version = 2;
        set.effective_from = date("2027-01-01");
        for tl in set.time_limits.iter_mut() {
            if definition(&tl.rule_id).unwrap().adjustable {
                tl.amount += 2;
                tl.unit = TimeUnit::Days;
            }
        }
        set.bond_caps[0].basis_points = 100;
        set.catalogue[0].threshold = Money::parse("1000000.00").unwrap();
        assert_eq!(set.validate(), Ok(()));
    }

    #[test]
    fn dropping_a_bond_cap_is_refused() {
        let mut set = RuleSet::seed();
        set.bond_caps.remove(1);
        let errors = set.validate().unwrap_err();
        assert_eq!(codes(&errors), [("bond_caps", "missing_bond_cap")]);
        assert!(errors[0].message.contains("procurement.bond.cap"));
    }

    #[test]
    fn serde_round_trip_of_the_seed() {
        let seed = RuleSet::seed();
        let json = serde_json::to_value(&seed).unwrap();
        assert_eq!(json["version"], 1);
        assert_eq!(json["effective_from"], "2019-08-21");
        assert_eq!(
            json["catalogue"][0],
            serde_json::json!({
                "category": "construction", "subtype": null, "threshold": "500000.00", "platform": "district"
            })
        );
        assert_eq!(json["agent_limit"], serde_json::json!({"default": 3, "per_category": []}));
        assert_eq!(
            json["bond_caps"][1],
            serde_json::json!({
                "rule_id": "procurement.bond.cap", "category": "procurement", "basis_points": 200
            })
        );
        assert_eq!(
            json["time_limits"][0],
            serde_json::json!({
                "rule_id": "direct_award.publicity", "amount": 5, "unit": "working_days", "bound": "at_least",
                "direction": "after", "counts_from": "publicity_start"
            })
        );
        assert_eq!(
            json["regulators"][0],
            serde_json::json!({
                "category": "construction", "key": "building", "department_id": "zjw"
            })
        );
        let back: RuleSet = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(back, seed);
        let text = serde_json::to_string(&seed).unwrap();
        assert_eq!(serde_json::from_str::<RuleSet>(&text).unwrap(), seed);

        let mut unknown = json.clone();
        unknown["time_limits"][0]["grace"] = serde_json::json!(1);
        assert!(serde_json::from_value::<RuleSet>(unknown).is_err());
        let mut unknown = json;
        unknown["comment"] = serde_json::json!("x");
        assert!(serde_json::from_value::<RuleSet>(unknown).is_err());
    }

    #[test]
    fn openapi_schemas_use_the_serde_names() {
        use utoipa::PartialSchema;
        let json = serde_json::to_value(RuleSet::schema()).unwrap();
        let props = json["properties"].as_object().unwrap();
        for key in
            ["version", "effective_from", "title", "catalogue", "agent_limit", "bond_caps", "time_limits", "regulators"]
        {
            assert!(props.contains_key(key), "{key}");
        }
        assert_eq!(json["properties"]["effective_from"]["format"], "date");
        let category = serde_json::to_value(Category::schema()).unwrap();
        assert_eq!(
            category["enum"],
            serde_json::json!(["construction", "procurement", "land_mining", "state_property", "other"])
        );
        assert!(category["description"].as_str().unwrap().contains("建设工程"));
        let unit = serde_json::to_value(TimeUnit::schema()).unwrap();
        assert_eq!(unit["enum"], serde_json::json!(["days", "working_days"]));
    }

    #[test]
    fn rule_book_orders_and_picks_the_version_in_force() {
        let mut v2 = RuleSet::seed();
        v2.version = 2;
        v2.effective_from = date("2027-01-01");
        let book = RuleBook::new(vec![v2.clone(), RuleSet::seed()]).unwrap();
        assert_eq!(book.versions().iter().map(|s| s.version).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(book.in_force(date("2019-08-20")), None);
        assert_eq!(book.in_force(date("2019-08-21")).unwrap().version, 1);
        assert_eq!(book.in_force(date("2026-12-31")).unwrap().version, 1);
        assert_eq!(book.in_force(date("2027-01-01")).unwrap().version, 2);
        assert_eq!(book.latest().unwrap().version, 2);
        assert_eq!(book.get(1).unwrap().effective_from, date("2019-08-21"));
        assert!(book.get(3).is_none());

        let mut v3 = v2.clone();
        v3.version = 1;
        v3.effective_from = date("2019-08-21");
        let errors = RuleBook::new(vec![RuleSet::seed(), v2.clone(), v3]).unwrap_err();
        assert_eq!(
            codes(&errors),
            [
                ("versions[2].effective_from", "duplicate_effective_date"),
                ("versions[2].version", "version_not_increasing")
            ]
        );

        let mut older_but_higher = RuleSet::seed();
        older_but_higher.version = 5;
        older_but_higher.effective_from = date("2020-01-01");
        let errors = RuleBook::new(vec![RuleSet::seed(), v2.clone(), older_but_higher]).unwrap_err();
        assert_eq!(codes(&errors), [("versions[1].version", "version_not_increasing")]);
        assert!(RuleBook::new(Vec::new()).unwrap().latest().is_none());
    }

    #[test]
    fn rule_book_push_only_appends() {
        let mut book = RuleBook::seed();
        let mut v2 = RuleSet::seed();
        v2.version = 2;
        v2.effective_from = date("2019-08-21");
        let errors = book.push(v2.clone()).unwrap_err();
        assert_eq!(codes(&errors), [("effective_from", "not_after_latest")]);
        // Publishing validates the contents too.
        let mut invalid = v2.clone();
        invalid.effective_from = date("2027-01-01");
        invalid.agent_limit.default = 0;
        assert_eq!(codes(&book.push(invalid).unwrap_err()), [("agent_limit.default", "agent_limit_out_of_range")]);
        v2.effective_from = date("2027-01-01");
        book.push(v2.clone()).unwrap();
        assert_eq!(book.latest().unwrap().version, 2);
        v2.effective_from = date("2028-01-01");
        assert_eq!(codes(&book.push(v2).unwrap_err()), [("version", "version_not_increasing")]);
    }
}
