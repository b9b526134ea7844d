use actix_web::{get, put, web, HttpResponse};
use ggzy_service::calendar::{CalendarYear, CalendarYears, LoadCalendarYear};

use super::run;
use crate::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::AppState;

/// Years whose official holiday arrangement is loaded, and each year from the first one to
/// two years ahead as `official` or `provisional`, with the warning when next year is
/// missing from the warning date (`GGZY_CALENDAR_WARNING_FROM`, default 11-01) on. Public.
#[utoipa::path(
    tag = "reference",
    responses(
        (status = 200, description = "Loaded years and every year's status", body = CalendarYears),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_calendar_years(state: web::Data<AppState>, _caller: Caller) -> Result<HttpResponse, ApiError> {
    let years = run(&state, |p| p.rules().calendar_years()).await?;
    Ok(HttpResponse::Ok().json(years))
}

/// One year's holidays and make-up working days: the official arrangement when loaded,
/// otherwise the provisional one the platform counts with (the holiday law's festivals and
/// their make-up days, no make-up workdays). Public.
#[utoipa::path(
    tag = "reference",
    params(("year" = i32, Path, description = "Calendar year")),
    responses(
        (status = 200, description = "The year", body = CalendarYear),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Neither loaded nor within the years the holiday law lets the platform count (2008–2200)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/{year}")]
#[tracing::instrument(skip_all)]
pub async fn get_calendar_year(
    state: web::Data<AppState>,
    _caller: Caller,
    year: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let year = year.into_inner();
    let calendar = run(&state, move |p| p.rules().calendar_year(year)).await?;
    Ok(HttpResponse::Ok().json(calendar))
}

/// Load or replace one year of the holiday calendar (platform admins), as published by the
/// State Council: every holiday and every weekend made a working day. Every running clock
/// that was counted with the provisional year is recounted in the same transaction: moved
/// when the official count ends later, kept when it ends earlier (the later date stands),
/// each recorded on its project's audit chain and notified to the clock's parties
/// (`deadline.recounted`). The answer lists the recounted clocks.
#[utoipa::path(
    tag = "reference",
    params(("year" = i32, Path, description = "Calendar year")),
    request_body = LoadCalendarYear,
    responses(
        (status = 200, description = "Loaded", body = CalendarYear),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a platform admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not a year", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid days, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/{year}")]
#[tracing::instrument(skip_all)]
pub async fn load_calendar_year(
    state: web::Data<AppState>,
    caller: Caller,
    year: web::Path<i32>,
    body: web::Json<LoadCalendarYear>,
) -> Result<HttpResponse, ApiError> {
    let year = year.into_inner();
    let loaded =
        run(&state, move |p| p.rules().load_calendar_year(caller.principal(), year, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(loaded))
}
