//! The deadline watch's own decisions on running clocks: a complaint's decision clock (its
//! rule, when it starts and, with its paused days not counted, when it is due), a due date
//! raised to the floor a recount kept, the last day a publicity covers, and who is told
//! when a bond's refund clock is recounted. No I/O.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use ggzy_kernel::{end_of_local_day, local_date, CalendarError, WorkingCalendar};
use ggzy_rules::{rule_ids, Category, RuleSet};

use crate::complaint::ComplaintPause;
use crate::lifecycle::ComplaintStatus;
use crate::{paused_deadline, Pause};

/// When a clock started counting and when it is due.
pub type ClockSpan = (DateTime<Utc>, DateTime<Utc>);

/// `due` raised to the `floor` a recount kept for an on-demand clock, if any: the parties
/// were shown the later date, and it stands.
pub fn floored(due: DateTime<Utc>, floor: Option<DateTime<Utc>>) -> DateTime<Utc> {
    floor.map_or(due, |floor| floor.max(due))
}

/// The rule of a complaint's decision clock and the moment it starts: procurement decides
/// within its limit of receipt (`filed_at`), construction of acceptance (`accepted_at`,
/// none before it); a rejected complaint has no decision clock.
pub fn decision_start(
    category: Category,
    status: ComplaintStatus,
    filed_at: DateTime<Utc>,
    accepted_at: Option<DateTime<Utc>>,
) -> (&'static str, Option<DateTime<Utc>>) {
    let (rule, start) = if category == Category::Procurement {
        (rule_ids::PROCUREMENT_COMPLAINT_DECISION, Some(filed_at))
    } else {
        (rule_ids::CONSTRUCTION_COMPLAINT_DECISION, accepted_at)
    };
    (rule, start.filter(|_| status.has_decision_clock()))
}

/// Why a decision clock cannot be counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecisionClockError {
    /// The rule set has no time limit for the clock's rule.
    NoTimeLimit(&'static str),
    Calendar(CalendarError),
}

/// The span of a complaint's decision clock of `rule` started at `start`: its working days
/// (`rule_set`) counted from the Beijing day after the start, the paused ones not counted,
/// due at the end of the last (Beijing) day; `None` while a pause open stops it.
pub fn decision_span(
    rule: &'static str,
    start: DateTime<Utc>,
    rule_set: &RuleSet,
    pauses: &[ComplaintPause],
    calendar: &WorkingCalendar,
) -> Result<Option<ClockSpan>, DecisionClockError> {
    let limit = rule_set.time_limit(rule).ok_or(DecisionClockError::NoTimeLimit(rule))?;
    let pauses: Vec<Pause> = pauses.iter().map(|p| Pause { from: p.from, until: p.until }).collect();
    let end =
        paused_deadline(calendar, local_date(start), limit.amount, &pauses).map_err(DecisionClockError::Calendar)?;
    Ok(end.map(|end| (start, end_of_local_day(end))))
}

/// Whether a complaint's acceptance clock (受理审查) still runs: while it is received and
/// not yet accepted or rejected.
pub fn acceptance_runs(status: ComplaintStatus) -> bool {
    status == ComplaintStatus::Received
}

/// The last Beijing day a period due at `due` (exclusive) covers.
pub fn last_day(due: DateTime<Utc>) -> NaiveDate {
    local_date(due - TimeDelta::seconds(1))
}

/// Who is told when a bond's refund clock is recounted: its bidder and the centre, or its
/// bidder alone while the section is sealed (who bid is secret, 招标投标法 §22).
pub fn bond_clock_parties(bidder_id: &str, sealed: bool) -> Vec<String> {
    if sealed {
        vec![bidder_id.to_owned()]
    } else {
        vec![bidder_id.to_owned(), "centre".to_owned()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::complaint::PauseReason;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_kept_floor_raises_the_due_date_never_lowers_it() {
        let due = at(2026, 12, 10, 16);
        assert_eq!(floored(due, None), due);
        assert_eq!(floored(due, Some(due + TimeDelta::days(1))), due + TimeDelta::days(1));
        assert_eq!(floored(due, Some(due - TimeDelta::days(1))), due);
        assert_eq!(floored(due, Some(due)), due);
    }

    #[test]
    fn procurement_counts_from_receipt_construction_from_acceptance() {
        use ComplaintStatus::*;
        let filed = at(2026, 9, 14, 2);
        let accepted = at(2026, 9, 16, 2);
        assert_eq!(
            decision_start(Category::Procurement, Received, filed, None),
            (rule_ids::PROCUREMENT_COMPLAINT_DECISION, Some(filed))
        );
        assert_eq!(
            decision_start(Category::Procurement, Accepted, filed, Some(accepted)),
            (rule_ids::PROCUREMENT_COMPLAINT_DECISION, Some(filed))
        );
        assert_eq!(
            decision_start(Category::Construction, Received, filed, None),
            (rule_ids::CONSTRUCTION_COMPLAINT_DECISION, None)
        );
        assert_eq!(
            decision_start(Category::Construction, Decided, filed, Some(accepted)),
            (rule_ids::CONSTRUCTION_COMPLAINT_DECISION, Some(accepted))
        );
        // A rejected complaint has no clock, whichever its category.
        assert_eq!(decision_start(Category::Procurement, Rejected, filed, None).1, None);
        assert_eq!(decision_start(Category::Construction, Rejected, filed, Some(accepted)).1, None);
    }

    #[test]
    fn the_decision_clock_skips_paused_days_and_stops_while_paused() {
        let calendar = WorkingCalendar::official().unwrap();
        let rule_set = RuleSet::seed();
        let rule = rule_ids::CONSTRUCTION_COMPLAINT_DECISION;
        let days = rule_set.time_limit(rule).unwrap().amount;
        let start = at(2026, 9, 15, 2);
        let (from, due) = decision_span(rule, start, &rule_set, &[], &calendar).unwrap().unwrap();
        assert_eq!(from, start);
        let unpaused = paused_deadline(&calendar, date("2026-09-15"), days, &[]).unwrap().unwrap();
        assert_eq!(due, end_of_local_day(unpaused));
        let pause =
            ComplaintPause { reason: PauseReason::Testing, from: date("2026-09-17"), until: Some(date("2026-09-21")) };
        let (_, later) =
            decision_span(rule, start, &rule_set, std::slice::from_ref(&pause), &calendar).unwrap().unwrap();
        assert!(later > due, "paused working days are not counted");
        let open = ComplaintPause { until: None, ..pause };
        assert_eq!(decision_span(rule, start, &rule_set, &[open], &calendar), Ok(None));
        let bare = RuleSet { time_limits: Vec::new(), ..RuleSet::seed() };
        assert_eq!(decision_span(rule, start, &bare, &[], &calendar), Err(DecisionClockError::NoTimeLimit(rule)));
    }

    #[test]
    fn only_a_received_complaint_awaits_acceptance() {
        for status in ComplaintStatus::ALL {
            assert_eq!(acceptance_runs(*status), *status == ComplaintStatus::Received, "{status:?}");
        }
    }

    #[test]
    fn a_period_ending_at_midnight_covers_the_day_before() {
        // 24:00 Beijing of 2026-12-10 is 16:00 UTC that day.
        assert_eq!(last_day(end_of_local_day(date("2026-12-10"))), date("2026-12-10"));
        assert_eq!(last_day(at(2026, 12, 10, 16) + TimeDelta::seconds(1)), date("2026-12-11"));
    }

    #[test]
    fn a_sealed_sections_bond_clock_is_told_to_its_bidder_alone() {
        assert_eq!(bond_clock_parties("b", true), vec!["b".to_owned()]);
        assert_eq!(bond_clock_parties("b", false), vec!["b".to_owned(), "centre".to_owned()]);
    }
}
