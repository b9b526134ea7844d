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

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeDelta, Utc};
use ggzy_kernel::{local_date, WorkingCalendar};
use ggzy_rules::{rule_ids, Category, Deadline, Recount};
use ggzy_store::objections::ComplaintRow;
use ggzy_store::projects::ProjectRow;
use ggzy_store::DbConnection;
use serde::Serialize;
use utoipa::ToSchema;

use crate::{utc, Platform, Principal, ServiceError};

/// Notification kind sent to the parties of a recounted clock.
pub const RECOUNTED: &str = "deadline.recounted";

/// Kind of the on-demand clock of a contract's signing window.
pub(crate) const CONTRACT_SIGNING: &str = "contract_signing";
/// Kind of the on-demand clock of a complaint's decision.
pub(crate) const COMPLAINT_DECISION: &str = "complaint_decision";

/// The Beijing date on which a period due at `due` (24:00 of that date) ends.
fn end_date_of(due: DateTime<Utc>) -> NaiveDate {
    local_date(due - TimeDelta::seconds(1))
}

/// The years from the event's Beijing date to the due date's that have no official
/// calendar in `official`: a due date counted across them is provisional.
pub(crate) fn provisional_span(official: &[i32], event: DateTime<Utc>, due: DateTime<Utc>) -> Vec<i32> {
    let (a, b) = (local_date(event).year(), end_date_of(due).year());
    (a.min(b)..=a.max(b)).filter(|year| !official.contains(year)).collect()
}

/// When a clock started counting and when it is due.
pub(crate) type ClockSpan = (DateTime<Utc>, DateTime<Utc>);

/// One clock the loading of an official year recounted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RecountedClock {
    /// objection_answer, complaint_acceptance, complaint_decision, bond_refund,
    /// candidate_publicity, contract_signing or direct_award_publicity.
    pub kind: String,
    pub project_id: String,
    /// The objection, complaint, bond, section or direct award.
    pub subject_id: String,
    pub rule_id: String,
    /// The due date counted with the provisional year.
    pub provisional_due: DateTime<Utc>,
    /// The due date counted with the official year.
    pub official_due: DateTime<Utc>,
    /// The due date now: the official one when it is later (`moved`), else the provisional
    /// one stands (`kept`).
    pub due: DateTime<Utc>,
    /// `moved` or `kept`.
    pub outcome: String,
}

/// A running clock as the recount sees it.
struct Running<'a> {
    kind: &'static str,
    project: &'a ProjectRow,
    subject_id: String,
    rule_id: String,
    event: DateTime<Utc>,
    due: DateTime<Utc>,
    /// Who must act or is waiting: told when the clock moves.
    parties: Vec<String>,
}

impl Platform {
    /// The working-day calendar on a connection already held (inside a transaction).
    pub(crate) fn working_calendar_in(&self, conn: &mut DbConnection) -> Result<WorkingCalendar, ServiceError> {
        let (years, days) = ggzy_store::calendar::load_all(conn)?;
        crate::calendar::assemble(years, days)
    }

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
        let rule = if category == Category::Procurement {
            rule_ids::PROCUREMENT_CONTRACT_WINDOW
        } else {
            rule_ids::CONSTRUCTION_CONTRACT_WINDOW
        };
        let rule_set = self.stored_rule_set(conn, project.rule_set_version)?;
        rule_set.due(rule, utc(awarded_at), calendar).map_err(crate::rules::deadline_error)
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
        // Procurement decides within 30 working days of receipt; construction of acceptance.
        let (rule, start) = if category == Category::Procurement {
            (rule_ids::PROCUREMENT_COMPLAINT_DECISION, Some(row.filed_at))
        } else {
            (rule_ids::CONSTRUCTION_COMPLAINT_DECISION, row.accepted_at)
        };
        let status: crate::complaints::ComplaintStatus = crate::projects::parse_stored_enum("status", &row.status)?;
        let Some(start) = start.filter(|_| status.has_decision_clock()) else { return Ok((rule, None)) };
        let rule_set = self.stored_rule_set(conn, project.rule_set_version)?;
        let limit = rule_set.time_limit(rule).ok_or_else(|| ServiceError::Internal(format!("no time limit {rule}")))?;
        let pauses: Vec<ggzy_oversight::Pause> = crate::complaints::pauses_of(row)?
            .iter()
            .map(|p| ggzy_oversight::Pause { from: p.from, until: p.until })
            .collect();
        let end = ggzy_oversight::paused_deadline(calendar, local_date(utc(start)), limit.amount, &pauses)
            .map_err(|e| ServiceError::Conflict { detail: e.to_string() })?;
        Ok((rule, end.map(|end| (utc(start), ggzy_kernel::end_of_local_day(end)))))
    }

    /// `due` raised to the floor a recount kept for an on-demand clock, if any.
    pub(crate) fn with_floor(
        conn: &mut DbConnection,
        kind: &str,
        subject_id: &str,
        due: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, ServiceError> {
        let floor = ggzy_store::calendar::clock_floor(conn, kind, subject_id)?.map(utc);
        Ok(floor.map_or(due, |floor| floor.max(due)))
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
        let now = self.now();
        let now_naive = now.naive_utc();
        let official_years = before.years();
        let mut recounted = Vec::new();
        let mut project_cache: std::collections::HashMap<String, ProjectRow> = std::collections::HashMap::new();
        let mut project_of = |conn: &mut DbConnection, id: &str| -> Result<Option<ProjectRow>, ServiceError> {
            if let Some(found) = project_cache.get(id) {
                return Ok(Some(found.clone()));
            }
            let found = ggzy_store::projects::find(conn, id)?;
            if let Some(project) = &found {
                project_cache.insert(id.to_owned(), project.clone());
            }
            Ok(found)
        };
        let touches = |event: DateTime<Utc>, due: DateTime<Utc>| {
            due > now && provisional_span(&official_years, event, due).contains(&year)
        };

        for objection in ggzy_store::objections::unanswered(conn)? {
            let (event, due) = (utc(objection.raised_at), utc(objection.reply_due));
            if !touches(event, due) {
                continue;
            }
            let Some(project) = project_of(conn, &objection.project_id)? else { continue };
            let rule_set = self.stored_rule_set(conn, project.rule_set_version)?;
            let counted =
                rule_set.due(&objection.reply_rule_id, event, official).map_err(crate::rules::deadline_error)?;
            let clock = Running {
                kind: "objection_answer",
                project: &project,
                subject_id: objection.id.clone(),
                rule_id: objection.reply_rule_id.clone(),
                event,
                due,
                parties: vec![objection.objector_id.clone(), project.tenderer_id.clone()],
            };
            if let Some((decision, entry)) = self.settle(conn, principal, year, clock, counted.due)? {
                if let Recount::Moved { to, .. } = decision {
                    ggzy_store::calendar::set_objection_reply_due(conn, &objection.id, to.naive_utc())?;
                }
                recounted.push(entry);
            }
        }

        for complaint in ggzy_store::objections::open_complaints(conn)? {
            let Some(project) = project_of(conn, &complaint.project_id)? else { continue };
            let mut parties = vec![complaint.complainant_id.clone()];
            parties.extend(project.regulator_id.clone());
            if complaint.status == crate::complaints::ComplaintStatus::Received.as_str() {
                let (event, due) = (utc(complaint.filed_at), utc(complaint.acceptance_due));
                if touches(event, due) {
                    let rule_set = self.stored_rule_set(conn, project.rule_set_version)?;
                    let rule = rule_ids::CONSTRUCTION_COMPLAINT_ACCEPTANCE;
                    let counted = rule_set.due(rule, event, official).map_err(crate::rules::deadline_error)?;
                    let clock = Running {
                        kind: "complaint_acceptance",
                        project: &project,
                        subject_id: complaint.id.clone(),
                        rule_id: rule.to_owned(),
                        event,
                        due,
                        parties: parties.clone(),
                    };
                    if let Some((decision, entry)) = self.settle(conn, principal, year, clock, counted.due)? {
                        if let Recount::Moved { to, .. } = decision {
                            ggzy_store::calendar::set_complaint_acceptance_due(conn, &complaint.id, to.naive_utc())?;
                        }
                        recounted.push(entry);
                    }
                }
            }
            let (rule, Some((event, counted_before))) = self.complaint_decision(conn, before, &project, &complaint)?
            else {
                continue;
            };
            let due = Self::with_floor(conn, COMPLAINT_DECISION, &complaint.id, counted_before)?;
            if !touches(event, due) {
                continue;
            }
            let (_, Some((_, counted))) = self.complaint_decision(conn, official, &project, &complaint)? else {
                continue;
            };
            let clock = Running {
                kind: COMPLAINT_DECISION,
                project: &project,
                subject_id: complaint.id.clone(),
                rule_id: rule.to_owned(),
                event,
                due,
                parties,
            };
            if let Some((decision, entry)) = self.settle(conn, principal, year, clock, counted)? {
                if let Recount::Kept { due, .. } = decision {
                    ggzy_store::calendar::set_clock_floor(
                        conn,
                        COMPLAINT_DECISION,
                        &complaint.id,
                        due.naive_utc(),
                        now_naive,
                    )?;
                }
                recounted.push(entry);
            }
        }

        for mut bond in ggzy_store::ledger::bonds_on_clock(conn)? {
            let (Some(trigger_at), Some(deadline), Some(rule)) =
                (bond.refund_trigger_at, bond.refund_deadline, bond.refund_rule.clone())
            else {
                continue;
            };
            let (event, due) = (utc(trigger_at), utc(deadline));
            if !touches(event, due) {
                continue;
            }
            let Some(section) = ggzy_store::projects::section(conn, &bond.section_id)? else { continue };
            let Some(project) = project_of(conn, &section.project_id)? else { continue };
            let rule_set = self.stored_rule_set(conn, project.rule_set_version)?;
            let counted = rule_set.due(&rule, event, official).map_err(crate::rules::deadline_error)?;
            let clock = Running {
                kind: "bond_refund",
                project: &project,
                subject_id: bond.id.clone(),
                rule_id: rule,
                event,
                due,
                parties: vec![bond.bidder_id.clone(), "centre".to_owned()],
            };
            if let Some((decision, entry)) = self.settle(conn, principal, year, clock, counted.due)? {
                if let Recount::Moved { to, .. } = decision {
                    bond.refund_deadline = Some(to.naive_utc());
                    ggzy_store::ledger::update_bond(conn, &bond)?;
                }
                recounted.push(entry);
            }
        }

        for result in ggzy_store::evaluation::all_results(conn)? {
            if result.contract_signed_at.is_some() {
                continue;
            }
            let Some(section) = ggzy_store::projects::section(conn, &result.section_id)? else { continue };
            let Some(project) = project_of(conn, &section.project_id)? else { continue };
            if result.winner_id.is_none() {
                let (event, due) = (utc(result.publicity_start), utc(result.publicity_end));
                if touches(event, due) {
                    let rule_set = self.stored_rule_set(conn, project.rule_set_version)?;
                    let rule = rule_ids::CONSTRUCTION_CANDIDATES_PUBLICITY;
                    let counted = rule_set.due(rule, event, official).map_err(crate::rules::deadline_error)?;
                    let clock = Running {
                        kind: "candidate_publicity",
                        project: &project,
                        subject_id: section.id.clone(),
                        rule_id: rule.to_owned(),
                        event,
                        due,
                        parties: vec![project.tenderer_id.clone()],
                    };
                    if let Some((decision, entry)) = self.settle(conn, principal, year, clock, counted.due)? {
                        if let Recount::Moved { to, .. } = decision {
                            ggzy_store::calendar::set_candidate_publicity_end(conn, &section.id, to.naive_utc())?;
                        }
                        recounted.push(entry);
                    }
                }
            }
            let Some(awarded_at) = result.awarded_at else { continue };
            let counted_before = self.contract_window(conn, before, &project, awarded_at)?;
            let due = Self::with_floor(conn, CONTRACT_SIGNING, &section.id, counted_before.due)?;
            let event = utc(awarded_at);
            if !touches(event, due) {
                continue;
            }
            let counted = self.contract_window(conn, official, &project, awarded_at)?;
            let mut parties = vec![project.tenderer_id.clone()];
            parties.extend(result.winner_id.clone());
            let clock = Running {
                kind: CONTRACT_SIGNING,
                project: &project,
                subject_id: section.id.clone(),
                rule_id: counted.rule_id.clone(),
                event,
                due,
                parties,
            };
            if let Some((decision, entry)) = self.settle(conn, principal, year, clock, counted.due)? {
                if let Recount::Kept { due, .. } = decision {
                    ggzy_store::calendar::set_clock_floor(
                        conn,
                        CONTRACT_SIGNING,
                        &section.id,
                        due.naive_utc(),
                        now_naive,
                    )?;
                }
                recounted.push(entry);
            }
        }

        for award in ggzy_store::calendar::direct_awards_in_publicity(conn, now_naive)? {
            let (event, due) = (utc(award.reported_at), utc(award.publicity_end));
            if !touches(event, due) {
                continue;
            }
            let Some(project) = project_of(conn, &award.project_id)? else { continue };
            let rule_set = self.stored_rule_set(conn, project.rule_set_version)?;
            let counted = rule_set.due(&award.rule_id, event, official).map_err(crate::rules::deadline_error)?;
            let clock = Running {
                kind: "direct_award_publicity",
                project: &project,
                subject_id: award.id.clone(),
                rule_id: award.rule_id.clone(),
                event,
                due,
                parties: vec![project.tenderer_id.clone(), award.contractor_id.clone()],
            };
            if let Some((decision, entry)) = self.settle(conn, principal, year, clock, counted.due)? {
                if let Recount::Moved { to, .. } = decision {
                    ggzy_store::calendar::set_direct_award_publicity_end(
                        conn,
                        &award.id,
                        to.naive_utc(),
                        counted.end_date,
                    )?;
                }
                recounted.push(entry);
            }
        }
        Ok(recounted)
    }

    /// Decides one clock's recount, audits it on the project's chain and tells its parties
    /// when it moved; `None` when nothing changes.
    fn settle(
        &self,
        conn: &mut DbConnection,
        principal: &Principal,
        year: i32,
        clock: Running<'_>,
        official_due: DateTime<Utc>,
    ) -> Result<Option<(Recount, RecountedClock)>, ServiceError> {
        let decision = ggzy_rules::recount(clock.due, official_due, self.now());
        let outcome = match decision {
            Recount::Unchanged => return Ok(None),
            Recount::Moved { .. } => "moved",
            Recount::Kept { .. } => "kept",
        };
        let entry = RecountedClock {
            kind: clock.kind.to_owned(),
            project_id: clock.project.id.clone(),
            subject_id: clock.subject_id.clone(),
            rule_id: clock.rule_id.clone(),
            provisional_due: clock.due,
            official_due,
            due: decision.due(clock.due),
            outcome: outcome.to_owned(),
        };
        let now = self.now_naive();
        let payload = serde_json::json!({
            "year": year,
            "kind": clock.kind,
            "rule_id": clock.rule_id,
            "counted_from": clock.event,
            "provisional_due": entry.provisional_due,
            "official_due": entry.official_due,
            "due": entry.due,
            "outcome": outcome,
        });
        crate::record(
            conn,
            principal,
            now,
            crate::AuditRecord {
                chain: format!("project:{}", clock.project.id),
                action: "deadline.recount",
                object_type: clock.kind,
                object_id: clock.subject_id.clone(),
                payload: payload.clone(),
            },
        )?;
        // Moved or kept, the parties learn the official count and the date that now holds.
        let mut parties = clock.parties;
        parties.sort();
        parties.dedup();
        self.notify_each(conn, &parties, Some(&clock.project.id), RECOUNTED, &payload)?;
        Ok(Some((decision, entry)))
    }
}
