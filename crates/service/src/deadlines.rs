//! The deadline watch: one list of every running clock — objection answers, complaint
//! acceptance and decision, bond refunds, candidate publicity, contract signing — with due
//! moments and overdue flags.

use chrono::{DateTime, Utc};
use ggzy_kernel::WorkingCalendar;
use ggzy_store::DbConnection;

use crate::policy::{authorized, Action};
use crate::{Principal, ServiceError};

pub use ggzy_oversight::watch::RunningDeadline;
use ggzy_oversight::watch::{self, Clock, ClockProject, WatchFilter, WatchPageRequest};
use ggzy_views::deadlines::{bond_clock, complaint_standing, objection_clock, result_standing};
pub use ggzy_views::deadlines::{DeadlineFilter, DeadlineWatch};

impl crate::contexts::Oversight<'_> {
    pub fn running_deadlines(
        &self,
        principal: Option<&Principal>,
        filter: DeadlineFilter,
    ) -> Result<DeadlineWatch, ServiceError> {
        let principal = authorized(principal, Action::ReadDeadlineWatch)?;
        let WatchPageRequest { kind, after, limit } =
            watch::read_page(filter.kind.as_deref(), filter.after.as_deref(), filter.limit)
                .map_err(ServiceError::Invalid)?;
        // An industry regulator sees its own industry's clocks only.
        let department = match crate::policy::industry_of(principal) {
            Some(industry) => Some(industry.to_owned()),
            None => filter.department.clone(),
        };
        let now = self.now();
        let (clocks, official) =
            self.store().read(|conn| -> Result<(Vec<RunningDeadline>, Vec<i32>), ServiceError> {
                let calendar = self.working_calendar_in(conn)?;
                Ok((self.running_clocks(conn, &calendar, now, false)?, calendar.years()))
            })?;
        let outlook = ggzy_kernel::outlook(official, now, self.calendar_warning_from());
        let shown = WatchFilter { department, project_id: filter.project, overdue: filter.overdue, kind, after };
        let (clocks, next_cursor) = watch::page(clocks, &shown, limit);
        Ok(DeadlineWatch { deadlines: clocks, warnings: outlook.warning.into_iter().collect(), next_cursor })
    }

    /// Every running clock, as counted with `calendar` at `now`, in no particular order;
    /// the refund clocks of bonds in sections still sealed only when `include_sealed` (the
    /// watch never shows them: they would name a bidder).
    pub(crate) fn running_clocks(
        &self,
        conn: &mut DbConnection,
        calendar: &WorkingCalendar,
        now: DateTime<Utc>,
        include_sealed: bool,
    ) -> Result<Vec<RunningDeadline>, ServiceError> {
        let official = calendar.years();
        let mut clocks = Vec::new();
        let mut push = |project: &ggzy_store::projects::ProjectRow, clock: Clock| {
            let project =
                ClockProject { id: &project.id, code: &project.code, regulator_id: project.regulator_id.as_deref() };
            clocks.push(RunningDeadline::at(project, clock, now, &official));
        };
        let rows = ggzy_store::running_clocks::running_clock_rows(conn, None)?;
        for (objection, project) in rows.objections {
            push(&project, objection_clock(objection));
        }
        for (row, project) in rows.complaints {
            let standing = complaint_standing(self.complaint_view_with(conn, calendar, row)?);
            for clock in watch::complaint_clocks(standing) {
                push(&project, clock);
            }
        }
        for on_clock in rows.bonds {
            // A withdrawn bid's refund before the opening would name a bidder.
            if !include_sealed && crate::clocks::bidders_secret_in(&on_clock)? {
                continue;
            }
            let Some(clock) = bond_clock(on_clock.bond) else { continue };
            push(&on_clock.project, clock);
        }
        for (result, project) in rows.results {
            let standing = result_standing(result);
            if let Some(clock) = standing.candidate_publicity(now) {
                push(&project, clock);
            }
            if let Some(awarded) = standing.awaits_contract() {
                let (rule, due) =
                    self.contract_due(conn, calendar, &project, &standing.section_id, awarded.naive_utc())?;
                push(&project, standing.contract_signing(awarded, rule, due));
            }
        }
        Ok(clocks)
    }

    /// The contract signing clock of a section awarded at `awarded_at`: its rule and its due
    /// moment, never before the floor a recount left it.
    pub(crate) fn contract_due(
        &self,
        conn: &mut DbConnection,
        calendar: &WorkingCalendar,
        project: &ggzy_store::projects::ProjectRow,
        section_id: &str,
        awarded_at: chrono::NaiveDateTime,
    ) -> Result<(String, DateTime<Utc>), ServiceError> {
        let window = self.contract_window(conn, calendar, project, awarded_at)?;
        let due = Self::with_floor(conn, crate::clocks::CONTRACT_SIGNING, section_id, window.due)?;
        Ok((window.rule_id, due))
    }
}
