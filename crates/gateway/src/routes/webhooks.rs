use actix_web::{get, post, web, HttpResponse};
use ggzy_service::webhooks::{NewSubscription, RotateWebhookSecret, Subscription};

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
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn subscribe(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<NewSubscription>,
) -> Result<HttpResponse, ApiError> {
    let subscription = run(&state, move |p| p.disclosure().subscribe(caller.principal(), body.into_inner())).await?;
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
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_subscriptions(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let subscriptions = run(&state, move |p| p.disclosure().subscriptions(caller.principal())).await?;
    Ok(HttpResponse::Ok().json(subscriptions))
}

/// A new secret for one of the caller's subscriptions, shown in this answer only. For
/// `grace_hours` (default 24) every delivery carries two signatures in `X-Ggzy-Signature`,
/// the new secret's and the old one's, separated by a comma and a space: a receiver accepts
/// a delivery when any matches, and switches to the new secret within that time.
#[utoipa::path(
    tag = "webhooks",
    params(("id" = String, Path, description = "Subscription id")),
    request_body = RotateWebhookSecret,
    responses(
        (status = 200, description = "Rotated; keep the new secret", body = Subscription),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Rotated by another request meanwhile", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Grace period out of range", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/secret-rotation")]
#[tracing::instrument(skip_all)]
pub async fn rotate_secret(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<RotateWebhookSecret>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let subscription =
        run(&state, move |p| p.disclosure().rotate_webhook_secret(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(subscription))
}
