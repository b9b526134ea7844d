//! When a complaint (投诉) may be filed, and when the regulator must accept it; whether its
//! decision clock may be paused or resumed; and the requests of a complaint — filing,
//! acceptance, pause, decision — read with every problem named at once, with the credit
//! records a decision makes. Decided on the facts the service loaded and the project's
//! rule set.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use ggzy_credit::{CreditPolicy, CreditRecord, RecordKind, Severity};
use ggzy_kernel::validation::read;
use ggzy_kernel::{Answer, FieldError, WorkingCalendar};
use ggzy_rules::{rule_ids, Category, DeadlineError, RuleSet};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::lifecycle::{ComplaintOutcome, Remedy};

/// The objection (异议 / 质疑) a complaint follows, as far as the window counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriorObjection {
    pub raised_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    /// When the answer was due (the end of the reply period).
    pub reply_due: DateTime<Utc>,
}

/// What a complaint's window is decided on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilingFacts {
    /// Government procurement: the complaint follows a question (质疑), and its window runs
    /// from the answer, or from the end of the reply period when none came.
    Procurement { question: Option<PriorObjection> },
    /// Every other category: the window runs from the day the complainant knew of the harm,
    /// and the time an objection it raised waited for its answer is not counted.
    KnewOfHarm { knew_at: DateTime<Utc>, objection: Option<PriorObjection> },
}

/// The objection a filing names by id, as the caller found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedObjection<'a> {
    /// The filing names none.
    None,
    /// No objection has that id.
    Missing,
    Found {
        project_id: &'a str,
        objector_id: &'a str,
        objection: PriorObjection,
    },
}

/// The facts a filing's window is decided on, by the project's category: a procurement
/// complaint follows its question, any other counts from `knew_at`. A named objection counts
/// only when it is the complainant's own on this project.
pub fn filing_facts(
    category: Category,
    project_id: &str,
    complainant_id: &str,
    knew_at: DateTime<Utc>,
    named: NamedObjection<'_>,
) -> Result<FilingFacts, FieldError> {
    let prior = match named {
        NamedObjection::None => None,
        NamedObjection::Found { project_id: on, objector_id, objection }
            if on == project_id && objector_id == complainant_id =>
        {
            Some(objection)
        }
        NamedObjection::Missing | NamedObjection::Found { .. } => {
            return Err(FieldError::new("objection_id", "unknown_objection", "须为本人就本项目提出的异议（质疑）"));
        }
    };
    Ok(match category {
        Category::Procurement => FilingFacts::Procurement { question: prior },
        _ => FilingFacts::KnewOfHarm { knew_at, objection: prior },
    })
}

/// Whether the regulator's answer at `now` comes after its acceptance limit.
pub fn accepted_late(acceptance_due: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now >= acceptance_due
}

/// A complaint filed in time: the rule whose window it is in, that window's end and the
/// end of the regulator's acceptance limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filing {
    pub rule: &'static str,
    pub due: DateTime<Utc>,
    pub acceptance_due: DateTime<Utc>,
}

/// Why a complaint may not be filed now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilingRefusal {
    /// The rule set could not count a limit.
    Deadline(DeadlineError),
    /// A procurement complaint without a question first (procurement.complaint.window).
    QuestionFirst,
    /// Past the window of `rule`, which ended at `due`.
    Late { rule: &'static str, due: DateTime<Utc> },
}

impl FilingRefusal {
    /// The rule and words a refused filing is told with; a limit the rule set could not
    /// count comes back as it is.
    pub fn answer(self) -> Result<Answer, DeadlineError> {
        Ok(match self {
            FilingRefusal::Deadline(error) => return Err(error),
            FilingRefusal::QuestionFirst => Answer::Rule {
                rule: rule_ids::PROCUREMENT_COMPLAINT_WINDOW,
                detail: "政府采购投诉须先提出质疑".into(),
                problems: vec![FieldError::new("objection_id", "question_first", "须先质疑")],
            },
            FilingRefusal::Late { rule, due } => Answer::Rule {
                rule,
                detail: format!("投诉期限已过（截止于 {}）", ggzy_kernel::beijing_text(due)),
                problems: vec![FieldError::new("knew_at", "outside_window", "超过投诉期限")],
            },
        })
    }
}

/// Whether a complaint on `facts` may be filed at `now`, and by when it must be accepted
/// (construction.complaint.acceptance, counted from the filing).
pub fn filing(
    facts: &FilingFacts,
    rule_set: &RuleSet,
    calendar: &WorkingCalendar,
    now: DateTime<Utc>,
) -> Result<Filing, FilingRefusal> {
    let (rule, due) = match *facts {
        FilingFacts::Procurement { question } => {
            let rule = rule_ids::PROCUREMENT_COMPLAINT_WINDOW;
            let question = question.ok_or(FilingRefusal::QuestionFirst)?;
            // 答复期满后 (法 §55): an unanswered question's period ends at 24:00 of its last
            // day, which is the next day's first instant; the count runs from the day after
            // that last day, as from an event on it.
            let from = question.answered_at.unwrap_or(question.reply_due - Duration::seconds(1));
            (rule, rule_set.due(rule, from, calendar).map_err(FilingRefusal::Deadline)?.due)
        }
        FilingFacts::KnewOfHarm { knew_at, objection } => {
            let rule = rule_ids::CONSTRUCTION_COMPLAINT_WINDOW;
            let limit = rule_set.due(rule, knew_at, calendar).map_err(FilingRefusal::Deadline)?;
            // An objection still unanswered has waited until now.
            let waited = objection.map(|o| o.answered_at.unwrap_or(now) - o.raised_at).unwrap_or_else(Duration::zero);
            (rule, limit.due + waited)
        }
    };
    if now >= due {
        return Err(FilingRefusal::Late { rule, due });
    }
    let acceptance =
        rule_set.due(rule_ids::CONSTRUCTION_COMPLAINT_ACCEPTANCE, now, calendar).map_err(FilingRefusal::Deadline)?;
    Ok(Filing { rule, due, acceptance_due: acceptance.due })
}

/// What a request to pause (or, without one, to resume) a complaint's decision clock does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockMove {
    /// Open a new pause from today.
    Pause,
    /// Close the open pause, the one at this index.
    Resume { open: usize },
}

/// Why the clock cannot move so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockRefusal {
    AlreadyPaused,
    NotPaused,
}

impl ClockRefusal {
    pub fn detail(self) -> &'static str {
        match self {
            ClockRefusal::AlreadyPaused => "计时已暂停",
            ClockRefusal::NotPaused => "计时未暂停",
        }
    }
}

/// Pausing needs the clock running, resuming needs it paused; `open` says of each pause
/// whether it is still open.
pub fn pause_or_resume(open: impl IntoIterator<Item = bool>, pause: bool) -> Result<ClockMove, ClockRefusal> {
    let open_pause = open.into_iter().position(|is_open| is_open);
    match (pause, open_pause) {
        (true, None) => Ok(ClockMove::Pause),
        (false, Some(open)) => Ok(ClockMove::Resume { open }),
        (true, Some(_)) => Err(ClockRefusal::AlreadyPaused),
        (false, None) => Err(ClockRefusal::NotPaused),
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FileComplaint {
    #[schema(required = true, value_type = String)]
    pub content: Option<String>,
    /// When the complainant knew or should have known.
    #[schema(required = true, value_type = DateTime<Utc>)]
    pub knew_at: Option<DateTime<Utc>>,
    /// The objection (质疑) that came first, where the law requires one; procurement always.
    #[schema(value_type = Option<String>)]
    pub objection_id: Option<String>,
}

/// A complaint to file, read: what it says, when the complainant knew, and the objection it
/// follows, if named (whether that objection is the complainant's own is the caller's to
/// check).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintValues {
    pub content: String,
    pub knew_at: DateTime<Utc>,
    pub objection_id: Option<String>,
}

/// Reads a complaint to file.
pub fn read_complaint(request: FileComplaint) -> Result<ComplaintValues, Vec<FieldError>> {
    let mut problems = Vec::new();
    let content = read::required_text(&mut problems, "content", request.content, 5000);
    let knew_at = read::required(&mut problems, "knew_at", request.knew_at);
    match (content, knew_at) {
        (Some(content), Some(knew_at)) if problems.is_empty() => {
            Ok(ComplaintValues { content, knew_at, objection_id: request.objection_id })
        }
        _ => Err(problems),
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptComplaint {
    #[schema(required = true, value_type = bool)]
    pub accept: Option<bool>,
    #[schema(required = true, value_type = String)]
    pub reason: Option<String>,
}

/// Reads the regulator's acceptance or refusal of a complaint, with its reason.
pub fn read_acceptance(request: AcceptComplaint) -> Result<(bool, String), Vec<FieldError>> {
    let mut problems = Vec::new();
    let accept = read::required(&mut problems, "accept", request.accept);
    let reason = read::required_text(&mut problems, "reason", request.reason, 1000);
    match (accept, reason) {
        (Some(accept), Some(reason)) if problems.is_empty() => Ok((accept, reason)),
        _ => Err(problems),
    }
}

ggzy_kernel::closed_enum! {
    /// Why the clock stops: testing (检验), appraisal (鉴定) or expert review (专家评审).
    pub enum PauseReason {
        Testing = "testing",
        Appraisal = "appraisal",
        ExpertReview = "expert_review",
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PauseComplaint {
    #[schema(required = true, value_type = PauseReason)]
    pub reason: Option<PauseReason>,
}

/// A pause of a complaint's decision clock, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ComplaintPause {
    pub reason: PauseReason,
    /// First Beijing date not counted.
    pub from: NaiveDate,
    /// First Beijing date counted again; none while paused.
    pub until: Option<NaiveDate>,
}

/// Moves a complaint's clock on `today`: a pause (its request names the reason) opens one,
/// a resumption closes the open one.
pub fn move_clock(
    pauses: &mut Vec<ComplaintPause>,
    pause: Option<PauseComplaint>,
    today: NaiveDate,
) -> Result<ClockMove, ClockMoveRefusal> {
    let moved =
        pause_or_resume(pauses.iter().map(|p| p.until.is_none()), pause.is_some()).map_err(ClockMoveRefusal::Clock)?;
    match (moved, pause) {
        (ClockMove::Pause, Some(request)) => {
            let reason = request
                .reason
                .ok_or_else(|| ClockMoveRefusal::Invalid(FieldError::new("reason", "required", "须注明暂停原因")))?;
            pauses.push(ComplaintPause { reason, from: today, until: None });
        }
        (ClockMove::Resume { open }, _) => {
            if let Some(open) = pauses.get_mut(open) {
                open.until = Some(today);
            }
        }
        // `pause_or_resume` pauses only when asked to.
        (ClockMove::Pause, None) => return Err(ClockMoveRefusal::Clock(ClockRefusal::NotPaused)),
    }
    Ok(moved)
}

/// Why a complaint's clock does not move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClockMoveRefusal {
    /// The clock is not in the state the move needs.
    Clock(ClockRefusal),
    /// The pause's request is incomplete.
    Invalid(FieldError),
}

/// A clock that cannot move conflicts with the complaint's state; a pause without its
/// reason is an invalid request.
impl From<ClockMoveRefusal> for ggzy_kernel::Answer {
    fn from(refused: ClockMoveRefusal) -> Self {
        match refused {
            ClockMoveRefusal::Clock(refusal) => ggzy_kernel::Answer::Conflict(refusal.detail().into()),
            ClockMoveRefusal::Invalid(problem) => ggzy_kernel::Answer::Invalid(vec![problem]),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecideComplaint {
    #[schema(required = true, value_type = ComplaintOutcome)]
    pub outcome: Option<String>,
    /// Remedies when upheld.
    #[schema(value_type = Option<Vec<Remedy>>)]
    pub remedies: Option<Vec<String>>,
    #[schema(required = true, value_type = String)]
    pub decision: Option<String>,
    /// The participant found at fault (a credit record follows).
    pub wrongdoer_id: Option<String>,
    #[schema(value_type = Option<Severity>)]
    pub severity: Option<String>,
    /// The complaint was false (捏造事实、伪造材料): a credit record of the complainant.
    pub false_complaint: Option<bool>,
}

/// The regulator's decision on a complaint, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintDecisionValues {
    pub outcome: ComplaintOutcome,
    pub decision: String,
    pub remedies: Vec<Remedy>,
    /// The participant found at fault and how seriously.
    pub wrongdoer: Option<(String, Severity)>,
    pub false_complaint: bool,
}

/// Reads the regulator's decision: a wrongdoer named comes with a severity.
pub fn read_decision(request: DecideComplaint) -> Result<ComplaintDecisionValues, Vec<FieldError>> {
    let mut problems = Vec::new();
    let outcome = read::required(&mut problems, "outcome", request.outcome)
        .and_then(|o| read::closed::<ComplaintOutcome>(&mut problems, "outcome", &o));
    let decision = read::required_text(&mut problems, "decision", request.decision, 200);
    let remedies: Vec<Remedy> = request
        .remedies
        .unwrap_or_default()
        .iter()
        .enumerate()
        .filter_map(|(index, remedy)| read::closed::<Remedy>(&mut problems, &format!("remedies[{index}]"), remedy))
        .collect();
    // Unknown text is named as such, not again as missing.
    let severity = request.severity.as_deref().map(|s| {
        let parsed = Severity::parse(s);
        if parsed.is_none() {
            problems.push(FieldError::new("severity", "unknown_value", "可选：minor、general、serious"));
        }
        parsed
    });
    if request.wrongdoer_id.is_some() && severity.is_none() {
        problems.push(FieldError::new("severity", "required", "认定违法违规须注明严重程度"));
    }
    match (outcome, decision) {
        (Some(outcome), Some(decision)) if problems.is_empty() => Ok(ComplaintDecisionValues {
            outcome,
            decision,
            remedies,
            wrongdoer: request.wrongdoer_id.zip(severity.flatten()),
            false_complaint: request.false_complaint == Some(true),
        }),
        _ => Err(problems),
    }
}

/// A credit record a complaint's decision makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub participant_id: String,
    pub kind: RecordKind,
    pub severity: Severity,
}

impl ComplaintDecisionValues {
    /// The credit records the decision makes: the wrongdoer's violation finding, and a false
    /// complaint as a general bad record of the complainant.
    pub fn findings(&self, complainant_id: &str) -> Vec<Finding> {
        let mut findings = Vec::new();
        if let Some((wrongdoer, severity)) = &self.wrongdoer {
            findings.push(Finding {
                participant_id: wrongdoer.clone(),
                kind: RecordKind::ViolationFinding,
                severity: *severity,
            });
        }
        if self.false_complaint {
            findings.push(Finding {
                participant_id: complainant_id.to_owned(),
                kind: RecordKind::FalseComplaint,
                severity: Severity::General,
            });
        }
        findings
    }
}

/// The credit records of a decision's findings, decided `today` by the regulator `source`
/// and published for the months `policy` gives each; each takes an id from `fresh_id`.
pub fn finding_records(
    findings: Vec<Finding>,
    source: &str,
    decision: &str,
    today: NaiveDate,
    policy: &CreditPolicy,
    mut fresh_id: impl FnMut() -> String,
) -> Result<Vec<CreditRecord>, FieldError> {
    findings
        .into_iter()
        .map(|Finding { participant_id, kind, severity }| {
            Ok(CreditRecord {
                id: fresh_id(),
                participant_id,
                kind,
                severity: Some(severity),
                source: source.to_owned(),
                decision: decision.to_owned(),
                decided_on: today,
                publication_months: policy.publication_months(kind, Some(severity), None, None)?,
                repaired_on: None,
            })
        })
        .collect()
}

/// What the regulator decided (`Complaint.decision`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ComplaintDecision {
    /// The decision's text.
    pub decision: String,
    /// The remedies ordered; empty when none.
    pub remedies: Vec<Remedy>,
    /// The credit records the decision made (the wrongdoer's finding, a false complaint).
    pub credit_records: Vec<String>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::TimeZone;

    use super::*;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
    }

    fn calendar() -> WorkingCalendar {
        WorkingCalendar::official().unwrap()
    }

    fn window_from(rule: &'static str, from: DateTime<Utc>) -> DateTime<Utc> {
        RuleSet::seed().due(rule, from, &calendar()).unwrap().due
    }

    fn decide(facts: FilingFacts, now: DateTime<Utc>) -> Result<Filing, FilingRefusal> {
        filing(&facts, &RuleSet::seed(), &calendar(), now)
    }

    #[test]
    fn a_filing_counts_only_the_complainants_own_objection_on_the_project() {
        let objection = PriorObjection { raised_at: at(2, 1), answered_at: None, reply_due: at(5, 16) };
        let own = NamedObjection::Found { project_id: "p", objector_id: "c", objection };
        let knew_at = at(1, 1);
        let cases = [
            (Category::Procurement, NamedObjection::None, Ok(FilingFacts::Procurement { question: None })),
            (Category::Procurement, own, Ok(FilingFacts::Procurement { question: Some(objection) })),
            (Category::Construction, NamedObjection::None, Ok(FilingFacts::KnewOfHarm { knew_at, objection: None })),
            (Category::LandMining, own, Ok(FilingFacts::KnewOfHarm { knew_at, objection: Some(objection) })),
            (Category::Procurement, NamedObjection::Missing, Err("unknown_objection")),
            (
                Category::Construction,
                NamedObjection::Found { project_id: "other", objector_id: "c", objection },
                Err("unknown_objection"),
            ),
            (
                Category::Procurement,
                NamedObjection::Found { project_id: "p", objector_id: "someone", objection },
                Err("unknown_objection"),
            ),
        ];
        for (category, named, expected) in cases {
            let facts = filing_facts(category, "p", "c", knew_at, named).map_err(|problem| {
                assert_eq!(problem.field, "objection_id");
                problem.code
            });
            assert_eq!(facts, expected.map_err(str::to_owned), "{category} {named:?}");
        }
    }

    #[test]
    fn a_refused_filing_names_the_window_it_missed() {
        let rule = rule_ids::CONSTRUCTION_COMPLAINT_WINDOW;
        let late = FilingRefusal::Late { rule, due: at(10, 16) }.answer();
        let Ok(Answer::Rule { rule: told, detail, problems }) = late else { panic!("{late:?}") };
        assert_eq!((told, detail.as_str()), (rule, "投诉期限已过（截止于 2026-11-10 24:00 北京时间）"));
        assert_eq!((problems[0].field.as_str(), problems[0].code.as_str()), ("knew_at", "outside_window"));
        let first = FilingRefusal::QuestionFirst.answer();
        let Ok(Answer::Rule { rule: told, problems, .. }) = first else { panic!("{first:?}") };
        assert_eq!((told, problems[0].code.as_str()), (rule_ids::PROCUREMENT_COMPLAINT_WINDOW, "question_first"));
        let uncounted = DeadlineError::UnknownRule("x".into());
        assert_eq!(FilingRefusal::Deadline(uncounted.clone()).answer(), Err(uncounted));
    }

    #[test]
    fn an_acceptance_at_or_after_its_limit_is_late() {
        assert!(!accepted_late(at(10, 16), at(10, 15)));
        assert!(accepted_late(at(10, 16), at(10, 16)));
        assert!(accepted_late(at(10, 16), at(11, 1)));
    }

    #[test]
    fn a_complaint_is_filed_within_the_window_from_when_its_complainant_knew() {
        let rule = rule_ids::CONSTRUCTION_COMPLAINT_WINDOW;
        let knew_at = at(2, 1);
        let due = window_from(rule, knew_at);
        let facts = FilingFacts::KnewOfHarm { knew_at, objection: None };
        let filed = decide(facts, due - Duration::seconds(1)).unwrap();
        assert_eq!((filed.rule, filed.due), (rule, due));
        let acceptance = window_from(rule_ids::CONSTRUCTION_COMPLAINT_ACCEPTANCE, due - Duration::seconds(1));
        assert_eq!(filed.acceptance_due, acceptance, "acceptance is counted from the filing");
        assert_eq!(decide(facts, due), Err(FilingRefusal::Late { rule, due }), "the end is not in the window");
    }

    #[test]
    fn the_time_an_objection_waited_for_its_answer_is_not_counted() {
        let rule = rule_ids::CONSTRUCTION_COMPLAINT_WINDOW;
        let knew_at = at(2, 1);
        let plain = window_from(rule, knew_at);
        // Answered three days after it was raised: the window ends three days later.
        let answered = PriorObjection { raised_at: at(3, 1), answered_at: Some(at(6, 1)), reply_due: at(6, 16) };
        let facts = FilingFacts::KnewOfHarm { knew_at, objection: Some(answered) };
        let late = plain + Duration::days(3);
        assert_eq!(decide(facts, late - Duration::seconds(1)).unwrap().due, late);
        assert_eq!(decide(facts, late), Err(FilingRefusal::Late { rule, due: late }));
        // Unanswered: it has waited until now, so the window moves with the clock.
        let waiting = PriorObjection { answered_at: None, ..answered };
        let facts = FilingFacts::KnewOfHarm { knew_at, objection: Some(waiting) };
        let now = plain + Duration::days(20);
        assert_eq!(decide(facts, now).unwrap().due, plain + (now - waiting.raised_at));
    }

    #[test]
    fn a_procurement_complaint_follows_a_question_and_its_answer_or_reply_period() {
        let rule = rule_ids::PROCUREMENT_COMPLAINT_WINDOW;
        assert_eq!(decide(FilingFacts::Procurement { question: None }, at(2, 1)), Err(FilingRefusal::QuestionFirst));
        let answered = PriorObjection { raised_at: at(2, 1), answered_at: Some(at(4, 1)), reply_due: at(9, 16) };
        let due = window_from(rule, at(4, 1));
        let facts = FilingFacts::Procurement { question: Some(answered) };
        assert_eq!(decide(facts, due - Duration::seconds(1)).unwrap().due, due);
        assert_eq!(decide(facts, due), Err(FilingRefusal::Late { rule, due }));
        // No answer: from the end of the reply period, 24:00 Beijing of Monday 11-09 (16:00
        // UTC): Tuesday 11-10 is the first of the 15 working days, so the window ends with
        // Monday 11-30 (24:00 Beijing, 16:00 UTC), not a day later.
        let unanswered = PriorObjection { answered_at: None, ..answered };
        let filed = decide(FilingFacts::Procurement { question: Some(unanswered) }, at(10, 1)).unwrap();
        assert_eq!(filed.due, at(30, 16));
        assert_eq!(filed.due, window_from(rule, at(9, 15)), "as from an event on the last day itself");
    }

    #[test]
    fn a_rule_set_without_a_limit_cannot_count_it() {
        let mut without = RuleSet::seed();
        let acceptance = rule_ids::CONSTRUCTION_COMPLAINT_ACCEPTANCE;
        without.time_limits.retain(|limit| limit.rule_id != acceptance);
        let facts = FilingFacts::KnewOfHarm { knew_at: at(2, 1), objection: None };
        assert_eq!(
            filing(&facts, &without, &calendar(), at(3, 1)),
            Err(FilingRefusal::Deadline(DeadlineError::UnknownRule(acceptance.into())))
        );
        // A late complaint is told it is late before the missing acceptance limit matters.
        let due = window_from(rule_ids::CONSTRUCTION_COMPLAINT_WINDOW, at(2, 1));
        assert!(matches!(filing(&facts, &without, &calendar(), due), Err(FilingRefusal::Late { .. })));
    }

    #[test]
    fn the_clock_pauses_when_running_and_resumes_when_paused() {
        assert_eq!(pause_or_resume([], true), Ok(ClockMove::Pause));
        assert_eq!(pause_or_resume([false, false], true), Ok(ClockMove::Pause));
        assert_eq!(pause_or_resume([false, true], false), Ok(ClockMove::Resume { open: 1 }));
        assert_eq!(pause_or_resume([false, true], true), Err(ClockRefusal::AlreadyPaused));
        assert_eq!(pause_or_resume([false], false), Err(ClockRefusal::NotPaused));
        assert_eq!(pause_or_resume([], false), Err(ClockRefusal::NotPaused));
    }

    fn codes(errors: Vec<FieldError>) -> Vec<(String, String)> {
        errors.into_iter().map(|e| (e.field, e.code)).collect()
    }

    fn pair(field: &str, code: &str) -> (String, String) {
        (field.to_owned(), code.to_owned())
    }

    #[test]
    fn a_filing_and_an_acceptance_name_every_problem() {
        let empty = FileComplaint { content: Some("  ".into()), knew_at: None, objection_id: None };
        assert_eq!(codes(read_complaint(empty).unwrap_err()), [pair("content", "blank"), pair("knew_at", "required")]);
        let filed = read_complaint(FileComplaint {
            content: Some(" 评标不公 ".into()),
            knew_at: Some(at(1, 2)),
            objection_id: Some("o1".into()),
        })
        .unwrap();
        assert_eq!(
            filed,
            ComplaintValues { content: "评标不公".into(), knew_at: at(1, 2), objection_id: Some("o1".into()) }
        );
        assert_eq!(
            codes(read_acceptance(AcceptComplaint::default()).unwrap_err()),
            [pair("accept", "required"), pair("reason", "required")]
        );
        assert_eq!(
            read_acceptance(AcceptComplaint { accept: Some(false), reason: Some("超期".into()) }).unwrap(),
            (false, "超期".to_owned())
        );
    }

    #[test]
    fn the_clock_pauses_with_a_reason_and_resumes_the_open_pause() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 9, d).unwrap();
        let mut pauses = Vec::new();
        assert_eq!(
            move_clock(&mut pauses, Some(PauseComplaint { reason: None }), day(1)),
            Err(ClockMoveRefusal::Invalid(FieldError::new("reason", "required", "须注明暂停原因")))
        );
        assert!(pauses.is_empty(), "a refused pause records nothing");
        assert_eq!(move_clock(&mut pauses, None, day(1)), Err(ClockMoveRefusal::Clock(ClockRefusal::NotPaused)));
        let not_paused = ggzy_kernel::Answer::from(ClockMoveRefusal::Clock(ClockRefusal::NotPaused));
        assert_eq!(not_paused, ggzy_kernel::Answer::Conflict(ClockRefusal::NotPaused.detail().into()));
        let testing = PauseComplaint { reason: Some(PauseReason::Testing) };
        assert_eq!(move_clock(&mut pauses, Some(testing.clone()), day(2)), Ok(ClockMove::Pause));
        assert_eq!(
            move_clock(&mut pauses, Some(testing.clone()), day(3)),
            Err(ClockMoveRefusal::Clock(ClockRefusal::AlreadyPaused))
        );
        assert_eq!(move_clock(&mut pauses, None, day(4)), Ok(ClockMove::Resume { open: 0 }));
        assert_eq!(move_clock(&mut pauses, Some(testing), day(8)), Ok(ClockMove::Pause));
        assert_eq!(move_clock(&mut pauses, None, day(9)), Ok(ClockMove::Resume { open: 1 }));
        assert_eq!(
            pauses,
            [
                ComplaintPause { reason: PauseReason::Testing, from: day(2), until: Some(day(4)) },
                ComplaintPause { reason: PauseReason::Testing, from: day(8), until: Some(day(9)) },
            ]
        );
    }

    #[test]
    fn a_decision_names_its_wrongdoer_with_a_severity_and_makes_its_records() {
        let bad = DecideComplaint {
            outcome: Some("accepted".into()),
            remedies: Some(vec!["correct".into(), "refund".into()]),
            decision: None,
            wrongdoer_id: Some("w".into()),
            severity: Some("grave".into()),
            false_complaint: None,
        };
        assert_eq!(
            codes(read_decision(bad).unwrap_err()),
            [
                pair("outcome", "unknown_value"),
                pair("decision", "required"),
                pair("remedies[1]", "unknown_value"),
                pair("severity", "unknown_value"),
            ]
        );
        let no_severity = DecideComplaint {
            outcome: Some("upheld".into()),
            decision: Some("京密住建投诉决〔2026〕2号".into()),
            wrongdoer_id: Some("w".into()),
            ..DecideComplaint::default()
        };
        assert_eq!(codes(read_decision(no_severity.clone()).unwrap_err()), [pair("severity", "required")]);

        let upheld = read_decision(DecideComplaint {
            severity: Some("serious".into()),
            remedies: Some(vec!["re_evaluate".into()]),
            false_complaint: Some(false),
            ..no_severity
        })
        .unwrap();
        assert_eq!(upheld.remedies, [Remedy::ReEvaluate]);
        assert_eq!(
            upheld.findings("c"),
            [Finding { participant_id: "w".into(), kind: RecordKind::ViolationFinding, severity: Severity::Serious }]
        );
        let false_complaint = read_decision(DecideComplaint {
            outcome: Some("dismissed".into()),
            decision: Some("驳回".into()),
            false_complaint: Some(true),
            ..DecideComplaint::default()
        })
        .unwrap();
        assert_eq!(
            false_complaint.findings("c"),
            [Finding { participant_id: "c".into(), kind: RecordKind::FalseComplaint, severity: Severity::General }]
        );
    }

    #[test]
    fn a_decisions_findings_become_bad_records_of_the_regulator() {
        let policy = CreditPolicy::seed();
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let decided = ComplaintDecisionValues {
            outcome: ComplaintOutcome::Upheld,
            decision: "京密住建决〔2026〕3号".into(),
            remedies: Vec::new(),
            wrongdoer: Some(("w1".into(), Severity::Serious)),
            false_complaint: true,
        };
        let mut next = 0;
        let records = finding_records(decided.findings("c1"), "住建委", &decided.decision, today, &policy, || {
            next += 1;
            format!("r{next}")
        })
        .unwrap();
        let made: Vec<(&str, &str, RecordKind, Option<Severity>)> =
            records.iter().map(|r| (r.id.as_str(), r.participant_id.as_str(), r.kind, r.severity)).collect();
        assert_eq!(
            made,
            vec![
                ("r1", "w1", RecordKind::ViolationFinding, Some(Severity::Serious)),
                ("r2", "c1", RecordKind::FalseComplaint, Some(Severity::General)),
            ]
        );
        assert!(records.iter().all(|r| r.source == "住建委" && r.decided_on == today && r.repaired_on.is_none()));
        assert!(records.iter().all(|r| r.decision == "京密住建决〔2026〕3号"));
        let serious = policy.publication.publication_months(Severity::Serious, None, None).unwrap();
        let general = policy.publication.publication_months(Severity::General, None, None).unwrap();
        assert_eq!((records[0].publication_months, records[1].publication_months), (serious, general));
        assert!(serious.is_some() && general.is_some());
        let none = finding_records(Vec::new(), "住建委", "d", today, &policy, String::new).unwrap();
        assert!(none.is_empty());
    }

    #[test]
    fn a_finding_the_policy_cannot_publish_refuses_the_records() {
        let policy = CreditPolicy::seed();
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let good = Finding { participant_id: "p".into(), kind: RecordKind::Performance, severity: Severity::General };
        let refused = finding_records(vec![good], "住建委", "d", today, &policy, || "r".into()).unwrap_err();
        assert_eq!((refused.field.as_str(), refused.code.as_str()), ("severity", "not_applicable"));
    }
}
