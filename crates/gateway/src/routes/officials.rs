use actix_web::{get, post, web, HttpResponse};
use ggzy_service::officials::{NameOfficial, NewPersonRelation, PersonRelation, ProjectOfficial, WithdrawOfficial};

use super::run;
use crate::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::AppState;

/// Declare a person's relation with a participant (recusal): regulators, the centre, or
/// the person's employer. Restating a relation replaces it.
#[utoipa::path(
    tag = "oversight",
    params(("id" = String, Path, description = "Person id")),
    request_body = NewPersonRelation,
    responses(
        (status = 200, description = "The person's declared relations", body = Vec<PersonRelation>),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/relations")]
#[tracing::instrument(skip_all)]
pub async fn declare_person_relation(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<NewPersonRelation>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let relations =
        run(&state, move |p| p.oversight().declare_person_relation(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(relations))
}

/// A person's declared relations.
#[utoipa::path(
    tag = "oversight",
    params(("id" = String, Path, description = "Person id")),
    responses(
        (status = 200, description = "Declared relations", body = Vec<PersonRelation>),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}/relations")]
#[tracing::instrument(skip_all)]
pub async fn person_relations(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let relations = run(&state, move |p| p.oversight().person_relations(caller.principal(), &id)).await?;
    Ok(HttpResponse::Ok().json(relations))
}

/// Name a supervisor (the project's regulator or 公管办) or a tenderer representative (the
/// tenderer or its agency). Refused under `recusal` (`procurement.recusal` in procurement)
/// naming every tie with an agency or bidder the person must not face.
#[utoipa::path(
    tag = "oversight",
    params(("id" = String, Path, description = "Project id")),
    request_body = NameOfficial,
    responses(
        (status = 201, description = "Named", body = ProjectOfficial),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to name in this role", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project the caller may see", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or the person must recuse (rule named)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/officials")]
#[tracing::instrument(skip_all)]
pub async fn name_official(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<NameOfficial>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let official =
        run(&state, move |p| p.oversight().name_official(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Created().json(official))
}

/// The project's supervisors and tenderer representatives, each with its conflicts now
/// (bidders that came after the naming included) and whether it must step aside.
#[utoipa::path(
    tag = "oversight",
    params(("id" = String, Path, description = "Project id")),
    responses(
        (status = 200, description = "Officials", body = Vec<ProjectOfficial>),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project the caller may see", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}/officials")]
#[tracing::instrument(skip_all)]
pub async fn project_officials(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let officials = run(&state, move |p| p.oversight().project_officials(caller.principal(), &id)).await?;
    Ok(HttpResponse::Ok().json(officials))
}

/// An official steps aside, with the reason.
#[utoipa::path(
    tag = "oversight",
    params(
        ("id" = String, Path, description = "Project id"),
        ("official_id" = String, Path, description = "Official id"),
    ),
    request_body = WithdrawOfficial,
    responses(
        (status = 200, description = "Stepped aside", body = ProjectOfficial),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project or official", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already stepped aside", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/officials/{official_id}/withdrawal")]
#[tracing::instrument(skip_all)]
pub async fn withdraw_official(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    body: web::Json<WithdrawOfficial>,
) -> Result<HttpResponse, ApiError> {
    let (id, official_id) = path.into_inner();
    let official =
        run(&state, move |p| p.oversight().withdraw_official(caller.principal(), &id, &official_id, body.into_inner()))
            .await?;
    Ok(HttpResponse::Ok().json(official))
}
