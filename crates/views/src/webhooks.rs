//! Response and request bodies of webhooks (see `ggzy_service::webhooks` for the use cases).

use chrono::{DateTime, Utc};
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
