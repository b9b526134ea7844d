//! Response and request bodies of bonds (see `ggzy_service::bonds` for the use cases).

use crate::audit_entry::AuditEntry;
use crate::utc;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use ggzy_kernel::{stored, stored_opt, AuditAction, FieldError, Money, StoredFault};
pub use ggzy_ledger::books::{BondClosure, LedgerVerification};
use ggzy_ledger::books::{BondHoldings, ClosingBond};
pub use ggzy_ledger::requests::OwnBondQuery;
pub use ggzy_ledger::requests::{
    ConfirmRefund, DepositBond, ForfeitBond, GuaranteeDocument, PayerAccount, RecordBondEvent,
};
use ggzy_ledger::requests::{DepositValues, Payer};
use ggzy_ledger::settlement::ClockedBond;
use ggzy_ledger::statement::{ExpectedPayment, StatementMatch};
use ggzy_ledger::{BondCommand, BondStateRefusal, DepositFacts, LateFee, RefundClock, RefundFacts, RefundInstruction};
pub use ggzy_ledger::{BondForm, BondOutcome, BondStatus, ForfeitReason, RefundTrigger};
use ggzy_rules::{rule_ids, Category};
use ggzy_store::announcements::SectionTermsRow;
use ggzy_store::ledger::{AccountRow, BondExtras, BondRow};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// A stored amount in fen of `column` as money; one out of range is a fault.
pub fn stored_money(column: &'static str, fen: i64) -> Result<Money, StoredFault> {
    Money::from_fen(fen).map_err(|_| StoredFault::new(column, fen, "an amount in fen"))
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Bond {
    pub id: String,
    pub section_id: String,
    pub bidder_id: String,
    pub form: BondForm,
    pub amount: Money,
    pub status: BondStatus,
    pub deposited_at: DateTime<Utc>,
    pub refund_trigger: Option<RefundTrigger>,
    pub refund_rule: Option<String>,
    /// When the refund is due at the latest (24:00 Beijing time of the last day).
    pub refund_deadline: Option<DateTime<Utc>>,
    pub outcome: Option<BondOutcome>,
    /// Money held for the bidder in the ledger now, decimal yuan.
    pub held: Money,
    /// Money on its way back under a pending refund (principal with any interest or late fee).
    pub refund_pending: Money,
    /// True when the due date was counted through a year whose official holiday
    /// arrangement is not loaded (it may still move when it is).
    pub provisional: bool,
    /// The years counted provisionally; empty when `provisional` is false.
    pub provisional_years: Vec<i32>,
}

/// One of the calling bidder's bonds, with the project it is for.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OwnBond {
    #[serde(flatten)]
    pub bond: Bond,
    #[schema(format = Uuid)]
    pub project_id: String,
    pub project_code: String,
    pub project_name: String,
    /// When the bond was settled (refunded, returned, forfeited or applied to the price);
    /// null while it is held.
    pub settled_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OwnBondPage {
    pub items: Vec<OwnBond>,
    pub next_cursor: Option<String>,
}

/// A bank statement matched against the bonds.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Reconciliation {
    /// Bonds the statement confirms.
    pub matched: Vec<String>,
    /// Statement lines that match no bond, with why.
    pub unmatched_lines: Vec<FieldError>,
    /// Bonds that moved money but appear on no line.
    pub unmatched_bonds: Vec<String>,
}

impl Bond {
    /// The bond of `row` with what its account holds and the years its refund deadline was
    /// counted through provisionally.
    pub fn from_row(row: BondRow, holdings: BondHoldings, provisional_years: Vec<i32>) -> Result<Bond, StoredFault> {
        Ok(Bond {
            provisional: !provisional_years.is_empty(),
            provisional_years,
            form: stored("bonds.form", &row.form)?,
            amount: stored_money("bonds.amount", row.amount)?,
            status: stored("bonds.status", &row.status)?,
            deposited_at: utc(row.deposited_at),
            refund_trigger: stored_opt("bonds.refund_trigger", row.refund_trigger.as_deref())?,
            refund_deadline: row.refund_deadline.map(utc),
            outcome: stored_opt("bonds.outcome", row.outcome.as_deref())?,
            held: stored_money("ledger_accounts.credits_posted", holdings.held)?,
            refund_pending: stored_money("ledger_accounts.debits_pending", holdings.refund_pending)?,
            id: row.id,
            section_id: row.section_id,
            bidder_id: row.bidder_id,
            refund_rule: row.refund_rule,
        })
    }
}

/// The bond of `row` from what [`ggzy_store::ledger::bond_extras`] read beside it: its
/// account's posted credits, posted debits and pending debits, and the official calendar
/// years; a running refund clock that ran through a year not yet official is provisional.
pub fn bond_of(row: BondRow, extras: BondExtras) -> Result<Bond, StoredFault> {
    let ((credits_posted, debits_posted, debits_pending), official_years) = extras;
    let provisional_years = match (row.refund_trigger_at, row.refund_deadline) {
        (Some(from), Some(due)) => ggzy_kernel::provisional_span(&official_years, utc(from), utc(due)),
        _ => Vec::new(),
    };
    Bond::from_row(row, BondHoldings::of(credits_posted, debits_posted, debits_pending), provisional_years)
}

/// The row of a bond just deposited, held, with no refund clock yet; the payer's account and
/// the guarantee are kept as JSON text.
pub fn deposited_bond_row(
    id: String,
    section_id: String,
    bidder_id: String,
    account_id: String,
    deposit: &DepositValues,
    at: NaiveDateTime,
) -> BondRow {
    BondRow {
        id,
        section_id,
        bidder_id,
        account_id,
        form: deposit.form.as_str().to_owned(),
        amount: deposit.amount.fen(),
        payer_account: deposit.payer.as_ref().map(payer_account_text),
        guarantee: deposit
            .guarantee
            .as_ref()
            .map(|g| serde_json::json!({ "issuer": g.issuer, "number": g.number, "sha256": g.sha256 }).to_string()),
        deposited_at: at,
        status: BondStatus::Held.as_str().to_owned(),
        refund_trigger: None,
        refund_trigger_at: None,
        refund_rule: None,
        refund_deadline: None,
        outcome: None,
        settled_at: None,
    }
}

/// A bond's row with its refund clock started: the trigger, when it happened (to the
/// microsecond both databases keep), the rule and the deadline it sets.
pub fn start_clock(bond: &mut BondRow, clock: &RefundClock) {
    bond.refund_trigger = Some(clock.trigger.as_str().to_owned());
    bond.refund_trigger_at = Some(ggzy_store::truncate_to_micros(clock.started_at.naive_utc()));
    bond.refund_rule = Some(clock.rule.to_owned());
    bond.refund_deadline = Some(clock.deadline.naive_utc());
}

/// A bond's row moved by `command`: its status and outcome as the life cycle says, its
/// settling time when it ends. A command its status does not allow is the refusal (naming
/// the status), the row left as it was.
pub fn advance(
    bond: &mut BondRow,
    command: BondCommand,
    now: NaiveDateTime,
) -> Result<Result<BondStatus, BondStateRefusal>, StoredFault> {
    let status: BondStatus = stored("bonds.status", &bond.status)?;
    let form: BondForm = stored("bonds.form", &bond.form)?;
    let next = match status.after(command, form) {
        Ok(next) => next,
        Err(refusal) => return Ok(Err(refusal)),
    };
    bond.status = next.as_str().to_owned();
    if let Some(outcome) = next.outcome() {
        bond.outcome = Some(outcome.as_str().to_owned());
        bond.settled_at = Some(now);
    }
    Ok(Ok(next))
}

/// The key of the basic account a bond was paid from, when the bidder declared it its
/// basic account (a firm has one; firms sharing one are flagged once their sections are
/// disclosed).
pub fn declared_basic_account(bond: &BondRow) -> Option<String> {
    match bond.payer_account.as_deref().and_then(crate::risk::bond_account) {
        Some((key, true)) => Some(key),
        _ => None,
    }
}

/// A bond as an event that starts refund clocks looks at it: its bidder, whether it is
/// settled and whether its clock already runs.
pub fn clocked_bond(bond: &BondRow) -> ClockedBond<'_> {
    ClockedBond {
        bidder_id: &bond.bidder_id,
        settled: bond.outcome.is_some(),
        clock_running: bond.refund_deadline.is_some(),
    }
}

/// Whether a section's bonds are settled (ggzy_ledger::books::section_closure), from its
/// bonds and the accounts that hold them; a faulty account is a fault.
pub fn section_closure(
    section_id: &str,
    bonds: &[BondRow],
    accounts: &[AccountRow],
) -> Result<BondClosure, StoredFault> {
    let accounts: Vec<_> = accounts.iter().map(crate::ledger::account_from_row).collect::<Result<_, _>>()?;
    let closing: Vec<_> = bonds.iter().map(|b| ClosingBond { id: &b.id, has_outcome: b.outcome.is_some() }).collect();
    Ok(ggzy_ledger::books::section_closure(section_id, &accounts, &closing))
}

/// The facts a deposit is admitted on: the section's category, its announced terms (none
/// before its tender announcement) and whether the bidder already posted a bond there.
pub fn deposit_facts(category: Category, terms: Option<&SectionTermsRow>, already_posted: bool) -> DepositFacts {
    DepositFacts {
        category,
        bid_deadline: terms.map(|t| t.bid_deadline.and_utc()),
        announced_bond: terms.map_or(0, |t| t.bond_amount),
        already_posted,
    }
}

/// What the audit trail keeps of the platform's liability for a refund paid `days_late`
/// days after its `refund_deadline` (bond.central), with the late fee it owes.
pub fn late_refund_audit(
    late: LateFee,
    refund_deadline: Option<NaiveDateTime>,
) -> Result<serde_json::Value, StoredFault> {
    let LateFee { fee, days_late } = late;
    Ok(serde_json::json!({
        "rule": rule_ids::BOND_CENTRAL,
        "late_fee_rule": rule_ids::PROCUREMENT_BOND_LATE_FEE,
        "days_late": days_late,
        "late_fee": stored_money("ledger_transfers.amount", fee)?,
        "refund_deadline": refund_deadline,
    }))
}

/// The stored text of the account a bond was paid from.
fn payer_account_text(payer: &Payer) -> String {
    serde_json::json!({ "bank": payer.bank, "number": payer.number, "is_basic_account": payer.is_basic_account })
        .to_string()
}

/// What a bank statement should show for a bond: its amount from the account it was paid
/// from (none when that account is not stored or not readable).
pub fn expected_payment(bond: BondRow) -> ExpectedPayment {
    ExpectedPayment {
        payer_number: bond
            .payer_account
            .as_deref()
            .and_then(|p| serde_json::from_str::<serde_json::Value>(p).ok())
            .and_then(|v| v["number"].as_str().map(str::to_owned)),
        bond_id: bond.id,
        amount: bond.amount,
    }
}

impl From<StatementMatch> for Reconciliation {
    fn from(statement: StatementMatch) -> Reconciliation {
        Reconciliation {
            matched: statement.matched,
            unmatched_lines: statement.unmatched_lines,
            unmatched_bonds: statement.unmatched_bonds,
        }
    }
}

impl OwnBond {
    /// One of the bidder's bonds as its list shows it, with its project.
    pub fn of(bond: Bond, settled_at: Option<NaiveDateTime>, project: (String, String, String)) -> OwnBond {
        let (project_id, project_code, project_name) = project;
        OwnBond { bond, project_id, project_code, project_name, settled_at: settled_at.map(utc) }
    }
}

/// What a refund of a stored bond is decided on: its category, principal and deposit day,
/// and its deadline if its clock has started, at `now` (Beijing `today`).
pub fn refund_facts(bond: &BondRow, category: Category, now: DateTime<Utc>, today: NaiveDate) -> RefundFacts {
    RefundFacts {
        category,
        amount: bond.amount,
        deposited_on: ggzy_kernel::local_date(utc(bond.deposited_at)),
        refund_deadline: bond.refund_deadline.map(utc),
        now,
        today,
    }
}

/// The refund instruction of a bond (ggzy_ledger::settlement::refund_instruction) from how
/// many of its counted refund attempts are recorded and the account that holds it, as read
/// for the instruction (none if it has none); a faulty account is a fault.
pub fn refund_instruction<'a>(
    bond: &'a BondRow,
    category: Category,
    recorded: usize,
    held: Option<&AccountRow>,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<RefundInstruction<'a>, StoredFault> {
    let held_now = held.map(crate::ledger::account_from_row).transpose()?.map(|account| account.credit_balance());
    let facts = refund_facts(bond, category, now, today);
    let started_under = bond.refund_rule.as_deref();
    Ok(ggzy_ledger::settlement::refund_instruction(
        &bond.id,
        &bond.account_id,
        started_under,
        recorded,
        held_now,
        facts,
    ))
}

/// A bond's audit entry on `chain` (the section's sealed chain while its bidders are
/// secret, the project's after).
fn bond_entry(chain: String, action: AuditAction, bond_id: &str, payload: Value) -> AuditEntry<Value> {
    AuditEntry { chain, action, object_type: "bond", object_id: bond_id.into(), payload }
}

/// What the audit trail keeps of a deposited bond: its section, bidder, form and amount.
pub fn deposit_entry(chain: String, bond: &BondRow, form: BondForm, amount: Money) -> AuditEntry<Value> {
    let payload = serde_json::json!({ "section_id": bond.section_id, "bidder_id": bond.bidder_id, "form": form, "amount": amount });
    bond_entry(chain, AuditAction::BondDeposit, &bond.id, payload)
}

/// What the audit trail keeps of an event that started a section's refund clocks: the
/// event, the winner it names and how many bonds it started.
pub fn refund_clock_entry(
    chain: String,
    section_id: &str,
    event: RefundTrigger,
    winner_id: Option<&str>,
    bonds: usize,
) -> AuditEntry<Value> {
    AuditEntry {
        chain,
        action: AuditAction::BondRefundClock,
        object_type: "section",
        object_id: section_id.into(),
        payload: serde_json::json!({ "event": event, "winner_id": winner_id, "bonds": bonds }),
    }
}

/// The platform's liability for a late refund, on record ([`late_refund_audit`]).
pub fn liability_entry(
    chain: String,
    bond_id: &str,
    late: LateFee,
    refund_deadline: Option<NaiveDateTime>,
) -> Result<AuditEntry<Value>, StoredFault> {
    Ok(bond_entry(chain, AuditAction::BondPlatformLiability, bond_id, late_refund_audit(late, refund_deadline)?))
}

/// A refund instructed: which attempt, and the amount sent back (interest apart).
pub fn refund_instructed_entry(
    chain: String,
    bond_id: &str,
    attempt: usize,
    amount: i64,
) -> Result<AuditEntry<Value>, StoredFault> {
    let payload = serde_json::json!({ "attempt": attempt, "amount": stored_money("ledger_transfers.amount", amount)? });
    Ok(bond_entry(chain, AuditAction::BondRefundInstruct, bond_id, payload))
}

/// The bank's answer to a refund: posted when paid, voided when not, with its reference.
pub fn refund_answered_entry(chain: String, bond_id: &str, paid: bool, bank_reference: &str) -> AuditEntry<Value> {
    let action = if paid { AuditAction::BondRefundPosted } else { AuditAction::BondRefundVoided };
    bond_entry(chain, action, bond_id, serde_json::json!({ "bank_reference": bank_reference }))
}

/// A bond forfeited in a case the rules list (construction.bond.forfeit), with the
/// tenderer's decision.
pub fn forfeit_entry(chain: String, bond_id: &str, reason: ForfeitReason, decision: &str) -> AuditEntry<Value> {
    let payload =
        serde_json::json!({ "reason": reason, "decision": decision, "rule": rule_ids::CONSTRUCTION_BOND_FORFEIT });
    bond_entry(chain, AuditAction::BondForfeit, bond_id, payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 3, 1).and_then(|d| d.and_hms_opt(9, 30, 0)).unwrap()
    }

    fn deposit(payer: Option<Payer>) -> DepositValues {
        DepositValues { form: BondForm::Transfer, amount: Money::from_fen(500_000).unwrap(), payer, guarantee: None }
    }

    fn payer() -> Payer {
        Payer { bank: "中国银行".into(), number: "3456 7890".into(), is_basic_account: true }
    }

    fn held_row() -> BondRow {
        deposited_bond_row("b1".into(), "s1".into(), "p1".into(), "bond:b1".into(), &deposit(Some(payer())), at())
    }

    #[test]
    fn a_clocked_bond_is_settled_by_its_outcome_and_running_by_its_deadline() {
        let mut row = held_row();
        assert_eq!(clocked_bond(&row), ClockedBond { bidder_id: "p1", settled: false, clock_running: false });
        row.refund_deadline = Some(at());
        assert_eq!(clocked_bond(&row), ClockedBond { bidder_id: "p1", settled: false, clock_running: true });
        row.outcome = Some("refunded".into());
        assert_eq!(clocked_bond(&row), ClockedBond { bidder_id: "p1", settled: true, clock_running: true });
    }

    #[test]
    fn a_section_closes_with_its_accounts_at_zero_and_every_bond_settled() {
        let mut settled = held_row();
        settled.outcome = Some("refunded".into());
        let account = ggzy_ledger::Account::bidder_bond("bond:b1", "p1", "s1");
        let zero = crate::ledger::account_row(&account, at());
        assert!(section_closure("s1", std::slice::from_ref(&settled), std::slice::from_ref(&zero)).unwrap().closed);
        let open = section_closure("s1", &[held_row()], std::slice::from_ref(&zero)).unwrap();
        assert!(!open.closed);
        assert_eq!(open.problems.len(), 1);
        let holding = AccountRow { credits_posted: 500_000, ..zero.clone() };
        assert!(!section_closure("s1", &[settled.clone()], &[holding]).unwrap().closed);
        let faulty = AccountRow { kind: "savings".into(), ..zero };
        assert_eq!(section_closure("s1", &[settled], &[faulty]).err().map(|f| f.column), Some("ledger_accounts.kind"));
    }

    #[test]
    fn only_a_declared_basic_account_is_keyed_for_the_scan() {
        let key = declared_basic_account(&held_row()).unwrap();
        assert!(key.contains("34567890"), "{key}");
        let other = Payer { is_basic_account: false, ..payer() };
        let row =
            deposited_bond_row("b2".into(), "s1".into(), "p1".into(), "bond:b2".into(), &deposit(Some(other)), at());
        assert_eq!(declared_basic_account(&row), None);
        let row = deposited_bond_row("b3".into(), "s1".into(), "p1".into(), "bond:b3".into(), &deposit(None), at());
        assert_eq!(declared_basic_account(&row), None);
    }

    #[test]
    fn a_repeated_refund_instruction_sends_back_what_the_account_holds() {
        let mut bond = held_row();
        let mut account = ggzy_ledger::Account::bidder_bond("bond:b1", "p1", "s1");
        account.credits_posted = 500_000;
        account.debits_posted = 120_000;
        let held = crate::ledger::account_row(&account, at());
        let now = at().and_utc();
        let first = refund_instruction(&bond, Category::Construction, 0, Some(&held), now, at().date()).unwrap();
        assert_eq!((first.bond_id, first.bond_account, first.attempt, first.held), ("b1", "bond:b1", 1, None));
        assert_eq!((first.rule_id, first.facts.amount), (rule_ids::BOND_CENTRAL, 500_000));
        bond.refund_rule = Some(rule_ids::CONSTRUCTION_BOND_REFUND_AFTER_CONTRACT.into());
        let again = refund_instruction(&bond, Category::Construction, 1, Some(&held), now, at().date()).unwrap();
        assert_eq!((again.attempt, again.held), (2, Some(380_000)));
        assert_eq!(again.rule_id, rule_ids::CONSTRUCTION_BOND_REFUND_AFTER_CONTRACT);
        let unheld = refund_instruction(&bond, Category::Construction, 1, None, now, at().date()).unwrap();
        assert_eq!(unheld.held, None);
        let faulty = ggzy_store::ledger::AccountRow { kind: "savings".into(), ..held };
        let fault = refund_instruction(&bond, Category::Construction, 1, Some(&faulty), now, at().date()).err();
        assert_eq!(fault.map(|f| f.column), Some("ledger_accounts.kind"));
    }

    #[test]
    fn a_bond_advances_by_its_life_cycle_and_settles_when_it_ends() {
        let mut bond = held_row();
        assert_eq!(advance(&mut bond, BondCommand::InstructRefund, at()), Ok(Ok(BondStatus::RefundPending)));
        assert_eq!((bond.status.as_str(), bond.outcome.as_deref(), bond.settled_at), ("refund_pending", None, None));
        let later = at() + chrono::TimeDelta::hours(2);
        assert_eq!(advance(&mut bond, BondCommand::ConfirmRefund { paid: true }, later), Ok(Ok(BondStatus::Refunded)));
        assert_eq!(
            (bond.status.as_str(), bond.outcome.as_deref(), bond.settled_at),
            ("refunded", Some("refunded"), Some(later))
        );
        // A settled bond is refused, and left as it was.
        let before = bond.clone();
        let refused = advance(&mut bond, BondCommand::InstructRefund, at()).unwrap();
        assert!(refused.is_err());
        assert_eq!(bond, before);
        bond.status = "lost".into();
        assert_eq!(advance(&mut bond, BondCommand::InstructRefund, at()).err().map(|f| f.column), Some("bonds.status"));
    }

    #[test]
    fn a_bond_holds_what_its_account_holds_and_is_provisional_only_on_a_running_clock() {
        // No clock: no year is provisional, even with no official year at all.
        let bond = bond_of(held_row(), ((500_000, 100_000, 50_000), Vec::new())).unwrap();
        assert_eq!((bond.held.fen(), bond.refund_pending.fen()), (350_000, 50_000));
        assert!(!bond.provisional && bond.provisional_years.is_empty());
        let mut row = held_row();
        row.refund_trigger_at = Some(at());
        row.refund_deadline = Some(at() + chrono::TimeDelta::days(5));
        let bond = bond_of(row.clone(), ((0, 0, 0), vec![2025])).unwrap();
        assert_eq!((bond.provisional, bond.provisional_years), (true, vec![2026]));
        assert_eq!(bond.held.fen(), 0);
        let bond = bond_of(row, ((0, 0, 0), vec![2026])).unwrap();
        assert!(!bond.provisional && bond.provisional_years.is_empty());
    }

    #[test]
    fn a_started_clock_is_written_on_the_bond() {
        let mut row = held_row();
        let started_at = at().and_utc() + chrono::TimeDelta::nanoseconds(1_234_567);
        let deadline = (at() + chrono::TimeDelta::days(5)).and_utc();
        let clock =
            RefundClock { trigger: RefundTrigger::AwardNotice, rule: "construction.bond.refund", started_at, deadline };
        start_clock(&mut row, &clock);
        assert_eq!(row.refund_trigger.as_deref(), Some(RefundTrigger::AwardNotice.as_str()));
        // Nanoseconds are cut to the microseconds the databases keep.
        assert_eq!(row.refund_trigger_at, Some(at() + chrono::TimeDelta::microseconds(1_234)));
        assert_eq!(
            (row.refund_rule.as_deref(), row.refund_deadline),
            (Some("construction.bond.refund"), Some(deadline.naive_utc()))
        );
        assert_eq!(row.status, "held");
    }

    #[test]
    fn a_deposit_is_admitted_on_the_announced_terms_or_none() {
        let terms = SectionTermsRow {
            section_id: "s1".into(),
            announcement_id: "a1".into(),
            bond_amount: 80_000,
            bid_deadline: at(),
            opening_at: at(),
        };
        let facts = deposit_facts(Category::Construction, Some(&terms), true);
        assert_eq!(
            (facts.category, facts.bid_deadline, facts.announced_bond, facts.already_posted),
            (Category::Construction, Some(at().and_utc()), 80_000, true)
        );
        let unannounced = deposit_facts(Category::Procurement, None, false);
        assert_eq!(
            (unannounced.bid_deadline, unannounced.announced_bond, unannounced.already_posted),
            (None, 0, false)
        );
    }

    #[test]
    fn a_late_refund_is_on_record_with_its_rules_and_fee() {
        let payload = late_refund_audit(LateFee { fee: 1_250, days_late: 3 }, Some(at())).unwrap();
        assert_eq!(
            payload,
            serde_json::json!({
                "rule": rule_ids::BOND_CENTRAL,
                "late_fee_rule": rule_ids::PROCUREMENT_BOND_LATE_FEE,
                "days_late": 3,
                "late_fee": "12.50",
                "refund_deadline": at(),
            })
        );
        assert_eq!(
            late_refund_audit(LateFee { fee: -1, days_late: 1 }, None).unwrap_err().column,
            "ledger_transfers.amount"
        );
    }

    #[test]
    fn a_deposited_bond_is_held_with_its_payer_and_no_clock() {
        let row = held_row();
        assert_eq!((row.form.as_str(), row.amount, row.status.as_str()), ("transfer", 500_000, "held"));
        assert_eq!(row.deposited_at, at());
        assert_eq!((row.refund_trigger, row.refund_deadline, row.outcome, row.settled_at), (None, None, None, None));
        let payer: serde_json::Value = serde_json::from_str(row.payer_account.as_deref().unwrap_or_default()).unwrap();
        assert_eq!(payer, serde_json::json!({ "bank": "中国银行", "number": "3456 7890", "is_basic_account": true }));
        assert_eq!(row.guarantee, None);
    }

    #[test]
    fn a_bond_view_holds_what_its_row_and_account_hold() {
        let mut row = held_row();
        row.refund_trigger = Some("award_notice".into());
        row.refund_rule = Some("construction.bond.refund".into());
        row.refund_deadline = Some(at());
        let holdings = BondHoldings { held: 300_000, refund_pending: 200_000 };
        let bond = Bond::from_row(row, holdings, vec![2027]).unwrap();
        assert_eq!((bond.id.as_str(), bond.section_id.as_str(), bond.bidder_id.as_str()), ("b1", "s1", "p1"));
        assert_eq!((bond.form, bond.status, bond.outcome), (BondForm::Transfer, BondStatus::Held, None));
        assert_eq!(bond.amount.fen(), 500_000);
        assert_eq!((bond.held.fen(), bond.refund_pending.fen()), (300_000, 200_000));
        assert_eq!(bond.refund_trigger, Some(RefundTrigger::AwardNotice));
        assert_eq!(bond.refund_rule.as_deref(), Some("construction.bond.refund"));
        assert_eq!(bond.refund_deadline, Some(utc(at())));
        assert_eq!(bond.deposited_at, utc(at()));
        assert!(bond.provisional);
        assert_eq!(bond.provisional_years, vec![2027]);
        let settled = Bond::from_row(held_row(), BondHoldings::default(), Vec::new()).unwrap();
        assert!(!settled.provisional);
    }

    /// A change spoiling a row, and the column and value its fault names.
    type Spoiled = (fn(&mut BondRow), &'static str, &'static str);

    #[test]
    fn a_bond_with_an_unknown_stored_value_is_a_fault() {
        let cases: [Spoiled; 4] = [
            (|r| r.status = "refnded".into(), "bonds.status", "refnded"),
            (|r| r.form = "coins".into(), "bonds.form", "coins"),
            (|r| r.outcome = Some("lost".into()), "bonds.outcome", "lost"),
            (|r| r.refund_trigger = Some("rain".into()), "bonds.refund_trigger", "rain"),
        ];
        for (spoil, column, value) in cases {
            let mut row = held_row();
            spoil(&mut row);
            let fault = Bond::from_row(row, BondHoldings::default(), Vec::new()).err();
            assert_eq!(fault.map(|f| (f.column, f.value)), Some((column, value.to_owned())));
        }
    }

    #[test]
    fn a_stored_amount_out_of_range_is_a_fault() {
        assert_eq!(stored_money("bonds.amount", 12).map(Money::fen), Ok(12));
        let fault = stored_money("bonds.amount", i64::MIN).err();
        assert_eq!(fault.map(|f| f.column), Some("bonds.amount"));
    }

    #[test]
    fn a_statement_expects_a_bond_from_its_stored_payer() {
        let expected = expected_payment(held_row());
        assert_eq!((expected.bond_id.as_str(), expected.amount), ("b1", 500_000));
        assert_eq!(expected.payer_number.as_deref(), Some("3456 7890"));
        let mut row = held_row();
        row.payer_account = None;
        assert_eq!(expected_payment(row).payer_number, None);
        let mut row = held_row();
        row.payer_account = Some("not json".into());
        assert_eq!(expected_payment(row).payer_number, None);
    }

    #[test]
    fn an_own_bond_names_its_project_and_settling_time() {
        let bond = Bond::from_row(held_row(), BondHoldings::default(), Vec::new()).unwrap();
        let own = OwnBond::of(bond, Some(at()), ("pr1".into(), "GC-1".into(), "道路".into()));
        assert_eq!(
            (own.project_id.as_str(), own.project_code.as_str(), own.project_name.as_str()),
            ("pr1", "GC-1", "道路")
        );
        assert_eq!(own.settled_at, Some(utc(at())));
        assert_eq!(own.bond.id, "b1");
    }
}

#[cfg(test)]
mod entries {
    use super::*;

    #[test]
    fn a_bonds_acts_are_audited_on_the_chain_given() {
        let row = tests_row();
        let amount = Money::from_fen(500_000).unwrap();
        let deposit = deposit_entry("sealed:s1".into(), &row, BondForm::Transfer, amount);
        assert_eq!((deposit.chain.as_str(), deposit.action), ("sealed:s1", AuditAction::BondDeposit));
        assert_eq!((deposit.object_type, deposit.object_id.as_str()), ("bond", "b1"));
        assert_eq!(
            deposit.payload,
            serde_json::json!({ "section_id": "s1", "bidder_id": "p1", "form": BondForm::Transfer, "amount": "5000.00" })
        );
        let clock = refund_clock_entry("project:p".into(), "s1", RefundTrigger::AwardNotice, Some("p1"), 2);
        assert_eq!((clock.object_type, clock.object_id.as_str()), ("section", "s1"));
        assert_eq!(clock.payload["bonds"], 2);
        assert_eq!(clock.payload["winner_id"], "p1");
        let posted = refund_answered_entry("project:p".into(), "b1", true, "R1");
        let voided = refund_answered_entry("project:p".into(), "b1", false, "R1");
        assert_eq!((posted.action, voided.action), (AuditAction::BondRefundPosted, AuditAction::BondRefundVoided));
        assert_eq!(posted.payload, serde_json::json!({ "bank_reference": "R1" }));
        let forfeit = forfeit_entry("project:p".into(), "b1", ForfeitReason::WithdrawalAfterDeadline, "决定书");
        assert_eq!(forfeit.action, AuditAction::BondForfeit);
        assert_eq!(forfeit.payload["rule"], rule_ids::CONSTRUCTION_BOND_FORFEIT);
        assert_eq!(forfeit.payload["decision"], "决定书");
    }

    #[test]
    fn a_refund_is_audited_with_its_attempt_and_amount_and_a_bad_amount_is_a_fault() {
        let instructed = refund_instructed_entry("project:p".into(), "b1", 2, 501_234).unwrap();
        assert_eq!(instructed.action, AuditAction::BondRefundInstruct);
        assert_eq!(instructed.payload, serde_json::json!({ "attempt": 2, "amount": "5012.34" }));
        assert_eq!(refund_instructed_entry("c".into(), "b1", 1, -5).unwrap_err().column, "ledger_transfers.amount");
        let late = liability_entry("c".into(), "b1", LateFee { fee: 100, days_late: 1 }, None).unwrap();
        assert_eq!(late.action, AuditAction::BondPlatformLiability);
        assert_eq!(late.payload, late_refund_audit(LateFee { fee: 100, days_late: 1 }, None).unwrap());
    }

    fn tests_row() -> BondRow {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).and_then(|d| d.and_hms_opt(9, 30, 0)).unwrap();
        let values = DepositValues {
            form: BondForm::Transfer,
            amount: Money::from_fen(500_000).unwrap(),
            payer: None,
            guarantee: None,
        };
        deposited_bond_row("b1".into(), "s1".into(), "p1".into(), "bond:b1".into(), &values, at)
    }
}

#[cfg(test)]
mod facts {
    use super::*;

    #[test]
    fn a_refund_is_decided_on_the_bonds_beijing_deposit_day_and_its_deadline() {
        // 17:30 UTC is the next day in Beijing.
        let deposited = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).and_then(|d| d.and_hms_opt(17, 30, 0)).unwrap();
        let values = DepositValues {
            form: BondForm::Transfer,
            amount: Money::from_fen(500_000).unwrap(),
            payer: None,
            guarantee: None,
        };
        let mut bond = deposited_bond_row("b1".into(), "s1".into(), "p1".into(), "bond:b1".into(), &values, deposited);
        let now = (deposited + chrono::TimeDelta::days(30)).and_utc();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        let facts = refund_facts(&bond, Category::Construction, now, today);
        assert_eq!((facts.amount, facts.refund_deadline), (500_000, None));
        assert_eq!(facts.deposited_on, chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
        assert_eq!((facts.category, facts.now, facts.today), (Category::Construction, now, today));
        let due = deposited + chrono::TimeDelta::days(5);
        bond.refund_deadline = Some(due);
        assert_eq!(refund_facts(&bond, Category::Construction, now, today).refund_deadline, Some(due.and_utc()));
    }
}
