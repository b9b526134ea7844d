//! The releases of a contracting process, built from facts the service has loaded: which
//! audited actions publish one, which tag each gets, and which status its tender, lots,
//! awards and contracts take. Every fact is an argument; nothing here reads a database.

use chrono::{DateTime, Utc};
use ggzy_kernel::{AuditAction, Money};
use ggzy_rules::Category;
use serde_json::{json, Map, Value};

use crate::mapping::{
    beijing_date, party, party_reference, procurement_categories, procurement_method, value, Trading,
};

/// The audited actions that publish a release.
pub const RELEASE_ACTIONS: [AuditAction; 14] = [
    AuditAction::AnnouncementPublish,
    AuditAction::AnnouncementCorrect,
    AuditAction::QuestionAnswer,
    AuditAction::SectionOpen,
    AuditAction::SectionFail,
    AuditAction::EvaluationReport,
    AuditAction::SectionAward,
    AuditAction::SectionContract,
    AuditAction::ProjectReportDirectAward,
    AuditAction::ProjectTerminate,
    AuditAction::ListingCreate,
    AuditAction::ListingClose,
    AuditAction::ListingConfirm,
    AuditAction::ListingRefusal,
];

/// A public event that publishes a release, by the audited action that records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReleaseEvent {
    /// An announcement published or corrected (tender, tenderAmendment).
    Announcement,
    /// A question answered (答疑): an enquiry.
    Answer,
    /// A section opened, or failed at its opening (流标).
    Opening,
    /// The committee's candidates (pending awards).
    Candidates,
    /// The award: which candidate became it.
    Award,
    /// A section's contract.
    Contract,
    /// A project awarded without tendering (直接发包).
    DirectAward,
    /// A project terminated (终止).
    Termination,
    /// A listing's step.
    Listing(ListingEvent),
}

/// A listing's steps that publish a release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListingEvent {
    Create,
    Close,
    Confirm,
    Refusal,
}

impl ReleaseEvent {
    /// The event an audited action is, if it publishes a release.
    pub fn of_action(action: AuditAction) -> Option<ReleaseEvent> {
        Some(match action {
            AuditAction::AnnouncementPublish | AuditAction::AnnouncementCorrect => ReleaseEvent::Announcement,
            AuditAction::QuestionAnswer => ReleaseEvent::Answer,
            AuditAction::SectionOpen | AuditAction::SectionFail => ReleaseEvent::Opening,
            AuditAction::EvaluationReport => ReleaseEvent::Candidates,
            AuditAction::SectionAward => ReleaseEvent::Award,
            AuditAction::SectionContract => ReleaseEvent::Contract,
            AuditAction::ProjectReportDirectAward => ReleaseEvent::DirectAward,
            AuditAction::ProjectTerminate => ReleaseEvent::Termination,
            AuditAction::ListingCreate => ReleaseEvent::Listing(ListingEvent::Create),
            AuditAction::ListingClose => ReleaseEvent::Listing(ListingEvent::Close),
            AuditAction::ListingConfirm => ReleaseEvent::Listing(ListingEvent::Confirm),
            AuditAction::ListingRefusal => ReleaseEvent::Listing(ListingEvent::Refusal),
            _ => return None,
        })
    }
}

/// An organisation as releases name it: by its unified social credit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Org {
    pub credit_code: String,
    pub name: String,
}

impl Org {
    fn party(&self, roles: &[&str]) -> Value {
        party(&self.credit_code, &self.name, roles)
    }

    fn reference(&self) -> Value {
        party_reference(&self.credit_code, &self.name)
    }
}

/// A bidder named in a release, and whether it supplies under the process so far (section
/// winners, listing winners not refused, a direct award's contractor). Roles are replaced
/// whole when releases merge, so every release gives a party all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bidder {
    pub org: Org,
    pub supplier: bool,
}

impl Bidder {
    fn party(&self) -> Value {
        self.org.party(if self.supplier { &["tenderer", "supplier"] } else { &["tenderer"] })
    }
}

/// A project with its owner (tenderer or seller) and agency: what every release says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Process {
    pub code: String,
    pub name: String,
    pub category: Category,
    pub subtype: String,
    pub owner: Org,
    /// The agency of the commission in force, if any.
    pub agency: Option<Org>,
}

impl Process {
    /// Whether the project sells (land, mining rights, state property listings) rather than
    /// buys.
    pub fn sells(&self) -> bool {
        matches!(self.category, Category::LandMining | Category::StateProperty)
    }

    /// Who buys (or sells) and manages the process.
    fn base(&self, at: DateTime<Utc>, tag: &str) -> Draft {
        let mut release = Map::new();
        release.insert("date".into(), json!(beijing_date(at)));
        release.insert("tag".into(), json!([tag]));
        release.insert("initiationType".into(), json!("tender"));
        release.insert("language".into(), json!("zh"));
        let mut parties = Vec::new();
        let mut tender = Map::new();
        tender.insert("id".into(), json!(self.code));
        tender.insert("title".into(), json!(self.name));
        if self.sells() {
            // A seller manages its own sale; OCDS has no seller role.
            parties.push(self.owner.party(&["procuringEntity"]));
            tender.insert("procuringEntity".into(), self.owner.reference());
        } else {
            parties.push(self.owner.party(&["buyer"]));
            release.insert("buyer".into(), self.owner.reference());
            if let Some(agency) = &self.agency {
                parties.push(agency.party(&["procuringEntity"]));
                tender.insert("procuringEntity".into(), agency.reference());
            }
        }
        let categories = procurement_categories(self.category, &self.subtype);
        if let Some(main) = categories.main {
            tender.insert("mainProcurementCategory".into(), json!(main));
        }
        if !categories.additional.is_empty() {
            tender.insert("additionalProcurementCategories".into(), json!(categories.additional));
        }
        Draft { fields: release, tender, parties }
    }

    fn method(&self, trading: Trading, tender: &mut Map<String, Value>) {
        let (method, details) = procurement_method(self.category, &self.subtype, trading);
        tender.insert("procurementMethod".into(), json!(method));
        tender.insert("procurementMethodDetails".into(), json!(details));
    }
}

/// A release being assembled: its tender and parties apart until the end.
struct Draft {
    fields: Map<String, Value>,
    tender: Map<String, Value>,
    parties: Vec<Value>,
}

impl Draft {
    /// The release, each party once (the first mention, which carries every role it has in
    /// this release).
    fn finish(self) -> Value {
        let Draft { mut fields, tender, parties } = self;
        let mut seen = std::collections::BTreeSet::new();
        let parties: Vec<Value> =
            parties.into_iter().filter(|p| seen.insert(p["id"].as_str().unwrap_or_default().to_owned())).collect();
        fields.insert("parties".into(), Value::Array(parties));
        fields.insert("tender".into(), Value::Object(tender));
        Value::Object(fields)
    }
}

/// A section as a lot, with its estimated amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lot {
    pub code: String,
    pub name: String,
    pub amount: Money,
}

/// The planning release: the registration and entry decision, published just before the
/// process's first public event.
pub fn planning(process: &Process, at: DateTime<Utc>, budget: Money, rationale: Option<&str>, lots: &[Lot]) -> Value {
    let mut release = process.base(at, "planning");
    let total = value(budget);
    let mut planning = json!({"budget": {"description": "估算金额", "amount": total.clone()}});
    if let Some(reason) = rationale {
        planning["rationale"] = json!(reason);
    }
    release.fields.insert("planning".into(), planning);
    let lots: Vec<Value> = lots
        .iter()
        .map(|l| json!({"id": l.code, "title": l.name, "status": "planning", "value": value(l.amount)}))
        .collect();
    let tender = &mut release.tender;
    tender.insert("status".into(), json!("planning"));
    tender.insert("value".into(), total);
    if !lots.is_empty() {
        tender.insert("lots".into(), Value::Array(lots));
    }
    release.finish()
}

/// An announcement (招标公告) or its correction (更正公告) as the facts of its release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub id: String,
    pub published_at: DateTime<Utc>,
    pub correction: bool,
    /// A listing's announcement: published with the listing, whose release says more.
    pub of_listing: bool,
    pub summary: Option<String>,
    pub documents: Vec<NoticeDocument>,
    pub documents_issued_at: DateTime<Utc>,
    pub bid_deadline: DateTime<Utc>,
    pub opening_at: DateTime<Utc>,
    pub opening_place: String,
    pub lots: Vec<Lot>,
    /// Whether any of its sections is listed (挂牌) rather than tendered.
    pub listed: bool,
}

/// A tender document of an announcement: its title and SHA-256 digest, as announced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeDocument {
    pub title: Option<String>,
    pub sha256: Option<String>,
}

/// The release of an announcement (tender) or a correction (tenderAmendment); none for a
/// listing's announcement.
pub fn announcement(process: &Process, at: DateTime<Utc>, notice: &Notice) -> Option<Value> {
    if notice.of_listing {
        return None;
    }
    let mut release = process.base(at, if notice.correction { "tenderAmendment" } else { "tender" });
    let mut documents = vec![json!({
        "id": notice.id,
        "documentType": "tenderNotice",
        "title": if notice.correction { "更正公告" } else { "招标公告" },
        "url": format!("/api/v1/public/announcements/{}", notice.id),
        "datePublished": beijing_date(notice.published_at),
    })];
    for (n, document) in notice.documents.iter().enumerate() {
        documents.push(json!({
            "id": format!("{}-{}", notice.id, n + 1),
            "documentType": "biddingDocuments",
            "title": document.title,
            "description": document.sha256.as_ref().map(|h| format!("sha256:{h}")),
            "datePublished": beijing_date(notice.documents_issued_at),
        }));
    }
    // Each section's amount is within `Money::MAX`; their sum is capped there.
    let total = notice.lots.iter().fold(Money::ZERO, |total, lot| total.checked_add(lot.amount).unwrap_or(Money::MAX));
    let lots: Vec<Value> = notice
        .lots
        .iter()
        .map(|l| json!({"id": l.code, "title": l.name, "status": "active", "value": value(l.amount)}))
        .collect();
    process.method(if notice.listed { Trading::Listing } else { Trading::Tender }, &mut release.tender);
    let tender = &mut release.tender;
    tender.insert("status".into(), json!("active"));
    tender.insert("value".into(), value(total));
    tender.insert(
        "tenderPeriod".into(),
        json!({"startDate": beijing_date(notice.documents_issued_at), "endDate": beijing_date(notice.bid_deadline)}),
    );
    tender.insert("submissionMethod".into(), json!(["electronicSubmission"]));
    tender.insert(
        "submissionMethodDetails".into(),
        json!(format!("开标时间 {}，地点 {}", ggzy_kernel::beijing_text(notice.opening_at), notice.opening_place)),
    );
    tender.insert("documents".into(), Value::Array(documents));
    if !lots.is_empty() {
        tender.insert("lots".into(), Value::Array(lots));
    }
    if notice.correction {
        tender.insert(
            "amendments".into(),
            json!([{
                "id": notice.id,
                "date": beijing_date(notice.published_at),
                "rationale": notice.summary,
                "description": notice.summary,
            }]),
        );
    }
    Some(release.finish())
}

/// An answered question (答疑) as the public answers route shows it, never who asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enquiry {
    pub id: String,
    pub asked_at: DateTime<Utc>,
    pub question: String,
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// The release of an answered question: an enquiry.
pub fn enquiry(process: &Process, at: DateTime<Utc>, enquiry: &Enquiry) -> Value {
    let mut release = process.base(at, "tenderUpdate");
    let tender = &mut release.tender;
    tender.insert("hasEnquiries".into(), json!(true));
    tender.insert(
        "enquiries".into(),
        json!([{
            "id": enquiry.id,
            "date": beijing_date(enquiry.asked_at),
            "description": enquiry.question,
            "answer": enquiry.answer,
            "dateAnswered": enquiry.answered_at.map(beijing_date),
        }]),
    );
    release.finish()
}

/// A section's opening record as its release needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opening {
    pub section_code: String,
    pub opened_at: DateTime<Utc>,
    /// Fewer bids than the rules require arrived (流标).
    pub failed: bool,
    /// The bids opened, with their prices.
    pub bids: Vec<(Bidder, Money)>,
    /// Bidders whose sealed bids were not opened.
    pub not_opened: Vec<Bidder>,
    pub bid_count: usize,
    /// Whether every section of the process has failed at its opening.
    pub every_section_failed: bool,
    /// Bidders named in the process's opening records so far.
    pub tenderers_so_far: usize,
}

/// The release of an opening: the bids as the record shows them (tenderUpdate), or the
/// failure (tenderCancellation), the whole tender unsuccessful once every section failed.
pub fn opening(process: &Process, at: DateTime<Utc>, opening: &Opening) -> Value {
    let code = &opening.section_code;
    let mut release = process.base(at, if opening.failed { "tenderCancellation" } else { "tenderUpdate" });
    let mut tenderers = Vec::new();
    let mut details = Vec::new();
    for (bidder, price) in &opening.bids {
        release.parties.push(bidder.party());
        tenderers.push(bidder.org.reference());
        details.push(json!({
            "id": format!("{code}-{}", bidder.org.credit_code),
            "date": beijing_date(opening.opened_at),
            "status": "pending",
            "tenderers": [bidder.org.reference()],
            "value": value(*price),
            "relatedLots": [code],
        }));
    }
    for bidder in &opening.not_opened {
        release.parties.push(bidder.party());
        details.push(json!({
            "id": format!("{code}-{}", bidder.org.credit_code),
            "date": beijing_date(opening.opened_at),
            "status": "withdrawn",
            "tenderers": [bidder.org.reference()],
            "relatedLots": [code],
        }));
    }
    if !details.is_empty() {
        release.fields.insert(
            "bids".into(),
            json!({
                "details": details,
                "statistics": [{
                    "id": format!("{code}-bids"),
                    "measure": "bids",
                    "value": opening.bid_count,
                    "date": beijing_date(opening.opened_at),
                    "relatedLot": code,
                }],
            }),
        );
    }
    let tender = &mut release.tender;
    if !tenderers.is_empty() {
        tender.insert("tenderers".into(), Value::Array(tenderers));
    }
    tender.insert("numberOfTenderers".into(), json!(opening.tenderers_so_far));
    let lot_status = if opening.failed { "unsuccessful" } else { "active" };
    tender.insert("lots".into(), json!([{"id": code, "status": lot_status}]));
    if opening.failed && opening.every_section_failed {
        tender.insert("status".into(), json!("unsuccessful"));
    }
    release.finish()
}

/// A candidate (中标候选人) of a section's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub rank: usize,
    pub bidder: Bidder,
    pub price: Money,
    /// Whether it is the section's winner.
    pub winner: bool,
}

/// A section's result: its candidates, and the award once made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionResult {
    pub section_code: String,
    pub section_name: String,
    pub candidates: Vec<Candidate>,
    pub publicity_start: DateTime<Utc>,
    pub awarded_at: Option<DateTime<Utc>>,
}

/// The id of a candidate's award.
fn candidate_award_id(section_code: &str, rank: usize) -> String {
    format!("{section_code}-{rank}")
}

/// The candidates (`pending` awards, one per rank: tag award) and, once awarded (tag
/// awardUpdate), which became the award (`active`) and which did not (`unsuccessful`).
pub fn result(process: &Process, at: DateTime<Utc>, result: &SectionResult, awarded: bool) -> Value {
    let mut release = process.base(at, if awarded { "awardUpdate" } else { "award" });
    let mut awards = Vec::new();
    for candidate in &result.candidates {
        let winner = awarded && candidate.winner;
        release.parties.push(candidate.bidder.party());
        let status = match (awarded, winner) {
            (false, _) => "pending",
            (true, true) => "active",
            (true, false) => "unsuccessful",
        };
        let award_date = match (winner, result.awarded_at) {
            (true, Some(awarded_at)) => awarded_at,
            _ => result.publicity_start,
        };
        awards.push(json!({
            "id": candidate_award_id(&result.section_code, candidate.rank),
            "title": format!("{} 第{}中标候选人", result.section_name, candidate.rank),
            "status": status,
            "date": beijing_date(award_date),
            "value": value(candidate.price),
            "suppliers": [candidate.bidder.org.reference()],
            "relatedLots": [result.section_code],
        }));
    }
    if !awards.is_empty() {
        release.fields.insert("awards".into(), Value::Array(awards));
    }
    release.finish()
}

/// A section's contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    pub section_code: String,
    pub section_name: String,
    /// The winner's rank among the candidates.
    pub winner_rank: Option<usize>,
    pub amount: Option<Money>,
    pub signed_at: Option<DateTime<Utc>>,
    /// Whether every section of the process is contracted (the tender is complete).
    pub every_section_contracted: bool,
}

/// The release of a contract: the lot complete, and the tender once every lot is.
pub fn contract(process: &Process, at: DateTime<Utc>, contract: &Contract) -> Value {
    let code = &contract.section_code;
    let mut release = process.base(at, "contract");
    if let (Some(rank), Some(amount)) = (contract.winner_rank, contract.amount) {
        release.fields.insert(
            "contracts".into(),
            json!([{
                "id": format!("{code}-contract"),
                "awardID": candidate_award_id(code, rank),
                "title": format!("{} 合同", contract.section_name),
                "status": "active",
                "value": value(amount),
                "dateSigned": contract.signed_at.map(beijing_date),
            }]),
        );
    }
    let tender = &mut release.tender;
    tender.insert("lots".into(), json!([{"id": code, "status": "complete"}]));
    if contract.every_section_contracted {
        tender.insert("status".into(), json!("complete"));
    }
    release.finish()
}

/// A direct award (直接发包) reported for the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectAward {
    pub id: String,
    pub contractor: Org,
    pub reported_at: DateTime<Utc>,
    pub amount: Money,
}

/// The release of a direct award: the award, and the tender complete by the direct method.
pub fn direct_award(process: &Process, at: DateTime<Utc>, award: &DirectAward) -> Value {
    let mut release = process.base(at, "award");
    release.parties.push(award.contractor.party(&["supplier"]));
    release.fields.insert(
        "awards".into(),
        json!([{
            "id": format!("direct-{}", award.id),
            "title": "直接发包",
            "status": "active",
            "date": beijing_date(award.reported_at),
            "value": value(award.amount),
            "suppliers": [award.contractor.reference()],
        }]),
    );
    process.method(Trading::Direct, &mut release.tender);
    release.tender.insert("status".into(), json!("complete"));
    release.finish()
}

/// How a section stood when its project was terminated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SectionEnd {
    /// Contracted, or its listing sold.
    pub completed: bool,
    /// Failed at its opening.
    pub failed: bool,
}

impl SectionEnd {
    /// The lot's status after the termination: a section that had ended keeps its end.
    pub fn lot_status(self) -> &'static str {
        if self.completed {
            "complete"
        } else if self.failed {
            "unsuccessful"
        } else {
            "cancelled"
        }
    }
}

/// The release of a termination (终止): the process cancelled, each section's lot as it
/// ended.
pub fn termination(process: &Process, at: DateTime<Utc>, sections: &[(String, SectionEnd)]) -> Value {
    let mut release = process.base(at, "tenderCancellation");
    let lots: Vec<Value> = sections.iter().map(|(code, end)| json!({"id": code, "status": end.lot_status()})).collect();
    let tender = &mut release.tender;
    tender.insert("status".into(), json!("cancelled"));
    if !lots.is_empty() {
        tender.insert("lots".into(), Value::Array(lots));
    }
    release.finish()
}

/// A listing (挂牌) and where it stands, as its releases need it. The reserve price is not
/// among them: it is public only on the listing's own route once it has ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    pub id: String,
    pub announcement_id: String,
    pub section_code: String,
    pub section_name: String,
    pub starting_price: Money,
    pub increment: Money,
    pub deposit: Money,
    pub listing_start: DateTime<Utc>,
    pub listing_end: DateTime<Utc>,
    pub place: String,
    pub created_at: DateTime<Utc>,
    /// Quoting goes on at a live auction.
    pub at_auction: bool,
    /// Over, with a winner (成交).
    pub sold: bool,
    pub quotes: i64,
    /// The leader, when the listing is sold.
    pub winner: Option<Bidder>,
    pub price: Option<Money>,
    pub concluded_at: Option<DateTime<Utc>>,
    pub confirmed_at: Option<DateTime<Utc>>,
    /// Whether every section of the process has a failed listing.
    pub every_section_failed: bool,
}

/// A listing's release: the tender with its method (create); its result as an award,
/// pending until the winner confirms (contract) or refuses (awardCancellation); a failure
/// (流拍) as an unsuccessful lot. None for a close that moves the listing to its auction:
/// the result comes with the auction's own close.
pub fn listing(process: &Process, at: DateTime<Utc>, event: ListingEvent, listing: &Listing) -> Option<Value> {
    if event == ListingEvent::Close && listing.at_auction {
        return None;
    }
    let code = &listing.section_code;
    let award_id = format!("{code}-{}", listing.id);
    let tag = match event {
        ListingEvent::Create => "tender",
        ListingEvent::Close if listing.sold => "award",
        ListingEvent::Close => "tenderCancellation",
        ListingEvent::Confirm => "contract",
        ListingEvent::Refusal => "awardCancellation",
    };
    let mut release = process.base(at, tag);
    match event {
        ListingEvent::Create => {
            process.method(Trading::Listing, &mut release.tender);
            let tender = &mut release.tender;
            tender.insert("status".into(), json!("active"));
            tender.insert(
                "tenderPeriod".into(),
                json!({"startDate": beijing_date(listing.listing_start), "endDate": beijing_date(listing.listing_end)}),
            );
            tender.insert("submissionMethodDetails".into(), json!(listing.place));
            tender.insert(
                "documents".into(),
                json!([{
                    "id": listing.announcement_id,
                    "documentType": "tenderNotice",
                    "title": "挂牌公告",
                    "url": format!("/api/v1/public/listings/{}", listing.id),
                    "datePublished": beijing_date(listing.created_at),
                }]),
            );
            tender.insert(
                "lots".into(),
                json!([{
                    "id": code,
                    "title": listing.section_name,
                    "status": "active",
                    "value": value(listing.starting_price),
                    "description": format!(
                        "起始价 {} 元，加价幅度 {} 元，竞买保证金 {} 元",
                        listing.starting_price, listing.increment, listing.deposit
                    ),
                }]),
            );
        }
        ListingEvent::Refusal => {
            release.tender.insert(
                "lots".into(),
                json!([{"id": code, "status": "unsuccessful", "description": "竞得人放弃，未成交"}]),
            );
        }
        ListingEvent::Close => {
            let tender = &mut release.tender;
            if listing.sold {
                tender.insert("lots".into(), json!([{"id": code, "status": "complete"}]));
            } else {
                let why = if listing.quotes == 0 { "无人报价，流拍" } else { "报价未达保留价，流拍" };
                tender.insert("lots".into(), json!([{"id": code, "status": "unsuccessful", "description": why}]));
                if listing.every_section_failed {
                    tender.insert("status".into(), json!("unsuccessful"));
                }
            }
        }
        ListingEvent::Confirm => {}
    }
    if let (Some(winner), Some(price), true) = (&listing.winner, listing.price, listing.sold) {
        if event != ListingEvent::Create {
            let status = match event {
                ListingEvent::Confirm => "active",
                ListingEvent::Refusal => "cancelled",
                _ => "pending",
            };
            release.parties.push(winner.party());
            release.fields.insert(
                "awards".into(),
                json!([{
                    "id": award_id,
                    "title": format!("{} 成交", listing.section_name),
                    "status": status,
                    "date": listing.concluded_at.map(beijing_date),
                    "value": value(price),
                    "suppliers": [winner.org.reference()],
                    "relatedLots": [code],
                }]),
            );
            if event == ListingEvent::Confirm {
                release.fields.insert(
                    "contracts".into(),
                    json!([{
                        "id": format!("{award_id}-confirmation"),
                        "awardID": award_id,
                        "title": format!("{} 成交确认书", listing.section_name),
                        "status": "active",
                        "value": value(price),
                        "dateSigned": listing.confirmed_at.map(beijing_date),
                    }]),
                );
            }
        }
    }
    Some(release.finish())
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).single().unwrap_or_default()
    }

    fn yuan(fen: i64) -> Money {
        Money::from_fen(fen).unwrap_or_default()
    }

    fn org(code: &str, name: &str) -> Org {
        Org { credit_code: code.into(), name: name.into() }
    }

    fn process(category: Category) -> Process {
        Process {
            code: "A1101182611020001".into(),
            name: "溪翁庄水库除险加固".into(),
            category,
            subtype: "works".into(),
            owner: org("911101000000000001", "密云区水务局"),
            agency: Some(org("911101000000000002", "招标代理公司")),
        }
    }

    fn bidder(n: u8, supplier: bool) -> Bidder {
        Bidder { org: org(&format!("91110100000000010{n}"), &format!("投标人{n}")), supplier }
    }

    fn listed(sold: bool, at_auction: bool, quotes: i64, every_section_failed: bool) -> Listing {
        Listing {
            id: "L1".into(),
            announcement_id: "N1".into(),
            section_code: "S1".into(),
            section_name: "地块一".into(),
            starting_price: yuan(100_000_000),
            increment: yuan(1_000_000),
            deposit: yuan(20_000_000),
            listing_start: at(2, 1),
            listing_end: at(12, 1),
            place: "交易中心".into(),
            created_at: at(1, 1),
            at_auction,
            sold,
            quotes,
            winner: sold.then(|| bidder(1, true)),
            price: sold.then(|| yuan(105_000_000)),
            concluded_at: sold.then(|| at(12, 2)),
            confirmed_at: None,
            every_section_failed,
        }
    }

    #[test]
    fn every_release_action_is_an_event_and_nothing_else_is() {
        for action in RELEASE_ACTIONS {
            assert!(ReleaseEvent::of_action(action).is_some(), "{action}");
        }
        for action in AuditAction::ALL.iter().filter(|a| !RELEASE_ACTIONS.contains(a)) {
            assert_eq!(ReleaseEvent::of_action(*action), None, "{action}");
        }
        assert_eq!(ReleaseEvent::of_action(AuditAction::SectionFail), Some(ReleaseEvent::Opening));
        assert_eq!(
            ReleaseEvent::of_action(AuditAction::ListingRefusal),
            Some(ReleaseEvent::Listing(ListingEvent::Refusal))
        );
    }

    #[test]
    fn a_terminated_section_keeps_the_end_it_had() {
        let cases = [
            (SectionEnd { completed: true, failed: false }, "complete"),
            (SectionEnd { completed: true, failed: true }, "complete"),
            (SectionEnd { completed: false, failed: true }, "unsuccessful"),
            (SectionEnd { completed: false, failed: false }, "cancelled"),
        ];
        for (end, status) in cases {
            assert_eq!(end.lot_status(), status, "{end:?}");
        }
        let release = termination(&process(Category::Construction), at(3, 1), &[("S1".into(), cases[2].0)]);
        assert_eq!(release["tag"], json!(["tenderCancellation"]));
        assert_eq!(release["tender"]["status"], "cancelled");
        assert_eq!(release["tender"]["lots"], json!([{"id": "S1", "status": "unsuccessful"}]));
    }

    #[test]
    fn a_buyer_and_its_agency_are_named_and_a_seller_manages_its_sale() {
        let bought = planning(&process(Category::Construction), at(1, 1), yuan(50_000_000), Some("依法必须招标"), &[]);
        assert_eq!(bought["buyer"]["name"], "密云区水务局");
        assert_eq!(bought["tender"]["procuringEntity"]["name"], "招标代理公司");
        assert_eq!(bought["planning"]["rationale"], "依法必须招标");
        assert!(bought["tender"].get("lots").is_none(), "no lots without sections");
        let sold = planning(&process(Category::StateProperty), at(1, 1), yuan(50_000_000), None, &[]);
        assert!(sold.get("buyer").is_none());
        assert_eq!(sold["tender"]["procuringEntity"]["name"], "密云区水务局");
        assert_eq!(sold["parties"].as_array().map(Vec::len), Some(1), "the agency is not named in a sale");
    }

    #[test]
    fn a_listing_s_announcement_publishes_nothing_and_a_correction_amends() {
        let mut notice = Notice {
            id: "N1".into(),
            published_at: at(1, 1),
            correction: false,
            of_listing: true,
            summary: None,
            documents: vec![NoticeDocument { title: Some("招标文件".into()), sha256: Some("ab".into()) }],
            documents_issued_at: at(1, 2),
            bid_deadline: at(21, 2),
            opening_at: at(21, 2),
            opening_place: "开标室".into(),
            lots: vec![
                Lot { code: "S1".into(), name: "一标段".into(), amount: yuan(30_000_000) },
                Lot { code: "S2".into(), name: "二标段".into(), amount: yuan(20_000_000) },
            ],
            listed: false,
        };
        assert_eq!(announcement(&process(Category::Construction), at(1, 1), &notice), None);
        notice.of_listing = false;
        notice.correction = true;
        notice.summary = Some("开标时间延后".into());
        let release = announcement(&process(Category::Construction), at(1, 1), &notice).unwrap_or_default();
        assert_eq!(release["tag"], json!(["tenderAmendment"]));
        assert_eq!(release["tender"]["value"]["amount"], json!(500_000.0));
        assert_eq!(release["tender"]["amendments"][0]["rationale"], "开标时间延后");
        assert_eq!(release["tender"]["documents"][1]["description"], "sha256:ab");
        assert_eq!(release["tender"]["documents"][0]["title"], "更正公告");
    }

    #[test]
    fn an_opening_fails_the_tender_only_when_every_section_failed() {
        let mut record = Opening {
            section_code: "S1".into(),
            opened_at: at(21, 2),
            failed: true,
            bids: vec![(bidder(1, false), yuan(1_000_000))],
            not_opened: vec![bidder(2, false)],
            bid_count: 1,
            every_section_failed: false,
            tenderers_so_far: 1,
        };
        let one_failed = opening(&process(Category::Construction), at(21, 2), &record);
        assert_eq!(one_failed["tag"], json!(["tenderCancellation"]));
        assert_eq!(one_failed["tender"]["lots"][0]["status"], "unsuccessful");
        assert!(one_failed["tender"].get("status").is_none());
        assert_eq!(one_failed["bids"]["details"][1]["status"], "withdrawn");
        record.every_section_failed = true;
        let all_failed = opening(&process(Category::Construction), at(21, 2), &record);
        assert_eq!(all_failed["tender"]["status"], "unsuccessful");
        record.failed = false;
        let held = opening(&process(Category::Construction), at(21, 2), &record);
        assert_eq!(held["tag"], json!(["tenderUpdate"]));
        assert_eq!(held["tender"]["lots"][0]["status"], "active");
        assert!(held["tender"].get("status").is_none(), "a held opening fails nothing");
    }

    #[test]
    fn candidates_are_pending_until_the_award_picks_one() {
        let result_of = SectionResult {
            section_code: "S1".into(),
            section_name: "一标段".into(),
            candidates: vec![
                Candidate { rank: 1, bidder: bidder(1, true), price: yuan(900), winner: true },
                Candidate { rank: 2, bidder: bidder(2, false), price: yuan(950), winner: false },
            ],
            publicity_start: at(22, 1),
            awarded_at: Some(at(26, 1)),
        };
        let candidates = result(&process(Category::Construction), at(22, 1), &result_of, false);
        assert_eq!(candidates["tag"], json!(["award"]));
        let statuses: Vec<&Value> =
            candidates["awards"].as_array().into_iter().flatten().map(|a| &a["status"]).collect();
        assert_eq!(statuses, [&json!("pending"), &json!("pending")]);
        let awarded = result(&process(Category::Construction), at(26, 1), &result_of, true);
        assert_eq!(awarded["tag"], json!(["awardUpdate"]));
        assert_eq!(awarded["awards"][0]["status"], "active");
        assert_eq!(awarded["awards"][0]["date"], beijing_date(at(26, 1)));
        assert_eq!(awarded["awards"][1]["status"], "unsuccessful");
        assert_eq!(awarded["awards"][1]["date"], beijing_date(at(22, 1)));
        assert_eq!(awarded["awards"][0]["id"], "S1-1");
        let roles = |n: usize| awarded["parties"][n]["roles"].clone();
        // The buyer and agency first, then the bidders.
        assert_eq!(roles(2), json!(["tenderer", "supplier"]));
        assert_eq!(roles(3), json!(["tenderer"]));
    }

    #[test]
    fn a_contract_completes_its_lot_and_the_tender_with_the_last() {
        let mut signed = Contract {
            section_code: "S1".into(),
            section_name: "一标段".into(),
            winner_rank: Some(1),
            amount: Some(yuan(900)),
            signed_at: Some(at(28, 1)),
            every_section_contracted: false,
        };
        let first = contract(&process(Category::Construction), at(28, 1), &signed);
        assert_eq!(first["contracts"][0]["awardID"], "S1-1");
        assert_eq!(first["tender"]["lots"][0]["status"], "complete");
        assert!(first["tender"].get("status").is_none());
        signed.every_section_contracted = true;
        let last = contract(&process(Category::Construction), at(28, 1), &signed);
        assert_eq!(last["tender"]["status"], "complete");
    }

    #[test]
    fn a_listing_s_steps_have_their_tags_and_statuses() {
        let seller = process(Category::StateProperty);
        let create = listing(&seller, at(1, 1), ListingEvent::Create, &listed(false, false, 0, false));
        let create = create.unwrap_or_default();
        assert_eq!(create["tag"], json!(["tender"]));
        assert!(create.get("awards").is_none());
        assert!(create.to_string().contains("起始价 1000000.00 元"), "{create}");
        // A close that starts the auction publishes nothing.
        assert_eq!(listing(&seller, at(12, 1), ListingEvent::Close, &listed(false, true, 3, false)), None);
        let sold = listing(&seller, at(12, 2), ListingEvent::Close, &listed(true, false, 3, false)).unwrap_or_default();
        assert_eq!(sold["tag"], json!(["award"]));
        assert_eq!(sold["awards"][0]["status"], "pending");
        assert_eq!(sold["tender"]["lots"][0]["status"], "complete");
        let unquoted =
            listing(&seller, at(12, 2), ListingEvent::Close, &listed(false, false, 0, true)).unwrap_or_default();
        assert_eq!(unquoted["tag"], json!(["tenderCancellation"]));
        assert_eq!(unquoted["tender"]["lots"][0]["description"], "无人报价，流拍");
        assert_eq!(unquoted["tender"]["status"], "unsuccessful");
        let under_reserve =
            listing(&seller, at(12, 2), ListingEvent::Close, &listed(false, false, 2, false)).unwrap_or_default();
        assert_eq!(under_reserve["tender"]["lots"][0]["description"], "报价未达保留价，流拍");
        assert!(under_reserve["tender"].get("status").is_none());
        let confirmed =
            listing(&seller, at(13, 2), ListingEvent::Confirm, &listed(true, false, 3, false)).unwrap_or_default();
        assert_eq!(confirmed["tag"], json!(["contract"]));
        assert_eq!(confirmed["awards"][0]["status"], "active");
        assert_eq!(confirmed["contracts"][0]["awardID"], "S1-L1");
        let refused =
            listing(&seller, at(13, 2), ListingEvent::Refusal, &listed(true, false, 3, false)).unwrap_or_default();
        assert_eq!(refused["tag"], json!(["awardCancellation"]));
        assert_eq!(refused["awards"][0]["status"], "cancelled");
        assert_eq!(refused["tender"]["lots"][0]["description"], "竞得人放弃，未成交");
    }
}
