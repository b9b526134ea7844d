//! The deadline watch's own decisions on running clocks: a complaint's decision clock (its
//! rule, when it starts and, with its paused days not counted, when it is due), a due date
//! raised to the floor a recount kept, the last day a publicity covers, who is told when a
//! clock is recounted, and what the recount of one clock writes, tells and answers
//! ([`plan_recount`]). No I/O.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use ggzy_kernel::{end_of_local_day, local_date, Answer, CalendarError, WorkingCalendar};
use ggzy_rules::{rule_ids, Category, DeadlineError, Recount, RuleSet};

use crate::complaint::ComplaintPause;
use crate::lifecycle::{ClockKind, ComplaintStatus, RecountOutcome};
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
    NoTimeLimit(String),
    Calendar(CalendarError),
}

impl DecisionClockError {
    /// How it is told: a calendar that cannot count the days is the state of the calendar
    /// (a conflict); a rule without its limit is the platform's own fault, whose words are
    /// logged and never shown (`Err`).
    pub fn answer(self) -> Result<Answer, String> {
        match self {
            DecisionClockError::NoTimeLimit(rule) => Err(format!("no time limit {rule}")),
            DecisionClockError::Calendar(error) => Ok(Answer::Conflict(error.to_string())),
        }
    }
}

/// The span of a complaint's decision clock of `rule` started at `start`: its working days
/// (`rule_set`) counted from the Beijing day after the start, the paused ones not counted,
/// due at the end of the last (Beijing) day; `None` while a pause open stops it.
pub fn decision_span(
    rule: &str,
    start: DateTime<Utc>,
    rule_set: &RuleSet,
    pauses: &[ComplaintPause],
    calendar: &WorkingCalendar,
) -> Result<Option<ClockSpan>, DecisionClockError> {
    let limit = rule_set.time_limit(rule).ok_or_else(|| DecisionClockError::NoTimeLimit(rule.to_owned()))?;
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

/// The people on a clock's sides, as a recount tells them: the project's tenderer and
/// industry regulator, and the one party the clock is about — the objector, complainant,
/// bidder holding the bond, winner or directly awarded contractor.
#[derive(Debug, Clone, Copy)]
pub struct ClockSides<'a> {
    pub tenderer: &'a str,
    pub regulator: Option<&'a str>,
    pub party: Option<&'a str>,
}

/// Who is told when a clock of `kind` is recounted: who must act on it or is waiting for
/// it. A bond's clock in a sealed section goes to its bidder alone
/// ([`bond_clock_parties`]).
pub fn recount_parties(kind: ClockKind, sides: ClockSides<'_>, sealed: bool) -> Vec<String> {
    let named = |ids: &[Option<&str>]| ids.iter().flatten().map(|id| (*id).to_owned()).collect();
    match kind {
        ClockKind::ObjectionAnswer | ClockKind::ContractSigning | ClockKind::DirectAwardPublicity => {
            named(&[sides.party, Some(sides.tenderer)])
        }
        ClockKind::ComplaintAcceptance | ClockKind::ComplaintDecision => named(&[sides.party, sides.regulator]),
        ClockKind::BondRefund => sides.party.map(|bidder| bond_clock_parties(bidder, sealed)).unwrap_or_default(),
        ClockKind::CandidatePublicity => named(&[Some(sides.tenderer)]),
    }
}

/// Whether a clock is counted anew on each reading rather than stored with its subject
/// (a recount that keeps its earlier date records a floor for it instead of a due date).
pub fn counted_on_demand(kind: ClockKind) -> bool {
    matches!(kind, ClockKind::ContractSigning | ClockKind::ComplaintDecision)
}

/// Whether a clock from `event` to `due` was counted through `year` while it was
/// provisional (`official_before`: the official years until the load). Whether it still
/// runs is the recount's own decision.
pub fn counted_through(year: i32, official_before: &[i32], event: DateTime<Utc>, due: DateTime<Utc>) -> bool {
    ggzy_kernel::provisional_span(official_before, event, due).contains(&year)
}

/// A running clock as the recount sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockToRecount {
    pub kind: ClockKind,
    /// The moment it counts from.
    pub event: DateTime<Utc>,
    /// The due date the parties were shown (for an on-demand clock, raised to its floor).
    pub due: DateTime<Utc>,
    /// Who is told (see [`recount_parties`]).
    pub parties: Vec<String>,
    /// A bond's clock in a section still sealed (招标投标法 §22).
    pub sealed: bool,
}

/// What a recount writes for one clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecountWrite {
    /// The stored due date of the clock's subject moves to this one.
    Due(DateTime<Utc>),
    /// An on-demand clock keeps this date as its floor.
    Floor(DateTime<Utc>),
}

/// The recount of one clock: what happened, the date that now holds, what is written, who
/// is told and where it is recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecountPlan {
    pub outcome: RecountOutcome,
    pub provisional_due: DateTime<Utc>,
    pub official_due: DateTime<Utc>,
    pub due: DateTime<Utc>,
    /// Nothing to write when the clock is counted anew anyway (an on-demand clock that
    /// moved) or its stored date stands (a stored clock kept).
    pub write: Option<RecountWrite>,
    /// Each once, in order.
    pub parties: Vec<String>,
    /// Recorded on the section's sealed chain rather than the project's, told to no
    /// webhook subscriber and left out of the loader's answer: a sealed section's bond
    /// names its bidder.
    pub sealed: bool,
}

/// Decides the recount of `clock` whose official count ends at `official_due`, at `now`
/// ([`ggzy_rules::recount`]); `None` when nothing changes.
pub fn plan_recount(clock: &ClockToRecount, official_due: DateTime<Utc>, now: DateTime<Utc>) -> Option<RecountPlan> {
    let decision = ggzy_rules::recount(clock.due, official_due, now);
    let outcome = RecountOutcome::of(&decision)?;
    let write = match (decision, counted_on_demand(clock.kind)) {
        (Recount::Moved { to, .. }, false) => Some(RecountWrite::Due(to)),
        (Recount::Kept { due, .. }, true) => Some(RecountWrite::Floor(due)),
        _ => None,
    };
    let mut parties = clock.parties.clone();
    parties.sort();
    parties.dedup();
    Some(RecountPlan {
        outcome,
        provisional_due: clock.due,
        official_due,
        due: decision.due(clock.due),
        write,
        parties,
        sealed: clock.sealed && clock.kind == ClockKind::BondRefund,
    })
}

/// How a running clock is counted again with the official calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Counting {
    /// Its rule's working days from its event ([`RuleSet::due`]).
    ByRule,
    /// A complaint's decision clock: its rule's working days with the paused ones not
    /// counted ([`decision_span`]); not recounted while an open pause stops it.
    Paused(Vec<ComplaintPause>),
}

/// The project a running clock belongs to, as its recount needs it.
#[derive(Debug, Clone, Copy)]
pub struct ClockOwner<'a> {
    pub project_id: &'a str,
    pub rule_set_version: i32,
    pub tenderer: &'a str,
    pub regulator: Option<&'a str>,
}

/// A running clock as the loader found it, with what its recount needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunningClock {
    pub project_id: String,
    /// The rule set its project was registered under, which counts it.
    pub rule_set_version: i32,
    pub subject_id: String,
    pub rule_id: String,
    pub counting: Counting,
    pub clock: ClockToRecount,
}

impl RunningClock {
    /// A clock of `kind` about `subject_id` under `rule_id`, counted from `span.0`, shown
    /// due at `span.1`, with the one `party` it is about; counted by its rule.
    pub fn new(
        kind: ClockKind,
        owner: ClockOwner<'_>,
        subject_id: &str,
        rule_id: &str,
        span: ClockSpan,
        party: Option<&str>,
        sealed: bool,
    ) -> RunningClock {
        let sides = ClockSides { tenderer: owner.tenderer, regulator: owner.regulator, party };
        let parties = recount_parties(kind, sides, sealed);
        let (event, due) = span;
        RunningClock {
            project_id: owner.project_id.to_owned(),
            rule_set_version: owner.rule_set_version,
            subject_id: subject_id.to_owned(),
            rule_id: rule_id.to_owned(),
            counting: Counting::ByRule,
            clock: ClockToRecount { kind, event, due, parties, sealed },
        }
    }

    /// The same clock counted with its `pauses` not counted.
    pub fn paused(self, pauses: Vec<ComplaintPause>) -> RunningClock {
        RunningClock { counting: Counting::Paused(pauses), ..self }
    }
}

/// The load of a year's official arrangement that a recount follows.
#[derive(Debug, Clone, Copy)]
pub struct YearLoaded<'a> {
    pub year: i32,
    /// The official years until the load.
    pub official_before: &'a [i32],
    /// The calendar with the year's official arrangement.
    pub official: &'a WorkingCalendar,
    pub now: DateTime<Utc>,
}

/// Why a running clock could not be counted again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecountError {
    Deadline(DeadlineError),
    DecisionClock(DecisionClockError),
    /// The rule set a clock's project was registered under was not given.
    NoRuleSet(i32),
}

impl RecountError {
    /// How it is told, as its deadline or decision clock is; a rule set missing is the
    /// platform's own fault (`Err`, logged and never shown).
    pub fn answer(self) -> Result<Answer, String> {
        match self {
            RecountError::Deadline(error) => Ok(Answer::from(error)),
            RecountError::DecisionClock(error) => error.answer(),
            RecountError::NoRuleSet(version) => Err(format!("rule set {version} missing")),
        }
    }
}

/// A clock the recount moved or kept, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recounted {
    pub running: RunningClock,
    pub plan: RecountPlan,
}

/// Recounts every running clock that was counted through the loaded year while it was
/// provisional ([`counted_through`]): each counted again with the official calendar under
/// the rule set of its project (`rule_sets`, by version) and settled by
/// [`plan_recount`]. The clocks that moved or kept their date, in the order given; the
/// others (not counted through the year, stopped by a pause, run out, unchanged) left out.
pub fn recount(
    loaded: YearLoaded<'_>,
    running: Vec<RunningClock>,
    rule_sets: &BTreeMap<i32, RuleSet>,
) -> Result<Vec<Recounted>, RecountError> {
    let mut recounted = Vec::new();
    for running in running {
        let ClockToRecount { event, due, .. } = running.clock;
        if !counted_through(loaded.year, loaded.official_before, event, due) {
            continue;
        }
        let version = running.rule_set_version;
        let rule_set = rule_sets.get(&version).ok_or(RecountError::NoRuleSet(version))?;
        let official_due = match &running.counting {
            Counting::ByRule => {
                rule_set.due(&running.rule_id, event, loaded.official).map_err(RecountError::Deadline)?.due
            }
            Counting::Paused(pauses) => {
                match decision_span(&running.rule_id, event, rule_set, pauses, loaded.official)
                    .map_err(RecountError::DecisionClock)?
                {
                    Some((_, due)) => due,
                    None => continue,
                }
            }
        };
        if let Some(plan) = plan_recount(&running.clock, official_due, loaded.now) {
            recounted.push(Recounted { running, plan });
        }
    }
    Ok(recounted)
}

#[cfg(test)]
mod answer_tests {
    use super::*;

    #[test]
    fn a_clock_that_cannot_be_counted_is_a_conflict_of_the_calendar_or_the_platforms_fault() {
        let no_limit = DecisionClockError::NoTimeLimit("r1".into());
        assert_eq!(no_limit.clone().answer(), Err("no time limit r1".into()));
        assert_eq!(RecountError::DecisionClock(no_limit).answer(), Err("no time limit r1".into()));
        assert_eq!(RecountError::NoRuleSet(3).answer(), Err("rule set 3 missing".into()));
        let calendar = CalendarError::YearOutOfRange { year: 2301 };
        let told = DecisionClockError::Calendar(calendar.clone()).answer();
        assert_eq!(told, Ok(Answer::Conflict(calendar.to_string())));
        let deadline = DeadlineError::Calendar(calendar);
        assert_eq!(RecountError::Deadline(deadline.clone()).answer(), Ok(Answer::from(deadline)));
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
        assert_eq!(
            decision_span(rule, start, &bare, &[], &calendar),
            Err(DecisionClockError::NoTimeLimit(rule.to_owned()))
        );
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

    fn sides<'a>(regulator: Option<&'a str>, party: Option<&'a str>) -> ClockSides<'a> {
        ClockSides { tenderer: "t", regulator, party }
    }

    fn owned(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|id| (*id).to_owned()).collect()
    }

    #[test]
    fn each_clock_is_told_to_those_on_its_sides() {
        use ClockKind::*;
        let table: &[(ClockKind, ClockSides<'_>, bool, &[&str])] = &[
            (ObjectionAnswer, sides(Some("r"), Some("objector")), false, &["objector", "t"]),
            (ComplaintAcceptance, sides(Some("r"), Some("complainant")), false, &["complainant", "r"]),
            (ComplaintDecision, sides(None, Some("complainant")), false, &["complainant"]),
            (BondRefund, sides(Some("r"), Some("bidder")), false, &["bidder", "centre"]),
            (BondRefund, sides(Some("r"), Some("bidder")), true, &["bidder"]),
            (CandidatePublicity, sides(Some("r"), Some("x")), false, &["t"]),
            (ContractSigning, sides(Some("r"), Some("winner")), false, &["winner", "t"]),
            (ContractSigning, sides(Some("r"), None), false, &["t"]),
            (DirectAwardPublicity, sides(None, Some("contractor")), false, &["contractor", "t"]),
        ];
        for (kind, sides, sealed, told) in table {
            assert_eq!(recount_parties(*kind, *sides, *sealed), owned(told), "{kind:?} sealed={sealed}");
        }
    }

    #[test]
    fn a_clock_counted_across_the_loaded_year_is_recounted() {
        let event = at(2026, 12, 20, 2);
        // Counted into 2027 while only 2026 was official.
        assert!(counted_through(2027, &[2026], event, at(2027, 1, 8, 16)));
        // 2027 was already official: a correction, not the end of a provisional count.
        assert!(!counted_through(2027, &[2026, 2027], event, at(2027, 1, 8, 16)));
        // Ends in 2026: the new year plays no part.
        assert!(!counted_through(2027, &[2026], event, at(2026, 12, 28, 16)));
        // Another year loaded.
        assert!(!counted_through(2028, &[2026], event, at(2027, 1, 8, 16)));
    }

    fn clock(kind: ClockKind, due: DateTime<Utc>, sealed: bool) -> ClockToRecount {
        ClockToRecount { kind, event: at(2026, 12, 20, 2), due, parties: owned(&["b", "a", "b"]), sealed }
    }

    #[test]
    fn a_recount_writes_a_stored_clocks_move_and_an_on_demand_clocks_floor() {
        use ClockKind::*;
        let now = at(2026, 12, 30, 2);
        let due = at(2027, 1, 8, 16);
        let later = due + TimeDelta::days(2);
        let earlier = due - TimeDelta::days(2);
        type Recounted = Option<(RecountOutcome, DateTime<Utc>, Option<RecountWrite>)>;
        let table: &[(ClockKind, DateTime<Utc>, Recounted)] = &[
            (ObjectionAnswer, later, Some((RecountOutcome::Moved, later, Some(RecountWrite::Due(later))))),
            (ObjectionAnswer, earlier, Some((RecountOutcome::Kept, due, None))),
            (BondRefund, later, Some((RecountOutcome::Moved, later, Some(RecountWrite::Due(later))))),
            (ContractSigning, later, Some((RecountOutcome::Moved, later, None))),
            (ContractSigning, earlier, Some((RecountOutcome::Kept, due, Some(RecountWrite::Floor(due))))),
            (ComplaintDecision, earlier, Some((RecountOutcome::Kept, due, Some(RecountWrite::Floor(due))))),
            (DirectAwardPublicity, due, None),
        ];
        for (kind, official, expected) in table {
            let plan = plan_recount(&clock(*kind, due, false), *official, now);
            assert_eq!(plan.as_ref().map(|p| (p.outcome, p.due, p.write)), *expected, "{kind:?} to {official}");
        }
        // A clock already run out is not touched.
        assert_eq!(plan_recount(&clock(ObjectionAnswer, due, false), later, due), None);
    }

    #[test]
    fn a_recounts_parties_are_told_once_and_a_sealed_bond_stays_sealed() {
        let due = at(2027, 1, 8, 16);
        let now = at(2026, 12, 30, 2);
        let official = due + TimeDelta::days(1);
        let plan = plan_recount(&clock(ClockKind::BondRefund, due, true), official, now).unwrap();
        assert_eq!(plan.parties, owned(&["a", "b"]));
        assert!(plan.sealed);
        assert_eq!((plan.provisional_due, plan.official_due), (due, official));
        let open = plan_recount(&clock(ClockKind::BondRefund, due, false), official, now).unwrap();
        assert!(!open.sealed);
        // Only a bond's clock is ever sealed.
        let objection = plan_recount(&clock(ClockKind::ObjectionAnswer, due, true), official, now).unwrap();
        assert!(!objection.sealed);
    }

    fn owner() -> ClockOwner<'static> {
        ClockOwner { project_id: "p", rule_set_version: 1, tenderer: "t", regulator: Some("r") }
    }

    /// 2026 loaded as official after 2019 to 2025, an hour after the events below.
    fn loaded(official: &WorkingCalendar) -> YearLoaded<'_> {
        YearLoaded {
            year: 2026,
            official_before: &[2019, 2020, 2021, 2022, 2023, 2024, 2025],
            official,
            now: at(2025, 12, 21, 2),
        }
    }

    fn rule_sets() -> BTreeMap<i32, RuleSet> {
        BTreeMap::from([(1, RuleSet::seed())])
    }

    fn objection(subject: &str, due: DateTime<Utc>) -> RunningClock {
        let rule = rule_ids::CONSTRUCTION_OBJECTION_REPLY;
        RunningClock::new(
            ClockKind::ObjectionAnswer,
            owner(),
            subject,
            rule,
            (at(2025, 12, 30, 2), due),
            Some("o"),
            false,
        )
    }

    #[test]
    fn a_running_clock_knows_its_project_and_who_hears_of_it() {
        let clock = objection("x", at(2026, 1, 5, 16));
        assert_eq!((clock.project_id.as_str(), clock.rule_set_version, clock.subject_id.as_str()), ("p", 1, "x"));
        assert_eq!(clock.clock.parties, owned(&["o", "t"]));
        assert_eq!(clock.counting, Counting::ByRule);
        let pause = ComplaintPause { reason: PauseReason::Testing, from: date("2025-12-22"), until: None };
        assert_eq!(clock.paused(vec![pause.clone()]).counting, Counting::Paused(vec![pause]));
    }

    #[test]
    fn the_recount_counts_each_clock_through_the_year_with_the_official_calendar() {
        let calendar = WorkingCalendar::official().unwrap();
        let rule = rule_ids::CONSTRUCTION_OBJECTION_REPLY;
        let official = RuleSet::seed().due(rule, at(2025, 12, 30, 2), &calendar).unwrap().due;
        assert!(official > at(2025, 12, 31, 16), "the example counts into 2026");
        let shown_later = official + TimeDelta::days(2);
        let shown_earlier = official - TimeDelta::days(2);
        let within_2025 = RunningClock {
            clock: ClockToRecount { due: at(2025, 12, 31, 15), ..objection("within", official).clock },
            ..objection("within", official)
        };
        let clocks = vec![objection("kept", shown_later), within_2025, objection("moved", shown_earlier)];
        let recounted = recount(loaded(&calendar), clocks, &rule_sets()).unwrap();
        let seen: Vec<_> = recounted
            .iter()
            .map(|r| (r.running.subject_id.as_str(), r.plan.outcome, r.plan.due, r.plan.write, r.plan.official_due))
            .collect();
        assert_eq!(
            seen,
            vec![
                ("kept", RecountOutcome::Kept, shown_later, None, official),
                ("moved", RecountOutcome::Moved, official, Some(RecountWrite::Due(official)), official),
            ]
        );
    }

    #[test]
    fn a_decision_clock_is_recounted_with_its_paused_days_and_not_while_paused() {
        let calendar = WorkingCalendar::official().unwrap();
        let rule = rule_ids::CONSTRUCTION_COMPLAINT_DECISION;
        let start = at(2025, 12, 30, 2);
        let (_, unpaused) = decision_span(rule, start, &RuleSet::seed(), &[], &calendar).unwrap().unwrap();
        let closed =
            ComplaintPause { reason: PauseReason::Testing, from: date("2025-12-31"), until: Some(date("2026-01-06")) };
        let (_, paused) =
            decision_span(rule, start, &RuleSet::seed(), std::slice::from_ref(&closed), &calendar).unwrap().unwrap();
        assert!(paused > unpaused);
        let decision = |subject: &str, pauses: Vec<ComplaintPause>| {
            let kind = ClockKind::ComplaintDecision;
            let span = (start, at(2026, 1, 2, 16));
            RunningClock::new(kind, owner(), subject, rule, span, Some("c"), false).paused(pauses)
        };
        let open = ComplaintPause { until: None, ..closed.clone() };
        let clocks = vec![decision("closed", vec![closed]), decision("open", vec![open])];
        let recounted = recount(loaded(&calendar), clocks, &rule_sets()).unwrap();
        assert_eq!(recounted.len(), 1, "an open pause stops the clock: nothing to recount");
        assert_eq!(recounted[0].running.subject_id, "closed");
        assert_eq!(
            (recounted[0].plan.due, recounted[0].plan.write),
            (paused, None),
            "an on-demand clock that moved writes nothing"
        );
    }

    #[test]
    fn a_clock_without_its_rule_set_or_rule_is_not_recounted() {
        let calendar = WorkingCalendar::official().unwrap();
        let due = at(2026, 1, 5, 16);
        let other = RunningClock { rule_set_version: 7, ..objection("x", due) };
        assert_eq!(recount(loaded(&calendar), vec![other], &rule_sets()), Err(RecountError::NoRuleSet(7)));
        let unknown = RunningClock { rule_id: "no.such.rule".into(), ..objection("x", due) };
        assert!(matches!(recount(loaded(&calendar), vec![unknown], &rule_sets()), Err(RecountError::Deadline(_))));
        let decision = RunningClock { rule_id: "no.such.rule".into(), ..objection("x", due) }.paused(Vec::new());
        assert_eq!(
            recount(loaded(&calendar), vec![decision], &rule_sets()),
            Err(RecountError::DecisionClock(DecisionClockError::NoTimeLimit("no.such.rule".into())))
        );
        // Not counted through the year: neither is looked at.
        let before = RunningClock {
            clock: ClockToRecount { due: at(2025, 12, 31, 15), ..objection("x", due).clock },
            ..objection("x", due)
        };
        let before = RunningClock { rule_set_version: 7, ..before };
        assert_eq!(recount(loaded(&calendar), vec![before], &rule_sets()), Ok(Vec::new()));
    }
}
