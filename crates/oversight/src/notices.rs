//! Who must act on or learn of what. Every change a party must answer or should know of
//! (a question or objection filed, its answer, the opening, the candidates, the award, a
//! bond's refund, a complaint's acceptance and decision, a committee drawn, a risk alert, a
//! clock about to run out) becomes a notice in the inboxes of the parties named here. The
//! service resolves each [`Audience`] to inboxes; which audiences, which kinds, when a clock
//! is reminded of and what the webhook subscribers may see are decided here, without I/O.

use chrono::{DateTime, Utc};
use ggzy_kernel::{closed_enum, CalendarError, WorkingCalendar};

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

/// The notice an audited action makes: its kind and who receives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoticeRule {
    pub kind: NoticeKind,
    pub audiences: &'static [Audience],
}

/// The notice an audited action (`question.ask`, `section.award`, …) makes, if it makes one.
pub fn on_action(action: &str) -> Option<NoticeRule> {
    use Audience::*;
    let (kind, audiences): (NoticeKind, &'static [Audience]) = match action {
        "question.ask" => (NoticeKind::QuestionAsked, &[ProjectOwners, Supervisor]),
        "objection.raise" => (NoticeKind::ObjectionRaised, &[ProjectOwners, Supervisor]),
        "question.answer" => (NoticeKind::QuestionAnswered, &[Asker]),
        "objection.answer" => (NoticeKind::ObjectionAnswered, &[Asker]),
        "section.open" | "section.fail" => (NoticeKind::OpeningHeld, &[SectionBidders]),
        "evaluation.report" => (NoticeKind::CandidatesPublished, &[SectionBidders]),
        "section.award" => (NoticeKind::AwardMade, &[SectionBidders]),
        "bond.refund_instruct" => (NoticeKind::RefundInstructed, &[BondHolder]),
        "bond.refund_posted" => (NoticeKind::RefundPosted, &[BondHolder]),
        "complaint.file" => (NoticeKind::ComplaintFiled, &[Supervisor]),
        "bond.forfeit" => (NoticeKind::BondForfeited, &[BondHolder]),
        "complaint.accept" => (NoticeKind::ComplaintReviewed, &[Complainant]),
        "complaint.decide" => (NoticeKind::ComplaintDecided, &[Complainant]),
        "experts.draw" | "experts.recuse" => (NoticeKind::CommitteeDrawn, &[NewCommitteeMembers]),
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

#[cfg(test)]
mod tests {
    use super::*;
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
            ("question.ask", NoticeKind::QuestionAsked),
            ("objection.raise", NoticeKind::ObjectionRaised),
            ("question.answer", NoticeKind::QuestionAnswered),
            ("objection.answer", NoticeKind::ObjectionAnswered),
            ("section.open", NoticeKind::OpeningHeld),
            ("section.fail", NoticeKind::OpeningHeld),
            ("evaluation.report", NoticeKind::CandidatesPublished),
            ("section.award", NoticeKind::AwardMade),
            ("bond.refund_instruct", NoticeKind::RefundInstructed),
            ("bond.refund_posted", NoticeKind::RefundPosted),
            ("complaint.file", NoticeKind::ComplaintFiled),
            ("bond.forfeit", NoticeKind::BondForfeited),
            ("complaint.accept", NoticeKind::ComplaintReviewed),
            ("complaint.decide", NoticeKind::ComplaintDecided),
            ("experts.draw", NoticeKind::CommitteeDrawn),
            ("experts.recuse", NoticeKind::CommitteeDrawn),
        ];
        for (action, kind) in expected {
            assert_eq!(on_action(action).map(|r| r.kind), Some(kind), "{action}");
        }
        // Acts whose news would name a bidder, or that nobody must answer, make none.
        for action in ["bid.submit", "bid.withdraw", "bond.deposit", "bond.refund_voided", "evaluation.score", "x"] {
            assert_eq!(on_action(action), None, "{action}");
        }
    }

    #[test]
    fn answers_go_to_the_asker_and_filings_to_who_answers_and_who_watches() {
        let audiences = |action| on_action(action).map(|r| r.audiences.to_vec()).unwrap_or_default();
        assert_eq!(audiences("question.ask"), vec![Audience::ProjectOwners, Audience::Supervisor]);
        assert_eq!(audiences("objection.raise"), vec![Audience::ProjectOwners, Audience::Supervisor]);
        assert_eq!(audiences("objection.answer"), vec![Audience::Asker]);
        assert_eq!(audiences("section.award"), vec![Audience::SectionBidders]);
        assert_eq!(audiences("bond.refund_posted"), vec![Audience::BondHolder]);
        assert_eq!(audiences("complaint.decide"), vec![Audience::Complainant]);
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
}
