//! Listings (挂牌) and auctions (拍卖 / 网络竞价) of land use rights, mining rights and
//! state-owned property, on top of registration, the bond ledger and credit.
//!
//! Creating a listing publishes its announcement (kind `listing`), whose section terms make
//! the deposit (竞买保证金) an ordinary bond held in the ledger until the listing ends. A
//! qualified bidder (deposit held, credit gate passed) quotes; each quote is decided by
//! `ggzy_trading::listing` against the progress row read in the quote's transaction and
//! written back only if no other quote changed it meanwhile, so the database orders
//! concurrent quotes and every accepted one strictly raises the price. The centre closes a
//! listing when its time is up: a sale, an auction (two or more bidders quoted), or a
//! failure (no quote, or the best below the secret reserve). Losers' deposits go back within
//! land.deposit.refund; the winner's is applied to the price when it signs the
//! confirmation (成交确认书), or forfeited when it refuses.

use ggzy_store::listings::{self as repo, ListingRow, ProgressRow};
use ggzy_store::{command_reads, DbConnection};
use ggzy_trading::listing::{self as rules, conclusion, creation, offer, Phase};

pub use ggzy_trading::listing::creation::CreateListing;

use crate::bonds::RefundTrigger;
use crate::policy::{authorized, Action};
use crate::{Principal, ServiceError};
use ggzy_ledger::listing::NoDeposit;
use ggzy_views::listings::{
    self as listings_views, lot_section, phase_of, quotes_from_rows, state_of, terms_of, ListingRead,
};
pub use ggzy_views::listings::{
    Listing, ListingChanges, ListingPage, ListingPhase, ListingResult, PlaceQuote, Quote, RecordRefusal,
};

/// The accepted quotes of a listing in order, each with the auction end it left behind.
fn quotes_of(conn: &mut DbConnection, listing: &ListingRow) -> Result<Vec<Quote>, ServiceError> {
    Ok(quotes_from_rows(listing, repo::quotes(conn, &listing.id)?)?)
}

/// A stored listing with its progress, else not found.
fn find_listing(conn: &mut DbConnection, id: &str) -> Result<(ListingRow, ProgressRow), ServiceError> {
    repo::find(conn, id)?.ok_or(ServiceError::NotFound { what: "listing" })
}

/// The subject the platform's listing closer acts as in the audit trail.
pub const LISTING_CLOSER: &str = "listing-closer";

impl crate::contexts::Listings<'_> {
    /// A listing's phase by the clock, and what its public view shows in it. The phase
    /// follows the clock even before the closer has applied the result; the quotes are read
    /// only for a listing whose time is up.
    fn listing_phase(
        &self,
        conn: &mut DbConnection,
        listing: &ListingRow,
        progress: &ProgressRow,
    ) -> Result<(Phase, ggzy_trading::listing::view::Shown), ServiceError> {
        let now = self.now();
        let terms = terms_of(listing);
        let state = state_of(progress)?;
        let phase = if rules::time_is_up(&terms, &state, now) {
            let (best, bidders) = command_reads::best_quote_and_bidders(conn, &listing.id, Phase::Listing.as_str())?;
            rules::phase_by_clock(&terms, &state, best.as_ref().map(|(b, p)| (b.as_str(), *p)), bidders, now)
        } else {
            rules::phase_at(&terms, &state, now)
        };
        Ok((phase, ggzy_trading::listing::view::shown(phase, &terms, &state, now)))
    }

    fn listing_view(
        &self,
        conn: &mut DbConnection,
        listing: ListingRow,
        progress: ProgressRow,
    ) -> Result<Listing, ServiceError> {
        let (phase, shown) = self.listing_phase(conn, &listing, &progress)?;
        let leader_id = progress.leader_id.as_deref();
        let winner_id = shown.published_at(progress.concluded_at).and(shown.winner(leader_id));
        let reads = command_reads::listing_view(conn, &listing, leader_id, winner_id)?
            .ok_or(ServiceError::NotFound { what: "project" })?;
        let (category, leading_number, winner) = (reads.category, reads.leading_number, reads.winner);
        let read = ListingRead { category, phase, shown, leading_number, winner };
        Ok(Listing::from_rows(listing, progress, read)?)
    }

    /// Announces a listing of one section (the seller or its agent): checks the category's
    /// announcement period before the listing starts, the listing period, the prices and, for
    /// state-owned property, the floor of 90% of the appraisal.
    #[tracing::instrument(skip_all, fields(project_id = %project_id))]
    pub fn create_listing(
        &self,
        principal: Option<&Principal>,
        project_id: &str,
        request: CreateListing,
    ) -> Result<Listing, ServiceError> {
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        let now_utc = self.now();
        let now = self.now_naive();
        let calendar = self.working_calendar()?;
        self.store().write(|conn| {
            let project = self.tendering().visible_project(conn, principal, project_id)?;
            crate::contexts::Tendering::authorize_tendering(conn, principal, &project)?;
            crate::contexts::Tendering::ensure_running(conn, &project)?;
            let unknown_documents = ggzy_store::documents::unknown_hashes(conn, &creation::named_hashes(&request))?;
            let category = ggzy_views::projects::category_of(&project)?;
            let rule = offer::listing_rule(category, &project.subtype)
                .map_err(|refused| ServiceError::from(refused.answer()))?;
            let next = crate::projects::next_status(&project, crate::projects::ProjectCommand::List)?;
            let sections: Vec<creation::LotSection> =
                ggzy_store::projects::sections_of(conn, project_id)?.into_iter().map(lot_section).collect();
            let rule_set = self.stored_rule_set(conn, project.rule_set_version)?;
            let (section_listed, failed) = match creation::named_lot(&request, &sections) {
                creation::NamedLot::Section(id) => (repo::of_section(conn, id)?.is_some(), None),
                creation::NamedLot::Relisting(id) => {
                    (false, repo::named_round(conn, &project.id, id)?.map(listings_views::failed_listing).transpose()?)
                }
                creation::NamedLot::Nothing => (false, None),
            };
            let listed_project = ggzy_views::announcements::announced_project(&project, category);
            let new_section_id = ggzy_kernel::SectionId::new_v7(now_utc).to_string();
            let facts = creation::CreationFacts {
                project: &listed_project,
                announcement_rule: rule,
                sections: &sections,
                section_listed,
                failed: failed.as_ref(),
                unknown_documents: &unknown_documents,
                new_section_id: &new_section_id,
                rule_set: &rule_set,
                calendar: &calendar,
                now: now_utc,
            };
            let decided = creation::create(request, &facts)
                .map_err(|refusal| refusal.answer().map_or_else(ServiceError::Internal, ServiceError::from))?;
            if let Some(section) = &decided.new_section {
                ggzy_store::projects::insert_section(conn, &listings_views::section_row(&project.id, section))?;
            }
            let announcement =
                self.tendering().store_announcement(conn, principal_ref, now, decided.content.clone(), None)?;
            let (listing, progress) =
                listings_views::created_rows(self.fresh_id(), &project.id, &announcement.id, &decided, now);
            repo::insert(conn, &listing, &progress)?;
            if next.as_str() != project.status {
                crate::projects::set_status(conn, &project, next, now)?;
            }
            crate::record_entry(conn, principal_ref, now, listings_views::created_entry(&listing, &decided, rule)?)?;
            let view = self.listing_view(conn, listing, progress)?;
            crate::idempotency::answer_created(self, conn, principal_ref, &view)?;
            Ok(view)
        })
    }

    /// A listing, for anyone (the reserve price only after the end).
    pub fn listing(&self, id: &str) -> Result<Listing, ServiceError> {
        self.store().read(|conn| {
            let (listing, progress) = find_listing(conn, id)?;
            self.listing_view(conn, listing, progress)
        })
    }

    /// Listings in announcement order, for anyone.
    pub fn listings(&self, after: Option<String>, limit: Option<u32>) -> Result<ListingPage, ServiceError> {
        let page = crate::validate::page(after, limit)?;
        self.store().read(|conn| {
            let mut rows = repo::list(conn, page.after.as_deref(), i64::from(page.limit) + 1)?;
            let next_cursor = crate::validate::next_cursor(&mut rows, page.limit, |(l, _)| l.id.clone());
            let items = rows
                .into_iter()
                .map(|(listing, progress)| self.listing_view(conn, listing, progress))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(ListingPage { items, next_cursor })
        })
    }

    /// The accepted quotes of a listing in order, with bidder numbers only (public).
    pub fn listing_quotes(&self, id: &str) -> Result<Vec<Quote>, ServiceError> {
        self.store().read(|conn| {
            let (listing, _) = find_listing(conn, id)?;
            quotes_of(conn, &listing)
        })
    }

    /// The phases of these listed sections (by section id) as their listings' public views
    /// show them (by the clock, the result once concluded), each with whether the winner
    /// refused the sale: the listings and their progress read together, a listing's quotes
    /// only when its time is up.
    pub(crate) fn listed_section_phases(
        &self,
        conn: &mut DbConnection,
        section_ids: &[String],
    ) -> Result<std::collections::HashMap<String, (Phase, bool)>, ServiceError> {
        let mut phases = std::collections::HashMap::new();
        for (listing, progress) in repo::of_sections(conn, section_ids)? {
            let (phase, shown) = self.listing_phase(conn, &listing, &progress)?;
            // The winner's refusal shows once the result is published, as in the listing's view.
            phases.insert(listing.section_id, (phase, listings_views::refusal_shown(&shown, &progress)?));
        }
        Ok(phases)
    }

    /// The version of a listing's progress row: every accepted quote and every close
    /// changes it, so a live stream reads the rest only when it moved.
    pub fn listing_version(&self, id: &str) -> Result<i32, ServiceError> {
        self.store().read(|conn| {
            let (_, progress) = find_listing(conn, id)?;
            Ok(progress.version)
        })
    }

    /// What a listing's live stream sends a client whose last quote was `after_sequence`:
    /// the quotes accepted since and the listing as it stands, read together.
    pub fn listing_changes(&self, id: &str, after_sequence: i32) -> Result<ListingChanges, ServiceError> {
        // One snapshot: the listing sent must be the one the quotes sent led to.
        self.store().snapshot(|conn| {
            let (listing, progress) = find_listing(conn, id)?;
            let mut quotes = quotes_of(conn, &listing)?;
            quotes.retain(|quote| quote.sequence > after_sequence);
            let version = progress.version;
            let listing = self.listing_view(conn, listing, progress)?;
            Ok(ListingChanges { version, listing, quotes })
        })
    }

    /// A qualified bidder quotes. The decision is made on the progress row as read, and
    /// written only if that row is unchanged; otherwise it is read and decided again.
    #[tracing::instrument(skip_all, fields(listing_id = %listing_id))]
    pub fn place_quote(
        &self,
        principal: Option<&Principal>,
        listing_id: &str,
        request: PlaceQuote,
    ) -> Result<Quote, ServiceError> {
        let principal = authorized(principal, Action::Bid)?;
        let bidder_id = principal.org.clone().unwrap_or_default();
        let price = request.read().map_err(ServiceError::Invalid)?;
        let now_utc = self.now();
        let now = self.now_naive();
        self.store().write(|conn| {
            let (listing, _) = find_listing(conn, listing_id)?;
            let project = crate::projects::project_row(conn, &listing.project_id)?;
            crate::contexts::Tendering::ensure_running(conn, &project)?;
            let bond = ggzy_store::ledger::bond_of(conn, &listing.section_id, &bidder_id)?;
            ggzy_ledger::listing::may_quote(bond.as_ref().map(crate::bonds::status_of).transpose()?).map_err(
                |refused| ServiceError::Forbidden { detail: refused.detail().into(), rule: Some(NoDeposit::RULE) },
            )?;
            // A restriction that began after the deposit still bars quoting.
            let must_tender = crate::projects::must_tender(&project)?;
            self.credit().credit_gate(conn, &bidder_id, ggzy_credit::TradingAct::Bid { must_tender })?;
            let terms = terms_of(&listing);
            // Bounded: each retry means another quote was accepted meanwhile.
            for _ in 0..1000 {
                let (_, progress) = find_listing(conn, listing_id)?;
                let state = state_of(&progress)?;
                let phase = rules::phase_at(&terms, &state, now_utc);
                let accepted = rules::quote(&terms, &state, price.fen(), now_utc)
                    .map_err(|refusal| ServiceError::from(refusal.answer()))?;
                let next = listings_views::quoted_progress(&progress, phase, &accepted, &bidder_id);
                if !repo::update_progress(conn, &next, progress.version)? {
                    continue;
                }
                // The progress row is now held by this transaction: numbers and sequence
                // are given in acceptance order.
                let bidder_number = repo::bidder_number(conn, listing_id, &bidder_id, now)?;
                let (row, quote) = listings_views::placed_quote(listings_views::PlacedQuote {
                    listing_id,
                    progress: &next,
                    bidder_id: &bidder_id,
                    bidder_number,
                    price,
                    accepted: &accepted,
                    placed_at: now_utc,
                    placed_at_row: now,
                });
                repo::insert_quote(conn, &row)?;
                crate::record_entry(conn, principal, now, listings_views::quote_entry(&listing, &quote))?;
                crate::idempotency::answer_created(self, conn, principal, &quote)?;
                return Ok(quote);
            }
            Err(ServiceError::Conflict { detail: "报价过于拥挤，请重新报价".into() })
        })
    }

    /// The centre closes a listing whose time is up: to an auction, a sale, or a failure.
    /// Losers' deposits (everyone's, on failure) are put on their refund clock
    /// (land.deposit.refund) and their refunds instructed at once.
    #[tracing::instrument(skip_all, fields(listing_id = %listing_id))]
    pub fn close_listing(&self, principal: Option<&Principal>, listing_id: &str) -> Result<Listing, ServiceError> {
        let principal = authorized(principal, Action::HostListing)?;
        self.close_listing_as(principal, listing_id)
    }

    /// Closes every listing and auction whose time is up, as the platform's own closer
    /// (the deadline watch's counterpart for listings): each in its own transaction, with
    /// the same result as a host's close. Listings of a suspended project wait for its
    /// resumption. Answers the ids closed (or moved to auction).
    pub fn close_due_listings(&self) -> Result<Vec<String>, ServiceError> {
        let closer = Principal::system(LISTING_CLOSER, Vec::new());
        let now = self.now();
        let unclosed = self.store().read(repo::unclosed)?;
        let mut closed = Vec::new();
        for (listing, progress) in unclosed {
            if !rules::time_is_up(&terms_of(&listing), &state_of(&progress)?, now) {
                continue;
            }
            let listing_id = listing.id;
            match self.close_listing_as(&closer, &listing_id) {
                Ok(_) => closed.push(listing_id),
                // Suspended, or closed by its host a moment ago: the next round sees it.
                Err(ServiceError::Conflict { detail }) => {
                    tracing::info!(listing_id = %listing_id, %detail, "listing not closed now")
                }
                Err(error) => return Err(error),
            }
        }
        Ok(closed)
    }

    fn close_listing_as(&self, principal: &Principal, listing_id: &str) -> Result<Listing, ServiceError> {
        let now_utc = self.now();
        let now = self.now_naive();
        let calendar = self.working_calendar()?;
        let rates = self.rule_set_on(self.today())?.rates;
        self.store().write(|conn| {
            let (listing, progress) = find_listing(conn, listing_id)?;
            let project = crate::projects::project_row(conn, &listing.project_id)?;
            // A suspended project (an objection, a regulator's order) closes when it resumes.
            crate::contexts::Tendering::ensure_running(conn, &project)?;
            let category = ggzy_views::projects::category_of(&project)?;
            let terms = terms_of(&listing);
            let state = state_of(&progress)?;
            let (best, bidders) = command_reads::best_quote_and_bidders(conn, listing_id, Phase::Listing.as_str())?;
            let best = best.as_ref().map(|(bidder, price)| (bidder.as_str(), *price));
            let conclusion = conclusion::conclude(&terms, &state, best, bidders, now_utc)
                .map_err(|refusal| ServiceError::from(refusal.answer()))?;
            let standing = conclusion.standing(&state, progress.leader_id.as_deref());
            let next = listings_views::closed_progress(&progress, standing, now);
            let winner = conclusion.winner().map(str::to_owned);
            if !repo::update_progress(conn, &next, progress.version)? {
                return Err(ServiceError::Conflict { detail: "挂牌状态已被他人更新，请重试".into() });
            }
            let concluded = next.concluded_at.is_some();
            let mut refunds = Vec::new();
            if concluded {
                let trigger = RefundTrigger::of_listing_end(winner.is_some());
                self.bonds().start_refund_clocks(
                    conn,
                    &project,
                    category,
                    &listing.section_id,
                    trigger,
                    winner.as_deref(),
                    &calendar,
                )?;
                let bonds = ggzy_store::ledger::bonds_of_section(conn, &listing.section_id)?;
                let deposits = listings_views::ending_deposits(&bonds)?;
                for bond_id in ggzy_ledger::listing::refunds_at_end(&deposits, winner.as_deref()) {
                    refunds.push(self.bonds().instruct_refund_in(conn, principal, bond_id, &rates, now)?.id);
                }
            }
            let rule = ggzy_ledger::listing::close_rule(concluded);
            let entry = listings_views::closed_entry(&listing, &next, winner.as_deref(), &refunds, rule)?;
            crate::record_entry(conn, principal, now, entry)?;
            self.listing_view(conn, listing, next)
        })
    }

    /// The winner signs the confirmation (成交确认书): its deposit is applied to the price.
    #[tracing::instrument(skip_all, fields(listing_id = %listing_id))]
    pub fn confirm_listing(&self, principal: Option<&Principal>, listing_id: &str) -> Result<Listing, ServiceError> {
        let principal = authorized(principal, Action::Bid)?;
        self.settle_winner(principal, listing_id, None)
    }

    /// The centre records that the winner refused to sign: its deposit is forfeited.
    #[tracing::instrument(skip_all, fields(listing_id = %listing_id))]
    pub fn record_listing_refusal(
        &self,
        principal: Option<&Principal>,
        listing_id: &str,
        request: RecordRefusal,
    ) -> Result<Listing, ServiceError> {
        let principal = authorized(principal, Action::HostListing)?;
        let reason = request.read().map_err(ServiceError::Invalid)?;
        self.settle_winner(principal, listing_id, Some(reason))
    }

    /// Confirmation (no refusal reason) or refusal of a sold listing's winner.
    fn settle_winner(
        &self,
        principal: &Principal,
        listing_id: &str,
        refusal: Option<String>,
    ) -> Result<Listing, ServiceError> {
        let now = self.now_naive();
        self.store().write(|conn| {
            let (listing, progress) = find_listing(conn, listing_id)?;
            let answer = match refusal {
                None => conclusion::Answer::Confirm {
                    by_winner: progress.leader_id.as_deref().is_some_and(|winner| principal.acts_for(winner)),
                },
                Some(_) => conclusion::Answer::Refuse,
            };
            let answered = progress.confirmation.is_some();
            let (winner, confirmation) =
                conclusion::answer(phase_of(&progress)?, progress.leader_id.as_deref(), answered, answer)
                    .map_err(conclusion::AnswerRefusal::answer)?;
            let project = crate::projects::project_row(conn, &listing.project_id)?;
            let mut bond = ggzy_store::ledger::bond_of(conn, &listing.section_id, &winner)?
                .ok_or_else(|| ServiceError::Internal("a sold listing's winner without a deposit".into()))?;
            ggzy_store::ledger::lock_accounts(conn, &[crate::bonds::POOL.to_owned(), bond.account_id.clone()])?;
            let settlement =
                ggzy_ledger::listing::winner_settlement(crate::bonds::status_of(&bond)?, refusal.as_deref())
                    .map_err(|refused| ServiceError::Conflict { detail: refused.detail() })?;
            self.bonds().settle_to_payable(conn, &project, &mut bond, settlement, now)?;
            let next = listings_views::answered_progress(&progress, confirmation, now);
            if !repo::update_progress(conn, &next, progress.version)? {
                return Err(ServiceError::Conflict { detail: "挂牌状态已被他人更新，请重试".into() });
            }
            let entry = listings_views::answered_entry(&listing, &winner, &bond, refusal.as_deref());
            crate::record_entry(conn, principal, now, entry)?;
            self.listing_view(conn, listing, next)
        })
    }
}
