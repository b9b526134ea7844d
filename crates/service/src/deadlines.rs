//! The deadline watch: one list of every running clock — objection answers, complaint
//! acceptance and decision, bond refunds, candidate publicity, contract signing — with due
//! moments and overdue flags.

use chrono::{DateTime, Utc};
use ggzy_kernel::WorkingCalendar;
use ggzy_oversight::lifecycle::ClockKind;
use ggzy_rules::rule_ids;
use ggzy_store::DbConnection;

use crate::policy::{authorize, Action};
use crate::utc;
use crate::{Platform, Principal, ServiceError};

pub use ggzy_oversight::watch::RunningDeadline;
use ggzy_oversight::watch::{Clock, ClockProject, WatchCursor, WatchFilter};
pub use ggzy_views::deadlines::{DeadlineFilter, DeadlineWatch};

impl Platform {
    pub fn running_deadlines(
        &self,
        principal: Option<&Principal>,
        filter: DeadlineFilter,
    ) -> Result<DeadlineWatch, ServiceError> {
        authorize(principal, Action::ReadBonds)?;
        let principal = principal.ok_or(ServiceError::Unauthenticated)?;
        let mut problems = crate::validate::Problems::default();
        let kind = filter.kind.as_deref().and_then(|k| problems.closed::<ClockKind>("kind", k));
        let after = filter.after.as_deref().and_then(|text| {
            let parsed = WatchCursor::parse(text);
            if parsed.is_none() {
                problems.push(ggzy_kernel::FieldError::new("after", "unknown_cursor", "不是上一页给出的 next_cursor"));
            }
            parsed
        });
        let page = ggzy_kernel::PageRequest::new(None, filter.limit).map_err(|e| problems.push(e)).ok();
        problems.finish()?;
        let limit = page.map_or(ggzy_kernel::PageRequest::DEFAULT_LIMIT, |p| p.limit) as usize;
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
        let watch = WatchFilter { department, project_id: filter.project, overdue: filter.overdue, kind, after };
        let (clocks, next_cursor) = ggzy_oversight::watch::page(clocks, &watch, limit);
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
        for objection in ggzy_store::objections::unanswered(conn)? {
            let Some(project) = ggzy_store::projects::find(conn, &objection.project_id)? else { continue };
            let clock = Clock {
                kind: ClockKind::ObjectionAnswer,
                subject_id: objection.id,
                rule_id: objection.reply_rule_id,
                started: Some(utc(objection.raised_at)),
                due: utc(objection.reply_due),
            };
            push(&project, clock);
        }
        for row in ggzy_store::objections::open_complaints(conn)? {
            let Some(project) = ggzy_store::projects::find(conn, &row.project_id)? else { continue };
            let received =
                crate::stored::stored::<crate::complaints::ComplaintStatus>("complaints.status", &row.status)?
                    == crate::complaints::ComplaintStatus::Received;
            let complaint = self.complaint_view_with(conn, calendar, row)?;
            if received {
                let clock = Clock {
                    kind: ClockKind::ComplaintAcceptance,
                    subject_id: complaint.id.clone(),
                    rule_id: rule_ids::CONSTRUCTION_COMPLAINT_ACCEPTANCE.into(),
                    started: Some(complaint.filed_at),
                    due: complaint.acceptance_due,
                };
                push(&project, clock);
            }
            // A paused clock has no due moment until it resumes.
            if let Some(due) = complaint.decision_due {
                let clock = Clock {
                    kind: ClockKind::ComplaintDecision,
                    subject_id: complaint.id,
                    rule_id: complaint.decision_rule,
                    started: Some(complaint.accepted_at.unwrap_or(complaint.filed_at)),
                    due,
                };
                push(&project, clock);
            }
        }
        let mut sealed = crate::bids::SealedSections::default();
        for bond in ggzy_store::ledger::bonds_on_clock(conn)? {
            let (Some(due), Some(rule)) = (bond.refund_deadline, bond.refund_rule.clone()) else { continue };
            // A withdrawn bid's refund before the opening would name a bidder.
            if !include_sealed && sealed.sealed(conn, &bond.section_id)? {
                continue;
            }
            let Some(section) = ggzy_store::projects::section(conn, &bond.section_id)? else { continue };
            let Some(project) = ggzy_store::projects::find(conn, &section.project_id)? else { continue };
            let clock = Clock {
                kind: ClockKind::BondRefund,
                subject_id: bond.id,
                rule_id: rule,
                started: bond.refund_trigger_at.map(utc),
                due: utc(due),
            };
            push(&project, clock);
        }
        for result in ggzy_store::evaluation::all_results(conn)? {
            if result.contract_signed_at.is_some() {
                continue;
            }
            let Some(section) = ggzy_store::projects::section(conn, &result.section_id)? else { continue };
            let Some(project) = ggzy_store::projects::find(conn, &section.project_id)? else { continue };
            if result.winner_id.is_none() && now < utc(result.publicity_end) {
                let clock = Clock {
                    kind: ClockKind::CandidatePublicity,
                    subject_id: section.id.clone(),
                    rule_id: rule_ids::CONSTRUCTION_CANDIDATES_PUBLICITY.into(),
                    started: Some(utc(result.publicity_start)),
                    due: utc(result.publicity_end),
                };
                push(&project, clock);
            }
            if let Some(awarded) = result.awarded_at {
                let window = self.contract_window(conn, calendar, &project, awarded)?;
                let due = Self::with_floor(conn, crate::clocks::CONTRACT_SIGNING, &section.id, window.due)?;
                let clock = Clock {
                    kind: ClockKind::ContractSigning,
                    subject_id: section.id.clone(),
                    rule_id: window.rule_id,
                    started: Some(utc(awarded)),
                    due,
                };
                push(&project, clock);
            }
        }
        Ok(clocks)
    }
}
