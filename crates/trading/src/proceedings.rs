//! The running of a project around its tender: questions about the tender documents and
//! their answers (答疑) before the clarification limit, rooms and their bookings (场地安排), and suspension and resumption
//! (暂停、恢复). The requests are read here, every problem named at once
//! (registration.one_time_notice), and the choices that need no stored data are made here.

use chrono::{DateTime, Utc};
use ggzy_kernel::validation::read;
use ggzy_kernel::{closed_enum, FieldError, WorkingCalendar};
use ggzy_rules::{rule_ids, Category, DeadlineError, RuleSet};
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AskQuestion {
    #[schema(required = true, value_type = String)]
    pub question: Option<String>,
}

/// Reads a question about the tender documents.
pub fn read_question(request: AskQuestion) -> Result<String, Vec<FieldError>> {
    let mut problems = Vec::new();
    read::required_text(&mut problems, "question", request.question, 2000).ok_or(problems)
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerQuestion {
    #[schema(required = true, value_type = String)]
    pub answer: Option<String>,
}

/// Reads the answer to a question.
pub fn read_answer(request: AnswerQuestion) -> Result<String, Vec<FieldError>> {
    let mut problems = Vec::new();
    read::required_text(&mut problems, "answer", request.answer, 5000).ok_or(problems)
}

closed_enum! {
    /// The kind of a room (场地).
    pub enum VenueKind {
        /// 开标室
        OpeningRoom = "opening_room",
        /// 评标室 (evaluation only)
        EvaluationRoom = "evaluation_room",
        /// 谈判室
        NegotiationRoom = "negotiation_room",
        /// 竞价室
        BiddingRoom = "bidding_room",
        /// 拍卖厅
        AuctionHall = "auction_hall",
    }
}

closed_enum! {
    /// What a booking is for.
    pub enum BookingPurpose {
        Opening = "opening",
        Evaluation = "evaluation",
        Negotiation = "negotiation",
        Bidding = "bidding",
        Auction = "auction",
    }
}

impl VenueKind {
    /// The one purpose each kind of room serves; evaluation rooms only for evaluation.
    pub fn serves(self) -> BookingPurpose {
        match self {
            VenueKind::OpeningRoom => BookingPurpose::Opening,
            VenueKind::EvaluationRoom => BookingPurpose::Evaluation,
            VenueKind::NegotiationRoom => BookingPurpose::Negotiation,
            VenueKind::BiddingRoom => BookingPurpose::Bidding,
            VenueKind::AuctionHall => BookingPurpose::Auction,
        }
    }

    /// A room is booked only for what it serves.
    pub fn check_purpose(self, purpose: BookingPurpose) -> Result<(), FieldError> {
        if self.serves() == purpose {
            Ok(())
        } else {
            Err(FieldError::new("purpose", "wrong_room", "该场地不用于此用途（评标室仅用于评标）"))
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewVenue {
    #[schema(required = true, value_type = String, example = "开标一室")]
    pub name: Option<String>,
    #[schema(required = true, value_type = VenueKind)]
    pub kind: Option<VenueKind>,
}

/// Reads a new room: its name and kind.
pub fn read_venue(request: NewVenue) -> Result<(String, VenueKind), Vec<FieldError>> {
    let mut problems = Vec::new();
    let name = read::required_text(&mut problems, "name", request.name, 50);
    let kind = read::required(&mut problems, "kind", request.kind);
    match (name, kind) {
        (Some(name), Some(kind)) if problems.is_empty() => Ok((name, kind)),
        _ => Err(problems),
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookVenue {
    #[schema(required = true, value_type = String, format = Uuid)]
    pub project_id: Option<String>,
    #[schema(required = true, value_type = BookingPurpose)]
    pub purpose: Option<BookingPurpose>,
    #[schema(required = true, value_type = DateTime<Utc>)]
    pub starts_at: Option<DateTime<Utc>>,
    #[schema(required = true, value_type = DateTime<Utc>)]
    pub ends_at: Option<DateTime<Utc>>,
}

/// A booking, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingValues {
    pub project_id: String,
    pub purpose: BookingPurpose,
    pub starts_at: DateTime<Utc>,
    /// After `starts_at`.
    pub ends_at: DateTime<Utc>,
}

/// Reads a booking: a project, a purpose and a period that ends after it starts.
pub fn read_booking(request: BookVenue) -> Result<BookingValues, Vec<FieldError>> {
    let mut problems = Vec::new();
    let project_id = read::required(&mut problems, "project_id", request.project_id);
    let purpose = read::required(&mut problems, "purpose", request.purpose);
    let starts_at = read::required(&mut problems, "starts_at", request.starts_at);
    let ends_at = read::required(&mut problems, "ends_at", request.ends_at);
    if let (Some(starts), Some(ends)) = (starts_at, ends_at) {
        if ends <= starts {
            problems.push(FieldError::new("ends_at", "not_after_start", "结束时间须晚于开始时间"));
        }
    }
    match (project_id, purpose, starts_at, ends_at) {
        (Some(project_id), Some(purpose), Some(starts_at), Some(ends_at)) if problems.is_empty() => {
            Ok(BookingValues { project_id, purpose, starts_at, ends_at })
        }
        _ => Err(problems),
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StateChange {
    /// Why (the order, the force majeure, the objection…).
    #[schema(required = true, value_type = String)]
    pub reason: Option<String>,
}

/// Reads the reason of a suspension, a resumption or a termination.
pub fn read_reason(request: StateChange) -> Result<String, Vec<FieldError>> {
    let mut problems = Vec::new();
    read::required_text(&mut problems, "reason", request.reason, 500).ok_or(problems)
}

/// Why a project cannot resume.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResumeRefusal {
    /// Nothing is suspended.
    NotSuspended,
    /// A regulator ordered the suspension; only a regulator lifts it.
    RegulatorOnly,
}

impl ResumeRefusal {
    pub fn detail(self) -> &'static str {
        match self {
            ResumeRefusal::NotSuspended => "项目未暂停",
            ResumeRefusal::RegulatorOnly => "监管部门责令的暂停只能由监管部门解除",
        }
    }
}

/// Whether a project resumes: `suspended_by_regulator` is `None` when no suspension is
/// open, otherwise whether a regulator ordered it; `by_regulator` says who resumes.
pub fn may_resume(suspended_by_regulator: Option<bool>, by_regulator: bool) -> Result<(), ResumeRefusal> {
    match suspended_by_regulator {
        None => Err(ResumeRefusal::NotSuspended),
        Some(true) if !by_regulator => Err(ResumeRefusal::RegulatorOnly),
        Some(_) => Ok(()),
    }
}

/// The clarification rule of a project's category: procurement's, or construction's for
/// every other tender.
pub fn clarification_rule(category: Category) -> &'static str {
    if category == Category::Procurement {
        rule_ids::PROCUREMENT_CLARIFICATION
    } else {
        rule_ids::CONSTRUCTION_CLARIFICATION
    }
}

/// Why the tender documents can no longer be clarified without moving the deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClarificationRefusal {
    /// The limit counted back from the deadline has come: `amount` days before it, by `rule`
    /// (`source`); later clarifications need a correction that moves the deadline.
    Closed { rule: &'static str, amount: u32, source: String },
    /// The limit could not be counted (no such rule in the set, or a year out of the
    /// calendar's range).
    Uncounted(DeadlineError),
}

/// Whether questions can still be asked and answered at `now`: strictly before the
/// clarification limit counted back from the bid deadline.
pub fn clarification_open(
    category: Category,
    bid_deadline: DateTime<Utc>,
    rule_set: &RuleSet,
    calendar: &WorkingCalendar,
    now: DateTime<Utc>,
) -> Result<(), ClarificationRefusal> {
    let rule = clarification_rule(category);
    let limit = rule_set.due(rule, bid_deadline, calendar).map_err(ClarificationRefusal::Uncounted)?;
    if limit.is_on_time(now) {
        Ok(())
    } else {
        Err(ClarificationRefusal::Closed { rule, amount: limit.amount, source: limit.source })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(errors: Vec<FieldError>) -> Vec<(String, String)> {
        errors.into_iter().map(|e| (e.field, e.code)).collect()
    }

    fn pair(field: &str, code: &str) -> (String, String) {
        (field.to_owned(), code.to_owned())
    }

    #[test]
    fn each_room_serves_one_purpose() {
        for kind in VenueKind::ALL {
            for purpose in BookingPurpose::ALL {
                assert_eq!(kind.check_purpose(*purpose).is_ok(), kind.serves() == *purpose);
            }
        }
        assert_eq!(VenueKind::EvaluationRoom.serves(), BookingPurpose::Evaluation);
        let refused = VenueKind::EvaluationRoom.check_purpose(BookingPurpose::Opening).unwrap_err();
        assert_eq!((refused.field.as_str(), refused.code.as_str()), ("purpose", "wrong_room"));
        // Every purpose has its room.
        for purpose in BookingPurpose::ALL {
            assert!(VenueKind::ALL.iter().any(|k| k.serves() == *purpose), "{purpose:?}");
        }
    }

    #[test]
    fn a_booking_ends_after_it_starts_and_names_every_problem() {
        let at = |h| DateTime::parse_from_rfc3339(&format!("2026-09-01T{h:02}:00:00Z")).unwrap().with_timezone(&Utc);
        let backwards = BookVenue { project_id: None, purpose: None, starts_at: Some(at(10)), ends_at: Some(at(10)) };
        assert_eq!(
            codes(read_booking(backwards).unwrap_err()),
            [pair("project_id", "required"), pair("purpose", "required"), pair("ends_at", "not_after_start")]
        );
        let booking = BookVenue {
            project_id: Some("p".into()),
            purpose: Some(BookingPurpose::Opening),
            starts_at: Some(at(9)),
            ends_at: Some(at(10)),
        };
        assert_eq!(read_booking(booking).unwrap().ends_at, at(10));
    }

    #[test]
    fn texts_are_read_within_their_lengths() {
        assert_eq!(read_question(AskQuestion { question: Some(" 工期？ ".into()) }).unwrap(), "工期？");
        assert_eq!(
            codes(read_question(AskQuestion { question: Some("问".repeat(2001)) }).unwrap_err()),
            [pair("question", "too_long")]
        );
        assert!(read_answer(AnswerQuestion { answer: Some("答".repeat(5000)) }).is_ok());
        assert_eq!(codes(read_answer(AnswerQuestion::default()).unwrap_err()), [pair("answer", "required")]);
        assert_eq!(
            codes(read_reason(StateChange { reason: Some("\u{0}".into()) }).unwrap_err()),
            [pair("reason", "control_character")]
        );
        assert_eq!(
            codes(read_venue(NewVenue { name: None, kind: None }).unwrap_err()),
            [pair("name", "required"), pair("kind", "required")]
        );
    }

    #[test]
    fn a_regulator_s_suspension_is_lifted_by_a_regulator_only() {
        assert_eq!(may_resume(None, true), Err(ResumeRefusal::NotSuspended));
        assert_eq!(may_resume(Some(true), false), Err(ResumeRefusal::RegulatorOnly));
        assert_eq!(may_resume(Some(true), true), Ok(()));
        assert_eq!(may_resume(Some(false), false), Ok(()));
        assert_eq!(may_resume(Some(false), true), Ok(()));
    }

    #[test]
    fn questions_close_at_the_clarification_limit_before_the_deadline() {
        use chrono::TimeZone;
        let rule_set = RuleSet::seed();
        let calendar = WorkingCalendar::official().unwrap();
        let deadline = Utc.with_ymd_and_hms(2026, 12, 28, 2, 0, 0).unwrap();
        for (category, rule) in [
            (Category::Procurement, rule_ids::PROCUREMENT_CLARIFICATION),
            (Category::Construction, rule_ids::CONSTRUCTION_CLARIFICATION),
        ] {
            let limit = rule_set.due(rule, deadline, &calendar).unwrap();
            let before = limit.due - chrono::Duration::seconds(1);
            assert_eq!(clarification_open(category, deadline, &rule_set, &calendar, before), Ok(()));
            assert_eq!(
                clarification_open(category, deadline, &rule_set, &calendar, limit.due),
                Err(ClarificationRefusal::Closed { rule, amount: limit.amount, source: limit.source.clone() })
            );
        }
        let empty = RuleSet { time_limits: Vec::new(), ..RuleSet::seed() };
        assert!(matches!(
            clarification_open(Category::Construction, deadline, &empty, &calendar, deadline),
            Err(ClarificationRefusal::Uncounted(DeadlineError::UnknownRule(_)))
        ));
    }
}
