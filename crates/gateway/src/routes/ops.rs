use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::problem::{ApiError, Problem, ProblemType};
use crate::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    pub status: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    pub status: String,
    pub database: String,
    pub pending_migrations: usize,
}

/// Liveness: the process answers.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, description = "Alive", body = Health),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/healthz")]
pub async fn healthz(_caller: Caller) -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok".into() })
}

/// Readiness: the database answers and every migration of this build is applied.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, description = "Ready", body = Readiness),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unreachable or migrations pending", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>, _caller: Caller) -> Result<HttpResponse, ApiError> {
    let platform = state.platform.clone();
    let pending = state
        .service_threads
        .run(move || platform.store().pending_migrations())
        .await
        .map_err(|_| ApiError::new(ProblemType::ServiceUnavailable, "就绪检查失败"))?
        .map_err(|_| ApiError::new(ProblemType::ServiceUnavailable, "数据库不可达"))?;
    if pending > 0 {
        return Err(ApiError::new(ProblemType::ServiceUnavailable, format!("尚有 {pending} 个数据库迁移未执行")));
    }
    Ok(HttpResponse::Ok().json(Readiness { status: "ready".into(), database: "ok".into(), pending_migrations: 0 }))
}

/// Prometheus metrics: request counts and latency histograms per route, and the holiday
/// calendar gauges `ggzy_calendar_official_years_ahead` (official years loaded after the
/// current Beijing year) and `ggzy_calendar_next_year_missing` (1 from the warning date on
/// while next year is not loaded).
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, description = "Prometheus text exposition format", body = String, content_type = "text/plain; version=0.0.4"),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>, _caller: Caller) -> HttpResponse {
    let mut text = state.metrics.render();
    text.push_str(&crate::metrics::wait_histogram(
        "ggzy_db_connection_wait_seconds",
        "Time a use case waited for a database connection, its turn in line included.",
        &state.platform.store().connection_waits(),
    ));
    text.push_str(&crate::metrics::wait_histogram(
        "ggzy_service_queue_wait_seconds",
        "Time a request's use case waited for a service thread (GGZY_SERVICE_THREADS).",
        &state.service_threads.queue_waits(),
    ));
    text.push_str(&crate::metrics::limit_gauges(
        state.service_threads.limit(),
        state.platform.store().connections_limit(),
    ));
    // The request metrics stay available when the database is not.
    if let Ok(outlook) = super::run(&state, |p| p.rules().calendar_outlook()).await {
        text.push_str(&crate::metrics::calendar_gauges(&outlook));
    }
    HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(text)
}
