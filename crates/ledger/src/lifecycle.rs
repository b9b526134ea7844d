//! The decisions of a bond's life, as pure functions: where a bond stands
//! ([`BondStatus`]) and which command may move it where, which refund rule applies when
//! a refund clock starts ([`refund_rule`]), and what a refund carries on top of the
//! principal ([`refund_additions`]: construction interest, procurement late fee).
//!
//! The service loads a bond, asks these, writes what they answer and audits it.

use chrono::{DateTime, NaiveDate, Utc};
use ggzy_kernel::{closed_enum, Answer, FieldError, Money, WorkingCalendar};
use ggzy_rules::{rule_ids, BondRates, Category, DeadlineError, RuleSet};

use crate::bond::{demand_deposit_interest, late_fee, BondOutcome};

closed_enum! {
    /// Where a bond stands (保证金状态).
    pub enum BondStatus {
        /// 已缴纳，由平台保证金专户持有
        Held = "held",
        /// 已发出退款指令，等待银行确认
        RefundPending = "refund_pending",
        /// 银行退款失败，待重新发出指令
        RefundFailed = "refund_failed",
        /// 已退还
        Refunded = "refunded",
        /// 保函等非现金形式已退回（没有资金移动）
        Returned = "returned",
        /// 已没收
        Forfeited = "forfeited",
        /// 已转作价款
        AppliedToPrice = "applied_to_price",
    }
}

closed_enum! {
    /// How a bond is given.
    pub enum BondForm {
        /// Bank transfer (转账); construction requires the bidder's basic account.
        Transfer = "transfer",
        /// 支票
        Cheque = "cheque",
        /// 汇票
        Draft = "draft",
        /// Bank guarantee or 电子保函: recorded, no money moves.
        Guarantee = "guarantee",
    }
}

impl BondForm {
    /// Whether the bond's money passes through the dedicated account.
    pub fn moves_money(self) -> bool {
        self != BondForm::Guarantee
    }
}

closed_enum! {
    /// What starts a bond's refund clock.
    pub enum RefundTrigger {
        /// The bidder withdrew before the deadline.
        Withdrawal = "withdrawal",
        /// The award notice went out (procurement: losers).
        AwardNotice = "award_notice",
        /// The written contract was signed.
        ContractSigned = "contract_signed",
        /// The tender was terminated.
        Termination = "termination",
    }
}

closed_enum! {
    /// Why a bond is forfeited (construction.bond.forfeit).
    pub enum ForfeitReason {
        WithdrawalAfterDeadline = "withdrawal_after_deadline",
        RefusedToSign = "refused_to_sign",
        AddedConditions = "added_conditions",
        NoPerformanceBond = "no_performance_bond",
    }
}

/// A command on a bond.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BondCommand {
    /// The centre instructs the bank to refund (or gives a guarantee back).
    InstructRefund,
    /// The bank answers a pending refund.
    ConfirmRefund { paid: bool },
    /// The tenderer forfeits the bond (construction.bond.forfeit).
    Forfeit,
    /// A listing's winner confirmed the sale: the deposit becomes part of the price.
    ApplyToPrice,
}

/// A command the bond's status does not allow, with the status it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BondStateRefusal {
    pub status: BondStatus,
    pub command: BondCommand,
}

impl BondStateRefusal {
    /// Why, in Chinese, for the problem detail.
    pub fn detail(self) -> String {
        let what = match self.command {
            BondCommand::InstructRefund => "不能发出退款指令",
            BondCommand::ConfirmRefund { .. } => "没有待确认的退款",
            BondCommand::Forfeit => "不能没收",
            BondCommand::ApplyToPrice => "不能转作价款",
        };
        format!("保证金当前状态（{}）{what}", self.status.as_str())
    }
}

/// A command the bond's status does not allow is a conflict naming the status.
impl From<BondStateRefusal> for Answer {
    fn from(refusal: BondStateRefusal) -> Self {
        Answer::Conflict(refusal.detail())
    }
}

impl BondStatus {
    /// The status after `command` on a bond given in `form`, or the refusal.
    pub fn after(self, command: BondCommand, form: BondForm) -> Result<BondStatus, BondStateRefusal> {
        use BondStatus::*;
        let next = match (self, command) {
            (Held | RefundFailed, BondCommand::InstructRefund) if !form.moves_money() => Some(Returned),
            (Held | RefundFailed, BondCommand::InstructRefund) => Some(RefundPending),
            (RefundPending, BondCommand::ConfirmRefund { paid: true }) => Some(Refunded),
            (RefundPending, BondCommand::ConfirmRefund { paid: false }) => Some(RefundFailed),
            (Held, BondCommand::Forfeit) => Some(Forfeited),
            (Held, BondCommand::ApplyToPrice) => Some(AppliedToPrice),
            _ => None,
        };
        next.ok_or(BondStateRefusal { status: self, command })
    }

    /// How a bond in this status ended, if it has.
    pub fn outcome(self) -> Option<BondOutcome> {
        match self {
            BondStatus::Refunded | BondStatus::Returned => Some(BondOutcome::Refunded),
            BondStatus::Forfeited => Some(BondOutcome::Forfeited),
            BondStatus::AppliedToPrice => Some(BondOutcome::AppliedToPrice),
            BondStatus::Held | BondStatus::RefundPending | BondStatus::RefundFailed => None,
        }
    }

    /// Whether the bond still stands behind a bid (held, nothing decided about it).
    pub fn backs_a_bid(self) -> bool {
        self == BondStatus::Held
    }

    /// Whether a listing's end instructs this deposit's refund at once: every deposit still
    /// behind a quote but the winner's, which waits for the confirmation (land.deposit.refund).
    pub fn refunded_at_listing_end(self, winner: bool) -> bool {
        self.backs_a_bid() && !winner
    }
}

impl RefundTrigger {
    /// What a listing's end starts the deposits' refund clocks with: a sale is the award;
    /// a failure ends the trade.
    pub fn of_listing_end(sold: bool) -> RefundTrigger {
        if sold {
            RefundTrigger::AwardNotice
        } else {
            RefundTrigger::Termination
        }
    }
}

/// The refund rule a bond's clock runs under when `event` happens in a section of
/// `category`, or `None` when the event does not start its clock (the winner's deposit of
/// a listing counts toward the price; a procurement winner waits for the contract). A
/// withdrawal starts no section-wide clock: only the withdrawing bidder's bond goes back
/// ([`withdrawal_refund_rule`]).
pub fn refund_rule(category: Category, event: RefundTrigger, winner: bool) -> Option<&'static str> {
    match (category, event, winner) {
        // The winner's deposit counts toward the price; everyone else's goes back.
        (Category::LandMining | Category::StateProperty, _, true) => None,
        (Category::LandMining | Category::StateProperty, _, false) => Some(rule_ids::LAND_DEPOSIT_REFUND),
        (Category::Procurement, RefundTrigger::AwardNotice, false) => Some(rule_ids::PROCUREMENT_BOND_REFUND_LOSERS),
        (Category::Procurement, RefundTrigger::ContractSigned, _) => Some(rule_ids::PROCUREMENT_BOND_REFUND_WINNER),
        (Category::Procurement, RefundTrigger::Termination, _) => Some(rule_ids::PROCUREMENT_BOND_REFUND_ON_WITHDRAWAL),
        (_, RefundTrigger::ContractSigned, _) => Some(rule_ids::CONSTRUCTION_BOND_REFUND_AFTER_CONTRACT),
        (_, RefundTrigger::Termination, _) => Some(rule_ids::CONSTRUCTION_BOND_REFUND_ON_TERMINATION),
        _ => None,
    }
}

/// The refund rule of the bond of a bid withdrawn before the deadline: procurement's, or
/// construction's for every other tender.
pub fn withdrawal_refund_rule(category: Category) -> &'static str {
    if category == Category::Procurement {
        rule_ids::PROCUREMENT_BOND_REFUND_ON_WITHDRAWAL
    } else {
        rule_ids::CONSTRUCTION_BOND_REFUND_ON_WITHDRAWAL
    }
}

/// A bond's refund clock as it starts: what started it, under which rule, and when the
/// refund is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundClock {
    pub trigger: RefundTrigger,
    pub rule: &'static str,
    pub started_at: DateTime<Utc>,
    pub deadline: DateTime<Utc>,
}

impl RefundClock {
    fn start(
        trigger: RefundTrigger,
        rule: &'static str,
        rule_set: &RuleSet,
        now: DateTime<Utc>,
        calendar: &WorkingCalendar,
    ) -> Result<RefundClock, DeadlineError> {
        let deadline = rule_set.due(rule, now, calendar)?;
        Ok(RefundClock { trigger, rule, started_at: now, deadline: deadline.due })
    }

    /// The clock `event` starts for one bond of a section at `now`, or `None` when it starts
    /// none: the bond is settled or already on a clock, or no rule applies to it
    /// ([`refund_rule`]).
    pub fn for_event(
        category: Category,
        event: RefundTrigger,
        winner: bool,
        settled_or_running: bool,
        rule_set: &RuleSet,
        now: DateTime<Utc>,
        calendar: &WorkingCalendar,
    ) -> Result<Option<RefundClock>, DeadlineError> {
        if settled_or_running {
            return Ok(None);
        }
        refund_rule(category, event, winner)
            .map(|rule| RefundClock::start(event, rule, rule_set, now, calendar))
            .transpose()
    }

    /// The clock of the bond behind a bid withdrawn at `now` ([`withdrawal_refund_rule`]).
    pub fn for_withdrawal(
        category: Category,
        rule_set: &RuleSet,
        now: DateTime<Utc>,
        calendar: &WorkingCalendar,
    ) -> Result<RefundClock, DeadlineError> {
        RefundClock::start(RefundTrigger::Withdrawal, withdrawal_refund_rule(category), rule_set, now, calendar)
    }
}

/// What a first refund instruction must know about its bond.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefundFacts {
    pub category: Category,
    /// The principal, fen.
    pub amount: i64,
    /// The Beijing date the bond was deposited.
    pub deposited_on: NaiveDate,
    /// When the refund was due at the latest (24:00 Beijing time of the last day), if its
    /// clock has started.
    pub refund_deadline: Option<DateTime<Utc>>,
    /// Now, and today's Beijing date.
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
}

/// The procurement late fee of a refund: how much, for how many days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LateFee {
    pub fee: i64,
    pub days_late: u32,
}

/// What a first refund pays on top of the principal, fen. A repeated instruction (after a
/// failed payment) refunds whatever the bond account holds and adds nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RefundAdditions {
    /// Demand-deposit interest of a construction bond
    /// (construction.bond.refund_after_contract), for the days between Beijing dates as
    /// the bank counts them.
    pub interest: i64,
    /// The fee of a late procurement refund (procurement.bond.late_fee), owed by the
    /// platform (bond.central), in whole days after the last day of the period.
    pub late_fee: Option<LateFee>,
}

impl RefundAdditions {
    pub fn total(self) -> i64 {
        self.interest + self.late_fee.map_or(0, |l| l.fee)
    }
}

/// The additions of a first refund instruction.
pub fn refund_additions(facts: RefundFacts, rates: BondRates) -> RefundAdditions {
    let mut additions = RefundAdditions::default();
    if facts.category == Category::Construction {
        let days = u32::try_from((facts.today - facts.deposited_on).num_days().max(0)).unwrap_or(0);
        additions.interest = demand_deposit_interest(facts.amount, rates.demand_deposit_basis_points, days);
    }
    if let (Category::Procurement, Some(deadline)) = (facts.category, facts.refund_deadline) {
        if facts.now >= deadline {
            // The deadline is 24:00 of the last day: the last day is the one just before it.
            let last_day = ggzy_kernel::local_date(deadline - chrono::Duration::seconds(1));
            let days_late = u32::try_from((facts.today - last_day).num_days().max(0)).unwrap_or(0);
            let fee = late_fee(facts.amount, rates.loan_benchmark_basis_points, days_late);
            if fee > 0 {
                additions.late_fee = Some(LateFee { fee, days_late });
            }
        }
    }
    additions
}

/// The platform's accounts a refund moves money between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefundAccounts<'a> {
    /// The dedicated bond account's pool.
    pub pool: &'a str,
    /// Where the bank's payments of interest and fees come from.
    pub bank_clearing: &'a str,
    pub interest_expense: &'a str,
    pub late_fee_expense: &'a str,
}

impl RefundAccounts<'_> {
    /// The platform's own accounts of these that are not yet open (`existing` lists the ids
    /// open), with their kinds: the pool, the bank clearing and the two expense accounts.
    pub fn missing(&self, existing: &[String]) -> Vec<crate::Account> {
        [
            (self.pool, crate::AccountKind::BondPool),
            (self.bank_clearing, crate::AccountKind::BankClearing),
            (self.interest_expense, crate::AccountKind::InterestExpense),
            (self.late_fee_expense, crate::AccountKind::LateFeeExpense),
        ]
        .into_iter()
        .filter(|(id, _)| !existing.iter().any(|open| open == id))
        .map(|(id, kind)| crate::Account::new(id, kind))
        .collect()
    }

    /// The ids of all four.
    pub fn ids(&self) -> Vec<String> {
        [self.pool, self.bank_clearing, self.interest_expense, self.late_fee_expense].map(str::to_owned).to_vec()
    }
}

/// One instruction to refund a held bond.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefundInstruction<'a> {
    pub bond_id: &'a str,
    pub bond_account: &'a str,
    /// The rule the refund is made under.
    pub rule_id: &'a str,
    /// 1 for the first instruction, one more after each failed payment.
    pub attempt: usize,
    pub facts: RefundFacts,
    /// What the bond account holds now (its credit balance), when it was read: a repeated
    /// instruction sends that back.
    pub held: Option<i64>,
}

/// The transfers of a refund instruction, in the order they are applied, and what goes back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundPlan {
    pub transfers: Vec<crate::Transfer>,
    /// The amount of the pending refund, fen.
    pub amount: i64,
    /// The late fee the platform owes, to put on record (bond.central).
    pub late_fee: Option<LateFee>,
}

/// Plans a refund instruction. A first one adds the interest or late fee
/// (`refund_additions`), each funded into the pool from the bank and credited to the bond
/// account in linked transfers, and refunds the principal with them; a repeated one (after
/// a failed payment) adds nothing and refunds what the bond account holds. The refund
/// itself is a pending transfer, posted or voided when the bank answers.
pub fn plan_refund(instruction: &RefundInstruction<'_>, rates: BondRates, accounts: &RefundAccounts<'_>) -> RefundPlan {
    let RefundInstruction { bond_id, bond_account, rule_id, attempt, facts, held } = *instruction;
    let additions = if attempt == 1 { refund_additions(facts, rates) } else { RefundAdditions::default() };
    let mut transfers = Vec::new();
    if additions.interest > 0 {
        transfers.push(
            crate::fund_pool(
                format!("interest-funding:{bond_id}"),
                accounts.bank_clearing,
                accounts.pool,
                additions.interest,
                "活期存款利息",
            )
            .into_linked(),
        );
        transfers.push(
            crate::interest_transfer(
                format!("interest:{bond_id}"),
                accounts.interest_expense,
                bond_account,
                additions.interest,
                rule_ids::CONSTRUCTION_BOND_REFUND_AFTER_CONTRACT,
            )
            .into_linked(),
        );
    }
    if let Some(late) = additions.late_fee {
        transfers.push(
            crate::fund_pool(
                format!("late-fee-funding:{bond_id}"),
                accounts.bank_clearing,
                accounts.pool,
                late.fee,
                "逾期退还保证金资金占用费",
            )
            .into_linked(),
        );
        transfers.push(
            crate::late_fee_transfer(format!("late-fee:{bond_id}"), accounts.late_fee_expense, bond_account, late.fee)
                .into_linked(),
        );
    }
    let first_amount = facts.amount + additions.total();
    // Whatever the bond account holds now goes back (principal and interest).
    let amount = if attempt > 1 { held.unwrap_or(first_amount) } else { first_amount };
    transfers.push(crate::refund_pending(
        format!("refund:{bond_id}:{attempt}"),
        bond_account,
        accounts.pool,
        amount,
        rule_id,
    ));
    RefundPlan { transfers, amount, late_fee: additions.late_fee }
}

/// What a bond's deposit is decided on, loaded by the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepositFacts {
    pub category: Category,
    /// The section's bid deadline; none before its tender announcement.
    pub bid_deadline: Option<DateTime<Utc>>,
    /// The bond the announcement asks for, in fen.
    pub announced_bond: i64,
    /// Whether the bidder already has a bond in the section.
    pub already_posted: bool,
}

/// A bond as the bidder offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfferedBond {
    pub form: BondForm,
    /// In fen.
    pub amount: i64,
    /// Whether the money comes from the bidder's basic account (基本账户), when it says.
    pub from_basic_account: Option<bool>,
}

/// Why a deposit is refused, first reason first. `C` is the credit gate's refusal, decided
/// by the credit crate and passed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DepositRefusal<C> {
    NotAnnounced,
    /// The bid deadline has passed: no bid can follow the bond.
    DeadlinePassed,
    Credit(C),
    /// Not the amount the announcement asks for.
    NotTheAnnouncedBond {
        announced: i64,
    },
    /// Government procurement takes no cash bond (procurement.bond.cap).
    CashNotAccepted,
    /// A construction bidder's cash or cheque leaves its basic account
    /// (construction.bond.basic_account).
    NotFromBasicAccount,
    AlreadyPosted,
}

impl<C> DepositRefusal<C> {
    /// The rule and words a refused deposit is told with; the credit gate's own refusal,
    /// told by the credit crate, comes back as it is.
    pub fn answer(self) -> Result<Answer, C> {
        Ok(match self {
            DepositRefusal::Credit(refusal) => return Err(refusal),
            DepositRefusal::NotAnnounced => Answer::Conflict("该标段尚未发布招标公告，不能缴纳保证金".into()),
            DepositRefusal::DeadlinePassed => Answer::Conflict("投标截止时间已过".into()),
            DepositRefusal::NotTheAnnouncedBond { announced } => {
                let announced = Money::from_fen(announced).map_or_else(|_| announced.to_string(), |m| m.to_string());
                Answer::Invalid(vec![FieldError::new(
                    "amount",
                    "not_the_announced_bond",
                    format!("保证金金额须与公告一致：{announced} 元"),
                )])
            }
            DepositRefusal::CashNotAccepted => Answer::Rule {
                rule: rule_ids::PROCUREMENT_BOND_CAP,
                detail: "政府采购投标保证金应以支票、汇票、本票或保函等非现金形式提交".into(),
                problems: vec![FieldError::new("form", "cash_not_accepted", "政府采购不接受现金转账形式的保证金")],
            },
            DepositRefusal::NotFromBasicAccount => Answer::Rule {
                rule: rule_ids::CONSTRUCTION_BOND_BASIC_ACCOUNT,
                detail: "境内投标人以现金或支票形式提交的投标保证金应当从其基本账户转出".into(),
                problems: vec![FieldError::new(
                    "payer_account.is_basic_account",
                    "not_basic_account",
                    "须从基本账户转出",
                )],
            },
            DepositRefusal::AlreadyPosted => Answer::Conflict("该标段已缴纳保证金".into()),
        })
    }
}

/// Admits a bond's deposit at `now` or names the first reason it is refused. The credit
/// gate's outcome comes after the deadline, as for a bid.
pub fn admit_deposit<C>(
    facts: &DepositFacts,
    offered: OfferedBond,
    credit: Result<(), C>,
    now: DateTime<Utc>,
) -> Result<(), DepositRefusal<C>> {
    let deadline = facts.bid_deadline.ok_or(DepositRefusal::NotAnnounced)?;
    if deadline <= now {
        return Err(DepositRefusal::DeadlinePassed);
    }
    credit.map_err(DepositRefusal::Credit)?;
    if offered.amount != facts.announced_bond {
        return Err(DepositRefusal::NotTheAnnouncedBond { announced: facts.announced_bond });
    }
    if facts.category == Category::Procurement && offered.form == BondForm::Transfer {
        return Err(DepositRefusal::CashNotAccepted);
    }
    if facts.category == Category::Construction
        && offered.form.moves_money()
        && offered.from_basic_account == Some(false)
    {
        return Err(DepositRefusal::NotFromBasicAccount);
    }
    if facts.already_posted {
        return Err(DepositRefusal::AlreadyPosted);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn the_platform_opens_only_its_accounts_not_yet_open() {
        let accounts =
            RefundAccounts { pool: "pool", bank_clearing: "bank", interest_expense: "int", late_fee_expense: "late" };
        assert_eq!(accounts.ids(), ["pool", "bank", "int", "late"]);
        let all = accounts.missing(&[]);
        let kinds: Vec<_> = all.iter().map(|a| (a.id.as_str(), a.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("pool", crate::AccountKind::BondPool),
                ("bank", crate::AccountKind::BankClearing),
                ("int", crate::AccountKind::InterestExpense),
                ("late", crate::AccountKind::LateFeeExpense),
            ]
        );
        let some = accounts.missing(&["pool".into(), "late".into(), "other".into()]);
        assert_eq!(some.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["bank", "int"]);
        assert!(accounts.missing(&accounts.ids()).is_empty());
    }
    use chrono::TimeZone;

    #[test]
    fn a_listing_s_end_refunds_every_deposit_behind_a_quote_but_the_winner_s() {
        assert_eq!(RefundTrigger::of_listing_end(true), RefundTrigger::AwardNotice);
        assert_eq!(RefundTrigger::of_listing_end(false), RefundTrigger::Termination);
        assert!(BondStatus::Held.refunded_at_listing_end(false));
        assert!(!BondStatus::Held.refunded_at_listing_end(true), "the winner's goes to the price");
        for decided in [BondStatus::RefundPending, BondStatus::Refunded, BondStatus::Returned, BondStatus::Forfeited] {
            assert!(!decided.refunded_at_listing_end(false), "{decided:?}");
        }
    }

    #[test]
    fn every_status_answers_every_command_by_the_table() {
        use BondStatus::*;
        let money = BondForm::Transfer;
        let table: &[(BondStatus, BondCommand, Option<BondStatus>)] = &[
            (Held, BondCommand::InstructRefund, Some(RefundPending)),
            (RefundFailed, BondCommand::InstructRefund, Some(RefundPending)),
            (RefundPending, BondCommand::InstructRefund, None),
            (Refunded, BondCommand::InstructRefund, None),
            (RefundPending, BondCommand::ConfirmRefund { paid: true }, Some(Refunded)),
            (RefundPending, BondCommand::ConfirmRefund { paid: false }, Some(RefundFailed)),
            (Held, BondCommand::ConfirmRefund { paid: true }, None),
            (RefundFailed, BondCommand::ConfirmRefund { paid: true }, None),
            (Held, BondCommand::Forfeit, Some(Forfeited)),
            (RefundPending, BondCommand::Forfeit, None),
            (Forfeited, BondCommand::Forfeit, None),
            (Held, BondCommand::ApplyToPrice, Some(AppliedToPrice)),
            (Refunded, BondCommand::ApplyToPrice, None),
        ];
        for (from, command, to) in table {
            assert_eq!(from.after(*command, money).ok(), *to, "{from:?} {command:?}");
        }
        // Every settled status refuses every command.
        for settled in [Refunded, Returned, Forfeited, AppliedToPrice] {
            for command in [
                BondCommand::InstructRefund,
                BondCommand::ConfirmRefund { paid: true },
                BondCommand::Forfeit,
                BondCommand::ApplyToPrice,
            ] {
                assert_eq!(settled.after(command, money), Err(BondStateRefusal { status: settled, command }));
                assert!(settled.outcome().is_some());
            }
        }
    }

    #[test]
    fn a_guarantee_is_given_back_without_a_pending_refund() {
        assert_eq!(BondStatus::Held.after(BondCommand::InstructRefund, BondForm::Guarantee), Ok(BondStatus::Returned));
        assert_eq!(BondStatus::Returned.outcome(), Some(BondOutcome::Refunded));
        assert_eq!(BondStatus::Held.outcome(), None);
    }

    #[test]
    fn refusal_names_the_status_found() {
        let refusal = BondStatus::Refunded.after(BondCommand::Forfeit, BondForm::Cheque).unwrap_err();
        assert_eq!(refusal.detail(), "保证金当前状态（refunded）不能没收");
    }

    #[test]
    fn refund_rules_by_category_event_and_winner() {
        use Category::*;
        use RefundTrigger::*;
        assert_eq!(refund_rule(LandMining, AwardNotice, true), None);
        assert_eq!(refund_rule(StateProperty, Termination, false), Some(rule_ids::LAND_DEPOSIT_REFUND));
        assert_eq!(refund_rule(Procurement, AwardNotice, false), Some(rule_ids::PROCUREMENT_BOND_REFUND_LOSERS));
        assert_eq!(refund_rule(Procurement, AwardNotice, true), None);
        assert_eq!(refund_rule(Procurement, ContractSigned, true), Some(rule_ids::PROCUREMENT_BOND_REFUND_WINNER));
        assert_eq!(refund_rule(Procurement, Termination, false), Some(rule_ids::PROCUREMENT_BOND_REFUND_ON_WITHDRAWAL));
        assert_eq!(
            refund_rule(Construction, ContractSigned, false),
            Some(rule_ids::CONSTRUCTION_BOND_REFUND_AFTER_CONTRACT)
        );
        assert_eq!(
            refund_rule(Construction, Termination, true),
            Some(rule_ids::CONSTRUCTION_BOND_REFUND_ON_TERMINATION)
        );
        assert_eq!(refund_rule(Construction, AwardNotice, false), None);
        // A withdrawal recorded as a section's event starts no clock: it must not send a
        // land winner's deposit back, nor anyone else's.
        assert_eq!(refund_rule(Construction, Withdrawal, false), None);
        assert_eq!(refund_rule(LandMining, Withdrawal, true), None);
        assert_eq!(withdrawal_refund_rule(Construction), rule_ids::CONSTRUCTION_BOND_REFUND_ON_WITHDRAWAL);
        assert_eq!(withdrawal_refund_rule(Other), rule_ids::CONSTRUCTION_BOND_REFUND_ON_WITHDRAWAL);
        assert_eq!(withdrawal_refund_rule(Procurement), rule_ids::PROCUREMENT_BOND_REFUND_ON_WITHDRAWAL);
    }

    fn beijing(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        chrono::FixedOffset::east_opt(8 * 3600).unwrap().with_ymd_and_hms(y, m, d, h, 0, 0).unwrap().with_timezone(&Utc)
    }

    fn facts(category: Category, deadline: Option<DateTime<Utc>>, now: DateTime<Utc>) -> RefundFacts {
        RefundFacts {
            category,
            amount: 100_000_000,
            deposited_on: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            refund_deadline: deadline,
            now,
            today: ggzy_kernel::local_date(now),
        }
    }

    const ACCOUNTS: RefundAccounts<'static> = RefundAccounts {
        pool: "pool",
        bank_clearing: "clearing",
        interest_expense: "interest",
        late_fee_expense: "late-fee",
    };

    /// A ledger holding one deposit of the facts' amount on bond account `b1`.
    fn ledger_with_deposit() -> crate::Ledger {
        use crate::{Account, AccountKind};
        let mut ledger = crate::Ledger::new();
        for account in [
            Account::new("pool", AccountKind::BondPool),
            Account::new("clearing", AccountKind::BankClearing),
            Account::new("interest", AccountKind::InterestExpense),
            Account::new("late-fee", AccountKind::LateFeeExpense),
            Account::bidder_bond("b1", "p1", "s1"),
        ] {
            ledger.create_account(account).unwrap();
        }
        ledger.create_transfers(&[crate::deposit("deposit:b1", "pool", "b1", 100_000_000)]).unwrap();
        ledger
    }

    fn instruction(attempt: usize, facts: RefundFacts, held: Option<i64>) -> RefundInstruction<'static> {
        RefundInstruction { bond_id: "b1", bond_account: "b1", rule_id: "rule", attempt, facts, held }
    }

    #[test]
    fn a_first_refund_funds_and_credits_its_interest_then_refunds_it_with_the_principal() {
        let facts = facts(Category::Construction, None, beijing(2027, 1, 1, 10));
        let plan = plan_refund(&instruction(1, facts, None), BondRates::seed(), &ACCOUNTS);
        let interest = refund_additions(facts, BondRates::seed()).interest;
        assert!(interest > 0);
        let ids: Vec<&str> = plan.transfers.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["interest-funding:b1", "interest:b1", "refund:b1:1"]);
        let linked: Vec<bool> = plan.transfers.iter().map(|t| t.flags.linked).collect();
        assert_eq!(linked, [true, true, false], "the additions stand or fall with the refund");
        assert!(plan.transfers[2].flags.pending, "the refund waits for the bank");
        assert_eq!((plan.amount, plan.late_fee), (100_000_000 + interest, None));
        // Applied to the ledger: the bond account's whole credit, interest included, is
        // pending back to the pool, and every invariant holds.
        let mut ledger = ledger_with_deposit();
        ledger.create_transfers(&plan.transfers).unwrap();
        ledger.verify().unwrap();
        let bond = ledger.account("b1").unwrap();
        assert_eq!(bond.credit_balance(), 100_000_000 + interest);
        assert_eq!(bond.debits_pending, 100_000_000 + interest);
    }

    #[test]
    fn a_late_procurement_refund_adds_its_fee_and_names_it_for_the_record() {
        let deadline = beijing(2026, 3, 11, 0);
        let facts = facts(Category::Procurement, Some(deadline), beijing(2026, 3, 13, 9));
        let plan = plan_refund(&instruction(1, facts, None), BondRates::seed(), &ACCOUNTS);
        let fee = late_fee(100_000_000, 435, 3);
        assert_eq!(plan.late_fee, Some(LateFee { fee, days_late: 3 }));
        let ids: Vec<&str> = plan.transfers.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["late-fee-funding:b1", "late-fee:b1", "refund:b1:1"]);
        assert_eq!(plan.amount, 100_000_000 + fee);
        let mut ledger = ledger_with_deposit();
        ledger.create_transfers(&plan.transfers).unwrap();
        ledger.verify().unwrap();
        // On time: the principal alone, in one transfer.
        let on_time = facts_on_time(deadline);
        let plan = plan_refund(&instruction(1, on_time, None), BondRates::seed(), &ACCOUNTS);
        assert_eq!((plan.transfers.len(), plan.amount, plan.late_fee), (1, 100_000_000, None));
    }

    fn facts_on_time(deadline: DateTime<Utc>) -> RefundFacts {
        facts(Category::Procurement, Some(deadline), deadline - chrono::Duration::hours(1))
    }

    #[test]
    fn a_repeated_refund_adds_nothing_and_sends_back_what_the_account_holds() {
        // Late, and a construction bond held a year: a repeat adds neither fee nor interest.
        let late = facts(Category::Procurement, Some(beijing(2026, 3, 11, 0)), beijing(2026, 3, 13, 9));
        let plan = plan_refund(&instruction(2, late, Some(100_020_300)), BondRates::seed(), &ACCOUNTS);
        assert_eq!(plan.transfers.len(), 1);
        assert_eq!(plan.transfers[0].id, "refund:b1:2");
        assert_eq!((plan.amount, plan.late_fee), (100_020_300, None));
        let held_a_year = facts(Category::Construction, None, beijing(2027, 1, 1, 10));
        let plan = plan_refund(&instruction(3, held_a_year, None), BondRates::seed(), &ACCOUNTS);
        assert_eq!((plan.transfers[0].id.as_str(), plan.amount), ("refund:b1:3", 100_000_000), "unread: the principal");
    }

    #[test]
    fn construction_refund_carries_interest_for_the_days_held() {
        let now = beijing(2027, 1, 1, 10);
        let additions = refund_additions(facts(Category::Construction, None, now), BondRates::seed());
        // 365 days at 0.35 % on 1,000,000 yuan.
        assert_eq!(additions.interest, demand_deposit_interest(100_000_000, 35, 365));
        assert!(additions.interest > 0);
        assert_eq!(additions.late_fee, None);
        assert_eq!(additions.total(), additions.interest);
    }

    #[test]
    fn procurement_late_fee_counts_whole_days_after_the_last_day() {
        // Due at 24:00 on 2026-03-10 (Beijing): the last day is the 10th.
        let deadline = beijing(2026, 3, 11, 0);
        let on_time =
            refund_additions(facts(Category::Procurement, Some(deadline), beijing(2026, 3, 10, 23)), BondRates::seed());
        assert_eq!(on_time, RefundAdditions::default());
        let at_midnight = refund_additions(facts(Category::Procurement, Some(deadline), deadline), BondRates::seed());
        assert_eq!(at_midnight.late_fee.map(|l| l.days_late), Some(1));
        let three_days =
            refund_additions(facts(Category::Procurement, Some(deadline), beijing(2026, 3, 13, 9)), BondRates::seed());
        assert_eq!(three_days.late_fee, Some(LateFee { fee: late_fee(100_000_000, 435, 3), days_late: 3 }));
        assert_eq!(three_days.interest, 0);
    }

    #[test]
    fn other_categories_add_nothing() {
        let now = beijing(2027, 1, 1, 10);
        for category in [Category::LandMining, Category::StateProperty] {
            assert_eq!(
                refund_additions(facts(category, Some(beijing(2026, 6, 1, 0)), now), BondRates::seed()),
                RefundAdditions::default()
            );
        }
    }

    #[test]
    fn a_refused_deposit_is_told_by_its_rule_or_as_a_conflict() {
        let told = |refusal: DepositRefusal<&'static str>| refusal.answer();
        assert_eq!(told(DepositRefusal::Credit("barred")), Err("barred"));
        assert_eq!(told(DepositRefusal::AlreadyPosted), Ok(Answer::Conflict("该标段已缴纳保证金".into())));
        assert_eq!(told(DepositRefusal::DeadlinePassed), Ok(Answer::Conflict("投标截止时间已过".into())));
        let rule_of = |refusal| match told(refusal) {
            Ok(Answer::Rule { rule, problems, .. }) => Some((rule, problems[0].code.clone())),
            _ => None,
        };
        assert_eq!(
            rule_of(DepositRefusal::CashNotAccepted),
            Some((rule_ids::PROCUREMENT_BOND_CAP, "cash_not_accepted".into()))
        );
        assert_eq!(
            rule_of(DepositRefusal::NotFromBasicAccount),
            Some((rule_ids::CONSTRUCTION_BOND_BASIC_ACCOUNT, "not_basic_account".into()))
        );
        assert_eq!(rule_of(DepositRefusal::NotAnnounced), None);
        let Ok(Answer::Invalid(problems)) = told(DepositRefusal::NotTheAnnouncedBond { announced: 1_000_050 }) else {
            panic!("the amount is the bidder's to change")
        };
        assert_eq!(problems[0].code, "not_the_announced_bond");
        assert_eq!(problems[0].message, "保证金金额须与公告一致：10000.50 元");
    }

    #[test]
    fn a_deposit_is_admitted_or_refused_for_its_first_reason() {
        use super::{admit_deposit, DepositFacts, DepositRefusal, OfferedBond};
        let deadline = Utc.with_ymd_and_hms(2026, 11, 20, 1, 30, 0).single().unwrap_or_default();
        let before = deadline - chrono::Duration::seconds(1);
        let facts = |category| DepositFacts {
            category,
            bid_deadline: Some(deadline),
            announced_bond: 2_000_000,
            already_posted: false,
        };
        let offer = |form, amount, basic| OfferedBond { form, amount, from_basic_account: basic };
        let ok: Result<(), ()> = Ok(());
        let transfer = offer(BondForm::Transfer, 2_000_000, Some(true));
        assert_eq!(admit_deposit(&facts(Category::Construction), transfer, ok, before), Ok(()));
        // Not announced, then the deadline (at it, late), then the credit gate, then the amount.
        let unannounced = DepositFacts { bid_deadline: None, ..facts(Category::Construction) };
        assert_eq!(admit_deposit(&unannounced, transfer, Err(()), before), Err(DepositRefusal::NotAnnounced));
        assert_eq!(
            admit_deposit(&facts(Category::Construction), transfer, Err(()), deadline),
            Err(DepositRefusal::DeadlinePassed)
        );
        assert_eq!(
            admit_deposit(&facts(Category::Construction), offer(BondForm::Transfer, 1, Some(false)), Err(()), before),
            Err(DepositRefusal::Credit(()))
        );
        assert_eq!(
            admit_deposit(&facts(Category::Procurement), offer(BondForm::Transfer, 1, None), ok, before),
            Err(DepositRefusal::NotTheAnnouncedBond { announced: 2_000_000 })
        );
        // Procurement refuses cash; construction cash must leave the basic account, a
        // guarantee moves no money.
        let cash = Err(DepositRefusal::CashNotAccepted);
        assert_eq!(admit_deposit(&facts(Category::Procurement), transfer, ok, before), cash);
        let cheque = offer(BondForm::Cheque, 2_000_000, None);
        assert_eq!(admit_deposit(&facts(Category::Procurement), cheque, ok, before), Ok(()));
        let from_other = offer(BondForm::Cheque, 2_000_000, Some(false));
        assert_eq!(
            admit_deposit(&facts(Category::Construction), from_other, ok, before),
            Err(DepositRefusal::NotFromBasicAccount)
        );
        let guarantee = offer(BondForm::Guarantee, 2_000_000, Some(false));
        assert_eq!(admit_deposit(&facts(Category::Construction), guarantee, ok, before), Ok(()));
        let posted = DepositFacts { already_posted: true, ..facts(Category::Construction) };
        assert_eq!(admit_deposit(&posted, transfer, ok, before), Err(DepositRefusal::AlreadyPosted));
        // A bond already posted is the last reason given: a wrong amount or form comes first.
        assert_eq!(
            admit_deposit(&posted, offer(BondForm::Transfer, 1, Some(true)), ok, before),
            Err(DepositRefusal::NotTheAnnouncedBond { announced: 2_000_000 })
        );
        assert_eq!(admit_deposit(&posted, from_other, ok, before), Err(DepositRefusal::NotFromBasicAccount));
    }

    #[test]
    fn a_refund_clock_runs_by_the_rule_of_its_event() {
        let rule_set = RuleSet::seed();
        let calendar = WorkingCalendar::official().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap();
        let clock = RefundClock::for_event(
            Category::Procurement,
            RefundTrigger::AwardNotice,
            false,
            false,
            &rule_set,
            now,
            &calendar,
        )
        .unwrap()
        .unwrap();
        assert_eq!(clock.rule, rule_ids::PROCUREMENT_BOND_REFUND_LOSERS);
        assert_eq!(clock.trigger, RefundTrigger::AwardNotice);
        assert_eq!(clock.started_at, now);
        assert_eq!(clock.deadline, rule_set.due(clock.rule, now, &calendar).unwrap().due);
        assert!(clock.deadline > now);
        // A bond already settled or on a clock, and the procurement winner at the award, start none.
        for (winner, settled_or_running) in [(false, true), (true, false)] {
            let none = RefundClock::for_event(
                Category::Procurement,
                RefundTrigger::AwardNotice,
                winner,
                settled_or_running,
                &rule_set,
                now,
                &calendar,
            )
            .unwrap();
            assert_eq!(none, None, "winner {winner}, settled or running {settled_or_running}");
        }
    }

    #[test]
    fn a_withdrawn_bids_bond_runs_by_its_categorys_withdrawal_rule() {
        let rule_set = RuleSet::seed();
        let calendar = WorkingCalendar::official().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap();
        for (category, rule) in [
            (Category::Procurement, rule_ids::PROCUREMENT_BOND_REFUND_ON_WITHDRAWAL),
            (Category::Construction, rule_ids::CONSTRUCTION_BOND_REFUND_ON_WITHDRAWAL),
        ] {
            let clock = RefundClock::for_withdrawal(category, &rule_set, now, &calendar).unwrap();
            assert_eq!((clock.trigger, clock.rule), (RefundTrigger::Withdrawal, rule));
            assert_eq!(clock.deadline, rule_set.due(rule, now, &calendar).unwrap().due);
        }
    }
}

#[cfg(test)]
mod answers {
    use super::*;

    #[test]
    fn a_command_the_status_does_not_allow_is_a_conflict_naming_the_status() {
        let refusal = BondStatus::Refunded.after(BondCommand::Forfeit, BondForm::Transfer).err();
        assert_eq!(refusal.map(Answer::from), Some(Answer::Conflict("保证金当前状态（refunded）不能没收".into())));
    }
}
