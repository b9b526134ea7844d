//! Response and request bodies of service_quality (see `ggzy_service::service_quality` for the use cases).

use chrono::NaiveDateTime;
use chrono::{DateTime, Utc};
use ggzy_kernel::AuditAction;
use ggzy_oversight::service_quality::{self as decide, ItemRating, RatingValues, ServiceItemValues};
pub use ggzy_oversight::service_quality::{PublishServiceItem, RateService};
use ggzy_store::service_quality::{RatingRow, ServiceItemRow};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::audit_entry::AuditEntry;

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

/// The row of service item `id` as `published_by` publishes (or revises) it now.
pub fn published_item_row(
    id: &str,
    item: ServiceItemValues,
    published_by: String,
    now: NaiveDateTime,
) -> ServiceItemRow {
    ServiceItemRow {
        id: id.to_owned(),
        name: item.name,
        promised_working_days: item.promised_working_days,
        description: item.description,
        published_by,
        published_at: now,
    }
}

/// The row of a rating `participant_id` gives now.
pub fn rating_row(id: String, rating: RatingValues, participant_id: String, now: NaiveDateTime) -> RatingRow {
    RatingRow {
        id,
        service_item_id: rating.service_item_id,
        participant_id,
        project_id: rating.project_id,
        score: rating.score,
        on_time: i32::from(rating.on_time),
        comment: rating.comment,
        rated_at: now,
    }
}

/// What the audit trail keeps of a published (or revised) item, on its own chain: its name
/// and promised time.
pub fn published_item_entry(item: &ServiceItemRow) -> AuditEntry<Value> {
    AuditEntry {
        chain: format!("service_item:{}", item.id),
        action: AuditAction::ServiceItemPublish,
        object_type: "service_item",
        object_id: item.id.clone(),
        payload: serde_json::json!({ "name": item.name, "promised_working_days": item.promised_working_days }),
    }
}

/// An item with its ratings, from the totals per item (`(item id, ratings, score sum,
/// on time)`); an item no one rated has none.
pub fn item_quality(item: ServiceItemRow, totals: &[(String, i64, i64, i64)]) -> ServiceItemQuality {
    let (ratings, sum, on_time) =
        totals.iter().find(|(id, ..)| *id == item.id).map_or((0, 0, 0), |(_, n, sum, on_time)| (*n, *sum, *on_time));
    let ItemRating { average_score, on_time_percent } = decide::item_rating(ratings, sum, on_time);
    ServiceItemQuality {
        average_score,
        on_time_percent,
        service_item_id: item.id,
        name: item.name,
        promised_working_days: item.promised_working_days,
        ratings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> chrono::NaiveDateTime {
        chrono::DateTime::from_timestamp(seconds, 0).unwrap().naive_utc()
    }

    #[test]
    fn a_published_item_is_kept_on_its_own_chain_with_its_name_and_promise() {
        let row = ServiceItemRow {
            id: "bond_refund".into(),
            name: "保证金退还".into(),
            promised_working_days: 5,
            description: "d".into(),
            published_by: "staff".into(),
            published_at: at(1_700_000_000),
        };
        let entry = published_item_entry(&row);
        assert_eq!(
            (entry.chain.as_str(), entry.object_type, entry.object_id.as_str()),
            ("service_item:bond_refund", "service_item", "bond_refund")
        );
        assert_eq!(entry.action, AuditAction::ServiceItemPublish);
        assert_eq!(entry.payload, serde_json::json!({ "name": "保证金退还", "promised_working_days": 5 }));
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

    fn now() -> NaiveDateTime {
        DateTime::from_timestamp(1_700_000_000, 0).unwrap().naive_utc()
    }

    #[test]
    fn a_published_item_is_stored_under_its_id_by_its_publisher() {
        let values =
            ServiceItemValues { name: "场地预约".into(), promised_working_days: 2, description: "d".into() };
        let row = published_item_row("venue", values, "staff:u1@centre".into(), now());
        assert_eq!(
            row,
            ServiceItemRow {
                id: "venue".into(),
                name: "场地预约".into(),
                promised_working_days: 2,
                description: "d".into(),
                published_by: "staff:u1@centre".into(),
                published_at: now(),
            }
        );
    }

    #[test]
    fn a_rating_is_stored_with_its_rater_and_on_time_as_a_flag() {
        let values = |on_time| RatingValues {
            service_item_id: "venue".into(),
            project_id: "p1".into(),
            score: 4,
            on_time,
            comment: Some("好".into()),
        };
        let row = rating_row("r1".into(), values(true), "b1".into(), now());
        assert_eq!(
            (row.service_item_id.as_str(), row.participant_id.as_str(), row.project_id.as_str()),
            ("venue", "b1", "p1")
        );
        assert_eq!((row.score, row.on_time, row.comment.as_deref(), row.rated_at), (4, 1, Some("好"), now()));
        assert_eq!(rating_row("r2".into(), values(false), "b1".into(), now()).on_time, 0);
    }

    #[test]
    fn an_items_quality_comes_from_its_own_totals_only() {
        let item = |id: &str| ServiceItemRow {
            id: id.into(),
            name: "n".into(),
            promised_working_days: 3,
            description: String::new(),
            published_by: String::new(),
            published_at: now(),
        };
        let totals = vec![("other".to_owned(), 9, 9, 9), ("venue".to_owned(), 4, 18, 3)];
        let rated = item_quality(item("venue"), &totals);
        assert_eq!((rated.service_item_id.as_str(), rated.ratings, rated.promised_working_days), ("venue", 4, 3));
        assert_eq!(rated.average_score, Some(Decimal::new(450, 2)));
        assert_eq!(rated.on_time_percent, Some(Decimal::new(7500, 2)));
        let unrated = item_quality(item("new"), &totals);
        assert_eq!((unrated.ratings, unrated.average_score, unrated.on_time_percent), (0, None, None));
    }
}
