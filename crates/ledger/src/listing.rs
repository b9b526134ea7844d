//! A listing's deposits (竞买保证金, land.deposit.refund): only a bidder whose deposit is
//! held quotes; when the listing ends every deposit still held goes back at once but the
//! winner's, which is applied to the price when the winner signs the confirmation or
//! forfeited when it refuses.

use ggzy_rules::rule_ids;

use crate::settlement::Settlement;
use crate::BondStatus;

/// Why a bidder may not quote: it has no deposit held (none paid, or refunded already).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoDeposit;

impl NoDeposit {
    /// The rule that makes the deposit the condition of quoting.
    pub const RULE: &'static str = rule_ids::LAND_DEPOSIT_REFUND;

    pub fn detail(self) -> &'static str {
        "未缴纳竞买保证金（或保证金已退还）的竞买人不能报价"
    }
}

/// Whether a bidder whose deposit is in `deposit` (none when it never paid) may quote.
pub fn may_quote(deposit: Option<BondStatus>) -> Result<(), NoDeposit> {
    if deposit.is_some_and(BondStatus::backs_a_bid) {
        Ok(())
    } else {
        Err(NoDeposit)
    }
}

/// Why the winner's deposit cannot be settled: it is no longer held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WinnerDepositNotHeld(pub BondStatus);

impl WinnerDepositNotHeld {
    pub fn detail(self) -> String {
        format!("竞得人保证金当前状态（{}）", self.0.as_str())
    }
}

/// Where the winner's deposit goes on its answer: applied to the price on a confirmation,
/// forfeited with the refusal's `reason` otherwise.
pub fn winner_settlement(deposit: BondStatus, refusal: Option<&str>) -> Result<Settlement<'_>, WinnerDepositNotHeld> {
    if !deposit.backs_a_bid() {
        return Err(WinnerDepositNotHeld(deposit));
    }
    Ok(match refusal {
        None => Settlement::ApplyToPrice,
        Some(reason) => Settlement::Forfeit { reason, rule: rule_ids::LAND_DEPOSIT_REFUND },
    })
}

/// A deposit of a listed section when the listing ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndingDeposit<'a> {
    pub bond_id: &'a str,
    pub bidder_id: &'a str,
    pub status: BondStatus,
}

/// The deposits whose refunds a listing's end instructs at once, in the order given: every
/// one still held but the winner's.
pub fn refunds_at_end<'a>(deposits: &[EndingDeposit<'a>], winner_id: Option<&str>) -> Vec<&'a str> {
    deposits
        .iter()
        .filter(|d| d.status.refunded_at_listing_end(winner_id == Some(d.bidder_id)))
        .map(|d| d.bond_id)
        .collect()
}

/// The rule a listing's close cites: the deposits' refund rule once the listing is over, none
/// when it only moved to an auction.
pub fn close_rule(concluded: bool) -> Option<&'static str> {
    concluded.then_some(rule_ids::LAND_DEPOSIT_REFUND)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_held_deposit_admits_quotes() {
        let cases = [
            (None, false),
            (Some(BondStatus::Held), true),
            (Some(BondStatus::RefundPending), false),
            (Some(BondStatus::Refunded), false),
            (Some(BondStatus::Forfeited), false),
            (Some(BondStatus::AppliedToPrice), false),
        ];
        for (deposit, admitted) in cases {
            assert_eq!(may_quote(deposit).is_ok(), admitted, "{deposit:?}");
        }
        assert_eq!(NoDeposit::RULE, "land.deposit.refund");
        assert_eq!(NoDeposit.detail(), "未缴纳竞买保证金（或保证金已退还）的竞买人不能报价");
    }

    #[test]
    fn the_winners_answer_applies_or_forfeits_a_held_deposit() {
        assert_eq!(winner_settlement(BondStatus::Held, None), Ok(Settlement::ApplyToPrice));
        assert_eq!(
            winner_settlement(BondStatus::Held, Some("放弃")),
            Ok(Settlement::Forfeit { reason: "放弃", rule: rule_ids::LAND_DEPOSIT_REFUND })
        );
        for status in [BondStatus::RefundPending, BondStatus::Refunded, BondStatus::Forfeited] {
            let refused = winner_settlement(status, Some("放弃"));
            assert_eq!(refused, Err(WinnerDepositNotHeld(status)));
            assert_eq!(winner_settlement(status, None), Err(WinnerDepositNotHeld(status)));
        }
        assert_eq!(WinnerDepositNotHeld(BondStatus::Refunded).detail(), "竞得人保证金当前状态（refunded）");
    }

    #[test]
    fn the_end_refunds_every_held_deposit_but_the_winners() {
        let deposits = [
            EndingDeposit { bond_id: "b1", bidder_id: "winner", status: BondStatus::Held },
            EndingDeposit { bond_id: "b2", bidder_id: "loser", status: BondStatus::Held },
            EndingDeposit { bond_id: "b3", bidder_id: "gone", status: BondStatus::RefundPending },
            EndingDeposit { bond_id: "b4", bidder_id: "other", status: BondStatus::Held },
        ];
        let cases: [(Option<&str>, &[&str]); 3] =
            [(Some("winner"), &["b2", "b4"]), (None, &["b1", "b2", "b4"]), (Some("loser"), &["b1", "b4"])];
        for (winner, refunded) in cases {
            assert_eq!(refunds_at_end(&deposits, winner), refunded, "{winner:?}");
        }
        assert!(refunds_at_end(&[], Some("winner")).is_empty());
    }

    #[test]
    fn a_close_cites_the_refund_rule_only_when_the_listing_is_over() {
        assert_eq!(close_rule(true), Some("land.deposit.refund"));
        assert_eq!(close_rule(false), None);
    }
}
