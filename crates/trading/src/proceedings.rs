//! The running of a project around its tender: questions about the tender documents and
//! their answers (答疑) before the clarification limit, rooms and their bookings (场地安排), and suspension and resumption
//! (暂停、恢复). The requests are read here, every problem named at once
//! (registration.one_time_notice), and the choices that need no stored data are made here.

use chrono::{DateTime, Utc};
use ggzy_kernel::validation::read;
use ggzy_kernel::{closed_enum, Answer, FieldError, WorkingCalendar};
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
    /// Whether the caller may not lift this suspension at all, rather than there being
    /// nothing to lift.
    pub fn forbids(self) -> bool {
        self == ResumeRefusal::RegulatorOnly
    }

    pub fn detail(self) -> &'static str {
        match self {
            ResumeRefusal::NotSuspended => "项目未暂停",
            ResumeRefusal::RegulatorOnly => "监管部门责令的暂停只能由监管部门解除",
        }
    }

    /// How the refusal is answered: a bar on the tenderer, or a conflict with the project's state.
    pub fn answer(self) -> ggzy_kernel::Answer {
        match self.forbids() {
            true => ggzy_kernel::Answer::forbidden(self.detail()),
            false => ggzy_kernel::Answer::Conflict(self.detail().into()),
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

impl ClarificationRefusal {
    /// A closed limit is its rule's refusal, telling how to clarify later; a limit not
    /// counted is the deadline's own answer.
    pub fn answer(self) -> Answer {
        match self {
            ClarificationRefusal::Closed { rule, amount, source } => Answer::Rule {
                rule,
                detail: format!(
                    "澄清须在投标截止时间至少 {amount} 日前作出（{source}）；此后的澄清须以更正公告顺延投标截止时间"
                ),
                problems: vec![],
            },
            ClarificationRefusal::Uncounted(error) => Answer::from(error),
        }
    }
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

/// Why a room is not booked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BookingRefusal {
    /// The room does not serve the purpose ([`VenueKind::check_purpose`]).
    WrongRoom(FieldError),
    /// The project named does not exist.
    UnknownProject,
    /// The room is booked from `starts_at` to `ends_at`, overlapping the period asked.
    Taken { starts_at: DateTime<Utc>, ends_at: DateTime<Utc> },
}

impl BookingRefusal {
    /// The problem of a request field (a wrong room, an unknown project); `None` for a
    /// room already taken, which is a conflict.
    pub fn to_field_error(&self) -> Option<FieldError> {
        match self {
            BookingRefusal::WrongRoom(problem) => Some(problem.clone()),
            BookingRefusal::UnknownProject => Some(FieldError::new("project_id", "unknown_project", "项目不存在")),
            BookingRefusal::Taken { .. } => None,
        }
    }

    /// What the caller is told of a room already taken (Beijing time).
    pub fn detail(&self) -> String {
        match self {
            BookingRefusal::Taken { starts_at, ends_at } => format!(
                "该时段已被预约（{} 至 {}）",
                ggzy_kernel::beijing_text(*starts_at),
                ggzy_kernel::beijing_text(*ends_at)
            ),
            other => other.to_field_error().map(|p| p.message).unwrap_or_default(),
        }
    }

    /// How the refusal is told: the field at fault, or the booking in the way.
    pub fn answer(&self) -> Answer {
        match self.to_field_error() {
            Some(problem) => Answer::Invalid(vec![problem]),
            None => Answer::Conflict(self.detail()),
        }
    }
}

/// Whether a room of `kind` is booked for `purpose` on a project (`project_known`) when
/// `clashes` are the room's bookings overlapping the period, in their order: the room's
/// purpose first, then the project, then the first clash.
pub fn may_book(
    kind: VenueKind,
    purpose: BookingPurpose,
    project_known: bool,
    clashes: &[(DateTime<Utc>, DateTime<Utc>)],
) -> Result<(), BookingRefusal> {
    kind.check_purpose(purpose).map_err(BookingRefusal::WrongRoom)?;
    if !project_known {
        return Err(BookingRefusal::UnknownProject);
    }
    if let Some((starts_at, ends_at)) = clashes.first() {
        return Err(BookingRefusal::Taken { starts_at: *starts_at, ends_at: *ends_at });
    }
    Ok(())
}

/// Who is told of a project's suspension, resumption or termination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Concerned {
    /// Its tenderer, the centre, its agencies and its regulator, sorted, once each.
    pub parties: Vec<String>,
    /// The bidders holding a bond on it who are not among the parties, sorted, once each.
    pub bidders: Vec<String>,
    /// Whether the bidders' copies also go to webhook subscribers: not while a section is
    /// sealed, since a subscriber's copy names its recipient (招标投标法 §22).
    pub bidders_to_subscribers: bool,
}

/// Everyone concerned with a project: its parties and the bidders with a bond on it.
pub fn concerned(
    tenderer_id: &str,
    agencies: Vec<String>,
    regulator_id: Option<&str>,
    mut bidders: Vec<String>,
    sealed: bool,
) -> Concerned {
    let mut parties = vec![tenderer_id.to_owned(), "centre".to_owned()];
    parties.extend(agencies);
    parties.extend(regulator_id.map(str::to_owned));
    parties.sort();
    parties.dedup();
    bidders.sort();
    bidders.dedup();
    bidders.retain(|b| !parties.contains(b));
    Concerned { parties, bidders, bidders_to_subscribers: !sealed }
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
        assert!(!ResumeRefusal::NotSuspended.forbids());
        assert!(may_resume(Some(true), false).is_err_and(ResumeRefusal::forbids));
        assert_eq!(ResumeRefusal::NotSuspended.answer(), ggzy_kernel::Answer::Conflict("项目未暂停".into()));
        assert_eq!(
            ResumeRefusal::RegulatorOnly.answer(),
            ggzy_kernel::Answer::forbidden("监管部门责令的暂停只能由监管部门解除")
        );
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

    #[test]
    fn a_closed_clarification_is_its_rules_refusal_and_an_uncounted_one_the_deadlines_answer() {
        let closed = ClarificationRefusal::Closed {
            rule: rule_ids::PROCUREMENT_CLARIFICATION,
            amount: 15,
            source: "政府采购法".into(),
        };
        let Answer::Rule { rule, detail, problems } = closed.answer() else { panic!("not a rule's refusal") };
        assert_eq!(rule, rule_ids::PROCUREMENT_CLARIFICATION);
        assert!(detail.starts_with("澄清须在投标截止时间至少 15 日前作出（政府采购法）"), "{detail}");
        assert!(problems.is_empty());
        let unknown = DeadlineError::UnknownRule("x.y".into());
        assert_eq!(ClarificationRefusal::Uncounted(unknown.clone()).answer(), Answer::from(unknown));
    }
}

#[cfg(test)]
mod booking_tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, h, 0, 0).unwrap()
    }

    #[test]
    fn a_room_is_booked_for_its_purpose_on_a_known_project_when_free() {
        let room = VenueKind::OpeningRoom;
        assert_eq!(may_book(room, BookingPurpose::Opening, true, &[]), Ok(()));
        // The room's purpose is told first, then the project, then the clash.
        let wrong = may_book(VenueKind::EvaluationRoom, BookingPurpose::Opening, false, &[(at(1), at(2))]);
        let Err(refusal) = wrong else { panic!("an evaluation room is refused for an opening") };
        assert_eq!(refusal.to_field_error().map(|p| (p.field, p.code)), Some(("purpose".into(), "wrong_room".into())));
        let unknown = may_book(room, BookingPurpose::Opening, false, &[(at(1), at(2))]);
        assert_eq!(unknown, Err(BookingRefusal::UnknownProject));
        let problem = BookingRefusal::UnknownProject.to_field_error().unwrap();
        assert_eq!(
            (problem.field.as_str(), problem.code.as_str(), problem.message.as_str()),
            ("project_id", "unknown_project", "项目不存在")
        );
        let taken = may_book(room, BookingPurpose::Opening, true, &[(at(1), at(2)), (at(3), at(4))]);
        assert_eq!(taken, Err(BookingRefusal::Taken { starts_at: at(1), ends_at: at(2) }));
        let taken = taken.unwrap_err();
        assert_eq!(taken.to_field_error(), None);
        // 01:00 UTC is 09:00 Beijing.
        assert_eq!(
            taken.detail(),
            format!("该时段已被预约（{} 至 {}）", ggzy_kernel::beijing_text(at(1)), ggzy_kernel::beijing_text(at(2)))
        );
    }

    #[test]
    fn a_refused_booking_is_told_by_its_field_or_as_the_booking_in_the_way() {
        let problem = FieldError::new("purpose", "wrong_room", "x");
        assert_eq!(BookingRefusal::WrongRoom(problem.clone()).answer(), Answer::Invalid(vec![problem]));
        let Answer::Invalid(problems) = BookingRefusal::UnknownProject.answer() else {
            panic!("an unknown project is the request's fault")
        };
        assert_eq!(problems[0].code, "unknown_project");
        let taken = BookingRefusal::Taken { starts_at: at(1), ends_at: at(2) };
        assert_eq!(taken.answer(), Answer::Conflict(taken.detail()));
    }

    #[test]
    fn the_concerned_are_told_once_and_bidders_apart_while_sealed() {
        let told = concerned(
            "t",
            vec!["a".into(), "t".into()],
            Some("r"),
            vec!["b2".into(), "b1".into(), "b2".into(), "a".into()],
            true,
        );
        assert_eq!(told.parties, vec!["a", "centre", "r", "t"]);
        assert_eq!(told.bidders, vec!["b1", "b2"], "an agency with a bond is told as a party");
        assert!(!told.bidders_to_subscribers);
        let open = concerned("t", vec![], None, vec![], false);
        assert_eq!(open.parties, vec!["centre", "t"]);
        assert!(open.bidders.is_empty() && open.bidders_to_subscribers);
    }
}
