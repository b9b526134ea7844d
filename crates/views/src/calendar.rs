//! Response and request bodies of calendar (see `ggzy_service::calendar` for the use cases).

use crate::audit_entry::AuditEntry;
use crate::clocks::RecountedClock;
use chrono::{DateTime, Utc};
pub use ggzy_kernel::calendar_load::{CalendarDay, LoadCalendarYear};
pub use ggzy_kernel::CalendarOutlook;
use ggzy_kernel::{stored, CalendarEntry, StoredFault};
use ggzy_store::calendar::{CalendarDayRow, CalendarYearRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Whether a year is counted with the State Council's notice or provisionally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum YearStatus {
    /// The official arrangement is loaded.
    Official,
    /// Counted with the holidays the holiday law fixes and their make-up days; no make-up
    /// workdays (调休) are known.
    Provisional,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CalendarYear {
    pub year: i32,
    pub status: YearStatus,
    /// When and by whom the official arrangement was loaded; absent for a provisional year.
    pub loaded_at: Option<DateTime<Utc>>,
    pub loaded_by: Option<String>,
    pub days: Vec<CalendarDay>,
    /// Running clocks recounted by this load (only in the answer to a load).
    pub recounted: Vec<RecountedClock>,
}

/// One year and how it is counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CalendarYearStatus {
    pub year: i32,
    pub status: YearStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CalendarYears {
    /// Years whose official arrangement is loaded.
    pub years: Vec<i32>,
    /// Every year from the first official one to two years after the current one, each
    /// `official` or `provisional`.
    pub statuses: Vec<CalendarYearStatus>,
    /// How many years after the current (Beijing) year are loaded officially, in a row.
    pub official_years_ahead: u32,
    /// Set from the warning date (default 1 November) while next year is not loaded.
    pub warning: Option<String>,
}

impl CalendarYears {
    /// The years of an outlook: each from the first official year (or the current one, if
    /// earlier) to two years after the current one, official or provisional.
    pub fn of(outlook: CalendarOutlook) -> Self {
        let first = outlook.official_years.first().copied().unwrap_or(outlook.current_year).min(outlook.current_year);
        let statuses = (first..=outlook.current_year + 2)
            .map(|year| CalendarYearStatus {
                year,
                status: if outlook.official_years.contains(&year) {
                    YearStatus::Official
                } else {
                    YearStatus::Provisional
                },
            })
            .collect();
        CalendarYears {
            years: outlook.official_years,
            statuses,
            official_years_ahead: outlook.official_years_ahead,
            warning: outlook.warning,
        }
    }
}

impl CalendarYear {
    /// A loaded year, its official days as stored.
    pub fn official(loaded: CalendarYearRow, days: Vec<CalendarDayRow>) -> Result<Self, StoredFault> {
        Ok(CalendarYear {
            year: loaded.year,
            status: YearStatus::Official,
            loaded_at: Some(loaded.loaded_at.and_utc()),
            loaded_by: Some(loaded.loaded_by),
            days: days.into_iter().map(day_from_row).collect::<Result<_, _>>()?,
            recounted: Vec::new(),
        })
    }

    /// A year not loaded, with the days the holiday law fixes for it.
    pub fn provisional(year: i32, entries: Vec<CalendarEntry>) -> Self {
        CalendarYear {
            year,
            status: YearStatus::Provisional,
            loaded_at: None,
            loaded_by: None,
            days: entries.into_iter().map(|e| CalendarDay { date: e.date, kind: e.kind, name: e.name }).collect(),
            recounted: Vec::new(),
        }
    }
}

/// The row of a listed day of `year`'s official arrangement.
pub fn day_row(year: i32, entry: &CalendarEntry) -> CalendarDayRow {
    CalendarDayRow { day: entry.date, year, kind: entry.kind.as_str().to_owned(), name: entry.name.clone() }
}

/// A listed day as stored; a kind the platform does not know is a fault.
pub fn day_from_row(row: CalendarDayRow) -> Result<CalendarDay, StoredFault> {
    Ok(CalendarDay { date: row.day, kind: stored("calendar_days.kind", &row.kind)?, name: row.name })
}

/// The entries `year` lists among the stored `days` of every year, for the working calendar.
pub fn entries_of(year: i32, days: &[CalendarDayRow]) -> Result<Vec<CalendarEntry>, StoredFault> {
    days.iter()
        .filter(|d| d.year == year)
        .cloned()
        .map(|d| day_from_row(d).map(|v| CalendarEntry { date: v.date, kind: v.kind, name: v.name }))
        .collect()
}

/// What the audit trail keeps of a year loaded: the days as given and how many running
/// clocks were recounted, on the year's own chain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearLoaded<'a> {
    pub year: i32,
    pub days: &'a [CalendarDay],
    pub recounted: usize,
}

/// The audit entry of a year's calendar loaded (or replaced).
pub fn loaded_entry(year: i32, days: &[CalendarDay], recounted: usize) -> AuditEntry<YearLoaded<'_>> {
    AuditEntry {
        chain: format!("calendar:{year}"),
        action: ggzy_kernel::AuditAction::CalendarLoadYear,
        object_type: "calendar_year",
        object_id: year.to_string(),
        payload: YearLoaded { year, days, recounted },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use ggzy_kernel::DayKind;

    #[test]
    fn a_year_loaded_is_kept_on_its_own_chain_with_the_days_and_the_recount() {
        let days: Vec<CalendarDay> =
            serde_json::from_value(serde_json::json!([{ "date": "2027-01-01", "kind": "holiday", "name": "元旦" }]))
                .unwrap();
        let entry = loaded_entry(2027, &days, 3);
        assert_eq!(
            (entry.chain.as_str(), entry.object_type, entry.object_id.as_str()),
            ("calendar:2027", "calendar_year", "2027")
        );
        assert_eq!(entry.action, ggzy_kernel::AuditAction::CalendarLoadYear);
        let payload = serde_json::to_value(&entry.payload).unwrap();
        assert_eq!(payload["year"], 2027);
        assert_eq!(payload["recounted"], 3);
        assert_eq!(payload["days"][0]["date"], "2027-01-01");
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn outlook(official_years: Vec<i32>) -> CalendarOutlook {
        CalendarOutlook { current_year: 2026, official_years, official_years_ahead: 0, warning: None }
    }

    #[test]
    fn the_years_run_from_the_first_official_one_to_two_after_the_current() {
        let years = CalendarYears::of(outlook(vec![2024, 2026]));
        let shown: Vec<_> = years.statuses.iter().map(|s| (s.year, s.status)).collect();
        assert_eq!(
            shown,
            vec![
                (2024, YearStatus::Official),
                (2025, YearStatus::Provisional),
                (2026, YearStatus::Official),
                (2027, YearStatus::Provisional),
                (2028, YearStatus::Provisional),
            ]
        );
        assert_eq!(years.years, vec![2024, 2026]);
        // Nothing loaded: the current year and the two after it, all provisional.
        let none = CalendarYears::of(outlook(vec![]));
        assert_eq!(none.statuses.iter().map(|s| s.year).collect::<Vec<_>>(), vec![2026, 2027, 2028]);
        assert!(none.statuses.iter().all(|s| s.status == YearStatus::Provisional));
        // A year loaded ahead still starts the list at the current year.
        let ahead = CalendarYears::of(outlook(vec![2027]));
        assert_eq!(ahead.statuses.first().map(|s| (s.year, s.status)), Some((2026, YearStatus::Provisional)));
    }

    #[test]
    fn a_day_is_stored_by_its_kind_and_read_back() {
        let entry = CalendarEntry { date: date(2026, 2, 14), kind: DayKind::Workday, name: "春节".into() };
        let row = day_row(2026, &entry);
        assert_eq!(
            (row.day, row.year, row.kind.as_str(), row.name.as_str()),
            (date(2026, 2, 14), 2026, "workday", "春节")
        );
        let day = day_from_row(row).unwrap();
        assert_eq!((day.date, day.kind, day.name.as_str()), (date(2026, 2, 14), DayKind::Workday, "春节"));
        let odd = CalendarDayRow { day: date(2026, 1, 1), year: 2026, kind: "feast".into(), name: "元旦".into() };
        assert_eq!(day_from_row(odd).unwrap_err().column, "calendar_days.kind");
    }

    #[test]
    fn a_year_lists_its_own_days_only() {
        let rows = vec![
            day_row(2025, &CalendarEntry { date: date(2025, 1, 1), kind: DayKind::Holiday, name: "元旦".into() }),
            day_row(2026, &CalendarEntry { date: date(2026, 1, 1), kind: DayKind::Holiday, name: "元旦".into() }),
        ];
        let entries = entries_of(2026, &rows).unwrap();
        assert_eq!(entries.iter().map(|e| e.date).collect::<Vec<_>>(), vec![date(2026, 1, 1)]);
        assert!(entries_of(2030, &rows).unwrap().is_empty());
    }

    #[test]
    fn an_official_year_shows_who_loaded_it_and_a_provisional_one_nobody() {
        let loaded_at = date(2025, 11, 3).and_hms_opt(9, 0, 0).unwrap();
        let loaded = CalendarYearRow { year: 2026, loaded_at, loaded_by: "admin:1".into() };
        let days =
            vec![day_row(2026, &CalendarEntry { date: date(2026, 1, 1), kind: DayKind::Holiday, name: "元旦".into() })];
        let official = CalendarYear::official(loaded, days).unwrap();
        assert_eq!((official.year, official.status), (2026, YearStatus::Official));
        assert_eq!((official.loaded_at, official.loaded_by.as_deref()), (Some(loaded_at.and_utc()), Some("admin:1")));
        assert_eq!(official.days.len(), 1);
        let provisional = CalendarYear::provisional(2030, vec![]);
        assert_eq!(
            (provisional.status, provisional.loaded_at, provisional.loaded_by),
            (YearStatus::Provisional, None, None)
        );
        assert!(provisional.days.is_empty() && provisional.recounted.is_empty());
    }
}
