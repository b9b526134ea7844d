//! The in-memory ledger state and the application of transfers.
//!
//! The semantics follow TigerBeetle:
//!
//! - **idempotency**: a transfer id is used once. Resending the same id with the same
//!   body answers [`TransferOutcome::AlreadyApplied`] and changes nothing; the same id
//!   with another body is refused ([`LedgerError::ExistsWithDifferentBody`]). A
//!   `post_pending` or `void_pending` sent with amount 0 is compared with its effective
//!   amount, so a resend of the same request is recognised.
//! - **validation order** (the first failing check is reported): id present; id
//!   already used; flags exclusive; `pending_id` present exactly for post and void, and
//!   not the transfer itself; amount positive (0 allowed for post and void) and at most
//!   [`Money::MAX_FEN`]; accounts differ, debit account exists, credit account exists;
//!   then for post and void: the pending transfer exists, is pending, has the same
//!   accounts and kind, is unresolved, and the amount fits; for the others: the balance
//!   limits, pending amounts included; finally overflow of the totals.
//! - **two-phase transfers**: `pending` reserves the amount; `post_pending` posts the
//!   full amount (amount 0 or equal) or part of it (the rest is released);
//!   `void_pending` releases it. Either resolves the pending transfer for good.
//! - **linked chains**: consecutive transfers flagged `linked`, closed by the next one
//!   without the flag, succeed or fail together.
//!
//! Two entry points apply a batch:
//!
//! - [`Ledger::create_transfers`] is all-or-nothing for the whole batch: on the first
//!   failure nothing of the batch is applied and the error names the transfer. This is
//!   the one to use inside a database transaction that mirrors the ledger, so the two
//!   never diverge.
//! - [`Ledger::create_transfers_each`] has TigerBeetle's per-event results: every chain
//!   (a lone transfer is a chain of one) is applied or refused on its own; in a refused
//!   chain the failing transfer carries its error and the others
//!   [`LedgerError::LinkedEventFailed`].

use std::collections::{BTreeMap, HashMap};

use ggzy_kernel::Money;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::account::{Account, AccountKind};
use crate::error::{InvariantViolation, LedgerError};
use crate::transfer::Transfer;

/// What happened to one submitted transfer.
///
/// - `created`: 已记账
/// - `already_applied`: 此前已记账（重复提交，未重复执行）
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransferOutcome {
    /// 已记账
    Created,
    /// 此前已记账（重复提交，未重复执行）
    AlreadyApplied,
}

ggzy_kernel::closed_enum! {
/// State of a pending (two-phase) transfer.
///
/// - `pending`: 待处理
/// - `posted`: 已确认
/// - `voided`: 已撤销
pub enum PendingStatus {
    /// 待处理
    Pending = "pending",
    /// 已确认
    Posted = "posted",
    /// 已撤销
    Voided = "voided",
}
}

impl PendingStatus {
    /// The Chinese term.
    pub fn name(self) -> &'static str {
        match self {
            PendingStatus::Pending => "待处理",
            PendingStatus::Posted => "已确认",
            PendingStatus::Voided => "已撤销",
        }
    }
}

/// How a pending transfer was resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub struct PendingResolution {
    /// The pending transfer.
    pub pending_id: String,
    /// The `post_pending` or `void_pending` transfer that resolved it.
    pub resolved_by: String,
    /// `posted` or `voided`.
    pub status: PendingStatus,
    /// Fen posted (0 when voided).
    pub amount: i64,
}

/// Undo record of one change, so that a failed chain or batch leaves no trace.
#[derive(Debug)]
enum Undo {
    Account(Account),
    Transfer,
    Resolution(String),
}

/// The bond ledger: accounts, the append-only list of transfers, and how each pending
/// transfer was resolved. Pure in-memory state; the store layer mirrors it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    accounts: BTreeMap<String, Account>,
    transfers: Vec<Transfer>,
    index: HashMap<String, usize>,
    resolutions: BTreeMap<String, PendingResolution>,
}

impl Ledger {
    pub fn new() -> Self {
        Ledger::default()
    }

    /// Creates an account. Its totals must be zero. Re-creating an account with the
    /// same id and definition (kind, owner, section, flags) is a no-op `Ok`, whatever
    /// its balances are by now; another definition is [`LedgerError::AccountExists`].
    pub fn create_account(&mut self, account: Account) -> Result<(), LedgerError> {
        if account.id.is_empty() {
            return Err(LedgerError::AccountIdEmpty);
        }
        let account_id = || account.id.clone();
        if account.flags.debits_must_not_exceed_credits && account.flags.credits_must_not_exceed_debits {
            return Err(LedgerError::AccountFlagsAreMutuallyExclusive { account_id: account_id() });
        }
        if !account.is_untouched() {
            return Err(LedgerError::AccountBalancesMustBeZero { account_id: account_id() });
        }
        if account.kind == AccountKind::BidderBond
            && (account.owner.as_deref().is_none_or(str::is_empty)
                || account.section_id.as_deref().is_none_or(str::is_empty))
        {
            return Err(LedgerError::BondAccountNeedsOwnerAndSection { account_id: account_id() });
        }
        if let Some(existing) = self.accounts.get(&account.id) {
            return if existing.same_definition(&account) {
                Ok(())
            } else {
                Err(LedgerError::AccountExists { account_id: account_id() })
            };
        }
        self.accounts.insert(account.id.clone(), account);
        Ok(())
    }

    /// Applies `transfers` in order, all or nothing: either every transfer is created
    /// or recognised as already applied (one outcome per transfer, in order), or the
    /// first failure is returned and the ledger is exactly as before the call.
    ///
    /// Linked chains must be closed within the batch ([`LedgerError::LinkedChainOpen`]).
    pub fn create_transfers(&mut self, transfers: &[Transfer]) -> Result<Vec<TransferOutcome>, LedgerError> {
        if let Some(last) = transfers.last() {
            if last.flags.linked {
                return Err(LedgerError::LinkedChainOpen { transfer_id: last.id.clone() });
            }
        }
        let mut journal = Vec::new();
        let mut outcomes = Vec::with_capacity(transfers.len());
        for (index, transfer) in transfers.iter().enumerate() {
            match self.apply(index, transfer, &mut journal) {
                Ok(outcome) => outcomes.push(outcome),
                Err(error) => {
                    self.rollback(journal);
                    return Err(error);
                }
            }
        }
        Ok(outcomes)
    }

    /// Applies `transfers` with TigerBeetle's per-event results: one result per
    /// transfer, in order. Each linked chain (a lone transfer is a chain of one)
    /// succeeds or fails as a whole, independently of the other chains. In a failed
    /// chain the failing transfer carries its own error and every other member
    /// [`LedgerError::LinkedEventFailed`]; in a chain left open at the end of the batch
    /// the last transfer carries [`LedgerError::LinkedChainOpen`].
    pub fn create_transfers_each(&mut self, transfers: &[Transfer]) -> Vec<Result<TransferOutcome, LedgerError>> {
        let mut results = Vec::with_capacity(transfers.len());
        let mut start = 0;
        while start < transfers.len() {
            let end = transfers[start..]
                .iter()
                .position(|t| !t.flags.linked)
                .map_or(transfers.len(), |offset| start + offset + 1);
            let chain = &transfers[start..end];
            let closed = chain.last().is_some_and(|t| !t.flags.linked);
            if !closed {
                let last_id = chain.last().map(|t| t.id.clone()).unwrap_or_default();
                for (i, t) in chain.iter().enumerate() {
                    results.push(Err(if i + 1 == chain.len() {
                        LedgerError::LinkedChainOpen { transfer_id: t.id.clone() }
                    } else {
                        LedgerError::LinkedEventFailed {
                            transfer_id: t.id.clone(),
                            failed_transfer_id: last_id.clone(),
                        }
                    }));
                }
                start = end;
                continue;
            }
            let mut journal = Vec::new();
            let mut chain_results = Vec::with_capacity(chain.len());
            let mut failure = None;
            for (offset, transfer) in chain.iter().enumerate() {
                match self.apply(start + offset, transfer, &mut journal) {
                    Ok(outcome) => chain_results.push(Ok(outcome)),
                    Err(error) => {
                        failure = Some((offset, error));
                        break;
                    }
                }
            }
            match failure {
                None => results.extend(chain_results),
                Some((failed, error)) => {
                    self.rollback(journal);
                    let failed_id = chain[failed].id.clone();
                    for (offset, t) in chain.iter().enumerate() {
                        results.push(Err(if offset == failed {
                            error.clone()
                        } else {
                            LedgerError::LinkedEventFailed {
                                transfer_id: t.id.clone(),
                                failed_transfer_id: failed_id.clone(),
                            }
                        }));
                    }
                }
            }
            start = end;
        }
        results
    }

    /// A working ledger over part of the stored books, for applying new transfers: the
    /// accounts they touch with their current totals, the already-recorded transfers they
    /// may repeat (for idempotency) or resolve (pending ones), and how those pending
    /// transfers were resolved. Nothing is replayed, so [`Ledger::verify`] is meaningless on
    /// a snapshot; the full books are verified with [`Ledger::restore`].
    pub fn snapshot(
        accounts: impl IntoIterator<Item = Account>,
        recorded: impl IntoIterator<Item = Transfer>,
        resolutions: impl IntoIterator<Item = PendingResolution>,
    ) -> Ledger {
        let mut ledger = Ledger::new();
        for account in accounts {
            ledger.accounts.insert(account.id.clone(), account);
        }
        for transfer in recorded {
            if !ledger.index.contains_key(&transfer.id) {
                ledger.index.insert(transfer.id.clone(), ledger.transfers.len());
                ledger.transfers.push(transfer);
            }
        }
        for resolution in resolutions {
            ledger.resolutions.insert(resolution.pending_id.clone(), resolution);
        }
        ledger
    }

    /// Rebuilds a ledger from account definitions (their totals are ignored and start
    /// at zero) and the recorded transfers in their original order. Linked flags are
    /// ignored: recorded transfers were all committed.
    pub fn replay(accounts: impl IntoIterator<Item = Account>, transfers: &[Transfer]) -> Result<Ledger, LedgerError> {
        let mut ledger = Ledger::new();
        for account in accounts {
            ledger.create_account(account.opening())?;
        }
        for (index, transfer) in transfers.iter().enumerate() {
            let mut journal = Vec::new();
            match ledger.apply(index, transfer, &mut journal)? {
                TransferOutcome::Created => {}
                TransferOutcome::AlreadyApplied => {
                    return Err(LedgerError::ReplayDuplicateTransfer { transfer_id: transfer.id.clone() });
                }
            }
        }
        Ok(ledger)
    }

    /// Rebuilds a ledger from a stored state (accounts with their recorded totals, and
    /// the transfers in order) and checks that the recorded totals are exactly what the
    /// transfers produce, then [verifies](Ledger::verify) the result.
    pub fn restore(
        accounts: impl IntoIterator<Item = Account>,
        transfers: &[Transfer],
    ) -> Result<Ledger, Vec<InvariantViolation>> {
        let accounts: Vec<Account> = accounts.into_iter().collect();
        let ledger = Ledger::replay(accounts.iter().cloned(), transfers).map_err(|e| vec![replay_failed(&e)])?;
        let mut violations = Vec::new();
        for recorded in &accounts {
            let replayed = ledger.account(&recorded.id).map(Account::balances).unwrap_or_default();
            if recorded.balances() != replayed {
                violations.push(InvariantViolation::BalanceMismatch {
                    account_id: recorded.id.clone(),
                    recorded: recorded.balances(),
                    replayed,
                });
            }
        }
        if let Err(more) = ledger.verify() {
            violations.extend(more);
        }
        if violations.is_empty() {
            Ok(ledger)
        } else {
            Err(violations)
        }
    }

    /// Checks every invariant, reporting all violations at once:
    ///
    /// - total posted debits equal total posted credits, and the same for pending;
    /// - every account's totals are non-negative and within its flags;
    /// - every account's totals equal a replay of all transfers from zero, and so do
    ///   the pending resolutions;
    /// - no pending transfer is resolved more than once.
    pub fn verify(&self) -> Result<(), Vec<InvariantViolation>> {
        let mut violations = Vec::new();

        let (mut dp, mut cp, mut dq, mut cq) = (0i128, 0i128, 0i128, 0i128);
        for a in self.accounts.values() {
            dp += i128::from(a.debits_posted);
            cp += i128::from(a.credits_posted);
            dq += i128::from(a.debits_pending);
            cq += i128::from(a.credits_pending);
        }
        if dp != cp {
            violations.push(InvariantViolation::PostedTotalsDiffer { debits: dp, credits: cp });
        }
        if dq != cq {
            violations.push(InvariantViolation::PendingTotalsDiffer { debits: dq, credits: cq });
        }

        for a in self.accounts.values() {
            if !a.within_limits() {
                violations.push(InvariantViolation::LimitExceeded { account_id: a.id.clone() });
            }
        }

        let mut resolution_counts: BTreeMap<&str, usize> = BTreeMap::new();
        for t in &self.transfers {
            if let (true, Some(pending_id)) = (t.is_resolution(), t.pending_id.as_deref()) {
                *resolution_counts.entry(pending_id).or_default() += 1;
            }
        }
        for (pending_id, count) in resolution_counts {
            if count > 1 {
                violations
                    .push(InvariantViolation::PendingResolvedMoreThanOnce { pending_id: pending_id.to_owned(), count });
            }
        }

        match Ledger::replay(self.accounts.values().cloned(), &self.transfers) {
            Ok(replayed) => {
                for a in self.accounts.values() {
                    let expected = replayed.account(&a.id).map(Account::balances).unwrap_or_default();
                    if a.balances() != expected {
                        violations.push(InvariantViolation::BalanceMismatch {
                            account_id: a.id.clone(),
                            recorded: a.balances(),
                            replayed: expected,
                        });
                    }
                }
                let keys: std::collections::BTreeSet<&String> =
                    self.resolutions.keys().chain(replayed.resolutions.keys()).collect();
                for key in keys {
                    if self.resolutions.get(key) != replayed.resolutions.get(key) {
                        violations.push(InvariantViolation::ResolutionMismatch { pending_id: key.clone() });
                    }
                }
            }
            Err(e) => violations.push(replay_failed(&e)),
        }

        if violations.is_empty() {
            Ok(())
        } else {
            Err(violations)
        }
    }

    pub fn account(&self, id: &str) -> Option<&Account> {
        self.accounts.get(id)
    }

    /// All accounts, ordered by id.
    pub fn accounts(&self) -> impl Iterator<Item = &Account> {
        self.accounts.values()
    }

    pub fn transfer(&self, id: &str) -> Option<&Transfer> {
        self.index.get(id).and_then(|&i| self.transfers.get(i))
    }

    /// All recorded transfers in the order they were applied. Posts and voids carry
    /// their effective amount.
    pub fn transfers(&self) -> &[Transfer] {
        &self.transfers
    }

    /// `None` unless `id` is a recorded pending transfer.
    pub fn pending_status(&self, id: &str) -> Option<PendingStatus> {
        let transfer = self.transfer(id)?;
        if !transfer.flags.pending {
            return None;
        }
        Some(self.resolutions.get(id).map_or(PendingStatus::Pending, |r| r.status))
    }

    /// How the pending transfer `pending_id` was resolved, if it was.
    pub fn resolution(&self, pending_id: &str) -> Option<&PendingResolution> {
        self.resolutions.get(pending_id)
    }

    /// Every resolution, ordered by pending id.
    pub fn resolutions(&self) -> impl Iterator<Item = &PendingResolution> {
        self.resolutions.values()
    }

    /// The transfer as it would be recorded: a post or void with amount 0 gets the
    /// pending amount.
    fn normalize(&self, transfer: &Transfer) -> Transfer {
        let mut normalized = transfer.clone();
        if transfer.is_resolution() && transfer.amount == 0 {
            if let Some(pending) = transfer.pending_id.as_deref().and_then(|p| self.transfer(p)) {
                normalized.amount = pending.amount;
            }
        }
        normalized
    }

    /// Validates and applies one transfer, recording undo information in `journal`.
    /// On error nothing has changed.
    fn apply(
        &mut self,
        index: usize,
        transfer: &Transfer,
        journal: &mut Vec<Undo>,
    ) -> Result<TransferOutcome, LedgerError> {
        if transfer.id.is_empty() {
            return Err(LedgerError::TransferIdEmpty { index });
        }
        let transfer_id = || transfer.id.clone();

        if let Some(existing) = self.transfer(&transfer.id) {
            return if *existing == self.normalize(transfer) {
                Ok(TransferOutcome::AlreadyApplied)
            } else {
                Err(LedgerError::ExistsWithDifferentBody { transfer_id: transfer_id() })
            };
        }

        let flags = transfer.flags;
        if [flags.pending, flags.post_pending, flags.void_pending].into_iter().filter(|f| *f).count() > 1 {
            return Err(LedgerError::FlagsAreMutuallyExclusive { transfer_id: transfer_id() });
        }
        let resolving = transfer.is_resolution();
        match (transfer.pending_id.as_deref(), resolving) {
            (None, true) => return Err(LedgerError::PendingIdRequired { transfer_id: transfer_id() }),
            (Some(_), false) => return Err(LedgerError::PendingIdMustBeAbsent { transfer_id: transfer_id() }),
            (Some(p), true) if p == transfer.id => {
                return Err(LedgerError::PendingIdSameAsId { transfer_id: transfer_id() })
            }
            _ => {}
        }
        if transfer.amount < 0 || (transfer.amount == 0 && !resolving) {
            return Err(LedgerError::AmountMustBePositive { transfer_id: transfer_id() });
        }
        if transfer.amount > Money::MAX_FEN {
            return Err(LedgerError::AmountTooLarge { transfer_id: transfer_id() });
        }
        if transfer.debit_account_id == transfer.credit_account_id {
            return Err(LedgerError::AccountsMustBeDifferent { transfer_id: transfer_id() });
        }
        let debit = self.accounts.get(&transfer.debit_account_id).cloned().ok_or_else(|| {
            LedgerError::DebitAccountNotFound {
                transfer_id: transfer_id(),
                account_id: transfer.debit_account_id.clone(),
            }
        })?;
        let credit = self.accounts.get(&transfer.credit_account_id).cloned().ok_or_else(|| {
            LedgerError::CreditAccountNotFound {
                transfer_id: transfer_id(),
                account_id: transfer.credit_account_id.clone(),
            }
        })?;

        let mut new_debit = debit.clone();
        let mut new_credit = credit.clone();
        let mut recorded = transfer.clone();
        let mut resolution = None;
        let overflow_debit = || LedgerError::Overflow { transfer_id: transfer_id(), account_id: debit.id.clone() };
        let overflow_credit = || LedgerError::Overflow { transfer_id: transfer_id(), account_id: credit.id.clone() };

        if let (true, Some(pending_id)) = (resolving, transfer.pending_id.as_deref()) {
            let pending_err = |make: fn(String, String) -> LedgerError| make(transfer_id(), pending_id.to_owned());
            let pending = self.transfer(pending_id).ok_or_else(|| {
                pending_err(|transfer_id, pending_id| LedgerError::PendingTransferNotFound { transfer_id, pending_id })
            })?;
            if !pending.flags.pending {
                return Err(pending_err(|transfer_id, pending_id| LedgerError::PendingTransferNotPending {
                    transfer_id,
                    pending_id,
                }));
            }
            if pending.debit_account_id != transfer.debit_account_id
                || pending.credit_account_id != transfer.credit_account_id
            {
                return Err(pending_err(|transfer_id, pending_id| LedgerError::PendingTransferHasDifferentAccounts {
                    transfer_id,
                    pending_id,
                }));
            }
            if pending.kind != transfer.kind {
                return Err(pending_err(|transfer_id, pending_id| LedgerError::PendingTransferHasDifferentKind {
                    transfer_id,
                    pending_id,
                }));
            }
            if let Some(done) = self.resolutions.get(pending_id) {
                return Err(LedgerError::PendingAlreadyResolved {
                    transfer_id: transfer_id(),
                    pending_id: pending_id.to_owned(),
                    status: done.status,
                });
            }
            let pending_amount = pending.amount;
            let amount = if transfer.amount == 0 { pending_amount } else { transfer.amount };
            if flags.post_pending && amount > pending_amount {
                return Err(LedgerError::ExceedsPendingAmount {
                    transfer_id: transfer_id(),
                    pending_id: pending_id.to_owned(),
                    amount,
                    pending_amount,
                });
            }
            if flags.void_pending && amount != pending_amount {
                return Err(LedgerError::PendingTransferHasDifferentAmount {
                    transfer_id: transfer_id(),
                    pending_id: pending_id.to_owned(),
                    pending_amount,
                });
            }
            recorded.amount = amount;
            new_debit.debits_pending = debit.debits_pending.checked_sub(pending_amount).ok_or_else(overflow_debit)?;
            new_credit.credits_pending =
                credit.credits_pending.checked_sub(pending_amount).ok_or_else(overflow_credit)?;
            let posted = if flags.post_pending { amount } else { 0 };
            new_debit.debits_posted = debit.debits_posted.checked_add(posted).ok_or_else(overflow_debit)?;
            new_credit.credits_posted = credit.credits_posted.checked_add(posted).ok_or_else(overflow_credit)?;
            resolution = Some(PendingResolution {
                pending_id: pending_id.to_owned(),
                resolved_by: transfer.id.clone(),
                status: if flags.post_pending { PendingStatus::Posted } else { PendingStatus::Voided },
                amount: posted,
            });
        } else {
            let amount = i128::from(transfer.amount);
            if debit.flags.debits_must_not_exceed_credits
                && i128::from(debit.debits_posted) + i128::from(debit.debits_pending) + amount
                    > i128::from(debit.credits_posted)
            {
                return Err(LedgerError::ExceedsCredits { transfer_id: transfer_id(), account_id: debit.id.clone() });
            }
            if credit.flags.credits_must_not_exceed_debits
                && i128::from(credit.credits_posted) + i128::from(credit.credits_pending) + amount
                    > i128::from(credit.debits_posted)
            {
                return Err(LedgerError::ExceedsDebits { transfer_id: transfer_id(), account_id: credit.id.clone() });
            }
            if flags.pending {
                new_debit.debits_pending =
                    debit.debits_pending.checked_add(transfer.amount).ok_or_else(overflow_debit)?;
                new_credit.credits_pending =
                    credit.credits_pending.checked_add(transfer.amount).ok_or_else(overflow_credit)?;
            } else {
                new_debit.debits_posted =
                    debit.debits_posted.checked_add(transfer.amount).ok_or_else(overflow_debit)?;
                new_credit.credits_posted =
                    credit.credits_posted.checked_add(transfer.amount).ok_or_else(overflow_credit)?;
            }
        }

        // Every check passed: commit, remembering how to undo.
        journal.push(Undo::Account(debit));
        journal.push(Undo::Account(credit));
        self.accounts.insert(new_debit.id.clone(), new_debit);
        self.accounts.insert(new_credit.id.clone(), new_credit);
        if let Some(resolution) = resolution {
            journal.push(Undo::Resolution(resolution.pending_id.clone()));
            self.resolutions.insert(resolution.pending_id.clone(), resolution);
        }
        self.index.insert(recorded.id.clone(), self.transfers.len());
        self.transfers.push(recorded);
        journal.push(Undo::Transfer);
        Ok(TransferOutcome::Created)
    }

    /// Undoes the changes of `journal`, newest first.
    fn rollback(&mut self, journal: Vec<Undo>) {
        for undo in journal.into_iter().rev() {
            match undo {
                Undo::Account(account) => {
                    self.accounts.insert(account.id.clone(), account);
                }
                Undo::Transfer => {
                    if let Some(t) = self.transfers.pop() {
                        self.index.remove(&t.id);
                    }
                }
                Undo::Resolution(pending_id) => {
                    self.resolutions.remove(&pending_id);
                }
            }
        }
    }
}

fn replay_failed(error: &LedgerError) -> InvariantViolation {
    InvariantViolation::ReplayFailed { error_code: error.code().to_owned(), message: error.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::AccountFlags;
    use crate::transfer::{TransferFlags, TransferKind};

    const POOL: &str = "pool";
    const CLEARING: &str = "clearing";
    const BOND: &str = "bond:s1:p1";
    const BOND2: &str = "bond:s1:p2";
    const PAYABLE: &str = "payable:s1";

    fn ledger() -> Ledger {
        let mut l = Ledger::new();
        l.create_account(Account::new(POOL, AccountKind::BondPool)).unwrap();
        l.create_account(Account::new(CLEARING, AccountKind::BankClearing)).unwrap();
        l.create_account(Account::bidder_bond(BOND, "p1", "s1")).unwrap();
        l.create_account(Account::bidder_bond(BOND2, "p2", "s1")).unwrap();
        l.create_account(Account::tenderer_payable(PAYABLE, "t1", "s1")).unwrap();
        l
    }

    fn deposit(id: &str, amount: i64) -> Transfer {
        Transfer::new(id, POOL, BOND, amount, TransferKind::Deposit)
    }

    fn refund(id: &str, amount: i64) -> Transfer {
        Transfer::new(id, BOND, POOL, amount, TransferKind::Refund)
    }

    fn one(l: &mut Ledger, t: Transfer) -> Result<TransferOutcome, LedgerError> {
        l.create_transfers(&[t]).map(|o| o[0])
    }

    fn code(r: Result<TransferOutcome, LedgerError>) -> &'static str {
        r.unwrap_err().code()
    }

    fn bal(l: &Ledger, id: &str) -> (i64, i64, i64, i64) {
        let a = l.account(id).unwrap();
        (a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending)
    }

    #[test]
    fn account_creation_rules() {
        let mut l = ledger();
        assert_eq!(l.create_account(Account::new("", AccountKind::BankClearing)), Err(LedgerError::AccountIdEmpty));
        let both = AccountFlags { debits_must_not_exceed_credits: true, credits_must_not_exceed_debits: true };
        assert_eq!(
            l.create_account(Account::new("x", AccountKind::BankClearing).with_flags(both)).unwrap_err().code(),
            "account_flags_are_mutually_exclusive"
        );
        let mut funded = Account::new("y", AccountKind::BankClearing);
        funded.credits_pending = 1;
        assert_eq!(l.create_account(funded).unwrap_err().code(), "account_balances_must_be_zero");
        assert_eq!(
            l.create_account(Account::new("z", AccountKind::BidderBond)).unwrap_err().code(),
            "bond_account_needs_owner_and_section"
        );
        assert_eq!(
            l.create_account(Account::new("z", AccountKind::BidderBond).with_owner("p").with_section(""))
                .unwrap_err()
                .code(),
            "bond_account_needs_owner_and_section"
        );

        // Idempotent, even after the account has moved.
        one(&mut l, deposit("d1", 100)).unwrap();
        assert_eq!(l.create_account(Account::bidder_bond(BOND, "p1", "s1")), Ok(()));
        assert_eq!(bal(&l, BOND), (0, 100, 0, 0));
        let err = l.create_account(Account::bidder_bond(BOND, "p9", "s1")).unwrap_err();
        assert_eq!(err, LedgerError::AccountExists { account_id: BOND.into() });
        assert!(err.to_string().contains("已存在"));
        assert!(l.verify().is_ok());
    }

    #[test]
    fn deposit_refund_and_idempotency() {
        let mut l = ledger();
        assert_eq!(one(&mut l, deposit("d1", 500)), Ok(TransferOutcome::Created));
        assert_eq!(one(&mut l, deposit("d1", 500)), Ok(TransferOutcome::AlreadyApplied));
        assert_eq!(bal(&l, BOND), (0, 500, 0, 0));
        assert_eq!(bal(&l, POOL), (500, 0, 0, 0));
        assert_eq!(l.transfers().len(), 1);
        let err = one(&mut l, deposit("d1", 501)).unwrap_err();
        assert_eq!(err, LedgerError::ExistsWithDifferentBody { transfer_id: "d1".into() });
        assert_eq!(code(one(&mut l, deposit("d1", 500).with_reason("x"))), "exists_with_different_body");
        // Same id for a different kind of operation is also a different body.
        assert_eq!(code(one(&mut l, refund("d1", 500))), "exists_with_different_body");
        assert_eq!(one(&mut l, refund("r1", 500)), Ok(TransferOutcome::Created));
        assert!(l.account(BOND).unwrap().is_settled());
        assert!(l.verify().is_ok());
    }

    #[test]
    fn validation_errors() {
        let mut l = ledger();
        one(&mut l, deposit("d0", 1_000)).unwrap();
        let before = l.clone();
        let cases: Vec<(Transfer, &str)> = vec![
            (deposit("", 1), "transfer_id_empty"),
            (
                Transfer {
                    flags: TransferFlags { pending: true, post_pending: true, ..Default::default() },
                    ..deposit("f", 1)
                },
                "flags_are_mutually_exclusive",
            ),
            (
                Transfer {
                    flags: TransferFlags { post_pending: true, void_pending: true, ..Default::default() },
                    pending_id: Some("d0".into()),
                    ..deposit("f", 1)
                },
                "flags_are_mutually_exclusive",
            ),
            (
                Transfer { flags: TransferFlags { post_pending: true, ..Default::default() }, ..deposit("f", 1) },
                "pending_id_required",
            ),
            (
                Transfer { flags: TransferFlags { void_pending: true, ..Default::default() }, ..deposit("f", 1) },
                "pending_id_required",
            ),
            (Transfer { pending_id: Some("d0".into()), ..deposit("f", 1) }, "pending_id_must_be_absent"),
            (
                Transfer {
                    flags: TransferFlags { post_pending: true, ..Default::default() },
                    pending_id: Some("f".into()),
                    ..deposit("f", 1)
                },
                "pending_id_same_as_id",
            ),
            (deposit("f", 0), "amount_must_be_positive"),
            (deposit("f", -5), "amount_must_be_positive"),
            (deposit("f", 0).into_pending(), "amount_must_be_positive"),
            (deposit("f", Money::MAX_FEN + 1), "amount_too_large"),
            (Transfer::new("f", POOL, POOL, 1, TransferKind::Deposit), "accounts_must_be_different"),
            (Transfer::new("f", "nope", BOND, 1, TransferKind::Deposit), "debit_account_not_found"),
            (Transfer::new("f", POOL, "nope", 1, TransferKind::Deposit), "credit_account_not_found"),
            (Transfer::post("f", &deposit("missing", 1).into_pending(), 0), "pending_transfer_not_found"),
            (Transfer::post("f", &deposit("d0", 1_000), 0), "pending_transfer_not_pending"),
            (Transfer::void("f", &deposit("d0", 1_000)), "pending_transfer_not_pending"),
            (refund("f", 1_001), "exceeds_credits"),
            (refund("f", 1_001).into_pending(), "exceeds_credits"),
            // The pool holds 1,000; paying out 1,001 from it would overdraw it.
            (Transfer::new("f", CLEARING, POOL, 1_001, TransferKind::Correction), "exceeds_debits"),
        ];
        for (t, expected) in cases {
            let err = one(&mut l, t.clone()).unwrap_err();
            assert_eq!(err.code(), expected, "{t:?}");
            assert!(!err.to_string().is_empty());
            assert_eq!(l, before, "a refused transfer changed the ledger: {t:?}");
        }
        assert_eq!(
            one(&mut l, deposit("", 1)).unwrap_err(),
            LedgerError::TransferIdEmpty { index: 0 },
            "the index names the position in the batch"
        );
        let err = l.create_transfers(&[deposit("a", 1), deposit("", 1)]).unwrap_err();
        assert_eq!(err, LedgerError::TransferIdEmpty { index: 1 });
        assert!(l.verify().is_ok());
    }

    #[test]
    fn limits_count_pending_amounts() {
        let mut l = ledger();
        one(&mut l, deposit("d", 1_000)).unwrap();
        one(&mut l, refund("p1", 600).into_pending()).unwrap();
        assert_eq!(bal(&l, BOND), (0, 1_000, 600, 0));
        assert_eq!(l.account(BOND).unwrap().available_credit_balance(), 400);
        assert_eq!(
            one(&mut l, refund("p2", 401).into_pending()).unwrap_err(),
            LedgerError::ExceedsCredits { transfer_id: "p2".into(), account_id: BOND.into() }
        );
        assert_eq!(code(one(&mut l, refund("r", 401))), "exceeds_credits");
        assert_eq!(one(&mut l, refund("r", 400)), Ok(TransferOutcome::Created));
        // Pool: 1,000 in, 400 out posted, 600 reserved.
        assert_eq!(bal(&l, POOL), (1_000, 400, 0, 600));
        assert!(l.verify().is_ok());
    }

    #[test]
    fn pending_post_in_full_and_idempotent_resend() {
        let mut l = ledger();
        one(&mut l, deposit("d", 1_000)).unwrap();
        let p = refund("p", 1_000).into_pending();
        one(&mut l, p.clone()).unwrap();
        assert_eq!(l.pending_status("p"), Some(PendingStatus::Pending));
        assert_eq!(l.pending_status("d"), None);
        assert_eq!(l.pending_status("nope"), None);
        assert_eq!(one(&mut l, Transfer::post("q", &p, 0)), Ok(TransferOutcome::Created));
        assert_eq!(bal(&l, BOND), (1_000, 1_000, 0, 0));
        assert_eq!(bal(&l, POOL), (1_000, 1_000, 0, 0));
        assert_eq!(l.transfer("q").unwrap().amount, 1_000, "recorded with its effective amount");
        assert_eq!(l.pending_status("p"), Some(PendingStatus::Posted));
        assert_eq!(
            l.resolution("p"),
            Some(&PendingResolution {
                pending_id: "p".into(),
                resolved_by: "q".into(),
                status: PendingStatus::Posted,
                amount: 1_000
            })
        );
        // Resending with amount 0 or the explicit full amount is the same request.
        assert_eq!(one(&mut l, Transfer::post("q", &p, 0)), Ok(TransferOutcome::AlreadyApplied));
        assert_eq!(one(&mut l, Transfer::post("q", &p, 1_000)), Ok(TransferOutcome::AlreadyApplied));
        assert_eq!(code(one(&mut l, Transfer::post("q", &p, 999))), "exists_with_different_body");
        // A second resolution under another id is refused.
        assert_eq!(
            one(&mut l, Transfer::void("v", &p)).unwrap_err(),
            LedgerError::PendingAlreadyResolved {
                transfer_id: "v".into(),
                pending_id: "p".into(),
                status: PendingStatus::Posted
            }
        );
        assert_eq!(code(one(&mut l, Transfer::post("q2", &p, 0))), "pending_already_resolved");
        assert_eq!(l.resolutions().count(), 1);
        assert!(l.verify().is_ok());
    }

    #[test]
    fn partial_post_releases_the_rest() {
        let mut l = ledger();
        one(&mut l, deposit("d", 1_000)).unwrap();
        let p = refund("p", 800).into_pending();
        one(&mut l, p.clone()).unwrap();
        assert_eq!(
            one(&mut l, Transfer::post("q", &p, 801)).unwrap_err(),
            LedgerError::ExceedsPendingAmount {
                transfer_id: "q".into(),
                pending_id: "p".into(),
                amount: 801,
                pending_amount: 800
            }
        );
        one(&mut l, Transfer::post("q", &p, 300)).unwrap();
        assert_eq!(bal(&l, BOND), (300, 1_000, 0, 0));
        assert_eq!(l.resolution("p").unwrap().amount, 300);
        assert!(l.verify().is_ok());
    }

    #[test]
    fn void_releases_and_resolves_once() {
        let mut l = ledger();
        one(&mut l, deposit("d", 1_000)).unwrap();
        let p = refund("p", 700).into_pending();
        one(&mut l, p.clone()).unwrap();
        let mut wrong = Transfer::void("v", &p);
        wrong.amount = 5;
        assert_eq!(code(one(&mut l, wrong)), "pending_transfer_has_different_amount");
        let mut zero = Transfer::void("v", &p);
        zero.amount = 0;
        assert_eq!(one(&mut l, zero.clone()), Ok(TransferOutcome::Created));
        assert_eq!(one(&mut l, zero), Ok(TransferOutcome::AlreadyApplied));
        assert_eq!(one(&mut l, Transfer::void("v", &p)), Ok(TransferOutcome::AlreadyApplied));
        assert_eq!(bal(&l, BOND), (0, 1_000, 0, 0));
        assert_eq!(l.pending_status("p"), Some(PendingStatus::Voided));
        assert_eq!(code(one(&mut l, Transfer::post("q", &p, 0))), "pending_already_resolved");
        assert_eq!(code(one(&mut l, Transfer::void("v2", &p))), "pending_already_resolved");
        assert!(l.verify().is_ok());
    }

    #[test]
    fn post_or_void_must_match_the_pending_transfer() {
        let mut l = ledger();
        one(&mut l, deposit("d", 1_000)).unwrap();
        let p = refund("p", 100).into_pending();
        one(&mut l, p.clone()).unwrap();
        let mut other_account = Transfer::post("q", &p, 0);
        other_account.debit_account_id = BOND2.into();
        assert_eq!(code(one(&mut l, other_account)), "pending_transfer_has_different_accounts");
        let mut swapped = Transfer::void("q", &p);
        std::mem::swap(&mut swapped.debit_account_id, &mut swapped.credit_account_id);
        assert_eq!(code(one(&mut l, swapped)), "pending_transfer_has_different_accounts");
        let mut other_kind = Transfer::post("q", &p, 0);
        other_kind.kind = TransferKind::Forfeit;
        assert_eq!(code(one(&mut l, other_kind)), "pending_transfer_has_different_kind");
        assert_eq!(l.pending_status("p"), Some(PendingStatus::Pending));
    }

    #[test]
    fn overflow_is_refused() {
        let mut l = ledger();
        l.create_account(Account::new("c2", AccountKind::BankClearing)).unwrap();
        // Reaching i64::MAX takes ~9,224 maximal transfers; start near it instead.
        if let Some(a) = l.accounts.get_mut(CLEARING) {
            a.debits_posted = i64::MAX - 10;
        }
        let before = l.clone();
        let err = one(&mut l, Transfer::new("m", CLEARING, "c2", 11, TransferKind::Correction)).unwrap_err();
        assert_eq!(err, LedgerError::Overflow { transfer_id: "m".into(), account_id: CLEARING.into() });
        assert_eq!(l, before);
        // Pending totals are separate: the same amount can still be reserved.
        let p = Transfer::new("p", CLEARING, "c2", 11, TransferKind::Correction).into_pending();
        assert_eq!(one(&mut l, p.clone()), Ok(TransferOutcome::Created));
        // Posting it would overflow the posted debits.
        assert_eq!(code(one(&mut l, Transfer::post("q", &p, 0))), "overflow");
        assert_eq!(one(&mut l, Transfer::void("q", &p)), Ok(TransferOutcome::Created));
        assert_eq!(
            one(&mut l, Transfer::new("m", CLEARING, "c2", 10, TransferKind::Correction)),
            Ok(TransferOutcome::Created)
        );
    }

    #[test]
    fn batch_is_all_or_nothing() {
        let mut l = ledger();
        let before = l.clone();
        let err = l.create_transfers(&[deposit("d1", 100), refund("r1", 100), refund("r2", 1)]).unwrap_err();
        assert_eq!(err, LedgerError::ExceedsCredits { transfer_id: "r2".into(), account_id: BOND.into() });
        assert_eq!(err.transfer_id(), Some("r2"));
        assert_eq!(l, before);
        assert!(l.transfer("d1").is_none());

        assert_eq!(
            l.create_transfers(&[deposit("d1", 100).into_linked()]).unwrap_err(),
            LedgerError::LinkedChainOpen { transfer_id: "d1".into() }
        );
        assert_eq!(l, before);
        assert_eq!(l.create_transfers(&[]), Ok(vec![]));

        let outcomes = l.create_transfers(&[deposit("d1", 100), deposit("d1", 100), refund("r1", 100)]).unwrap();
        assert_eq!(outcomes, vec![TransferOutcome::Created, TransferOutcome::AlreadyApplied, TransferOutcome::Created]);
        assert!(l.verify().is_ok());
    }

    #[test]
    fn linked_chains_per_event() {
        let mut l = ledger();
        let batch = vec![
            // Chain 1: deposit then an overdrawing refund: both refused.
            deposit("a1", 100).into_linked(),
            refund("a2", 200),
            // Chain 2 (lone): applied.
            deposit("b1", 50),
            // Chain 3: a pending refund and its post in one chain: applied.
            refund("c1", 50).into_pending().into_linked(),
            Transfer::post("c2", &refund("c1", 50).into_pending(), 0),
            // Chain 4: open at the end of the batch.
            deposit("d1", 1).into_linked(),
            deposit("d2", 1).into_linked(),
        ];
        let results = l.create_transfers_each(&batch);
        assert_eq!(results.len(), batch.len());
        assert_eq!(
            results[0],
            Err(LedgerError::LinkedEventFailed { transfer_id: "a1".into(), failed_transfer_id: "a2".into() })
        );
        assert_eq!(results[1], Err(LedgerError::ExceedsCredits { transfer_id: "a2".into(), account_id: BOND.into() }));
        assert_eq!(results[2], Ok(TransferOutcome::Created));
        assert_eq!(results[3], Ok(TransferOutcome::Created));
        assert_eq!(results[4], Ok(TransferOutcome::Created));
        assert_eq!(
            results[5],
            Err(LedgerError::LinkedEventFailed { transfer_id: "d1".into(), failed_transfer_id: "d2".into() })
        );
        assert_eq!(results[6], Err(LedgerError::LinkedChainOpen { transfer_id: "d2".into() }));
        assert!(l.transfer("a1").is_none() && l.transfer("d1").is_none());
        assert_eq!(l.transfers().iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["b1", "c1", "c2"]);
        assert_eq!(bal(&l, BOND), (50, 50, 0, 0));
        assert!(l.verify().is_ok());

        // The same chain through the all-or-nothing entry point refuses the whole batch.
        let before = l.clone();
        let err = l.create_transfers(&[deposit("e1", 10), deposit("e2", 10).into_linked(), refund("e3", 1_000)]);
        assert_eq!(err.unwrap_err().transfer_id(), Some("e3"));
        assert_eq!(l, before);
    }

    #[test]
    fn a_failed_chain_rolls_back_a_resolution() {
        let mut l = ledger();
        one(&mut l, deposit("d", 100)).unwrap();
        let p = refund("p", 100).into_pending();
        one(&mut l, p.clone()).unwrap();
        let results = l.create_transfers_each(&[Transfer::void("v", &p).into_linked(), refund("r", 101)]);
        assert_eq!(results[1].as_ref().unwrap_err().code(), "exceeds_credits");
        assert_eq!(l.pending_status("p"), Some(PendingStatus::Pending));
        assert!(l.resolution("p").is_none());
        assert!(l.verify().is_ok());
        // Now the void goes through on its own, then the full refund.
        assert_eq!(
            l.create_transfers_each(&[Transfer::void("v", &p), refund("r", 100)]),
            vec![Ok(TransferOutcome::Created), Ok(TransferOutcome::Created)]
        );
        assert!(l.account(BOND).unwrap().is_settled());
    }

    #[test]
    fn replay_and_restore() {
        let mut l = ledger();
        let p = refund("p", 300).into_pending();
        l.create_transfers(&[deposit("d", 1_000), p.clone(), Transfer::post("q", &p, 0), refund("r", 200)]).unwrap();
        let replayed = Ledger::replay(l.accounts().cloned(), l.transfers()).unwrap();
        assert_eq!(replayed, l);

        let restored = Ledger::restore(l.accounts().cloned(), l.transfers()).unwrap();
        assert_eq!(restored, l);

        let mut tampered: Vec<Account> = l.accounts().cloned().collect();
        for a in &mut tampered {
            if a.id == BOND {
                a.credits_posted += 1;
            }
        }
        let violations = Ledger::restore(tampered, l.transfers()).unwrap_err();
        assert_eq!(violations.len(), 1);
        assert_eq!(violations[0].code(), "balance_mismatch");

        let mut duplicated = l.transfers().to_vec();
        duplicated.push(duplicated[0].clone());
        assert_eq!(
            Ledger::replay(l.accounts().cloned(), &duplicated).unwrap_err(),
            LedgerError::ReplayDuplicateTransfer { transfer_id: "d".into() }
        );
        let violations = Ledger::restore(l.accounts().cloned(), &duplicated).unwrap_err();
        assert_eq!(violations[0].code(), "replay_failed");
    }

    #[test]
    fn verify_reports_every_broken_invariant() {
        let mut l = ledger();
        let p = refund("p", 300).into_pending();
        l.create_transfers(&[deposit("d", 1_000), p.clone(), Transfer::post("q", &p, 0)]).unwrap();
        assert!(l.verify().is_ok());

        // Edit the state behind the ledger's back.
        let mut broken = l.clone();
        if let Some(a) = broken.accounts.get_mut(BOND) {
            a.debits_posted += 5_000;
            a.debits_pending += 7;
        }
        let codes: Vec<&str> = broken.verify().unwrap_err().iter().map(InvariantViolation::code).collect();
        assert_eq!(codes, ["posted_totals_differ", "pending_totals_differ", "limit_exceeded", "balance_mismatch"]);

        // A second resolution smuggled into the log.
        let mut twice = l.clone();
        twice.transfers.push(Transfer::void("v", &p));
        let codes: Vec<&str> = twice.verify().unwrap_err().iter().map(InvariantViolation::code).collect();
        assert_eq!(codes, ["pending_resolved_more_than_once", "replay_failed"]);

        let mut forgotten = l.clone();
        forgotten.resolutions.clear();
        let codes: Vec<&str> = forgotten.verify().unwrap_err().iter().map(InvariantViolation::code).collect();
        assert_eq!(codes, ["resolution_mismatch"]);
    }
}
