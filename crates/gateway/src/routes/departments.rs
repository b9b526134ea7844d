use actix_web::{get, web, HttpResponse};
use ggzy_service::departments::Department;

use super::run;
use crate::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::AppState;

/// List departments (公管办, 交易中心, 纪检监察, industry regulators). Public.
#[utoipa::path(
    tag = "reference",
    responses(
        (status = 200, description = "All departments", body = Vec<Department>),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_departments(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let departments = run(&state, move |p| p.registry().list_departments(caller.principal())).await?;
    Ok(HttpResponse::Ok().json(departments))
}
