//! Response and request bodies of bonds (see `ggzy_service::bonds` for the use cases).

use chrono::{DateTime, Utc};
use ggzy_kernel::{FieldError, Money};
pub use ggzy_ledger::books::{BondClosure, LedgerVerification};
pub use ggzy_ledger::requests::OwnBondQuery;
pub use ggzy_ledger::requests::{
    ConfirmRefund, DepositBond, ForfeitBond, GuaranteeDocument, PayerAccount, RecordBondEvent,
};
pub use ggzy_ledger::{BondForm, BondOutcome, BondStatus, ForfeitReason, RefundTrigger};
use serde::Serialize;
use utoipa::ToSchema;

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
