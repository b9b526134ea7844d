//! Deadline arithmetic, in one place for the whole platform.
//!
//! Counting (RULES.md "Day counting", 民法典 §201–203, 94号令 §42): the Beijing-time
//! date of the triggering event is not counted; a period of calendar days that ends on a
//! non-working day ends on the next working day; working days skip weekends and listed
//! holidays and count make-up workdays; a period ends at 24:00 Beijing time
//! (16:00 UTC). A year whose official holiday arrangement is not loaded is counted with
//! the provisional calendar of the holiday law, and the deadline says so
//! ([`Deadline::provisional`], [`Deadline::provisional_years`]).
//!
//! A `before` period (e.g. an objection "投标截止时间 10 日前") is counted back from the
//! event, whose date is again not counted: the act must happen by 24:00 of
//! `event date − amount` (calendar days, no moving: moving either way would shorten the
//! period or the party's time), or of the `amount`-th working day before the event.
//!
//! Reading a [`Deadline`]:
//! - `at_most` after an event (reply, refund, complaint window): on time when the act
//!   happens before [`Deadline::due`] ([`Deadline::is_on_time`]);
//! - `at_least` after an event (publicity, announcement): the period has run once
//!   [`Deadline::due`] has passed ([`Deadline::has_elapsed`]); a period that closes with
//!   an event dated on its last day (a bid deadline closing the bidding period, counted
//!   "至投标截止之日止") may close on [`Deadline::end_date`] or later
//!   ([`Deadline::permits_closing_on`]);
//! - `before` an event: the act must happen before [`Deadline::due`].

use chrono::{DateTime, NaiveDate, Utc};
use ggzy_kernel::{end_of_local_day, local_date, Answer, CalendarError, FieldError, WorkingCalendar};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::definitions::definition;
use crate::ruleset::{Bound, Direction, RuleSet, TimeLimit, TimeUnit};

/// A computed deadline of one time limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Deadline {
    #[schema(example = "construction.objection.reply")]
    pub rule_id: String,
    /// The last day of the period (Beijing date), after moving off non-working days.
    #[schema(value_type = String, format = Date, example = "2026-10-08")]
    pub end_date: NaiveDate,
    /// 24:00 Beijing time of `end_date`, i.e. `end_date` 16:00 UTC.
    #[schema(value_type = String, format = DateTime, example = "2026-10-08T16:00:00Z")]
    pub due: DateTime<Utc>,
    pub amount: u32,
    pub unit: TimeUnit,
    pub bound: Bound,
    pub direction: Direction,
    #[schema(example = "objection_received")]
    pub counts_from: String,
    /// Source of the rule, e.g. `招标投标法实施条例 §22, §54`.
    pub source: String,
    /// True when the period was counted through a year whose official holiday arrangement
    /// is not loaded (with the holidays the law fixes and no make-up workdays): the date
    /// may move when the State Council's notice is loaded.
    pub provisional: bool,
    /// The years counted provisionally; empty when `provisional` is false.
    #[schema(example = json!([2027]))]
    pub provisional_years: Vec<i32>,
}

impl Deadline {
    /// Whether an act at `at` meets an `at_most` period or a `before` period: strictly
    /// before 24:00 Beijing time of the last day.
    pub fn is_on_time(&self, at: DateTime<Utc>) -> bool {
        at < self.due
    }

    /// Whether an `at_least` period has fully run at `at`.
    pub fn has_elapsed(&self, at: DateTime<Utc>) -> bool {
        at >= self.due
    }

    /// Whether an `at_least` period that closes with an event on its last day (such as
    /// the bid deadline closing the bidding period) may close on the Beijing date `date`.
    ///
    /// The tendering law counts such a period up to and including the day of the event
    /// (招标投标法 §24: "自招标文件开始发出之日起至投标人提交投标文件截止之日止，最短不得少于
    /// 二十日"), so the event may fall on the last day.
    pub fn permits_closing_on(&self, date: NaiveDate) -> bool {
        date >= self.end_date
    }

    /// Whether an event that a notice period must precede in full may start on the Beijing
    /// date `date`: "announced at least N days before the start" (land.announcement,
    /// mining.announcement, property.disclosure of RULES.md) leaves the N days whole before
    /// the start day, so the start day is not one of them and the earliest start is the day
    /// after `end_date` — the date of `due` (24:00 of `end_date`).
    pub fn permits_starting_on(&self, date: NaiveDate) -> bool {
        date > self.end_date
    }

    /// The earliest Beijing date an event may start on under [`Deadline::permits_starting_on`].
    pub fn earliest_start(&self) -> NaiveDate {
        self.end_date.succ_opt().unwrap_or(self.end_date)
    }
}

/// Why a deadline could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeadlineError {
    #[error("规则集中没有期限规则 \"{0}\"")]
    UnknownRule(String),
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

impl DeadlineError {
    /// Stable code, e.g. `unknown_time_limit` or `calendar_year_out_of_range`.
    pub fn code(&self) -> &'static str {
        match self {
            DeadlineError::UnknownRule(_) => "unknown_time_limit",
            DeadlineError::Calendar(e) => e.code(),
        }
    }
}

/// A deadline that cannot be counted, as the caller is told: a rule without a time limit is
/// the request's fault (its `rule_id`); a calendar that does not reach the span is the
/// platform's state, not the caller's, and its words say which year to load.
impl From<DeadlineError> for Answer {
    fn from(error: DeadlineError) -> Self {
        match error {
            DeadlineError::UnknownRule(rule) => Answer::Invalid(vec![FieldError::new(
                "rule_id",
                "unknown_time_limit",
                format!("“{rule}”不是有期限的规则"),
            )]),
            DeadlineError::Calendar(calendar) => Answer::Conflict(calendar.to_string()),
        }
    }
}

/// The last day and the expiry instant of `limit` for an event at `event`.
pub fn due_by(
    limit: &TimeLimit,
    event: DateTime<Utc>,
    calendar: &WorkingCalendar,
) -> Result<(NaiveDate, DateTime<Utc>), CalendarError> {
    let event_date = local_date(event);
    let end_date = match (limit.direction, limit.unit) {
        (Direction::After, TimeUnit::Days) => calendar.add_calendar_days(event_date, limit.amount)?,
        (Direction::After, TimeUnit::WorkingDays) => calendar.add_working_days(event_date, limit.amount)?,
        (Direction::Before, TimeUnit::Days) => {
            event_date.checked_sub_days(chrono::Days::new(u64::from(limit.amount))).ok_or(CalendarError::OutOfRange)?
        }
        (Direction::Before, TimeUnit::WorkingDays) => sub_working_days(calendar, event_date, limit.amount)?,
    };
    Ok((end_date, end_of_local_day(end_date)))
}

/// The provisional years whose days the count of `limit` from `event` to `end_date`
/// looked at: none for a period of calendar days counted back (no day is looked at), the
/// span from the nominal end to the moved end for calendar days, the whole span for
/// working days.
pub fn provisional_years_of(
    limit: &TimeLimit,
    event: DateTime<Utc>,
    end_date: NaiveDate,
    calendar: &WorkingCalendar,
) -> Vec<i32> {
    let event_date = local_date(event);
    match (limit.direction, limit.unit) {
        (Direction::Before, TimeUnit::Days) => Vec::new(),
        (Direction::After, TimeUnit::Days) => {
            let nominal = event_date.checked_add_days(chrono::Days::new(u64::from(limit.amount))).unwrap_or(end_date);
            calendar.provisional_years_between(nominal, end_date)
        }
        (_, TimeUnit::WorkingDays) => calendar.provisional_years_between(event_date, end_date),
    }
}

/// The day on which the `days`-th working day before `event` falls (the event day is
/// not counted); `days == 0` is the event day itself.
fn sub_working_days(calendar: &WorkingCalendar, event: NaiveDate, days: u32) -> Result<NaiveDate, CalendarError> {
    let mut day = event;
    let mut counted = 0;
    while counted < days {
        day = day.pred_opt().ok_or(CalendarError::OutOfRange)?;
        if calendar.is_working_day(day)? {
            counted += 1;
        }
    }
    Ok(day)
}

/// What loading the official calendar of a year does to a running clock that was counted
/// with the provisional one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recount {
    /// Nothing changes: the official count agrees, or the clock had already run out when
    /// the year was loaded (what followed from it has happened and is not undone).
    Unchanged,
    /// The official count ends later: the clock moves to it.
    Moved { from: DateTime<Utc>, to: DateTime<Utc> },
    /// The official count ends earlier: the provisional due date, which the parties were
    /// shown and may have relied on, stands (the later of the two).
    Kept { due: DateTime<Utc>, official: DateTime<Utc> },
}

impl Recount {
    /// The due date the clock has after the recount.
    pub fn due(&self, provisional_due: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            Recount::Unchanged => provisional_due,
            Recount::Moved { to, .. } => *to,
            Recount::Kept { due, .. } => *due,
        }
    }
}

/// Decides the recount of a clock due at `provisional_due` whose official count is
/// `official_due`, at `now`: a clock never moves earlier, and a clock already run out
/// does not move at all.
pub fn recount(provisional_due: DateTime<Utc>, official_due: DateTime<Utc>, now: DateTime<Utc>) -> Recount {
    if provisional_due <= now || official_due == provisional_due {
        Recount::Unchanged
    } else if official_due > provisional_due {
        Recount::Moved { from: provisional_due, to: official_due }
    } else {
        Recount::Kept { due: provisional_due, official: official_due }
    }
}

impl RuleSet {
    /// The deadline of time limit `rule_id` for an event at `event`, counted with
    /// `calendar` (see the module documentation for the counting rules).
    pub fn due(
        &self,
        rule_id: &str,
        event: DateTime<Utc>,
        calendar: &WorkingCalendar,
    ) -> Result<Deadline, DeadlineError> {
        let limit = self.time_limit(rule_id).ok_or_else(|| DeadlineError::UnknownRule(rule_id.to_owned()))?;
        let (end_date, due) = due_by(limit, event, calendar)?;
        let provisional_years = provisional_years_of(limit, event, end_date, calendar);
        Ok(Deadline {
            provisional: !provisional_years.is_empty(),
            provisional_years,
            rule_id: limit.rule_id.clone(),
            end_date,
            due,
            amount: limit.amount,
            unit: limit.unit,
            bound: limit.bound,
            direction: limit.direction,
            counts_from: limit.counts_from.clone(),
            source: definition(&limit.rule_id).map_or("", |d| d.source).to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, TimeZone};
    use proptest::prelude::*;

    #[test]
    fn an_uncountable_deadline_is_told_as_the_rule_or_the_year_at_fault() {
        let Answer::Invalid(problems) = Answer::from(DeadlineError::UnknownRule("no.such".into())) else {
            panic!("an unknown rule is the request's fault")
        };
        assert_eq!(problems.len(), 1);
        assert_eq!((problems[0].field.as_str(), problems[0].code.as_str()), ("rule_id", "unknown_time_limit"));
        assert_eq!(problems[0].message, "“no.such”不是有期限的规则");
        let year = DeadlineError::Calendar(CalendarError::YearOutOfRange { year: 2300 });
        assert_eq!(
            Answer::from(year),
            Answer::Conflict("2300 年既未载入官方节假日安排，也不在可按放假办法推算的年份（2008–2200 年）之内".into())
        );
    }

    fn calendar() -> WorkingCalendar {
        WorkingCalendar::official().unwrap()
    }

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// 10:00 Beijing time (02:00 UTC) on a date.
    fn morning(s: &str) -> DateTime<Utc> {
        let d = date(s);
        Utc.with_ymd_and_hms(d.year(), d.month(), d.day(), 2, 0, 0).unwrap()
    }

    fn end_date(rule_id: &str, event: DateTime<Utc>) -> NaiveDate {
        RuleSet::seed().due(rule_id, event, &calendar()).unwrap().end_date
    }

    #[test]
    fn direct_award_publicity_across_spring_festival_2026() {
        // Event Thu 02-12 (not counted). Working days: 02-13 Fri (1), 02-14 Sat make-up
        // workday (2), 02-15..02-23 Spring Festival skipped, 02-24 Tue (3), 02-25 (4),
        // 02-26 Thu (5).
        let d = RuleSet::seed().due("direct_award.publicity", morning("2026-02-12"), &calendar()).unwrap();
        assert_eq!(d.end_date, date("2026-02-26"));
        assert_eq!(d.due, Utc.with_ymd_and_hms(2026, 2, 26, 16, 0, 0).unwrap());
        assert_eq!((d.amount, d.unit, d.bound), (5, TimeUnit::WorkingDays, Bound::AtLeast));
        assert_eq!(d.source, "实施方案 四(一)");
        assert_eq!(d.counts_from, "publicity_start");
    }

    #[test]
    fn a_notice_period_precedes_the_start_in_full_and_a_bidding_period_may_close_on_its_last_day() {
        // Land: announced Wed 10-21, 20 calendar days from 10-22 end on 11-10 (a Tuesday).
        let land = RuleSet::seed().due("land.announcement", morning("2026-10-21"), &calendar()).unwrap();
        assert_eq!(land.end_date, date("2026-11-10"));
        assert!(!land.permits_starting_on(date("2026-11-10")), "the last day is one of the 20");
        assert!(land.permits_starting_on(date("2026-11-11")));
        assert_eq!(land.earliest_start(), date("2026-11-11"));
        // The earliest start is the date of `due` (24:00 of the last day) in Beijing.
        assert_eq!(land.earliest_start(), ggzy_kernel::local_date(land.due));
        // The bidding period closes with the deadline on its last day (法 §24 "至…之日止").
        let bidding = RuleSet::seed().due("construction.bidding_period", morning("2026-10-21"), &calendar()).unwrap();
        assert!(bidding.permits_closing_on(bidding.end_date));
        assert!(!bidding.permits_closing_on(bidding.end_date.pred_opt().unwrap()));
    }

    #[test]
    fn event_late_in_the_utc_day_is_already_the_next_beijing_day() {
        // 2026-02-12T17:30Z is 2026-02-13 01:30 in Beijing, so 02-13 is the uncounted
        // day: 02-14 Sat make-up (1), 02-24 (2), 02-25 (3), 02-26 (4), 02-27 Fri (5).
        let event = Utc.with_ymd_and_hms(2026, 2, 12, 17, 30, 0).unwrap();
        assert_eq!(end_date("direct_award.publicity", event), date("2026-02-27"));
        // 15:59:59Z is still 02-12 23:59:59 in Beijing.
        let event = Utc.with_ymd_and_hms(2026, 2, 12, 15, 59, 59).unwrap();
        assert_eq!(end_date("direct_award.publicity", event), date("2026-02-26"));
    }

    #[test]
    fn make_up_saturday_28_february_counts() {
        // procurement.bond.refund_losers, 5 working days from Mon 02-23 (last holiday):
        // 02-24 (1), 02-25 (2), 02-26 (3), 02-27 (4), 02-28 Sat make-up workday (5).
        assert_eq!(end_date("procurement.bond.refund_losers", morning("2026-02-23")), date("2026-02-28"));
    }

    #[test]
    fn objection_reply_rolls_out_of_national_day() {
        // 3 days from Tue 09-29: 09-30, 10-01, 10-02 → 10-02 is a National Day holiday;
        // 10-03..10-07 are holidays too, so the period ends Thu 10-08.
        let d = RuleSet::seed().due("construction.objection.reply", morning("2026-09-29"), &calendar()).unwrap();
        assert_eq!(d.end_date, date("2026-10-08"));
        assert_eq!(d.due, Utc.with_ymd_and_hms(2026, 10, 8, 16, 0, 0).unwrap());
        assert!(d.is_on_time(Utc.with_ymd_and_hms(2026, 10, 8, 15, 59, 59).unwrap()));
        assert!(!d.is_on_time(Utc.with_ymd_and_hms(2026, 10, 8, 16, 0, 0).unwrap()));
        assert_eq!(d.source, "招标投标法实施条例 §22, §54");

        // 3 days from Wed 10-07 end on Sat 10-10, a make-up workday: no moving.
        assert_eq!(end_date("construction.objection.reply", morning("2026-10-07")), date("2026-10-10"));
        // 3 days from Thu 10-08 end on Sun 10-11, an ordinary Sunday: moves to Mon 10-12.
        assert_eq!(end_date("construction.objection.reply", morning("2026-10-08")), date("2026-10-12"));
    }

    #[test]
    fn complaint_acceptance_counts_the_make_up_saturday() {
        // 3 working days from Wed 09-30: 10-01..10-07 holidays skipped, 10-08 Thu (1),
        // 10-09 Fri (2), 10-10 Sat make-up workday (3).
        assert_eq!(end_date("construction.complaint.acceptance", morning("2026-09-30")), date("2026-10-10"));
    }

    #[test]
    fn procurement_question_window_across_spring_festival() {
        // 7 working days from Tue 02-10: 02-11 (1), 02-12 (2), 02-13 (3), 02-14 Sat
        // make-up (4), 02-15..02-23 skipped, 02-24 (5), 02-25 (6), 02-26 (7).
        assert_eq!(end_date("procurement.question.window", morning("2026-02-10")), date("2026-02-26"));
    }

    #[test]
    fn bidding_period_ending_in_spring_festival_moves_to_the_next_working_day() {
        // 20 days from Mon 01-26: 01-27..01-31 are 5, 02-01..02-15 are 15 → Sun 02-15,
        // a Spring Festival holiday; 02-16..02-23 are holidays too → Tue 02-24.
        let d = RuleSet::seed().due("construction.bidding_period", morning("2026-01-26"), &calendar()).unwrap();
        assert_eq!(d.end_date, date("2026-02-24"));
        assert_eq!(d.due, Utc.with_ymd_and_hms(2026, 2, 24, 16, 0, 0).unwrap());
        assert!(d.permits_closing_on(date("2026-02-24")));
        assert!(!d.permits_closing_on(date("2026-02-23")));
        assert!(d.has_elapsed(Utc.with_ymd_and_hms(2026, 2, 24, 16, 0, 0).unwrap()));
        assert!(!d.has_elapsed(Utc.with_ymd_and_hms(2026, 2, 24, 15, 0, 0).unwrap()));
    }

    #[test]
    fn objections_are_counted_back_from_the_deadline_without_moving() {
        // Bid deadline Fri 2026-10-16 09:30 Beijing (01:30 UTC); 10 days back:
        // 10-15 .. 10-06 are the 10 days → objection by 24:00 of Tue 10-06 (a
        // National Day holiday: calendar days are not moved).
        let deadline = Utc.with_ymd_and_hms(2026, 10, 16, 1, 30, 0).unwrap();
        let d = RuleSet::seed().due("construction.objection.tender_docs", deadline, &calendar()).unwrap();
        assert_eq!(d.end_date, date("2026-10-06"));
        assert_eq!(d.due, Utc.with_ymd_and_hms(2026, 10, 6, 16, 0, 0).unwrap());
        assert_eq!(d.direction, Direction::Before);
        // Prequalification deadline Mon 03-09: objection by Sat 03-07.
        assert_eq!(end_date("construction.objection.prequal_docs", morning("2026-03-09")), date("2026-03-07"));
        // A change 15 days before a bid deadline on Tue 02-24 must be issued by Mon 02-09.
        assert_eq!(end_date("construction.clarification", morning("2026-02-24")), date("2026-02-09"));
    }

    #[test]
    fn working_days_back_skip_holidays() {
        let limit = TimeLimit {
            rule_id: "test".to_owned(),
            amount: 3,
            unit: TimeUnit::WorkingDays,
            bound: Bound::AtLeast,
            direction: Direction::Before,
            counts_from: "bid_deadline".to_owned(),
        };
        // Back from Tue 02-24: 02-15..02-23 skipped, 02-14 Sat make-up (1), 02-13 (2),
        // 02-12 (3).
        let (end, due) = due_by(&limit, morning("2026-02-24"), &calendar()).unwrap();
        assert_eq!(end, date("2026-02-12"));
        assert_eq!(due, end_of_local_day(date("2026-02-12")));
    }

    #[test]
    fn reaching_an_unloaded_year_counts_provisionally_and_says_so() {
        // 5 working days from Mon 2026-12-28: 12-29 (1), 12-30 (2), 12-31 (3), Fri
        // 2027-01-01 is 元旦 by the holiday law, Mon 01-04 (4), Tue 01-05 (5).
        let d = RuleSet::seed().due("procurement.bond.refund_losers", morning("2026-12-28"), &calendar()).unwrap();
        assert_eq!(d.end_date, date("2027-01-05"));
        assert!(d.provisional);
        assert_eq!(d.provisional_years, vec![2027]);
        // Calendar days: 12-30 + 3 = Sat 2027-01-02, moved to Mon 01-04 on the provisional year.
        let d = RuleSet::seed().due("construction.objection.reply", morning("2026-12-30"), &calendar()).unwrap();
        assert_eq!((d.end_date, d.provisional), (date("2027-01-04"), true));
        // A calendar-day period that ends inside an official year looked at no provisional day.
        let d = RuleSet::seed().due("construction.objection.reply", morning("2026-12-20"), &calendar()).unwrap();
        assert_eq!((d.end_date, d.provisional), (date("2026-12-23"), false));
        assert!(d.provisional_years.is_empty());
        // Counting calendar days back looks at no day: 10 days before a 2027 bid deadline.
        let d = RuleSet::seed().due("construction.objection.tender_docs", morning("2027-01-20"), &calendar()).unwrap();
        assert_eq!((d.end_date, d.provisional), (date("2027-01-10"), false));
        // Serialized for the API.
        let json = serde_json::to_value(
            RuleSet::seed().due("procurement.bond.refund_losers", morning("2026-12-28"), &calendar()).unwrap(),
        )
        .unwrap();
        assert_eq!((json["provisional"].clone(), json["provisional_years"].clone()), (true.into(), vec![2027].into()));
    }

    #[test]
    fn a_recount_never_moves_a_clock_earlier_nor_one_already_run_out() {
        let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let provisional = at("2027-02-18T16:00:00Z");
        let now = at("2027-01-10T09:00:00Z");
        let later = at("2027-02-19T16:00:00Z");
        let earlier = at("2027-02-17T16:00:00Z");
        assert_eq!(recount(provisional, provisional, now), Recount::Unchanged);
        assert_eq!(recount(provisional, later, now), Recount::Moved { from: provisional, to: later });
        assert_eq!(recount(provisional, earlier, now), Recount::Kept { due: provisional, official: earlier });
        assert_eq!(recount(provisional, later, now).due(provisional), later);
        assert_eq!(recount(provisional, earlier, now).due(provisional), provisional);
        // Run out before the official year arrived: left alone either way.
        let after = at("2027-02-20T00:00:00Z");
        assert_eq!(recount(provisional, later, after), Recount::Unchanged);
        assert_eq!(recount(provisional, earlier, after), Recount::Unchanged);
        assert_eq!(recount(provisional, later, provisional), Recount::Unchanged);
    }

    proptest! {
        #[test]
        fn a_recounted_clock_is_never_earlier(p in 0i64..10_000, o in 0i64..10_000, n in 0i64..10_000) {
            let base = chrono::DateTime::<Utc>::UNIX_EPOCH;
            let (p, o, n) = (base + chrono::TimeDelta::hours(p), base + chrono::TimeDelta::hours(o), base + chrono::TimeDelta::hours(n));
            let after = recount(p, o, n).due(p);
            prop_assert!(after >= p);
            prop_assert!(after == p || after == o);
            if p <= n { prop_assert_eq!(after, p); }
        }
    }

    #[test]
    fn unknown_rule_is_an_error() {
        let err = RuleSet::seed().due("entry.threshold", morning("2026-03-02"), &calendar()).unwrap_err();
        assert_eq!(err, DeadlineError::UnknownRule("entry.threshold".to_owned()));
        assert_eq!(err.code(), "unknown_time_limit");
    }

    #[test]
    fn every_seed_time_limit_computes_in_2026() {
        let seed = RuleSet::seed();
        let cal = calendar();
        for tl in &seed.time_limits {
            let d = seed.due(&tl.rule_id, morning("2026-06-01"), &cal).unwrap();
            assert!(!d.source.is_empty(), "{}", tl.rule_id);
            assert_eq!(d.due, end_of_local_day(d.end_date));
            match tl.direction {
                Direction::After => assert!(d.end_date > date("2026-06-01")),
                Direction::Before => assert!(d.end_date < date("2026-06-01")),
            }
        }
    }

    proptest! {
        #[test]
        fn after_periods_end_on_a_working_day_at_least_amount_days_later(
            day in 0u32..360, amount in 1u32..20, working in any::<bool>(), hour in 0u32..24
        ) {
            let cal = calendar();
            let event_date = date("2025-01-01") + chrono::Days::new(u64::from(day));
            let event = Utc.with_ymd_and_hms(event_date.year(), event_date.month(), event_date.day(), hour, 0, 0).unwrap();
            let unit = if working { TimeUnit::WorkingDays } else { TimeUnit::Days };
            let limit = TimeLimit {
                rule_id: "p".to_owned(), amount, unit, bound: Bound::AtMost,
                direction: Direction::After, counts_from: "e".to_owned(),
            };
            let (end, due) = due_by(&limit, event, &cal).unwrap();
            let local = local_date(event);
            prop_assert!(cal.is_working_day(end).unwrap());
            prop_assert!(end >= local + chrono::Days::new(u64::from(amount)));
            prop_assert_eq!(due, end_of_local_day(end));
            if working {
                let counted = local.iter_days().skip(1).take_while(|d| *d <= end)
                    .filter(|d| cal.is_working_day(*d).unwrap()).count();
                prop_assert_eq!(counted, amount as usize);
            }
        }
    }
}
