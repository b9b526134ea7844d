//! Loading one year of the official holiday arrangement: the request platform admins send
//! and how it is read, with every problem named at once before the calendar's own check.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::calendar::{CalendarEntry, DayKind, WorkingCalendar};
use crate::FieldError;

/// One listed day: a holiday, or a weekend made a working day (调休).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarDay {
    pub date: NaiveDate,
    /// `holiday` (a listed non-working day) or `workday` (a weekend made a working day).
    pub kind: DayKind,
    /// The festival it belongs to, e.g. "Spring Festival".
    pub name: String,
}

/// The days of one year, as the State Council published them.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoadCalendarYear {
    pub days: Vec<CalendarDay>,
}

/// The entries of `year` a load lists: the year within 2000–2100, each date in it and
/// listed once, a make-up workday on a weekend, a name of 1–50 characters (trimmed); then
/// the calendar's own check is the last word.
pub fn read_year(year: i32, days: &[CalendarDay]) -> Result<Vec<CalendarEntry>, Vec<FieldError>> {
    let mut problems = Vec::new();
    if !(2000..=2100).contains(&year) {
        problems.push(FieldError::new("year", "out_of_range", "年份须在 2000 至 2100 之间"));
    }
    let mut seen = std::collections::BTreeSet::new();
    for (index, day) in days.iter().enumerate() {
        let field = format!("days[{index}]");
        if day.date.year() != year {
            problems.push(FieldError::new(format!("{field}.date"), "outside_year", format!("日期不在 {year} 年内")));
        }
        if !seen.insert(day.date) {
            problems.push(FieldError::new(format!("{field}.date"), "duplicate", "同一日期重复列出"));
        }
        if day.kind == DayKind::Workday && !matches!(day.date.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun) {
            problems.push(FieldError::new(
                format!("{field}.kind"),
                "workday_not_on_weekend",
                "调休上班日须为周六或周日",
            ));
        }
        if day.name.trim().is_empty() || day.name.chars().count() > 50 {
            problems.push(FieldError::new(format!("{field}.name"), "invalid_name", "名称须为 1 至 50 个字符"));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let entries: Vec<CalendarEntry> =
        days.iter().map(|d| CalendarEntry { date: d.date, kind: d.kind, name: d.name.trim().to_owned() }).collect();
    WorkingCalendar::empty().load_year(year, entries.clone()).map_err(|e| vec![e.to_field_error("days")])?;
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(date: (i32, u32, u32), kind: DayKind, name: &str) -> CalendarDay {
        CalendarDay {
            date: NaiveDate::from_ymd_opt(date.0, date.1, date.2).expect("a valid date"),
            kind,
            name: name.into(),
        }
    }

    fn codes(problems: &[FieldError]) -> Vec<(String, String)> {
        problems.iter().map(|p| (p.field.clone(), p.code.clone())).collect()
    }

    #[test]
    fn a_year_is_read_with_its_names_trimmed() {
        let days = [day((2027, 2, 6), DayKind::Holiday, " 春节 "), day((2027, 2, 20), DayKind::Workday, "春节")];
        let entries = read_year(2027, &days).expect("valid");
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].name, "春节");
    }

    #[test]
    fn every_problem_of_a_load_is_named_at_once() {
        let days = [
            day((2026, 10, 1), DayKind::Holiday, "国庆节"),
            day((2027, 2, 6), DayKind::Holiday, "春节"),
            day((2027, 2, 6), DayKind::Holiday, ""),
            day((2027, 2, 8), DayKind::Workday, "春节"),
        ];
        let refused = read_year(2027, &days).expect_err("refused");
        let pair = |f: &str, c: &str| (f.to_owned(), c.to_owned());
        assert_eq!(
            codes(&refused),
            vec![
                pair("days[0].date", "outside_year"),
                pair("days[2].date", "duplicate"),
                pair("days[2].name", "invalid_name"),
                pair("days[3].kind", "workday_not_on_weekend"),
            ]
        );
        assert_eq!(codes(&read_year(1999, &[]).expect_err("refused")), vec![pair("year", "out_of_range")]);
    }
}
