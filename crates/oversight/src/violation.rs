//! A violation case's requests and the choices that need no stored data (管理办法 §20–27,
//! 细则 §17(七)): a case recorded with its suspected conduct and evidence, the steps of
//! its investigation, and the lead department's decision with its findings. Every problem
//! of a request is named at once (registration.one_time_notice).

use chrono::{DateTime, NaiveDate, Utc};
use ggzy_credit::Severity;
use ggzy_kernel::validation::read;
use ggzy_kernel::FieldError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::conduct::{self, CaseOutcome, CodeProblem, Subject};

/// A document kept as evidence: its name and the SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    pub name: String,
    /// Lower-case hex SHA-256 of the document.
    pub sha256: String,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewViolationCase {
    #[schema(value_type = Option<String>, format = Uuid)]
    pub project_id: Option<String>,
    #[schema(required = true, value_type = Subject)]
    pub subject_kind: Option<String>,
    /// The participant, expert, person or department the case is about.
    #[schema(required = true, value_type = String)]
    pub subject_id: Option<String>,
    /// Catalogue codes suspected (GET /api/v1/oversight/conduct-codes), such as "24.1".
    #[schema(required = true, value_type = Vec<String>)]
    pub suspected_codes: Option<Vec<String>>,
    #[schema(required = true, value_type = String)]
    pub description: Option<String>,
    /// At least one document.
    #[schema(required = true, value_type = Vec<Evidence>)]
    pub evidence: Option<Vec<Evidence>>,
    /// The report (举报) this case comes from, if any.
    pub report_tracking_code: Option<String>,
}

/// A case to record, read, or raised by the platform itself (a confirmed risk alert);
/// whether its project and subject exist is the caller's to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseValues {
    pub project_id: Option<String>,
    pub subject: Subject,
    pub subject_id: String,
    /// At least one, each in the catalogue and valid for the subject.
    pub codes: Vec<String>,
    pub description: String,
    /// At least one document.
    pub evidence: Vec<Evidence>,
}

/// Reads a case: the subject, the suspected conduct from the catalogue, a description and
/// at least one document of evidence; a case on anyone but a bidder or a department names
/// its project (a bidder's conduct may span projects). With the case, the tracking code of
/// the report it comes from, if named.
pub fn read_case(request: NewViolationCase) -> Result<(CaseValues, Option<String>), Vec<FieldError>> {
    let mut problems = Vec::new();
    let project_id = request.project_id.and_then(|p| read::uuid(&mut problems, "project_id", p));
    let subject = read::required(&mut problems, "subject_kind", request.subject_kind)
        .and_then(|s| read::closed::<Subject>(&mut problems, "subject_kind", &s));
    let subject_id = read::required_text(&mut problems, "subject_id", request.subject_id, 64);
    let codes = read::required(&mut problems, "suspected_codes", request.suspected_codes).unwrap_or_default();
    if codes.is_empty() {
        problems.push(FieldError::new("suspected_codes", "empty", "须至少指明一项涉嫌的禁止性行为"));
    }
    check_codes(&mut problems, "suspected_codes", &codes, subject);
    let description = read::required_text(&mut problems, "description", request.description, 5000);
    let evidence = read::required(&mut problems, "evidence", request.evidence).unwrap_or_default();
    if evidence.is_empty() {
        problems.push(FieldError::new("evidence", "empty", "须附至少一份证据（细则第十七条第七项）"));
    }
    check_evidence(&mut problems, "evidence", &evidence);
    if subject.is_some_and(|s| !s.is_department() && s != Subject::Bidder) && project_id.is_none() {
        problems.push(FieldError::new("project_id", "required", "须指明涉及的项目"));
    }
    match (subject, subject_id, description) {
        (Some(subject), Some(subject_id), Some(description)) if problems.is_empty() => Ok((
            CaseValues { project_id, subject, subject_id, codes, description, evidence },
            request.report_tracking_code,
        )),
        _ => Err(problems),
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenInvestigation {
    #[schema(required = true, value_type = String)]
    pub note: Option<String>,
    /// Other departments investigating with the lead (联合查处).
    pub joint_departments: Option<Vec<String>>,
}

/// Reads the opening of an investigation: its note and the joint departments named.
pub fn read_opening(request: OpenInvestigation) -> Result<(String, Vec<String>), Vec<FieldError>> {
    let mut problems = Vec::new();
    let note = read::required_text(&mut problems, "note", request.note, 2000);
    match note {
        Some(note) => Ok((note, request.joint_departments.unwrap_or_default())),
        None => Err(problems),
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvestigationStepInput {
    #[schema(required = true, value_type = String)]
    pub note: Option<String>,
    pub evidence: Option<Vec<Evidence>>,
}

/// Reads an investigation step: its note and any new evidence.
pub fn read_step(request: InvestigationStepInput) -> Result<(String, Vec<Evidence>), Vec<FieldError>> {
    let mut problems = Vec::new();
    let note = read::required_text(&mut problems, "note", request.note, 2000);
    let evidence = request.evidence.unwrap_or_default();
    check_evidence(&mut problems, "evidence", &evidence);
    match note {
        Some(note) if problems.is_empty() => Ok((note, evidence)),
        _ => Err(problems),
    }
}

/// A step of an investigation, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct InvestigationStep {
    pub at: DateTime<Utc>,
    /// The department that recorded it.
    pub by: String,
    pub note: String,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecideViolation {
    #[schema(required = true, value_type = CaseOutcome)]
    pub outcome: Option<String>,
    /// Catalogue codes found; required when confirmed, each valid for the subject.
    pub findings: Option<Vec<String>>,
    /// The decision document's number.
    #[schema(required = true, value_type = String)]
    pub decision: Option<String>,
    pub penalty: Option<String>,
    /// minor, general or serious: required when a market participant is found in breach.
    #[schema(value_type = Option<Severity>)]
    pub severity: Option<String>,
    /// An expert found in breach is kept out of draws until this date.
    pub expert_restricted_until: Option<NaiveDate>,
}

/// A decision, read; [`check_decision`] checks it against the case's subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionValues {
    pub outcome: CaseOutcome,
    /// Some when confirmed, none when dismissed.
    pub findings: Vec<String>,
    pub decision: String,
    pub penalty: Option<String>,
    pub severity: Option<Severity>,
    pub expert_restricted_until: Option<NaiveDate>,
}

impl DecisionValues {
    /// The decision as the case keeps it, with the credit record it wrote, if any, and the
    /// department that decided.
    pub fn into_decision(self, credit_record_id: Option<String>, decided_by: String) -> CaseDecision {
        let DecisionValues { outcome, findings, decision, penalty, severity, expert_restricted_until } = self;
        CaseDecision {
            outcome,
            findings,
            decision,
            penalty,
            severity,
            credit_record_id,
            expert_restricted_until,
            decided_by,
        }
    }
}

/// Reads the lead department's decision: a confirmation lists its findings, a dismissal
/// lists none.
pub fn read_decision(request: DecideViolation) -> Result<DecisionValues, Vec<FieldError>> {
    let mut problems = Vec::new();
    let outcome = read::required(&mut problems, "outcome", request.outcome)
        .and_then(|o| read::closed::<CaseOutcome>(&mut problems, "outcome", &o));
    let decision = read::required_text(&mut problems, "decision", request.decision, 200);
    let penalty = request.penalty.and_then(|p| read::text(&mut problems, "penalty", p, 2000));
    let severity = request.severity.as_deref().and_then(|s| {
        let parsed = Severity::parse(s);
        if parsed.is_none() {
            problems.push(FieldError::new("severity", "unknown_value", "可选：minor、general、serious"));
        }
        parsed
    });
    let findings = request.findings.unwrap_or_default();
    if outcome == Some(CaseOutcome::Confirmed) && findings.is_empty() {
        problems.push(FieldError::new("findings", "required", "认定违规须列明所违反的禁止性行为条目"));
    }
    if outcome == Some(CaseOutcome::Dismissed) && !findings.is_empty() {
        problems.push(FieldError::new("findings", "not_allowed", "不予认定的案件不列违规条目"));
    }
    match (outcome, decision) {
        (Some(outcome), Some(decision)) if problems.is_empty() => Ok(DecisionValues {
            outcome,
            findings,
            decision,
            penalty,
            severity,
            expert_restricted_until: request.expert_restricted_until,
        }),
        _ => Err(problems),
    }
}

/// What a decision does beyond the case: a credit record of this severity for a market
/// participant found in breach, a restriction for an expert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Consequences {
    pub credit_record: Option<Severity>,
    pub expert_restricted_until: Option<NaiveDate>,
}

/// Checks a decision against the case's subject on `today`: each finding applies to the
/// subject, a participant found in breach has a severity, only an expert found in breach is
/// restricted, and only into the future.
pub fn check_decision(
    decision: &DecisionValues,
    subject: Subject,
    today: NaiveDate,
) -> Result<Consequences, Vec<FieldError>> {
    let mut problems = Vec::new();
    check_codes(&mut problems, "findings", &decision.findings, Some(subject));
    let confirmed = decision.outcome == CaseOutcome::Confirmed;
    if confirmed && subject.is_market_participant() && decision.severity.is_none() {
        problems.push(FieldError::new("severity", "required", "认定市场主体违规须注明严重程度"));
    }
    if decision.expert_restricted_until.is_some() && !(confirmed && subject == Subject::Expert) {
        problems.push(FieldError::new("expert_restricted_until", "not_allowed", "仅认定专家违规时可限制其参加抽取"));
    }
    if decision.expert_restricted_until.is_some_and(|until| until <= today) {
        problems.push(FieldError::new("expert_restricted_until", "in_the_past", "限制期须晚于今天"));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Consequences {
        credit_record: decision.severity.filter(|_| confirmed && subject.is_market_participant()),
        expert_restricted_until: decision.expert_restricted_until.filter(|_| confirmed),
    })
}

/// The decision on a case, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CaseDecision {
    pub outcome: CaseOutcome,
    pub findings: Vec<String>,
    pub decision: String,
    pub penalty: Option<String>,
    pub severity: Option<Severity>,
    pub credit_record_id: Option<String>,
    pub expert_restricted_until: Option<NaiveDate>,
    pub decided_by: String,
}

fn check_evidence(problems: &mut Vec<FieldError>, field: &str, evidence: &[Evidence]) {
    for (index, item) in evidence.iter().enumerate() {
        if item.name.trim().is_empty() || item.name.chars().count() > 200 {
            problems.push(FieldError::new(format!("{field}[{index}].name"), "blank", "须写明证据名称（200 字以内）"));
        }
        if !read::is_sha256(&item.sha256) {
            problems.push(FieldError::new(
                format!("{field}[{index}].sha256"),
                "invalid_digest",
                "须为 64 位小写十六进制 SHA-256",
            ));
        }
    }
}

/// Checks catalogue codes against the subject, naming each bad one.
fn check_codes(problems: &mut Vec<FieldError>, field: &str, codes: &[String], subject: Option<Subject>) {
    for (index, code) in codes.iter().enumerate() {
        match (conduct::conduct(code), subject) {
            (None, _) => problems.push(FieldError::new(
                format!("{field}[{index}]"),
                "unknown_code",
                "不在管理办法第二十条至第二十七条的禁止性行为目录中",
            )),
            (Some(_), Some(subject)) => {
                if conduct::check_code(code, subject) == Err(CodeProblem::WrongSubject) {
                    problems.push(FieldError::new(
                        format!("{field}[{index}]"),
                        "wrong_subject",
                        format!("该条目不适用于 {}", subject.as_str()),
                    ));
                }
            }
            (Some(_), None) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(errors: Vec<FieldError>) -> Vec<(String, String)> {
        errors.into_iter().map(|e| (e.field, e.code)).collect()
    }

    fn pair(field: &str, code: &str) -> (String, String) {
        (field.to_owned(), code.to_owned())
    }

    fn evidence() -> Evidence {
        Evidence { name: "现场记录".into(), sha256: "ab".repeat(32) }
    }

    fn case(subject: &str, codes: &[&str]) -> NewViolationCase {
        NewViolationCase {
            project_id: None,
            subject_kind: Some(subject.into()),
            subject_id: Some("s1".into()),
            suspected_codes: Some(codes.iter().map(|c| (*c).to_owned()).collect()),
            description: Some("开标现场递交纸质文件".into()),
            evidence: Some(vec![evidence()]),
            report_tracking_code: None,
        }
    }

    #[test]
    fn a_case_names_every_problem_at_once() {
        let request = NewViolationCase {
            project_id: Some("P".into()),
            subject_kind: Some("bidder".into()),
            subject_id: None,
            suspected_codes: Some(vec!["99.9".into(), "22.1".into()]),
            description: Some(" ".into()),
            evidence: Some(vec![Evidence { name: " ".into(), sha256: "AB".into() }]),
            report_tracking_code: None,
        };
        assert_eq!(
            codes(read_case(request).unwrap_err()),
            [
                pair("project_id", "invalid_id"),
                pair("subject_id", "required"),
                pair("suspected_codes[0]", "unknown_code"),
                pair("suspected_codes[1]", "wrong_subject"),
                pair("description", "blank"),
                pair("evidence[0].name", "blank"),
                pair("evidence[0].sha256", "invalid_digest"),
            ]
        );
        let empty = NewViolationCase { suspected_codes: Some(vec![]), evidence: Some(vec![]), ..case("bidder", &[]) };
        assert_eq!(codes(read_case(empty).unwrap_err()), [pair("suspected_codes", "empty"), pair("evidence", "empty")]);
        let unknown = case("judge", &["24.1"]);
        assert_eq!(codes(read_case(unknown).unwrap_err()), [pair("subject_kind", "unknown_value")]);
    }

    #[test]
    fn only_a_bidder_or_a_department_may_be_named_without_a_project() {
        assert_eq!(read_case(case("bidder", &["24.1"])).unwrap().0.subject, Subject::Bidder);
        assert!(read_case(case("centre", &["22.1"])).is_ok());
        assert_eq!(codes(read_case(case("expert", &["26.1"])).unwrap_err()), [pair("project_id", "required")]);
        let with_project = NewViolationCase {
            project_id: Some("01890a5d-ac96-774b-bcce-b302099a8057".into()),
            ..case("expert", &["26.1"])
        };
        assert_eq!(read_case(with_project).unwrap().0.codes, ["26.1"]);
    }

    fn decision(outcome: &str, findings: &[&str]) -> DecideViolation {
        DecideViolation {
            outcome: Some(outcome.into()),
            findings: Some(findings.iter().map(|c| (*c).to_owned()).collect()),
            decision: Some("京密公管决〔2026〕1号".into()),
            ..DecideViolation::default()
        }
    }

    #[test]
    fn a_confirmation_lists_findings_and_a_dismissal_none() {
        assert_eq!(codes(read_decision(decision("confirmed", &[])).unwrap_err()), [pair("findings", "required")]);
        assert_eq!(
            codes(read_decision(decision("dismissed", &["24.1"])).unwrap_err()),
            [pair("findings", "not_allowed")]
        );
        let bad = DecideViolation { severity: Some("grave".into()), decision: None, ..decision("upheld", &[]) };
        assert_eq!(
            codes(read_decision(bad).unwrap_err()),
            [pair("outcome", "unknown_value"), pair("decision", "required"), pair("severity", "unknown_value")]
        );
        let dismissed = read_decision(decision("dismissed", &[])).unwrap();
        assert_eq!(dismissed.outcome, CaseOutcome::Dismissed);
    }

    #[test]
    fn a_decision_fits_its_subject_and_says_what_follows() {
        let today = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        let later = today.succ_opt().unwrap();
        // A bidder found in breach: a severity, and a credit record of it.
        let confirmed = read_decision(decision("confirmed", &["24.1"])).unwrap();
        assert_eq!(
            codes(check_decision(&confirmed, Subject::Bidder, today).unwrap_err()),
            [pair("severity", "required")]
        );
        let serious = DecisionValues { severity: Some(Severity::Serious), ..confirmed.clone() };
        assert_eq!(
            check_decision(&serious, Subject::Bidder, today).unwrap(),
            Consequences { credit_record: Some(Severity::Serious), expert_restricted_until: None }
        );
        // The finding must apply to the subject.
        assert_eq!(
            codes(check_decision(&serious, Subject::Expert, today).unwrap_err()),
            [pair("findings[0]", "wrong_subject")]
        );
        // An expert found in breach may be restricted, into the future only; nobody else.
        let expert =
            DecisionValues { findings: vec!["26.1".into()], expert_restricted_until: Some(later), ..confirmed.clone() };
        assert_eq!(
            check_decision(&expert, Subject::Expert, today).unwrap(),
            Consequences { credit_record: None, expert_restricted_until: Some(later) }
        );
        let today_only = DecisionValues { expert_restricted_until: Some(today), ..expert.clone() };
        assert_eq!(
            codes(check_decision(&today_only, Subject::Expert, today).unwrap_err()),
            [pair("expert_restricted_until", "in_the_past")]
        );
        let restricted_bidder = DecisionValues { expert_restricted_until: Some(later), ..serious };
        assert_eq!(
            codes(check_decision(&restricted_bidder, Subject::Bidder, today).unwrap_err()),
            [pair("expert_restricted_until", "not_allowed")]
        );
        // A dismissal has no consequences, whatever severity was given.
        let dismissed =
            DecisionValues { severity: Some(Severity::Minor), ..read_decision(decision("dismissed", &[])).unwrap() };
        assert_eq!(
            check_decision(&dismissed, Subject::Bidder, today).unwrap(),
            Consequences { credit_record: None, expert_restricted_until: None }
        );
    }

    #[test]
    fn a_decision_is_kept_with_its_record_and_its_department() {
        let until = NaiveDate::from_ymd_opt(2027, 6, 30).unwrap();
        let values = DecisionValues {
            outcome: CaseOutcome::Confirmed,
            findings: vec!["B01".into()],
            decision: "京密决〔2026〕1号".into(),
            penalty: Some("罚款".into()),
            severity: Some(Severity::Serious),
            expert_restricted_until: Some(until),
        };
        let kept = values.into_decision(Some("rec1".into()), "住建委".into());
        assert_eq!(
            kept,
            CaseDecision {
                outcome: CaseOutcome::Confirmed,
                findings: vec!["B01".into()],
                decision: "京密决〔2026〕1号".into(),
                penalty: Some("罚款".into()),
                severity: Some(Severity::Serious),
                credit_record_id: Some("rec1".into()),
                expert_restricted_until: Some(until),
                decided_by: "住建委".into(),
            }
        );
        let dismissed = DecisionValues {
            outcome: CaseOutcome::Dismissed,
            findings: Vec::new(),
            decision: "不予认定".into(),
            penalty: None,
            severity: None,
            expert_restricted_until: None,
        }
        .into_decision(None, "公管办".into());
        assert_eq!(
            (dismissed.outcome, dismissed.credit_record_id, dismissed.decided_by.as_str()),
            (CaseOutcome::Dismissed, None, "公管办")
        );
    }
}
