use actix_web::{get, post, web, HttpResponse};
use ggzy_service::webhooks::{NewSubscription, Subscription};

use super::run;
use crate::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::AppState;

/// A district system (service account) subscribes to notifications. Each delivery is a
/// POST of JSON with `X-Ggzy-Delivery`, `X-Ggzy-Timestamp` and `X-Ggzy-Signature:
/// sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`; failures are retried with
/// back-off. The secret is shown in this answer only.
#[utoipa::path(
    tag = "webhooks",
    request_body = NewSubscription,
    responses(
        (status = 201, description = "Subscribed; keep the secret", body = Subscription),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a system or platform admin", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid URL", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/webhooks")]
#[tracing::instrument(skip_all)]
pub async fn subscribe(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<NewSubscription>,
) -> Result<HttpResponse, ApiError> {
    let subscription = run(&state, move |p| p.subscribe(caller.principal(), body.into_inner())).await?;
    Ok(HttpResponse::Created().json(subscription))
}

/// The caller's subscriptions with their delivery counts.
#[utoipa::path(
    tag = "webhooks",
    responses(
        (status = 200, description = "Subscriptions", body = Vec<Subscription>),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/webhooks")]
#[tracing::instrument(skip_all)]
pub async fn list_subscriptions(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let subscriptions = run(&state, move |p| p.subscriptions(caller.principal())).await?;
    Ok(HttpResponse::Ok().json(subscriptions))
}
