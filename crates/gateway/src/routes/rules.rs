use actix_web::{get, post, web, HttpResponse};
use ggzy_rules::{Deadline, EntryDecision, RuleSet};
use ggzy_service::rules::{DeadlineRequest, EntryDecisionRequest, PublishedRuleSet, RuleSetSummary, RulesCatalogue};

use super::run;
use crate::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::AppState;

/// Every rule the platform enforces, with its number and legal source, and the rule-set
/// version in force today. Public.
#[utoipa::path(
    tag = "rules",
    responses(
        (status = 200, description = "The rules", body = RulesCatalogue),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_rules(state: web::Data<AppState>, _caller: Caller) -> Result<HttpResponse, ApiError> {
    let catalogue = run(&state, |p| p.rules().rules_catalogue()).await?;
    Ok(HttpResponse::Ok().json(catalogue))
}

/// Every published rule-set version. Public.
#[utoipa::path(
    tag = "rules",
    responses(
        (status = 200, description = "Versions, oldest first", body = Vec<RuleSetSummary>),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_rule_sets(state: web::Data<AppState>, _caller: Caller) -> Result<HttpResponse, ApiError> {
    let versions = run(&state, |p| p.rules().rule_sets()).await?;
    Ok(HttpResponse::Ok().json(versions))
}

/// One rule-set version: catalogue and thresholds, agent limits, bond caps, time limits and
/// the regulator mapping. Public.
#[utoipa::path(
    tag = "rules",
    params(("id" = u32, Path, description = "Version number")),
    responses(
        (status = 200, description = "The version", body = PublishedRuleSet),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such version", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_rule_set(
    state: web::Data<AppState>,
    _caller: Caller,
    id: web::Path<u32>,
) -> Result<HttpResponse, ApiError> {
    let version = id.into_inner();
    let rule_set = run(&state, move |p| p.rules().rule_set(version)).await?;
    Ok(HttpResponse::Ok().json(rule_set))
}

/// Publish a new rule-set version (comprehensive regulator only; the centre is refused
/// under centre.no_regulatory_power). The body is a whole rule set; its `version` is
/// assigned here. It must take effect after today and after the latest version.
#[utoipa::path(
    tag = "rules",
    request_body = RuleSet,
    responses(
        (status = 201, description = "Published", body = PublishedRuleSet),
        (status = 400, description = "Body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the comprehensive regulator", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid rule set, every problem in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn publish_rule_set(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let published = run(&state, move |p| p.rules().publish_rule_set(caller.principal(), body.into_inner())).await?;
    Ok(HttpResponse::Created().json(published))
}

/// Decide whether a project must enter the platform (must_enter, municipal_platform,
/// voluntary, not_required), citing the rules and the rule-set version. Public.
#[utoipa::path(
    tag = "rules",
    request_body = EntryDecisionRequest,
    responses(
        (status = 200, description = "The decision", body = EntryDecision),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown subtype", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[post("/entry-decision")]
#[tracing::instrument(skip_all)]
pub async fn entry_decision(
    state: web::Data<AppState>,
    _caller: Caller,
    body: web::Json<EntryDecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    let decision = run(&state, move |p| p.rules().entry_decision(body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(decision))
}

/// When a time limit runs out: the event's day is not counted, days roll over to the next
/// working day, working days skip holidays and count make-up workdays, and the period ends
/// at 24:00 Beijing time. Public.
#[utoipa::path(
    tag = "rules",
    request_body = DeadlineRequest,
    responses(
        (status = 200, description = "The deadline", body = Deadline),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The deadline reaches beyond the years the platform can count (after 2200); `detail` names the year. A year without its official holiday arrangement is counted provisionally and the answer says so (`provisional`, `provisional_years`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a rule with a time limit", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[post("/deadline")]
#[tracing::instrument(skip_all)]
pub async fn deadline(
    state: web::Data<AppState>,
    _caller: Caller,
    body: web::Json<DeadlineRequest>,
) -> Result<HttpResponse, ApiError> {
    let deadline = run(&state, move |p| p.rules().deadline(body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(deadline))
}
