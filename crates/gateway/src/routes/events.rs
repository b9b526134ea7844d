use actix_web::{get, web, HttpResponse};
use ggzy_service::events::{EventQuery, PublicEventPage};

use super::run;
use crate::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::AppState;

/// Every public change in commit order (no token needed): read from `after` on and keep
/// `next_cursor`; an event is never inserted before a cursor already handed out. Webhook
/// subscriptions receive the same events.
#[utoipa::path(
    tag = "public",
    params(EventQuery),
    responses(
        (status = 200, description = "Events after the cursor", body = PublicEventPage),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid cursor or limit", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_events(
    state: web::Data<AppState>,
    _caller: Caller,
    query: web::Query<EventQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = run(&state, move |p| p.disclosure().public_events(query.into_inner())).await?;
    Ok(HttpResponse::Ok().json(page))
}
