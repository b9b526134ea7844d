use actix_web::{get, post, web, HttpResponse};
use ggzy_service::violations::{
    ConductItem, DecideViolation, InvestigationStepInput, NewViolationCase, OpenInvestigation, ViolationCase,
    ViolationCasePage, ViolationFilter,
};

use super::run;
use crate::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::AppState;

/// The prohibited-conduct catalogue of 管理办法 §20–27: the codes of violation findings,
/// each with the subjects it applies to. Public.
#[utoipa::path(
    tag = "oversight",
    responses(
        (status = 200, description = "The catalogue", body = Vec<ConductItem>),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/conduct-codes")]
#[tracing::instrument(skip_all)]
pub async fn conduct_codes(state: web::Data<AppState>, _caller: Caller) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(state.platform.oversight().conduct_codes()))
}

/// Record conduct seen for investigation, with evidence: centre staff (细则 §17(七)),
/// inspectors (referral) and regulators. The case goes to the project's industry regulator;
/// cases about the centre or an industry regulator to 公管办, about 公管办 to the inspectors.
#[utoipa::path(
    tag = "oversight",
    request_body = NewViolationCase,
    responses(
        (status = 201, description = "Recorded", body = ViolationCase),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn record_violation(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<NewViolationCase>,
) -> Result<HttpResponse, ApiError> {
    let case = run(&state, move |p| p.oversight().record_violation(caller.principal(), body.into_inner())).await?;
    Ok(HttpResponse::Created().json(case))
}

/// Violation cases the caller may see: an industry regulator those it leads or joins, 公管办
/// and inspectors all (optionally by department), the centre those it reported.
#[utoipa::path(
    tag = "oversight",
    params(ViolationFilter),
    responses(
        (status = 200, description = "A page of cases", body = ViolationCasePage),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a regulator, inspector or centre staff", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_violations(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ViolationFilter>,
) -> Result<HttpResponse, ApiError> {
    let page = run(&state, move |p| p.oversight().violation_cases(caller.principal(), query.into_inner())).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One case, to the departments on it, 公管办, inspectors and the centre that reported it.
#[utoipa::path(
    tag = "oversight",
    params(("id" = String, Path, description = "Case id")),
    responses(
        (status = 200, description = "The case", body = ViolationCase),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case the caller may see", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_violation(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let case = run(&state, move |p| p.oversight().violation_case(caller.principal(), &id)).await?;
    Ok(HttpResponse::Ok().json(case))
}

/// The lead department opens the investigation, naming joint departments (联合查处).
#[utoipa::path(
    tag = "oversight",
    params(("id" = String, Path, description = "Case id")),
    request_body = OpenInvestigation,
    responses(
        (status = 200, description = "Investigating", body = ViolationCase),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the lead department; the centre never (centre.no_regulatory_power)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already under investigation or decided", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/investigation")]
#[tracing::instrument(skip_all)]
pub async fn open_investigation(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<OpenInvestigation>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let case =
        run(&state, move |p| p.oversight().open_investigation(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(case))
}

/// A department on the case records an investigation step with new evidence.
#[utoipa::path(
    tag = "oversight",
    params(("id" = String, Path, description = "Case id")),
    request_body = InvestigationStepInput,
    responses(
        (status = 200, description = "Recorded", body = ViolationCase),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a department on the case", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not under investigation", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/steps")]
#[tracing::instrument(skip_all)]
pub async fn add_investigation_step(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<InvestigationStepInput>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let case =
        run(&state, move |p| p.oversight().add_investigation_step(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(case))
}

/// The lead department decides: dismissed, or confirmed with catalogue findings; a market
/// participant found in breach gets a credit record, an expert may be restricted.
#[utoipa::path(
    tag = "oversight",
    params(("id" = String, Path, description = "Case id")),
    request_body = DecideViolation,
    responses(
        (status = 200, description = "Decided", body = ViolationCase),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the lead department; the centre never (centre.no_regulatory_power)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not under investigation", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/decision")]
#[tracing::instrument(skip_all)]
pub async fn decide_violation(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<DecideViolation>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let case = run(&state, move |p| p.oversight().decide_violation(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(case))
}
