//! Who must act on or learn of what. Every change a party must answer or should know of
//! (a question or objection filed, its answer, the opening, the candidates, the award, a
//! bond's refund, a complaint's acceptance and decision, a committee drawn, a risk alert, a
//! clock about to run out) becomes a notice in the inboxes of the parties named here. The
//! service resolves each [`Audience`] to inboxes; which audiences, which kinds, when a clock
//! is reminded of and what the webhook subscribers may see are decided here, without I/O.

use chrono::{DateTime, Utc};
use ggzy_kernel::{closed_enum, AuditAction, CalendarError, FieldError, WorkingCalendar};

use crate::lifecycle::ClockKind;

closed_enum! {
    /// What a party notice is about (`Notification.kind`).
    pub enum NoticeKind {
        /// A question on the tender documents was asked (the tenderer's side answers).
        QuestionAsked = "question.asked",
        /// An objection was raised (the tenderer's side answers; the regulator watches).
        ObjectionRaised = "objection.raised",
        /// The asker's question was answered.
        QuestionAnswered = "question.answered",
        /// The objector's objection was answered.
        ObjectionAnswered = "objection.answered",
        /// The section's bids were opened (or the opening failed for too few bids).
        OpeningHeld = "opening.held",
        /// The evaluation's candidates were published.
        CandidatesPublished = "candidates.published",
        /// The section was awarded.
        AwardMade = "award.made",
        /// The centre instructed the bank to refund the bond.
        RefundInstructed = "refund.instructed",
        /// The bank paid the refund.
        RefundPosted = "refund.posted",
        /// The bond's refund deadline passed without a refund.
        RefundOverdue = "refund.overdue",
        /// The tenderer forfeited the bond.
        BondForfeited = "bond.forfeited",
        /// A complaint was filed (the supervising department reviews it).
        ComplaintFiled = "complaint.filed",
        /// The complaint was accepted or refused (受理审查).
        ComplaintReviewed = "complaint.reviewed",
        /// The complaint was decided.
        ComplaintDecided = "complaint.decided",
        /// The expert was drawn onto a section's evaluation committee.
        CommitteeDrawn = "committee.drawn",
        /// A collusion risk alert was raised for the department.
        RiskAlertRaised = "risk_alert.raised",
        /// A clock the party owes runs out within one working day.
        DeadlineDue = "deadline.due",
    }
}

closed_enum! {
    /// What a party notice is about (`PartyNotice.subject_type`): the record its
    /// `subject_id` names.
    pub enum NoticeSubject {
        Question = "question",
        Objection = "objection",
        /// A section (also the publicity of a direct award, named by its award).
        Section = "section",
        Bond = "bond",
        Complaint = "complaint",
        ExpertDraw = "expert_draw",
        RiskAlert = "risk_alert",
    }
}

closed_enum! {
    /// A public change (`PublicEvent.type`): in the public feed, and to every webhook
    /// subscriber as the notification `event:<type>`.
    pub enum PublicEventType {
        /// A tender announcement or a listing's announcement was published.
        AnnouncementPublished = "announcement.published",
        /// A correction of an announcement was published.
        AnnouncementCorrected = "announcement.corrected",
        /// A question on the tender documents was answered for everyone.
        ClarificationAnswered = "clarification.answered",
        /// A section's opening record was made (opened or failed).
        OpeningRecorded = "opening.recorded",
        /// A section's candidates went to publicity.
        CandidatesPublished = "candidates.published",
        /// A section was awarded.
        AwardPublished = "award.published",
        /// A section's contract was recorded.
        ContractRecorded = "contract.recorded",
        /// A direct award went to publicity.
        DirectAwardPublished = "direct_award.published",
        /// A project was suspended.
        ProjectSuspended = "project.suspended",
        /// A project was resumed.
        ProjectResumed = "project.resumed",
        /// A project was terminated.
        ProjectTerminated = "project.terminated",
        /// A restriction was imposed on a participant or an expert.
        RestrictionImposed = "restriction.imposed",
        /// A rule-set version was published.
        RuleSetPublished = "rule_set.published",
        /// A lot was listed.
        ListingAnnounced = "listing.announced",
        /// A quote on a listed lot was accepted (by bidder number only).
        QuoteAccepted = "quote.accepted",
        /// A listing or its auction ended.
        ListingClosed = "listing.closed",
        /// The winner of a listing confirmed the result.
        ListingConfirmed = "listing.confirmed",
        /// The winner of a listing refused the result.
        ListingRefused = "listing.refused",
    }
}

/// The public route that shows what a public event changed.
fn public_route(event: PublicEventType, object_id: &str, project_id: Option<&str>) -> Option<String> {
    use PublicEventType::*;
    let listing = || Some(format!("/api/v1/public/listings/{object_id}"));
    let section_result = || Some(format!("/api/v1/public/sections/{object_id}/result"));
    match event {
        AnnouncementPublished | AnnouncementCorrected => Some(format!("/api/v1/public/announcements/{object_id}")),
        ClarificationAnswered => project_id.map(|p| format!("/api/v1/public/projects/{p}/answers")),
        OpeningRecorded => Some(format!("/api/v1/public/sections/{object_id}/opening-record")),
        CandidatesPublished | AwardPublished | ContractRecorded => section_result(),
        DirectAwardPublished => Some("/api/v1/public/direct-awards".into()),
        ProjectSuspended | ProjectResumed | ProjectTerminated => None,
        RestrictionImposed => Some("/api/v1/public/restrictions".into()),
        RuleSetPublished => Some(format!("/api/v1/rule-sets/{object_id}")),
        ListingAnnounced | ListingClosed | ListingConfirmed | ListingRefused => listing(),
        // Quotes are public as they come (with bidder numbers only).
        QuoteAccepted => Some(format!("/api/v1/public/listings/{object_id}/quotes")),
    }
}

impl PublicEventType {
    /// The public event an audited action makes, if any.
    pub fn of_action(action: AuditAction) -> Option<PublicEventType> {
        use PublicEventType::*;
        Some(match action {
            AuditAction::AnnouncementPublish => AnnouncementPublished,
            AuditAction::AnnouncementCorrect => AnnouncementCorrected,
            AuditAction::QuestionAnswer => ClarificationAnswered,
            AuditAction::SectionOpen | AuditAction::SectionFail => OpeningRecorded,
            AuditAction::EvaluationReport => CandidatesPublished,
            AuditAction::SectionAward => AwardPublished,
            AuditAction::SectionContract => ContractRecorded,
            AuditAction::ProjectReportDirectAward => DirectAwardPublished,
            AuditAction::ProjectSuspend => ProjectSuspended,
            AuditAction::ProjectResume => ProjectResumed,
            AuditAction::ProjectTerminate => ProjectTerminated,
            AuditAction::CreditRestrictionImpose => RestrictionImposed,
            AuditAction::RuleSetPublish => RuleSetPublished,
            AuditAction::ListingCreate => ListingAnnounced,
            AuditAction::ListingQuote => QuoteAccepted,
            AuditAction::ListingClose => ListingClosed,
            AuditAction::ListingConfirm => ListingConfirmed,
            AuditAction::ListingRefusal => ListingRefused,
            _ => return None,
        })
    }

    /// The public route that shows the changed record, if there is one.
    pub fn resource(self, object_id: &str, project_id: Option<&str>) -> Option<String> {
        public_route(self, object_id, project_id)
    }

    /// The notification that carries the event to webhook subscribers.
    pub fn notification_kind(self) -> NotificationKind {
        use PublicEventType::*;
        match self {
            AnnouncementPublished => NotificationKind::EventAnnouncementPublished,
            AnnouncementCorrected => NotificationKind::EventAnnouncementCorrected,
            ClarificationAnswered => NotificationKind::EventClarificationAnswered,
            OpeningRecorded => NotificationKind::EventOpeningRecorded,
            CandidatesPublished => NotificationKind::EventCandidatesPublished,
            AwardPublished => NotificationKind::EventAwardPublished,
            ContractRecorded => NotificationKind::EventContractRecorded,
            DirectAwardPublished => NotificationKind::EventDirectAwardPublished,
            ProjectSuspended => NotificationKind::EventProjectSuspended,
            ProjectResumed => NotificationKind::EventProjectResumed,
            ProjectTerminated => NotificationKind::EventProjectTerminated,
            RestrictionImposed => NotificationKind::EventRestrictionImposed,
            RuleSetPublished => NotificationKind::EventRuleSetPublished,
            ListingAnnounced => NotificationKind::EventListingAnnounced,
            QuoteAccepted => NotificationKind::EventQuoteAccepted,
            ListingClosed => NotificationKind::EventListingClosed,
            ListingConfirmed => NotificationKind::EventListingConfirmed,
            ListingRefused => NotificationKind::EventListingRefused,
        }
    }
}

closed_enum! {
    /// What a notification is (`Notification.kind`); its payload's shape goes with it.
    pub enum NotificationKind {
        /// The project waits until it is resumed.
        ProjectSuspended = "project.suspended",
        ProjectResumed = "project.resumed",
        ProjectTerminated = "project.terminated",
        /// Loading a year's official calendar recounted a running clock.
        DeadlineRecounted = "deadline.recounted",
        /// The section's decryption window opened: the bidder decrypts its bid now.
        BidDecryptNow = "bid.decrypt_now",
        /// A clock runs into a year whose official calendar is not loaded.
        CalendarYearMissing = "calendar.year_missing",
        QuestionAsked = "question.asked",
        ObjectionRaised = "objection.raised",
        QuestionAnswered = "question.answered",
        ObjectionAnswered = "objection.answered",
        OpeningHeld = "opening.held",
        CandidatesPublished = "candidates.published",
        AwardMade = "award.made",
        RefundInstructed = "refund.instructed",
        RefundPosted = "refund.posted",
        RefundOverdue = "refund.overdue",
        BondForfeited = "bond.forfeited",
        ComplaintFiled = "complaint.filed",
        ComplaintReviewed = "complaint.reviewed",
        ComplaintDecided = "complaint.decided",
        CommitteeDrawn = "committee.drawn",
        RiskAlertRaised = "risk_alert.raised",
        DeadlineDue = "deadline.due",
        EventAnnouncementPublished = "event:announcement.published",
        EventAnnouncementCorrected = "event:announcement.corrected",
        EventClarificationAnswered = "event:clarification.answered",
        EventOpeningRecorded = "event:opening.recorded",
        EventCandidatesPublished = "event:candidates.published",
        EventAwardPublished = "event:award.published",
        EventContractRecorded = "event:contract.recorded",
        EventDirectAwardPublished = "event:direct_award.published",
        EventProjectSuspended = "event:project.suspended",
        EventProjectResumed = "event:project.resumed",
        EventProjectTerminated = "event:project.terminated",
        EventRestrictionImposed = "event:restriction.imposed",
        EventRuleSetPublished = "event:rule_set.published",
        EventListingAnnounced = "event:listing.announced",
        EventQuoteAccepted = "event:quote.accepted",
        EventListingClosed = "event:listing.closed",
        EventListingConfirmed = "event:listing.confirmed",
        EventListingRefused = "event:listing.refused",
    }
}

impl From<NoticeKind> for NotificationKind {
    fn from(kind: NoticeKind) -> NotificationKind {
        match kind {
            NoticeKind::QuestionAsked => NotificationKind::QuestionAsked,
            NoticeKind::ObjectionRaised => NotificationKind::ObjectionRaised,
            NoticeKind::QuestionAnswered => NotificationKind::QuestionAnswered,
            NoticeKind::ObjectionAnswered => NotificationKind::ObjectionAnswered,
            NoticeKind::OpeningHeld => NotificationKind::OpeningHeld,
            NoticeKind::CandidatesPublished => NotificationKind::CandidatesPublished,
            NoticeKind::AwardMade => NotificationKind::AwardMade,
            NoticeKind::RefundInstructed => NotificationKind::RefundInstructed,
            NoticeKind::RefundPosted => NotificationKind::RefundPosted,
            NoticeKind::RefundOverdue => NotificationKind::RefundOverdue,
            NoticeKind::BondForfeited => NotificationKind::BondForfeited,
            NoticeKind::ComplaintFiled => NotificationKind::ComplaintFiled,
            NoticeKind::ComplaintReviewed => NotificationKind::ComplaintReviewed,
            NoticeKind::ComplaintDecided => NotificationKind::ComplaintDecided,
            NoticeKind::CommitteeDrawn => NotificationKind::CommitteeDrawn,
            NoticeKind::RiskAlertRaised => NotificationKind::RiskAlertRaised,
            NoticeKind::DeadlineDue => NotificationKind::DeadlineDue,
        }
    }
}

/// Who receives a notice, named by their part in what it is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The project's tenderer and the agencies commissioned on it.
    ProjectOwners,
    /// The department that supervises the project: its industry regulator, else 公管办.
    Supervisor,
    /// Who asked the question or raised the objection.
    Asker,
    /// Every bidder with a bid in the section.
    SectionBidders,
    /// The bidder whose bond it is.
    BondHolder,
    /// Who filed the complaint.
    Complainant,
    /// The experts who have just joined the committee: all of it at a draw, the replacement
    /// at a recusal.
    NewCommitteeMembers,
    /// The trading centre (it keeps the bonds and refunds them).
    Centre,
    /// The section's winner (it signs the contract with the tenderer).
    Winner,
}

/// The parties a notice's subject has, as loaded for the audiences it goes to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoticeParties {
    /// The project's tenderer, then the agencies commissioned on it.
    pub owners: Vec<String>,
    /// The department supervising the project.
    pub supervisor: String,
    pub asker: Option<String>,
    pub bond_holder: Option<String>,
    pub complainant: Option<String>,
    pub new_members: Vec<String>,
    pub section_bidders: Vec<String>,
    pub winner: Option<String>,
}

/// Who a notice to `audiences` lands with: each audience's parties, in the audiences'
/// order, each inbox once.
pub fn recipients(audiences: &[Audience], parties: &NoticeParties) -> Vec<String> {
    let mut recipients: Vec<String> = Vec::new();
    for audience in audiences {
        let named: Vec<&str> = match audience {
            Audience::ProjectOwners => parties.owners.iter().map(String::as_str).collect(),
            Audience::Supervisor => vec![parties.supervisor.as_str()],
            Audience::Asker => parties.asker.iter().map(String::as_str).collect(),
            Audience::BondHolder => parties.bond_holder.iter().map(String::as_str).collect(),
            Audience::Complainant => parties.complainant.iter().map(String::as_str).collect(),
            Audience::NewCommitteeMembers => parties.new_members.iter().map(String::as_str).collect(),
            Audience::Centre => vec!["centre"],
            Audience::SectionBidders => parties.section_bidders.iter().map(String::as_str).collect(),
            Audience::Winner => parties.winner.iter().map(String::as_str).collect(),
        };
        for party in named {
            if !recipients.iter().any(|r| r == party) {
                recipients.push(party.to_owned());
            }
        }
    }
    recipients
}

/// The notice an audited action makes: its kind and who receives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoticeRule {
    pub kind: NoticeKind,
    pub audiences: &'static [Audience],
}

/// The notice an audited action (`question.ask`, `section.award`, …) makes, if it makes one.
pub fn on_action(action: AuditAction) -> Option<NoticeRule> {
    use Audience::*;
    let (kind, audiences): (NoticeKind, &'static [Audience]) = match action {
        AuditAction::QuestionAsk => (NoticeKind::QuestionAsked, &[ProjectOwners, Supervisor]),
        AuditAction::ObjectionRaise => (NoticeKind::ObjectionRaised, &[ProjectOwners, Supervisor]),
        AuditAction::QuestionAnswer => (NoticeKind::QuestionAnswered, &[Asker]),
        AuditAction::ObjectionAnswer => (NoticeKind::ObjectionAnswered, &[Asker]),
        AuditAction::SectionOpen | AuditAction::SectionFail => (NoticeKind::OpeningHeld, &[SectionBidders]),
        AuditAction::EvaluationReport => (NoticeKind::CandidatesPublished, &[SectionBidders]),
        AuditAction::SectionAward => (NoticeKind::AwardMade, &[SectionBidders]),
        AuditAction::BondRefundInstruct => (NoticeKind::RefundInstructed, &[BondHolder]),
        AuditAction::BondRefundPosted => (NoticeKind::RefundPosted, &[BondHolder]),
        AuditAction::ComplaintFile => (NoticeKind::ComplaintFiled, &[Supervisor]),
        AuditAction::BondForfeit => (NoticeKind::BondForfeited, &[BondHolder]),
        AuditAction::ComplaintAccept => (NoticeKind::ComplaintReviewed, &[Complainant]),
        AuditAction::ComplaintDecide => (NoticeKind::ComplaintDecided, &[Complainant]),
        AuditAction::ExpertsDraw | AuditAction::ExpertsRecuse => (NoticeKind::CommitteeDrawn, &[NewCommitteeMembers]),
        _ => return None,
    };
    Some(NoticeRule { kind, audiences })
}

/// Who owes a running clock, and so is reminded of it: the tenderer's side answers
/// objections and signs the contract (with the winner), the supervising department accepts
/// and decides complaints, the centre refunds bonds. Publicity periods are owed by nobody.
pub fn owed_by(kind: ClockKind) -> &'static [Audience] {
    match kind {
        ClockKind::ObjectionAnswer => &[Audience::ProjectOwners],
        ClockKind::ComplaintAcceptance | ClockKind::ComplaintDecision => &[Audience::Supervisor],
        ClockKind::BondRefund => &[Audience::Centre],
        ClockKind::ContractSigning => &[Audience::ProjectOwners, Audience::Winner],
        ClockKind::CandidatePublicity | ClockKind::DirectAwardPublicity => &[],
    }
}

/// What the notice an audited action makes is about, by its kind; none for the notices no
/// action makes (a risk alert is raised by the risk engine, a reminder is about its clock:
/// [`plan_reminder`]).
pub fn action_subject(kind: NoticeKind) -> Option<NoticeSubject> {
    match kind {
        NoticeKind::QuestionAsked | NoticeKind::QuestionAnswered => Some(NoticeSubject::Question),
        NoticeKind::ObjectionRaised | NoticeKind::ObjectionAnswered => Some(NoticeSubject::Objection),
        NoticeKind::OpeningHeld | NoticeKind::CandidatesPublished | NoticeKind::AwardMade => {
            Some(NoticeSubject::Section)
        }
        NoticeKind::RefundInstructed
        | NoticeKind::RefundPosted
        | NoticeKind::RefundOverdue
        | NoticeKind::BondForfeited => Some(NoticeSubject::Bond),
        NoticeKind::ComplaintFiled | NoticeKind::ComplaintReviewed | NoticeKind::ComplaintDecided => {
            Some(NoticeSubject::Complaint)
        }
        NoticeKind::CommitteeDrawn => Some(NoticeSubject::ExpertDraw),
        NoticeKind::RiskAlertRaised | NoticeKind::DeadlineDue => None,
    }
}

/// Whether the members an `experts.*` action names as new are the whole committee (a
/// draw) or only who replaced a recused expert (`experts.recuse`).
pub fn only_replacements(action: AuditAction) -> bool {
    action == AuditAction::ExpertsRecuse
}

/// Where a reminded clock's subject stands when the reminder is about to go out (it may
/// have changed since the clocks were read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReminderStanding {
    /// A bond: `settled` when it was refunded or forfeited since, or is gone; `sealed`
    /// while its section's bidders are secret.
    Bond { settled: bool, sealed: bool },
    /// An objection: `answered` when it was answered since, or is gone.
    Objection { answered: bool },
    /// Any other clock's subject.
    Other,
}

/// A reminder to send: what it is about and who receives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReminderPlan {
    pub subject: NoticeSubject,
    pub audiences: &'static [Audience],
}

/// Whether the reminder `notice` ([`reminder`]) of a clock goes out, about what and to
/// whom: nothing once the bond is settled or the objection answered; before the opening
/// the centre (whose inbox all its staff read) is not told of a bond, though its bidder
/// is told of an overdue refund; an overdue refund goes to the bidder, any other reminder
/// to who owes the clock ([`owed_by`]).
pub fn plan_reminder(clock: ClockKind, notice: NoticeKind, standing: ReminderStanding) -> Option<ReminderPlan> {
    let subject = match (clock, standing) {
        (_, ReminderStanding::Bond { settled: true, .. } | ReminderStanding::Objection { answered: true }) => {
            return None
        }
        (_, ReminderStanding::Bond { sealed: true, .. }) if notice == NoticeKind::DeadlineDue => return None,
        (ClockKind::BondRefund, _) => NoticeSubject::Bond,
        (ClockKind::ComplaintAcceptance | ClockKind::ComplaintDecision, _) => NoticeSubject::Complaint,
        (ClockKind::ObjectionAnswer, _) => NoticeSubject::Objection,
        (ClockKind::ContractSigning | ClockKind::CandidatePublicity | ClockKind::DirectAwardPublicity, _) => {
            NoticeSubject::Section
        }
    };
    let audiences: &'static [Audience] =
        if notice == NoticeKind::RefundOverdue { &[Audience::BondHolder] } else { owed_by(clock) };
    Some(ReminderPlan { subject, audiences })
}

/// What a running clock calls for now: a reminder to whoever owes it while it runs out
/// within one working day (by the end of the next working day, Beijing time), a notice to
/// the bidder once a bond's refund is overdue, nothing otherwise.
pub fn reminder(
    calendar: &WorkingCalendar,
    kind: ClockKind,
    due: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Option<NoticeKind>, CalendarError> {
    if now >= due {
        return Ok((kind == ClockKind::BondRefund).then_some(NoticeKind::RefundOverdue));
    }
    if owed_by(kind).is_empty() {
        return Ok(None);
    }
    let next_working_day = calendar.add_working_days(ggzy_kernel::local_date(now), 1)?;
    Ok((due <= ggzy_kernel::end_of_local_day(next_working_day)).then_some(NoticeKind::DeadlineDue))
}

/// Whether the webhook subscribers (other district systems) get a copy of a notice. Their
/// copy names its recipient, so a notice whose recipient may be a bidder is withheld while
/// any section of the project is still sealed (招标投标法 §22: nobody learns who takes part
/// before the opening), and the committee's names never leave (§37: secret until the result
/// is settled).
pub fn to_subscribers(kind: NoticeKind, bidders_secret: bool) -> bool {
    match kind {
        NoticeKind::CommitteeDrawn => false,
        NoticeKind::QuestionAnswered
        | NoticeKind::ObjectionAnswered
        | NoticeKind::RefundInstructed
        | NoticeKind::RefundPosted
        | NoticeKind::RefundOverdue
        | NoticeKind::BondForfeited
        | NoticeKind::ComplaintReviewed
        | NoticeKind::ComplaintDecided
        | NoticeKind::DeadlineDue => !bidders_secret,
        NoticeKind::QuestionAsked
        | NoticeKind::ObjectionRaised
        | NoticeKind::ComplaintFiled
        | NoticeKind::OpeningHeld
        | NoticeKind::CandidatesPublished
        | NoticeKind::AwardMade
        | NoticeKind::RiskAlertRaised => true,
    }
}

/// What a notice is about, as the service knows it, to link to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subject<'a> {
    pub project_id: Option<&'a str>,
    pub section_id: Option<&'a str>,
    /// The record itself: question, objection, bond, complaint, draw, alert or the clock's
    /// subject.
    pub object_id: &'a str,
}

/// The API path that shows what the notice is about, to the party that receives it.
pub fn link(kind: NoticeKind, clock: Option<ClockKind>, subject: Subject<'_>) -> Option<String> {
    let project = |path: &str| subject.project_id.map(|p| format!("/api/v1/projects/{p}/{path}"));
    let section = |path: &str| subject.section_id.map(|s| format!("/api/v1/public/sections/{s}/{path}"));
    let id = subject.object_id;
    match kind {
        NoticeKind::QuestionAsked => project("questions"),
        NoticeKind::ObjectionRaised | NoticeKind::ObjectionAnswered => project("objections"),
        NoticeKind::QuestionAnswered => subject.project_id.map(|p| format!("/api/v1/public/projects/{p}/answers")),
        NoticeKind::OpeningHeld => section("opening-record"),
        NoticeKind::CandidatesPublished | NoticeKind::AwardMade => section("result"),
        NoticeKind::RefundInstructed
        | NoticeKind::RefundPosted
        | NoticeKind::RefundOverdue
        | NoticeKind::BondForfeited => Some(format!("/api/v1/bonds/{id}")),
        NoticeKind::ComplaintFiled | NoticeKind::ComplaintReviewed | NoticeKind::ComplaintDecided => {
            Some(format!("/api/v1/complaints/{id}"))
        }
        NoticeKind::CommitteeDrawn => Some("/api/v1/experts/me/committees".to_owned()),
        NoticeKind::RiskAlertRaised => Some(format!("/api/v1/risk/alerts/{id}")),
        NoticeKind::DeadlineDue => match clock? {
            ClockKind::ObjectionAnswer => project("objections"),
            ClockKind::ComplaintAcceptance | ClockKind::ComplaintDecision => Some(format!("/api/v1/complaints/{id}")),
            ClockKind::BondRefund => Some(format!("/api/v1/bonds/{id}")),
            ClockKind::ContractSigning => section("result"),
            ClockKind::CandidatePublicity | ClockKind::DirectAwardPublicity => None,
        },
    }
}

closed_enum! {
    /// Where one delivery of a notification to a webhook subscriber stands
    /// (`webhook_deliveries.status`).
    pub enum DeliveryStatus {
        /// Not yet taken; sent when its next attempt is due.
        Pending = "pending",
        /// The subscriber answered with a 2xx.
        Delivered = "delivered",
        /// Given up after [`MAX_DELIVERY_ATTEMPTS`] failed attempts.
        Failed = "failed",
    }
}

/// After this many failed attempts a delivery is given up.
pub const MAX_DELIVERY_ATTEMPTS: i32 = 10;

/// The longest wait between two attempts of a delivery, in seconds.
const MAX_RETRY_WAIT_SECONDS: i64 = 3600;

/// What one attempt of a delivery leaves on record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptRecord {
    pub status: DeliveryStatus,
    /// Attempts made, this one included.
    pub attempts: i32,
    /// When it is tried again (a delivered or failed delivery is not).
    pub next_attempt_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

/// The record of an attempt made at `now` after `earlier_attempts` others: a delivery taken
/// is done; a failure waits 2^attempts seconds (at most an hour) so that a subscriber that
/// is down is not hammered, and after [`MAX_DELIVERY_ATTEMPTS`] the delivery is given up.
pub fn after_attempt(earlier_attempts: i32, outcome: Result<(), String>, now: DateTime<Utc>) -> AttemptRecord {
    let attempts = earlier_attempts.saturating_add(1);
    match outcome {
        Ok(()) => AttemptRecord {
            status: DeliveryStatus::Delivered,
            attempts,
            next_attempt_at: now,
            delivered_at: Some(now),
            last_error: None,
        },
        Err(error) => {
            let wait = 2_i64.saturating_pow(u32::try_from(attempts).unwrap_or(12)).min(MAX_RETRY_WAIT_SECONDS);
            AttemptRecord {
                status: if attempts >= MAX_DELIVERY_ATTEMPTS {
                    DeliveryStatus::Failed
                } else {
                    DeliveryStatus::Pending
                },
                attempts,
                next_attempt_at: now + chrono::Duration::seconds(wait),
                delivered_at: None,
                last_error: Some(error),
            }
        }
    }
}

/// The position cursor and page size of a feed read in commit order (the public events,
/// the OCDS releases): `after` a non-negative position (0 when absent), `limit` 1 to 200
/// (default 100); both problems named at once, the cursor's with `cursor_message`.
pub fn position_page(
    after: Option<&str>,
    limit: Option<u32>,
    cursor_message: &str,
) -> Result<(i64, u32), Vec<FieldError>> {
    let mut problems = Vec::new();
    let after = match after {
        None => 0,
        Some(text) => match text.parse::<i64>() {
            Ok(position) if position >= 0 => position,
            _ => {
                problems.push(FieldError::new("after", "invalid_cursor", cursor_message));
                0
            }
        },
    };
    let limit = limit.unwrap_or(100);
    if !(1..=ggzy_kernel::PageRequest::MAX_LIMIT).contains(&limit) {
        problems.push(FieldError::new("limit", "out_of_range", "每页 1 至 200 条"));
    }
    if problems.is_empty() {
        Ok((after, limit))
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_notice_and_public_event_is_a_notification_kind_of_its_own_text() {
        for notice in NoticeKind::ALL {
            assert_eq!(NotificationKind::from(*notice).as_str(), notice.as_str());
        }
        for event in PublicEventType::ALL {
            assert_eq!(event.notification_kind().as_str(), format!("event:{}", event.as_str()));
        }
        // Every kind is one of them or one of the project's own notices.
        let own = 6;
        assert_eq!(NotificationKind::ALL.len(), own + NoticeKind::ALL.len() + PublicEventType::ALL.len());
    }

    #[test]
    fn audited_actions_make_their_public_events_with_routes() {
        assert_eq!(PublicEventType::of_action(AuditAction::SectionFail), Some(PublicEventType::OpeningRecorded));
        assert_eq!(PublicEventType::of_action(AuditAction::BidSubmit), None);
        assert_eq!(
            PublicEventType::AnnouncementCorrected.resource("a1", Some("p1")).as_deref(),
            Some("/api/v1/public/announcements/a1")
        );
        assert_eq!(
            PublicEventType::ClarificationAnswered.resource("q1", Some("p1")).as_deref(),
            Some("/api/v1/public/projects/p1/answers")
        );
        assert_eq!(PublicEventType::ClarificationAnswered.resource("q1", None), None);
        assert_eq!(PublicEventType::ProjectSuspended.resource("p1", Some("p1")), None);
        assert_eq!(
            PublicEventType::QuoteAccepted.resource("l1", None).as_deref(),
            Some("/api/v1/public/listings/l1/quotes")
        );
        // Every event but the opening's has exactly one action.
        let actions = [
            AuditAction::AnnouncementPublish,
            AuditAction::AnnouncementCorrect,
            AuditAction::QuestionAnswer,
            AuditAction::SectionOpen,
            AuditAction::EvaluationReport,
            AuditAction::SectionAward,
            AuditAction::SectionContract,
            AuditAction::ProjectReportDirectAward,
            AuditAction::ProjectSuspend,
            AuditAction::ProjectResume,
            AuditAction::ProjectTerminate,
            AuditAction::CreditRestrictionImpose,
            AuditAction::RuleSetPublish,
            AuditAction::ListingCreate,
            AuditAction::ListingQuote,
            AuditAction::ListingClose,
            AuditAction::ListingConfirm,
            AuditAction::ListingRefusal,
        ];
        let made: Vec<PublicEventType> = actions.iter().filter_map(|a| PublicEventType::of_action(*a)).collect();
        assert_eq!(made, PublicEventType::ALL);
    }
    use chrono::TimeZone;

    fn beijing(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        chrono::FixedOffset::east_opt(8 * 3600)
            .and_then(|tz| tz.with_ymd_and_hms(y, m, d, h, 0, 0).single())
            .map(|t| t.with_timezone(&Utc))
            .expect("a valid Beijing time")
    }

    fn calendar() -> WorkingCalendar {
        WorkingCalendar::official().expect("the official calendar loads")
    }

    #[test]
    fn every_action_that_asks_a_party_to_act_makes_a_notice() {
        let expected = [
            (AuditAction::QuestionAsk, NoticeKind::QuestionAsked),
            (AuditAction::ObjectionRaise, NoticeKind::ObjectionRaised),
            (AuditAction::QuestionAnswer, NoticeKind::QuestionAnswered),
            (AuditAction::ObjectionAnswer, NoticeKind::ObjectionAnswered),
            (AuditAction::SectionOpen, NoticeKind::OpeningHeld),
            (AuditAction::SectionFail, NoticeKind::OpeningHeld),
            (AuditAction::EvaluationReport, NoticeKind::CandidatesPublished),
            (AuditAction::SectionAward, NoticeKind::AwardMade),
            (AuditAction::BondRefundInstruct, NoticeKind::RefundInstructed),
            (AuditAction::BondRefundPosted, NoticeKind::RefundPosted),
            (AuditAction::ComplaintFile, NoticeKind::ComplaintFiled),
            (AuditAction::BondForfeit, NoticeKind::BondForfeited),
            (AuditAction::ComplaintAccept, NoticeKind::ComplaintReviewed),
            (AuditAction::ComplaintDecide, NoticeKind::ComplaintDecided),
            (AuditAction::ExpertsDraw, NoticeKind::CommitteeDrawn),
            (AuditAction::ExpertsRecuse, NoticeKind::CommitteeDrawn),
        ];
        for (action, kind) in expected {
            assert_eq!(on_action(action).map(|r| r.kind), Some(kind), "{action}");
        }
        // Acts whose news would name a bidder, or that nobody must answer, make none.
        for action in [
            AuditAction::BidSubmit,
            AuditAction::BidWithdraw,
            AuditAction::BondDeposit,
            AuditAction::BondRefundVoided,
            AuditAction::EvaluationScore,
        ] {
            assert_eq!(on_action(action), None, "{action}");
        }
    }

    #[test]
    fn answers_go_to_the_asker_and_filings_to_who_answers_and_who_watches() {
        let audiences = |action| on_action(action).map(|r| r.audiences.to_vec()).unwrap_or_default();
        assert_eq!(audiences(AuditAction::QuestionAsk), vec![Audience::ProjectOwners, Audience::Supervisor]);
        assert_eq!(audiences(AuditAction::ObjectionRaise), vec![Audience::ProjectOwners, Audience::Supervisor]);
        assert_eq!(audiences(AuditAction::ObjectionAnswer), vec![Audience::Asker]);
        assert_eq!(audiences(AuditAction::SectionAward), vec![Audience::SectionBidders]);
        assert_eq!(audiences(AuditAction::BondRefundPosted), vec![Audience::BondHolder]);
        assert_eq!(audiences(AuditAction::ComplaintDecide), vec![Audience::Complainant]);
    }

    #[test]
    fn who_owes_each_clock() {
        assert_eq!(owed_by(ClockKind::ObjectionAnswer), &[Audience::ProjectOwners]);
        assert_eq!(owed_by(ClockKind::ComplaintDecision), &[Audience::Supervisor]);
        assert_eq!(owed_by(ClockKind::BondRefund), &[Audience::Centre]);
        assert_eq!(owed_by(ClockKind::ContractSigning), &[Audience::ProjectOwners, Audience::Winner]);
        assert!(owed_by(ClockKind::CandidatePublicity).is_empty());
    }

    #[test]
    fn a_reminder_goes_to_who_owes_the_clock_unless_it_was_settled_since() {
        use ClockKind::*;
        use NoticeKind::{DeadlineDue, RefundOverdue};
        use ReminderStanding::*;
        let open_bond = Bond { settled: false, sealed: false };
        let sealed_bond = Bond { settled: false, sealed: true };
        type Planned = Option<(NoticeSubject, &'static [Audience])>;
        let table: &[(ClockKind, NoticeKind, ReminderStanding, Planned)] = &[
            (BondRefund, DeadlineDue, open_bond, Some((NoticeSubject::Bond, &[Audience::Centre]))),
            (BondRefund, RefundOverdue, open_bond, Some((NoticeSubject::Bond, &[Audience::BondHolder]))),
            (BondRefund, RefundOverdue, sealed_bond, Some((NoticeSubject::Bond, &[Audience::BondHolder]))),
            (BondRefund, DeadlineDue, sealed_bond, None),
            (BondRefund, RefundOverdue, Bond { settled: true, sealed: false }, None),
            (
                ObjectionAnswer,
                DeadlineDue,
                Objection { answered: false },
                Some((NoticeSubject::Objection, &[Audience::ProjectOwners])),
            ),
            (ObjectionAnswer, DeadlineDue, Objection { answered: true }, None),
            (ComplaintDecision, DeadlineDue, Other, Some((NoticeSubject::Complaint, &[Audience::Supervisor]))),
            (ComplaintAcceptance, DeadlineDue, Other, Some((NoticeSubject::Complaint, &[Audience::Supervisor]))),
            (
                ContractSigning,
                DeadlineDue,
                Other,
                Some((NoticeSubject::Section, &[Audience::ProjectOwners, Audience::Winner])),
            ),
            (DirectAwardPublicity, DeadlineDue, Other, Some((NoticeSubject::Section, &[]))),
        ];
        for (clock, notice, standing, expected) in table {
            let plan = plan_reminder(*clock, *notice, *standing).map(|p| (p.subject, p.audiences));
            assert_eq!(plan, *expected, "{clock:?} {notice:?} {standing:?}");
        }
    }

    #[test]
    fn a_notice_made_by_an_action_is_about_the_record_the_action_acted_on() {
        let table: &[(AuditAction, Option<NoticeSubject>)] = &[
            (AuditAction::QuestionAsk, Some(NoticeSubject::Question)),
            (AuditAction::ObjectionAnswer, Some(NoticeSubject::Objection)),
            (AuditAction::SectionFail, Some(NoticeSubject::Section)),
            (AuditAction::BondForfeit, Some(NoticeSubject::Bond)),
            (AuditAction::ComplaintDecide, Some(NoticeSubject::Complaint)),
            (AuditAction::ExpertsRecuse, Some(NoticeSubject::ExpertDraw)),
        ];
        for (action, subject) in table {
            let kind = on_action(*action).map(|rule| rule.kind);
            assert_eq!(kind.and_then(action_subject), *subject, "{action}");
        }
        assert_eq!(action_subject(NoticeKind::DeadlineDue), None);
        assert_eq!(action_subject(NoticeKind::RiskAlertRaised), None);
        assert!(only_replacements(AuditAction::ExpertsRecuse));
        assert!(!only_replacements(AuditAction::ExpertsDraw));
    }

    #[test]
    fn a_clock_is_reminded_of_from_the_working_day_before_its_last() {
        let calendar = calendar();
        // Due at the end of Mon 2026-12-28: on Fri 12-25 the next working day is Mon, so
        // it is reminded of; on Thu 12-24 it is not yet.
        let due = beijing(2026, 12, 29, 0);
        let remind = |now| reminder(&calendar, ClockKind::ContractSigning, due, now).expect("calendar covers 2026");
        assert_eq!(remind(beijing(2026, 12, 24, 17)), None);
        assert_eq!(remind(beijing(2026, 12, 25, 9)), Some(NoticeKind::DeadlineDue));
        assert_eq!(remind(beijing(2026, 12, 28, 23)), Some(NoticeKind::DeadlineDue));
        // Once due, only a bond's refund calls for a notice (to its bidder).
        assert_eq!(remind(due), None);
        assert_eq!(
            reminder(&calendar, ClockKind::BondRefund, due, due).expect("calendar"),
            Some(NoticeKind::RefundOverdue)
        );
        // A publicity period is owed by nobody.
        assert_eq!(reminder(&calendar, ClockKind::CandidatePublicity, due, beijing(2026, 12, 28, 9)).ok(), Some(None));
    }

    #[test]
    fn a_holiday_pushes_the_reminder_back() {
        // National Day 2026: Oct 1–7 are holidays, Sat Oct 10 a make-up working day. A clock
        // due at the end of Thu Oct 8 is reminded of on Wed Sep 30 (its next working day
        // is Oct 8), not earlier.
        let calendar = calendar();
        let due = beijing(2026, 10, 9, 0);
        let remind = |now| reminder(&calendar, ClockKind::ObjectionAnswer, due, now).expect("calendar");
        assert_eq!(remind(beijing(2026, 9, 29, 10)), None);
        assert_eq!(remind(beijing(2026, 9, 30, 10)), Some(NoticeKind::DeadlineDue));
    }

    #[test]
    fn subscribers_never_learn_a_bidder_before_the_opening_nor_the_committee() {
        // Kinds whose recipient is never a bidder still secret go out always.
        let always = [
            NoticeKind::QuestionAsked,
            NoticeKind::ObjectionRaised,
            NoticeKind::ComplaintFiled,
            NoticeKind::OpeningHeld,
            NoticeKind::CandidatesPublished,
            NoticeKind::AwardMade,
            NoticeKind::RiskAlertRaised,
        ];
        for kind in NoticeKind::ALL.iter().copied() {
            let committee = kind == NoticeKind::CommitteeDrawn;
            assert_eq!(to_subscribers(kind, false), !committee, "{kind} once every section is opened");
            assert_eq!(to_subscribers(kind, true), always.contains(&kind), "{kind} while a section is sealed");
        }
    }

    #[test]
    fn each_notice_links_to_what_it_is_about() {
        let subject = Subject { project_id: Some("p"), section_id: Some("s"), object_id: "o" };
        let link = |kind, clock| link(kind, clock, subject);
        assert_eq!(link(NoticeKind::QuestionAsked, None).as_deref(), Some("/api/v1/projects/p/questions"));
        assert_eq!(link(NoticeKind::QuestionAnswered, None).as_deref(), Some("/api/v1/public/projects/p/answers"));
        assert_eq!(link(NoticeKind::OpeningHeld, None).as_deref(), Some("/api/v1/public/sections/s/opening-record"));
        assert_eq!(link(NoticeKind::AwardMade, None).as_deref(), Some("/api/v1/public/sections/s/result"));
        assert_eq!(link(NoticeKind::RefundOverdue, None).as_deref(), Some("/api/v1/bonds/o"));
        assert_eq!(link(NoticeKind::ComplaintDecided, None).as_deref(), Some("/api/v1/complaints/o"));
        assert_eq!(
            link(NoticeKind::DeadlineDue, Some(ClockKind::ObjectionAnswer)).as_deref(),
            Some("/api/v1/projects/p/objections")
        );
        assert_eq!(link(NoticeKind::DeadlineDue, None), None);
    }

    #[test]
    fn a_failed_delivery_waits_longer_each_time_and_is_given_up_at_the_limit() {
        let now = Utc.with_ymd_and_hms(2026, 11, 2, 8, 0, 0).unwrap();
        let first = after_attempt(0, Err("503".into()), now);
        assert_eq!(first.status, DeliveryStatus::Pending);
        assert_eq!(first.attempts, 1);
        assert_eq!(first.next_attempt_at, now + chrono::Duration::seconds(2));
        assert_eq!(first.last_error.as_deref(), Some("503"));
        let fifth = after_attempt(4, Err("timeout".into()), now);
        assert_eq!(fifth.next_attempt_at, now + chrono::Duration::seconds(32));
        // 2^12 seconds would exceed an hour: the wait is capped.
        let ninth = after_attempt(8, Err("timeout".into()), now);
        assert_eq!((ninth.status, ninth.attempts), (DeliveryStatus::Pending, 9));
        let tenth = after_attempt(9, Err("timeout".into()), now);
        assert_eq!((tenth.status, tenth.attempts), (DeliveryStatus::Failed, MAX_DELIVERY_ATTEMPTS));
        assert_eq!(after_attempt(20, Err("x".into()), now).next_attempt_at, now + chrono::Duration::seconds(3600));
    }

    #[test]
    fn a_delivery_taken_is_done_whatever_failed_before() {
        let now = Utc.with_ymd_and_hms(2026, 11, 2, 8, 0, 0).unwrap();
        let taken = after_attempt(3, Ok(()), now);
        assert_eq!(
            taken,
            AttemptRecord {
                status: DeliveryStatus::Delivered,
                attempts: 4,
                next_attempt_at: now,
                delivered_at: Some(now),
                last_error: None
            }
        );
    }

    fn page_problems(after: Option<&str>, limit: Option<u32>) -> Vec<(String, String)> {
        match position_page(after, limit, "游标无效") {
            Ok(_) => Vec::new(),
            Err(problems) => problems.into_iter().map(|e| (e.field, e.code)).collect(),
        }
    }

    #[test]
    fn a_feed_page_starts_at_the_beginning_with_a_hundred_by_default() {
        assert_eq!(position_page(None, None, "m"), Ok((0, 100)));
        assert_eq!(position_page(Some("17"), Some(1), "m"), Ok((17, 1)));
        assert_eq!(position_page(Some("0"), Some(200), "m"), Ok((0, 200)));
    }

    #[test]
    fn a_bad_cursor_and_a_bad_limit_are_refused_together() {
        let both = page_problems(Some("-1"), Some(0));
        assert_eq!(
            both,
            vec![("after".to_owned(), "invalid_cursor".to_owned()), ("limit".to_owned(), "out_of_range".to_owned())]
        );
        assert_eq!(page_problems(Some("abc"), None), vec![("after".to_owned(), "invalid_cursor".to_owned())]);
        assert_eq!(page_problems(None, Some(201)), vec![("limit".to_owned(), "out_of_range".to_owned())]);
        let refused = position_page(Some("x"), None, "游标应为此前返回的 cursor").unwrap_err();
        assert_eq!(refused[0].message, "游标应为此前返回的 cursor");
    }

    fn parties() -> NoticeParties {
        NoticeParties {
            owners: vec!["t".into(), "agency".into()],
            supervisor: "reg".into(),
            asker: Some("b1".into()),
            bond_holder: Some("b2".into()),
            complainant: Some("b3".into()),
            new_members: vec!["e1".into(), "e2".into()],
            section_bidders: vec!["b1".into(), "b2".into(), "b4".into()],
            winner: Some("b4".into()),
        }
    }

    #[test]
    fn each_audience_names_its_parties_in_order_and_each_inbox_once() {
        use Audience::*;
        let table: &[(&[Audience], &[&str])] = &[
            (&[ProjectOwners, Supervisor], &["t", "agency", "reg"]),
            (&[Asker, SectionBidders], &["b1", "b2", "b4"]),
            (&[BondHolder, Centre], &["b2", "centre"]),
            (&[Complainant, Supervisor, Supervisor], &["b3", "reg"]),
            (&[NewCommitteeMembers], &["e1", "e2"]),
            (&[Winner, ProjectOwners], &["b4", "t", "agency"]),
            (&[], &[]),
        ];
        for (audiences, told) in table {
            let told: Vec<String> = told.iter().map(|s| (*s).to_owned()).collect();
            assert_eq!(recipients(audiences, &parties()), told, "{audiences:?}");
        }
        // Parties not loaded (no project, no section) are told nothing.
        let bare = NoticeParties { supervisor: "gongguanban".into(), ..NoticeParties::default() };
        assert_eq!(recipients(&[ProjectOwners, Asker, Winner, Supervisor], &bare), vec!["gongguanban".to_owned()]);
    }

    proptest::proptest! {
        #[test]
        fn recipients_are_distinct_and_each_is_a_party_of_an_audience(picks in proptest::collection::vec(0_usize..9, 0..12)) {
            use Audience::*;
            const ALL: [Audience; 9] =
                [ProjectOwners, Supervisor, Asker, SectionBidders, BondHolder, Complainant, NewCommitteeMembers, Centre, Winner];
            let audiences: Vec<Audience> = picks.iter().map(|i| ALL[*i]).collect();
            let told = recipients(&audiences, &parties());
            let mut distinct = told.clone();
            distinct.sort();
            distinct.dedup();
            proptest::prop_assert_eq!(distinct.len(), told.len());
            for audience in &audiences {
                for party in recipients(&[*audience], &parties()) {
                    proptest::prop_assert!(told.contains(&party));
                }
            }
            for party in &told {
                proptest::prop_assert!(audiences.iter().any(|a| recipients(&[*a], &parties()).contains(party)));
            }
        }
    }
}
