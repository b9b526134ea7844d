//! Listing (挂牌) and auction (拍卖 / 网络竞价) of land use rights, mining rights and
//! state-owned property: which quote is accepted, when the auction's end moves, and how a
//! listing ends. Pure: the caller passes the time and the state it read in its transaction.
//!
//! A listing runs from `listing_start` to `listing_end`. Qualified bidders (deposit held,
//! credit gate passed: the caller checks) quote upwards: the first quote at least the
//! starting price, every later one at least the current price plus the increment. At the
//! end of the listing, two or more bidders who quoted send it to an auction; otherwise the
//! highest quote wins if it reaches the reserve. The auction's end moves to `extension`
//! after any quote accepted within the last `extension` before the end; it is final when
//! the end passes with no new quote.

use chrono::{DateTime, Duration, Utc};
use ggzy_kernel::{Answer, FieldError, Money};

pub mod conclusion;
pub mod creation;
pub mod offer;
pub mod view;

/// The extension of an auction after a late quote when the listing does not set its own
/// (5 minutes, the district's online bidding practice).
pub const DEFAULT_EXTENSION_SECONDS: i64 = 300;

ggzy_kernel::closed_enum! {
    /// Where a listing is.
    pub enum Phase {
        /// Announced; quoting has not started (公告期 / 信息披露期).
        Announced = "announced",
        /// 挂牌期: quotes accepted.
        Listing = "listing",
        /// 现场竞价 / 网络竞价: timed rounds with extension.
        Auction = "auction",
        /// Over, with a winner (成交).
        Sold = "sold",
        /// Over without a winner (流拍): no quote, or the best below the reserve.
        Failed = "failed",
    }
}

impl Phase {
    pub fn from_key(key: &str) -> Option<Phase> {
        [Phase::Announced, Phase::Listing, Phase::Auction, Phase::Sold, Phase::Failed]
            .into_iter()
            .find(|p| p.as_str() == key)
    }
}

/// The fixed terms of a listing; amounts in fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terms {
    pub starting_price: i64,
    pub increment: i64,
    /// Secret until the end: below it there is no sale.
    pub reserve_price: Option<i64>,
    pub listing_start: DateTime<Utc>,
    pub listing_end: DateTime<Utc>,
    pub extension: Duration,
}

/// What the caller read of the listing in its transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct State {
    /// `Listing` or `Auction` while quoting; the stored phase, which may still say
    /// `Announced` or `Listing` after its time has come (phases move with time, the stored
    /// value with the next write).
    pub phase: Phase,
    /// The highest accepted quote, if any.
    pub current_price: Option<i64>,
    /// The auction's end, once in auction.
    pub auction_end: Option<DateTime<Utc>>,
}

/// Why a quote is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The listing period has not started.
    NotStarted,
    /// The listing or auction has ended (or the listing ended and awaits its close).
    Ended,
    /// Below the minimum acceptable price, which is given.
    TooLow { minimum: i64 },
    /// Not a whole multiple of the increment above the starting price.
    OffIncrement,
}

impl Refusal {
    /// The words a refused quote is told with.
    pub fn answer(self) -> Answer {
        match self {
            Refusal::NotStarted => Answer::Conflict("挂牌尚未开始".into()),
            Refusal::Ended => Answer::Conflict("挂牌或竞价已经截止".into()),
            Refusal::TooLow { minimum } => Answer::Invalid(vec![FieldError::new(
                "price",
                "below_minimum",
                format!("报价须不低于 {} 元", Money::from_fen(minimum).map(|m| m.to_string()).unwrap_or_default()),
            )]),
            Refusal::OffIncrement => {
                Answer::Invalid(vec![FieldError::new("price", "off_increment", "报价须为起始价加整数倍加价幅度")])
            }
        }
    }
}

/// An accepted quote: the new price and, in an auction, the (possibly moved) end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accepted {
    pub price: i64,
    pub auction_end: Option<DateTime<Utc>>,
}

/// The phase by the clock: stored `Sold`/`Failed`/`Auction` stay; otherwise the listing's
/// times decide.
pub fn phase_at(terms: &Terms, state: &State, now: DateTime<Utc>) -> Phase {
    match state.phase {
        Phase::Sold | Phase::Failed | Phase::Auction => state.phase,
        Phase::Announced | Phase::Listing if now < terms.listing_start => Phase::Announced,
        Phase::Announced | Phase::Listing => Phase::Listing,
    }
}

/// The least price a quote may have now.
pub fn minimum_quote(terms: &Terms, state: &State) -> i64 {
    match state.current_price {
        None => terms.starting_price,
        Some(current) => current.saturating_add(terms.increment),
    }
}

/// Decides a quote of `price` at `now`.
pub fn quote(terms: &Terms, state: &State, price: i64, now: DateTime<Utc>) -> Result<Accepted, Refusal> {
    match phase_at(terms, state, now) {
        Phase::Announced => return Err(Refusal::NotStarted),
        Phase::Sold | Phase::Failed => return Err(Refusal::Ended),
        Phase::Listing if now >= terms.listing_end => return Err(Refusal::Ended),
        Phase::Auction if state.auction_end.is_none_or(|end| now >= end) => return Err(Refusal::Ended),
        Phase::Listing | Phase::Auction => {}
    }
    let minimum = minimum_quote(terms, state);
    if price < minimum {
        return Err(Refusal::TooLow { minimum });
    }
    if terms.increment > 0 && (price - terms.starting_price) % terms.increment != 0 {
        return Err(Refusal::OffIncrement);
    }
    let auction_end = match (state.phase, state.auction_end) {
        (Phase::Auction, Some(end)) if end - now < terms.extension => Some(now + terms.extension),
        (Phase::Auction, end) => end,
        _ => None,
    };
    Ok(Accepted { price, auction_end })
}

/// How a listing ends, decided when its time is up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Close {
    /// Not yet: the listing or auction is still running (or has not started).
    NotYet,
    /// Two or more bidders quoted during the listing: an auction until `ends_at`.
    ToAuction { ends_at: DateTime<Utc> },
    /// The highest quote wins.
    Sold { winner: String, price: i64 },
    /// No quote at all.
    NoQuote,
    /// The highest quote did not reach the reserve.
    BelowReserve { best: i64 },
}

/// Decides the end. `best` is the highest quote and its bidder; `bidders` the number of
/// distinct bidders who quoted.
pub fn close(terms: &Terms, state: &State, best: Option<(&str, i64)>, bidders: usize, now: DateTime<Utc>) -> Close {
    if !time_is_up(terms, state, now) {
        return Close::NotYet;
    }
    if phase_at(terms, state, now) == Phase::Listing && bidders >= 2 {
        return Close::ToAuction { ends_at: now.max(terms.listing_end) + terms.extension };
    }
    match best {
        None => Close::NoQuote,
        Some((_, price)) if terms.reserve_price.is_some_and(|reserve| price < reserve) => {
            Close::BelowReserve { best: price }
        }
        Some((winner, price)) => Close::Sold { winner: winner.to_owned(), price },
    }
}

/// The auction's end as each accepted quote left it, replaying the extension rule over the
/// quotes in acceptance order (each given by its phase and when it was placed): none until
/// the first auction quote; an auction quote within `extension` of the end moves the end to
/// `extension` after it. A quote whose phase is not known counts as a listing quote.
pub fn auction_ends(
    terms: &Terms,
    quotes: impl IntoIterator<Item = (Option<Phase>, DateTime<Utc>)>,
) -> Vec<Option<DateTime<Utc>>> {
    let mut auction_end: Option<DateTime<Utc>> = None;
    quotes
        .into_iter()
        .map(|(phase, placed)| {
            if phase == Some(Phase::Auction) {
                let end = auction_end.unwrap_or(terms.listing_end + terms.extension);
                auction_end = Some(if end - placed < terms.extension { placed + terms.extension } else { end });
            }
            auction_end
        })
        .collect()
}

/// Whether a listing or auction that is still open has run out of time, so that [`close`]
/// decides something other than [`Close::NotYet`]. Needs no quotes: the closer and the views
/// read them only for listings whose time is up.
pub fn time_is_up(terms: &Terms, state: &State, now: DateTime<Utc>) -> bool {
    match phase_at(terms, state, now) {
        Phase::Announced | Phase::Sold | Phase::Failed => false,
        Phase::Listing => now >= terms.listing_end,
        Phase::Auction => state.auction_end.is_none_or(|end| now >= end),
    }
}

/// The phase the clock gives, before anyone has closed the listing: what [`close`] would
/// decide now (a listing whose time is up shows as sold, failed or in auction), else
/// [`phase_at`].
pub fn phase_by_clock(
    terms: &Terms,
    state: &State,
    best: Option<(&str, i64)>,
    bidders: usize,
    now: DateTime<Utc>,
) -> Phase {
    match close(terms, state, best, bidders, now) {
        Close::NotYet => phase_at(terms, state, now),
        Close::ToAuction { .. } => Phase::Auction,
        Close::Sold { .. } => Phase::Sold,
        Close::NoQuote | Close::BelowReserve { .. } => Phase::Failed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    fn terms() -> Terms {
        Terms {
            starting_price: 1_000_000,
            increment: 10_000,
            reserve_price: Some(1_050_000),
            listing_start: at("2026-12-01T01:00:00Z"),
            listing_end: at("2026-12-14T07:00:00Z"),
            extension: Duration::seconds(DEFAULT_EXTENSION_SECONDS),
        }
    }

    fn listing(current: Option<i64>) -> State {
        State { phase: Phase::Listing, current_price: current, auction_end: None }
    }

    #[test]
    fn the_phase_follows_the_clock_before_anyone_closes() {
        let t = terms();
        let during = at("2026-12-02T02:00:00Z");
        let after = at("2026-12-21T02:00:00Z");
        let best = Some(("a", 1_060_000));
        assert_eq!(phase_by_clock(&t, &listing(Some(1_060_000)), best, 1, during), Phase::Listing);
        assert_eq!(phase_by_clock(&t, &listing(Some(1_060_000)), best, 1, after), Phase::Sold);
        assert_eq!(phase_by_clock(&t, &listing(Some(1_060_000)), best, 2, after), Phase::Auction);
        assert_eq!(phase_by_clock(&t, &listing(None), None, 0, after), Phase::Failed);
        assert_eq!(phase_by_clock(&t, &listing(Some(1_000_000)), Some(("a", 1_000_000)), 1, after), Phase::Failed);
        assert_eq!(phase_by_clock(&t, &listing(None), None, 0, at("2026-11-30T00:00:00Z")), Phase::Announced);
    }

    #[test]
    fn quotes_start_at_the_starting_price_and_rise_by_the_increment() {
        let t = terms();
        let now = at("2026-12-02T02:00:00Z");
        assert_eq!(quote(&t, &listing(None), 999_999, now), Err(Refusal::TooLow { minimum: 1_000_000 }));
        assert_eq!(quote(&t, &listing(None), 1_000_000, now).map(|a| a.price), Ok(1_000_000));
        assert_eq!(quote(&t, &listing(Some(1_000_000)), 1_000_000, now), Err(Refusal::TooLow { minimum: 1_010_000 }));
        assert_eq!(quote(&t, &listing(Some(1_000_000)), 1_015_000, now), Err(Refusal::OffIncrement));
        assert_eq!(quote(&t, &listing(Some(1_000_000)), 1_030_000, now).map(|a| a.price), Ok(1_030_000));
    }

    #[test]
    fn a_refused_quote_says_what_the_price_must_be() {
        assert_eq!(Refusal::NotStarted.answer(), Answer::Conflict("挂牌尚未开始".into()));
        assert_eq!(Refusal::Ended.answer(), Answer::Conflict("挂牌或竞价已经截止".into()));
        let problem = |refusal: Refusal| match refusal.answer() {
            Answer::Invalid(problems) => (problems[0].code.clone(), problems[0].message.clone()),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            problem(Refusal::TooLow { minimum: 1_010_000 }),
            ("below_minimum".into(), "报价须不低于 10100.00 元".into())
        );
        assert_eq!(problem(Refusal::OffIncrement).0, "off_increment");
    }

    #[test]
    fn quotes_only_between_start_and_end() {
        let t = terms();
        assert_eq!(quote(&t, &listing(None), 1_000_000, at("2026-12-01T00:59:59Z")), Err(Refusal::NotStarted));
        assert_eq!(quote(&t, &listing(None), 1_000_000, at("2026-12-14T07:00:00Z")), Err(Refusal::Ended));
        let sold = State { phase: Phase::Sold, current_price: Some(1_000_000), auction_end: None };
        assert_eq!(quote(&t, &sold, 2_000_000, at("2026-12-02T02:00:00Z")), Err(Refusal::Ended));
    }

    #[test]
    fn a_late_auction_quote_moves_the_end() {
        let t = terms();
        let end = at("2026-12-14T07:05:00Z");
        let auction = State { phase: Phase::Auction, current_price: Some(1_100_000), auction_end: Some(end) };
        // Early in the round: the end stays.
        let early = quote(&t, &auction, 1_110_000, at("2026-12-14T07:00:00Z")).unwrap();
        assert_eq!(early.auction_end, Some(end));
        // Within the last five minutes: five minutes from the quote.
        let late = quote(&t, &auction, 1_110_000, at("2026-12-14T07:04:30Z")).unwrap();
        assert_eq!(late.auction_end, Some(at("2026-12-14T07:09:30Z")));
        assert_eq!(quote(&t, &auction, 1_110_000, end), Err(Refusal::Ended));
    }

    #[test]
    fn each_quote_shows_the_auction_end_it_left_behind() {
        let t = terms();
        let listing = Some(Phase::Listing);
        let auction = Some(Phase::Auction);
        // The auction opens at the listing's end plus the extension: 07:05.
        // (the quotes by phase and placing, the end each leaves behind)
        type Case<'a> = (&'a [(Option<Phase>, &'a str)], &'a [Option<&'a str>]);
        let cases: [Case<'_>; 5] = [
            (&[], &[]),
            (&[(listing, "2026-12-02T02:00:00Z"), (None, "2026-12-03T02:00:00Z")], &[None, None]),
            // Early in the round the end stays; late in it, it moves to five minutes after.
            (
                &[(listing, "2026-12-02T02:00:00Z"), (auction, "2026-12-14T07:00:00Z")],
                &[None, Some("2026-12-14T07:05:00Z")],
            ),
            (
                &[(auction, "2026-12-14T06:59:00Z"), (auction, "2026-12-14T07:01:00Z")],
                &[Some("2026-12-14T07:05:00Z"), Some("2026-12-14T07:06:00Z")],
            ),
            // A later quote early enough keeps the moved end, and a late one moves it again.
            (
                &[
                    (auction, "2026-12-14T07:04:30Z"),
                    (auction, "2026-12-14T07:04:31Z"),
                    (auction, "2026-12-14T07:08:00Z"),
                ],
                &[Some("2026-12-14T07:09:30Z"), Some("2026-12-14T07:09:31Z"), Some("2026-12-14T07:13:00Z")],
            ),
        ];
        for (quotes, expected) in cases {
            let ends = auction_ends(&t, quotes.iter().map(|(phase, placed)| (*phase, at(placed))));
            let expected: Vec<_> = expected.iter().map(|end| end.map(at)).collect();
            assert_eq!(ends, expected, "{quotes:?}");
        }
    }

    #[test]
    fn the_end_decides_sale_auction_or_failure() {
        let t = terms();
        let after = at("2026-12-14T07:00:00Z");
        assert_eq!(close(&t, &listing(None), None, 0, at("2026-12-14T06:59:59Z")), Close::NotYet);
        assert_eq!(close(&t, &listing(None), None, 0, after), Close::NoQuote);
        assert_eq!(
            close(&t, &listing(Some(1_040_000)), Some(("a", 1_040_000)), 1, after),
            Close::BelowReserve { best: 1_040_000 }
        );
        assert_eq!(
            close(&t, &listing(Some(1_050_000)), Some(("a", 1_050_000)), 1, after),
            Close::Sold { winner: "a".into(), price: 1_050_000 }
        );
        assert_eq!(
            close(&t, &listing(Some(1_050_000)), Some(("b", 1_050_000)), 2, after),
            Close::ToAuction { ends_at: at("2026-12-14T07:05:00Z") }
        );
        let auction = State {
            phase: Phase::Auction,
            current_price: Some(1_200_000),
            auction_end: Some(at("2026-12-14T07:05:00Z")),
        };
        assert_eq!(close(&t, &auction, Some(("b", 1_200_000)), 2, at("2026-12-14T07:04:59Z")), Close::NotYet);
        assert_eq!(
            close(&t, &auction, Some(("b", 1_200_000)), 2, at("2026-12-14T07:05:00Z")),
            Close::Sold { winner: "b".into(), price: 1_200_000 }
        );
    }
}

/// Why a state-owned property's starting price cannot stand (property.relisting_floor).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FloorProblem {
    /// A transfer of state-owned property is priced from an appraisal; none was given.
    MissingAppraisal,
    /// The starting price is below `floor_percent` of the appraisal and no approval of the
    /// lower price was given.
    ApprovalRequired { floor_percent: u32 },
}

/// Checks a state-owned property's starting price against its appraisal: below
/// `floor_percent` of it the listing needs the approval of the lower price. `approved` says
/// this round brings one; `approved_down_to` is the lowest starting price an earlier round of
/// the same lot was approved at, which a relisting may keep to without a new approval. The
/// appraisal of a relisting is its first round's. Amounts in fen.
pub fn property_floor(
    appraisal: Option<i64>,
    starting: Option<i64>,
    floor_percent: u32,
    approved: bool,
    approved_down_to: Option<i64>,
) -> Result<(), FloorProblem> {
    let Some(appraisal) = appraisal else { return Err(FloorProblem::MissingAppraisal) };
    let Some(starting) = starting else { return Ok(()) };
    let below = i128::from(starting) * 100 < i128::from(appraisal) * i128::from(floor_percent);
    let covered = approved || approved_down_to.is_some_and(|lowest| starting >= lowest);
    if below && !covered {
        Err(FloorProblem::ApprovalRequired { floor_percent })
    } else {
        Ok(())
    }
}

/// A lot's earlier round, as a relisting must know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EarlierRound {
    pub appraisal: Option<i64>,
    pub starting_price: i64,
    /// Whether the round listed with an approval below the floor.
    pub approved: bool,
}

/// What a relisting inherits from its lot's earlier rounds (first round first): the first
/// round's appraisal and the lowest starting price an earlier approval covers; `None` when
/// the lot has had `max_rounds` rounds already.
pub fn relisting_terms(earlier: &[EarlierRound], max_rounds: u32) -> Option<(Option<i64>, Option<i64>)> {
    if u32::try_from(earlier.len()).unwrap_or(u32::MAX) >= max_rounds {
        return None;
    }
    let appraisal = earlier.first().and_then(|first| first.appraisal);
    let approved_down_to = earlier.iter().filter(|r| r.approved).map(|r| r.starting_price).min();
    Some((appraisal, approved_down_to))
}

#[cfg(test)]
mod floor_tests {
    use super::*;

    #[test]
    fn below_the_floor_needs_an_approval() {
        // 90 % of 1,000,000.00 yuan is 900,000.00.
        assert_eq!(property_floor(Some(100_000_000), Some(90_000_000), 90, false, None), Ok(()));
        assert_eq!(
            property_floor(Some(100_000_000), Some(89_999_999), 90, false, None),
            Err(FloorProblem::ApprovalRequired { floor_percent: 90 })
        );
        assert_eq!(property_floor(Some(100_000_000), Some(89_999_999), 90, true, None), Ok(()));
        assert_eq!(property_floor(None, Some(1), 90, true, None), Err(FloorProblem::MissingAppraisal));
        // A missing starting price is reported where it is read, not here.
        assert_eq!(property_floor(Some(100_000_000), None, 90, false, None), Ok(()));
        // No overflow at the largest amounts.
        assert_eq!(property_floor(Some(i64::MAX), Some(i64::MAX), 100, false, None), Ok(()));
    }

    #[test]
    fn a_relisting_keeps_its_first_appraisal_and_earlier_approvals() {
        let first = EarlierRound { appraisal: Some(100_000_000), starting_price: 95_000_000, approved: false };
        let (appraisal, approved_down_to) = relisting_terms(&[first], 2).unwrap();
        assert_eq!((appraisal, approved_down_to), (Some(100_000_000), None));
        // 85 % of the first appraisal needs an approval, whatever the relisting restates.
        assert_eq!(
            property_floor(appraisal, Some(85_000_000), 90, false, approved_down_to),
            Err(FloorProblem::ApprovalRequired { floor_percent: 90 })
        );
        // An earlier round approved at 85 % covers a relisting at or above it, not below.
        let approved = EarlierRound { appraisal: Some(100_000_000), starting_price: 85_000_000, approved: true };
        let (appraisal, approved_down_to) = relisting_terms(&[approved], 3).unwrap();
        assert_eq!(approved_down_to, Some(85_000_000));
        assert_eq!(property_floor(appraisal, Some(85_000_000), 90, false, approved_down_to), Ok(()));
        assert!(property_floor(appraisal, Some(84_999_999), 90, false, approved_down_to).is_err());
    }

    #[test]
    fn rounds_are_limited_by_the_rule_set() {
        let round = EarlierRound { appraisal: None, starting_price: 1, approved: false };
        assert!(relisting_terms(&[round], 2).is_some());
        assert!(relisting_terms(&[round, round], 2).is_none());
        assert!(relisting_terms(&[round, round], 3).is_some());
        assert!(relisting_terms(&[round], 1).is_none());
    }
}
