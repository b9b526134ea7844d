//! A tender announcement (招标公告) and its corrections (更正公告): the requests, read and
//! checked against the project's rule set on the platform's calendar — the bidding period
//! (construction.bidding_period, procurement.bidding_period), each section's bond within
//! its cap (construction.bond.cap, procurement.bond.cap), the opening not before the
//! deadline, bidder sealing and its decryption window (tendering.bidder_sealing,
//! tendering.decryption_window), and a correction that affects the preparation of bids
//! no later than the clarification limit (construction.clarification,
//! procurement.clarification). What the announcement publishes is decided here; the caller
//! loads the project, its sections and which documents are stored, and writes the result
//! as [`publication`] says.

use chrono::{DateTime, Utc};
use ggzy_kernel::validation::read;
use ggzy_kernel::{local_date, Answer, AuditAction, FieldError, Money, WorkingCalendar};
use ggzy_rules::{rule_ids, Category, DeadlineError, RuleSet};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::lifecycle::{AnnouncementKind, BidSealing};

/// A tender document, recorded by its hash.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TenderDocument {
    #[schema(required = true, value_type = String, example = "招标文件")]
    pub title: Option<String>,
    #[schema(required = true, value_type = String)]
    pub sha256: Option<String>,
}

/// The bond of one section.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionBond {
    #[schema(required = true, value_type = String, format = Uuid)]
    pub section_id: Option<String>,
    /// Bid bond, decimal yuan; at most the category's cap of the section's estimate.
    #[schema(required = true, value_type = String, example = "12000.00")]
    pub bond_amount: Option<String>,
}

/// Publishing a tender announcement for a registered project.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishAnnouncement {
    /// When the tender documents are first issued (default: now).
    pub documents_issued_at: Option<DateTime<Utc>>,
    #[schema(required = true, value_type = DateTime<Utc>)]
    pub bid_deadline: Option<DateTime<Utc>>,
    /// Bid opening; not before the deadline (default: the deadline).
    pub opening_at: Option<DateTime<Utc>>,
    #[schema(required = true, value_type = String, example = "密云区公共资源交易中心开标一室")]
    pub opening_place: Option<String>,
    #[schema(required = true)]
    pub documents: Option<Vec<TenderDocument>>,
    /// Every section of the project with its bond.
    #[schema(required = true)]
    pub sections: Option<Vec<SectionBond>>,
    /// `bidder`, the only value taken and the default: the bidders seal their bids
    /// themselves and decrypt them at the opening (tendering.bidder_sealing). `platform` is
    /// refused: only sections announced before bidder sealing keep the platform's sealing.
    pub bid_sealing: Option<BidSealing>,
    /// Minutes of the decryption window at the opening (tendering.decryption_window: the
    /// rule set's default, 30, within its limits, 15–120).
    #[serde(default, deserialize_with = "ggzy_kernel::validation::whole_number")]
    #[schema(value_type = Option<u32>, minimum = 1)]
    pub decryption_window_minutes: Option<u32>,
}

/// A correction (更正公告): the fields that change.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishCorrection {
    /// Whether the change affects the preparation of bids (construction.clarification,
    /// procurement.clarification).
    #[schema(required = true, value_type = bool)]
    pub affects_preparation: Option<bool>,
    pub bid_deadline: Option<DateTime<Utc>>,
    pub opening_at: Option<DateTime<Utc>>,
    pub opening_place: Option<String>,
    pub documents: Option<Vec<TenderDocument>>,
    pub sections: Option<Vec<SectionBond>>,
    /// What changed and why.
    #[schema(required = true, value_type = String)]
    pub summary: Option<String>,
}

/// The terms of a section as announced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AnnouncedSection {
    pub section_id: String,
    pub section_code: String,
    pub name: String,
    pub estimated_amount: Money,
    pub bond_amount: Money,
}

/// An announcement as published. `content_hash` is the sha256 of the canonical JSON of
/// everything above it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AnnouncementContent {
    pub project_id: String,
    pub project_code: String,
    pub project_name: String,
    pub category: Category,
    /// tender, listing (挂牌出让/转让公告) or correction.
    pub kind: AnnouncementKind,
    pub supersedes: Option<String>,
    pub summary: Option<String>,
    pub documents_issued_at: DateTime<Utc>,
    pub bid_deadline: DateTime<Utc>,
    pub opening_at: DateTime<Utc>,
    pub opening_place: String,
    pub documents: Vec<TenderDocument>,
    pub sections: Vec<AnnouncedSection>,
    /// The rules the announcement was checked against.
    pub rule_set_version: i32,
    /// Present when the bidders seal their bids themselves: the minutes of the decryption
    /// window at the opening (tendering.bidder_sealing, tendering.decryption_window).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decryption_window_minutes: Option<u32>,
}

/// The project an announcement is for, as registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnouncedProject {
    pub id: String,
    pub code: String,
    pub name: String,
    pub category: Category,
    pub rule_set_version: i32,
}

/// A section of the project, as registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredSection {
    pub id: String,
    pub code: String,
    pub name: String,
    pub estimated_amount: Money,
}

/// What an announcement is checked against, loaded by the caller.
#[derive(Debug, Clone, Copy)]
pub struct AnnouncementFacts<'a> {
    pub project: &'a AnnouncedProject,
    pub sections: &'a [RegisteredSection],
    pub rule_set: &'a RuleSet,
    pub calendar: &'a WorkingCalendar,
    /// The hashes of the request's documents that no upload has.
    pub unknown_documents: &'a [String],
    pub now: DateTime<Utc>,
}

/// What an announcement is checked against that the store holds, as read: the project, its
/// sections, and which of the request's documents no upload has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnouncementReads {
    pub project: AnnouncedProject,
    pub sections: Vec<RegisteredSection>,
    pub unknown_documents: Vec<String>,
}

impl AnnouncementReads {
    /// The facts of these reads under a rule set and calendar at `now`.
    pub fn facts<'a>(
        &'a self,
        rule_set: &'a RuleSet,
        calendar: &'a WorkingCalendar,
        now: DateTime<Utc>,
    ) -> AnnouncementFacts<'a> {
        AnnouncementFacts {
            project: &self.project,
            sections: &self.sections,
            rule_set,
            calendar,
            unknown_documents: &self.unknown_documents,
            now,
        }
    }
}

/// Why an announcement or a correction is not published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnnouncementRefusal {
    /// Land, mining rights and state property trade by listing and auction, not by tender.
    NotTendered,
    /// A correction after the bid deadline.
    DeadlinePassed,
    /// A time limit could not be counted (its rule, or an unloaded year of the calendar).
    Deadline(DeadlineError),
    /// The request's problems, every one.
    Invalid(Vec<FieldError>),
}

impl AnnouncementRefusal {
    /// The conflicts' detail.
    pub fn detail(&self) -> &'static str {
        match self {
            AnnouncementRefusal::NotTendered => "土地、矿业权和国有产权项目以挂牌、拍卖方式交易，不发布招标公告",
            AnnouncementRefusal::DeadlinePassed => "投标截止时间已过，不能再发布更正公告",
            AnnouncementRefusal::Deadline(_) | AnnouncementRefusal::Invalid(_) => "",
        }
    }

    /// A tender of what is listed and a correction too late are conflicts; a deadline not
    /// counted is its own answer; the request's problems are invalid input.
    pub fn answer(self) -> Answer {
        match self {
            AnnouncementRefusal::NotTendered | AnnouncementRefusal::DeadlinePassed => {
                Answer::Conflict(self.detail().into())
            }
            AnnouncementRefusal::Deadline(error) => Answer::from(error),
            AnnouncementRefusal::Invalid(problems) => Answer::Invalid(problems),
        }
    }
}

/// The bidding period and clarification rules of a tendered category.
pub fn tender_rules(category: Category) -> Result<(&'static str, &'static str), AnnouncementRefusal> {
    match category {
        Category::Construction | Category::Other => {
            Ok((rule_ids::CONSTRUCTION_BIDDING_PERIOD, rule_ids::CONSTRUCTION_CLARIFICATION))
        }
        Category::Procurement => Ok((rule_ids::PROCUREMENT_BIDDING_PERIOD, rule_ids::PROCUREMENT_CLARIFICATION)),
        Category::LandMining | Category::StateProperty => Err(AnnouncementRefusal::NotTendered),
    }
}

/// Reads a list of documents: at least one, each with a title and a sha256.
pub fn read_documents(problems: &mut Vec<FieldError>, list: Vec<TenderDocument>) -> Vec<TenderDocument> {
    if list.is_empty() {
        problems.push(FieldError::new("documents", "empty", "须提供招标文件"));
    }
    list.into_iter()
        .enumerate()
        .map(|(index, document)| {
            let field = format!("documents[{index}]");
            let title = read::required_text(problems, &format!("{field}.title"), document.title, 200);
            let sha256 = read::required(problems, &format!("{field}.sha256"), document.sha256).filter(|s| {
                let ok = read::is_sha256(s);
                if !ok {
                    problems.push(FieldError::new(
                        format!("{field}.sha256"),
                        "invalid_sha256",
                        "须为 64 位小写十六进制 sha256 摘要",
                    ));
                }
                ok
            });
            TenderDocument { title, sha256 }
        })
        .collect()
}

/// The sha256 texts a request's documents name, to ask which are stored.
pub fn named_hashes(documents: Option<&[TenderDocument]>) -> Vec<String> {
    documents.unwrap_or_default().iter().filter_map(|d| d.sha256.clone()).filter(|h| read::is_sha256(h)).collect()
}

/// Names each document no upload has.
pub(crate) fn check_stored(problems: &mut Vec<FieldError>, documents: &[TenderDocument], unknown: &[String]) {
    for (index, document) in documents.iter().enumerate() {
        if document.sha256.as_ref().is_some_and(|h| unknown.contains(h)) {
            problems.push(FieldError::new(
                format!("documents[{index}].sha256"),
                "document_not_stored",
                "平台上没有此摘要的文件：请先上传文件（POST /api/v1/documents）",
            ));
        }
    }
}

/// The sections asked for, each of the project, once, with a bond within the cap
/// (construction.bond.cap, procurement.bond.cap); all of them when `require_all`.
fn announced_sections(
    problems: &mut Vec<FieldError>,
    facts: &AnnouncementFacts<'_>,
    requested: Vec<SectionBond>,
    require_all: bool,
) -> Vec<AnnouncedSection> {
    let cap = facts.rule_set.bond_cap(facts.project.category);
    let mut announced: Vec<AnnouncedSection> = Vec::new();
    for (index, entry) in requested.into_iter().enumerate() {
        let field = format!("sections[{index}]");
        let section_id = read::required(problems, &format!("{field}.section_id"), entry.section_id);
        let bond = read::required(problems, &format!("{field}.bond_amount"), entry.bond_amount).and_then(|a| {
            Money::parse(&a).map_err(|e| problems.push(e.to_field_error(format!("{field}.bond_amount")))).ok()
        });
        let Some(section) = section_id.and_then(|id| facts.sections.iter().find(|s| s.id == id)) else {
            problems.push(FieldError::new(format!("{field}.section_id"), "unknown_section", "不是本项目的标段（包）"));
            continue;
        };
        if announced.iter().any(|a| a.section_id == section.id) {
            problems.push(FieldError::new(format!("{field}.section_id"), "duplicate", "标段（包）重复"));
            continue;
        }
        let Some(bond) = bond else { continue };
        if let Some(cap) = cap {
            let max = cap.max_amount(section.estimated_amount);
            if bond > max {
                problems.push(FieldError::new(
                    format!("{field}.bond_amount"),
                    "exceeds_bond_cap",
                    format!(
                        "投标保证金不得超过估算价的 {}.{:02}%（{}），上限为 {max} 元",
                        cap.basis_points / 100,
                        cap.basis_points % 100,
                        cap.rule_id
                    ),
                ));
            }
        }
        announced.push(AnnouncedSection {
            section_id: section.id.clone(),
            section_code: section.code.clone(),
            name: section.name.clone(),
            estimated_amount: section.estimated_amount,
            bond_amount: bond,
        });
    }
    if require_all && problems.is_empty() && announced.len() != facts.sections.len() {
        problems.push(FieldError::new("sections", "incomplete", "须列出本项目的全部标段（包）及其保证金"));
    }
    announced
}

/// The tender announcement of a registered project, or every problem of the request.
pub fn announce(
    request: PublishAnnouncement,
    facts: &AnnouncementFacts<'_>,
) -> Result<AnnouncementContent, AnnouncementRefusal> {
    let (period_rule, _) = tender_rules(facts.project.category)?;
    let rule_set = facts.rule_set;
    let mut problems = Vec::new();
    let issued_at = request.documents_issued_at.unwrap_or(facts.now);
    let bid_deadline = read::required(&mut problems, "bid_deadline", request.bid_deadline);
    let opening_at = request.opening_at.or(bid_deadline);
    let place = read::required_text(&mut problems, "opening_place", request.opening_place, 200);
    let documents = read::required(&mut problems, "documents", request.documents)
        .map(|list| read_documents(&mut problems, list))
        .unwrap_or_default();
    check_stored(&mut problems, &documents, facts.unknown_documents);
    let sections = match read::required(&mut problems, "sections", request.sections) {
        Some(list) => announced_sections(&mut problems, facts, list, true),
        None => Vec::new(),
    };
    if let (Some(deadline), Some(opening)) = (bid_deadline, opening_at) {
        if opening < deadline {
            problems.push(FieldError::new("opening_at", "before_deadline", "开标时间不得早于投标截止时间"));
        }
        if deadline <= facts.now {
            problems.push(FieldError::new("bid_deadline", "in_past", "投标截止时间须晚于当前时间"));
        }
        let period = rule_set.due(period_rule, issued_at, facts.calendar).map_err(AnnouncementRefusal::Deadline)?;
        if !period.permits_closing_on(local_date(deadline)) {
            problems.push(FieldError::new(
                "bid_deadline",
                "bidding_period_too_short",
                format!(
                    "自招标文件发出之日起至投标截止不得少于 {} 日（{}，{}），最早截止日为 {}",
                    period.amount, period_rule, period.source, period.end_date
                ),
            ));
        }
    }
    // Every section announced from now on takes envelopes only (电子招标投标办法 §24): the
    // platform's own sealing is left to sections announced before.
    if request.bid_sealing == Some(BidSealing::Platform) {
        problems.push(FieldError::new(
            "bid_sealing",
            "platform_sealing_closed",
            format!("新发布的招标公告一律由投标人自行加密投标文件（{}）", rule_ids::BIDDER_SEALING),
        ));
    }
    let window = rule_set.sealing.window(request.decryption_window_minutes);
    if window.is_none() {
        problems.push(FieldError::new(
            "decryption_window_minutes",
            "window_out_of_range",
            format!(
                "解密时限须在 {} 至 {} 分钟之间（{}）",
                rule_set.sealing.decryption_window_min,
                rule_set.sealing.decryption_window_max,
                rule_ids::DECRYPTION_WINDOW
            ),
        ));
    }
    match (bid_deadline, opening_at, place) {
        (Some(bid_deadline), Some(opening_at), Some(opening_place)) if problems.is_empty() => Ok(AnnouncementContent {
            project_id: facts.project.id.clone(),
            project_code: facts.project.code.clone(),
            project_name: facts.project.name.clone(),
            category: facts.project.category,
            kind: AnnouncementKind::Tender,
            supersedes: None,
            summary: None,
            documents_issued_at: issued_at,
            bid_deadline,
            opening_at,
            opening_place,
            documents,
            sections,
            rule_set_version: facts.project.rule_set_version,
            decryption_window_minutes: window,
        }),
        _ => Err(AnnouncementRefusal::Invalid(problems)),
    }
}

/// A correction of the announcement `previous` (published with id `previous_id`): the
/// changes applied to its content, or every problem. A change that affects bid preparation
/// later than the clarification limit before the deadline must move the deadline.
pub fn correct(
    previous_id: &str,
    previous: &AnnouncementContent,
    request: PublishCorrection,
    facts: &AnnouncementFacts<'_>,
) -> Result<AnnouncementContent, AnnouncementRefusal> {
    let (_, clarification_rule) = tender_rules(previous.category)?;
    if previous.bid_deadline <= facts.now {
        return Err(AnnouncementRefusal::DeadlinePassed);
    }
    let mut problems = Vec::new();
    let affects = read::required(&mut problems, "affects_preparation", request.affects_preparation);
    let summary = read::required_text(&mut problems, "summary", request.summary, 2000);
    let mut content = previous.clone();
    if let Some(deadline) = request.bid_deadline {
        content.bid_deadline = deadline;
        content.opening_at = request.opening_at.unwrap_or(deadline);
    } else if let Some(opening) = request.opening_at {
        content.opening_at = opening;
    }
    if let Some(place) = request.opening_place.and_then(|p| read::text(&mut problems, "opening_place", p, 200)) {
        content.opening_place = place;
    }
    if let Some(list) = request.documents {
        content.documents = read_documents(&mut problems, list);
        check_stored(&mut problems, &content.documents, facts.unknown_documents);
    }
    if let Some(list) = request.sections {
        // The correction's facts are the previous announcement's category, whatever the
        // project's row says now.
        let project = AnnouncedProject { category: previous.category, ..facts.project.clone() };
        let facts = AnnouncementFacts { project: &project, ..*facts };
        for section in announced_sections(&mut problems, &facts, list, false) {
            if let Some(existing) = content.sections.iter_mut().find(|s| s.section_id == section.section_id) {
                *existing = section;
            }
        }
    }
    if content.opening_at < content.bid_deadline {
        problems.push(FieldError::new("opening_at", "before_deadline", "开标时间不得早于投标截止时间"));
    }
    if content.bid_deadline <= facts.now {
        problems.push(FieldError::new("bid_deadline", "in_past", "投标截止时间须晚于当前时间"));
    }
    if affects == Some(true) {
        let latest_change = facts
            .rule_set
            .due(clarification_rule, content.bid_deadline, facts.calendar)
            .map_err(AnnouncementRefusal::Deadline)?;
        if !latest_change.is_on_time(facts.now) {
            problems.push(FieldError::new(
                "bid_deadline",
                "clarification_too_late",
                format!(
                    "影响投标文件编制的澄清或修改须在投标截止时间至少 {} 日前发出（{}，{}），须顺延投标截止时间",
                    latest_change.amount, clarification_rule, latest_change.source
                ),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(AnnouncementRefusal::Invalid(problems));
    }
    content.kind = AnnouncementKind::Correction;
    content.supersedes = Some(previous_id.to_owned());
    content.summary = summary;
    content.rule_set_version = facts.project.rule_set_version;
    Ok(content)
}

/// The terms an announcement sets for one of its sections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionTerms {
    pub section_id: String,
    pub bond_amount: Money,
    pub bid_deadline: DateTime<Utc>,
}

/// How a published announcement is recorded: the kind its row is filed under (a first
/// announcement, or a correction), its audited action, each section's terms and, when its
/// bidders seal their files, the decryption window their sections get.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    pub stored_kind: AnnouncementKind,
    pub action: AuditAction,
    pub terms: Vec<SectionTerms>,
    /// Settled with a section's first announcement: a later one does not change it.
    pub decryption_window_minutes: Option<i32>,
}

/// How `content` is recorded. The row tells corrections from first announcements (a
/// listing's is one too); the content itself says which procedure it belongs to.
pub fn publication(content: &AnnouncementContent) -> Publication {
    let correction = content.kind == AnnouncementKind::Correction;
    Publication {
        stored_kind: if correction { AnnouncementKind::Correction } else { AnnouncementKind::Tender },
        action: if correction { AuditAction::AnnouncementCorrect } else { AuditAction::AnnouncementPublish },
        terms: content
            .sections
            .iter()
            .map(|section| SectionTerms {
                section_id: section.section_id.clone(),
                bond_amount: section.bond_amount,
                bid_deadline: content.bid_deadline,
            })
            .collect(),
        decryption_window_minutes: content.decryption_window_minutes.map(|m| i32::try_from(m).unwrap_or(i32::MAX)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_announcement_refusal_is_told_as_its_kind() {
        assert_eq!(
            AnnouncementRefusal::NotTendered.answer(),
            Answer::Conflict(AnnouncementRefusal::NotTendered.detail().into())
        );
        assert_eq!(
            AnnouncementRefusal::DeadlinePassed.answer(),
            Answer::Conflict("投标截止时间已过，不能再发布更正公告".into())
        );
        let problem = FieldError::new("documents", "empty", "须提供招标文件");
        assert_eq!(AnnouncementRefusal::Invalid(vec![problem.clone()]).answer(), Answer::Invalid(vec![problem]));
        let unknown = DeadlineError::UnknownRule("x.y".into());
        assert_eq!(AnnouncementRefusal::Deadline(unknown.clone()).answer(), Answer::from(unknown));
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    fn yuan(text: &str) -> Money {
        Money::parse(text).unwrap()
    }

    fn project(category: Category) -> AnnouncedProject {
        AnnouncedProject {
            id: "p1".into(), code: "A1".into(), name: "密云水厂".into(), category, rule_set_version: 1
        }
    }

    fn sections() -> Vec<RegisteredSection> {
        ["s1", "s2"]
            .iter()
            .map(|id| RegisteredSection {
                id: (*id).into(),
                code: format!("{id}-code"),
                name: format!("{id} 标段"),
                estimated_amount: yuan("1000000"),
            })
            .collect()
    }

    fn document(sha: &str) -> TenderDocument {
        TenderDocument { title: Some("招标文件".into()), sha256: Some(sha.repeat(64 / sha.len())) }
    }

    fn bond(section: &str, amount: &str) -> SectionBond {
        SectionBond { section_id: Some(section.into()), bond_amount: Some(amount.into()) }
    }

    fn request() -> PublishAnnouncement {
        PublishAnnouncement {
            documents_issued_at: None,
            bid_deadline: Some(at("2026-09-30T01:30:00Z")),
            opening_at: None,
            opening_place: Some(" 开标一室 ".into()),
            documents: Some(vec![document("a")]),
            sections: Some(vec![bond("s1", "20000"), bond("s2", "10000.50")]),
            bid_sealing: None,
            decryption_window_minutes: None,
        }
    }

    #[test]
    fn the_facts_of_announcement_reads_are_those_reads_at_the_time_given() {
        let reads = AnnouncementReads {
            project: project(Category::Construction),
            sections: sections(),
            unknown_documents: vec!["ab".into()],
        };
        let (rule_set, calendar) = (RuleSet::seed(), WorkingCalendar::official().unwrap());
        let facts = reads.facts(&rule_set, &calendar, at("2026-11-02T09:00:00+08:00"));
        assert_eq!(facts.project.id, "p1");
        assert_eq!(facts.sections.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["s1", "s2"]);
        assert_eq!(facts.unknown_documents, ["ab".to_owned()]);
        assert_eq!(facts.now, at("2026-11-02T01:00:00Z"));
        assert_eq!(facts.rule_set.version, rule_set.version);
    }

    fn codes(refusal: AnnouncementRefusal) -> Vec<(String, String)> {
        let AnnouncementRefusal::Invalid(problems) = refusal else {
            panic!("not a refusal of the request: {refusal:?}")
        };
        problems.into_iter().map(|e| (e.field, e.code)).collect()
    }

    fn pair(field: &str, code: &str) -> (String, String) {
        (field.to_owned(), code.to_owned())
    }

    struct World {
        project: AnnouncedProject,
        sections: Vec<RegisteredSection>,
        rule_set: RuleSet,
        calendar: WorkingCalendar,
        unknown: Vec<String>,
    }

    impl World {
        fn new(category: Category) -> World {
            World {
                project: project(category),
                sections: sections(),
                rule_set: RuleSet::seed(),
                calendar: WorkingCalendar::official().unwrap(),
                unknown: Vec::new(),
            }
        }

        fn facts(&self, now: &str) -> AnnouncementFacts<'_> {
            AnnouncementFacts {
                project: &self.project,
                sections: &self.sections,
                rule_set: &self.rule_set,
                calendar: &self.calendar,
                unknown_documents: &self.unknown,
                now: at(now),
            }
        }
    }

    #[test]
    fn an_announcement_publishes_every_section_with_its_bond() {
        let world = World::new(Category::Construction);
        let content = announce(request(), &world.facts("2026-09-01T02:00:00Z")).unwrap();
        assert_eq!(content.kind, AnnouncementKind::Tender);
        assert_eq!(content.documents_issued_at, at("2026-09-01T02:00:00Z"), "issued now by default");
        assert_eq!(content.opening_at, content.bid_deadline, "opened at the deadline by default");
        assert_eq!(content.opening_place, "开标一室");
        let bonds: Vec<(&str, Money)> =
            content.sections.iter().map(|s| (s.section_id.as_str(), s.bond_amount)).collect();
        assert_eq!(bonds, [("s1", yuan("20000")), ("s2", yuan("10000.50"))]);
        assert_eq!(content.decryption_window_minutes, Some(world.rule_set.sealing.decryption_window_minutes));
        assert_eq!(content.rule_set_version, 1);
    }

    #[test]
    fn every_problem_of_an_announcement_is_named_at_once() {
        let mut world = World::new(Category::Construction);
        world.unknown = vec!["b".repeat(64)];
        let bad = PublishAnnouncement {
            bid_deadline: Some(at("2026-09-10T01:30:00Z")),
            opening_at: Some(at("2026-09-10T01:00:00Z")),
            opening_place: None,
            documents: Some(vec![
                document("a"),
                document("b"),
                TenderDocument { title: None, sha256: Some("X".into()) },
            ]),
            sections: Some(vec![bond("s1", "20000.01"), bond("s1", "1"), bond("s9", "1"), bond("s2", "1.001")]),
            bid_sealing: Some(BidSealing::Platform),
            decryption_window_minutes: Some(5),
            ..request()
        };
        assert_eq!(
            codes(announce(bad, &world.facts("2026-09-01T02:00:00Z")).unwrap_err()),
            [
                pair("opening_place", "required"),
                pair("documents[2].title", "required"),
                pair("documents[2].sha256", "invalid_sha256"),
                pair("documents[1].sha256", "document_not_stored"),
                pair("sections[0].bond_amount", "exceeds_bond_cap"),
                pair("sections[1].section_id", "duplicate"),
                pair("sections[2].section_id", "unknown_section"),
                pair("sections[3].bond_amount", "too_many_decimal_places"),
                pair("opening_at", "before_deadline"),
                pair("bid_deadline", "bidding_period_too_short"),
                pair("bid_sealing", "platform_sealing_closed"),
                pair("decryption_window_minutes", "window_out_of_range"),
            ]
        );
        // Every section must be announced, once the rest is right.
        let one_section = PublishAnnouncement { sections: Some(vec![bond("s1", "1")]), ..request() };
        assert_eq!(
            codes(announce(one_section, &world.facts("2026-09-01T02:00:00Z")).unwrap_err()),
            [pair("sections", "incomplete")]
        );
        let late = announce(request(), &world.facts("2026-09-30T02:00:00Z")).unwrap_err();
        assert!(codes(late).contains(&pair("bid_deadline", "in_past")));
    }

    #[test]
    fn land_and_property_are_not_tendered() {
        for category in [Category::LandMining, Category::StateProperty] {
            let world = World::new(category);
            assert_eq!(
                announce(request(), &world.facts("2026-09-01T02:00:00Z")),
                Err(AnnouncementRefusal::NotTendered)
            );
        }
    }

    #[test]
    fn a_correction_that_affects_bids_comes_before_the_clarification_limit_or_moves_the_deadline() {
        let world = World::new(Category::Construction);
        let previous = announce(request(), &world.facts("2026-09-01T02:00:00Z")).unwrap();
        let change = |deadline: Option<&str>| PublishCorrection {
            affects_preparation: Some(true),
            bid_deadline: deadline.map(at),
            sections: Some(vec![bond("s2", "15000")]),
            summary: Some("调整保证金".into()),
            ..PublishCorrection::default()
        };
        // Ten days before the deadline is too late for a change that affects the bids...
        let too_late = correct("a1", &previous, change(None), &world.facts("2026-09-20T02:00:00Z")).unwrap_err();
        assert_eq!(codes(too_late), [pair("bid_deadline", "clarification_too_late")]);
        // ...unless the deadline moves.
        let moved =
            correct("a1", &previous, change(Some("2026-10-30T01:30:00Z")), &world.facts("2026-09-20T02:00:00Z"))
                .unwrap();
        assert_eq!((moved.kind, moved.supersedes.as_deref()), (AnnouncementKind::Correction, Some("a1")));
        assert_eq!(moved.opening_at, at("2026-10-30T01:30:00Z"));
        assert_eq!(moved.sections[1].bond_amount, yuan("15000"));
        assert_eq!(moved.sections[0], previous.sections[0], "what the correction leaves is kept");
        assert_eq!(moved.summary.as_deref(), Some("调整保证金"));
        // A change that does not affect the bids may come late; none after the deadline.
        let editorial = PublishCorrection { affects_preparation: Some(false), ..change(None) };
        assert!(correct("a1", &previous, editorial.clone(), &world.facts("2026-09-20T02:00:00Z")).is_ok());
        assert_eq!(
            correct("a1", &previous, editorial, &world.facts("2026-09-30T01:30:00Z")),
            Err(AnnouncementRefusal::DeadlinePassed)
        );
        let incomplete =
            PublishCorrection { sections: Some(vec![bond("s2", "20000.01")]), ..PublishCorrection::default() };
        assert_eq!(
            codes(correct("a1", &previous, incomplete, &world.facts("2026-09-02T02:00:00Z")).unwrap_err()),
            [
                pair("affects_preparation", "required"),
                pair("summary", "required"),
                pair("sections[0].bond_amount", "exceeds_bond_cap"),
            ]
        );
    }

    #[test]
    fn a_correction_is_filed_as_one_and_a_first_announcement_as_a_tender() {
        let world = World::new(Category::Construction);
        let content = announce(request(), &world.facts("2026-09-01T02:00:00Z")).unwrap();
        let table = [
            (AnnouncementKind::Tender, AnnouncementKind::Tender, AuditAction::AnnouncementPublish),
            (AnnouncementKind::Listing, AnnouncementKind::Tender, AuditAction::AnnouncementPublish),
            (AnnouncementKind::Correction, AnnouncementKind::Correction, AuditAction::AnnouncementCorrect),
        ];
        for (kind, stored, action) in table {
            let recorded = publication(&AnnouncementContent { kind, ..content.clone() });
            assert_eq!((recorded.stored_kind, recorded.action), (stored, action), "{kind:?}");
        }
        let recorded = publication(&content);
        let terms: Vec<(&str, Money, DateTime<Utc>)> =
            recorded.terms.iter().map(|t| (t.section_id.as_str(), t.bond_amount, t.bid_deadline)).collect();
        let announced: Vec<(&str, Money, DateTime<Utc>)> =
            content.sections.iter().map(|s| (s.section_id.as_str(), s.bond_amount, content.bid_deadline)).collect();
        assert_eq!(terms, announced);
        assert_eq!(terms.len(), 2);
        let sealing =
            |minutes| publication(&AnnouncementContent { decryption_window_minutes: minutes, ..content.clone() });
        assert_eq!(sealing(None).decryption_window_minutes, None);
        assert_eq!(sealing(Some(30)).decryption_window_minutes, Some(30));
        assert_eq!(sealing(Some(u32::MAX)).decryption_window_minutes, Some(i32::MAX));
    }
}
