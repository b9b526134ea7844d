use actix_web::{get, post, web, HttpResponse};
use ggzy_service::objections::{AnswerObjection, Objection, RaiseObjection};

use super::run;
use crate::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::AppState;

/// A bidder or potential bidder objects (异议) or questions (质疑) within the stage's window;
/// outside it the answer names the rule. A construction objection suspends the project
/// until the tenderer answers (construction.objection.reply).
#[utoipa::path(
    tag = "oversight",
    params(("id" = String, Path, description = "Project id")),
    request_body = RaiseObjection,
    responses(
        (status = 201, description = "Raised", body = Objection),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a bidder", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Nothing announced yet, or a deadline reaches beyond the years the platform can count (after 2200)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or outside the window (the rule named)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/objections")]
#[tracing::instrument(skip_all)]
pub async fn raise_objection(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<RaiseObjection>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let objection =
        run(&state, move |p| p.oversight().raise_objection(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Created().json(objection))
}

/// The tenderer's side answers; a suspension the objection caused is lifted.
#[utoipa::path(
    tag = "oversight",
    params(("id" = String, Path, description = "Objection id")),
    request_body = AnswerObjection,
    responses(
        (status = 200, description = "Answered", body = Objection),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the tenderer or its agent", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such objection", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already answered", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/answer")]
#[tracing::instrument(skip_all)]
pub async fn answer_objection(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<AnswerObjection>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let objection =
        run(&state, move |p| p.oversight().answer_objection(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(objection))
}

/// A project's objections: all for the tenderer's side and supervisors, one's own for a
/// bidder.
#[utoipa::path(
    tag = "oversight",
    params(("id" = String, Path, description = "Project id")),
    responses(
        (status = 200, description = "Objections", body = Vec<Objection>),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}/objections")]
#[tracing::instrument(skip_all)]
pub async fn list_objections(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let objections = run(&state, move |p| p.oversight().objections(caller.principal(), &id)).await?;
    Ok(HttpResponse::Ok().json(objections))
}

/// The caller's queue of objections across projects, newest first: a tenderer's on its
/// projects, an agent's on its agency's commissions, an industry regulator's on those it
/// supervises, a bidder's own; the centre, 公管办 and inspectors all. `answered=false` is the
/// work still to do.
#[utoipa::path(
    tag = "oversight",
    params(ggzy_service::objections::QueueQuery),
    responses(
        (status = 200, description = "One page", body = ggzy_service::objections::ObjectionPage),
        (status = 400, description = "Malformed query or an unknown parameter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A role without such a queue (experts, platform admins, service accounts)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter, cursor or limit, each named", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn objection_queue(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ggzy_service::objections::QueueQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = run(&state, move |p| p.oversight().objection_queue(caller.principal(), query.into_inner())).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// The caller's queue of questions across projects, newest first, scoped as the objections'
/// (the tender's side and supervisors are never told who asked).
#[utoipa::path(
    tag = "oversight",
    params(ggzy_service::objections::QueueQuery),
    responses(
        (status = 200, description = "One page", body = ggzy_service::proceedings::QuestionPage),
        (status = 400, description = "Malformed query or an unknown parameter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A role without such a queue (experts, platform admins, service accounts)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter, cursor or limit, each named", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn question_queue(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ggzy_service::objections::QueueQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = run(&state, move |p| p.tendering().question_queue(caller.principal(), query.into_inner())).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Unanswered objections with their reply deadlines and overdue flags, for supervisors (an
/// industry regulator sees its own projects).
#[utoipa::path(
    tag = "oversight",
    responses(
        (status = 200, description = "Unanswered objections", body = Vec<Objection>),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/objections")]
#[tracing::instrument(skip_all)]
pub async fn unanswered_objections(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let objections = run(&state, move |p| p.oversight().unanswered_objections(caller.principal())).await?;
    Ok(HttpResponse::Ok().json(objections))
}

/// The deadline watch: every running clock (objection answers, bond refunds, candidate
/// publicity, contract signing) with its due moment and overdue flag, for supervisors and
/// the centre; an industry regulator sees its own industry's.
#[utoipa::path(
    tag = "oversight",
    params(ggzy_service::deadlines::DeadlineFilter),
    responses(
        (status = 200, description = "Running clocks, soonest first, each saying whether it was counted with a provisional calendar year; `warnings` names a missing official year from the warning date on", body = ggzy_service::deadlines::DeadlineWatch),
        (status = 400, description = "Malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A deadline reaches a year beyond those the holiday law lets the platform count (after 2200)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown kind, cursor or limit, each named", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/deadlines")]
#[tracing::instrument(skip_all)]
pub async fn running_deadlines(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ggzy_service::deadlines::DeadlineFilter>,
) -> Result<HttpResponse, ApiError> {
    let filter = query.into_inner();
    let clocks = run(&state, move |p| p.oversight().running_deadlines(caller.principal(), filter)).await?;
    Ok(HttpResponse::Ok().json(clocks))
}
