use actix_web::http::header;
use actix_web::{get, patch, post, web, HttpResponse};
use ggzy_service::participants::{Participant, ParticipantPage, RegisterParticipant, UpdateParticipant};

use super::{run, PageQuery};
use crate::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::AppState;

/// Register a market participant once, by unified social credit code
/// (participant.register_once). Centre staff, or a system with `participants:write`.
#[utoipa::path(
    tag = "participants",
    request_body = RegisterParticipant,
    responses(
        (status = 201, description = "Registered", body = Participant, headers(("Location" = String, description = "URL of the new participant"))),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role may not register participants", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The code is registered already; `existing` points at the record", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn register_participant(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<RegisterParticipant>,
) -> Result<HttpResponse, ApiError> {
    let created =
        run(&state, move |p| p.registry().register_participant(caller.principal(), body.into_inner())).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/participants/{}", created.id)))
        .json(created))
}

/// List participants in registration order, with keyset paging.
#[utoipa::path(
    tag = "participants",
    params(PageQuery),
    responses(
        (status = 200, description = "One page", body = ParticipantPage),
        (status = 400, description = "Malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid cursor or limit", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_participants(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let PageQuery { after, limit } = query.into_inner();
    let page = run(&state, move |p| p.registry().list_participants(caller.principal(), after, limit)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Read one participant.
#[utoipa::path(
    tag = "participants",
    params(("id" = String, Path, description = "Participant id")),
    responses(
        (status = 200, description = "The participant", body = Participant),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_participant(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let participant = run(&state, move |p| p.registry().participant(caller.principal(), &id)).await?;
    Ok(HttpResponse::Ok().json(participant))
}

/// Change a participant's name, kinds or legal representative (never its code). Centre
/// staff, a system with `participants:write`, or the participant itself.
#[utoipa::path(
    tag = "participants",
    params(("id" = String, Path, description = "Participant id")),
    request_body = UpdateParticipant,
    responses(
        (status = 200, description = "Updated", body = Participant),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Changed concurrently; read and retry", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn update_participant(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<UpdateParticipant>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let updated =
        run(&state, move |p| p.registry().update_participant(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(updated))
}
