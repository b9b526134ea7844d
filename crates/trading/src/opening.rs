//! The opening of a section's bids (开标): when it may begin, and, where the bidders sealed
//! their bids, the decryption window (tendering.decryption_window) — when it closes, who
//! may still decrypt, and what each envelope becomes when it closes (电子招标投标办法 §30,
//! §31, as the platform reads them), how many bids an opening needs, and the opening
//! record (开标记录) it publishes, and where a page of the published openings ended. The
//! caller loads the section and its envelopes and writes what these answer.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use ggzy_kernel::validation::read;
use ggzy_kernel::{Answer, FieldError, Money};
use ggzy_rules::{rule_ids, RuleSet};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::announcement::TenderDocument;
use crate::bidding::{BidContent, CommitmentCheck};
use crate::lifecycle::{BidStatus, DecryptionOutcome, OpeningOutcome};

/// How an opening of `bid_count` bids ends under the rule set (construction.min_bidders:
/// fewer bids than this, no opening; 条例 §44, 法 §28), and that minimum.
pub fn outcome(bid_count: usize, rule_set: &RuleSet) -> (OpeningOutcome, usize) {
    let min_bidders = usize::try_from(rule_set.tendering.min_bidders).unwrap_or(usize::MAX);
    (OpeningOutcome::of(bid_count, min_bidders), min_bidders)
}

/// One bid in the opening record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OpenedBid {
    pub bidder_id: String,
    pub bidder_name: String,
    pub price: Money,
    pub documents: Vec<TenderDocument>,
    /// none, verified or unverified (a commitment that was not revealed or does not match).
    pub commitment: CommitmentCheck,
}

impl OpenedBid {
    /// A bid as the opening reads it: its bidder, its price and documents from its content,
    /// and what its price commitment (if any) comes to with the nonce revealed for it.
    pub fn read(
        bidder_id: String,
        bidder_name: String,
        content: BidContent,
        commitment_hash: Option<&str>,
        revealed_nonce: Option<&str>,
    ) -> OpenedBid {
        let commitment = CommitmentCheck::of(commitment_hash, revealed_nonce, content.price);
        OpenedBid { bidder_id, bidder_name, price: content.price, documents: content.documents, commitment }
    }
}

/// The opening record (开标记录), public once the section is opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OpeningRecord {
    pub section_id: String,
    pub opened_at: DateTime<Utc>,
    pub witness: String,
    /// failed when fewer bids than construction.min_bidders arrived (流标).
    pub outcome: OpeningOutcome,
    pub bid_count: usize,
    pub min_bidders: usize,
    pub bids: Vec<OpenedBid>,
    /// Bids sealed by their bidders that were not opened: revoked (not decrypted through the
    /// bidder's fault) or withdrawn (through the platform's fault); not counted in
    /// `bid_count`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_opened: Vec<NotOpenedBid>,
    /// Objections raised at the opening and their on-the-spot answers
    /// (construction.objection.opening), added as they are made.
    #[serde(default)]
    pub objections: Vec<OpeningObjection>,
}

/// An objection at the opening as the opening record shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OpeningObjection {
    pub objection_id: String,
    pub objector_id: String,
    pub raised_at: DateTime<Utc>,
    pub content: String,
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// A bid of the section that was not opened, in the opening record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct NotOpenedBid {
    pub bidder_id: String,
    pub bidder_name: String,
    /// revoked (撤销, not decrypted through the bidder's fault) or withdrawn (撤回, through
    /// the platform's fault).
    pub outcome: DecryptionOutcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Why the opening (or its decryption window) cannot begin now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BeginRefusal {
    /// No tender announcement names an opening time.
    NotAnnounced,
    /// The opening time has not come.
    TooEarly,
}

/// Both are the section's state.
impl From<BeginRefusal> for Answer {
    fn from(refusal: BeginRefusal) -> Self {
        Answer::Conflict(
            match refusal {
                BeginRefusal::NotAnnounced => "尚未发布招标公告",
                BeginRefusal::TooEarly => "开标时间未到",
            }
            .into(),
        )
    }
}

/// Whether the opening (or its decryption window) may begin at `now`: at or after the
/// opening time of the latest tender announcement (`None` when there is none).
pub fn may_begin(opening_at: Option<NaiveDateTime>, now: NaiveDateTime) -> Result<(), BeginRefusal> {
    match opening_at {
        None => Err(BeginRefusal::NotAnnounced),
        Some(opening_at) if now < opening_at => Err(BeginRefusal::TooEarly),
        Some(_) => Ok(()),
    }
}

/// Why a section's bids are not opened now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenRefusal {
    /// The section has its opening record already.
    AlreadyOpened,
    /// The witness named is not active staff of the centre.
    WitnessNotCentreStaff,
}

impl OpenRefusal {
    pub fn answer(self) -> Answer {
        match self {
            OpenRefusal::AlreadyOpened => Answer::Conflict("该标段已开标".into()),
            OpenRefusal::WitnessNotCentreStaff => Answer::Invalid(vec![FieldError::new(
                "witness_id",
                "not_centre_staff",
                "见证人须为交易中心在岗工作人员",
            )]),
        }
    }
}

/// The witness an opening names, as found: its department and whether it is active.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Witness<'a> {
    pub department_id: &'a str,
    pub active: bool,
}

/// Whether a section's bids may be opened: not opened before, witnessed by active centre
/// staff (`witness` is none when no staff member has the id named).
pub fn may_open(already_opened: bool, witness: Option<Witness<'_>>) -> Result<(), OpenRefusal> {
    if already_opened {
        return Err(OpenRefusal::AlreadyOpened);
    }
    match witness {
        Some(w) if crate::bidding::may_witness(w.department_id, w.active) => Ok(()),
        _ => Err(OpenRefusal::WitnessNotCentreStaff),
    }
}

/// When a decryption window opened at `opened_at` for `minutes` closes.
pub fn window_closes(opened_at: NaiveDateTime, minutes: i32) -> NaiveDateTime {
    opened_at + Duration::minutes(i64::from(minutes))
}

/// Why a section's decryption window is not opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowRefusal {
    /// The platform seals the section's bids: its bidders have nothing to decrypt.
    PlatformSealed,
    /// The window is open already (or was).
    AlreadyOpened,
}

/// Both are the section's state.
impl From<WindowRefusal> for Answer {
    fn from(refusal: WindowRefusal) -> Self {
        Answer::Conflict(
            match refusal {
                WindowRefusal::PlatformSealed => "该标段的投标由平台密封，无需投标人解密",
                WindowRefusal::AlreadyOpened => "解密已经开启",
            }
            .into(),
        )
    }
}

/// The bidder-sealed section a decryption window opens for; `None` when the platform
/// seals the section's bids.
pub fn bidder_sealed_section<T>(sealed: Option<T>) -> Result<T, WindowRefusal> {
    sealed.ok_or(WindowRefusal::PlatformSealed)
}

/// Why a bidder cannot decrypt its envelope now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecryptRefusal {
    /// The platform sealed the bid: there is no envelope to decrypt.
    PlatformSealed,
    /// The bid was withdrawn before the deadline.
    Withdrawn,
    /// The tender's staff have not opened the window.
    WindowNotOpen,
    /// The window closed at `closes_at` (tendering.decryption_window).
    WindowClosed { closes_at: NaiveDateTime },
    /// The envelope already has its outcome.
    AlreadyDecided,
}

impl DecryptRefusal {
    /// The rule and words a refused decryption is told with.
    pub fn answer(self) -> Answer {
        match self {
            DecryptRefusal::PlatformSealed => Answer::Conflict("该投标由平台密封，无需解密".into()),
            DecryptRefusal::Withdrawn => Answer::Conflict("投标已撤回".into()),
            DecryptRefusal::WindowNotOpen => Answer::Conflict("解密尚未开启".into()),
            DecryptRefusal::WindowClosed { closes_at } => Answer::Rule {
                rule: rule_ids::DECRYPTION_WINDOW,
                detail: format!(
                    "解密时限已于 {} 届满",
                    ggzy_kernel::beijing_text(DateTime::from_naive_utc_and_offset(closes_at, Utc))
                ),
                problems: Vec::new(),
            },
            DecryptRefusal::AlreadyDecided => Answer::Conflict("该投标的解密已有结果".into()),
        }
    }
}

/// The envelope of a bid its bidder sealed; `None` when the platform sealed the bid.
pub fn bidders_envelope<T>(envelope: Option<T>) -> Result<T, DecryptRefusal> {
    envelope.ok_or(DecryptRefusal::PlatformSealed)
}

/// Whether a bidder may decrypt its envelope at `now`: the bid still in, within the open
/// window, the envelope without an outcome.
pub fn may_decrypt(
    status: BidStatus,
    window_closes_at: Option<NaiveDateTime>,
    decided: bool,
    now: NaiveDateTime,
) -> Result<(), DecryptRefusal> {
    if status != BidStatus::Submitted {
        return Err(DecryptRefusal::Withdrawn);
    }
    match window_closes_at {
        None => return Err(DecryptRefusal::WindowNotOpen),
        Some(closes_at) if now >= closes_at => return Err(DecryptRefusal::WindowClosed { closes_at }),
        Some(_) => {}
    }
    if decided {
        return Err(DecryptRefusal::AlreadyDecided);
    }
    Ok(())
}

/// Why the bids of a section whose bidders seal cannot be opened yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseRefusal {
    /// There are envelopes and no window was opened for them (tendering.decryption_window).
    WindowNeverOpened,
    /// The window runs until `closes_at` and some envelopes are still undecided.
    StillOpen { closes_at: NaiveDateTime },
}

/// A window never opened is refused by its rule; one still running with undecided
/// envelopes is the section's state, told with the Beijing time it closes.
impl From<CloseRefusal> for Answer {
    fn from(refusal: CloseRefusal) -> Self {
        match refusal {
            CloseRefusal::WindowNeverOpened => Answer::Rule {
                rule: rule_ids::DECRYPTION_WINDOW,
                detail: "投标人自行加密的标段须先开启解密，解密时限届满后方可形成开标记录".into(),
                problems: vec![],
            },
            CloseRefusal::StillOpen { closes_at } => Answer::Conflict(format!(
                "解密时限至 {} 届满，尚有投标未解密",
                ggzy_kernel::beijing_text(closes_at.and_utc())
            )),
        }
    }
}

/// What each envelope (given by its recorded outcome, in order) becomes when the window is
/// closed at `now` for the opening: the recorded outcome, or revoked where none was
/// recorded. With no envelope there is nothing to wait for; the window may close early
/// once every envelope has its outcome.
pub fn close_window(
    window_closes_at: Option<NaiveDateTime>,
    recorded: &[Option<DecryptionOutcome>],
    now: NaiveDateTime,
) -> Result<Vec<DecryptionOutcome>, CloseRefusal> {
    if recorded.is_empty() {
        return Ok(Vec::new());
    }
    let closes_at = window_closes_at.ok_or(CloseRefusal::WindowNeverOpened)?;
    if now < closes_at && recorded.iter().any(Option::is_none) {
        return Err(CloseRefusal::StillOpen { closes_at });
    }
    Ok(recorded.iter().map(|outcome| DecryptionOutcome::at_window_close(*outcome)).collect())
}

/// What closing the window does to one envelope and its bid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClosedEnvelope {
    pub outcome: DecryptionOutcome,
    /// Whether the outcome is decided by the close (none was recorded), to be written.
    pub decided_now: bool,
    /// The bid's status when the close changes it: a bid not decrypted leaves the section
    /// (it is not opened, evaluated or counted).
    pub bid_after: Option<BidStatus>,
}

/// [`close_window`], with what it does to each envelope (in order) and its bid.
pub fn close_envelopes(
    window_closes_at: Option<NaiveDateTime>,
    recorded: &[Option<DecryptionOutcome>],
    now: NaiveDateTime,
) -> Result<Vec<ClosedEnvelope>, CloseRefusal> {
    let outcomes = close_window(window_closes_at, recorded, now)?;
    Ok(recorded
        .iter()
        .zip(outcomes)
        .map(|(recorded, outcome)| ClosedEnvelope {
            outcome,
            decided_now: recorded.is_none(),
            bid_after: (!outcome.is_opened()).then_some(BidStatus::Withdrawn),
        })
        .collect())
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenBids {
    /// The centre staff member who witnesses the opening.
    #[schema(required = true, value_type = String, format = Uuid)]
    pub witness_id: Option<String>,
}

/// Reads who witnesses an opening (required; whether they may is asked of the staff list).
pub fn read_open_bids(request: OpenBids) -> Result<String, Vec<FieldError>> {
    let mut problems = Vec::new();
    match read::required(&mut problems, "witness_id", request.witness_id) {
        Some(witness_id) => Ok(witness_id),
        None => Err(problems),
    }
}

/// Where a page of the published openings ended, in the schedule's order (soonest first,
/// then by section); written `<microseconds since 1970>.<section id>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleCursor {
    pub opening_at: NaiveDateTime,
    pub section_id: String,
}

impl ScheduleCursor {
    /// The cursor a page gave as `next_cursor` (field `after`); a problem for any other
    /// text.
    pub fn read(text: &str) -> Result<ScheduleCursor, FieldError> {
        let parsed = text.split_once('.').and_then(|(micros, section)| {
            let opening_at = DateTime::<Utc>::from_timestamp_micros(micros.parse().ok()?)?.naive_utc();
            (!section.is_empty()).then(|| ScheduleCursor { opening_at, section_id: section.to_owned() })
        });
        parsed.ok_or_else(|| FieldError::new("after", "unknown_cursor", "不是上一页给出的 next_cursor"))
    }
}

impl std::fmt::Display for ScheduleCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.opening_at.and_utc().timestamp_micros(), self.section_id)
    }
}

#[cfg(test)]
mod request_tests {
    use super::*;

    fn at(hour: u32, minute: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 4).and_then(|d| d.and_hms_opt(hour, minute, 0)).unwrap()
    }

    #[test]
    fn an_opened_bid_shows_its_price_documents_and_commitment() {
        let price = Money::parse("985000.00").unwrap();
        let content = BidContent {
            price,
            documents: vec![TenderDocument { title: Some("技术标".into()), sha256: Some("aa".into()) }],
            project_manager_id: "pm".into(),
            contact_person_id: Some("c".into()),
            agent_person_id: None,
            device_fingerprint: "f".into(),
            document_author: None,
        };
        let hash = |nonce: &str| {
            use sha2::{Digest, Sha256};
            hex::encode(Sha256::digest(format!("{price}:{nonce}").as_bytes()))
        };
        let committed = hash("n1");
        let read = |hash: Option<&str>, nonce: Option<&str>| {
            OpenedBid::read("b1".into(), "甲公司".into(), content.clone(), hash, nonce)
        };
        let verified = read(Some(&committed), Some("n1"));
        assert_eq!((verified.bidder_id.as_str(), verified.bidder_name.as_str()), ("b1", "甲公司"));
        assert_eq!((verified.price, verified.documents.clone()), (price, content.documents.clone()));
        assert_eq!(verified.commitment, CommitmentCheck::Verified);
        assert_eq!(read(Some(&committed), Some("n2")).commitment, CommitmentCheck::Unverified);
        assert_eq!(read(Some(&committed), None).commitment, CommitmentCheck::Unverified);
        assert_eq!(read(None, Some("n1")).commitment, CommitmentCheck::None);
    }

    #[test]
    fn closing_the_window_decides_the_undecided_and_withdraws_what_is_not_opened() {
        use DecryptionOutcome::*;
        let recorded = [Some(Decrypted), None, Some(Withdrawn), Some(Revoked)];
        let closed = close_envelopes(Some(at(2, 30)), &recorded, at(2, 30)).unwrap();
        assert_eq!(
            closed,
            vec![
                ClosedEnvelope { outcome: Decrypted, decided_now: false, bid_after: None },
                ClosedEnvelope { outcome: Revoked, decided_now: true, bid_after: Some(BidStatus::Withdrawn) },
                ClosedEnvelope { outcome: Withdrawn, decided_now: false, bid_after: Some(BidStatus::Withdrawn) },
                ClosedEnvelope { outcome: Revoked, decided_now: false, bid_after: Some(BidStatus::Withdrawn) },
            ]
        );
        assert_eq!(close_envelopes(None, &[], at(3, 0)), Ok(vec![]));
    }

    #[test]
    fn closing_the_window_is_refused_as_close_window_refuses() {
        assert_eq!(
            close_envelopes(Some(at(2, 30)), &[None], at(2, 29)),
            Err(CloseRefusal::StillOpen { closes_at: at(2, 30) })
        );
        assert_eq!(close_envelopes(None, &[None], at(3, 0)), Err(CloseRefusal::WindowNeverOpened));
    }

    #[test]
    fn a_schedule_cursor_reads_back_what_it_wrote_and_nothing_else() {
        let cursor = ScheduleCursor { opening_at: at(2, 30), section_id: "s-1".into() };
        assert_eq!(ScheduleCursor::read(&cursor.to_string()), Ok(cursor));
        for text in ["", "s-1", "x.s-1", "1764815400000000.", ".s-1", "99999999999999999999.s-1"] {
            let refused = ScheduleCursor::read(text).map_err(|e| (e.field, e.code));
            assert_eq!(refused, Err(("after".to_owned(), "unknown_cursor".to_owned())), "{text}");
        }
    }

    #[test]
    fn an_opening_names_its_witness() {
        assert_eq!(read_open_bids(OpenBids { witness_id: Some("w1".into()) }), Ok("w1".to_owned()));
        let missing = read_open_bids(OpenBids::default()).unwrap_err();
        assert_eq!(
            missing.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect::<Vec<_>>(),
            [("witness_id", "required")]
        );
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::NaiveDate;

    use super::*;

    fn at(hour: u32, minute: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 4).and_then(|d| d.and_hms_opt(hour, minute, 0)).unwrap()
    }

    #[test]
    fn a_window_that_keeps_the_opening_waiting_is_told_by_its_rule_or_its_end() {
        let Answer::Rule { rule, detail, problems } = Answer::from(CloseRefusal::WindowNeverOpened) else {
            panic!("a window never opened is refused by its rule")
        };
        assert_eq!(rule, rule_ids::DECRYPTION_WINDOW);
        assert!(detail.starts_with("投标人自行加密的标段须先开启解密"), "{detail}");
        assert!(problems.is_empty());
        let running = Answer::from(CloseRefusal::StillOpen { closes_at: at(2, 30) });
        let expected = format!("解密时限至 {} 届满，尚有投标未解密", ggzy_kernel::beijing_text(at(2, 30).and_utc()));
        assert_eq!(running, Answer::Conflict(expected));
        // 02:30 UTC is 10:30 in Beijing.
        let Answer::Conflict(detail) = running else { unreachable!() };
        assert!(detail.contains("10:30"), "{detail}");
    }

    #[test]
    fn an_opening_is_held_once_and_witnessed_by_active_centre_staff() {
        let centre = Witness { department_id: crate::bidding::CENTRE_DEPARTMENT, active: true };
        let cases = [
            (false, Some(centre), Ok(())),
            (true, Some(centre), Err(OpenRefusal::AlreadyOpened)),
            (true, None, Err(OpenRefusal::AlreadyOpened)),
            (false, None, Err(OpenRefusal::WitnessNotCentreStaff)),
            (false, Some(Witness { active: false, ..centre }), Err(OpenRefusal::WitnessNotCentreStaff)),
            (false, Some(Witness { department_id: "housing", active: true }), Err(OpenRefusal::WitnessNotCentreStaff)),
        ];
        for (already_opened, witness, expected) in cases {
            assert_eq!(may_open(already_opened, witness), expected, "{already_opened} {witness:?}");
        }
        assert_eq!(OpenRefusal::AlreadyOpened.answer(), Answer::Conflict("该标段已开标".into()));
        let Answer::Invalid(problems) = OpenRefusal::WitnessNotCentreStaff.answer() else { panic!("a field") };
        assert_eq!((problems[0].field.as_str(), problems[0].code.as_str()), ("witness_id", "not_centre_staff"));
    }

    #[test]
    fn a_decryption_after_the_window_names_its_rule_and_when_it_closed() {
        let closes_at = NaiveDateTime::parse_from_str("2026-12-04 02:30:00", "%Y-%m-%d %H:%M:%S").unwrap();
        let Answer::Rule { rule, detail, problems } = DecryptRefusal::WindowClosed { closes_at }.answer() else {
            panic!("a closed window is the rule's")
        };
        assert_eq!(rule, rule_ids::DECRYPTION_WINDOW);
        assert_eq!(detail, "解密时限已于 2026-12-04 10:30 北京时间 届满");
        assert!(problems.is_empty());
        let conflicts = [
            (DecryptRefusal::Withdrawn, "投标已撤回"),
            (DecryptRefusal::WindowNotOpen, "解密尚未开启"),
            (DecryptRefusal::AlreadyDecided, "该投标的解密已有结果"),
        ];
        for (refusal, detail) in conflicts {
            assert_eq!(refusal.answer(), Answer::Conflict(detail.into()));
        }
    }

    #[test]
    fn an_opening_needs_the_rule_sets_minimum_of_bids() {
        let rule_set = RuleSet::seed();
        let min = usize::try_from(rule_set.tendering.min_bidders).unwrap();
        assert!(min > 0);
        assert_eq!(outcome(min, &rule_set), (OpeningOutcome::Opened, min));
        assert_eq!(outcome(min - 1, &rule_set), (OpeningOutcome::Failed, min));
        let mut two = rule_set.clone();
        two.tendering.min_bidders = 2;
        assert_eq!(outcome(2, &two), (OpeningOutcome::Opened, 2));
    }

    #[test]
    fn the_opening_begins_at_its_time() {
        assert_eq!(may_begin(Some(at(2, 0)), at(1, 59)), Err(BeginRefusal::TooEarly));
        assert_eq!(may_begin(Some(at(2, 0)), at(2, 0)), Ok(()));
        assert_eq!(may_begin(Some(at(2, 0)), at(3, 0)), Ok(()));
        assert_eq!(may_begin(None, at(3, 0)), Err(BeginRefusal::NotAnnounced));
        assert_eq!(Answer::from(BeginRefusal::NotAnnounced), Answer::Conflict("尚未发布招标公告".into()));
        assert_eq!(Answer::from(BeginRefusal::TooEarly), Answer::Conflict("开标时间未到".into()));
    }

    #[test]
    fn a_window_opens_once_and_only_where_bidders_seal() {
        assert_eq!(bidder_sealed_section(Some(30)), Ok(30));
        assert_eq!(bidder_sealed_section::<i32>(None), Err(WindowRefusal::PlatformSealed));
        assert_eq!(
            Answer::from(WindowRefusal::PlatformSealed),
            Answer::Conflict("该标段的投标由平台密封，无需投标人解密".into())
        );
        assert_eq!(Answer::from(WindowRefusal::AlreadyOpened), Answer::Conflict("解密已经开启".into()));
    }

    #[test]
    fn only_an_envelope_is_decrypted() {
        assert_eq!(bidders_envelope(Some("e")), Ok("e"));
        assert_eq!(bidders_envelope::<&str>(None), Err(DecryptRefusal::PlatformSealed));
        assert_eq!(DecryptRefusal::PlatformSealed.answer(), Answer::Conflict("该投标由平台密封，无需解密".into()));
    }

    #[test]
    fn a_window_closes_its_minutes_after_it_opens() {
        assert_eq!(window_closes(at(2, 0), 30), at(2, 30));
        assert_eq!(window_closes(at(23, 50), 20), at(23, 50) + Duration::minutes(20));
    }

    #[test]
    fn a_bidder_decrypts_its_own_undecided_envelope_within_the_window() {
        assert_eq!(may_decrypt(BidStatus::Submitted, Some(at(2, 30)), false, at(2, 29)), Ok(()));
        assert_eq!(
            may_decrypt(BidStatus::Submitted, Some(at(2, 30)), false, at(2, 30)),
            Err(DecryptRefusal::WindowClosed { closes_at: at(2, 30) })
        );
        assert_eq!(may_decrypt(BidStatus::Submitted, None, false, at(2, 0)), Err(DecryptRefusal::WindowNotOpen));
        assert_eq!(
            may_decrypt(BidStatus::Submitted, Some(at(2, 30)), true, at(2, 10)),
            Err(DecryptRefusal::AlreadyDecided)
        );
        // A withdrawn bid is told so before anything about the window.
        assert_eq!(may_decrypt(BidStatus::Withdrawn, None, true, at(2, 10)), Err(DecryptRefusal::Withdrawn));
    }

    #[test]
    fn closing_the_window_revokes_what_was_not_decrypted() {
        use DecryptionOutcome::*;
        let recorded = [Some(Decrypted), None, Some(Withdrawn)];
        assert_eq!(close_window(Some(at(2, 30)), &recorded, at(2, 30)), Ok(vec![Decrypted, Revoked, Withdrawn]));
        assert_eq!(
            close_window(Some(at(2, 30)), &recorded, at(2, 29)),
            Err(CloseRefusal::StillOpen { closes_at: at(2, 30) })
        );
        // Every envelope decided: no need to wait for the window's end.
        assert_eq!(close_window(Some(at(2, 30)), &[Some(Decrypted)], at(2, 1)), Ok(vec![Decrypted]));
        assert_eq!(close_window(None, &[None], at(3, 0)), Err(CloseRefusal::WindowNeverOpened));
        assert_eq!(close_window(None, &[], at(3, 0)), Ok(vec![]));
    }
}
