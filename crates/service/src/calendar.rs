//! The holiday calendar as a table that platform admins extend a year at a time
//! (PUT /api/v1/calendar/{year}); deadline arithmetic reads it.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use ggzy_kernel::{CalendarEntry, DayKind, FieldError, WorkingCalendar};
use ggzy_store::calendar::{self as repo, CalendarDayRow, CalendarYearRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::policy::{authorize, Action};
use crate::validate::Problems;
use crate::{Platform, Principal, ServiceError};

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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CalendarYear {
    pub year: i32,
    pub loaded_at: DateTime<Utc>,
    pub loaded_by: String,
    pub days: Vec<CalendarDay>,
}

/// The days of one year, as the State Council published them.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoadCalendarYear {
    pub days: Vec<CalendarDay>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CalendarYears {
    /// Years whose calendar is loaded; working-day deadlines cannot reach past them.
    pub years: Vec<i32>,
}

fn kind_column(kind: DayKind) -> &'static str {
    match kind {
        DayKind::Holiday => "holiday",
        DayKind::Workday => "workday",
    }
}

fn day_view(row: CalendarDayRow) -> Result<CalendarDay, ServiceError> {
    let kind = match row.kind.as_str() {
        "holiday" => DayKind::Holiday,
        "workday" => DayKind::Workday,
        other => return Err(ServiceError::Internal(format!("unknown calendar day kind {other}"))),
    };
    Ok(CalendarDay { date: row.day, kind, name: row.name })
}

impl Platform {
    /// The working-day calendar of every loaded year.
    pub fn working_calendar(&self) -> Result<WorkingCalendar, ServiceError> {
        let (years, days) = self.store().read(repo::load_all)?;
        let mut calendar = WorkingCalendar::empty();
        for year in years {
            let entries = days
                .iter()
                .filter(|d| d.year == year.year)
                .cloned()
                .map(|d| day_view(d).map(|v| CalendarEntry { date: v.date, kind: v.kind, name: v.name }))
                .collect::<Result<Vec<_>, _>>()?;
            calendar
                .load_year(year.year, entries)
                .map_err(|e| ServiceError::Internal(format!("stored calendar {} is invalid: {e}", year.year)))?;
        }
        Ok(calendar)
    }

    pub fn calendar_years(&self) -> Result<CalendarYears, ServiceError> {
        let (years, _) = self.store().read(repo::load_all)?;
        Ok(CalendarYears { years: years.into_iter().map(|y| y.year).collect() })
    }

    pub fn calendar_year(&self, year: i32) -> Result<CalendarYear, ServiceError> {
        let found = self.store().read(|conn| repo::year(conn, year))?;
        let Some((loaded, days)) = found else { return Err(ServiceError::NotFound { what: "calendar year" }) };
        Ok(CalendarYear {
            year: loaded.year,
            loaded_at: DateTime::from_naive_utc_and_offset(loaded.loaded_at, Utc),
            loaded_by: loaded.loaded_by,
            days: days.into_iter().map(day_view).collect::<Result<_, _>>()?,
        })
    }

    /// Loads (or replaces) one year of the calendar. Platform admins only.
    #[tracing::instrument(skip_all, fields(year))]
    pub fn load_calendar_year(
        &self,
        principal: Option<&Principal>,
        year: i32,
        request: LoadCalendarYear,
    ) -> Result<CalendarYear, ServiceError> {
        authorize(principal, Action::ManageCalendar)?;
        let principal = principal.ok_or(ServiceError::Unauthenticated)?;
        let mut problems = Problems::default();
        if !(2000..=2100).contains(&year) {
            problems.push(FieldError::new("year", "out_of_range", "年份须在 2000 至 2100 之间"));
        }
        let mut seen = std::collections::BTreeSet::new();
        for (index, day) in request.days.iter().enumerate() {
            let field = format!("days[{index}]");
            if day.date.year() != year {
                problems.push(FieldError::new(
                    format!("{field}.date"),
                    "outside_year",
                    format!("日期不在 {year} 年内"),
                ));
            }
            if !seen.insert(day.date) {
                problems.push(FieldError::new(format!("{field}.date"), "duplicate", "同一日期重复列出"));
            }
            if day.kind == DayKind::Workday
                && !matches!(day.date.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun)
            {
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
        problems.finish()?;
        // The kernel's own check is the last word on what a calendar year may hold.
        let entries: Vec<CalendarEntry> = request
            .days
            .iter()
            .map(|d| CalendarEntry { date: d.date, kind: d.kind, name: d.name.trim().to_owned() })
            .collect();
        WorkingCalendar::empty()
            .load_year(year, entries.clone())
            .map_err(|e| ServiceError::Invalid(vec![FieldError::new("days", e.code(), e.to_string())]))?;
        let now = self.now_naive();
        let loaded = CalendarYearRow { year, loaded_at: now, loaded_by: principal.actor() };
        let rows: Vec<CalendarDayRow> = entries
            .iter()
            .map(|e| CalendarDayRow { day: e.date, year, kind: kind_column(e.kind).to_owned(), name: e.name.clone() })
            .collect();
        self.store().write(|conn| {
            repo::replace_year(conn, &loaded, &rows)?;
            let payload = serde_json::json!({ "year": year, "days": &request.days });
            crate::record(
                conn,
                principal,
                now,
                crate::AuditRecord {
                    chain: format!("calendar:{year}"),
                    action: "calendar.load_year",
                    object_type: "calendar_year",
                    object_id: year.to_string(),
                    payload,
                },
            )
        })?;
        self.calendar_year(year)
    }
}
