//! Rotating groups (陪标、轮流中标): bidders that keep meeting while the win goes round among
//! them. Meeting often is no evidence by itself: firms of one trade meet all the time, and
//! two that each bid in most sections of a small district meet in most of them. So each
//! pair that met at least `min_meetings` times, each winning at least once, is weighed by
//! how unlikely its history is for independent bidders:
//!
//! - meetings: if the two chose their sections independently, the number of sections they
//!   share is hypergeometric (the sections of the trades either of them bids in — firms
//!   of one trade meet all the time, and that is no evidence —, the first's sections, the
//!   second's); `p_meet` is the chance of meeting at least as often as they did;
//! - wins: in each shared awarded section the two take the win with the sum of their own
//!   win rates (each bidder's wins over its awarded sections, with one win and one loss
//!   added so that a firm seen little counts as middling: a keen firm wins often on its
//!   own, and the ring's own wins make its members look keen, which only weakens the
//!   evidence); `p_win` is the chance of taking at least as many wins as they did (a
//!   Poisson-binomial tail);
//! - the product, multiplied by the number of pairs that could have shown it (every pair
//!   that met in some section of the market: a Bonferroni bound, so the policy's bound is
//!   the chance of one false alert in the whole scan), must be at most the policy's bound.
//!
//! A ring of several firms carries more evidence than any of its pairs: four firms found
//! together in five sections is far rarer than two. So the sets of candidate firms that
//! meet together (each set of three or more present together in at least `min_meetings`
//! sections, the win going to at least two of them) are weighed too: the expected number
//! of sections holding the whole set is λ = S·Π(tᵢ/S), the chance of at least as many is
//! a Poisson tail, times the number of such sets the market holds (Σ C(n, k) over its
//! sections). Flagged pairs and sets are joined into groups; each group is one finding.

use std::collections::HashMap;

use super::{sorted_unique, Indicator, RiskFinding, SectionFacts};

/// ln(k!) for k up to `n`, by summing logarithms (exact enough for tail sums).
fn ln_factorials(n: usize) -> Vec<f64> {
    let mut table = Vec::with_capacity(n + 1);
    let mut sum = 0.0;
    table.push(0.0);
    for k in 1..=n {
        sum += (k as f64).ln();
        table.push(sum);
    }
    table
}

fn ln_choose(table: &[f64], n: usize, k: usize) -> f64 {
    if k > n {
        return f64::NEG_INFINITY;
    }
    table[n] - table[k] - table[n - k]
}

/// P(X ≥ at_least) for X hypergeometric: `draws` of `population`, `successes` of which count.
pub fn hypergeometric_tail(table: &[f64], population: usize, successes: usize, draws: usize, at_least: usize) -> f64 {
    let successes = successes.min(population);
    let draws = draws.min(population);
    let total = ln_choose(table, population, draws);
    let low = at_least.max((successes + draws).saturating_sub(population));
    let high = successes.min(draws);
    (low..=high)
        .map(|k| (ln_choose(table, successes, k) + ln_choose(table, population - successes, draws - k) - total).exp())
        .sum::<f64>()
        .min(1.0)
}

/// P(at least `at_least` successes) over independent trials of the given probabilities.
pub fn poisson_binomial_tail(probabilities: &[f64], at_least: usize) -> f64 {
    let mut distribution = vec![1.0];
    for &p in probabilities {
        let p = p.clamp(0.0, 1.0);
        let mut next = vec![0.0; distribution.len() + 1];
        for (k, &mass) in distribution.iter().enumerate() {
            next[k] += mass * (1.0 - p);
            next[k + 1] += mass * p;
        }
        distribution = next;
    }
    distribution.iter().skip(at_least).sum::<f64>().min(1.0)
}

#[derive(Default, Clone, Copy)]
struct Meetings {
    count: u32,
    wins_low: u32,
    wins_high: u32,
}

/// P(at least `at_least`) for a Poisson count of mean `mean`.
pub fn poisson_tail(mean: f64, at_least: usize) -> f64 {
    if at_least == 0 {
        return 1.0;
    }
    // 1 − P(< at_least), summed from the top for small tails.
    let mut term = (-mean).exp();
    let mut below = term;
    for k in 1..at_least {
        term *= mean / k as f64;
        below += term;
    }
    let tail = 1.0 - below;
    if tail > 1e-6 {
        return tail.clamp(0.0, 1.0);
    }
    // Tiny tails lose their digits to the subtraction: sum the terms above instead.
    let mut term = (-mean).exp();
    for k in 1..=at_least {
        term *= mean / k as f64;
    }
    let mut sum = 0.0;
    let mut k = at_least;
    while term > sum * 1e-12 && k < at_least + 200 {
        sum += term;
        k += 1;
        term *= mean / k as f64;
    }
    sum.min(1.0)
}

/// The trade of a section as `SectionFacts::segment` and `Market` name it: its category,
/// subtype and regulator (firms bid within their trades).
pub fn trade(category: &str, subtype: &str, regulator: Option<&str>) -> String {
    format!("{category}/{subtype}/{}", regulator.unwrap_or("-"))
}

/// The market the bidders chose their sections from: the number of bids of each opened
/// section (how many pairs and sets could have met) and the number of opened sections of
/// each trade (the population of the meeting test, over the trades a firm bids in).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Market {
    pub bids_per_section: Vec<usize>,
    pub sections_per_segment: HashMap<String, usize>,
}

impl Market {
    pub fn of(sections: &[SectionFacts]) -> Market {
        let mut sections_per_segment: HashMap<String, usize> = HashMap::new();
        for section in sections {
            *sections_per_segment.entry(section.segment.clone()).or_default() += 1;
        }
        Market { bids_per_section: sections.iter().map(|s| s.bids.len()).collect(), sections_per_segment }
    }

    /// The market as counted in the records: the bid count of each opened section, and
    /// the opened sections of each trade by its category, subtype and regulator (a count
    /// out of range counts none).
    pub fn of_counts(sizes: Vec<i64>, trades: Vec<(String, String, Option<String>, i64)>) -> Market {
        Market {
            bids_per_section: sizes.into_iter().map(|n| usize::try_from(n).unwrap_or(0)).collect(),
            sections_per_segment: trades
                .into_iter()
                .map(|(category, subtype, regulator, count)| {
                    (trade(&category, &subtype, regulator.as_deref()), usize::try_from(count).unwrap_or(0))
                })
                .collect(),
        }
    }

    /// How many sets of `size` bidders met in some section (at most; Σ C(n, size)).
    fn sets_met(&self, size: usize) -> f64 {
        self.bids_per_section.iter().map(|&n| choose(n, size)).sum::<f64>().max(1.0)
    }
}

fn choose(n: usize, k: usize) -> f64 {
    if k > n {
        return 0.0;
    }
    (0..k).fold(1.0, |product, i| product * (n - i) as f64 / (i + 1) as f64)
}

/// Groups of bidders that keep meeting while the win rotates among them.
///
/// `market` holds every opened section the bidders could have chosen from (at least those
/// of `sections`); `focus`, when given, limits the pairs weighed to bidders of that list
/// (whose every section must then be in `sections`, so their counts are whole).
pub fn rotating_groups(
    sections: &[SectionFacts],
    market: &Market,
    focus: Option<&[String]>,
    min_meetings: usize,
    max_chance: f64,
) -> Vec<RiskFinding> {
    // Intern bidder ids so the pair table holds integers.
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let mut names: Vec<&str> = Vec::new();
    let mut members_of: Vec<(Vec<u32>, Option<u32>)> = Vec::with_capacity(sections.len());
    for section in sections {
        let mut members: Vec<u32> = section
            .bids
            .iter()
            .map(|b| {
                let next = names.len() as u32;
                *ids.entry(b.bidder_id.as_str()).or_insert_with(|| {
                    names.push(b.bidder_id.as_str());
                    next
                })
            })
            .collect();
        members.sort_unstable();
        members.dedup();
        let winner = section.winner_id.as_deref().and_then(|w| ids.get(w).copied());
        members_of.push((members, winner));
    }
    let in_focus: Vec<bool> = match focus {
        Some(list) => names.iter().map(|n| list.iter().any(|f| f == n)).collect(),
        None => vec![true; names.len()],
    };
    let mut awarded = vec![0usize; names.len()];
    let mut wins = vec![0usize; names.len()];
    for (members, winner) in &members_of {
        for &m in members {
            if winner.is_some() {
                awarded[m as usize] += 1;
            }
        }
        if let Some(w) = winner {
            wins[*w as usize] += 1;
        }
    }
    let win_rate = |m: u32| (wins[m as usize] + 1) as f64 / (awarded[m as usize] + 2) as f64;
    // The trades each bidder bids in, and the sections of those trades (from the market,
    // or the history where the market does not know the trade).
    let mut segment_sizes: HashMap<&str, usize> = HashMap::new();
    for section in sections {
        *segment_sizes.entry(section.segment.as_str()).or_default() += 1;
    }
    for (segment, size) in segment_sizes.iter_mut() {
        if let Some(&known) = market.sections_per_segment.get(*segment) {
            *size = (*size).max(known);
        }
    }
    // Each bidder's sections per trade.
    let mut segments_of: Vec<Vec<(&str, usize)>> = vec![Vec::new(); names.len()];
    for (section, (members, _)) in sections.iter().zip(&members_of) {
        for &m in members {
            let list = &mut segments_of[m as usize];
            match list.iter_mut().find(|(s, _)| *s == section.segment.as_str()) {
                Some((_, count)) => *count += 1,
                None => list.push((section.segment.as_str(), 1)),
            }
        }
    }
    // Firms meet only in trades they all bid in: the population is those trades' sections,
    // and each firm's count its sections there (a stray bid elsewhere changes nothing).
    let common_trades = |bidders: &[u32]| -> Vec<&str> {
        let Some((first, rest)) = bidders.split_first() else { return Vec::new() };
        segments_of[*first as usize]
            .iter()
            .map(|(s, _)| *s)
            .filter(|s| rest.iter().all(|b| segments_of[*b as usize].iter().any(|(t, _)| t == s)))
            .collect()
    };
    let population_of = |bidders: &[u32]| -> usize {
        common_trades(bidders).iter().map(|s| segment_sizes.get(s).copied().unwrap_or(0)).sum::<usize>().max(1)
    };
    let participation_in = |bidder: u32, trades: &[&str]| -> usize {
        segments_of[bidder as usize].iter().filter(|(s, _)| trades.contains(s)).map(|(_, n)| n).sum()
    };
    // First pass: how often each pair meets and who wins; counts only, no lists.
    let mut pairs: HashMap<(u32, u32), Meetings> = HashMap::new();
    for (members, winner) in &members_of {
        for (x, &low) in members.iter().enumerate() {
            if !in_focus[low as usize] {
                continue;
            }
            for &high in &members[x + 1..] {
                if !in_focus[high as usize] {
                    continue;
                }
                let meeting = pairs.entry((low, high)).or_default();
                meeting.count += 1;
                if *winner == Some(low) {
                    meeting.wins_low += 1;
                } else if *winner == Some(high) {
                    meeting.wins_high += 1;
                }
            }
        }
    }
    pairs.retain(|_, m| m.count as usize >= min_meetings && m.wins_low > 0 && m.wins_high > 0);
    if pairs.is_empty() {
        return Vec::new();
    }
    // Second pass: the sections of the few candidate pairs.
    let mut met_in: HashMap<(u32, u32), Vec<u32>> = pairs.keys().map(|&pair| (pair, Vec::new())).collect();
    for (index, (members, _)) in members_of.iter().enumerate() {
        for (x, &low) in members.iter().enumerate() {
            for &high in &members[x + 1..] {
                if let Some(list) = met_in.get_mut(&(low, high)) {
                    list.push(index as u32);
                }
            }
        }
    }
    let largest = segment_sizes.values().sum::<usize>().max(market.bids_per_section.len()).max(sections.len());
    let table = ln_factorials(largest);
    let weighed = market.sets_met(2);
    let mut rotating: Vec<((u32, u32), Vec<u32>, f64)> = Vec::new();
    let mut candidates: Vec<(u32, u32)> = met_in.keys().copied().collect();
    candidates.sort_unstable();
    let sets = self::sets(
        &members_of,
        &candidates,
        min_meetings,
        &population_of,
        &|set: &[u32]| {
            let trades = common_trades(set);
            set.iter().map(|&m| participation_in(m, &trades)).collect()
        },
        market,
        max_chance,
    );
    for ((low, high), meetings) in met_in {
        let Some(counts) = pairs.get(&(low, high)) else { continue };
        let trades = common_trades(&[low, high]);
        let p_meet = hypergeometric_tail(
            &table,
            population_of(&[low, high]),
            participation_in(low, &trades),
            participation_in(high, &trades),
            counts.count as usize,
        );
        let together = (win_rate(low) + win_rate(high)).min(1.0);
        let odds: Vec<f64> =
            meetings.iter().filter(|&&i| members_of[i as usize].1.is_some()).map(|_| together).collect();
        let p_win = poisson_binomial_tail(&odds, (counts.wins_low + counts.wins_high) as usize);
        let chance = p_meet * p_win * weighed;
        // (NaN never passes.)
        if chance <= max_chance {
            rotating.push(((low, high), meetings, chance));
        }
    }
    rotating.sort_unstable_by_key(|r| r.0);
    // Pairs joined into groups.
    let mut parent: Vec<u32> = (0..names.len() as u32).collect();
    fn root(parent: &mut [u32], mut x: u32) -> u32 {
        while parent[x as usize] != x {
            parent[x as usize] = parent[parent[x as usize] as usize];
            x = parent[x as usize];
        }
        x
    }
    // A flagged set is flagged as the pairs of its members, over the sections it met in.
    for (set, meetings, chance) in sets {
        for (x, &low) in set.iter().enumerate() {
            for &high in &set[x + 1..] {
                rotating.push(((low, high), meetings.clone(), chance));
            }
        }
    }
    for ((a, b), _, _) in &rotating {
        let (ra, rb) = (root(&mut parent, *a), root(&mut parent, *b));
        if ra != rb {
            parent[ra.max(rb) as usize] = ra.min(rb);
        }
    }
    let mut groups: HashMap<u32, (Vec<u32>, Vec<u32>, f64)> = HashMap::new();
    for ((a, b), meetings, chance) in rotating {
        let group = groups.entry(root(&mut parent, a)).or_insert_with(|| (Vec::new(), Vec::new(), 1.0));
        group.0.extend([a, b]);
        group.1.extend(meetings);
        group.2 = group.2.min(chance);
    }
    let mut out: Vec<RiskFinding> = groups
        .into_values()
        .map(|(members, mut meetings, chance)| {
            meetings.sort_unstable();
            meetings.dedup();
            let met: Vec<&SectionFacts> = meetings.iter().map(|&i| &sections[i as usize]).collect();
            let bidders = sorted_unique(members.iter().map(|&m| names[m as usize].to_owned()).collect());
            let winners: Vec<String> =
                sorted_unique(met.iter().filter_map(|s| s.winner_id.clone()).filter(|w| bidders.contains(w)).collect());
            let procurement = met.iter().all(|s| s.procurement);
            RiskFinding {
                indicator: Indicator::RotatingGroup,
                rule_id: Indicator::RotatingGroup.rule(procurement),
                severity: Indicator::RotatingGroup.severity(),
                project_ids: sorted_unique(met.iter().map(|s| s.project_id.clone()).collect()),
                section_ids: sorted_unique(met.iter().map(|s| s.section_id.clone()).collect()),
                evidence: format!(
                    "{} 家投标人在 {} 个标段相遇，中标在其中 {} 家之间轮换；独立投标时出现这样的相遇与中标的概率约 {chance:.1e}",
                    bidders.len(),
                    met.len(),
                    winners.len()
                ),
                bidders,
            }
        })
        .collect();
    out.sort_by_key(RiskFinding::fingerprint);
    out
}

/// Sets of three or more candidate firms that meet together: each section's candidates
/// (members of one component of the candidate pairs) as a set, counted over the sections
/// holding all of it, weighed as the module docs say. Returns (members, sections, chance)
/// of each set under the bound.
#[allow(clippy::too_many_arguments)]
fn sets(
    members_of: &[(Vec<u32>, Option<u32>)],
    candidates: &[(u32, u32)],
    min_meetings: usize,
    population_of: &dyn Fn(&[u32]) -> usize,
    participation_of: &dyn Fn(&[u32]) -> Vec<usize>,
    market: &Market,
    max_chance: f64,
) -> Vec<(Vec<u32>, Vec<u32>, f64)> {
    let mut in_candidate: HashMap<u32, ()> = HashMap::new();
    for &(a, b) in candidates {
        in_candidate.insert(a, ());
        in_candidate.insert(b, ());
    }
    if in_candidate.len() < 3 {
        return Vec::new();
    }
    // The candidate firms of each section, as a set (sets too large to be a ring are cut:
    // the test grows with the set).
    let mut seen: HashMap<Vec<u32>, ()> = HashMap::new();
    for (members, _) in members_of {
        let set: Vec<u32> = members.iter().copied().filter(|m| in_candidate.contains_key(m)).collect();
        if (3..=12).contains(&set.len()) {
            seen.insert(set, ());
        }
    }
    // Where each candidate firm bid, to count a set's sections from its rarest member's.
    let mut sections_of: HashMap<u32, Vec<u32>> = HashMap::new();
    for (index, (members, _)) in members_of.iter().enumerate() {
        for m in members.iter().filter(|m| in_candidate.contains_key(m)) {
            sections_of.entry(*m).or_default().push(index as u32);
        }
    }
    let mut out = Vec::new();
    let mut keys: Vec<Vec<u32>> = seen.into_keys().collect();
    keys.sort_unstable();
    for set in keys {
        let Some(rarest) = set.iter().filter_map(|m| sections_of.get(m)).min_by_key(|list| list.len()) else {
            continue;
        };
        let holding: Vec<u32> = rarest
            .iter()
            .copied()
            .filter(|&i| set.iter().all(|m| members_of[i as usize].0.binary_search(m).is_ok()))
            .collect();
        let mut winners: Vec<u32> =
            holding.iter().filter_map(|&i| members_of[i as usize].1).filter(|w| set.contains(w)).collect();
        winners.sort_unstable();
        winners.dedup();
        if holding.len() < min_meetings || winners.len() < 2 {
            continue;
        }
        let population = population_of(&set);
        let mean = participation_of(&set)
            .into_iter()
            .fold(population as f64, |product, t| product * t as f64 / population.max(1) as f64);
        let chance = poisson_tail(mean, holding.len()) * market.sets_met(set.len());
        if chance <= max_chance {
            out.push((set, holding, chance));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::risk::BidFacts;

    fn section(id: &str, bidders: &[&str], winner: Option<&str>) -> SectionFacts {
        SectionFacts {
            section_id: id.into(),
            project_id: format!("p-{id}"),
            winner_id: winner.map(Into::into),
            bids: bidders
                .iter()
                .enumerate()
                .map(|(n, b)| BidFacts { bidder_id: (*b).into(), price_fen: 100 + n as i64, ..BidFacts::default() })
                .collect(),
            ..SectionFacts::default()
        }
    }

    #[test]
    fn tails_match_closed_forms() {
        let table = ln_factorials(13);
        // 1 / C(13, 5): two bidders of five sections each share all five.
        assert!((hypergeometric_tail(&table, 13, 5, 5, 5) - 1.0 / 1287.0).abs() < 1e-12);
        assert!((hypergeometric_tail(&table, 13, 5, 5, 0) - 1.0).abs() < 1e-9);
        // Meeting three times among 4 + 4 of 13: (C(4,3)·C(9,1) + 1) / C(13,4).
        assert!((hypergeometric_tail(&table, 13, 4, 4, 3) - 37.0 / 715.0).abs() < 1e-12);
        assert!((poisson_binomial_tail(&[0.5, 0.5, 0.5], 2) - 0.5).abs() < 1e-12);
        assert!((poisson_binomial_tail(&[0.4; 5], 3) - 0.31744).abs() < 1e-9);
        assert_eq!(poisson_binomial_tail(&[], 0), 1.0);
        // Poisson: P(≥ 2 | 1) = 1 − 2/e; a tiny tail keeps its digits.
        assert!((poisson_tail(1.0, 2) - (1.0 - 2.0 / std::f64::consts::E)).abs() < 1e-12);
        let tiny = poisson_tail(1e-3, 5);
        assert!((tiny - 1e-15 / 120.0).abs() < 1e-19, "{tiny:e}");
    }

    /// A district of 13 sections: a ring of four meeting in five and taking turns; an
    /// honest pair meeting three times (each winning once) among sections they also bid
    /// in apart.
    fn district() -> Vec<SectionFacts> {
        let ring = ["r1", "r2", "r3", "r4", "h1"];
        let mut sections: Vec<SectionFacts> = ["r1", "r2", "r3", "r4", "r1"]
            .iter()
            .enumerate()
            .map(|(n, w)| section(&format!("s{n}"), &ring, Some(w)))
            .collect();
        sections.push(section("s5", &["a", "b", "h2"], Some("a")));
        sections.push(section("s6", &["a", "b", "h2"], Some("b")));
        sections.push(section("s7", &["a", "b", "h2"], Some("h2")));
        sections.push(section("s8", &["a", "h1", "h2"], None));
        sections.push(section("s9", &["b", "h1", "h2"], None));
        sections.push(section("s10", &["a", "h3", "h4"], None));
        sections.push(section("s11", &["b", "h3", "h4"], None));
        sections.push(section("s12", &["h1", "h3", "h4"], None));
        sections
    }

    #[test]
    fn the_ring_is_one_group_and_the_honest_pair_is_not_flagged() {
        let findings = rotating_groups(&district(), &Market::of(&district()), None, 3, 0.001);
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert_eq!(findings[0].bidders, vec!["r1", "r2", "r3", "r4"]);
        assert_eq!(findings[0].section_ids, vec!["s0", "s1", "s2", "s3", "s4"]);
        // The old rule (three meetings, wins both ways) flags the honest pair: the bound does not.
        let loose = rotating_groups(&district(), &Market::of(&district()), None, 3, f64::INFINITY);
        assert!(loose.iter().any(|f| f.bidders.contains(&"a".to_owned()) && f.bidders.contains(&"b".to_owned())));
    }

    #[test]
    fn a_ring_in_a_market_of_its_own_sections_only_is_no_evidence() {
        // Five sections, the ring in all of them: meeting is certain, not unlikely.
        let sections: Vec<SectionFacts> = district().into_iter().take(5).collect();
        assert!(rotating_groups(&sections, &Market::of(&sections), None, 3, 0.001).is_empty());
    }

    #[test]
    fn honest_specialists_of_a_small_trade_are_no_ring() {
        // 960 building sections among a large pool, and 40 water sections where six
        // specialists each bid in about five of six and win at random.
        let mut state = 0x2545_F491_4F6C_DD1D_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut sections = Vec::new();
        for n in 0..960 {
            let bidders: Vec<String> = (0..6).map(|_| format!("firm{}", next() % 3_000)).collect();
            let refs: Vec<&str> = bidders.iter().map(String::as_str).collect();
            let winner = refs[(next() % 6) as usize];
            let mut s = section(&format!("b{n}"), &refs, Some(winner));
            s.segment = "construction/building".into();
            s.bids.dedup_by(|a, b| a.bidder_id == b.bidder_id);
            sections.push(s);
        }
        for n in 0..40 {
            let bidders: Vec<String> = (0..6).filter(|_| next() % 6 != 0).map(|k| format!("water{k}")).collect();
            if bidders.len() < 2 {
                continue;
            }
            let refs: Vec<&str> = bidders.iter().map(String::as_str).collect();
            let winner = refs[(next() % refs.len() as u64) as usize];
            let mut s = section(&format!("w{n}"), &refs, Some(winner));
            s.segment = "construction/water".into();
            sections.push(s);
        }
        let findings = rotating_groups(&sections, &Market::of(&sections), None, 3, 0.001);
        assert!(findings.is_empty(), "{findings:#?}");
        // One of them bidding once in the large trade changes nothing.
        let mut strayed = sections.clone();
        if let Some(stray) = strayed.iter_mut().find(|s| s.segment == "construction/building") {
            stray.bids.push(BidFacts { bidder_id: "water0".into(), price_fen: 7, ..BidFacts::default() });
        }
        let findings = rotating_groups(&strayed, &Market::of(&strayed), None, 3, 0.001);
        assert!(findings.is_empty(), "{findings:#?}");
        // Weighed in the whole market instead, they look like a ring: the trade matters.
        let mut flattened = sections.clone();
        for s in &mut flattened {
            s.segment = String::new();
        }
        assert!(!rotating_groups(&flattened, &Market::of(&flattened), None, 3, 0.001).is_empty());
    }

    #[test]
    fn a_focus_weighs_only_its_own_pairs() {
        let focus = vec!["a".to_owned(), "b".to_owned(), "h2".to_owned()];
        assert!(rotating_groups(&district(), &Market::of(&district()), Some(&focus), 3, 0.001).is_empty());
        let ring: Vec<String> = ["r1", "r2", "r3", "r4", "h1"].iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(rotating_groups(&district(), &Market::of(&district()), Some(&ring), 3, 0.001).len(), 1);
    }
}
