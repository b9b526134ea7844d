//! The bid-bond ledger of ggzy: double-entry accounts with posted and pending amounts,
//! immutable two-phase transfers, refunds, forfeits, interest and late fees, in the
//! manner of TigerBeetle (DESIGN.md, "The bond ledger"; rule `bond.central`).
//!
//! - [`account`]: account kinds, balance-limit flags and the debit/credit convention
//!   (money owed to a bidder is a credit balance on its bond account; the cash in the
//!   dedicated account is a debit balance on the pool);
//! - [`transfer`]: immutable transfers identified by a client id (idempotent), with
//!   pending / post / void and linked flags;
//! - [`ledger`]: the in-memory [`Ledger`] that applies batches of transfers with
//!   TigerBeetle semantics, replays them and verifies every invariant;
//! - [`bond`]: the bond life cycle on top (deposit, refund instruction, confirmation or
//!   failure, forfeit, interest, late fee), the one-outcome-per-bond check when a
//!   section closes, and the interest and late-fee arithmetic;
//! - [`lifecycle`]: the bond's status and the commands that move it, which refund rule a
//!   clock runs under, and what a refund adds to the principal;
//! - [`listing`]: a listing's deposits: who may quote, which go back when it ends and
//!   where the winner's goes;
//! - [`statement`]: a bank statement of the bond account matched against the bonds.
//!
//! Amounts are `i64` fen (分) throughout, as stored in the database; the API layer
//! converts to and from [`ggzy_kernel::Money`].
//!
//! Invariants, checked by [`Ledger::verify`] and by a model-based property test: total
//! debits equal total credits (posted and pending separately); no flagged account goes
//! over its limit, pending amounts included; every account equals a replay of all
//! transfers; a pending transfer is resolved at most once.
//!
//! The crate is pure: no I/O. The store layer mirrors the ledger in the database and can
//! rebuild it with [`Ledger::restore`].

pub mod account;
pub mod batch;
pub mod bond;
pub mod books;
pub mod error;
pub mod ledger;
pub mod lifecycle;
pub mod listing;
pub mod requests;
pub mod settlement;
pub mod statement;
pub mod transfer;

#[cfg(test)]
mod model_tests;

pub use account::{Account, AccountFlags, AccountKind, Balances};
pub use bond::{
    apply_to_price, bond_summary, correction, demand_deposit_interest, deposit, forfeit, fund_pool, interest_transfer,
    late_fee, late_fee_transfer, payout, refund, refund_pending, refund_post, refund_void, section_closed_ok,
    BondOutcome, BondSummary, DEMAND_DEPOSIT_BENCHMARK_BASIS_POINTS, LAST_PUBLISHED_LOAN_BENCHMARK_BASIS_POINTS,
};
pub use error::{InvariantViolation, LedgerError};
pub use ledger::{Ledger, PendingResolution, PendingStatus, TransferOutcome};
pub use lifecycle::{
    admit_deposit, plan_refund, refund_additions, refund_rule, withdrawal_refund_rule, BondCommand, BondForm,
    BondStateRefusal, BondStatus, DepositFacts, DepositRefusal, ForfeitReason, LateFee, OfferedBond, RefundAccounts,
    RefundAdditions, RefundClock, RefundFacts, RefundInstruction, RefundPlan, RefundTrigger,
};
pub use transfer::{Transfer, TransferFlags, TransferKind};
