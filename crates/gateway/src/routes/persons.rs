use actix_web::http::header;
use actix_web::{get, post, web, HttpResponse};
use ggzy_service::persons::{Person, PersonPage, RegisterPerson};
use serde::Deserialize;
use utoipa::IntoParams;

use super::run;
use crate::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::AppState;

/// Register a person (agent staff, project manager, legal representative). The resident
/// identity number is validated (GB 11643) and kept only as a keyed hash and a mask.
#[utoipa::path(
    tag = "persons",
    request_body = RegisterPerson,
    responses(
        (status = 201, description = "Registered", body = Person, headers(("Location" = String, description = "URL of the new person"))),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The identity number is registered already", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn register_person(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<RegisterPerson>,
) -> Result<HttpResponse, ApiError> {
    let created = run(&state, move |p| p.registry().register_person(caller.principal(), body.into_inner())).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/persons/{}", created.id)))
        .json(created))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PersonQuery {
    /// Only the staff of this participant (required for participant roles).
    pub employer_id: Option<String>,
    /// Cursor from the previous page's `next_cursor`.
    pub after: Option<String>,
    /// Page size, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// List persons, optionally of one employer, with keyset paging.
#[utoipa::path(
    tag = "persons",
    params(PersonQuery),
    responses(
        (status = 200, description = "One page", body = PersonPage),
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
pub async fn list_persons(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PersonQuery>,
) -> Result<HttpResponse, ApiError> {
    let PersonQuery { employer_id, after, limit } = query.into_inner();
    let page = run(&state, move |p| p.registry().list_persons(caller.principal(), employer_id, after, limit)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Read one person (masked identity number only).
#[utoipa::path(
    tag = "persons",
    params(("id" = String, Path, description = "Person id")),
    responses(
        (status = 200, description = "The person", body = Person),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_person(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let person = run(&state, move |p| p.registry().person(caller.principal(), &id)).await?;
    Ok(HttpResponse::Ok().json(person))
}
