use actix_web::{get, post, web, HttpResponse};
use ggzy_service::complaints::{
    AcceptComplaint, Complaint, ComplaintPage, ComplaintQuery, DecideComplaint, FileComplaint, PauseComplaint,
};

use super::run;
use crate::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::AppState;

/// A bidder complains (投诉) to the project's industry regulator within the window
/// (construction.complaint.window, the objection's reply time not counted;
/// procurement.complaint.window after the reply period, a question first).
#[utoipa::path(
    tag = "oversight",
    params(("id" = String, Path, description = "Project id")),
    request_body = FileComplaint,
    responses(
        (status = 201, description = "Filed", body = Complaint),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed (another industry's project; the centre never decides)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in a state for this", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a rule says no, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/complaints")]
#[tracing::instrument(skip_all)]
pub async fn file_complaint(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<FileComplaint>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let result = run(&state, move |p| p.oversight().file_complaint(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Created().json(result))
}

/// The complaints inbox, newest filing first, each with its clocks as `GET /complaints/{id}`
/// shows it (decided ones included): every complaint for 公管办, those on the projects it
/// supervises for an industry regulator, and its own for a complainant (bidder). Every other
/// role is refused (the centre never supervises: centre.no_regulatory_power). Any other query
/// parameter is a 400.
#[utoipa::path(
    tag = "oversight",
    params(ComplaintQuery),
    responses(
        (status = 200, description = "One page of complaints", body = ComplaintPage),
        (status = 400, description = "Unknown or malformed query parameter (named in errors[])", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither a regulator nor a complainant (the centre never supervises)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid status, project id, cursor or limit", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_complaints(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ComplaintQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = run(&state, move |p| p.oversight().complaints(caller.principal(), query.into_inner())).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// A complaint with its clocks: the complainant, the project's regulator and 公管办.
#[utoipa::path(
    tag = "oversight",
    params(("id" = String, Path, description = "Complaint id")),
    responses(
        (status = 200, description = "The complaint", body = Complaint),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_complaint(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let result = run(&state, move |p| p.oversight().complaint(caller.principal(), &id)).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// The regulator accepts or refuses (construction.complaint.acceptance).
#[utoipa::path(
    tag = "oversight",
    params(("id" = String, Path, description = "Complaint id")),
    request_body = AcceptComplaint,
    responses(
        (status = 200, description = "The complaint", body = Complaint),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed (another industry's project; the centre never decides)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in a state for this", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a rule says no, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/acceptance")]
#[tracing::instrument(skip_all)]
pub async fn accept_complaint(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<AcceptComplaint>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let result =
        run(&state, move |p| p.oversight().accept_complaint(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Stop the decision clock for testing, appraisal or expert review (not counted).
#[utoipa::path(
    tag = "oversight",
    params(("id" = String, Path, description = "Complaint id")),
    request_body = PauseComplaint,
    responses(
        (status = 200, description = "The complaint", body = Complaint),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed (another industry's project; the centre never decides)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in a state for this", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a rule says no, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/pauses")]
#[tracing::instrument(skip_all)]
pub async fn pause_complaint(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<PauseComplaint>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let result =
        run(&state, move |p| p.oversight().pause_complaint(caller.principal(), &id, Some(body.into_inner()))).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Restart the decision clock.
#[utoipa::path(
    tag = "oversight",
    params(("id" = String, Path, description = "Complaint id")),
    responses(
        (status = 200, description = "The complaint", body = Complaint),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed (another industry's project; the centre never decides)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in a state for this", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/resumption")]
#[tracing::instrument(skip_all)]
pub async fn resume_complaint(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let result = run(&state, move |p| p.oversight().pause_complaint(caller.principal(), &id, None)).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// The regulator decides: dismissed, or upheld with remedies; wrongdoing found and false
/// complaints become credit records.
#[utoipa::path(
    tag = "oversight",
    params(("id" = String, Path, description = "Complaint id")),
    request_body = DecideComplaint,
    responses(
        (status = 200, description = "The complaint", body = Complaint),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed (another industry's project; the centre never decides)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in a state for this", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a rule says no, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/decision")]
#[tracing::instrument(skip_all)]
pub async fn decide_complaint(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<DecideComplaint>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let result =
        run(&state, move |p| p.oversight().decide_complaint(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(result))
}
