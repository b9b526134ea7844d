//! Creating a listing (挂牌): the request, read with every problem named in the order a
//! form shows them; the lot, either a section of the project not yet listed or, for a
//! relisting (流拍后重新挂牌), a new section named like a failed listing's, within the rule
//! set's rounds (land.listing.max_rounds); the offer, checked by [`super::offer`]; and what
//! is written: the listing announcement, the listing's values and a relisting's new
//! section. The caller loads the project, its sections, the failed listing and which
//! documents are stored, and writes the result.

use chrono::{DateTime, Utc};
use ggzy_kernel::validation::read;
use ggzy_kernel::{Answer, FieldError, Money, WorkingCalendar};
use ggzy_rules::{DeadlineError, RuleSet};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{offer, relisting_terms, EarlierRound, Phase};
use crate::announcement::{check_stored, read_documents, AnnouncedSection, AnnouncementContent, TenderDocument};
use crate::lifecycle::AnnouncementKind;
use crate::registration::ApprovalDocument;

/// A listing of one section of a land, mining-right or state-property project.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateListing {
    /// The section listed; not given for a relisting, which gets a new section.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub section_id: Option<String>,
    /// A failed listing of the same project to list again (流拍后重新挂牌): a new round on a
    /// new section of the project, named like the old one. Instead of `section_id`.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub relisting_of: Option<String>,
    /// 起始价, decimal yuan.
    #[schema(required = true, value_type = String, example = "12000000.00")]
    pub starting_price: Option<String>,
    /// 加价幅度: every quote is the starting price plus a whole number of increments.
    #[schema(required = true, value_type = String, example = "100000.00")]
    pub increment: Option<String>,
    /// 保留价 (底价), secret until the listing ends; below it there is no sale.
    #[schema(value_type = Option<String>, example = "12500000.00")]
    pub reserve_price: Option<String>,
    /// 评估价 of state-owned property (required for that category).
    #[schema(value_type = Option<String>, example = "13000000.00")]
    pub appraisal: Option<String>,
    /// 竞买保证金.
    #[schema(required = true, value_type = String, example = "2400000.00")]
    pub deposit: Option<String>,
    #[schema(required = true)]
    pub listing_start: Option<DateTime<Utc>>,
    #[schema(required = true)]
    pub listing_end: Option<DateTime<Utc>>,
    /// Minutes an auction runs on after a late quote (default 5).
    #[serde(default, deserialize_with = "ggzy_kernel::validation::whole_number")]
    #[schema(value_type = Option<u32>, minimum = 1, maximum = 60, example = 5)]
    pub extension_minutes: Option<u32>,
    /// Where the listing is held (交易场所 or 网上交易系统).
    #[schema(required = true, value_type = String, example = "密云区公共资源交易中心网上交易系统")]
    pub place: Option<String>,
    /// 出让文件 / 转让文件, by hash.
    #[schema(required = true)]
    pub documents: Option<Vec<TenderDocument>>,
    /// The approval to list state-owned property below 90% of its appraisal
    /// (property.relisting_floor).
    pub floor_approval: Option<ApprovalDocument>,
}

/// The project listed, as registered: what a tender announcement names of its project.
pub type ListedProject = crate::announcement::AnnouncedProject;

/// A section of the project, as registered; amounts in fen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LotSection {
    pub id: String,
    pub code: String,
    pub position: i32,
    pub name: String,
    pub estimated_amount: i64,
}

/// The failed listing a relisting names, when it is one of the project's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedListing {
    pub phase: Phase,
    pub section_id: String,
    /// A later listing relists it already.
    pub relisted: bool,
    /// Its lot's rounds, first first, this one last.
    pub rounds: Vec<EarlierRound>,
}

/// What a listing is decided on, loaded by the caller.
#[derive(Debug, Clone, Copy)]
pub struct CreationFacts<'a> {
    pub project: &'a ListedProject,
    /// The project's announcement rule (see [`offer::announcement_rule`]).
    pub announcement_rule: &'static str,
    pub sections: &'a [LotSection],
    /// Whether the section `section_id` names has a listing already.
    pub section_listed: bool,
    /// The listing `relisting_of` names, if it is one of the project's.
    pub failed: Option<&'a FailedListing>,
    /// The hashes of the request's documents that no upload has.
    pub unknown_documents: &'a [String],
    /// The id a relisting's new section takes.
    pub new_section_id: &'a str,
    pub rule_set: &'a RuleSet,
    pub calendar: &'a WorkingCalendar,
    pub now: DateTime<Utc>,
}

/// What a created listing writes; amounts in fen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewListing {
    /// The section a relisting adds to the project, written before the announcement.
    pub new_section: Option<LotSection>,
    /// The listing announcement (kind `listing`), whose section terms carry the deposit.
    pub content: AnnouncementContent,
    pub section_id: String,
    pub starting_price: i64,
    pub increment: i64,
    pub reserve_price: Option<i64>,
    /// The appraisal the listing keeps: a relisting's is its lot's first.
    pub appraisal: Option<i64>,
    pub deposit: i64,
    pub listing_start: DateTime<Utc>,
    pub listing_end: DateTime<Utc>,
    pub extension_seconds: i32,
    pub floor_approval: Option<ApprovalDocument>,
    pub place: String,
    pub relisting_of: Option<String>,
}

/// Why a listing is not created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreationRefusal {
    /// The request's problems, every one.
    Invalid(Vec<FieldError>),
    /// A time limit could not be counted (its rule, or an unloaded year of the calendar).
    Deadline(DeadlineError),
    /// What was loaded cannot be (a failed listing's section missing, an amount out of range).
    Corrupt(String),
}

impl CreationRefusal {
    /// How the refusal is told: the request's problems as invalid, an uncounted limit by
    /// the deadline's answer; what was loaded and cannot be is a fault of the platform
    /// (`Err`, its text logged, never told).
    pub fn answer(self) -> Result<Answer, String> {
        match self {
            CreationRefusal::Invalid(problems) => Ok(Answer::Invalid(problems)),
            CreationRefusal::Deadline(error) => Ok(Answer::from(error)),
            CreationRefusal::Corrupt(detail) => Err(detail),
        }
    }
}

/// The sha256 texts a request's documents name, to ask which are stored.
pub fn named_hashes(request: &CreateListing) -> Vec<String> {
    crate::announcement::named_hashes(request.documents.as_deref())
}

/// What the caller loads for the lot a request names (see [`CreationFacts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedLot<'a> {
    /// A section of the project: whether it is listed already.
    Section(&'a str),
    /// A relisting: the failed listing it names.
    Relisting(&'a str),
    /// No section of the project, or both or neither named: [`create`] says what is wrong.
    Nothing,
}

/// The lot a request names, among the project's `sections`.
pub fn named_lot<'a>(request: &'a CreateListing, sections: &[LotSection]) -> NamedLot<'a> {
    match (request.section_id.as_deref(), request.relisting_of.as_deref()) {
        (Some(id), None) if sections.iter().any(|s| s.id == id) => NamedLot::Section(id),
        (None, Some(failed)) => NamedLot::Relisting(failed),
        _ => NamedLot::Nothing,
    }
}

/// Which section a request lists and, for a relisting, the failed listing it relists: one
/// of the two, never both.
fn read_lot(request: &mut CreateListing, problems: &mut Vec<FieldError>) -> (Option<String>, Option<String>) {
    match (request.section_id.take(), request.relisting_of.take()) {
        (Some(_), Some(_)) => {
            problems.push(FieldError::new(
                "relisting_of",
                "with_section_id",
                "重新挂牌时不填 section_id，平台另设新标的",
            ));
            (None, None)
        }
        (None, None) => {
            problems.push(FieldError::new("section_id", "required", "必填项缺失（重新挂牌时填 relisting_of）"));
            (None, None)
        }
        pair => pair,
    }
}

fn read_floor_approval(approval: ApprovalDocument, problems: &mut Vec<FieldError>) -> ApprovalDocument {
    ApprovalDocument {
        title: read::required_text(problems, "floor_approval.title", approval.title, 200),
        number: read::required_text(problems, "floor_approval.number", approval.number, 100),
        sha256: read::sha256(problems, "floor_approval.sha256", approval.sha256),
    }
}

/// What a relisting inherits from its lot: the first appraisal and the lowest starting
/// price an earlier approval covers (see [`relisting_terms`]).
type Inherited = (Option<i64>, Option<i64>);

/// A relisting's new section and what its lot's earlier rounds leave it (the first
/// appraisal, the lowest approved starting price); `Ok(None)` with the problems named.
fn relisting_lot(
    facts: &CreationFacts<'_>,
    problems: &mut Vec<FieldError>,
) -> Result<Option<(LotSection, Inherited)>, CreationRefusal> {
    let Some(failed) = facts.failed else {
        problems.push(FieldError::new("relisting_of", "unknown_listing", "不是本项目的挂牌"));
        return Ok(None);
    };
    if failed.phase != Phase::Failed {
        problems.push(FieldError::new("relisting_of", "not_failed", "只有流拍的挂牌可以重新挂牌"));
        return Ok(None);
    }
    if failed.relisted {
        problems.push(FieldError::new("relisting_of", "already_relisted", "该挂牌已经重新挂牌"));
        return Ok(None);
    }
    let Some(old) = facts.sections.iter().find(|s| s.id == failed.section_id) else {
        return Err(CreationRefusal::Corrupt("a listing's section is missing".into()));
    };
    // The rounds are counted only for a request that is otherwise sound so far.
    if !problems.is_empty() {
        return Ok(None);
    }
    let max_rounds = facts.rule_set.listing.max_rounds;
    let Some(inherited) = relisting_terms(&failed.rounds, max_rounds) else {
        problems.push(FieldError::new(
            "relisting_of",
            "too_many_rounds",
            format!("同一标的最多挂牌 {max_rounds} 轮（规则版本）"),
        ));
        return Ok(None);
    };
    let position = facts.sections.iter().map(|s| s.position).max().unwrap_or(0) + 1;
    let section = LotSection {
        id: facts.new_section_id.to_owned(),
        code: format!("{}{:03}", facts.project.code, position),
        position,
        name: old.name.clone(),
        estimated_amount: old.estimated_amount,
    };
    Ok(Some((section, inherited)))
}

fn money(fen: i64) -> Result<Money, CreationRefusal> {
    Money::from_fen(fen).map_err(|e| CreationRefusal::Corrupt(e.to_string()))
}

/// Decides a listing: every problem of the request against the project, its lot and the
/// rule set, or what is written.
pub fn create(mut request: CreateListing, facts: &CreationFacts<'_>) -> Result<NewListing, CreationRefusal> {
    let mut problems = Vec::new();
    let (section_id, relisting_of) = read_lot(&mut request, &mut problems);
    let values = offer::read_values(
        &offer::OfferRequest {
            starting_price: request.starting_price.as_deref(),
            increment: request.increment.as_deref(),
            deposit: request.deposit.as_deref(),
            reserve_price: request.reserve_price.as_deref(),
            appraisal: request.appraisal.as_deref(),
            listing_start: request.listing_start,
            listing_end: request.listing_end,
            extension_minutes: request.extension_minutes,
        },
        &mut problems,
    );
    let place = read::required_text(&mut problems, "place", request.place, 200);
    let documents = read::required(&mut problems, "documents", request.documents)
        .map(|list| read_documents(&mut problems, list))
        .unwrap_or_default();
    offer::check_values(&values, facts.now, &mut problems);
    let floor_approval = request.floor_approval.map(|approval| read_floor_approval(approval, &mut problems));
    check_stored(&mut problems, &documents, facts.unknown_documents);
    let mut inherited = None;
    let mut new_section = None;
    let section = match (section_id.as_deref(), relisting_of.is_some()) {
        (Some(id), _) => match facts.sections.iter().find(|s| s.id == id) {
            Some(_) if facts.section_listed => {
                problems.push(FieldError::new("section_id", "already_listed", "该标的已经挂牌"));
                None
            }
            Some(section) => Some(section.clone()),
            None => {
                problems.push(FieldError::new("section_id", "unknown_section", "不是本项目的标的（标段）"));
                None
            }
        },
        (None, true) => relisting_lot(facts, &mut problems)?.map(|(section, terms)| {
            inherited = Some(terms);
            new_section = Some(section.clone());
            section
        }),
        (None, false) => None,
    };
    let offer_facts = offer::OfferFacts {
        category: facts.project.category,
        announcement_rule: facts.announcement_rule,
        inherited,
        floor_approved: floor_approval.is_some(),
    };
    let appraisal =
        offer::check_against_rules(&values, &offer_facts, facts.rule_set, facts.calendar, facts.now, &mut problems)
            .map_err(CreationRefusal::Deadline)?;
    if !problems.is_empty() {
        return Err(CreationRefusal::Invalid(problems));
    }
    let (Some(section), Some(starting), Some(increment), Some(deposit), Some(start), Some(end), Some(place)) = (
        section,
        values.starting_price,
        values.increment,
        values.deposit,
        values.listing_start,
        values.listing_end,
        place,
    ) else {
        return Err(CreationRefusal::Corrupt("validation passed without values".into()));
    };
    let project = facts.project;
    let content = AnnouncementContent {
        project_id: project.id.clone(),
        project_code: project.code.clone(),
        project_name: project.name.clone(),
        category: project.category,
        kind: AnnouncementKind::Listing,
        supersedes: None,
        summary: Some(format!(
            "挂牌期 {} 至 {}，起始价 {} 元",
            ggzy_kernel::beijing_text(start),
            ggzy_kernel::beijing_text(end),
            money(starting)?
        )),
        documents_issued_at: facts.now,
        bid_deadline: end,
        opening_at: end,
        opening_place: place.clone(),
        documents,
        sections: vec![AnnouncedSection {
            section_id: section.id.clone(),
            section_code: section.code.clone(),
            name: section.name.clone(),
            estimated_amount: money(section.estimated_amount)?,
            bond_amount: money(deposit)?,
        }],
        rule_set_version: project.rule_set_version,
        decryption_window_minutes: None,
    };
    Ok(NewListing {
        new_section,
        content,
        section_id: section.id,
        starting_price: starting,
        increment,
        reserve_price: values.reserve_price,
        appraisal,
        deposit,
        listing_start: start,
        listing_end: end,
        extension_seconds: i32::try_from(values.extension_minutes * 60).unwrap_or(300),
        floor_approval,
        place,
        relisting_of,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::{Duration, TimeZone};
    use ggzy_rules::rule_ids;

    use super::*;

    const HASH: &str = "0000000000000000000000000000000000000000000000000000000000000001";

    #[test]
    fn a_creation_refusal_is_told_as_invalid_or_the_deadlines_answer_and_a_corrupt_load_is_a_fault() {
        let problem = FieldError::new("relisting_of", "not_failed", "x");
        assert_eq!(CreationRefusal::Invalid(vec![problem.clone()]).answer(), Ok(Answer::Invalid(vec![problem])));
        let unknown = DeadlineError::UnknownRule("x.y".into());
        assert_eq!(CreationRefusal::Deadline(unknown.clone()).answer(), Ok(Answer::from(unknown)));
        assert_eq!(CreationRefusal::Corrupt("section missing".into()).answer(), Err("section missing".to_owned()));
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 2, 1, 0, 0).unwrap()
    }

    fn project() -> ListedProject {
        ListedProject {
            id: "p".into(),
            code: "MY2026".into(),
            name: "某国有产权转让".into(),
            category: ggzy_rules::Category::StateProperty,
            rule_set_version: 1,
        }
    }

    fn sections() -> Vec<LotSection> {
        let section = |id: &str, position| LotSection {
            id: id.into(),
            code: format!("MY2026{position:03}"),
            position,
            name: format!("标的{position}"),
            estimated_amount: 100_000_000,
        };
        vec![section("s1", 1), section("s2", 2)]
    }

    /// A request for `s1` that the seed rules accept: the disclosure runs in full first.
    fn request() -> CreateListing {
        let calendar = WorkingCalendar::official().unwrap();
        let notice = RuleSet::seed().due(rule_ids::PROPERTY_DISCLOSURE, now(), &calendar).unwrap();
        let start = Utc.from_utc_datetime(&notice.earliest_start().and_hms_opt(1, 0, 0).unwrap());
        CreateListing {
            section_id: Some("s1".into()),
            starting_price: Some("1000000.00".into()),
            increment: Some("10000.00".into()),
            appraisal: Some("1000000.00".into()),
            deposit: Some("200000.00".into()),
            listing_start: Some(start),
            listing_end: Some(start + Duration::days(20)),
            place: Some(" 网上交易系统 ".into()),
            documents: Some(vec![TenderDocument { title: Some("转让文件".into()), sha256: Some(HASH.into()) }]),
            ..CreateListing::default()
        }
    }

    /// What the caller would have loaded besides the project, its sections and the rules.
    #[derive(Default)]
    struct Loaded<'a> {
        section_listed: bool,
        failed: Option<&'a FailedListing>,
        unknown_documents: &'a [String],
    }

    fn decide(request: CreateListing, loaded: Loaded<'_>) -> Result<NewListing, CreationRefusal> {
        let (project, sections, rule_set) = (project(), sections(), RuleSet::seed());
        let calendar = WorkingCalendar::official().unwrap();
        let facts = CreationFacts {
            project: &project,
            announcement_rule: rule_ids::PROPERTY_DISCLOSURE,
            sections: &sections,
            section_listed: loaded.section_listed,
            failed: loaded.failed,
            unknown_documents: loaded.unknown_documents,
            new_section_id: "s3",
            rule_set: &rule_set,
            calendar: &calendar,
            now: now(),
        };
        create(request, &facts)
    }

    fn named(result: Result<NewListing, CreationRefusal>) -> Vec<(String, String)> {
        match result {
            Err(CreationRefusal::Invalid(problems)) => problems.into_iter().map(|p| (p.field, p.code)).collect(),
            other => panic!("not refused for its problems: {other:?}"),
        }
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected.iter().map(|(f, c)| ((*f).to_owned(), (*c).to_owned())).collect()
    }

    fn failed(phase: Phase, relisted: bool, rounds: usize) -> FailedListing {
        let round = EarlierRound { appraisal: Some(100_000_000), starting_price: 100_000_000, approved: false };
        FailedListing { phase, section_id: "s2".into(), relisted, rounds: vec![round; rounds] }
    }

    #[test]
    fn a_request_names_a_section_of_the_project_or_the_listing_it_relists() {
        let request = |section: Option<&str>, relisting: Option<&str>| CreateListing {
            section_id: section.map(str::to_owned),
            relisting_of: relisting.map(str::to_owned),
            ..CreateListing::default()
        };
        let sections = sections();
        let cases = [
            (Some("s2"), None, NamedLot::Section("s2")),
            (Some("elsewhere"), None, NamedLot::Nothing),
            (None, Some("l1"), NamedLot::Relisting("l1")),
            (Some("s1"), Some("l1"), NamedLot::Nothing),
            (None, None, NamedLot::Nothing),
        ];
        for (section, relisting, expected) in cases {
            let request = request(section, relisting);
            assert_eq!(named_lot(&request, &sections), expected, "{section:?} {relisting:?}");
        }
    }

    #[test]
    fn a_listing_of_a_section_announces_it_and_keeps_its_values() {
        let listing = decide(request(), Loaded::default()).unwrap();
        assert_eq!(listing.new_section, None);
        assert_eq!(listing.section_id, "s1");
        assert_eq!((listing.starting_price, listing.increment, listing.deposit), (100_000_000, 1_000_000, 20_000_000));
        assert_eq!((listing.reserve_price, listing.appraisal), (None, Some(100_000_000)));
        assert_eq!(listing.extension_seconds, 300);
        assert_eq!((listing.place.as_str(), listing.relisting_of), ("网上交易系统", None));
        let content = &listing.content;
        assert_eq!(content.kind, AnnouncementKind::Listing);
        assert_eq!((content.bid_deadline, content.opening_at), (listing.listing_end, listing.listing_end));
        assert_eq!(content.documents_issued_at, now());
        assert_eq!(content.sections.len(), 1);
        assert_eq!(content.sections[0].section_code, "MY2026001");
        assert_eq!(content.sections[0].bond_amount, Money::from_fen(20_000_000).unwrap());
        assert!(content.summary.as_deref().unwrap().ends_with("起始价 1000000.00 元"), "{:?}", content.summary);
    }

    #[test]
    fn every_problem_of_the_request_is_named_in_the_form_s_order() {
        let bad = CreateListing {
            relisting_of: Some("l0".into()),
            increment: None,
            place: None,
            documents: Some(vec![
                TenderDocument { title: Some("转让文件".into()), sha256: Some(HASH.into()) },
                TenderDocument { title: None, sha256: Some("X".into()) },
            ]),
            floor_approval: Some(ApprovalDocument {
                title: Some("批复".into()),
                number: None,
                sha256: Some("x".into()),
            }),
            ..request()
        };
        let unknown = [HASH.to_owned()];
        assert_eq!(
            named(decide(bad, Loaded { unknown_documents: &unknown, ..Loaded::default() })),
            pairs(&[
                ("relisting_of", "with_section_id"),
                ("increment", "required"),
                ("place", "required"),
                ("documents[1].title", "required"),
                ("documents[1].sha256", "invalid_sha256"),
                ("floor_approval.number", "required"),
                ("floor_approval.sha256", "invalid_sha256"),
                ("documents[0].sha256", "document_not_stored"),
            ])
        );
        let neither = CreateListing { section_id: None, ..request() };
        assert_eq!(named(decide(neither, Loaded::default())), pairs(&[("section_id", "required")]));
    }

    #[test]
    fn a_section_is_listed_once_and_must_be_the_project_s() {
        assert_eq!(
            named(decide(request(), Loaded { section_listed: true, ..Loaded::default() })),
            pairs(&[("section_id", "already_listed")])
        );
        let elsewhere = CreateListing { section_id: Some("s9".into()), ..request() };
        assert_eq!(named(decide(elsewhere, Loaded::default())), pairs(&[("section_id", "unknown_section")]));
    }

    fn relisting() -> CreateListing {
        CreateListing { section_id: None, relisting_of: Some("l2".into()), ..request() }
    }

    #[test]
    fn a_relisting_adds_a_section_named_like_the_failed_listing_s() {
        let earlier = failed(Phase::Failed, false, 1);
        let listing = decide(relisting(), Loaded { failed: Some(&earlier), ..Loaded::default() }).unwrap();
        let section = LotSection {
            id: "s3".into(),
            code: "MY2026003".into(),
            position: 3,
            name: "标的2".into(),
            estimated_amount: 100_000_000,
        };
        assert_eq!(listing.new_section, Some(section));
        assert_eq!((listing.section_id.as_str(), listing.relisting_of.as_deref()), ("s3", Some("l2")));
        assert_eq!(listing.appraisal, Some(100_000_000), "the lot's first appraisal");
        assert_eq!(listing.content.sections[0].section_code, "MY2026003");
    }

    #[test]
    fn only_a_failed_listing_not_yet_relisted_within_the_rounds_is_relisted() {
        assert_eq!(named(decide(relisting(), Loaded::default())), pairs(&[("relisting_of", "unknown_listing")]));
        let running = failed(Phase::Listing, false, 1);
        assert_eq!(
            named(decide(relisting(), Loaded { failed: Some(&running), ..Loaded::default() })),
            pairs(&[("relisting_of", "not_failed")])
        );
        let relisted = failed(Phase::Failed, true, 1);
        assert_eq!(
            named(decide(relisting(), Loaded { failed: Some(&relisted), ..Loaded::default() })),
            pairs(&[("relisting_of", "already_relisted")])
        );
        let last = failed(Phase::Failed, false, 2);
        let refused = decide(relisting(), Loaded { failed: Some(&last), ..Loaded::default() });
        let Err(CreationRefusal::Invalid(problems)) = refused else { panic!("{refused:?}") };
        assert_eq!((problems[0].field.as_str(), problems[0].code.as_str()), ("relisting_of", "too_many_rounds"));
        assert_eq!(problems[0].message, "同一标的最多挂牌 2 轮（规则版本）");
        assert_eq!(problems.len(), 1);
        // The rounds are counted only when nothing else is wrong: the other problem alone.
        let missing = CreateListing { deposit: None, ..relisting() };
        assert_eq!(
            named(decide(missing, Loaded { failed: Some(&last), ..Loaded::default() })),
            pairs(&[("deposit", "required")])
        );
        let lost = FailedListing { section_id: "gone".into(), ..failed(Phase::Failed, false, 1) };
        assert_eq!(
            decide(relisting(), Loaded { failed: Some(&lost), ..Loaded::default() }),
            Err(CreationRefusal::Corrupt("a listing's section is missing".into()))
        );
    }
}
