//! Search of announcements, listings and participants (public).

use actix_web::{get, web, HttpResponse};
use ggzy_service::search::{SearchPage, SearchQuery};

use super::run;
use crate::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::AppState;

/// Search announcements and listings by their project's name or code or their tenderer's
/// name, or participants by name or unified social credit code: `q` found as a substring
/// (case-insensitive; three characters or more answered from a trigram index), newest
/// first, each hit naming the fields it matched. Public. Any other parameter is a 400.
#[utoipa::path(
    tag = "public",
    params(SearchQuery),
    responses(
        (status = 200, description = "One page of hits", body = SearchPage),
        (status = 400, description = "Unknown or malformed query parameter (named in errors[])", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing or invalid q or kind, invalid cursor or limit (each named)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/search")]
#[tracing::instrument(skip_all)]
pub async fn search(
    state: web::Data<AppState>,
    _caller: Caller,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = run(&state, move |p| p.disclosure().search(query.into_inner())).await?;
    Ok(HttpResponse::Ok().json(page))
}
