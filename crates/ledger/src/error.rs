//! Why the ledger refused an account or a transfer, and what [`Ledger::verify`] found.
//!
//! [`Ledger::verify`]: crate::Ledger::verify

use serde::Serialize;

use crate::account::Balances;
use crate::ledger::PendingStatus;

/// A refused account or transfer. Nothing is changed when one is returned.
///
/// Every transfer error names the transfer (`transfer_id`); [`LedgerError::code`] is a
/// stable snake_case code, the message is Chinese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    #[error("账户编号不能为空")]
    AccountIdEmpty,
    #[error("账户 {account_id} 已存在，且与本次提交的内容不同")]
    AccountExists { account_id: String },
    #[error("账户 {account_id} 不能同时设置“借方不得超过贷方”和“贷方不得超过借方”")]
    AccountFlagsAreMutuallyExclusive { account_id: String },
    #[error("新建账户 {account_id} 的借贷发生额必须全部为零")]
    AccountBalancesMustBeZero { account_id: String },
    #[error("投标人保证金分户 {account_id} 必须指明投标人和标段")]
    BondAccountNeedsOwnerAndSection { account_id: String },

    #[error("第 {index} 笔转账的编号不能为空")]
    TransferIdEmpty { index: usize },
    #[error("转账 {transfer_id} 已存在，且与本次提交的内容不同（同一编号只能对应同一笔转账）")]
    ExistsWithDifferentBody { transfer_id: String },
    #[error("转账 {transfer_id} 的标志冲突：预留、确认预留、撤销预留三者至多选一")]
    FlagsAreMutuallyExclusive { transfer_id: String },
    #[error("转账 {transfer_id} 确认或撤销预留时必须指明预留转账编号")]
    PendingIdRequired { transfer_id: String },
    #[error("转账 {transfer_id} 不是确认或撤销预留，不得指明预留转账编号")]
    PendingIdMustBeAbsent { transfer_id: String },
    #[error("转账 {transfer_id} 不能确认或撤销其自身")]
    PendingIdSameAsId { transfer_id: String },
    #[error("转账 {transfer_id} 的金额必须大于零")]
    AmountMustBePositive { transfer_id: String },
    #[error("转账 {transfer_id} 的金额超出上限 10000000000000.00 元")]
    AmountTooLarge { transfer_id: String },
    #[error("转账 {transfer_id} 的借方账户与贷方账户不能相同")]
    AccountsMustBeDifferent { transfer_id: String },
    #[error("转账 {transfer_id} 的借方账户 {account_id} 不存在")]
    DebitAccountNotFound { transfer_id: String, account_id: String },
    #[error("转账 {transfer_id} 的贷方账户 {account_id} 不存在")]
    CreditAccountNotFound { transfer_id: String, account_id: String },
    #[error("转账 {transfer_id} 指明的预留转账 {pending_id} 不存在")]
    PendingTransferNotFound { transfer_id: String, pending_id: String },
    #[error("转账 {transfer_id} 指明的转账 {pending_id} 不是预留转账")]
    PendingTransferNotPending { transfer_id: String, pending_id: String },
    #[error("转账 {transfer_id} 的借贷账户与预留转账 {pending_id} 不一致")]
    PendingTransferHasDifferentAccounts { transfer_id: String, pending_id: String },
    #[error("转账 {transfer_id} 的类型与预留转账 {pending_id} 不一致")]
    PendingTransferHasDifferentKind { transfer_id: String, pending_id: String },
    #[error("预留转账 {pending_id} {status_name}，转账 {transfer_id} 不能再次处理", status_name = .status.name())]
    PendingAlreadyResolved { transfer_id: String, pending_id: String, status: PendingStatus },
    #[error("转账 {transfer_id} 确认的金额 {amount} 分超过预留转账 {pending_id} 的金额 {pending_amount} 分")]
    ExceedsPendingAmount { transfer_id: String, pending_id: String, amount: i64, pending_amount: i64 },
    #[error("转账 {transfer_id} 撤销预留时金额须为 0 或等于预留转账 {pending_id} 的金额 {pending_amount} 分")]
    PendingTransferHasDifferentAmount { transfer_id: String, pending_id: String, pending_amount: i64 },
    #[error("转账 {transfer_id} 将使账户 {account_id} 的借方（含预留）超过贷方，余额不足")]
    ExceedsCredits { transfer_id: String, account_id: String },
    #[error("转账 {transfer_id} 将使账户 {account_id} 的贷方（含预留）超过借方，余额不足")]
    ExceedsDebits { transfer_id: String, account_id: String },
    #[error("转账 {transfer_id} 将使账户 {account_id} 的发生额溢出")]
    Overflow { transfer_id: String, account_id: String },
    #[error("转账 {transfer_id} 设置了关联标志，但其后没有结束该关联链的转账")]
    LinkedChainOpen { transfer_id: String },
    #[error("关联链中的转账 {failed_transfer_id} 失败，转账 {transfer_id} 一并未执行")]
    LinkedEventFailed { transfer_id: String, failed_transfer_id: String },
    #[error("重放时转账 {transfer_id} 重复出现")]
    ReplayDuplicateTransfer { transfer_id: String },
}

impl LedgerError {
    /// Stable snake_case code, e.g. `exceeds_credits`.
    pub fn code(&self) -> &'static str {
        match self {
            LedgerError::AccountIdEmpty => "account_id_empty",
            LedgerError::AccountExists { .. } => "account_exists",
            LedgerError::AccountFlagsAreMutuallyExclusive { .. } => "account_flags_are_mutually_exclusive",
            LedgerError::AccountBalancesMustBeZero { .. } => "account_balances_must_be_zero",
            LedgerError::BondAccountNeedsOwnerAndSection { .. } => "bond_account_needs_owner_and_section",
            LedgerError::TransferIdEmpty { .. } => "transfer_id_empty",
            LedgerError::ExistsWithDifferentBody { .. } => "exists_with_different_body",
            LedgerError::FlagsAreMutuallyExclusive { .. } => "flags_are_mutually_exclusive",
            LedgerError::PendingIdRequired { .. } => "pending_id_required",
            LedgerError::PendingIdMustBeAbsent { .. } => "pending_id_must_be_absent",
            LedgerError::PendingIdSameAsId { .. } => "pending_id_same_as_id",
            LedgerError::AmountMustBePositive { .. } => "amount_must_be_positive",
            LedgerError::AmountTooLarge { .. } => "amount_too_large",
            LedgerError::AccountsMustBeDifferent { .. } => "accounts_must_be_different",
            LedgerError::DebitAccountNotFound { .. } => "debit_account_not_found",
            LedgerError::CreditAccountNotFound { .. } => "credit_account_not_found",
            LedgerError::PendingTransferNotFound { .. } => "pending_transfer_not_found",
            LedgerError::PendingTransferNotPending { .. } => "pending_transfer_not_pending",
            LedgerError::PendingTransferHasDifferentAccounts { .. } => "pending_transfer_has_different_accounts",
            LedgerError::PendingTransferHasDifferentKind { .. } => "pending_transfer_has_different_kind",
            LedgerError::PendingAlreadyResolved { .. } => "pending_already_resolved",
            LedgerError::ExceedsPendingAmount { .. } => "exceeds_pending_amount",
            LedgerError::PendingTransferHasDifferentAmount { .. } => "pending_transfer_has_different_amount",
            LedgerError::ExceedsCredits { .. } => "exceeds_credits",
            LedgerError::ExceedsDebits { .. } => "exceeds_debits",
            LedgerError::Overflow { .. } => "overflow",
            LedgerError::LinkedChainOpen { .. } => "linked_chain_open",
            LedgerError::LinkedEventFailed { .. } => "linked_event_failed",
            LedgerError::ReplayDuplicateTransfer { .. } => "replay_duplicate_transfer",
        }
    }

    /// The transfer the error is about, if it is about one.
    pub fn transfer_id(&self) -> Option<&str> {
        match self {
            LedgerError::AccountIdEmpty
            | LedgerError::AccountExists { .. }
            | LedgerError::AccountFlagsAreMutuallyExclusive { .. }
            | LedgerError::AccountBalancesMustBeZero { .. }
            | LedgerError::BondAccountNeedsOwnerAndSection { .. }
            | LedgerError::TransferIdEmpty { .. } => None,
            LedgerError::ExistsWithDifferentBody { transfer_id }
            | LedgerError::FlagsAreMutuallyExclusive { transfer_id }
            | LedgerError::PendingIdRequired { transfer_id }
            | LedgerError::PendingIdMustBeAbsent { transfer_id }
            | LedgerError::PendingIdSameAsId { transfer_id }
            | LedgerError::AmountMustBePositive { transfer_id }
            | LedgerError::AmountTooLarge { transfer_id }
            | LedgerError::AccountsMustBeDifferent { transfer_id }
            | LedgerError::DebitAccountNotFound { transfer_id, .. }
            | LedgerError::CreditAccountNotFound { transfer_id, .. }
            | LedgerError::PendingTransferNotFound { transfer_id, .. }
            | LedgerError::PendingTransferNotPending { transfer_id, .. }
            | LedgerError::PendingTransferHasDifferentAccounts { transfer_id, .. }
            | LedgerError::PendingTransferHasDifferentKind { transfer_id, .. }
            | LedgerError::PendingAlreadyResolved { transfer_id, .. }
            | LedgerError::ExceedsPendingAmount { transfer_id, .. }
            | LedgerError::PendingTransferHasDifferentAmount { transfer_id, .. }
            | LedgerError::ExceedsCredits { transfer_id, .. }
            | LedgerError::ExceedsDebits { transfer_id, .. }
            | LedgerError::Overflow { transfer_id, .. }
            | LedgerError::LinkedChainOpen { transfer_id }
            | LedgerError::LinkedEventFailed { transfer_id, .. }
            | LedgerError::ReplayDuplicateTransfer { transfer_id } => Some(transfer_id),
        }
    }
}

/// A broken invariant found by [`Ledger::verify`](crate::Ledger::verify). Any of these
/// means the state is corrupt (or was edited outside the ledger), never bad input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum InvariantViolation {
    #[error("已过账借方合计 {debits} 分不等于已过账贷方合计 {credits} 分")]
    PostedTotalsDiffer { debits: i128, credits: i128 },
    #[error("预留借方合计 {debits} 分不等于预留贷方合计 {credits} 分")]
    PendingTotalsDiffer { debits: i128, credits: i128 },
    #[error("账户 {account_id} 的发生额为负数或超出其余额限制")]
    LimitExceeded { account_id: String },
    #[error("账户 {account_id} 的发生额与按全部转账重放的结果不一致")]
    BalanceMismatch { account_id: String, recorded: Balances, replayed: Balances },
    #[error("按全部转账重放失败：{message}")]
    ReplayFailed { error_code: String, message: String },
    #[error("预留转账 {pending_id} 被确认或撤销了 {count} 次")]
    PendingResolvedMoreThanOnce { pending_id: String, count: usize },
    #[error("预留转账 {pending_id} 的处理记录与转账记录不一致")]
    ResolutionMismatch { pending_id: String },
}

impl InvariantViolation {
    /// Stable snake_case code, the same as the serialised `code` tag.
    pub fn code(&self) -> &'static str {
        match self {
            InvariantViolation::PostedTotalsDiffer { .. } => "posted_totals_differ",
            InvariantViolation::PendingTotalsDiffer { .. } => "pending_totals_differ",
            InvariantViolation::LimitExceeded { .. } => "limit_exceeded",
            InvariantViolation::BalanceMismatch { .. } => "balance_mismatch",
            InvariantViolation::ReplayFailed { .. } => "replay_failed",
            InvariantViolation::PendingResolvedMoreThanOnce { .. } => "pending_resolved_more_than_once",
            InvariantViolation::ResolutionMismatch { .. } => "resolution_mismatch",
        }
    }
}

/// A batch the ledger refuses conflicts with the books: a pending transfer resolved before
/// says so, any other refusal is a failed check of the accounts.
impl From<LedgerError> for ggzy_kernel::Answer {
    fn from(error: LedgerError) -> Self {
        match error {
            LedgerError::PendingAlreadyResolved { .. } => ggzy_kernel::Answer::Conflict(error.to_string()),
            other => ggzy_kernel::Answer::Conflict(format!("账务校验未通过：{other}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_messages() {
        let e = LedgerError::ExceedsCredits { transfer_id: "t1".into(), account_id: "bond:s1:p1".into() };
        assert_eq!(e.code(), "exceeds_credits");
        assert_eq!(e.transfer_id(), Some("t1"));
        assert!(e.to_string().contains("余额不足"), "{e}");

        let e = LedgerError::PendingAlreadyResolved {
            transfer_id: "v".into(),
            pending_id: "p".into(),
            status: PendingStatus::Posted,
        };
        assert_eq!(e.to_string(), "预留转账 p 已确认，转账 v 不能再次处理");
        assert_eq!(LedgerError::AccountIdEmpty.transfer_id(), None);
    }

    #[test]
    fn violations_serialise_with_their_code() {
        let v = InvariantViolation::PostedTotalsDiffer { debits: 5, credits: 4 };
        let json = serde_json::to_value(&v).unwrap();
        assert_eq!(json["code"], v.code());
        assert_eq!(json["debits"], 5);
        let v = InvariantViolation::BalanceMismatch {
            account_id: "a".into(),
            recorded: Balances::default(),
            replayed: Balances { debits_posted: 1, ..Balances::default() },
        };
        let json = serde_json::to_value(&v).unwrap();
        assert_eq!(json["code"], "balance_mismatch");
        assert_eq!(json["replayed"]["debits_posted"], 1);
    }
}

#[cfg(test)]
mod answers {
    use super::*;
    use ggzy_kernel::Answer;

    #[test]
    fn a_refused_batch_is_a_conflict_and_only_a_resolved_pending_one_says_so_alone() {
        let resolved = LedgerError::PendingAlreadyResolved {
            transfer_id: "v".into(),
            pending_id: "p".into(),
            status: PendingStatus::Posted,
        };
        let told = resolved.to_string();
        assert_eq!(Answer::from(resolved), Answer::Conflict(told));
        let empty = LedgerError::AccountIdEmpty;
        assert_eq!(Answer::from(empty), Answer::Conflict("账务校验未通过：账户编号不能为空".into()));
    }
}
