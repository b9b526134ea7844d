//! Response and request bodies of listings (see `ggzy_service::listings` for the use cases).

use crate::audit_entry::{project_entry, AuditEntry};
use chrono::{DateTime, NaiveDateTime, Utc};
use ggzy_kernel::validation::read;
use ggzy_kernel::AuditAction;
use ggzy_kernel::{stored, stored_money, stored_opt, FieldError, Money, StoredFault};
use ggzy_ledger::listing::EndingDeposit;
use ggzy_store::listings::{ListingRow, ProgressRow, QuoteRow};
use ggzy_store::participants::ParticipantRow;
use ggzy_store::projects::SectionRow;
use ggzy_trading::lifecycle::Confirmation;
use ggzy_trading::listing::conclusion::Standing;
pub use ggzy_trading::listing::creation::CreateListing;
use ggzy_trading::listing::creation::{FailedListing, LotSection, NewListing};
use ggzy_trading::listing::view::Shown;
use ggzy_trading::listing::{Accepted, EarlierRound, Phase, State, Terms};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// A quote (报价).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaceQuote {
    #[schema(required = true, value_type = String, example = "12100000.00")]
    pub price: Option<String>,
}

/// The winner's refusal to sign the confirmation, as the centre records it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordRefusal {
    #[schema(required = true, value_type = String, example = "竞得人书面表示放弃竞得资格")]
    pub reason: Option<String>,
}

impl PlaceQuote {
    /// The price quoted: required, an amount of money.
    pub fn read(self) -> Result<Money, Vec<FieldError>> {
        let mut problems = Vec::new();
        let price = read::required(&mut problems, "price", self.price).ok_or_else(|| problems.clone())?;
        Money::parse(&price).map_err(|e| vec![e.to_field_error("price")])
    }
}

impl RecordRefusal {
    /// The winner's reason as recorded: required text of at most 500 characters.
    pub fn read(self) -> Result<String, Vec<FieldError>> {
        let mut problems = Vec::new();
        let reason = read::required(&mut problems, "reason", self.reason);
        reason.and_then(|r| read::text(&mut problems, "reason", r, 500)).ok_or(problems)
    }
}

/// Where a listing is.
///
/// - `announced`: 公告期 / 信息披露期
/// - `listing`: 挂牌期
/// - `auction`: 现场 / 网络竞价
/// - `sold`: 成交
/// - `failed`: 流拍
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ListingPhase {
    Announced,
    Listing,
    Auction,
    Sold,
    Failed,
}

impl From<Phase> for ListingPhase {
    fn from(phase: Phase) -> Self {
        match phase {
            Phase::Announced => ListingPhase::Announced,
            Phase::Listing => ListingPhase::Listing,
            Phase::Auction => ListingPhase::Auction,
            Phase::Sold => ListingPhase::Sold,
            Phase::Failed => ListingPhase::Failed,
        }
    }
}

/// The published result (成交结果公示), once the listing has ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ListingResult {
    /// Why it failed, when it did.
    pub failure: Option<ggzy_trading::listing::view::ListingFailure>,
    /// 竞得人, after a sale.
    pub winner_id: Option<String>,
    pub winner_name: Option<String>,
    pub winner_number: Option<i32>,
    /// 成交价.
    pub price: Option<Money>,
    pub concluded_at: DateTime<Utc>,
    /// `confirmed` once the winner signed the confirmation, `refused` if it refused.
    pub confirmation: Option<Confirmation>,
    pub confirmed_at: Option<DateTime<Utc>>,
}

/// A listing as the public sees it: the reserve price only once it has ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Listing {
    pub id: String,
    pub project_id: String,
    pub section_id: String,
    pub announcement_id: String,
    #[schema(value_type = ggzy_rules::Category)]
    pub category: String,
    pub phase: ListingPhase,
    pub starting_price: Money,
    pub increment: Money,
    pub deposit: Money,
    /// Disclosed when the listing has ended.
    pub reserve_price: Option<Money>,
    pub appraisal: Option<Money>,
    pub listing_start: DateTime<Utc>,
    pub listing_end: DateTime<Utc>,
    pub extension_minutes: i32,
    pub place: String,
    /// The failed listing this one relists.
    pub relisting_of: Option<String>,
    /// The highest accepted quote so far.
    pub current_price: Option<Money>,
    /// What the next quote must at least be, while quoting is open.
    pub minimum_quote: Option<Money>,
    pub leading_number: Option<i32>,
    /// The auction's end as it stands (it moves with late quotes).
    pub auction_end: Option<DateTime<Utc>>,
    pub quotes: i32,
    pub result: Option<ListingResult>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListingPage {
    pub items: Vec<Listing>,
    pub next_cursor: Option<String>,
}

/// One accepted quote, public with the bidder's number only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Quote {
    /// Order of acceptance, from 1.
    pub sequence: i32,
    pub bidder_number: i32,
    pub price: Money,
    /// `listing` or `auction`.
    #[schema(value_type = ggzy_trading::listing::Phase)]
    pub phase: String,
    pub placed_at: DateTime<Utc>,
    /// The auction's end after this quote.
    pub auction_end: Option<DateTime<Utc>>,
}

impl From<ListingPhase> for Phase {
    fn from(phase: ListingPhase) -> Self {
        match phase {
            ListingPhase::Announced => Phase::Announced,
            ListingPhase::Listing => Phase::Listing,
            ListingPhase::Auction => Phase::Auction,
            ListingPhase::Sold => Phase::Sold,
            ListingPhase::Failed => Phase::Failed,
        }
    }
}

/// The terms a stored listing quotes under.
pub fn terms_of(listing: &ListingRow) -> Terms {
    Terms {
        starting_price: listing.starting_price,
        increment: listing.increment,
        reserve_price: listing.reserve_price,
        listing_start: listing.listing_start.and_utc(),
        listing_end: listing.listing_end.and_utc(),
        extension: chrono::Duration::seconds(i64::from(listing.extension_seconds)),
    }
}

/// The phase a stored progress row records.
pub fn phase_of(progress: &ProgressRow) -> Result<Phase, StoredFault> {
    stored("listing_progress.phase", &progress.phase)
}

/// Where a stored listing stands, as its quotes are decided against.
pub fn state_of(progress: &ProgressRow) -> Result<State, StoredFault> {
    Ok(State {
        phase: phase_of(progress)?,
        current_price: progress.current_price,
        auction_end: progress.auction_end.map(|t| t.and_utc()),
    })
}

/// A stored section as a lot of a listing.
pub fn lot_section(section: SectionRow) -> LotSection {
    LotSection {
        id: section.id,
        code: section.code,
        position: section.position,
        name: section.name,
        estimated_amount: section.estimated_amount,
    }
}

/// The accepted quotes of a listing in order, each with the auction end it left behind.
pub fn quotes_from_rows(listing: &ListingRow, rows: Vec<QuoteRow>) -> Result<Vec<Quote>, StoredFault> {
    let ends = ggzy_trading::listing::auction_ends(
        &terms_of(listing),
        rows.iter().map(|q| (Phase::from_key(&q.phase), q.placed_at.and_utc())),
    );
    rows.into_iter()
        .zip(ends)
        .map(|(q, auction_end)| {
            Ok(Quote {
                sequence: q.sequence,
                bidder_number: q.bidder_number,
                price: stored_money("listing_quotes.price", q.price)?,
                phase: q.phase,
                placed_at: q.placed_at.and_utc(),
                auction_end,
            })
        })
        .collect()
}

/// What a listing's view reads besides its own rows.
#[derive(Debug, Clone)]
pub struct ListingRead {
    /// The project's stored category.
    pub category: String,
    /// The phase by the clock.
    pub phase: Phase,
    pub shown: Shown,
    pub leading_number: Option<i32>,
    /// The winner a published sale names.
    pub winner: Option<ParticipantRow>,
}

impl Listing {
    /// A stored listing as the public sees it at the moment `read.shown` describes.
    pub fn from_rows(listing: ListingRow, progress: ProgressRow, read: ListingRead) -> Result<Self, StoredFault> {
        let terms = terms_of(&listing);
        let state = state_of(&progress)?;
        let shown = read.shown;
        let amount = |column, fen: Option<i64>| fen.map(|fen| stored_money(column, fen)).transpose();
        let result = match shown.published_at(progress.concluded_at) {
            Some(concluded_at) => Some(ListingResult {
                failure: shown.failure,
                winner_number: read.winner.as_ref().and(read.leading_number),
                winner_id: read.winner.as_ref().map(|w| w.id.clone()),
                winner_name: read.winner.map(|w| w.name),
                price: amount("listing_progress.current_price", shown.sale_price(&state))?,
                concluded_at: concluded_at.and_utc(),
                confirmation: stored_opt("listing_progress.confirmation", progress.confirmation.as_deref())?,
                confirmed_at: progress.confirmed_at.map(|t| t.and_utc()),
            }),
            None => None,
        };
        Ok(Listing {
            category: read.category,
            phase: read.phase.into(),
            starting_price: stored_money("listings.starting_price", listing.starting_price)?,
            increment: stored_money("listings.increment", listing.increment)?,
            deposit: stored_money("listings.deposit", listing.deposit)?,
            reserve_price: amount("listings.reserve_price", shown.reserve_price(&terms))?,
            appraisal: amount("listings.appraisal", listing.appraisal)?,
            listing_start: terms.listing_start,
            listing_end: terms.listing_end,
            extension_minutes: listing.extension_seconds / 60,
            current_price: amount("listing_progress.current_price", progress.current_price)?,
            minimum_quote: amount("listing_progress.current_price", shown.minimum_quote(&terms, &state))?,
            leading_number: read.leading_number,
            auction_end: state.auction_end,
            quotes: progress.quotes,
            result,
            id: listing.id,
            project_id: listing.project_id,
            section_id: listing.section_id,
            announcement_id: listing.announcement_id,
            place: listing.place,
            relisting_of: listing.relisting_of,
        })
    }
}

/// The section a relisting adds to its project.
pub fn section_row(project_id: &str, section: &LotSection) -> SectionRow {
    SectionRow {
        id: section.id.clone(),
        project_id: project_id.to_owned(),
        code: section.code.clone(),
        position: section.position,
        name: section.name.clone(),
        estimated_amount: section.estimated_amount,
    }
}

/// The rows of a created listing: its terms as decided, and its progress, announced with
/// no quote yet.
pub fn created_rows(
    id: String,
    project_id: &str,
    announcement_id: &str,
    decided: &NewListing,
    created_at: NaiveDateTime,
) -> (ListingRow, ProgressRow) {
    let floor_approval = decided
        .floor_approval
        .as_ref()
        .map(|a| serde_json::json!({ "title": a.title, "number": a.number, "sha256": a.sha256 }).to_string());
    let progress = ProgressRow {
        listing_id: id.clone(),
        phase: Phase::Announced.as_str().into(),
        current_price: None,
        leader_id: None,
        auction_end: None,
        quotes: 0,
        concluded_at: None,
        confirmation: None,
        confirmed_at: None,
        version: 1,
    };
    let listing = ListingRow {
        id,
        project_id: project_id.to_owned(),
        section_id: decided.section_id.clone(),
        announcement_id: announcement_id.to_owned(),
        starting_price: decided.starting_price,
        increment: decided.increment,
        reserve_price: decided.reserve_price,
        appraisal: decided.appraisal,
        deposit: decided.deposit,
        listing_start: decided.listing_start.naive_utc(),
        listing_end: decided.listing_end.naive_utc(),
        extension_seconds: decided.extension_seconds,
        floor_approval,
        place: decided.place.clone(),
        relisting_of: decided.relisting_of.clone(),
        created_at,
    };
    (listing, progress)
}

/// The audit payload of a created listing. The reserve is in it: the audit chain is not
/// public, unlike the listing's view before the end.
pub fn creation_payload(
    listing: &ListingRow,
    decided: &NewListing,
    rule: &str,
) -> Result<serde_json::Value, StoredFault> {
    Ok(serde_json::json!({
        "section_id": listing.section_id, "announcement_id": listing.announcement_id,
        "relisting_of": listing.relisting_of,
        "starting_price": stored_money("listings.starting_price", listing.starting_price)?,
        "increment": stored_money("listings.increment", listing.increment)?,
        "reserve_price": listing.reserve_price.map(|fen| stored_money("listings.reserve_price", fen)).transpose()?,
        "deposit": stored_money("listings.deposit", listing.deposit)?,
        "listing_start": decided.listing_start, "listing_end": decided.listing_end, "rule": rule,
    }))
}

/// The failed listing a relisting names, as the store read it with its lot's rounds.
pub fn failed_listing(round: ggzy_store::listings::NamedRound) -> Result<FailedListing, StoredFault> {
    Ok(FailedListing {
        phase: phase_of(&round.progress)?,
        section_id: round.section_id,
        relisted: round.relisted,
        rounds: earlier_rounds(&round.rounds),
    })
}

/// Whether a listing's view shows that its winner refused the sale: once the result is
/// published (as `shown` has it), from the confirmation recorded.
pub fn refusal_shown(shown: &Shown, progress: &ProgressRow) -> Result<bool, StoredFault> {
    Ok(shown.published_at(progress.concluded_at).is_some()
        && stored_opt::<Confirmation>("listing_progress.confirmation", progress.confirmation.as_deref())?
            == Some(Confirmation::Refused))
}

/// The earlier rounds of a lot as a relisting is decided on, from its listings first first.
pub fn earlier_rounds(listings: &[ListingRow]) -> Vec<EarlierRound> {
    listings
        .iter()
        .map(|listing| EarlierRound {
            appraisal: listing.appraisal,
            starting_price: listing.starting_price,
            approved: listing.floor_approval.is_some(),
        })
        .collect()
}

/// The progress after an accepted quote by `bidder_id` in `phase`; one version on.
pub fn quoted_progress(progress: &ProgressRow, phase: Phase, accepted: &Accepted, bidder_id: &str) -> ProgressRow {
    ProgressRow {
        phase: phase.as_str().into(),
        current_price: Some(accepted.price),
        leader_id: Some(bidder_id.to_owned()),
        auction_end: accepted.auction_end.map(|t| t.naive_utc()),
        quotes: progress.quotes + 1,
        version: progress.version + 1,
        ..progress.clone()
    }
}

/// An accepted quote as stored and as answered: `price` is the quote as asked, `placed_at`
/// the instant answered (the row keeps `placed_at_row`, the database's precision).
#[derive(Debug, Clone, Copy)]
pub struct PlacedQuote<'a> {
    pub listing_id: &'a str,
    /// The progress after the quote (its count is the quote's sequence).
    pub progress: &'a ProgressRow,
    pub bidder_id: &'a str,
    pub bidder_number: i32,
    pub price: Money,
    pub accepted: &'a Accepted,
    pub placed_at: DateTime<Utc>,
    pub placed_at_row: NaiveDateTime,
}

/// The row and the view of an accepted quote.
pub fn placed_quote(placed: PlacedQuote<'_>) -> (QuoteRow, Quote) {
    let row = QuoteRow {
        listing_id: placed.listing_id.to_owned(),
        sequence: placed.progress.quotes,
        bidder_id: placed.bidder_id.to_owned(),
        bidder_number: placed.bidder_number,
        price: placed.accepted.price,
        phase: placed.progress.phase.clone(),
        placed_at: placed.placed_at_row,
    };
    let quote = Quote {
        sequence: row.sequence,
        bidder_number: placed.bidder_number,
        price: placed.price,
        phase: row.phase.clone(),
        placed_at: placed.placed_at,
        auction_end: placed.accepted.auction_end,
    };
    (row, quote)
}

/// The progress after a close decided `standing` at `now`; one version on. A close that
/// does not conclude keeps the conclusion time as it was.
pub fn closed_progress(progress: &ProgressRow, standing: Standing, now: NaiveDateTime) -> ProgressRow {
    ProgressRow {
        phase: standing.phase.as_str().into(),
        leader_id: standing.leader,
        current_price: standing.price,
        auction_end: standing.auction_end.map(|t| t.naive_utc()),
        concluded_at: if standing.concluded { Some(now) } else { progress.concluded_at },
        version: progress.version + 1,
        ..progress.clone()
    }
}

/// The audit payload of a close.
pub fn close_payload(
    next: &ProgressRow,
    winner: Option<&str>,
    refunds: &[String],
    rule: Option<&str>,
) -> Result<serde_json::Value, StoredFault> {
    Ok(serde_json::json!({
        "phase": next.phase, "winner_id": winner,
        "price": next.current_price.map(|fen| stored_money("listing_progress.current_price", fen)).transpose()?,
        "auction_end": next.auction_end.map(|t| t.and_utc()), "refunds_instructed": refunds,
        "rule": rule,
    }))
}

/// The audit payload of the winner's answer: its deposit as settled and, for a refusal,
/// the reason (land.deposit.refund).
pub fn answer_payload(winner: &str, bond: &ggzy_store::ledger::BondRow, refusal: Option<&str>) -> serde_json::Value {
    serde_json::json!({
        "winner_id": winner, "bond_id": bond.id, "bond_outcome": bond.outcome,
        "reason": refusal, "rule": ggzy_rules::rule_ids::LAND_DEPOSIT_REFUND,
    })
}

/// The progress after the winner's answer at `now`; one version on.
pub fn answered_progress(progress: &ProgressRow, confirmation: Confirmation, now: NaiveDateTime) -> ProgressRow {
    ProgressRow {
        confirmation: Some(confirmation.as_str().into()),
        confirmed_at: Some(now),
        version: progress.version + 1,
        ..progress.clone()
    }
}

/// The deposits of a listed section as its listing's end finds them.
pub fn ending_deposits(bonds: &[ggzy_store::ledger::BondRow]) -> Result<Vec<EndingDeposit<'_>>, StoredFault> {
    bonds
        .iter()
        .map(|bond| {
            let status = stored("bonds.status", &bond.status)?;
            Ok(EndingDeposit { bond_id: &bond.id, bidder_id: &bond.bidder_id, status })
        })
        .collect()
}

/// A listing's live stream's read: the listing as it stands and the quotes accepted since
/// the client's last one, read together.
#[derive(Debug, Clone)]
pub struct ListingChanges {
    /// The progress row's version the read saw.
    pub version: i32,
    pub listing: Listing,
    /// Accepted after the client's last quote, in order.
    pub quotes: Vec<Quote>,
}

/// A listing announced, as `creation_payload` tells it.
pub fn created_entry(listing: &ListingRow, decided: &NewListing, rule: &str) -> Result<AuditEntry<Value>, StoredFault> {
    let payload = creation_payload(listing, decided, rule)?;
    Ok(project_entry(&listing.project_id, AuditAction::ListingCreate, "listing", &listing.id, payload))
}

/// A quote accepted, its view as answered.
pub fn quote_entry<'a>(listing: &ListingRow, quote: &'a Quote) -> AuditEntry<&'a Quote> {
    project_entry(&listing.project_id, AuditAction::ListingQuote, "listing", &listing.id, quote)
}

/// A listing closed, as `close_payload` tells it.
pub fn closed_entry(
    listing: &ListingRow,
    next: &ProgressRow,
    winner: Option<&str>,
    refunds: &[String],
    rule: Option<&str>,
) -> Result<AuditEntry<Value>, StoredFault> {
    let payload = close_payload(next, winner, refunds, rule)?;
    Ok(project_entry(&listing.project_id, AuditAction::ListingClose, "listing", &listing.id, payload))
}

/// The winner's confirmation, or (with a reason) its refusal, as `answer_payload` tells it.
pub fn answered_entry(
    listing: &ListingRow,
    winner: &str,
    bond: &ggzy_store::ledger::BondRow,
    refusal: Option<&str>,
) -> AuditEntry<Value> {
    let action = if refusal.is_none() { AuditAction::ListingConfirm } else { AuditAction::ListingRefusal };
    project_entry(&listing.project_id, action, "listing", &listing.id, answer_payload(winner, bond, refusal))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ggzy_ledger::BondStatus;
    use ggzy_trading::listing::view::{shown, ListingFailure};

    #[test]
    fn an_answer_is_audited_with_the_deposit_as_settled_and_the_reason() {
        let bond = ggzy_store::ledger::BondRow {
            id: "b1".into(),
            section_id: "s1".into(),
            bidder_id: "w1".into(),
            account_id: "bond:b1".into(),
            form: "cash".into(),
            amount: 100,
            payer_account: None,
            guarantee: None,
            deposited_at: at(9),
            status: "forfeited".into(),
            refund_trigger: None,
            refund_trigger_at: None,
            refund_rule: None,
            refund_deadline: None,
            outcome: Some("forfeited".into()),
            settled_at: Some(at(10)),
        };
        assert_eq!(
            answer_payload("w1", &bond, Some("放弃")),
            serde_json::json!({
                "winner_id": "w1", "bond_id": "b1", "bond_outcome": "forfeited", "reason": "放弃",
                "rule": ggzy_rules::rule_ids::LAND_DEPOSIT_REFUND,
            })
        );
        assert_eq!(answer_payload("w1", &bond, None)["reason"], serde_json::Value::Null);
        let held = ggzy_store::ledger::BondRow {
            id: "b2".into(),
            bidder_id: "l1".into(),
            status: "held".into(),
            ..bond.clone()
        };
        let bonds = [bond.clone(), held];
        let deposits = ending_deposits(&bonds).unwrap();
        assert_eq!(
            deposits.iter().map(|d| (d.bond_id, d.bidder_id, d.status)).collect::<Vec<_>>(),
            [("b1", "w1", BondStatus::Forfeited), ("b2", "l1", BondStatus::Held)]
        );
        let unreadable = ggzy_store::ledger::BondRow { status: "lost".into(), ..bond };
        assert!(ending_deposits(&[unreadable]).is_err());
    }

    #[test]
    fn a_quote_names_a_price_that_is_an_amount_of_money() {
        let quoted = |price: Option<&str>| PlaceQuote { price: price.map(str::to_owned) }.read();
        assert_eq!(quoted(Some("12100000.00")), Ok(Money::parse("12100000.00").unwrap()));
        let codes = |price| quoted(price).unwrap_err().into_iter().map(|p| (p.field, p.code)).collect::<Vec<_>>();
        assert_eq!(codes(None), vec![("price".to_owned(), "required".to_owned())]);
        let wrong = codes(Some("12,1"));
        assert_eq!(wrong.len(), 1);
        assert_eq!(wrong[0].0, "price");
        assert_ne!(wrong[0].1, "required");
    }

    #[test]
    fn a_refusal_names_its_reason_in_at_most_500_characters() {
        let refused = |reason: Option<String>| RecordRefusal { reason }.read();
        assert_eq!(refused(Some(" 放弃 ".into())), Ok("放弃".to_owned()));
        let code = |reason| refused(reason).unwrap_err().into_iter().map(|p| p.code).collect::<Vec<_>>();
        assert_eq!(code(None), vec!["required"]);
        assert_eq!(code(Some("弃".repeat(501))), vec!["too_long"]);
        assert_eq!(refused(Some("弃".repeat(500))).map(|r| r.chars().count()), Ok(500));
    }

    fn at(hour: u32) -> chrono::NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap().and_hms_opt(hour, 0, 0).unwrap()
    }

    fn listing() -> ListingRow {
        ListingRow {
            id: "l1".into(),
            project_id: "p1".into(),
            section_id: "s1".into(),
            announcement_id: "a1".into(),
            starting_price: 1_000,
            increment: 100,
            reserve_price: Some(1_500),
            appraisal: Some(1_200),
            deposit: 200,
            listing_start: at(9),
            listing_end: at(12),
            extension_seconds: 300,
            floor_approval: None,
            place: "拍卖厅".into(),
            relisting_of: None,
            created_at: at(8),
        }
    }

    fn progress(phase: &str, current_price: Option<i64>, concluded_at: Option<chrono::NaiveDateTime>) -> ProgressRow {
        ProgressRow {
            listing_id: "l1".into(),
            phase: phase.into(),
            current_price,
            leader_id: current_price.map(|_| "b1".into()),
            auction_end: None,
            quotes: i32::from(current_price.is_some()),
            concluded_at,
            confirmation: None,
            confirmed_at: None,
            version: 2,
        }
    }

    fn read(phase: Phase, progress: &ProgressRow, now: u32, winner: Option<ParticipantRow>) -> ListingRead {
        let state = state_of(progress).unwrap();
        ListingRead {
            category: "land_mining".into(),
            phase,
            shown: shown(phase, &terms_of(&listing()), &state, at(now).and_utc()),
            leading_number: progress.leader_id.as_ref().map(|_| 7),
            winner,
        }
    }

    fn winner() -> ParticipantRow {
        ParticipantRow { id: "b1".into(), name: "竞得公司".into(), ..crate::participants::tests::row("bidder", 0) }
    }

    #[test]
    fn a_named_round_reads_as_the_failed_listing_with_its_earlier_rounds() {
        let earlier = ListingRow { id: "l0".into(), floor_approval: Some("批复".into()), ..listing() };
        let round = ggzy_store::listings::NamedRound {
            progress: progress("failed", None, Some(at(12))),
            section_id: "s1".into(),
            relisted: true,
            rounds: vec![earlier, listing()],
        };
        let failed = failed_listing(round.clone()).unwrap();
        assert_eq!(failed.phase, Phase::Failed);
        assert_eq!((failed.section_id.as_str(), failed.relisted), ("s1", true));
        assert_eq!(failed.rounds, earlier_rounds(&round.rounds));
        assert!(failed.rounds[0].approved && !failed.rounds[1].approved);
        let unknown = ggzy_store::listings::NamedRound { progress: progress("lost", None, None), ..round };
        assert!(failed_listing(unknown).is_err());
    }

    #[test]
    fn a_refusal_shows_only_once_the_result_is_published() {
        let mut refused = progress("sold", Some(1_600), Some(at(12)));
        refused.confirmation = Some("refused".into());
        let state = state_of(&refused).unwrap();
        let after = shown(Phase::Sold, &terms_of(&listing()), &state, at(13).and_utc());
        assert!(refusal_shown(&after, &refused).unwrap());
        let confirmed = ProgressRow { confirmation: Some("confirmed".into()), ..refused.clone() };
        assert!(!refusal_shown(&after, &confirmed).unwrap());
        let unconcluded = ProgressRow { concluded_at: None, ..refused.clone() };
        assert!(!refusal_shown(&after, &unconcluded).unwrap());
        let unknown = ProgressRow { confirmation: Some("maybe".into()), ..refused };
        assert!(refusal_shown(&after, &unknown).is_err());
    }

    #[test]
    fn a_listing_being_quoted_hides_the_reserve_and_shows_the_minimum_quote() {
        let progress = progress("listing", Some(1_100), None);
        let shown = Listing::from_rows(listing(), progress.clone(), read(Phase::Listing, &progress, 10, None)).unwrap();
        assert_eq!(shown.phase, ListingPhase::Listing);
        assert_eq!(shown.reserve_price, None);
        assert_eq!(shown.minimum_quote.map(Money::fen), Some(1_200));
        assert_eq!(shown.current_price.map(Money::fen), Some(1_100));
        assert_eq!((shown.extension_minutes, shown.leading_number, shown.quotes), (5, Some(7), 1));
        assert_eq!(shown.result, None);
    }

    #[test]
    fn a_concluded_sale_names_winner_price_and_reserve() {
        let progress = progress("sold", Some(1_600), Some(at(12)));
        let read = read(Phase::Sold, &progress, 13, Some(winner()));
        let shown = Listing::from_rows(listing(), progress, read).unwrap();
        assert_eq!(shown.reserve_price.map(Money::fen), Some(1_500));
        let result = shown.result.unwrap();
        assert_eq!((result.winner_id.as_deref(), result.winner_name.as_deref()), (Some("b1"), Some("竞得公司")));
        assert_eq!((result.winner_number, result.price.map(Money::fen)), (Some(7), Some(1_600)));
        assert_eq!((result.failure, result.concluded_at), (None, at(12).and_utc()));
    }

    #[test]
    fn a_failed_listing_names_no_winner() {
        let progress = progress("failed", None, Some(at(12)));
        let shown = Listing::from_rows(listing(), progress.clone(), read(Phase::Failed, &progress, 13, None)).unwrap();
        let result = shown.result.unwrap();
        assert_eq!(result.failure, Some(ListingFailure::NoQuote));
        assert_eq!((result.winner_id, result.winner_number, result.price), (None, None, None));
    }

    #[test]
    fn an_unknown_stored_phase_or_confirmation_and_a_negative_price_are_faults() {
        let fault = state_of(&progress("haggling", None, None)).unwrap_err();
        assert_eq!(fault.to_string(), "listing_progress.phase holds `haggling`, which is not Phase");
        let mut confirmed = progress("sold", Some(1_600), Some(at(12)));
        confirmed.confirmation = Some("maybe".into());
        let read = read(Phase::Sold, &confirmed, 13, Some(winner()));
        assert_eq!(Listing::from_rows(listing(), confirmed, read).unwrap_err().column, "listing_progress.confirmation");
        let quote = QuoteRow {
            listing_id: "l1".into(),
            sequence: 1,
            bidder_id: "b1".into(),
            bidder_number: 7,
            price: -1,
            phase: "listing".into(),
            placed_at: at(10),
        };
        assert_eq!(quotes_from_rows(&listing(), vec![quote]).unwrap_err().column, "listing_quotes.price");
    }

    #[test]
    fn quotes_show_the_rows_in_order() {
        let quote = |sequence, price| QuoteRow {
            listing_id: "l1".into(),
            sequence,
            bidder_id: "b1".into(),
            bidder_number: 7,
            price,
            phase: "listing".into(),
            placed_at: at(10),
        };
        let quotes = quotes_from_rows(&listing(), vec![quote(1, 1_000), quote(2, 1_100)]).unwrap();
        assert_eq!(
            quotes.iter().map(|q| (q.sequence, q.price.fen())).collect::<Vec<_>>(),
            vec![(1, 1_000), (2, 1_100)]
        );
        assert_eq!(quotes[0].placed_at, at(10).and_utc());
        assert_eq!(quotes[0].auction_end, None);
    }

    #[test]
    fn the_listing_phase_shown_maps_back() {
        for phase in Phase::ALL {
            assert_eq!(Phase::from(ListingPhase::from(*phase)), *phase);
        }
    }

    fn decided(floor_approval: Option<ggzy_trading::registration::ApprovalDocument>) -> NewListing {
        use ggzy_trading::announcement::AnnouncementContent;
        use ggzy_trading::lifecycle::AnnouncementKind;
        NewListing {
            new_section: None,
            content: AnnouncementContent {
                project_id: "p1".into(),
                project_code: "P1".into(),
                project_name: "地块".into(),
                category: ggzy_rules::Category::LandMining,
                kind: AnnouncementKind::Listing,
                supersedes: None,
                summary: None,
                documents_issued_at: at(8).and_utc(),
                bid_deadline: at(12).and_utc(),
                opening_at: at(12).and_utc(),
                opening_place: "拍卖厅".into(),
                documents: vec![],
                sections: vec![],
                rule_set_version: 1,
                decryption_window_minutes: None,
            },
            section_id: "s1".into(),
            starting_price: 1_000,
            increment: 100,
            reserve_price: Some(1_500),
            appraisal: Some(1_200),
            deposit: 200,
            listing_start: at(9).and_utc(),
            listing_end: at(12).and_utc(),
            extension_seconds: 300,
            floor_approval,
            place: "拍卖厅".into(),
            relisting_of: Some("l0".into()),
        }
    }

    #[test]
    fn a_created_listing_is_announced_without_quotes_and_keeps_its_decided_terms() {
        let approval = ggzy_trading::registration::ApprovalDocument {
            title: Some("批复".into()),
            number: Some("1号".into()),
            sha256: Some("ab".into()),
        };
        let (row, progress) = created_rows("l1".into(), "p1", "a1", &decided(Some(approval)), at(8));
        assert_eq!(
            row,
            ListingRow { floor_approval: row.floor_approval.clone(), relisting_of: Some("l0".into()), ..listing() }
        );
        let approval: serde_json::Value = serde_json::from_str(row.floor_approval.as_deref().unwrap()).unwrap();
        assert_eq!(approval, serde_json::json!({ "title": "批复", "number": "1号", "sha256": "ab" }));
        assert_eq!(progress, ProgressRow { version: 1, quotes: 0, ..progress_row("announced") });
        let (row, _) = created_rows("l1".into(), "p1", "a1", &decided(None), at(8));
        assert_eq!(row.floor_approval, None);
    }

    fn progress_row(phase: &str) -> ProgressRow {
        ProgressRow { phase: phase.into(), ..progress("announced", None, None) }
    }

    #[test]
    fn the_creation_payload_carries_the_reserve_as_money() {
        let decided = decided(None);
        let (row, _) = created_rows("l1".into(), "p1", "a1", &decided, at(8));
        let payload = creation_payload(&row, &decided, "land.listing").unwrap();
        assert_eq!(payload["reserve_price"], serde_json::json!("15.00"));
        assert_eq!(payload["starting_price"], serde_json::json!("10.00"));
        assert_eq!(payload["relisting_of"], serde_json::json!("l0"));
        assert_eq!(payload["listing_end"], serde_json::json!(at(12).and_utc()));
        assert_eq!(payload["rule"], serde_json::json!("land.listing"));
        let unreadable = ListingRow { deposit: -1, ..row };
        assert!(creation_payload(&unreadable, &decided, "land.listing").is_err());
    }

    #[test]
    fn an_accepted_quote_leads_counts_and_moves_the_version_on() {
        let before = progress("listing", Some(1_000), None);
        let accepted = Accepted { price: 1_100, auction_end: None };
        let next = quoted_progress(&before, Phase::Listing, &accepted, "b2");
        assert_eq!(
            (next.phase.as_str(), next.current_price, next.leader_id.as_deref(), next.quotes, next.version),
            ("listing", Some(1_100), Some("b2"), 2, 3)
        );
        let (row, quote) = placed_quote(PlacedQuote {
            listing_id: "l1",
            progress: &next,
            bidder_id: "b2",
            bidder_number: 4,
            price: Money::from_fen(1_100).unwrap(),
            accepted: &accepted,
            placed_at: at(10).and_utc(),
            placed_at_row: at(10),
        });
        assert_eq!((row.sequence, row.bidder_number, row.price, row.phase.as_str()), (2, 4, 1_100, "listing"));
        assert_eq!((quote.sequence, quote.bidder_number, quote.price.fen()), (2, 4, 1_100));
        assert_eq!(quote.auction_end, None);
    }

    #[test]
    fn an_auction_quote_keeps_the_auction_end_it_leaves() {
        let before = progress("auction", Some(1_000), None);
        let accepted = Accepted { price: 1_200, auction_end: Some(at(13).and_utc()) };
        let next = quoted_progress(&before, Phase::Auction, &accepted, "b1");
        assert_eq!(next.auction_end, Some(at(13)));
        assert_eq!(next.phase, "auction");
    }

    #[test]
    fn a_concluding_close_stamps_the_time_and_a_move_to_auction_does_not() {
        let before = progress("listing", Some(1_600), None);
        let sold = Standing {
            phase: Phase::Sold,
            leader: Some("b1".into()),
            price: Some(1_600),
            auction_end: None,
            concluded: true,
        };
        let next = closed_progress(&before, sold, at(12));
        assert_eq!((next.phase.as_str(), next.concluded_at, next.version), ("sold", Some(at(12)), 3));
        let to_auction = Standing {
            phase: Phase::Auction,
            leader: Some("b1".into()),
            price: Some(1_600),
            auction_end: Some(at(13).and_utc()),
            concluded: false,
        };
        let next = closed_progress(&before, to_auction, at(12));
        assert_eq!((next.phase.as_str(), next.concluded_at, next.auction_end), ("auction", None, Some(at(13))));
        let payload = close_payload(&next, Some("b1"), &["r1".to_owned()], Some("land.deposit.refund")).unwrap();
        assert_eq!(payload["price"], serde_json::json!("16.00"));
        assert_eq!(payload["auction_end"], serde_json::json!(at(13).and_utc()));
        assert_eq!(payload["refunds_instructed"], serde_json::json!(["r1"]));
        assert_eq!(payload["winner_id"], serde_json::json!("b1"));
    }

    #[test]
    fn the_winners_answer_is_stamped() {
        let before = progress("sold", Some(1_600), Some(at(12)));
        let next = answered_progress(&before, Confirmation::Refused, at(14));
        assert_eq!((next.confirmation.as_deref(), next.confirmed_at, next.version), (Some("refused"), Some(at(14)), 3));
        assert_eq!(next.phase, "sold");
    }

    #[test]
    fn earlier_rounds_keep_the_order_and_whether_a_floor_was_approved() {
        let first = listing();
        let second = ListingRow {
            id: "l2".into(),
            appraisal: None,
            starting_price: 800,
            floor_approval: Some("{}".into()),
            ..listing()
        };
        let rounds = earlier_rounds(&[first, second]);
        assert_eq!(
            rounds.iter().map(|r| (r.appraisal, r.starting_price, r.approved)).collect::<Vec<_>>(),
            vec![(Some(1_200), 1_000, false), (None, 800, true)]
        );
    }

    #[test]
    fn a_relisting_section_belongs_to_the_project() {
        let section = LotSection {
            id: "s2".into(),
            code: "P1002".into(),
            position: 2,
            name: "二次挂牌".into(),
            estimated_amount: 900,
        };
        let row = section_row("p1", &section);
        assert_eq!(
            (row.id.as_str(), row.project_id.as_str(), row.position, row.estimated_amount),
            ("s2", "p1", 2, 900)
        );
    }

    #[test]
    fn a_winner_s_answer_is_a_confirmation_or_with_a_reason_a_refusal() {
        let listing = listing();
        let bond = ggzy_store::ledger::BondRow {
            id: "b1".into(),
            section_id: "s1".into(),
            bidder_id: "w1".into(),
            account_id: "bond:b1".into(),
            form: "cash".into(),
            amount: 100,
            payer_account: None,
            guarantee: None,
            deposited_at: at(9),
            status: "held".into(),
            refund_trigger: None,
            refund_trigger_at: None,
            refund_rule: None,
            refund_deadline: None,
            outcome: None,
            settled_at: None,
        };
        let confirmed = answered_entry(&listing, "w1", &bond, None);
        assert_eq!((confirmed.chain.as_str(), confirmed.action), ("project:p1", AuditAction::ListingConfirm));
        assert_eq!((confirmed.object_type, confirmed.object_id.as_str()), ("listing", "l1"));
        let refused = answered_entry(&listing, "w1", &bond, Some("放弃"));
        assert_eq!(
            (refused.action, &refused.payload["reason"]),
            (AuditAction::ListingRefusal, &serde_json::json!("放弃"))
        );
    }
}
