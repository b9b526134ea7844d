//! Collusion risk detection (围标串标 monitoring, 细则 §37, 管理办法 §39): indicators over
//! the bids of each opened section, each citing the rule that deems the situation collusion
//! (construction.collusion.deemed, procurement.collusion.deemed) or bars the bidders
//! (construction.barred_bidders), and patterns over the whole history: groups of bidders
//! that keep meeting while the win rotates among them, single-bid sections, awards at the
//! ceiling, and disqualifications that clear the way for one bidder.
//!
//! Every step sorts or hashes; nothing compares all bids with all bids, so a scan of n bids
//! costs O(n log n) (sections have few bids; pairs are counted within a section only).

use ggzy_rules::rule_ids;

pub mod account;
pub mod grouping;
pub mod handling;
pub mod price;
pub mod rotation;
pub mod synthetic;
pub mod ties;

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
    /// Persons acting for the bidder in this bid, with the part each plays.
    pub handlers: Vec<Handler>,
    pub project_manager: Option<String>,
    /// SHA-256 of each document of the bid.
    pub document_hashes: Vec<String>,
    /// The account the bond was paid from, as `account::account_key` writes it.
    pub bond_account: Option<String>,
    /// The bidder declared that account its basic account (基本账户).
    pub bond_account_basic: bool,
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
    /// The trade the section belongs to (category and sector): firms choose their sections
    /// within their trades, so meetings are weighed in the trades a firm bids in.
    pub segment: String,
    pub procurement: bool,
    /// The price ceiling (招标控制价 / budget) in fen, if set.
    pub ceiling_fen: Option<i64>,
    pub winner_id: Option<String>,
    pub bids: Vec<BidFacts>,
}

ggzy_kernel::closed_enum! {
    /// The part a person plays for a bidder.
    pub enum HandlerRole {
        /// 联系人
        Contact = "contact",
        /// 委托代理人 (entrusted, staff or not)
        Agent = "agent",
        /// 项目负责人
        Manager = "manager",
        /// A relation to the bidder declared for the person (人员关联关系)
        Declared = "declared",
    }
}

impl HandlerRole {
    fn label(self) -> &'static str {
        match self {
            HandlerRole::Contact => "联系人",
            HandlerRole::Agent => "委托代理人",
            HandlerRole::Manager => "项目负责人",
            HandlerRole::Declared => "申报的关联人员",
        }
    }
}

/// A person acting for a bidder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handler {
    pub person: String,
    pub role: HandlerRole,
}

/// Everyone acting for a bidder in a bid: its contact and its agent (staff or entrusted)
/// as the bid names them, and the persons declared related to it (which count only beside
/// an act for another bidder of the section).
pub fn handlers_of(contact: Option<&str>, agent: Option<&str>, declared: Vec<String>) -> Vec<Handler> {
    let named = [(contact, HandlerRole::Contact), (agent, HandlerRole::Agent)];
    named
        .into_iter()
        .filter_map(|(person, role)| person.map(|person| Handler { person: person.to_owned(), role }))
        .chain(declared.into_iter().map(|person| Handler { person, role: HandlerRole::Declared }))
        .collect()
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
        /// One basic account (基本账户) declared by different firms: a firm has only one,
        /// so firms sharing it are one.
        SharedBasicAccount = "shared_basic_account",
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
            | Indicator::ControlRelation
            | Indicator::SharedBasicAccount => RiskSeverity::High,
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

    /// Findings that gather several sections (a group's identity is its bidders).
    pub fn spans_sections(self) -> bool {
        matches!(self, Indicator::RotatingGroup | Indicator::SharedBasicAccount)
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

/// Thresholds of the patterns (policy numbers, not law; the rule set's `risk` numbers).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RiskPolicy {
    /// Sections two bidders must share, each winning at least one, to be weighed as a
    /// rotating pair.
    pub rotation_min_meetings: usize,
    /// The largest chance, for independent bidders, of a rotating pattern reported.
    pub rotation_max_chance: f64,
    /// The largest chance, among a section's independent prices, of a price pattern reported.
    pub price_max_chance: f64,
    /// A winning price at or above this share of the ceiling, in basis points, is flagged.
    pub ceiling_basis_points: i64,
}

impl From<&ggzy_rules::RiskNumbers> for RiskPolicy {
    fn from(numbers: &ggzy_rules::RiskNumbers) -> RiskPolicy {
        RiskPolicy {
            rotation_min_meetings: numbers.rotation_min_meetings as usize,
            rotation_max_chance: f64::from(numbers.rotation_max_chance_ppm) / 1e6,
            price_max_chance: f64::from(numbers.price_max_chance_ppm) / 1e6,
            ceiling_basis_points: i64::from(numbers.ceiling_basis_points),
        }
    }
}

impl RiskPolicy {
    /// The thresholds of the rule set in force on `today`; the seed's before any.
    pub fn in_force(book: &ggzy_rules::RuleBook, today: chrono::NaiveDate) -> RiskPolicy {
        book.in_force(today).map(|set| RiskPolicy::from(&set.risk)).unwrap_or_default()
    }
}

impl Default for RiskPolicy {
    fn default() -> Self {
        RiskPolicy::from(&ggzy_rules::RiskNumbers::seed())
    }
}

pub(crate) fn sorted_unique(mut items: Vec<String>) -> Vec<String> {
    items.sort();
    items.dedup();
    items
}

pub(crate) fn finding(
    section: &SectionFacts,
    indicator: Indicator,
    bidders: Vec<String>,
    evidence: String,
) -> RiskFinding {
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

/// One person acting for several bidders of the section (条例 §40(二), 87号令 §37(三)):
/// as contact, entrusted agent or project manager in any mix, or acting for one bidder
/// while declared related to another. Managers shared with managers only are
/// `SameProjectManager`'s; relations declared to two bidders with no act are no finding.
fn acting_persons(section: &SectionFacts, out: &mut Vec<RiskFinding>) {
    let mut acts: Vec<(&str, &str, HandlerRole)> = Vec::new();
    for bid in &section.bids {
        let manager = bid.project_manager.as_deref().map(|m| (m, HandlerRole::Manager));
        for (person, role) in bid.handlers.iter().map(|h| (h.person.as_str(), h.role)).chain(manager) {
            if !person.is_empty() {
                acts.push((person, bid.bidder_id.as_str(), role));
            }
        }
    }
    acts.sort_unstable();
    acts.dedup();
    for group in acts.chunk_by(|a, b| a.0 == b.0) {
        let bidders = sorted_unique(group.iter().map(|(_, b, _)| (*b).to_owned()).collect());
        let managers_only = group.iter().all(|(_, _, role)| *role == HandlerRole::Manager);
        // A declared relation is a tie, not an act: two ties alone are no finding.
        let acts = group.iter().any(|(_, _, role)| *role != HandlerRole::Declared);
        if bidders.len() < 2 || managers_only || !acts {
            continue;
        }
        let parts: Vec<String> = group.iter().map(|(_, b, role)| format!("{b}（{}）", role.label())).collect();
        out.push(finding(
            section,
            Indicator::SameHandler,
            bidders,
            format!("同一人员（{}）为多个投标人办理投标事宜：{}", group[0].0, parts.join("、")),
        ));
    }
}

/// Indicators within one section.
pub fn scan_section(section: &SectionFacts, policy: &RiskPolicy) -> Vec<RiskFinding> {
    let mut out = Vec::new();
    shared(section, Indicator::SameDevice, "编制设备", |b| b.device.as_deref().into_iter().collect(), &mut out);
    shared(section, Indicator::SameAuthor, "文件作者", |b| b.author.as_deref().into_iter().collect(), &mut out);
    acting_persons(section, &mut out);
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
    price::price_patterns(section, policy.price_max_chance, &mut out);
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

/// Firms that each declared one account their basic account (基本账户), across sections:
/// within one section the shared account is `SameBondAccount`'s. Sections still sealed
/// must not be in `sections` (who bid there is secret).
pub fn shared_basic_accounts(sections: &[SectionFacts]) -> Vec<RiskFinding> {
    let mut declared: Vec<(&str, &str, usize)> = Vec::new();
    for (index, section) in sections.iter().enumerate() {
        for bid in &section.bids {
            if let (true, Some(account)) = (bid.bond_account_basic, bid.bond_account.as_deref()) {
                declared.push((account, bid.bidder_id.as_str(), index));
            }
        }
    }
    declared.sort_unstable();
    declared.dedup();
    let mut out = Vec::new();
    for group in declared.chunk_by(|a, b| a.0 == b.0) {
        let bidders = sorted_unique(group.iter().map(|(_, b, _)| (*b).to_owned()).collect());
        let mut indices: Vec<usize> = group.iter().map(|(_, _, i)| *i).collect();
        indices.sort_unstable();
        indices.dedup();
        if bidders.len() < 2 || indices.len() < 2 {
            continue;
        }
        let met: Vec<&SectionFacts> = indices.iter().map(|&i| &sections[i]).collect();
        let procurement = met.iter().all(|s| s.procurement);
        out.push(RiskFinding {
            indicator: Indicator::SharedBasicAccount,
            rule_id: Indicator::SharedBasicAccount.rule(procurement),
            severity: Indicator::SharedBasicAccount.severity(),
            project_ids: sorted_unique(met.iter().map(|s| s.project_id.clone()).collect()),
            section_ids: sorted_unique(met.iter().map(|s| s.section_id.clone()).collect()),
            evidence: format!(
                "{} 家单位将同一账户（{}）申报为各自的基本账户，见于 {} 个标段",
                bidders.len(),
                group[0].0,
                met.len()
            ),
            bidders,
        });
    }
    out
}

/// Every finding over a history of sections: each section's indicators, and across them
/// rotating groups (in the market of these very sections) and shared basic accounts.
pub fn scan_history(sections: &[SectionFacts], policy: &RiskPolicy) -> Vec<RiskFinding> {
    let mut out: Vec<RiskFinding> = sections.iter().flat_map(|s| scan_section(s, policy)).collect();
    out.extend(rotation::rotating_groups(
        sections,
        &rotation::Market::of(sections),
        None,
        policy.rotation_min_meetings,
        policy.rotation_max_chance,
    ));
    out.extend(shared_basic_accounts(sections));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bid(bidder: &str, handlers: &[(&str, HandlerRole)], manager: &str) -> BidFacts {
        BidFacts {
            bidder_id: bidder.into(),
            price_fen: 1,
            handlers: handlers.iter().map(|(p, role)| Handler { person: (*p).into(), role: *role }).collect(),
            project_manager: Some(manager.into()),
            ..BidFacts::default()
        }
    }

    fn handlers_found(bids: Vec<BidFacts>) -> Vec<Vec<String>> {
        let section = SectionFacts { section_id: "s".into(), project_id: "p".into(), bids, ..SectionFacts::default() };
        let mut out = Vec::new();
        acting_persons(&section, &mut out);
        out.into_iter().map(|f| f.bidders).collect()
    }

    #[test]
    fn a_bids_handlers_are_its_contact_agent_and_declared_persons() {
        use HandlerRole::*;
        let handler = |person: &str, role| Handler { person: person.into(), role };
        assert_eq!(
            handlers_of(Some("c"), Some("a"), vec!["d1".into(), "d2".into()]),
            vec![handler("c", Contact), handler("a", Agent), handler("d1", Declared), handler("d2", Declared)]
        );
        assert_eq!(handlers_of(None, Some("a"), vec![]), vec![handler("a", Agent)]);
        // One person both contact and agent acts twice.
        assert_eq!(handlers_of(Some("p"), Some("p"), vec![]), vec![handler("p", Contact), handler("p", Agent)]);
        assert!(handlers_of(None, None, vec![]).is_empty());
    }

    #[test]
    fn the_policy_in_force_is_the_latest_effective_rule_sets_else_the_seeds() {
        let seed = ggzy_rules::RuleSet::seed();
        let from = seed.effective_from;
        let mut later = ggzy_rules::RuleSet::seed();
        later.version = seed.version + 1;
        later.effective_from = from + chrono::Days::new(10);
        later.risk.ceiling_basis_points = 9_000;
        let book = ggzy_rules::RuleBook::new(vec![seed, later]).unwrap();
        let before = from - chrono::Days::new(1);
        assert_eq!(RiskPolicy::in_force(&book, before), RiskPolicy::default());
        assert_eq!(
            RiskPolicy::in_force(&book, from + chrono::Days::new(9)).ceiling_basis_points,
            RiskPolicy::default().ceiling_basis_points
        );
        assert_eq!(RiskPolicy::in_force(&book, from + chrono::Days::new(10)).ceiling_basis_points, 9_000);
    }

    #[test]
    fn the_market_counts_bids_per_section_and_sections_per_trade() {
        let market = rotation::Market::of_counts(
            vec![3, 5, -1],
            vec![
                ("construction".into(), "building".into(), Some("r".into()), 2),
                ("procurement".into(), "goods".into(), None, 1),
            ],
        );
        assert_eq!(market.bids_per_section, vec![3, 5, 0]);
        assert_eq!(market.sections_per_segment.get("construction/building/r"), Some(&2));
        assert_eq!(market.sections_per_segment.get("procurement/goods/-"), Some(&1));
    }

    #[test]
    fn one_person_acting_for_two_bidders_in_any_part_is_found() {
        use HandlerRole::*;
        // Entrusted agent of one, contact of the other.
        assert_eq!(handlers_found(vec![bid("a", &[("p", Agent)], "m1"), bid("b", &[("p", Contact)], "m2")]).len(), 1);
        // Manager of one, declared related to the other.
        assert_eq!(handlers_found(vec![bid("a", &[], "p"), bid("b", &[("p", Declared)], "m2")]).len(), 1);
        // Declared related to both, acting for neither: a tie, not an act.
        assert!(handlers_found(vec![bid("a", &[("p", Declared)], "m1"), bid("b", &[("p", Declared)], "m2")]).is_empty());
        // One manager of both: same_project_manager's finding, not this one.
        assert!(handlers_found(vec![bid("a", &[], "p"), bid("b", &[], "p")]).is_empty());
        // One bidder's own people: nothing.
        assert!(handlers_found(vec![bid("a", &[("p", Contact), ("p", Agent)], "p")]).is_empty());
    }
}
