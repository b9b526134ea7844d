//! When an objection (异议) or a procurement question (质疑) may be raised: the window of
//! each stage, decided on the facts the service loaded and the project's rule set.

pub mod request;

use chrono::{DateTime, Utc};
use ggzy_kernel::{end_of_local_day, local_date, WorkingCalendar};
use ggzy_rules::{rule_ids, Deadline, DeadlineError, RuleSet};

ggzy_kernel::closed_enum! {
    /// What is objected to.
    pub enum ObjectionStage {
        /// 对招标文件的异议 (construction.objection.tender_docs)
        TenderDocuments = "tender_documents",
        /// 对开标的异议, at the opening (construction.objection.opening)
        Opening = "opening",
        /// 对评标结果的异议, during candidate publicity (construction.candidates.publicity)
        EvaluationResult = "evaluation_result",
        /// 对直接发包公示的异议 (direct_award.publicity)
        DirectAward = "direct_award",
        /// 质疑: procurement documents, process or result (procurement.question.window)
        ProcurementDocuments = "procurement_documents",
        ProcurementProcess = "procurement_process",
        ProcurementResult = "procurement_result",
    }
}

impl ObjectionStage {
    /// A procurement question (质疑) rather than a tendering objection (异议).
    pub fn is_procurement(self) -> bool {
        matches!(
            self,
            ObjectionStage::ProcurementDocuments
                | ObjectionStage::ProcurementProcess
                | ObjectionStage::ProcurementResult
        )
    }

    /// Whether the award waits for its answer.
    pub fn holds_award(self) -> bool {
        matches!(self, ObjectionStage::EvaluationResult | ObjectionStage::ProcurementResult)
    }

    /// Whether the tendering is suspended until the answer (construction.objection.reply);
    /// an objection at the opening is answered there, a procurement question suspends
    /// nothing by itself.
    pub fn suspends_tendering(self) -> bool {
        !self.is_procurement() && self != ObjectionStage::Opening
    }

    /// The rule the answer is due under, and when, for an objection raised at `now`: a
    /// procurement question within its working days, an objection at the opening by the
    /// end of that Beijing day, any other within construction.objection.reply.
    pub fn reply_due(
        self,
        rule_set: &RuleSet,
        calendar: &WorkingCalendar,
        now: DateTime<Utc>,
    ) -> Result<(&'static str, DateTime<Utc>), DeadlineError> {
        let rule = match self {
            _ if self.is_procurement() => rule_ids::PROCUREMENT_QUESTION_REPLY,
            ObjectionStage::Opening => {
                return Ok((rule_ids::CONSTRUCTION_OBJECTION_OPENING, end_of_local_day(local_date(now))))
            }
            _ => rule_ids::CONSTRUCTION_OBJECTION_REPLY,
        };
        Ok((rule, rule_set.due(rule, now, calendar)?.due))
    }
}

/// Whether an objection's answer is overdue at `now`: none given, and its reply due passed.
pub fn overdue(answered: bool, reply_due: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    !answered && answered_late(reply_due, now)
}

/// Whether an answer given at `now` comes at or after its reply due.
pub fn answered_late(reply_due: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now >= reply_due
}

/// The award is held: a results objection (质疑) is still unanswered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AwardHeld;

impl AwardHeld {
    pub fn detail(self) -> &'static str {
        "对评标结果的异议（质疑）尚未答复，暂不能确定中标人"
    }
}

/// Whether a project's objections (each its stage and whether it is answered) let the award
/// go ahead: not while one at a stage that holds it is unanswered.
pub fn award_may_proceed(objections: &[(ObjectionStage, bool)]) -> Result<(), AwardHeld> {
    if objections.iter().any(|(stage, answered)| !answered && stage.holds_award()) {
        return Err(AwardHeld);
    }
    Ok(())
}

/// A publicity period: from its start until (not including) its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Publicity {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Publicity {
    fn runs_at(self, at: DateTime<Utc>) -> bool {
        self.start <= at && at < self.end
    }
}

/// What an objection's window is decided on, by what it objects to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageFacts {
    /// The tender documents, and the bid deadline of the project's latest announcement.
    TenderDocuments { bid_deadline: DateTime<Utc> },
    /// The opening, and when the section was opened, if it was.
    Opening { opened_at: Option<DateTime<Utc>> },
    /// The evaluation result, and the candidates' publicity, if they were published.
    EvaluationResult { publicity: Option<Publicity> },
    /// A direct award, and its publicity, if one was reported.
    DirectAward { publicity: Option<Publicity> },
    /// A procurement question, and the day the objector says it knew of the harm.
    Procurement { knew_at: Option<DateTime<Utc>> },
}

/// Why an objection may not be raised now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WindowRefusal {
    /// The rule set could not count the limit.
    Deadline(DeadlineError),
    /// Past the limit before the bid deadline (construction.objection.tender_docs).
    TenderDocumentsLate(Deadline),
    /// No opening has been held (construction.objection.opening).
    NoOpening,
    /// An objection to the opening is raised there and then, on its day.
    NotTheOpeningDay,
    /// The candidates are not published (construction.candidates.publicity).
    NoCandidates,
    OutsideCandidatesPublicity {
        ends: DateTime<Utc>,
    },
    /// No direct award was reported (direct_award.publicity).
    NoDirectAward,
    OutsideDirectAwardPublicity {
        ends: DateTime<Utc>,
    },
    /// A procurement question says when its objector knew of the harm.
    KnewAtRequired,
    KnewAtInFuture,
    /// Past the working days after that day (procurement.question.window).
    ProcurementLate(Deadline),
}

/// Whether an objection on `facts` may be raised at `now`; the rule whose window it is in.
pub fn window(
    facts: &StageFacts,
    rule_set: &RuleSet,
    calendar: &WorkingCalendar,
    now: DateTime<Utc>,
) -> Result<&'static str, WindowRefusal> {
    match *facts {
        StageFacts::TenderDocuments { bid_deadline } => {
            let rule = rule_ids::CONSTRUCTION_OBJECTION_TENDER_DOCS;
            let limit = rule_set.due(rule, bid_deadline, calendar).map_err(WindowRefusal::Deadline)?;
            if !limit.is_on_time(now) {
                return Err(WindowRefusal::TenderDocumentsLate(limit));
            }
            Ok(rule)
        }
        StageFacts::Opening { opened_at } => {
            let opened_at = opened_at.ok_or(WindowRefusal::NoOpening)?;
            if local_date(opened_at) != local_date(now) {
                return Err(WindowRefusal::NotTheOpeningDay);
            }
            Ok(rule_ids::CONSTRUCTION_OBJECTION_OPENING)
        }
        StageFacts::EvaluationResult { publicity } => {
            let publicity = publicity.ok_or(WindowRefusal::NoCandidates)?;
            if !publicity.runs_at(now) {
                return Err(WindowRefusal::OutsideCandidatesPublicity { ends: publicity.end });
            }
            Ok(rule_ids::CONSTRUCTION_CANDIDATES_PUBLICITY)
        }
        StageFacts::DirectAward { publicity } => {
            let publicity = publicity.ok_or(WindowRefusal::NoDirectAward)?;
            if !publicity.runs_at(now) {
                return Err(WindowRefusal::OutsideDirectAwardPublicity { ends: publicity.end });
            }
            Ok(rule_ids::DIRECT_AWARD_PUBLICITY)
        }
        StageFacts::Procurement { knew_at } => {
            let rule = rule_ids::PROCUREMENT_QUESTION_WINDOW;
            let knew_at = knew_at.ok_or(WindowRefusal::KnewAtRequired)?;
            if knew_at > now {
                return Err(WindowRefusal::KnewAtInFuture);
            }
            let limit = rule_set.due(rule, knew_at, calendar).map_err(WindowRefusal::Deadline)?;
            if !limit.is_on_time(now) {
                return Err(WindowRefusal::ProcurementLate(limit));
            }
            Ok(rule)
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::{Duration, TimeZone};

    use super::*;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
    }

    fn decide(facts: StageFacts, now: DateTime<Utc>) -> Result<&'static str, WindowRefusal> {
        window(&facts, &RuleSet::seed(), &WorkingCalendar::official().unwrap(), now)
    }

    #[test]
    fn an_answer_is_late_from_its_reply_due_on() {
        let due = at(10, 16);
        // (answered, now, overdue, answered late)
        let cases = [
            (false, at(10, 15), false, false),
            (false, due, true, true),
            (false, at(11, 1), true, true),
            (true, at(10, 15), false, false),
            (true, at(11, 1), false, true),
        ];
        for (answered, now, is_overdue, is_late) in cases {
            assert_eq!(overdue(answered, due, now), is_overdue, "{answered} {now}");
            assert_eq!(answered_late(due, now), is_late, "{now}");
        }
    }

    #[test]
    fn each_stage_says_what_its_answer_is_due_under_and_what_it_holds() {
        let (rule_set, calendar) = (RuleSet::seed(), WorkingCalendar::official().unwrap());
        let now = at(2, 2); // Monday 10:00 Beijing
        let due = |rule| rule_set.due(rule, now, &calendar).unwrap().due;
        for stage in ObjectionStage::ALL.iter().copied() {
            let reply = stage.reply_due(&rule_set, &calendar, now).unwrap();
            let expected = match stage {
                ObjectionStage::ProcurementDocuments
                | ObjectionStage::ProcurementProcess
                | ObjectionStage::ProcurementResult => {
                    (rule_ids::PROCUREMENT_QUESTION_REPLY, due(rule_ids::PROCUREMENT_QUESTION_REPLY))
                }
                // 24:00 Beijing of the opening day.
                ObjectionStage::Opening => (rule_ids::CONSTRUCTION_OBJECTION_OPENING, at(2, 16)),
                _ => (rule_ids::CONSTRUCTION_OBJECTION_REPLY, due(rule_ids::CONSTRUCTION_OBJECTION_REPLY)),
            };
            assert_eq!(reply, expected, "{stage}");
        }
        let suspending: Vec<&str> =
            ObjectionStage::ALL.iter().filter(|s| s.suspends_tendering()).map(|s| s.as_str()).collect();
        assert_eq!(suspending, ["tender_documents", "evaluation_result", "direct_award"]);
        let holding: Vec<&str> = ObjectionStage::ALL.iter().filter(|s| s.holds_award()).map(|s| s.as_str()).collect();
        assert_eq!(holding, ["evaluation_result", "procurement_result"]);
        assert_eq!(ObjectionStage::parse("procurement_process"), Some(ObjectionStage::ProcurementProcess));
        assert_eq!(ObjectionStage::parse("tender_docs"), None);
        // A rule set without the reply limit cannot count it.
        let mut without = RuleSet::seed();
        without.time_limits.retain(|limit| limit.rule_id != rule_ids::CONSTRUCTION_OBJECTION_REPLY);
        assert_eq!(
            ObjectionStage::TenderDocuments.reply_due(&without, &calendar, now),
            Err(DeadlineError::UnknownRule(rule_ids::CONSTRUCTION_OBJECTION_REPLY.into()))
        );
    }

    #[test]
    fn tender_documents_are_objected_to_before_the_limit_ahead_of_the_deadline() {
        let bid_deadline = at(30, 2);
        let rule = rule_ids::CONSTRUCTION_OBJECTION_TENDER_DOCS;
        let limit = RuleSet::seed().due(rule, bid_deadline, &WorkingCalendar::official().unwrap()).unwrap();
        let facts = StageFacts::TenderDocuments { bid_deadline };
        assert_eq!(decide(facts, limit.due - Duration::seconds(1)), Ok(rule));
        assert_eq!(decide(facts, limit.due), Err(WindowRefusal::TenderDocumentsLate(limit)));
    }

    #[test]
    fn the_opening_is_objected_to_on_its_day_and_results_in_their_publicity() {
        // Opened at 10:00 Beijing on the 20th: that Beijing day, not the next.
        let opened = StageFacts::Opening { opened_at: Some(at(20, 2)) };
        assert_eq!(decide(opened, at(20, 15)), Ok(rule_ids::CONSTRUCTION_OBJECTION_OPENING));
        assert_eq!(decide(opened, at(20, 16)), Err(WindowRefusal::NotTheOpeningDay), "00:00 Beijing, the 21st");
        assert_eq!(decide(StageFacts::Opening { opened_at: None }, at(20, 2)), Err(WindowRefusal::NoOpening));
        let publicity = Publicity { start: at(22, 1), end: at(25, 16) };
        let result = StageFacts::EvaluationResult { publicity: Some(publicity) };
        assert_eq!(decide(result, at(22, 1)), Ok(rule_ids::CONSTRUCTION_CANDIDATES_PUBLICITY));
        let outside = Err(WindowRefusal::OutsideCandidatesPublicity { ends: publicity.end });
        assert_eq!(decide(result, at(22, 0)), outside);
        assert_eq!(decide(result, at(25, 16)), outside, "the end is not in the period");
        assert_eq!(
            decide(StageFacts::EvaluationResult { publicity: None }, at(22, 1)),
            Err(WindowRefusal::NoCandidates)
        );
        let direct = StageFacts::DirectAward { publicity: Some(publicity) };
        assert_eq!(decide(direct, at(22, 1)), Ok(rule_ids::DIRECT_AWARD_PUBLICITY), "its start is in the period");
        let after = Err(WindowRefusal::OutsideDirectAwardPublicity { ends: publicity.end });
        assert_eq!(decide(direct, at(22, 0)), after);
        assert_eq!(decide(direct, at(25, 16)), after, "its end is not");
        assert_eq!(decide(StageFacts::DirectAward { publicity: None }, at(24, 1)), Err(WindowRefusal::NoDirectAward));
    }

    #[test]
    fn a_procurement_question_counts_working_days_from_when_its_objector_knew() {
        let knew = at(2, 1);
        let rule = rule_ids::PROCUREMENT_QUESTION_WINDOW;
        let limit = RuleSet::seed().due(rule, knew, &WorkingCalendar::official().unwrap()).unwrap();
        let facts = StageFacts::Procurement { knew_at: Some(knew) };
        assert_eq!(decide(facts, limit.due - Duration::seconds(1)), Ok(rule));
        assert_eq!(decide(facts, limit.due), Err(WindowRefusal::ProcurementLate(limit.clone())));
        assert_eq!(decide(StageFacts::Procurement { knew_at: None }, at(3, 1)), Err(WindowRefusal::KnewAtRequired));
        // A day in the future is refused before any limit is counted; the present is not.
        assert_eq!(decide(facts, knew - Duration::seconds(1)), Err(WindowRefusal::KnewAtInFuture));
        assert_eq!(decide(facts, knew), Ok(rule));
        // Seven working days: knew on Monday 11-02, due at 24:00 Beijing on Wednesday 11-11.
        assert_eq!(limit.due, at(11, 16));
        // A rule set without the time limit cannot count it.
        let mut without = RuleSet::seed();
        without.time_limits.retain(|limit| limit.rule_id != rule);
        let uncounted = window(&facts, &without, &WorkingCalendar::official().unwrap(), at(3, 1));
        assert_eq!(uncounted, Err(WindowRefusal::Deadline(DeadlineError::UnknownRule(rule.into()))));
    }

    #[test]
    fn only_an_unanswered_results_objection_holds_the_award() {
        use ObjectionStage::*;
        assert_eq!(award_may_proceed(&[]), Ok(()));
        assert_eq!(award_may_proceed(&[(EvaluationResult, true), (ProcurementResult, true)]), Ok(()));
        assert_eq!(award_may_proceed(&[(TenderDocuments, false), (Opening, false), (DirectAward, false)]), Ok(()));
        assert_eq!(award_may_proceed(&[(TenderDocuments, false), (EvaluationResult, false)]), Err(AwardHeld));
        assert_eq!(award_may_proceed(&[(ProcurementResult, false)]), Err(AwardHeld));
        assert!(AwardHeld.detail().contains("尚未答复"));
        for stage in ObjectionStage::ALL {
            assert_eq!(award_may_proceed(&[(*stage, false)]).is_err(), stage.holds_award(), "{stage:?}");
        }
    }
}
