//! When a complaint (投诉) may be filed, and when the regulator must accept it; and whether
//! its decision clock may be paused or resumed. Decided on the facts the service loaded and
//! the project's rule set.

use chrono::{DateTime, Duration, Utc};
use ggzy_kernel::WorkingCalendar;
use ggzy_rules::{rule_ids, DeadlineError, RuleSet};

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
}
