use actix_web::{get, post, web, HttpResponse};
use ggzy_service::reports::{HandleReport, NewReport, ReportStatus};

use super::run;
use crate::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::AppState;

/// Report suspected wrongdoing about a project or participant (举报). Anyone, with or
/// without a token; the answer carries the tracking code.
#[utoipa::path(
    tag = "oversight",
    request_body = NewReport,
    responses(
        (status = 201, description = "Received; keep the tracking code", body = ReportStatus),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn file_report(
    state: web::Data<AppState>,
    _caller: Caller,
    body: web::Json<NewReport>,
) -> Result<HttpResponse, ApiError> {
    let status = run(&state, move |p| p.oversight().file_report(body.into_inner())).await?;
    Ok(HttpResponse::Created().json(status))
}

/// Follow a report by its tracking code. Public; no identities are shown.
#[utoipa::path(
    tag = "oversight",
    params(("code" = String, Path, description = "Tracking code")),
    responses(
        (status = 200, description = "Its handling", body = ReportStatus),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such tracking code", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/{code}")]
#[tracing::instrument(skip_all)]
pub async fn report_status(
    state: web::Data<AppState>,
    _caller: Caller,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let code = code.into_inner();
    let status = run(&state, move |p| p.oversight().report_status(&code)).await?;
    Ok(HttpResponse::Ok().json(status))
}

/// Reports for the handling regulator, with the reporter's identity (公管办 and inspectors
/// see all), newest first; `status=received` is the queue not yet taken up.
#[utoipa::path(
    tag = "oversight",
    params(ggzy_service::reports::ReportQuery),
    responses(
        (status = 200, description = "One page", body = ggzy_service::reports::ReportPage),
        (status = 400, description = "Malformed query or an unknown parameter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a regulator or inspector", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter, cursor or limit, each named", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_reports(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ggzy_service::reports::ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = run(&state, move |p| p.oversight().reports(caller.principal(), query.into_inner())).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// The handling regulator records a step (investigating, closed); a closed report stays
/// closed.
#[utoipa::path(
    tag = "oversight",
    params(("code" = String, Path, description = "Tracking code")),
    request_body = HandleReport,
    responses(
        (status = 200, description = "Recorded", body = ReportStatus),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the handling regulator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such tracking code", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The report is closed (办结), or the first request with this Idempotency-Key is still running", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{code}/handling")]
#[tracing::instrument(skip_all)]
pub async fn handle_report(
    state: web::Data<AppState>,
    caller: Caller,
    code: web::Path<String>,
    body: web::Json<HandleReport>,
) -> Result<HttpResponse, ApiError> {
    let code = code.into_inner();
    let status =
        run(&state, move |p| p.oversight().handle_report(caller.principal(), &code, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(status))
}
