//! Response and request bodies of listings (see `ggzy_service::listings` for the use cases).

use chrono::{DateTime, Utc};
use ggzy_kernel::{stored, stored_money, stored_opt, Money, StoredFault};
use ggzy_store::listings::{ListingRow, ProgressRow, QuoteRow};
use ggzy_store::participants::ParticipantRow;
use ggzy_store::projects::SectionRow;
use ggzy_trading::lifecycle::Confirmation;
pub use ggzy_trading::listing::creation::CreateListing;
use ggzy_trading::listing::creation::LotSection;
use ggzy_trading::listing::view::Shown;
use ggzy_trading::listing::{Phase, State, Terms};
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

impl From<ListingPhase> for Phase {
    fn from(phase: ListingPhase) -> Self {
        match phase {
            ListingPhase::Announced => Phase::Announced,
            ListingPhase::Listing => Phase::Listing,
            ListingPhase::Auction => Phase::Auction,
            ListingPhase::Sold => Phase::Sold,
            ListingPhase::Failed => Phase::Failed,
        }
    }
}

/// The terms a stored listing quotes under.
pub fn terms_of(listing: &ListingRow) -> Terms {
    Terms {
        starting_price: listing.starting_price,
        increment: listing.increment,
        reserve_price: listing.reserve_price,
        listing_start: listing.listing_start.and_utc(),
        listing_end: listing.listing_end.and_utc(),
        extension: chrono::Duration::seconds(i64::from(listing.extension_seconds)),
    }
}

/// The phase a stored progress row records.
pub fn phase_of(progress: &ProgressRow) -> Result<Phase, StoredFault> {
    stored("listing_progress.phase", &progress.phase)
}

/// Where a stored listing stands, as its quotes are decided against.
pub fn state_of(progress: &ProgressRow) -> Result<State, StoredFault> {
    Ok(State {
        phase: phase_of(progress)?,
        current_price: progress.current_price,
        auction_end: progress.auction_end.map(|t| t.and_utc()),
    })
}

/// A stored section as a lot of a listing.
pub fn lot_section(section: SectionRow) -> LotSection {
    LotSection {
        id: section.id,
        code: section.code,
        position: section.position,
        name: section.name,
        estimated_amount: section.estimated_amount,
    }
}

/// The accepted quotes of a listing in order, each with the auction end it left behind.
pub fn quotes_from_rows(listing: &ListingRow, rows: Vec<QuoteRow>) -> Result<Vec<Quote>, StoredFault> {
    let ends = ggzy_trading::listing::auction_ends(
        &terms_of(listing),
        rows.iter().map(|q| (Phase::from_key(&q.phase), q.placed_at.and_utc())),
    );
    rows.into_iter()
        .zip(ends)
        .map(|(q, auction_end)| {
            Ok(Quote {
                sequence: q.sequence,
                bidder_number: q.bidder_number,
                price: stored_money("listing_quotes.price", q.price)?,
                phase: q.phase,
                placed_at: q.placed_at.and_utc(),
                auction_end,
            })
        })
        .collect()
}

/// What a listing's view reads besides its own rows.
#[derive(Debug, Clone)]
pub struct ListingRead {
    /// The project's stored category.
    pub category: String,
    /// The phase by the clock.
    pub phase: Phase,
    pub shown: Shown,
    pub leading_number: Option<i32>,
    /// The winner a published sale names.
    pub winner: Option<ParticipantRow>,
}

impl Listing {
    /// A stored listing as the public sees it at the moment `read.shown` describes.
    pub fn from_rows(listing: ListingRow, progress: ProgressRow, read: ListingRead) -> Result<Self, StoredFault> {
        let terms = terms_of(&listing);
        let state = state_of(&progress)?;
        let shown = read.shown;
        let amount = |column, fen: Option<i64>| fen.map(|fen| stored_money(column, fen)).transpose();
        let result = match shown.published_at(progress.concluded_at) {
            Some(concluded_at) => Some(ListingResult {
                failure: shown.failure,
                winner_number: read.winner.as_ref().and(read.leading_number),
                winner_id: read.winner.as_ref().map(|w| w.id.clone()),
                winner_name: read.winner.map(|w| w.name),
                price: amount("listing_progress.current_price", shown.sale_price(&state))?,
                concluded_at: concluded_at.and_utc(),
                confirmation: stored_opt("listing_progress.confirmation", progress.confirmation.as_deref())?,
                confirmed_at: progress.confirmed_at.map(|t| t.and_utc()),
            }),
            None => None,
        };
        Ok(Listing {
            category: read.category,
            phase: read.phase.into(),
            starting_price: stored_money("listings.starting_price", listing.starting_price)?,
            increment: stored_money("listings.increment", listing.increment)?,
            deposit: stored_money("listings.deposit", listing.deposit)?,
            reserve_price: amount("listings.reserve_price", shown.reserve_price(&terms))?,
            appraisal: amount("listings.appraisal", listing.appraisal)?,
            listing_start: terms.listing_start,
            listing_end: terms.listing_end,
            extension_minutes: listing.extension_seconds / 60,
            current_price: amount("listing_progress.current_price", progress.current_price)?,
            minimum_quote: amount("listing_progress.current_price", shown.minimum_quote(&terms, &state))?,
            leading_number: read.leading_number,
            auction_end: state.auction_end,
            quotes: progress.quotes,
            result,
            id: listing.id,
            project_id: listing.project_id,
            section_id: listing.section_id,
            announcement_id: listing.announcement_id,
            place: listing.place,
            relisting_of: listing.relisting_of,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ggzy_trading::listing::view::{shown, ListingFailure};

    fn at(hour: u32) -> chrono::NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap().and_hms_opt(hour, 0, 0).unwrap()
    }

    fn listing() -> ListingRow {
        ListingRow {
            id: "l1".into(),
            project_id: "p1".into(),
            section_id: "s1".into(),
            announcement_id: "a1".into(),
            starting_price: 1_000,
            increment: 100,
            reserve_price: Some(1_500),
            appraisal: Some(1_200),
            deposit: 200,
            listing_start: at(9),
            listing_end: at(12),
            extension_seconds: 300,
            floor_approval: None,
            place: "拍卖厅".into(),
            relisting_of: None,
            created_at: at(8),
        }
    }

    fn progress(phase: &str, current_price: Option<i64>, concluded_at: Option<chrono::NaiveDateTime>) -> ProgressRow {
        ProgressRow {
            listing_id: "l1".into(),
            phase: phase.into(),
            current_price,
            leader_id: current_price.map(|_| "b1".into()),
            auction_end: None,
            quotes: i32::from(current_price.is_some()),
            concluded_at,
            confirmation: None,
            confirmed_at: None,
            version: 2,
        }
    }

    fn read(phase: Phase, progress: &ProgressRow, now: u32, winner: Option<ParticipantRow>) -> ListingRead {
        let state = state_of(progress).unwrap();
        ListingRead {
            category: "land_mining".into(),
            phase,
            shown: shown(phase, &terms_of(&listing()), &state, at(now).and_utc()),
            leading_number: progress.leader_id.as_ref().map(|_| 7),
            winner,
        }
    }

    fn winner() -> ParticipantRow {
        ParticipantRow { id: "b1".into(), name: "竞得公司".into(), ..crate::participants::tests::row("bidder", 0) }
    }

    #[test]
    fn a_listing_being_quoted_hides_the_reserve_and_shows_the_minimum_quote() {
        let progress = progress("listing", Some(1_100), None);
        let shown = Listing::from_rows(listing(), progress.clone(), read(Phase::Listing, &progress, 10, None)).unwrap();
        assert_eq!(shown.phase, ListingPhase::Listing);
        assert_eq!(shown.reserve_price, None);
        assert_eq!(shown.minimum_quote.map(Money::fen), Some(1_200));
        assert_eq!(shown.current_price.map(Money::fen), Some(1_100));
        assert_eq!((shown.extension_minutes, shown.leading_number, shown.quotes), (5, Some(7), 1));
        assert_eq!(shown.result, None);
    }

    #[test]
    fn a_concluded_sale_names_winner_price_and_reserve() {
        let progress = progress("sold", Some(1_600), Some(at(12)));
        let read = read(Phase::Sold, &progress, 13, Some(winner()));
        let shown = Listing::from_rows(listing(), progress, read).unwrap();
        assert_eq!(shown.reserve_price.map(Money::fen), Some(1_500));
        let result = shown.result.unwrap();
        assert_eq!((result.winner_id.as_deref(), result.winner_name.as_deref()), (Some("b1"), Some("竞得公司")));
        assert_eq!((result.winner_number, result.price.map(Money::fen)), (Some(7), Some(1_600)));
        assert_eq!((result.failure, result.concluded_at), (None, at(12).and_utc()));
    }

    #[test]
    fn a_failed_listing_names_no_winner() {
        let progress = progress("failed", None, Some(at(12)));
        let shown = Listing::from_rows(listing(), progress.clone(), read(Phase::Failed, &progress, 13, None)).unwrap();
        let result = shown.result.unwrap();
        assert_eq!(result.failure, Some(ListingFailure::NoQuote));
        assert_eq!((result.winner_id, result.winner_number, result.price), (None, None, None));
    }

    #[test]
    fn an_unknown_stored_phase_or_confirmation_and_a_negative_price_are_faults() {
        let fault = state_of(&progress("haggling", None, None)).unwrap_err();
        assert_eq!(fault.to_string(), "listing_progress.phase holds `haggling`, which is not Phase");
        let mut confirmed = progress("sold", Some(1_600), Some(at(12)));
        confirmed.confirmation = Some("maybe".into());
        let read = read(Phase::Sold, &confirmed, 13, Some(winner()));
        assert_eq!(Listing::from_rows(listing(), confirmed, read).unwrap_err().column, "listing_progress.confirmation");
        let quote = QuoteRow {
            listing_id: "l1".into(),
            sequence: 1,
            bidder_id: "b1".into(),
            bidder_number: 7,
            price: -1,
            phase: "listing".into(),
            placed_at: at(10),
        };
        assert_eq!(quotes_from_rows(&listing(), vec![quote]).unwrap_err().column, "listing_quotes.price");
    }

    #[test]
    fn quotes_show_the_rows_in_order() {
        let quote = |sequence, price| QuoteRow {
            listing_id: "l1".into(),
            sequence,
            bidder_id: "b1".into(),
            bidder_number: 7,
            price,
            phase: "listing".into(),
            placed_at: at(10),
        };
        let quotes = quotes_from_rows(&listing(), vec![quote(1, 1_000), quote(2, 1_100)]).unwrap();
        assert_eq!(
            quotes.iter().map(|q| (q.sequence, q.price.fen())).collect::<Vec<_>>(),
            vec![(1, 1_000), (2, 1_100)]
        );
        assert_eq!(quotes[0].placed_at, at(10).and_utc());
        assert_eq!(quotes[0].auction_end, None);
    }

    #[test]
    fn the_listing_phase_shown_maps_back() {
        for phase in Phase::ALL {
            assert_eq!(Phase::from(ListingPhase::from(*phase)), *phase);
        }
    }
}
