//! Service quality (细则 §39–40): the centre publishes each service item with the time it
//! promises; participants of a project rate a service they received (score and whether it
//! came within the promise); averages and on-time rates are public, beside the measured
//! on-time rate of bond refunds.

use ggzy_oversight::service_quality::{self as decide, ProjectParties};
use ggzy_store::service_quality as repo;

use crate::policy::{authorized, Action};
use crate::{Principal, ServiceError};

pub use ggzy_oversight::service_quality::{PublishServiceItem, RateService};
use ggzy_views::service_quality::{item_quality, published_item_entry, published_item_row, rating_row};
pub use ggzy_views::service_quality::{ServiceItem, ServiceItemQuality, ServiceQuality, ServiceRating};

impl crate::contexts::Oversight<'_> {
    /// The centre publishes (or revises) a service item and its promised time.
    pub fn publish_service_item(
        &self,
        principal: Option<&Principal>,
        id: &str,
        request: PublishServiceItem,
    ) -> Result<ServiceItem, ServiceError> {
        let principal = authorized(principal, Action::PublishServiceItems)?;
        let item = decide::read_service_item(id, request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            let row = published_item_row(id, item, principal.actor(), now);
            repo::publish_item(conn, &row)?;
            crate::record_entry(conn, principal, now, published_item_entry(&row))?;
            Ok(ServiceItem::from(row))
        })
    }

    /// The published service items (public).
    pub fn service_items(&self) -> Result<Vec<ServiceItem>, ServiceError> {
        Ok(self.store().read(repo::items)?.into_iter().map(ServiceItem::from).collect())
    }

    /// A party to a project rates a service it received there, once per item and project.
    pub fn rate_service(
        &self,
        principal: Option<&Principal>,
        request: RateService,
    ) -> Result<ServiceRating, ServiceError> {
        let principal = authorized(principal, Action::RateService)?;
        let participant = principal.org.clone().unwrap_or_default();
        let rating = decide::read_rating(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            let published = repo::find_item(conn, &rating.service_item_id)?.is_some();
            let parties = match ggzy_store::projects::find(conn, &rating.project_id)? {
                None => None,
                Some(project) => {
                    let rater_holds_bond = repo::holds_bond_in_project(conn, &project.id, &participant)?;
                    let agencies = crate::contexts::Tendering::agencies_of(conn, &project.id)?;
                    Some(ProjectParties { tenderer_id: project.tenderer_id, agencies, rater_holds_bond })
                }
            };
            decide::check_rating(published, parties.as_ref(), &participant).map_err(ServiceError::Invalid)?;
            let row = rating_row(self.fresh_id(), rating, participant.clone(), now);
            if !repo::insert_rating(conn, &row)? {
                return Err(ServiceError::Conflict { detail: "已评价过该项目的这项服务".into() });
            }
            Ok(ServiceRating::from(row))
        })
    }

    /// Aggregated ratings and on-time rates (public; raters are not shown).
    pub fn service_quality(&self) -> Result<ServiceQuality, ServiceError> {
        self.store().read(|conn| {
            let totals = repo::rating_totals(conn)?;
            let items = repo::items(conn)?.into_iter().map(|item| item_quality(item, &totals)).collect();
            let (refunds, on_time) = repo::refund_timeliness(conn)?;
            Ok(ServiceQuality {
                items,
                bond_refunds: refunds,
                bond_refunds_on_time_percent: decide::percent(on_time, refunds),
            })
        })
    }
}
