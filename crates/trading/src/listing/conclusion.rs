//! How a listing ends and what its winner's answer writes: whether the centre may close it
//! now, and its outcome (an auction, a sale to the best quote, or a failure); whether the
//! winner's confirmation (成交确认书) or refusal may be recorded, and which it is. The
//! deposits' refunds and the winner's settlement are the ledger's (`ggzy_ledger`); the
//! caller reads the listing in its transaction and writes the result.

use chrono::{DateTime, Utc};

use super::{close, phase_at, Close, Phase, State, Terms};
use crate::lifecycle::Confirmation;

/// Why a listing is not closed now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseRefusal {
    /// It has ended already.
    Ended,
    /// Its auction runs on.
    AuctionRunning,
    /// Its listing period runs until `until` (or it has not started).
    ListingRunning { until: DateTime<Utc> },
}

impl CloseRefusal {
    /// The conflict's detail.
    pub fn detail(&self) -> String {
        match self {
            CloseRefusal::Ended => "挂牌已经结束".into(),
            CloseRefusal::AuctionRunning => "竞价尚未结束".into(),
            CloseRefusal::ListingRunning { until } => {
                format!("挂牌期至 {} 止，尚未结束", ggzy_kernel::beijing_text(*until))
            }
        }
    }
    /// A conflict with the listing's state.
    pub fn answer(&self) -> ggzy_kernel::Answer {
        ggzy_kernel::Answer::Conflict(self.detail())
    }
}

/// What closing a listing decides; amounts in fen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conclusion {
    /// Two or more bidders quoted during the listing: an auction until `ends_at`.
    ToAuction { ends_at: DateTime<Utc> },
    /// Sold to the best quote's bidder at its price.
    Sold { winner: String, price: i64 },
    /// No quote, or the best below the reserve (流拍).
    Failed,
}

impl Conclusion {
    /// The phase the listing moves to.
    pub fn phase(&self) -> Phase {
        match self {
            Conclusion::ToAuction { .. } => Phase::Auction,
            Conclusion::Sold { .. } => Phase::Sold,
            Conclusion::Failed => Phase::Failed,
        }
    }

    /// The winner, after a sale.
    pub fn winner(&self) -> Option<&str> {
        match self {
            Conclusion::Sold { winner, .. } => Some(winner),
            Conclusion::ToAuction { .. } | Conclusion::Failed => None,
        }
    }

    /// Whether the listing is over (sold or failed), so that the deposits' refunds start.
    pub fn is_final(&self) -> bool {
        !matches!(self, Conclusion::ToAuction { .. })
    }
}

/// What a close writes of a listing's standing (amounts in fen).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub phase: Phase,
    pub leader: Option<String>,
    pub price: Option<i64>,
    pub auction_end: Option<DateTime<Utc>>,
    /// Over (sold or failed): the close is the listing's conclusion.
    pub concluded: bool,
}

impl Conclusion {
    /// The standing after this close of a listing in `state` led by `leader`: an auction
    /// gets its end, a sale its winner and price; what the close does not decide stays.
    pub fn standing(&self, state: &State, leader: Option<&str>) -> Standing {
        let mut standing = Standing {
            phase: self.phase(),
            leader: leader.map(str::to_owned),
            price: state.current_price,
            auction_end: state.auction_end,
            concluded: self.is_final(),
        };
        match self {
            Conclusion::ToAuction { ends_at } => standing.auction_end = Some(*ends_at),
            Conclusion::Sold { winner, price } => {
                standing.leader = Some(winner.clone());
                standing.price = Some(*price);
            }
            Conclusion::Failed => {}
        }
        standing
    }
}

/// Decides a close at `now`: `best` is the highest quote and its bidder, `bidders` the
/// number of distinct bidders who quoted during the listing period.
pub fn conclude(
    terms: &Terms,
    state: &State,
    best: Option<(&str, i64)>,
    bidders: usize,
    now: DateTime<Utc>,
) -> Result<Conclusion, CloseRefusal> {
    match close(terms, state, best, bidders, now) {
        Close::NotYet => Err(match phase_at(terms, state, now) {
            Phase::Sold | Phase::Failed => CloseRefusal::Ended,
            Phase::Auction => CloseRefusal::AuctionRunning,
            Phase::Announced | Phase::Listing => CloseRefusal::ListingRunning { until: terms.listing_end },
        }),
        Close::ToAuction { ends_at } => Ok(Conclusion::ToAuction { ends_at }),
        Close::Sold { winner, price } => Ok(Conclusion::Sold { winner, price }),
        Close::NoQuote | Close::BelowReserve { .. } => Ok(Conclusion::Failed),
    }
}

/// The winner's answer to a sale, as it reaches the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// The confirmation is signed; `by_winner` says the caller acts for the winner.
    Confirm { by_winner: bool },
    /// The centre records the winner's refusal.
    Refuse,
}

/// Why the winner's answer is not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerRefusal {
    /// The listing is not sold (or has no winner).
    NotSold,
    /// Only the winner signs its confirmation.
    NotTheWinner,
    /// The winner has answered already.
    Answered,
}

impl AnswerRefusal {
    /// Whether the caller may not answer at all (another than the winner), rather than
    /// the listing's state not allowing it now.
    pub fn forbids(&self) -> bool {
        matches!(self, AnswerRefusal::NotTheWinner)
    }

    /// The detail of the conflict or of the refusal to act.
    pub fn detail(&self) -> &'static str {
        match self {
            AnswerRefusal::NotSold => "挂牌尚未成交",
            AnswerRefusal::NotTheWinner => "只有竞得人可以签订成交确认书",
            AnswerRefusal::Answered => "成交确认书已签订或竞得人已放弃",
        }
    }

    /// How the refusal is answered: a bar on whoever is not the winner, a conflict otherwise.
    pub fn answer(self) -> ggzy_kernel::Answer {
        match self.forbids() {
            true => ggzy_kernel::Answer::forbidden(self.detail()),
            false => ggzy_kernel::Answer::Conflict(self.detail().into()),
        }
    }
}

/// Decides the winner's answer on a listing in `phase`, led by `leader`, answered already
/// or not: the winner and the confirmation written.
pub fn answer(
    phase: Phase,
    leader: Option<&str>,
    answered: bool,
    answer: Answer,
) -> Result<(String, Confirmation), AnswerRefusal> {
    let (Phase::Sold, Some(winner)) = (phase, leader) else { return Err(AnswerRefusal::NotSold) };
    if answer == (Answer::Confirm { by_winner: false }) {
        return Err(AnswerRefusal::NotTheWinner);
    }
    if answered {
        return Err(AnswerRefusal::Answered);
    }
    let confirmation = match answer {
        Answer::Confirm { .. } => Confirmation::Confirmed,
        Answer::Refuse => Confirmation::Refused,
    };
    Ok((winner.to_owned(), confirmation))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::Duration;

    use super::*;

    #[test]
    fn only_another_than_the_winner_is_forbidden_to_answer() {
        let refusals = [AnswerRefusal::NotSold, AnswerRefusal::NotTheWinner, AnswerRefusal::Answered];
        let forbidden: Vec<bool> = refusals.iter().map(AnswerRefusal::forbids).collect();
        assert_eq!(forbidden, [false, true, false]);
        let refused = answer(Phase::Sold, Some("b1"), false, Answer::Confirm { by_winner: false }).unwrap_err();
        assert!(refused.forbids());
        assert!(!answer(Phase::Sold, Some("b1"), true, Answer::Refuse).unwrap_err().forbids());
        assert!(!answer(Phase::Failed, None, false, Answer::Refuse).unwrap_err().forbids());
        assert_eq!(refused.answer(), ggzy_kernel::Answer::forbidden("只有竞得人可以签订成交确认书"));
        assert_eq!(AnswerRefusal::NotSold.answer(), ggzy_kernel::Answer::Conflict("挂牌尚未成交".into()));
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    fn terms() -> Terms {
        Terms {
            starting_price: 1_000_000,
            increment: 10_000,
            reserve_price: Some(1_100_000),
            listing_start: at("2026-12-01T01:00:00Z"),
            listing_end: at("2026-12-14T07:00:00Z"),
            extension: Duration::minutes(5),
        }
    }

    fn listing(current_price: Option<i64>) -> State {
        State { phase: Phase::Listing, current_price, auction_end: None }
    }

    #[test]
    fn a_listing_is_not_closed_before_its_time_and_says_why() {
        let before = at("2026-12-14T06:59:59Z");
        let refused = conclude(&terms(), &listing(None), None, 0, before).unwrap_err();
        assert_eq!(refused, CloseRefusal::ListingRunning { until: terms().listing_end });
        assert_eq!(refused.detail(), "挂牌期至 2026-12-14 15:00 北京时间 止，尚未结束");
        let auction = State { phase: Phase::Auction, current_price: Some(1_000_000), auction_end: Some(before) };
        let early = before - Duration::seconds(1);
        assert_eq!(conclude(&terms(), &auction, None, 2, early), Err(CloseRefusal::AuctionRunning));
        let sold = State { phase: Phase::Sold, ..auction };
        assert_eq!(conclude(&terms(), &sold, None, 2, before).map_err(|r| r.detail()), Err("挂牌已经结束".into()));
    }

    #[test]
    fn a_listing_ends_in_an_auction_a_sale_or_a_failure() {
        let end = terms().listing_end;
        let two = conclude(&terms(), &listing(Some(1_000_000)), Some(("b", 1_000_000)), 2, end).unwrap();
        assert_eq!(two, Conclusion::ToAuction { ends_at: end + Duration::minutes(5) });
        assert_eq!((two.phase(), two.winner(), two.is_final()), (Phase::Auction, None, false));
        let one = conclude(&terms(), &listing(Some(1_200_000)), Some(("b", 1_200_000)), 1, end).unwrap();
        assert_eq!(one, Conclusion::Sold { winner: "b".into(), price: 1_200_000 });
        assert_eq!((one.phase(), one.winner(), one.is_final()), (Phase::Sold, Some("b"), true));
        let low = conclude(&terms(), &listing(Some(1_000_000)), Some(("b", 1_000_000)), 1, end).unwrap();
        assert_eq!((low.phase(), low.winner(), low.is_final()), (Phase::Failed, None, true));
        assert_eq!(conclude(&terms(), &listing(None), None, 0, end), Ok(Conclusion::Failed));
    }

    #[test]
    fn a_close_writes_the_auction_end_or_the_sale_and_keeps_the_rest() {
        let end = terms().listing_end;
        let ends_at = end + Duration::minutes(5);
        let read = listing(Some(1_200_000));
        let cases = [
            (
                Conclusion::ToAuction { ends_at },
                Standing {
                    phase: Phase::Auction,
                    leader: Some("b".into()),
                    price: Some(1_200_000),
                    auction_end: Some(ends_at),
                    concluded: false,
                },
            ),
            (
                Conclusion::Sold { winner: "w".into(), price: 1_300_000 },
                Standing {
                    phase: Phase::Sold,
                    leader: Some("w".into()),
                    price: Some(1_300_000),
                    auction_end: None,
                    concluded: true,
                },
            ),
            (
                Conclusion::Failed,
                Standing {
                    phase: Phase::Failed,
                    leader: Some("b".into()),
                    price: Some(1_200_000),
                    auction_end: None,
                    concluded: true,
                },
            ),
        ];
        for (conclusion, expected) in cases {
            assert_eq!(conclusion.standing(&read, Some("b")), expected, "{conclusion:?}");
        }
        // An auction's sale keeps the end the auction had.
        let auction = State { phase: Phase::Auction, current_price: Some(1), auction_end: Some(ends_at) };
        let sold = Conclusion::Sold { winner: "w".into(), price: 1 }.standing(&auction, None);
        assert_eq!((sold.auction_end, sold.leader.as_deref()), (Some(ends_at), Some("w")));
    }

    #[test]
    fn only_the_winner_confirms_a_sale_once() {
        let by_winner = Answer::Confirm { by_winner: true };
        assert_eq!(answer(Phase::Sold, Some("w"), false, by_winner), Ok(("w".into(), Confirmation::Confirmed)));
        assert_eq!(answer(Phase::Sold, Some("w"), false, Answer::Refuse), Ok(("w".into(), Confirmation::Refused)));
        // Not sold first, then who answers, then whether it was answered.
        assert_eq!(answer(Phase::Failed, None, true, Answer::Refuse), Err(AnswerRefusal::NotSold));
        assert_eq!(answer(Phase::Sold, None, false, by_winner), Err(AnswerRefusal::NotSold));
        let by_other = Answer::Confirm { by_winner: false };
        assert_eq!(answer(Phase::Sold, Some("w"), true, by_other), Err(AnswerRefusal::NotTheWinner));
        assert_eq!(answer(Phase::Sold, Some("w"), true, Answer::Refuse), Err(AnswerRefusal::Answered));
        assert_eq!(AnswerRefusal::Answered.detail(), "成交确认书已签订或竞得人已放弃");
    }

    #[test]
    fn a_close_refused_is_a_conflict_in_words() {
        assert_eq!(CloseRefusal::Ended.answer(), ggzy_kernel::Answer::Conflict("挂牌已经结束".into()));
        assert_eq!(CloseRefusal::AuctionRunning.answer(), ggzy_kernel::Answer::Conflict("竞价尚未结束".into()));
    }
}
