//! Response and request bodies of webhooks (see `ggzy_service::webhooks` for the use cases),
//! the rows a subscription and a rotation of its secret write, and a delivery as it is
//! sent: its body and the HMAC-SHA256 signatures over `timestamp.body`.

use chrono::NaiveDateTime;
use chrono::{DateTime, Utc};
use ggzy_oversight::notices::DeliveryStatus;
use ggzy_store::conduct::NotificationRow;
use ggzy_store::webhooks::{DeliveryRow, SubscriptionRow};
use hmac::digest::InvalidLength;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSubscription {
    /// Where deliveries are POSTed (http or https).
    #[schema(required = true, value_type = String, example = "https://system.example.gov.cn/ggzy/events")]
    pub url: Option<String>,
}

/// A new secret for a subscription; the old one keeps signing for a grace period.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RotateWebhookSecret {
    /// Hours during which deliveries carry both signatures, 1 to 168 (default 24).
    #[serde(default, deserialize_with = "ggzy_kernel::validation::whole_number")]
    #[schema(value_type = Option<u32>, minimum = 1, maximum = 168)]
    pub grace_hours: Option<u32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Subscription {
    pub id: String,
    pub url: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    /// Shown once, when the subscription is created or its secret rotated: the HMAC key of
    /// `X-Ggzy-Signature`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// While a rotated-away secret still signs: until when deliveries carry its signature
    /// as well.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_secret_until: Option<DateTime<Utc>>,
    pub delivered: usize,
    pub pending: usize,
    pub failed: usize,
}

impl Subscription {
    /// A subscription with the count of its deliveries by status; its secret only when
    /// `show_secret` (to its owner, when it is made or rotated).
    pub fn from_row(row: SubscriptionRow, deliveries: &[DeliveryRow], show_secret: bool) -> Subscription {
        let count = |status: DeliveryStatus| deliveries.iter().filter(|d| d.status == status.as_str()).count();
        Subscription {
            delivered: count(DeliveryStatus::Delivered),
            pending: count(DeliveryStatus::Pending),
            failed: count(DeliveryStatus::Failed),
            id: row.id,
            url: row.url,
            active: row.active != 0,
            created_at: row.created_at.and_utc(),
            secret: show_secret.then_some(row.secret),
            previous_secret_until: row.previous_secret.as_ref().and(row.previous_secret_until).map(|t| t.and_utc()),
        }
    }
}

/// The row of an active subscription `owner` makes now, signed with `secret`.
pub fn new_subscription_row(
    id: String,
    owner: String,
    url: String,
    secret: String,
    now: NaiveDateTime,
) -> SubscriptionRow {
    SubscriptionRow {
        id,
        owner,
        url,
        secret,
        active: 1,
        created_at: now,
        previous_secret: None,
        previous_secret_until: None,
    }
}

/// The subscription after a rotation: signed with `secret` from now on, with the secret it
/// replaces signing as well until `until`.
pub fn rotated_row(row: SubscriptionRow, secret: String, until: NaiveDateTime) -> SubscriptionRow {
    SubscriptionRow { secret, previous_secret: Some(row.secret.clone()), previous_secret_until: Some(until), ..row }
}

/// A delivery ready to send: the body and its signature headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedDelivery {
    pub id: String,
    pub url: String,
    pub body: String,
    /// Unix seconds, sent as `X-Ggzy-Timestamp`.
    pub timestamp: i64,
    /// `sha256=<hex HMAC-SHA256(secret, "timestamp.body")>`, sent as `X-Ggzy-Signature`;
    /// during a secret's rotation the new secret's signature, a comma and a space, and the
    /// old one's: a receiver accepts the delivery when any of them matches.
    pub signature: String,
}

/// The signature of a delivery body.
pub fn sign(secret: &str, timestamp: i64, body: &str) -> Result<String, InvalidLength> {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes())?;
    mac.update(format!("{timestamp}.{body}").as_bytes());
    Ok(format!("sha256={}", hex::encode(mac.finalize().into_bytes())))
}

/// Delivery `delivery_id` of a notification to `url`, sent at `timestamp` and signed with
/// each of `secrets` (`ggzy_oversight::subscriptions::signing_secrets`), in their order.
pub fn prepared_delivery(
    delivery_id: String,
    url: String,
    notification: &NotificationRow,
    secrets: &[&str],
    timestamp: i64,
) -> Result<PreparedDelivery, InvalidLength> {
    let body = delivery_body(&delivery_id, notification);
    let signature =
        secrets.iter().map(|secret| sign(secret, timestamp, &body)).collect::<Result<Vec<_>, _>>()?.join(", ");
    Ok(PreparedDelivery { id: delivery_id, url, body, timestamp, signature })
}

/// The JSON body a delivery POSTs: the notification, with the delivery's id; a stored
/// payload that cannot be read goes as null.
pub fn delivery_body(delivery_id: &str, notification: &NotificationRow) -> String {
    serde_json::json!({
        "id": notification.id,
        "delivery": delivery_id,
        "kind": notification.kind,
        "recipient": notification.recipient,
        "project_id": notification.project_id,
        "payload": serde_json::from_str::<serde_json::Value>(&notification.payload).unwrap_or_default(),
        "created_at": notification.created_at.and_utc(),
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> chrono::NaiveDateTime {
        chrono::DateTime::from_timestamp(seconds, 0).unwrap().naive_utc()
    }

    fn row() -> SubscriptionRow {
        SubscriptionRow {
            id: "w1".into(),
            owner: "o".into(),
            url: "https://example.gov.cn/hook".into(),
            secret: "s3cret".into(),
            active: 1,
            created_at: at(1_700_000_000),
            previous_secret: Some("old".into()),
            previous_secret_until: Some(at(1_700_003_600)),
        }
    }

    fn delivery(status: DeliveryStatus) -> DeliveryRow {
        DeliveryRow {
            id: "d".into(),
            subscription_id: "w1".into(),
            notification_id: "n".into(),
            status: status.as_str().into(),
            attempts: 0,
            next_attempt_at: at(1_700_000_000),
            delivered_at: None,
            last_error: None,
        }
    }

    #[test]
    fn a_subscription_counts_its_deliveries_and_shows_its_secret_only_when_asked() {
        let deliveries = [
            delivery(DeliveryStatus::Delivered),
            delivery(DeliveryStatus::Delivered),
            delivery(DeliveryStatus::Failed),
        ];
        let shown = Subscription::from_row(row(), &deliveries, true);
        assert_eq!((shown.delivered, shown.pending, shown.failed), (2, 0, 1));
        assert_eq!(shown.secret.as_deref(), Some("s3cret"));
        assert!(shown.active);
        assert_eq!(shown.created_at.timestamp(), 1_700_000_000);
        assert_eq!(shown.previous_secret_until.map(|t| t.timestamp()), Some(1_700_003_600));
        let hidden = Subscription::from_row(SubscriptionRow { active: 0, previous_secret: None, ..row() }, &[], false);
        assert_eq!(hidden.secret, None);
        assert!(!hidden.active);
        assert_eq!(hidden.previous_secret_until, None, "no grace without a previous secret");
    }

    fn notification(payload: &str) -> NotificationRow {
        NotificationRow {
            id: "n1".into(),
            recipient: "public".into(),
            project_id: Some("p1".into()),
            kind: "event.opening_recorded".into(),
            payload: payload.into(),
            created_at: DateTime::from_timestamp(1_700_000_000, 0).unwrap().naive_utc(),
            read_at: None,
        }
    }

    #[test]
    fn a_delivery_body_carries_the_notification_and_its_delivery() {
        let body: serde_json::Value = serde_json::from_str(&delivery_body("d1", &notification(r#"{"a":1}"#))).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "id": "n1",
                "delivery": "d1",
                "kind": "event.opening_recorded",
                "recipient": "public",
                "project_id": "p1",
                "payload": {"a": 1},
                "created_at": "2023-11-14T22:13:20Z",
            })
        );
        let unreadable: serde_json::Value = serde_json::from_str(&delivery_body("d1", &notification("{"))).unwrap();
        assert_eq!(unreadable["payload"], serde_json::Value::Null);
    }

    #[test]
    fn a_rotation_signs_with_the_new_secret_and_keeps_the_old_one_until_the_grace_ends() {
        let until = at(1_700_090_000);
        let rotated = rotated_row(row(), "fresh".into(), until);
        assert_eq!(rotated.secret, "fresh");
        assert_eq!(rotated.previous_secret.as_deref(), Some("s3cret"));
        assert_eq!(rotated.previous_secret_until, Some(until));
        assert_eq!((rotated.id.as_str(), rotated.owner.as_str(), rotated.active), ("w1", "o", 1));
    }

    #[test]
    fn a_signature_is_the_hmac_sha256_of_timestamp_dot_body() {
        // HMAC-SHA256("k", "1700000000.{}") as any receiver computes it.
        let signed = sign("k", 1_700_000_000, "{}").unwrap();
        assert_eq!(signed, "sha256=c6ef4734033cee2367414a0939385eca0397754aa7a59716da7463a9298b5146");
        assert_ne!(signed, sign("k", 1_700_000_001, "{}").unwrap(), "the timestamp is signed");
        assert_ne!(signed, sign("other", 1_700_000_000, "{}").unwrap(), "the secret keys it");
    }

    #[test]
    fn a_prepared_delivery_carries_one_signature_per_secret_newest_first() {
        let n = notification(r#"{"a":1}"#);
        let prepared = prepared_delivery("d1".into(), "https://x".into(), &n, &["new", "old"], 1_700_000_000).unwrap();
        assert_eq!(
            (prepared.id.as_str(), prepared.url.as_str(), prepared.timestamp),
            ("d1", "https://x", 1_700_000_000)
        );
        assert_eq!(prepared.body, delivery_body("d1", &n));
        let new = sign("new", 1_700_000_000, &prepared.body).unwrap();
        let old = sign("old", 1_700_000_000, &prepared.body).unwrap();
        assert_eq!(prepared.signature, format!("{new}, {old}"));
        let single = prepared_delivery("d1".into(), "https://x".into(), &n, &["new"], 1_700_000_000).unwrap();
        assert_eq!(single.signature, new);
    }

    #[test]
    fn a_new_subscription_is_active_without_a_previous_secret() {
        let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap().naive_utc();
        let row = new_subscription_row("s1".into(), "system:x".into(), "https://x".into(), "ab".into(), at);
        assert_eq!((row.active, row.created_at, &row.previous_secret, row.previous_secret_until), (1, at, &None, None));
        let shown = Subscription::from_row(row, &[], true);
        assert_eq!((shown.secret.as_deref(), shown.active, shown.pending), (Some("ab"), true, 0));
    }
}
