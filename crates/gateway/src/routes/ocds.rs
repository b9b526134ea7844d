//! Open Contracting Data Standard 1.1.5 publication: public, no token.

use actix_web::{get, web, HttpResponse};
use ggzy_service::ocds::{RecordPackage, ReleasePackage, ReleaseQuery};

use super::run;
use crate::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::AppState;

/// Releases of every public contracting process in publication order, as an OCDS release
/// package (no token needed). Follow `links.next` until the answer is 204 (nothing after
/// the cursor yet: keep the cursor and ask again later); a release is never inserted before
/// a cursor already handed out.
#[utoipa::path(
    tag = "public",
    params(ReleaseQuery),
    responses(
        (status = 200, description = "A release package", body = ReleasePackage),
        (status = 204, description = "No release after the cursor yet"),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid cursor or limit", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/releases")]
#[tracing::instrument(skip_all)]
pub async fn list_releases(
    state: web::Data<AppState>,
    _caller: Caller,
    query: web::Query<ReleaseQuery>,
) -> Result<HttpResponse, ApiError> {
    Ok(match run(&state, move |p| p.disclosure().ocds_releases(query.into_inner())).await? {
        Some(package) => HttpResponse::Ok().content_type("application/json").body(package.0),
        None => HttpResponse::NoContent().finish(),
    })
}

/// Every release of one contracting process, as an OCDS release package (no token needed).
#[utoipa::path(
    tag = "public",
    params(("ocid" = String, Path, description = "Open Contracting ID: the ocid prefix, a hyphen and the project code")),
    responses(
        (status = 200, description = "A release package", body = ReleasePackage),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contracting process", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/releases/{ocid}")]
#[tracing::instrument(skip_all)]
pub async fn process_releases(
    state: web::Data<AppState>,
    _caller: Caller,
    ocid: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let ocid = ocid.into_inner();
    let package = run(&state, move |p| p.disclosure().ocds_process(&ocid)).await?;
    Ok(HttpResponse::Ok().content_type("application/json").body(package.0))
}

/// The record of one contracting process (no token needed): its releases, the compiled
/// release merged from them by the OCDS merge rules, and the versioned release.
#[utoipa::path(
    tag = "public",
    params(("ocid" = String, Path, description = "Open Contracting ID: the ocid prefix, a hyphen and the project code")),
    responses(
        (status = 200, description = "A record package", body = RecordPackage),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contracting process", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/records/{ocid}")]
#[tracing::instrument(skip_all)]
pub async fn process_record(
    state: web::Data<AppState>,
    _caller: Caller,
    ocid: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let ocid = ocid.into_inner();
    let package = run(&state, move |p| p.disclosure().ocds_record(&ocid)).await?;
    Ok(HttpResponse::Ok().json(package))
}
