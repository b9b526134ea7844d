use actix_web::{get, post, web, HttpResponse};
use ggzy_service::service_accounts::{CreateServiceAccount, CreatedServiceAccount, ServiceAccountPage};

use super::{run, PageQuery};
use crate::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::AppState;

/// Create a service account for another district system. Platform admins only. The
/// `client_secret` is shown in this answer and never again.
#[utoipa::path(
    tag = "auth",
    request_body = CreateServiceAccount,
    responses(
        (status = 201, description = "Created; keep the secret", body = CreatedServiceAccount),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a platform admin", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn create_service_account(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<CreateServiceAccount>,
) -> Result<HttpResponse, ApiError> {
    let created =
        run(&state, move |p| p.registry().create_service_account(caller.principal(), body.into_inner())).await?;
    Ok(HttpResponse::Created().json(created))
}

/// List service accounts (without secrets). Platform admins only.
#[utoipa::path(
    tag = "auth",
    params(PageQuery),
    responses(
        (status = 200, description = "One page", body = ServiceAccountPage),
        (status = 400, description = "Malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a platform admin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid cursor or limit", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_service_accounts(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let PageQuery { after, limit } = query.into_inner();
    let page = run(&state, move |p| p.registry().list_service_accounts(caller.principal(), after, limit)).await?;
    Ok(HttpResponse::Ok().json(page))
}
