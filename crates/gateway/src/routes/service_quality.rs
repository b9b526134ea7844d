use actix_web::{get, post, put, web, HttpResponse};
use ggzy_service::service_quality::{PublishServiceItem, RateService, ServiceItem, ServiceQuality, ServiceRating};

use super::run;
use crate::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::AppState;

/// Centre staff publish (or revise) a service item and the time they promise for it
/// (细则 §39).
#[utoipa::path(
    tag = "public",
    params(("id" = String, Path, description = "Item id: lower-case letters, digits and _")),
    request_body = PublishServiceItem,
    responses(
        (status = 200, description = "Published", body = ServiceItem),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not centre staff", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn publish_service_item(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<PublishServiceItem>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let item =
        run(&state, move |p| p.oversight().publish_service_item(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(item))
}

/// The centre's service items with their promised times (no token needed).
#[utoipa::path(
    tag = "public",
    responses(
        (status = 200, description = "Service items", body = Vec<ServiceItem>),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/service-items")]
#[tracing::instrument(skip_all)]
pub async fn service_items(state: web::Data<AppState>, _caller: Caller) -> Result<HttpResponse, ApiError> {
    let items = run(&state, move |p| p.oversight().service_items()).await?;
    Ok(HttpResponse::Ok().json(items))
}

/// A party to a project rates a service it received there (细则 §40), once per item and
/// project.
#[utoipa::path(
    tag = "public",
    request_body = RateService,
    responses(
        (status = 201, description = "Rated", body = ServiceRating),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a market participant", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already rated", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn rate_service(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<RateService>,
) -> Result<HttpResponse, ApiError> {
    let rating = run(&state, move |p| p.oversight().rate_service(caller.principal(), body.into_inner())).await?;
    Ok(HttpResponse::Created().json(rating))
}

/// Ratings and on-time rates per service item, and the measured on-time rate of bond
/// refunds (no token needed; raters are not shown).
#[utoipa::path(
    tag = "public",
    responses(
        (status = 200, description = "Service quality", body = ServiceQuality),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/service-quality")]
#[tracing::instrument(skip_all)]
pub async fn service_quality(state: web::Data<AppState>, _caller: Caller) -> Result<HttpResponse, ApiError> {
    let quality = run(&state, move |p| p.oversight().service_quality()).await?;
    Ok(HttpResponse::Ok().json(quality))
}
