//! Response and request bodies of inboxes (see `ggzy_service::inboxes` for the use cases).

use chrono::{DateTime, Utc};
use ggzy_oversight::lifecycle::ClockKind;
use ggzy_oversight::notices::NoticeSubject;
use serde::Serialize;
use utoipa::ToSchema;

/// `question.asked`, `objection.raised`, `question.answered`, `objection.answered`,
/// `opening.held`, `candidates.published`, `award.made`, `refund.instructed`,
/// `refund.posted`, `refund.overdue`, `bond.forfeited`, `complaint.filed`,
/// `complaint.reviewed`, `complaint.decided`,
/// `committee.drawn`, `risk_alert.raised` or `deadline.due`: what the notice is about and
/// where the recipient reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyNotice {
    pub subject_type: NoticeSubject,
    pub subject_id: String,
    pub project_code: Option<String>,
    pub section_id: Option<String>,
    /// The API path that shows it to the recipient, when one does.
    pub link: Option<String>,
    /// For `deadline.due` and `refund.overdue`: the clock.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clock: Option<ClockDue>,
}

/// A clock a notice reminds of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClockDue {
    pub kind: ClockKind,
    pub rule_id: String,
    pub due: DateTime<Utc>,
}
