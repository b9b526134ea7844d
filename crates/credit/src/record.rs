//! Credit records (信用记录) of market participants: good records (良好信用信息) that add to
//! the score and bad records (失信信息 / 不良行为记录) that deduct from it and are published.

use chrono::NaiveDate;
use ggzy_kernel::FieldError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a credit record is about. The first four are good records (良好信用信息), the
/// others bad records (失信信息); the factors follow 管理办法 §36 (credit.score).
///
/// - `performance`: 业绩
/// - `innovation_award`: 创新创优
/// - `tax_grade_a`: 纳税信用 A 级
/// - `contract_performance`: 履约良好
/// - `administrative_penalty`: 行政处罚
/// - `violation_finding`: 违法违规认定
/// - `court_enforcement`: 失信被执行人（司法执行）
/// - `bad_trading_conduct`: 不良交易行为
/// - `false_complaint`: 虚假投诉
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// 业绩
    Performance,
    /// 创新创优
    InnovationAward,
    /// 纳税信用 A 级
    TaxGradeA,
    /// 履约良好
    ContractPerformance,
    /// 行政处罚
    AdministrativePenalty,
    /// 违法违规认定
    ViolationFinding,
    /// 失信被执行人（司法执行）
    CourtEnforcement,
    /// 不良交易行为
    BadTradingConduct,
    /// 虚假投诉
    FalseComplaint,
}

impl RecordKind {
    /// Every kind, good ones first.
    pub const ALL: [RecordKind; 9] = [
        RecordKind::Performance,
        RecordKind::InnovationAward,
        RecordKind::TaxGradeA,
        RecordKind::ContractPerformance,
        RecordKind::AdministrativePenalty,
        RecordKind::ViolationFinding,
        RecordKind::CourtEnforcement,
        RecordKind::BadTradingConduct,
        RecordKind::FalseComplaint,
    ];

    /// A bad record (失信信息): it carries a [`Severity`], deducts points, is published
    /// by severity (credit.severity.periods) and can be repaired (credit.repair).
    pub fn is_bad(self) -> bool {
        match self {
            RecordKind::Performance
            | RecordKind::InnovationAward
            | RecordKind::TaxGradeA
            | RecordKind::ContractPerformance => false,
            RecordKind::AdministrativePenalty
            | RecordKind::ViolationFinding
            | RecordKind::CourtEnforcement
            | RecordKind::BadTradingConduct
            | RecordKind::FalseComplaint => true,
        }
    }

    /// The snake_case key, as serialized, e.g. `administrative_penalty`.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Performance => "performance",
            RecordKind::InnovationAward => "innovation_award",
            RecordKind::TaxGradeA => "tax_grade_a",
            RecordKind::ContractPerformance => "contract_performance",
            RecordKind::AdministrativePenalty => "administrative_penalty",
            RecordKind::ViolationFinding => "violation_finding",
            RecordKind::CourtEnforcement => "court_enforcement",
            RecordKind::BadTradingConduct => "bad_trading_conduct",
            RecordKind::FalseComplaint => "false_complaint",
        }
    }

    /// The kind with this snake_case key.
    pub fn parse(key: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.as_str() == key)
    }

    /// The Chinese term, e.g. 行政处罚.
    pub fn name(self) -> &'static str {
        match self {
            RecordKind::Performance => "业绩",
            RecordKind::InnovationAward => "创新创优",
            RecordKind::TaxGradeA => "纳税信用A级",
            RecordKind::ContractPerformance => "履约良好",
            RecordKind::AdministrativePenalty => "行政处罚",
            RecordKind::ViolationFinding => "违法违规认定",
            RecordKind::CourtEnforcement => "失信被执行人",
            RecordKind::BadTradingConduct => "不良交易行为",
            RecordKind::FalseComplaint => "虚假投诉",
        }
    }
}

ggzy_kernel::closed_enum! {
    /// Severity of a bad record (失信程度, credit.severity.periods). Good records have none.
    ///
    /// - `minor`: 轻微（不公示）
    /// - `general`: 一般（公示 3 个月至 1 年）
    /// - `serious`: 严重（公示 1 年至 3 年）
    pub enum Severity {
        /// 轻微失信：不公示
        Minor = "minor",
        /// 一般失信：公示 3 个月至 1 年
        General = "general",
        /// 严重失信：公示 1 年至 3 年
        Serious = "serious",
    }
}

impl Severity {
    /// The Chinese term, e.g. 严重.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Minor => "轻微",
            Severity::General => "一般",
            Severity::Serious => "严重",
        }
    }
}

/// One credit record (信用记录) of a market participant.
///
/// Dates are Beijing-time calendar dates. A record is published (公示) from `decided_on`
/// for `publication_months` calendar months (see [`crate::publication_window`]) and
/// stops being public on the day it is repaired (信用修复).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditRecord {
    #[schema(example = "rec-2026-0001")]
    pub id: String,
    /// The market participant (市场主体) the record is about.
    #[schema(example = "01890a5d-ac96-774b-bcce-b302099a8057")]
    pub participant_id: String,
    pub kind: RecordKind,
    /// Severity (失信程度); present for bad records only.
    #[serde(default)]
    pub severity: Option<Severity>,
    /// The department or court that made the decision (认定部门 / 法院).
    #[schema(example = "密云区住房和城乡建设委员会")]
    pub source: String,
    /// Document number of the decision or case number (决定文书号 / 案号).
    #[schema(example = "京密住建罚字〔2026〕12号")]
    pub decision: String,
    /// Date of the decision (认定日期); publication and score validity start on it.
    #[schema(value_type = String, format = Date, example = "2026-08-31")]
    pub decided_on: NaiveDate,
    /// How many calendar months the record is published (公示期限); absent or null = not
    /// published. Set on entry with [`crate::CreditPolicy::publication_months`].
    #[serde(default)]
    #[schema(minimum = 1, example = 6)]
    pub publication_months: Option<u32>,
    /// Date of credit repair (信用修复): from this day the record is neither public nor
    /// counted in the score.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date, example = "2027-03-01")]
    pub repaired_on: Option<NaiveDate>,
}

impl CreditRecord {
    /// A bad record (see [`RecordKind::is_bad`]).
    pub fn is_bad(&self) -> bool {
        self.kind.is_bad()
    }

    /// Checks the record's own consistency and names every problem at once: required
    /// texts, a severity for bad records and none for good ones, no publication for minor
    /// records, a positive publication period, and no repair of good records or before
    /// the decision.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        for (field, value, what) in [
            ("id", &self.id, "记录编号"),
            ("participant_id", &self.participant_id, "市场主体"),
            ("source", &self.source, "认定部门或法院"),
            ("decision", &self.decision, "决定文书号或案号"),
        ] {
            if value.trim().is_empty() {
                errors.push(FieldError::new(field, "required", format!("{what}不能为空")));
            }
        }
        match (self.kind.is_bad(), self.severity) {
            (true, None) => errors.push(FieldError::new(
                "severity",
                "required",
                format!("{}属于失信信息，须认定失信程度（轻微、一般或严重）", self.kind.name()),
            )),
            (false, Some(_)) => errors.push(FieldError::new(
                "severity",
                "not_applicable",
                format!("{}属于良好信用信息，不分失信程度", self.kind.name()),
            )),
            _ => {}
        }
        match self.publication_months {
            Some(0) => errors.push(FieldError::new("publication_months", "out_of_range", "公示期限须至少为 1 个月")),
            Some(_) if self.severity == Some(Severity::Minor) => {
                errors.push(FieldError::new("publication_months", "minor_not_published", "轻微失信信息不予公示"))
            }
            _ => {}
        }
        if let Some(repaired_on) = self.repaired_on {
            if !self.kind.is_bad() {
                errors.push(FieldError::new("repaired_on", "not_applicable", "良好信用信息不适用信用修复"));
            } else if repaired_on < self.decided_on {
                errors.push(FieldError::new(
                    "repaired_on",
                    "before_decision",
                    format!("修复日期不能早于认定日期 {}", self.decided_on),
                ));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    pub(crate) fn record(
        id: &str,
        kind: RecordKind,
        severity: Option<Severity>,
        decided_on: NaiveDate,
        publication_months: Option<u32>,
    ) -> CreditRecord {
        CreditRecord {
            id: id.to_owned(),
            participant_id: "p1".to_owned(),
            kind,
            severity,
            source: "密云区住房和城乡建设委员会".to_owned(),
            decision: format!("京密住建罚字〔2026〕{id}号"),
            decided_on,
            publication_months,
            repaired_on: None,
        }
    }

    #[test]
    fn good_and_bad_kinds() {
        let bad: Vec<_> = RecordKind::ALL.into_iter().filter(|k| k.is_bad()).collect();
        assert_eq!(
            bad,
            [
                RecordKind::AdministrativePenalty,
                RecordKind::ViolationFinding,
                RecordKind::CourtEnforcement,
                RecordKind::BadTradingConduct,
                RecordKind::FalseComplaint
            ]
        );
        assert!(!RecordKind::TaxGradeA.is_bad());
        assert_eq!(RecordKind::CourtEnforcement.name(), "失信被执行人");
        assert_eq!(Severity::Serious.name(), "严重");
    }

    #[test]
    fn serde_is_snake_case() {
        assert_eq!(serde_json::to_value(RecordKind::TaxGradeA).unwrap(), "tax_grade_a");
        assert_eq!(serde_json::to_value(RecordKind::BadTradingConduct).unwrap(), "bad_trading_conduct");
        assert_eq!(serde_json::to_value(Severity::General).unwrap(), "general");
        let r = record("1", RecordKind::AdministrativePenalty, Some(Severity::General), date(2026, 8, 31), Some(6));
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["decided_on"], "2026-08-31");
        assert_eq!(json["kind"], "administrative_penalty");
        assert_eq!(json["repaired_on"], serde_json::Value::Null);
        let back: CreditRecord = serde_json::from_value(json).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn keys_match_serde() {
        for kind in RecordKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
            assert_eq!(RecordKind::parse(kind.as_str()), Some(kind));
        }
        for severity in Severity::ALL {
            assert_eq!(serde_json::to_value(severity).unwrap(), severity.as_str());
            assert_eq!(Severity::parse(severity.as_str()), Some(*severity));
        }
        assert_eq!(RecordKind::parse("Performance"), None);
        assert_eq!(Severity::parse(""), None);
    }

    #[test]
    fn valid_records_pass() {
        let good = record("1", RecordKind::Performance, None, date(2026, 1, 1), Some(36));
        assert_eq!(good.validate(), Ok(()));
        let mut bad = record("2", RecordKind::ViolationFinding, Some(Severity::Serious), date(2026, 1, 1), Some(12));
        bad.repaired_on = Some(date(2027, 1, 1));
        assert_eq!(bad.validate(), Ok(()));
    }

    #[test]
    fn validate_names_every_problem() {
        let mut r = record("", RecordKind::FalseComplaint, None, date(2026, 1, 1), Some(0));
        r.source = " ".to_owned();
        r.repaired_on = Some(date(2025, 12, 31));
        let errors = r.validate().unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(
            fields,
            [
                ("id", "required"),
                ("source", "required"),
                ("severity", "required"),
                ("publication_months", "out_of_range"),
                ("repaired_on", "before_decision"),
            ]
        );

        let mut good = record("3", RecordKind::TaxGradeA, Some(Severity::Minor), date(2026, 1, 1), Some(3));
        good.repaired_on = Some(date(2026, 2, 1));
        let codes: Vec<_> = good.validate().unwrap_err().into_iter().map(|e| e.code).collect();
        assert_eq!(codes, ["not_applicable", "minor_not_published", "not_applicable"]);
    }
}
