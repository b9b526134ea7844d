//! Bid bonds held centrally (bond.central): deposits into the dedicated account, refunds as
//! two-phase transfers (pending on the bank instruction, posted on confirmation, voided on
//! failure), forfeits, interest, refund deadlines computed from the rules when their
//! trigger happens, and the verification of the books. The database holds the books; each
//! command checks its transfers with the ledger crate on a snapshot of the accounts it
//! touches, with those rows locked.

use chrono::NaiveDateTime;
use ggzy_kernel::Answer;
use ggzy_ledger::{Account, BondCommand, DepositRefusal, Transfer};
use ggzy_rules::{rule_ids, Category};
use ggzy_store::ledger::{self as repo, BondRow};
use ggzy_store::DbConnection;
pub(crate) use ggzy_views::bonds::start_clock;
use ggzy_views::bonds::{
    clocked_bond, declared_basic_account, deposit_entry, deposit_facts, deposited_bond_row, expected_payment,
    forfeit_entry, liability_entry, refund_answered_entry, refund_clock_entry, refund_instructed_entry,
    refund_instruction,
};
pub use ggzy_views::bonds::{Bond, OwnBond, OwnBondPage, Reconciliation};
use ggzy_views::ledger::{account_from_row, account_row, batch_books, batch_write_rows, transfer_from_row};

use crate::policy::{authorize, authorized, Action};
use crate::stored::stored;
use crate::{Principal, ServiceError};

/// The platform's dedicated bond account (保证金专户).
pub const POOL: &str = "pool";
const BANK_CLEARING: &str = "bank-clearing";
const INTEREST_EXPENSE: &str = "interest-expense";
const LATE_FEE_EXPENSE: &str = "late-fee-expense";
const REFUND_ACCOUNTS: ggzy_ledger::RefundAccounts<'static> = ggzy_ledger::RefundAccounts {
    pool: POOL,
    bank_clearing: BANK_CLEARING,
    interest_expense: INTEREST_EXPENSE,
    late_fee_expense: LATE_FEE_EXPENSE,
};

pub use ggzy_ledger::books::{BondClosure, LedgerVerification};
pub use ggzy_ledger::requests::OwnBondQuery;
pub use ggzy_ledger::requests::{
    ConfirmRefund, DepositBond, ForfeitBond, GuaranteeDocument, PayerAccount, RecordBondEvent,
};
pub use ggzy_ledger::{BondForm, BondOutcome, BondStatus, ForfeitReason, RefundTrigger};

pub(crate) use ggzy_ledger::settlement::Settlement;

impl crate::contexts::Bonds<'_> {
    /// Creates the platform's own accounts if they are missing (start-up).
    pub fn ensure_ledger_accounts(&self) -> Result<(), ServiceError> {
        let now = self.now_naive();
        self.store().write(|conn| -> Result<(), ServiceError> {
            let existing: Vec<String> =
                repo::accounts(conn, &REFUND_ACCOUNTS.ids())?.into_iter().map(|a| a.id).collect();
            for account in REFUND_ACCOUNTS.missing(&existing) {
                repo::insert_account(conn, &account_row(&account, now))?;
            }
            Ok(())
        })
    }

    /// Applies transfers inside the caller's transaction: locks the accounts, checks the
    /// transfers with the ledger on a snapshot, records what was created and writes the new
    /// totals back.
    pub(crate) fn apply_transfers(&self, conn: &mut DbConnection, transfers: &[Transfer]) -> Result<(), ServiceError> {
        let now = self.now_naive();
        let reads = ggzy_ledger::batch::reads(transfers);
        let rows = repo::lock_batch(conn, &reads.account_ids, &reads.transfer_ids, &reads.pending_ids)?;
        let writes =
            ggzy_ledger::batch::apply(batch_books(rows)?, transfers, &reads.account_ids).map_err(Answer::from)?;
        repo::write_batch(conn, &batch_write_rows(&writes, now))?;
        Ok(())
    }

    pub(crate) fn bond_view(conn: &mut DbConnection, row: BondRow) -> Result<Bond, ServiceError> {
        let extras = repo::bond_extras(conn, &row)?;
        Ok(ggzy_views::bonds::bond_of(row, extras)?)
    }

    /// The project and category behind a section.
    fn section_context(
        conn: &mut DbConnection,
        section_id: &str,
    ) -> Result<(ggzy_store::projects::ProjectRow, Category), ServiceError> {
        let (_, project) = ggzy_store::projects::section_and_project(conn, section_id)?
            .ok_or(ServiceError::NotFound { what: "section" })?;
        let category = ggzy_views::projects::category_of(&project)?;
        Ok((project, category))
    }

    /// A bidder deposits its bond for a section (before the bid deadline, the announced
    /// amount, from its basic account for construction, non-cash forms for procurement).
    #[tracing::instrument(skip_all, fields(section_id = %section_id))]
    pub fn deposit_bond(
        &self,
        principal: Option<&Principal>,
        section_id: &str,
        request: DepositBond,
    ) -> Result<Bond, ServiceError> {
        let principal = authorized(principal, Action::Bid)?;
        let bidder_id = principal.org.clone().unwrap_or_default();
        let deposit = ggzy_ledger::requests::read_deposit(request).map_err(ServiceError::Invalid)?;
        let (form, amount) = (deposit.form, deposit.amount);
        let now = self.now_naive();
        let now_utc = self.now();
        self.store().write(|conn| {
            let (project, category) = Self::section_context(conn, section_id)?;
            crate::contexts::Tendering::ensure_running(conn, &project)?;
            let (terms, already_posted) = repo::deposit_reads(conn, section_id, &bidder_id)?;
            let facts = deposit_facts(category, terms.as_ref(), already_posted);
            let act = ggzy_credit::TradingAct::Bid { must_tender: crate::projects::must_tender(&project)? };
            let credit = self.credit().credit_standing(conn, &bidder_id, act)?;
            ggzy_ledger::admit_deposit(&facts, deposit.offered(), credit, now_utc).map_err(deposit_refused)?;
            let bond_id = self.fresh_id();
            let (account, transfer) =
                ggzy_ledger::settlement::deposited(&bond_id, &bidder_id, section_id, form, amount.fen(), POOL);
            let held_in = account_row(&account, now);
            let row = deposited_bond_row(bond_id, section_id.to_owned(), bidder_id.clone(), account.id, &deposit, now);
            // The basic account keyed for the scan.
            repo::insert_deposit(conn, &held_in, &row, declared_basic_account(&row).as_deref())?;
            if let Some(transfer) = transfer {
                self.apply_transfers(conn, &[transfer])?;
            }
            let audit_chain = crate::bids::bidding_chain(conn, &project.id, section_id)?;
            crate::record_entry(conn, principal, now, deposit_entry(audit_chain, &row, form, amount))?;
            let bond = Self::bond_view(conn, row)?;
            crate::idempotency::answer_created(self, conn, principal, &bond)?;
            Ok(bond)
        })
    }

    pub fn bond(&self, principal: Option<&Principal>, id: &str) -> Result<Bond, ServiceError> {
        let principal = principal.ok_or(ServiceError::Unauthenticated)?;
        self.store().read(|conn| {
            let row = visible_bond(conn, principal, id)?;
            Self::bond_view(conn, row)
        })
    }

    /// The calling bidder's own bonds in every section, newest deposit first: what its
    /// screens list. Only a bidder is given such a list, and only of its own bonds.
    pub fn own_bonds(&self, principal: Option<&Principal>, query: OwnBondQuery) -> Result<OwnBondPage, ServiceError> {
        let principal = authorized(principal, Action::ListOwnBidding)?;
        let bidder = crate::bids::own_bidder(principal)?;
        let ggzy_ledger::requests::OwnBondFilter { status, section_id, page } =
            ggzy_ledger::requests::read_own_bond_query(query).map_err(ServiceError::Invalid)?;
        self.store().read(|conn| {
            let mut rows = repo::own_bonds_after(
                conn,
                &bidder,
                status.map(BondStatus::as_str),
                section_id.as_deref(),
                page.after.as_deref(),
                i64::from(page.limit) + 1,
            )?
            .ok_or_else(crate::validate::unknown_cursor)?;
            let next_cursor = crate::validate::next_cursor(&mut rows, page.limit, |(row, ..)| row.id.clone());
            let items = rows
                .into_iter()
                .map(|(row, project_id, project_code, project_name)| {
                    let settled_at = row.settled_at;
                    Ok(OwnBond::of(Self::bond_view(conn, row)?, settled_at, (project_id, project_code, project_name)))
                })
                .collect::<Result<Vec<_>, ServiceError>>()?;
            Ok(OwnBondPage { items, next_cursor })
        })
    }

    /// The bonds of a section, in deposit order: from its opening record on, the project's
    /// readers (its tenderer and agents — who forfeit —, the centre, its regulators,
    /// inspectors); before it the bond desk alone, for even their number tells how many bid
    /// (招标投标法 §22). Anyone else, or a section nobody may see yet: not found.
    #[tracing::instrument(skip_all, fields(section_id = %section_id))]
    pub fn section_bonds(&self, principal: Option<&Principal>, section_id: &str) -> Result<Vec<Bond>, ServiceError> {
        let principal = principal.ok_or(ServiceError::Unauthenticated)?;
        self.store().read(|conn| {
            let section =
                ggzy_store::projects::section(conn, section_id)?.ok_or(ServiceError::NotFound { what: "section" })?;
            let desk = crate::policy::sees_bond(principal, "", false);
            let opened = !crate::bids::sealed_section(conn, section_id)?;
            let reads_project =
                opened && self.tendering().visible_project(conn, Some(principal), &section.project_id).is_ok();
            if authorize(Some(principal), Action::ListSectionBonds { opened, reads_project }).is_err() {
                return Err(ServiceError::NotFound { what: "section" });
            }
            // The tender's side sees the bonds behind the bids it opened, not those of bidders
            // who withdrew before the deadline (they are in no opening record).
            let bonds = if desk || authorize(Some(principal), Action::ReadBonds).is_ok() {
                repo::bonds_of_section(conn, section_id)?
            } else {
                repo::bonds_of_submitted_bidders(conn, section_id)?
            };
            bonds.into_iter().map(|row| Self::bond_view(conn, row)).collect()
        })
    }

    /// Records the event that starts the refund clock of a section's bonds and computes
    /// each bond's deadline from the rules.
    #[tracing::instrument(skip_all, fields(section_id = %section_id))]
    pub fn record_bond_event(
        &self,
        principal: Option<&Principal>,
        section_id: &str,
        request: RecordBondEvent,
    ) -> Result<Vec<Bond>, ServiceError> {
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        let (event, winner_id) = ggzy_ledger::requests::read_bond_event(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        let calendar = self.working_calendar()?;
        self.store().write(|conn| {
            let (project, category) = Self::section_context(conn, section_id)?;
            crate::contexts::Tendering::authorize_tendering(conn, principal, &project)?;
            // Before the opening the tender's staff learn nothing of the bonds, and cannot
            // start their refunds (which would list them).
            ggzy_ledger::settlement::may_start_refunds(crate::bids::sealed_section(conn, section_id)?)
                .map_err(Answer::from)?;
            let bonds =
                self.start_refund_clocks(conn, &project, category, section_id, event, winner_id.as_deref(), &calendar)?;
            let audit_chain = crate::bids::bidding_chain(conn, &project.id, section_id)?;
            let entry = refund_clock_entry(audit_chain, section_id, event, winner_id.as_deref(), bonds.len());
            crate::record_entry(conn, principal_ref, now, entry)?;
            Ok(bonds)
        })
    }

    /// Starts the refund clocks of the bonds of every section of a project (or of the one
    /// section named) for an event, in the project's category (see `start_refund_clocks`).
    pub(crate) fn start_project_refund_clocks(
        &self,
        conn: &mut DbConnection,
        project: &ggzy_store::projects::ProjectRow,
        section_id: Option<&str>,
        (event, winner_id): (RefundTrigger, Option<&str>),
        calendar: &ggzy_kernel::WorkingCalendar,
    ) -> Result<(), ServiceError> {
        let category = ggzy_views::projects::category_of(project)?;
        let sections = match section_id {
            Some(section_id) => vec![section_id.to_owned()],
            None => ggzy_store::projects::sections_of(conn, &project.id)?.into_iter().map(|s| s.id).collect(),
        };
        for section_id in sections {
            self.start_refund_clocks(conn, project, category, &section_id, event, winner_id, calendar)?;
        }
        Ok(())
    }

    /// Starts the refund clock of a section's bonds for an event, with each bond's deadline
    /// from the rules; bonds already settled or already on a clock are left alone.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn start_refund_clocks(
        &self,
        conn: &mut DbConnection,
        project: &ggzy_store::projects::ProjectRow,
        category: Category,
        section_id: &str,
        event: RefundTrigger,
        winner_id: Option<&str>,
        calendar: &ggzy_kernel::WorkingCalendar,
    ) -> Result<Vec<Bond>, ServiceError> {
        let now_utc = self.now();
        let rule_set = self.stored_rule_set(conn, project.rule_set_version)?;
        let mut bonds = Vec::new();
        for mut bond in repo::bonds_of_section(conn, section_id)? {
            let clock = clocked_bond(&bond)
                .clock(category, event, winner_id, &rule_set, now_utc, calendar)
                .map_err(crate::rules::deadline_error)?;
            let Some(clock) = clock else { continue };
            start_clock(&mut bond, &clock);
            repo::update_bond(conn, &bond)?;
            bonds.push(Self::bond_view(conn, bond)?);
        }
        Ok(bonds)
    }

    /// The centre instructs the bank to refund a bond: a pending transfer back out of the
    /// pool (construction refunds carry demand-deposit interest as a separate transfer).
    #[tracing::instrument(skip_all, fields(bond_id = %bond_id))]
    pub fn instruct_refund(&self, principal: Option<&Principal>, bond_id: &str) -> Result<Bond, ServiceError> {
        let principal = authorized(principal, Action::ManageBonds)?;
        let now = self.now_naive();
        // Rates are data of the rule set in force on the day of the refund.
        let rates = self.rule_set_on(self.today())?.rates;
        self.store().write(|conn| {
            visible_bond(conn, principal, bond_id)?;
            let bond = self.instruct_refund_in(conn, principal, bond_id, &rates, now)?;
            Self::bond_view(conn, bond)
        })
    }

    /// Instructs the refund of a held bond inside the caller's transaction.
    pub(crate) fn instruct_refund_in(
        &self,
        conn: &mut DbConnection,
        principal: &Principal,
        bond_id: &str,
        rates: &ggzy_rules::BondRates,
        now: chrono::NaiveDateTime,
    ) -> Result<BondRow, ServiceError> {
        // Two instructions at once are serialised on the bond's account.
        let mut bond = locked_bond(conn, bond_id)?;
        let (project, category) = Self::section_context(conn, &bond.section_id)?;
        if advance(&mut bond, BondCommand::InstructRefund, now)? == BondStatus::Returned {
            // A guarantee is given back: no money moves.
            repo::update_bond(conn, &bond)?;
            return Ok(bond);
        }
        let (recorded, held) =
            repo::refund_reads(conn, &ggzy_ledger::settlement::counted_refund_ids(bond_id), &bond.account_id)?;
        let instruction = refund_instruction(&bond, category, recorded, held.as_ref(), crate::utc(now), self.today())?;
        let plan = ggzy_ledger::plan_refund(&instruction, *rates, &REFUND_ACCOUNTS);
        self.apply_transfers(conn, &plan.transfers)?;
        repo::update_bond(conn, &bond)?;
        let audit_chain = crate::bids::bidding_chain(conn, &project.id, &bond.section_id)?;
        if let Some(late) = plan.late_fee {
            // The platform's liability for the late refund (bond.central), on record.
            let entry = liability_entry(audit_chain.clone(), bond_id, late, bond.refund_deadline)?;
            crate::record_entry(conn, principal, now, entry)?;
        }
        let entry = refund_instructed_entry(audit_chain, bond_id, instruction.attempt, plan.amount)?;
        crate::record_entry(conn, principal, now, entry)?;
        Ok(bond)
    }

    /// The bank confirms (post) or fails (void) the pending refund.
    #[tracing::instrument(skip_all, fields(bond_id = %bond_id))]
    pub fn confirm_refund(
        &self,
        principal: Option<&Principal>,
        bond_id: &str,
        request: ConfirmRefund,
    ) -> Result<Bond, ServiceError> {
        let principal = authorized(principal, Action::ManageBonds)?;
        let ggzy_ledger::requests::RefundAnswer { paid, bank_reference: reference } =
            ggzy_ledger::requests::read_refund_answer(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            visible_bond(conn, principal, bond_id)?;
            let mut bond = locked_bond(conn, bond_id)?;
            advance(&mut bond, BondCommand::ConfirmRefund { paid }, now)?;
            let pending = repo::last_transfer(conn, &ggzy_ledger::settlement::answerable_refund_ids(bond_id))?
                .ok_or_else(|| ServiceError::Internal("pending refund missing".into()))?;
            let pending = transfer_from_row(&pending)?;
            let (project, _) = Self::section_context(conn, &bond.section_id)?;
            self.apply_transfers(conn, &[ggzy_ledger::settlement::answer_refund(&pending, paid, &reference)])?;
            repo::update_bond(conn, &bond)?;
            let audit_chain = crate::bids::bidding_chain(conn, &project.id, &bond.section_id)?;
            crate::record_entry(conn, principal, now, refund_answered_entry(audit_chain, bond_id, paid, &reference))?;
            Self::bond_view(conn, bond)
        })
    }

    /// The tenderer forfeits a bond in a case the rules list (construction.bond.forfeit).
    #[tracing::instrument(skip_all, fields(bond_id = %bond_id))]
    pub fn forfeit_bond(
        &self,
        principal: Option<&Principal>,
        bond_id: &str,
        request: ForfeitBond,
    ) -> Result<Bond, ServiceError> {
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        let ggzy_ledger::requests::ForfeitValues { reason, decision } =
            ggzy_ledger::requests::read_forfeit(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            let bond = repo::find_bond(conn, bond_id)?.ok_or(ServiceError::NotFound { what: "bond" })?;
            let (project, _) = Self::section_context(conn, &bond.section_id)?;
            crate::contexts::Tendering::authorize_tendering(conn, principal, &project)?;
            // The tender's staff see a bond only from the opening on.
            if crate::bids::sealed_section(conn, &bond.section_id)? {
                return Err(ServiceError::NotFound { what: "bond" });
            }
            let mut bond = locked_bond(conn, bond_id)?;
            let settlement = Settlement::Forfeit { reason: reason.as_str(), rule: rule_ids::CONSTRUCTION_BOND_FORFEIT };
            self.settle_to_payable(conn, &project, &mut bond, settlement, now)?;
            let audit_chain = crate::bids::bidding_chain(conn, &project.id, &bond.section_id)?;
            crate::record_entry(conn, principal_ref, now, forfeit_entry(audit_chain, bond_id, reason, &decision))?;
            Self::bond_view(conn, bond)
        })
    }

    /// Moves what a held bond's account holds to the tenderer's (seller's) payable account of
    /// its section, inside the caller's transaction, and settles the bond: a forfeit, or the
    /// winner's deposit of a listing applied to the price. Non-cash forms move no money.
    pub(crate) fn settle_to_payable(
        &self,
        conn: &mut DbConnection,
        project: &ggzy_store::projects::ProjectRow,
        bond: &mut BondRow,
        settlement: Settlement<'_>,
        now: NaiveDateTime,
    ) -> Result<(), ServiceError> {
        advance(bond, settlement.command(), now)?;
        if stored::<BondForm>("bonds.form", &bond.form)?.moves_money() {
            let payable = ggzy_ledger::settlement::payable_account(&project.tenderer_id, &bond.section_id);
            repo::ensure_account(conn, &account_row(&payable, now))?;
            let held = held_by(conn, &bond.account_id)?.map_or(0, |account| account.available_credit_balance());
            self.apply_transfers(conn, &[settlement.transfer(&bond.id, &bond.account_id, &payable.id, held)])?;
        }
        repo::update_bond(conn, bond)?;
        Ok(())
    }

    /// Bonds past their refund deadline without a refund (bond.central: the platform is
    /// liable for a late refund).
    pub fn overdue_bonds(&self, principal: Option<&Principal>) -> Result<Vec<Bond>, ServiceError> {
        authorize(principal, Action::ReadBonds)?;
        let now = self.now_naive();
        self.store().read(|conn| {
            let principal = principal.ok_or(ServiceError::Unauthenticated)?;
            let overdue = repo::overdue_bonds(conn, now)?;
            visible_bonds(conn, principal, overdue)?.into_iter().map(|row| Self::bond_view(conn, row)).collect()
        })
    }

    /// Matches a bank statement (CSV `date,amount,payer_account,reference`, the reference
    /// being the bond id) against the bonds that moved money, listing what does not match on
    /// either side.
    pub fn reconcile_statement(
        &self,
        principal: Option<&Principal>,
        csv: &str,
    ) -> Result<Reconciliation, ServiceError> {
        authorize(principal, Action::ManageBonds)?;
        ggzy_ledger::statement::check_header(csv).map_err(|problem| ServiceError::Invalid(vec![problem]))?;
        let principal = principal.ok_or(ServiceError::Unauthenticated)?;
        // A statement line naming a bond the caller may not see reads as an unknown reference.
        let bonds = self.store().read(|conn| {
            let cash = repo::cash_bonds(conn)?;
            visible_bonds(conn, principal, cash)
        })?;
        let expected: Vec<_> = bonds.into_iter().map(expected_payment).collect();
        let statement = ggzy_ledger::statement::reconcile(csv, &expected)
            .map_err(|problem| ServiceError::Invalid(vec![problem]))?;
        Ok(Reconciliation::from(statement))
    }

    /// Whether a section's bonds are settled: every bond account at zero and every bond
    /// with exactly one outcome.
    pub fn bond_closure(&self, principal: Option<&Principal>, section_id: &str) -> Result<BondClosure, ServiceError> {
        let principal = authorized(principal, Action::ReadBonds)?;
        self.store().read(|conn| {
            // Before the opening even the number of bonds is the bond desk's alone.
            let sealed = crate::bids::sealed_section(conn, section_id)?;
            if !crate::policy::sees_bond(principal, "", !sealed) {
                return Err(ServiceError::NotFound { what: "section" });
            }
            let (bonds, accounts) = repo::section_bonds_with_accounts(conn, section_id)?;
            Ok(ggzy_views::bonds::section_closure(section_id, &bonds, &accounts)?)
        })
    }

    /// Recomputes every balance from the transfers and checks the invariants.
    pub fn verify_ledger(&self, principal: Option<&Principal>) -> Result<LedgerVerification, ServiceError> {
        authorize(principal, Action::VerifyAudit)?;
        self.verify_ledger_counting(true)
    }

    /// The same check for operators at the command line (`ggzy ledger verify`), who hold the
    /// database anyway and so are told every count.
    pub fn verify_ledger_unchecked(&self) -> Result<LedgerVerification, ServiceError> {
        self.verify_ledger_counting(false)
    }

    /// Verifies the books; with `hide_sealed`, the accounts of bonds of sections not yet
    /// opened and the transfers touching them are verified but not counted, for their number
    /// is the number of bonds (招标投标法 §22).
    fn verify_ledger_counting(&self, hide_sealed: bool) -> Result<LedgerVerification, ServiceError> {
        let (accounts, transfers, sealed) = self.store().read(|conn| -> Result<_, ServiceError> {
            let rows = repo::all_accounts(conn)?;
            let mut sealed = std::collections::HashSet::new();
            if hide_sealed {
                let mut sections = crate::bids::SealedSections::default();
                for row in &rows {
                    let Some(section_id) = row.section_id.as_deref() else { continue };
                    if sections.sealed(conn, section_id)? {
                        sealed.insert(row.id.clone());
                    }
                }
            }
            let accounts = rows.iter().map(account_from_row).collect::<Result<Vec<_>, _>>()?;
            let transfers = repo::all_transfers(conn)?.iter().map(transfer_from_row).collect::<Result<Vec<_>, _>>()?;
            Ok((accounts, transfers, sealed))
        })?;
        Ok(ggzy_ledger::books::verify_books(accounts, &transfers, &sealed))
    }
}

/// The bonds among `rows` the principal may see (policy::sees_bond), in their order.
fn visible_bonds(
    conn: &mut DbConnection,
    principal: &Principal,
    rows: Vec<BondRow>,
) -> Result<Vec<BondRow>, ServiceError> {
    let mut sections = crate::bids::SealedSections::default();
    let mut visible = Vec::new();
    for row in rows {
        let opened = !sections.sealed(conn, &row.section_id)?;
        if crate::policy::sees_bond(principal, &row.bidder_id, opened) {
            visible.push(row);
        }
    }
    Ok(visible)
}

/// The bond read again with its account locked for the rest of the transaction.
fn locked_bond(conn: &mut DbConnection, id: &str) -> Result<BondRow, ServiceError> {
    repo::lock_bond(conn, id, POOL)?.ok_or(ServiceError::NotFound { what: "bond" })
}

/// What a bond account holds, if it exists.
fn held_by(conn: &mut DbConnection, account_id: &str) -> Result<Option<Account>, ServiceError> {
    Ok(repo::account(conn, account_id)?.as_ref().map(account_from_row).transpose()?)
}

/// The bond, if the principal may see it; otherwise, as when there is none, not found.
fn visible_bond(conn: &mut DbConnection, principal: &Principal, id: &str) -> Result<BondRow, ServiceError> {
    let row = repo::find_bond(conn, id)?.ok_or(ServiceError::NotFound { what: "bond" })?;
    visible_bonds(conn, principal, vec![row])?.pop().ok_or(ServiceError::NotFound { what: "bond" })
}

/// Moves a bond by `command` (ggzy_views::bonds::advance); a command its status does not
/// allow is a conflict naming the status.
fn advance(bond: &mut BondRow, command: BondCommand, now: NaiveDateTime) -> Result<BondStatus, ServiceError> {
    Ok(ggzy_views::bonds::advance(bond, command, now)?.map_err(Answer::from)?)
}

/// Where a stored bond stands.
pub(crate) fn status_of(bond: &BondRow) -> Result<BondStatus, ServiceError> {
    stored("bonds.status", &bond.status)
}

/// The problem a refused deposit answers.
fn deposit_refused(refusal: DepositRefusal<ggzy_credit::Refusal>) -> ServiceError {
    refusal.answer().map_or_else(crate::credit::refusal_error, ServiceError::from)
}
