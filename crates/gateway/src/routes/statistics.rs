use actix_web::{get, web, HttpResponse};
use ggzy_service::statistics::{Statistics, StatisticsQuery};

use super::run;
use crate::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::AppState;

/// Trading statistics by category, subtype, month and regulator (no token needed). Bid and
/// bond figures count only opened sections.
#[utoipa::path(
    tag = "public",
    params(StatisticsQuery),
    responses(
        (status = 200, description = "The figures per group", body = Statistics),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown grouping or bad month, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/statistics")]
#[tracing::instrument(skip_all)]
pub async fn statistics(
    state: web::Data<AppState>,
    _caller: Caller,
    query: web::Query<StatisticsQuery>,
) -> Result<HttpResponse, ApiError> {
    let statistics = run(&state, move |p| p.disclosure().statistics(query.into_inner())).await?;
    Ok(HttpResponse::Ok().json(statistics))
}

/// The same statistics as CSV with a header row.
#[utoipa::path(
    tag = "public",
    params(StatisticsQuery),
    responses(
        (status = 200, description = "CSV, UTF-8", body = String, content_type = "text/csv"),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown grouping or bad month, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/statistics.csv")]
#[tracing::instrument(skip_all)]
pub async fn statistics_csv(
    state: web::Data<AppState>,
    _caller: Caller,
    query: web::Query<StatisticsQuery>,
) -> Result<HttpResponse, ApiError> {
    let csv = run(&state, move |p| p.disclosure().statistics_csv(query.into_inner())).await?;
    Ok(HttpResponse::Ok().content_type("text/csv; charset=utf-8").body(csv))
}
