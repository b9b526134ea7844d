//! Webhooks for other district systems: every notification is delivered to every active
//! subscription, signed with HMAC-SHA256 over `timestamp.body` with the subscription's
//! secret, and retried with exponential back-off until it is taken or gives up.

use ggzy_oversight::notices::{self, DeliveryStatus};
use ggzy_oversight::subscriptions;
use ggzy_store::webhooks as repo;
use rand::RngCore;

use crate::policy::{authorized, Action};
use crate::{Principal, ServiceError};
use ggzy_views::webhooks::{new_subscription_row, prepared_delivery, rotated_row};
pub use ggzy_views::webhooks::{sign, NewSubscription, PreparedDelivery, RotateWebhookSecret, Subscription};

/// A new random signing secret (32 bytes, hex).
fn fresh_secret() -> String {
    let mut secret = [0_u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    hex::encode(secret)
}

impl crate::contexts::Disclosure<'_> {
    /// A district system subscribes to the platform's notifications.
    pub fn subscribe(
        &self,
        principal: Option<&Principal>,
        request: NewSubscription,
    ) -> Result<Subscription, ServiceError> {
        let principal = authorized(principal, Action::SubscribeWebhooks)?;
        let url = subscriptions::read_url(request.url).map_err(ServiceError::Invalid)?;
        let row = new_subscription_row(self.fresh_id(), principal.actor(), url, fresh_secret(), self.now_naive());
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
        let now = self.now();
        self.store().write(|conn| {
            let Some(row) = repo::find_subscription(conn, id)?.filter(|row| row.owner == owner) else {
                return Err(ServiceError::NotFound { what: "subscription" });
            };
            let until = subscriptions::previous_secret_until(request.grace_hours, now)
                .map_err(|problem| ServiceError::Invalid(vec![problem]))?
                .naive_utc();
            let secret = fresh_secret();
            // Rotated only if the secret is still the one read, as another rotation may have come in between.
            if !repo::rotate_secret(conn, id, &secret, &row.secret, until)? {
                return Err(ServiceError::Conflict {
                    detail: "该订阅的密钥刚被另一请求轮换，请重新读取后再试".into()
                });
            }
            Ok(Subscription::from_row(rotated_row(row, secret, until), &repo::deliveries_of(conn, id)?, true))
        })
    }

    pub fn subscriptions(&self, principal: Option<&Principal>) -> Result<Vec<Subscription>, ServiceError> {
        let principal = principal.ok_or(ServiceError::Unauthenticated)?;
        let rows = self.store().read(|conn| repo::subscriptions_with_deliveries(conn, &principal.actor()))?;
        Ok(rows.into_iter().map(|(row, deliveries)| Subscription::from_row(row, &deliveries, false)).collect())
    }

    /// Deliveries due now, signed and ready to send.
    pub fn due_webhook_deliveries(&self, limit: i64) -> Result<Vec<PreparedDelivery>, ServiceError> {
        let now = self.now_naive();
        let timestamp = self.now().timestamp();
        let due = self.store().read(|conn| repo::due(conn, DeliveryStatus::Pending.as_str(), now, limit))?;
        due.into_iter()
            .map(|(delivery, subscription, notification)| {
                let secrets = subscriptions::signing_secrets(
                    &subscription.secret,
                    subscription.previous_secret.as_deref(),
                    subscription.previous_secret_until.map(crate::utc),
                    crate::utc(now),
                );
                prepared_delivery(delivery.id, subscription.url, &notification, &secrets, timestamp)
                    .map_err(|e| ServiceError::Internal(e.to_string()))
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
