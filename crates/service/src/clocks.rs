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

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDateTime, Utc};
use ggzy_kernel::WorkingCalendar;
use ggzy_oversight::clocks::{self, RecountWrite, Recounted, YearLoaded};
use ggzy_oversight::lifecycle::ClockKind;
use ggzy_rules::{Category, Deadline};
use ggzy_store::ledger::BondRow;
use ggzy_store::objections::ComplaintRow;
use ggzy_store::projects::ProjectRow;
use ggzy_store::running_clocks::BondOnClock;
use ggzy_store::DbConnection;

use crate::proceedings::NotificationKind;
use crate::{utc, Platform, Principal, ServiceError};
pub use ggzy_views::clocks::RecountedClock;
use ggzy_views::clocks::{
    acceptance_clock, bond_clock, decision_clock, direct_award_clock, objection_clock, publicity_clock, recount_entry,
    recount_notice, signing_clock,
};

/// Notification kind sent to the parties of a recounted clock.
pub const RECOUNTED: NotificationKind = NotificationKind::DeadlineRecounted;

/// Kind of the on-demand clock of a contract's signing window.
pub(crate) const CONTRACT_SIGNING: ClockKind = ClockKind::ContractSigning;
/// Kind of the on-demand clock of a complaint's decision.
pub(crate) const COMPLAINT_DECISION: ClockKind = ClockKind::ComplaintDecision;

pub(crate) use ggzy_oversight::clocks::ClockSpan;

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
            .map_err(|error| error.answer().map_or_else(ServiceError::Internal, ServiceError::from))?;
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
    /// `official` holds its official arrangement (`before` is the calendar until now):
    /// loads the running clocks, has [`clocks::recount`] decide, and writes, audits and
    /// tells what it decided.
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
        let rows = ggzy_store::running_clocks::running_clock_rows(conn, Some(self.now_naive()))?;
        let mut running: Vec<_> =
            rows.objections.iter().map(|(objection, project)| objection_clock(objection, project)).collect();
        for (complaint, project) in &rows.complaints {
            let status = crate::stored::stored("complaints.status", &complaint.status)?;
            running.extend(acceptance_clock(complaint, status, project));
            let (rule, Some((event, counted))) = self.complaint_decision(conn, before, project, complaint)? else {
                continue;
            };
            let span = (event, Self::with_floor(conn, COMPLAINT_DECISION, &complaint.id, counted)?);
            let pauses = crate::complaints::pauses_of(complaint)?;
            running.push(decision_clock(complaint, project, rule, span, pauses));
        }
        let mut bonds = HashMap::new();
        for on_clock in rows.bonds {
            let sealed = bidders_secret_in(&on_clock)?;
            let Some(clock) = bond_clock(&on_clock.bond, &on_clock.project, sealed) else { continue };
            running.push(clock);
            bonds.insert(on_clock.bond.id.clone(), on_clock.bond);
        }
        for (result, project) in &rows.results {
            running.push(match result.awarded_at {
                None => publicity_clock(result, project),
                Some(awarded_at) => {
                    let counted = self.contract_window(conn, before, project, awarded_at)?;
                    let due = Self::with_floor(conn, CONTRACT_SIGNING, &result.section_id, counted.due)?;
                    signing_clock(result, project, &counted.rule_id, (utc(awarded_at), due))
                }
            });
        }
        running.extend(rows.direct_awards.iter().map(|(award, project)| direct_award_clock(award, project)));

        let mut rule_sets = BTreeMap::new();
        for version in running.iter().map(|r| r.rule_set_version) {
            if let std::collections::btree_map::Entry::Vacant(slot) = rule_sets.entry(version) {
                slot.insert(self.stored_rule_set(conn, version)?);
            }
        }
        let official_before = before.years();
        let loaded = YearLoaded { year, official_before: &official_before, official, now: self.now() };
        let recounted = clocks::recount(loaded, running, &rule_sets)
            .map_err(|error| error.answer().map_or_else(ServiceError::Internal, ServiceError::from))?;
        let mut answer = Vec::new();
        for recounted in recounted {
            let bond = bonds
                .get_mut(&recounted.running.subject_id)
                .filter(|_| recounted.running.clock.kind == ClockKind::BondRefund);
            self.settle(conn, principal, year, &recounted, bond)?;
            if !recounted.plan.sealed {
                answer.push(RecountedClock::of(&recounted));
            }
        }
        Ok(answer)
    }

    /// Audits one recounted clock on the project's chain (a sealed section's bond on the
    /// section's sealed chain), tells its parties, and writes what the recount decided: a
    /// stored due date moved with its subject, an on-demand clock's kept date as its floor.
    fn settle(
        &self,
        conn: &mut DbConnection,
        principal: &Principal,
        year: i32,
        recounted: &Recounted,
        bond: Option<&mut BondRow>,
    ) -> Result<(), ServiceError> {
        let Recounted { running, plan } = recounted;
        let (clock, subject_id) = (&running.clock, running.subject_id.as_str());
        let notice = recount_notice(year, recounted);
        let chain = if plan.sealed {
            let section_id = &bond.as_ref().ok_or(ServiceError::NotFound { what: "bond" })?.section_id;
            crate::bids::bidding_chain(conn, &running.project_id, section_id)?
        } else {
            ggzy_views::audit_entry::project_chain(&running.project_id)
        };
        let now = self.now_naive();
        crate::record_entry(conn, principal, now, recount_entry(chain, recounted, &notice))?;
        let project_id = Some(running.project_id.as_str());
        self.tendering().notify_each(conn, &plan.parties, project_id, RECOUNTED, &notice, !plan.sealed)?;
        let to = match plan.write {
            None => return Ok(()),
            Some(RecountWrite::Floor(due)) => {
                ggzy_store::calendar::set_clock_floor(conn, clock.kind.as_str(), subject_id, due.naive_utc(), now)?;
                return Ok(());
            }
            Some(RecountWrite::Due(to)) => to,
        };
        match clock.kind {
            ClockKind::ObjectionAnswer => ggzy_store::objections::set_reply_due(conn, subject_id, to.naive_utc())?,
            ClockKind::ComplaintAcceptance => {
                ggzy_store::objections::set_complaint_acceptance_due(conn, subject_id, to.naive_utc())?
            }
            ClockKind::BondRefund => {
                if let Some(bond) = bond {
                    bond.refund_deadline = Some(to.naive_utc());
                    ggzy_store::ledger::update_bond(conn, bond)?;
                }
            }
            ClockKind::CandidatePublicity => {
                ggzy_store::evaluation::set_candidate_publicity_end(conn, subject_id, to.naive_utc())?
            }
            ClockKind::DirectAwardPublicity => {
                let day = clocks::last_day(to);
                ggzy_store::projects::set_direct_award_publicity_end(conn, subject_id, to.naive_utc(), day)?;
            }
            // Counted anew on each reading: a move needs no write.
            ClockKind::ContractSigning | ClockKind::ComplaintDecision => {}
        }
        Ok(())
    }
}

/// Whether who bids in the section of a bond on a refund clock is still sealed, from what was
/// read with it (as `crate::bids::sealed_section` decides on a section alone).
pub(crate) fn bidders_secret_in(on_clock: &BondOnClock) -> Result<bool, ServiceError> {
    let terminated = crate::projects::status_of(&on_clock.project)? == crate::projects::ProjectStatus::Terminated;
    Ok(ggzy_trading::bidding::bidders_secret(on_clock.opened_or_listed, false, terminated))
}

/// Readers that every context shares.
impl Platform {
    /// The working-day calendar on a connection already held (inside a transaction).
    pub(crate) fn working_calendar_in(&self, conn: &mut DbConnection) -> Result<WorkingCalendar, ServiceError> {
        let (years, days) = ggzy_store::calendar::load_all(conn)?;
        crate::calendar::assemble(years, days)
    }
}
