//! Rotating groups (陪标、轮流中标): bidders that keep meeting while the win goes round among
//! them. Meeting often is no evidence by itself: firms of one trade meet all the time, and
//! two that each bid in most sections of a small district meet in most of them. So each
//! pair that met at least `min_meetings` times, each winning at least once, is weighed by
//! how unlikely its history is for independent bidders:
//!
//! - meetings: if the two chose their sections independently, the number of sections they
//!   share is hypergeometric (the market's sections, the first's sections, the second's);
//!   `p_meet` is the chance of meeting at least as often as they did;
//! - wins: in each shared awarded section the two take the win with the sum of their own
//!   win rates (each bidder's wins over its awarded sections, with one win and one loss
//!   added so that a firm seen little counts as middling: a keen firm wins often on its
//!   own, and the ring's own wins make its members look keen, which only weakens the
//!   evidence); `p_win` is the chance of taking at least as many wins as they did (a
//!   Poisson-binomial tail);
//! - the product, multiplied by the number of pairs weighed (a Bonferroni bound, so the
//!   bound holds for the whole scan), must be at most the policy's bound.
//!
//! Pairs that pass are joined into groups; each group is one finding.

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

/// Groups of bidders that keep meeting while the win rotates among them.
///
/// `market_sections` is the number of opened sections the bidders could have chosen from
/// (at least `sections.len()`); `focus`, when given, limits the pairs weighed to bidders of
/// that list (whose every section must then be in `sections`, so their counts are whole).
pub fn rotating_groups(
    sections: &[SectionFacts],
    market_sections: usize,
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
    let mut participation = vec![0usize; names.len()];
    let mut awarded = vec![0usize; names.len()];
    let mut wins = vec![0usize; names.len()];
    for (members, winner) in &members_of {
        for &m in members {
            participation[m as usize] += 1;
            if winner.is_some() {
                awarded[m as usize] += 1;
            }
        }
        if let Some(w) = winner {
            wins[*w as usize] += 1;
        }
    }
    let win_rate = |m: u32| (wins[m as usize] + 1) as f64 / (awarded[m as usize] + 2) as f64;
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
    let population = market_sections.max(sections.len());
    let table = ln_factorials(population);
    let weighed = pairs.len() as f64;
    let mut rotating: Vec<((u32, u32), Vec<u32>, f64)> = Vec::new();
    for ((low, high), meetings) in met_in {
        let Some(counts) = pairs.get(&(low, high)) else { continue };
        let p_meet = hypergeometric_tail(
            &table,
            population,
            participation[low as usize],
            participation[high as usize],
            counts.count as usize,
        );
        let together = (win_rate(low) + win_rate(high)).min(1.0);
        let odds: Vec<f64> =
            meetings.iter().filter(|&&i| members_of[i as usize].1.is_some()).map(|_| together).collect();
        let p_win = poisson_binomial_tail(&odds, (counts.wins_low + counts.wins_high) as usize);
        let chance = p_meet * p_win * weighed;
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
                    "{} 家投标人在 {} 个标段相遇，中标在其中 {} 家之间轮换；独立投标时出现这样的相遇与中标的概率约 {chance:.1e}（{population} 个已开标标段中）",
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
        let findings = rotating_groups(&district(), 13, None, 3, 0.01);
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert_eq!(findings[0].bidders, vec!["r1", "r2", "r3", "r4"]);
        assert_eq!(findings[0].section_ids, vec!["s0", "s1", "s2", "s3", "s4"]);
        // The old rule (three meetings, wins both ways) flags the honest pair: the bound does not.
        let loose = rotating_groups(&district(), 13, None, 3, f64::INFINITY);
        assert!(loose.iter().any(|f| f.bidders.contains(&"a".to_owned()) && f.bidders.contains(&"b".to_owned())));
    }

    #[test]
    fn a_ring_in_a_market_of_its_own_sections_only_is_no_evidence() {
        // Five sections, the ring in all of them: meeting is certain, not unlikely.
        let sections: Vec<SectionFacts> = district().into_iter().take(5).collect();
        assert!(rotating_groups(&sections, 5, None, 3, 0.01).is_empty());
    }

    #[test]
    fn a_focus_weighs_only_its_own_pairs() {
        let focus = vec!["a".to_owned(), "b".to_owned(), "h2".to_owned()];
        assert!(rotating_groups(&district(), 13, Some(&focus), 3, 0.01).is_empty());
        let ring: Vec<String> = ["r1", "r2", "r3", "r4", "h1"].iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(rotating_groups(&district(), 13, Some(&ring), 3, 0.01).len(), 1);
    }
}
