//! Response and request bodies of service_quality (see `ggzy_service::service_quality` for the use cases).

use chrono::{DateTime, Utc};
pub use ggzy_oversight::service_quality::{PublishServiceItem, RateService};
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceItem {
    pub id: String,
    pub name: String,
    pub promised_working_days: i32,
    pub description: String,
    pub published_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceRating {
    pub id: String,
    pub service_item_id: String,
    pub project_id: String,
    pub score: i32,
    pub on_time: bool,
    pub rated_at: DateTime<Utc>,
}

/// One item's published promise and how it is rated.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceItemQuality {
    pub service_item_id: String,
    pub name: String,
    pub promised_working_days: i32,
    pub ratings: i64,
    /// Two decimals; absent without ratings.
    #[schema(value_type = Option<String>, example = "4.50")]
    pub average_score: Option<Decimal>,
    /// Share of ratings saying the service came on time, percent with two decimals.
    #[schema(value_type = Option<String>, example = "95.00")]
    pub on_time_percent: Option<Decimal>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceQuality {
    pub items: Vec<ServiceItemQuality>,
    /// Bonds refunded so far, and the percentage refunded before their legal deadline
    /// (measured by the platform, not rated).
    pub bond_refunds: i64,
    #[schema(value_type = Option<String>)]
    pub bond_refunds_on_time_percent: Option<Decimal>,
}
