//! Response and request bodies of ocds (see `ggzy_service::ocds` for the use cases).

use chrono::NaiveDateTime;
use ggzy_kernel::{stored, stored_money, stored_opt, StoredFault};
use ggzy_ocds::release;
use ggzy_store::announcements::AnnouncementRow;
use ggzy_store::conduct::QuestionRow;
use ggzy_store::evaluation::ResultRow;
use ggzy_store::listings::{ListingRow, ProgressRow};
use ggzy_store::ocds::{ReleaseRow, SectionRecords};
use ggzy_store::participants::ParticipantRow;
use ggzy_store::projects::{DirectAwardRow, ProjectRow, SectionRow};
use ggzy_trading::announcement::AnnouncementContent;
use ggzy_trading::committee::Candidate;
use ggzy_trading::lifecycle::{AnnouncementKind, Confirmation, OpeningOutcome};
use ggzy_trading::listing::Phase;
use serde::Deserialize;
use serde_json::Value;
use utoipa::IntoParams;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReleaseQuery {
    /// The `after` of the previous page's `links.next`; from the first release if absent.
    pub after: Option<String>,
    /// Releases per page, 1 to 200 (default 100).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// An OCDS 1.1.5 release package as JSON text: `uri`, `version`, `extensions`,
/// `publishedDate`, `publisher` and `releases`, valid against the standard's
/// `release-package-schema.json`; `links.next` is the next page. Kept as text: stored
/// releases are spliced into it without being parsed.
#[derive(Debug, Clone, utoipa::ToSchema)]
#[schema(value_type = Object)]
pub struct ReleasePackage(pub String);

/// An OCDS 1.1.5 record package with one record: every release of the process, its
/// compiled release and its versioned release, valid against `record-package-schema.json`.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[serde(transparent)]
#[schema(value_type = Object)]
pub struct RecordPackage(pub Value);

/// A participant as a party of a release: an organisation by its credit code.
pub fn org_of(participant: ParticipantRow) -> release::Org {
    release::Org { credit_code: participant.credit_code, name: participant.name }
}

/// An answered question as its release needs it.
pub fn enquiry_of(question: QuestionRow) -> release::Enquiry {
    release::Enquiry {
        id: question.id,
        asked_at: question.asked_at.and_utc(),
        question: question.question,
        answer: question.answer,
        answered_at: question.answered_at.map(|t| t.and_utc()),
    }
}

/// An announcement as its release needs it; `listed` when a section it announces is listed.
pub fn notice_of(row: AnnouncementRow, content: AnnouncementContent, listed: bool) -> release::Notice {
    release::Notice {
        id: row.id,
        published_at: row.published_at.and_utc(),
        correction: content.kind == AnnouncementKind::Correction,
        of_listing: content.kind == AnnouncementKind::Listing,
        summary: content.summary,
        documents: content
            .documents
            .into_iter()
            .map(|d| release::NoticeDocument { title: d.title, sha256: d.sha256 })
            .collect(),
        documents_issued_at: content.documents_issued_at,
        bid_deadline: content.bid_deadline,
        opening_at: content.opening_at,
        opening_place: content.opening_place,
        lots: content
            .sections
            .into_iter()
            .map(|s| release::Lot { code: s.section_code, name: s.name, amount: s.estimated_amount })
            .collect(),
        listed,
    }
}

/// The stored row of a release of a project's process, written at `at` in `position`.
pub fn release_row(position: i64, project: &ProjectRow, body: String, at: NaiveDateTime) -> ReleaseRow {
    ReleaseRow { position, project_id: project.id.clone(), project_code: project.code.clone(), published_at: at, body }
}

/// The sections of a project as the lots of its planning.
pub fn lots_of(sections: Vec<SectionRow>) -> Result<Vec<release::Lot>, StoredFault> {
    sections
        .into_iter()
        .map(|s| {
            Ok(release::Lot {
                amount: stored_money("sections.estimated_amount", s.estimated_amount)?,
                code: s.code,
                name: s.name,
            })
        })
        .collect()
}

/// A section's candidates and award as their release needs them; `bidders` are the
/// candidates' parties, in the candidates' order.
pub fn section_result_of(
    row: &ResultRow,
    candidates: &[Candidate],
    bidders: Vec<release::Bidder>,
    section: SectionRow,
) -> release::SectionResult {
    release::SectionResult {
        section_code: section.code,
        section_name: section.name,
        candidates: candidates
            .iter()
            .zip(bidders)
            .map(|(candidate, bidder)| release::Candidate {
                rank: candidate.rank,
                bidder,
                price: candidate.price,
                winner: row.winner_id.as_deref() == Some(candidate.bidder_id.as_str()),
            })
            .collect(),
        publicity_start: row.publicity_start.and_utc(),
        awarded_at: row.awarded_at.map(|t| t.and_utc()),
    }
}

/// A section's contract as its release needs it, the winner ranked among `candidates`.
pub fn contract_of(
    row: &ResultRow,
    candidates: &[Candidate],
    section: SectionRow,
    every_section_contracted: bool,
) -> Result<release::Contract, StoredFault> {
    let winner_rank =
        candidates.iter().find(|c| row.winner_id.as_deref() == Some(c.bidder_id.as_str())).map(|c| c.rank);
    Ok(release::Contract {
        section_code: section.code,
        section_name: section.name,
        winner_rank,
        amount: row.contract_amount.map(|fen| stored_money("section_results.contract_amount", fen)).transpose()?,
        signed_at: row.contract_signed_at.map(|t| t.and_utc()),
        every_section_contracted,
    })
}

/// A direct award as its release needs it.
pub fn direct_award_of(award: DirectAwardRow, contractor: ParticipantRow) -> Result<release::DirectAward, StoredFault> {
    Ok(release::DirectAward {
        contractor: org_of(contractor),
        reported_at: award.reported_at.and_utc(),
        amount: stored_money("direct_awards.amount", award.amount)?,
        id: award.id,
    })
}

/// The participant a section's listing makes a supplier (or buyer) of the process: its
/// leader once sold, unless the leader refused to confirm the result.
pub fn listing_supplier(progress: ProgressRow, phase: Phase) -> Result<Option<String>, StoredFault> {
    let confirmation: Option<Confirmation> =
        stored_opt("listing_progress.confirmation", progress.confirmation.as_deref())?;
    Ok(progress.leader_id.filter(|_| phase == Phase::Sold && confirmation != Some(Confirmation::Refused)))
}

/// How a section of a process stands, as its releases read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionStanding {
    pub section: SectionRow,
    /// Its opening failed.
    pub opening_failed: bool,
    /// Its contract is signed.
    pub contracted: bool,
    /// The winner its result names, once it names one.
    pub winner: Option<String>,
    /// Its listing where it stands, if the section is listed.
    pub listing: Option<(ProgressRow, Phase)>,
    /// The bidders its opening record names with a bid (none before its opening).
    pub opened_bidders: Vec<String>,
}

impl SectionStanding {
    /// How a section stands by its records.
    pub fn of(records: SectionRecords) -> Result<SectionStanding, StoredFault> {
        let SectionRecords { section, result, opening, listing } = records;
        let outcome = opening.as_ref().map(|o| stored::<OpeningOutcome>("openings.outcome", &o.outcome)).transpose()?;
        let opened_bidders = match &opening {
            Some(row) => crate::bids::opening_record_from_row(row)?.bids.into_iter().map(|b| b.bidder_id).collect(),
            None => Vec::new(),
        };
        let listing = match listing {
            Some((_, progress)) => Some((stored("listing_progress.phase", &progress.phase)?, progress)),
            None => None,
        };
        Ok(SectionStanding {
            opening_failed: outcome == Some(OpeningOutcome::Failed),
            contracted: result.as_ref().is_some_and(|r| r.contract_signed_at.is_some()),
            winner: result.and_then(|r| r.winner_id),
            listing: listing.map(|(phase, progress)| (progress, phase)),
            opened_bidders,
            section,
        })
    }

    /// Whether the section is listed and its listing is in `phase`.
    pub fn listing_in(&self, phase: Phase) -> bool {
        self.listing.as_ref().is_some_and(|(_, at)| *at == phase)
    }

    /// How the section stands at a termination: completed once contracted or its listing
    /// sold, failed when its opening failed.
    pub fn end(&self) -> release::SectionEnd {
        release::SectionEnd { completed: self.contracted || self.listing_in(Phase::Sold), failed: self.opening_failed }
    }
}

/// How many bidders the opening records of the process name so far, each once.
pub fn tenderers_so_far(sections: &[SectionStanding]) -> usize {
    sections.iter().flat_map(|s| &s.opened_bidders).collect::<std::collections::BTreeSet<_>>().len()
}

/// Who supplies (or buys, in a sale) under the process so far: the sections' winners, their
/// listings' winners not refused ([`listing_supplier`]), a direct award's `contractor`.
pub fn suppliers(
    sections: &[SectionStanding],
    contractor: Option<String>,
) -> Result<std::collections::BTreeSet<String>, StoredFault> {
    let mut suppliers = std::collections::BTreeSet::new();
    for standing in sections {
        suppliers.extend(standing.winner.clone());
        if let Some((progress, phase)) = &standing.listing {
            suppliers.extend(listing_supplier(progress.clone(), *phase)?);
        }
    }
    suppliers.extend(contractor);
    Ok(suppliers)
}

/// A listing where it stands (`phase`, read from `progress`) as its release needs it;
/// `winner` is the leader's party once sold.
pub fn listing_of(
    listing: ListingRow,
    progress: ProgressRow,
    phase: Phase,
    section: SectionRow,
    winner: Option<release::Bidder>,
    every_section_failed: bool,
) -> Result<release::Listing, StoredFault> {
    Ok(release::Listing {
        id: listing.id,
        announcement_id: listing.announcement_id,
        section_code: section.code,
        section_name: section.name,
        starting_price: stored_money("listings.starting_price", listing.starting_price)?,
        increment: stored_money("listings.increment", listing.increment)?,
        deposit: stored_money("listings.deposit", listing.deposit)?,
        listing_start: listing.listing_start.and_utc(),
        listing_end: listing.listing_end.and_utc(),
        place: listing.place,
        created_at: listing.created_at.and_utc(),
        at_auction: phase == Phase::Auction,
        sold: phase == Phase::Sold,
        quotes: i64::from(progress.quotes),
        winner,
        price: progress.current_price.map(|fen| stored_money("listing_progress.current_price", fen)).transpose()?,
        concluded_at: progress.concluded_at.map(|t| t.and_utc()),
        confirmed_at: progress.confirmed_at.map(|t| t.and_utc()),
        every_section_failed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};
    use ggzy_kernel::Money;
    use ggzy_trading::announcement::{AnnouncedSection, TenderDocument};

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(seconds, 0).unwrap()
    }

    fn content(kind: AnnouncementKind) -> AnnouncementContent {
        AnnouncementContent {
            project_id: "p1".into(),
            project_code: "P1".into(),
            project_name: "工程".into(),
            category: ggzy_rules::Category::Construction,
            kind,
            supersedes: None,
            summary: Some("摘要".into()),
            documents_issued_at: at(1_700_000_000),
            bid_deadline: at(1_701_000_000),
            opening_at: at(1_701_000_000),
            opening_place: "开标室".into(),
            documents: vec![TenderDocument { title: Some("招标文件".into()), sha256: Some("ab".into()) }],
            sections: vec![AnnouncedSection {
                section_id: "s1".into(),
                section_code: "S1".into(),
                name: "一标段".into(),
                estimated_amount: Money::from_fen(100).unwrap(),
                bond_amount: Money::from_fen(2).unwrap(),
            }],
            rule_set_version: 1,
            decryption_window_minutes: None,
        }
    }

    fn row() -> AnnouncementRow {
        AnnouncementRow {
            id: "a1".into(),
            project_id: "p1".into(),
            kind: "tender".into(),
            supersedes: None,
            published_at: at(1_699_000_000).naive_utc(),
            documents_issued_at: at(1_700_000_000).naive_utc(),
            bid_deadline: at(1_701_000_000).naive_utc(),
            opening_at: at(1_701_000_000).naive_utc(),
            opening_place: "开标室".into(),
            body: String::new(),
            content_hash: String::new(),
            published_by: String::new(),
            category: "construction".into(),
        }
    }

    #[test]
    fn a_notice_carries_the_announcement_as_published() {
        let notice = notice_of(row(), content(AnnouncementKind::Tender), true);
        assert_eq!(notice.id, "a1");
        assert_eq!(notice.published_at, at(1_699_000_000));
        assert!(!notice.correction && !notice.of_listing && notice.listed);
        assert_eq!(notice.summary.as_deref(), Some("摘要"));
        assert_eq!(notice.documents[0].title.as_deref(), Some("招标文件"));
        assert_eq!((notice.lots[0].code.as_str(), notice.lots[0].amount.fen()), ("S1", 100));
        assert_eq!(notice.opening_place, "开标室");
        assert!(notice_of(row(), content(AnnouncementKind::Correction), false).correction);
        assert!(notice_of(row(), content(AnnouncementKind::Listing), false).of_listing);
    }

    #[test]
    fn an_enquiry_carries_its_row() {
        let enquiry = enquiry_of(QuestionRow {
            id: "q1".into(),
            project_id: "p1".into(),
            asked_by: "b1".into(),
            question: "何时开标".into(),
            asked_at: at(1_700_000_000).naive_utc(),
            answer: Some("明日".into()),
            answered_at: Some(at(1_700_001_000).naive_utc()),
            answered_by: None,
        });
        assert_eq!(
            (enquiry.id.as_str(), enquiry.question.as_str(), enquiry.answer.as_deref()),
            ("q1", "何时开标", Some("明日"))
        );
        assert_eq!((enquiry.asked_at, enquiry.answered_at), (at(1_700_000_000), Some(at(1_700_001_000))));
    }

    use crate::fixtures::section_row as section;

    fn result(winner: Option<&str>, contract_amount: Option<i64>) -> ResultRow {
        ResultRow {
            section_id: "s1".into(),
            report: "[]".into(),
            publicity_start: at(1_700_000_000).naive_utc(),
            publicity_end: at(1_700_300_000).naive_utc(),
            winner_id: winner.map(Into::into),
            awarded_at: winner.map(|_| at(1_700_400_000).naive_utc()),
            contract_amount,
            contract_sha256: None,
            contract_signed_at: contract_amount.map(|_| at(1_700_500_000).naive_utc()),
            contract_late: None,
        }
    }

    fn candidate(rank: usize, bidder_id: &str, fen: i64) -> Candidate {
        Candidate {
            rank,
            bidder_id: bidder_id.into(),
            bidder_name: bidder_id.to_uppercase(),
            average_score: rust_decimal::Decimal::new(90, 0),
            price: Money::from_fen(fen).unwrap(),
        }
    }

    fn party(id: &str) -> release::Bidder {
        release::Bidder { org: release::Org { credit_code: format!("code-{id}"), name: id.into() }, supplier: false }
    }

    fn participant(id: &str) -> ParticipantRow {
        ParticipantRow {
            id: id.into(),
            credit_code: format!("code-{id}"),
            name: format!("name-{id}"),
            kinds: "bidder".into(),
            legal_representative: "法人".into(),
            legal_representative_person_id: None,
            organisation_code_warning: 0,
            created_at: at(1_600_000_000).naive_utc(),
            updated_at: at(1_600_000_000).naive_utc(),
            version: 1,
        }
    }

    #[test]
    fn sections_become_lots_and_a_negative_estimate_is_a_fault() {
        let lots = lots_of(vec![section(12_345)]).unwrap();
        assert_eq!((lots[0].code.as_str(), lots[0].name.as_str(), lots[0].amount.fen()), ("S1", "一标段", 12_345));
        let fault = lots_of(vec![section(7), section(-1)]).unwrap_err();
        assert_eq!(fault.column, "sections.estimated_amount");
    }

    #[test]
    fn a_result_marks_only_the_winner_and_keeps_the_order() {
        let candidates = [candidate(1, "b1", 100), candidate(2, "b2", 90)];
        let named =
            section_result_of(&result(Some("b2"), None), &candidates, vec![party("b1"), party("b2")], section(1));
        let winners: Vec<(usize, &str, bool)> =
            named.candidates.iter().map(|c| (c.rank, c.bidder.org.name.as_str(), c.winner)).collect();
        assert_eq!(winners, vec![(1, "b1", false), (2, "b2", true)]);
        assert_eq!(named.candidates[1].price.fen(), 90);
        assert_eq!((named.publicity_start, named.awarded_at), (at(1_700_000_000), Some(at(1_700_400_000))));
        let unawarded = section_result_of(&result(None, None), &candidates, vec![party("b1"), party("b2")], section(1));
        assert!(unawarded.candidates.iter().all(|c| !c.winner) && unawarded.awarded_at.is_none());
    }

    #[test]
    fn a_contract_names_the_winners_rank_and_its_amount() {
        let candidates = [candidate(1, "b1", 100), candidate(2, "b2", 90)];
        let contract = contract_of(&result(Some("b2"), Some(88)), &candidates, section(1), true).unwrap();
        assert_eq!((contract.winner_rank, contract.amount.map(|m| m.fen())), (Some(2), Some(88)));
        assert_eq!((contract.signed_at, contract.every_section_contracted), (Some(at(1_700_500_000)), true));
        let unsigned = contract_of(&result(Some("b9"), None), &candidates, section(1), false).unwrap();
        assert_eq!((unsigned.winner_rank, unsigned.amount, unsigned.signed_at), (None, None, None));
        let fault = contract_of(&result(Some("b1"), Some(-5)), &candidates, section(1), false).unwrap_err();
        assert_eq!(fault.column, "section_results.contract_amount");
    }

    #[test]
    fn a_direct_award_names_its_contractor_by_credit_code() {
        let award = DirectAwardRow {
            id: "d1".into(),
            project_id: "p1".into(),
            contractor_id: "c1".into(),
            amount: 5_000,
            reported_at: at(1_700_000_000).naive_utc(),
            publicity_end: at(1_700_100_000).naive_utc(),
            publicity_end_day: at(1_700_100_000).date_naive(),
            rule_id: "r".into(),
        };
        let named = direct_award_of(award.clone(), participant("c1")).unwrap();
        assert_eq!((named.id.as_str(), named.contractor.credit_code.as_str()), ("d1", "code-c1"));
        assert_eq!((named.amount.fen(), named.reported_at), (5_000, at(1_700_000_000)));
        assert!(direct_award_of(DirectAwardRow { amount: -1, ..award }, participant("c1")).is_err());
    }

    #[test]
    fn a_section_stands_as_its_opening_result_and_listing_say() {
        let opening = ggzy_store::bids::OpeningRow {
            section_id: "s1".into(),
            opened_at: at(1_700_000_000).naive_utc(),
            opened_by: "c".into(),
            witness_id: "w".into(),
            outcome: "failed".into(),
            record: serde_json::to_string(&crate::bids::OpeningRecord {
                section_id: "s1".into(),
                opened_at: at(1_700_000_000),
                witness: "王".into(),
                outcome: OpeningOutcome::Failed,
                bid_count: 1,
                min_bidders: 3,
                bids: vec![crate::bids::OpenedBid {
                    bidder_id: "b1".into(),
                    bidder_name: "甲".into(),
                    price: Money::parse("1.00").unwrap(),
                    documents: Vec::new(),
                    commitment: ggzy_trading::bidding::CommitmentCheck::None,
                }],
                not_opened: Vec::new(),
                objections: Vec::new(),
            })
            .unwrap(),
            bid_count: 1,
        };
        let records = SectionRecords {
            section: section(100),
            result: Some(result(Some("b1"), Some(90))),
            opening: Some(opening.clone()),
            listing: Some(listing()),
        };
        let standing = SectionStanding::of(records.clone()).unwrap();
        assert!(standing.opening_failed && standing.contracted);
        assert_eq!(standing.opened_bidders, ["b1"]);
        assert_eq!((standing.winner.as_deref(), standing.section.id.as_str()), (Some("b1"), "s1"));
        assert!(standing.listing_in(Phase::Sold));
        assert_eq!(standing.listing.as_ref().map(|(p, _)| p.listing_id.as_str()), Some("l1"));
        let bare =
            SectionStanding::of(SectionRecords { result: None, opening: None, listing: None, ..records.clone() });
        let bare = bare.unwrap();
        assert!(!bare.opening_failed && !bare.contracted && bare.winner.is_none() && bare.listing.is_none());
        assert!(bare.opened_bidders.is_empty());
        let spoiled = SectionRecords {
            opening: Some(ggzy_store::bids::OpeningRow { outcome: "x".into(), ..opening }),
            ..records
        };
        assert_eq!(SectionStanding::of(spoiled).unwrap_err().column, "openings.outcome");
    }

    fn listing() -> (ListingRow, ProgressRow) {
        let listing = ListingRow {
            id: "l1".into(),
            project_id: "p1".into(),
            section_id: "s1".into(),
            announcement_id: "a1".into(),
            starting_price: 1_000,
            increment: 10,
            reserve_price: Some(2_000),
            appraisal: None,
            deposit: 100,
            listing_start: at(1_700_000_000).naive_utc(),
            listing_end: at(1_700_900_000).naive_utc(),
            extension_seconds: 300,
            floor_approval: None,
            place: "交易大厅".into(),
            relisting_of: None,
            created_at: at(1_699_000_000).naive_utc(),
        };
        let progress = ProgressRow {
            listing_id: "l1".into(),
            phase: "sold".into(),
            current_price: Some(1_500),
            leader_id: Some("b1".into()),
            auction_end: None,
            quotes: 4,
            concluded_at: Some(at(1_700_950_000).naive_utc()),
            confirmation: None,
            confirmed_at: None,
            version: 3,
        };
        (listing, progress)
    }

    #[test]
    fn a_listing_carries_its_prices_and_where_it_stands() {
        let (row, progress) = listing();
        let sold =
            listing_of(row.clone(), progress.clone(), Phase::Sold, section(1), Some(party("b1")), false).unwrap();
        assert_eq!((sold.sold, sold.at_auction, sold.quotes), (true, false, 4));
        assert_eq!((sold.starting_price.fen(), sold.increment.fen(), sold.deposit.fen()), (1_000, 10, 100));
        assert_eq!(sold.price.map(|m| m.fen()), Some(1_500));
        assert_eq!(sold.winner.map(|w| w.org.name), Some("b1".to_owned()));
        assert_eq!((sold.section_code.as_str(), sold.place.as_str()), ("S1", "交易大厅"));
        assert_eq!(sold.concluded_at, Some(at(1_700_950_000)));
        let auction = listing_of(row.clone(), progress.clone(), Phase::Auction, section(1), None, true).unwrap();
        assert_eq!((auction.sold, auction.at_auction, auction.every_section_failed), (false, true, true));
        let fault =
            listing_of(ListingRow { deposit: -1, ..row }, progress, Phase::Sold, section(1), None, false).unwrap_err();
        assert_eq!(fault.column, "listings.deposit");
    }

    #[test]
    fn a_release_row_is_filed_under_its_project() {
        let project = crate::fixtures::project_row(at(1_600_000_000).naive_utc());
        let row = release_row(9, &project, "{}".into(), at(1_700_000_000).naive_utc());
        assert_eq!((row.position, row.project_id.as_str(), row.project_code.as_str()), (9, "p1", "GC1"));
        assert_eq!((row.body.as_str(), row.published_at), ("{}", at(1_700_000_000).naive_utc()));
    }

    #[test]
    fn a_sold_listings_leader_supplies_unless_it_refused() {
        let (_, progress) = listing();
        assert_eq!(listing_supplier(progress.clone(), Phase::Sold).unwrap().as_deref(), Some("b1"));
        let confirmed = ProgressRow { confirmation: Some("confirmed".into()), ..progress.clone() };
        assert_eq!(listing_supplier(confirmed, Phase::Sold).unwrap().as_deref(), Some("b1"));
        let refused = ProgressRow { confirmation: Some("refused".into()), ..progress.clone() };
        assert_eq!(listing_supplier(refused, Phase::Sold).unwrap(), None);
        assert_eq!(listing_supplier(progress.clone(), Phase::Auction).unwrap(), None, "not sold yet");
        assert_eq!(listing_supplier(ProgressRow { leader_id: None, ..progress.clone() }, Phase::Sold).unwrap(), None);
        let spoiled = ProgressRow { confirmation: Some("maybe".into()), ..progress };
        assert_eq!(listing_supplier(spoiled, Phase::Sold).unwrap_err().column, "listing_progress.confirmation");
    }

    fn standing(code: &str) -> SectionStanding {
        SectionStanding {
            section: SectionRow { code: code.into(), ..section(1) },
            opening_failed: false,
            contracted: false,
            winner: None,
            listing: None,
            opened_bidders: Vec::new(),
        }
    }

    #[test]
    fn the_tenderers_so_far_are_the_bidders_opened_in_any_section_each_once() {
        let opened = |code: &str, bidders: &[&str]| SectionStanding {
            opened_bidders: bidders.iter().map(|b| b.to_string()).collect(),
            ..standing(code)
        };
        assert_eq!(tenderers_so_far(&[]), 0);
        assert_eq!(tenderers_so_far(&[opened("S1", &["b1", "b2"]), opened("S2", &["b2", "b3"]), standing("S3")]), 3);
    }

    #[test]
    fn a_section_ends_completed_once_contracted_or_sold_and_failed_when_its_opening_failed() {
        let (_, progress) = listing();
        let cases = [
            (standing("S1"), false, false),
            (SectionStanding { contracted: true, ..standing("S1") }, true, false),
            (SectionStanding { listing: Some((progress.clone(), Phase::Sold)), ..standing("S1") }, true, false),
            (SectionStanding { listing: Some((progress.clone(), Phase::Failed)), ..standing("S1") }, false, false),
            (SectionStanding { opening_failed: true, ..standing("S1") }, false, true),
        ];
        for (standing, completed, failed) in cases {
            let end = standing.end();
            assert_eq!((end.completed, end.failed), (completed, failed), "{standing:?}");
        }
        let failed = SectionStanding { listing: Some((progress, Phase::Failed)), ..standing("S1") };
        assert!(failed.listing_in(Phase::Failed) && !failed.listing_in(Phase::Sold));
        assert!(!standing("S1").listing_in(Phase::Failed));
    }

    #[test]
    fn the_suppliers_are_the_winners_the_buyers_who_did_not_refuse_and_the_contractor() {
        let (_, progress) = listing();
        let refused =
            ProgressRow { leader_id: Some("b9".into()), confirmation: Some("refused".into()), ..progress.clone() };
        let sections = [
            SectionStanding { winner: Some("w1".into()), ..standing("S1") },
            SectionStanding { listing: Some((progress.clone(), Phase::Sold)), ..standing("S2") },
            SectionStanding { listing: Some((refused, Phase::Sold)), ..standing("S3") },
            SectionStanding { listing: Some((progress.clone(), Phase::Listing)), ..standing("S4") },
            SectionStanding { winner: Some("w1".into()), ..standing("S5") },
        ];
        let named: Vec<String> = suppliers(&sections, Some("c1".into())).unwrap().into_iter().collect();
        assert_eq!(named, vec!["b1".to_owned(), "c1".to_owned(), "w1".to_owned()]);
        assert!(suppliers(&[], None).unwrap().is_empty());
        let unreadable = ProgressRow { confirmation: Some("maybe".into()), ..progress };
        let broken = [SectionStanding { listing: Some((unreadable, Phase::Sold)), ..standing("S1") }];
        assert!(suppliers(&broken, None).is_err());
    }
}
