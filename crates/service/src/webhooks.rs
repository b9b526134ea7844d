//! Webhooks for other district systems: every notification is delivered to every active
//! subscription, signed with HMAC-SHA256 over `timestamp.body` with the subscription's
//! secret, and retried with exponential back-off until it is taken or gives up.

use ggzy_oversight::notices::{self, DeliveryStatus};
use ggzy_oversight::subscriptions;
use ggzy_store::webhooks::{self as repo, SubscriptionRow};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::policy::{authorize, Action};
use crate::{Principal, ServiceError};
use ggzy_views::webhooks::{delivery_body, new_subscription_row};
pub use ggzy_views::webhooks::{NewSubscription, RotateWebhookSecret, Subscription};

/// A delivery ready to send: the body and its signature headers.
#[derive(Debug, Clone)]
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
pub fn sign(secret: &str, timestamp: i64, body: &str) -> Result<String, ServiceError> {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).map_err(|e| ServiceError::Internal(e.to_string()))?;
    mac.update(format!("{timestamp}.{body}").as_bytes());
    Ok(format!("sha256={}", hex::encode(mac.finalize().into_bytes())))
}

impl crate::contexts::Disclosure<'_> {
    /// A district system subscribes to the platform's notifications.
    pub fn subscribe(
        &self,
        principal: Option<&Principal>,
        request: NewSubscription,
    ) -> Result<Subscription, ServiceError> {
        authorize(principal, Action::SubscribeWebhooks)?;
        let principal = principal.ok_or(ServiceError::Unauthenticated)?;
        let url = subscriptions::read_url(request.url).map_err(ServiceError::Invalid)?;
        let mut secret = [0_u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut secret);
        let row = new_subscription_row(self.fresh_id(), principal.actor(), url, hex::encode(secret), self.now_naive());
        self.store().write(|conn| repo::insert_subscription(conn, &row).map_err(ServiceError::from))?;
        Ok(Subscription::from_row(row, &[], true))
    }

    /// A new secret for one's own subscription, shown once; the old one keeps signing the
    /// deliveries (a second signature) for `grace_hours`, so the receiver can switch over
    /// without losing one.
    pub fn rotate_webhook_secret(
        &self,
        principal: Option<&Principal>,
        id: &str,
        request: RotateWebhookSecret,
    ) -> Result<Subscription, ServiceError> {
        let principal = principal.ok_or(ServiceError::Unauthenticated)?;
        let owner = principal.actor();
        let found = self.store().read(|conn| repo::find_subscription(conn, id))?;
        let Some(row) = found.filter(|row| row.owner == owner) else {
            return Err(ServiceError::NotFound { what: "subscription" });
        };
        let until = subscriptions::previous_secret_until(request.grace_hours, self.now())
            .map_err(|problem| ServiceError::Invalid(vec![problem]))?
            .naive_utc();
        let mut secret = [0_u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut secret);
        let secret = hex::encode(secret);
        if !self.store().write(|conn| repo::rotate_secret(conn, id, &secret, &row.secret, until))? {
            return Err(ServiceError::Conflict {
                detail: "该订阅的密钥刚被另一请求轮换，请重新读取后再试".into()
            });
        }
        let rotated = SubscriptionRow {
            secret,
            previous_secret: Some(row.secret.clone()),
            previous_secret_until: Some(until),
            ..row
        };
        let deliveries = self.store().read(|conn| repo::deliveries_of(conn, id))?;
        Ok(Subscription::from_row(rotated, &deliveries, true))
    }

    pub fn subscriptions(&self, principal: Option<&Principal>) -> Result<Vec<Subscription>, ServiceError> {
        let principal = principal.ok_or(ServiceError::Unauthenticated)?;
        self.store().read(|conn| {
            let rows = repo::subscriptions_of(conn, &principal.actor())?;
            rows.into_iter()
                .map(|row| {
                    let deliveries = repo::deliveries_of(conn, &row.id)?;
                    Ok(Subscription::from_row(row, &deliveries, false))
                })
                .collect()
        })
    }

    /// Deliveries due now, signed and ready to send.
    pub fn due_webhook_deliveries(&self, limit: i64) -> Result<Vec<PreparedDelivery>, ServiceError> {
        let now = self.now_naive();
        let timestamp = self.now().timestamp();
        let due = self.store().read(|conn| repo::due(conn, DeliveryStatus::Pending.as_str(), now, limit))?;
        due.into_iter()
            .map(|(delivery, subscription, notification)| {
                let body = delivery_body(&delivery.id, &notification);
                let secrets = subscriptions::signing_secrets(
                    &subscription.secret,
                    subscription.previous_secret.as_deref(),
                    subscription.previous_secret_until.map(crate::utc),
                    crate::utc(now),
                );
                let signature = secrets
                    .into_iter()
                    .map(|secret| sign(secret, timestamp, &body))
                    .collect::<Result<Vec<_>, _>>()?
                    .join(", ");
                Ok(PreparedDelivery { signature, id: delivery.id, url: subscription.url, body, timestamp })
            })
            .collect()
    }

    /// Records the outcome of one attempt (`ggzy_oversight::notices::after_attempt`: a
    /// failure is retried with a growing wait and given up after ten attempts).
    pub fn record_webhook_attempt(&self, delivery_id: &str, outcome: Result<(), String>) -> Result<(), ServiceError> {
        let now = self.now();
        self.store().write(|conn| {
            let earlier = repo::deliveries_of_id(conn, delivery_id)?.map(|d| d.attempts).unwrap_or(0);
            let record = notices::after_attempt(earlier, outcome, now);
            repo::record_attempt(
                conn,
                delivery_id,
                record.status.as_str(),
                record.attempts,
                record.next_attempt_at.naive_utc(),
                record.delivered_at.map(|t| t.naive_utc()),
                record.last_error.as_deref(),
            )?;
            Ok(())
        })
    }
}
