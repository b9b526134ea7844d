//! Credit of market participants (市场主体信用): good and bad records (信用记录), their
//! publication (公示), an explainable score (信用评分) and grade, restrictions that bar
//! trading (失信惩戒), credit commitments (信用承诺), credit repair (信用修复) and the
//! credit report (信用报告).
//!
//! - [`record`]: [`CreditRecord`], [`RecordKind`] (业绩, 创新创优, … 行政处罚, 失信被执行人 …)
//!   and [`Severity`] (轻微 / 一般 / 严重);
//! - [`participant`]: what a registered participant is on the market, and how its
//!   registration and changes are read (participant.register_once);
//! - [`policy`]: the versioned [`CreditPolicy`] — publication periods
//!   (credit.record.publicity, credit.severity.periods) and the [`ScoreModel`]
//!   (credit.score) — with [`publication_window`] and [`is_public_on`];
//! - [`policy_version`]: what a new version of the policy may be, and its number;
//! - [`restriction`]: [`Restriction`]s, [`Commitment`]s and the [`gate`] every
//!   [`TradingAct`] passes (construction.debarment, credit.commitment, credit.use);
//! - [`repair`]: [`repair_eligibility`] and [`automatic_removal_on`] (credit.repair), and
//!   the decisions on an application for repair and on its verdict;
//! - [`recording`]: the record, report or restriction a write command makes, and what a
//!   line of the court-enforcement list does;
//! - [`report`](mod@report): the [`CreditReport`] of one participant on one date;
//! - [`requests`]: the requests that write credit, read into typed values with every
//!   problem named at once, the court-enforcement list read line by line, and the purpose
//!   a reader of credit states.
//!
//! Dates are Beijing-time calendar dates. Periods in months are calendar months that
//! clamp to the month's end (2026-08-31 + 6 months = 2027-02-28); windows include their
//! first day and exclude their end, so a record leaves the public list on its end day.
//! Every decision cites the rule ids of `ggzy_rules::rule_ids`.
//!
//! The crate is pure: no I/O, no database, no web framework; the caller loads the data
//! and passes slices.

pub mod disclosure;
pub mod participant;
pub mod policy;
pub mod policy_version;
pub mod queries;
pub mod record;
pub mod recording;
pub mod repair;
pub mod report;
pub mod requests;
pub mod restriction;

pub use policy::{
    is_public_on, publication_window, Contribution, CreditPolicy, GradeBand, MonthRange, PublicationPolicy, Score,
    ScoreModel, ScoreRule,
};
pub use record::{CreditRecord, RecordKind, Severity};
pub use repair::{automatic_removal_on, repair_eligibility, RepairRefusal};
pub use report::{report, CreditReport};
pub use restriction::{gate, which_bars, Commitment, Refusal, Restriction, RestrictionKind, TradingAct};

ggzy_kernel::closed_enum! {
    /// Where the centre's report of bad trading conduct stands.
    pub enum ConductReportStatus {
        /// 待处理
        Pending = "pending",
        /// 已采纳（形成信用记录）
        Accepted = "accepted",
        /// 不予采纳
        Dismissed = "dismissed",
    }
}

ggzy_kernel::closed_enum! {
    /// Where an application for credit repair stands.
    pub enum RepairStatus {
        /// 待审核
        Pending = "pending",
        /// 已准予修复
        Approved = "approved",
        /// 不予修复
        Rejected = "rejected",
    }
}
