//! Service quality (细则 §39–40): the centre publishes each service item with the time it
//! promises; participants of a project rate a service they received (score and whether it
//! came within the promise); averages and on-time rates are public, beside the measured
//! on-time rate of bond refunds.

use chrono::{DateTime, Utc};
use ggzy_kernel::FieldError;
use ggzy_store::service_quality::{self as repo, RatingRow, ServiceItemRow};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::policy::{authorize, Action};
use crate::two_places;
use crate::validate::Problems;
use crate::{Platform, Principal, ServiceError};

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishServiceItem {
    #[schema(required = true, value_type = String, example = "项目登记")]
    pub name: Option<String>,
    /// The time the centre promises, in working days (1–60).
    #[serde(default, deserialize_with = "crate::validate::whole_number")]
    #[schema(required = true, value_type = i32, minimum = 1, maximum = 60, example = 1)]
    pub promised_working_days: Option<i32>,
    #[schema(required = true, value_type = String)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceItem {
    pub id: String,
    pub name: String,
    pub promised_working_days: i32,
    pub description: String,
    pub published_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateService {
    #[schema(required = true, value_type = String)]
    pub service_item_id: Option<String>,
    /// The project the service was for; the rater must be a party to it.
    #[schema(required = true, value_type = String, format = Uuid)]
    pub project_id: Option<String>,
    /// 1 (poor) to 5 (excellent).
    #[serde(default, deserialize_with = "crate::validate::whole_number")]
    #[schema(required = true, value_type = i32, minimum = 1, maximum = 5, example = 5)]
    pub score: Option<i32>,
    /// Whether the service was done within the promised time.
    #[schema(required = true, value_type = bool)]
    pub on_time: Option<bool>,
    pub comment: Option<String>,
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

fn percent(part: i64, whole: i64) -> Option<Decimal> {
    (whole > 0).then(|| two_places(Decimal::from(part) * Decimal::ONE_HUNDRED / Decimal::from(whole)))
}

fn item_view(row: ServiceItemRow) -> ServiceItem {
    ServiceItem {
        id: row.id,
        name: row.name,
        promised_working_days: row.promised_working_days,
        description: row.description,
        published_at: DateTime::from_naive_utc_and_offset(row.published_at, Utc),
    }
}

impl Platform {
    /// The centre publishes (or revises) a service item and its promised time.
    pub fn publish_service_item(
        &self,
        principal: Option<&Principal>,
        id: &str,
        request: PublishServiceItem,
    ) -> Result<ServiceItem, ServiceError> {
        authorize(principal, Action::PublishServiceItems)?;
        let principal = principal.ok_or(ServiceError::Unauthenticated)?;
        let mut problems = Problems::default();
        if id.is_empty()
            || id.len() > 50
            || !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            problems.push(FieldError::new("id", "invalid_id", "服务事项标识为小写字母、数字和下划线，50 字以内"));
        }
        let name = problems.required("name", request.name).and_then(|n| problems.text("name", n, 100));
        let days = problems.required("promised_working_days", request.promised_working_days);
        if days.is_some_and(|d| !(1..=60).contains(&d)) {
            problems.push(FieldError::new("promised_working_days", "out_of_range", "承诺时限为 1 至 60 个工作日"));
        }
        let description =
            problems.required("description", request.description).and_then(|d| problems.text("description", d, 1000));
        problems.finish()?;
        let (Some(name), Some(days), Some(description)) = (name, days, description) else {
            return Err(ServiceError::Internal("validation passed without values".into()));
        };
        let now = self.now_naive();
        self.store().write(|conn| {
            let row = ServiceItemRow {
                id: id.to_owned(),
                name,
                promised_working_days: days,
                description,
                published_by: principal.actor(),
                published_at: now,
            };
            repo::publish_item(conn, &row)?;
            crate::record(
                conn,
                principal,
                now,
                crate::AuditRecord {
                    chain: format!("service_item:{id}"),
                    action: "service_item.publish",
                    object_type: "service_item",
                    object_id: id.to_owned(),
                    payload: serde_json::json!({ "name": row.name, "promised_working_days": days }),
                },
            )?;
            Ok(item_view(row))
        })
    }

    /// The published service items (public).
    pub fn service_items(&self) -> Result<Vec<ServiceItem>, ServiceError> {
        Ok(self.store().read(repo::items)?.into_iter().map(item_view).collect())
    }

    /// A party to a project rates a service it received there, once per item and project.
    pub fn rate_service(
        &self,
        principal: Option<&Principal>,
        request: RateService,
    ) -> Result<ServiceRating, ServiceError> {
        authorize(principal, Action::RateService)?;
        let principal = principal.ok_or(ServiceError::Unauthenticated)?;
        let participant = principal.org.clone().unwrap_or_default();
        let mut problems = Problems::default();
        let item = problems.required("service_item_id", request.service_item_id);
        let project = problems.required("project_id", request.project_id).and_then(|p| problems.uuid("project_id", p));
        let score = problems.required("score", request.score);
        if score.is_some_and(|s| !(1..=5).contains(&s)) {
            problems.push(FieldError::new("score", "out_of_range", "评分为 1 至 5"));
        }
        let on_time = problems.required("on_time", request.on_time);
        let comment = request.comment.and_then(|c| problems.text("comment", c, 500));
        problems.finish()?;
        let (Some(item), Some(project_id), Some(score), Some(on_time)) = (item, project, score, on_time) else {
            return Err(ServiceError::Internal("validation passed without values".into()));
        };
        let now = self.now_naive();
        self.store().write(|conn| {
            let mut problems = Problems::default();
            if repo::find_item(conn, &item)?.is_none() {
                problems.push(FieldError::new("service_item_id", "unknown_item", "服务事项未公布"));
            }
            let project = ggzy_store::projects::find(conn, &project_id)?;
            let party = match &project {
                None => {
                    problems.push(FieldError::new("project_id", "unknown_project", "项目不存在"));
                    false
                }
                Some(project) => {
                    project.tenderer_id == participant
                        || Self::agencies_of(conn, &project.id)?.contains(&participant)
                        || ggzy_store::projects::sections_of(conn, &project.id)?.iter().try_fold(
                            false,
                            |found, s| {
                                Ok::<bool, ServiceError>(
                                    found || ggzy_store::ledger::bond_of(conn, &s.id, &participant)?.is_some(),
                                )
                            },
                        )?
                }
            };
            if project.is_some() && !party {
                problems.push(FieldError::new("project_id", "not_a_party", "只能评价本单位参与项目中接受的服务"));
            }
            problems.finish()?;
            let row = RatingRow {
                id: self.fresh_id(),
                service_item_id: item.clone(),
                participant_id: participant.clone(),
                project_id: project_id.clone(),
                score,
                on_time: i32::from(on_time),
                comment,
                rated_at: now,
            };
            if !repo::insert_rating(conn, &row)? {
                return Err(ServiceError::Conflict { detail: "已评价过该项目的这项服务".into() });
            }
            Ok(ServiceRating {
                id: row.id,
                service_item_id: row.service_item_id,
                project_id: row.project_id,
                score,
                on_time,
                rated_at: DateTime::from_naive_utc_and_offset(now, Utc),
            })
        })
    }

    /// Aggregated ratings and on-time rates (public; raters are not shown).
    pub fn service_quality(&self) -> Result<ServiceQuality, ServiceError> {
        self.store().read(|conn| {
            let totals = repo::rating_totals(conn)?;
            let items = repo::items(conn)?
                .into_iter()
                .map(|item| {
                    let (ratings, sum, on_time) = totals
                        .iter()
                        .find(|(id, ..)| *id == item.id)
                        .map_or((0, 0, 0), |(_, n, sum, on_time)| (*n, *sum, *on_time));
                    ServiceItemQuality {
                        average_score: (ratings > 0).then(|| two_places(Decimal::from(sum) / Decimal::from(ratings))),
                        on_time_percent: percent(on_time, ratings),
                        service_item_id: item.id,
                        name: item.name,
                        promised_working_days: item.promised_working_days,
                        ratings,
                    }
                })
                .collect();
            let (refunds, on_time) = repo::refund_timeliness(conn)?;
            Ok(ServiceQuality { items, bond_refunds: refunds, bond_refunds_on_time_percent: percent(on_time, refunds) })
        })
    }
}
