//! Accounts of the bond ledger and the direction of their balances.
//!
//! # Convention: the platform's books
//!
//! Every account is kept from the point of view of the platform that runs the dedicated
//! bond account (保证金专户, rule `bond.central`). Each account has four running totals in
//! fen: posted debits and credits, and pending (reserved, two-phase) debits and credits.
//! Which side is "the balance" depends on what the account stands for:
//!
//! | kind                | stands for                                   | normal balance | default flag                      |
//! |---------------------|----------------------------------------------|----------------|-----------------------------------|
//! | `bond_pool`         | cash held in the dedicated bond account      | debit (asset)  | credits must not exceed debits    |
//! | `bidder_bond`       | what the platform owes one bidder for one section | credit (liability) | debits must not exceed credits |
//! | `tenderer_payable`  | forfeited bonds owed to the tenderer         | credit (liability) | debits must not exceed credits |
//! | `interest_expense`  | interest paid to bidders                     | debit (expense) | credits must not exceed debits   |
//! | `late_fee_expense`  | late-refund fees paid to bidders             | debit (expense) | credits must not exceed debits   |
//! | `bank_clearing`     | the outside world: money entering the pool that is not a bond (bank interest, the platform's own funds) | either | none |
//!
//! So money the platform owes a bidder is a **credit balance** on the bidder's bond
//! account, and the cash that backs it is a **debit balance** on the pool:
//!
//! - deposit (缴纳): debit `bond_pool`, credit `bidder_bond`;
//! - refund (退还): debit `bidder_bond`, credit `bond_pool` (pending while the bank
//!   instruction is out);
//! - forfeit (没收): debit `bidder_bond`, credit `tenderer_payable`;
//! - payout to the tenderer: debit `tenderer_payable`, credit `bond_pool`;
//! - interest / late fee: debit `interest_expense` / `late_fee_expense`, credit
//!   `bidder_bond` (then refunded like the principal);
//! - funding the pool (bank interest, the platform's own money for late fees): debit
//!   `bond_pool`, credit `bank_clearing`.
//!
//! The flags make the ledger refuse, rather than record, a bond account paying out more
//! than was deposited, or the pool paying out more cash than it holds.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What an account stands for (账户类型).
///
/// - `bond_pool`: 保证金专户（平台集中收取保证金的专用账户，bond.central）
/// - `bidder_bond`: 投标人保证金分户（每个投标人、每个标段一个）
/// - `tenderer_payable`: 应付招标人款项（被没收的保证金）
/// - `interest_expense`: 利息支出
/// - `late_fee_expense`: 超期资金占用费支出
/// - `bank_clearing`: 银行清算往来（非保证金资金的来源，例如银行结息、平台自有资金）
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// 保证金专户
    BondPool,
    /// 投标人保证金分户
    BidderBond,
    /// 应付招标人款项
    TendererPayable,
    /// 利息支出
    InterestExpense,
    /// 超期资金占用费支出
    LateFeeExpense,
    /// 银行清算往来
    BankClearing,
}

impl AccountKind {
    /// Every kind, in declaration order.
    pub const ALL: [AccountKind; 6] = [
        AccountKind::BondPool,
        AccountKind::BidderBond,
        AccountKind::TendererPayable,
        AccountKind::InterestExpense,
        AccountKind::LateFeeExpense,
        AccountKind::BankClearing,
    ];

    /// The serde key, e.g. `bidder_bond`.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::BondPool => "bond_pool",
            AccountKind::BidderBond => "bidder_bond",
            AccountKind::TendererPayable => "tenderer_payable",
            AccountKind::InterestExpense => "interest_expense",
            AccountKind::LateFeeExpense => "late_fee_expense",
            AccountKind::BankClearing => "bank_clearing",
        }
    }

    /// The inverse of [`AccountKind::as_str`].
    pub fn from_key(key: &str) -> Option<AccountKind> {
        AccountKind::ALL.into_iter().find(|k| k.as_str() == key)
    }

    /// The Chinese term.
    pub fn name(self) -> &'static str {
        match self {
            AccountKind::BondPool => "保证金专户",
            AccountKind::BidderBond => "投标人保证金分户",
            AccountKind::TendererPayable => "应付招标人款项",
            AccountKind::InterestExpense => "利息支出",
            AccountKind::LateFeeExpense => "超期资金占用费支出",
            AccountKind::BankClearing => "银行清算往来",
        }
    }

    /// The balance limit an account of this kind carries unless told otherwise; see the
    /// table in the [module documentation](self).
    pub fn default_flags(self) -> AccountFlags {
        match self {
            AccountKind::BidderBond | AccountKind::TendererPayable => AccountFlags::DEBITS_MUST_NOT_EXCEED_CREDITS,
            AccountKind::BondPool | AccountKind::InterestExpense | AccountKind::LateFeeExpense => {
                AccountFlags::CREDITS_MUST_NOT_EXCEED_DEBITS
            }
            AccountKind::BankClearing => AccountFlags::NONE,
        }
    }
}

/// Balance limits of an account (at most one may be set).
///
/// Pending amounts count against the limit on the side that would be reserved, so a
/// hold can never be posted into an overdraft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ToSchema)]
pub struct AccountFlags {
    /// `debits_posted + debits_pending <= credits_posted` at all times (liabilities:
    /// never pay out more than is owed).
    #[serde(default)]
    pub debits_must_not_exceed_credits: bool,
    /// `credits_posted + credits_pending <= debits_posted` at all times (assets and
    /// expenses: never spend more than is held).
    #[serde(default)]
    pub credits_must_not_exceed_debits: bool,
}

impl AccountFlags {
    pub const NONE: AccountFlags =
        AccountFlags { debits_must_not_exceed_credits: false, credits_must_not_exceed_debits: false };
    pub const DEBITS_MUST_NOT_EXCEED_CREDITS: AccountFlags =
        AccountFlags { debits_must_not_exceed_credits: true, credits_must_not_exceed_debits: false };
    pub const CREDITS_MUST_NOT_EXCEED_DEBITS: AccountFlags =
        AccountFlags { debits_must_not_exceed_credits: false, credits_must_not_exceed_debits: true };
}

/// The four running totals of an account, in fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ToSchema)]
pub struct Balances {
    pub debits_posted: i64,
    pub credits_posted: i64,
    pub debits_pending: i64,
    pub credits_pending: i64,
}

/// One ledger account (账户). Amounts are fen (分).
///
/// Created with all four totals zero; afterwards only transfers change them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub struct Account {
    /// Client-chosen unique id, e.g. `bond:<section>:<bidder>`.
    pub id: String,
    pub kind: AccountKind,
    /// The participant the account belongs to (the bidder of a bond account, the
    /// tenderer of a payable account); `None` for the platform's own accounts.
    #[serde(default)]
    pub owner: Option<String>,
    /// The section (标段) of a bond or payable account.
    #[serde(default)]
    pub section_id: Option<String>,
    #[serde(default)]
    pub flags: AccountFlags,
    /// Posted debits in fen.
    #[serde(default)]
    pub debits_posted: i64,
    /// Posted credits in fen.
    #[serde(default)]
    pub credits_posted: i64,
    /// Debits reserved by pending transfers, in fen.
    #[serde(default)]
    pub debits_pending: i64,
    /// Credits reserved by pending transfers, in fen.
    #[serde(default)]
    pub credits_pending: i64,
}

impl Account {
    /// A new account of `kind` with the kind's [default flags](AccountKind::default_flags)
    /// and zero totals.
    pub fn new(id: impl Into<String>, kind: AccountKind) -> Self {
        Account {
            id: id.into(),
            kind,
            owner: None,
            section_id: None,
            flags: kind.default_flags(),
            debits_posted: 0,
            credits_posted: 0,
            debits_pending: 0,
            credits_pending: 0,
        }
    }

    /// The bond account of `bidder` for `section`.
    pub fn bidder_bond(id: impl Into<String>, bidder: impl Into<String>, section: impl Into<String>) -> Self {
        Account::new(id, AccountKind::BidderBond).with_owner(bidder).with_section(section)
    }

    /// The payable account of `tenderer` for `section`.
    pub fn tenderer_payable(id: impl Into<String>, tenderer: impl Into<String>, section: impl Into<String>) -> Self {
        Account::new(id, AccountKind::TendererPayable).with_owner(tenderer).with_section(section)
    }

    pub fn with_owner(mut self, owner: impl Into<String>) -> Self {
        self.owner = Some(owner.into());
        self
    }

    pub fn with_section(mut self, section: impl Into<String>) -> Self {
        self.section_id = Some(section.into());
        self
    }

    pub fn with_flags(mut self, flags: AccountFlags) -> Self {
        self.flags = flags;
        self
    }

    /// The four totals.
    pub fn balances(&self) -> Balances {
        Balances {
            debits_posted: self.debits_posted,
            credits_posted: self.credits_posted,
            debits_pending: self.debits_pending,
            credits_pending: self.credits_pending,
        }
    }

    /// Posted credits minus posted debits: for a bond account, what the platform owes
    /// the bidder. Negative when the account has a debit balance.
    pub fn credit_balance(&self) -> i64 {
        self.credits_posted.saturating_sub(self.debits_posted)
    }

    /// Posted debits minus posted credits: for the pool, the cash it holds.
    pub fn debit_balance(&self) -> i64 {
        self.debits_posted.saturating_sub(self.credits_posted)
    }

    /// What may still be debited before `debits_must_not_exceed_credits` would refuse:
    /// posted credits minus posted and pending debits.
    pub fn available_credit_balance(&self) -> i64 {
        self.credits_posted.saturating_sub(self.debits_posted).saturating_sub(self.debits_pending)
    }

    /// What may still be credited before `credits_must_not_exceed_debits` would refuse:
    /// posted debits minus posted and pending credits.
    pub fn available_debit_balance(&self) -> i64 {
        self.debits_posted.saturating_sub(self.credits_posted).saturating_sub(self.credits_pending)
    }

    /// Zero balance with nothing reserved: posted debits equal posted credits and both
    /// pending totals are zero.
    pub fn is_settled(&self) -> bool {
        self.debits_posted == self.credits_posted && self.debits_pending == 0 && self.credits_pending == 0
    }

    /// Whether no amount has ever been posted or reserved on the account.
    pub fn is_untouched(&self) -> bool {
        self.balances() == Balances::default()
    }

    /// Whether the totals are non-negative and respect the account's flags, pending
    /// amounts included.
    pub fn within_limits(&self) -> bool {
        let b = self.balances();
        if b.debits_posted < 0 || b.credits_posted < 0 || b.debits_pending < 0 || b.credits_pending < 0 {
            return false;
        }
        let (dp, cp, dq, cq) = (
            i128::from(b.debits_posted),
            i128::from(b.credits_posted),
            i128::from(b.debits_pending),
            i128::from(b.credits_pending),
        );
        let debits_over = self.flags.debits_must_not_exceed_credits && dp + dq > cp;
        let credits_over = self.flags.credits_must_not_exceed_debits && cp + cq > dp;
        !debits_over && !credits_over
    }

    /// The same account with all totals zero: its definition as created.
    pub fn opening(&self) -> Account {
        Account { debits_posted: 0, credits_posted: 0, debits_pending: 0, credits_pending: 0, ..self.clone() }
    }

    /// Whether `other` has the same id, kind, owner, section and flags (totals ignored).
    pub fn same_definition(&self, other: &Account) -> bool {
        self.id == other.id
            && self.kind == other.kind
            && self.owner == other.owner
            && self.section_id == other.section_id
            && self.flags == other.flags
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_flags_per_kind() {
        assert_eq!(AccountKind::BidderBond.default_flags(), AccountFlags::DEBITS_MUST_NOT_EXCEED_CREDITS);
        assert_eq!(AccountKind::TendererPayable.default_flags(), AccountFlags::DEBITS_MUST_NOT_EXCEED_CREDITS);
        assert_eq!(AccountKind::BondPool.default_flags(), AccountFlags::CREDITS_MUST_NOT_EXCEED_DEBITS);
        assert_eq!(AccountKind::InterestExpense.default_flags(), AccountFlags::CREDITS_MUST_NOT_EXCEED_DEBITS);
        assert_eq!(AccountKind::LateFeeExpense.default_flags(), AccountFlags::CREDITS_MUST_NOT_EXCEED_DEBITS);
        assert_eq!(AccountKind::BankClearing.default_flags(), AccountFlags::NONE);
    }

    #[test]
    fn kind_keys_round_trip() {
        for kind in AccountKind::ALL {
            assert_eq!(AccountKind::from_key(kind.as_str()), Some(kind));
            let json = serde_json::to_value(kind).unwrap();
            assert_eq!(json, kind.as_str());
            assert!(!kind.name().is_empty());
        }
        assert_eq!(AccountKind::from_key("nope"), None);
    }

    #[test]
    fn balance_helpers() {
        let mut a = Account::bidder_bond("b", "p1", "s1");
        assert!(a.is_untouched() && a.is_settled() && a.within_limits());
        a.credits_posted = 1000;
        a.debits_posted = 300;
        a.debits_pending = 200;
        assert_eq!(a.credit_balance(), 700);
        assert_eq!(a.debit_balance(), -700);
        assert_eq!(a.available_credit_balance(), 500);
        assert!(!a.is_settled());
        assert!(a.within_limits());
        a.debits_pending = 701;
        assert!(!a.within_limits());

        let mut pool = Account::new("pool", AccountKind::BondPool);
        pool.debits_posted = 500;
        pool.credits_pending = 100;
        assert_eq!(pool.debit_balance(), 500);
        assert_eq!(pool.available_debit_balance(), 400);
        assert!(pool.within_limits());
        pool.credits_posted = 401;
        assert!(!pool.within_limits());

        let mut negative = Account::new("x", AccountKind::BankClearing);
        negative.debits_posted = -1;
        assert!(!negative.within_limits());
    }

    #[test]
    fn opening_and_definition() {
        let mut a = Account::tenderer_payable("t", "tenderer", "s1");
        a.credits_posted = 5;
        assert!(a.opening().is_untouched());
        assert!(a.same_definition(&a.opening()));
        assert!(!a.same_definition(&a.clone().with_flags(AccountFlags::NONE)));
    }

    #[test]
    fn serde_shape() {
        let a = Account::bidder_bond("bond:s1:p1", "p1", "s1");
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["kind"], "bidder_bond");
        assert_eq!(json["flags"]["debits_must_not_exceed_credits"], true);
        assert_eq!(json["debits_posted"], 0);
        let back: Account = serde_json::from_value(json).unwrap();
        assert_eq!(back, a);
    }
}
