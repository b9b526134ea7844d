use actix_web::{get, web, HttpResponse};
use ggzy_service::audit::AuditVerification;

use super::run;
use crate::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::AppState;

/// Recompute every audit hash chain and name the first bad event. Comprehensive
/// regulator, inspectors, platform admins, or a system with `audit:read`.
#[utoipa::path(
    tag = "audit",
    responses(
        (status = 200, description = "Result of the verification (`valid` false names the first bad event)", body = AuditVerification),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/verification")]
#[tracing::instrument(skip_all)]
pub async fn verify_audit(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let verification = run(&state, move |p| p.verify_audit(caller.principal())).await?;
    Ok(HttpResponse::Ok().json(verification))
}
