//! Every public contracting process as OCDS 1.1.5 (release packages and records).
//!
//! A release is written in the transaction of the public event that makes it, from what is
//! public at that moment: the registration and entry decision (planning), the announcement
//! and its corrections (tender, tenderAmendment), the opening record (tenderUpdate, or
//! tenderCancellation when it failed), the candidates, award and contract, a direct award,
//! a termination, and listings with their result and confirmation. Nothing about bids is
//! written before the opening record exists, no reserve price before a listing ends, no
//! person at all: parties are organisations, by unified social credit code. Releases are
//! read in commit order with a cursor; a process's releases merge into its record by the
//! standard's rules (`ggzy_ocds::merge`).

use chrono::{DateTime, NaiveDateTime, Utc};
use ggzy_kernel::{stored, stored_json, stored_money, StoredFault};
use ggzy_ocds::package;
use ggzy_ocds::release::{self, ReleaseEvent};
use ggzy_rules::Category;
use ggzy_store::evaluation::ResultRow;
use ggzy_store::ocds::{self as repo, ReleaseRow};
use ggzy_store::participants::ParticipantRow;
use ggzy_store::projects::{ProjectRow, SectionRow};
use ggzy_store::DbConnection;
use ggzy_trading::lifecycle::OpeningOutcome;
use ggzy_trading::listing::Phase;
use serde_json::Value;

use crate::announcements::AnnouncementContent;
use crate::evaluation::Candidate;
use crate::{utc, ServiceError};
use ggzy_views::ocds::{self as ocds_views, enquiry_of, org_of, SectionStanding};
pub use ggzy_views::ocds::{RecordPackage, ReleasePackage, ReleaseQuery};

pub use ggzy_ocds::publication::OcdsPublication;

/// Writes the release an audited action makes, if it makes one; inside its transaction.
pub(crate) fn record_release(
    conn: &mut DbConnection,
    action: ggzy_kernel::AuditAction,
    object_id: &str,
    chain: &str,
    at: NaiveDateTime,
) -> Result<(), ServiceError> {
    let Some(event) = ReleaseEvent::of_action(action) else { return Ok(()) };
    let Some(project_id) = chain.strip_prefix("project:") else { return Ok(()) };
    let process = Process::load(conn, project_id)?;
    let Some(release) = process.release(conn, event, object_id, utc(at))? else { return Ok(()) };
    // A project is not public until its first public event: its planning (registration
    // and entry decision) is published then, just before it.
    if !repo::exists_for(conn, project_id)? {
        let planning = process.planning(conn, utc(at))?;
        insert_release(conn, &process, &planning, at)?;
    }
    insert_release(conn, &process, &release, at)
}

fn insert_release(
    conn: &mut DbConnection,
    process: &Process,
    release: &Value,
    at: NaiveDateTime,
) -> Result<(), ServiceError> {
    let row = ocds_views::release_row(repo::next_position(conn)?, &process.project, crate::json_text(release)?, at);
    repo::insert(conn, &row)?;
    Ok(())
}

/// A project as its releases name it, and the row it was loaded from. It loads the facts
/// of each event; `ggzy_ocds::release` writes the release.
struct Process {
    project: ProjectRow,
    named: release::Process,
}

impl Process {
    fn load(conn: &mut DbConnection, project_id: &str) -> Result<Process, ServiceError> {
        let project =
            ggzy_store::projects::find(conn, project_id)?.ok_or(ServiceError::NotFound { what: "project" })?;
        let category = Category::from_key(&project.category)
            .ok_or_else(|| StoredFault::new("projects.category", &project.category, "Category"))?;
        let owner = org_of(participant(conn, &project.tenderer_id)?);
        let commissions = ggzy_store::projects::commissions_of(conn, project_id)?;
        let commission = commissions.into_iter().rev().find(|c| c.revoked_at.is_none());
        let agency = commission.map(|c| participant(conn, &c.agency_id).map(org_of)).transpose()?;
        let named = release::Process {
            code: project.code.clone(),
            name: project.name.clone(),
            category,
            subtype: project.subtype.clone(),
            owner,
            agency,
        };
        Ok(Process { project, named })
    }

    fn release(
        &self,
        conn: &mut DbConnection,
        event: ReleaseEvent,
        object_id: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<Value>, ServiceError> {
        let named = &self.named;
        Ok(match event {
            ReleaseEvent::Announcement => release::announcement(named, at, &notice(conn, object_id)?),
            ReleaseEvent::Answer => Some(release::enquiry(named, at, &enquiry(conn, object_id)?)),
            ReleaseEvent::Opening => Some(release::opening(named, at, &self.opening(conn, object_id)?)),
            ReleaseEvent::Candidates | ReleaseEvent::Award => {
                Some(release::result(named, at, &self.result(conn, object_id)?, event == ReleaseEvent::Award))
            }
            ReleaseEvent::Contract => Some(release::contract(named, at, &self.contract(conn, object_id)?)),
            ReleaseEvent::DirectAward => Some(release::direct_award(named, at, &self.direct_award(conn)?)),
            ReleaseEvent::Termination => Some(release::termination(named, at, &self.section_ends(conn)?)),
            ReleaseEvent::Listing(step) => release::listing(named, at, step, &self.listing(conn, object_id)?),
        })
    }

    fn planning(&self, conn: &mut DbConnection, at: DateTime<Utc>) -> Result<Value, ServiceError> {
        let details: Value = crate::from_json_column(&self.project.details, "project details")?;
        let lots = ocds_views::lots_of(sections(conn, &self.project.id)?)?;
        let budget = stored_money("projects.estimated_total", self.project.estimated_total)?;
        Ok(release::planning(&self.named, at, budget, details["entry_decision"]["reason"].as_str(), &lots))
    }

    fn opening(&self, conn: &mut DbConnection, section_id: &str) -> Result<release::Opening, ServiceError> {
        let record = crate::bids::opening_record_in(conn, section_id)?;
        let section = section(conn, section_id)?;
        let standings = self.standings(conn)?;
        let suppliers = self.suppliers(conn, &standings)?;
        let bids = record.bids.iter().map(|bid| Ok((bidder(conn, &suppliers, &bid.bidder_id)?, bid.price)));
        let bids = bids.collect::<Result<Vec<_>, ServiceError>>()?;
        let not_opened = record.not_opened.iter().map(|bid| bidder(conn, &suppliers, &bid.bidder_id));
        let not_opened = not_opened.collect::<Result<Vec<_>, _>>()?;
        Ok(release::Opening {
            section_code: section.code,
            opened_at: record.opened_at,
            failed: record.outcome == OpeningOutcome::Failed,
            bids,
            not_opened,
            bid_count: record.bid_count,
            every_section_failed: standings.iter().all(|s| s.opening_failed),
            tenderers_so_far: ocds_views::tenderers_so_far(&standings),
        })
    }

    fn result(&self, conn: &mut DbConnection, section_id: &str) -> Result<release::SectionResult, ServiceError> {
        let (row, candidates, section) = section_result(conn, section_id)?;
        let standings = self.standings(conn)?;
        let suppliers = self.suppliers(conn, &standings)?;
        let bidders =
            candidates.iter().map(|c| bidder(conn, &suppliers, &c.bidder_id)).collect::<Result<Vec<_>, _>>()?;
        Ok(ocds_views::section_result_of(&row, &candidates, bidders, section))
    }

    fn contract(&self, conn: &mut DbConnection, section_id: &str) -> Result<release::Contract, ServiceError> {
        let (row, candidates, section) = section_result(conn, section_id)?;
        let every_section_contracted = self.standings(conn)?.iter().all(|s| s.contracted);
        Ok(ocds_views::contract_of(&row, &candidates, section, every_section_contracted)?)
    }

    fn direct_award(&self, conn: &mut DbConnection) -> Result<release::DirectAward, ServiceError> {
        let award = ggzy_store::projects::direct_award_of(conn, &self.project.id)?
            .ok_or(ServiceError::NotFound { what: "direct award" })?;
        let contractor = participant(conn, &award.contractor_id)?;
        Ok(ocds_views::direct_award_of(award, contractor)?)
    }

    /// How each section stands at a termination.
    fn section_ends(&self, conn: &mut DbConnection) -> Result<Vec<(String, release::SectionEnd)>, ServiceError> {
        Ok(self.standings(conn)?.iter().map(|s| (s.section.code.clone(), s.end())).collect())
    }

    fn listing(&self, conn: &mut DbConnection, listing_id: &str) -> Result<release::Listing, ServiceError> {
        let (listing, progress) =
            ggzy_store::listings::find(conn, listing_id)?.ok_or(ServiceError::NotFound { what: "listing" })?;
        let section = section(conn, &listing.section_id)?;
        let phase: Phase = stored("listing_progress.phase", &progress.phase)?;
        let standings = self.standings(conn)?;
        let winner = match progress.leader_id.as_ref().filter(|_| phase == Phase::Sold) {
            Some(leader) => {
                let suppliers = self.suppliers(conn, &standings)?;
                Some(bidder(conn, &suppliers, leader)?)
            }
            None => None,
        };
        let every_section_failed = standings.iter().all(|s| s.listing_in(Phase::Failed));
        Ok(ocds_views::listing_of(listing, progress, phase, section, winner, every_section_failed)?)
    }

    /// How each section of the process stands now.
    fn standings(&self, conn: &mut DbConnection) -> Result<Vec<SectionStanding>, ServiceError> {
        let records = repo::section_records(conn, &self.project.id)?;
        Ok(records.into_iter().map(SectionStanding::of).collect::<Result<_, _>>()?)
    }

    /// Who supplies under the process so far ([`ocds_views::suppliers`]).
    fn suppliers(
        &self,
        conn: &mut DbConnection,
        standings: &[SectionStanding],
    ) -> Result<std::collections::BTreeSet<String>, ServiceError> {
        let contractor = ggzy_store::projects::direct_award_of(conn, &self.project.id)?.map(|a| a.contractor_id);
        Ok(ocds_views::suppliers(standings, contractor)?)
    }
}

/// A section's result row with its ranked candidates, and the section.
fn section_result(conn: &mut DbConnection, id: &str) -> Result<(ResultRow, Vec<Candidate>, SectionRow), ServiceError> {
    let row = ggzy_store::evaluation::result(conn, id)?.ok_or(ServiceError::NotFound { what: "result" })?;
    let candidates: Vec<Candidate> = crate::from_json_column(&row.report, "report")?;
    Ok((row, candidates, section(conn, id)?))
}

/// An announcement as its release needs it.
fn notice(conn: &mut DbConnection, announcement_id: &str) -> Result<release::Notice, ServiceError> {
    let row = ggzy_store::announcements::find(conn, announcement_id)?
        .ok_or(ServiceError::NotFound { what: "announcement" })?;
    let content: AnnouncementContent = stored_json("announcements.body", &row.body)?;
    let section_ids: Vec<String> = content.sections.iter().map(|s| s.section_id.clone()).collect();
    let listed = !ggzy_store::listings::of_sections(conn, &section_ids)?.is_empty();
    Ok(ocds_views::notice_of(row, content, listed))
}

/// An answered question as its release needs it.
fn enquiry(conn: &mut DbConnection, question_id: &str) -> Result<release::Enquiry, ServiceError> {
    let question =
        ggzy_store::conduct::find_question(conn, question_id)?.ok_or(ServiceError::NotFound { what: "question" })?;
    Ok(enquiry_of(question))
}

/// A bidder by id, a supplier if among `suppliers`.
fn bidder(
    conn: &mut DbConnection,
    suppliers: &std::collections::BTreeSet<String>,
    id: &str,
) -> Result<release::Bidder, ServiceError> {
    let found = participant(conn, id)?;
    Ok(release::Bidder { supplier: suppliers.contains(&found.id), org: org_of(found) })
}

fn participant(conn: &mut DbConnection, id: &str) -> Result<ParticipantRow, ServiceError> {
    ggzy_store::participants::find(conn, id)?.ok_or(ServiceError::NotFound { what: "participant" })
}

fn section(conn: &mut DbConnection, id: &str) -> Result<SectionRow, ServiceError> {
    ggzy_store::projects::section(conn, id)?.ok_or(ServiceError::NotFound { what: "section" })
}

fn sections(conn: &mut DbConnection, project_id: &str) -> Result<Vec<SectionRow>, ServiceError> {
    Ok(ggzy_store::projects::sections_of(conn, project_id)?)
}

impl crate::contexts::Disclosure<'_> {
    /// In a database written before releases were kept (none yet, but events that make
    /// them): one release per such audited event, in their order and dated as they were,
    /// from the records as they stand now (an opening record then shows the objections
    /// raised since). Does nothing once any release exists. Returns how many it wrote.
    pub fn backfill_ocds_releases(&self) -> Result<usize, ServiceError> {
        if self.store().read(|conn| Ok::<_, ServiceError>(repo::count(conn)?))? > 0 {
            return Ok(0);
        }
        self.store().write(|conn| {
            // Servers starting together queue here; the second finds the work done.
            repo::lock_counter(conn)?;
            if repo::count(conn)? > 0 {
                return Ok(0);
            }
            let actions = ggzy_ocds::release::RELEASE_ACTIONS.map(ggzy_kernel::AuditAction::as_str);
            let events = ggzy_store::audit::with_actions(conn, &actions)?;
            for event in &events {
                let action = crate::stored::stored("audit_events.action", &event.action)?;
                record_release(conn, action, &event.object_id, &event.chain, event.occurred_at)?;
            }
            Ok(repo::count(conn)? as usize)
        })
    }

    /// A stored release as JSON text with its `ocid` and `id` and absolute links.
    fn release_text(&self, row: &ReleaseRow) -> Result<String, ServiceError> {
        let ocid = self.ocds().ocid(&row.project_code);
        Ok(package::release_text(&row.body, &ocid, row.position, &self.ocds().base_url)?)
    }

    fn release_texts(&self, rows: &[ReleaseRow]) -> Result<Vec<String>, ServiceError> {
        rows.iter().map(|row| self.release_text(row)).collect()
    }

    /// A page of releases of every process in publication order (no token needed); None
    /// when there is none after the cursor (a package must hold at least one release).
    pub fn ocds_releases(&self, query: ReleaseQuery) -> Result<Option<ReleasePackage>, ServiceError> {
        let page = ggzy_oversight::notices::position_page(
            query.after.as_deref(),
            query.limit,
            "游标应为此前 links.next 中的 after",
        )
        .map_err(ServiceError::Invalid)?;
        let rows = self.store().read(|conn| repo::after(conn, page.0, i64::from(page.1)))?;
        let Some(last) = rows.last() else { return Ok(None) };
        let releases = self.release_texts(&rows)?;
        Ok(Some(ReleasePackage(self.ocds().releases_page(self.now(), page, last.position, &releases))))
    }

    fn process_rows(&self, ocid: &str) -> Result<Vec<ReleaseRow>, ServiceError> {
        let code = self.ocds().project_code(ocid).ok_or(ServiceError::NotFound { what: "contracting process" })?;
        let rows = self.store().read(|conn| repo::of_process(conn, code))?;
        if rows.is_empty() {
            return Err(ServiceError::NotFound { what: "contracting process" });
        }
        Ok(rows)
    }

    /// Every release of one process as a package (no token needed).
    pub fn ocds_process(&self, ocid: &str) -> Result<ReleasePackage, ServiceError> {
        let releases = self.release_texts(&self.process_rows(ocid)?)?;
        Ok(ReleasePackage(self.ocds().process_package(self.now(), ocid, &releases)))
    }

    /// The record of one process: its releases, compiled release and versioned release.
    pub fn ocds_record(&self, ocid: &str) -> Result<RecordPackage, ServiceError> {
        let texts = self.release_texts(&self.process_rows(ocid)?)?;
        let releases = texts.iter().map(|text| crate::from_json_column(text, "release")).collect::<Result<_, _>>()?;
        Ok(RecordPackage(self.ocds().record_package(self.now(), ocid, releases)))
    }

    /// Writes every release for bulk publication: one release package (`lines` false), or
    /// one release per line (JSON Lines). Reads a thousand at a time. Returns the count.
    pub fn ocds_export(&self, out: &mut dyn std::io::Write, lines: bool) -> Result<usize, ServiceError> {
        let io = |e: std::io::Error| ServiceError::Internal(format!("writing the export: {e}"));
        let mut written = 0_usize;
        let mut after = 0_i64;
        if !lines {
            // The package's other fields, then its releases written one by one, then the close.
            out.write_all(self.ocds().export_open(self.now()).as_bytes()).map_err(io)?;
        }
        loop {
            let rows = self.store().read(|conn| repo::after(conn, after, 1000))?;
            let Some(last) = rows.last() else { break };
            after = last.position;
            for row in &rows {
                let text = self.release_text(row)?;
                if lines {
                    writeln!(out, "{text}").map_err(io)?;
                } else {
                    if written > 0 {
                        out.write_all(b",").map_err(io)?;
                    }
                    out.write_all(text.as_bytes()).map_err(io)?;
                }
                written += 1;
            }
        }
        if !lines {
            writeln!(out, "{}", package::PACKAGE_CLOSE).map_err(io)?;
        }
        Ok(written)
    }
}
