//! Sealed bids (DESIGN.md, Sealed bids): before the deadline nobody but the bidder reads
//! anything of a bid — not the price, not the documents, not even how many there are; the
//! contents are sealed at rest with the section's key. A bid may carry a commitment hash
//! (sha256 of `price:nonce`) revealed at opening, so that no one can change a price unseen.
//! Opening decrypts the bids, verifies the commitments and publishes the record.

use ggzy_kernel::Answer;
use ggzy_ledger::RefundClock;
use ggzy_store::bids::{self as repo, BidRow};
use ggzy_store::sealing::EnvelopeRow;
use ggzy_store::{command_reads, DbConnection};
use ggzy_views::envelopes::{decryption_tally, own_bids};
use ggzy_views::opening::{opened_bid, opening_record, OpeningCount};

use ggzy_trading::bidding::{
    admit_bid, check_sealing, may_change, may_reveal, party_to_opening, withdraw, ChangedMeanwhile, ClearBid,
    SubmissionRefusal,
};
use ggzy_views::bids::{
    bidders_secret_of, bidding_chain_of, modified_entry, named_people, next_version, opening_entry, opening_objection,
    opening_record_from_row, opening_row, people_asked, reseal, submitted_bid_row, submitted_entry, withdrawn_entry,
    SealedBid,
};
pub use ggzy_views::bids::{Bid, OpeningProgress, OwnBid, OwnBidPage, SubmitBid};

use crate::policy::{authorize, authorized, Action};
use crate::stored::{stored, stored_opt};
use crate::{Principal, ServiceError};
pub use ggzy_trading::bidding::{BidContent, OwnBidQuery, RevealCommitment};
pub use ggzy_trading::lifecycle::{BidStatus, DecryptionTally, OpeningOutcome, OpeningStage};
use ggzy_trading::opening::Witness;
pub use ggzy_trading::opening::{OpenBids, OpenedBid, OpeningObjection, OpeningRecord};

/// The facts a bid (or a sealed bid file) is admitted on, from what the store read.
pub(crate) use ggzy_views::bids::submission_facts as admission;

/// A refused submission as the bidder is told it.
pub(crate) fn submission_refusal(refusal: SubmissionRefusal<ggzy_credit::Refusal>) -> ServiceError {
    refusal.answer().map_or_else(crate::credit::refusal_error, ServiceError::from)
}

impl crate::contexts::Tendering<'_> {
    fn section_key(&self, conn: &mut DbConnection, section_id: &str) -> Result<[u8; 32], ServiceError> {
        let wrapped = ggzy_trading::bidding::section_key(repo::wrapped_key(conn, section_id)?).map_err(Answer::from)?;
        Ok(crate::sealing::unwrap_with_any(&self.bid_master_keys()?, &wrapped, section_id)?.0)
    }

    pub(crate) fn unseal(&self, conn: &mut DbConnection, row: &BidRow) -> Result<BidContent, ServiceError> {
        let unsealed = self.unsealed(conn, row)?;
        Ok(unsealed.ok_or_else(|| ServiceError::Internal(format!("bid {} is still its bidder's envelope", row.id)))?.0)
    }

    /// A bid's content and its receipt's salt; none while it is still its bidder's envelope.
    fn unsealed(
        &self,
        conn: &mut DbConnection,
        row: &BidRow,
    ) -> Result<Option<(BidContent, Option<String>)>, ServiceError> {
        if row.sealed == crate::sealed_bids::ENVELOPE_MARKER {
            return Ok(None);
        }
        let key = self.section_key(conn, &row.section_id)?;
        ggzy_views::bid_sealing::open_content(&key, &row.id, &row.sealed).map(Some).map_err(ServiceError::Internal)
    }

    /// The bid; the receipt's salt only when `for_bidder`.
    pub(crate) fn bid_view_in(
        &self,
        conn: &mut DbConnection,
        row: BidRow,
        for_bidder: bool,
    ) -> Result<Bid, ServiceError> {
        let sealed_by_bidder = ggzy_store::sealing::envelope(conn, &row.id)?.is_some();
        self.bid_view_known(conn, row, for_bidder, sealed_by_bidder)
    }

    /// `bid_view_in` when it is known whether the bidder sealed the bid itself.
    fn bid_view_known(
        &self,
        conn: &mut DbConnection,
        row: BidRow,
        for_bidder: bool,
        sealed_by_bidder: bool,
    ) -> Result<Bid, ServiceError> {
        let (content, receipt_salt) = self.unsealed(conn, &row)?.map_or((None, None), |(c, salt)| (Some(c), salt));
        let receipt_salt = ggzy_trading::bidding::shown_receipt_salt(receipt_salt, for_bidder, sealed_by_bidder);
        Ok(Bid::from_row(row, content, receipt_salt, sealed_by_bidder)?)
    }

    /// Checks the bid's people and seals its content.
    pub(crate) fn seal_bid(
        &self,
        conn: &mut DbConnection,
        place: &BidPlace<'_>,
        request: ClearBid,
    ) -> Result<SealedBid, ServiceError> {
        let BidPlace { project_id, section_id, bidder_id, bid_id } = *place;
        let named = request.people();
        let reads = command_reads::bid_people(conn, project_id, bidder_id, &people_asked(&named))?;
        let people = named_people(&named, bidder_id, &reads);
        let (content, commitment_hash) = request.read(&people).map_err(ServiceError::Invalid)?;
        let key = self.section_key(conn, section_id)?;
        let salt = crate::sealing::new_key();
        ggzy_views::bid_sealing::seal_content(&key, bid_id, content, commitment_hash, salt)
            .map_err(ServiceError::Internal)
    }

    /// The content a bid keeps: sealed by the platform, or where the section is sealed by
    /// its bidders (`bidder_sealed`) the bidder's own envelope, with the row that holds it.
    fn sealed_content(
        &self,
        conn: &mut DbConnection,
        place: &BidPlace<'_>,
        request: SubmitBid,
        facts: &ggzy_store::bids::SubmissionFacts,
    ) -> Result<(SealedBid, Option<EnvelopeRow>), ServiceError> {
        let bidder_sealed = facts.bidder_sealed;
        let (clear, envelope) = request.split();
        check_sealing(bidder_sealed, &clear, envelope.is_some()).map_err(|refusal| refusal.answer())?;
        let Some(envelope) = envelope else { return Ok((self.seal_bid(conn, place, clear)?, None)) };
        let key = facts.bidder_key.as_ref();
        let accepted = crate::sealed_bids::accept_envelope(conn, place.section_id, place.bidder_id, key, envelope)?;
        let (sealed, envelope_row) = accepted.rows(place.bid_id);
        Ok((sealed, Some(envelope_row)))
    }

    /// A bidder submits its sealed bid for a section before the deadline; its bond must be
    /// held and no restriction may bar it.
    #[tracing::instrument(skip_all, fields(section_id = %section_id))]
    pub fn submit_bid(
        &self,
        principal: Option<&Principal>,
        section_id: &str,
        request: SubmitBid,
    ) -> Result<Bid, ServiceError> {
        let principal = authorized(principal, Action::Bid)?;
        let bidder_id = principal.org.clone().unwrap_or_default();
        self.store().write(|conn| {
            // The deadline is checked against the time the transaction runs, not the time the
            // request arrived: a bid that waited for the writer may be late by then.
            let now = self.now_naive();
            let facts = repo::submission_facts(conn, section_id, &bidder_id)?
                .ok_or(ServiceError::NotFound { what: "section" })?;
            let project = facts.project.clone();
            let credit = self.credit().credit_standing_of(
                &facts.bidder_standing,
                ggzy_credit::TradingAct::Bid { must_tender: crate::projects::must_tender(&project)? },
            )?;
            let admission = admission(&facts)?;
            admit_bid(&admission, credit, now).map_err(submission_refusal)?;
            let id = self.fresh_id();
            let place = BidPlace { project_id: &project.id, section_id, bidder_id: &bidder_id, bid_id: &id };
            let (sealed, envelope_row) = self.sealed_content(conn, &place, request, &facts)?;
            let row = submitted_bid_row(id.clone(), section_id, bidder_id.clone(), sealed, now);
            // The audit trail records the receipt, never the content; the bid, its envelope
            // and the event are written together.
            let entry = submitted_entry(bidding_chain_of(&facts)?, &id, section_id, &row.receipt_hash);
            crate::record_entry_with(conn, principal, now, entry, |conn, event| {
                Ok(repo::insert_recorded(conn, &row, envelope_row.as_ref(), event)?)
            })?;
            let bid = self.bid_view_known(conn, row, true, envelope_row.is_some())?;
            crate::idempotency::answer_created(self, conn, principal, &bid)?;
            Ok(bid)
        })
    }

    /// The bid, for its bidder; after opening also for the tenderer's side and supervisors.
    /// Before opening anyone else is told it does not exist.
    pub fn bid(&self, principal: Option<&Principal>, id: &str) -> Result<Bid, ServiceError> {
        let principal = principal.ok_or(ServiceError::Unauthenticated)?;
        self.store().read(|conn| {
            let row = repo::find(conn, id)?.ok_or(ServiceError::NotFound { what: "bid" })?;
            let own = self.readable_bid(conn, principal, &row)?;
            self.bid_view_in(conn, row, own)
        })
    }

    /// Whether the caller reads a bid, and whether as its bidder: its bidder always; once
    /// the section is opened, the project's readers and the members of the section's
    /// evaluation committee. Anyone else is told it does not exist.
    pub(crate) fn readable_bid(
        &self,
        conn: &mut DbConnection,
        principal: &Principal,
        row: &BidRow,
    ) -> Result<bool, ServiceError> {
        if crate::policy::acting_bidder(principal) == Some(row.bidder_id.as_str()) {
            return Ok(true);
        }
        self.reads_opened_bids(conn, principal, &row.section_id, "bid")?;
        Ok(false)
    }

    /// Whether the caller reads the bids of an opened section: the project's readers and the
    /// members of the section's evaluation committee; before the opening nobody does (not
    /// found, naming `what`).
    fn reads_opened_bids(
        &self,
        conn: &mut DbConnection,
        principal: &Principal,
        section_id: &str,
        what: &'static str,
    ) -> Result<(), ServiceError> {
        if !opened(conn, section_id)? {
            return Err(ServiceError::NotFound { what });
        }
        let section = ggzy_store::projects::section(conn, section_id)?.ok_or(ServiceError::NotFound { what })?;
        let committee_member = match crate::policy::acting_expert(principal) {
            Some(expert) => crate::evaluation::on_committee(conn, section_id, expert)?,
            None => false,
        };
        if committee_member || self.visible_project(conn, Some(principal), &section.project_id).is_ok() {
            Ok(())
        } else {
            Err(ServiceError::NotFound { what })
        }
    }

    /// The bids of an opened section, with their content (the documents each names, whose
    /// files `GET /bids/{id}/documents/{sha256}` serves): what the committee evaluates. The
    /// project's readers and the section's committee; before the opening nobody.
    #[tracing::instrument(skip_all, fields(section_id = %section_id))]
    pub fn section_bids(&self, principal: Option<&Principal>, section_id: &str) -> Result<Vec<Bid>, ServiceError> {
        let principal = principal.ok_or(ServiceError::Unauthenticated)?;
        self.store().read(|conn| {
            self.reads_opened_bids(conn, principal, section_id, "section")?;
            repo::submitted(conn, section_id)?.into_iter().map(|row| self.bid_view_in(conn, row, false)).collect()
        })
    }

    /// The calling bidder's own bids in every section, newest submission first: what its
    /// screens list. Only a bidder is given such a list, and only of its own bids.
    pub fn own_bids(&self, principal: Option<&Principal>, query: OwnBidQuery) -> Result<OwnBidPage, ServiceError> {
        let principal = authorized(principal, Action::ListOwnBidding)?;
        let bidder = own_bidder(principal)?;
        let ggzy_trading::bidding::OwnBidFilter { status, section_id, page } =
            ggzy_trading::bidding::read_own_bid_query(query).map_err(ServiceError::Invalid)?;
        self.store().read(|conn| {
            let after = match page.after.as_deref() {
                Some(id) => Some(repo::own_cursor(conn, &bidder, id)?.ok_or_else(crate::validate::unknown_cursor)?),
                None => None,
            };
            let filter =
                repo::OwnBidFilter { status: status.map(BidStatus::as_str), section_id: section_id.as_deref() };
            let mut rows = repo::own_page(conn, &bidder, &filter, after, i64::from(page.limit) + 1)?;
            let next_cursor = crate::validate::next_cursor(&mut rows, page.limit, |row| row.id.clone());
            let ids: Vec<String> = rows.iter().map(|row| row.id.clone()).collect();
            let items = own_bids(rows, repo::envelope_outcomes(conn, &ids)?)?;
            Ok(OwnBidPage { items, next_cursor })
        })
    }

    /// The bidder replaces its bid before the deadline.
    #[tracing::instrument(skip_all, fields(bid_id = %id))]
    pub fn modify_bid(&self, principal: Option<&Principal>, id: &str, request: SubmitBid) -> Result<Bid, ServiceError> {
        let principal = authorized(principal, Action::Bid)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            let mut row = own_bid(conn, principal, id)?;
            let facts = bid_section(conn, &row)?;
            may_change(facts.bid_deadline, stored("bids.status", &row.status)?, self.now_naive())
                .map_err(Answer::from)?;
            let place = BidPlace::of(&row, &facts.project.id);
            let (sealed, envelope_row) = self.sealed_content(conn, &place, request, &facts)?;
            if let Some(envelope_row) = &envelope_row {
                ggzy_store::sealing::replace_envelope(conn, envelope_row)?;
            }
            let receipt_hash = sealed.receipt_hash.clone();
            store_bid(conn, reseal(&mut row, sealed, now), &row)?;
            crate::record_entry(conn, principal, now, modified_entry(bidding_chain_of(&facts)?, id, &receipt_hash))?;
            self.bid_view_in(conn, row, true)
        })
    }

    /// The bidder withdraws before the deadline; its bond's refund clock starts
    /// (construction.bond.refund_on_withdrawal, procurement.bond.refund_on_withdrawal).
    #[tracing::instrument(skip_all, fields(bid_id = %id))]
    pub fn withdraw_bid(&self, principal: Option<&Principal>, id: &str) -> Result<Bid, ServiceError> {
        let principal = authorized(principal, Action::Bid)?;
        let now = self.now_naive();
        let now_utc = self.now();
        let calendar = self.working_calendar()?;
        self.store().write(|conn| {
            let mut row = own_bid(conn, principal, id)?;
            let facts = bid_section(conn, &row)?;
            let status = withdraw(facts.bid_deadline, stored("bids.status", &row.status)?, self.now_naive())
                .map_err(Answer::from)?;
            let project = &facts.project;
            row.status = status.as_str().to_owned();
            store_bid(conn, next_version(&mut row, now), &row)?;
            if let Some(mut bond) = ggzy_store::ledger::bond_of(conn, &row.section_id, &row.bidder_id)? {
                let category = ggzy_views::projects::category_of(project)?;
                let rule_set = self.stored_rule_set(conn, project.rule_set_version)?;
                let clock = RefundClock::for_withdrawal(category, &rule_set, now_utc, &calendar)
                    .map_err(crate::rules::deadline_error)?;
                crate::bonds::start_clock(&mut bond, &clock);
                ggzy_store::ledger::update_bond(conn, &bond)?;
            }
            let audit_chain = bidding_chain_of(&facts)?;
            crate::record_entry(conn, principal, now, withdrawn_entry(audit_chain, id, &row.section_id))?;
            self.bid_view_in(conn, row, true)
        })
    }

    /// After the deadline and before opening, the bidder reveals the nonce of its
    /// commitment.
    pub fn reveal_commitment(
        &self,
        principal: Option<&Principal>,
        id: &str,
        request: RevealCommitment,
    ) -> Result<Bid, ServiceError> {
        let principal = authorized(principal, Action::Bid)?;
        let nonce = ggzy_trading::bidding::read_reveal(request).map_err(ServiceError::Invalid)?;
        self.store().write(|conn| {
            let row = own_bid(conn, principal, id)?;
            let facts = bid_section(conn, &row)?;
            may_reveal(facts.bid_deadline, facts.opened, row.commitment_hash.is_some(), self.now_naive())
                .map_err(Answer::from)?;
            repo::set_revealed_nonce(conn, id, &nonce)?;
            let updated = repo::find(conn, id)?.ok_or(ServiceError::NotFound { what: "bid" })?;
            self.bid_view_in(conn, updated, true)
        })
    }

    /// The project of a section whose opening the caller runs (the tender's staff), once
    /// the opening time has come; who may act is settled before any state is looked at.
    pub(crate) fn at_opening_time(
        &self,
        conn: &mut DbConnection,
        principal: Option<&Principal>,
        section_id: &str,
        now: chrono::NaiveDateTime,
    ) -> Result<ggzy_store::projects::ProjectRow, ServiceError> {
        let (_, project) = ggzy_store::projects::section_and_project(conn, section_id)?
            .ok_or(ServiceError::NotFound { what: "section" })?;
        Self::authorize_tendering(conn, principal, &project)?;
        Self::ensure_running(conn, &project)?;
        let opening_at = ggzy_store::announcements::of_project(conn, &project.id)?.pop().map(|a| a.opening_at);
        ggzy_trading::opening::may_begin(opening_at, now).map_err(Answer::from)?;
        Ok(project)
    }

    /// Opens a section's bids at or after the opening time, witnessed by centre staff.
    #[tracing::instrument(skip_all, fields(section_id = %section_id))]
    pub fn open_bids(
        &self,
        principal: Option<&Principal>,
        section_id: &str,
        request: OpenBids,
    ) -> Result<OpeningRecord, ServiceError> {
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        let witness_id = ggzy_trading::opening::read_open_bids(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            let project = self.at_opening_time(conn, principal, section_id, now)?;
            let already_opened = repo::opening(conn, section_id)?.is_some();
            let witness = ggzy_store::staff::find(conn, &witness_id)?;
            let found = witness.as_ref().map(|w| Witness { department_id: &w.department_id, active: w.active == 1 });
            ggzy_trading::opening::may_open(already_opened, found)
                .map_err(|refusal| ServiceError::from(refusal.answer()))?;
            let witness =
                witness.ok_or_else(|| ServiceError::Internal("an opening admitted without a witness".into()))?;
            // Where the bidders sealed, their window decides which bids are opened at all.
            let not_opened = crate::sealed_bids::close_window(conn, section_id, now)?;
            let bids = repo::submitted(conn, section_id)?;
            let rule_set = self.stored_rule_set(conn, project.rule_set_version)?;
            let (outcome, min_bidders) = ggzy_trading::opening::outcome(bids.len(), &rule_set);
            let mut opened = Vec::new();
            if outcome == OpeningOutcome::Opened {
                for row in &bids {
                    let content = self.unseal(conn, row)?;
                    opened.push(opened_bid(row, bidder_name(conn, &row.bidder_id)?, content));
                }
            }
            let count = OpeningCount { outcome, bid_count: bids.len(), min_bidders };
            let record = opening_record(section_id, now, witness.name.clone(), count, opened, not_opened);
            let row = opening_row(&record, principal_ref.actor(), witness.id.clone(), now)
                .map_err(|e| ServiceError::Internal(e.to_string()))?;
            repo::insert_opening(conn, &row)?;
            if outcome == OpeningOutcome::Opened {
                // The incremental collusion scan of the opened section.
                self.oversight().scan_opened_section(conn, section_id)?;
            }
            crate::record_entry(conn, principal_ref, now, opening_entry(&project.id, &record))?;
            Ok(record)
        })
    }

    /// The opening record of a section, public once it exists.
    pub fn opening_record(&self, section_id: &str) -> Result<OpeningRecord, ServiceError> {
        self.store().read(|conn| opening_record_in(conn, section_id))
    }

    /// Where a section's opening stands, for those who follow it: the project's tenderer
    /// and agents, the centre, its regulators and the section's own bidders (others: not
    /// found). How many bids there are and how far they are decrypted is shown only once
    /// the opening has begun.
    pub fn opening_progress(
        &self,
        principal: Option<&Principal>,
        section_id: &str,
    ) -> Result<OpeningProgress, ServiceError> {
        let principal = principal.ok_or(ServiceError::Unauthenticated)?;
        self.store().read(|conn| {
            let not_found = || ServiceError::NotFound { what: "section" };
            let bidder = crate::policy::acting_bidder(principal);
            let reads = command_reads::opening_progress(conn, section_id, bidder)?.ok_or_else(not_found)?;
            // A bid withdrawn before the deadline makes its bidder no party of the opening.
            let bid_in_section = party_to_opening(stored_opt("bids.status", reads.bid_status.as_deref())?);
            let action = Action::FollowOpening {
                tenderer_id: &reads.project.tenderer_id,
                regulator_id: reads.project.regulator_id.as_deref(),
                agency_ids: &reads.agencies,
                bid_in_section,
            };
            authorize(Some(principal), action).map_err(|e| match e {
                ServiceError::Forbidden { .. } => not_found(),
                other => other,
            })?;
            let window_opened = reads.window.as_ref().is_some_and(|w| w.window_opened_at.is_some());
            let terminated = crate::projects::status_of(&reads.project)? == crate::projects::ProjectStatus::Terminated;
            let stage = OpeningStage::of(window_opened, reads.opened, terminated);
            let bids = if stage.shows_bids() {
                Some(decryption_tally(&repo::submitted_with_envelopes(conn, section_id)?)?)
            } else {
                None
            };
            Ok(OpeningProgress::of(section_id.to_owned(), stage, reads.opening_at, reads.window.as_ref(), bids))
        })
    }
}

/// Where a bid's content is sealed for: its project, section, bidder and the bid itself.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BidPlace<'a> {
    pub(crate) project_id: &'a str,
    pub(crate) section_id: &'a str,
    pub(crate) bidder_id: &'a str,
    pub(crate) bid_id: &'a str,
}

impl<'a> BidPlace<'a> {
    /// Where the bid of `row` is sealed for, in its project `project_id`.
    pub(crate) fn of(row: &'a BidRow, project_id: &'a str) -> Self {
        BidPlace { project_id, section_id: &row.section_id, bidder_id: &row.bidder_id, bid_id: &row.id }
    }
}

/// Stores a bid's changed row over the version it was read at (`expected`); a bid another
/// request changed meanwhile is refused.
pub(crate) fn store_bid(conn: &mut DbConnection, expected: i64, row: &BidRow) -> Result<(), ServiceError> {
    if repo::update_sealed(conn, row, expected)? {
        Ok(())
    } else {
        Err(Answer::from(ChangedMeanwhile).into())
    }
}

/// The registered name of a bidder, as an opening record shows it (empty if it has none).
pub(crate) fn bidder_name(conn: &mut DbConnection, bidder_id: &str) -> Result<String, ServiceError> {
    Ok(ggzy_store::participants::find(conn, bidder_id)?.map(|p| p.name).unwrap_or_default())
}

/// What a change of a bid is decided on: its section and project, the section's deadline
/// (none before its tender announcement), sealing, listing and opening, read in one statement.
fn bid_section(conn: &mut DbConnection, row: &BidRow) -> Result<repo::SubmissionFacts, ServiceError> {
    repo::submission_facts(conn, &row.section_id, &row.bidder_id)?.ok_or(ServiceError::NotFound { what: "bid" })
}

/// The caller's own bid; anyone else's is not found.
fn own_bid(conn: &mut DbConnection, principal: &Principal, id: &str) -> Result<BidRow, ServiceError> {
    repo::find(conn, id)?.filter(|b| principal.acts_for(&b.bidder_id)).ok_or(ServiceError::NotFound { what: "bid" })
}

/// The bidder whose own bids and bonds a list shows: the one the token names.
pub(crate) fn own_bidder(principal: &Principal) -> Result<String, ServiceError> {
    principal.org.clone().ok_or(ServiceError::Forbidden { detail: "令牌未指明投标人".into(), rule: None })
}

/// The opening record of a section, on the caller's connection.
pub(crate) fn opening_record_in(conn: &mut DbConnection, section_id: &str) -> Result<OpeningRecord, ServiceError> {
    let row = repo::opening(conn, section_id)?.ok_or(ServiceError::NotFound { what: "opening record" })?;
    let mut record = opening_record_from_row(&row)?;
    record.objections =
        ggzy_store::objections::at_opening(conn, section_id)?.into_iter().map(opening_objection).collect();
    Ok(record)
}

/// Whether who bids in a tendered section, and how many, is still sealed (招标投标法 §22):
/// until its opening record (opened or failed), or the termination of its project, which
/// ends the tender without one. A listed section (挂牌, 拍卖) is not sealed: its quotes are
/// public as they come, by bidder number.
/// A section that does not exist has no bidders to name: sealed.
pub(crate) fn sealed_section(conn: &mut DbConnection, section_id: &str) -> Result<bool, ServiceError> {
    Ok(repo::openness(conn, section_id)?.as_ref().map(bidders_secret_of).transpose()?.unwrap_or(true))
}

/// `sealed_section` for many bonds or accounts at once, each section looked up once.
#[derive(Debug, Default)]
pub(crate) struct SealedSections(std::collections::HashMap<String, bool>);

impl SealedSections {
    pub(crate) fn sealed(&mut self, conn: &mut DbConnection, section_id: &str) -> Result<bool, ServiceError> {
        if let Some(known) = self.0.get(section_id) {
            return Ok(*known);
        }
        let known = sealed_section(conn, section_id)?;
        self.0.insert(section_id.to_owned(), known);
        Ok(known)
    }
}

/// The audit chain of an act on a bid or a bond of a section: until the section's opening
/// its own chain `sealed:<section>`, which the project's archive leaves out; from the opening
/// on the project's chain. After the opening the archive holds both, and each verifies.
pub(crate) fn bidding_chain(
    conn: &mut DbConnection,
    project_id: &str,
    section_id: &str,
) -> Result<String, ServiceError> {
    Ok(ggzy_trading::bidding::bidding_chain(project_id, section_id, sealed_section(conn, section_id)?))
}

pub(crate) use ggzy_trading::bidding::SEALED_CHAIN_PREFIX;

/// Whether a section has been opened (with enough bids).
pub(crate) fn opened(conn: &mut DbConnection, section_id: &str) -> Result<bool, ServiceError> {
    let outcome = repo::opening(conn, section_id)?
        .map(|o| stored::<OpeningOutcome>("openings.outcome", &o.outcome))
        .transpose()?;
    Ok(outcome == Some(OpeningOutcome::Opened))
}
