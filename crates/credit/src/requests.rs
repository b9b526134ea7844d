//! The requests that write credit — a regulator's record, the centre's conduct report and
//! its decision, a restriction, a repair application and its decision, the court list —
//! and their reading into typed values, every problem of a request named at once
//! (registration.one_time_notice), and the purpose a reader of credit states. What needs
//! stored data (does the participant exist, is
//! the commitment its own) is the caller's to check after reading.

use chrono::NaiveDate;
use ggzy_kernel::validation::read;
use ggzy_kernel::FieldError;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::policy::CreditPolicy;
use crate::record::{RecordKind, Severity};
use crate::restriction::RestrictionKind;
use crate::{ConductReportStatus, RepairStatus};

/// A credit record as written by a regulator.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCreditRecord {
    #[schema(required = true, value_type = String, format = Uuid)]
    pub participant_id: Option<String>,
    #[schema(required = true, value_type = RecordKind)]
    pub kind: Option<String>,
    /// Bad records only: minor, general or serious.
    #[schema(value_type = Option<Severity>)]
    pub severity: Option<String>,
    /// Document number of the decision or case number.
    #[schema(required = true, value_type = String, example = "京密住建罚字〔2026〕12号")]
    pub decision: Option<String>,
    #[schema(required = true, value_type = String, format = Date)]
    pub decided_on: Option<NaiveDate>,
    /// Months of publication (bad records; default per credit.record.publicity, within the
    /// severity's range of credit.severity.periods).
    #[serde(default, deserialize_with = "ggzy_kernel::validation::whole_number")]
    #[schema(minimum = 1, maximum = 120)]
    pub publication_months: Option<u32>,
}

/// A regulator's record, read: everything but its source, which is the writer's department.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordValues {
    pub participant_id: String,
    pub kind: RecordKind,
    pub severity: Option<Severity>,
    pub decision: String,
    pub decided_on: NaiveDate,
    /// Months of publication after the policy's default and range; `None` = not published.
    pub publication_months: Option<u32>,
}

/// Reads a regulator's record against the credit policy in force `today`: a decision in the
/// future, a bad record without a severity and a period outside its severity's range are
/// refused with the rest.
pub fn read_new_record(
    request: NewCreditRecord,
    today: NaiveDate,
    policy: &CreditPolicy,
) -> Result<RecordValues, Vec<FieldError>> {
    let mut problems = Vec::new();
    let participant_id = participant(&mut problems, request.participant_id);
    let kind = named(&mut problems, "kind", request.kind, RecordKind::parse, &RecordKind::ALL.map(RecordKind::as_str));
    let severity = request.severity.and_then(|text| severity(&mut problems, Some(text)));
    let decision = read::required_text(&mut problems, "decision", request.decision, 100);
    let decided_on = read::required(&mut problems, "decided_on", request.decided_on);
    if decided_on.is_some_and(|d| d > today) {
        problems.push(FieldError::new("decided_on", "in_future", "决定日期不能晚于今天"));
    }
    let publication_months = kind.and_then(|kind| {
        policy
            .publication_months(kind, severity, request.publication_months, None)
            .map_err(|error| problems.push(error))
            .ok()
            .flatten()
    });
    match (participant_id, kind, decision, decided_on) {
        (Some(participant_id), Some(kind), Some(decision), Some(decided_on)) if problems.is_empty() => {
            Ok(RecordValues { participant_id, kind, severity, decision, decided_on, publication_months })
        }
        _ => Err(problems),
    }
}

/// The centre's report of bad trading conduct seen while serving (细则 §17(七)); a regulator
/// decides whether it becomes a record (centre.no_regulatory_power).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewConductReport {
    #[schema(required = true, value_type = String, format = Uuid)]
    pub participant_id: Option<String>,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub project_id: Option<String>,
    #[schema(required = true, value_type = String)]
    pub description: Option<String>,
}

/// A conduct report, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConductReportValues {
    pub participant_id: String,
    pub project_id: Option<String>,
    pub description: String,
}

/// Reads the centre's conduct report.
pub fn read_conduct_report(request: NewConductReport) -> Result<ConductReportValues, Vec<FieldError>> {
    let mut problems = Vec::new();
    let participant_id = participant(&mut problems, request.participant_id);
    let project_id = request.project_id.and_then(|p| read::uuid(&mut problems, "project_id", p));
    let description = read::required_text(&mut problems, "description", request.description, 2000);
    match (participant_id, description) {
        (Some(participant_id), Some(description)) if problems.is_empty() => {
            Ok(ConductReportValues { participant_id, project_id, description })
        }
        _ => Err(problems),
    }
}

/// A regulator's decision on a conduct report.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConductDecision {
    /// True: record it as bad trading conduct; false: dismiss.
    #[schema(required = true, value_type = bool)]
    pub accept: Option<bool>,
    #[schema(value_type = Option<Severity>)]
    pub severity: Option<String>,
    pub decision: Option<String>,
    #[serde(default, deserialize_with = "ggzy_kernel::validation::whole_number")]
    #[schema(minimum = 1, maximum = 120)]
    pub publication_months: Option<u32>,
}

/// What a regulator decided on a conduct report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConductOutcome {
    /// Recorded as bad trading conduct, decided today, published for this many months.
    Accepted {
        severity: Severity,
        decision: String,
        publication_months: Option<u32>,
    },
    Dismissed,
}

impl ConductOutcome {
    /// The report's status once decided so.
    pub fn status(&self) -> ConductReportStatus {
        match self {
            ConductOutcome::Accepted { .. } => ConductReportStatus::Accepted,
            ConductOutcome::Dismissed => ConductReportStatus::Dismissed,
        }
    }
}

/// Reads a decision on a conduct report: one that accepts names the severity and the
/// decision's number, and its period is checked against the policy; a dismissal needs
/// nothing more.
pub fn read_conduct_decision(
    request: ConductDecision,
    policy: &CreditPolicy,
) -> Result<ConductOutcome, Vec<FieldError>> {
    let mut problems = Vec::new();
    let accept = read::required(&mut problems, "accept", request.accept);
    let outcome = match accept {
        Some(true) => {
            let severity = severity(&mut problems, request.severity);
            let decision = read::required_text(&mut problems, "decision", request.decision, 100);
            let publication_months = severity.and_then(|severity| {
                policy
                    .publication_months(RecordKind::BadTradingConduct, Some(severity), request.publication_months, None)
                    .map_err(|error| problems.push(error))
                    .ok()
                    .flatten()
            });
            severity.zip(decision).map(|(severity, decision)| ConductOutcome::Accepted {
                severity,
                decision,
                publication_months,
            })
        }
        Some(false) => Some(ConductOutcome::Dismissed),
        None => None,
    };
    match outcome {
        Some(outcome) if problems.is_empty() => Ok(outcome),
        _ => Err(problems),
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRestriction {
    #[schema(required = true, value_type = String, format = Uuid)]
    pub participant_id: Option<String>,
    #[schema(required = true, value_type = RestrictionKind)]
    pub kind: Option<String>,
    #[schema(required = true, value_type = String, format = Date)]
    pub starts_on: Option<NaiveDate>,
    /// Last day in force (inclusive).
    #[schema(required = true, value_type = String, format = Date)]
    pub ends_on: Option<NaiveDate>,
    #[schema(required = true, value_type = String)]
    pub decision: Option<String>,
}

/// A restriction, read; its period and rule are checked once it is whole
/// ([`Restriction::validate_new`](crate::Restriction::validate_new)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestrictionValues {
    pub participant_id: String,
    pub kind: RestrictionKind,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub decision: String,
}

/// Reads a restriction a regulator imposes.
pub fn read_restriction(request: NewRestriction) -> Result<RestrictionValues, Vec<FieldError>> {
    let mut problems = Vec::new();
    let participant_id = participant(&mut problems, request.participant_id);
    let kind = named(
        &mut problems,
        "kind",
        request.kind,
        RestrictionKind::parse,
        &RestrictionKind::ALL.map(RestrictionKind::as_str),
    );
    let starts_on = read::required(&mut problems, "starts_on", request.starts_on);
    let ends_on = read::required(&mut problems, "ends_on", request.ends_on);
    let decision = read::required_text(&mut problems, "decision", request.decision, 100);
    match (participant_id, kind, starts_on, ends_on, decision) {
        (Some(participant_id), Some(kind), Some(starts_on), Some(ends_on), Some(decision)) if problems.is_empty() => {
            Ok(RestrictionValues { participant_id, kind, starts_on, ends_on, decision })
        }
        _ => Err(problems),
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRepairApplication {
    /// sha256 of the proof that the decision's obligations are fulfilled.
    #[schema(required = true, value_type = String)]
    pub obligations_proof_sha256: Option<String>,
    /// The new commitment signed after the decision.
    #[schema(required = true, value_type = String)]
    pub commitment_id: Option<String>,
}

/// A repair application, read: the proof's digest and the commitment it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepairApplicationValues {
    pub obligations_proof_sha256: String,
    pub commitment_id: String,
}

/// Reads a repair application.
pub fn read_repair_application(request: NewRepairApplication) -> Result<RepairApplicationValues, Vec<FieldError>> {
    let mut problems = Vec::new();
    let proof = read::sha256(&mut problems, "obligations_proof_sha256", request.obligations_proof_sha256);
    let commitment_id = read::required(&mut problems, "commitment_id", request.commitment_id);
    match (proof, commitment_id) {
        (Some(obligations_proof_sha256), Some(commitment_id)) if problems.is_empty() => {
            Ok(RepairApplicationValues { obligations_proof_sha256, commitment_id })
        }
        _ => Err(problems),
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RepairDecision {
    #[schema(required = true, value_type = bool)]
    pub approve: Option<bool>,
    pub reason: Option<String>,
}

/// A regulator's decision on a repair application, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepairVerdict {
    /// Approved or rejected.
    pub status: RepairStatus,
    /// Required for a rejection (不予修复须说明理由).
    pub reason: Option<String>,
}

/// Reads a decision on a repair application: a rejection states its reason.
pub fn read_repair_decision(request: RepairDecision) -> Result<RepairVerdict, Vec<FieldError>> {
    let mut problems = Vec::new();
    let approve = read::required(&mut problems, "approve", request.approve);
    let reason = request.reason.and_then(|r| read::text(&mut problems, "reason", r, 500));
    if approve == Some(false) && reason.is_none() {
        problems.push(FieldError::new("reason", "required", "不予修复须说明理由"));
    }
    match approve {
        Some(approve) if problems.is_empty() => {
            Ok(RepairVerdict { status: if approve { RepairStatus::Approved } else { RepairStatus::Rejected }, reason })
        }
        _ => Err(problems),
    }
}

/// The header the court-enforcement list (失信被执行人) is imported with.
pub const COURT_LIST_HEADER: &str = "credit_code,case_number,court,decided_on";

/// One well-formed line of the court-enforcement list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourtEntry {
    /// The line's number in the file, counting from 1.
    pub line: usize,
    pub credit_code: String,
    pub case_number: String,
    pub court: String,
    pub decided_on: NaiveDate,
}

impl CourtEntry {
    /// The key that makes a re-import of the same case change nothing.
    pub fn external_key(&self) -> String {
        format!("court:{}:{}", self.credit_code, self.case_number)
    }
}

/// Reads the court-enforcement list: a wrong header refuses the whole file; otherwise each
/// non-blank line is an entry or the problem of its line (`line N`), in file order.
pub fn read_court_list(csv: &str) -> Result<Vec<Result<CourtEntry, FieldError>>, FieldError> {
    let mut lines = csv.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let header = lines.next().map(|(_, l)| l.trim().trim_start_matches('\u{feff}'));
    if header != Some(COURT_LIST_HEADER) {
        return Err(FieldError::new("line 1", "bad_header", format!("首行须为 {COURT_LIST_HEADER}")));
    }
    Ok(lines.map(|(index, text)| court_entry(index + 1, text)).collect())
}

fn court_entry(line: usize, text: &str) -> Result<CourtEntry, FieldError> {
    let field = format!("line {line}");
    let fields: Vec<&str> = text.split(',').map(str::trim).collect();
    let [credit_code, case_number, court, date] = fields.as_slice() else {
        return Err(FieldError::new(field, "wrong_field_count", "每行须有 4 个字段"));
    };
    let Ok(decided_on) = NaiveDate::parse_from_str(date, "%Y-%m-%d") else {
        return Err(FieldError::new(field, "bad_date", format!("日期“{date}”须为 YYYY-MM-DD")));
    };
    if case_number.is_empty() || court.is_empty() {
        return Err(FieldError::new(field, "blank", "案号和法院不能为空"));
    }
    Ok(CourtEntry {
        line,
        credit_code: (*credit_code).to_owned(),
        case_number: (*case_number).to_owned(),
        court: (*court).to_owned(),
        decided_on,
    })
}

/// The purpose an expert states for reading a participant's credit, logged with the read:
/// trimmed, `评标` when none is stated, at most 200 characters.
pub fn read_expert_purpose(purpose: Option<String>) -> Result<String, FieldError> {
    let purpose = purpose.map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()).unwrap_or_else(|| "评标".into());
    if purpose.chars().count() > 200 {
        return Err(FieldError::new("purpose", "too_long", "不超过 200 个字符"));
    }
    Ok(purpose)
}

/// The purpose a reader of unpublished records states, logged with the read: trimmed,
/// `未说明` when none is stated.
pub fn read_stated_purpose(purpose: Option<String>) -> String {
    purpose.map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()).unwrap_or_else(|| "未说明".into())
}

fn participant(problems: &mut Vec<FieldError>, value: Option<String>) -> Option<String> {
    read::required(problems, "participant_id", value).and_then(|p| read::uuid(problems, "participant_id", p))
}

fn severity(problems: &mut Vec<FieldError>, text: Option<String>) -> Option<Severity> {
    let text = read::required(problems, "severity", text)?;
    read::closed(problems, "severity", &text)
}

/// A required value named by its key; otherwise an `unknown_value` problem listing the keys.
fn named<T>(
    problems: &mut Vec<FieldError>,
    field: &str,
    text: Option<String>,
    parse: fn(&str) -> Option<T>,
    allowed: &[&str],
) -> Option<T> {
    let text = read::required(problems, field, text)?;
    let parsed = parse(&text);
    if parsed.is_none() {
        problems.push(FieldError::new(field, "unknown_value", format!("“{text}”无效，可选：{}", allowed.join("、"))));
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    const PARTICIPANT: &str = "01890a5d-ac96-774b-bcce-b302099a8057";

    fn codes(errors: &[FieldError]) -> Vec<(&str, &str)> {
        errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect()
    }

    #[test]
    fn a_record_is_read_with_the_policy_s_period() {
        let policy = CreditPolicy::seed();
        let request = NewCreditRecord {
            participant_id: Some(PARTICIPANT.into()),
            kind: Some("administrative_penalty".into()),
            severity: Some("serious".into()),
            decision: Some("  京密住建罚字〔2026〕12号 ".into()),
            decided_on: Some(date(2026, 9, 1)),
            publication_months: None,
        };
        let values = read_new_record(request.clone(), date(2026, 9, 1), &policy).unwrap();
        assert_eq!(values.kind, RecordKind::AdministrativePenalty);
        assert_eq!(values.severity, Some(Severity::Serious));
        assert_eq!(values.decision, "京密住建罚字〔2026〕12号");
        let expected =
            policy.publication_months(RecordKind::AdministrativePenalty, Some(Severity::Serious), None, None).unwrap();
        assert!(expected.is_some());
        assert_eq!(values.publication_months, expected);
        // A good record has no severity and is read without one.
        let good = NewCreditRecord { kind: Some("performance".into()), severity: None, ..request };
        assert_eq!(read_new_record(good, date(2026, 9, 1), &policy).unwrap().severity, None);
    }

    #[test]
    fn every_problem_of_a_record_is_named_at_once() {
        let policy = CreditPolicy::seed();
        let request = NewCreditRecord {
            participant_id: Some("not-a-uuid".into()),
            kind: Some("penalty".into()),
            severity: Some("grave".into()),
            decision: Some("   ".into()),
            decided_on: Some(date(2026, 9, 2)),
            publication_months: None,
        };
        let errors = read_new_record(request, date(2026, 9, 1), &policy).unwrap_err();
        assert_eq!(
            codes(&errors),
            [
                ("participant_id", "invalid_id"),
                ("kind", "unknown_value"),
                ("severity", "unknown_value"),
                ("decision", "blank"),
                ("decided_on", "in_future"),
            ]
        );
        assert!(errors[1].message.contains("performance、innovation_award"), "{}", errors[1].message);
        assert!(errors[2].message.ends_with("minor、general、serious"), "{}", errors[2].message);
        // A bad record without a severity, and a period outside the severity's range.
        let bad = NewCreditRecord {
            participant_id: Some(PARTICIPANT.into()),
            kind: Some("violation_finding".into()),
            decision: Some("京密〔2026〕1号".into()),
            decided_on: Some(date(2026, 9, 1)),
            ..NewCreditRecord::default()
        };
        assert_eq!(
            codes(&read_new_record(bad.clone(), date(2026, 9, 1), &policy).unwrap_err()),
            [("severity", "required")]
        );
        let too_long = NewCreditRecord { severity: Some("general".into()), publication_months: Some(120), ..bad };
        let errors = read_new_record(too_long, date(2026, 9, 1), &policy).unwrap_err();
        assert_eq!(codes(&errors), [("publication_months", "outside_severity_range")]);
        assert_eq!(
            codes(&read_new_record(NewCreditRecord::default(), date(2026, 9, 1), &policy).unwrap_err()),
            [
                ("participant_id", "required"),
                ("kind", "required"),
                ("decision", "required"),
                ("decided_on", "required")
            ]
        );
    }

    #[test]
    fn a_conduct_decision_accepts_with_severity_and_number_or_dismisses() {
        let policy = CreditPolicy::seed();
        let dismissal = ConductDecision { accept: Some(false), severity: Some("grave".into()), ..Default::default() };
        let outcome = read_conduct_decision(dismissal, &policy).unwrap();
        assert_eq!(outcome, ConductOutcome::Dismissed);
        assert_eq!(outcome.status(), ConductReportStatus::Dismissed);

        let acceptance = ConductDecision {
            accept: Some(true),
            severity: Some("general".into()),
            decision: Some("京密公管〔2026〕3号".into()),
            publication_months: Some(6),
        };
        let outcome = read_conduct_decision(acceptance, &policy).unwrap();
        assert_eq!(
            outcome,
            ConductOutcome::Accepted {
                severity: Severity::General,
                decision: "京密公管〔2026〕3号".into(),
                publication_months: Some(6),
            }
        );
        assert_eq!(outcome.status(), ConductReportStatus::Accepted);

        let incomplete = ConductDecision { accept: Some(true), ..Default::default() };
        assert_eq!(
            codes(&read_conduct_decision(incomplete, &policy).unwrap_err()),
            [("severity", "required"), ("decision", "required")]
        );
        assert_eq!(
            codes(&read_conduct_decision(ConductDecision::default(), &policy).unwrap_err()),
            [("accept", "required")]
        );
        let out_of_range = ConductDecision {
            accept: Some(true),
            severity: Some("general".into()),
            decision: Some("京密公管〔2026〕3号".into()),
            publication_months: Some(36),
        };
        assert_eq!(
            codes(&read_conduct_decision(out_of_range, &policy).unwrap_err()),
            [("publication_months", "outside_severity_range")]
        );
    }

    #[test]
    fn a_conduct_report_and_a_restriction_name_every_problem() {
        let report = NewConductReport {
            participant_id: None,
            project_id: Some("x".into()),
            description: Some("a".repeat(2001)),
        };
        assert_eq!(
            codes(&read_conduct_report(report).unwrap_err()),
            [("participant_id", "required"), ("project_id", "invalid_id"), ("description", "too_long")]
        );
        let read = read_conduct_report(NewConductReport {
            participant_id: Some(PARTICIPANT.into()),
            project_id: None,
            description: Some(" 串通投标 ".into()),
        })
        .unwrap();
        assert_eq!(read.description, "串通投标");

        let restriction = NewRestriction { kind: Some("ban".into()), ..Default::default() };
        let errors = read_restriction(restriction).unwrap_err();
        assert_eq!(
            codes(&errors),
            [
                ("participant_id", "required"),
                ("kind", "unknown_value"),
                ("starts_on", "required"),
                ("ends_on", "required"),
                ("decision", "required"),
            ]
        );
        assert!(errors[1]
            .message
            .ends_with("debarment、serious_dishonesty、agency_suspension、entry_disqualification"));
        let read = read_restriction(NewRestriction {
            participant_id: Some(PARTICIPANT.into()),
            kind: Some("debarment".into()),
            starts_on: Some(date(2026, 9, 1)),
            ends_on: Some(date(2027, 8, 31)),
            decision: Some("京密住建〔2026〕9号".into()),
        })
        .unwrap();
        assert_eq!(read.kind, RestrictionKind::Debarment);
    }

    #[test]
    fn a_repair_is_applied_for_with_a_digest_and_rejected_with_a_reason() {
        let errors = read_repair_application(NewRepairApplication {
            obligations_proof_sha256: Some("ABC".into()),
            commitment_id: None,
        })
        .unwrap_err();
        assert_eq!(codes(&errors), [("obligations_proof_sha256", "invalid_sha256"), ("commitment_id", "required")]);
        let digest = "a".repeat(64);
        let read = read_repair_application(NewRepairApplication {
            obligations_proof_sha256: Some(digest.clone()),
            commitment_id: Some("c1".into()),
        })
        .unwrap();
        assert_eq!(read, RepairApplicationValues { obligations_proof_sha256: digest, commitment_id: "c1".into() });

        let rejection = RepairDecision { approve: Some(false), reason: None };
        assert_eq!(codes(&read_repair_decision(rejection).unwrap_err()), [("reason", "required")]);
        let rejection = RepairDecision { approve: Some(false), reason: Some(" 义务未履行 ".into()) };
        assert_eq!(
            read_repair_decision(rejection).unwrap(),
            RepairVerdict { status: RepairStatus::Rejected, reason: Some("义务未履行".into()) }
        );
        let approval = RepairDecision { approve: Some(true), reason: None };
        assert_eq!(read_repair_decision(approval).unwrap().status, RepairStatus::Approved);
        assert_eq!(codes(&read_repair_decision(RepairDecision::default()).unwrap_err()), [("approve", "required")]);
    }

    #[test]
    fn a_stated_purpose_is_trimmed_defaulted_and_an_expert_s_bounded() {
        assert_eq!(read_expert_purpose(None), Ok("评标".to_owned()));
        assert_eq!(read_expert_purpose(Some("  ".into())), Ok("评标".to_owned()));
        assert_eq!(read_expert_purpose(Some(" 复核 ".into())), Ok("复核".to_owned()));
        assert_eq!(read_expert_purpose(Some(format!(" {} ", "评".repeat(200)))), Ok("评".repeat(200)));
        let problem = read_expert_purpose(Some("评".repeat(201))).unwrap_err();
        assert_eq!(
            (problem.field.as_str(), problem.code.as_str(), problem.message.as_str()),
            ("purpose", "too_long", "不超过 200 个字符")
        );
        assert_eq!(read_stated_purpose(None), "未说明");
        assert_eq!(read_stated_purpose(Some(" \t".into())), "未说明");
        assert_eq!(read_stated_purpose(Some(" 招标资格审查 ".into())), "招标资格审查");
    }

    #[test]
    fn the_court_list_is_read_line_by_line() {
        let wrong = read_court_list("code,case,court,date\n").unwrap_err();
        assert_eq!((wrong.field.as_str(), wrong.code.as_str()), ("line 1", "bad_header"));
        assert!(read_court_list("").is_err());

        let csv = "\u{feff}credit_code,case_number,court,decided_on\n\
                   91110228MA01ABCDE1, (2026)京0118执1号 ,密云区人民法院,2026-03-01\n\
                   \n\
                   91110228MA01ABCDE1,(2026)京0118执2号\n\
                   91110228MA01ABCDE1,(2026)京0118执3号,密云区人民法院,2026-3-1x\n\
                   91110228MA01ABCDE1,,密云区人民法院,2026-03-01\n";
        let lines = read_court_list(csv).unwrap();
        assert_eq!(lines.len(), 4, "the blank line is skipped");
        let first = lines[0].as_ref().unwrap();
        assert_eq!(first.line, 2);
        assert_eq!(first.case_number, "(2026)京0118执1号");
        assert_eq!(first.decided_on, date(2026, 3, 1));
        assert_eq!(first.external_key(), "court:91110228MA01ABCDE1:(2026)京0118执1号");
        let problems: Vec<(String, String)> =
            lines[1..].iter().map(|l| l.as_ref().unwrap_err()).map(|e| (e.field.clone(), e.code.clone())).collect();
        assert_eq!(
            problems,
            [
                ("line 4".to_owned(), "wrong_field_count".to_owned()),
                ("line 5".to_owned(), "bad_date".to_owned()),
                ("line 6".to_owned(), "blank".to_owned()),
            ]
        );
    }
}
