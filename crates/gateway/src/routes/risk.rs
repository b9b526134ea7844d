use actix_web::{get, post, web, HttpResponse};
use ggzy_service::risk::{
    AlertFilter, BidRejection, EntrustedAgent, HandleAlert, NewControl, NewEntrustment, RejectBid, RiskAlert,
    RiskAlertPage, ScanSummary,
};

use super::run;
use crate::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::AppState;

/// Collusion risk alerts: an industry regulator sees its own, 公管办 and inspectors all.
#[utoipa::path(
    tag = "oversight",
    params(AlertFilter),
    responses(
        (status = 200, description = "A page of alerts", body = RiskAlertPage),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a regulator or inspector", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/alerts")]
#[tracing::instrument(skip_all)]
pub async fn list_alerts(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<AlertFilter>,
) -> Result<HttpResponse, ApiError> {
    let page = run(&state, move |p| p.oversight().risk_alerts(caller.principal(), query.into_inner())).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One alert with its evidence and handling.
#[utoipa::path(
    tag = "oversight",
    params(("id" = String, Path, description = "Alert id")),
    responses(
        (status = 200, description = "The alert", body = RiskAlert),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a regulator or inspector", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such alert the caller may see", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/alerts/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_alert(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let alert = run(&state, move |p| p.oversight().risk_alert(caller.principal(), &id)).await?;
    Ok(HttpResponse::Ok().json(alert))
}

/// The alert's regulator (or 公管办) investigates, dismisses or confirms it; confirming
/// opens a violation case against each bidder of the alert.
#[utoipa::path(
    tag = "oversight",
    params(("id" = String, Path, description = "Alert id")),
    request_body = HandleAlert,
    responses(
        (status = 200, description = "Handled", body = RiskAlert),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the alert's regulator; the centre never (centre.no_regulatory_power)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such alert", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already dismissed or confirmed", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/alerts/{id}/handling")]
#[tracing::instrument(skip_all)]
pub async fn handle_alert(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<HandleAlert>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let alert =
        run(&state, move |p| p.oversight().handle_risk_alert(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(alert))
}

/// Rescan all history (公管办 or a platform admin); alerts raised before are not raised
/// again. The same as `ggzy risk scan`.
#[utoipa::path(
    tag = "oversight",
    responses(
        (status = 200, description = "What was scanned and raised", body = ScanSummary),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/scans")]
#[tracing::instrument(skip_all)]
pub async fn scan(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let summary = run(&state, move |p| p.oversight().risk_scan(caller.principal())).await?;
    Ok(HttpResponse::Ok().json(summary))
}

/// Centre staff record that this participant controls or manages another (控股、管理关系,
/// construction.barred_bidders); answers every participant related to it.
#[utoipa::path(
    tag = "participants",
    params(("id" = String, Path, description = "The controlling participant")),
    request_body = NewControl,
    responses(
        (status = 200, description = "Participants in a control relation with it", body = Vec<String>),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/controls")]
#[tracing::instrument(skip_all)]
pub async fn record_control(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<NewControl>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let related =
        run(&state, move |p| p.oversight().record_control(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(related))
}

/// A bidder entrusts a person to act for it (委托代理人) without employing them; the person
/// may then be named as a bid's `agent_person_id`. The scan finds one person acting for
/// several bidders of a section (条例 §40(二)). Answers every person the bidder entrusted
/// (the bidder itself, or centre staff for it).
#[utoipa::path(
    tag = "participants",
    params(("id" = String, Path, description = "The bidder")),
    request_body = NewEntrustment,
    responses(
        (status = 201, description = "Every person the bidder entrusted", body = Vec<EntrustedAgent>),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither the bidder nor centre staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/entrusted-agents")]
#[tracing::instrument(skip_all)]
pub async fn entrust_agent(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<NewEntrustment>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let agents = run(&state, move |p| p.oversight().entrust_agent(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Created().json(agents))
}

/// The persons a bidder entrusted (the bidder itself, or centre staff).
#[utoipa::path(
    tag = "participants",
    params(("id" = String, Path, description = "The bidder")),
    responses(
        (status = 200, description = "Every person the bidder entrusted", body = Vec<EntrustedAgent>),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither the bidder nor centre staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}/entrusted-agents")]
#[tracing::instrument(skip_all)]
pub async fn entrusted_agents(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let agents = run(&state, move |p| p.oversight().entrusted_agents(caller.principal(), &id)).await?;
    Ok(HttpResponse::Ok().json(agents))
}

/// The centre records a bid the committee rejected (否决投标), after the opening and before
/// the report; the report ranks only the others.
#[utoipa::path(
    tag = "evaluation",
    params(("id" = String, Path, description = "Section id")),
    request_body = RejectBid,
    responses(
        (status = 200, description = "The section's rejected bids", body = Vec<BidRejection>),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such section", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not opened, or the report exists", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/rejections")]
#[tracing::instrument(skip_all)]
pub async fn reject_bid(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<RejectBid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let rejections =
        run(&state, move |p| p.evaluation().reject_bid(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(rejections))
}
