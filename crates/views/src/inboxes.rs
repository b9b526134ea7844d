//! Response and request bodies of inboxes (see `ggzy_service::inboxes` for the use cases).

use chrono::{DateTime, NaiveDateTime, Utc};
use ggzy_oversight::lifecycle::ClockKind;
use ggzy_oversight::notices::{self, DeliveryStatus, NoticeKind, NoticeSubject, NotificationKind, Subject};
use ggzy_store::conduct::NotificationRow;
use ggzy_store::webhooks::DeliveryRow;
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

impl PartyNotice {
    /// A notice of `kind` about `subject` (a record of `subject_type`) in the project coded
    /// `project_code`, linked where its recipient reads it; `clock` when it reminds of one.
    pub fn of(
        kind: NoticeKind,
        subject_type: NoticeSubject,
        subject: Subject<'_>,
        project_code: Option<String>,
        clock: Option<ClockDue>,
    ) -> PartyNotice {
        PartyNotice {
            subject_type,
            subject_id: subject.object_id.to_owned(),
            project_code,
            section_id: subject.section_id.map(str::to_owned),
            link: notices::link(kind, clock.as_ref().map(|c| c.kind), subject),
            clock,
        }
    }
}

/// The notification `recipient`'s inbox receives at `at`, unread; `payload` is its JSON text.
pub fn notification_row(
    id: String,
    recipient: String,
    project_id: Option<&str>,
    kind: NotificationKind,
    payload: String,
    at: NaiveDateTime,
) -> NotificationRow {
    NotificationRow {
        id,
        recipient,
        project_id: project_id.map(str::to_owned),
        kind: kind.as_str().to_owned(),
        payload,
        created_at: at,
        read_at: None,
    }
}

/// A notification queued for a webhook subscription: pending, first tried at `at`.
pub fn pending_delivery(
    id: String,
    subscription_id: String,
    notification_id: String,
    at: NaiveDateTime,
) -> DeliveryRow {
    DeliveryRow {
        id,
        subscription_id,
        notification_id,
        status: DeliveryStatus::Pending.as_str().into(),
        attempts: 0,
        next_attempt_at: at,
        delivered_at: None,
        last_error: None,
    }
}

/// A notice as it is written: one notification per recipient (an organisation's inbox each
/// once, in the order named), each queued for every subscription in `subscription_ids`;
/// `new_id` names each row in the order written.
pub fn notice_rows(
    recipients: &[String],
    project_id: Option<&str>,
    kind: NotificationKind,
    payload: &str,
    at: NaiveDateTime,
    subscription_ids: &[String],
    mut new_id: impl FnMut() -> String,
) -> Vec<(NotificationRow, Vec<DeliveryRow>)> {
    let mut seen = std::collections::HashSet::new();
    let recipients = recipients.iter().filter(|r| seen.insert(r.as_str()));
    let rows = recipients.map(|recipient| {
        let notification = notification_row(new_id(), recipient.clone(), project_id, kind, payload.into(), at);
        let queue = |s: &String| pending_delivery(new_id(), s.clone(), notification.id.clone(), at);
        let deliveries = subscription_ids.iter().map(queue).collect();
        (notification, deliveries)
    });
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_lands_once_in_each_inbox_and_is_queued_for_each_subscription() {
        let mut next = 0;
        let new_id = || {
            next += 1;
            format!("id{next}")
        };
        let recipients = ["b1".to_owned(), "t1".to_owned(), "b1".to_owned()];
        let kind = NotificationKind::ALL[0];
        let rows = notice_rows(&recipients, Some("p1"), kind, "{}", at(), &["s1".into(), "s2".into()], new_id);
        let inboxes: Vec<_> = rows.iter().map(|(n, _)| (n.id.as_str(), n.recipient.as_str())).collect();
        assert_eq!(inboxes, [("id1", "b1"), ("id4", "t1")]);
        let queued: Vec<_> =
            rows[1].1.iter().map(|d| (d.id.as_str(), d.subscription_id.as_str(), d.notification_id.as_str())).collect();
        assert_eq!(queued, [("id5", "s1", "id4"), ("id6", "s2", "id4")]);
        assert_eq!(rows[0].0, notification_row("id1".into(), "b1".into(), Some("p1"), kind, "{}".into(), at()));
        let unsubscribed = notice_rows(&recipients[..1], None, kind, "{}", at(), &[], || "n".into());
        assert_eq!((unsubscribed.len(), unsubscribed[0].1.len()), (1, 0));
    }

    fn at() -> NaiveDateTime {
        DateTime::from_timestamp(1_700_000_000, 0).unwrap().naive_utc()
    }

    #[test]
    fn a_notification_lands_unread_in_its_recipients_inbox() {
        let kind = NotificationKind::ALL[0];
        let row = notification_row("n1".into(), "b1".into(), Some("p1"), kind, "{}".into(), at());
        assert_eq!(
            row,
            NotificationRow {
                id: "n1".into(),
                recipient: "b1".into(),
                project_id: Some("p1".into()),
                kind: kind.as_str().into(),
                payload: "{}".into(),
                created_at: at(),
                read_at: None,
            }
        );
        assert_eq!(notification_row("n2".into(), "d1".into(), None, kind, "{}".into(), at()).project_id, None);
    }

    #[test]
    fn a_delivery_is_queued_pending_and_untried() {
        let row = pending_delivery("w1".into(), "s1".into(), "n1".into(), at());
        assert_eq!((row.id.as_str(), row.subscription_id.as_str(), row.notification_id.as_str()), ("w1", "s1", "n1"));
        assert_eq!((row.status.as_str(), row.attempts, row.next_attempt_at), ("pending", 0, at()));
        assert_eq!((row.delivered_at, row.last_error), (None, None));
    }

    #[test]
    fn a_party_notice_names_its_subject_and_links_where_it_is_read() {
        let subject = Subject { project_id: Some("p1"), section_id: Some("s1"), object_id: "o1" };
        let kind = NoticeKind::ALL[0];
        let notice = PartyNotice::of(kind, NoticeSubject::Objection, subject, Some("GC1".into()), None);
        assert_eq!((notice.subject_type, notice.subject_id.as_str()), (NoticeSubject::Objection, "o1"));
        assert_eq!((notice.project_code.as_deref(), notice.section_id.as_deref()), (Some("GC1"), Some("s1")));
        assert_eq!(notice.link, notices::link(kind, None, subject));
        assert_eq!(notice.clock, None);
        let due = ClockDue {
            kind: ClockKind::ObjectionAnswer,
            rule_id: "r".into(),
            due: DateTime::from_timestamp(5, 0).unwrap(),
        };
        let reminder = PartyNotice::of(kind, NoticeSubject::Objection, subject, None, Some(due.clone()));
        assert_eq!(reminder.link, notices::link(kind, Some(ClockKind::ObjectionAnswer), subject));
        assert_eq!(reminder.clock, Some(due));
    }
}
