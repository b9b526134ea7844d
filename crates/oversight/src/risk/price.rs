//! Regular price differences (条例 §40(四) 投标报价呈规律性差异; 87号令 §37): identical
//! prices, prices in constant difference or constant ratio, and prices sharing the same
//! trailing digits. Real bids are rounded (to the fen, the yuan, or to 100 or 1,000 yuan),
//! so a progression is matched within the rounding its own prices show: with every price a
//! multiple of a unit u, each price may be off its exact term by u/2, so the next term may
//! be off its prediction by 2u.
//!
//! Rounding makes chance matches likelier (honest bids rounded to 1,000 yuan coincide far
//! more often than bids to the fen), so every pattern carries the expected number of such
//! matches among the section's prices if they were independent and spread as evenly as
//! they are over their own range, and is reported only when that is at most a third of the
//! policy's bound (three tests share it: identical prices, progressions, trailing digits).
//! The bound is then the false-alarm rate per section for independent prices; the unit
//! tests measure it on clustered prices at every rounding.

#[cfg(test)]
use super::BidFacts;
use super::{finding, Indicator, RiskFinding, SectionFacts};

/// Rounding units a price may show, in fen: 1,000 yuan, 100 yuan, 10 yuan, 1 yuan, 1 jiao, 1 fen.
const UNITS: [i64; 6] = [100_000, 10_000, 1_000, 100, 10, 1];

/// The largest unit every price is a multiple of.
pub fn rounding_unit(prices: &[i64]) -> i64 {
    UNITS.into_iter().find(|&unit| prices.iter().all(|p| p % unit == 0)).unwrap_or(1)
}

/// The width over which the section's prices spread, in fen: their range (clustered bids
/// make chance matches likelier, and the range says how clustered they are), but at least
/// one rounding step per price and 0.1% of the highest price (two equal prices alone have
/// no range to read).
fn spread(prices: &[i64], unit: i64) -> f64 {
    let (Some(&low), Some(&high)) = (prices.iter().min(), prices.iter().max()) else { return 1.0 };
    ((high - low) as f64).max((prices.len() as i64 * unit) as f64).max(high as f64 * 0.001).max(1.0)
}

fn pairs(n: usize) -> f64 {
    choose(n, 2)
}

/// C(n, k) as a float.
fn choose(n: usize, k: usize) -> f64 {
    if k > n {
        return 0.0;
    }
    (0..k).fold(1.0, |product, i| product * (n - i) as f64 / (i + 1) as f64)
}

fn yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

fn chance_text(chance: f64) -> String {
    format!("{chance:.1e}")
}

/// A progression found among the sorted distinct prices: indices into them.
struct Run {
    kind: &'static str,
    terms: Vec<usize>,
    tolerance: i64,
}

/// The next term of a progression from its last two terms.
fn next_term(kind: &str, previous: i64, current: i64) -> Option<i64> {
    match kind {
        "等差" => current.checked_add(current - previous),
        _ => {
            if previous <= 0 {
                return None;
            }
            let square = i128::from(current) * i128::from(current);
            i64::try_from((square + i128::from(previous) / 2) / i128::from(previous)).ok()
        }
    }
}

/// The price nearest `target` within `tolerance`, after index `from`.
fn nearest(values: &[i64], from: usize, target: i64, tolerance: i64) -> Option<usize> {
    let start = values.partition_point(|&v| v < target.saturating_sub(tolerance));
    (start.max(from + 1)..values.len())
        .take_while(|&k| values[k] <= target.saturating_add(tolerance))
        .min_by_key(|&k| (values[k] - target).abs())
}

fn progressions(values: &[i64]) -> Vec<Run> {
    // Sections hold few bids; the first 64 distinct prices are plenty and keep this bounded.
    let limit = values.len().min(64);
    let mut runs: Vec<Run> = Vec::new();
    for i in 0..limit {
        for j in (i + 1)..limit {
            let tolerance = 2 * rounding_unit(&[values[i], values[j]]);
            // A step within the rounding is no pattern.
            if values[j] - values[i] <= 2 * tolerance {
                continue;
            }
            for kind in ["等差", "等比"] {
                let mut terms = vec![i, j];
                while let [.., previous, current] = terms[..] {
                    let Some(target) = next_term(kind, values[previous], values[current]) else { break };
                    match nearest(&values[..limit], current, target, tolerance) {
                        Some(k) => terms.push(k),
                        None => break,
                    }
                }
                if terms.len() >= 3 && !runs.iter().any(|r| terms.iter().all(|t| r.terms.contains(t))) {
                    runs.push(Run { kind, terms, tolerance });
                }
            }
        }
    }
    runs
}

/// The significant digits of a price once its trailing zeros are removed, and how many
/// zeros that was.
fn significant(price: i64) -> (i64, u32) {
    let (mut value, mut zeros) = (price, 0);
    while value != 0 && value % 10 == 0 {
        value /= 10;
        zeros += 1;
    }
    (value, zeros)
}

/// How many trailing digits two numbers share.
fn shared_suffix(mut a: i64, mut b: i64) -> u32 {
    let mut digits = 0;
    while a > 0 && b > 0 && a % 10 == b % 10 {
        a /= 10;
        b /= 10;
        digits += 1;
    }
    digits
}

/// Price patterns of one section.
pub fn price_patterns(section: &SectionFacts, max_chance: f64, out: &mut Vec<RiskFinding>) {
    // Three tests share the section's bound.
    let max_chance = max_chance / 3.0;
    let mut prices: Vec<(i64, &str)> =
        section.bids.iter().filter(|b| b.price_fen > 0).map(|b| (b.price_fen, b.bidder_id.as_str())).collect();
    prices.sort_unstable();
    let all: Vec<i64> = prices.iter().map(|(p, _)| *p).collect();
    let n = all.len();
    let width = spread(&all, rounding_unit(&all));

    // Identical prices: as likely by chance as one price landing on another's rounding step.
    for group in prices.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() >= 2) {
        let unit = rounding_unit(&[group[0].0]);
        let chance = pairs(n) * (unit as f64 / width).min(1.0);
        if chance <= max_chance {
            out.push(finding(
                section,
                Indicator::PricePattern,
                group.iter().map(|(_, b)| (*b).to_owned()).collect(),
                format!("报价完全相同：{} 元（偶然相同的概率约 {}）", yuan(group[0].0), chance_text(chance)),
            ));
        }
    }

    // Progressions among the distinct prices, each term within the rounding of its prices.
    let mut distinct = prices.clone();
    distinct.dedup_by_key(|(p, _)| *p);
    let values: Vec<i64> = distinct.iter().map(|(p, _)| *p).collect();
    for run in progressions(&values) {
        // Any m of the n prices could form such a run. For m independent prices, sorted,
        // each term after the first two lands within the tolerance of its prediction with
        // about (2·tolerance + 1) / spread, and sorting multiplies the density by m!/2:
        // C(n, m)·m!/2·q^(m−2) = n!/(2(n−m)!)·q^(m−2) per kind, two kinds looked for.
        let m = run.terms.len();
        let per_term = (2 * run.tolerance + 1) as f64 / width;
        let orderings = (n - m + 1..=n).fold(1.0, |product, k| product * k as f64) / 2.0;
        let chance = 2.0 * orderings * per_term.powi(m as i32 - 2);
        if chance > max_chance {
            continue;
        }
        let listed: Vec<String> = run.terms.iter().map(|&k| yuan(values[k])).collect();
        let step = if run.kind == "等差" {
            format!("相邻报价差约 {} 元", yuan(values[run.terms[1]] - values[run.terms[0]]))
        } else {
            format!("相邻报价之比约 {:.4}", values[run.terms[1]] as f64 / values[run.terms[0]] as f64)
        };
        out.push(finding(
            section,
            Indicator::PricePattern,
            run.terms.iter().map(|&k| distinct[k].1.to_owned()).collect(),
            format!(
                "报价呈{}规律（{step}，容差 {} 元）：{} 元（偶然出现的概率约 {}）",
                run.kind,
                yuan(run.tolerance),
                listed.join("、"),
                chance_text(chance)
            ),
        ));
    }

    // The same trailing digits in the same places (尾数相同), zeros of rounding aside: a
    // shared tail of d significant digits happens by chance once in 10^d pairs.
    let mut tails: Vec<(u32, i64, i64, &str)> = distinct
        .iter()
        .map(|(p, b)| {
            let (digits, zeros) = significant(*p);
            (zeros, digits % 10_000, *p, *b)
        })
        .filter(|(_, _, p, _)| significant(*p).0 >= 10_000)
        .collect();
    tails.sort_unstable();
    for group in tails.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)).filter(|g| g.len() >= 2) {
        let first = significant(group[0].2).0;
        let digits = group[1..].iter().map(|t| shared_suffix(first, significant(t.2).0)).min().unwrap_or(0);
        let chance = pairs(n) * 10f64.powi(-(digits as i32));
        if chance <= max_chance {
            let listed: Vec<String> = group.iter().map(|t| yuan(t.2)).collect();
            out.push(finding(
                section,
                Indicator::PricePattern,
                group.iter().map(|t| t.3.to_owned()).collect(),
                format!(
                    "报价尾数相同（末 {digits} 位有效数字）：{} 元（偶然相同的概率约 {}）",
                    listed.join("、"),
                    chance_text(chance)
                ),
            ));
        }
    }
}

/// Prices of the bids, for tests.
#[cfg(test)]
fn section_of(prices: &[i64]) -> SectionFacts {
    SectionFacts {
        section_id: "s".into(),
        project_id: "p".into(),
        bids: prices
            .iter()
            .enumerate()
            .map(|(n, &price_fen)| BidFacts { bidder_id: format!("b{n}"), price_fen, ..BidFacts::default() })
            .collect(),
        ..SectionFacts::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOUND: f64 = 1e-3;

    /// xorshift, for the false-alarm measurement.
    fn next(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    #[test]
    fn independent_prices_raise_alarms_at_most_at_the_bound() {
        // Honest sections of 3 to 12 prices spread evenly over 0.5% to 12% of a price,
        // rounded to the fen, the yuan, 100 yuan or 1,000 yuan: the share flagged must stay
        // within the bound (measured: at most 1 of 5,000 in any of the sixteen settings).
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        for unit in [1_i64, 100, 10_000, 100_000] {
            for spread_per_mille in [5_i64, 10, 20, 120] {
                let sections = 5_000;
                let mut flagged = 0;
                for _ in 0..sections {
                    let n = 3 + (next(&mut state) % 10) as usize;
                    let base = 100_000_000 + (next(&mut state) % 4_900_000_000) as i64;
                    let width = base / 1000 * spread_per_mille;
                    let prices: Vec<i64> = (0..n)
                        .map(|_| (base + (next(&mut state) % width as u64) as i64 + unit / 2) / unit * unit)
                        .collect();
                    let mut out = Vec::new();
                    price_patterns(&section_of(&prices), BOUND, &mut out);
                    flagged += usize::from(!out.is_empty());
                }
                let rate = flagged as f64 / sections as f64;
                assert!(rate <= BOUND, "unit {unit} fen, spread {spread_per_mille}‰: {flagged} of {sections} flagged");
            }
        }
    }

    fn found(prices: &[i64]) -> Vec<RiskFinding> {
        let mut out = Vec::new();
        price_patterns(&section_of(prices), BOUND, &mut out);
        out
    }

    /// Each price `percent_tenths`‰ above the previous, rounded half-up to `unit` fen.
    fn ratio_run(start: i64, per_mille: i64, count: usize, unit: i64) -> Vec<i64> {
        let mut prices = vec![start / unit * unit];
        while prices.len() < count {
            let previous = prices[prices.len() - 1];
            let exact = previous * (1000 + per_mille);
            prices.push((exact + 500 * unit) / (1000 * unit) * unit);
        }
        prices
    }

    #[test]
    fn a_ratio_rounded_to_the_fen_is_found() {
        let prices = ratio_run(95_123_456, 15, 3, 1);
        assert_eq!(prices, vec![95_123_456, 96_550_308, 97_998_563]);
        // Not exact: the old exact test missed it.
        assert_ne!(i128::from(prices[1]) * i128::from(prices[1]) % i128::from(prices[0]), 0);
        let findings = found(&prices);
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert!(findings[0].evidence.contains("等比"), "{}", findings[0].evidence);
        assert_eq!(findings[0].bidders, vec!["b0", "b1", "b2"]);
    }

    #[test]
    fn a_ratio_among_honest_prices_is_found_with_its_members_only() {
        let mut prices = ratio_run(880_123_456, 20, 3, 1);
        prices.extend([871_234_567, 905_000_012, 899_998_765]);
        let findings = found(&prices);
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert_eq!(findings[0].bidders, vec!["b0", "b1", "b2"]);
    }

    #[test]
    fn constant_differences_rounded_to_the_yuan_are_found() {
        // 12,345.67 yuan apart, each rounded to the yuan: four terms (three on a yuan grid
        // are too likely by chance to report).
        let prices: Vec<i64> = (0..4).map(|k| (90_000_000 + k * 1_234_567 + 50) / 100 * 100).collect();
        assert!(found(&prices[..3]).is_empty());
        let findings = found(&prices);
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert!(findings[0].evidence.contains("等差"), "{}", findings[0].evidence);
    }

    #[test]
    fn four_terms_rounded_to_100_yuan_are_found_three_are_not() {
        let four = ratio_run(950_000_000, 15, 4, 10_000);
        assert_eq!(found(&four).len(), 1, "{four:?}");
        // Three terms on a 100-yuan grid happen by chance too often to report.
        assert!(found(&four[..3]).is_empty());
    }

    #[test]
    fn honest_round_prices_and_near_misses_raise_nothing() {
        // Rounded to 1,000 yuan, roughly but not regularly spread.
        assert!(found(&[900_000_000, 912_300_000, 930_100_000, 941_000_000]).is_empty());
        // Off a ratio by far more than the fen rounding.
        assert!(found(&[95_123_456, 96_550_308, 97_990_000]).is_empty());
        // Steps within the rounding are no pattern.
        assert!(found(&[95_000_000, 95_000_001, 95_000_002]).is_empty());
    }

    #[test]
    fn identical_prices_count_against_their_rounding() {
        assert_eq!(found(&[98_765_432, 98_765_432, 91_000_000]).len(), 1);
        // Two equal prices of 980,000 yuan among eight: chance, not a finding.
        assert!(found(&[
            98_000_000, 98_000_000, 91_000_000, 92_300_000, 93_700_000, 94_400_000, 95_900_000, 96_100_000
        ])
        .is_empty());
    }

    #[test]
    fn the_same_trailing_digits_are_found() {
        let findings = found(&[91_234_567, 97_834_567, 93_000_000]);
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert!(findings[0].evidence.contains("尾数相同"), "{}", findings[0].evidence);
        // Zeros of rounding are not shared digits.
        assert!(found(&[91_200_000, 97_800_000, 93_000_000]).is_empty());
    }

    #[test]
    fn rounding_units_are_read_from_the_prices() {
        assert_eq!(rounding_unit(&[98_000_000, 97_100_000]), 100_000);
        assert_eq!(rounding_unit(&[98_000_000, 97_120_000]), 10_000);
        assert_eq!(rounding_unit(&[98_000_001]), 1);
    }
}
