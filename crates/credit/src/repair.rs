//! Credit repair (信用修复, credit.repair): a published bad record may be removed early
//! after the minimum publication period, once the obligations are fulfilled and a new
//! public commitment is made; at the maximum period it leaves publication by itself. An
//! application is taken on the record, its pending application and the commitment it
//! names ([`decide_application`]); a regulator decides it once ([`decide_verdict`]).

use std::fmt;

use chrono::NaiveDate;
use ggzy_kernel::FieldError;
use ggzy_rules::rule_ids::CREDIT_REPAIR;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::policy::{add_months, is_public_on, CreditPolicy};
use crate::record::{CreditRecord, RecordKind};
use crate::requests::{RepairApplicationValues, RepairVerdict};
use crate::restriction::Commitment;
use crate::RepairStatus;

/// One unmet condition of credit repair. Serialized with a `reason` tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum RepairRefusal {
    /// A good record (良好信用信息) is not repaired.
    NotBadRecord { kind: RecordKind },
    /// The record has already been repaired (已修复).
    AlreadyRepaired {
        #[schema(value_type = String, format = Date)]
        repaired_on: NaiveDate,
    },
    /// The record is not on the public list on that day (未公示：轻微失信、未公布或公示期已满).
    NotPublished,
    /// The minimum publication period of the severity has not passed (未满最短公示期).
    TooEarly {
        /// First day on which repair may be granted.
        #[schema(value_type = String, format = Date, example = "2026-11-30")]
        earliest_on: NaiveDate,
    },
    /// Fulfilment of the obligations of the decision is not shown (未履行相关义务).
    ObligationsNotMet,
    /// No new credit commitment signed after the decision (未重新作出信用承诺).
    NoNewCommitment {
        /// The record's decision date; the commitment must be signed after it.
        #[schema(value_type = String, format = Date)]
        decided_on: NaiveDate,
    },
}

impl RepairRefusal {
    /// Every refusal applies credit.repair.
    pub fn rule_id(&self) -> &'static str {
        CREDIT_REPAIR
    }

    /// Snake_case code, the same as the serde tag.
    pub fn code(&self) -> &'static str {
        match self {
            RepairRefusal::NotBadRecord { .. } => "not_bad_record",
            RepairRefusal::AlreadyRepaired { .. } => "already_repaired",
            RepairRefusal::NotPublished => "not_published",
            RepairRefusal::TooEarly { .. } => "too_early",
            RepairRefusal::ObligationsNotMet => "obligations_not_met",
            RepairRefusal::NoNewCommitment { .. } => "no_new_commitment",
        }
    }

    /// The input the refusal is about, for a [`FieldError`].
    pub fn field(&self) -> &'static str {
        match self {
            RepairRefusal::NotBadRecord { .. } => "record.kind",
            RepairRefusal::AlreadyRepaired { .. } => "record.repaired_on",
            RepairRefusal::NotPublished => "record.publication_months",
            RepairRefusal::TooEarly { .. } => "on",
            RepairRefusal::ObligationsNotMet => "obligations_met",
            RepairRefusal::NoNewCommitment { .. } => "new_commitment_signed_on",
        }
    }

    /// Chinese explanation.
    pub fn message(&self) -> String {
        match self {
            RepairRefusal::NotBadRecord { kind } => format!("{}属于良好信用信息，无需信用修复", kind.name()),
            RepairRefusal::AlreadyRepaired { repaired_on } => format!("该记录已于 {repaired_on} 完成信用修复"),
            RepairRefusal::NotPublished => {
                "该记录当前不在公示中（轻微失信不予公示，或未公布、公示期已满），无需信用修复".to_owned()
            }
            RepairRefusal::TooEarly { earliest_on } => {
                format!("未满最短公示期（{CREDIT_REPAIR}），最早可于 {earliest_on} 申请信用修复")
            }
            RepairRefusal::ObligationsNotMet => "尚未证明已履行处理决定规定的义务".to_owned(),
            RepairRefusal::NoNewCommitment { decided_on } => {
                format!("须在认定日期 {decided_on} 之后重新作出并公开信用承诺")
            }
        }
    }

    pub fn to_field_error(&self) -> FieldError {
        FieldError::new(self.field(), self.code(), self.message())
    }
}

impl fmt::Display for RepairRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

/// Whether `record` may be repaired on `on`, listing every unmet condition at once:
///
/// 1. it is a bad record, not yet repaired, on the public list on `on`;
/// 2. the severity's minimum publication period has passed (`on ≥ decided_on + min
///    months`; the refusal names the earliest date);
/// 3. the obligations of the decision are shown fulfilled;
/// 4. a new credit commitment was signed after `decided_on` and no later than `on`.
pub fn repair_eligibility(
    record: &CreditRecord,
    policy: &CreditPolicy,
    on: NaiveDate,
    obligations_met: bool,
    new_commitment_signed_on: Option<NaiveDate>,
) -> Result<(), Vec<RepairRefusal>> {
    let mut refusals = Vec::new();
    if !record.is_bad() {
        refusals.push(RepairRefusal::NotBadRecord { kind: record.kind });
    } else if let Some(repaired_on) = record.repaired_on {
        refusals.push(RepairRefusal::AlreadyRepaired { repaired_on });
    } else if !is_public_on(record, on) {
        refusals.push(RepairRefusal::NotPublished);
    }
    if let Some(range) = record.severity.filter(|_| record.is_bad()).and_then(|s| policy.publication.range(s)) {
        let earliest_on = add_months(record.decided_on, range.min);
        if on < earliest_on {
            refusals.push(RepairRefusal::TooEarly { earliest_on });
        }
    }
    if !obligations_met {
        refusals.push(RepairRefusal::ObligationsNotMet);
    }
    if !new_commitment_signed_on.is_some_and(|s| record.decided_on < s && s <= on) {
        refusals.push(RepairRefusal::NoNewCommitment { decided_on: record.decided_on });
    }
    if refusals.is_empty() {
        Ok(())
    } else {
        Err(refusals)
    }
}

/// The day a bad record leaves publication by itself at the latest: `decided_on` plus the
/// severity's maximum months (自动移出). `None` for good records and minor ones (never
/// published). Publication may end earlier (a shorter period or a repair).
pub fn automatic_removal_on(record: &CreditRecord, policy: &CreditPolicy) -> Option<NaiveDate> {
    if !record.is_bad() {
        return None;
    }
    let range = policy.publication.range(record.severity?)?;
    Some(add_months(record.decided_on, range.max))
}

/// Why an application for repair is not taken, in the order it is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplicationRefusal {
    /// The record has an application awaiting a decision, this one; a second would be
    /// decided beside it.
    PendingApplication { application_id: String },
    /// The commitment named is not one the record's participant signed.
    UnknownCommitment,
    /// The record may not be repaired yet: every unmet condition.
    Ineligible(Vec<RepairRefusal>),
}

impl ApplicationRefusal {
    /// The conflict's detail, or the summary of the unmet conditions.
    pub fn detail(&self) -> String {
        match self {
            ApplicationRefusal::PendingApplication { application_id } => {
                format!("该信用记录已有待审核的修复申请（{application_id}）")
            }
            ApplicationRefusal::UnknownCommitment => String::new(),
            ApplicationRefusal::Ineligible(_) => "尚不符合信用修复条件".to_owned(),
        }
    }

    /// The problems the applicant is told.
    pub fn problems(&self) -> Vec<FieldError> {
        match self {
            ApplicationRefusal::PendingApplication { .. } => Vec::new(),
            ApplicationRefusal::UnknownCommitment => {
                vec![FieldError::new("commitment_id", "unknown_commitment", "须为本主体签署的信用承诺")]
            }
            ApplicationRefusal::Ineligible(refusals) => refusals.iter().map(RepairRefusal::to_field_error).collect(),
        }
    }
}

/// A pending application conflicts; a commitment not the participant's is an invalid
/// request; unmet conditions are credit.repair's refusal.
impl From<ApplicationRefusal> for ggzy_kernel::Answer {
    fn from(refusal: ApplicationRefusal) -> Self {
        match refusal {
            ApplicationRefusal::PendingApplication { .. } => ggzy_kernel::Answer::Conflict(refusal.detail()),
            ApplicationRefusal::UnknownCommitment => ggzy_kernel::Answer::Invalid(refusal.problems()),
            ApplicationRefusal::Ineligible(_) => ggzy_kernel::Answer::Rule {
                rule: CREDIT_REPAIR,
                detail: refusal.detail(),
                problems: refusal.problems(),
            },
        }
    }
}

/// An application taken: what is written, awaiting a regulator's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    pub record_id: String,
    pub participant_id: String,
    pub commitment_id: String,
    pub obligations_proof_sha256: String,
    pub status: RepairStatus,
}

/// Whether the participant may apply on `today` to repair `record` with `asked`: no
/// application of the record is pending, the commitment named is the participant's own
/// (`None` when no commitment has that id), and the record is eligible
/// ([`repair_eligibility`]) with the obligations' proof given and that commitment as the
/// new one.
pub fn decide_application(
    record: &CreditRecord,
    pending_application: Option<&str>,
    commitment: Option<&Commitment>,
    policy: &CreditPolicy,
    today: NaiveDate,
    asked: RepairApplicationValues,
) -> Result<Application, ApplicationRefusal> {
    if let Some(application_id) = pending_application {
        return Err(ApplicationRefusal::PendingApplication { application_id: application_id.to_owned() });
    }
    let commitment = commitment
        .filter(|c| c.participant_id == record.participant_id)
        .ok_or(ApplicationRefusal::UnknownCommitment)?;
    repair_eligibility(record, policy, today, true, Some(commitment.signed_on))
        .map_err(ApplicationRefusal::Ineligible)?;
    Ok(Application {
        record_id: record.id.clone(),
        participant_id: record.participant_id.clone(),
        commitment_id: commitment.id.clone(),
        obligations_proof_sha256: asked.obligations_proof_sha256,
        status: RepairStatus::Pending,
    })
}

/// A repair application that is no longer pending is not decided again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlreadyDecided;

impl AlreadyDecided {
    pub fn detail(self) -> &'static str {
        "该申请已处理"
    }
}

/// An application decided before conflicts with a second decision.
impl From<AlreadyDecided> for ggzy_kernel::Answer {
    fn from(refusal: AlreadyDecided) -> Self {
        ggzy_kernel::Answer::Conflict(refusal.detail().to_owned())
    }
}

/// A decision on a repair application: its new status and reason, and the day the record
/// is repaired when approved (publication and scoring end that day).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepairOutcome {
    pub status: RepairStatus,
    pub reason: Option<String>,
    pub repaired_on: Option<NaiveDate>,
}

/// Decides an application standing at `status` with the regulator's `verdict` on `today`:
/// only a pending application is decided.
pub fn decide_verdict(
    status: RepairStatus,
    verdict: RepairVerdict,
    today: NaiveDate,
) -> Result<RepairOutcome, AlreadyDecided> {
    if status != RepairStatus::Pending {
        return Err(AlreadyDecided);
    }
    let repaired_on = (verdict.status == RepairStatus::Approved).then_some(today);
    Ok(RepairOutcome { status: verdict.status, reason: verdict.reason, repaired_on })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::tests::{date, record};
    use crate::record::Severity::{General, Minor, Serious};
    use crate::restriction::tests::commitment;
    use RecordKind::*;

    #[test]
    fn eligible_after_the_minimum_with_obligations_and_a_new_commitment() {
        let policy = CreditPolicy::seed();
        // General: minimum 3 months. 2026-08-31 + 3 months = 2026-11-30 (clamped).
        let r = record("1", AdministrativePenalty, Some(General), date(2026, 8, 31), Some(12));
        assert_eq!(repair_eligibility(&r, &policy, date(2026, 11, 30), true, Some(date(2026, 9, 1))), Ok(()));
        let early = repair_eligibility(&r, &policy, date(2026, 11, 29), true, Some(date(2026, 9, 1)));
        assert_eq!(early, Err(vec![RepairRefusal::TooEarly { earliest_on: date(2026, 11, 30) }]));
        // Serious: minimum 12 months.
        let s = record("2", ViolationFinding, Some(Serious), date(2026, 1, 15), Some(36));
        assert_eq!(
            repair_eligibility(&s, &policy, date(2026, 12, 1), true, Some(date(2026, 6, 1))),
            Err(vec![RepairRefusal::TooEarly { earliest_on: date(2027, 1, 15) }])
        );
        assert_eq!(repair_eligibility(&s, &policy, date(2027, 1, 15), true, Some(date(2026, 6, 1))), Ok(()));
    }

    #[test]
    fn every_unmet_condition_is_listed_together() {
        let policy = CreditPolicy::seed();
        let r = record("1", FalseComplaint, Some(Serious), date(2026, 3, 10), Some(24));
        // One month in, no obligations shown, the only commitment predates the decision.
        let refusals = repair_eligibility(&r, &policy, date(2026, 4, 10), false, Some(date(2026, 3, 10))).unwrap_err();
        assert_eq!(
            refusals,
            [
                RepairRefusal::TooEarly { earliest_on: date(2027, 3, 10) },
                RepairRefusal::ObligationsNotMet,
                RepairRefusal::NoNewCommitment { decided_on: date(2026, 3, 10) },
            ]
        );
        let errors: Vec<_> = refusals.iter().map(RepairRefusal::to_field_error).collect();
        assert_eq!(errors[0].field, "on");
        assert!(errors[0].message.contains("2027-03-10"), "{}", errors[0].message);
        assert_eq!(errors[1].field, "obligations_met");
        assert_eq!(errors[2].code, "no_new_commitment");
        assert!(refusals.iter().all(|r| r.rule_id() == "credit.repair"));
        // A commitment signed after `on` does not count either.
        let later = repair_eligibility(&r, &policy, date(2027, 4, 1), true, Some(date(2027, 4, 2))).unwrap_err();
        assert_eq!(later, [RepairRefusal::NoNewCommitment { decided_on: date(2026, 3, 10) }]);
    }

    #[test]
    fn only_published_unrepaired_bad_records_are_repaired() {
        let policy = CreditPolicy::seed();
        let commit = Some(date(2026, 2, 1));
        let on = date(2026, 12, 1);

        let good = record("g", Performance, None, date(2026, 1, 1), Some(36));
        let refusals = repair_eligibility(&good, &policy, on, true, commit).unwrap_err();
        assert_eq!(refusals, [RepairRefusal::NotBadRecord { kind: Performance }]);

        let minor = record("m", BadTradingConduct, Some(Minor), date(2026, 1, 1), None);
        assert_eq!(repair_eligibility(&minor, &policy, on, true, commit).unwrap_err(), [RepairRefusal::NotPublished]);

        // Published 6 months from 2026-01-01: off the list on 2026-07-01.
        let expired = record("e", BadTradingConduct, Some(General), date(2026, 1, 1), Some(6));
        assert_eq!(repair_eligibility(&expired, &policy, date(2026, 6, 30), true, commit), Ok(()));
        assert_eq!(
            repair_eligibility(&expired, &policy, date(2026, 7, 1), true, commit).unwrap_err(),
            [RepairRefusal::NotPublished]
        );

        let mut repaired = record("r", BadTradingConduct, Some(General), date(2026, 1, 1), Some(12));
        repaired.repaired_on = Some(date(2026, 5, 1));
        let refusals = repair_eligibility(&repaired, &policy, on, false, None).unwrap_err();
        assert_eq!(
            refusals,
            [
                RepairRefusal::AlreadyRepaired { repaired_on: date(2026, 5, 1) },
                RepairRefusal::ObligationsNotMet,
                RepairRefusal::NoNewCommitment { decided_on: date(2026, 1, 1) },
            ]
        );
        assert!(refusals[0].to_string().contains("2026-05-01"));
    }

    #[test]
    fn automatic_removal_at_the_severity_maximum() {
        let policy = CreditPolicy::seed();
        // General: 12 months; serious: 36 months; month ends clamp.
        let general = record("1", AdministrativePenalty, Some(General), date(2026, 8, 31), Some(6));
        assert_eq!(automatic_removal_on(&general, &policy), Some(date(2027, 8, 31)));
        let serious = record("2", AdministrativePenalty, Some(Serious), date(2025, 2, 28), Some(12));
        assert_eq!(automatic_removal_on(&serious, &policy), Some(date(2028, 2, 28)));
        let leap = record("3", ViolationFinding, Some(Serious), date(2028, 2, 29), Some(12));
        assert_eq!(automatic_removal_on(&leap, &policy), Some(date(2031, 2, 28)));
        let minor = record("4", BadTradingConduct, Some(Minor), date(2026, 1, 1), None);
        assert_eq!(automatic_removal_on(&minor, &policy), None);
        let good = record("5", Performance, None, date(2026, 1, 1), Some(36));
        assert_eq!(automatic_removal_on(&good, &policy), None);
    }

    #[test]
    fn refusals_serialize_with_a_reason_tag() {
        let json = serde_json::to_value(RepairRefusal::TooEarly { earliest_on: date(2026, 11, 30) }).unwrap();
        assert_eq!(json, serde_json::json!({"reason": "too_early", "earliest_on": "2026-11-30"}));
        assert_eq!(serde_json::to_value(RepairRefusal::ObligationsNotMet).unwrap()["reason"], "obligations_not_met");
    }

    fn asked() -> RepairApplicationValues {
        RepairApplicationValues { obligations_proof_sha256: "a".repeat(64), commitment_id: "c1".into() }
    }

    fn codes(problems: &[FieldError]) -> Vec<(&str, &str)> {
        problems.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect()
    }

    #[test]
    fn an_application_is_taken_with_the_participant_s_new_commitment() {
        let policy = CreditPolicy::seed();
        let r = record("1", AdministrativePenalty, Some(General), date(2026, 8, 31), Some(12));
        let signed = commitment(date(2026, 9, 1), None);
        let application = decide_application(&r, None, Some(&signed), &policy, date(2026, 11, 30), asked()).unwrap();
        assert_eq!(
            application,
            Application {
                record_id: "1".into(),
                participant_id: "p1".into(),
                commitment_id: "c1".into(),
                obligations_proof_sha256: "a".repeat(64),
                status: RepairStatus::Pending,
            }
        );
    }

    #[test]
    fn an_application_is_refused_while_one_is_pending_then_for_another_s_commitment_then_as_ineligible() {
        let policy = CreditPolicy::seed();
        let r = record("1", AdministrativePenalty, Some(General), date(2026, 8, 31), Some(12));
        let on = date(2026, 10, 1);
        let mut foreign = commitment(date(2026, 9, 1), None);
        foreign.participant_id = "p2".into();
        // A pending application comes first, whatever the commitment.
        let pending = decide_application(&r, Some("app-1"), Some(&foreign), &policy, on, asked()).unwrap_err();
        assert_eq!(pending, ApplicationRefusal::PendingApplication { application_id: "app-1".into() });
        assert_eq!(pending.detail(), "该信用记录已有待审核的修复申请（app-1）");
        assert!(pending.problems().is_empty());

        for named in [Some(&foreign), None] {
            let refusal = decide_application(&r, None, named, &policy, on, asked()).unwrap_err();
            assert_eq!(refusal, ApplicationRefusal::UnknownCommitment);
            let problems = refusal.problems();
            assert_eq!(codes(&problems), [("commitment_id", "unknown_commitment")]);
            assert_eq!(problems[0].message, "须为本主体签署的信用承诺");
        }

        // Too early, and the commitment predates the decision.
        let old = commitment(date(2026, 8, 1), None);
        let refusal = decide_application(&r, None, Some(&old), &policy, on, asked()).unwrap_err();
        assert_eq!(refusal.detail(), "尚不符合信用修复条件");
        assert_eq!(
            codes(&refusal.problems()),
            [("on", "too_early"), ("new_commitment_signed_on", "no_new_commitment")]
        );
    }

    #[test]
    fn a_pending_application_is_decided_once() {
        let approval = RepairVerdict { status: RepairStatus::Approved, reason: None };
        assert_eq!(
            decide_verdict(RepairStatus::Pending, approval.clone(), date(2026, 12, 1)),
            Ok(RepairOutcome { status: RepairStatus::Approved, reason: None, repaired_on: Some(date(2026, 12, 1)) })
        );
        let rejection = RepairVerdict { status: RepairStatus::Rejected, reason: Some("义务未履行".into()) };
        assert_eq!(
            decide_verdict(RepairStatus::Pending, rejection.clone(), date(2026, 12, 1)),
            Ok(RepairOutcome {
                status: RepairStatus::Rejected, reason: Some("义务未履行".into()), repaired_on: None
            })
        );
        for decided in [RepairStatus::Approved, RepairStatus::Rejected] {
            assert_eq!(decide_verdict(decided, approval.clone(), date(2026, 12, 1)), Err(AlreadyDecided));
        }
        assert_eq!(AlreadyDecided.detail(), "该申请已处理");
    }
}

#[cfg(test)]
mod answers {
    use super::*;
    use ggzy_kernel::Answer;

    #[test]
    fn each_application_refusal_is_told_as_what_it_is() {
        let pending = ApplicationRefusal::PendingApplication { application_id: "ra1".into() };
        assert_eq!(Answer::from(pending), Answer::Conflict("该信用记录已有待审核的修复申请（ra1）".into()));
        let Answer::Invalid(problems) = Answer::from(ApplicationRefusal::UnknownCommitment) else {
            panic!("an unknown commitment is an invalid request")
        };
        assert_eq!(problems.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), vec!["commitment_id"]);
        let Answer::Rule { rule, detail, problems } = Answer::from(ApplicationRefusal::Ineligible(Vec::new())) else {
            panic!("unmet conditions are the rule's refusal")
        };
        assert_eq!((rule, detail.as_str(), problems.len()), (CREDIT_REPAIR, "尚不符合信用修复条件", 0));
    }

    #[test]
    fn an_application_decided_before_is_a_conflict() {
        assert_eq!(Answer::from(AlreadyDecided), Answer::Conflict("该申请已处理".into()));
    }
}
