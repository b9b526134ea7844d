//! A bid and its section: whether a bidder may hand in, change or withdraw a bid (the
//! checks in the order a bidder is told of them, as pure functions of what the platform
//! knows at that instant), what a bid in clear must hold and who may be named in it, how a
//! section takes its bids (sealed by the platform or by the bidder), and what the opening
//! makes of a price commitment.

use chrono::NaiveDateTime;
use ggzy_kernel::validation::read;
use ggzy_kernel::{Answer, FieldError, Money, PageRequest};
use ggzy_rules::rule_ids;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};

use crate::announcement::TenderDocument;
use crate::lifecycle::{BidStatus, DecryptionOutcome};

/// What the platform knows of a section and a bidder when a bid arrives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmissionFacts {
    pub project_terminated: bool,
    /// The reason of the project's open suspension, if it is suspended.
    pub suspension_reason: Option<String>,
    /// The section's bid deadline (UTC); none before its tender announcement.
    pub bid_deadline: Option<NaiveDateTime>,
    /// Whether the bidder's bond in the section is one that backs a bid (held and not on its
    /// way back).
    pub bond_backs_bid: bool,
    /// Whether the bidder already has a bid in the section (a bidder changes it instead).
    pub already_bid: bool,
    /// Whether the section takes envelopes its bidders sealed.
    pub bidder_sealed: bool,
    /// Whether the section is a listed lot (sold by quotes and auction).
    pub listed: bool,
    /// Whether the section has its opening record: no bid joins an opened section, whatever
    /// a clock says.
    pub opened: bool,
}

/// Why a bid is refused, first reason first. `C` is the credit gate's refusal, decided by
/// the credit crate and passed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmissionRefusal<C> {
    ProjectTerminated,
    ProjectSuspended {
        reason: String,
    },
    NotAnnounced,
    /// At the deadline a bid is late (招标投标法 §28).
    DeadlinePassed,
    Credit(C),
    /// 投标保证金 not in the platform's bond account (rule `bond.central`).
    BondNotHeld,
    AlreadyBid,
    /// A listed lot is bought by quotes and the auction, never by sealed bids.
    ListedLot,
    /// A sealed bid file is taken only where bidders seal their bids: in an older section
    /// the platform seals the bid, and its documents are named by hash.
    PlatformSealed,
}

impl<C> SubmissionRefusal<C> {
    /// The rule and words a refused bid is told with; the credit gate's own refusal, told
    /// by the credit crate, comes back as it is.
    pub fn answer(self) -> Result<Answer, C> {
        let conflict = |detail: &str| Answer::Conflict(detail.to_owned());
        Ok(match self {
            SubmissionRefusal::Credit(refusal) => return Err(refusal),
            SubmissionRefusal::ProjectTerminated => conflict("项目已终止"),
            SubmissionRefusal::ProjectSuspended { reason } => Answer::Conflict(format!("项目已暂停：{reason}")),
            SubmissionRefusal::NotAnnounced => conflict("该标段尚未发布招标公告"),
            SubmissionRefusal::DeadlinePassed => conflict("投标截止时间已到，不再接收、修改或撤回投标文件"),
            SubmissionRefusal::BondNotHeld => Answer::Rule {
                rule: rule_ids::BOND_CENTRAL,
                detail: "投标保证金未按要求提交至交易平台保证金专户，投标无效".into(),
                problems: vec![FieldError::new("bond", "bond_not_held", "本标段的投标保证金未到账")],
            },
            SubmissionRefusal::AlreadyBid => conflict("已对本标段投标；截止前可修改或撤回"),
            SubmissionRefusal::ListedLot => conflict("挂牌项目以报价和竞价成交，不接收投标文件"),
            SubmissionRefusal::PlatformSealed => Answer::Rule {
                rule: rule_ids::BIDDER_SEALING,
                detail: "本标段的投标由平台密封，不接收投标人加密的投标文件".into(),
                problems: vec![FieldError::new("section_id", "platform_sealed_section", "本标段不接收加密投标文件")],
            },
        })
    }
}

/// Admits a bid at `now` (UTC) or names the first reason it is refused. The credit gate's
/// outcome comes after the deadline and before the bond, as a bidder barred from bidding
/// learns that before being told about its bond.
pub fn admit_bid<C>(
    facts: &SubmissionFacts,
    credit: Result<(), C>,
    now: NaiveDateTime,
) -> Result<(), SubmissionRefusal<C>> {
    if facts.project_terminated {
        return Err(SubmissionRefusal::ProjectTerminated);
    }
    if let Some(reason) = &facts.suspension_reason {
        return Err(SubmissionRefusal::ProjectSuspended { reason: reason.clone() });
    }
    let deadline = facts.bid_deadline.ok_or(SubmissionRefusal::NotAnnounced)?;
    if now >= deadline || facts.opened {
        return Err(SubmissionRefusal::DeadlinePassed);
    }
    credit.map_err(SubmissionRefusal::Credit)?;
    if !facts.bond_backs_bid {
        return Err(SubmissionRefusal::BondNotHeld);
    }
    if facts.already_bid {
        return Err(SubmissionRefusal::AlreadyBid);
    }
    // A section whose bidders seal their bids is never a listed lot; only older sections
    // need the check.
    if !facts.bidder_sealed && facts.listed {
        return Err(SubmissionRefusal::ListedLot);
    }
    Ok(())
}

/// Admits a sealed bid file (a part of a bid, `ggzy-bid-file-v1`) at `now`, or names the
/// first reason it is refused: a section whose bidders seal, announced, before its deadline,
/// its project neither terminated nor suspended. Neither the credit gate nor the bond is
/// asked: they are asked of the bid that names the file, which is admitted or refused whole.
pub fn admit_sealed_file<C>(facts: &SubmissionFacts, now: NaiveDateTime) -> Result<(), SubmissionRefusal<C>> {
    if facts.project_terminated {
        return Err(SubmissionRefusal::ProjectTerminated);
    }
    if let Some(reason) = &facts.suspension_reason {
        return Err(SubmissionRefusal::ProjectSuspended { reason: reason.clone() });
    }
    let deadline = facts.bid_deadline.ok_or(SubmissionRefusal::NotAnnounced)?;
    if now >= deadline || facts.opened {
        return Err(SubmissionRefusal::DeadlinePassed);
    }
    if !facts.bidder_sealed {
        return Err(SubmissionRefusal::PlatformSealed);
    }
    Ok(())
}

/// Whether who bids in a section, and how many, is still secret (招标投标法 §22): until its
/// opening record (opened or failed) or the termination of its project, which ends the tender
/// without one. A listed lot's quotes are public as they come, by bidder number.
pub fn bidders_secret(opened: bool, listed: bool, project_terminated: bool) -> bool {
    !opened && !listed && !project_terminated
}

/// The prefix of a section's own audit chain while its bidders are secret.
pub const SEALED_CHAIN_PREFIX: &str = "sealed:";

/// The audit chain of an act on a bid or a bond of a section: while its bidders are secret
/// ([`bidders_secret`]) the section's own chain `sealed:<section>`, which the project's
/// archive leaves out; after that the project's chain.
pub fn bidding_chain(project_id: &str, section_id: &str, bidders_secret: bool) -> String {
    if bidders_secret {
        format!("{SEALED_CHAIN_PREFIX}{section_id}")
    } else {
        format!("project:{project_id}")
    }
}

/// The department whose active staff witness an opening (交易中心).
pub const CENTRE_DEPARTMENT: &str = "centre";

/// Whether a staff member may witness an opening: active staff of the centre.
pub fn may_witness(department_id: &str, active: bool) -> bool {
    department_id == CENTRE_DEPARTMENT && active
}

/// Why a bid cannot be changed or withdrawn now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeRefusal {
    NotAnnounced,
    /// At the deadline a bid is late, and so is a change to it (招标投标法 §29: changes and
    /// withdrawals only before the deadline).
    DeadlinePassed,
    /// The bid was withdrawn; nothing of it changes again.
    Withdrawn,
}

impl ChangeRefusal {
    /// The words the bidder is told.
    pub fn detail(self) -> &'static str {
        match self {
            ChangeRefusal::NotAnnounced => "该标段尚未发布招标公告",
            ChangeRefusal::DeadlinePassed => "投标截止时间已到，不再接收、修改或撤回投标文件",
            ChangeRefusal::Withdrawn => "投标已撤回",
        }
    }
}

/// A bid that can no longer change is in conflict with the change.
impl From<ChangeRefusal> for Answer {
    fn from(refusal: ChangeRefusal) -> Self {
        Answer::Conflict(refusal.detail().to_owned())
    }
}

/// A bid changed by another request between its read and its write (the version it was
/// read at is gone): nothing is written, and the bidder may try again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangedMeanwhile;

impl From<ChangedMeanwhile> for Answer {
    fn from(_: ChangedMeanwhile) -> Self {
        Answer::Conflict("投标已被同时修改，请重试".into())
    }
}

/// A section's bids are sealed with its key, made with its tender announcement: before it
/// there is no key, and no bid is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoSectionKey;

impl From<NoSectionKey> for Answer {
    fn from(_: NoSectionKey) -> Self {
        Answer::Conflict("该标段尚未发布招标公告，不能投标".into())
    }
}

/// The (wrapped) key a section's bids are sealed with; `None` before its announcement.
pub fn section_key<T>(wrapped: Option<T>) -> Result<T, NoSectionKey> {
    wrapped.ok_or(NoSectionKey)
}

/// Whether the bidder may still replace or withdraw its bid at `now` (UTC): the section
/// announced, before its deadline, the bid still in.
pub fn may_change(
    bid_deadline: Option<NaiveDateTime>,
    status: BidStatus,
    now: NaiveDateTime,
) -> Result<(), ChangeRefusal> {
    let deadline = bid_deadline.ok_or(ChangeRefusal::NotAnnounced)?;
    if now >= deadline {
        return Err(ChangeRefusal::DeadlinePassed);
    }
    if !status.can_withdraw() {
        return Err(ChangeRefusal::Withdrawn);
    }
    Ok(())
}

/// Why a commitment's nonce cannot be revealed now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevealRefusal {
    /// Before the deadline the nonce would tell the price.
    BeforeDeadline,
    /// After the opening the commitment has been judged.
    Opened,
    NoCommitment,
}

impl RevealRefusal {
    /// The words the bidder is told.
    pub fn detail(self) -> &'static str {
        match self {
            RevealRefusal::BeforeDeadline => "投标截止后方可揭示承诺",
            RevealRefusal::Opened => "已开标",
            RevealRefusal::NoCommitment => "该投标没有报价承诺",
        }
    }
}

/// A nonce that cannot be revealed now is in conflict with the bid's state.
impl From<RevealRefusal> for Answer {
    fn from(refusal: RevealRefusal) -> Self {
        Answer::Conflict(refusal.detail().to_owned())
    }
}

/// Whether a bidder may reveal the nonce of its price commitment at `now`: after the
/// deadline (a section never announced has none to wait for), before the opening, for a
/// bid that carries a commitment.
pub fn may_reveal(
    bid_deadline: Option<NaiveDateTime>,
    opened: bool,
    has_commitment: bool,
    now: NaiveDateTime,
) -> Result<(), RevealRefusal> {
    if bid_deadline.is_some_and(|deadline| now < deadline) {
        return Err(RevealRefusal::BeforeDeadline);
    }
    if opened {
        return Err(RevealRefusal::Opened);
    }
    if !has_commitment {
        return Err(RevealRefusal::NoCommitment);
    }
    Ok(())
}

ggzy_kernel::closed_enum! {
    /// What the opening made of a bid's price commitment (sha256 of `price:nonce`).
    pub enum CommitmentCheck {
        /// The bid carried no commitment.
        None = "none",
        /// The revealed nonce and the opened price give the committed hash.
        Verified = "verified",
        /// The nonce was not revealed, or does not give the committed hash.
        Unverified = "unverified",
    }
}

impl CommitmentCheck {
    /// Checks a commitment against the price the opening read.
    pub fn of(commitment_hash: Option<&str>, revealed_nonce: Option<&str>, price: Money) -> CommitmentCheck {
        match (commitment_hash, revealed_nonce) {
            (None, _) => CommitmentCheck::None,
            (Some(hash), Some(nonce)) if hex::encode(Sha256::digest(format!("{price}:{nonce}").as_bytes())) == hash => {
                CommitmentCheck::Verified
            }
            (Some(_), _) => CommitmentCheck::Unverified,
        }
    }
}

/// The fields of a bid in clear, as a request names them (the content the platform seals,
/// and the commitment that goes beside it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClearBid {
    pub price: Option<String>,
    pub documents: Option<Vec<TenderDocument>>,
    pub project_manager_id: Option<String>,
    pub contact_person_id: Option<String>,
    pub agent_person_id: Option<String>,
    pub device_fingerprint: Option<String>,
    pub document_author: Option<String>,
    pub commitment_hash: Option<String>,
}

/// What is sealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BidContent {
    pub price: Money,
    pub documents: Vec<TenderDocument>,
    pub project_manager_id: String,
    pub contact_person_id: Option<String>,
    /// Absent from bids sealed before agents were named (their receipts stay as they were).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_person_id: Option<String>,
    pub device_fingerprint: String,
    #[serde(default)]
    pub document_author: Option<String>,
}

/// Which field of a bid names which kind of person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonField {
    ProjectManager,
    Contact,
    /// 委托代理人: may also be a person the bidder entrusted without employing
    /// (条例 §40(二) is about such persons acting for several bidders).
    Agent,
}

impl PersonField {
    pub fn name(self) -> &'static str {
        match self {
            PersonField::ProjectManager => "project_manager_id",
            PersonField::Contact => "contact_person_id",
            PersonField::Agent => "agent_person_id",
        }
    }
}

/// What the platform knows of a person a bid names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NamedPerson {
    /// Whether the person is registered at all.
    pub known: bool,
    /// Whether the bidder employs the person.
    pub employed_by_bidder: bool,
    /// Whether the bidder entrusted the person (asked only of the agent field).
    pub entrusted_by_bidder: bool,
    /// Whether the person is a real-name agent of the project's tendering agency: they act
    /// for the tenderer, never for a bidder on the same project.
    pub agent_of_tenderer: bool,
}

impl PersonField {
    /// Whether the field may name a person the bidder entrusted without employing (asked of
    /// the entrustments only for such a field).
    pub fn takes_entrusted(self) -> bool {
        self == PersonField::Agent
    }
}

impl NamedPerson {
    /// What the platform knows of a person named in `bidder_id`'s bid: `employer` is the
    /// registered person's employer (`None`: no such person registered).
    pub fn of(
        employer: Option<Option<&str>>,
        bidder_id: &str,
        entrusted_by_bidder: bool,
        agent_of_tenderer: bool,
    ) -> NamedPerson {
        NamedPerson {
            known: employer.is_some(),
            employed_by_bidder: employer.is_some_and(|e| e == Some(bidder_id)),
            entrusted_by_bidder,
            agent_of_tenderer,
        }
    }
}

impl ClearBid {
    /// The fields of a bid in clear that are present.
    pub fn present_fields(&self) -> Vec<&'static str> {
        [
            ("price", self.price.is_some()),
            ("documents", self.documents.is_some()),
            ("project_manager_id", self.project_manager_id.is_some()),
            ("contact_person_id", self.contact_person_id.is_some()),
            ("agent_person_id", self.agent_person_id.is_some()),
            ("device_fingerprint", self.device_fingerprint.is_some()),
            ("document_author", self.document_author.is_some()),
            ("commitment_hash", self.commitment_hash.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, present)| present.then_some(name))
        .collect()
    }

    /// The people the bid names, field by field, for the caller to look up.
    pub fn people(&self) -> Vec<(PersonField, &str)> {
        [
            (PersonField::ProjectManager, self.project_manager_id.as_deref()),
            (PersonField::Contact, self.contact_person_id.as_deref()),
            (PersonField::Agent, self.agent_person_id.as_deref()),
        ]
        .into_iter()
        .filter_map(|(field, person)| person.map(|person| (field, person)))
        .collect()
    }

    /// Reads the bid: its content and its commitment, or every problem at once — the
    /// fields in order, then each named person (`people` answers [`ClearBid::people`] in
    /// its order).
    pub fn read(self, people: &[(PersonField, NamedPerson)]) -> Result<(BidContent, Option<String>), Vec<FieldError>> {
        let mut problems = Vec::new();
        let price = read::required(&mut problems, "price", self.price)
            .and_then(|p| Money::parse(&p).map_err(|e| problems.push(e.to_field_error("price"))).ok());
        let documents = read::required(&mut problems, "documents", self.documents).unwrap_or_default();
        if documents.iter().any(|d| {
            d.title.as_deref().is_none_or(str::is_empty) || d.sha256.as_deref().is_none_or(|s| !read::is_sha256(s))
        }) {
            problems.push(FieldError::new(
                "documents",
                "invalid_document",
                "每份文件须有标题和 64 位小写十六进制 sha256",
            ));
        }
        let manager = read::required(&mut problems, "project_manager_id", self.project_manager_id);
        let fingerprint = read::required(&mut problems, "device_fingerprint", self.device_fingerprint)
            .and_then(|f| read::text(&mut problems, "device_fingerprint", f, 200));
        let document_author = self.document_author.and_then(|a| read::text(&mut problems, "document_author", a, 200));
        if self.commitment_hash.as_deref().is_some_and(|h| !read::is_sha256(h)) {
            problems.push(FieldError::new("commitment_hash", "invalid_sha256", "须为 64 位小写十六进制 sha256"));
        }
        for (field, person) in people {
            if let Some(problem) = person_problem(*field, *person) {
                problems.push(problem);
            }
        }
        match (price, manager, fingerprint) {
            (Some(price), Some(manager), Some(fingerprint)) if problems.is_empty() => Ok((
                BidContent {
                    price,
                    documents,
                    project_manager_id: manager,
                    contact_person_id: self.contact_person_id,
                    agent_person_id: self.agent_person_id,
                    device_fingerprint: fingerprint,
                    document_author,
                },
                self.commitment_hash,
            )),
            _ => Err(problems),
        }
    }
}

/// The problem with a person a bid names, if any.
fn person_problem(field: PersonField, person: NamedPerson) -> Option<FieldError> {
    let name = field.name();
    if !person.known {
        return Some(FieldError::new(name, "unknown_person", "人员不存在"));
    }
    let acts_for_bidder = person.employed_by_bidder || (field == PersonField::Agent && person.entrusted_by_bidder);
    if acts_for_bidder {
        return person.agent_of_tenderer.then(|| {
            FieldError::new(name, "agent_of_tenderer", "该人员是本项目招标代理机构的实名代理人员，不能代表投标人")
        });
    }
    Some(match field {
        PersonField::Agent => {
            FieldError::new(name, "not_entrusted", "委托代理人须为投标人的在册人员或投标人已登记委托的人员")
        }
        PersonField::ProjectManager | PersonField::Contact => {
            FieldError::new(name, "not_bidder_staff", "须为投标人的在册人员")
        }
    })
}

/// Why a bid does not match how its section takes bids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SealingRefusal {
    /// A section whose bidders seal takes only their envelope (tendering.bidder_sealing):
    /// the fields sent in clear, and whether the envelope is missing.
    ClearBidRefused { clear_fields: Vec<&'static str>, envelope_missing: bool },
    /// A section the platform seals takes the content, not an envelope.
    EnvelopeNotTaken,
}

impl SealingRefusal {
    /// The problems a bidder is told, one per field.
    pub fn problems(&self) -> Vec<FieldError> {
        match self {
            SealingRefusal::ClearBidRefused { clear_fields, envelope_missing } => {
                let mut problems: Vec<FieldError> = clear_fields
                    .iter()
                    .map(|field| {
                        FieldError::new(*field, "plain_bid_refused", "本标段只接收投标人自行加密的投标文件（envelope）")
                    })
                    .collect();
                if *envelope_missing {
                    problems.push(FieldError::new("envelope", "required", "本标段须递交投标人加密的 envelope"));
                }
                problems
            }
            SealingRefusal::EnvelopeNotTaken => {
                vec![FieldError::new("envelope", "envelope_not_taken", "本标段的投标由平台密封，请递交投标内容")]
            }
        }
    }
}

impl SealingRefusal {
    /// The rule and words a bid that does not come as its section takes bids is told with.
    pub fn answer(self) -> Answer {
        match self {
            SealingRefusal::ClearBidRefused { .. } => Answer::Rule {
                rule: rule_ids::BIDDER_SEALING,
                detail: "本标段的投标文件须由投标人自行加密后递交，平台不接收明文".into(),
                problems: self.problems(),
            },
            SealingRefusal::EnvelopeNotTaken => Answer::Invalid(self.problems()),
        }
    }
}

/// Whether a bid comes as its section takes bids: where the bidders seal, an envelope and
/// nothing in clear; where the platform seals, no envelope.
pub fn check_sealing(bidder_sealed: bool, clear: &ClearBid, has_envelope: bool) -> Result<(), SealingRefusal> {
    if bidder_sealed {
        let clear_fields = clear.present_fields();
        if !has_envelope || !clear_fields.is_empty() {
            return Err(SealingRefusal::ClearBidRefused { clear_fields, envelope_missing: !has_envelope });
        }
    } else if has_envelope {
        return Err(SealingRefusal::EnvelopeNotTaken);
    }
    Ok(())
}

/// Whether the bidder may withdraw its bid at `now` (UTC), as for a change
/// ([`may_change`]), and the status it then has.
pub fn withdraw(
    bid_deadline: Option<NaiveDateTime>,
    status: BidStatus,
    now: NaiveDateTime,
) -> Result<BidStatus, ChangeRefusal> {
    may_change(bid_deadline, status, now)?;
    Ok(BidStatus::Withdrawn)
}

/// The key of a bid's receipt as a reader is shown it: only its bidder, and only for a bid
/// the platform sealed (the receipt of an envelope is the hash of the signed envelope,
/// with no key).
pub fn shown_receipt_salt(salt: Option<String>, for_bidder: bool, sealed_by_bidder: bool) -> Option<String> {
    salt.filter(|_| !sealed_by_bidder && for_bidder)
}

/// How a bid stands in its bidder's list as to who sealed it and what the opening made of
/// its envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnvelopeState {
    /// Whether the bidder sealed the bid itself (an envelope).
    pub sealed_by_bidder: bool,
    /// For an envelope, whether it was decrypted; none for a bid the platform sealed.
    pub decrypted: Option<bool>,
    /// For an envelope, its outcome once the opening decided it.
    pub decryption_outcome: Option<DecryptionOutcome>,
}

impl EnvelopeState {
    /// The state of a bid given its envelope's recorded outcome: none for a bid the platform
    /// sealed, `Some(None)` for an envelope still undecided.
    pub fn of(envelope: Option<Option<DecryptionOutcome>>) -> EnvelopeState {
        let decryption_outcome = envelope.flatten();
        EnvelopeState {
            sealed_by_bidder: envelope.is_some(),
            decrypted: envelope.map(|_| decryption_outcome == Some(DecryptionOutcome::Decrypted)),
            decryption_outcome,
        }
    }
}

/// Whether a bidder is a party of its section's opening: its bid (`None` without one) is
/// still in; a bid withdrawn before the deadline makes its bidder none.
pub fn party_to_opening(bid: Option<BidStatus>) -> bool {
    bid == Some(BidStatus::Submitted)
}

impl BidContent {
    /// Whether the bid names a document of this SHA-256 (only such a file of the bid is
    /// served to its readers).
    pub fn names_document(&self, sha256: &str) -> bool {
        self.documents.iter().any(|d| d.sha256.as_deref() == Some(sha256))
    }
}

/// The query of a bidder's own list of bids. Any other parameter is refused.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OwnBidQuery {
    /// Only bids in this state.
    #[param(value_type = Option<BidStatus>)]
    pub status: Option<String>,
    /// Only bids in this section.
    #[param(format = Uuid)]
    pub section_id: Option<String>,
    /// Cursor from the previous page's `next_cursor`.
    #[param(format = Uuid)]
    pub after: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// A bidder's own list of bids, its query read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnBidFilter {
    pub status: Option<BidStatus>,
    pub section_id: Option<String>,
    pub page: PageRequest,
}

/// Reads the query of a bidder's own list of bids: its state, its section, then its page
/// (cursor, then size), every problem named at once.
pub fn read_own_bid_query(query: OwnBidQuery) -> Result<OwnBidFilter, Vec<FieldError>> {
    let mut problems = Vec::new();
    let status = query.status.as_deref().and_then(|s| read::closed::<BidStatus>(&mut problems, "status", s));
    let section_id = query.section_id.and_then(|s| read::uuid(&mut problems, "section_id", s));
    let after = query.after.and_then(|a| read::uuid(&mut problems, "after", a));
    let page = PageRequest::new(after, query.limit).map_err(|e| problems.push(e)).ok();
    match page {
        Some(page) if problems.is_empty() => Ok(OwnBidFilter { status, section_id, page }),
        _ => Err(problems),
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevealCommitment {
    #[schema(required = true, value_type = String)]
    pub nonce: Option<String>,
}

/// Reads the nonce a bidder reveals: required, trimmed text of at most 200 characters.
pub fn read_reveal(request: RevealCommitment) -> Result<String, Vec<FieldError>> {
    let mut problems = Vec::new();
    match read::required_text(&mut problems, "nonce", request.nonce, 200) {
        Some(nonce) if problems.is_empty() => Ok(nonce),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod request_tests {
    use chrono::NaiveDate;

    use super::*;

    fn at(hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 4).and_then(|d| d.and_hms_opt(hour, 0, 0)).unwrap()
    }

    fn codes(errors: &[FieldError]) -> Vec<(&str, &str)> {
        errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect()
    }

    #[test]
    fn a_bid_is_withdrawn_before_the_deadline_while_it_is_in() {
        assert_eq!(withdraw(Some(at(10)), BidStatus::Submitted, at(9)), Ok(BidStatus::Withdrawn));
        assert_eq!(withdraw(Some(at(10)), BidStatus::Submitted, at(10)), Err(ChangeRefusal::DeadlinePassed));
        assert_eq!(withdraw(None, BidStatus::Submitted, at(9)), Err(ChangeRefusal::NotAnnounced));
        assert_eq!(withdraw(Some(at(10)), BidStatus::Withdrawn, at(9)), Err(ChangeRefusal::Withdrawn));
        // The deadline is told before the bid's own state.
        assert_eq!(withdraw(Some(at(10)), BidStatus::Withdrawn, at(11)), Err(ChangeRefusal::DeadlinePassed));
        assert_eq!(withdraw(None, BidStatus::Withdrawn, at(11)), Err(ChangeRefusal::NotAnnounced));
    }

    #[test]
    fn only_the_bidder_of_a_platform_sealed_bid_is_shown_its_receipts_key() {
        let salt = || Some("ab".to_owned());
        assert_eq!(shown_receipt_salt(salt(), true, false), salt());
        assert_eq!(shown_receipt_salt(salt(), false, false), None);
        assert_eq!(shown_receipt_salt(salt(), true, true), None);
        assert_eq!(shown_receipt_salt(None, true, false), None);
    }

    #[test]
    fn an_envelope_shows_whether_it_was_decrypted() {
        use DecryptionOutcome::*;
        let platform = EnvelopeState { sealed_by_bidder: false, decrypted: None, decryption_outcome: None };
        assert_eq!(EnvelopeState::of(None), platform);
        assert_eq!(
            EnvelopeState::of(Some(None)),
            EnvelopeState { sealed_by_bidder: true, decrypted: Some(false), decryption_outcome: None }
        );
        assert_eq!(
            EnvelopeState::of(Some(Some(Decrypted))),
            EnvelopeState { sealed_by_bidder: true, decrypted: Some(true), decryption_outcome: Some(Decrypted) }
        );
        for outcome in [Revoked, Withdrawn] {
            assert_eq!(
                EnvelopeState::of(Some(Some(outcome))),
                EnvelopeState { sealed_by_bidder: true, decrypted: Some(false), decryption_outcome: Some(outcome) }
            );
        }
    }

    #[test]
    fn an_own_bid_query_is_read_with_its_defaults() {
        assert_eq!(
            read_own_bid_query(OwnBidQuery::default()).unwrap(),
            OwnBidFilter { status: None, section_id: None, page: PageRequest::default() }
        );
        let id = "6f1c1f7e-8f3a-4a57-9c5e-2b3a4c5d6e7f".to_owned();
        let read = read_own_bid_query(OwnBidQuery {
            status: Some("withdrawn".into()),
            section_id: Some(id.clone()),
            after: Some(id.clone()),
            limit: Some(1),
        })
        .unwrap();
        assert_eq!(
            read,
            OwnBidFilter {
                status: Some(BidStatus::Withdrawn),
                section_id: Some(id.clone()),
                page: PageRequest { after: Some(id), limit: 1 }
            }
        );
    }

    #[test]
    fn every_problem_of_an_own_bid_query_is_named_in_order() {
        let all_wrong = OwnBidQuery {
            status: Some("opened".into()),
            section_id: Some("6F1C1F7E-8F3A-4A57-9C5E-2B3A4C5D6E7F".into()),
            after: Some("1".into()),
            limit: Some(201),
        };
        assert_eq!(
            codes(&read_own_bid_query(all_wrong).unwrap_err()),
            [
                ("status", "unknown_value"),
                ("section_id", "invalid_id"),
                ("after", "invalid_id"),
                ("limit", "limit_out_of_range")
            ]
        );
        let limit_zero = OwnBidQuery { limit: Some(0), ..Default::default() };
        assert_eq!(codes(&read_own_bid_query(limit_zero).unwrap_err()), [("limit", "limit_out_of_range")]);
        let after_only = OwnBidQuery { after: Some("x".into()), ..Default::default() };
        assert_eq!(codes(&read_own_bid_query(after_only).unwrap_err()), [("after", "invalid_id")]);
    }

    #[test]
    fn a_revealed_nonce_is_required_trimmed_and_bounded() {
        assert_eq!(read_reveal(RevealCommitment { nonce: Some(" n-1 ".into()) }), Ok("n-1".to_owned()));
        assert_eq!(codes(&read_reveal(RevealCommitment { nonce: None }).unwrap_err()), [("nonce", "required")]);
        assert_eq!(
            codes(&read_reveal(RevealCommitment { nonce: Some("  ".into()) }).unwrap_err()),
            [("nonce", "blank")]
        );
        assert_eq!(read_reveal(RevealCommitment { nonce: Some("x".repeat(200)) }), Ok("x".repeat(200)));
        assert_eq!(
            codes(&read_reveal(RevealCommitment { nonce: Some("x".repeat(201)) }).unwrap_err()),
            [("nonce", "too_long")]
        );
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn at(hour: u32, minute: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 30).and_then(|d| d.and_hms_opt(hour, minute, 0)).unwrap()
    }

    #[test]
    fn a_bid_changed_meanwhile_or_without_a_key_is_a_conflict() {
        assert_eq!(Answer::from(ChangedMeanwhile), Answer::Conflict("投标已被同时修改，请重试".into()));
        assert_eq!(section_key(Some("wrapped")), Ok("wrapped"));
        assert_eq!(section_key::<&str>(None), Err(NoSectionKey));
        assert_eq!(Answer::from(NoSectionKey), Answer::Conflict("该标段尚未发布招标公告，不能投标".into()));
    }

    fn open_section() -> SubmissionFacts {
        SubmissionFacts {
            project_terminated: false,
            suspension_reason: None,
            bid_deadline: Some(at(2, 0)),
            bond_backs_bid: true,
            already_bid: false,
            bidder_sealed: true,
            listed: false,
            opened: false,
        }
    }

    #[test]
    fn a_bid_that_can_no_longer_change_says_why() {
        let deadline = NaiveDateTime::parse_from_str("2026-12-04 02:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
        let before = deadline - chrono::Duration::seconds(1);
        let told = |deadline, status, now| may_change(deadline, status, now).map_err(ChangeRefusal::detail);
        assert_eq!(told(Some(deadline), BidStatus::Submitted, before), Ok(()));
        assert_eq!(told(None, BidStatus::Submitted, before), Err("该标段尚未发布招标公告"));
        assert_eq!(
            told(Some(deadline), BidStatus::Submitted, deadline),
            Err("投标截止时间已到，不再接收、修改或撤回投标文件")
        );
        assert_eq!(told(Some(deadline), BidStatus::Withdrawn, before), Err("投标已撤回"));
        let revealed =
            |opened, committed, now| may_reveal(Some(deadline), opened, committed, now).map_err(RevealRefusal::detail);
        assert_eq!(revealed(false, true, deadline), Ok(()));
        assert_eq!(revealed(false, true, before), Err("投标截止后方可揭示承诺"));
        assert_eq!(revealed(true, true, deadline), Err("已开标"));
        assert_eq!(revealed(false, false, deadline), Err("该投标没有报价承诺"));
    }

    #[test]
    fn a_refused_bid_is_told_by_its_rule_or_as_a_conflict() {
        let told = |refusal: SubmissionRefusal<&'static str>| refusal.answer();
        assert_eq!(told(SubmissionRefusal::Credit("barred")), Err("barred"));
        assert_eq!(
            told(SubmissionRefusal::ProjectSuspended { reason: "异议".into() }),
            Ok(Answer::Conflict("项目已暂停：异议".into()))
        );
        assert_eq!(
            told(SubmissionRefusal::AlreadyBid),
            Ok(Answer::Conflict("已对本标段投标；截止前可修改或撤回".into()))
        );
        let rule_of = |refusal| match told(refusal) {
            Ok(Answer::Rule { rule, problems, .. }) => Some((rule, problems[0].code.clone())),
            _ => None,
        };
        assert_eq!(rule_of(SubmissionRefusal::BondNotHeld), Some((rule_ids::BOND_CENTRAL, "bond_not_held".into())));
        assert_eq!(
            rule_of(SubmissionRefusal::PlatformSealed),
            Some((rule_ids::BIDDER_SEALING, "platform_sealed_section".into()))
        );
        for conflict in [
            SubmissionRefusal::ProjectTerminated,
            SubmissionRefusal::NotAnnounced,
            SubmissionRefusal::DeadlinePassed,
            SubmissionRefusal::ListedLot,
        ] {
            assert!(matches!(told(conflict), Ok(Answer::Conflict(_))));
        }
    }

    #[test]
    fn a_bid_sealed_the_wrong_way_names_the_sealing_rule_or_the_envelope() {
        let clear = SealingRefusal::ClearBidRefused { clear_fields: vec!["price"], envelope_missing: true };
        let Answer::Rule { rule, problems, .. } = clear.answer() else { panic!("a clear bid breaks the rule") };
        assert_eq!(rule, rule_ids::BIDDER_SEALING);
        let fields: Vec<_> = problems.iter().map(|p| (p.field.as_str(), p.code.as_str())).collect();
        assert_eq!(fields, [("price", "plain_bid_refused"), ("envelope", "required")]);
        let Answer::Invalid(problems) = SealingRefusal::EnvelopeNotTaken.answer() else { panic!("not a rule") };
        assert_eq!(problems[0].code, "envelope_not_taken");
    }

    #[test]
    fn a_bid_before_the_deadline_with_a_bond_is_admitted() {
        assert_eq!(admit_bid::<()>(&open_section(), Ok(()), at(1, 59)), Ok(()));
    }

    #[test]
    fn a_sealed_file_is_taken_before_the_deadline_where_bidders_seal_without_bond_or_bid() {
        let no_bond_yet = SubmissionFacts { bond_backs_bid: false, already_bid: true, ..open_section() };
        assert_eq!(admit_sealed_file::<()>(&no_bond_yet, at(1, 59)), Ok(()));
        assert_eq!(admit_sealed_file::<()>(&open_section(), at(2, 0)), Err(SubmissionRefusal::DeadlinePassed));
        let opened = SubmissionFacts { opened: true, ..open_section() };
        assert_eq!(admit_sealed_file::<()>(&opened, at(1, 0)), Err(SubmissionRefusal::DeadlinePassed));
        let platform = SubmissionFacts { bidder_sealed: false, ..open_section() };
        assert_eq!(admit_sealed_file::<()>(&platform, at(1, 0)), Err(SubmissionRefusal::PlatformSealed));
        let unannounced = SubmissionFacts { bid_deadline: None, ..open_section() };
        assert_eq!(admit_sealed_file::<()>(&unannounced, at(1, 0)), Err(SubmissionRefusal::NotAnnounced));
        let terminated = SubmissionFacts { project_terminated: true, ..open_section() };
        assert_eq!(admit_sealed_file::<()>(&terminated, at(1, 0)), Err(SubmissionRefusal::ProjectTerminated));
    }

    #[test]
    fn at_the_deadline_a_bid_is_late() {
        assert_eq!(admit_bid::<()>(&open_section(), Ok(()), at(2, 0)), Err(SubmissionRefusal::DeadlinePassed));
    }

    #[test]
    fn each_fact_refuses_on_its_own() {
        type Refusal = SubmissionRefusal<&'static str>;
        let cases: Vec<(SubmissionFacts, Result<(), &'static str>, Refusal)> = vec![
            (SubmissionFacts { project_terminated: true, ..open_section() }, Ok(()), Refusal::ProjectTerminated),
            (
                SubmissionFacts { suspension_reason: Some("投诉处理".into()), ..open_section() },
                Ok(()),
                Refusal::ProjectSuspended { reason: "投诉处理".into() },
            ),
            (SubmissionFacts { bid_deadline: None, ..open_section() }, Ok(()), Refusal::NotAnnounced),
            (SubmissionFacts { opened: true, ..open_section() }, Ok(()), Refusal::DeadlinePassed),
            (open_section(), Err("barred"), Refusal::Credit("barred")),
            (SubmissionFacts { bond_backs_bid: false, ..open_section() }, Ok(()), Refusal::BondNotHeld),
            (SubmissionFacts { already_bid: true, ..open_section() }, Ok(()), Refusal::AlreadyBid),
            (SubmissionFacts { bidder_sealed: false, listed: true, ..open_section() }, Ok(()), Refusal::ListedLot),
        ];
        for (facts, credit, refusal) in cases {
            assert_eq!(admit_bid(&facts, credit, at(1, 0)), Err(refusal));
        }
    }

    #[test]
    fn the_first_reason_is_named_when_several_apply() {
        let everything_wrong = SubmissionFacts {
            project_terminated: false,
            suspension_reason: Some("暂停".into()),
            bid_deadline: Some(at(0, 30)),
            bond_backs_bid: false,
            already_bid: true,
            bidder_sealed: false,
            listed: true,
            opened: true,
        };
        assert_eq!(
            admit_bid(&everything_wrong, Err("barred"), at(1, 0)),
            Err(SubmissionRefusal::ProjectSuspended { reason: "暂停".into() })
        );
        let late_and_barred = SubmissionFacts { bond_backs_bid: false, ..open_section() };
        assert_eq!(admit_bid(&late_and_barred, Err("barred"), at(3, 0)), Err(SubmissionRefusal::DeadlinePassed));
        assert_eq!(admit_bid(&late_and_barred, Err("barred"), at(1, 0)), Err(SubmissionRefusal::Credit("barred")));
    }

    #[test]
    fn bidders_are_secret_only_until_the_opening_or_the_end() {
        assert!(bidders_secret(false, false, false));
        assert!(!bidders_secret(true, false, false));
        assert!(!bidders_secret(false, true, false));
        assert!(!bidders_secret(false, false, true));
    }

    #[test]
    fn only_a_section_sealed_by_the_platform_is_checked_for_a_listing() {
        let facts = SubmissionFacts { listed: true, ..open_section() };
        assert_eq!(admit_bid::<()>(&facts, Ok(()), at(1, 0)), Ok(()));
    }

    const HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

    fn clear_bid() -> ClearBid {
        ClearBid {
            price: Some("985000.00".into()),
            documents: Some(vec![TenderDocument { title: Some("投标文件".into()), sha256: Some(HASH.into()) }]),
            project_manager_id: Some("pm".into()),
            contact_person_id: Some("contact".into()),
            agent_person_id: Some("agent".into()),
            device_fingerprint: Some("device-1".into()),
            document_author: None,
            commitment_hash: None,
        }
    }

    const STAFF: NamedPerson =
        NamedPerson { known: true, employed_by_bidder: true, entrusted_by_bidder: false, agent_of_tenderer: false };

    fn codes(problems: &[FieldError]) -> Vec<(&str, &str)> {
        problems.iter().map(|p| (p.field.as_str(), p.code.as_str())).collect()
    }

    #[test]
    fn a_complete_bid_reads_into_its_content_and_commitment() {
        let people: Vec<_> = clear_bid().people().into_iter().map(|(field, _)| (field, STAFF)).collect();
        assert_eq!(people.len(), 3);
        let commitment = Some("a".repeat(64));
        let (content, read_commitment) =
            ClearBid { commitment_hash: commitment.clone(), ..clear_bid() }.read(&people).unwrap();
        assert_eq!(content.price, Money::parse("985000.00").unwrap());
        assert_eq!(content.project_manager_id, "pm");
        assert_eq!(content.agent_person_id.as_deref(), Some("agent"));
        assert_eq!(read_commitment, commitment);
    }

    #[test]
    fn every_problem_of_a_bid_is_named_in_order() {
        let bid = ClearBid {
            price: Some("abc".into()),
            documents: Some(vec![TenderDocument { title: Some(String::new()), sha256: Some(HASH.into()) }]),
            project_manager_id: None,
            device_fingerprint: None,
            commitment_hash: Some("XYZ".into()),
            ..clear_bid()
        };
        let stranger = NamedPerson { employed_by_bidder: false, ..STAFF };
        let people = [(PersonField::Contact, stranger), (PersonField::Agent, stranger)];
        let problems = bid.read(&people).unwrap_err();
        assert_eq!(
            codes(&problems),
            vec![
                ("price", "malformed"),
                ("documents", "invalid_document"),
                ("project_manager_id", "required"),
                ("device_fingerprint", "required"),
                ("commitment_hash", "invalid_sha256"),
                ("contact_person_id", "not_bidder_staff"),
                ("agent_person_id", "not_entrusted"),
            ]
        );
    }

    #[test]
    fn who_may_be_named_in_a_bid() {
        let cases = [
            (PersonField::ProjectManager, NamedPerson { known: false, ..STAFF }, Some("unknown_person")),
            (PersonField::ProjectManager, STAFF, None),
            (PersonField::ProjectManager, NamedPerson { agent_of_tenderer: true, ..STAFF }, Some("agent_of_tenderer")),
            (
                PersonField::ProjectManager,
                NamedPerson { employed_by_bidder: false, entrusted_by_bidder: true, ..STAFF },
                Some("not_bidder_staff"),
            ),
            (PersonField::Agent, NamedPerson { employed_by_bidder: false, entrusted_by_bidder: true, ..STAFF }, None),
            (
                PersonField::Agent,
                NamedPerson {
                    employed_by_bidder: false,
                    entrusted_by_bidder: true,
                    agent_of_tenderer: true,
                    known: true,
                },
                Some("agent_of_tenderer"),
            ),
            (PersonField::Agent, NamedPerson { employed_by_bidder: false, ..STAFF }, Some("not_entrusted")),
        ];
        for (field, person, expected) in cases {
            let problem = person_problem(field, person);
            assert_eq!(problem.as_ref().map(|p| p.code.as_str()), expected, "{field:?} {person:?}");
            if let Some(problem) = problem {
                assert_eq!(problem.field, field.name());
            }
        }
    }

    #[test]
    fn a_section_takes_bids_as_it_is_sealed() {
        let empty = ClearBid::default();
        assert_eq!(check_sealing(true, &empty, true), Ok(()));
        assert_eq!(check_sealing(false, &clear_bid(), false), Ok(()));
        assert_eq!(check_sealing(false, &empty, true), Err(SealingRefusal::EnvelopeNotTaken));
        let refusal = check_sealing(true, &ClearBid { price: Some("1".into()), ..empty.clone() }, false).unwrap_err();
        assert_eq!(refusal, SealingRefusal::ClearBidRefused { clear_fields: vec!["price"], envelope_missing: true });
        assert_eq!(codes(&refusal.problems()), vec![("price", "plain_bid_refused"), ("envelope", "required")]);
        let only_missing = check_sealing(true, &empty, false).unwrap_err();
        assert_eq!(codes(&only_missing.problems()), vec![("envelope", "required")]);
        assert_eq!(codes(&SealingRefusal::EnvelopeNotTaken.problems()), vec![("envelope", "envelope_not_taken")]);
    }

    #[test]
    fn a_bid_changes_only_before_the_deadline_while_it_is_in() {
        assert_eq!(may_change(Some(at(2, 0)), BidStatus::Submitted, at(1, 59)), Ok(()));
        assert_eq!(may_change(Some(at(2, 0)), BidStatus::Submitted, at(2, 0)), Err(ChangeRefusal::DeadlinePassed));
        assert_eq!(may_change(None, BidStatus::Submitted, at(1, 0)), Err(ChangeRefusal::NotAnnounced));
        assert_eq!(may_change(Some(at(2, 0)), BidStatus::Withdrawn, at(1, 0)), Err(ChangeRefusal::Withdrawn));
        // The deadline is told before the withdrawal.
        assert_eq!(may_change(Some(at(2, 0)), BidStatus::Withdrawn, at(3, 0)), Err(ChangeRefusal::DeadlinePassed));
    }

    #[test]
    fn a_nonce_is_revealed_between_the_deadline_and_the_opening() {
        assert_eq!(may_reveal(Some(at(2, 0)), false, true, at(2, 0)), Ok(()));
        assert_eq!(may_reveal(None, false, true, at(1, 0)), Ok(()));
        assert_eq!(may_reveal(Some(at(2, 0)), false, true, at(1, 59)), Err(RevealRefusal::BeforeDeadline));
        assert_eq!(may_reveal(Some(at(2, 0)), true, true, at(3, 0)), Err(RevealRefusal::Opened));
        assert_eq!(may_reveal(Some(at(2, 0)), false, false, at(3, 0)), Err(RevealRefusal::NoCommitment));
    }

    #[test]
    fn a_commitment_is_verified_by_its_nonce_and_the_opened_price() {
        let price = Money::parse("985000.00").unwrap();
        let hash = hex::encode(Sha256::digest(format!("{price}:salt-1").as_bytes()));
        assert_eq!(CommitmentCheck::of(None, Some("salt-1"), price), CommitmentCheck::None);
        assert_eq!(CommitmentCheck::of(Some(&hash), Some("salt-1"), price), CommitmentCheck::Verified);
        assert_eq!(CommitmentCheck::of(Some(&hash), Some("salt-2"), price), CommitmentCheck::Unverified);
        assert_eq!(CommitmentCheck::of(Some(&hash), None, price), CommitmentCheck::Unverified);
        let other_price = Money::parse("985000.01").unwrap();
        assert_eq!(CommitmentCheck::of(Some(&hash), Some("salt-1"), other_price), CommitmentCheck::Unverified);
    }

    #[test]
    fn only_active_centre_staff_witness() {
        assert!(may_witness(CENTRE_DEPARTMENT, true));
        assert!(!may_witness(CENTRE_DEPARTMENT, false));
        assert!(!may_witness("zjw", true));
    }

    #[test]
    fn only_a_bidder_whose_bid_is_in_is_a_party_of_the_opening() {
        assert!(party_to_opening(Some(BidStatus::Submitted)));
        assert!(!party_to_opening(Some(BidStatus::Withdrawn)));
        assert!(!party_to_opening(None));
    }

    #[test]
    fn a_bid_names_the_documents_its_content_lists() {
        let document =
            |sha256: Option<&str>| TenderDocument { title: Some("t".into()), sha256: sha256.map(str::to_owned) };
        let content = BidContent {
            price: Money::from_fen(1).unwrap(),
            documents: vec![document(Some("aa")), document(None)],
            project_manager_id: "p".into(),
            contact_person_id: None,
            agent_person_id: None,
            device_fingerprint: "f".into(),
            document_author: None,
        };
        assert!(content.names_document("aa"));
        assert!(!content.names_document("bb"));
        assert!(!content.names_document(""));
    }

    #[test]
    fn a_named_person_is_known_employed_or_entrusted() {
        assert!(PersonField::Agent.takes_entrusted());
        assert!(!PersonField::ProjectManager.takes_entrusted());
        assert!(!PersonField::Contact.takes_entrusted());
        let staff = NamedPerson::of(Some(Some("b1")), "b1", false, false);
        assert_eq!(
            staff,
            NamedPerson { known: true, employed_by_bidder: true, entrusted_by_bidder: false, agent_of_tenderer: false }
        );
        let elsewhere = NamedPerson::of(Some(Some("b2")), "b1", true, true);
        assert_eq!(
            elsewhere,
            NamedPerson { known: true, employed_by_bidder: false, entrusted_by_bidder: true, agent_of_tenderer: true }
        );
        assert!(!NamedPerson::of(Some(None), "b1", false, false).employed_by_bidder);
        assert!(NamedPerson::of(Some(None), "b1", false, false).known);
        let unknown = NamedPerson::of(None, "b1", false, false);
        assert!(!unknown.known && !unknown.employed_by_bidder);
    }
}

#[cfg(test)]
mod answers {
    use super::*;

    #[test]
    fn change_and_reveal_refusals_are_conflicts_in_the_bidders_words() {
        let cases = [
            (Answer::from(ChangeRefusal::NotAnnounced), "该标段尚未发布招标公告"),
            (Answer::from(ChangeRefusal::DeadlinePassed), "投标截止时间已到，不再接收、修改或撤回投标文件"),
            (Answer::from(ChangeRefusal::Withdrawn), "投标已撤回"),
            (Answer::from(RevealRefusal::BeforeDeadline), "投标截止后方可揭示承诺"),
            (Answer::from(RevealRefusal::Opened), "已开标"),
            (Answer::from(RevealRefusal::NoCommitment), "该投标没有报价承诺"),
        ];
        for (answer, detail) in cases {
            assert_eq!(answer, Answer::Conflict(detail.into()));
        }
    }

    #[test]
    fn acts_stay_on_the_sections_own_chain_while_its_bidders_are_secret() {
        let cases = [
            (bidders_secret(false, false, false), "sealed:s1"),
            (bidders_secret(true, false, false), "project:p1"),
            (bidders_secret(false, true, false), "project:p1"),
            (bidders_secret(false, false, true), "project:p1"),
        ];
        for (secret, chain) in cases {
            assert_eq!(bidding_chain("p1", "s1", secret), chain);
        }
    }
}
