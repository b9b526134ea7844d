//! Restrictions that bar a participant from trading (失信惩戒措施), credit commitments
//! (信用承诺, credit.commitment) and the gate every trading act passes.

use std::fmt;

use chrono::{Days, NaiveDate};
use ggzy_kernel::FieldError;
use ggzy_rules::definition;
use ggzy_rules::rule_ids::{CONSTRUCTION_DEBARMENT, CREDIT_COMMITMENT, CREDIT_USE};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::policy::add_months;

/// A measure that bars a participant from some trading acts.
///
/// - `debarment`: 取消依法必须进行招标的项目的投标资格（construction.debarment，1–3 年）
/// - `serious_dishonesty`: 列入严重失信主体名单
/// - `agency_suspension`: 招标代理机构暂停代理业务
/// - `entry_disqualification`: 取消进场交易资格
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RestrictionKind {
    /// 取消依法必须进行招标的项目的投标资格（招标投标法实施条例 §67、§68）
    Debarment,
    /// 列入严重失信主体名单
    SeriousDishonesty,
    /// 代理机构暂停代理业务
    AgencySuspension,
    /// 取消进场交易资格
    EntryDisqualification,
}

impl RestrictionKind {
    pub const ALL: [RestrictionKind; 4] = [
        RestrictionKind::Debarment,
        RestrictionKind::SeriousDishonesty,
        RestrictionKind::AgencySuspension,
        RestrictionKind::EntryDisqualification,
    ];

    /// The snake_case key, as serialized, e.g. `agency_suspension`.
    pub fn as_str(self) -> &'static str {
        match self {
            RestrictionKind::Debarment => "debarment",
            RestrictionKind::SeriousDishonesty => "serious_dishonesty",
            RestrictionKind::AgencySuspension => "agency_suspension",
            RestrictionKind::EntryDisqualification => "entry_disqualification",
        }
    }

    /// The kind with this snake_case key.
    pub fn parse(key: &str) -> Option<RestrictionKind> {
        RestrictionKind::ALL.into_iter().find(|k| k.as_str() == key)
    }

    /// The Chinese term, e.g. 取消依法必须招标项目投标资格.
    pub fn name(self) -> &'static str {
        match self {
            RestrictionKind::Debarment => "取消依法必须招标项目投标资格",
            RestrictionKind::SeriousDishonesty => "列入严重失信主体名单",
            RestrictionKind::AgencySuspension => "暂停代理业务",
            RestrictionKind::EntryDisqualification => "取消进场交易资格",
        }
    }

    /// The rule a restriction of this kind usually cites: construction.debarment for
    /// debarment, credit.use (credit information as a basis for market access) otherwise.
    pub fn default_rule_id(self) -> &'static str {
        match self {
            RestrictionKind::Debarment => CONSTRUCTION_DEBARMENT,
            RestrictionKind::SeriousDishonesty
            | RestrictionKind::AgencySuspension
            | RestrictionKind::EntryDisqualification => CREDIT_USE,
        }
    }

    /// Whether a restriction of this kind bars `act`; see [`which_bars`].
    pub fn bars(self, act: TradingAct) -> bool {
        which_bars(self, act)
    }
}

/// A trading act a participant (or its expert) wants to perform.
///
/// Serialized with an `act` tag, e.g. `{"act": "bid", "must_tender": true}` or
/// `{"act": "act_as_agency"}`.
///
/// - `bid`: 投标（`must_tender` = 依法必须进行招标的项目）
/// - `act_as_agency`: 从事招标代理业务
/// - `serve_as_expert`: 担任评标（评审）专家
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(tag = "act", rename_all = "snake_case")]
pub enum TradingAct {
    /// 投标
    Bid {
        /// 依法必须进行招标的项目
        must_tender: bool,
    },
    /// 从事招标代理业务
    ActAsAgency,
    /// 担任评标（评审）专家
    ServeAsExpert,
}

impl TradingAct {
    /// The Chinese term, e.g. 投标.
    pub fn name(self) -> &'static str {
        match self {
            TradingAct::Bid { must_tender: true } => "投标（依法必须招标项目）",
            TradingAct::Bid { must_tender: false } => "投标",
            TradingAct::ActAsAgency => "从事招标代理业务",
            TradingAct::ServeAsExpert => "担任评标专家",
        }
    }
}

/// Whether a restriction of `kind` bars `act`: debarment bars bids on must-tender
/// projects (construction.debarment); the serious-dishonesty list and entry
/// disqualification bar every act; agency suspension bars acting as an agency.
pub fn which_bars(kind: RestrictionKind, act: TradingAct) -> bool {
    match kind {
        RestrictionKind::Debarment => matches!(act, TradingAct::Bid { must_tender: true }),
        RestrictionKind::SeriousDishonesty | RestrictionKind::EntryDisqualification => true,
        RestrictionKind::AgencySuspension => matches!(act, TradingAct::ActAsAgency),
    }
}

/// A restriction decided against a participant (失信惩戒决定), in force from `starts_on`
/// to `ends_on`, both inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Restriction {
    #[schema(example = "res-2026-0007")]
    pub id: String,
    #[schema(example = "01890a5d-ac96-774b-bcce-b302099a8057")]
    pub participant_id: String,
    pub kind: RestrictionKind,
    /// First day in force.
    #[schema(value_type = String, format = Date, example = "2026-09-01")]
    pub starts_on: NaiveDate,
    /// Last day in force (inclusive).
    #[schema(value_type = String, format = Date, example = "2027-08-31")]
    pub ends_on: NaiveDate,
    /// Document number of the decision (处理决定文号).
    #[schema(example = "京密住建罚字〔2026〕12号")]
    pub decision: String,
    /// The deciding authority (作出决定的部门).
    #[schema(example = "密云区住房和城乡建设委员会")]
    pub decided_by: String,
    /// The rule the restriction applies, e.g. `construction.debarment`.
    #[schema(example = "construction.debarment")]
    pub rule_id: String,
}

/// Debarment lasts at least 1 and at most 3 years (construction.debarment: 1–2 years for
/// collusion or fraud, 1–3 years when serious).
const DEBARMENT_MIN_MONTHS: u32 = 12;
const DEBARMENT_MAX_MONTHS: u32 = 36;

impl Restriction {
    /// In force on `on`: `starts_on ≤ on ≤ ends_on`.
    pub fn is_active_on(&self, on: NaiveDate) -> bool {
        self.starts_on <= on && on <= self.ends_on
    }

    /// Checks a restriction about to be recorded and names every problem at once:
    /// required texts, a known rule id, `ends_on ≥ starts_on`, and for debarment the rule
    /// construction.debarment and a period of 1 to 3 years (the last day inclusive, so a
    /// one-year debarment from 2026-01-01 ends on 2026-12-31).
    pub fn validate_new(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        for (field, value, what) in [
            ("id", &self.id, "限制措施编号"),
            ("participant_id", &self.participant_id, "市场主体"),
            ("decision", &self.decision, "处理决定文号"),
            ("decided_by", &self.decided_by, "作出决定的部门"),
        ] {
            if value.trim().is_empty() {
                errors.push(FieldError::new(field, "required", format!("{what}不能为空")));
            }
        }
        if definition(&self.rule_id).is_none() {
            errors.push(FieldError::new("rule_id", "unknown_rule", format!("规则 \"{}\" 不存在", self.rule_id)));
        } else if self.kind == RestrictionKind::Debarment && self.rule_id != CONSTRUCTION_DEBARMENT {
            errors.push(FieldError::new(
                "rule_id",
                "rule_mismatch",
                format!("取消投标资格应依据规则 {CONSTRUCTION_DEBARMENT}，不是 {}", self.rule_id),
            ));
        }
        if self.ends_on < self.starts_on {
            errors.push(FieldError::new(
                "ends_on",
                "ends_before_start",
                format!("截止日期 {} 早于开始日期 {}", self.ends_on, self.starts_on),
            ));
        } else if self.kind == RestrictionKind::Debarment {
            let last_day = |months| add_months(self.starts_on, months).checked_sub_days(Days::new(1));
            let shortest = last_day(DEBARMENT_MIN_MONTHS).unwrap_or(self.starts_on);
            let longest = last_day(DEBARMENT_MAX_MONTHS).unwrap_or(NaiveDate::MAX);
            if self.ends_on < shortest || self.ends_on > longest {
                errors.push(FieldError::new(
                    "ends_on",
                    "debarment_period_out_of_range",
                    format!(
                        "取消投标资格的期限须为 1 至 3 年（{CONSTRUCTION_DEBARMENT}）：自 {} 起，截止日期应在 {shortest} 至 {longest} 之间，不能为 {}",
                        self.starts_on, self.ends_on
                    ),
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

/// A public credit commitment (信用承诺, credit.commitment) made before trading; in force
/// from `signed_on` until the day it is revoked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Commitment {
    #[schema(example = "cmt-2026-0001")]
    pub id: String,
    #[schema(example = "01890a5d-ac96-774b-bcce-b302099a8057")]
    pub participant_id: String,
    /// Version of the commitment text signed (承诺书文本版本).
    #[schema(minimum = 1, example = 1)]
    pub text_version: u32,
    #[schema(value_type = String, format = Date, example = "2026-03-01")]
    pub signed_on: NaiveDate,
    /// Date of revocation (撤回 / 失效); not in force from that day.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub revoked_on: Option<NaiveDate>,
}

impl Commitment {
    /// The commitment a participant makes by signing the current text, version
    /// `text_version`, on `on`: in force from that day until revoked.
    pub fn signed(id: String, participant_id: String, text_version: u32, on: NaiveDate) -> Commitment {
        Commitment { id, participant_id, text_version, signed_on: on, revoked_on: None }
    }

    /// In force on `on`: `signed_on ≤ on` and not yet revoked (`on < revoked_on`).
    pub fn in_force_on(&self, on: NaiveDate) -> bool {
        self.signed_on <= on && self.revoked_on.is_none_or(|r| on < r)
    }
}

/// Why the gate refused a trading act. Serialized with a `reason` tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Refusal {
    /// A restriction in force bars the act (存在有效的限制措施).
    Restricted {
        restriction_id: String,
        kind: RestrictionKind,
        #[schema(example = "construction.debarment")]
        rule_id: String,
        /// Document number of the decision.
        decision: String,
        /// Last day of the restriction (inclusive).
        #[schema(value_type = String, format = Date, example = "2027-08-31")]
        ends_on: NaiveDate,
    },
    /// No credit commitment in force (未作出信用承诺).
    NoCommitment {
        #[schema(example = "credit.commitment")]
        rule_id: String,
    },
}

impl Refusal {
    /// The rule the refusal applies.
    pub fn rule_id(&self) -> &str {
        match self {
            Refusal::Restricted { rule_id, .. } | Refusal::NoCommitment { rule_id } => rule_id,
        }
    }

    /// Chinese explanation naming the restriction and its last day.
    pub fn message(&self) -> String {
        match self {
            Refusal::Restricted { restriction_id, kind, rule_id, decision, ends_on } => {
                let resumes = ends_on.succ_opt().map_or_else(String::new, |d| format!("，{d} 起方可参与"));
                format!(
                    "该主体被{}（{decision}，限制措施编号 {restriction_id}，依据 {rule_id}），期限至 {ends_on}（含当日），期间不得参与此项交易活动{resumes}",
                    kind.name()
                )
            }
            Refusal::NoCommitment { rule_id } => {
                format!("参与交易前须作出信用承诺（{rule_id}），该主体当前没有有效的信用承诺")
            }
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for Refusal {}

/// Whether `act` may go ahead on `on`, given one participant's restrictions and
/// commitments.
///
/// A restriction in force that bars the act refuses it first; among several the one that
/// ends last is named (the first given on a tie). Otherwise a commitment must be in force
/// (credit.commitment), for every act.
pub fn gate(
    act: TradingAct,
    on: NaiveDate,
    restrictions: &[Restriction],
    commitments: &[Commitment],
) -> Result<(), Refusal> {
    let barring = restrictions.iter().filter(|r| r.is_active_on(on) && which_bars(r.kind, act)).fold(
        None::<&Restriction>,
        |best, r| match best {
            Some(b) if b.ends_on >= r.ends_on => Some(b),
            _ => Some(r),
        },
    );
    if let Some(r) = barring {
        return Err(Refusal::Restricted {
            restriction_id: r.id.clone(),
            kind: r.kind,
            rule_id: r.rule_id.clone(),
            decision: r.decision.clone(),
            ends_on: r.ends_on,
        });
    }
    if !commitments.iter().any(|c| c.in_force_on(on)) {
        return Err(Refusal::NoCommitment { rule_id: CREDIT_COMMITMENT.to_owned() });
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::record::tests::date;

    pub(crate) fn restriction(
        id: &str,
        kind: RestrictionKind,
        starts_on: NaiveDate,
        ends_on: NaiveDate,
    ) -> Restriction {
        Restriction {
            id: id.to_owned(),
            participant_id: "p1".to_owned(),
            kind,
            starts_on,
            ends_on,
            decision: format!("京密住建罚字〔2026〕{id}号"),
            decided_by: "密云区住房和城乡建设委员会".to_owned(),
            rule_id: kind.default_rule_id().to_owned(),
        }
    }

    pub(crate) fn commitment(signed_on: NaiveDate, revoked_on: Option<NaiveDate>) -> Commitment {
        Commitment { id: "c1".to_owned(), participant_id: "p1".to_owned(), text_version: 1, signed_on, revoked_on }
    }

    #[test]
    fn a_signed_commitment_is_in_force_from_its_day_unrevoked() {
        let signed = Commitment::signed("c1".into(), "p1".into(), 2, date(2026, 9, 1));
        assert_eq!(
            signed,
            Commitment {
                id: "c1".into(),
                participant_id: "p1".into(),
                text_version: 2,
                signed_on: date(2026, 9, 1),
                revoked_on: None,
            }
        );
        assert!(!signed.in_force_on(date(2026, 8, 31)));
        assert!(signed.in_force_on(date(2026, 9, 1)));
    }

    const MUST: TradingAct = TradingAct::Bid { must_tender: true };
    const OPTIONAL: TradingAct = TradingAct::Bid { must_tender: false };
    const AGENCY: TradingAct = TradingAct::ActAsAgency;
    const EXPERT: TradingAct = TradingAct::ServeAsExpert;

    #[test]
    fn what_each_kind_bars() {
        use RestrictionKind::*;
        let table = [
            (Debarment, [true, false, false, false]),
            (SeriousDishonesty, [true, true, true, true]),
            (AgencySuspension, [false, false, true, false]),
            (EntryDisqualification, [true, true, true, true]),
        ];
        for (kind, expected) in table {
            let got = [MUST, OPTIONAL, AGENCY, EXPERT].map(|act| which_bars(kind, act));
            assert_eq!(got, expected, "{kind:?}");
            assert_eq!(kind.bars(MUST), expected[0]);
        }
    }

    #[test]
    fn keys_match_serde() {
        for kind in RestrictionKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
            assert_eq!(RestrictionKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(RestrictionKind::parse("ban"), None);
    }

    #[test]
    fn active_on_both_ends_inclusive() {
        let r = restriction("1", RestrictionKind::Debarment, date(2026, 1, 1), date(2026, 12, 31));
        assert!(!r.is_active_on(date(2025, 12, 31)));
        assert!(r.is_active_on(date(2026, 1, 1)));
        assert!(r.is_active_on(date(2026, 12, 31)));
        assert!(!r.is_active_on(date(2027, 1, 1)));
    }

    #[test]
    fn commitment_in_force_until_revoked() {
        let c = commitment(date(2026, 3, 1), Some(date(2026, 9, 1)));
        assert!(!c.in_force_on(date(2026, 2, 28)));
        assert!(c.in_force_on(date(2026, 3, 1)));
        assert!(c.in_force_on(date(2026, 8, 31)));
        assert!(!c.in_force_on(date(2026, 9, 1)));
        assert!(commitment(date(2026, 3, 1), None).in_force_on(date(2099, 1, 1)));
    }

    #[test]
    fn gate_names_the_restriction_that_ends_last_and_its_end_date() {
        let restrictions = [
            restriction("short", RestrictionKind::EntryDisqualification, date(2026, 1, 1), date(2026, 12, 31)),
            restriction("long", RestrictionKind::Debarment, date(2026, 2, 1), date(2027, 6, 30)),
            restriction("over", RestrictionKind::SeriousDishonesty, date(2024, 1, 1), date(2025, 12, 31)),
        ];
        let commitments = [commitment(date(2025, 1, 1), None)];
        let on = date(2026, 7, 1);

        let refusal = gate(MUST, on, &restrictions, &commitments).unwrap_err();
        assert_eq!(
            refusal,
            Refusal::Restricted {
                restriction_id: "long".into(),
                kind: RestrictionKind::Debarment,
                rule_id: "construction.debarment".into(),
                decision: "京密住建罚字〔2026〕long号".into(),
                ends_on: date(2027, 6, 30),
            }
        );
        let message = refusal.message();
        assert!(message.contains("取消依法必须招标项目投标资格"), "{message}");
        assert!(message.contains("2027-06-30"), "{message}");
        assert!(message.contains("2027-07-01 起方可参与"), "{message}");
        assert!(message.contains("京密住建罚字〔2026〕long号"), "{message}");
        assert_eq!(refusal.to_string(), message);
        assert_eq!(refusal.rule_id(), "construction.debarment");

        // Debarment does not bar a bid on a project not legally required to tender.
        let refusal = gate(OPTIONAL, on, &restrictions, &commitments).unwrap_err();
        assert!(matches!(&refusal, Refusal::Restricted { restriction_id, .. } if restriction_id == "short"));
        assert!(refusal.message().contains("取消进场交易资格"));
        assert!(refusal.message().contains("2026-12-31"));

        // On the last day still barred; the day after, free.
        assert!(gate(OPTIONAL, date(2026, 12, 31), &restrictions, &commitments).is_err());
        assert_eq!(gate(OPTIONAL, date(2027, 1, 1), &restrictions, &commitments), Ok(()));
        assert!(gate(MUST, date(2027, 1, 1), &restrictions, &commitments).is_err());
        assert_eq!(gate(MUST, date(2027, 7, 1), &restrictions, &commitments), Ok(()));
        // The serious-dishonesty listing bars every act up to its last day, 2025-12-31,
        // and nothing once it has ended.
        let listed = gate(EXPERT, date(2025, 12, 31), &restrictions, &commitments).unwrap_err();
        assert!(listed.message().contains("列入严重失信主体名单"), "{listed}");
        assert!(listed.message().contains("2025-12-31"), "{listed}");
        assert_eq!(gate(EXPERT, date(2027, 1, 1), &restrictions, &commitments), Ok(()));
    }

    #[test]
    fn ties_name_the_first_given() {
        let restrictions = [
            restriction("a", RestrictionKind::AgencySuspension, date(2026, 1, 1), date(2026, 6, 30)),
            restriction("b", RestrictionKind::SeriousDishonesty, date(2026, 2, 1), date(2026, 6, 30)),
        ];
        let refusal = gate(AGENCY, date(2026, 3, 1), &restrictions, &[]).unwrap_err();
        assert!(matches!(refusal, Refusal::Restricted { restriction_id, .. } if restriction_id == "a"));
    }

    #[test]
    fn gate_requires_a_commitment_in_force() {
        let refusal = gate(EXPERT, date(2026, 3, 1), &[], &[]).unwrap_err();
        assert_eq!(refusal, Refusal::NoCommitment { rule_id: "credit.commitment".into() });
        assert!(refusal.message().contains("信用承诺"));
        let revoked = [commitment(date(2025, 1, 1), Some(date(2026, 3, 1)))];
        assert!(gate(EXPERT, date(2026, 3, 1), &[], &revoked).is_err());
        assert_eq!(gate(EXPERT, date(2026, 2, 28), &[], &revoked), Ok(()));
        // A restriction is named before a missing commitment.
        let restrictions = [restriction("x", RestrictionKind::SeriousDishonesty, date(2026, 1, 1), date(2026, 12, 31))];
        assert!(matches!(gate(EXPERT, date(2026, 3, 1), &restrictions, &[]), Err(Refusal::Restricted { .. })));
    }

    #[test]
    fn refusal_serde_is_tagged() {
        let json = serde_json::to_value(Refusal::NoCommitment { rule_id: "credit.commitment".into() }).unwrap();
        assert_eq!(json, serde_json::json!({"reason": "no_commitment", "rule_id": "credit.commitment"}));
        let act: TradingAct = serde_json::from_value(serde_json::json!({"act": "bid", "must_tender": true})).unwrap();
        assert_eq!(act, MUST);
        assert_eq!(serde_json::to_value(AGENCY).unwrap(), serde_json::json!({"act": "act_as_agency"}));
        use utoipa::PartialSchema;
        let schema = serde_json::to_value(TradingAct::schema()).unwrap();
        assert!(schema.to_string().contains("act_as_agency"), "{schema}");
    }

    #[test]
    fn debarment_period_is_one_to_three_years() {
        let start = date(2026, 1, 1);
        let ok = |end| restriction("d", RestrictionKind::Debarment, start, end).validate_new();
        assert_eq!(ok(date(2026, 12, 31)), Ok(()));
        assert_eq!(ok(date(2028, 12, 31)), Ok(()));
        assert_eq!(ok(date(2027, 6, 30)), Ok(()));
        let short = ok(date(2026, 12, 30)).unwrap_err();
        assert_eq!(short[0].code, "debarment_period_out_of_range");
        assert!(short[0].message.contains("2026-12-31 至 2028-12-31"), "{}", short[0].message);
        assert_eq!(ok(date(2029, 1, 1)).unwrap_err()[0].field, "ends_on");
        // Other kinds have no fixed length.
        let other = restriction("e", RestrictionKind::EntryDisqualification, start, start);
        assert_eq!(other.validate_new(), Ok(()));
    }

    #[test]
    fn validate_new_names_every_problem() {
        let mut r = restriction("", RestrictionKind::Debarment, date(2026, 5, 1), date(2026, 4, 30));
        r.decided_by = String::new();
        r.rule_id = "credit.use".into();
        let errors = r.validate_new().unwrap_err();
        let codes: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(
            codes,
            [
                ("id", "required"),
                ("decided_by", "required"),
                ("rule_id", "rule_mismatch"),
                ("ends_on", "ends_before_start")
            ]
        );
        r.rule_id = "no.such.rule".into();
        assert!(r.validate_new().unwrap_err().iter().any(|e| e.code == "unknown_rule"));
    }
}
