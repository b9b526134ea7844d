//! The project life cycle's pure rules: how experts are drawn (replayably, from a recorded
//! seed), how the committee's scores rank the bidders, and how listings and auctions of land,
//! mining rights and state-owned property accept quotes and end (`listing`), and where a
//! project, a bid and an opening stand (`lifecycle`), and whether a bid may be handed in,
//! changed or withdrawn and what it holds (`bidding`), when an opening begins and how its
//! decryption window runs (`opening`), and who sits on a committee and where it stands for a member (`committee`),
//! and how a project's registration is read (`registration`), and who an agency's
//! commission names as its agents (`commission`), and what a tender
//! announcement and its corrections publish (`announcement`), and the requests and choices of
//! questions, rooms, suspension and resumption (`proceedings`), and what an upload says of its
//! file (`upload`). No I/O.

pub mod announcement;
pub mod bidding;
pub mod commission;
pub mod committee;
pub mod decryption;
pub mod lifecycle;
pub mod listing;
pub mod opening;
pub mod proceedings;
pub mod registration;
pub mod upload;

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

/// Draws `size` experts from `candidates` with `seed`: each candidate's place is the sha256
/// of `seed:id`, lowest first. The same seed and candidates always give the same experts,
/// so anyone holding the record can replay the draw; nobody can steer it without choosing
/// the seed, which is random and recorded before anyone sees the result.
pub fn draw(seed: &str, candidates: &[String], size: usize) -> Vec<String> {
    let mut ordered: Vec<(String, &String)> =
        candidates.iter().map(|id| (hex::encode(Sha256::digest(format!("{seed}:{id}").as_bytes())), id)).collect();
    ordered.sort();
    ordered.into_iter().take(size).map(|(_, id)| id.clone()).collect()
}

/// A score of 0 to 100 with at most two decimals.
pub fn parse_score(text: &str) -> Option<Decimal> {
    let value: Decimal = text.parse().ok()?;
    (value.scale() <= 2 && value >= Decimal::ZERO && value <= Decimal::ONE_HUNDRED).then_some(value)
}

/// One bidder's place in the committee's ranking.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Ranked {
    pub bidder_id: String,
    /// Average of the experts' scores, rounded half-up to two decimals.
    pub average: Decimal,
    pub rank: usize,
}

/// Ranks bidders by average score, highest first; ties go to the lower price, then the
/// bidder id (so the ranking is total and reproducible).
pub fn rank(scores: &[BTreeMap<String, Decimal>], prices: &BTreeMap<String, Decimal>) -> Vec<Ranked> {
    let mut totals: BTreeMap<&String, (Decimal, u32)> = BTreeMap::new();
    for sheet in scores {
        for (bidder, score) in sheet {
            let entry = totals.entry(bidder).or_insert((Decimal::ZERO, 0));
            entry.0 += *score;
            entry.1 += 1;
        }
    }
    let mut averaged: Vec<(String, Decimal)> = totals
        .into_iter()
        .map(|(bidder, (sum, count))| {
            let average = (sum / Decimal::from(count.max(1)))
                .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
            (bidder.clone(), average)
        })
        .collect();
    averaged
        .sort_by(|(a, sa), (b, sb)| sb.cmp(sa).then_with(|| prices.get(a).cmp(&prices.get(b))).then_with(|| a.cmp(b)));
    averaged
        .into_iter()
        .enumerate()
        .map(|(i, (bidder_id, average))| Ranked { bidder_id, average, rank: i + 1 })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("expert-{i:02}")).collect()
    }

    #[test]
    fn a_draw_replays_from_its_seed_and_changes_with_it() {
        let candidates = ids(20);
        let first = draw("seed-a", &candidates, 5);
        assert_eq!(first.len(), 5);
        assert_eq!(draw("seed-a", &candidates, 5), first);
        assert_ne!(draw("seed-b", &candidates, 5), first);
        let mut shuffled = candidates.clone();
        shuffled.reverse();
        assert_eq!(draw("seed-a", &shuffled, 5), first, "the order of the candidate list does not matter");
        assert!(first.iter().all(|e| candidates.contains(e)));
    }

    #[test]
    fn ranking_by_average_then_price() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let sheet = |a: &str, b: &str, c: &str| {
            BTreeMap::from([("a".to_owned(), d(a)), ("b".to_owned(), d(b)), ("c".to_owned(), d(c))])
        };
        let scores = vec![sheet("90", "85", "85"), sheet("80", "86", "86"), sheet("85", "84", "84")];
        let prices = BTreeMap::from([("a".to_owned(), d("100")), ("b".to_owned(), d("90")), ("c".to_owned(), d("95"))]);
        let ranked = rank(&scores, &prices);
        // a: 255/3 = 85.00; b and c: 255/3 = 85.00 — all tie; lower price first: b (90), c (95), a (100).
        assert_eq!(ranked.iter().map(|r| r.bidder_id.as_str()).collect::<Vec<_>>(), vec!["b", "c", "a"]);
        assert_eq!(ranked[0].average, d("85.00"));
        let scores = vec![sheet("90.50", "80", "70"), sheet("91", "80", "70")];
        let ranked = rank(&scores, &prices);
        assert_eq!(ranked[0].bidder_id, "a");
        assert_eq!(ranked[0].average, d("90.75"));
        assert_eq!(ranked[2].rank, 3);
    }

    #[test]
    fn scores_are_bounded_with_two_decimals() {
        assert!(parse_score("87.5").is_some());
        assert!(parse_score("100").is_some());
        assert!(parse_score("100.01").is_none());
        assert!(parse_score("-1").is_none());
        assert!(parse_score("87.555").is_none());
        assert!(parse_score("x").is_none());
    }
}

/// Whether the tenderer may name the candidate of `rank` (1 = first) as the winner: a project
/// where state funds hold a controlling or leading share must take the first-ranked
/// candidate (construction.candidates.max, 条例 §55); others choose among the candidates.
pub fn may_award(funding: ggzy_rules::Funding, rank: usize) -> bool {
    let state_funded = matches!(funding, ggzy_rules::Funding::StateFunded | ggzy_rules::Funding::StateControlled);
    !state_funded || rank == 1
}

/// Why the tenderer may not name a winner now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AwardRefusal {
    /// The candidates' publicity runs until `ends` (construction.candidates.publicity).
    PublicityRunning { ends: chrono::DateTime<chrono::Utc> },
    /// The winner named is not among the candidates.
    NotACandidate,
    /// State funds take the first-ranked candidate (construction.candidates.max).
    NotFirstRanked,
}

/// The award decision: whether the tenderer may name `winner` the winner at `now`, given the
/// candidates (bidder id and rank) and the end of their publicity. Refusals in the order the
/// tenderer is told them.
pub fn decide_award(
    now: chrono::DateTime<chrono::Utc>,
    publicity_end: chrono::DateTime<chrono::Utc>,
    candidates: &[(&str, usize)],
    winner: &str,
    funding: ggzy_rules::Funding,
) -> Result<(), AwardRefusal> {
    if now < publicity_end {
        return Err(AwardRefusal::PublicityRunning { ends: publicity_end });
    }
    let (_, rank) = candidates.iter().find(|(bidder, _)| *bidder == winner).ok_or(AwardRefusal::NotACandidate)?;
    if !may_award(funding, *rank) {
        return Err(AwardRefusal::NotFirstRanked);
    }
    Ok(())
}

#[cfg(test)]
mod award_tests {
    use chrono::{TimeZone, Utc};
    use ggzy_rules::Funding;

    use super::{decide_award, may_award, AwardRefusal};

    #[test]
    fn the_award_waits_for_the_publicity_and_takes_a_candidate() {
        let end = Utc.with_ymd_and_hms(2026, 11, 25, 16, 0, 0).single().unwrap_or_default();
        let before = end - chrono::Duration::seconds(1);
        let candidates = [("b1", 1), ("b2", 2)];
        let state = Funding::StateFunded;
        // Refused while the publicity runs, even for the first-ranked; at its end, allowed.
        assert_eq!(
            decide_award(before, end, &candidates, "b1", state),
            Err(AwardRefusal::PublicityRunning { ends: end })
        );
        assert_eq!(decide_award(end, end, &candidates, "b1", state), Ok(()));
        // The publicity comes first, then who is named, then the rank.
        assert_eq!(
            decide_award(before, end, &candidates, "x", state),
            Err(AwardRefusal::PublicityRunning { ends: end })
        );
        assert_eq!(decide_award(end, end, &candidates, "x", state), Err(AwardRefusal::NotACandidate));
        assert_eq!(decide_award(end, end, &candidates, "b2", state), Err(AwardRefusal::NotFirstRanked));
        assert_eq!(decide_award(end, end, &candidates, "b2", Funding::SocialInvestment), Ok(()));
        assert_eq!(decide_award(end, end, &[], "b1", Funding::SocialInvestment), Err(AwardRefusal::NotACandidate));
    }

    #[test]
    fn state_funds_take_the_first_ranked() {
        assert!(may_award(Funding::StateFunded, 1));
        assert!(!may_award(Funding::StateFunded, 2));
        assert!(!may_award(Funding::StateControlled, 3));
        for funding in [Funding::StateFunded, Funding::StateControlled, Funding::SocialInvestment] {
            assert!(may_award(funding, 1));
        }
        assert!(may_award(Funding::SocialInvestment, 2));
    }
}
