//! Transfers: immutable movements of fen from one account (debited) to another
//! (credited).
//!
//! A transfer is identified by a client-chosen id, which makes every submission
//! idempotent: the same id with the same body is recognised and not applied twice. A
//! recorded transfer is never changed or deleted; a mistake is undone by a new
//! [`TransferKind::Correction`] transfer.
//!
//! Two-phase transfers: a transfer flagged `pending` only reserves its amount (in the
//! accounts' pending totals). A later transfer flagged `post_pending` (naming it in
//! `pending_id`) moves the reservation to the posted totals, or one flagged
//! `void_pending` releases it. A pending transfer is resolved at most once.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Business meaning of a transfer (转账类型); the direction of each is documented in
/// [`crate::account`].
///
/// - `deposit`: 缴纳保证金
/// - `refund`: 退还保证金（含利息、资金占用费）
/// - `forfeit`: 没收保证金
/// - `apply_to_price`: 竞买保证金转作成交价款
/// - `payout`: 向招标人支付被没收的保证金
/// - `interest`: 计付利息
/// - `late_fee`: 计付超期资金占用费
/// - `funding`: 专户资金注入（银行结息、平台自有资金）
/// - `correction`: 更正
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransferKind {
    /// 缴纳保证金
    Deposit,
    /// 退还保证金
    Refund,
    /// 没收保证金
    Forfeit,
    /// 保证金转作价款 (the winner's deposit of a listing or auction counts toward the price)
    ApplyToPrice,
    /// 向招标人支付
    Payout,
    /// 利息
    Interest,
    /// 超期资金占用费
    LateFee,
    /// 专户资金注入
    Funding,
    /// 更正
    Correction,
}

impl TransferKind {
    /// Every kind, in declaration order.
    pub const ALL: [TransferKind; 9] = [
        TransferKind::Deposit,
        TransferKind::Refund,
        TransferKind::Forfeit,
        TransferKind::ApplyToPrice,
        TransferKind::Payout,
        TransferKind::Interest,
        TransferKind::LateFee,
        TransferKind::Funding,
        TransferKind::Correction,
    ];

    /// The serde key, e.g. `late_fee`.
    pub fn as_str(self) -> &'static str {
        match self {
            TransferKind::Deposit => "deposit",
            TransferKind::Refund => "refund",
            TransferKind::Forfeit => "forfeit",
            TransferKind::ApplyToPrice => "apply_to_price",
            TransferKind::Payout => "payout",
            TransferKind::Interest => "interest",
            TransferKind::LateFee => "late_fee",
            TransferKind::Funding => "funding",
            TransferKind::Correction => "correction",
        }
    }

    /// The inverse of [`TransferKind::as_str`].
    pub fn from_key(key: &str) -> Option<TransferKind> {
        TransferKind::ALL.into_iter().find(|k| k.as_str() == key)
    }

    /// The Chinese term.
    pub fn name(self) -> &'static str {
        match self {
            TransferKind::Deposit => "缴纳保证金",
            TransferKind::Refund => "退还保证金",
            TransferKind::Forfeit => "没收保证金",
            TransferKind::ApplyToPrice => "保证金转作价款",
            TransferKind::Payout => "向招标人支付",
            TransferKind::Interest => "利息",
            TransferKind::LateFee => "超期资金占用费",
            TransferKind::Funding => "专户资金注入",
            TransferKind::Correction => "更正",
        }
    }
}

/// Flags of a transfer. `pending`, `post_pending` and `void_pending` are mutually
/// exclusive; none of them means an ordinary, immediately posted transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ToSchema)]
pub struct TransferFlags {
    /// Reserve the amount only (first phase of a two-phase transfer).
    #[serde(default)]
    pub pending: bool,
    /// Post the pending transfer named by `pending_id`.
    #[serde(default)]
    pub post_pending: bool,
    /// Release the pending transfer named by `pending_id`.
    #[serde(default)]
    pub void_pending: bool,
    /// This transfer and the next one in the same batch succeed or fail together; a
    /// chain is closed by the first transfer without the flag.
    #[serde(default)]
    pub linked: bool,
}

/// A movement of `amount` fen from `debit_account_id` to `credit_account_id`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub struct Transfer {
    /// Client-chosen unique id; resending the same id and body is a no-op.
    pub id: String,
    pub debit_account_id: String,
    pub credit_account_id: String,
    /// Amount in fen, greater than zero. For `post_pending`, 0 means the full pending
    /// amount and a smaller amount posts part (the rest is released); for
    /// `void_pending`, 0 or the pending amount. The ledger records the effective amount.
    pub amount: i64,
    pub kind: TransferKind,
    #[serde(default)]
    pub flags: TransferFlags,
    /// The pending transfer a `post_pending` or `void_pending` resolves.
    #[serde(default)]
    pub pending_id: Option<String>,
    /// Free-text reason, e.g. why a bond was forfeited or a refund failed.
    #[serde(default)]
    pub reason: Option<String>,
    /// The rule of `RULES.md` the transfer applies, e.g. `construction.bond.forfeit`.
    #[serde(default)]
    pub rule_id: Option<String>,
}

impl Transfer {
    /// An ordinary (immediately posted) transfer.
    pub fn new(
        id: impl Into<String>,
        debit_account_id: impl Into<String>,
        credit_account_id: impl Into<String>,
        amount: i64,
        kind: TransferKind,
    ) -> Self {
        Transfer {
            id: id.into(),
            debit_account_id: debit_account_id.into(),
            credit_account_id: credit_account_id.into(),
            amount,
            kind,
            flags: TransferFlags::default(),
            pending_id: None,
            reason: None,
            rule_id: None,
        }
    }

    /// Posts `pending` (same accounts, kind and rule). `amount` 0 posts the full amount.
    pub fn post(id: impl Into<String>, pending: &Transfer, amount: i64) -> Self {
        Transfer {
            id: id.into(),
            debit_account_id: pending.debit_account_id.clone(),
            credit_account_id: pending.credit_account_id.clone(),
            amount,
            kind: pending.kind,
            flags: TransferFlags { post_pending: true, ..TransferFlags::default() },
            pending_id: Some(pending.id.clone()),
            reason: None,
            rule_id: pending.rule_id.clone(),
        }
    }

    /// Voids (releases) `pending` (same accounts, kind and rule).
    pub fn void(id: impl Into<String>, pending: &Transfer) -> Self {
        Transfer {
            id: id.into(),
            debit_account_id: pending.debit_account_id.clone(),
            credit_account_id: pending.credit_account_id.clone(),
            amount: pending.amount,
            kind: pending.kind,
            flags: TransferFlags { void_pending: true, ..TransferFlags::default() },
            pending_id: Some(pending.id.clone()),
            reason: None,
            rule_id: pending.rule_id.clone(),
        }
    }

    /// The same transfer flagged `pending`.
    pub fn into_pending(mut self) -> Self {
        self.flags.pending = true;
        self
    }

    /// The same transfer flagged `linked` (chained to the next one of the batch).
    pub fn into_linked(mut self) -> Self {
        self.flags.linked = true;
        self
    }

    pub fn with_reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }

    pub fn with_rule_id(mut self, rule_id: impl Into<String>) -> Self {
        self.rule_id = Some(rule_id.into());
        self
    }

    /// Neither pending, post nor void: posted at once.
    pub fn is_immediate(&self) -> bool {
        !self.flags.pending && !self.flags.post_pending && !self.flags.void_pending
    }

    /// Resolves a pending transfer (post or void).
    pub fn is_resolution(&self) -> bool {
        self.flags.post_pending || self.flags.void_pending
    }

    /// The amount this transfer adds to the posted totals of its two accounts: the
    /// amount of an immediate transfer or a post, zero for a pending or void.
    pub fn posted_amount(&self) -> i64 {
        if self.is_immediate() || self.flags.post_pending {
            self.amount
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_keys_round_trip() {
        for kind in TransferKind::ALL {
            assert_eq!(TransferKind::from_key(kind.as_str()), Some(kind));
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
            assert!(!kind.name().is_empty());
        }
        assert_eq!(TransferKind::from_key("gift"), None);
    }

    #[test]
    fn builders() {
        let p = Transfer::new("p", "a", "b", 100, TransferKind::Refund).with_rule_id("r").into_pending();
        assert!(p.flags.pending && !p.is_immediate() && !p.is_resolution());
        assert_eq!(p.posted_amount(), 0);
        let post = Transfer::post("q", &p, 0);
        assert!(post.flags.post_pending && post.is_resolution());
        assert_eq!(post.pending_id.as_deref(), Some("p"));
        assert_eq!(post.rule_id.as_deref(), Some("r"));
        assert_eq!((post.debit_account_id.as_str(), post.credit_account_id.as_str()), ("a", "b"));
        let void = Transfer::void("v", &p).with_reason("银行退票");
        assert!(void.flags.void_pending);
        assert_eq!(void.amount, 100);
        assert_eq!(void.posted_amount(), 0);
        let t = Transfer::new("t", "a", "b", 5, TransferKind::Deposit).into_linked();
        assert!(t.flags.linked && t.is_immediate());
        assert_eq!(t.posted_amount(), 5);
    }

    #[test]
    fn serde_defaults_flags_and_options() {
        let t: Transfer = serde_json::from_value(serde_json::json!({
            "id": "t1", "debit_account_id": "a", "credit_account_id": "b", "amount": 10, "kind": "deposit"
        }))
        .unwrap();
        assert_eq!(t, Transfer::new("t1", "a", "b", 10, TransferKind::Deposit));
    }
}
