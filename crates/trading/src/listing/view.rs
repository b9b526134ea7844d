//! What a listing's public view shows at a moment: whether quotes are taken now, whether it
//! has ended, why it failed, and which of its secrets (the reserve, the winner, the price)
//! the end discloses.

use chrono::{DateTime, Utc};

use super::{minimum_quote, Phase, State, Terms};

ggzy_kernel::closed_enum! {
    /// Why a listing failed (流拍).
    pub enum ListingFailure {
        /// Nobody quoted.
        NoQuote = "no_quote",
        /// The best quote stayed below the secret reserve.
        BelowReserve = "below_reserve",
    }
}

/// What the view of a listing in `phase` shows at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    /// Quotes are taken now: the view gives the minimum acceptable quote.
    pub quoting: bool,
    /// Sold or failed: the reserve is disclosed, and the result once concluded.
    pub ended: bool,
    /// A sale discloses its winner and price.
    pub sold: bool,
    pub failure: Option<ListingFailure>,
}

/// What the view shows of a listing in `phase` (its phase by the clock) at `now`.
pub fn shown(phase: Phase, terms: &Terms, state: &State, now: DateTime<Utc>) -> Shown {
    let quoting = match phase {
        Phase::Listing => now < terms.listing_end,
        Phase::Auction => state.auction_end.is_some_and(|end| now < end),
        _ => false,
    };
    let failure = match phase {
        Phase::Failed if state.current_price.is_none() => Some(ListingFailure::NoQuote),
        Phase::Failed => Some(ListingFailure::BelowReserve),
        _ => None,
    };
    Shown { quoting, ended: matches!(phase, Phase::Sold | Phase::Failed), sold: phase == Phase::Sold, failure }
}

impl Shown {
    /// The reserve price, disclosed once the listing has ended.
    pub fn reserve_price(&self, terms: &Terms) -> Option<i64> {
        terms.reserve_price.filter(|_| self.ended)
    }

    /// The least acceptable quote, while quotes are taken.
    pub fn minimum_quote(&self, terms: &Terms, state: &State) -> Option<i64> {
        self.quoting.then(|| minimum_quote(terms, state))
    }

    /// The price of a sale.
    pub fn sale_price(&self, state: &State) -> Option<i64> {
        state.current_price.filter(|_| self.sold)
    }

    /// The winner a sale names: the bidder leading at its end.
    pub fn winner<'a>(&self, leader: Option<&'a str>) -> Option<&'a str> {
        leader.filter(|_| self.sold)
    }

    /// When the result was published: the close that `concluded_at` records, once the
    /// listing has ended by the clock too (none before the closer has concluded it).
    pub fn published_at<T>(&self, concluded_at: Option<T>) -> Option<T> {
        concluded_at.filter(|_| self.ended)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 4, hour, 0, 0).single().expect("a valid moment")
    }

    fn terms() -> Terms {
        Terms {
            starting_price: 100,
            increment: 10,
            reserve_price: Some(150),
            listing_start: at(1),
            listing_end: at(5),
            extension: Duration::minutes(5),
        }
    }

    fn state(phase: Phase, current_price: Option<i64>, auction_end: Option<DateTime<Utc>>) -> State {
        State { phase, current_price, auction_end }
    }

    #[test]
    fn quotes_are_taken_until_the_listing_or_the_auction_ends() {
        let listing = state(Phase::Listing, None, None);
        assert!(shown(Phase::Listing, &terms(), &listing, at(4)).quoting);
        assert!(!shown(Phase::Listing, &terms(), &listing, at(5)).quoting);
        let auction = state(Phase::Auction, Some(120), Some(at(7)));
        assert!(shown(Phase::Auction, &terms(), &auction, at(6)).quoting);
        assert!(!shown(Phase::Auction, &terms(), &auction, at(7)).quoting);
        assert!(!shown(Phase::Announced, &terms(), &listing, at(0)).quoting);
    }

    #[test]
    fn the_end_says_sold_or_why_it_failed() {
        let sold = shown(Phase::Sold, &terms(), &state(Phase::Sold, Some(160), None), at(6));
        assert_eq!(sold, Shown { quoting: false, ended: true, sold: true, failure: None });
        let unquoted = shown(Phase::Failed, &terms(), &state(Phase::Failed, None, None), at(6));
        assert_eq!(unquoted.failure, Some(ListingFailure::NoQuote));
        assert!(unquoted.ended && !unquoted.sold);
        let below = shown(Phase::Failed, &terms(), &state(Phase::Failed, Some(140), None), at(6));
        assert_eq!(below.failure, Some(ListingFailure::BelowReserve));
        let running = shown(Phase::Listing, &terms(), &state(Phase::Listing, Some(140), None), at(4));
        assert!(!running.ended && running.failure.is_none());
    }

    #[test]
    fn the_end_discloses_the_reserve_the_winner_and_the_price() {
        let t = terms();
        let listing = state(Phase::Listing, Some(120), None);
        let unquoted = state(Phase::Listing, None, None);
        let sold = state(Phase::Sold, Some(160), None);
        let failed = state(Phase::Failed, Some(140), None);
        // (phase, state, now, reserve, minimum quote, sale price, winner)
        let cases = [
            (Phase::Announced, unquoted, at(0), None, None, None, None),
            (Phase::Listing, unquoted, at(4), None, Some(100), None, None),
            (Phase::Listing, listing, at(4), None, Some(130), None, None),
            (Phase::Listing, listing, at(5), None, None, None, None),
            (Phase::Sold, sold, at(6), Some(150), None, Some(160), Some("w")),
            (Phase::Failed, failed, at(6), Some(150), None, None, None),
        ];
        for (phase, state, now, reserve, minimum, price, winner) in cases {
            let shown = shown(phase, &t, &state, now);
            assert_eq!(shown.reserve_price(&t), reserve, "{phase} {now}");
            assert_eq!(shown.minimum_quote(&t, &state), minimum, "{phase} {now}");
            assert_eq!(shown.sale_price(&state), price, "{phase} {now}");
            assert_eq!(shown.winner(Some("w")), winner, "{phase} {now}");
            // The result waits for the closer, even when the clock says it has ended.
            assert_eq!(shown.published_at(Some(at(6))), reserve.map(|_| at(6)), "{phase} {now}");
            assert_eq!(shown.published_at(None::<DateTime<Utc>>), None, "{phase} {now}");
        }
    }
}
