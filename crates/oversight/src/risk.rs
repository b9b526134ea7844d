//! Collusion risk detection (围标串标 monitoring, 细则 §37, 管理办法 §39): indicators over
//! the bids of each opened section, each citing the rule that deems the situation collusion
//! (construction.collusion.deemed, procurement.collusion.deemed) or bars the bidders
//! (construction.barred_bidders), and patterns over the whole history: groups of bidders
//! that keep meeting while the win rotates among them, single-bid sections, awards at the
//! ceiling, and disqualifications that clear the way for one bidder.
//!
//! Every step sorts or hashes; nothing compares all bids with all bids, so a scan of n bids
//! costs O(n log n) (sections have few bids; pairs are counted within a section only).

use std::collections::HashMap;

use ggzy_rules::rule_ids;

pub mod synthetic;

/// What a bid shows about who prepared and backed it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BidFacts {
    pub bidder_id: String,
    /// The price in fen.
    pub price_fen: i64,
    /// Fingerprint of the device the bid was prepared on.
    pub device: Option<String>,
    /// Author recorded in the bid document's metadata.
    pub author: Option<String>,
    /// Persons handling the bid for the bidder (authorised agent, contact).
    pub handlers: Vec<String>,
    pub project_manager: Option<String>,
    /// SHA-256 of each document of the bid.
    pub document_hashes: Vec<String>,
    /// The account the bond was paid from (bank and number).
    pub bond_account: Option<String>,
    /// The person who is the bidder's legal representative.
    pub legal_representative: Option<String>,
    /// Participants controlling, or controlled by, the bidder.
    pub related_participants: Vec<String>,
    /// Rejected by the committee (否决投标).
    pub disqualified: bool,
}

/// An opened section with its bids and, once awarded, its winner.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SectionFacts {
    pub section_id: String,
    pub project_id: String,
    pub procurement: bool,
    /// The price ceiling (招标控制价 / budget) in fen, if set.
    pub ceiling_fen: Option<i64>,
    pub winner_id: Option<String>,
    pub bids: Vec<BidFacts>,
}

ggzy_kernel::closed_enum! {
    /// Kinds of finding.
    pub enum Indicator {
        SameDevice = "same_device",
        SameAuthor = "same_author",
        SameHandler = "same_handler",
        SameProjectManager = "same_project_manager",
        IdenticalDocuments = "identical_documents",
        PricePattern = "price_pattern",
        SameBondAccount = "same_bond_account",
        SharedLegalRepresentative = "shared_legal_representative",
        ControlRelation = "control_relation",
        RotatingGroup = "rotating_group",
        SingleBid = "single_bid",
        WinAtCeiling = "win_at_ceiling",
        OthersAllDisqualified = "others_all_disqualified",
        LowestDisqualified = "lowest_disqualified",
    }
}

impl Indicator {
    /// How strongly the finding points at collusion: the law's deemed situations and barred
    /// bidders are high; patterns are signals to look at.
    pub fn severity(self) -> RiskSeverity {
        match self {
            Indicator::SameDevice
            | Indicator::SameAuthor
            | Indicator::SameHandler
            | Indicator::SameProjectManager
            | Indicator::IdenticalDocuments
            | Indicator::SameBondAccount
            | Indicator::SharedLegalRepresentative
            | Indicator::ControlRelation => RiskSeverity::High,
            Indicator::PricePattern | Indicator::RotatingGroup | Indicator::OthersAllDisqualified => {
                RiskSeverity::Medium
            }
            Indicator::SingleBid | Indicator::WinAtCeiling | Indicator::LowestDisqualified => RiskSeverity::Low,
        }
    }

    /// The prohibited-conduct item (管理办法) a confirmed finding breaches: barred bidders
    /// break the law's bar (§24(八)), the rest is collusion (§24(一)).
    pub fn conduct_code(self) -> &'static str {
        match self {
            Indicator::SharedLegalRepresentative | Indicator::ControlRelation => "24.8",
            _ => "24.1",
        }
    }

    fn rule(self, procurement: bool) -> &'static str {
        match self {
            Indicator::SharedLegalRepresentative | Indicator::ControlRelation => rule_ids::CONSTRUCTION_BARRED_BIDDERS,
            _ if procurement => rule_ids::PROCUREMENT_COLLUSION_DEEMED,
            _ => rule_ids::CONSTRUCTION_COLLUSION_DEEMED,
        }
    }
}

ggzy_kernel::closed_enum! {
    /// How strongly a finding points at collusion.
    pub enum RiskSeverity {
        Low = "low",
        Medium = "medium",
        High = "high",
    }
}

/// One finding: an indicator, the sections and bidders it concerns, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskFinding {
    pub indicator: Indicator,
    pub rule_id: &'static str,
    pub severity: RiskSeverity,
    /// Sorted, without repeats.
    pub project_ids: Vec<String>,
    pub section_ids: Vec<String>,
    pub bidders: Vec<String>,
    pub evidence: String,
}

impl RiskFinding {
    /// Stable identity of the finding: a rescan finds the same finding again, not a new one.
    pub fn fingerprint(&self) -> String {
        format!("{}|{}|{}", self.indicator.as_str(), self.section_ids.join(","), self.bidders.join(","))
    }
}

/// Thresholds of the patterns (policy numbers, not law).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RiskPolicy {
    /// Sections two bidders must share, each winning at least one, to form a rotating group.
    pub rotation_min_meetings: usize,
    /// A winning price at or above this share of the ceiling, in basis points, is flagged.
    pub ceiling_basis_points: i64,
}

impl Default for RiskPolicy {
    fn default() -> Self {
        // Within 0.5% of the ceiling: 9,950 basis points.
        RiskPolicy { rotation_min_meetings: 3, ceiling_basis_points: 9_950 }
    }
}

fn sorted_unique(mut items: Vec<String>) -> Vec<String> {
    items.sort();
    items.dedup();
    items
}

fn finding(section: &SectionFacts, indicator: Indicator, bidders: Vec<String>, evidence: String) -> RiskFinding {
    RiskFinding {
        indicator,
        rule_id: indicator.rule(section.procurement),
        severity: indicator.severity(),
        project_ids: vec![section.project_id.clone()],
        section_ids: vec![section.section_id.clone()],
        bidders: sorted_unique(bidders),
        evidence,
    }
}

/// Groups bids sharing a value of `key`; one finding per value shared by two or more bidders.
fn shared<'a>(
    section: &'a SectionFacts,
    indicator: Indicator,
    what: &str,
    keys: impl Fn(&'a BidFacts) -> Vec<&'a str>,
    out: &mut Vec<RiskFinding>,
) {
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for bid in &section.bids {
        for key in keys(bid) {
            if !key.is_empty() {
                pairs.push((key, bid.bidder_id.as_str()));
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    let mut start = 0;
    while start < pairs.len() {
        let mut end = start + 1;
        while end < pairs.len() && pairs[end].0 == pairs[start].0 {
            end += 1;
        }
        if end - start >= 2 {
            let bidders: Vec<String> = pairs[start..end].iter().map(|(_, b)| (*b).to_owned()).collect();
            out.push(finding(section, indicator, bidders, format!("{what}相同：{}", pairs[start].0)));
        }
        start = end;
    }
}

/// Identical prices, or three or more prices in constant difference or constant ratio.
fn price_patterns(section: &SectionFacts, out: &mut Vec<RiskFinding>) {
    let mut prices: Vec<(i64, &str)> =
        section.bids.iter().filter(|b| b.price_fen > 0).map(|b| (b.price_fen, b.bidder_id.as_str())).collect();
    prices.sort_unstable();
    // Identical prices.
    let mut start = 0;
    while start < prices.len() {
        let mut end = start + 1;
        while end < prices.len() && prices[end].0 == prices[start].0 {
            end += 1;
        }
        if end - start >= 2 {
            let bidders = prices[start..end].iter().map(|(_, b)| (*b).to_owned()).collect();
            out.push(finding(
                section,
                Indicator::PricePattern,
                bidders,
                format!("报价完全相同：{} 分", prices[start].0),
            ));
        }
        start = end;
    }
    let mut distinct: Vec<(i64, &str)> = prices.clone();
    distinct.dedup_by_key(|(p, _)| *p);
    // Three-term progressions among the distinct prices: for each pair (i, j) the third
    // term is looked up by binary search; sections hold few bids, so this stays linear in
    // the number of sections. Longer runs are reported once, from their first pair.
    let values: Vec<i64> = distinct.iter().map(|(p, _)| *p).collect();
    let limit = values.len().min(64);
    let mut reported: Vec<Vec<usize>> = Vec::new();
    for i in 0..limit {
        for j in (i + 1)..limit {
            let (a, b) = (values[i], values[j]);
            let difference = b - a;
            for (kind, next) in [
                ("等差", Some(b + difference)),
                ("等比", (b as i128 * b as i128 % a as i128 == 0).then(|| (b as i128 * b as i128 / a as i128) as i64)),
            ] {
                let Some(mut next) = next else { continue };
                let mut run = vec![i, j];
                let mut previous = b;
                while let Ok(k) = values.binary_search(&next) {
                    run.push(k);
                    let step = if kind == "等差" {
                        next + difference
                    } else {
                        let square = next as i128 * next as i128;
                        if square % previous as i128 != 0 {
                            break;
                        }
                        (square / previous as i128) as i64
                    };
                    previous = next;
                    next = step;
                }
                if run.len() >= 3 && !reported.iter().any(|r| run.iter().all(|x| r.contains(x))) {
                    let bidders = run.iter().map(|&k| distinct[k].1.to_owned()).collect();
                    let listed: Vec<String> = run.iter().map(|&k| values[k].to_string()).collect();
                    out.push(finding(
                        section,
                        Indicator::PricePattern,
                        bidders,
                        format!("报价呈{kind}规律：{} 分", listed.join("、")),
                    ));
                    reported.push(run);
                }
            }
        }
    }
}

/// Indicators within one section.
pub fn scan_section(section: &SectionFacts, policy: &RiskPolicy) -> Vec<RiskFinding> {
    let mut out = Vec::new();
    shared(section, Indicator::SameDevice, "编制设备", |b| b.device.as_deref().into_iter().collect(), &mut out);
    shared(section, Indicator::SameAuthor, "文件作者", |b| b.author.as_deref().into_iter().collect(), &mut out);
    shared(
        section,
        Indicator::SameHandler,
        "投标经办人",
        |b| b.handlers.iter().map(String::as_str).collect(),
        &mut out,
    );
    shared(
        section,
        Indicator::SameProjectManager,
        "项目经理",
        |b| b.project_manager.as_deref().into_iter().collect(),
        &mut out,
    );
    shared(
        section,
        Indicator::IdenticalDocuments,
        "投标文件",
        |b| b.document_hashes.iter().map(String::as_str).collect(),
        &mut out,
    );
    shared(
        section,
        Indicator::SameBondAccount,
        "保证金转出账户",
        |b| b.bond_account.as_deref().into_iter().collect(),
        &mut out,
    );
    shared(
        section,
        Indicator::SharedLegalRepresentative,
        "单位负责人",
        |b| b.legal_representative.as_deref().into_iter().collect(),
        &mut out,
    );
    price_patterns(section, &mut out);
    // Control: a bidder related to another bidder of the same section.
    for bid in &section.bids {
        for related in &bid.related_participants {
            if bid.bidder_id < *related && section.bids.iter().any(|other| other.bidder_id == *related) {
                out.push(finding(
                    section,
                    Indicator::ControlRelation,
                    vec![bid.bidder_id.clone(), related.clone()],
                    "存在控股或管理关系的单位参加同一标段投标".into(),
                ));
            }
        }
    }
    outcome_patterns(section, policy, &mut out);
    out
}

/// Signals from the section's outcome: a single bid, an award at the ceiling, and
/// disqualifications that leave one bidder standing or remove the lowest price.
fn outcome_patterns(section: &SectionFacts, policy: &RiskPolicy, out: &mut Vec<RiskFinding>) {
    let bidders = || section.bids.iter().map(|b| b.bidder_id.clone()).collect::<Vec<_>>();
    if section.bids.len() == 1 {
        out.push(finding(section, Indicator::SingleBid, bidders(), "仅一家投标".into()));
    }
    let winner = section.winner_id.as_ref().and_then(|w| section.bids.iter().find(|b| &b.bidder_id == w));
    if let (Some(winner), Some(ceiling)) = (winner, section.ceiling_fen) {
        if ceiling > 0
            && i128::from(winner.price_fen) * 10_000 >= i128::from(ceiling) * i128::from(policy.ceiling_basis_points)
        {
            out.push(finding(
                section,
                Indicator::WinAtCeiling,
                vec![winner.bidder_id.clone()],
                format!("中标价 {} 分，最高限价 {} 分", winner.price_fen, ceiling),
            ));
        }
    }
    if let Some(winner) = winner {
        let others: Vec<&BidFacts> = section.bids.iter().filter(|b| b.bidder_id != winner.bidder_id).collect();
        if others.len() >= 2 && others.iter().all(|b| b.disqualified) {
            out.push(finding(section, Indicator::OthersAllDisqualified, bidders(), "除中标人外的投标均被否决".into()));
        }
    }
    if section.bids.len() >= 2 {
        if let Some(lowest) = section.bids.iter().filter(|b| b.price_fen > 0).min_by_key(|b| b.price_fen) {
            if lowest.disqualified {
                out.push(finding(
                    section,
                    Indicator::LowestDisqualified,
                    vec![lowest.bidder_id.clone()],
                    format!("最低报价 {} 分被否决", lowest.price_fen),
                ));
            }
        }
    }
}

/// Groups of bidders that keep meeting while the win rotates among them (陪标).
pub fn rotating_groups(sections: &[SectionFacts], policy: &RiskPolicy) -> Vec<RiskFinding> {
    // Intern bidder ids so the pair table holds integers.
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let mut names: Vec<&str> = Vec::new();
    #[derive(Default, Clone, Copy)]
    struct Meetings {
        count: u32,
        wins_low: u32,
        wins_high: u32,
    }
    // Members of each awarded section as interned ids, sorted; the winner's id.
    let mut members_of: Vec<(usize, Vec<u32>, Option<u32>)> = Vec::new();
    for (index, section) in sections.iter().enumerate() {
        let Some(winner) = &section.winner_id else { continue };
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
        members_of.push((index, members, ids.get(winner.as_str()).copied()));
    }
    // First pass: how often each pair meets and who wins; counts only, no lists.
    let mut pairs: HashMap<(u32, u32), Meetings> = HashMap::new();
    for (_, members, winner) in &members_of {
        for (x, &low) in members.iter().enumerate() {
            for &high in &members[x + 1..] {
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
    pairs.retain(|_, m| m.count as usize >= policy.rotation_min_meetings && m.wins_low > 0 && m.wins_high > 0);
    // Second pass: the sections of the few pairs that rotate.
    let mut met_in: HashMap<(u32, u32), Vec<u32>> = pairs.keys().map(|&pair| (pair, Vec::new())).collect();
    if !met_in.is_empty() {
        for (index, members, _) in &members_of {
            for (x, &low) in members.iter().enumerate() {
                for &high in &members[x + 1..] {
                    if let Some(list) = met_in.get_mut(&(low, high)) {
                        list.push(*index as u32);
                    }
                }
            }
        }
    }
    // Pairs that meet often with the win going both ways, joined into groups.
    let mut parent: Vec<u32> = (0..names.len() as u32).collect();
    fn root(parent: &mut [u32], mut x: u32) -> u32 {
        while parent[x as usize] != x {
            parent[x as usize] = parent[parent[x as usize] as usize];
            x = parent[x as usize];
        }
        x
    }
    let mut rotating: Vec<((u32, u32), Vec<u32>)> = met_in.into_iter().collect();
    rotating.sort_unstable();
    for ((a, b), _) in &rotating {
        let (ra, rb) = (root(&mut parent, *a), root(&mut parent, *b));
        if ra != rb {
            parent[ra.max(rb) as usize] = ra.min(rb);
        }
    }
    let mut groups: HashMap<u32, (Vec<u32>, Vec<u32>)> = HashMap::new();
    for ((a, b), meetings) in rotating {
        let group = groups.entry(root(&mut parent, a)).or_default();
        group.0.extend([a, b]);
        group.1.extend(meetings);
    }
    let mut out: Vec<RiskFinding> = groups
        .into_values()
        .map(|(members, mut meetings)| {
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
                    "{} 家投标人在 {} 个标段相遇，中标在其中 {} 家之间轮换",
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

/// Every finding over a history of sections: each section's indicators and the rotating
/// groups across them.
pub fn scan_history(sections: &[SectionFacts], policy: &RiskPolicy) -> Vec<RiskFinding> {
    let mut out: Vec<RiskFinding> = sections.iter().flat_map(|s| scan_section(s, policy)).collect();
    out.extend(rotating_groups(sections, policy));
    out
}
