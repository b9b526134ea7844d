//! Every public contracting process as OCDS 1.1.5 (release packages and records).
//!
//! A release is written in the transaction of the public event that makes it, from what is
//! public at that moment: the registration and entry decision (planning), the announcement
//! and its corrections (tender, tenderAmendment), the opening record (tenderUpdate, or
//! tenderCancellation when it failed), the candidates, award and contract, a direct award,
//! a termination, and listings with their result and confirmation. Nothing about bids is
//! written before the opening record exists, no reserve price before a listing ends, no
//! person at all: parties are organisations, by unified social credit code. Releases are
//! read in commit order with a cursor; a process's releases merge into its record by the
//! standard's rules (`ggzy_ocds::merge`).

use chrono::{DateTime, NaiveDateTime, Utc};
use ggzy_kernel::Money;
use ggzy_ocds::{party, party_reference, value, Trading};
use ggzy_rules::Category;
use ggzy_store::ocds::{self as repo, ReleaseRow};
use ggzy_store::participants::ParticipantRow;
use ggzy_store::projects::{ProjectRow, SectionRow};
use ggzy_store::DbConnection;
use ggzy_trading::lifecycle::{AnnouncementKind, OpeningOutcome};
use ggzy_trading::listing::Phase;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use utoipa::IntoParams;

use crate::announcements::AnnouncementContent;
use crate::evaluation::Candidate;
use crate::{utc, Platform, ServiceError};

/// Who publishes and under which `ocid` prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcdsPublication {
    /// The prefix the Open Contracting Partnership registered for the publisher, e.g.
    /// `ocds-213czf`; every `ocid` is the prefix, a hyphen and the project code.
    pub prefix: String,
    /// The platform's public address, without a trailing slash; package `uri`s and
    /// document links start with it.
    pub base_url: String,
    /// The publisher's name.
    pub publisher: String,
}

impl Default for OcdsPublication {
    fn default() -> Self {
        OcdsPublication {
            prefix: "ocds-ggzy00".into(),
            base_url: "http://127.0.0.1:8080".into(),
            publisher: "密云区公共资源交易中心".into(),
        }
    }
}

impl OcdsPublication {
    /// The ocid of a project.
    pub fn ocid(&self, project_code: &str) -> String {
        format!("{}-{project_code}", self.prefix)
    }

    /// The project code an ocid names, if it carries this publisher's prefix.
    fn project_code<'a>(&self, ocid: &'a str) -> Option<&'a str> {
        ocid.strip_prefix(self.prefix.as_str())?.strip_prefix('-').filter(|code| !code.is_empty())
    }
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReleaseQuery {
    /// The `after` of the previous page's `links.next`; from the first release if absent.
    pub after: Option<String>,
    /// Releases per page, 1 to 200 (default 100).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// The audited actions that make a release.
const RELEASE_ACTIONS: [&str; 14] = [
    "announcement.publish",
    "announcement.correct",
    "question.answer",
    "section.open",
    "section.fail",
    "evaluation.report",
    "section.award",
    "section.contract",
    "project.report_direct_award",
    "project.terminate",
    "listing.create",
    "listing.close",
    "listing.confirm",
    "listing.refusal",
];

fn makes_release(action: &str) -> bool {
    RELEASE_ACTIONS.contains(&action)
}

/// Writes the release an audited action makes, if it makes one; inside its transaction.
pub(crate) fn record_release(
    conn: &mut DbConnection,
    action: &str,
    object_id: &str,
    chain: &str,
    at: NaiveDateTime,
) -> Result<(), ServiceError> {
    if !makes_release(action) {
        return Ok(());
    }
    let Some(project_id) = chain.strip_prefix("project:") else { return Ok(()) };
    let process = Process::load(conn, project_id)?;
    let Some(release) = process.release(conn, action, object_id, at)? else { return Ok(()) };
    // A project is not public until its first public event: its planning (registration
    // and entry decision) is published then, just before it.
    if !repo::exists_for(conn, project_id)? {
        let planning = process.planning(conn, at)?.finish();
        insert_release(conn, &process, &planning, at)?;
    }
    insert_release(conn, &process, &release, at)
}

fn insert_release(
    conn: &mut DbConnection,
    process: &Process,
    release: &Value,
    at: NaiveDateTime,
) -> Result<(), ServiceError> {
    let row = ReleaseRow {
        position: repo::next_position(conn)?,
        project_id: process.project.id.clone(),
        project_code: process.project.code.clone(),
        published_at: at,
        body: crate::json_text(release)?,
    };
    repo::insert(conn, &row)?;
    Ok(())
}

fn internal(what: &str) -> impl Fn(serde_json::Error) -> ServiceError + '_ {
    move |e| ServiceError::Internal(format!("{what}: {e}"))
}

fn money(fen: i64) -> Result<Money, ServiceError> {
    Money::from_fen(fen).map_err(|e| ServiceError::Internal(e.to_string()))
}

fn date(at: NaiveDateTime) -> String {
    ggzy_ocds::beijing_date(utc(at))
}

fn date_utc(at: DateTime<Utc>) -> String {
    ggzy_ocds::beijing_date(at)
}

/// A project with its owner (tenderer or seller) and agency, as releases name them.
struct Process {
    project: ProjectRow,
    category: Category,
    owner: ParticipantRow,
    agency: Option<ParticipantRow>,
    /// Whether the project sells (land, mining rights, state property listings) rather than buys.
    sells: bool,
}

impl Process {
    fn load(conn: &mut DbConnection, project_id: &str) -> Result<Process, ServiceError> {
        let project =
            ggzy_store::projects::find(conn, project_id)?.ok_or(ServiceError::NotFound { what: "project" })?;
        let category = Category::from_key(&project.category)
            .ok_or_else(|| ServiceError::Internal(format!("project category {}", project.category)))?;
        let owner = participant(conn, &project.tenderer_id)?;
        let agency = match ggzy_store::projects::commissions_of(conn, project_id)?
            .into_iter()
            .rev()
            .find(|c| c.revoked_at.is_none())
        {
            Some(commission) => Some(participant(conn, &commission.agency_id)?),
            None => None,
        };
        let sells = matches!(category, Category::LandMining | Category::StateProperty);
        Ok(Process { project, category, owner, agency, sells })
    }

    /// What every release of the process says: who buys (or sells) and manages it.
    fn base(&self, at: NaiveDateTime, tag: &str) -> Draft {
        let mut release = Map::new();
        release.insert("date".into(), json!(date(at)));
        release.insert("tag".into(), json!([tag]));
        release.insert("initiationType".into(), json!("tender"));
        release.insert("language".into(), json!("zh"));
        let mut parties = Vec::new();
        let mut tender = Map::new();
        tender.insert("id".into(), json!(self.project.code));
        tender.insert("title".into(), json!(self.project.name));
        if self.sells {
            // A seller manages its own sale; OCDS has no seller role.
            parties.push(party(&self.owner.credit_code, &self.owner.name, &["procuringEntity"]));
            tender.insert("procuringEntity".into(), party_reference(&self.owner.credit_code, &self.owner.name));
        } else {
            parties.push(party(&self.owner.credit_code, &self.owner.name, &["buyer"]));
            release.insert("buyer".into(), party_reference(&self.owner.credit_code, &self.owner.name));
            if let Some(agency) = &self.agency {
                parties.push(party(&agency.credit_code, &agency.name, &["procuringEntity"]));
                tender.insert("procuringEntity".into(), party_reference(&agency.credit_code, &agency.name));
            }
        }
        let categories = ggzy_ocds::procurement_categories(self.category, &self.project.subtype);
        if let Some(main) = categories.main {
            tender.insert("mainProcurementCategory".into(), json!(main));
        }
        if !categories.additional.is_empty() {
            tender.insert("additionalProcurementCategories".into(), json!(categories.additional));
        }
        Draft { fields: release, tender, parties }
    }

    fn release(
        &self,
        conn: &mut DbConnection,
        action: &str,
        object_id: &str,
        at: NaiveDateTime,
    ) -> Result<Option<Value>, ServiceError> {
        let release = match action {
            "announcement.publish" | "announcement.correct" => match self.announcement(conn, object_id, at)? {
                Some(release) => release,
                // A listing's announcement is published with the listing, which says more.
                None => return Ok(None),
            },
            "question.answer" => self.enquiry(conn, object_id, at)?,
            "section.open" | "section.fail" => self.opening(conn, object_id, at)?,
            "evaluation.report" | "section.award" => self.result(conn, object_id, at, action == "section.award")?,
            "section.contract" => self.contract(conn, object_id, at)?,
            "project.report_direct_award" => self.direct_award(conn, at)?,
            "project.terminate" => self.termination(conn, at)?,
            "listing.create" | "listing.close" | "listing.confirm" | "listing.refusal" => {
                match self.listing(conn, object_id, action, at)? {
                    Some(release) => release,
                    None => return Ok(None),
                }
            }
            _ => return Ok(None),
        };
        Ok(Some(release.finish()))
    }

    fn planning(&self, conn: &mut DbConnection, at: NaiveDateTime) -> Result<Draft, ServiceError> {
        let mut release = self.base(at, "planning");
        let details: Value = crate::from_json_column(&self.project.details, "project details")?;
        let total = value(money(self.project.estimated_total)?);
        let mut planning = json!({"budget": {"description": "估算金额", "amount": total.clone()}});
        if let Some(reason) = details["entry_decision"]["reason"].as_str() {
            planning["rationale"] = json!(reason);
        }
        release.fields.insert("planning".into(), planning);
        let lots = sections(conn, &self.project.id)?
            .iter()
            .map(|s| Ok(json!({"id": s.code, "title": s.name, "status": "planning", "value": value(money(s.estimated_amount)?)})))
            .collect::<Result<Vec<_>, ServiceError>>()?;
        let tender = &mut release.tender;
        tender.insert("status".into(), json!("planning"));
        tender.insert("value".into(), total);
        if !lots.is_empty() {
            tender.insert("lots".into(), Value::Array(lots));
        }
        Ok(release)
    }

    fn announcement(
        &self,
        conn: &mut DbConnection,
        announcement_id: &str,
        at: NaiveDateTime,
    ) -> Result<Option<Draft>, ServiceError> {
        let row = ggzy_store::announcements::find(conn, announcement_id)?
            .ok_or(ServiceError::NotFound { what: "announcement" })?;
        let content: AnnouncementContent = crate::from_json_column(&row.body, "announcement")?;
        if content.kind == AnnouncementKind::Listing {
            return Ok(None);
        }
        let correction = content.kind == AnnouncementKind::Correction;
        let mut release = self.base(at, if correction { "tenderAmendment" } else { "tender" });
        let notice_url = format!("/api/v1/public/announcements/{}", row.id);
        let mut documents = vec![json!({
            "id": row.id,
            "documentType": "tenderNotice",
            "title": if correction { "更正公告" } else { "招标公告" },
            "url": notice_url,
            "datePublished": date(row.published_at),
        })];
        for (n, document) in content.documents.iter().enumerate() {
            documents.push(json!({
                "id": format!("{}-{}", row.id, n + 1),
                "documentType": "biddingDocuments",
                "title": document.title,
                "description": document.sha256.as_ref().map(|h| format!("sha256:{h}")),
                "datePublished": date_utc(content.documents_issued_at),
            }));
        }
        let mut total = 0_i64;
        let lots = content
            .sections
            .iter()
            .map(|s| {
                total = total.saturating_add(s.estimated_amount.fen());
                json!({"id": s.section_code, "title": s.name, "status": "active", "value": value(s.estimated_amount)})
            })
            .collect::<Vec<_>>();
        let mut trading = Trading::Tender;
        for announced in &content.sections {
            if ggzy_store::listings::of_section(conn, &announced.section_id)?.is_some() {
                trading = Trading::Listing;
            }
        }
        let (method, details) = ggzy_ocds::procurement_method(self.category, &self.project.subtype, trading);
        let tender = &mut release.tender;
        tender.insert("status".into(), json!("active"));
        tender.insert("procurementMethod".into(), json!(method));
        tender.insert("procurementMethodDetails".into(), json!(details));
        tender.insert("value".into(), value(money(total)?));
        tender.insert(
            "tenderPeriod".into(),
            json!({"startDate": date_utc(content.documents_issued_at), "endDate": date_utc(content.bid_deadline)}),
        );
        tender.insert("submissionMethod".into(), json!(["electronicSubmission"]));
        tender.insert(
            "submissionMethodDetails".into(),
            json!(format!(
                "开标时间 {}，地点 {}",
                ggzy_kernel::beijing_text(content.opening_at),
                content.opening_place
            )),
        );
        tender.insert("documents".into(), Value::Array(documents));
        if !lots.is_empty() {
            tender.insert("lots".into(), Value::Array(lots));
        }
        if correction {
            tender.insert(
                "amendments".into(),
                json!([{
                    "id": row.id,
                    "date": date(row.published_at),
                    "rationale": content.summary,
                    "description": content.summary,
                }]),
            );
        }
        Ok(Some(release))
    }

    /// An answered question (答疑) as an enquiry: the question and the answer as the public
    /// answers route shows them, never who asked.
    fn enquiry(&self, conn: &mut DbConnection, question_id: &str, at: NaiveDateTime) -> Result<Draft, ServiceError> {
        let question = ggzy_store::conduct::find_question(conn, question_id)?
            .ok_or(ServiceError::NotFound { what: "question" })?;
        let mut release = self.base(at, "tenderUpdate");
        let tender = &mut release.tender;
        tender.insert("hasEnquiries".into(), json!(true));
        tender.insert(
            "enquiries".into(),
            json!([{
                "id": question.id,
                "date": date(question.asked_at),
                "description": question.question,
                "answer": question.answer,
                "dateAnswered": question.answered_at.map(date),
            }]),
        );
        Ok(release)
    }

    fn opening(&self, conn: &mut DbConnection, section_id: &str, at: NaiveDateTime) -> Result<Draft, ServiceError> {
        let record = crate::bids::opening_record_in(conn, section_id)?;
        let section = section(conn, section_id)?;
        let suppliers = self.suppliers(conn)?;
        let failed = record.outcome == OpeningOutcome::Failed;
        let mut release = self.base(at, if failed { "tenderCancellation" } else { "tenderUpdate" });
        let mut tenderers = Vec::new();
        let mut details = Vec::new();
        for bid in &record.bids {
            let bidder = participant(conn, &bid.bidder_id)?;
            release.parties.push(party(&bidder.credit_code, &bidder.name, roles(&suppliers, &bidder.id)));
            tenderers.push(party_reference(&bidder.credit_code, &bidder.name));
            details.push(json!({
                "id": format!("{}-{}", section.code, bidder.credit_code),
                "date": date_utc(record.opened_at),
                "status": "pending",
                "tenderers": [party_reference(&bidder.credit_code, &bidder.name)],
                "value": value(bid.price),
                "relatedLots": [section.code],
            }));
        }
        for not_opened in &record.not_opened {
            let bidder = participant(conn, &not_opened.bidder_id)?;
            release.parties.push(party(&bidder.credit_code, &bidder.name, roles(&suppliers, &bidder.id)));
            details.push(json!({
                "id": format!("{}-{}", section.code, bidder.credit_code),
                "date": date_utc(record.opened_at),
                "status": "withdrawn",
                "tenderers": [party_reference(&bidder.credit_code, &bidder.name)],
                "relatedLots": [section.code],
            }));
        }
        let lot_status = if failed { "unsuccessful" } else { "active" };
        let process_failed = failed && self.every_section(conn, |c, s| opening_failed(c, &s.id))?;
        let opened_so_far = self.tenderer_count(conn)?;
        if !details.is_empty() {
            release.fields.insert(
                "bids".into(),
                json!({
                    "details": details,
                    "statistics": [{
                        "id": format!("{}-bids", section.code),
                        "measure": "bids",
                        "value": record.bid_count,
                        "date": date_utc(record.opened_at),
                        "relatedLot": section.code,
                    }],
                }),
            );
        }
        let tender = &mut release.tender;
        if !tenderers.is_empty() {
            tender.insert("tenderers".into(), Value::Array(tenderers));
        }
        tender.insert("numberOfTenderers".into(), json!(opened_so_far));
        tender.insert("lots".into(), json!([{"id": section.code, "status": lot_status}]));
        if process_failed {
            tender.insert("status".into(), json!("unsuccessful"));
        }
        Ok(release)
    }

    /// The candidates (`pending` awards, one per rank) and, once awarded, which became the
    /// award (`active`) and which did not (`unsuccessful`).
    fn result(
        &self,
        conn: &mut DbConnection,
        section_id: &str,
        at: NaiveDateTime,
        awarded: bool,
    ) -> Result<Draft, ServiceError> {
        let row = ggzy_store::evaluation::result(conn, section_id)?.ok_or(ServiceError::NotFound { what: "result" })?;
        let candidates: Vec<Candidate> = crate::from_json_column(&row.report, "report")?;
        let section = section(conn, section_id)?;
        let suppliers = self.suppliers(conn)?;
        let mut release = self.base(at, if awarded { "awardUpdate" } else { "award" });
        let mut awards = Vec::new();
        for candidate in &candidates {
            let bidder = participant(conn, &candidate.bidder_id)?;
            let winner = awarded && row.winner_id.as_deref() == Some(candidate.bidder_id.as_str());
            release.parties.push(party(&bidder.credit_code, &bidder.name, roles(&suppliers, &bidder.id)));
            let status = match (awarded, winner) {
                (false, _) => "pending",
                (true, true) => "active",
                (true, false) => "unsuccessful",
            };
            let award_date = match (winner, row.awarded_at) {
                (true, Some(awarded_at)) => date(awarded_at),
                _ => date(row.publicity_start),
            };
            awards.push(json!({
                "id": candidate_award_id(&section, candidate.rank),
                "title": format!("{} 第{}中标候选人", section.name, candidate.rank),
                "status": status,
                "date": award_date,
                "value": value(candidate.price),
                "suppliers": [party_reference(&bidder.credit_code, &bidder.name)],
                "relatedLots": [section.code],
            }));
        }
        if !awards.is_empty() {
            release.fields.insert("awards".into(), Value::Array(awards));
        }
        Ok(release)
    }

    fn contract(&self, conn: &mut DbConnection, section_id: &str, at: NaiveDateTime) -> Result<Draft, ServiceError> {
        let row = ggzy_store::evaluation::result(conn, section_id)?.ok_or(ServiceError::NotFound { what: "result" })?;
        let candidates: Vec<Candidate> = crate::from_json_column(&row.report, "report")?;
        let section = section(conn, section_id)?;
        let mut release = self.base(at, "contract");
        let rank = candidates.iter().find(|c| row.winner_id.as_deref() == Some(c.bidder_id.as_str())).map(|c| c.rank);
        if let (Some(rank), Some(amount)) = (rank, row.contract_amount) {
            release.fields.insert(
                "contracts".into(),
                json!([{
                    "id": format!("{}-contract", section.code),
                    "awardID": candidate_award_id(&section, rank),
                    "title": format!("{} 合同", section.name),
                    "status": "active",
                    "value": value(money(amount)?),
                    "dateSigned": row.contract_signed_at.map(date),
                }]),
            );
        }
        let complete = self.every_section(conn, |c, s| contracted(c, &s.id))?;
        let tender = &mut release.tender;
        tender.insert("lots".into(), json!([{"id": section.code, "status": "complete"}]));
        if complete {
            tender.insert("status".into(), json!("complete"));
        }
        Ok(release)
    }

    fn direct_award(&self, conn: &mut DbConnection, at: NaiveDateTime) -> Result<Draft, ServiceError> {
        let award = ggzy_store::projects::direct_award_of(conn, &self.project.id)?
            .ok_or(ServiceError::NotFound { what: "direct award" })?;
        let contractor = participant(conn, &award.contractor_id)?;
        let mut release = self.base(at, "award");
        release.parties.push(party(&contractor.credit_code, &contractor.name, &["supplier"]));
        release.fields.insert(
            "awards".into(),
            json!([{
                "id": format!("direct-{}", award.id),
                "title": "直接发包",
                "status": "active",
                "date": date(award.reported_at),
                "value": value(money(award.amount)?),
                "suppliers": [party_reference(&contractor.credit_code, &contractor.name)],
            }]),
        );
        let (method, details) = ggzy_ocds::procurement_method(self.category, &self.project.subtype, Trading::Direct);
        let tender = &mut release.tender;
        tender.insert("status".into(), json!("complete"));
        tender.insert("procurementMethod".into(), json!(method));
        tender.insert("procurementMethodDetails".into(), json!(details));
        Ok(release)
    }

    /// Termination (终止): the process is cancelled; sections already contracted or failed
    /// keep their end.
    fn termination(&self, conn: &mut DbConnection, at: NaiveDateTime) -> Result<Draft, ServiceError> {
        let mut release = self.base(at, "tenderCancellation");
        let mut lots = Vec::new();
        for section in sections(conn, &self.project.id)? {
            let status = if contracted(conn, &section.id)? || listing_sold(conn, &section.id)? {
                "complete"
            } else if opening_failed(conn, &section.id)? {
                "unsuccessful"
            } else {
                "cancelled"
            };
            lots.push(json!({"id": section.code, "status": status}));
        }
        let tender = &mut release.tender;
        tender.insert("status".into(), json!("cancelled"));
        if !lots.is_empty() {
            tender.insert("lots".into(), Value::Array(lots));
        }
        Ok(release)
    }

    /// A listing (挂牌) as a tender with its method; its result as an award, pending until
    /// the winner confirms (contract) or refuses (cancelled). The reserve price is never
    /// written: it is public only on the listing's own route once it has ended.
    fn listing(
        &self,
        conn: &mut DbConnection,
        listing_id: &str,
        action: &str,
        at: NaiveDateTime,
    ) -> Result<Option<Draft>, ServiceError> {
        let (listing, progress) =
            ggzy_store::listings::find(conn, listing_id)?.ok_or(ServiceError::NotFound { what: "listing" })?;
        let section = section(conn, &listing.section_id)?;
        let award_id = format!("{}-{}", section.code, listing.id);
        let phase = Phase::from_key(&progress.phase)
            .ok_or_else(|| ServiceError::Internal(format!("listing phase {}", progress.phase)))?;
        if action == "listing.close" && phase == Phase::Auction {
            // Quoting goes on at the auction; the result comes with its own close.
            return Ok(None);
        }
        let sold = phase == Phase::Sold;
        let tag = match action {
            "listing.create" => "tender",
            "listing.close" if sold => "award",
            "listing.close" => "tenderCancellation",
            "listing.confirm" => "contract",
            _ => "awardCancellation",
        };
        let mut release = self.base(at, tag);
        let winner = match (&progress.leader_id, sold) {
            (Some(leader), true) => Some(participant(conn, leader)?),
            _ => None,
        };
        let price = progress.current_price.map(money).transpose()?;
        match action {
            "listing.create" => {
                let (method, details) =
                    ggzy_ocds::procurement_method(self.category, &self.project.subtype, Trading::Listing);
                let starting = value(money(listing.starting_price)?);
                let tender = &mut release.tender;
                tender.insert("status".into(), json!("active"));
                tender.insert("procurementMethod".into(), json!(method));
                tender.insert("procurementMethodDetails".into(), json!(details));
                tender.insert(
                    "tenderPeriod".into(),
                    json!({"startDate": date(listing.listing_start), "endDate": date(listing.listing_end)}),
                );
                tender.insert("submissionMethodDetails".into(), json!(listing.place));
                tender.insert(
                    "documents".into(),
                    json!([{
                        "id": listing.announcement_id,
                        "documentType": "tenderNotice",
                        "title": "挂牌公告",
                        "url": format!("/api/v1/public/listings/{}", listing.id),
                        "datePublished": date(listing.created_at),
                    }]),
                );
                tender.insert(
                    "lots".into(),
                    json!([{
                        "id": section.code,
                        "title": section.name,
                        "status": "active",
                        "value": starting,
                        "description": format!(
                            "起始价 {} 元，加价幅度 {} 元，竞买保证金 {} 元",
                            money(listing.starting_price)?, money(listing.increment)?, money(listing.deposit)?
                        ),
                    }]),
                );
            }
            "listing.refusal" => {
                release.tender.insert(
                    "lots".into(),
                    json!([{"id": section.code, "status": "unsuccessful", "description": "竞得人放弃，未成交"}]),
                );
            }
            "listing.close" => {
                let tender = &mut release.tender;
                if sold {
                    tender.insert("lots".into(), json!([{"id": section.code, "status": "complete"}]));
                } else {
                    let why =
                        if progress.quotes == 0 { "无人报价，流拍" } else { "报价未达保留价，流拍" };
                    tender.insert(
                        "lots".into(),
                        json!([{"id": section.code, "status": "unsuccessful", "description": why}]),
                    );
                    if self.every_section(conn, |c, s| listing_failed(c, &s.id))? {
                        tender.insert("status".into(), json!("unsuccessful"));
                    }
                }
            }
            _ => {}
        }
        if let (Some(winner), Some(price)) = (&winner, price) {
            if action != "listing.create" {
                let confirmed = progress.confirmation.as_deref();
                let status = match (action, confirmed) {
                    ("listing.confirm", _) => "active",
                    ("listing.refusal", _) => "cancelled",
                    _ => "pending",
                };
                let suppliers = self.suppliers(conn)?;
                release.parties.push(party(&winner.credit_code, &winner.name, roles(&suppliers, &winner.id)));
                release.fields.insert(
                    "awards".into(),
                    json!([{
                        "id": award_id,
                        "title": format!("{} 成交", section.name),
                        "status": status,
                        "date": progress.concluded_at.map(date),
                        "value": value(price),
                        "suppliers": [party_reference(&winner.credit_code, &winner.name)],
                        "relatedLots": [section.code],
                    }]),
                );
                if action == "listing.confirm" {
                    release.fields.insert(
                        "contracts".into(),
                        json!([{
                            "id": format!("{award_id}-confirmation"),
                            "awardID": award_id,
                            "title": format!("{} 成交确认书", section.name),
                            "status": "active",
                            "value": value(price),
                            "dateSigned": progress.confirmed_at.map(date),
                        }]),
                    );
                }
            }
        }
        Ok(Some(release))
    }

    /// Who supplies (or buys, in a sale) under the process so far: section winners, listing
    /// winners not refused, a direct award's contractor. Roles are replaced whole when
    /// releases merge, so every release gives a party all of them.
    fn suppliers(&self, conn: &mut DbConnection) -> Result<std::collections::BTreeSet<String>, ServiceError> {
        let mut suppliers = std::collections::BTreeSet::new();
        for section in sections(conn, &self.project.id)? {
            if let Some(winner) = ggzy_store::evaluation::result(conn, &section.id)?.and_then(|r| r.winner_id) {
                suppliers.insert(winner);
            }
            if let Some(listing) = ggzy_store::listings::of_section(conn, &section.id)? {
                if let Some((_, progress)) = ggzy_store::listings::find(conn, &listing.id)? {
                    let refused = progress.confirmation.as_deref() == Some("refused");
                    if let (true, false, Some(leader)) =
                        (progress.phase == Phase::Sold.as_str(), refused, progress.leader_id)
                    {
                        suppliers.insert(leader);
                    }
                }
            }
        }
        if let Some(award) = ggzy_store::projects::direct_award_of(conn, &self.project.id)? {
            suppliers.insert(award.contractor_id);
        }
        Ok(suppliers)
    }

    fn every_section(
        &self,
        conn: &mut DbConnection,
        mut holds: impl FnMut(&mut DbConnection, &SectionRow) -> Result<bool, ServiceError>,
    ) -> Result<bool, ServiceError> {
        for section in sections(conn, &self.project.id)? {
            if !holds(conn, &section)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Bidders named in the opening records of the process so far.
    fn tenderer_count(&self, conn: &mut DbConnection) -> Result<usize, ServiceError> {
        let mut bidders = std::collections::BTreeSet::new();
        for section in sections(conn, &self.project.id)? {
            if ggzy_store::bids::opening(conn, &section.id)?.is_some() {
                for bid in crate::bids::opening_record_in(conn, &section.id)?.bids {
                    bidders.insert(bid.bidder_id);
                }
            }
        }
        Ok(bidders.len())
    }
}

/// A bidder's roles in the process: a tenderer, and a supplier once it has won.
fn roles(suppliers: &std::collections::BTreeSet<String>, participant_id: &str) -> &'static [&'static str] {
    if suppliers.contains(participant_id) {
        &["tenderer", "supplier"]
    } else {
        &["tenderer"]
    }
}

fn candidate_award_id(section: &SectionRow, rank: usize) -> String {
    format!("{}-{rank}", section.code)
}

fn participant(conn: &mut DbConnection, id: &str) -> Result<ParticipantRow, ServiceError> {
    ggzy_store::participants::find(conn, id)?.ok_or(ServiceError::NotFound { what: "participant" })
}

fn section(conn: &mut DbConnection, id: &str) -> Result<SectionRow, ServiceError> {
    ggzy_store::projects::section(conn, id)?.ok_or(ServiceError::NotFound { what: "section" })
}

fn sections(conn: &mut DbConnection, project_id: &str) -> Result<Vec<SectionRow>, ServiceError> {
    Ok(ggzy_store::projects::sections_of(conn, project_id)?)
}

fn opening_failed(conn: &mut DbConnection, section_id: &str) -> Result<bool, ServiceError> {
    Ok(ggzy_store::bids::opening(conn, section_id)?.is_some_and(|o| o.outcome == OpeningOutcome::Failed.as_str()))
}

fn contracted(conn: &mut DbConnection, section_id: &str) -> Result<bool, ServiceError> {
    Ok(ggzy_store::evaluation::result(conn, section_id)?.is_some_and(|r| r.contract_signed_at.is_some()))
}

fn listing_sold(conn: &mut DbConnection, section_id: &str) -> Result<bool, ServiceError> {
    Ok(match ggzy_store::listings::of_section(conn, section_id)? {
        Some(listing) => ggzy_store::listings::find(conn, &listing.id)?
            .is_some_and(|(_, progress)| progress.phase == Phase::Sold.as_str()),
        None => false,
    })
}

fn listing_failed(conn: &mut DbConnection, section_id: &str) -> Result<bool, ServiceError> {
    Ok(match ggzy_store::listings::of_section(conn, section_id)? {
        Some(listing) => ggzy_store::listings::find(conn, &listing.id)?
            .is_some_and(|(_, progress)| progress.phase == Phase::Failed.as_str()),
        None => false,
    })
}

/// A release being assembled: its tender and parties apart until the end.
struct Draft {
    fields: Map<String, Value>,
    tender: Map<String, Value>,
    parties: Vec<Value>,
}

impl Draft {
    /// The release, each party once (the first mention, which carries every role it has
    /// in this release).
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

/// A package's fields, then its releases (JSON texts), written as one JSON object.
fn package_text(head: Map<String, Value>, releases: &[String]) -> Result<String, ServiceError> {
    let text = serde_json::to_string(&Value::Object(head)).map_err(internal("package"))?;
    let fields = text.strip_suffix('}').ok_or_else(|| ServiceError::Internal("package text".into()))?;
    Ok(format!("{fields},\"releases\":[{}]}}", releases.join(",")))
}

impl Platform {
    /// In a database written before releases were kept (none yet, but events that make
    /// them): one release per such audited event, in their order and dated as they were,
    /// from the records as they stand now (an opening record then shows the objections
    /// raised since). Does nothing once any release exists. Returns how many it wrote.
    pub fn backfill_ocds_releases(&self) -> Result<usize, ServiceError> {
        if self.store().read(|conn| Ok::<_, ServiceError>(repo::count(conn)?))? > 0 {
            return Ok(0);
        }
        self.store().write(|conn| {
            // Servers starting together queue here; the second finds the work done.
            repo::lock_counter(conn)?;
            if repo::count(conn)? > 0 {
                return Ok(0);
            }
            let events = ggzy_store::audit::with_actions(conn, &RELEASE_ACTIONS)?;
            for event in &events {
                record_release(conn, &event.action, &event.object_id, &event.chain, event.occurred_at)?;
            }
            Ok(repo::count(conn)? as usize)
        })
    }

    /// A stored release as JSON text with its `ocid` and `id` put on and its links made
    /// absolute, without parsing it: the stored text is a JSON object written by serde_json,
    /// in which `"url":"/api/v1/` can only be a document link (a quote inside a value is
    /// escaped).
    fn release_text(&self, row: &ReleaseRow) -> Result<String, ServiceError> {
        let ocid = self.ocds().ocid(&row.project_code);
        let fields = row.body.strip_prefix('{').ok_or_else(|| ServiceError::Internal("stored release".into()))?;
        // The address as JSON string content (escaped), without its quotes.
        let base = serde_json::to_string(&self.ocds().base_url).map_err(internal("base url"))?;
        let base = base.trim_matches('"');
        let fields = fields.replace("\"url\":\"/api/v1/", &format!("\"url\":\"{base}/api/v1/"));
        let separator = if fields.starts_with('}') { "" } else { "," };
        let head = format!(
            "{{\"ocid\":{},\"id\":{}",
            serde_json::to_string(&ocid).map_err(internal("ocid"))?,
            serde_json::to_string(&format!("{ocid}-{}", row.position)).map_err(internal("release id"))?
        );
        Ok(format!("{head}{separator}{fields}"))
    }

    fn release_of(&self, row: &ReleaseRow) -> Result<Value, ServiceError> {
        crate::from_json_column(&self.release_text(row)?, "release")
    }

    fn package_head(&self, uri: String) -> Map<String, Value> {
        let mut package = Map::new();
        package.insert("uri".into(), json!(uri));
        package.insert("version".into(), json!(ggzy_ocds::OCDS_VERSION));
        package.insert("extensions".into(), json!(ggzy_ocds::EXTENSIONS));
        package.insert("publishedDate".into(), json!(date_utc(self.now())));
        package.insert("publisher".into(), json!({"name": self.ocds().publisher}));
        package
    }

    /// A page of releases of every process in publication order (no token needed); None
    /// when there is none after the cursor (a package must hold at least one release).
    pub fn ocds_releases(&self, query: ReleaseQuery) -> Result<Option<ReleasePackage>, ServiceError> {
        let (after, limit) =
            crate::events::position_page(query.after.as_deref(), query.limit, "游标应为此前 links.next 中的 after")?;
        let rows = self.store().read(|conn| repo::after(conn, after, i64::from(limit)))?;
        let Some(last) = rows.last() else { return Ok(None) };
        let base = &self.ocds().base_url;
        let mut package = self.package_head(format!("{base}/api/v1/ocds/releases?after={after}&limit={limit}"));
        let next = format!("{base}/api/v1/ocds/releases?after={}&limit={limit}", last.position);
        package.insert("links".into(), json!({ "next": next }));
        let releases = rows.iter().map(|row| self.release_text(row)).collect::<Result<Vec<_>, _>>()?;
        Ok(Some(ReleasePackage(package_text(package, &releases)?)))
    }

    fn process_rows(&self, ocid: &str) -> Result<Vec<ReleaseRow>, ServiceError> {
        let code = self.ocds().project_code(ocid).ok_or(ServiceError::NotFound { what: "contracting process" })?;
        let rows = self.store().read(|conn| repo::of_process(conn, code))?;
        if rows.is_empty() {
            return Err(ServiceError::NotFound { what: "contracting process" });
        }
        Ok(rows)
    }

    /// Every release of one process as a package (no token needed).
    pub fn ocds_process(&self, ocid: &str) -> Result<ReleasePackage, ServiceError> {
        let releases =
            self.process_rows(ocid)?.iter().map(|row| self.release_text(row)).collect::<Result<Vec<_>, _>>()?;
        let base = &self.ocds().base_url;
        let package = self.package_head(format!("{base}/api/v1/ocds/releases/{ocid}"));
        Ok(ReleasePackage(package_text(package, &releases)?))
    }

    /// The record of one process: its releases, compiled release and versioned release.
    pub fn ocds_record(&self, ocid: &str) -> Result<RecordPackage, ServiceError> {
        let releases =
            self.process_rows(ocid)?.iter().map(|row| self.release_of(row)).collect::<Result<Vec<_>, _>>()?;
        let base = &self.ocds().base_url;
        let mut package = self.package_head(format!("{base}/api/v1/ocds/records/{ocid}"));
        package.insert("packages".into(), json!([format!("{base}/api/v1/ocds/releases/{ocid}")]));
        let record = json!({
            "ocid": ocid,
            "compiledRelease": ggzy_ocds::compile(ocid, &releases),
            "versionedRelease": ggzy_ocds::versioned(ocid, &releases),
            "releases": releases,
        });
        package.insert("records".into(), json!([record]));
        Ok(RecordPackage(Value::Object(package)))
    }

    /// Writes every release for bulk publication: one release package (`lines` false), or
    /// one release per line (JSON Lines). Reads a thousand at a time. Returns the count.
    pub fn ocds_export(&self, out: &mut dyn std::io::Write, lines: bool) -> Result<usize, ServiceError> {
        let io = |e: std::io::Error| ServiceError::Internal(format!("writing the export: {e}"));
        let mut written = 0_usize;
        let mut after = 0_i64;
        if !lines {
            // The package's other fields, then its releases written one by one, then the close.
            let head = self.package_head(format!("{}/api/v1/ocds/releases", self.ocds().base_url));
            let text = package_text(head, &[])?;
            let open = text.strip_suffix("]}").ok_or_else(|| ServiceError::Internal("package text".into()))?;
            out.write_all(open.as_bytes()).map_err(io)?;
        }
        loop {
            let rows = self.store().read(|conn| repo::after(conn, after, 1000))?;
            let Some(last) = rows.last() else { break };
            after = last.position;
            for row in &rows {
                let text = self.release_text(row)?;
                if lines {
                    writeln!(out, "{text}").map_err(io)?;
                } else {
                    if written > 0 {
                        out.write_all(b",").map_err(io)?;
                    }
                    out.write_all(text.as_bytes()).map_err(io)?;
                }
                written += 1;
            }
        }
        if !lines {
            out.write_all(b"]}\n").map_err(io)?;
        }
        Ok(written)
    }
}
