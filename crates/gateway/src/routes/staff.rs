use actix_web::{get, post, web, HttpResponse};
use ggzy_service::staff::{AddStaff, StaffMember};

use super::run;
use crate::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::AppState;

/// Add a named member to a department (platform admins). The centre's active members are
/// assigned to projects as service owners.
#[utoipa::path(
    tag = "reference",
    params(("id" = String, Path, description = "Department id, e.g. centre")),
    request_body = AddStaff,
    responses(
        (status = 201, description = "Added", body = StaffMember),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a platform admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such department", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The subject is already a member of a department", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/staff")]
#[tracing::instrument(skip_all)]
pub async fn add_staff(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<AddStaff>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let member = run(&state, move |p| p.registry().add_staff(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Created().json(member))
}

/// A department's staff.
#[utoipa::path(
    tag = "reference",
    params(("id" = String, Path, description = "Department id")),
    responses(
        (status = 200, description = "Members", body = Vec<StaffMember>),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such department", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}/staff")]
#[tracing::instrument(skip_all)]
pub async fn list_staff(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let members = run(&state, move |p| p.registry().department_staff(caller.principal(), &id)).await?;
    Ok(HttpResponse::Ok().json(members))
}
