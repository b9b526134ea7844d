//! What happens to a violation case (管理办法 §20–27, 细则 §17(七)) once its request is
//! read ([`violation`](crate::violation)): which department leads it, whether what it names
//! exists, the opening of its investigation with joint departments (联合查处), its steps,
//! and the lead department's decision with what follows from it — a credit record of a
//! market participant found in breach, an expert's restriction. The caller loads the case,
//! the departments and the policy, and writes what is decided.

use chrono::NaiveDate;
use ggzy_credit::{CreditPolicy, CreditRecord, RecordKind};
use ggzy_kernel::{Answer, FieldError, PageRequest};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::conduct::{CasePart, CaseStatus, Subject};
use crate::violation::{check_decision, DecisionValues};
use crate::DepartmentKind;

/// The department that leads a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lead {
    /// 纪检监察: a case about the comprehensive regulator, which does not judge itself.
    Inspectors,
    /// 公管办: a case about a department or the centre goes one level up.
    ComprehensiveRegulator,
    /// The project's supervising department (its industry regulator, or 公管办 while none
    /// is assigned or there is no project).
    ProjectSupervisor,
}

/// Who leads a case about `subject`.
pub fn lead_of(subject: Subject) -> Lead {
    match subject {
        Subject::ComprehensiveRegulator => Lead::Inspectors,
        Subject::IndustryRegulator | Subject::Centre => Lead::ComprehensiveRegulator,
        Subject::Tenderer
        | Subject::Bidder
        | Subject::Agency
        | Subject::Expert
        | Subject::Supervisor
        | Subject::TendererRepresentative => Lead::ProjectSupervisor,
    }
}

/// The kind of department a subject that is a department is; `None` for anyone else.
pub fn department_kind(subject: Subject) -> Option<DepartmentKind> {
    match subject {
        Subject::ComprehensiveRegulator => Some(DepartmentKind::ComprehensiveRegulator),
        Subject::IndustryRegulator => Some(DepartmentKind::IndustryRegulator),
        Subject::Centre => Some(DepartmentKind::Centre),
        Subject::Tenderer
        | Subject::Bidder
        | Subject::Agency
        | Subject::Expert
        | Subject::Supervisor
        | Subject::TendererRepresentative => None,
    }
}

/// Checks what a recorded case names against what was loaded (`None`: not named): the
/// project, the subject (of the kind named) and the report, every unknown one named.
pub fn check_references(
    project_known: Option<bool>,
    subject_exists: bool,
    report_known: Option<bool>,
) -> Result<(), Vec<FieldError>> {
    let mut problems = Vec::new();
    if project_known == Some(false) {
        problems.push(FieldError::new("project_id", "unknown_project", "项目不存在"));
    }
    if !subject_exists {
        problems.push(FieldError::new("subject_id", "unknown_subject", "被反映的对象不存在或类型不符"));
    }
    if report_known == Some(false) {
        problems.push(FieldError::new("report_tracking_code", "unknown_report", "举报不存在"));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Why a case is not moved on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseRefusal {
    /// Only the lead department may (forbidden).
    NotLead(&'static str),
    /// Not in the state it must be in (a conflict).
    WrongState(&'static str),
    /// The request's problems against the case, every one.
    Invalid(Vec<FieldError>),
}

/// Told as every refusal is: not the lead's a bar on the caller, the wrong state a
/// conflict, the request's problems as they are.
impl From<CaseRefusal> for Answer {
    fn from(refusal: CaseRefusal) -> Answer {
        match refusal {
            CaseRefusal::NotLead(detail) => Answer::forbidden(detail),
            CaseRefusal::WrongState(detail) => Answer::Conflict(detail.into()),
            CaseRefusal::Invalid(problems) => Answer::Invalid(problems),
        }
    }
}

/// An investigation opened: the joint departments it adds, in the order named, and the
/// case's new status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub joint: Vec<String>,
    pub status: CaseStatus,
}

/// A department named to join an investigation, as loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    /// No such department.
    Unknown,
    /// The centre: a service, not a regulator.
    Centre,
    /// A regulator or the inspectors.
    Other,
}

impl Named {
    /// A department named to join, as the lookup found it: not at all, or with its stored
    /// kind (None when the stored kind is not one this crate knows, which is not the
    /// centre either).
    pub fn of(found: Option<Option<DepartmentKind>>) -> Named {
        match found {
            None => Named::Unknown,
            Some(Some(DepartmentKind::Centre)) => Named::Centre,
            Some(_) => Named::Other,
        }
    }

    /// A department named to join, from the kind stored for it (`None`: not found).
    pub fn of_stored(kind: Option<&str>) -> Named {
        Self::of(kind.map(DepartmentKind::parse))
    }
}

/// Decides the opening of an investigation by the caller taking `part` on a case standing
/// at `status`: only the lead opens (checked first), only a reported case; each joint
/// department named (in `joint`, as loaded) exists, is not the centre, and is not already
/// on the case (`on_case`) nor named twice.
pub fn open(
    part: CasePart,
    status: CaseStatus,
    joint: &[(String, Named)],
    on_case: &[String],
) -> Result<Opened, CaseRefusal> {
    if part != CasePart::Lead {
        return Err(CaseRefusal::NotLead("仅承办部门可立案调查"));
    }
    if !status.can_investigate() {
        return Err(CaseRefusal::WrongState("该案件已立案或已办结"));
    }
    let mut problems = Vec::new();
    let mut added: Vec<String> = Vec::new();
    for (index, (department, named)) in joint.iter().enumerate() {
        let field = format!("joint_departments[{index}]");
        match named {
            Named::Unknown => problems.push(FieldError::new(field, "unknown_department", "部门不存在")),
            Named::Centre => problems.push(FieldError::new(field, "not_a_regulator", "交易中心不参与查处")),
            Named::Other if on_case.contains(department) || added.contains(department) => {
                problems.push(FieldError::new(field, "duplicate", "该部门已在本案中"))
            }
            Named::Other => added.push(department.clone()),
        }
    }
    if problems.is_empty() {
        Ok(Opened { joint: added, status: CaseStatus::Investigating })
    } else {
        Err(CaseRefusal::Invalid(problems))
    }
}

/// An investigation step is recorded only while the case is under investigation.
pub fn record_step(status: CaseStatus) -> Result<(), CaseRefusal> {
    if status == CaseStatus::Investigating {
        Ok(())
    } else {
        Err(CaseRefusal::WrongState("仅调查中的案件可记录调查情况"))
    }
}

/// A new record's id and the deciding department's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordWriter {
    pub id: String,
    pub source: String,
}

/// What a decision does: the case's new status, the credit record it writes and until when
/// an expert is kept out of draws.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub status: CaseStatus,
    pub credit_record: Option<CreditRecord>,
    pub expert_restricted_until: Option<NaiveDate>,
}

/// A case as the caller deciding it finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseAt<'a> {
    /// The caller's part on the case.
    pub part: CasePart,
    pub status: CaseStatus,
    pub subject: Subject,
    pub subject_id: &'a str,
}

/// Decides `case` on `today` under the credit `policy`: only the lead decides (checked
/// first), only a case under investigation, a decision that fits the subject
/// ([`check_decision`]); a market participant found in breach gets a violation-finding
/// record of the decision's severity, decided today and published as the policy says.
pub fn decide(
    case: CaseAt<'_>,
    decision: &DecisionValues,
    today: NaiveDate,
    policy: &CreditPolicy,
    writer: RecordWriter,
) -> Result<Verdict, CaseRefusal> {
    let CaseAt { part, status, subject, subject_id } = case;
    if part != CasePart::Lead {
        return Err(CaseRefusal::NotLead("仅承办部门可作出处理决定"));
    }
    if !status.can_decide() {
        return Err(CaseRefusal::WrongState("须先立案调查，且案件尚未办结"));
    }
    let consequences = check_decision(decision, subject, today).map_err(CaseRefusal::Invalid)?;
    let credit_record = match consequences.credit_record {
        Some(severity) => {
            let months = policy
                .publication_months(RecordKind::ViolationFinding, Some(severity), None, None)
                .map_err(|problem| CaseRefusal::Invalid(vec![problem]))?;
            Some(CreditRecord {
                id: writer.id,
                participant_id: subject_id.to_owned(),
                kind: RecordKind::ViolationFinding,
                severity: Some(severity),
                source: writer.source,
                decision: decision.decision.clone(),
                decided_on: today,
                publication_months: months,
                repaired_on: None,
            })
        }
        None => None,
    };
    Ok(Verdict {
        status: decision.outcome.status(),
        credit_record,
        expert_restricted_until: consequences.expert_restricted_until,
    })
}

/// The lead department and the joint ones, in the order given, of a case's departments;
/// no lead is the empty name.
pub fn lead_and_joint(departments: Vec<(String, CasePart)>) -> (String, Vec<String>) {
    let lead = departments.iter().find(|(_, part)| *part == CasePart::Lead).map(|(d, _)| d.clone()).unwrap_or_default();
    let joint = departments.into_iter().filter(|(_, part)| *part == CasePart::Joint).map(|(d, _)| d).collect();
    (lead, joint)
}

/// The query of a list of violation cases.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ViolationFilter {
    #[param(value_type = Option<CaseStatus>)]
    pub status: Option<String>,
    pub project: Option<String>,
    /// Only cases this department leads or joins (comprehensive regulator and inspectors).
    pub department: Option<String>,
    pub after: Option<String>,
    /// Page size, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// Reads the filter: a state of a case if named, and the page (`after` and `limit`).
pub fn read_filter(filter: &ViolationFilter) -> Result<PageRequest, Vec<FieldError>> {
    let mut problems = Vec::new();
    if let Some(status) = &filter.status {
        ggzy_kernel::validation::read::closed::<CaseStatus>(&mut problems, "status", status);
    }
    let page = crate::page::read_page(&mut problems, filter.after.clone(), filter.limit);
    match page {
        Some(page) if problems.is_empty() => Ok(page),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_case_is_a_bar_a_conflict_or_the_requests_problems() {
        assert_eq!(Answer::from(CaseRefusal::NotLead("仅牵头部门")), Answer::forbidden("仅牵头部门"));
        assert_eq!(Answer::from(CaseRefusal::WrongState("已办结")), Answer::Conflict("已办结".into()));
        let problem = FieldError::new("findings", "required", "须列明");
        assert_eq!(Answer::from(CaseRefusal::Invalid(vec![problem.clone()])), Answer::Invalid(vec![problem]));
    }
    use crate::conduct::CaseOutcome;
    use ggzy_credit::Severity;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn codes(problems: &[FieldError]) -> Vec<(&str, &str)> {
        problems.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect()
    }

    fn invalid(refusal: CaseRefusal) -> Vec<(String, String)> {
        match refusal {
            CaseRefusal::Invalid(problems) => problems.into_iter().map(|e| (e.field, e.code)).collect(),
            other => panic!("not invalid: {other:?}"),
        }
    }

    #[test]
    fn a_case_about_a_department_goes_one_level_up() {
        assert_eq!(lead_of(Subject::ComprehensiveRegulator), Lead::Inspectors);
        assert_eq!(lead_of(Subject::IndustryRegulator), Lead::ComprehensiveRegulator);
        assert_eq!(lead_of(Subject::Centre), Lead::ComprehensiveRegulator);
        for subject in [
            Subject::Tenderer,
            Subject::Bidder,
            Subject::Agency,
            Subject::Expert,
            Subject::Supervisor,
            Subject::TendererRepresentative,
        ] {
            assert_eq!(lead_of(subject), Lead::ProjectSupervisor, "{subject:?}");
        }
    }

    #[test]
    fn a_department_subject_is_a_department_of_its_kind() {
        assert_eq!(department_kind(Subject::ComprehensiveRegulator), Some(DepartmentKind::ComprehensiveRegulator));
        assert_eq!(department_kind(Subject::IndustryRegulator), Some(DepartmentKind::IndustryRegulator));
        assert_eq!(department_kind(Subject::Centre), Some(DepartmentKind::Centre));
        for subject in Subject::ALL.iter().copied() {
            assert_eq!(department_kind(subject).is_some(), subject.is_department(), "{subject:?}");
            // The same wire name: a department's stored kind reads as the subject's.
            if let Some(kind) = department_kind(subject) {
                assert_eq!(kind.as_str(), subject.as_str());
            }
        }
    }

    #[test]
    fn every_unknown_reference_is_named_in_order() {
        assert_eq!(check_references(None, true, None), Ok(()));
        assert_eq!(check_references(Some(true), true, Some(true)), Ok(()));
        assert_eq!(codes(&check_references(Some(false), true, None).unwrap_err()), [("project_id", "unknown_project")]);
        assert_eq!(codes(&check_references(None, false, None).unwrap_err()), [("subject_id", "unknown_subject")]);
        assert_eq!(
            codes(&check_references(None, true, Some(false)).unwrap_err()),
            [("report_tracking_code", "unknown_report")]
        );
        assert_eq!(
            codes(&check_references(Some(false), false, Some(false)).unwrap_err()),
            [
                ("project_id", "unknown_project"),
                ("subject_id", "unknown_subject"),
                ("report_tracking_code", "unknown_report")
            ]
        );
    }

    #[test]
    fn only_the_lead_opens_a_reported_case() {
        use CaseStatus::*;
        assert_eq!(open(CasePart::Lead, Reported, &[], &[]), Ok(Opened { joint: vec![], status: Investigating }));
        assert_eq!(open(CasePart::Joint, Reported, &[], &[]), Err(CaseRefusal::NotLead("仅承办部门可立案调查")));
        for status in [Investigating, Confirmed, Dismissed] {
            assert_eq!(
                open(CasePart::Lead, status, &[], &[]),
                Err(CaseRefusal::WrongState("该案件已立案或已办结")),
                "{status:?}"
            );
        }
        // Not the lead is told first.
        assert!(matches!(open(CasePart::Joint, Confirmed, &[], &[]), Err(CaseRefusal::NotLead(_))));
        let unknown = [("x".to_owned(), Named::Unknown)];
        assert!(matches!(open(CasePart::Joint, Reported, &unknown, &[]), Err(CaseRefusal::NotLead(_))));
        assert!(matches!(open(CasePart::Lead, Investigating, &unknown, &[]), Err(CaseRefusal::WrongState(_))));
    }

    #[test]
    fn joint_departments_are_regulators_not_yet_on_the_case_each_once() {
        let on_case = ["gongguanban".to_owned()];
        let joint = [
            ("zhujianwei".to_owned(), Named::Other),
            ("nowhere".to_owned(), Named::Unknown),
            ("centre".to_owned(), Named::Centre),
            ("gongguanban".to_owned(), Named::Other),
            ("zhujianwei".to_owned(), Named::Other),
            ("jiaotongju".to_owned(), Named::Other),
        ];
        assert_eq!(
            invalid(open(CasePart::Lead, CaseStatus::Reported, &joint, &on_case).unwrap_err()),
            [
                ("joint_departments[1]".to_owned(), "unknown_department".to_owned()),
                ("joint_departments[2]".to_owned(), "not_a_regulator".to_owned()),
                ("joint_departments[3]".to_owned(), "duplicate".to_owned()),
                ("joint_departments[4]".to_owned(), "duplicate".to_owned()),
            ]
        );
        let fine = [("zhujianwei".to_owned(), Named::Other), ("jiaotongju".to_owned(), Named::Other)];
        assert_eq!(
            open(CasePart::Lead, CaseStatus::Reported, &fine, &on_case).unwrap().joint,
            ["zhujianwei", "jiaotongju"]
        );
    }

    #[test]
    fn steps_are_recorded_only_under_investigation() {
        assert_eq!(record_step(CaseStatus::Investigating), Ok(()));
        for status in [CaseStatus::Reported, CaseStatus::Confirmed, CaseStatus::Dismissed] {
            assert_eq!(record_step(status), Err(CaseRefusal::WrongState("仅调查中的案件可记录调查情况")));
        }
    }

    fn confirmed(severity: Option<Severity>) -> DecisionValues {
        DecisionValues {
            outcome: CaseOutcome::Confirmed,
            findings: vec!["24.1".into()],
            decision: "京密公管决〔2026〕1号".into(),
            penalty: None,
            severity,
            expert_restricted_until: None,
        }
    }

    fn bidder(part: CasePart, status: CaseStatus) -> CaseAt<'static> {
        CaseAt { part, status, subject: Subject::Bidder, subject_id: "b1" }
    }

    fn writer() -> RecordWriter {
        RecordWriter { id: "r1".into(), source: "密云区公共资源交易管理办公室".into() }
    }

    #[test]
    fn a_participant_found_in_breach_gets_a_record_of_the_finding() {
        let today = date("2026-09-01");
        let policy = CreditPolicy::seed();
        let verdict = decide(
            bidder(CasePart::Lead, CaseStatus::Investigating),
            &confirmed(Some(Severity::General)),
            today,
            &policy,
            writer(),
        )
        .unwrap();
        assert_eq!(verdict.status, CaseStatus::Confirmed);
        assert_eq!(verdict.expert_restricted_until, None);
        let record = verdict.credit_record.unwrap();
        let months = policy.publication_months(RecordKind::ViolationFinding, Some(Severity::General), None, None);
        assert_eq!(
            record,
            CreditRecord {
                id: "r1".into(),
                participant_id: "b1".into(),
                kind: RecordKind::ViolationFinding,
                severity: Some(Severity::General),
                source: "密云区公共资源交易管理办公室".into(),
                decision: "京密公管决〔2026〕1号".into(),
                decided_on: today,
                publication_months: months.unwrap(),
                repaired_on: None,
            }
        );
    }

    #[test]
    fn a_dismissal_and_an_expert_s_finding_write_no_record() {
        let today = date("2026-09-01");
        let policy = CreditPolicy::seed();
        let dismissed = DecisionValues { outcome: CaseOutcome::Dismissed, findings: vec![], ..confirmed(None) };
        let verdict =
            decide(bidder(CasePart::Lead, CaseStatus::Investigating), &dismissed, today, &policy, writer()).unwrap();
        assert_eq!(
            verdict,
            Verdict { status: CaseStatus::Dismissed, credit_record: None, expert_restricted_until: None }
        );
        let expert = DecisionValues {
            findings: vec!["26.1".into()],
            expert_restricted_until: Some(date("2027-09-01")),
            ..confirmed(None)
        };
        let case =
            CaseAt { subject: Subject::Expert, subject_id: "e1", ..bidder(CasePart::Lead, CaseStatus::Investigating) };
        let verdict = decide(case, &expert, today, &policy, writer()).unwrap();
        assert_eq!(
            verdict,
            Verdict {
                status: CaseStatus::Confirmed,
                credit_record: None,
                expert_restricted_until: Some(date("2027-09-01"))
            }
        );
    }

    #[test]
    fn a_decision_is_the_lead_s_then_needs_an_investigation_then_must_fit() {
        let today = date("2026-09-01");
        let policy = CreditPolicy::seed();
        let no_severity = confirmed(None);
        let decided = |part, status| decide(bidder(part, status), &no_severity, today, &policy, writer()).unwrap_err();
        assert_eq!(decided(CasePart::Joint, CaseStatus::Reported), CaseRefusal::NotLead("仅承办部门可作出处理决定"));
        for status in [CaseStatus::Reported, CaseStatus::Confirmed, CaseStatus::Dismissed] {
            assert_eq!(decided(CasePart::Lead, status), CaseRefusal::WrongState("须先立案调查，且案件尚未办结"));
        }
        assert_eq!(
            invalid(decided(CasePart::Lead, CaseStatus::Investigating)),
            [("severity".to_owned(), "required".to_owned())]
        );
    }

    #[test]
    fn the_lead_and_the_joint_departments_are_told_apart() {
        let departments = vec![
            ("b".to_owned(), CasePart::Joint),
            ("a".to_owned(), CasePart::Lead),
            ("c".to_owned(), CasePart::Joint),
        ];
        assert_eq!(lead_and_joint(departments), ("a".to_owned(), vec!["b".to_owned(), "c".to_owned()]));
        assert_eq!(lead_and_joint(vec![]), (String::new(), vec![]));
    }

    #[test]
    fn the_filter_names_a_bad_state_and_a_bad_page() {
        assert_eq!(read_filter(&ViolationFilter::default()), Ok(PageRequest::default()));
        let filter = ViolationFilter {
            status: Some("open".into()),
            after: Some("x".into()),
            limit: Some(0),
            ..Default::default()
        };
        assert_eq!(
            codes(&read_filter(&filter).unwrap_err()),
            [("status", "unknown_value"), ("after", "invalid_id"), ("limit", "limit_out_of_range")]
        );
        let filter = ViolationFilter { status: Some("investigating".into()), ..Default::default() };
        assert!(read_filter(&filter).is_ok());
    }

    #[test]
    fn a_named_department_is_unknown_the_centre_or_another() {
        assert_eq!(Named::of(None), Named::Unknown);
        assert_eq!(Named::of(Some(Some(DepartmentKind::Centre))), Named::Centre);
        assert_eq!(Named::of(Some(Some(DepartmentKind::IndustryRegulator))), Named::Other);
        assert_eq!(Named::of(Some(Some(DepartmentKind::Inspector))), Named::Other);
        assert_eq!(Named::of(Some(None)), Named::Other, "a kind not known here is not the centre");
    }

    #[test]
    fn a_named_department_is_read_from_its_stored_kind() {
        assert_eq!(Named::of_stored(None), Named::Unknown);
        assert_eq!(Named::of_stored(Some("centre")), Named::Centre);
        assert_eq!(Named::of_stored(Some("industry_regulator")), Named::Other);
        assert_eq!(Named::of_stored(Some("no_such_kind")), Named::Other);
    }
}
