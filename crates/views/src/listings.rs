//! Response and request bodies of listings (see `ggzy_service::listings` for the use cases).

use chrono::{DateTime, Utc};
use ggzy_kernel::Money;
use ggzy_trading::lifecycle::Confirmation;
pub use ggzy_trading::listing::creation::CreateListing;
use ggzy_trading::listing::Phase;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A quote (报价).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaceQuote {
    #[schema(required = true, value_type = String, example = "12100000.00")]
    pub price: Option<String>,
}

/// The winner's refusal to sign the confirmation, as the centre records it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordRefusal {
    #[schema(required = true, value_type = String, example = "竞得人书面表示放弃竞得资格")]
    pub reason: Option<String>,
}

/// Where a listing is.
///
/// - `announced`: 公告期 / 信息披露期
/// - `listing`: 挂牌期
/// - `auction`: 现场 / 网络竞价
/// - `sold`: 成交
/// - `failed`: 流拍
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ListingPhase {
    Announced,
    Listing,
    Auction,
    Sold,
    Failed,
}

impl From<Phase> for ListingPhase {
    fn from(phase: Phase) -> Self {
        match phase {
            Phase::Announced => ListingPhase::Announced,
            Phase::Listing => ListingPhase::Listing,
            Phase::Auction => ListingPhase::Auction,
            Phase::Sold => ListingPhase::Sold,
            Phase::Failed => ListingPhase::Failed,
        }
    }
}

/// The published result (成交结果公示), once the listing has ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ListingResult {
    /// Why it failed, when it did.
    pub failure: Option<ggzy_trading::listing::view::ListingFailure>,
    /// 竞得人, after a sale.
    pub winner_id: Option<String>,
    pub winner_name: Option<String>,
    pub winner_number: Option<i32>,
    /// 成交价.
    pub price: Option<Money>,
    pub concluded_at: DateTime<Utc>,
    /// `confirmed` once the winner signed the confirmation, `refused` if it refused.
    pub confirmation: Option<Confirmation>,
    pub confirmed_at: Option<DateTime<Utc>>,
}

/// A listing as the public sees it: the reserve price only once it has ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Listing {
    pub id: String,
    pub project_id: String,
    pub section_id: String,
    pub announcement_id: String,
    #[schema(value_type = ggzy_rules::Category)]
    pub category: String,
    pub phase: ListingPhase,
    pub starting_price: Money,
    pub increment: Money,
    pub deposit: Money,
    /// Disclosed when the listing has ended.
    pub reserve_price: Option<Money>,
    pub appraisal: Option<Money>,
    pub listing_start: DateTime<Utc>,
    pub listing_end: DateTime<Utc>,
    pub extension_minutes: i32,
    pub place: String,
    /// The failed listing this one relists.
    pub relisting_of: Option<String>,
    /// The highest accepted quote so far.
    pub current_price: Option<Money>,
    /// What the next quote must at least be, while quoting is open.
    pub minimum_quote: Option<Money>,
    pub leading_number: Option<i32>,
    /// The auction's end as it stands (it moves with late quotes).
    pub auction_end: Option<DateTime<Utc>>,
    pub quotes: i32,
    pub result: Option<ListingResult>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListingPage {
    pub items: Vec<Listing>,
    pub next_cursor: Option<String>,
}

/// One accepted quote, public with the bidder's number only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Quote {
    /// Order of acceptance, from 1.
    pub sequence: i32,
    pub bidder_number: i32,
    pub price: Money,
    /// `listing` or `auction`.
    #[schema(value_type = ggzy_trading::listing::Phase)]
    pub phase: String,
    pub placed_at: DateTime<Utc>,
    /// The auction's end after this quote.
    pub auction_end: Option<DateTime<Utc>>,
}
