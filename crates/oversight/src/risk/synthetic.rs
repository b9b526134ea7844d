//! A deterministic synthetic history for the risk scan: honest sections (each bidder with
//! its own device, people, documents, account and prices drawn at random below the
//! ceiling, the lowest price winning) with rings of every indicator planted among them.
//! Used by the tests, `cargo xtask seed --risk` and `cargo xtask bench risk`.

use super::{BidFacts, Indicator, SectionFacts};

/// A ring planted in the data: what the scan must find, exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlantedRing {
    pub indicator: Indicator,
    pub section_ids: Vec<String>,
    pub bidders: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Dataset {
    pub sections: Vec<SectionFacts>,
    pub planted: Vec<PlantedRing>,
}

impl Dataset {
    pub fn bid_count(&self) -> usize {
        self.sections.iter().map(|s| s.bids.len()).sum()
    }
}

/// splitmix64: small, fast and the same on every machine.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound.max(1)
    }

    fn between(&mut self, low: i64, high: i64) -> i64 {
        low + self.below((high - low).max(1) as u64) as i64
    }
}

/// An honest bidder's bid: everything its own.
fn honest_bid(bidder: &str, section: &str, price_fen: i64) -> BidFacts {
    BidFacts {
        bidder_id: bidder.to_owned(),
        price_fen,
        device: Some(format!("device-{bidder}")),
        author: Some(format!("author-{bidder}")),
        handlers: vec![format!("handler-{bidder}")],
        project_manager: Some(format!("manager-{bidder}")),
        document_hashes: vec![format!("doc-{section}-{bidder}")],
        bond_account: Some(format!("account-{bidder}")),
        legal_representative: Some(format!("legal-{bidder}")),
        related_participants: Vec::new(),
        disqualified: false,
    }
}

/// Picks the winner: the lowest price not disqualified.
fn award(section: &mut SectionFacts) {
    section.winner_id =
        section.bids.iter().filter(|b| !b.disqualified).min_by_key(|b| b.price_fen).map(|b| b.bidder_id.clone());
}

struct Generator {
    random: Random,
    pool: u64,
    next_section: usize,
    average_bids: u64,
}

impl Generator {
    fn ceiling(&mut self) -> i64 {
        // 1 to 50 million yuan, in fen.
        self.random.between(100_000_000, 5_000_000_000)
    }

    /// An honest price: 85% to 97% of the ceiling, to the fen.
    fn honest_price(&mut self, ceiling: i64) -> i64 {
        self.random.between(ceiling / 100 * 85, ceiling / 100 * 97)
    }

    fn honest_section(&mut self, bids: usize) -> SectionFacts {
        let index = self.next_section;
        self.next_section += 1;
        let section_id = format!("section-{index:07}");
        let ceiling = self.ceiling();
        let mut members: Vec<u64> = Vec::with_capacity(bids);
        while members.len() < bids {
            let candidate = self.random.below(self.pool);
            if !members.contains(&candidate) {
                members.push(candidate);
            }
        }
        let mut section = SectionFacts {
            section_id: section_id.clone(),
            project_id: format!("project-{:07}", index / 2),
            procurement: index % 3 == 0,
            ceiling_fen: Some(ceiling),
            winner_id: None,
            bids: Vec::with_capacity(bids),
        };
        for member in members {
            let price = self.honest_price(ceiling);
            section.bids.push(honest_bid(&format!("bidder-{member:07}"), &section_id, price));
        }
        award(&mut section);
        section
    }

    fn bids_in_a_section(&mut self) -> usize {
        // 3 to 2·average − 3 bids, averaging `average_bids`.
        let spread = 2 * self.average_bids.saturating_sub(3) + 1;
        (3 + self.random.below(spread)) as usize
    }
}

/// `sections` honest sections of about `average_bids` bids each, then the planted rings:
/// one section per single-section indicator, six sections for a rotating group.
pub fn generate(seed: u64, sections: usize, average_bids: usize) -> Dataset {
    let average_bids = average_bids.max(3) as u64;
    // Each honest bidder bids about four times: honest pairs rarely meet twice.
    let pool = ((sections as u64 * average_bids) / 4).max(200);
    let mut generator = Generator { random: Random(seed), pool, next_section: 0, average_bids };
    let mut dataset = Dataset { sections: Vec::with_capacity(sections + 20), planted: Vec::new() };
    for _ in 0..sections {
        let bids = generator.bids_in_a_section();
        let section = generator.honest_section(bids);
        dataset.sections.push(section);
    }
    plant_shared_attributes(&mut generator, &mut dataset);
    plant_price_pattern(&mut generator, &mut dataset);
    plant_control(&mut generator, &mut dataset);
    plant_outcomes(&mut generator, &mut dataset);
    plant_rotation(&mut generator, &mut dataset);
    dataset
}

fn ring_bid(section: &SectionFacts, name: String, price: i64) -> BidFacts {
    honest_bid(&name, &section.section_id, price)
}

fn plant(dataset: &mut Dataset, section: SectionFacts, indicator: Indicator, mut bidders: Vec<String>) {
    bidders.sort();
    dataset.planted.push(PlantedRing { indicator, section_ids: vec![section.section_id.clone()], bidders });
    dataset.sections.push(section);
}

/// Two or three ring members bid with one thing shared, among honest bidders; an honest
/// bidder wins.
fn plant_shared_attributes(generator: &mut Generator, dataset: &mut Dataset) {
    let plans: [(Indicator, usize); 7] = [
        (Indicator::SameDevice, 3),
        (Indicator::SameAuthor, 2),
        (Indicator::SameHandler, 2),
        (Indicator::SameProjectManager, 2),
        (Indicator::IdenticalDocuments, 2),
        (Indicator::SameBondAccount, 3),
        (Indicator::SharedLegalRepresentative, 2),
    ];
    for (indicator, size) in plans {
        let mut section = generator.honest_section(4);
        let ceiling = section.ceiling_fen.unwrap_or_default();
        let mut members = Vec::new();
        for n in 0..size {
            let name = format!("ring-{}-{n}", indicator.as_str());
            // Above the honest prices: the ring supports, it does not win.
            let mut bid = ring_bid(&section, name.clone(), generator.random.between(ceiling / 100 * 98, ceiling));
            let shared = format!("shared-{}", indicator.as_str());
            match indicator {
                Indicator::SameDevice => bid.device = Some(shared),
                Indicator::SameAuthor => bid.author = Some(shared),
                Indicator::SameHandler => bid.handlers = vec![shared],
                Indicator::SameProjectManager => bid.project_manager = Some(shared),
                Indicator::IdenticalDocuments => bid.document_hashes.push(shared),
                Indicator::SameBondAccount => bid.bond_account = Some(shared),
                _ => bid.legal_representative = Some(shared),
            }
            section.bids.push(bid);
            members.push(name);
        }
        award(&mut section);
        plant(dataset, section, indicator, members);
    }
}

fn plant_price_pattern(generator: &mut Generator, dataset: &mut Dataset) {
    let mut section = generator.honest_section(4);
    let ceiling = section.ceiling_fen.unwrap_or_default();
    let start = generator.random.between(ceiling / 100 * 98, ceiling / 1000 * 985);
    let step = generator.random.between(10_000, 500_000);
    let mut members = Vec::new();
    for n in 0..3 {
        let name = format!("ring-price_pattern-{n}");
        section.bids.push(ring_bid(&section, name.clone(), start + step * n));
        members.push(name);
    }
    award(&mut section);
    plant(dataset, section, Indicator::PricePattern, members);
}

fn plant_control(generator: &mut Generator, dataset: &mut Dataset) {
    let mut section = generator.honest_section(4);
    let ceiling = section.ceiling_fen.unwrap_or_default();
    let parent = "ring-control_relation-0".to_owned();
    let child = "ring-control_relation-1".to_owned();
    let mut bid = ring_bid(&section, parent.clone(), generator.random.between(ceiling / 100 * 98, ceiling));
    bid.related_participants = vec![child.clone()];
    section.bids.push(bid);
    section.bids.push(ring_bid(&section, child.clone(), generator.random.between(ceiling / 100 * 98, ceiling)));
    award(&mut section);
    plant(dataset, section, Indicator::ControlRelation, vec![parent, child]);
}

fn plant_outcomes(generator: &mut Generator, dataset: &mut Dataset) {
    // A single bid.
    let section = generator.honest_section(1);
    let bidders = vec![section.bids[0].bidder_id.clone()];
    plant(dataset, section, Indicator::SingleBid, bidders);

    // The winner at 99.6%–99.9% of the ceiling, the others just above it.
    let mut section = generator.honest_section(3);
    let ceiling = section.ceiling_fen.unwrap_or_default();
    let floor = ceiling / 1000 * 996;
    let winning = generator.random.between(floor, floor + (ceiling - floor) / 2);
    for (n, bid) in section.bids.iter_mut().enumerate() {
        bid.price_fen = if n == 0 { winning } else { generator.random.between(winning + 1, ceiling) };
    }
    award(&mut section);
    let bidders = vec![section.bids[0].bidder_id.clone()];
    plant(dataset, section, Indicator::WinAtCeiling, bidders);

    // Everyone but the (lowest) winner rejected.
    let mut section = generator.honest_section(4);
    let lowest = section.bids.iter().map(|b| b.price_fen).min().unwrap_or_default();
    for bid in &mut section.bids {
        bid.disqualified = bid.price_fen != lowest;
    }
    award(&mut section);
    let bidders = section.bids.iter().map(|b| b.bidder_id.clone()).collect();
    plant(dataset, section, Indicator::OthersAllDisqualified, bidders);

    // The lowest price rejected; the second lowest wins, the rest stand.
    let mut section = generator.honest_section(4);
    let lowest = section.bids.iter().map(|b| b.price_fen).min().unwrap_or_default();
    let mut rejected = String::new();
    for bid in &mut section.bids {
        if bid.price_fen == lowest {
            bid.disqualified = true;
            rejected = bid.bidder_id.clone();
        }
    }
    award(&mut section);
    plant(dataset, section, Indicator::LowestDisqualified, vec![rejected]);
}

/// Three bidders meet in six sections of six projects and take turns to win.
fn plant_rotation(generator: &mut Generator, dataset: &mut Dataset) {
    let members: Vec<String> = (0..3).map(|n| format!("ring-rotating_group-{n}")).collect();
    let mut section_ids = Vec::new();
    for round in 0..6 {
        let mut section = generator.honest_section(3);
        let ceiling = section.ceiling_fen.unwrap_or_default();
        let lowest = section.bids.iter().map(|b| b.price_fen).min().unwrap_or_default();
        for (n, member) in members.iter().enumerate() {
            // The member whose turn it is goes under every honest price; the others above.
            let price = if n == round % 3 {
                generator.random.between(ceiling / 100 * 80, lowest.min(ceiling / 100 * 85))
            } else {
                generator.random.between(ceiling / 100 * 98, ceiling)
            };
            section.bids.push(ring_bid(&section, member.clone(), price));
        }
        award(&mut section);
        section_ids.push(section.section_id.clone());
        dataset.sections.push(section);
    }
    section_ids.sort();
    dataset.planted.push(PlantedRing { indicator: Indicator::RotatingGroup, section_ids, bidders: members });
}

#[cfg(test)]
mod tests {
    use super::super::{scan_history, RiskPolicy};
    use super::*;

    #[test]
    fn every_planted_ring_is_found_and_nothing_else() {
        let dataset = generate(20_261_130, 3_000, 8);
        assert!(dataset.bid_count() > 20_000);
        let findings = scan_history(&dataset.sections, &RiskPolicy::default());
        for ring in &dataset.planted {
            assert!(
                findings.iter().any(|f| f.indicator == ring.indicator
                    && f.section_ids == ring.section_ids
                    && f.bidders == ring.bidders),
                "planted {ring:?} not found"
            );
        }
        // Every indicator is planted once, and honest sections raise nothing.
        assert_eq!(dataset.planted.len(), Indicator::ALL.len());
        let unexpected: Vec<_> = findings
            .iter()
            .filter(|f| {
                !dataset
                    .planted
                    .iter()
                    .any(|r| r.indicator == f.indicator && r.section_ids == f.section_ids && r.bidders == f.bidders)
            })
            .collect();
        assert!(unexpected.is_empty(), "alerts on honest data: {unexpected:#?}");
    }

    #[test]
    fn the_same_seed_gives_the_same_history() {
        let a = generate(7, 200, 6);
        let b = generate(7, 200, 6);
        assert_eq!(a.sections, b.sections);
        assert_ne!(generate(8, 200, 6).sections, a.sections);
    }
}
