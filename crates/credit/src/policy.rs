//! The versioned credit policy: how long records are published (credit.record.publicity,
//! credit.severity.periods) and the score model (credit.score).
//!
//! A [`CreditPolicy`] is one published version, stored by others as JSON. It takes
//! effect on a date and never changes after that. Numbers marked "default" or
//! "configurable" in `RULES.md` (the default publication period, the score model) may
//! change between versions; the publication ranges by severity are fixed by the
//! 信用修复管理办法 and every version keeps them.
//!
//! Months are calendar months (chrono's `checked_add_months`): adding months to a day
//! that the target month lacks gives the month's last day, so 2026-08-31 + 6 months =
//! 2027-02-28. A window `[start, end)` includes `start` and excludes `end`: a record
//! published from 2026-08-31 for 6 months is public up to 2027-02-27 and leaves the
//! public list on 2027-02-28.

use std::collections::HashSet;

use chrono::{Months, NaiveDate};
use ggzy_kernel::FieldError;
use ggzy_rules::definition;
use ggzy_rules::rule_ids::{CREDIT_SCORE, CREDIT_SEVERITY_PERIODS};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::record::{CreditRecord, RecordKind, Severity};

/// `date` plus `months` calendar months, clamped to the last day of the target month.
/// Beyond chrono's range (year 262143) it saturates at [`NaiveDate::MAX`].
pub(crate) fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// An inclusive range of whole calendar months (月数区间).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MonthRange {
    #[schema(minimum = 1, example = 3)]
    pub min: u32,
    #[schema(minimum = 1, example = 12)]
    pub max: u32,
}

impl MonthRange {
    pub fn contains(&self, months: u32) -> bool {
        (self.min..=self.max).contains(&months)
    }

    /// `months` moved into the range.
    pub fn clamp(&self, months: u32) -> u32 {
        months.max(self.min).min(self.max)
    }
}

/// How long bad records are published (失信信息公示期限).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicationPolicy {
    /// Default publication period in months (不良行为记录公布期限, credit.record.publicity,
    /// adjustable): 6.
    #[schema(minimum = 1, example = 6)]
    pub default_months: u32,
    /// Range for general (一般) records (credit.severity.periods): 3 months to 1 year.
    pub general: MonthRange,
    /// Range for serious (严重) records (credit.severity.periods): 1 to 3 years.
    pub serious: MonthRange,
}

impl PublicationPolicy {
    /// The publication range of a severity; `None` for minor records, which are not
    /// published (轻微失信不予公示).
    pub fn range(&self, severity: Severity) -> Option<MonthRange> {
        match severity {
            Severity::Minor => None,
            Severity::General => Some(self.general),
            Severity::Serious => Some(self.serious),
        }
    }

    /// How many months a bad record of `severity` is published.
    ///
    /// Minor records are not published (`Ok(None)`). Otherwise the period is the
    /// `requested` one or else `default_months` (credit.record.publicity), raised to the
    /// restriction period when that is longer ("6 months, or the restriction period if
    /// longer"), then moved into the severity's range (credit.severity.periods). A
    /// `requested` period outside the range is refused (`outside_severity_range`); a
    /// default or restriction period outside it is clamped silently.
    pub fn publication_months(
        &self,
        severity: Severity,
        requested: Option<u32>,
        restriction_months: Option<u32>,
    ) -> Result<Option<u32>, FieldError> {
        let Some(range) = self.range(severity) else {
            return Ok(None);
        };
        if let Some(months) = requested {
            if !range.contains(months) {
                return Err(FieldError::new(
                    "publication_months",
                    "outside_severity_range",
                    format!(
                        "{}失信信息的公示期限须在 {} 至 {} 个月之间（{}），不能为 {} 个月",
                        severity.name(),
                        range.min,
                        range.max,
                        CREDIT_SEVERITY_PERIODS,
                        months
                    ),
                ));
            }
        }
        let months = requested.unwrap_or(self.default_months).max(restriction_months.unwrap_or(0));
        Ok(Some(range.clamp(months)))
    }
}

/// Points of one kind of record (信用评分规则), counted for `validity_months` from the
/// decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreRule {
    pub kind: RecordKind,
    /// The severity the rule is for; absent or null = every severity of the kind that has
    /// no rule of its own (and the only form for good records).
    #[serde(default)]
    pub severity: Option<Severity>,
    /// Added (positive, good records) or deducted (negative, bad records).
    #[schema(example = -10)]
    pub points: i32,
    /// Calendar months the record counts from its decision (有效期).
    #[schema(minimum = 1, example = 12)]
    pub validity_months: u32,
}

/// A credit grade (信用等级) and the lowest score that reaches it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GradeBand {
    #[schema(example = "A")]
    pub grade: String,
    /// Lowest score of the band (inclusive). The last band covers everything below the
    /// others and has `-2147483648` (`i32::MIN`).
    #[schema(example = 90)]
    pub min_score: i32,
}

/// The score model (信用评分模型, credit.score; factors of 管理办法 §36).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreModel {
    /// Score with no counting record (基础分).
    #[schema(example = 100)]
    pub base: i32,
    /// At most one rule per (kind, severity); the most specific one applies.
    pub rules: Vec<ScoreRule>,
    /// Bands ordered by strictly descending `min_score`; the last one has `i32::MIN`.
    pub grades: Vec<GradeBand>,
}

/// How one record moves the score (评分明细).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Contribution {
    pub record_id: String,
    pub kind: RecordKind,
    pub severity: Option<Severity>,
    #[schema(example = -10)]
    pub points: i32,
    /// First day the record counts (the decision date).
    #[schema(value_type = String, format = Date, example = "2026-08-31")]
    pub counts_from: NaiveDate,
    /// First day the record no longer counts (exclusive): the end of its validity, or
    /// the repair date if earlier.
    #[schema(value_type = String, format = Date, example = "2027-08-31")]
    pub counts_until: NaiveDate,
}

/// An explainable credit score (信用评分) on one date: `total = base + Σ points`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Score {
    #[schema(value_type = String, format = Date, example = "2026-09-01")]
    pub as_of: NaiveDate,
    #[schema(example = 100)]
    pub base: i32,
    #[schema(example = 90)]
    pub total: i32,
    #[schema(example = "A")]
    pub grade: String,
    /// The records counting on `as_of`, in the order given.
    pub contributions: Vec<Contribution>,
}

impl ScoreModel {
    /// The rule for a record: the rule for its kind and severity, else the rule for its
    /// kind with no severity.
    pub fn rule_for(&self, kind: RecordKind, severity: Option<Severity>) -> Option<&ScoreRule> {
        let exact = severity.and_then(|s| self.rules.iter().find(|r| r.kind == kind && r.severity == Some(s)));
        exact.or_else(|| self.rules.iter().find(|r| r.kind == kind && r.severity.is_none()))
    }

    /// The window `[from, until)` in which `record` counts, or `None` when no rule
    /// applies. `until` is the end of validity or the repair date if earlier, never
    /// before `from`.
    pub fn counting_window(&self, record: &CreditRecord) -> Option<(&ScoreRule, NaiveDate, NaiveDate)> {
        let rule = self.rule_for(record.kind, record.severity)?;
        let from = record.decided_on;
        let mut until = add_months(from, rule.validity_months);
        if let Some(repaired_on) = record.repaired_on {
            until = until.min(repaired_on);
        }
        Some((rule, from, until.max(from)))
    }

    /// The grade of a total: the first band whose `min_score` it reaches. For a model
    /// that fails [`CreditPolicy::validate`] and covers nothing, the last band (or "").
    pub fn grade_of(&self, total: i32) -> &str {
        self.grades
            .iter()
            .find(|b| total >= b.min_score)
            .or_else(|| self.grades.last())
            .map_or("", |b| b.grade.as_str())
    }

    /// The score on `as_of` of the given records (pass one participant's records).
    ///
    /// A record counts on days `d` with `decided_on ≤ d < decided_on + validity_months`
    /// (calendar months), and stops on its repair date. A record with no rule (e.g. a
    /// minor record of a kind that only has general and serious rules) counts 0 and is
    /// not listed. Scores are not floored or capped; sums saturate at the `i32` range.
    pub fn score(&self, records: &[CreditRecord], as_of: NaiveDate) -> Score {
        let contributions: Vec<Contribution> = records
            .iter()
            .filter_map(|record| {
                let (rule, from, until) = self.counting_window(record)?;
                (from <= as_of && as_of < until).then(|| Contribution {
                    record_id: record.id.clone(),
                    kind: record.kind,
                    severity: record.severity,
                    points: rule.points,
                    counts_from: from,
                    counts_until: until,
                })
            })
            .collect();
        let total = contributions.iter().fold(self.base, |acc, c| acc.saturating_add(c.points));
        Score { as_of, base: self.base, total, grade: self.grade_of(total).to_owned(), contributions }
    }
}

/// One published version of the credit policy (信用管理政策).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditPolicy {
    #[schema(minimum = 1, example = 1)]
    pub version: u32,
    /// First Beijing-time date on which this version applies.
    #[schema(value_type = String, format = Date, example = "2019-08-21")]
    pub effective_from: NaiveDate,
    pub publication: PublicationPolicy,
    pub score: ScoreModel,
}

fn rule(kind: RecordKind, severity: Option<Severity>, points: i32, validity_months: u32) -> ScoreRule {
    ScoreRule { kind, severity, points, validity_months }
}

fn band(grade: &str, min_score: i32) -> GradeBand {
    GradeBand { grade: grade.to_owned(), min_score }
}

impl CreditPolicy {
    /// Version 1 (effective 2019-08-21): bad records published 6 months by default,
    /// general 3–12 months, serious 12–36 months; base score 100; grades A ≥ 90,
    /// B ≥ 75, C ≥ 60, D below.
    pub fn seed() -> CreditPolicy {
        use RecordKind::*;
        use Severity::{General, Minor, Serious};
        CreditPolicy {
            version: 1,
            effective_from: NaiveDate::from_ymd_opt(2019, 8, 21).unwrap_or(NaiveDate::MIN),
            publication: PublicationPolicy {
                default_months: 6,
                general: MonthRange { min: 3, max: 12 },
                serious: MonthRange { min: 12, max: 36 },
            },
            score: ScoreModel {
                base: 100,
                rules: vec![
                    rule(Performance, None, 5, 36),
                    rule(InnovationAward, None, 3, 24),
                    rule(TaxGradeA, None, 2, 12),
                    rule(ContractPerformance, None, 2, 12),
                    rule(AdministrativePenalty, Some(General), -10, 12),
                    rule(AdministrativePenalty, Some(Serious), -20, 36),
                    rule(ViolationFinding, Some(General), -8, 12),
                    rule(ViolationFinding, Some(Serious), -15, 36),
                    rule(CourtEnforcement, None, -30, 36),
                    rule(BadTradingConduct, Some(Minor), -2, 6),
                    rule(BadTradingConduct, Some(General), -5, 12),
                    rule(BadTradingConduct, Some(Serious), -10, 24),
                    rule(FalseComplaint, Some(General), -5, 12),
                    rule(FalseComplaint, Some(Serious), -10, 24),
                ],
                grades: vec![band("A", 90), band("B", 75), band("C", 60), band("D", i32::MIN)],
            },
        }
    }

    /// How many months a new record is published, for good and bad records alike.
    ///
    /// - Bad records: [`PublicationPolicy::publication_months`]; a bad record needs a
    ///   severity (`severity` / `required`).
    /// - Good records are public exactly while they count in the score: the validity
    ///   months of their score rule (`None` when the kind has no rule). Their period
    ///   cannot be requested (`publication_months` / `not_adjustable`) and they have no
    ///   severity (`severity` / `not_applicable`); a restriction period is ignored.
    pub fn publication_months(
        &self,
        kind: RecordKind,
        severity: Option<Severity>,
        requested: Option<u32>,
        restriction_months: Option<u32>,
    ) -> Result<Option<u32>, FieldError> {
        if kind.is_bad() {
            let Some(severity) = severity else {
                return Err(FieldError::new(
                    "severity",
                    "required",
                    format!("{}属于失信信息，须认定失信程度（轻微、一般或严重）", kind.name()),
                ));
            };
            return self.publication.publication_months(severity, requested, restriction_months);
        }
        if severity.is_some() {
            return Err(FieldError::new(
                "severity",
                "not_applicable",
                format!("{}属于良好信用信息，不分失信程度", kind.name()),
            ));
        }
        if requested.is_some() {
            return Err(FieldError::new(
                "publication_months",
                "not_adjustable",
                format!("良好信用信息在计入信用评分的有效期内公示（{CREDIT_SCORE}），公示期限不能另行指定"),
            ));
        }
        Ok(self.score.rule_for(kind, None).map(|r| r.validity_months))
    }

    /// Checks the whole version and names every problem at once (一次性告知), with dotted
    /// field paths such as `score.rules[3].points`.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.version == 0 {
            errors.push(FieldError::new("version", "version_out_of_range", "版本号须为正整数"));
        }
        self.validate_publication(&mut errors);
        self.validate_score(&mut errors);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn validate_publication(&self, errors: &mut Vec<FieldError>) {
        let p = &self.publication;
        if p.default_months == 0 {
            errors.push(FieldError::new("publication.default_months", "out_of_range", "默认公示期限须至少为 1 个月"));
        }
        let seed = CreditPolicy::seed().publication;
        let statutory = !definition(CREDIT_SEVERITY_PERIODS).is_some_and(|d| d.adjustable);
        for (name, range, seeded) in [("general", p.general, seed.general), ("serious", p.serious, seed.serious)] {
            let mut well_formed = true;
            if range.min == 0 {
                well_formed = false;
                errors.push(FieldError::new(
                    format!("publication.{name}.min"),
                    "out_of_range",
                    "公示期限下限须至少为 1 个月",
                ));
            }
            if range.max < range.min {
                well_formed = false;
                errors.push(FieldError::new(
                    format!("publication.{name}.max"),
                    "max_below_min",
                    format!("公示期限上限 {} 个月小于下限 {} 个月", range.max, range.min),
                ));
            }
            if well_formed && statutory && range != seeded {
                errors.push(FieldError::new(
                    format!("publication.{name}"),
                    "statutory_number_changed",
                    format!(
                        "失信信息分级公示期限由信用修复管理办法规定（{CREDIT_SEVERITY_PERIODS}）：{}失信 {} 至 {} 个月，规则版本不能修改",
                        if name == "general" { "一般" } else { "严重" },
                        seeded.min,
                        seeded.max
                    ),
                ));
            }
        }
    }

    fn validate_score(&self, errors: &mut Vec<FieldError>) {
        let mut seen = HashSet::new();
        for (i, r) in self.score.rules.iter().enumerate() {
            let field = |name: &str| format!("score.rules[{i}].{name}");
            if r.validity_months == 0 {
                errors.push(FieldError::new(field("validity_months"), "out_of_range", "有效期须至少为 1 个月"));
            }
            if r.kind.is_bad() && r.points >= 0 {
                errors.push(FieldError::new(
                    field("points"),
                    "points_sign",
                    format!("{}属于失信信息，须扣分（分值为负数）", r.kind.name()),
                ));
            }
            if !r.kind.is_bad() && r.points <= 0 {
                errors.push(FieldError::new(
                    field("points"),
                    "points_sign",
                    format!("{}属于良好信用信息，须加分（分值为正数）", r.kind.name()),
                ));
            }
            if !r.kind.is_bad() && r.severity.is_some() {
                errors.push(FieldError::new(
                    field("severity"),
                    "not_applicable",
                    format!("{}属于良好信用信息，不分失信程度", r.kind.name()),
                ));
            }
            if !seen.insert((r.kind, r.severity)) {
                errors.push(FieldError::new(
                    field("severity"),
                    "duplicate_score_rule",
                    format!(
                        "{}{}的评分规则已出现过",
                        r.kind.name(),
                        r.severity.map_or_else(|| "（不分失信程度）".to_owned(), |s| format!("（{}）", s.name()))
                    ),
                ));
            }
        }

        let grades = &self.score.grades;
        if grades.is_empty() {
            errors.push(FieldError::new("score.grades", "required", "至少须有一个信用等级"));
        }
        let mut names = HashSet::new();
        for (i, b) in grades.iter().enumerate() {
            if b.grade.trim().is_empty() {
                errors.push(FieldError::new(format!("score.grades[{i}].grade"), "required", "信用等级名称不能为空"));
            } else if !names.insert(b.grade.as_str()) {
                errors.push(FieldError::new(
                    format!("score.grades[{i}].grade"),
                    "duplicate_grade",
                    format!("信用等级 {} 出现了不止一次", b.grade),
                ));
            }
            if let Some(prev) = i.checked_sub(1).and_then(|p| grades.get(p)) {
                if b.min_score >= prev.min_score {
                    errors.push(FieldError::new(
                        format!("score.grades[{i}].min_score"),
                        "grades_not_descending",
                        format!(
                            "信用等级须按最低分从高到低排列：{} 的最低分 {} 不低于前一等级 {} 的 {}",
                            b.grade, b.min_score, prev.grade, prev.min_score
                        ),
                    ));
                }
            }
        }
        if let Some(last) = grades.last() {
            if last.min_score != i32::MIN {
                errors.push(FieldError::new(
                    format!("score.grades[{}].min_score", grades.len() - 1),
                    "last_grade_must_cover_all",
                    format!("最后一个信用等级须涵盖其余所有分数，最低分应为 {}", i32::MIN),
                ));
            }
        }
    }
}

/// The publication window `[start, end)` of a record (公示期): from the decision for
/// `publication_months` calendar months, ending early on the repair date. `None` when
/// the record is not published (no period, or a minor record). A record repaired on its
/// decision day has the empty window `[d, d)`.
pub fn publication_window(record: &CreditRecord) -> Option<(NaiveDate, NaiveDate)> {
    if record.severity == Some(Severity::Minor) {
        return None;
    }
    let months = record.publication_months?;
    let start = record.decided_on;
    let mut end = add_months(start, months);
    if let Some(repaired_on) = record.repaired_on {
        end = end.min(repaired_on);
    }
    Some((start, end.max(start)))
}

/// Whether the record is on the public list on `on`: `start ≤ on < end`.
pub fn is_public_on(record: &CreditRecord, on: NaiveDate) -> bool {
    publication_window(record).is_some_and(|(start, end)| start <= on && on < end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::tests::{date, record};
    use proptest::prelude::*;
    use RecordKind::*;
    use Severity::{General, Minor, Serious};

    fn codes(errors: &[FieldError]) -> Vec<(&str, &str)> {
        errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect()
    }

    #[test]
    fn seed_is_valid_and_round_trips() {
        let seed = CreditPolicy::seed();
        assert_eq!(seed.validate(), Ok(()));
        assert_eq!(seed.version, 1);
        assert_eq!(seed.effective_from, date(2019, 8, 21));
        let json = serde_json::to_string(&seed).unwrap();
        let back: CreditPolicy = serde_json::from_str(&json).unwrap();
        assert_eq!(back, seed);
    }

    #[test]
    fn month_addition_clamps_to_month_end() {
        assert_eq!(add_months(date(2026, 8, 31), 6), date(2027, 2, 28));
        assert_eq!(add_months(date(2027, 8, 31), 6), date(2028, 2, 29));
        assert_eq!(add_months(date(2026, 1, 31), 1), date(2026, 2, 28));
        assert_eq!(add_months(date(2026, 3, 15), 12), date(2027, 3, 15));
        assert_eq!(add_months(NaiveDate::MAX, 1), NaiveDate::MAX);
    }

    #[test]
    fn minor_records_are_not_published() {
        let p = CreditPolicy::seed().publication;
        assert_eq!(p.publication_months(Minor, None, None), Ok(None));
        assert_eq!(p.publication_months(Minor, Some(24), Some(36)), Ok(None));
    }

    #[test]
    fn default_is_six_months_raised_to_the_restriction_and_clamped() {
        let p = CreditPolicy::seed().publication;
        // General: default 6, within 3..=12.
        assert_eq!(p.publication_months(General, None, None), Ok(Some(6)));
        // Restriction of 9 months is longer than 6: published 9.
        assert_eq!(p.publication_months(General, None, Some(9)), Ok(Some(9)));
        // Restriction shorter than 6: stays 6.
        assert_eq!(p.publication_months(General, None, Some(2)), Ok(Some(6)));
        // Restriction of 24 months exceeds the general maximum 12: clamped to 12.
        assert_eq!(p.publication_months(General, None, Some(24)), Ok(Some(12)));
        // Serious: default 6 is below the minimum 12: clamped up to 12.
        assert_eq!(p.publication_months(Serious, None, None), Ok(Some(12)));
        assert_eq!(p.publication_months(Serious, None, Some(30)), Ok(Some(30)));
        assert_eq!(p.publication_months(Serious, None, Some(48)), Ok(Some(36)));
        // Requested values inside the range, raised to a longer restriction.
        assert_eq!(p.publication_months(General, Some(3), None), Ok(Some(3)));
        assert_eq!(p.publication_months(General, Some(4), Some(10)), Ok(Some(10)));
        assert_eq!(p.publication_months(Serious, Some(36), Some(12)), Ok(Some(36)));
    }

    #[test]
    fn a_requested_period_outside_the_range_is_refused() {
        let p = CreditPolicy::seed().publication;
        let e = p.publication_months(General, Some(13), None).unwrap_err();
        assert_eq!(e.field, "publication_months");
        assert_eq!(e.code, "outside_severity_range");
        assert!(e.message.contains("3 至 12 个月"), "{}", e.message);
        assert!(e.message.contains("一般"), "{}", e.message);
        let e = p.publication_months(Serious, Some(6), None).unwrap_err();
        assert!(e.message.contains("12 至 36 个月"), "{}", e.message);
        assert!(p.publication_months(General, Some(2), None).is_err());
        assert!(p.publication_months(Serious, Some(37), None).is_err());
    }

    #[test]
    fn policy_publication_months_covers_good_records() {
        let policy = CreditPolicy::seed();
        assert_eq!(policy.publication_months(Performance, None, None, None), Ok(Some(36)));
        assert_eq!(policy.publication_months(TaxGradeA, None, None, Some(24)), Ok(Some(12)));
        assert_eq!(policy.publication_months(Performance, None, Some(6), None).unwrap_err().code, "not_adjustable");
        assert_eq!(
            policy.publication_months(Performance, Some(General), None, None).unwrap_err().code,
            "not_applicable"
        );
        assert_eq!(policy.publication_months(FalseComplaint, None, None, None).unwrap_err().field, "severity");
        assert_eq!(policy.publication_months(FalseComplaint, Some(Serious), None, None), Ok(Some(12)));
        let mut no_rule = policy.clone();
        no_rule.score.rules.retain(|r| r.kind != InnovationAward);
        assert_eq!(no_rule.publication_months(InnovationAward, None, None, None), Ok(None));
    }

    #[test]
    fn publication_ends_on_the_clamped_month_end() {
        // 2026-08-31 + 6 months = 2027-02-31, which February lacks: 2027-02-28.
        let r = record("1", AdministrativePenalty, Some(General), date(2026, 8, 31), Some(6));
        assert_eq!(publication_window(&r), Some((date(2026, 8, 31), date(2027, 2, 28))));
        assert!(!is_public_on(&r, date(2026, 8, 30)));
        assert!(is_public_on(&r, date(2026, 8, 31)));
        assert!(is_public_on(&r, date(2027, 2, 27)));
        // Dropped from the public list ON the end day.
        assert!(!is_public_on(&r, date(2027, 2, 28)));
        assert!(!is_public_on(&r, date(2027, 3, 1)));
    }

    #[test]
    fn publication_window_of_an_ordinary_date() {
        let r = record("1", ViolationFinding, Some(Serious), date(2026, 4, 15), Some(12));
        assert_eq!(publication_window(&r), Some((date(2026, 4, 15), date(2027, 4, 15))));
        assert!(is_public_on(&r, date(2027, 4, 14)));
        assert!(!is_public_on(&r, date(2027, 4, 15)));
    }

    #[test]
    fn a_repaired_record_stops_being_public_on_the_repair_day() {
        let mut r = record("1", AdministrativePenalty, Some(Serious), date(2026, 1, 10), Some(24));
        r.repaired_on = Some(date(2027, 3, 5));
        assert_eq!(publication_window(&r), Some((date(2026, 1, 10), date(2027, 3, 5))));
        assert!(is_public_on(&r, date(2027, 3, 4)));
        assert!(!is_public_on(&r, date(2027, 3, 5)));
        // A repair after the natural end changes nothing.
        r.repaired_on = Some(date(2028, 6, 1));
        assert_eq!(publication_window(&r), Some((date(2026, 1, 10), date(2028, 1, 10))));
        // Repaired on the decision day: empty window.
        r.repaired_on = Some(date(2026, 1, 10));
        assert_eq!(publication_window(&r), Some((date(2026, 1, 10), date(2026, 1, 10))));
        assert!(!is_public_on(&r, date(2026, 1, 10)));
    }

    #[test]
    fn unpublished_and_minor_records_have_no_window() {
        let r = record("1", BadTradingConduct, Some(General), date(2026, 1, 10), None);
        assert_eq!(publication_window(&r), None);
        assert!(!is_public_on(&r, date(2026, 1, 10)));
        let minor = record("2", BadTradingConduct, Some(Minor), date(2026, 1, 10), Some(6));
        assert_eq!(publication_window(&minor), None);
    }

    #[test]
    fn most_specific_rule_wins() {
        let model = CreditPolicy::seed().score;
        assert_eq!(model.rule_for(AdministrativePenalty, Some(Serious)).map(|r| r.points), Some(-20));
        assert_eq!(model.rule_for(CourtEnforcement, Some(General)).map(|r| r.points), Some(-30));
        assert_eq!(model.rule_for(CourtEnforcement, Some(Serious)).map(|r| r.points), Some(-30));
        assert_eq!(model.rule_for(FalseComplaint, Some(Minor)), None);
        assert_eq!(model.rule_for(Performance, None).map(|r| r.points), Some(5));

        let mut specific = model.clone();
        specific.rules.push(ScoreRule {
            kind: CourtEnforcement,
            severity: Some(Minor),
            points: -3,
            validity_months: 6,
        });
        assert_eq!(specific.rule_for(CourtEnforcement, Some(Minor)).map(|r| r.points), Some(-3));
        assert_eq!(specific.rule_for(CourtEnforcement, Some(General)).map(|r| r.points), Some(-30));
    }

    /// One participant, eight records; the seed model (base 100; A ≥ 90, B ≥ 75, C ≥ 60).
    ///
    /// | id | kind (severity)            | decided    | points | counts until (excl.)          |
    /// |----|----------------------------|------------|--------|-------------------------------|
    /// | r1 | performance                | 2024-01-31 | +5     | 2027-01-31 (36 m)             |
    /// | r2 | tax_grade_a                | 2025-03-31 | +2     | 2026-03-31 (12 m)             |
    /// | r3 | bad_trading_conduct (gen.) | 2025-06-30 | −5     | 2026-06-30 (12 m)             |
    /// | r4 | administrative_penalty (s.)| 2025-08-31 | −20    | 2028-08-31, repaired 2026-05-15 |
    /// | r5 | contract_performance       | 2025-12-31 | +2     | 2026-12-31 (12 m)             |
    /// | r6 | bad_trading_conduct (minor)| 2025-08-31 | −2     | 2026-02-28 (6 m, Feb clamps)  |
    /// | r7 | false_complaint (minor)    | 2026-02-01 | no rule: never listed          |
    /// | r8 | violation_finding (gen.)   | 2026-02-28 | −8     | 2027-02-28 (12 m)             |
    fn timeline() -> Vec<CreditRecord> {
        let mut r4 = record("r4", AdministrativePenalty, Some(Serious), date(2025, 8, 31), Some(24));
        r4.repaired_on = Some(date(2026, 5, 15));
        vec![
            record("r1", Performance, None, date(2024, 1, 31), Some(36)),
            record("r2", TaxGradeA, None, date(2025, 3, 31), Some(12)),
            record("r3", BadTradingConduct, Some(General), date(2025, 6, 30), Some(6)),
            r4,
            record("r5", ContractPerformance, None, date(2025, 12, 31), Some(12)),
            record("r6", BadTradingConduct, Some(Minor), date(2025, 8, 31), None),
            record("r7", FalseComplaint, Some(Minor), date(2026, 2, 1), None),
            record("r8", ViolationFinding, Some(General), date(2026, 2, 28), Some(6)),
        ]
    }

    fn at(records: &[CreditRecord], y: i32, m: u32, d: u32) -> (i32, String, Vec<String>) {
        let s = CreditPolicy::seed().score.score(records, date(y, m, d));
        let total = s.base + s.contributions.iter().map(|c| c.points).sum::<i32>();
        assert_eq!(s.total, total, "total is base plus the listed points");
        (s.total, s.grade, s.contributions.into_iter().map(|c| c.record_id).collect())
    }

    #[test]
    fn score_across_expiries_and_a_repair() {
        let records = timeline();
        let ids = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();

        // 2025-01-01: only r1 has been decided. 100 + 5 = 105 → A.
        assert_eq!(at(&records, 2025, 1, 1), (105, "A".into(), ids(&["r1"])));
        // 2025-09-01: r1 +5, r2 +2, r3 −5, r4 −20, r6 −2 → 100 + 5 + 2 − 5 − 20 − 2 = 80 → B.
        assert_eq!(at(&records, 2025, 9, 1), (80, "B".into(), ids(&["r1", "r2", "r3", "r4", "r6"])));
        // 2026-02-27, the day before r6 expires (2025-08-31 + 6 m = 2026-02-28):
        // r1 +5, r2 +2, r3 −5, r4 −20, r5 +2, r6 −2 → 82 → B.
        assert_eq!(at(&records, 2026, 2, 27), (82, "B".into(), ids(&["r1", "r2", "r3", "r4", "r5", "r6"])));
        // 2026-02-28: r6 expires, r8 starts: 82 + 2 − 8 = 76 → B. r7 (minor, no rule) never listed.
        assert_eq!(at(&records, 2026, 2, 28), (76, "B".into(), ids(&["r1", "r2", "r3", "r4", "r5", "r8"])));
        // 2026-03-30, the day before r2 expires: still 76 → B.
        assert_eq!(at(&records, 2026, 3, 30), (76, "B".into(), ids(&["r1", "r2", "r3", "r4", "r5", "r8"])));
        // 2026-03-31, r2's expiry day: 76 − 2 = 74 → C.
        assert_eq!(at(&records, 2026, 3, 31), (74, "C".into(), ids(&["r1", "r3", "r4", "r5", "r8"])));
        // 2026-05-14, the day before r4's repair: 74 → C.
        assert_eq!(at(&records, 2026, 5, 14).0, 74);
        // 2026-05-15, r4 repaired: 74 + 20 = 94 → A.
        assert_eq!(at(&records, 2026, 5, 15), (94, "A".into(), ids(&["r1", "r3", "r5", "r8"])));
        // 2026-06-29 / 2026-06-30: r3 expires on 06-30: 94 → 94 + 5 = 99.
        assert_eq!(at(&records, 2026, 6, 29).0, 94);
        assert_eq!(at(&records, 2026, 6, 30), (99, "A".into(), ids(&["r1", "r5", "r8"])));
        // 2026-12-31: r5 expires: 99 − 2 = 97.
        assert_eq!(at(&records, 2026, 12, 30).0, 99);
        assert_eq!(at(&records, 2026, 12, 31).0, 97);
        // 2027-01-31: r1 expires: 97 − 5 = 92.
        assert_eq!(at(&records, 2027, 1, 30).0, 97);
        assert_eq!(at(&records, 2027, 1, 31), (92, "A".into(), ids(&["r8"])));
        // 2027-02-28: r8 expires: 92 + 8 = 100, nothing counts.
        assert_eq!(at(&records, 2027, 2, 27).0, 92);
        assert_eq!(at(&records, 2027, 2, 28), (100, "A".into(), ids(&[])));
    }

    #[test]
    fn contributions_explain_the_window() {
        let records = timeline();
        let s = CreditPolicy::seed().score.score(&records, date(2026, 1, 1));
        let r4 = s.contributions.iter().find(|c| c.record_id == "r4").unwrap();
        // Repaired before the 36-month validity ends: counts until the repair date.
        assert_eq!(
            r4,
            &Contribution {
                record_id: "r4".into(),
                kind: AdministrativePenalty,
                severity: Some(Serious),
                points: -20,
                counts_from: date(2025, 8, 31),
                counts_until: date(2026, 5, 15),
            }
        );
        let r6 = s.contributions.iter().find(|c| c.record_id == "r6").unwrap();
        assert_eq!(r6.counts_until, date(2026, 2, 28));
        assert_eq!(s.as_of, date(2026, 1, 1));
        assert_eq!(s.base, 100);
    }

    #[test]
    fn grade_d_and_the_catch_all_court_rule() {
        // court_enforcement has only a rule without severity: −30 for any severity.
        // 100 − 30 (court, general) − 20 (administrative penalty, serious) = 50 → D.
        let records = vec![
            record("c1", CourtEnforcement, Some(General), date(2026, 1, 1), Some(6)),
            record("c2", AdministrativePenalty, Some(Serious), date(2026, 2, 1), Some(12)),
        ];
        assert_eq!(at(&records, 2026, 3, 1), (50, "D".into(), vec!["c1".into(), "c2".into()]));
        // Exactly at a boundary: 100 − 10 = 90 → A; 100 − 10 − 15 = 75 → B; 60 → C.
        let model = CreditPolicy::seed().score;
        assert_eq!(model.grade_of(90), "A");
        assert_eq!(model.grade_of(89), "B");
        assert_eq!(model.grade_of(75), "B");
        assert_eq!(model.grade_of(74), "C");
        assert_eq!(model.grade_of(60), "C");
        assert_eq!(model.grade_of(59), "D");
        assert_eq!(model.grade_of(i32::MIN), "D");
    }

    #[test]
    fn validation_names_several_problems_at_once() {
        let mut p = CreditPolicy::seed();
        p.version = 0;
        p.publication.default_months = 0;
        p.publication.general = MonthRange { min: 6, max: 4 };
        p.publication.serious = MonthRange { min: 12, max: 24 };
        p.score.rules[0].points = -5; // performance must add
        p.score.rules[4].points = 10; // administrative penalty must deduct
        p.score.rules[5].validity_months = 0;
        p.score.rules.push(ScoreRule { kind: TaxGradeA, severity: Some(Serious), points: 1, validity_months: 12 });
        p.score.rules.push(ScoreRule { kind: FalseComplaint, severity: Some(General), points: -1, validity_months: 1 });
        p.score.grades = vec![
            GradeBand { grade: "A".into(), min_score: 90 },
            GradeBand { grade: "B".into(), min_score: 95 },
            GradeBand { grade: "B".into(), min_score: 60 },
            GradeBand { grade: "".into(), min_score: 0 },
        ];
        let errors = p.validate().unwrap_err();
        assert_eq!(
            codes(&errors),
            [
                ("version", "version_out_of_range"),
                ("publication.default_months", "out_of_range"),
                ("publication.general.max", "max_below_min"),
                ("publication.serious", "statutory_number_changed"),
                ("score.rules[0].points", "points_sign"),
                ("score.rules[4].points", "points_sign"),
                ("score.rules[5].validity_months", "out_of_range"),
                ("score.rules[14].severity", "not_applicable"),
                ("score.rules[15].severity", "duplicate_score_rule"),
                ("score.grades[1].min_score", "grades_not_descending"),
                ("score.grades[2].grade", "duplicate_grade"),
                ("score.grades[3].grade", "required"),
                ("score.grades[3].min_score", "last_grade_must_cover_all"),
            ]
        );
        let serious = errors.iter().find(|e| e.field == "publication.serious").unwrap();
        assert!(serious.message.contains("12 至 36 个月"), "{}", serious.message);
    }

    #[test]
    fn empty_grades_are_refused() {
        let mut p = CreditPolicy::seed();
        p.score.grades.clear();
        assert_eq!(codes(&p.validate().unwrap_err()), [("score.grades", "required")]);
        assert_eq!(p.score.grade_of(100), "");
    }

    #[test]
    fn unknown_fields_are_refused() {
        let mut json = serde_json::to_value(CreditPolicy::seed()).unwrap();
        json["publication"]["minor"] = serde_json::json!({"min": 0, "max": 0});
        assert!(serde_json::from_value::<CreditPolicy>(json).is_err());
    }

    fn any_bad_kind() -> impl Strategy<Value = RecordKind> {
        prop::sample::select(RecordKind::ALL.into_iter().filter(|k| k.is_bad()).collect::<Vec<_>>())
    }

    fn any_severity() -> impl Strategy<Value = Severity> {
        prop::sample::select(vec![Minor, General, Serious])
    }

    proptest! {
        #[test]
        fn publication_stays_inside_the_severity_range(
            severity in any_severity(),
            requested in prop::option::of(0u32..60),
            restriction in prop::option::of(0u32..80),
        ) {
            let p = CreditPolicy::seed().publication;
            match (p.range(severity), p.publication_months(severity, requested, restriction)) {
                (None, result) => prop_assert_eq!(result, Ok(None)),
                (Some(range), Ok(Some(m))) => {
                    prop_assert!(range.contains(m));
                    if let Some(r) = restriction { prop_assert!(m >= range.clamp(r)); }
                }
                (Some(range), Ok(None)) => prop_assert!(false, "published severity {:?} {:?}", severity, range),
                (Some(range), Err(_)) => prop_assert!(requested.is_some_and(|m| !range.contains(m))),
            }
        }

        #[test]
        fn score_is_base_plus_the_counting_records(
            entries in prop::collection::vec((any_bad_kind(), any_severity(), 0u64..2000, prop::option::of(0u64..1500)), 0..12),
            as_of in 0u64..2500,
        ) {
            let origin = date(2024, 1, 1);
            let records: Vec<_> = entries.iter().enumerate().map(|(i, (kind, severity, decided, repaired))| {
                let mut r = record(&i.to_string(), *kind, Some(*severity), origin + chrono::Days::new(*decided), None);
                r.repaired_on = repaired.map(|x| r.decided_on + chrono::Days::new(x));
                r
            }).collect();
            let as_of = origin + chrono::Days::new(as_of);
            let model = CreditPolicy::seed().score;
            let s = model.score(&records, as_of);
            prop_assert_eq!(s.total, 100 + s.contributions.iter().map(|c| c.points).sum::<i32>());
            for c in &s.contributions {
                prop_assert!(c.counts_from <= as_of && as_of < c.counts_until);
                prop_assert!(c.points < 0);
            }
            prop_assert!(s.total <= 100);
        }
    }
}
