//! The deadline watch: one list of every running clock — objection answers, complaint
//! acceptance and decision, bond refunds, candidate publicity, contract signing — with due
//! moments and overdue flags.

use chrono::{DateTime, Utc};
use ggzy_kernel::WorkingCalendar;
use ggzy_oversight::lifecycle::ClockKind;
use ggzy_rules::rule_ids;
use ggzy_store::DbConnection;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::policy::{authorize, Action};
use crate::utc;
use crate::{Platform, Principal, ServiceError};

/// A running clock.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RunningDeadline {
    /// objection_answer, complaint_acceptance, complaint_decision, bond_refund,
    /// candidate_publicity or contract_signing.
    pub kind: ClockKind,
    pub project_id: String,
    pub project_code: String,
    /// The industry regulator of the project.
    pub regulator_id: Option<String>,
    /// What the clock is about (objection, complaint, bond or section id).
    pub subject_id: String,
    pub rule_id: String,
    pub due: DateTime<Utc>,
    pub overdue: bool,
    /// True when the due moment was counted through a year whose official holiday
    /// arrangement is not loaded (it may still move when it is).
    pub provisional: bool,
    /// The years counted provisionally; empty when `provisional` is false.
    pub provisional_years: Vec<i32>,
}

/// The deadline watch: the running clocks, soonest first, and warnings about the calendar
/// they are counted with.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeadlineWatch {
    pub deadlines: Vec<RunningDeadline>,
    /// For example: next year's official holiday arrangement is not loaded yet.
    pub warnings: Vec<String>,
    /// Pass as `after` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

/// The watch's filters and page. Any other parameter is refused.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeadlineFilter {
    /// Only clocks of this kind.
    #[param(value_type = Option<ClockKind>)]
    pub kind: Option<String>,
    /// Cursor from the previous page's `next_cursor` (the watch goes on after that clock's
    /// due moment even if the clock has ended since).
    pub after: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// Only projects this department supervises.
    pub department: Option<String>,
    /// Only this project.
    pub project: Option<String>,
    /// Only overdue clocks.
    pub overdue: Option<bool>,
}

/// Where a clock stands in the watch's order (soonest first; then kind and subject, so that
/// the order is total) and the text of that position as a cursor.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct WatchCursor {
    due_micros: i64,
    kind: &'static str,
    subject_id: String,
}

impl WatchCursor {
    fn of(clock: &RunningDeadline) -> WatchCursor {
        WatchCursor {
            due_micros: clock.due.timestamp_micros(),
            kind: clock.kind.as_str(),
            subject_id: clock.subject_id.clone(),
        }
    }

    fn parse(text: &str) -> Option<WatchCursor> {
        let mut parts = text.splitn(3, '.');
        let due_micros = parts.next()?.parse().ok()?;
        let kind = ClockKind::parse(parts.next()?)?.as_str();
        let subject_id = parts.next().filter(|s| !s.is_empty())?.to_owned();
        Some(WatchCursor { due_micros, kind, subject_id })
    }
}

impl std::fmt::Display for WatchCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.due_micros, self.kind, self.subject_id)
    }
}

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
        let (mut clocks, official) =
            self.store().read(|conn| -> Result<(Vec<RunningDeadline>, Vec<i32>), ServiceError> {
                let calendar = self.working_calendar_in(conn)?;
                Ok((self.running_clocks(conn, &calendar, now, false)?, calendar.years()))
            })?;
        let outlook = ggzy_kernel::outlook(official, now, self.calendar_warning_from());
        clocks.retain(|c| {
            department.as_ref().is_none_or(|d| c.regulator_id.as_ref() == Some(d))
                && filter.project.as_ref().is_none_or(|p| &c.project_id == p)
                && filter.overdue.is_none_or(|o| c.overdue == o)
                && kind.is_none_or(|k| c.kind == k)
                && after.as_ref().is_none_or(|a| WatchCursor::of(c) > *a)
        });
        for clock in &mut clocks {
            clock.provisional = !clock.provisional_years.is_empty();
        }
        clocks.sort_by_key(WatchCursor::of);
        let next_cursor = (clocks.len() > limit).then(|| WatchCursor::of(&clocks[limit - 1]).to_string());
        clocks.truncate(limit);
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
        let span = |from: DateTime<Utc>, due: DateTime<Utc>| ggzy_kernel::provisional_span(&official, from, due);
        let mut clocks = Vec::new();
        for objection in ggzy_store::objections::unanswered(conn)? {
            let Some(project) = ggzy_store::projects::find(conn, &objection.project_id)? else { continue };
            clocks.push(RunningDeadline {
                kind: ClockKind::ObjectionAnswer,
                project_id: project.id.clone(),
                project_code: project.code.clone(),
                regulator_id: project.regulator_id.clone(),
                subject_id: objection.id,
                rule_id: objection.reply_rule_id,
                due: utc(objection.reply_due),
                overdue: now >= utc(objection.reply_due),
                provisional_years: span(utc(objection.raised_at), utc(objection.reply_due)),
                provisional: false,
            });
        }
        for row in ggzy_store::objections::open_complaints(conn)? {
            let Some(project) = ggzy_store::projects::find(conn, &row.project_id)? else { continue };
            let received =
                crate::stored::stored::<crate::complaints::ComplaintStatus>("complaints.status", &row.status)?
                    == crate::complaints::ComplaintStatus::Received;
            let complaint = self.complaint_view_with(conn, calendar, row)?;
            if received {
                clocks.push(RunningDeadline {
                    kind: ClockKind::ComplaintAcceptance,
                    project_id: project.id.clone(),
                    project_code: project.code.clone(),
                    regulator_id: project.regulator_id.clone(),
                    subject_id: complaint.id.clone(),
                    rule_id: rule_ids::CONSTRUCTION_COMPLAINT_ACCEPTANCE.into(),
                    due: complaint.acceptance_due,
                    overdue: now >= complaint.acceptance_due,
                    provisional_years: span(complaint.filed_at, complaint.acceptance_due),
                    provisional: false,
                });
            }
            // A paused clock has no due moment until it resumes.
            if let Some(due) = complaint.decision_due {
                clocks.push(RunningDeadline {
                    kind: ClockKind::ComplaintDecision,
                    project_id: project.id.clone(),
                    project_code: project.code.clone(),
                    regulator_id: project.regulator_id.clone(),
                    subject_id: complaint.id,
                    rule_id: complaint.decision_rule,
                    due,
                    overdue: now >= due,
                    provisional_years: span(complaint.accepted_at.unwrap_or(complaint.filed_at), due),
                    provisional: false,
                });
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
            clocks.push(RunningDeadline {
                kind: ClockKind::BondRefund,
                project_id: project.id.clone(),
                project_code: project.code.clone(),
                regulator_id: project.regulator_id.clone(),
                subject_id: bond.id,
                rule_id: rule,
                due: utc(due),
                overdue: now >= utc(due),
                provisional_years: bond.refund_trigger_at.map(|at| span(utc(at), utc(due))).unwrap_or_default(),
                provisional: false,
            });
        }
        for result in ggzy_store::evaluation::all_results(conn)? {
            if result.contract_signed_at.is_some() {
                continue;
            }
            let Some(section) = ggzy_store::projects::section(conn, &result.section_id)? else { continue };
            let Some(project) = ggzy_store::projects::find(conn, &section.project_id)? else { continue };
            if result.winner_id.is_none() && now < utc(result.publicity_end) {
                clocks.push(RunningDeadline {
                    kind: ClockKind::CandidatePublicity,
                    project_id: project.id.clone(),
                    project_code: project.code.clone(),
                    regulator_id: project.regulator_id.clone(),
                    subject_id: section.id.clone(),
                    rule_id: rule_ids::CONSTRUCTION_CANDIDATES_PUBLICITY.into(),
                    due: utc(result.publicity_end),
                    overdue: false,
                    provisional_years: span(utc(result.publicity_start), utc(result.publicity_end)),
                    provisional: false,
                });
            }
            if let Some(awarded) = result.awarded_at {
                let window = self.contract_window(conn, calendar, &project, awarded)?;
                let due = Self::with_floor(conn, crate::clocks::CONTRACT_SIGNING, &section.id, window.due)?;
                clocks.push(RunningDeadline {
                    kind: ClockKind::ContractSigning,
                    project_id: project.id.clone(),
                    project_code: project.code.clone(),
                    regulator_id: project.regulator_id.clone(),
                    subject_id: section.id.clone(),
                    rule_id: window.rule_id,
                    due,
                    overdue: now >= due,
                    provisional_years: span(utc(awarded), due),
                    provisional: false,
                });
            }
        }
        Ok(clocks)
    }
}
