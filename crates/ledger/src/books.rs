//! What the books say of a bond, a section and the whole ledger: the money a bond's account
//! holds and has on its way back, whether a section's bonds are all settled, and the
//! verification of every balance against the transfers, with the accounts a caller may not
//! count left out of the counts. The caller loads the accounts and transfers; nothing here
//! reads or writes.

use std::collections::HashSet;

use serde::Serialize;
use utoipa::ToSchema;

use crate::{Account, Ledger, Transfer};

/// The money of a bond's account as its bond shows it, in fen, never below zero.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BondHoldings {
    /// Held for the bidder now: the credit balance less what is on its way back.
    pub held: i64,
    /// On its way back under a pending refund.
    pub refund_pending: i64,
}

impl BondHoldings {
    /// The holdings of a bond account with these posted and pending totals; a bond whose
    /// account is missing holds nothing (`BondHoldings::default()`).
    pub fn of(credits_posted: i64, debits_posted: i64, debits_pending: i64) -> BondHoldings {
        let held = credits_posted.saturating_sub(debits_posted).saturating_sub(debits_pending);
        BondHoldings { held: held.max(0), refund_pending: debits_pending.max(0) }
    }
}

/// Whether a section's bonds are all settled.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BondClosure {
    pub section_id: String,
    pub bonds: usize,
    pub closed: bool,
    pub problems: Vec<String>,
}

/// One bond of a section as its closure looks at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClosingBond<'a> {
    pub id: &'a str,
    /// Whether the bond has its outcome (refunded, returned, forfeited or applied).
    pub has_outcome: bool,
}

/// Whether a section's bonds are settled: every bond account (`accounts`) at zero and every
/// bond with its outcome. Problems in that order: the accounts first, in the order given,
/// then the bonds.
pub fn section_closure(section_id: &str, accounts: &[Account], bonds: &[ClosingBond<'_>]) -> BondClosure {
    let mut problems: Vec<String> = Vec::new();
    for account in accounts {
        if !account.is_settled() {
            problems.push(format!("保证金账户 {} 余额未结清", account.id));
        }
    }
    for bond in bonds {
        if !bond.has_outcome {
            problems.push(format!("保证金 {} 尚无结果（退还或没收）", bond.id));
        }
    }
    BondClosure { section_id: section_id.to_owned(), bonds: bonds.len(), closed: problems.is_empty(), problems }
}

/// The result of verifying the books.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LedgerVerification {
    pub valid: bool,
    /// Accounts and transfers checked; over the API the bond accounts of sections not yet
    /// opened, and their transfers, are checked but not counted.
    pub accounts: usize,
    pub transfers: usize,
    /// Every violated invariant, described.
    pub violations: Vec<String>,
}

/// Recomputes every balance from the transfers and checks the invariants. The accounts in
/// `uncounted` (and every transfer touching one) are verified but not counted.
pub fn verify_books(accounts: Vec<Account>, transfers: &[Transfer], uncounted: &HashSet<String>) -> LedgerVerification {
    let counted_accounts = accounts.iter().filter(|a| !uncounted.contains(&a.id)).count();
    let counted_transfers = transfers
        .iter()
        .filter(|t| !uncounted.contains(&t.debit_account_id) && !uncounted.contains(&t.credit_account_id))
        .count();
    let violations = match Ledger::restore(accounts, transfers) {
        Ok(_) => Vec::new(),
        Err(violations) => violations.iter().map(|v| format!("{v:?}")).collect(),
    };
    LedgerVerification {
        valid: violations.is_empty(),
        accounts: counted_accounts,
        transfers: counted_transfers,
        violations,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{deposit, refund_pending, AccountKind};

    fn pool_and_bond() -> (Account, Account) {
        (Account::new("pool", AccountKind::BondPool), Account::bidder_bond("bond:1", "b1", "s1"))
    }

    #[test]
    fn a_bond_holds_its_credits_less_what_went_or_is_going_back() {
        assert_eq!(BondHoldings::of(1_000, 0, 0), BondHoldings { held: 1_000, refund_pending: 0 });
        // A pending refund of everything: nothing held, all on its way back.
        assert_eq!(BondHoldings::of(1_000, 0, 1_000), BondHoldings { held: 0, refund_pending: 1_000 });
        assert_eq!(BondHoldings::of(1_000, 400, 100), BondHoldings { held: 500, refund_pending: 100 });
        assert_eq!(BondHoldings::of(1_000, 1_000, 0), BondHoldings::default());
    }

    #[test]
    fn holdings_never_go_below_zero() {
        assert_eq!(BondHoldings::of(0, 500, 0), BondHoldings { held: 0, refund_pending: 0 });
        assert_eq!(BondHoldings::of(0, 0, -5), BondHoldings { held: 5, refund_pending: 0 });
        assert_eq!(BondHoldings::of(i64::MIN, i64::MAX, 0).held, 0);
    }

    #[test]
    fn a_section_closes_with_its_accounts_at_zero_and_every_bond_ended() {
        let (_, mut bond) = pool_and_bond();
        let settled = section_closure("s1", &[bond.clone()], &[ClosingBond { id: "1", has_outcome: true }]);
        assert!(settled.closed);
        assert_eq!((settled.section_id.as_str(), settled.bonds), ("s1", 1));
        assert!(settled.problems.is_empty());
        // No bond at all: closed.
        assert!(section_closure("s1", &[], &[]).closed);
        bond.credits_posted = 100;
        let open = section_closure("s1", &[bond], &[ClosingBond { id: "1", has_outcome: true }]);
        assert!(!open.closed);
        assert_eq!(open.problems, vec!["保证金账户 bond:1 余额未结清".to_owned()]);
    }

    #[test]
    fn every_problem_of_a_closure_is_named_accounts_first() {
        let (_, mut a) = pool_and_bond();
        a.credits_posted = 100;
        let mut b = Account::bidder_bond("bond:2", "b2", "s1");
        b.debits_pending = 100;
        let bonds = [
            ClosingBond { id: "1", has_outcome: false },
            ClosingBond { id: "2", has_outcome: true },
            ClosingBond { id: "3", has_outcome: false },
        ];
        let closure = section_closure("s1", &[a, b], &bonds);
        assert_eq!(closure.bonds, 3);
        assert!(!closure.closed);
        assert_eq!(
            closure.problems,
            vec![
                "保证金账户 bond:1 余额未结清".to_owned(),
                "保证金账户 bond:2 余额未结清".to_owned(),
                "保证金 1 尚无结果（退还或没收）".to_owned(),
                "保证金 3 尚无结果（退还或没收）".to_owned(),
            ]
        );
    }

    fn deposited() -> (Vec<Account>, Vec<Transfer>) {
        let (mut pool, mut bond) = pool_and_bond();
        pool.debits_posted = 1_000;
        bond.credits_posted = 1_000;
        (vec![pool, bond], vec![deposit("deposit:1", "pool", "bond:1", 1_000)])
    }

    #[test]
    fn books_that_replay_are_valid_and_everything_is_counted() {
        let (accounts, transfers) = deposited();
        let verified = verify_books(accounts, &transfers, &HashSet::new());
        assert!(verified.valid);
        assert_eq!((verified.accounts, verified.transfers), (2, 1));
        assert!(verified.violations.is_empty());
    }

    #[test]
    fn uncounted_accounts_and_their_transfers_are_verified_but_not_counted() {
        let (accounts, mut transfers) = deposited();
        transfers.push(refund_pending("refund:1:1", "bond:1", "pool", 1_000, "bond.central"));
        let mut accounts = accounts;
        accounts[0].credits_pending = 1_000;
        accounts[1].debits_pending = 1_000;
        let hidden = HashSet::from(["bond:1".to_owned()]);
        let verified = verify_books(accounts, &transfers, &hidden);
        assert!(verified.valid);
        assert_eq!((verified.accounts, verified.transfers), (1, 0));
    }

    #[test]
    fn books_that_do_not_replay_name_their_violations() {
        let (mut accounts, transfers) = deposited();
        accounts[1].credits_posted = 999;
        let verified = verify_books(accounts, &transfers, &HashSet::from(["bond:1".to_owned()]));
        assert!(!verified.valid);
        assert!(!verified.violations.is_empty());
        // Counting does not depend on validity.
        assert_eq!((verified.accounts, verified.transfers), (1, 0));
    }
}
