//! Running clocks and the calendar they were counted with: whether a shown due date rests
//! on a provisional year, the two clocks computed on demand (contract signing, complaint
//! decision), and the recount of every running clock when the State Council's official
//! arrangement of a year is loaded.
//!
//! The recount follows [`ggzy_rules::recount`]: a clock that has run out is not touched, a
//! clock the official calendar ends later moves to it, and one it ends earlier keeps the
//! provisional (later) date the parties were shown — for the two on-demand clocks as a
//! floor in `clock_floors`. Every move or keep is written on the project's audit chain and
//! notified to the clock's parties (`deadline.recounted`).

use ggzy_kernel::AuditAction;
use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use ggzy_kernel::WorkingCalendar;
use ggzy_oversight::clocks::{self, ClockSides, ClockToRecount, RecountWrite};
use ggzy_oversight::lifecycle::ClockKind;
use ggzy_rules::{rule_ids, Category, Deadline, RuleSet};
use ggzy_store::objections::ComplaintRow;
use ggzy_store::projects::ProjectRow;
use ggzy_store::DbConnection;

use crate::proceedings::{NotificationKind, NotificationPayload, RecountNotice};
use crate::{utc, Platform, Principal, ServiceError};
pub use ggzy_views::clocks::RecountedClock;

/// Notification kind sent to the parties of a recounted clock.
pub const RECOUNTED: NotificationKind = NotificationKind::DeadlineRecounted;

/// Kind of the on-demand clock of a contract's signing window.
pub(crate) const CONTRACT_SIGNING: ClockKind = ClockKind::ContractSigning;
/// Kind of the on-demand clock of a complaint's decision.
pub(crate) const COMPLAINT_DECISION: ClockKind = ClockKind::ComplaintDecision;

pub(crate) use ggzy_oversight::clocks::ClockSpan;

/// A recount in progress: the year, the official calendar, the official years before the
/// load, the projects and rule sets read so far, and the clocks recounted.
struct Recounting<'a> {
    year: i32,
    official: &'a WorkingCalendar,
    official_before: Vec<i32>,
    projects: HashMap<String, ProjectRow>,
    rule_sets: HashMap<i32, RuleSet>,
    recounted: Vec<RecountedClock>,
}

impl Recounting<'_> {
    fn touches(&self, event: DateTime<Utc>, due: DateTime<Utc>) -> bool {
        clocks::counted_through(self.year, &self.official_before, event, due)
    }

    fn project(&mut self, conn: &mut DbConnection, id: &str) -> Result<Option<ProjectRow>, ServiceError> {
        if let Some(found) = self.projects.get(id) {
            return Ok(Some(found.clone()));
        }
        let found = ggzy_store::projects::find(conn, id)?;
        if let Some(project) = &found {
            self.projects.insert(id.to_owned(), project.clone());
        }
        Ok(found)
    }

    /// The project of a section, read once per recount.
    fn project_of_section(
        &mut self,
        conn: &mut DbConnection,
        section_id: &str,
    ) -> Result<Option<ProjectRow>, ServiceError> {
        let Some(section) = ggzy_store::projects::section(conn, section_id)? else { return Ok(None) };
        self.project(conn, &section.project_id)
    }
}

/// A running clock as the recount sees it, with its project, subject and rule.
struct Running {
    project: ProjectRow,
    subject_id: String,
    rule_id: String,
    clock: ClockToRecount,
}

impl Running {
    #[allow(clippy::too_many_arguments)]
    fn new(
        kind: ClockKind,
        project: ProjectRow,
        subject_id: &str,
        rule_id: &str,
        event: DateTime<Utc>,
        due: DateTime<Utc>,
        party: Option<&str>,
        sealed: bool,
    ) -> Running {
        let sides = ClockSides { tenderer: &project.tenderer_id, regulator: project.regulator_id.as_deref(), party };
        let parties = clocks::recount_parties(kind, sides, sealed);
        let clock = ClockToRecount { kind, event, due, parties, sealed };
        Running { project, subject_id: subject_id.to_owned(), rule_id: rule_id.to_owned(), clock }
    }
}

impl crate::contexts::Oversight<'_> {
    /// The contract signing window of a section awarded at `awarded_at`, as counted with
    /// `calendar` (no floor applied).
    pub(crate) fn contract_window(
        &self,
        conn: &mut DbConnection,
        calendar: &WorkingCalendar,
        project: &ProjectRow,
        awarded_at: NaiveDateTime,
    ) -> Result<Deadline, ServiceError> {
        let category: Category = crate::projects::parse_stored_enum("category", &project.category)?;
        let rule_set = self.stored_rule_set(conn, project.rule_set_version)?;
        ggzy_trading::committee::contract_window(category, &rule_set, utc(awarded_at), calendar)
            .map_err(crate::rules::deadline_error)
    }

    /// The decision clock of a complaint as counted with `calendar`, with paused working
    /// days not counted: its rule, its start and due moment (none while a pause is open or
    /// before the clock starts). No floor applied.
    pub(crate) fn complaint_decision(
        &self,
        conn: &mut DbConnection,
        calendar: &WorkingCalendar,
        project: &ProjectRow,
        row: &ComplaintRow,
    ) -> Result<(&'static str, Option<ClockSpan>), ServiceError> {
        let category: Category = crate::projects::parse_stored_enum("category", &project.category)?;
        let status: crate::complaints::ComplaintStatus = crate::stored::stored("complaints.status", &row.status)?;
        let (rule, start) = clocks::decision_start(category, status, utc(row.filed_at), row.accepted_at.map(utc));
        let Some(start) = start else { return Ok((rule, None)) };
        let rule_set = self.stored_rule_set(conn, project.rule_set_version)?;
        let span = clocks::decision_span(rule, start, &rule_set, &crate::complaints::pauses_of(row)?, calendar)
            .map_err(|error| match error {
                clocks::DecisionClockError::NoTimeLimit(rule) => {
                    ServiceError::Internal(format!("no time limit {rule}"))
                }
                clocks::DecisionClockError::Calendar(e) => ServiceError::Conflict { detail: e.to_string() },
            })?;
        Ok((rule, span))
    }

    /// `due` raised to the floor a recount kept for an on-demand clock, if any.
    pub(crate) fn with_floor(
        conn: &mut DbConnection,
        kind: ClockKind,
        subject_id: &str,
        due: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, ServiceError> {
        let floor = ggzy_store::calendar::clock_floor(conn, kind.as_str(), subject_id)?.map(utc);
        Ok(clocks::floored(due, floor))
    }

    /// Recounts every running clock that was counted with the provisional `year`, now that
    /// `official` holds its official arrangement (`before` is the calendar until now).
    pub(crate) fn recount_clocks(
        &self,
        conn: &mut DbConnection,
        principal: &Principal,
        year: i32,
        before: &WorkingCalendar,
        official: &WorkingCalendar,
    ) -> Result<Vec<RecountedClock>, ServiceError> {
        if before.is_loaded(year) {
            // Replacing one official arrangement by another is a correction, not the end of
            // a provisional count: clocks already counted keep their dates.
            return Ok(Vec::new());
        }
        let mut run = Recounting {
            year,
            official,
            official_before: before.years(),
            projects: HashMap::new(),
            rule_sets: HashMap::new(),
            recounted: Vec::new(),
        };

        for objection in ggzy_store::objections::unanswered(conn)? {
            let Some(project) = run.project(conn, &objection.project_id)? else { continue };
            let clock = Running::new(
                ClockKind::ObjectionAnswer,
                project,
                &objection.id,
                &objection.reply_rule_id,
                utc(objection.raised_at),
                utc(objection.reply_due),
                Some(&objection.objector_id),
                false,
            );
            if let Some(to) = self.recount_stored(conn, principal, &mut run, clock)? {
                ggzy_store::objections::set_reply_due(conn, &objection.id, to.naive_utc())?;
            }
        }

        for complaint in ggzy_store::objections::open_complaints(conn)? {
            let Some(project) = run.project(conn, &complaint.project_id)? else { continue };
            if clocks::acceptance_runs(crate::stored::stored("complaints.status", &complaint.status)?) {
                let clock = Running::new(
                    ClockKind::ComplaintAcceptance,
                    project.clone(),
                    &complaint.id,
                    rule_ids::CONSTRUCTION_COMPLAINT_ACCEPTANCE,
                    utc(complaint.filed_at),
                    utc(complaint.acceptance_due),
                    Some(&complaint.complainant_id),
                    false,
                );
                if let Some(to) = self.recount_stored(conn, principal, &mut run, clock)? {
                    ggzy_store::objections::set_complaint_acceptance_due(conn, &complaint.id, to.naive_utc())?;
                }
            }
            let (rule, Some((event, counted_before))) = self.complaint_decision(conn, before, &project, &complaint)?
            else {
                continue;
            };
            let due = Self::with_floor(conn, COMPLAINT_DECISION, &complaint.id, counted_before)?;
            if !run.touches(event, due) {
                continue;
            }
            let (_, Some((_, counted))) = self.complaint_decision(conn, official, &project, &complaint)? else {
                continue;
            };
            let clock = Running::new(
                COMPLAINT_DECISION,
                project,
                &complaint.id,
                rule,
                event,
                due,
                Some(&complaint.complainant_id),
                false,
            );
            self.recount_on_demand(conn, principal, &mut run, clock, counted)?;
        }

        for mut bond in ggzy_store::ledger::bonds_on_clock(conn)? {
            let (Some(trigger_at), Some(deadline), Some(rule)) =
                (bond.refund_trigger_at, bond.refund_deadline, bond.refund_rule.clone())
            else {
                continue;
            };
            let Some(project) = run.project_of_section(conn, &bond.section_id)? else { continue };
            let sealed = crate::bids::sealed_section(conn, &bond.section_id)?;
            let clock = Running::new(
                ClockKind::BondRefund,
                project,
                &bond.id,
                &rule,
                utc(trigger_at),
                utc(deadline),
                Some(&bond.bidder_id),
                sealed,
            );
            if let Some(to) = self.recount_stored(conn, principal, &mut run, clock)? {
                bond.refund_deadline = Some(to.naive_utc());
                ggzy_store::ledger::update_bond(conn, &bond)?;
            }
        }

        for result in ggzy_store::evaluation::all_results(conn)? {
            if result.contract_signed_at.is_some() {
                continue;
            }
            let Some(project) = run.project_of_section(conn, &result.section_id)? else { continue };
            let Some(awarded_at) = result.awarded_at else {
                let clock = Running::new(
                    ClockKind::CandidatePublicity,
                    project,
                    &result.section_id,
                    rule_ids::CONSTRUCTION_CANDIDATES_PUBLICITY,
                    utc(result.publicity_start),
                    utc(result.publicity_end),
                    None,
                    false,
                );
                if let Some(to) = self.recount_stored(conn, principal, &mut run, clock)? {
                    ggzy_store::evaluation::set_candidate_publicity_end(conn, &result.section_id, to.naive_utc())?;
                }
                continue;
            };
            let counted_before = self.contract_window(conn, before, &project, awarded_at)?;
            let due = Self::with_floor(conn, CONTRACT_SIGNING, &result.section_id, counted_before.due)?;
            let event = utc(awarded_at);
            if !run.touches(event, due) {
                continue;
            }
            let counted = self.contract_window(conn, official, &project, awarded_at)?;
            let clock = Running::new(
                CONTRACT_SIGNING,
                project,
                &result.section_id,
                &counted.rule_id,
                event,
                due,
                result.winner_id.as_deref(),
                false,
            );
            self.recount_on_demand(conn, principal, &mut run, clock, counted.due)?;
        }

        for award in ggzy_store::projects::direct_awards_in_publicity(conn, self.now_naive())? {
            let Some(project) = run.project(conn, &award.project_id)? else { continue };
            let clock = Running::new(
                ClockKind::DirectAwardPublicity,
                project,
                &award.id,
                &award.rule_id,
                utc(award.reported_at),
                utc(award.publicity_end),
                Some(&award.contractor_id),
                false,
            );
            if let Some(to) = self.recount_stored(conn, principal, &mut run, clock)? {
                let day = clocks::last_day(to);
                ggzy_store::projects::set_direct_award_publicity_end(conn, &award.id, to.naive_utc(), day)?;
            }
        }
        Ok(run.recounted)
    }

    /// Recounts a clock counted on demand from its event: a kept date becomes its floor.
    fn recount_on_demand(
        &self,
        conn: &mut DbConnection,
        principal: &Principal,
        run: &mut Recounting<'_>,
        clock: Running,
        official_due: DateTime<Utc>,
    ) -> Result<(), ServiceError> {
        let (kind, subject_id) = (clock.clock.kind, clock.subject_id.clone());
        if let Some(RecountWrite::Floor(due)) = self.settle(conn, principal, run, clock, official_due)? {
            let now = self.now_naive();
            ggzy_store::calendar::set_clock_floor(conn, kind.as_str(), &subject_id, due.naive_utc(), now)?;
        }
        Ok(())
    }

    /// Recounts a clock whose due date is stored with its subject: counted again from its
    /// event under its rule with the official calendar; the new due date when it moved.
    fn recount_stored(
        &self,
        conn: &mut DbConnection,
        principal: &Principal,
        run: &mut Recounting<'_>,
        clock: Running,
    ) -> Result<Option<DateTime<Utc>>, ServiceError> {
        if !run.touches(clock.clock.event, clock.clock.due) {
            return Ok(None);
        }
        let rule_set = match run.rule_sets.entry(clock.project.rule_set_version) {
            std::collections::hash_map::Entry::Occupied(cached) => cached.into_mut(),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(self.stored_rule_set(conn, clock.project.rule_set_version)?)
            }
        };
        let counted =
            rule_set.due(&clock.rule_id, clock.clock.event, run.official).map_err(crate::rules::deadline_error)?;
        Ok(match self.settle(conn, principal, run, clock, counted.due)? {
            Some(RecountWrite::Due(to)) => Some(to),
            _ => None,
        })
    }

    /// Recounts one clock ([`clocks::plan_recount`]), audits it on the project's chain (a
    /// sealed section's bond on the section's sealed chain), tells its parties and lists
    /// it; what the caller writes, if anything.
    fn settle(
        &self,
        conn: &mut DbConnection,
        principal: &Principal,
        run: &mut Recounting<'_>,
        running: Running,
        official_due: DateTime<Utc>,
    ) -> Result<Option<RecountWrite>, ServiceError> {
        let Running { project, subject_id, rule_id, clock } = running;
        let Some(plan) = clocks::plan_recount(&clock, official_due, self.now()) else { return Ok(None) };
        let notice = NotificationPayload::Recount(RecountNotice {
            year: run.year,
            kind: clock.kind,
            rule_id: rule_id.clone(),
            counted_from: clock.event,
            provisional_due: plan.provisional_due,
            official_due: plan.official_due,
            due: plan.due,
            outcome: plan.outcome,
        });
        let chain = if plan.sealed {
            let bond =
                ggzy_store::ledger::find_bond(conn, &subject_id)?.ok_or(ServiceError::NotFound { what: "bond" })?;
            crate::bids::bidding_chain(conn, &project.id, &bond.section_id)?
        } else {
            format!("project:{}", project.id)
        };
        let now = self.now_naive();
        let entry = crate::AuditRecord::new(chain, AuditAction::DeadlineRecount, clock.kind.as_str(), &subject_id);
        crate::record(conn, principal, now, entry, crate::payload_of(&notice)?)?;
        self.tendering().notify_each(conn, &plan.parties, Some(&project.id), RECOUNTED, &notice, !plan.sealed)?;
        if !plan.sealed {
            run.recounted.push(RecountedClock::of(clock.kind, project.id, subject_id, rule_id, &plan));
        }
        Ok(plan.write)
    }
}

/// Readers that every context shares.
impl Platform {
    /// The working-day calendar on a connection already held (inside a transaction).
    pub(crate) fn working_calendar_in(&self, conn: &mut DbConnection) -> Result<WorkingCalendar, ServiceError> {
        let (years, days) = ggzy_store::calendar::load_all(conn)?;
        crate::calendar::assemble(years, days)
    }
}
