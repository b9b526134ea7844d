//! Model-based property test of the ledger.
//!
//! Random sequences of operations (account creation, deposits, pending refunds, posts,
//! voids, forfeits, payouts, interest, late fees, exact resends, resends with another
//! body, overdrawing transfers, malformed transfers, linked chains, both batch entry
//! points) are applied to the [`Ledger`] and to a deliberately naive model: a list of
//! account definitions and a list of accepted transfers, whose balances are recomputed
//! from scratch by folding over that list. After every step the two must agree on
//! every acceptance and every error code, and the ledger must satisfy every invariant.

use std::collections::{BTreeMap, HashSet};

use ggzy_kernel::Money;
use proptest::prelude::*;

use crate::{
    Account, AccountFlags, AccountKind, Balances, Ledger, LedgerError, Transfer, TransferKind, TransferOutcome,
};

/// The account universe: (id, kind, owner, section). The last id is never created.
const SLOTS: [(&str, AccountKind, Option<&str>, Option<&str>); 11] = [
    ("pool", AccountKind::BondPool, None, None),
    ("clearing", AccountKind::BankClearing, None, None),
    ("interest", AccountKind::InterestExpense, None, None),
    ("late_fee", AccountKind::LateFeeExpense, None, None),
    ("payable:s1", AccountKind::TendererPayable, Some("t1"), Some("s1")),
    ("payable:s2", AccountKind::TendererPayable, Some("t2"), Some("s2")),
    ("bond:s1:p1", AccountKind::BidderBond, Some("p1"), Some("s1")),
    ("bond:s1:p2", AccountKind::BidderBond, Some("p2"), Some("s1")),
    ("bond:s2:p1", AccountKind::BidderBond, Some("p1"), Some("s2")),
    ("bond:s2:p3", AccountKind::BidderBond, Some("p3"), Some("s2")),
    ("ghost", AccountKind::BankClearing, None, None),
];
/// Created before the first operation; the others only by operations.
const INITIAL: [usize; 7] = [0, 1, 2, 3, 4, 6, 7];
const POOL: usize = 0;
const CLEARING: usize = 1;
const INTEREST: usize = 2;
const LATE_FEE: usize = 3;
const FIRST_PAYABLE: usize = 4;
const FIRST_BOND: usize = 6;

fn slot_account(slot: usize) -> Account {
    let (id, kind, owner, section) = SLOTS[slot % SLOTS.len()];
    let mut a = Account::new(id, kind);
    a.owner = owner.map(str::to_owned);
    a.section_id = section.map(str::to_owned);
    a
}

fn id_of(slot: usize) -> &'static str {
    SLOTS[slot % SLOTS.len()].0
}

#[derive(Debug, Clone)]
enum Item {
    Deposit {
        bond: usize,
        amount: i64,
    },
    Fund {
        amount: i64,
    },
    RefundPending {
        bond: usize,
        amount: i64,
    },
    Refund {
        bond: usize,
        amount: i64,
    },
    /// `amount`: 0 → 0 (full), 1 → the full amount, 2 → half, 3 → one more than pending.
    Post {
        pick: usize,
        amount: u8,
    },
    /// `amount`: 0 → 0, 1 → the full amount, 2 → a wrong amount.
    Void {
        pick: usize,
        amount: u8,
    },
    Forfeit {
        bond: usize,
        payable: usize,
        amount: i64,
    },
    Payout {
        payable: usize,
        amount: i64,
    },
    Interest {
        bond: usize,
        amount: i64,
    },
    LateFee {
        bond: usize,
        amount: i64,
    },
    ResendSame {
        pick: usize,
    },
    /// `change`: 0 → amount + 1, 1 → another reason, 2 → another kind.
    ResendDifferent {
        pick: usize,
        change: u8,
    },
    /// Anything at all, mostly invalid.
    Raw {
        debit: usize,
        credit: usize,
        amount: i64,
        flags: u8,
        pending: u8,
        pick: usize,
        kind: usize,
        empty_id: bool,
    },
}

#[derive(Debug, Clone)]
enum Op {
    /// `alter`: 0 → the slot's definition, 1 → another owner, 2 → both flags set.
    CreateAccount { slot: usize, alter: u8 },
    /// A batch; `each` picks `create_transfers_each` over `create_transfers`.
    Submit { items: Vec<(Item, bool)>, each: bool },
}

fn item() -> impl Strategy<Value = Item> {
    prop_oneof![
        4 => (0..4usize, 1..=5_000i64).prop_map(|(bond, amount)| Item::Deposit { bond, amount }),
        1 => (1..=500i64).prop_map(|amount| Item::Fund { amount }),
        3 => (0..4usize, 1..=6_000i64).prop_map(|(bond, amount)| Item::RefundPending { bond, amount }),
        2 => (0..4usize, 1..=6_000i64).prop_map(|(bond, amount)| Item::Refund { bond, amount }),
        3 => (any::<usize>(), 0..4u8).prop_map(|(pick, amount)| Item::Post { pick, amount }),
        2 => (any::<usize>(), 0..3u8).prop_map(|(pick, amount)| Item::Void { pick, amount }),
        2 => (0..4usize, 0..2usize, 1..=6_000i64)
            .prop_map(|(bond, payable, amount)| Item::Forfeit { bond, payable, amount }),
        1 => (0..2usize, 1..=3_000i64).prop_map(|(payable, amount)| Item::Payout { payable, amount }),
        1 => (0..4usize, 1..=300i64).prop_map(|(bond, amount)| Item::Interest { bond, amount }),
        1 => (0..4usize, 1..=300i64).prop_map(|(bond, amount)| Item::LateFee { bond, amount }),
        2 => any::<usize>().prop_map(|pick| Item::ResendSame { pick }),
        1 => (any::<usize>(), 0..3u8).prop_map(|(pick, change)| Item::ResendDifferent { pick, change }),
        2 => (
            0..SLOTS.len(),
            0..SLOTS.len(),
            -2..=3_000i64,
            0..8u8,
            0..3u8,
            any::<usize>(),
            0..TransferKind::ALL.len(),
            prop::bool::weighted(0.05),
        )
            .prop_map(|(debit, credit, amount, flags, pending, pick, kind, empty_id)| Item::Raw {
                debit,
                credit,
                amount,
                flags,
                pending,
                pick,
                kind,
                empty_id
            }),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        1 => (0..SLOTS.len() - 1, 0..3u8).prop_map(|(slot, alter)| Op::CreateAccount { slot, alter }),
        8 => (prop::collection::vec((item(), prop::bool::weighted(0.3)), 1..=3), any::<bool>())
            .prop_map(|(items, each)| Op::Submit { items, each }),
    ]
}

/// The naive model: account definitions and the accepted transfers, nothing else.
#[derive(Debug, Clone, Default)]
struct Model {
    accounts: Vec<Account>,
    accepted: Vec<Transfer>,
}

type Code = (&'static str, Option<String>);

impl Model {
    fn account(&self, id: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.id == id)
    }

    fn find(&self, id: &str) -> Option<&Transfer> {
        self.accepted.iter().find(|t| t.id == id)
    }

    fn resolutions_of(&self, pending_id: &str) -> usize {
        self.accepted.iter().filter(|t| t.is_resolution() && t.pending_id.as_deref() == Some(pending_id)).count()
    }

    /// Every account's totals, folded from the accepted transfers.
    fn balances(&self) -> BTreeMap<String, Balances> {
        let resolved: HashSet<&str> =
            self.accepted.iter().filter(|t| t.is_resolution()).filter_map(|t| t.pending_id.as_deref()).collect();
        let mut out: BTreeMap<String, Balances> =
            self.accounts.iter().map(|a| (a.id.clone(), Balances::default())).collect();
        for t in &self.accepted {
            let (posted, pending) = if t.flags.pending {
                (0, if resolved.contains(t.id.as_str()) { 0 } else { t.amount })
            } else if t.flags.void_pending {
                (0, 0)
            } else {
                (t.amount, 0)
            };
            if let Some(d) = out.get_mut(&t.debit_account_id) {
                d.debits_posted += posted;
                d.debits_pending += pending;
            }
            if let Some(c) = out.get_mut(&t.credit_account_id) {
                c.credits_posted += posted;
                c.credits_pending += pending;
            }
        }
        out
    }

    fn create_account(&mut self, a: Account) -> Result<(), &'static str> {
        if a.flags.debits_must_not_exceed_credits && a.flags.credits_must_not_exceed_debits {
            return Err("account_flags_are_mutually_exclusive");
        }
        if let Some(existing) = self.account(&a.id) {
            let same = existing.kind == a.kind
                && existing.owner == a.owner
                && existing.section_id == a.section_id
                && existing.flags == a.flags;
            return if same { Ok(()) } else { Err("account_exists") };
        }
        self.accounts.push(a);
        Ok(())
    }

    /// One transfer, in the documented validation order.
    fn apply(&mut self, t: &Transfer, index: usize) -> Result<TransferOutcome, Code> {
        let err = |code: &'static str| Err((code, Some(t.id.clone())));
        if t.id.is_empty() {
            return Err(("transfer_id_empty", Some(format!("#{index}"))));
        }
        if let Some(existing) = self.find(&t.id) {
            let mut normalized = t.clone();
            if t.is_resolution() && t.amount == 0 {
                if let Some(p) = t.pending_id.as_deref().and_then(|p| self.find(p)) {
                    normalized.amount = p.amount;
                }
            }
            return if *existing == normalized {
                Ok(TransferOutcome::AlreadyApplied)
            } else {
                err("exists_with_different_body")
            };
        }
        let f = t.flags;
        if u8::from(f.pending) + u8::from(f.post_pending) + u8::from(f.void_pending) > 1 {
            return err("flags_are_mutually_exclusive");
        }
        let resolving = f.post_pending || f.void_pending;
        if resolving && t.pending_id.is_none() {
            return err("pending_id_required");
        }
        if !resolving && t.pending_id.is_some() {
            return err("pending_id_must_be_absent");
        }
        if resolving && t.pending_id.as_deref() == Some(t.id.as_str()) {
            return err("pending_id_same_as_id");
        }
        if t.amount < 0 || (t.amount == 0 && !resolving) {
            return err("amount_must_be_positive");
        }
        if t.amount > Money::MAX_FEN {
            return err("amount_too_large");
        }
        if t.debit_account_id == t.credit_account_id {
            return err("accounts_must_be_different");
        }
        let Some(debit) = self.account(&t.debit_account_id) else { return err("debit_account_not_found") };
        let Some(credit) = self.account(&t.credit_account_id) else { return err("credit_account_not_found") };
        let mut recorded = t.clone();
        if resolving {
            let pending_id = t.pending_id.clone().unwrap_or_default();
            let Some(p) = self.find(&pending_id) else { return err("pending_transfer_not_found") };
            if !p.flags.pending {
                return err("pending_transfer_not_pending");
            }
            if p.debit_account_id != t.debit_account_id || p.credit_account_id != t.credit_account_id {
                return err("pending_transfer_has_different_accounts");
            }
            if p.kind != t.kind {
                return err("pending_transfer_has_different_kind");
            }
            if self.resolutions_of(&pending_id) > 0 {
                return err("pending_already_resolved");
            }
            let amount = if t.amount == 0 { p.amount } else { t.amount };
            if f.post_pending && amount > p.amount {
                return err("exceeds_pending_amount");
            }
            if f.void_pending && amount != p.amount {
                return err("pending_transfer_has_different_amount");
            }
            recorded.amount = amount;
        } else {
            let balances = self.balances();
            let d = balances.get(&debit.id).copied().unwrap_or_default();
            let c = balances.get(&credit.id).copied().unwrap_or_default();
            if debit.flags.debits_must_not_exceed_credits
                && d.debits_posted + d.debits_pending + t.amount > d.credits_posted
            {
                return err("exceeds_credits");
            }
            if credit.flags.credits_must_not_exceed_debits
                && c.credits_posted + c.credits_pending + t.amount > c.debits_posted
            {
                return err("exceeds_debits");
            }
        }
        self.accepted.push(recorded);
        Ok(TransferOutcome::Created)
    }

    /// `create_transfers`: all or nothing.
    fn batch(&mut self, batch: &[Transfer]) -> Result<Vec<TransferOutcome>, Code> {
        if let Some(last) = batch.last().filter(|t| t.flags.linked) {
            return Err(("linked_chain_open", Some(last.id.clone())));
        }
        let mut tentative = self.clone();
        let mut outcomes = Vec::new();
        for (i, t) in batch.iter().enumerate() {
            outcomes.push(tentative.apply(t, i)?);
        }
        *self = tentative;
        Ok(outcomes)
    }

    /// `create_transfers_each`: chain by chain.
    fn each(&mut self, batch: &[Transfer]) -> Vec<Result<TransferOutcome, Code>> {
        let mut results = Vec::new();
        let mut chain: Vec<usize> = Vec::new();
        for i in 0..batch.len() {
            chain.push(i);
            if batch[i].flags.linked && i + 1 < batch.len() {
                continue;
            }
            if batch[i].flags.linked {
                // Open chain at the end of the batch.
                for &j in &chain {
                    results.push(Err(if j == i {
                        ("linked_chain_open", Some(batch[j].id.clone()))
                    } else {
                        ("linked_event_failed", Some(batch[j].id.clone()))
                    }));
                }
            } else {
                let mut tentative = self.clone();
                let mut chain_results = Vec::new();
                let mut failed = None;
                for &j in &chain {
                    match tentative.apply(&batch[j], j) {
                        Ok(o) => chain_results.push(Ok(o)),
                        Err(e) => {
                            failed = Some((j, e));
                            break;
                        }
                    }
                }
                match failed {
                    None => {
                        *self = tentative;
                        results.extend(chain_results);
                    }
                    Some((failed, e)) => {
                        for &j in &chain {
                            results.push(if j == failed {
                                Err(e.clone())
                            } else {
                                Err(("linked_event_failed", Some(batch[j].id.clone())))
                            });
                        }
                    }
                }
            }
            chain.clear();
        }
        results
    }
}

fn code_of(e: &LedgerError) -> Code {
    match e {
        LedgerError::TransferIdEmpty { index } => (e.code(), Some(format!("#{index}"))),
        _ => (e.code(), e.transfer_id().map(str::to_owned)),
    }
}

/// Turns abstract items into transfers against the current history.
#[derive(Debug, Default)]
struct Builder {
    next: usize,
    /// Every transfer ever submitted, accepted or not.
    history: Vec<Transfer>,
    /// Every submitted transfer flagged pending, accepted or not.
    pendings: Vec<Transfer>,
}

impl Builder {
    fn fresh(&mut self) -> String {
        self.next += 1;
        format!("t{}", self.next)
    }

    fn build(&mut self, item: &Item) -> Transfer {
        let bond = |b: usize| id_of(FIRST_BOND + b);
        let payable = |p: usize| id_of(FIRST_PAYABLE + p);
        let t = match item {
            Item::Deposit { bond: b, amount } => crate::deposit(self.fresh(), id_of(POOL), bond(*b), *amount),
            Item::Fund { amount } => crate::fund_pool(self.fresh(), id_of(CLEARING), id_of(POOL), *amount, "结息"),
            Item::RefundPending { bond: b, amount } => {
                crate::refund_pending(self.fresh(), bond(*b), id_of(POOL), *amount, "procurement.bond.refund_losers")
            }
            Item::Refund { bond: b, amount } => {
                crate::refund(self.fresh(), bond(*b), id_of(POOL), *amount, "procurement.bond.refund_losers")
            }
            Item::Post { pick, amount } => match pick_from(&self.pendings, *pick) {
                Some(p) => {
                    let amount = match amount {
                        0 => 0,
                        1 => p.amount,
                        2 => (p.amount / 2).max(1),
                        _ => p.amount + 1,
                    };
                    Transfer::post(self.fresh(), &p, amount)
                }
                None => Transfer::post(self.fresh(), &crate::deposit("nothing", "pool", "x", 1).into_pending(), 0),
            },
            Item::Void { pick, amount } => match pick_from(&self.pendings, *pick) {
                Some(p) => {
                    let mut v = crate::refund_void(self.fresh(), &p, "银行退回");
                    v.amount = match amount {
                        0 => 0,
                        1 => p.amount,
                        _ => p.amount + 7,
                    };
                    v
                }
                None => Transfer::void(self.fresh(), &crate::deposit("nothing", "pool", "x", 1).into_pending()),
            },
            Item::Forfeit { bond: b, payable: p, amount } => {
                crate::forfeit(self.fresh(), bond(*b), payable(*p), *amount, "拒签合同", "construction.bond.forfeit")
            }
            Item::Payout { payable: p, amount } => crate::payout(self.fresh(), payable(*p), id_of(POOL), *amount),
            Item::Interest { bond: b, amount } => crate::interest_transfer(
                self.fresh(),
                id_of(INTEREST),
                bond(*b),
                *amount,
                "construction.bond.refund_after_contract",
            ),
            Item::LateFee { bond: b, amount } => {
                crate::late_fee_transfer(self.fresh(), id_of(LATE_FEE), bond(*b), *amount)
            }
            Item::ResendSame { pick } => match pick_from(&self.history, *pick) {
                Some(t) => t,
                None => crate::deposit(self.fresh(), id_of(POOL), bond(0), 1),
            },
            Item::ResendDifferent { pick, change } => match pick_from(&self.history, *pick) {
                Some(mut t) => {
                    match change {
                        0 => t.amount += 1,
                        1 => t.reason = Some(format!("{} / 改", t.reason.unwrap_or_default())),
                        _ => {
                            t.kind = if t.kind == TransferKind::Correction {
                                TransferKind::Deposit
                            } else {
                                TransferKind::Correction
                            }
                        }
                    }
                    t
                }
                None => crate::deposit(self.fresh(), id_of(POOL), bond(0), 1),
            },
            Item::Raw { debit, credit, amount, flags, pending, pick, kind, empty_id } => {
                let id = if *empty_id { String::new() } else { self.fresh() };
                let mut t =
                    Transfer::new(id.clone(), id_of(*debit), id_of(*credit), *amount, TransferKind::ALL[*kind % 8]);
                t.flags.pending = flags & 1 != 0;
                t.flags.post_pending = flags & 2 != 0;
                t.flags.void_pending = flags & 4 != 0;
                t.pending_id = match pending {
                    0 => None,
                    1 => pick_from(&self.history, *pick).map(|p| p.id),
                    _ => Some(id),
                };
                t
            }
        };
        if t.flags.pending {
            self.pendings.push(t.clone());
        }
        self.history.push(t.clone());
        t
    }
}

fn pick_from(list: &[Transfer], pick: usize) -> Option<Transfer> {
    if list.is_empty() {
        None
    } else {
        list.get(pick % list.len()).cloned()
    }
}

/// Every invariant, after every step.
fn check_invariants(ledger: &Ledger, model: &Model) -> Result<(), TestCaseError> {
    prop_assert_eq!(ledger.verify(), Ok(()));

    let (mut dp, mut cp, mut dq, mut cq) = (0i128, 0i128, 0i128, 0i128);
    for a in ledger.accounts() {
        dp += i128::from(a.debits_posted);
        cp += i128::from(a.credits_posted);
        dq += i128::from(a.debits_pending);
        cq += i128::from(a.credits_pending);
        prop_assert!(a.debits_posted >= 0 && a.credits_posted >= 0 && a.debits_pending >= 0 && a.credits_pending >= 0);
        if a.flags.debits_must_not_exceed_credits {
            prop_assert!(a.debits_posted + a.debits_pending <= a.credits_posted, "{:?}", a);
        }
        if a.flags.credits_must_not_exceed_debits {
            prop_assert!(a.credits_posted + a.credits_pending <= a.debits_posted, "{:?}", a);
        }
    }
    prop_assert_eq!(dp, cp, "posted debits and credits differ");
    prop_assert_eq!(dq, cq, "pending debits and credits differ");

    // The ledger's totals are exactly the naive fold of the accepted transfers.
    let naive = model.balances();
    prop_assert_eq!(ledger.accounts().count(), naive.len());
    for (id, balances) in &naive {
        let account = ledger.account(id);
        prop_assert!(account.is_some(), "account {} missing", id);
        prop_assert_eq!(account.map(Account::balances), Some(*balances), "account {}", id);
    }
    prop_assert_eq!(ledger.transfers(), model.accepted.as_slice());

    // A pending transfer is resolved at most once, and its status agrees.
    let mut resolutions: BTreeMap<&str, usize> = BTreeMap::new();
    for t in ledger.transfers() {
        if let (true, Some(p)) = (t.is_resolution(), t.pending_id.as_deref()) {
            *resolutions.entry(p).or_default() += 1;
        }
    }
    prop_assert!(resolutions.values().all(|n| *n == 1), "{:?}", resolutions);
    for t in ledger.transfers().iter().filter(|t| t.flags.pending) {
        let resolved = ledger.resolution(&t.id).is_some();
        prop_assert_eq!(resolved, model.resolutions_of(&t.id) == 1);
    }

    // A replay from the account definitions reproduces the ledger.
    let replayed = Ledger::replay(ledger.accounts().cloned(), ledger.transfers());
    prop_assert_eq!(replayed.as_ref(), Ok(ledger));
    Ok(())
}

fn run(ops: &[Op]) -> Result<(), TestCaseError> {
    let mut ledger = Ledger::new();
    let mut model = Model::default();
    for slot in INITIAL {
        prop_assert_eq!(
            ledger.create_account(slot_account(slot)).map_err(|e| e.code()),
            model.create_account(slot_account(slot))
        );
    }
    let mut builder = Builder::default();
    check_invariants(&ledger, &model)?;

    for op in ops {
        match op {
            Op::CreateAccount { slot, alter } => {
                let mut a = slot_account(*slot);
                match alter {
                    0 => {}
                    1 => a.owner = Some("other".into()),
                    _ => {
                        a.flags =
                            AccountFlags { debits_must_not_exceed_credits: true, credits_must_not_exceed_debits: true }
                    }
                }
                let got = ledger.create_account(a.clone()).map_err(|e| e.code());
                prop_assert_eq!(got, model.create_account(a));
            }
            Op::Submit { items, each } => {
                let batch: Vec<Transfer> = items
                    .iter()
                    .map(|(item, linked)| {
                        let mut t = builder.build(item);
                        t.flags.linked = *linked;
                        t
                    })
                    .collect();
                if *each {
                    let got: Vec<Result<TransferOutcome, Code>> = ledger
                        .create_transfers_each(&batch)
                        .iter()
                        .map(|r| r.clone().map_err(|e| code_of(&e)))
                        .collect();
                    prop_assert_eq!(got, model.each(&batch), "batch {:?}", batch);
                } else {
                    let got = ledger.create_transfers(&batch).map_err(|e| code_of(&e));
                    prop_assert_eq!(got, model.batch(&batch), "batch {:?}", batch);
                }
            }
        }
        check_invariants(&ledger, &model)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn ledger_agrees_with_the_naive_model(ops in prop::collection::vec(op(), 1..=60)) {
        run(&ops)?;
    }
}

/// The generator reaches the interesting outcomes; a guard against a test that only
/// ever exercises refusals.
#[test]
fn the_generator_covers_acceptances_and_refusals() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::deterministic();
    let mut seen: BTreeMap<&'static str, usize> = BTreeMap::new();
    for _ in 0..64 {
        let ops = prop::collection::vec(op(), 60).new_tree(&mut runner).unwrap().current();
        let mut ledger = Ledger::new();
        for slot in INITIAL {
            ledger.create_account(slot_account(slot)).unwrap();
        }
        let mut builder = Builder::default();
        for op in &ops {
            if let Op::Submit { items, .. } = op {
                for (item, _) in items {
                    let t = builder.build(item);
                    let key = match ledger.create_transfers(&[t]) {
                        Ok(o) if o[0] == TransferOutcome::Created => "created",
                        Ok(_) => "already_applied",
                        Err(e) => e.code(),
                    };
                    *seen.entry(key).or_default() += 1;
                }
            }
        }
    }
    for key in [
        "created",
        "already_applied",
        "exists_with_different_body",
        "exceeds_credits",
        "exceeds_debits",
        "pending_already_resolved",
        "exceeds_pending_amount",
        "pending_transfer_has_different_amount",
        "pending_transfer_not_pending",
        "amount_must_be_positive",
        "debit_account_not_found",
        "flags_are_mutually_exclusive",
    ] {
        assert!(seen.get(key).copied().unwrap_or(0) > 0, "never saw {key}: {seen:?}");
    }
}
