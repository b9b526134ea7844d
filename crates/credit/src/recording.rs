//! What the commands that write credit record, decided on the request as read
//! ([`requests`](crate::requests)), the facts the caller loaded (is the participant
//! registered, the project known, the report still pending, the case imported before) and
//! the credit policy: a regulator's record, the centre's conduct report and a regulator's
//! decision on it, a restriction, and the lines of the court-enforcement list. The caller
//! gives each new row its id and writes it.

use chrono::NaiveDate;
use ggzy_kernel::FieldError;

use crate::policy::CreditPolicy;
use crate::record::{CreditRecord, RecordKind, Severity};
use crate::requests::{ConductOutcome, ConductReportValues, CourtEntry, RecordValues, RestrictionValues};
use crate::restriction::Restriction;
use crate::ConductReportStatus;

/// Why a record, a report or a restriction is not written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordingRefusal {
    /// The participant the request names is not registered.
    UnknownParticipant,
    /// The project the report names does not exist.
    UnknownProject,
    /// The restriction's own problems ([`Restriction::validate_new`]), every one.
    Invalid(Vec<FieldError>),
}

impl RecordingRefusal {
    /// The problems the writer is told.
    pub fn problems(&self) -> Vec<FieldError> {
        match self {
            RecordingRefusal::UnknownParticipant => {
                vec![FieldError::new("participant_id", "unknown_participant", "市场主体不存在")]
            }
            RecordingRefusal::UnknownProject => vec![FieldError::new("project_id", "unknown_project", "项目不存在")],
            RecordingRefusal::Invalid(problems) => problems.clone(),
        }
    }
}

/// A refused record, report or restriction is an invalid request.
impl From<RecordingRefusal> for ggzy_kernel::Answer {
    fn from(refusal: RecordingRefusal) -> Self {
        ggzy_kernel::Answer::Invalid(refusal.problems())
    }
}

/// A new row's id and the department or court it is written as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Writer {
    pub id: String,
    /// 认定部门 / 法院 of a record, 作出决定的部门 of a restriction.
    pub source: String,
}

/// A regulator's record of a registered participant, as its department's, unrepaired.
pub fn regulator_record(
    values: RecordValues,
    participant_registered: bool,
    writer: Writer,
) -> Result<CreditRecord, RecordingRefusal> {
    if !participant_registered {
        return Err(RecordingRefusal::UnknownParticipant);
    }
    Ok(CreditRecord {
        id: writer.id,
        participant_id: values.participant_id,
        kind: values.kind,
        severity: values.severity,
        source: writer.source,
        decision: values.decision,
        decided_on: values.decided_on,
        publication_months: values.publication_months,
        repaired_on: None,
    })
}

/// The centre's report, taken when its participant is registered and the project it names,
/// if any, exists (the participant is checked first); a new report is pending.
pub fn conduct_report(
    report: ConductReportValues,
    participant_registered: bool,
    project_exists: bool,
) -> Result<ConductReportValues, RecordingRefusal> {
    if !participant_registered {
        return Err(RecordingRefusal::UnknownParticipant);
    }
    if report.project_id.is_some() && !project_exists {
        return Err(RecordingRefusal::UnknownProject);
    }
    Ok(report)
}

/// A conduct report that is no longer pending is not decided again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportAlreadyDecided;

impl ReportAlreadyDecided {
    pub fn detail(self) -> &'static str {
        "该报告已处理"
    }
}

/// A report decided before conflicts with a second decision.
impl From<ReportAlreadyDecided> for ggzy_kernel::Answer {
    fn from(refusal: ReportAlreadyDecided) -> Self {
        ggzy_kernel::Answer::Conflict(refusal.detail().to_owned())
    }
}

/// A decision on a conduct report: its new status, and the bad-trading-conduct record an
/// acceptance writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConductVerdict {
    pub status: ConductReportStatus,
    pub record: Option<CreditRecord>,
}

/// Decides a report on `participant_id` standing at `status` with the regulator's
/// `outcome` on `today`: only a pending report is decided; an acceptance records bad
/// trading conduct decided today, as the regulator's department's (`writer`).
pub fn decide_conduct_report(
    status: ConductReportStatus,
    participant_id: &str,
    outcome: ConductOutcome,
    writer: Writer,
    today: NaiveDate,
) -> Result<ConductVerdict, ReportAlreadyDecided> {
    if status != ConductReportStatus::Pending {
        return Err(ReportAlreadyDecided);
    }
    let decided = outcome.status();
    let record = match outcome {
        ConductOutcome::Accepted { severity, decision, publication_months } => Some(CreditRecord {
            id: writer.id,
            participant_id: participant_id.to_owned(),
            kind: RecordKind::BadTradingConduct,
            severity: Some(severity),
            source: writer.source,
            decision,
            decided_on: today,
            publication_months,
            repaired_on: None,
        }),
        ConductOutcome::Dismissed => None,
    };
    Ok(ConductVerdict { status: decided, record })
}

/// A restriction of a registered participant, decided by the regulator's department and
/// citing its kind's rule, checked whole ([`Restriction::validate_new`]).
pub fn impose_restriction(
    values: RestrictionValues,
    participant_registered: bool,
    writer: Writer,
) -> Result<Restriction, RecordingRefusal> {
    if !participant_registered {
        return Err(RecordingRefusal::UnknownParticipant);
    }
    let restriction = Restriction {
        id: writer.id,
        participant_id: values.participant_id,
        kind: values.kind,
        starts_on: values.starts_on,
        ends_on: values.ends_on,
        decision: values.decision,
        decided_by: writer.source,
        rule_id: values.kind.default_rule_id().to_owned(),
    };
    restriction.validate_new().map_err(RecordingRefusal::Invalid)?;
    Ok(restriction)
}

/// How long a court-enforcement record is published: a serious bad record's default
/// period under `policy`. An error is the policy's, not the list's.
pub fn court_publication_months(policy: &CreditPolicy) -> Result<Option<u32>, FieldError> {
    policy.publication_months(RecordKind::CourtEnforcement, Some(Severity::Serious), None, None)
}

/// What one line of the court-enforcement list does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CourtLine {
    /// A new record.
    Create(CreditRecord),
    /// The case was imported before; nothing changes.
    AlreadyPresent,
    /// The credit code names no registered participant.
    Rejected(FieldError),
}

/// Decides a well-formed line: `participant_id` is the participant registered under the
/// line's credit code, if any (checked first), and `imported_before` whether a record has
/// the line's [`CourtEntry::external_key`]. A new record is the court's, serious, decided on
/// the line's date and published `publication_months` ([`court_publication_months`]).
pub fn court_line(
    entry: CourtEntry,
    participant_id: Option<String>,
    imported_before: bool,
    id: String,
    publication_months: Option<u32>,
) -> CourtLine {
    let Some(participant_id) = participant_id else {
        return CourtLine::Rejected(FieldError::new(
            format!("line {}", entry.line),
            "unknown_participant",
            format!("统一社会信用代码 {} 未在平台登记", entry.credit_code),
        ));
    };
    if imported_before {
        return CourtLine::AlreadyPresent;
    }
    CourtLine::Create(CreditRecord {
        id,
        participant_id,
        kind: RecordKind::CourtEnforcement,
        severity: Some(Severity::Serious),
        source: entry.court,
        decision: entry.case_number,
        decided_on: entry.decided_on,
        publication_months,
        repaired_on: None,
    })
}

/// What an import of the court-enforcement list does: the records to write, each with its
/// external key, how many lines were imported before, and the problem of each line not
/// taken, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourtImport {
    pub created: Vec<(CreditRecord, String)>,
    pub already_present: usize,
    pub rejected: Vec<FieldError>,
}

/// Decides the lines of a court list, read by [`read_court_list`](crate::requests::read_court_list).
/// `found` holds, for each well-formed line in order, what [`court_line`] is given: the
/// participant registered under its credit code and whether its key was imported before.
/// A line whose key an earlier line of the same list creates is already present; `id`
/// gives each well-formed line's record id.
pub fn court_import(
    lines: Vec<Result<CourtEntry, FieldError>>,
    found: Vec<(Option<String>, bool)>,
    mut id: impl FnMut() -> String,
    publication_months: Option<u32>,
) -> CourtImport {
    let mut import = CourtImport { created: Vec::new(), already_present: 0, rejected: Vec::new() };
    let mut found = found.into_iter();
    for line in lines {
        let entry = match line {
            Ok(entry) => entry,
            Err(problem) => {
                import.rejected.push(problem);
                continue;
            }
        };
        let (participant_id, imported_before) = found.next().unwrap_or_default();
        let key = entry.external_key();
        let created_here = import.created.iter().any(|(_, created)| *created == key);
        match court_line(entry, participant_id, imported_before || created_here, id(), publication_months) {
            CourtLine::Rejected(problem) => import.rejected.push(problem),
            CourtLine::AlreadyPresent => import.already_present += 1,
            CourtLine::Create(record) => import.created.push((record, key)),
        }
    }
    import
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::tests::date;
    use crate::restriction::RestrictionKind;

    const PARTICIPANT: &str = "01890a5d-ac96-774b-bcce-b302099a8057";

    fn codes(problems: &[FieldError]) -> Vec<(&str, &str)> {
        problems.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect()
    }

    fn writer() -> Writer {
        Writer { id: "r1".into(), source: "密云区住房和城乡建设委员会".into() }
    }

    fn record_values() -> RecordValues {
        RecordValues {
            participant_id: PARTICIPANT.into(),
            kind: RecordKind::AdministrativePenalty,
            severity: Some(Severity::General),
            decision: "京密住建罚字〔2026〕12号".into(),
            decided_on: date(2026, 9, 1),
            publication_months: Some(6),
        }
    }

    #[test]
    fn a_regulator_s_record_is_its_department_s() {
        let record = regulator_record(record_values(), true, writer()).unwrap();
        assert_eq!(
            record,
            CreditRecord {
                id: "r1".into(),
                participant_id: PARTICIPANT.into(),
                kind: RecordKind::AdministrativePenalty,
                severity: Some(Severity::General),
                source: "密云区住房和城乡建设委员会".into(),
                decision: "京密住建罚字〔2026〕12号".into(),
                decided_on: date(2026, 9, 1),
                publication_months: Some(6),
                repaired_on: None,
            }
        );
        let refusal = regulator_record(record_values(), false, writer()).unwrap_err();
        assert_eq!(refusal, RecordingRefusal::UnknownParticipant);
        assert_eq!(codes(&refusal.problems()), [("participant_id", "unknown_participant")]);
        assert_eq!(refusal.problems()[0].message, "市场主体不存在");
    }

    #[test]
    fn a_conduct_report_needs_a_registered_participant_then_a_known_project() {
        let report = ConductReportValues {
            participant_id: PARTICIPANT.into(),
            project_id: Some("01890a5d-ac96-774b-bcce-b302099a8058".into()),
            description: "串通投标".into(),
        };
        assert_eq!(conduct_report(report.clone(), true, true), Ok(report.clone()));
        assert_eq!(conduct_report(report.clone(), false, false), Err(RecordingRefusal::UnknownParticipant));
        let refusal = conduct_report(report.clone(), true, false).unwrap_err();
        assert_eq!(codes(&refusal.problems()), [("project_id", "unknown_project")]);
        assert_eq!(refusal.problems()[0].message, "项目不存在");
        // No project named: nothing to know.
        let unnamed = ConductReportValues { project_id: None, ..report };
        assert_eq!(conduct_report(unnamed.clone(), true, false), Ok(unnamed));
    }

    #[test]
    fn a_pending_conduct_report_is_accepted_as_a_record_or_dismissed_once() {
        let accepted = ConductOutcome::Accepted {
            severity: Severity::General,
            decision: "京密公管〔2026〕3号".into(),
            publication_months: Some(6),
        };
        let verdict = decide_conduct_report(
            ConductReportStatus::Pending,
            PARTICIPANT,
            accepted.clone(),
            writer(),
            date(2026, 9, 1),
        )
        .unwrap();
        assert_eq!(verdict.status, ConductReportStatus::Accepted);
        assert_eq!(
            verdict.record,
            Some(CreditRecord {
                id: "r1".into(),
                participant_id: PARTICIPANT.into(),
                kind: RecordKind::BadTradingConduct,
                severity: Some(Severity::General),
                source: "密云区住房和城乡建设委员会".into(),
                decision: "京密公管〔2026〕3号".into(),
                decided_on: date(2026, 9, 1),
                publication_months: Some(6),
                repaired_on: None,
            })
        );
        let dismissed = decide_conduct_report(
            ConductReportStatus::Pending,
            PARTICIPANT,
            ConductOutcome::Dismissed,
            writer(),
            date(2026, 9, 1),
        );
        assert_eq!(dismissed, Ok(ConductVerdict { status: ConductReportStatus::Dismissed, record: None }));
        for decided in [ConductReportStatus::Accepted, ConductReportStatus::Dismissed] {
            let again = decide_conduct_report(decided, PARTICIPANT, accepted.clone(), writer(), date(2026, 9, 1));
            assert_eq!(again, Err(ReportAlreadyDecided));
        }
        assert_eq!(ReportAlreadyDecided.detail(), "该报告已处理");
    }

    #[test]
    fn a_restriction_cites_its_kind_s_rule_and_is_checked_whole() {
        let values = RestrictionValues {
            participant_id: PARTICIPANT.into(),
            kind: RestrictionKind::Debarment,
            starts_on: date(2026, 9, 1),
            ends_on: date(2027, 8, 31),
            decision: "京密住建〔2026〕9号".into(),
        };
        let restriction = impose_restriction(values.clone(), true, writer()).unwrap();
        assert_eq!(restriction.rule_id, "construction.debarment");
        assert_eq!(restriction.decided_by, "密云区住房和城乡建设委员会");
        assert_eq!(restriction.id, "r1");

        assert_eq!(
            impose_restriction(values.clone(), false, writer()).unwrap_err(),
            RecordingRefusal::UnknownParticipant
        );
        // Half a year's debarment, by nobody.
        let short = RestrictionValues { ends_on: date(2027, 2, 28), ..values };
        let refusal = impose_restriction(short, true, Writer { id: "r1".into(), source: " ".into() }).unwrap_err();
        assert_eq!(
            codes(&refusal.problems()),
            [("decided_by", "required"), ("ends_on", "debarment_period_out_of_range")]
        );
    }

    fn court_entry(line: usize, case_number: &str) -> CourtEntry {
        CourtEntry {
            line,
            credit_code: "91110228MA01ABCDE1".into(),
            case_number: case_number.into(),
            court: "密云区人民法院".into(),
            decided_on: date(2026, 3, 1),
        }
    }

    #[test]
    fn a_court_import_takes_each_line_once_and_keeps_the_problems_in_file_order() {
        let malformed = FieldError::new("line 3", "bad_date", "日期格式错误");
        let lines = vec![
            Ok(court_entry(2, "执1号")),
            Err(malformed.clone()),
            Ok(court_entry(4, "执2号")),
            Ok(court_entry(5, "执1号")),
            Ok(court_entry(6, "执3号")),
        ];
        let found = vec![
            (Some(PARTICIPANT.to_owned()), false),
            (Some(PARTICIPANT.to_owned()), true),
            (Some(PARTICIPANT.to_owned()), false),
            (None, false),
        ];
        let mut ids = ["r1", "r2", "r3", "r4"].into_iter().map(str::to_owned);
        let import = court_import(lines, found, || ids.next().unwrap_or_default(), Some(12));
        // Line 5 repeats line 2's case: created once, then already present.
        let created: Vec<(&str, &str)> = import.created.iter().map(|(r, key)| (r.id.as_str(), key.as_str())).collect();
        assert_eq!(created, [("r1", "court:91110228MA01ABCDE1:执1号")]);
        assert_eq!(import.already_present, 2);
        let rejected: Vec<(&str, &str)> = import.rejected.iter().map(|p| (p.field.as_str(), p.code.as_str())).collect();
        assert_eq!(rejected, [("line 3", "bad_date"), ("line 6", "unknown_participant")]);
    }

    #[test]
    fn a_court_line_creates_a_serious_record_once_for_a_registered_participant() {
        let policy = CreditPolicy::seed();
        let months = court_publication_months(&policy).unwrap();
        // The default 6 months, raised to a serious record's minimum of 12.
        assert_eq!(months, Some(12));
        let entry = CourtEntry {
            line: 2,
            credit_code: "91110228MA01ABCDE1".into(),
            case_number: "(2026)京0118执1号".into(),
            court: "密云区人民法院".into(),
            decided_on: date(2026, 3, 1),
        };
        let CourtLine::Rejected(problem) = court_line(entry.clone(), None, true, "r1".into(), months) else {
            panic!("an unregistered credit code is rejected first");
        };
        assert_eq!((problem.field.as_str(), problem.code.as_str()), ("line 2", "unknown_participant"));
        assert_eq!(problem.message, "统一社会信用代码 91110228MA01ABCDE1 未在平台登记");
        assert_eq!(
            court_line(entry.clone(), Some(PARTICIPANT.into()), true, "r1".into(), months),
            CourtLine::AlreadyPresent
        );
        assert_eq!(
            court_line(entry, Some(PARTICIPANT.into()), false, "r1".into(), months),
            CourtLine::Create(CreditRecord {
                id: "r1".into(),
                participant_id: PARTICIPANT.into(),
                kind: RecordKind::CourtEnforcement,
                severity: Some(Severity::Serious),
                source: "密云区人民法院".into(),
                decision: "(2026)京0118执1号".into(),
                decided_on: date(2026, 3, 1),
                publication_months: Some(12),
                repaired_on: None,
            })
        );
    }
}

#[cfg(test)]
mod answers {
    use super::*;
    use ggzy_kernel::Answer;

    #[test]
    fn refused_writings_are_invalid_requests_naming_the_field() {
        let cases = [
            (RecordingRefusal::UnknownParticipant, "participant_id"),
            (RecordingRefusal::UnknownProject, "project_id"),
            (RecordingRefusal::Invalid(vec![FieldError::new("ends_on", "x", "y")]), "ends_on"),
        ];
        for (refusal, field) in cases {
            let Answer::Invalid(problems) = Answer::from(refusal) else { panic!("not an invalid request") };
            assert_eq!(problems.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), vec![field]);
        }
    }

    #[test]
    fn a_report_decided_before_is_a_conflict() {
        assert_eq!(Answer::from(ReportAlreadyDecided), Answer::Conflict("该报告已处理".into()));
    }
}
