//! When an objection (异议) or a procurement question (质疑) may be raised: the window of
//! each stage, decided on the facts the service loaded and the project's rule set.

use chrono::{DateTime, Utc};
use ggzy_kernel::{local_date, WorkingCalendar};
use ggzy_rules::{rule_ids, Deadline, DeadlineError, RuleSet};

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
}
