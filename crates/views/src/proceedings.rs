//! Response and request bodies of proceedings (see `ggzy_service::proceedings` for the use cases).

use crate::audit_entry::{project_entry, AuditEntry};
use chrono::{DateTime, NaiveDateTime, Utc};
use ggzy_kernel::validation::read;
use ggzy_kernel::AuditAction;
use ggzy_kernel::{stored, stored_json, FieldError, PageRequest, StoredFault};
pub use ggzy_oversight::notices::NotificationKind;
use ggzy_oversight::page::read_page;
use ggzy_store::conduct::{BookingRow, NotificationRow, QuestionRow, SuspensionRow, VenueRow};
use ggzy_store::projects::ProjectRow;
use ggzy_trading::proceedings::BookingValues;
pub use ggzy_trading::proceedings::{
    AnswerQuestion, AskQuestion, BookVenue, BookingPurpose, NewVenue, StateChange, VenueKind,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A question as published: never with the asker's name.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Question {
    pub id: String,
    pub project_id: String,
    pub question: String,
    pub asked_at: DateTime<Utc>,
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Venue {
    pub id: String,
    pub name: String,
    pub kind: VenueKind,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Booking {
    pub id: String,
    pub venue_id: String,
    pub project_id: String,
    pub purpose: BookingPurpose,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub cancelled: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BookingPage {
    pub items: Vec<Booking>,
    pub next_cursor: Option<String>,
}

/// The query of the bookings across rooms. Any other parameter is refused.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct BookingQuery {
    /// Bookings starting on or after this Beijing date.
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<String>,
    /// Bookings starting on or before this Beijing date.
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<String>,
    /// Only this room's.
    #[param(format = Uuid)]
    pub venue_id: Option<String>,
    /// Cursor from the previous page's `next_cursor`.
    #[param(format = Uuid)]
    pub after: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// A checked bookings query: the range as moments (from the start of `from` to the end of
/// `to`, Beijing dates), the room, and the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingFilter {
    pub from: Option<NaiveDateTime>,
    pub before: Option<NaiveDateTime>,
    pub venue_id: Option<String>,
    pub page: PageRequest,
}

impl BookingQuery {
    /// The filter the query asks for; every problem at once.
    pub fn read(self) -> Result<BookingFilter, Vec<FieldError>> {
        let mut problems = Vec::new();
        let from = read::day(&mut problems, "from", self.from);
        let to = read::day(&mut problems, "to", self.to);
        let venue_id = self.venue_id.and_then(|v| read::uuid(&mut problems, "venue_id", v));
        let page = read_page(&mut problems, self.after, self.limit);
        match page {
            Some(page) if problems.is_empty() => {
                Ok(BookingFilter { from: from.map(read::day_start), before: to.map(read::day_after), venue_id, page })
            }
            _ => Err(problems),
        }
    }
}

/// A message for a participant or department.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Notification {
    pub id: String,
    pub project_id: Option<String>,
    pub kind: NotificationKind,
    /// The payload as written, its shape given by `kind`.
    #[schema(value_type = NotificationPayload)]
    pub payload: serde_json::Value,
    pub created_at: DateTime<Utc>,
    /// When the inbox marked it read; null while unread.
    pub read_at: Option<DateTime<Utc>>,
}

/// What a notification carries; which shape goes with `kind` is named on each.
// Every notification is written through this type, so its schema lists every payload there
// is. Each shape refuses other fields (additionalProperties: false), so that a payload
// matches exactly one of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(untagged)]
pub enum NotificationPayload {
    Suspension(SuspensionNotice),
    StateChange(StateChangeNotice),
    Recount(RecountNotice),
    DecryptNow(DecryptNowNotice),
    YearMissing(YearMissingNotice),
    /// What a party must act on or learn of (`question.asked` … `deadline.due`).
    Party(crate::inboxes::PartyNotice),
    /// `event:<type>`, to the webhook subscribers: the public event itself.
    PublicEvent(crate::events::PublicEvent),
}

/// `project.suspended`: the project waits until it is resumed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuspensionNotice {
    pub reason: String,
    /// Ordered by the regulator: only a regulator may resume it.
    pub by_regulator: bool,
    pub project_code: String,
}

/// `project.resumed` or `project.terminated`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StateChangeNotice {
    pub reason: String,
    pub project_code: String,
}

impl NotificationPayload {
    /// The notice of a project's suspension for `reason`, by its regulator or not.
    pub fn suspension(reason: &str, by_regulator: bool, project: &ProjectRow) -> Self {
        NotificationPayload::Suspension(SuspensionNotice {
            reason: reason.to_owned(),
            by_regulator,
            project_code: project.code.clone(),
        })
    }

    /// The notice of a project's resumption or termination for `reason`.
    pub fn state_change(reason: &str, project: &ProjectRow) -> Self {
        NotificationPayload::StateChange(StateChangeNotice {
            reason: reason.to_owned(),
            project_code: project.code.clone(),
        })
    }
}

/// `deadline.recounted`: loading the official calendar of `year` recounted a running clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecountNotice {
    pub year: i32,
    pub kind: ggzy_oversight::lifecycle::ClockKind,
    pub rule_id: String,
    /// The event the clock counts from.
    pub counted_from: DateTime<Utc>,
    pub provisional_due: DateTime<Utc>,
    pub official_due: DateTime<Utc>,
    /// The due date that holds now.
    pub due: DateTime<Utc>,
    pub outcome: ggzy_oversight::lifecycle::RecountOutcome,
}

/// `bid.decrypt_now`: the bidder decrypts its sealed bid before `closes_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecryptNowNotice {
    pub section_id: String,
    pub closes_at: DateTime<Utc>,
    pub rule: String,
}

/// `calendar.year_missing`, to the platform admins: next year's official calendar is not
/// loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct YearMissingNotice {
    pub year: i32,
    pub warning: String,
}

/// The reminder to `inbox` (the platform admins') that next year's calendar is missing:
/// an operators' reminder, unread, tied to no project.
pub fn year_missing_row(
    id: String,
    inbox: &str,
    notice: YearMissingNotice,
    at: NaiveDateTime,
) -> Result<NotificationRow, serde_json::Error> {
    Ok(NotificationRow {
        id,
        recipient: inbox.to_owned(),
        project_id: None,
        kind: NotificationKind::CalendarYearMissing.as_str().to_owned(),
        payload: serde_json::to_value(NotificationPayload::YearMissing(notice))?.to_string(),
        created_at: at,
        read_at: None,
    })
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NotificationPage {
    pub items: Vec<Notification>,
    pub next_cursor: Option<String>,
}

/// The query of an inbox. Any other parameter is refused.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    /// `true`: only the notifications not yet read.
    #[param(value_type = Option<bool>)]
    pub unread: Option<String>,
    /// Cursor from the previous page's `next_cursor`.
    #[param(format = Uuid)]
    pub after: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

impl NotificationQuery {
    /// Whether only the unread ones are asked for, and the page; every problem at once.
    pub fn read(self) -> Result<(bool, PageRequest), Vec<FieldError>> {
        let mut problems = Vec::new();
        let unread = self.unread.as_deref().and_then(|text| read::boolean(&mut problems, "unread", text));
        let page = read_page(&mut problems, self.after, self.limit);
        match page {
            Some(page) if problems.is_empty() => Ok((unread == Some(true), page)),
            _ => Err(problems),
        }
    }
}

/// How many notifications of the caller's inbox are unread.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnreadCount {
    pub unread: i64,
}

/// How many notifications were marked read (those already read are not counted again).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NotificationsMarked {
    pub marked: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuestionPage {
    pub items: Vec<Question>,
    pub next_cursor: Option<String>,
}

impl TryFrom<NotificationRow> for Notification {
    type Error = StoredFault;

    fn try_from(row: NotificationRow) -> Result<Self, StoredFault> {
        Ok(Notification {
            payload: stored_json("notifications.payload", &row.payload)?,
            kind: stored("notifications.kind", &row.kind)?,
            id: row.id,
            project_id: row.project_id,
            created_at: row.created_at.and_utc(),
            read_at: row.read_at.map(|t| t.and_utc()),
        })
    }
}

/// A question as published: the asker and who answered stay out.
impl From<QuestionRow> for Question {
    fn from(row: QuestionRow) -> Self {
        Question {
            id: row.id,
            project_id: row.project_id,
            question: row.question,
            asked_at: row.asked_at.and_utc(),
            answer: row.answer,
            answered_at: row.answered_at.map(|t| t.and_utc()),
        }
    }
}

/// The spans (start, end) of the bookings a new booking of their room would overlap.
pub fn clash_spans(clashes: Vec<BookingRow>) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    clashes.into_iter().map(|clash| (clash.starts_at.and_utc(), clash.ends_at.and_utc())).collect()
}

/// A question as published once answered at `at`: what its row holds after the answer
/// (`at` being a stored instant, whole microseconds).
pub fn answered_question(row: QuestionRow, answer: String, at: NaiveDateTime) -> Question {
    Question::from(QuestionRow { answer: Some(answer), answered_at: Some(at), ..row })
}

impl TryFrom<VenueRow> for Venue {
    type Error = StoredFault;

    fn try_from(row: VenueRow) -> Result<Self, StoredFault> {
        Ok(Venue { kind: stored("venues.kind", &row.kind)?, id: row.id, name: row.name })
    }
}

impl TryFrom<BookingRow> for Booking {
    type Error = StoredFault;

    fn try_from(row: BookingRow) -> Result<Self, StoredFault> {
        Ok(Booking {
            purpose: stored("venue_bookings.purpose", &row.purpose)?,
            id: row.id,
            venue_id: row.venue_id,
            project_id: row.project_id,
            starts_at: row.starts_at.and_utc(),
            ends_at: row.ends_at.and_utc(),
            cancelled: row.cancelled_at.is_some(),
        })
    }
}

/// A question asked at `at`; unanswered.
pub fn question_row(
    id: String,
    project_id: &str,
    asked_by: String,
    question: String,
    at: NaiveDateTime,
) -> QuestionRow {
    QuestionRow {
        id,
        project_id: project_id.to_owned(),
        asked_by,
        question,
        asked_at: at,
        answer: None,
        answered_at: None,
        answered_by: None,
    }
}

/// A live booking of a room for what `values` names.
pub fn booking_row(id: String, venue_id: &str, values: &BookingValues, booked_by: String) -> BookingRow {
    BookingRow {
        id,
        venue_id: venue_id.to_owned(),
        project_id: values.project_id.clone(),
        purpose: values.purpose.as_str().to_owned(),
        starts_at: values.starts_at.naive_utc(),
        ends_at: values.ends_at.naive_utc(),
        booked_by,
        cancelled_at: None,
    }
}

/// The audit payload of a booking: the room by name, the purpose and the period.
pub fn booking_payload(venue_name: &str, values: &BookingValues) -> serde_json::Value {
    serde_json::json!({
        "venue": venue_name, "purpose": values.purpose, "starts_at": values.starts_at, "ends_at": values.ends_at,
    })
}

/// An open suspension of `project` ordered at `at`; it keeps the status the project had.
pub fn suspension_row(
    id: String,
    project: &ProjectRow,
    reason: &str,
    ordered_by: String,
    by_regulator: bool,
    at: NaiveDateTime,
) -> SuspensionRow {
    SuspensionRow {
        id,
        project_id: project.id.clone(),
        previous_status: project.status.clone(),
        reason: reason.to_owned(),
        ordered_by,
        by_regulator: i32::from(by_regulator),
        suspended_at: at,
        resumed_at: None,
        resumed_by: None,
    }
}

/// A question asked, on its own chain: the asker stays out of the trail readable by the
/// tenderer's side.
pub fn question_asked_entry(row: &QuestionRow) -> AuditEntry<serde_json::Value> {
    let payload = serde_json::json!({ "project_id": row.project_id, "question": row.question });
    let (chain, object_id) = (format!("question:{}", row.id), row.id.clone());
    AuditEntry { chain, action: AuditAction::QuestionAsk, object_type: "question", object_id, payload }
}

/// A question answered: the question and its answer.
pub fn question_answered_entry(question: &QuestionRow, answer: &str) -> AuditEntry<serde_json::Value> {
    let payload = serde_json::json!({ "question": question.question, "answer": answer });
    project_entry(&question.project_id, AuditAction::QuestionAnswer, "question", &question.id, payload)
}

/// A room booked for a project.
pub fn booking_entry(booking_id: &str, venue_name: &str, values: &BookingValues) -> AuditEntry<serde_json::Value> {
    let payload = booking_payload(venue_name, values);
    project_entry(&values.project_id, AuditAction::VenueBook, "venue_booking", booking_id, payload)
}

/// A change of a project's state (suspension, resumption, termination), the notice its
/// concerned were sent as payload.
pub fn state_change_entry<'a>(
    project_id: &str,
    action: AuditAction,
    notice: &'a NotificationPayload,
) -> AuditEntry<&'a NotificationPayload> {
    project_entry(project_id, action, "project", project_id, notice)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hour: u32) -> chrono::NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap().and_hms_opt(hour, 0, 0).unwrap()
    }

    fn booking(purpose: &str, cancelled_at: Option<chrono::NaiveDateTime>) -> BookingRow {
        BookingRow {
            id: "b1".into(),
            venue_id: "v1".into(),
            project_id: "p1".into(),
            purpose: purpose.into(),
            starts_at: at(9),
            ends_at: at(11),
            booked_by: "staff:1".into(),
            cancelled_at,
        }
    }

    #[test]
    fn a_booking_shows_what_the_row_holds() {
        let shown = Booking::try_from(booking("evaluation", None)).unwrap();
        assert_eq!(shown.purpose, BookingPurpose::Evaluation);
        assert_eq!((shown.id.as_str(), shown.venue_id.as_str(), shown.project_id.as_str()), ("b1", "v1", "p1"));
        assert_eq!((shown.starts_at, shown.ends_at), (at(9).and_utc(), at(11).and_utc()));
        assert!(!shown.cancelled);
        assert!(Booking::try_from(booking("opening", Some(at(8)))).unwrap().cancelled);
    }

    #[test]
    fn an_unknown_stored_purpose_or_kind_is_a_fault() {
        let fault = Booking::try_from(booking("party", None)).unwrap_err();
        assert_eq!(fault.to_string(), "venue_bookings.purpose holds `party`, which is not BookingPurpose");
        let venue = VenueRow { id: "v1".into(), name: "一号厅".into(), kind: "ballroom".into(), created_at: at(1) };
        assert_eq!(Venue::try_from(venue).unwrap_err().column, "venues.kind");
        let venue =
            VenueRow { id: "v1".into(), name: "一号厅".into(), kind: "auction_hall".into(), created_at: at(1) };
        assert_eq!(Venue::try_from(venue).unwrap().kind, VenueKind::AuctionHall);
    }

    #[test]
    fn a_question_never_names_who_asked() {
        let row = QuestionRow {
            id: "q1".into(),
            project_id: "p1".into(),
            asked_by: "bidder:secret".into(),
            question: "工期？".into(),
            asked_at: at(9),
            answer: Some("180天".into()),
            answered_at: Some(at(10)),
            answered_by: Some("agent:1".into()),
        };
        let shown = serde_json::to_string(&Question::from(row)).unwrap();
        assert!(!shown.contains("secret") && !shown.contains("agent:1"));
        assert!(shown.contains("180天"));
    }

    #[test]
    fn a_notification_with_an_unknown_kind_or_unreadable_payload_is_a_fault() {
        let row = |kind: &str, payload: &str| NotificationRow {
            id: "n1".into(),
            recipient: "participant:1".into(),
            project_id: None,
            kind: kind.into(),
            payload: payload.into(),
            created_at: at(9),
            read_at: None,
        };
        assert_eq!(Notification::try_from(row("gossip", "{}")).unwrap_err().column, "notifications.kind");
        let kind = NotificationKind::ALL[0].as_str();
        assert_eq!(Notification::try_from(row(kind, "{")).unwrap_err().column, "notifications.payload");
        let shown = Notification::try_from(row(kind, r#"{"a":1}"#)).unwrap();
        assert_eq!((shown.kind, shown.payload), (NotificationKind::ALL[0], serde_json::json!({"a": 1})));
    }

    #[test]
    fn the_missing_year_reminder_reads_back_as_its_notice() {
        let notice = YearMissingNotice { year: 2027, warning: "2027 年日历尚未载入".into() };
        let row = year_missing_row("n1".into(), "platform", notice.clone(), at(9)).unwrap();
        assert_eq!((row.recipient.as_str(), row.project_id.as_deref(), row.read_at), ("platform", None, None));
        let shown = Notification::try_from(row).unwrap();
        assert_eq!(shown.kind, NotificationKind::CalendarYearMissing);
        assert_eq!(shown.payload, serde_json::to_value(NotificationPayload::YearMissing(notice)).unwrap());
    }

    fn values() -> BookingValues {
        BookingValues {
            project_id: "p1".into(),
            purpose: BookingPurpose::Evaluation,
            starts_at: at(9).and_utc(),
            ends_at: at(11).and_utc(),
        }
    }

    #[test]
    fn a_booking_row_is_live_and_shows_back_as_booked() {
        let row = booking_row("b1".into(), "v1", &values(), "staff:1".into());
        assert_eq!(row, booking("evaluation", None));
        let payload = booking_payload("一号评标室", &values());
        assert_eq!(
            payload,
            serde_json::json!({
                "venue": "一号评标室", "purpose": "evaluation",
                "starts_at": at(9).and_utc(), "ends_at": at(11).and_utc(),
            })
        );
    }

    #[test]
    fn a_clash_spans_its_booking() {
        let booking = BookingRow {
            id: "k1".into(),
            venue_id: "v1".into(),
            project_id: "p1".into(),
            purpose: "opening".into(),
            starts_at: at(9),
            ends_at: at(11),
            booked_by: "staff".into(),
            cancelled_at: None,
        };
        let later = BookingRow { id: "k2".into(), starts_at: at(13), ends_at: at(14), ..booking.clone() };
        assert_eq!(
            clash_spans(vec![booking, later]),
            [(at(9).and_utc(), at(11).and_utc()), (at(13).and_utc(), at(14).and_utc())]
        );
        assert!(clash_spans(Vec::new()).is_empty());
    }

    #[test]
    fn a_new_question_is_unanswered() {
        let row = question_row("q1".into(), "p1", "b1".into(), "工期？".into(), at(9));
        assert_eq!(
            (row.asked_by.as_str(), row.asked_at, row.answer.clone(), row.answered_by.clone()),
            ("b1", at(9), None, None)
        );
        let answered = answered_question(row, "90天".into(), at(11));
        assert_eq!(
            (answered.id.as_str(), answered.question.as_str(), answered.asked_at),
            ("q1", "工期？", at(9).and_utc())
        );
        assert_eq!((answered.answer.as_deref(), answered.answered_at), (Some("90天"), Some(at(11).and_utc())));
    }

    #[test]
    fn a_suspension_keeps_the_status_it_interrupts_and_who_ordered_it() {
        let project = ProjectRow {
            status: "tendering".into(),
            regulator_id: Some("r1".into()),
            ..crate::fixtures::project_row(at(8))
        };
        let row = suspension_row("x1".into(), &project, "质疑", "regulator:r@r1".into(), true, at(10));
        assert_eq!(
            (row.project_id.as_str(), row.previous_status.as_str(), row.by_regulator, row.suspended_at),
            ("p1", "tendering", 1, at(10))
        );
        assert_eq!(suspension_row("x2".into(), &project, "质疑", "t".into(), false, at(10)).by_regulator, 0);
        assert_eq!((row.resumed_at, row.resumed_by), (None, None));
        let suspended =
            SuspensionNotice { reason: "质疑".into(), by_regulator: true, project_code: project.code.clone() };
        assert_eq!(NotificationPayload::suspension("质疑", true, &project), NotificationPayload::Suspension(suspended));
        let changed = StateChangeNotice { reason: "终止".into(), project_code: project.code.clone() };
        assert_eq!(NotificationPayload::state_change("终止", &project), NotificationPayload::StateChange(changed));
    }

    #[test]
    fn a_question_is_audited_on_its_own_chain_and_answered_on_the_project_chain() {
        let row = QuestionRow {
            id: "q1".into(),
            project_id: "p1".into(),
            asked_by: "b1".into(),
            question: "工期？".into(),
            asked_at: chrono::NaiveDateTime::default(),
            answer: None,
            answered_by: None,
            answered_at: None,
        };
        let asked = question_asked_entry(&row);
        assert_eq!(
            (asked.chain.as_str(), asked.action, asked.object_id.as_str()),
            ("question:q1", AuditAction::QuestionAsk, "q1")
        );
        assert_eq!(asked.payload, serde_json::json!({ "project_id": "p1", "question": "工期？" }));
        let answered = question_answered_entry(&row, "90天");
        assert_eq!((answered.chain.as_str(), answered.action), ("project:p1", AuditAction::QuestionAnswer));
        assert_eq!(answered.payload, serde_json::json!({ "question": "工期？", "answer": "90天" }));
    }

    #[test]
    fn a_state_change_is_audited_on_the_project_with_its_notice() {
        let notice = NotificationPayload::StateChange(StateChangeNotice {
            reason: "不可抗力".into(),
            project_code: "C1".into(),
        });
        let entry = state_change_entry("p1", AuditAction::ProjectResume, &notice);
        assert_eq!(
            (entry.chain.as_str(), entry.object_type, entry.object_id.as_str()),
            ("project:p1", "project", "p1")
        );
        assert_eq!((entry.action, entry.payload), (AuditAction::ProjectResume, &notice));
    }

    #[test]
    fn a_bookings_query_names_every_problem_at_once() {
        let query = BookingQuery {
            from: Some("2025-13-01".into()),
            to: Some("nope".into()),
            venue_id: Some("room".into()),
            after: Some("x".into()),
            limit: Some(0),
        };
        let problems = query.read().err().unwrap_or_default();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["from", "to", "venue_id", "after", "limit"]);
    }

    #[test]
    fn a_bookings_query_covers_whole_beijing_days() {
        let query = BookingQuery {
            from: Some("2025-03-01".into()),
            to: Some("2025-03-02".into()),
            venue_id: Some("01890a5d-ac96-774b-bcce-b302099a8057".into()),
            after: None,
            limit: Some(10),
        };
        let filter = query.read().map_err(|p| format!("{p:?}"));
        // Beijing midnight is 16:00 UTC the day before.
        let at = |m: u32, d: u32| {
            chrono::NaiveDate::from_ymd_opt(2025, m, d).and_then(|day| day.and_hms_opt(16, 0, 0)).unwrap_or_default()
        };
        assert_eq!(
            filter,
            Ok(BookingFilter {
                from: Some(at(2, 28)),
                before: Some(at(3, 2)),
                venue_id: Some("01890a5d-ac96-774b-bcce-b302099a8057".into()),
                page: PageRequest { after: None, limit: 10 },
            })
        );
    }

    #[test]
    fn a_notification_query_reads_unread_and_its_page() {
        let query = NotificationQuery { unread: Some("true".into()), after: None, limit: None };
        assert_eq!(query.read(), Ok((true, PageRequest::default())));
        let query = NotificationQuery { unread: None, after: None, limit: Some(5) };
        assert_eq!(query.read(), Ok((false, PageRequest { after: None, limit: 5 })));
        let query = NotificationQuery { unread: Some("yes".into()), after: Some("x".into()), limit: None };
        let problems = query.read().err().unwrap_or_default();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["unread", "after"]);
    }
}
