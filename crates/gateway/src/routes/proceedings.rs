use actix_web::{get, post, web, HttpResponse};
use ggzy_service::proceedings::{
    AnswerQuestion, AskQuestion, BookVenue, Booking, NewVenue, Notification, NotificationPage, NotificationQuery,
    NotificationsMarked, Question, StateChange, UnreadCount, Venue,
};
use serde::Serialize;
use utoipa::ToSchema;

use super::run;
use crate::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::AppState;

/// The answer to a suspension.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectSuspended {
    /// Always true: the project is suspended.
    pub suspended: bool,
}

/// The answer to a resumption.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectResumed {
    /// Always true: the project runs again.
    pub resumed: bool,
}

/// The answer to a termination.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectTerminated {
    /// Always true: the project is terminated.
    pub terminated: bool,
}

/// A (potential) bidder asks about the tender documents (答疑), before the clarification limit.
#[utoipa::path(
    tag = "proceedings",
    params(("id" = String, Path, description = "Project id")),
    request_body = AskQuestion,
    responses(
        (status = 201, description = "Asked", body = Question),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in a state for this (suspended, terminated, already done, overlapping)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a rule says no, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/questions")]
#[tracing::instrument(skip_all)]
pub async fn ask_question(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<AskQuestion>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let result = run(&state, move |p| p.tendering().ask_question(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Created().json(result))
}

/// Questions of a project: all for the tenderer's side and supervisors, a bidder's own for a
/// bidder; never who asked.
#[utoipa::path(
    tag = "proceedings",
    params(("id" = String, Path, description = "Project id")),
    responses(
        (status = 200, description = "Questions", body = Vec<Question>),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}/questions")]
#[tracing::instrument(skip_all)]
pub async fn list_questions(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let result = run(&state, move |p| p.tendering().questions(caller.principal(), &id)).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// The tenderer's side answers; the answer is published to everyone and counts as a
/// clarification, so it must come before the clarification limit.
#[utoipa::path(
    tag = "proceedings",
    params(("id" = String, Path, description = "Question id")),
    request_body = AnswerQuestion,
    responses(
        (status = 200, description = "Answered and published", body = Question),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in a state for this (suspended, terminated, already done, overlapping)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a rule says no, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/answer")]
#[tracing::instrument(skip_all)]
pub async fn answer_question(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<AnswerQuestion>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let result =
        run(&state, move |p| p.tendering().answer_question(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Answered questions of a project, without who asked. Public.
#[utoipa::path(
    tag = "public",
    params(("id" = String, Path, description = "Project id")),
    responses(
        (status = 200, description = "Answers", body = Vec<Question>),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/projects/{id}/answers")]
#[tracing::instrument(skip_all)]
pub async fn public_answers(
    state: web::Data<AppState>,
    _caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let result = run(&state, move |p| p.tendering().answered_questions(&id)).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Add a room (centre staff).
#[utoipa::path(
    tag = "proceedings",
    request_body = NewVenue,
    responses(
        (status = 201, description = "Added", body = Venue),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in a state for this (suspended, terminated, already done, overlapping)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a rule says no, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn create_venue(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<NewVenue>,
) -> Result<HttpResponse, ApiError> {
    let result = run(&state, move |p| p.tendering().create_venue(caller.principal(), body.into_inner())).await?;
    Ok(HttpResponse::Created().json(result))
}

/// Rooms. Public.
#[utoipa::path(
    tag = "proceedings",
    responses(
        (status = 200, description = "Rooms", body = Vec<Venue>),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_venues(state: web::Data<AppState>, _caller: Caller) -> Result<HttpResponse, ApiError> {
    let result = run(&state, |p| p.tendering().venues()).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Book a room for a project (centre staff): no overlap, and each kind of room serves its own
/// purpose (evaluation rooms only for evaluation).
#[utoipa::path(
    tag = "proceedings",
    params(("id" = String, Path, description = "Venue id")),
    request_body = BookVenue,
    responses(
        (status = 201, description = "Booked", body = Booking),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in a state for this (suspended, terminated, already done, overlapping)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a rule says no, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/bookings")]
#[tracing::instrument(skip_all)]
pub async fn book_venue(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<BookVenue>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let result = run(&state, move |p| p.tendering().book_venue(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Created().json(result))
}

/// Bookings in force across every room (or one), by start, in a range of Beijing dates:
/// the centre's day. Public, as each room's bookings are.
#[utoipa::path(
    tag = "proceedings",
    params(ggzy_service::proceedings::BookingQuery),
    responses(
        (status = 200, description = "One page", body = ggzy_service::proceedings::BookingPage),
        (status = 400, description = "Malformed query or an unknown parameter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter, cursor or limit, each named", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn bookings_across_rooms(
    state: web::Data<AppState>,
    _caller: Caller,
    query: web::Query<ggzy_service::proceedings::BookingQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = run(&state, move |p| p.tendering().bookings(query.into_inner())).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Bookings of a room in force. Public.
#[utoipa::path(
    tag = "proceedings",
    params(("id" = String, Path, description = "Venue id")),
    responses(
        (status = 200, description = "Bookings", body = Vec<Booking>),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/{id}/bookings")]
#[tracing::instrument(skip_all)]
pub async fn list_bookings(
    state: web::Data<AppState>,
    _caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let result = run(&state, move |p| p.tendering().venue_bookings(&id)).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Cancel a booking (centre staff).
#[utoipa::path(
    tag = "proceedings",
    params(("id" = String, Path, description = "Booking id")),
    responses(
        (status = 200, description = "Cancelled", body = Booking),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in a state for this (suspended, terminated, already done, overlapping)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/cancellation")]
#[tracing::instrument(skip_all)]
pub async fn cancel_booking(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let result = run(&state, move |p| p.tendering().cancel_booking(caller.principal(), &id)).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Suspend a project (the tenderer, or its regulator by order); every trading step waits,
/// and everyone concerned is notified.
#[utoipa::path(
    tag = "proceedings",
    params(("id" = String, Path, description = "Project id")),
    request_body = StateChange,
    responses(
        (status = 200, description = "Suspended", body = ProjectSuspended),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in a state for this (suspended, terminated, already done, overlapping)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a rule says no, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/suspension")]
#[tracing::instrument(skip_all)]
pub async fn suspend_project(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<StateChange>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    run(&state, move |p| p.tendering().suspend_project(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(ProjectSuspended { suspended: true }))
}

/// Resume a suspended project; a regulator's suspension is lifted only by a regulator.
#[utoipa::path(
    tag = "proceedings",
    params(("id" = String, Path, description = "Project id")),
    request_body = StateChange,
    responses(
        (status = 200, description = "Resumed", body = ProjectResumed),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in a state for this (suspended, terminated, already done, overlapping)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a rule says no, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/resumption")]
#[tracing::instrument(skip_all)]
pub async fn resume_project(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<StateChange>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    run(&state, move |p| p.tendering().resume_project(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(ProjectResumed { resumed: true }))
}

/// Terminate a project (the tenderer); every bond's refund clock starts and everyone
/// concerned is notified.
#[utoipa::path(
    tag = "proceedings",
    params(("id" = String, Path, description = "Project id")),
    request_body = StateChange,
    responses(
        (status = 200, description = "Terminated", body = ProjectTerminated),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in a state for this (suspended, terminated, already done, overlapping)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a rule says no, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/termination")]
#[tracing::instrument(skip_all)]
pub async fn terminate_project(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<StateChange>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    run(&state, move |p| p.tendering().terminate_project(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(ProjectTerminated { terminated: true }))
}

/// The notifications of the caller's organisation (its inbox), newest first, keyset-paged;
/// each with `read_at`, null while unread. `unread=true` lists the unread ones only. Every
/// person reads its own organisation's inbox only (platform admins share one); a service
/// account has none. Any other query parameter is a 400.
#[utoipa::path(
    tag = "proceedings",
    params(NotificationQuery),
    responses(
        (status = 200, description = "One page of the inbox", body = NotificationPage),
        (status = 400, description = "Unknown or malformed query parameter (named in errors[])", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No inbox for this role and organisation (a service account has none)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid cursor or limit", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_notifications(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<NotificationQuery>,
) -> Result<HttpResponse, ApiError> {
    let result = run(&state, move |p| p.disclosure().notifications(caller.principal(), query.into_inner())).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// How many notifications of the caller's inbox are unread.
#[utoipa::path(
    tag = "proceedings",
    responses(
        (status = 200, description = "The count", body = UnreadCount),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No inbox for this role and organisation (a service account has none)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/unread-count")]
#[tracing::instrument(skip_all)]
pub async fn unread_notifications(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let result = run(&state, move |p| p.disclosure().unread_notifications(caller.principal())).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Marks one notification of the caller's inbox read and answers it; marking it again
/// changes nothing (`read_at` stays the first time). Another inbox's notification is not
/// found.
#[utoipa::path(
    tag = "proceedings",
    params(("id" = String, Path, description = "Notification id")),
    responses(
        (status = 200, description = "The notification, read", body = Notification),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No inbox for this role and organisation (a service account has none)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found, or another inbox's", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/read")]
#[tracing::instrument(skip_all)]
pub async fn mark_notification_read(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let result = run(&state, move |p| p.disclosure().mark_notification_read(caller.principal(), &id)).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Marks every unread notification of the caller's inbox read; answers how many it marked.
#[utoipa::path(
    tag = "proceedings",
    responses(
        (status = 200, description = "How many were marked", body = NotificationsMarked),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No inbox for this role and organisation (a service account has none)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/read")]
#[tracing::instrument(skip_all)]
pub async fn mark_all_notifications_read(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let result = run(&state, move |p| p.disclosure().mark_all_notifications_read(caller.principal())).await?;
    Ok(HttpResponse::Ok().json(result))
}
