//! The holiday calendar as a table that platform admins extend a year at a time
//! (PUT /api/v1/calendar/{year}); deadline arithmetic reads it. A year without its official
//! arrangement is counted provisionally (see `ggzy_kernel::provisional`); loading it
//! recounts the clocks that ran through it (see [`crate::clocks`]), and from the warning
//! date on a missing next year is warned about.

use chrono::NaiveDateTime;
pub use ggzy_kernel::CalendarOutlook;
use ggzy_kernel::{local_date, outlook, WorkingCalendar};
use ggzy_store::calendar::{self as repo, CalendarDayRow, CalendarYearRow};

use crate::clocks::RecountedClock;
use crate::policy::{authorized, Action};
use crate::proceedings::{NotificationKind, YearMissingNotice};
use crate::{Platform, Principal, ServiceError};

pub use ggzy_kernel::calendar_load::{CalendarDay, LoadCalendarYear};
pub use ggzy_views::calendar::{CalendarYear, CalendarYearStatus, CalendarYears, YearStatus};

/// The recipient under which platform admins read their notifications.
pub const PLATFORM_INBOX: &str = "platform";

/// Notification kind of the daily reminder that next year's calendar is missing.
pub const YEAR_MISSING: NotificationKind = NotificationKind::CalendarYearMissing;

/// The calendar of the given loaded years and their listed days.
pub(crate) fn assemble(
    years: Vec<CalendarYearRow>,
    days: Vec<CalendarDayRow>,
) -> Result<WorkingCalendar, ServiceError> {
    let mut calendar = WorkingCalendar::empty();
    for year in years {
        let entries = ggzy_views::calendar::entries_of(year.year, &days)?;
        calendar
            .load_year(year.year, entries)
            .map_err(|e| ServiceError::Internal(format!("stored calendar {} is invalid: {e}", year.year)))?;
    }
    Ok(calendar)
}

impl crate::contexts::Rules<'_> {
    /// Years loaded ahead and the warning, as of the clock's now.
    pub fn calendar_outlook(&self) -> Result<CalendarOutlook, ServiceError> {
        let official = self.store().read(repo::official_years)?;
        Ok(outlook(official, self.now(), self.calendar_warning_from()))
    }

    pub fn calendar_years(&self) -> Result<CalendarYears, ServiceError> {
        Ok(CalendarYears::of(self.calendar_outlook()?))
    }

    /// One year: the official arrangement when loaded, else the provisional one.
    pub fn calendar_year(&self, year: i32) -> Result<CalendarYear, ServiceError> {
        let found = self.store().read(|conn| repo::year(conn, year))?;
        if let Some((loaded, days)) = found {
            return Ok(CalendarYear::official(loaded, days)?);
        }
        let days = ggzy_kernel::provisional::provisional_year(year)
            .map_err(|_| ServiceError::NotFound { what: "calendar year" })?;
        Ok(CalendarYear::provisional(year, days))
    }

    /// Once a (Beijing) day from the warning date on, while next year's official calendar
    /// is missing, platform admins get a notification. True when one was sent now.
    pub fn remind_missing_calendar(&self) -> Result<bool, ServiceError> {
        let outlook = self.calendar_outlook()?;
        let Some(warning) = outlook.warning else { return Ok(false) };
        let today_start: NaiveDateTime =
            ggzy_kernel::end_of_local_day(local_date(self.now())).naive_utc() - chrono::TimeDelta::days(1);
        self.store().write(|conn| -> Result<bool, ServiceError> {
            if ggzy_store::conduct::notified_since(conn, PLATFORM_INBOX, YEAR_MISSING.as_str(), today_start)? {
                return Ok(false);
            }
            let notice = YearMissingNotice { year: outlook.current_year + 1, warning };
            // An operators' reminder, not a trading event: the admins' inbox only, no webhook.
            let reminder =
                ggzy_views::proceedings::year_missing_row(self.fresh_id(), PLATFORM_INBOX, notice, self.now_naive())
                    .map_err(|e| ServiceError::Internal(e.to_string()))?;
            ggzy_store::conduct::insert_notification(conn, &reminder)?;
            Ok(true)
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
        let principal = authorized(principal, Action::ManageCalendar)?;
        let entries = ggzy_kernel::calendar_load::read_year(year, &request.days).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        let loaded = CalendarYearRow { year, loaded_at: now, loaded_by: principal.actor() };
        let rows: Vec<CalendarDayRow> = entries.iter().map(|e| ggzy_views::calendar::day_row(year, e)).collect();
        let recounted = self.store().write(|conn| -> Result<Vec<RecountedClock>, ServiceError> {
            let before = self.working_calendar_in(conn)?;
            repo::replace_year(conn, &loaded, &rows)?;
            let official = self.working_calendar_in(conn)?;
            let recounted = self.oversight().recount_clocks(conn, principal, year, &before, &official)?;
            let entry = ggzy_views::calendar::loaded_entry(year, &request.days, recounted.len());
            crate::record_entry(conn, principal, now, entry)?;
            Ok(recounted)
        })?;
        Ok(CalendarYear { recounted, ..self.calendar_year(year)? })
    }
}

/// Readers that every context shares.
impl Platform {
    /// The working-day calendar of every loaded year (other years count provisionally).
    pub fn working_calendar(&self) -> Result<WorkingCalendar, ServiceError> {
        let (years, days) = self.store().read(repo::load_all)?;
        assemble(years, days)
    }
}
