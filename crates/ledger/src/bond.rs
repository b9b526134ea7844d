//! The bid-bond life cycle on top of the ledger: the transfers for each step, the
//! outcome of a bond, the section-close check, and the interest and late-fee
//! arithmetic.
//!
//! A bond (one per bidder and section) is a [`BidderBond`](AccountKind::BidderBond)
//! account. Its life:
//!
//! 1. [`deposit`]: the bidder's money arrives in the dedicated account (bond.central);
//! 2. either the bond is refunded: [`refund_pending`] when the bank instruction goes
//!    out, then [`refund_post`] on the bank's confirmation or [`refund_void`] on failure
//!    (then a new instruction); [`refund`] when the payment is already confirmed;
//!    interest ([`interest_transfer`]) and a late fee ([`late_fee_transfer`]) are
//!    separate transfers credited to the bond first and refunded with it;
//! 3. or it is forfeited ([`forfeit`], construction.bond.forfeit) to the tenderer's
//!    payable account, later paid out ([`payout`]).
//!
//! Interest and late fees are paid out of the pool like the principal, so the pool must
//! hold them: record the bank's interest on the dedicated account, or the platform's own
//! money for a late fee, with [`fund_pool`] first (the pool may never pay out more than
//! it holds). A convenient way is one linked chain: `fund_pool`, `interest_transfer`,
//! `refund_pending`.
//!
//! When a section closes, [`section_closed_ok`] checks that every bond account of it is
//! settled at zero and ended in exactly one [`BondOutcome`].

use ggzy_kernel::Money;
use ggzy_rules::rule_ids;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::account::{Account, AccountKind};
use crate::ledger::{Ledger, PendingStatus};
use crate::transfer::{Transfer, TransferKind};

/// The last published PBoC one-year loan benchmark rate, 4.35 % (2015-10-24), in basis
/// points: the base of the procurement late fee (procurement.bond.late_fee). Callers
/// should take the rate from the rule set; this is the default it records.
pub const LAST_PUBLISHED_LOAN_BENCHMARK_BASIS_POINTS: u32 = 435;

/// The PBoC demand-deposit benchmark rate, 0.35 %, in basis points. Banks pay their own
/// (usually lower) demand rate; pass that to [`demand_deposit_interest`] when known.
pub const DEMAND_DEPOSIT_BENCHMARK_BASIS_POINTS: u32 = 35;

ggzy_kernel::closed_enum! {
    /// How a bond ended (保证金结果).
    pub enum BondOutcome {
        /// 已退还
        Refunded = "refunded",
        /// 已没收
        Forfeited = "forfeited",
        /// 已转作价款
        AppliedToPrice = "applied_to_price",
    }
}

impl BondOutcome {
    /// The Chinese term.
    pub fn name(self) -> &'static str {
        match self {
            BondOutcome::Refunded => "已退还",
            BondOutcome::Forfeited => "已没收",
            BondOutcome::AppliedToPrice => "已转作价款",
        }
    }
}

/// What happened to one bond, from the transfers on its account. Amounts in fen.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub struct BondSummary {
    pub account_id: String,
    /// The bidder (owner of the account).
    pub bidder_id: Option<String>,
    pub section_id: Option<String>,
    /// Posted deposits.
    pub deposited: i64,
    /// Posted interest credited to the bond.
    pub interest: i64,
    /// Posted late fees credited to the bond.
    pub late_fees: i64,
    /// Posted refunds (immediate refunds and posted pending refunds).
    pub refunded: i64,
    /// Refunds whose bank instruction is out and not yet confirmed or failed.
    pub refund_pending: i64,
    /// Posted forfeits, less corrections that credited the bond back from a tenderer
    /// payable account (a forfeit made in error).
    pub forfeited: i64,
    /// Posted transfers of a winner's deposit toward the price (listings and auctions).
    pub applied_to_price: i64,
    /// Posted credit balance: what the platform still owes the bidder.
    pub balance: i64,
    /// The one way the bond's money went (refunded, forfeited or applied to the price);
    /// `None` if none yet or more than one (see `conflicting_outcomes`).
    pub outcome: Option<BondOutcome>,
    /// More than one of refunded, forfeited and applied: a bond must end in exactly one
    /// outcome.
    pub conflicting_outcomes: bool,
}

/// Deposit (缴纳): debit the pool, credit the bidder's bond (bond.central).
pub fn deposit(id: impl Into<String>, pool: &str, bidder_bond: &str, amount: i64) -> Transfer {
    Transfer::new(id, pool, bidder_bond, amount, TransferKind::Deposit).with_rule_id(rule_ids::BOND_CENTRAL)
}

/// Refund already confirmed by the bank (退还): debit the bond, credit the pool.
/// `rule_id` is the refund rule applied, e.g. `procurement.bond.refund_losers`.
pub fn refund(id: impl Into<String>, bidder_bond: &str, pool: &str, amount: i64, rule_id: &str) -> Transfer {
    Transfer::new(id, bidder_bond, pool, amount, TransferKind::Refund).with_rule_id(rule_id)
}

/// Refund instruction sent to the bank: a pending refund reserving `amount` on the
/// bond and the pool until [`refund_post`] or [`refund_void`].
pub fn refund_pending(id: impl Into<String>, bidder_bond: &str, pool: &str, amount: i64, rule_id: &str) -> Transfer {
    refund(id, bidder_bond, pool, amount, rule_id).into_pending()
}

/// The bank confirmed the refund: post the full pending amount.
pub fn refund_post(id: impl Into<String>, pending: &Transfer) -> Transfer {
    Transfer::post(id, pending, pending.amount)
}

/// The bank refused or returned the refund: void it (the money stays owed to the
/// bidder, a new instruction follows).
pub fn refund_void(id: impl Into<String>, pending: &Transfer, reason: &str) -> Transfer {
    Transfer::void(id, pending).with_reason(reason)
}

/// Forfeit (没收): debit the bond, credit the tenderer's payable account.
/// `rule_id` is normally `construction.bond.forfeit`.
pub fn forfeit(
    id: impl Into<String>,
    bidder_bond: &str,
    tenderer_payable: &str,
    amount: i64,
    reason: &str,
    rule_id: &str,
) -> Transfer {
    Transfer::new(id, bidder_bond, tenderer_payable, amount, TransferKind::Forfeit)
        .with_reason(reason)
        .with_rule_id(rule_id)
}

/// The winner's deposit counts toward the price (land.deposit.refund): debit the bond,
/// credit the seller's payable account, from which the price is settled.
pub fn apply_to_price(id: impl Into<String>, bidder_bond: &str, seller_payable: &str, amount: i64) -> Transfer {
    Transfer::new(id, bidder_bond, seller_payable, amount, TransferKind::ApplyToPrice)
        .with_rule_id(rule_ids::LAND_DEPOSIT_REFUND)
}

/// Pay a forfeited bond out to the tenderer: debit the payable, credit the pool.
pub fn payout(id: impl Into<String>, tenderer_payable: &str, pool: &str, amount: i64) -> Transfer {
    Transfer::new(id, tenderer_payable, pool, amount, TransferKind::Payout).with_rule_id(rule_ids::BOND_CENTRAL)
}

/// Interest owed on a bond (利息): debit interest expense, credit the bond, refunded
/// later with the principal. `rule_id` e.g. `construction.bond.refund_after_contract`.
pub fn interest_transfer(
    id: impl Into<String>,
    interest_expense: &str,
    bidder_bond: &str,
    amount: i64,
    rule_id: &str,
) -> Transfer {
    Transfer::new(id, interest_expense, bidder_bond, amount, TransferKind::Interest).with_rule_id(rule_id)
}

/// Late-refund fee owed on a bond (超期资金占用费, procurement.bond.late_fee): debit
/// late-fee expense, credit the bond, refunded later like the principal.
pub fn late_fee_transfer(id: impl Into<String>, late_fee_expense: &str, bidder_bond: &str, amount: i64) -> Transfer {
    Transfer::new(id, late_fee_expense, bidder_bond, amount, TransferKind::LateFee)
        .with_rule_id(rule_ids::PROCUREMENT_BOND_LATE_FEE)
}

/// Money entering the pool that is not a bond (专户资金注入): debit the pool, credit
/// bank clearing. E.g. the bank's interest on the dedicated account, or the platform's
/// own funds to pay a late fee.
pub fn fund_pool(id: impl Into<String>, bank_clearing: &str, pool: &str, amount: i64, reason: &str) -> Transfer {
    Transfer::new(id, pool, bank_clearing, amount, TransferKind::Funding).with_reason(reason)
}

/// A correction (更正): a new transfer that undoes or amends an earlier one; the
/// original is never changed. E.g. a forfeit made in error is corrected by debiting the
/// tenderer payable and crediting the bond back.
pub fn correction(id: impl Into<String>, debit: &str, credit: &str, amount: i64, reason: &str) -> Transfer {
    Transfer::new(id, debit, credit, amount, TransferKind::Correction).with_reason(reason)
}

/// The summary of the bond account `account_id`; `None` unless it is a recorded
/// [`BidderBond`](AccountKind::BidderBond) account.
pub fn bond_summary(ledger: &Ledger, account_id: &str) -> Option<BondSummary> {
    let account = ledger.account(account_id).filter(|a| a.kind == AccountKind::BidderBond)?;
    let mut s = BondSummary {
        account_id: account.id.clone(),
        bidder_id: account.owner.clone(),
        section_id: account.section_id.clone(),
        deposited: 0,
        interest: 0,
        late_fees: 0,
        refunded: 0,
        refund_pending: 0,
        forfeited: 0,
        applied_to_price: 0,
        balance: account.credit_balance(),
        outcome: None,
        conflicting_outcomes: false,
    };
    let mut forfeit_corrections: i64 = 0;
    for t in ledger.transfers() {
        let debited = t.debit_account_id == account.id;
        let credited = t.credit_account_id == account.id;
        if !debited && !credited {
            continue;
        }
        if t.flags.pending && t.kind == TransferKind::Refund && debited {
            if ledger.pending_status(&t.id) == Some(PendingStatus::Pending) {
                s.refund_pending = s.refund_pending.saturating_add(t.amount);
            }
            continue;
        }
        let posted = t.posted_amount();
        let total = match (t.kind, debited) {
            (TransferKind::Deposit, false) => &mut s.deposited,
            (TransferKind::Interest, false) => &mut s.interest,
            (TransferKind::LateFee, false) => &mut s.late_fees,
            (TransferKind::Refund, true) => &mut s.refunded,
            (TransferKind::Forfeit, true) => &mut s.forfeited,
            (TransferKind::ApplyToPrice, true) => &mut s.applied_to_price,
            (TransferKind::Correction, false)
                if ledger.account(&t.debit_account_id).is_some_and(|a| a.kind == AccountKind::TendererPayable) =>
            {
                &mut forfeit_corrections
            }
            _ => continue,
        };
        *total = total.saturating_add(posted);
    }
    s.forfeited = s.forfeited.saturating_sub(forfeit_corrections).max(0);
    s.outcome = match (s.refunded > 0, s.forfeited > 0, s.applied_to_price > 0) {
        (true, false, false) => Some(BondOutcome::Refunded),
        (false, true, false) => Some(BondOutcome::Forfeited),
        (false, false, true) => Some(BondOutcome::AppliedToPrice),
        _ => None,
    };
    s.conflicting_outcomes = [s.refunded, s.forfeited, s.applied_to_price].iter().filter(|v| **v > 0).count() > 1;
    Some(s)
}

/// The check to pass before a section closes: every bond account of `section_id` is
/// settled (posted debits equal posted credits, nothing pending) and its bond ended in
/// exactly one outcome, refunded or forfeited. A bond account no money ever reached
/// (all totals zero) is not a bond and is skipped.
///
/// Lists every problem at once, in Chinese.
pub fn section_closed_ok(ledger: &Ledger, section_id: &str) -> Result<(), Vec<String>> {
    let mut problems = Vec::new();
    let bonds =
        ledger.accounts().filter(|a| a.kind == AccountKind::BidderBond && a.section_id.as_deref() == Some(section_id));
    for account in bonds {
        if account.is_untouched() {
            continue;
        }
        let who = describe(account);
        if !account.is_settled() {
            problems.push(format!(
                "{who}尚未结清：应退余额 {} 元，预留借方 {} 元，预留贷方 {} 元",
                yuan(account.credit_balance()),
                yuan(account.debits_pending),
                yuan(account.credits_pending)
            ));
        }
        let Some(summary) = bond_summary(ledger, &account.id) else { continue };
        if summary.conflicting_outcomes {
            problems.push(format!(
                "{who}既有退还（{} 元）又有没收（{} 元）或转作价款（{} 元），每笔保证金只能有一个结果",
                yuan(summary.refunded),
                yuan(summary.forfeited),
                yuan(summary.applied_to_price)
            ));
        } else if summary.outcome.is_none() {
            problems.push(format!("{who}既未退还、没收，也未转作价款"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn describe(account: &Account) -> String {
    format!(
        "投标人 {} 在标段 {} 的保证金分户 {} ",
        account.owner.as_deref().unwrap_or("?"),
        account.section_id.as_deref().unwrap_or("?"),
        account.id
    )
}

/// Fen as a yuan string, e.g. `1234.50`; a negative amount keeps its sign.
fn yuan(fen: i64) -> String {
    match Money::from_fen(fen.unsigned_abs().try_into().unwrap_or(i64::MAX)) {
        Ok(m) if fen < 0 => format!("-{m}"),
        Ok(m) => m.to_string(),
        Err(_) => format!("{fen} 分"),
    }
}

/// Bank demand-deposit interest (活期存款利息) on `principal` fen at
/// `annual_rate_basis_points` (35 = 0.35 %) for `days` days, in fen:
///
/// `principal × rate × days / 360`, rounded half-up to the fen (half away from zero
/// for a negative principal).
///
/// Day count: actual days over a 360-day year. Chinese banks convert an annual rate to
/// a daily rate by dividing by 360 (PBoC, 《人民币利率管理规定》: 日利率 = 年利率 ÷ 360)
/// and count the actual days the money was held, the day it arrived but not the day it
/// left (算头不算尾). `days` is that count, computed by the caller.
///
/// Exact integer arithmetic (i128); saturates at the `i64` range, far above any real
/// amount.
pub fn demand_deposit_interest(principal: i64, annual_rate_basis_points: u32, days: u32) -> i64 {
    // rate = bp / 10_000; year = 360 days.
    let numerator = i128::from(principal)
        .checked_mul(i128::from(annual_rate_basis_points))
        .and_then(|n| n.checked_mul(i128::from(days)));
    div_round_half_up(numerator, principal < 0, 10_000 * 360)
}

/// Late-refund fee of government procurement (procurement.bond.late_fee, 87号令 §38):
/// `principal` fen at the PBoC benchmark loan rate raised by 20 %
/// (`benchmark_rate_basis_points × 1.2`; 435 → 5.22 %) for `days_late` days, in fen:
///
/// `principal × (benchmark × 1.2) × days_late / 360`, rounded half-up to the fen.
///
/// Day count: actual days late over a 360-day year, the convention of the PBoC
/// benchmark loan rate the fee is defined by (a loan's daily rate is its annual rate
/// ÷ 360), so the fee is exactly what a loan at that rate would cost. `days_late`
/// counts calendar days from the day after the refund deadline to the day the refund
/// is paid; the caller computes it (and passes 0 when the bidder caused the delay).
///
/// The 1.2 factor is applied inside the one division (`× 12 / 10`), so nothing is
/// rounded before the end. Exact integer arithmetic; saturates at the `i64` range.
pub fn late_fee(principal: i64, benchmark_rate_basis_points: u32, days_late: u32) -> i64 {
    let numerator = i128::from(principal)
        .checked_mul(i128::from(benchmark_rate_basis_points))
        .and_then(|n| n.checked_mul(12))
        .and_then(|n| n.checked_mul(i128::from(days_late)));
    div_round_half_up(numerator, principal < 0, 10 * 10_000 * 360)
}

/// `numerator / denominator` rounded half away from zero, saturated to `i64`; `None`
/// (an overflowed numerator) saturates in the direction `negative` says.
fn div_round_half_up(numerator: Option<i128>, negative: bool, denominator: i128) -> i64 {
    let saturated = if negative { i64::MIN } else { i64::MAX };
    let Some(n) = numerator else { return saturated };
    let magnitude = (n.unsigned_abs() + (denominator.unsigned_abs() / 2)) / denominator.unsigned_abs();
    let signed = i128::try_from(magnitude).unwrap_or(i128::MAX);
    let value = if n < 0 { -signed } else { signed };
    i64::try_from(value).unwrap_or(saturated)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::TransferOutcome;

    const POOL: &str = "pool";
    const CLEARING: &str = "clearing";
    const INTEREST: &str = "interest";
    const LATE: &str = "late_fee";
    const PAYABLE: &str = "payable:s1";
    const B1: &str = "bond:s1:p1";
    const B2: &str = "bond:s1:p2";
    const B3: &str = "bond:s1:p3";

    fn ledger() -> Ledger {
        let mut l = Ledger::new();
        for a in [
            Account::new(POOL, AccountKind::BondPool),
            Account::new(CLEARING, AccountKind::BankClearing),
            Account::new(INTEREST, AccountKind::InterestExpense),
            Account::new(LATE, AccountKind::LateFeeExpense),
            Account::tenderer_payable(PAYABLE, "t1", "s1"),
            Account::bidder_bond(B1, "p1", "s1"),
            Account::bidder_bond(B2, "p2", "s1"),
            Account::bidder_bond(B3, "p3", "s1"),
            Account::bidder_bond("bond:s2:p1", "p1", "s2"),
        ] {
            l.create_account(a).unwrap();
        }
        l
    }

    #[test]
    fn late_fee_hand_worked_example() {
        // 200,000.00 yuan = 20,000,000 fen; 4.35 % × 1.2 = 5.22 %; 7 days late.
        // 200000 × 0.0522 = 10440 yuan a year; × 7 = 73080; / 360 = 203.00 yuan exactly.
        // In fen: 20,000,000 × 435 × 12 × 7 = 730,800,000,000; / (10 × 10,000 × 360 =
        // 36,000,000) = 20,300 fen.
        assert_eq!(late_fee(20_000_000, LAST_PUBLISHED_LOAN_BENCHMARK_BASIS_POINTS, 7), 20_300);
    }

    #[test]
    fn late_fee_rounding() {
        // 123,456.78 yuan, 5.22 %, 10 days: 123456.78 × 0.0522 = 6444.4439…; × 10 / 360
        // = 179.0123… yuan → 179.01 (rounded down).
        // Fen: 12,345,678 × 5,220 × 10 = 644,444,391,600 / 36,000,000 = 17,901.233…
        assert_eq!(late_fee(12_345_678, 435, 10), 17_901);
        // 1,000.00 yuan, 5.22 %, 1 day: 1000 × 0.0522 / 360 = 0.145 yuan, exactly half a
        // fen over 14 → 0.15 (half-up). Fen: 100,000 × 5,220 = 522,000,000 / 36,000,000
        // = 14.5.
        assert_eq!(late_fee(100_000, 435, 1), 15);
        // Just below the half rounds down: 99,999 × 5,220 / 36,000,000 = 14.4998…
        assert_eq!(late_fee(99_999, 435, 1), 14);
        assert_eq!(late_fee(20_000_000, 435, 0), 0);
        assert_eq!(late_fee(0, 435, 30), 0);
    }

    #[test]
    fn demand_deposit_interest_examples() {
        // 500,000.00 yuan at 0.35 % for 30 days: 500000 × 0.0035 = 1750 a year; × 30 /
        // 360 = 145.8333… → 145.83 yuan. Fen: 50,000,000 × 35 × 30 / 3,600,000 =
        // 14,583.33…
        assert_eq!(demand_deposit_interest(50_000_000, DEMAND_DEPOSIT_BENCHMARK_BASIS_POINTS, 30), 14_583);
        // 18,000.00 yuan at 0.35 % for 1 day = 0.175 yuan = 17.5 fen → 18 (half-up).
        assert_eq!(demand_deposit_interest(1_800_000, 35, 1), 18);
        assert_eq!(demand_deposit_interest(1_799_999, 35, 1), 17);
        // A full 360-day year at 1 % is exactly 1 %.
        assert_eq!(demand_deposit_interest(1_000_000, 100, 360), 10_000);
        assert_eq!(demand_deposit_interest(1_000_000, 0, 360), 0);
    }

    #[test]
    fn arithmetic_edges_saturate_and_are_symmetric() {
        assert_eq!(demand_deposit_interest(-1_800_000, 35, 1), -18);
        assert_eq!(late_fee(-100_000, 435, 1), -15);
        assert_eq!(demand_deposit_interest(i64::MAX, u32::MAX, u32::MAX), i64::MAX);
        assert_eq!(late_fee(i64::MAX, u32::MAX, u32::MAX), i64::MAX);
        assert_eq!(late_fee(i64::MIN, u32::MAX, u32::MAX), i64::MIN);
        // Realistic maxima stay exact: 10^13 yuan (Money::MAX) for ten years at 100 %.
        assert_eq!(demand_deposit_interest(Money::MAX_FEN, 10_000, 3_600), Money::MAX_FEN * 10);
    }

    #[test]
    fn refund_life_cycle_with_interest_and_a_failed_instruction() {
        let mut l = ledger();
        l.create_transfers(&[deposit("d1", POOL, B1, 50_000_000)]).unwrap();
        let interest = demand_deposit_interest(50_000_000, 35, 30);
        let rule = rule_ids::CONSTRUCTION_BOND_REFUND_AFTER_CONTRACT;

        // The pool cannot pay interest it does not hold.
        let first = refund_pending("r1", B1, POOL, 50_000_000 + interest, rule);
        let err = l
            .create_transfers(&[interest_transfer("i1", INTEREST, B1, interest, rule).into_linked(), first.clone()])
            .unwrap_err();
        assert_eq!(err.code(), "exceeds_debits");
        assert_eq!(err.transfer_id(), Some("r1"));

        l.create_transfers(&[
            fund_pool("f1", CLEARING, POOL, interest, "银行结息").into_linked(),
            interest_transfer("i1", INTEREST, B1, interest, rule).into_linked(),
            first.clone(),
        ])
        .unwrap();
        let s = bond_summary(&l, B1).unwrap();
        assert_eq!(s.refund_pending, 50_000_000 + interest);
        assert_eq!(s.outcome, None);
        assert!(section_closed_ok(&l, "s1").is_err());

        // The bank refuses; a new instruction is sent and confirmed.
        l.create_transfers(&[refund_void("v1", &first, "收款账户信息有误")]).unwrap();
        assert_eq!(l.transfer("v1").unwrap().reason.as_deref(), Some("收款账户信息有误"));
        let second = refund_pending("r2", B1, POOL, 50_000_000 + interest, rule);
        l.create_transfers(std::slice::from_ref(&second)).unwrap();
        assert_eq!(l.create_transfers(&[refund_post("p2", &second)]), Ok(vec![TransferOutcome::Created]));

        let s = bond_summary(&l, B1).unwrap();
        assert_eq!(s.deposited, 50_000_000);
        assert_eq!(s.interest, 14_583);
        assert_eq!(s.refunded, 50_014_583);
        assert_eq!((s.refund_pending, s.balance, s.forfeited), (0, 0, 0));
        assert_eq!(s.outcome, Some(BondOutcome::Refunded));
        assert!(l.account(B1).unwrap().is_settled());
        assert!(l.account(POOL).unwrap().is_settled());
        assert!(l.verify().is_ok());
    }

    #[test]
    fn late_refund_pays_the_fee_from_platform_funds() {
        let mut l = ledger();
        l.create_transfers(&[deposit("d1", POOL, B1, 20_000_000)]).unwrap();
        let fee = late_fee(20_000_000, 435, 7);
        l.create_transfers(&[
            fund_pool("f1", CLEARING, POOL, fee, "平台承担超期退还的资金占用费").into_linked(),
            late_fee_transfer("l1", LATE, B1, fee).into_linked(),
            refund("r1", B1, POOL, 20_000_000 + fee, rule_ids::PROCUREMENT_BOND_REFUND_LOSERS),
        ])
        .unwrap();
        let s = bond_summary(&l, B1).unwrap();
        assert_eq!((s.late_fees, s.refunded, s.outcome), (20_300, 20_020_300, Some(BondOutcome::Refunded)));
        assert_eq!(l.transfer("l1").unwrap().rule_id.as_deref(), Some(rule_ids::PROCUREMENT_BOND_LATE_FEE));
        assert_eq!(l.account(LATE).unwrap().debit_balance(), 20_300);
        assert!(l.verify().is_ok());
    }

    #[test]
    fn forfeit_and_payout() {
        let mut l = ledger();
        l.create_transfers(&[deposit("d1", POOL, B1, 1_000)]).unwrap();
        let t = forfeit("x1", B1, PAYABLE, 1_000, "中标后无正当理由拒签合同", rule_ids::CONSTRUCTION_BOND_FORFEIT);
        assert_eq!(t.rule_id.as_deref(), Some("construction.bond.forfeit"));
        l.create_transfers(&[t]).unwrap();
        assert_eq!(l.create_transfers(&[payout("o1", PAYABLE, POOL, 1_001)]).unwrap_err().code(), "exceeds_credits");
        l.create_transfers(&[payout("o1", PAYABLE, POOL, 1_000)]).unwrap();
        let s = bond_summary(&l, B1).unwrap();
        assert_eq!((s.forfeited, s.refunded, s.outcome), (1_000, 0, Some(BondOutcome::Forfeited)));
        assert!(l.account(PAYABLE).unwrap().is_settled());
        assert!(bond_summary(&l, PAYABLE).is_none());
        assert!(bond_summary(&l, "nope").is_none());
    }

    #[test]
    fn a_forfeit_in_error_is_corrected_then_refunded() {
        let mut l = ledger();
        l.create_transfers(&[
            deposit("d1", POOL, B1, 1_000),
            forfeit("x1", B1, PAYABLE, 1_000, "误操作", rule_ids::CONSTRUCTION_BOND_FORFEIT),
            correction("c1", PAYABLE, B1, 1_000, "撤销错误的没收"),
            refund("r1", B1, POOL, 1_000, rule_ids::CONSTRUCTION_BOND_REFUND_AFTER_CONTRACT),
        ])
        .unwrap();
        let s = bond_summary(&l, B1).unwrap();
        assert_eq!(
            (s.forfeited, s.refunded, s.outcome, s.conflicting_outcomes),
            (0, 1_000, Some(BondOutcome::Refunded), false)
        );
        assert_eq!(l.transfers().len(), 4, "the wrong forfeit stays on record");
    }

    #[test]
    fn a_winners_deposit_applied_to_the_price_settles_the_bond() {
        let mut l = ledger();
        l.create_transfers(&[deposit("d1", POOL, B1, 1_000), apply_to_price("a1", B1, PAYABLE, 1_000)]).unwrap();
        let s = bond_summary(&l, B1).unwrap();
        assert_eq!((s.applied_to_price, s.balance, s.outcome), (1_000, 0, Some(BondOutcome::AppliedToPrice)));
        assert_eq!(l.account(PAYABLE).unwrap().credit_balance(), 1_000, "the seller's payable holds it");
        // Applying and then also refunding would be two outcomes.
        l.create_transfers(&[
            deposit("d2", POOL, B1, 1_000),
            refund("r2", B1, POOL, 1_000, rule_ids::LAND_DEPOSIT_REFUND),
        ])
        .unwrap();
        let s = bond_summary(&l, B1).unwrap();
        assert!(s.conflicting_outcomes && s.outcome.is_none(), "{s:?}");
    }

    #[test]
    fn section_close_check() {
        let mut l = ledger();
        // Nothing deposited yet: nothing to check.
        assert_eq!(section_closed_ok(&l, "s1"), Ok(()));
        l.create_transfers(&[
            deposit("d1", POOL, B1, 1_000),
            deposit("d2", POOL, B2, 2_000),
            deposit("d3", POOL, B3, 3_000),
            deposit("d4", POOL, "bond:s2:p1", 4_000),
        ])
        .unwrap();
        let problems = section_closed_ok(&l, "s1").unwrap_err();
        assert_eq!(problems.len(), 6, "{problems:?}");
        assert!(problems[0].contains("bond:s1:p1") && problems[0].contains("10.00 元"), "{}", problems[0]);

        let rule = rule_ids::PROCUREMENT_BOND_REFUND_LOSERS;
        let pending = refund_pending("r1", B1, POOL, 1_000, rule);
        l.create_transfers(&[
            pending.clone(),
            forfeit("x2", B2, PAYABLE, 2_000, "拒签合同", rule_ids::CONSTRUCTION_BOND_FORFEIT),
            refund("r3", B3, POOL, 1_000, rule),
            forfeit("x3", B3, PAYABLE, 2_000, "拒签合同", rule_ids::CONSTRUCTION_BOND_FORFEIT),
        ])
        .unwrap();
        let problems = section_closed_ok(&l, "s1").unwrap_err();
        // B1: pending refund (not settled, no outcome yet); B3: refunded and forfeited.
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].contains("bond:s1:p1") && problems[0].contains("预留借方 10.00 元"));
        assert!(problems[1].contains("bond:s1:p1") && problems[1].contains("既未退还、没收，也未转作价款"));
        assert!(problems[2].contains("bond:s1:p3") && problems[2].contains("既有退还"));
        assert!(bond_summary(&l, B3).unwrap().conflicting_outcomes);

        l.create_transfers(&[refund_post("q1", &pending)]).unwrap();
        let problems = section_closed_ok(&l, "s1").unwrap_err();
        assert_eq!(problems.len(), 1);
        // Section 2 is still open but does not affect section 1's answer.
        assert_eq!(section_closed_ok(&l, "s2").unwrap_err().len(), 2);
        assert_eq!(section_closed_ok(&l, "none"), Ok(()));
    }

    #[test]
    fn yuan_formatting() {
        assert_eq!(yuan(123_450), "1234.50");
        assert_eq!(yuan(-5), "-0.05");
        assert_eq!(yuan(i64::MAX), format!("{} 分", i64::MAX));
    }

    #[test]
    fn outcome_names_and_serde() {
        assert_eq!(BondOutcome::Refunded.name(), "已退还");
        assert_eq!(serde_json::to_value(BondOutcome::Forfeited).unwrap(), "forfeited");
    }
}
