//! Response and request bodies of proceedings (see `ggzy_service::proceedings` for the use cases).

use chrono::{DateTime, Utc};
pub use ggzy_oversight::notices::NotificationKind;
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
