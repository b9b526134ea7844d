//! Response and request bodies of bids (see `ggzy_service::bids` for the use cases).

use crate::announcements::TenderDocument;
use crate::audit_entry::{project_chain, AuditEntry};
use crate::utc;
use chrono::{DateTime, NaiveDateTime, Utc};
use ggzy_kernel::{stored, stored_json, stored_opt, AuditAction, StoredFault};
use ggzy_ledger::BondStatus;
use ggzy_store::bids::{BidRow, OpeningRow, OwnBidRow};
use ggzy_store::objections::ObjectionRow;
use ggzy_store::sealing::{EnvelopeRow, SealedSectionRow};
pub use ggzy_trading::bidding::{BidContent, OwnBidQuery, RevealCommitment};
use ggzy_trading::bidding::{ClearBid, EnvelopeState, NamedPerson, PersonField, SubmissionFacts};
pub use ggzy_trading::lifecycle::{BidStatus, DecryptionTally, OpeningOutcome, OpeningStage};
use ggzy_trading::lifecycle::{DecryptionOutcome, ProjectStatus};
pub use ggzy_trading::opening::{OpenBids, OpenedBid, OpeningObjection, OpeningRecord};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;
use utoipa::ToSchema;

/// A bid as the bidder sends it: in a section the platform seals, the content in clear
/// (sealed on arrival); in a section announced for bidder sealing, only `envelope` (the
/// content sealed offline by the bidder, `ggzy bid seal`).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitBid {
    /// 投标报价, decimal yuan (required unless the bid is an envelope).
    #[schema(value_type = Option<String>, example = "985000.00")]
    pub price: Option<String>,
    /// Required unless the bid is an envelope.
    pub documents: Option<Vec<TenderDocument>>,
    /// The project manager (项目负责人), a registered person of the bidder (required unless
    /// the bid is an envelope).
    #[schema(value_type = Option<String>, format = Uuid)]
    pub project_manager_id: Option<String>,
    /// The contact (联系人), a registered person of the bidder.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub contact_person_id: Option<String>,
    /// The entrusted agent handling the bid (委托代理人): a registered person of the bidder,
    /// or a person the bidder entrusted (POST /participants/{id}/entrusted-agents).
    #[schema(value_type = Option<String>, format = Uuid)]
    pub agent_person_id: Option<String>,
    /// Fingerprint of the device that prepared the bid (编制设备识别码; required unless the
    /// bid is an envelope).
    #[schema(value_type = Option<String>)]
    pub device_fingerprint: Option<String>,
    /// The author recorded in the bid document's metadata (文件创建者).
    pub document_author: Option<String>,
    /// Optional sha256 hex of `"<price>:<nonce>"`, the nonce kept by the bidder and revealed
    /// after the deadline.
    pub commitment_hash: Option<String>,
    /// The bid sealed by its bidder: required, and the only field, in a section announced
    /// for bidder sealing (tendering.bidder_sealing); refused elsewhere.
    pub envelope: Option<crate::sealed_bids::SealedEnvelope>,
}

impl SubmitBid {
    /// The bid in clear, and the envelope of a bid its bidder sealed.
    pub fn split(self) -> (ClearBid, Option<crate::sealed_bids::SealedEnvelope>) {
        let clear = ClearBid {
            price: self.price,
            documents: self.documents,
            project_manager_id: self.project_manager_id,
            contact_person_id: self.contact_person_id,
            agent_person_id: self.agent_person_id,
            device_fingerprint: self.device_fingerprint,
            document_author: self.document_author,
            commitment_hash: self.commitment_hash,
        };
        (clear, self.envelope)
    }
}

/// A bid as its bidder sees it (and, after opening, the tenderer, centre and supervisors).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Bid {
    pub id: String,
    pub section_id: String,
    pub bidder_id: String,
    pub status: BidStatus,
    pub submitted_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The bidder's receipt: HMAC-SHA256 keyed by `receipt_salt` over `content` as JSON with
    /// its keys sorted and no white space. It confirms nothing to whoever lacks the salt.
    pub receipt_hash: String,
    /// The receipt's key (64 hex characters), shown only to the bidder; absent for bids
    /// sealed before receipts were keyed (their receipt is the plain sha256).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receipt_salt: Option<String>,
    pub commitment_hash: Option<String>,
    /// The content; absent while the bid is still its bidder's envelope (until decrypted at
    /// the opening).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<BidContent>,
    /// Whether the bidder sealed the bid itself (an envelope) rather than the platform.
    pub sealed_by_bidder: bool,
}

/// One of the calling bidder's bids as its list shows it: where, when and in what state —
/// never the price or the content (the bidder reads a bid whole with `GET /bids/{id}`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OwnBid {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub section_id: String,
    #[schema(format = Uuid)]
    pub project_id: String,
    pub project_code: String,
    pub project_name: String,
    pub status: BidStatus,
    pub submitted_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Whether the bidder sealed the bid itself (an envelope) rather than the platform.
    pub sealed_by_bidder: bool,
    /// For an envelope, whether it has been decrypted at the opening; null for a bid the
    /// platform sealed.
    pub decrypted: Option<bool>,
    /// For an envelope, what the opening made of it (decrypted, revoked, withdrawn); null
    /// until then, and for a bid the platform sealed.
    pub decryption_outcome: Option<crate::sealed_bids::DecryptionOutcome>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OwnBidPage {
    pub items: Vec<OwnBid>,
    pub next_cursor: Option<String>,
}

/// Where a section's opening stands (`GET /sections/{id}/opening/events`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct OpeningProgress {
    pub section_id: String,
    pub stage: OpeningStage,
    /// The announced opening time (none before the announcement).
    pub opening_at: Option<DateTime<Utc>>,
    /// The decryption window of a section whose bidders seal their bids, once opened.
    pub window_opened_at: Option<DateTime<Utc>>,
    pub window_closes_at: Option<DateTime<Utc>>,
    /// Shown once the opening has begun (招标投标法 §22: before it, not even how many).
    pub bids: Option<DecryptionTally>,
}

impl Bid {
    /// The bid of `row` with its content (none while it is its bidder's envelope) and the
    /// receipt's salt where the caller is shown it.
    pub fn from_row(
        row: BidRow,
        content: Option<BidContent>,
        receipt_salt: Option<String>,
        sealed_by_bidder: bool,
    ) -> Result<Bid, StoredFault> {
        Ok(Bid {
            status: stored("bids.status", &row.status)?,
            submitted_at: utc(row.submitted_at),
            updated_at: utc(row.updated_at),
            id: row.id,
            section_id: row.section_id,
            bidder_id: row.bidder_id,
            receipt_hash: row.receipt_hash,
            receipt_salt,
            commitment_hash: row.commitment_hash,
            content,
            sealed_by_bidder,
        })
    }
}

impl OwnBid {
    /// One of the bidder's bids as its list shows it, with what became of its envelope.
    pub fn from_row(row: OwnBidRow, envelope: EnvelopeState) -> Result<OwnBid, StoredFault> {
        let EnvelopeState { sealed_by_bidder, decrypted, decryption_outcome } = envelope;
        Ok(OwnBid {
            status: stored("bids.status", &row.status)?,
            submitted_at: utc(row.submitted_at),
            updated_at: utc(row.updated_at),
            id: row.id,
            section_id: row.section_id,
            project_id: row.project_id,
            project_code: row.project_code,
            project_name: row.project_name,
            sealed_by_bidder,
            decrypted,
            decryption_outcome,
        })
    }
}

/// The stored decryption outcomes of bids sealed by their bidders, by bid id (a bid the
/// platform sealed has none).
pub fn envelope_outcomes(
    rows: Vec<(String, Option<String>)>,
) -> Result<HashMap<String, Option<DecryptionOutcome>>, StoredFault> {
    rows.into_iter()
        .map(|(bid_id, outcome)| Ok((bid_id, stored_opt("bid_envelopes.outcome", outcome.as_deref())?)))
        .collect()
}

/// An objection raised at the opening as its record shows it.
pub fn opening_objection(row: ObjectionRow) -> OpeningObjection {
    OpeningObjection {
        objection_id: row.id,
        objector_id: row.objector_id,
        raised_at: utc(row.raised_at),
        content: row.content,
        answer: row.answer,
        answered_at: row.answered_at.map(utc),
    }
}

/// The facts a bid (or a sealed bid file) is admitted on, from what the store read.
pub fn submission_facts(facts: &ggzy_store::bids::SubmissionFacts) -> Result<SubmissionFacts, StoredFault> {
    let project_status: ProjectStatus = stored("projects.status", &facts.project.status)?;
    let bond_status: Option<BondStatus> = stored_opt("bonds.status", facts.bond_status.as_deref())?;
    Ok(SubmissionFacts {
        project_terminated: project_status == ProjectStatus::Terminated,
        suspension_reason: facts.suspension_reason.clone(),
        bid_deadline: facts.bid_deadline,
        bond_backs_bid: bond_status.is_some_and(BondStatus::backs_a_bid),
        already_bid: facts.existing_bid.is_some(),
        bidder_sealed: facts.bidder_sealed,
        listed: facts.listed,
        opened: facts.opened,
    })
}

/// What the store is asked of the people a bid names (`people`).
pub fn people_asked<'a>(people: &[(PersonField, &'a str)]) -> ggzy_store::command_reads::BidPeopleAsked<'a> {
    ggzy_store::command_reads::BidPeopleAsked {
        persons: people.iter().map(|&(_, person)| person).collect(),
        entrusted: people.iter().filter(|(field, _)| field.takes_entrusted()).map(|&(_, person)| person).collect(),
    }
}

/// What the platform knows of each person a bid of `bidder_id` names (`people`, in the
/// bid's order), from what the store read of them.
pub fn named_people(
    people: &[(PersonField, &str)],
    bidder_id: &str,
    reads: &ggzy_store::command_reads::BidPeopleReads,
) -> Vec<(PersonField, NamedPerson)> {
    people
        .iter()
        .map(|&(field, person)| {
            let employer = reads.employers.get(person).map(Option::as_deref);
            let entrusted = field.takes_entrusted() && reads.entrusted.iter().any(|e| e == person);
            // The tenderer's agents act for the tenderer; none may act for a bidder on the project.
            let agent_of_tenderer = reads.tenderer_agents.iter().any(|a| a == person);
            (field, NamedPerson::of(employer, bidder_id, entrusted, agent_of_tenderer))
        })
        .collect()
}

/// The audit chain of an act on a bid in the section `facts` were read for
/// (`ggzy_trading::bidding::bidding_chain`): the section's own while its bidders are secret.
pub fn bidding_chain_of(facts: &ggzy_store::bids::SubmissionFacts) -> Result<String, StoredFault> {
    let project_status: ProjectStatus = stored("projects.status", &facts.project.status)?;
    let secret =
        ggzy_trading::bidding::bidders_secret(facts.opened, facts.listed, project_status == ProjectStatus::Terminated);
    Ok(ggzy_trading::bidding::bidding_chain(&facts.project.id, &facts.section.id, secret))
}

/// Whether who bids in a section, and how many, is still secret, from its openness as the
/// store read it (`ggzy_trading::bidding::bidders_secret`): until its opening record
/// (opened or failed) or the termination of its project; a listed section never is.
pub fn bidders_secret_of(section: &ggzy_store::bids::SectionOpenness) -> Result<bool, StoredFault> {
    let project_status: ProjectStatus = stored("projects.status", &section.project_status)?;
    Ok(ggzy_trading::bidding::bidders_secret(
        section.opening_outcome.is_some(),
        section.listed,
        project_status == ProjectStatus::Terminated,
    ))
}

/// The plain text that is sealed: the content and the key of its receipt. Bids sealed
/// before receipts were keyed hold the bare content.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum SealedPlain {
    Salted { receipt_salt: String, content: BidContent },
    Bare(BidContent),
}

/// The plain text to seal of a bid's content with its receipt's key (hex).
pub fn sealed_plain(receipt_salt: String, content: BidContent) -> Result<Vec<u8>, serde_json::Error> {
    serde_json::to_vec(&SealedPlain::Salted { receipt_salt, content })
}

/// A bid's content and its receipt's key (none for a bid sealed before receipts were
/// keyed) from the plain text its sealed column opened to.
pub fn read_sealed_plain(plain: &[u8]) -> Result<(BidContent, Option<String>), StoredFault> {
    Ok(match stored_json("bids.sealed", plain)? {
        SealedPlain::Salted { receipt_salt, content } => (content, Some(receipt_salt)),
        SealedPlain::Bare(content) => (content, None),
    })
}

/// A bid's content as the bids table holds it: sealed with the section's key (or marked as
/// still its bidder's envelope), the receipt its bidder is given, and the price commitment
/// of a platform-sealed bid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedBid {
    pub sealed: String,
    pub receipt_hash: String,
    pub commitment_hash: Option<String>,
}

/// The row of a bid submitted at `now`: in, at its first version, no nonce revealed.
pub fn submitted_bid_row(
    id: String,
    section_id: &str,
    bidder_id: String,
    sealed: SealedBid,
    now: NaiveDateTime,
) -> BidRow {
    BidRow {
        id,
        section_id: section_id.to_owned(),
        bidder_id,
        sealed: sealed.sealed,
        receipt_hash: sealed.receipt_hash,
        commitment_hash: sealed.commitment_hash,
        revealed_nonce: None,
        status: BidStatus::Submitted.as_str().to_owned(),
        submitted_at: now,
        updated_at: now,
        version: 1,
    }
}

/// A bid's row changed at `now`: its next version. The version it replaces is returned, for
/// the write to check that nobody changed the bid meanwhile.
pub fn next_version(row: &mut BidRow, now: NaiveDateTime) -> i64 {
    let replaced = row.version;
    row.updated_at = now;
    row.version += 1;
    replaced
}

/// A bid's row whose content its bidder replaced at `now`; the version it replaces, as
/// [`next_version`].
pub fn reseal(row: &mut BidRow, sealed: SealedBid, now: NaiveDateTime) -> i64 {
    row.sealed = sealed.sealed;
    row.receipt_hash = sealed.receipt_hash;
    row.commitment_hash = sealed.commitment_hash;
    next_version(row, now)
}

/// The row of a bid's envelope as its bidder sealed it, awaiting the decryption's outcome.
pub fn envelope_row(bid_id: String, key_id: String, envelope: String) -> EnvelopeRow {
    EnvelopeRow { bid_id, key_id, envelope, outcome: None, decided_at: None, note: None }
}

/// The row of an opening record made at `at` by `opened_by`.
pub fn opening_row(
    record: &OpeningRecord,
    opened_by: String,
    witness_id: String,
    at: NaiveDateTime,
) -> Result<OpeningRow, serde_json::Error> {
    Ok(OpeningRow {
        section_id: record.section_id.clone(),
        opened_at: at,
        opened_by,
        witness_id,
        outcome: record.outcome.as_str().to_owned(),
        record: serde_json::to_string(record)?,
        bid_count: i64::try_from(record.bid_count).unwrap_or(i64::MAX),
    })
}

/// The opening record a row holds, without the objections (kept apart).
pub fn opening_record_from_row(row: &OpeningRow) -> Result<OpeningRecord, StoredFault> {
    stored_json("openings.record", row.record.as_bytes())
}

impl OpeningProgress {
    /// Where the opening of `section_id` stands: its stage, the announced time, the
    /// decryption window of a section whose bidders seal, and the tally once shown.
    pub fn of(
        section_id: String,
        stage: OpeningStage,
        opening_at: Option<NaiveDateTime>,
        window: Option<&SealedSectionRow>,
        bids: Option<DecryptionTally>,
    ) -> OpeningProgress {
        OpeningProgress {
            section_id,
            stage,
            opening_at: opening_at.map(utc),
            window_opened_at: window.and_then(|w| w.window_opened_at).map(utc),
            window_closes_at: window.and_then(|w| w.window_closes_at).map(utc),
            bids,
        }
    }
}

/// What the audit trail keeps of a submitted bid, on `chain`: its section and receipt,
/// never its content.
pub fn submitted_entry(chain: String, bid_id: &str, section_id: &str, receipt_hash: &str) -> AuditEntry<Value> {
    let payload = serde_json::json!({ "section_id": section_id, "receipt_hash": receipt_hash });
    AuditEntry { chain, action: AuditAction::BidSubmit, object_type: "bid", object_id: bid_id.into(), payload }
}

/// What the audit trail keeps of a bid replaced before the deadline: its new receipt.
pub fn modified_entry(chain: String, bid_id: &str, receipt_hash: &str) -> AuditEntry<Value> {
    let payload = serde_json::json!({ "receipt_hash": receipt_hash });
    AuditEntry { chain, action: AuditAction::BidModify, object_type: "bid", object_id: bid_id.into(), payload }
}

/// What the audit trail keeps of a bid withdrawn before the deadline: its section.
pub fn withdrawn_entry(chain: String, bid_id: &str, section_id: &str) -> AuditEntry<Value> {
    let payload = serde_json::json!({ "section_id": section_id });
    AuditEntry { chain, action: AuditAction::BidWithdraw, object_type: "bid", object_id: bid_id.into(), payload }
}

/// The opening on its project's chain, the record in full: the section opened, or failed
/// for too few bids.
pub fn opening_entry<'a>(project_id: &str, record: &'a OpeningRecord) -> AuditEntry<&'a OpeningRecord> {
    let action = match record.outcome {
        OpeningOutcome::Opened => AuditAction::SectionOpen,
        OpeningOutcome::Failed => AuditAction::SectionFail,
    };
    AuditEntry {
        chain: project_chain(project_id),
        action,
        object_type: "section",
        object_id: record.section_id.clone(),
        payload: record,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::bid_content as content;
    use ggzy_store::projects::ProjectRow;

    fn at(minute: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 3, 1).and_then(|d| d.and_hms_opt(9, minute, 0)).unwrap()
    }

    fn sealed(text: &str) -> SealedBid {
        SealedBid { sealed: text.into(), receipt_hash: format!("r-{text}"), commitment_hash: Some("c".into()) }
    }

    #[test]
    fn each_named_person_is_known_by_employer_entrustment_and_agency() {
        let reads = ggzy_store::command_reads::BidPeopleReads {
            tenderer_agents: vec!["agent".into()],
            employers: [("own".to_owned(), Some("b1".to_owned())), ("free".to_owned(), None)].into(),
            entrusted: vec!["free".into()],
        };
        let people =
            [(PersonField::ProjectManager, "own"), (PersonField::Contact, "free"), (PersonField::Agent, "free")];
        let asked = people_asked(&people);
        assert_eq!((asked.persons, asked.entrusted), (vec!["own", "free", "free"], vec!["free"]));
        let named = named_people(&people, "b1", &reads);
        assert_eq!(named[0], (PersonField::ProjectManager, NamedPerson::of(Some(Some("b1")), "b1", false, false)));
        // Entrusted counts only in the field that takes entrusted people.
        assert_eq!(named[1], (PersonField::Contact, NamedPerson::of(Some(None), "b1", false, false)));
        assert_eq!(named[2], (PersonField::Agent, NamedPerson::of(Some(None), "b1", true, false)));
        let strangers = named_people(&[(PersonField::Agent, "agent"), (PersonField::Contact, "nobody")], "b1", &reads);
        assert_eq!(strangers[0].1, NamedPerson::of(None, "b1", false, true));
        assert!(!strangers[1].1.known);
    }

    #[test]
    fn an_act_on_a_bid_stays_on_the_sections_chain_while_its_bidders_are_secret() {
        let facts = |opened, listed, status: &str| ggzy_store::bids::SubmissionFacts {
            section: crate::fixtures::section_row(1),
            project: ProjectRow { status: status.into(), ..crate::fixtures::project_row(at(0)) },
            suspension_reason: None,
            bid_deadline: None,
            bidder_sealed: false,
            listed,
            opened,
            bond_status: None,
            existing_bid: None,
            bidder_key: None,
            bidder_standing: (Vec::new(), Vec::new()),
        };
        assert_eq!(bidding_chain_of(&facts(false, false, "tendering")).unwrap(), "sealed:s1");
        assert_eq!(bidding_chain_of(&facts(true, false, "tendering")).unwrap(), "project:p1");
        assert_eq!(bidding_chain_of(&facts(false, true, "tendering")).unwrap(), "project:p1");
        assert_eq!(bidding_chain_of(&facts(false, false, "terminated")).unwrap(), "project:p1");
        assert!(bidding_chain_of(&facts(false, false, "no-such-status")).is_err());
    }

    #[test]
    fn bidders_stay_secret_until_an_opening_record_a_listing_or_a_termination() {
        let open = |listed, opening_outcome: Option<&str>, project_status: &str| ggzy_store::bids::SectionOpenness {
            listed,
            opening_outcome: opening_outcome.map(str::to_owned),
            project_status: project_status.into(),
        };
        assert!(bidders_secret_of(&open(false, None, "tendering")).unwrap());
        assert!(!bidders_secret_of(&open(false, Some("failed"), "tendering")).unwrap());
        assert!(!bidders_secret_of(&open(false, Some("opened"), "tendering")).unwrap());
        assert!(!bidders_secret_of(&open(true, None, "tendering")).unwrap());
        assert!(!bidders_secret_of(&open(false, None, "terminated")).unwrap());
        assert!(bidders_secret_of(&open(false, None, "no-such-status")).is_err());
    }

    #[test]
    fn a_submitted_bid_is_in_at_its_first_version() {
        let row = submitted_bid_row("b1".into(), "s1", "p1".into(), sealed("x"), at(5));
        assert_eq!((row.id.as_str(), row.section_id.as_str(), row.bidder_id.as_str()), ("b1", "s1", "p1"));
        assert_eq!(
            (row.sealed.as_str(), row.receipt_hash.as_str(), row.commitment_hash.as_deref()),
            ("x", "r-x", Some("c"))
        );
        assert_eq!((row.status.as_str(), row.revealed_nonce.as_deref(), row.version), ("submitted", None, 1));
        assert_eq!((row.submitted_at, row.updated_at), (at(5), at(5)));
        assert_eq!(stored::<BidStatus>("bids.status", &row.status).unwrap(), BidStatus::Submitted);
    }

    #[test]
    fn a_changed_bid_moves_to_its_next_version_and_names_the_one_it_replaces() {
        let mut row = submitted_bid_row("b1".into(), "s1", "p1".into(), sealed("x"), at(5));
        assert_eq!(next_version(&mut row, at(7)), 1);
        assert_eq!((row.version, row.updated_at, row.submitted_at), (2, at(7), at(5)));
        assert_eq!(next_version(&mut row, at(9)), 2);
        assert_eq!((row.version, row.updated_at), (3, at(9)));
    }

    #[test]
    fn a_resealed_bid_holds_the_new_content_and_receipt() {
        let mut row = submitted_bid_row("b1".into(), "s1", "p1".into(), sealed("x"), at(5));
        let replacement = SealedBid { sealed: "y".into(), receipt_hash: "r-y".into(), commitment_hash: None };
        assert_eq!(reseal(&mut row, replacement, at(8)), 1);
        assert_eq!((row.sealed.as_str(), row.receipt_hash.as_str(), row.commitment_hash), ("y", "r-y", None));
        assert_eq!((row.version, row.updated_at, row.status.as_str()), (2, at(8), "submitted"));
    }

    #[test]
    fn an_envelope_waits_for_its_outcome() {
        let row = envelope_row("b1".into(), "k1".into(), "{}".into());
        assert_eq!((row.bid_id.as_str(), row.key_id.as_str(), row.envelope.as_str()), ("b1", "k1", "{}"));
        assert_eq!((row.outcome, row.decided_at, row.note), (None, None, None));
    }

    fn bid_row(status: &str) -> BidRow {
        BidRow {
            id: "b1".into(),
            section_id: "s1".into(),
            bidder_id: "p1".into(),
            sealed: "sealed".into(),
            receipt_hash: "r".into(),
            commitment_hash: Some("c".into()),
            revealed_nonce: None,
            status: status.into(),
            submitted_at: at(0),
            updated_at: at(5),
            version: 2,
        }
    }

    #[test]
    fn a_bid_shows_its_row_and_what_the_caller_is_shown() {
        let bid = Bid::from_row(bid_row("withdrawn"), None, Some("salt".into()), true).unwrap();
        assert_eq!((bid.id.as_str(), bid.section_id.as_str(), bid.bidder_id.as_str()), ("b1", "s1", "p1"));
        assert_eq!((bid.status, bid.submitted_at, bid.updated_at), (BidStatus::Withdrawn, utc(at(0)), utc(at(5))));
        assert_eq!((bid.receipt_hash.as_str(), bid.commitment_hash.as_deref()), ("r", Some("c")));
        assert_eq!(
            (bid.receipt_salt.as_deref(), bid.content.is_none(), bid.sealed_by_bidder),
            (Some("salt"), true, true)
        );
        assert_eq!(
            Bid::from_row(bid_row("lost"), None, None, false).err().map(|f| f.to_string()).as_deref(),
            Some("bids.status holds `lost`, which is not BidStatus")
        );
    }

    fn own_row(status: &str) -> OwnBidRow {
        OwnBidRow {
            id: "b1".into(),
            section_id: "s1".into(),
            project_id: "pr1".into(),
            project_code: "GC-1".into(),
            project_name: "道路".into(),
            status: status.into(),
            submitted_at: at(0),
            updated_at: at(5),
        }
    }

    #[test]
    fn an_own_bid_shows_its_row_and_its_envelope() {
        let envelope = EnvelopeState::of(Some(Some(DecryptionOutcome::Decrypted)));
        let own = OwnBid::from_row(own_row("submitted"), envelope).unwrap();
        assert_eq!((own.id.as_str(), own.section_id.as_str(), own.project_id.as_str()), ("b1", "s1", "pr1"));
        assert_eq!((own.project_code.as_str(), own.project_name.as_str()), ("GC-1", "道路"));
        assert_eq!((own.status, own.submitted_at, own.updated_at), (BidStatus::Submitted, utc(at(0)), utc(at(5))));
        assert_eq!((own.sealed_by_bidder, own.decrypted), (true, Some(true)));
        assert_eq!(own.decryption_outcome, Some(DecryptionOutcome::Decrypted));
        let fault = OwnBid::from_row(own_row("sent"), EnvelopeState::of(None)).err();
        assert_eq!(fault.map(|f| (f.column, f.value)), Some(("bids.status", "sent".to_owned())));
    }

    #[test]
    fn envelope_outcomes_are_read_by_bid_and_an_unknown_one_is_a_fault() {
        let outcomes =
            envelope_outcomes(vec![("b1".into(), None), ("b2".into(), Some("revoked".into()))]).unwrap_or_default();
        assert_eq!(outcomes.get("b1"), Some(&None));
        assert_eq!(outcomes.get("b2"), Some(&Some(DecryptionOutcome::Revoked)));
        assert_eq!(outcomes.get("b3"), None);
        let fault = envelope_outcomes(vec![("b1".into(), Some("burnt".into()))]).err();
        assert_eq!(fault.map(|f| (f.column, f.value)), Some(("bid_envelopes.outcome", "burnt".to_owned())));
    }

    #[test]
    fn an_opening_objection_shows_its_row() {
        let row = ObjectionRow {
            id: "o1".into(),
            project_id: "pr1".into(),
            section_id: Some("s1".into()),
            stage: "opening".into(),
            objector_id: "p1".into(),
            content: "唱标有误".into(),
            knew_at: None,
            raised_at: at(10),
            rule_id: "r".into(),
            reply_rule_id: "rr".into(),
            reply_due: at(20),
            answer: Some("已复核".into()),
            answered_at: Some(at(15)),
            answered_by: Some("agent".into()),
            suspension_id: None,
        };
        let objection = opening_objection(row);
        assert_eq!((objection.objection_id.as_str(), objection.objector_id.as_str()), ("o1", "p1"));
        assert_eq!((objection.raised_at, objection.content.as_str()), (utc(at(10)), "唱标有误"));
        assert_eq!((objection.answer.as_deref(), objection.answered_at), (Some("已复核"), Some(utc(at(15)))));
    }

    fn facts(project_status: &str, bond_status: Option<&str>) -> ggzy_store::bids::SubmissionFacts {
        ggzy_store::bids::SubmissionFacts {
            section: crate::fixtures::section_row(1),
            project: ProjectRow { status: project_status.into(), ..crate::fixtures::project_row(at(0)) },
            suspension_reason: Some("投诉".into()),
            bid_deadline: Some(at(30)),
            bidder_sealed: true,
            listed: false,
            opened: true,
            bond_status: bond_status.map(str::to_owned),
            existing_bid: Some("b0".into()),
            bidder_key: None,
            bidder_standing: (Vec::new(), Vec::new()),
        }
    }

    #[test]
    fn submission_facts_are_what_the_store_read() {
        let read = submission_facts(&facts("terminated", Some("held"))).unwrap();
        assert!(read.project_terminated && read.bond_backs_bid && read.already_bid);
        assert_eq!((read.suspension_reason.as_deref(), read.bid_deadline), (Some("投诉"), Some(at(30))));
        assert_eq!((read.bidder_sealed, read.listed, read.opened), (true, false, true));
        let read = submission_facts(&facts("tendering", Some("refunded"))).unwrap();
        assert!(!read.project_terminated && !read.bond_backs_bid);
        assert!(!submission_facts(&facts("tendering", None)).unwrap().bond_backs_bid);
        let cases = [(facts("lost", None), "projects.status"), (facts("tendering", Some("gone")), "bonds.status")];
        for (facts, column) in cases {
            assert_eq!(submission_facts(&facts).err().map(|f| f.column), Some(column));
        }
    }

    #[test]
    fn sealed_plain_text_reads_back_with_its_receipt_key_and_bare_content_without() {
        let plain = sealed_plain("5a".repeat(32), content()).unwrap();
        assert_eq!(read_sealed_plain(&plain), Ok((content(), Some("5a".repeat(32)))));
        let bare = serde_json::to_vec(&content()).unwrap();
        assert_eq!(read_sealed_plain(&bare), Ok((content(), None)));
        let fault = read_sealed_plain(b"{\"price\": 1}").err();
        assert_eq!(fault.as_ref().map(|f| f.column), Some("bids.sealed"));
        // The fault is logged: it must not repeat the opened content.
        assert!(fault.is_some_and(|f| !f.value.contains("\"price\": 1")));
    }

    fn record() -> OpeningRecord {
        OpeningRecord {
            section_id: "s1".into(),
            opened_at: utc(at(0)),
            witness: "王".into(),
            outcome: OpeningOutcome::Failed,
            bid_count: 2,
            min_bidders: 3,
            bids: Vec::new(),
            not_opened: Vec::new(),
            objections: Vec::new(),
        }
    }

    #[test]
    fn an_opening_record_reads_back_from_its_row() {
        let row = opening_row(&record(), "agent:u@a".into(), "w1".into(), at(0)).unwrap();
        assert_eq!((row.section_id.as_str(), row.opened_at, row.opened_by.as_str()), ("s1", at(0), "agent:u@a"));
        assert_eq!((row.witness_id.as_str(), row.outcome.as_str(), row.bid_count), ("w1", "failed", 2));
        let read = opening_record_from_row(&row).unwrap();
        assert_eq!(
            (read.section_id, read.witness, read.outcome),
            ("s1".to_owned(), "王".to_owned(), OpeningOutcome::Failed)
        );
        assert_eq!((read.bid_count, read.min_bidders, read.opened_at), (2, 3, utc(at(0))));
        let row = OpeningRow { record: "{".into(), ..row };
        assert_eq!(opening_record_from_row(&row).err().map(|f| f.column), Some("openings.record"));
    }

    #[test]
    fn opening_progress_shows_the_window_of_a_bidder_sealed_section() {
        let window = SealedSectionRow {
            section_id: "s1".into(),
            window_minutes: 30,
            window_opened_at: Some(at(1)),
            window_closes_at: Some(at(31)),
        };
        let tally = DecryptionTally { bids: 2, ..DecryptionTally::default() };
        let progress =
            OpeningProgress::of("s1".into(), OpeningStage::Decrypting, Some(at(0)), Some(&window), Some(tally));
        assert_eq!((progress.section_id.as_str(), progress.stage), ("s1", OpeningStage::Decrypting));
        assert_eq!(progress.opening_at, Some(utc(at(0))));
        assert_eq!((progress.window_opened_at, progress.window_closes_at), (Some(utc(at(1))), Some(utc(at(31)))));
        assert_eq!(progress.bids, Some(tally));
        let platform_sealed = OpeningProgress::of("s1".into(), OpeningStage::Awaiting, None, None, None);
        assert_eq!(
            (platform_sealed.opening_at, platform_sealed.window_opened_at, platform_sealed.bids),
            (None, None, None)
        );
    }
}

#[cfg(test)]
mod entries {
    use super::*;

    #[test]
    fn a_bid_is_audited_by_its_receipt_never_its_content() {
        let submitted = submitted_entry("sealed:s1".into(), "b1", "s1", "r1");
        assert_eq!((submitted.chain.as_str(), submitted.action), ("sealed:s1", AuditAction::BidSubmit));
        assert_eq!((submitted.object_type, submitted.object_id.as_str()), ("bid", "b1"));
        assert_eq!(submitted.payload, serde_json::json!({ "section_id": "s1", "receipt_hash": "r1" }));
        let modified = modified_entry("sealed:s1".into(), "b1", "r2");
        assert_eq!((modified.action, modified.object_id.as_str()), (AuditAction::BidModify, "b1"));
        assert_eq!(modified.payload, serde_json::json!({ "receipt_hash": "r2" }));
        let withdrawn = withdrawn_entry("project:p1".into(), "b1", "s1");
        assert_eq!((withdrawn.chain.as_str(), withdrawn.action), ("project:p1", AuditAction::BidWithdraw));
        assert_eq!(withdrawn.payload, serde_json::json!({ "section_id": "s1" }));
    }

    #[test]
    fn an_opening_is_audited_as_opened_or_failed_on_the_projects_chain() {
        let mut record = OpeningRecord {
            section_id: "s1".into(),
            opened_at: "2026-12-01T02:00:00Z".parse().unwrap(),
            witness: "王见证".into(),
            outcome: OpeningOutcome::Opened,
            bid_count: 3,
            min_bidders: 3,
            bids: Vec::new(),
            not_opened: Vec::new(),
            objections: Vec::new(),
        };
        let opened = opening_entry("p1", &record);
        assert_eq!((opened.chain.as_str(), opened.action), ("project:p1", AuditAction::SectionOpen));
        assert_eq!((opened.object_type, opened.object_id.as_str()), ("section", "s1"));
        assert_eq!(opened.payload, &record);
        record.outcome = OpeningOutcome::Failed;
        assert_eq!(opening_entry("p1", &record).action, AuditAction::SectionFail);
    }
}
