//! The provisional holiday calendar of a year whose State Council notice is not loaded.
//!
//! Deadlines cannot wait for the notice (it comes in the autumn, sometimes late), so a
//! year without an official arrangement is counted with the holidays that the national
//! holiday law (全国年节及纪念日放假办法) itself fixes, plus weekends:
//!
//! | law in force | years | 春节 | 劳动节 |
//! |---|---|---|---|
//! | 2007 amendment | 2008–2013 | 除夕、正月初一、初二 | 5月1日 |
//! | 2013 amendment | 2014–2024 | 正月初一、初二、初三 | 5月1日 |
//! | 2024 amendment | 2025– | 除夕至正月初三 | 5月1日、2日 |
//!
//! and in every version 元旦 1 January, 清明节 on the solar term, 端午节 the 5th day of the
//! 5th lunar month, 中秋节 the 15th day of the 8th lunar month, 国庆节 1–3 October. The
//! law's own make-up rule (补假) applies: "全体公民放假的假日，如果适逢星期六、星期日，应当在
//! 工作日补假" — every holiday day that falls on a Saturday or Sunday, or on a day that is
//! already a holiday of another festival, is made up on the first working days after its
//! festival. Make-up working days (调休上班) are a decision of each year's notice and cannot
//! be derived: a provisional year has none.
//!
//! Lunar dates and solar terms come from the `tyme4rs` calendar library, not from a table.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{Datelike, Days, NaiveDate, Weekday};
use tyme4rs::tyme::lunar::LunarDay;
use tyme4rs::tyme::solar::{SolarDay, SolarTerm};

use crate::calendar::{CalendarEntry, CalendarError, DayKind};

/// The first and last years the provisional calendar is derived for.
pub const PROVISIONAL_YEARS: std::ops::RangeInclusive<i32> = 2008..=2200;

/// Which text of the holiday law governs a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HolidayLaw {
    /// 国务院令第513号 (2007), in force 2008–2013.
    Amendment2007,
    /// 国务院令第644号 (2013), in force 2014–2024.
    Amendment2013,
    /// 国务院令第795号 (2024), in force from 2025.
    Amendment2024,
}

impl HolidayLaw {
    fn of(year: i32) -> HolidayLaw {
        match year {
            ..=2013 => HolidayLaw::Amendment2007,
            2014..=2024 => HolidayLaw::Amendment2013,
            _ => HolidayLaw::Amendment2024,
        }
    }
}

/// One festival of the law: its name and its consecutive days.
struct Festival {
    name: &'static str,
    first: NaiveDate,
    days: u64,
}

fn solar_date(day: &SolarDay) -> Option<NaiveDate> {
    let year = i32::try_from(day.get_year()).ok()?;
    let month = u32::try_from(day.get_month()).ok()?;
    let day = u32::try_from(day.get_day()).ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// The Gregorian date of a day of the lunar year `year` (month 1–12, no leap months).
fn lunar(year: i32, month: isize, day: usize) -> Result<NaiveDate, CalendarError> {
    let lunar = LunarDay::new(year as isize, month, day).map_err(|_| CalendarError::YearOutOfRange { year })?;
    solar_date(&lunar.get_solar_day()).ok_or(CalendarError::YearOutOfRange { year })
}

fn qingming(year: i32) -> Result<NaiveDate, CalendarError> {
    let term = SolarTerm::new(year as isize, "清明").map_err(|_| CalendarError::YearOutOfRange { year })?;
    let date = solar_date(&term.get_solar_day()).ok_or(CalendarError::YearOutOfRange { year })?;
    // The term named 清明 of a year lies in that year's April; anything else is a library
    // misreading, not a date to count with.
    if date.year() != year || date.month() != 4 {
        return Err(CalendarError::YearOutOfRange { year });
    }
    Ok(date)
}

fn ymd(year: i32, month: u32, day: u32) -> Result<NaiveDate, CalendarError> {
    NaiveDate::from_ymd_opt(year, month, day).ok_or(CalendarError::YearOutOfRange { year })
}

fn festivals(year: i32) -> Result<Vec<Festival>, CalendarError> {
    let law = HolidayLaw::of(year);
    let new_year = lunar(year, 1, 1)?;
    let eve = new_year.pred_opt().ok_or(CalendarError::YearOutOfRange { year })?;
    let (spring_first, spring_days) = match law {
        HolidayLaw::Amendment2007 => (eve, 3),
        HolidayLaw::Amendment2013 => (new_year, 3),
        HolidayLaw::Amendment2024 => (eve, 4),
    };
    let labour_days = if law == HolidayLaw::Amendment2024 { 2 } else { 1 };
    let mut festivals = vec![
        Festival { name: "元旦", first: ymd(year, 1, 1)?, days: 1 },
        Festival { name: "春节", first: spring_first, days: spring_days },
        Festival { name: "清明节", first: qingming(year)?, days: 1 },
        Festival { name: "劳动节", first: ymd(year, 5, 1)?, days: labour_days },
        Festival { name: "端午节", first: lunar(year, 5, 5)?, days: 1 },
        Festival { name: "中秋节", first: lunar(year, 8, 15)?, days: 1 },
        Festival { name: "国庆节", first: ymd(year, 10, 1)?, days: 3 },
    ];
    festivals.sort_by_key(|f| f.first);
    Ok(festivals)
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The provisional arrangement of `year`: the law's holidays and their make-up days,
/// every entry a [`DayKind::Holiday`], in date order.
pub fn provisional_year(year: i32) -> Result<Vec<CalendarEntry>, CalendarError> {
    if !PROVISIONAL_YEARS.contains(&year) {
        return Err(CalendarError::YearOutOfRange { year });
    }
    let mut holidays: BTreeMap<NaiveDate, String> = BTreeMap::new();
    for festival in festivals(year)? {
        let mut owed = 0;
        let mut last = festival.first;
        for offset in 0..festival.days {
            let day = festival.first.checked_add_days(Days::new(offset)).ok_or(CalendarError::OutOfRange)?;
            last = day;
            if is_weekend(day) || holidays.contains_key(&day) {
                owed += 1;
            }
            holidays.entry(day).or_insert_with(|| festival.name.to_owned());
        }
        let mut day = last;
        while owed > 0 {
            day = day.succ_opt().ok_or(CalendarError::OutOfRange)?;
            if day.year() != year {
                // No festival of the law lies close enough to 31 December for this.
                return Err(CalendarError::YearOutOfRange { year });
            }
            if !is_weekend(day) && !holidays.contains_key(&day) {
                holidays.insert(day, format!("{}补假", festival.name));
                owed -= 1;
            }
        }
    }
    Ok(holidays.into_iter().map(|(date, name)| CalendarEntry { date, kind: DayKind::Holiday, name }).collect())
}

type ListedDays = Arc<BTreeMap<NaiveDate, CalendarEntry>>;

/// The provisional listed days of `year`, derived once per process (they depend on the
/// year alone).
pub(crate) fn provisional_listed(year: i32) -> Result<ListedDays, CalendarError> {
    static DERIVED: OnceLock<Mutex<BTreeMap<i32, ListedDays>>> = OnceLock::new();
    let derived = DERIVED.get_or_init(Mutex::default);
    if let Some(found) = derived.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).get(&year) {
        return Ok(found.clone());
    }
    let listed: ListedDays = Arc::new(provisional_year(year)?.into_iter().map(|e| (e.date, e)).collect());
    derived.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).insert(year, listed.clone());
    Ok(listed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::WorkingCalendar;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn holidays(year: i32) -> Vec<(String, String)> {
        provisional_year(year).unwrap().into_iter().map(|e| (e.date.to_string(), e.name)).collect()
    }

    fn has(year: i32, day: &str, name: &str) -> bool {
        holidays(year).iter().any(|(d, n)| d == day && n == name)
    }

    #[test]
    fn spring_festival_2027_is_made_up_after_its_weekend() {
        // Lunar 丙午年腊月廿九 (the eve, 除夕: that 12th month has 29 days) is Friday
        // 2027-02-05, 丁未年正月初一 Saturday 02-06, 初三 Monday 02-08. Saturday and Sunday
        // are made up on Tuesday 02-09 and Wednesday 02-10.
        for (day, name) in [
            ("2027-02-05", "春节"),
            ("2027-02-06", "春节"),
            ("2027-02-07", "春节"),
            ("2027-02-08", "春节"),
            ("2027-02-09", "春节补假"),
            ("2027-02-10", "春节补假"),
        ] {
            assert!(has(2027, day, name), "{day} {name}: {:?}", holidays(2027));
        }
        assert!(!holidays(2027).iter().any(|(d, _)| d == "2027-02-11"));
        // The worked example: 7 working days after Wednesday 2027-02-03 end on Thursday 02-18
        // (02-04, then 02-11, 12, 15, 16, 17, 18).
        let cal = WorkingCalendar::official().unwrap();
        assert_eq!(cal.add_working_days(date("2027-02-03"), 7), Ok(date("2027-02-18")));
    }

    #[test]
    fn the_other_festivals_of_2027() {
        // 元旦 Friday 01-01: no make-up.
        assert!(has(2027, "2027-01-01", "元旦"));
        assert!(!holidays(2027).iter().any(|(d, _)| d == "2027-01-04"));
        // 清明 (solar term) Monday 04-05.
        assert!(has(2027, "2027-04-05", "清明节"));
        // 劳动节 Saturday 05-01 and Sunday 05-02: made up Monday 05-03 and Tuesday 05-04.
        assert!(has(2027, "2027-05-03", "劳动节补假") && has(2027, "2027-05-04", "劳动节补假"));
        // 端午 (lunar 五月初五) Wednesday 06-09; 中秋 (lunar 八月十五) Wednesday 09-15.
        assert!(has(2027, "2027-06-09", "端午节"));
        assert!(has(2027, "2027-09-15", "中秋节"));
        // 国庆 Friday 10-01 to Sunday 10-03: two weekend days made up Monday 10-04, Tuesday 10-05.
        assert!(has(2027, "2027-10-04", "国庆节补假") && has(2027, "2027-10-05", "国庆节补假"));
        assert_eq!(holidays(2027).len(), 1 + 6 + 1 + 4 + 1 + 1 + 5);
    }

    #[test]
    fn festivals_of_2028_on_other_weekdays() {
        // 除夕 (丁未年腊月廿九, a 29-day month) Tuesday 2028-01-25 to 初三 Friday 01-28: all weekdays, no make-up.
        for day in ["2028-01-25", "2028-01-26", "2028-01-27", "2028-01-28"] {
            assert!(has(2028, day, "春节"), "{day}");
        }
        assert!(!holidays(2028).iter().any(|(d, _)| d == "2028-01-31"));
        // 元旦 Saturday 2028-01-01: made up Monday 01-03.
        assert!(has(2028, "2028-01-03", "元旦补假"));
        // 清明 Tuesday 04-04.
        assert!(has(2028, "2028-04-04", "清明节"));
        // 端午 (戊申年五月初五) Sunday 05-28: made up Monday 05-29.
        assert!(has(2028, "2028-05-28", "端午节") && has(2028, "2028-05-29", "端午节补假"));
        // 中秋 (八月十五) falls on Tuesday 10-03, the third day of 国庆 (Sunday 10-01 to
        // Tuesday 10-03): Sunday and the shared day are made up on Wednesday 10-04 and
        // Thursday 10-05.
        assert!(has(2028, "2028-10-03", "国庆节"));
        assert!(has(2028, "2028-10-04", "国庆节补假"));
        assert!(has(2028, "2028-10-05", "中秋节补假"));
        let cal = WorkingCalendar::official().unwrap();
        assert_eq!(cal.is_working_day(date("2028-10-06")), Ok(true));
        assert_eq!(cal.is_working_day(date("2028-10-05")), Ok(false));
    }

    #[test]
    fn the_law_in_force_decides_the_spring_festival() {
        // 2024 (2013 text): 初一 to 初三, Saturday 2024-02-10 to Monday 02-12, the Saturday and
        // Sunday made up Tuesday 02-13 and Wednesday 02-14.
        let spring: Vec<String> =
            holidays(2024).into_iter().filter(|(_, n)| n.starts_with("春节")).map(|(d, _)| d).collect();
        assert_eq!(spring, ["2024-02-10", "2024-02-11", "2024-02-12", "2024-02-13", "2024-02-14"]);
        // 2012 (2007 text): 除夕 (辛卯年腊月廿九) Sunday 2012-01-22 to 初二 Tuesday 01-24; Sunday made up Wednesday.
        let spring: Vec<String> =
            holidays(2012).into_iter().filter(|(_, n)| n.starts_with("春节")).map(|(d, _)| d).collect();
        assert_eq!(spring, ["2012-01-22", "2012-01-23", "2012-01-24", "2012-01-25"]);
        // Labour Day is two days from 2025 on.
        assert!(has(2025, "2025-05-02", "劳动节"));
        assert!(!has(2024, "2024-05-02", "劳动节"));
    }

    #[test]
    fn a_provisional_year_agrees_with_the_official_holidays_where_the_law_fixes_them() {
        // Every festival day the law names is a holiday in the official 2025 and 2026
        // notices too (the notices add bridge days and make-up Saturdays on top).
        let official = WorkingCalendar::official().unwrap();
        for year in [2025, 2026] {
            for entry in provisional_year(year).unwrap().into_iter().filter(|e| !e.name.ends_with("补假")) {
                assert_eq!(official.is_working_day(entry.date), Ok(false), "{year}: {entry:?}");
            }
        }
    }

    #[test]
    fn years_outside_the_range_are_refused() {
        assert_eq!(provisional_year(2007), Err(CalendarError::YearOutOfRange { year: 2007 }));
        assert_eq!(provisional_year(2201), Err(CalendarError::YearOutOfRange { year: 2201 }));
        assert!(provisional_year(2200).is_ok());
        // Every year of the range derives, with no make-up working day in any.
        for year in PROVISIONAL_YEARS {
            let days = provisional_year(year).unwrap();
            assert!(days.iter().all(|e| e.kind == DayKind::Holiday && e.date.year() == year), "{year}");
            assert!(days.len() >= 11, "{year}");
        }
    }
}
