//! Response and request bodies of service_quality (see `ggzy_service::service_quality` for the use cases).

use chrono::{DateTime, Utc};
pub use ggzy_oversight::service_quality::{PublishServiceItem, RateService};
use ggzy_store::service_quality::{RatingRow, ServiceItemRow};
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

impl From<ServiceItemRow> for ServiceItem {
    fn from(row: ServiceItemRow) -> Self {
        ServiceItem {
            id: row.id,
            name: row.name,
            promised_working_days: row.promised_working_days,
            description: row.description,
            published_at: row.published_at.and_utc(),
        }
    }
}

impl From<RatingRow> for ServiceRating {
    fn from(row: RatingRow) -> Self {
        ServiceRating {
            id: row.id,
            service_item_id: row.service_item_id,
            project_id: row.project_id,
            score: row.score,
            on_time: row.on_time != 0,
            rated_at: row.rated_at.and_utc(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> chrono::NaiveDateTime {
        chrono::DateTime::from_timestamp(seconds, 0).unwrap().naive_utc()
    }

    #[test]
    fn an_item_shows_what_its_row_held() {
        let item = ServiceItem::from(ServiceItemRow {
            id: "bond_refund".into(),
            name: "保证金退还".into(),
            promised_working_days: 5,
            description: "d".into(),
            published_by: "staff".into(),
            published_at: at(1_700_000_000),
        });
        assert_eq!(
            (item.id.as_str(), item.name.as_str(), item.promised_working_days),
            ("bond_refund", "保证金退还", 5)
        );
        assert_eq!(item.description, "d");
        assert_eq!(item.published_at.timestamp(), 1_700_000_000);
    }

    #[test]
    fn a_rating_shows_what_its_row_held_and_on_time_as_a_flag() {
        let row = RatingRow {
            id: "r1".into(),
            service_item_id: "bond_refund".into(),
            participant_id: "b1".into(),
            project_id: "p1".into(),
            score: 4,
            on_time: 1,
            comment: None,
            rated_at: at(1_700_000_000),
        };
        let rating = ServiceRating::from(row.clone());
        assert_eq!(
            (rating.id.as_str(), rating.service_item_id.as_str(), rating.project_id.as_str()),
            ("r1", "bond_refund", "p1")
        );
        assert_eq!((rating.score, rating.on_time), (4, true));
        assert_eq!(rating.rated_at.timestamp(), 1_700_000_000);
        assert!(!ServiceRating::from(RatingRow { on_time: 0, ..row }).on_time);
    }
}
