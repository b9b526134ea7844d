//! Where a bond's money goes: into the bond's own account when it is deposited; when it
//! leaves the bond account, to the tenderer's (seller's)
//! payable account when it is forfeited or applied to the price, back to the bidder by a
//! refund instruction (which attempt it is, under which rule, sending back what), tried again after a failed payment, and posted or voided on the
//! bank's answer. The transfer ids are part of the decision: they make every instruction
//! idempotent and let a later one find the earlier ones.

use chrono::{DateTime, Utc};
use ggzy_kernel::WorkingCalendar;
use ggzy_rules::{rule_ids, Category, DeadlineError, RuleSet};

use crate::{
    apply_to_price, deposit, forfeit, refund_post, refund_void, Account, BondCommand, BondForm, RefundClock,
    RefundFacts, RefundInstruction, RefundTrigger, Transfer,
};

/// A deposited bond's own account (`bond:<bond id>`) and, for a form whose money passes
/// through the dedicated account, the transfer of `amount` (fen) from the `pool` into it.
pub fn deposited(
    bond_id: &str,
    bidder_id: &str,
    section_id: &str,
    form: BondForm,
    amount: i64,
    pool: &str,
) -> (Account, Option<Transfer>) {
    let account = Account::bidder_bond(format!("bond:{bond_id}"), bidder_id, section_id);
    let transfer = form.moves_money().then(|| deposit(format!("deposit:{bond_id}"), pool, &account.id, amount));
    (account, transfer)
}

/// Where a held bond's money goes when it is not refunded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settlement<'a> {
    /// 没收: the bidder breached; `rule` says which rule takes it.
    Forfeit { reason: &'a str, rule: &'static str },
    /// 转作价款: a listing's winner confirmed the sale (land.deposit.refund).
    ApplyToPrice,
}

impl Settlement<'_> {
    /// The command that moves the bond's status.
    pub fn command(self) -> BondCommand {
        match self {
            Settlement::Forfeit { .. } => BondCommand::Forfeit,
            Settlement::ApplyToPrice => BondCommand::ApplyToPrice,
        }
    }

    /// The transfer of what the bond account `held` (fen) to the payable account.
    pub fn transfer(self, bond_id: &str, bond_account: &str, payable: &str, held: i64) -> Transfer {
        match self {
            Settlement::Forfeit { reason, rule } => {
                forfeit(format!("forfeit:{bond_id}"), bond_account, payable, held, reason, rule)
            }
            Settlement::ApplyToPrice => apply_to_price(format!("apply:{bond_id}"), bond_account, payable, held),
        }
    }
}

/// The payable account of a tenderer (or seller) for a section, which forfeits and applied
/// deposits credit.
pub fn payable_account_id(tenderer_id: &str, section_id: &str) -> String {
    format!("payable:{tenderer_id}:{section_id}")
}

/// The payable account of a tenderer (or seller) for a section ([`payable_account_id`]),
/// opened when its first forfeit or applied deposit comes.
pub fn payable_account(tenderer_id: &str, section_id: &str) -> Account {
    Account::tenderer_payable(payable_account_id(tenderer_id, section_id), tenderer_id, section_id)
}

/// The ids under which the refund attempts of a bond that count toward the next attempt
/// are recorded (the first three).
pub fn counted_refund_ids(bond_id: &str) -> Vec<String> {
    (1..=3).map(|n| refund_id(bond_id, n)).collect()
}

/// The attempt an instruction is, given how many of the counted attempts are recorded.
pub fn next_refund_attempt(recorded: usize) -> usize {
    recorded + 1
}

/// Whether an instruction sends back what the account holds (read for it): a repeated
/// instruction, after a failed payment, does.
pub fn repeats_refund(attempt: usize) -> bool {
    attempt > 1
}

/// The rule a refund is made under: the one its clock started under, otherwise bond.central.
pub fn refund_rule_or_central(started_under: Option<&str>) -> String {
    started_under.unwrap_or(rule_ids::BOND_CENTRAL).to_owned()
}

/// The instruction to refund a bond through its account `bond_account`, given how many of
/// its counted refund attempts are recorded (`recorded`, read under [`counted_refund_ids`])
/// and what the account holds now (`held_now`, its credit balance, none if it has no
/// account): the attempt it is, the rule it is made under (the one its clock started under,
/// otherwise bond.central) and, for a repeated instruction only, what goes back.
pub fn refund_instruction<'a>(
    bond_id: &'a str,
    bond_account: &'a str,
    started_under: Option<&'a str>,
    recorded: usize,
    held_now: Option<i64>,
    facts: RefundFacts,
) -> RefundInstruction<'a> {
    let attempt = next_refund_attempt(recorded);
    RefundInstruction {
        bond_id,
        bond_account,
        rule_id: started_under.unwrap_or(rule_ids::BOND_CENTRAL),
        attempt,
        facts,
        held: held_now.filter(|_| repeats_refund(attempt)),
    }
}

/// The ids of a bond's refund instructions the bank may be answering, in order; the last
/// one recorded is the pending one.
pub fn answerable_refund_ids(bond_id: &str) -> Vec<String> {
    (1..=9).map(|n| refund_id(bond_id, n)).collect()
}

/// The bank's answer to the pending refund: posted when paid, voided (with the bank's
/// reference) when not.
pub fn answer_refund(pending: &Transfer, paid: bool, bank_reference: &str) -> Transfer {
    if paid {
        refund_post(format!("{}:posted", pending.id), pending)
    } else {
        refund_void(format!("{}:voided", pending.id), pending, bank_reference)
    }
}

/// A bond of a section as an event that starts refund clocks looks at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockedBond<'a> {
    pub bidder_id: &'a str,
    /// Whether the bond has its outcome.
    pub settled: bool,
    /// Whether its refund clock already runs (it has a deadline).
    pub clock_running: bool,
}

impl ClockedBond<'_> {
    /// The clock `event` starts for this bond at `now` ([`RefundClock::for_event`]), the
    /// bond being the winner's when its bidder is `winner_id`; none for a bond settled or
    /// already on a clock, or that no rule refunds at this event.
    pub fn clock(
        &self,
        category: Category,
        event: RefundTrigger,
        winner_id: Option<&str>,
        rule_set: &RuleSet,
        now: DateTime<Utc>,
        calendar: &WorkingCalendar,
    ) -> Result<Option<RefundClock>, DeadlineError> {
        let winner = winner_id == Some(self.bidder_id);
        let settled_or_running = self.settled || self.clock_running;
        RefundClock::for_event(category, event, winner, settled_or_running, rule_set, now, calendar)
    }
}

/// The tender's staff asked to start the refunds of a section whose bidders are still
/// secret: the bonds' list would tell who bid (招标投标法 §22).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SealedRefunds;

/// The section's state; a tender that ends before its opening ends with its project.
impl From<SealedRefunds> for ggzy_kernel::Answer {
    fn from(_: SealedRefunds) -> Self {
        ggzy_kernel::Answer::Conflict("开标前不能启动本标段保证金的退还；终止招标请终止项目".into())
    }
}

/// Whether an event may start the refund clocks of a section's bonds: only once its bidders
/// are no longer secret (`sealed` until the opening).
pub fn may_start_refunds(sealed: bool) -> Result<(), SealedRefunds> {
    if sealed {
        Err(SealedRefunds)
    } else {
        Ok(())
    }
}

fn refund_id(bond_id: &str, attempt: usize) -> String {
    format!("refund:{bond_id}:{attempt}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{refund_pending, TransferKind};

    #[test]
    fn refunds_start_only_once_the_bidders_are_known() {
        assert_eq!(may_start_refunds(false), Ok(()));
        assert_eq!(may_start_refunds(true), Err(SealedRefunds));
        assert_eq!(
            ggzy_kernel::Answer::from(SealedRefunds),
            ggzy_kernel::Answer::Conflict("开标前不能启动本标段保证金的退还；终止招标请终止项目".into())
        );
    }

    #[test]
    fn a_cash_deposit_moves_its_amount_from_the_pool_into_the_bonds_own_account() {
        let (account, transfer) = deposited("b1", "bidder-1", "s1", BondForm::Transfer, 1_200, "pool");
        assert_eq!(account, Account::bidder_bond("bond:b1", "bidder-1", "s1"));
        let transfer = transfer.unwrap();
        assert_eq!(transfer.id, "deposit:b1");
        assert_eq!((transfer.debit_account_id.as_str(), transfer.credit_account_id.as_str()), ("pool", "bond:b1"));
        assert_eq!(transfer.amount, 1_200);
        assert_eq!(transfer.kind, TransferKind::Deposit);
    }

    #[test]
    fn a_guarantee_opens_the_account_and_moves_no_money() {
        let (account, transfer) = deposited("b1", "bidder-1", "s1", BondForm::Guarantee, 1_200, "pool");
        assert_eq!(account.id, "bond:b1");
        assert_eq!(transfer, None);
    }

    #[test]
    fn a_forfeit_moves_the_held_money_to_the_payable_under_its_rule() {
        let settlement =
            Settlement::Forfeit { reason: "撤销投标文件", rule: rule_ids::CONSTRUCTION_BOND_FORFEIT };
        assert_eq!(settlement.command(), BondCommand::Forfeit);
        let transfer = settlement.transfer("b1", "bond:b1", "payable:t1:s1", 1_200);
        assert_eq!(transfer.id, "forfeit:b1");
        assert_eq!(
            (transfer.debit_account_id.as_str(), transfer.credit_account_id.as_str()),
            ("bond:b1", "payable:t1:s1")
        );
        assert_eq!(transfer.amount, 1_200);
        assert_eq!(transfer.kind, TransferKind::Forfeit);
        assert_eq!(transfer.reason.as_deref(), Some("撤销投标文件"));
        assert_eq!(transfer.rule_id.as_deref(), Some(rule_ids::CONSTRUCTION_BOND_FORFEIT));
    }

    #[test]
    fn an_applied_deposit_moves_the_held_money_toward_the_price() {
        assert_eq!(Settlement::ApplyToPrice.command(), BondCommand::ApplyToPrice);
        let transfer = Settlement::ApplyToPrice.transfer("b1", "bond:b1", "payable:t1:s1", 0);
        assert_eq!(transfer.id, "apply:b1");
        assert_eq!(transfer.kind, TransferKind::ApplyToPrice);
        assert_eq!(transfer.amount, 0);
        assert_eq!(transfer.rule_id.as_deref(), Some(rule_ids::LAND_DEPOSIT_REFUND));
    }

    #[test]
    fn the_payable_account_is_the_tenderers_of_the_section() {
        assert_eq!(payable_account_id("t1", "s1"), "payable:t1:s1");
        let account = payable_account("t1", "s1");
        assert_eq!(account, Account::tenderer_payable("payable:t1:s1", "t1", "s1"));
        assert_eq!((account.owner.as_deref(), account.section_id.as_deref()), (Some("t1"), Some("s1")));
    }

    #[test]
    fn attempts_count_the_first_three_and_a_repeat_sends_back_what_is_held() {
        assert_eq!(counted_refund_ids("b1"), ["refund:b1:1", "refund:b1:2", "refund:b1:3"]);
        assert_eq!(next_refund_attempt(0), 1);
        assert_eq!(next_refund_attempt(3), 4);
        assert!(!repeats_refund(1));
        assert!(repeats_refund(2));
    }

    #[test]
    fn a_refund_runs_under_its_clocks_rule_or_bond_central() {
        assert_eq!(refund_rule_or_central(Some("procurement.bond.refund_losers")), "procurement.bond.refund_losers");
        assert_eq!(refund_rule_or_central(None), rule_ids::BOND_CENTRAL);
    }

    fn facts() -> RefundFacts {
        use chrono::TimeZone;
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap();
        RefundFacts {
            category: Category::Procurement,
            amount: 1_000,
            deposited_on: now.date_naive(),
            refund_deadline: None,
            now,
            today: now.date_naive(),
        }
    }

    #[test]
    fn a_first_instruction_sends_back_nothing_read_and_runs_under_its_clocks_rule() {
        let first = refund_instruction("b1", "bond:b1", Some("procurement.bond.refund_losers"), 0, Some(900), facts());
        assert_eq!((first.bond_id, first.bond_account), ("b1", "bond:b1"));
        assert_eq!(first.attempt, 1);
        assert_eq!(first.rule_id, "procurement.bond.refund_losers");
        assert_eq!(first.held, None);
        assert_eq!(first.facts, facts());
    }

    #[test]
    fn a_repeated_instruction_sends_back_what_the_account_holds_under_bond_central() {
        let second = refund_instruction("b1", "bond:b1", None, 1, Some(900), facts());
        assert_eq!(second.attempt, 2);
        assert_eq!(second.rule_id, rule_ids::BOND_CENTRAL);
        assert_eq!(second.held, Some(900));
        assert_eq!(refund_instruction("b1", "bond:b1", None, 3, None, facts()).held, None);
    }

    #[test]
    fn the_banks_answer_posts_or_voids_the_pending_refund() {
        let ids = answerable_refund_ids("b1");
        assert_eq!(ids.len(), 9);
        assert_eq!((ids[0].as_str(), ids[8].as_str()), ("refund:b1:1", "refund:b1:9"));
        let pending = refund_pending("refund:b1:2", "bond:b1", "pool", 500, rule_ids::BOND_CENTRAL);
        let posted = answer_refund(&pending, true, "R-1");
        assert_eq!(posted.id, "refund:b1:2:posted");
        assert!(posted.flags.post_pending);
        assert_eq!(posted.pending_id.as_deref(), Some("refund:b1:2"));
        assert_eq!(posted.amount, 500);
        let voided = answer_refund(&pending, false, "R-1");
        assert_eq!(voided.id, "refund:b1:2:voided");
        assert!(voided.flags.void_pending);
        assert_eq!(voided.reason.as_deref(), Some("R-1"));
    }

    #[test]
    fn an_event_starts_the_clock_of_each_bond_it_refunds() {
        use chrono::TimeZone;
        let rule_set = RuleSet::seed();
        let calendar = WorkingCalendar::official().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap();
        let bond = |bidder_id, settled, clock_running| ClockedBond { bidder_id, settled, clock_running };
        let clock = |b: ClockedBond<'_>, winner: Option<&str>| {
            b.clock(Category::Procurement, RefundTrigger::AwardNotice, winner, &rule_set, now, &calendar).unwrap()
        };
        let loser = clock(bond("b1", false, false), Some("b2")).unwrap();
        assert_eq!(loser.rule, rule_ids::PROCUREMENT_BOND_REFUND_LOSERS);
        assert_eq!((loser.trigger, loser.started_at), (RefundTrigger::AwardNotice, now));
        assert_eq!(clock(bond("b1", false, false), None), Some(loser));
        // The procurement winner waits for its contract; a settled bond and a running clock are left alone.
        assert_eq!(clock(bond("b2", false, false), Some("b2")), None);
        assert_eq!(clock(bond("b1", true, false), Some("b2")), None);
        assert_eq!(clock(bond("b1", false, true), Some("b2")), None);
    }
}
