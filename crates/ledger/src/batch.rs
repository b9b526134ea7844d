//! A batch of transfers applied to a snapshot of the books it touches: what must be read
//! (and locked) before, and what must be written after. The store holds the books; the
//! ledger decides on the snapshot.

use crate::account::Account;
use crate::error::LedgerError;
use crate::ledger::{Ledger, PendingResolution, TransferOutcome};
use crate::transfer::Transfer;

/// What a batch needs from the books before it is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchReads {
    /// The accounts it debits or credits, sorted, each once (the order they are locked in).
    pub account_ids: Vec<String>,
    /// Its own transfer ids and the pending transfers it resolves: whether it was applied
    /// before, and what it resolves.
    pub transfer_ids: Vec<String>,
    /// The pending transfers it resolves, whose resolutions tell whether they still may be.
    pub pending_ids: Vec<String>,
}

/// What a batch touches.
pub fn reads(transfers: &[Transfer]) -> BatchReads {
    let mut account_ids: Vec<String> =
        transfers.iter().flat_map(|t| [t.debit_account_id.clone(), t.credit_account_id.clone()]).collect();
    account_ids.sort();
    account_ids.dedup();
    let pending_ids: Vec<String> = transfers.iter().filter_map(|t| t.pending_id.clone()).collect();
    let mut transfer_ids: Vec<String> = transfers.iter().map(|t| t.id.clone()).collect();
    transfer_ids.extend(pending_ids.iter().cloned());
    BatchReads { account_ids, transfer_ids, pending_ids }
}

/// What an applied batch writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchWrites {
    /// Each transfer created now, as the ledger recorded it (a post or void with its
    /// effective amount), with the resolution it made of its pending transfer; a transfer
    /// applied before is not written again.
    pub created: Vec<(Transfer, Option<PendingResolution>)>,
    /// The new totals of every account the batch touches.
    pub accounts: Vec<Account>,
}

/// Applies `transfers` to `books`, a snapshot of what [`reads`] named, all or nothing.
pub fn apply(mut books: Ledger, transfers: &[Transfer], account_ids: &[String]) -> Result<BatchWrites, LedgerError> {
    let outcomes = books.create_transfers(transfers)?;
    let created = transfers
        .iter()
        .zip(outcomes)
        .filter(|(_, outcome)| *outcome == TransferOutcome::Created)
        .map(|(transfer, _)| {
            let recorded = books.transfer(&transfer.id).cloned().unwrap_or_else(|| transfer.clone());
            let resolution = recorded.pending_id.as_deref().and_then(|id| books.resolution(id)).cloned();
            (recorded, resolution)
        })
        .collect();
    let accounts = account_ids.iter().filter_map(|id| books.account(id).cloned()).collect();
    Ok(BatchWrites { created, accounts })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::AccountKind;
    use crate::bond::{deposit, refund_pending, refund_post};
    use crate::ledger::PendingStatus;

    const POOL: &str = "pool";
    const BOND: &str = "bond:b1";

    fn books(held: i64) -> Ledger {
        let mut pool = Account::new(POOL, AccountKind::BondPool);
        pool.debits_posted = held;
        let mut bond = Account::bidder_bond(BOND, "p1", "s1");
        bond.credits_posted = held;
        Ledger::snapshot([pool, bond], Vec::new(), Vec::new())
    }

    #[test]
    fn a_batch_reads_its_accounts_once_in_order_and_what_it_resolves() {
        let pending = refund_pending("refund:b1", BOND, POOL, 100, "bond.central");
        let batch = [deposit("deposit:b1", POOL, BOND, 100), refund_post("post:b1", &pending)];
        let reads = reads(&batch);
        assert_eq!(reads.account_ids, vec![BOND.to_owned(), POOL.to_owned()]);
        assert_eq!(reads.transfer_ids, vec!["deposit:b1".to_owned(), "post:b1".to_owned(), "refund:b1".to_owned()]);
        assert_eq!(reads.pending_ids, vec!["refund:b1".to_owned()]);
    }

    #[test]
    fn a_created_transfer_is_written_with_the_new_totals() {
        let batch = [deposit("deposit:b1", POOL, BOND, 500)];
        let writes = apply(books(0), &batch, &reads(&batch).account_ids).unwrap();
        assert_eq!(writes.created, vec![(batch[0].clone(), None)]);
        let totals: Vec<(String, i64, i64)> =
            writes.accounts.iter().map(|a| (a.id.clone(), a.debits_posted, a.credits_posted)).collect();
        assert_eq!(totals, vec![(BOND.to_owned(), 0, 500), (POOL.to_owned(), 500, 0)]);
    }

    #[test]
    fn a_post_is_written_with_its_effective_amount_and_resolution() {
        let pending = refund_pending("refund:b1", BOND, POOL, 300, "bond.central");
        let mut ledger = books(300);
        ledger.create_transfers(std::slice::from_ref(&pending)).unwrap();
        let post = Transfer::post("post:b1", &pending, 0);
        let batch = [post];
        let writes = apply(ledger, &batch, &reads(&batch).account_ids).unwrap();
        let [(recorded, resolution)] = writes.created.as_slice() else { panic!("one transfer created") };
        assert_eq!((recorded.id.as_str(), recorded.amount), ("post:b1", 300));
        let resolution = resolution.clone().unwrap();
        assert_eq!((resolution.pending_id.as_str(), resolution.status), ("refund:b1", PendingStatus::Posted));
    }

    #[test]
    fn a_transfer_applied_before_is_not_written_again() {
        let batch = [deposit("deposit:b1", POOL, BOND, 500)];
        let mut ledger = books(0);
        ledger.create_transfers(&batch).unwrap();
        let writes = apply(ledger, &batch, &reads(&batch).account_ids).unwrap();
        assert!(writes.created.is_empty());
        assert_eq!(writes.accounts.len(), 2);
    }

    #[test]
    fn a_refused_batch_writes_nothing() {
        let batch = [refund_pending("refund:b1", BOND, POOL, 900, "bond.central")];
        let refused = apply(books(100), &batch, &reads(&batch).account_ids);
        assert_eq!(refused.err().map(|e| e.code()), Some("exceeds_credits"));
    }
}
