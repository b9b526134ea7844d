//! The China working-day calendar and statutory day counting.
//!
//! Rules (RULES.md "Day counting", 民法典 §201–203): the day of the triggering event is
//! not counted; a period that ends on a non-working day ends on the next working day; a
//! period ends at 24:00 Beijing time. Working days skip Saturdays, Sundays and the State
//! Council's listed holidays, and include its make-up working weekends (调休).
//!
//! Whether a weekday is a holiday is published by the State Council a year at a time. A
//! year whose notice is loaded is *official*; any other year is counted with the
//! *provisional* arrangement the holiday law itself fixes (see [`crate::provisional`]), and
//! every computation can say which provisional years it consulted
//! ([`WorkingCalendar::provisional_years_between`]) so that its result is marked as resting
//! on them. Only years outside [`crate::provisional::PROVISIONAL_YEARS`] fail
//! ([`CalendarError::YearOutOfRange`]).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike, Utc, Weekday};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::validation::FieldError;

/// The official calendar for 2019–2026, compiled in so a fresh install can count days.
const OFFICIAL_CSV: &str = include_str!("../data/cn-calendar.csv");

const CSV_HEADER: &str = "date,kind,name";

/// Beijing time is UTC+8 all year (China has no daylight saving time).
const BEIJING_OFFSET_HOURS: i64 = 8;

crate::closed_enum! {
    /// What the State Council's notice says about one date.
    pub enum DayKind {
        /// 放假：a listed non-working day (may fall on any day of the week).
        Holiday = "holiday",
        /// 调休上班：a Saturday or Sunday made a working day.
        Workday = "workday",
    }
}

/// One listed date of the official holiday arrangement (节假日安排).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CalendarEntry {
    #[schema(value_type = String, format = Date, example = "2026-02-14")]
    pub date: NaiveDate,
    pub kind: DayKind,
    /// The festival the date belongs to, e.g. "Spring Festival" or "春节".
    #[schema(example = "Spring Festival")]
    pub name: String,
}

/// Why a calendar could not be loaded or a date could not be counted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("{year} 年既未载入官方节假日安排，也不在可按放假办法推算的年份（2008–2200 年）之内")]
    YearOutOfRange { year: i32 },
    #[error("{date} 不属于 {year} 年，不能放入 {year} 年的节假日安排")]
    EntryOutsideYear { year: i32, date: NaiveDate },
    #[error("{date} 在节假日安排中出现了不止一次")]
    DuplicateDate { date: NaiveDate },
    #[error("{date} 不是周六或周日，不能登记为调休上班日")]
    WorkdayNotOnWeekend { date: NaiveDate },
    #[error("日历文件缺少表头，第一行应为 \"date,kind,name\"")]
    MissingHeader,
    #[error("日历文件第 {line} 行有误：{reason}")]
    BadRow { line: usize, reason: String },
    #[error("日期超出可计算的范围")]
    OutOfRange,
}

impl CalendarError {
    pub fn code(&self) -> &'static str {
        match self {
            CalendarError::YearOutOfRange { .. } => "calendar_year_out_of_range",
            CalendarError::EntryOutsideYear { .. } => "calendar_entry_outside_year",
            CalendarError::DuplicateDate { .. } => "calendar_duplicate_date",
            CalendarError::WorkdayNotOnWeekend { .. } => "calendar_workday_not_on_weekend",
            CalendarError::MissingHeader => "calendar_missing_header",
            CalendarError::BadRow { .. } => "calendar_bad_row",
            CalendarError::OutOfRange => "calendar_date_out_of_range",
        }
    }

    pub fn to_field_error(&self, field: impl Into<String>) -> FieldError {
        FieldError::new(field, self.code(), self.to_string())
    }
}

/// The loaded holiday arrangements, year by year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkingCalendar {
    years: BTreeMap<i32, BTreeMap<NaiveDate, CalendarEntry>>,
}

impl WorkingCalendar {
    /// The official arrangement for 2019–2026 shipped with the platform.
    pub fn official() -> Result<Self, CalendarError> {
        Self::from_csv(OFFICIAL_CSV)
    }

    /// A calendar with no year loaded; every computation fails until years are loaded.
    pub fn empty() -> Self {
        Self::default()
    }

    /// Reads `date,kind,name` rows (header required; blank lines ignored). Every year
    /// that has at least one row is loaded; errors name the 1-based line.
    pub fn from_csv(csv: &str) -> Result<Self, CalendarError> {
        let mut lines = csv.lines().enumerate().map(|(i, l)| (i + 1, l.trim())).filter(|(_, l)| !l.is_empty());
        match lines.next() {
            Some((_, header)) if header.trim_start_matches('\u{feff}') == CSV_HEADER => {}
            _ => return Err(CalendarError::MissingHeader),
        }

        let mut by_year: BTreeMap<i32, Vec<CalendarEntry>> = BTreeMap::new();
        let mut seen: HashMap<NaiveDate, usize> = HashMap::new();
        for (line, text) in lines {
            let bad = |reason: String| CalendarError::BadRow { line, reason };
            let entry = parse_row(text).map_err(bad)?;
            if let Some(first) = seen.insert(entry.date, line) {
                return Err(bad(format!("{} 与第 {first} 行重复", entry.date)));
            }
            check_entry_weekday(&entry).map_err(|e| bad(e.to_string()))?;
            by_year.entry(entry.date.year()).or_default().push(entry);
        }

        let mut calendar = Self::empty();
        for (year, entries) in by_year {
            calendar.load_year(year, entries)?;
        }
        Ok(calendar)
    }

    /// Loads (or replaces) the arrangement of one year.
    ///
    /// Every entry must lie in `year`, no date may appear twice (so a date cannot be
    /// both kinds), and a make-up workday must be a Saturday or Sunday. A holiday may
    /// fall on any day: a festival that covers a weekend lists the weekend too.
    /// An empty list is allowed and means "no listed dates": weekends only.
    pub fn load_year(&mut self, year: i32, entries: Vec<CalendarEntry>) -> Result<(), CalendarError> {
        let mut dates = BTreeMap::new();
        for entry in entries {
            if entry.date.year() != year {
                return Err(CalendarError::EntryOutsideYear { year, date: entry.date });
            }
            check_entry_weekday(&entry)?;
            let date = entry.date;
            if dates.insert(date, entry).is_some() {
                return Err(CalendarError::DuplicateDate { date });
            }
        }
        self.years.insert(year, dates);
        Ok(())
    }

    /// Loaded years, ascending.
    pub fn years(&self) -> Vec<i32> {
        self.years.keys().copied().collect()
    }

    /// The listed dates of `year` in date order, or `None` when it is not loaded.
    pub fn entries(&self, year: i32) -> Option<Vec<CalendarEntry>> {
        self.years.get(&year).map(|d| d.values().cloned().collect())
    }

    /// Whether the official arrangement of `year` is loaded.
    pub fn is_loaded(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// Whether `year` is counted with the provisional arrangement (no official one loaded).
    pub fn is_provisional(&self, year: i32) -> bool {
        !self.is_loaded(year)
    }

    /// The years between two dates (both included, in either order) that are counted
    /// provisionally: a computation that looked at days in that span rests on them.
    pub fn provisional_years_between(&self, a: NaiveDate, b: NaiveDate) -> Vec<i32> {
        let official: Vec<i32> = self.years();
        years_not_official(&official, a, b)
    }

    /// The listed days of `year`: the official arrangement when loaded, else the
    /// provisional one (holidays of the law and their make-up days, no make-up workdays).
    pub fn effective_entries(&self, year: i32) -> Result<Vec<CalendarEntry>, CalendarError> {
        match self.entries(year) {
            Some(entries) => Ok(entries),
            None => crate::provisional::provisional_year(year),
        }
    }

    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        let year = date.year();
        let listed = match self.years.get(&year) {
            Some(listed) => listed.get(&date).map(|entry| entry.kind),
            None => crate::provisional::provisional_listed(year)?.get(&date).map(|entry| entry.kind),
        };
        Ok(match listed {
            Some(kind) => kind == DayKind::Workday,
            None => !is_weekend(date),
        })
    }

    pub fn next_working_day_on_or_after(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        // Terminates: every year has weekdays that are not listed, or the walk leaves the
        // range of years that can be counted.
        let mut day = date;
        while !self.is_working_day(day)? {
            day = next_day(day)?;
        }
        Ok(day)
    }

    /// The last day of a period of `days` calendar days after `event` (the event day is
    /// not counted), moved to the next working day when it falls on a non-working day.
    pub fn add_calendar_days(&self, event: NaiveDate, days: u32) -> Result<NaiveDate, CalendarError> {
        let end = event.checked_add_days(Days::new(u64::from(days))).ok_or(CalendarError::OutOfRange)?;
        self.next_working_day_on_or_after(end)
    }

    /// The day on which the `days`-th working day after `event` falls (the event day is
    /// not counted). For `days == 0`: the event day itself if it is a working day,
    /// otherwise the next working day.
    pub fn add_working_days(&self, event: NaiveDate, days: u32) -> Result<NaiveDate, CalendarError> {
        if days == 0 {
            return self.next_working_day_on_or_after(event);
        }
        let mut day = event;
        let mut counted = 0;
        while counted < days {
            day = next_day(day)?;
            if self.is_working_day(day)? {
                counted += 1;
            }
        }
        Ok(day)
    }
}

fn parse_row(text: &str) -> Result<CalendarEntry, String> {
    let mut fields = text.splitn(3, ',').map(str::trim);
    let (Some(date), Some(kind), Some(name)) = (fields.next(), fields.next(), fields.next()) else {
        return Err("应有 date,kind,name 三列".to_owned());
    };
    let date =
        NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| format!("日期 \"{date}\" 无效，应为 YYYY-MM-DD"))?;
    let kind = match kind {
        "holiday" => DayKind::Holiday,
        "workday" => DayKind::Workday,
        other => return Err(format!("类型 \"{other}\" 无效，应为 holiday 或 workday")),
    };
    Ok(CalendarEntry { date, kind, name: name.to_owned() })
}

fn check_entry_weekday(entry: &CalendarEntry) -> Result<(), CalendarError> {
    if entry.kind == DayKind::Workday && !is_weekend(entry.date) {
        return Err(CalendarError::WorkdayNotOnWeekend { date: entry.date });
    }
    Ok(())
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

fn next_day(date: NaiveDate) -> Result<NaiveDate, CalendarError> {
    date.succ_opt().ok_or(CalendarError::OutOfRange)
}

/// The Beijing-time date of an instant.
pub fn local_date(t: DateTime<Utc>) -> NaiveDate {
    // Saturates at chrono's last representable day rather than panicking.
    t.naive_utc()
        .checked_add_signed(TimeDelta::hours(BEIJING_OFFSET_HOURS))
        .map_or(NaiveDate::MAX, |local| local.date())
}

/// An instant as people in Miyun read it, for text (announcements, notifications, problem
/// details): the Beijing date and time marked 北京时间. Midnight is written as 24:00 of the
/// day before, the way the last day of a period ends; seconds only when there are some.
/// JSON fields stay RFC 3339 instants.
pub fn beijing_text(t: DateTime<Utc>) -> String {
    let Some(local) = t.naive_utc().checked_add_signed(TimeDelta::hours(BEIJING_OFFSET_HOURS)) else {
        return format!("{} UTC", t.naive_utc());
    };
    if local.time() == NaiveTime::MIN {
        let day = local.date().pred_opt().unwrap_or(local.date());
        return format!("{day} 24:00 北京时间");
    }
    let pattern = if local.second() == 0 { "%Y-%m-%d %H:%M" } else { "%Y-%m-%d %H:%M:%S" };
    format!("{} 北京时间", local.format(pattern))
}

/// The instant a period ending on `d` expires: 24:00 Beijing time of `d`, which is
/// `d` 16:00 UTC. Something is on time when it happens strictly before this instant.
pub fn end_of_local_day(d: NaiveDate) -> DateTime<Utc> {
    // 16:00 of the same day never leaves the day, so the addition cannot overflow.
    let utc = NaiveDateTime::new(d, NaiveTime::MIN) + TimeDelta::hours(24 - BEIJING_OFFSET_HOURS);
    utc.and_utc()
}

/// The years between two dates (both included, in either order) that are not in
/// `official`, ascending.
fn years_not_official(official: &[i32], a: NaiveDate, b: NaiveDate) -> Vec<i32> {
    let (from, to) = if a <= b { (a, b) } else { (b, a) };
    (from.year()..=to.year()).filter(|year| !official.contains(year)).collect()
}

/// The provisional years a clock counted from `event` to its due moment `due` (24:00
/// Beijing time of its last day, see [`end_of_local_day`]) ran through, given the years
/// whose official arrangement is loaded. For a stored clock whose counting details are
/// gone, this is the span from the event's date to the last day.
pub fn provisional_span(official: &[i32], event: DateTime<Utc>, due: DateTime<Utc>) -> Vec<i32> {
    let last_day = local_date(due - TimeDelta::seconds(1));
    years_not_official(official, local_date(event), last_day)
}

/// The calendar seen from one day: how many years after the current one are official,
/// and the warning once the warning date of the year has come while next year is not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarOutlook {
    pub current_year: i32,
    pub official_years: Vec<i32>,
    /// Official years after the current Beijing year, in a row.
    pub official_years_ahead: u32,
    pub warning: Option<String>,
}

/// The outlook at `now` with the official years loaded and the warning date
/// `warning_from` (month, day; a date the year lacks, such as 29 February, never warns).
pub fn outlook(official_years: Vec<i32>, now: DateTime<Utc>, warning_from: (u32, u32)) -> CalendarOutlook {
    let today = local_date(now);
    let current_year = today.year();
    let official_years_ahead =
        (1..).take_while(|ahead| official_years.contains(&(current_year + ahead))).count() as u32;
    let warn_date = NaiveDate::from_ymd_opt(current_year, warning_from.0, warning_from.1);
    let warning = (official_years_ahead == 0 && warn_date.is_some_and(|d| today >= d)).then(|| {
        format!(
            "{next} 年的官方节假日安排尚未载入：跨入 {next} 年的期限按放假办法临时推算（provisional），载入后将重新计算。请通过 PUT /api/v1/calendar/{next} 载入国务院办公厅的通知。",
            next = current_year + 1
        )
    });
    CalendarOutlook { current_year, official_years, official_years_ahead, warning }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn instants_read_in_beijing_time() {
        let at = |y, m, d, h, min, sec| Utc.with_ymd_and_hms(y, m, d, h, min, sec).unwrap();
        // 2026-09-29 01:00 UTC is 09:00 in Beijing.
        assert_eq!(beijing_text(at(2026, 9, 29, 1, 0, 0)), "2026-09-29 09:00 北京时间");
        assert_eq!(beijing_text(at(2026, 9, 29, 1, 0, 30)), "2026-09-29 09:00:30 北京时间");
        // 16:00 UTC is 24:00 of the Beijing day, where a period ends.
        assert_eq!(beijing_text(end_of_local_day(date("2026-11-10"))), "2026-11-10 24:00 北京时间");
        // 20:00 UTC on 12-31 is already 04:00 on 1 January in Beijing.
        assert_eq!(beijing_text(at(2026, 12, 31, 20, 0, 0)), "2027-01-01 04:00 北京时间");
        assert!(!beijing_text(at(2026, 1, 1, 0, 0, 0)).contains("UTC"));
    }

    fn official() -> WorkingCalendar {
        WorkingCalendar::official().unwrap()
    }

    fn entry(d: &str, kind: DayKind) -> CalendarEntry {
        CalendarEntry { date: date(d), kind, name: "测试".to_owned() }
    }

    #[test]
    fn official_calendar_covers_2019_to_2026() {
        let cal = official();
        assert_eq!(cal.years(), (2019..=2026).collect::<Vec<_>>());
        assert!(cal.is_loaded(2026));
        assert!(!cal.is_loaded(2027));
        let e2026 = cal.entries(2026).unwrap();
        assert_eq!(e2026.len(), 39);
        assert_eq!(e2026[0].date, date("2026-01-01"));
        assert_eq!(e2026[0].kind, DayKind::Holiday);
        assert!(e2026.windows(2).all(|w| w[0].date < w[1].date));
        assert_eq!(cal.entries(2027), None);
    }

    #[test]
    fn working_day_classification_2026() {
        let cal = official();
        let cases = [
            ("2026-02-13", true),  // Friday
            ("2026-02-14", true),  // Saturday, make-up workday
            ("2026-02-15", false), // Sunday, Spring Festival
            ("2026-02-16", false), // Monday, Spring Festival
            ("2026-02-21", false), // Saturday, Spring Festival
            ("2026-02-23", false), // Monday, last day of Spring Festival
            ("2026-02-24", true),  // Tuesday
            ("2026-02-28", true),  // Saturday, make-up workday
            ("2026-03-01", false), // Sunday
            ("2026-03-07", false), // ordinary Saturday
            ("2026-09-20", true),  // Sunday, make-up workday
            ("2026-10-01", false), // Thursday, National Day
            ("2026-10-07", false), // Wednesday, National Day
            ("2026-10-08", true),  // Thursday
            ("2026-10-10", true),  // Saturday, make-up workday
            ("2026-10-11", false), // Sunday
        ];
        for (d, working) in cases {
            assert_eq!(cal.is_working_day(date(d)), Ok(working), "{d}");
        }
    }

    #[test]
    fn working_days_across_spring_festival_2026() {
        let cal = official();
        // 02-13 Fri, 02-14 Sat (make-up), 02-15..02-23 holiday, 02-24 Tue.
        assert_eq!(cal.add_working_days(date("2026-02-12"), 3), Ok(date("2026-02-24")));
        // 02-14, 02-24, 02-25, 02-26, 02-27.
        assert_eq!(cal.add_working_days(date("2026-02-13"), 5), Ok(date("2026-02-27")));
        // The 6th is the make-up Saturday 02-28; the 7th skips Sunday 03-01.
        assert_eq!(cal.add_working_days(date("2026-02-13"), 6), Ok(date("2026-02-28")));
        assert_eq!(cal.add_working_days(date("2026-02-13"), 7), Ok(date("2026-03-02")));
        // Counting from inside the holiday.
        assert_eq!(cal.add_working_days(date("2026-02-16"), 1), Ok(date("2026-02-24")));
    }

    #[test]
    fn working_days_across_national_day_2026() {
        let cal = official();
        // 10-01..10-07 holiday, 10-08 Thu, 10-09 Fri, 10-10 Sat (make-up), 10-12 Mon.
        assert_eq!(cal.add_working_days(date("2026-09-30"), 1), Ok(date("2026-10-08")));
        assert_eq!(cal.add_working_days(date("2026-09-30"), 3), Ok(date("2026-10-10")));
        assert_eq!(cal.add_working_days(date("2026-09-30"), 4), Ok(date("2026-10-12")));
        // Five working days of publicity from Tue 09-29: 09-30, 10-08, 10-09, 10-10, 10-12.
        assert_eq!(cal.add_working_days(date("2026-09-29"), 5), Ok(date("2026-10-12")));
        // Sunday 09-20 is a make-up workday.
        assert_eq!(cal.add_working_days(date("2026-09-18"), 1), Ok(date("2026-09-20")));
        // Mid-autumn 09-25..09-27: from Wed 09-23, 09-24 then Mon 09-28.
        assert_eq!(cal.add_working_days(date("2026-09-23"), 2), Ok(date("2026-09-28")));
    }

    #[test]
    fn working_days_across_a_year_boundary() {
        let cal = official();
        // 2026-01-01..03 holiday, Sunday 2026-01-04 is a make-up workday.
        assert_eq!(cal.add_working_days(date("2025-12-31"), 1), Ok(date("2026-01-04")));
    }

    #[test]
    fn zero_working_days_is_the_event_day_rolled_forward() {
        let cal = official();
        assert_eq!(cal.add_working_days(date("2026-02-14"), 0), Ok(date("2026-02-14")));
        assert_eq!(cal.add_working_days(date("2026-02-15"), 0), Ok(date("2026-02-24")));
        assert_eq!(cal.add_working_days(date("2026-03-07"), 0), Ok(date("2026-03-09")));
    }

    #[test]
    fn calendar_day_periods_roll_over_non_working_ends() {
        let cal = official();
        // 02-05 + 10 = 02-15, inside Spring Festival: ends Tue 02-24.
        assert_eq!(cal.add_calendar_days(date("2026-02-05"), 10), Ok(date("2026-02-24")));
        // 09-21 + 10 = 10-01, National Day: ends Thu 10-08.
        assert_eq!(cal.add_calendar_days(date("2026-09-21"), 10), Ok(date("2026-10-08")));
        // A 20-day bidding period from Fri 09-11 would end 10-01: ends 10-08.
        assert_eq!(cal.add_calendar_days(date("2026-09-11"), 20), Ok(date("2026-10-08")));
        // 03-04 + 3 = Sat 03-07, ordinary weekend: ends Mon 03-09.
        assert_eq!(cal.add_calendar_days(date("2026-03-04"), 3), Ok(date("2026-03-09")));
        // 03-04 + 2 = Fri 03-06: no rollover.
        assert_eq!(cal.add_calendar_days(date("2026-03-04"), 2), Ok(date("2026-03-06")));
        // 0 days on a working day is the day itself.
        assert_eq!(cal.add_calendar_days(date("2026-03-04"), 0), Ok(date("2026-03-04")));
    }

    #[test]
    fn calendar_day_periods_ending_on_make_up_saturdays_do_not_roll() {
        let cal = official();
        assert_eq!(cal.add_calendar_days(date("2026-02-18"), 10), Ok(date("2026-02-28")));
        assert_eq!(cal.add_calendar_days(date("2026-09-30"), 10), Ok(date("2026-10-10")));
        assert_eq!(cal.add_calendar_days(date("2026-02-04"), 10), Ok(date("2026-02-14")));
    }

    #[test]
    fn unloaded_years_are_counted_provisionally_and_say_so() {
        let cal = official();
        // 2027 is not loaded: its weekdays are working days unless the law makes them a
        // holiday; Friday 2027-01-01 (元旦) is not, Monday 01-04 is.
        assert_eq!(cal.is_working_day(date("2027-01-01")), Ok(false));
        assert_eq!(cal.is_working_day(date("2027-01-04")), Ok(true));
        // Thu 2026-12-31 is the 1st; Fri 01-01 a holiday; the 5th is Thu 2027-01-07.
        assert_eq!(cal.add_working_days(date("2026-12-30"), 1), Ok(date("2026-12-31")));
        assert_eq!(cal.add_working_days(date("2026-12-30"), 5), Ok(date("2027-01-07")));
        // 12-20 + 20 = Sat 2027-01-09, rolled to Mon 01-11.
        assert_eq!(cal.add_calendar_days(date("2026-12-20"), 20), Ok(date("2027-01-11")));
        assert_eq!(cal.provisional_years_between(date("2026-12-20"), date("2027-01-11")), vec![2027]);
        assert_eq!(cal.provisional_years_between(date("2028-01-02"), date("2026-12-20")), vec![2027, 2028]);
        assert!(cal.provisional_years_between(date("2026-01-02"), date("2026-12-20")).is_empty());
        assert!(cal.is_provisional(2027) && !cal.is_provisional(2026));
        // Years before the official data are provisional too (the law then in force).
        assert_eq!(cal.is_working_day(date("2018-10-01")), Ok(false));
        assert_eq!(cal.effective_entries(2027).unwrap().len(), 19);
        assert_eq!(cal.effective_entries(2026).unwrap(), cal.entries(2026).unwrap());

        // Only years beyond what the law lets us derive are errors.
        let err = CalendarError::YearOutOfRange { year: 2201 };
        assert_eq!(cal.is_working_day(date("2201-03-01")), Err(err.clone()));
        assert_eq!(err.code(), "calendar_year_out_of_range");
        assert!(err.to_string().contains("2201"), "{err}");

        let empty = WorkingCalendar::empty();
        assert!(empty.years().is_empty());
        // Mon 2026-03-02 is a weekday and no festival of the law.
        assert_eq!(empty.is_working_day(date("2026-03-02")), Ok(true));
        assert_eq!(empty.provisional_years_between(date("2026-03-02"), date("2026-03-02")), vec![2026]);
    }

    #[test]
    fn a_stored_clock_spans_the_years_from_its_event_to_its_last_day() {
        let official: Vec<i32> = (2019..=2026).collect();
        let at = |s: &str| Utc.from_utc_datetime(&NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap());
        // Due 24:00 Beijing on 2026-12-31 (16:00 UTC) ends in 2026, not in 2027.
        assert!(provisional_span(&official, at("2026-12-28 01:00"), at("2026-12-31 16:00")).is_empty());
        assert_eq!(provisional_span(&official, at("2026-12-28 01:00"), at("2027-01-05 16:00")), vec![2027]);
        // An event at 00:30 Beijing on 2027-01-01 is 2026-12-31 16:30 UTC: already 2027.
        assert_eq!(provisional_span(&official, at("2026-12-31 16:30"), at("2027-01-05 16:00")), vec![2027]);
        assert_eq!(provisional_span(&official, at("2026-12-28 01:00"), at("2028-02-01 16:00")), vec![2027, 2028]);
    }

    #[test]
    fn the_outlook_warns_from_the_warning_date_while_next_year_is_missing() {
        let official: Vec<i32> = (2019..=2026).collect();
        // 31 October 2026, 23:59 Beijing: not yet.
        let before = outlook(official.clone(), Utc.with_ymd_and_hms(2026, 10, 31, 15, 59, 0).unwrap(), (11, 1));
        assert_eq!((before.current_year, before.official_years_ahead, before.warning), (2026, 0, None));
        // 1 November, 00:00 Beijing: warned, naming 2027.
        let after = outlook(official.clone(), Utc.with_ymd_and_hms(2026, 10, 31, 16, 0, 0).unwrap(), (11, 1));
        assert!(after.warning.unwrap().starts_with("2027 年"));
        // A configured date moves it; 2027 loaded ends it and counts one year ahead.
        let dec = outlook(official.clone(), Utc.with_ymd_and_hms(2026, 11, 20, 0, 0, 0).unwrap(), (12, 1));
        assert_eq!(dec.warning, None);
        let mut loaded = official;
        loaded.extend([2027, 2028]);
        let ahead = outlook(loaded, Utc.with_ymd_and_hms(2026, 12, 20, 0, 0, 0).unwrap(), (11, 1));
        assert_eq!((ahead.official_years_ahead, ahead.warning), (2, None));
    }

    #[test]
    fn loading_the_official_year_replaces_the_provisional_one() {
        let mut cal = official();
        // Provisionally, Saturday 2027-02-20 is a weekend: 3 working days after Wed 02-17
        // are 02-18, 02-19 and Mon 02-22. An official notice that makes that Saturday a
        // make-up workday ends the same period on 02-20.
        assert_eq!(cal.add_working_days(date("2027-02-17"), 3), Ok(date("2027-02-22")));
        let mut entries = crate::provisional::provisional_year(2027).unwrap();
        entries.push(entry("2027-02-20", DayKind::Workday));
        cal.load_year(2027, entries).unwrap();
        assert!(!cal.is_provisional(2027));
        assert_eq!(cal.add_working_days(date("2027-02-17"), 3), Ok(date("2027-02-20")));
        assert_eq!(cal.add_working_days(date("2027-02-03"), 7), Ok(date("2027-02-18")));
        assert!(cal.provisional_years_between(date("2026-12-20"), date("2027-01-11")).is_empty());
    }

    #[test]
    fn loading_a_new_year_extends_counting() {
        let mut cal = official();
        cal.load_year(
            2027,
            vec![
                entry("2027-01-01", DayKind::Holiday),
                entry("2027-01-02", DayKind::Holiday), // a holiday may be a Saturday
            ],
        )
        .unwrap();
        assert_eq!(cal.years().last(), Some(&2027));
        // Fri 01-01 holiday, weekend, Mon 2027-01-04.
        assert_eq!(cal.add_working_days(date("2026-12-31"), 1), Ok(date("2027-01-04")));

        // Loading again replaces the year.
        cal.load_year(2027, vec![entry("2027-01-04", DayKind::Holiday)]).unwrap();
        assert_eq!(cal.entries(2027).unwrap().len(), 1);
        assert_eq!(cal.is_working_day(date("2027-01-01")), Ok(true));
        assert_eq!(cal.is_working_day(date("2027-01-04")), Ok(false));
    }

    #[test]
    fn load_year_rejects_inconsistent_entries() {
        let mut cal = official();
        let before = cal.clone();
        assert_eq!(
            cal.load_year(2027, vec![entry("2026-12-31", DayKind::Holiday)]),
            Err(CalendarError::EntryOutsideYear { year: 2027, date: date("2026-12-31") })
        );
        assert_eq!(
            cal.load_year(2027, vec![entry("2027-01-01", DayKind::Holiday), entry("2027-01-01", DayKind::Holiday)]),
            Err(CalendarError::DuplicateDate { date: date("2027-01-01") })
        );
        assert_eq!(
            cal.load_year(2027, vec![entry("2027-01-02", DayKind::Holiday), entry("2027-01-02", DayKind::Workday)]),
            Err(CalendarError::DuplicateDate { date: date("2027-01-02") })
        );
        // Mon 2027-01-04 is already a working day; it cannot be a make-up day.
        let err = cal.load_year(2027, vec![entry("2027-01-04", DayKind::Workday)]).unwrap_err();
        assert_eq!(err, CalendarError::WorkdayNotOnWeekend { date: date("2027-01-04") });
        assert_eq!(err.code(), "calendar_workday_not_on_weekend");
        // A failed load leaves the calendar as it was.
        assert_eq!(cal, before);
    }

    #[test]
    fn from_csv_requires_a_header_and_names_bad_lines() {
        assert_eq!(WorkingCalendar::from_csv("2026-01-01,holiday,New Year's Day\n"), Err(CalendarError::MissingHeader));
        assert_eq!(WorkingCalendar::from_csv(""), Err(CalendarError::MissingHeader));

        let bad_line = |csv: &str| match WorkingCalendar::from_csv(csv) {
            Err(CalendarError::BadRow { line, .. }) => line,
            other => panic!("expected BadRow, got {other:?}"),
        };
        let head = "date,kind,name\n2026-01-01,holiday,New Year's Day\n";
        assert_eq!(bad_line(&format!("{head}2026-02-30,holiday,x\n")), 3);
        assert_eq!(bad_line(&format!("{head}2026-02-16,vacation,x\n")), 3);
        assert_eq!(bad_line(&format!("{head}2026-02-16\n")), 3);
        assert_eq!(bad_line(&format!("{head}\n2026-01-01,holiday,again\n")), 4);
        assert_eq!(bad_line(&format!("{head}2026-03-02,workday,x\n")), 3);

        let err = WorkingCalendar::from_csv(&format!("{head}2026-02-16,vacation,x\n")).unwrap_err();
        assert_eq!(err.code(), "calendar_bad_row");
        assert!(err.to_string().starts_with("日历文件第 3 行有误"), "{err}");

        let ok = WorkingCalendar::from_csv("date,kind,name\r\n2026-02-14,workday,春节\r\n").unwrap();
        assert_eq!(ok.years(), vec![2026]);
        assert_eq!(ok.entries(2026).unwrap()[0].name, "春节");
    }

    #[test]
    fn local_dates_and_end_of_day_use_beijing_time() {
        let t = Utc.with_ymd_and_hms(2026, 9, 30, 15, 59, 59).unwrap();
        assert_eq!(local_date(t), date("2026-09-30"));
        let t = Utc.with_ymd_and_hms(2026, 9, 30, 16, 0, 0).unwrap();
        assert_eq!(local_date(t), date("2026-10-01"));
        assert_eq!(end_of_local_day(date("2026-10-08")), Utc.with_ymd_and_hms(2026, 10, 8, 16, 0, 0).unwrap());
        // The end of a local day is the first instant of the next local day.
        let d = date("2026-12-31");
        assert_eq!(local_date(end_of_local_day(d)), date("2027-01-01"));
        assert_eq!(local_date(end_of_local_day(d) - TimeDelta::nanoseconds(1)), d);
    }

    #[test]
    fn entries_serialize_with_snake_case_kinds() {
        let e = entry("2026-02-14", DayKind::Workday);
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json, serde_json::json!({"date": "2026-02-14", "kind": "workday", "name": "测试"}));
        let back: CalendarEntry = serde_json::from_value(json).unwrap();
        assert_eq!(back, e);
        assert_eq!(DayKind::Holiday.as_str(), "holiday");
    }

    fn working_days_in(cal: &WorkingCalendar, after: NaiveDate, through: NaiveDate) -> u32 {
        after.iter_days().skip(1).take_while(|d| *d <= through).filter(|d| cal.is_working_day(*d).unwrap()).count()
            as u32
    }

    proptest! {
        #[test]
        fn add_working_days_counts_exactly_n(offset in 0u64..2738, n in 1u32..100) {
            // Events from 2019-01-01 to 2026-06-30 so the result stays inside 2026.
            let cal = official();
            let event = date("2019-01-01") + Days::new(offset);
            let end = cal.add_working_days(event, n).unwrap();
            prop_assert!(cal.is_working_day(end).unwrap());
            prop_assert_eq!(working_days_in(&cal, event, end), n);
        }

        #[test]
        fn calendar_day_periods_end_on_the_first_working_day(offset in 0u64..2738, n in 0u32..60) {
            let cal = official();
            let event = date("2019-01-01") + Days::new(offset);
            let nominal = event + Days::new(u64::from(n));
            let end = cal.add_calendar_days(event, n).unwrap();
            prop_assert!(end >= nominal);
            prop_assert!(cal.is_working_day(end).unwrap());
            prop_assert_eq!(working_days_in(&cal, nominal - Days::new(1), end - Days::new(1)), 0);
        }
    }
}
