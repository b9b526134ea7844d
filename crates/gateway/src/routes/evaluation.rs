use actix_web::{get, post, web, HttpResponse};
use ggzy_service::evaluation::{
    AwardSection, DeclareRelation, DrawExperts, DrawReplay, Expert, ExpertDraw, NewExpert, OwnCommitteePage,
    OwnCommitteeQuery, RecuseExpert, RestrictExpert, SectionResult, SignContract, SubmitScores,
};
use serde::Serialize;
use utoipa::ToSchema;

use super::run;
use crate::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::AppState;

/// The answer to a member's scores.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScoresRecorded {
    /// Always true: every score is recorded.
    pub recorded: bool,
}

/// Register an expert in the pool (centre staff, comprehensive regulator).
#[utoipa::path(
    tag = "evaluation",
    request_body = NewExpert,
    responses(
        (status = 201, description = "Registered", body = Expert),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in a state for this", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a rule says no, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn register_expert(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<NewExpert>,
) -> Result<HttpResponse, ApiError> {
    let result = run(&state, move |p| p.evaluation().register_expert(caller.principal(), body.into_inner())).await?;
    Ok(HttpResponse::Created().json(result))
}

/// The evaluation committees the calling expert sits on now, newest draw first: section,
/// project, specialty, when drawn, where the committee stands for the expert (awaiting its
/// scores, scored, reported) and when it scored. A committee it stepped aside from is not
/// listed, and no other member is named. Only an expert is given this list, and only of its
/// own committees; any other query parameter is a 400.
#[utoipa::path(
    tag = "evaluation",
    params(OwnCommitteeQuery),
    responses(
        (status = 200, description = "One page of the expert's committees", body = OwnCommitteePage),
        (status = 400, description = "Unknown or malformed query parameter (named in errors[])", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an expert", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid state, cursor or limit", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/me/committees")]
#[tracing::instrument(skip_all)]
pub async fn own_committees(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<OwnCommitteeQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = run(&state, move |p| p.evaluation().own_committees(caller.principal(), query.into_inner())).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// The expert pool, a page at a time by id, filtered by specialty, service, restriction and
/// name (centre staff, comprehensive regulator).
#[utoipa::path(
    tag = "evaluation",
    params(ggzy_service::evaluation::ExpertQuery),
    responses(
        (status = 200, description = "One page", body = ggzy_service::evaluation::ExpertPage),
        (status = 400, description = "Malformed query or an unknown parameter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter, cursor or limit, each named", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_experts(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ggzy_service::evaluation::ExpertQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = run(&state, move |p| p.evaluation().experts(caller.principal(), query.into_inner())).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// An expert declares a relation or interest with a participant; it is then never drawn
/// where that participant is a party (recusal).
#[utoipa::path(
    tag = "evaluation",
    params(("id" = String, Path, description = "Expert id")),
    request_body = DeclareRelation,
    responses(
        (status = 200, description = "Declared", body = Expert),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in a state for this", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a rule says no, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/relations")]
#[tracing::instrument(skip_all)]
pub async fn declare_relation(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<DeclareRelation>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let result =
        run(&state, move |p| p.evaluation().declare_relation(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// A regulator restricts an expert until a date; the draw skips it.
#[utoipa::path(
    tag = "evaluation",
    params(("id" = String, Path, description = "Expert id")),
    request_body = RestrictExpert,
    responses(
        (status = 200, description = "Restricted", body = Expert),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in a state for this", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a rule says no, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/restriction")]
#[tracing::instrument(skip_all)]
pub async fn restrict_expert(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<RestrictExpert>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let result =
        run(&state, move |p| p.evaluation().restrict_expert(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// The centre draws the evaluation committee of an opened section at random from the
/// eligible experts (employers and declared relations of the parties, and restricted
/// experts, excluded). The seed and candidates are recorded for replay.
#[utoipa::path(
    tag = "evaluation",
    params(("id" = String, Path, description = "Section id")),
    request_body = DrawExperts,
    responses(
        (status = 201, description = "Drawn", body = ExpertDraw),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in a state for this", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a rule says no, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/expert-draws")]
#[tracing::instrument(skip_all)]
pub async fn draw_experts(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<DrawExperts>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let result = run(&state, move |p| p.evaluation().draw_experts(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Created().json(result))
}

/// Expert draws, newest first, of one section or all the caller may read: every draw for the
/// centre, 公管办 and inspectors, those of its projects for an industry regulator, a tenderer
/// or an agency.
#[utoipa::path(
    tag = "evaluation",
    params(ggzy_service::evaluation::DrawListQuery),
    responses(
        (status = 200, description = "One page", body = ggzy_service::evaluation::ExpertDrawPage),
        (status = 400, description = "Malformed query or an unknown parameter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Bidders, experts and others without draws to read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter, cursor or limit, each named", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_draws(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ggzy_service::evaluation::DrawListQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = run(&state, move |p| p.evaluation().expert_draws(caller.principal(), query.into_inner())).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// A draw and the committee (never shown to bidders).
#[utoipa::path(
    tag = "evaluation",
    params(("id" = String, Path, description = "Draw id")),
    responses(
        (status = 200, description = "The draw", body = ExpertDraw),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_draw(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let result = run(&state, move |p| p.evaluation().expert_draw(caller.principal(), &id)).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Replay a draw from its recorded seed and candidates, and say whether it matches.
#[utoipa::path(
    tag = "evaluation",
    params(("id" = String, Path, description = "Draw id")),
    responses(
        (status = 200, description = "The replay", body = DrawReplay),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}/replay")]
#[tracing::instrument(skip_all)]
pub async fn replay_draw(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let result = run(&state, move |p| p.evaluation().replay_draw(caller.principal(), &id)).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// A drawn expert steps aside (recusal); one replacement is drawn with a new recorded seed.
#[utoipa::path(
    tag = "evaluation",
    params(("id" = String, Path, description = "Draw id")),
    request_body = RecuseExpert,
    responses(
        (status = 200, description = "Replaced", body = ExpertDraw),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in a state for this", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a rule says no, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/recusals")]
#[tracing::instrument(skip_all)]
pub async fn recuse_expert(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<RecuseExpert>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let result = run(&state, move |p| p.evaluation().recuse_expert(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// A committee member (role expert, org = expert id) scores every bid of the section once.
#[utoipa::path(
    tag = "evaluation",
    params(("id" = String, Path, description = "Section id")),
    request_body = SubmitScores,
    responses(
        (status = 200, description = "Recorded", body = ScoresRecorded),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in a state for this", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a rule says no, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/scores")]
#[tracing::instrument(skip_all)]
pub async fn submit_scores(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<SubmitScores>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    run(&state, move |p| p.evaluation().submit_scores(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(ScoresRecorded { recorded: true }))
}

/// The committee report once every member has scored: ranking, up to three candidates,
/// published for the candidate publicity period (construction.candidates.publicity).
#[utoipa::path(
    tag = "evaluation",
    params(("id" = String, Path, description = "Section id")),
    responses(
        (status = 201, description = "Reported and published", body = SectionResult),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in a state for this", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/evaluation-report")]
#[tracing::instrument(skip_all)]
pub async fn evaluation_report(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let result = run(&state, move |p| p.evaluation().evaluation_report(caller.principal(), &id)).await?;
    Ok(HttpResponse::Created().json(result))
}

/// Candidates, award and contract of a section. Public once the report exists.
#[utoipa::path(
    tag = "public",
    params(("id" = String, Path, description = "Section id")),
    responses(
        (status = 200, description = "The result", body = SectionResult),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/sections/{id}/result")]
#[tracing::instrument(skip_all)]
pub async fn section_result(
    state: web::Data<AppState>,
    _caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let result = run(&state, move |p| p.evaluation().section_result(&id)).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// The tenderer awards after the publicity period; state-funded projects take the
/// first-ranked candidate (construction.candidates.max). Losers' bond clocks start.
#[utoipa::path(
    tag = "evaluation",
    params(("id" = String, Path, description = "Section id")),
    request_body = AwardSection,
    responses(
        (status = 200, description = "Awarded", body = SectionResult),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in a state for this", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a rule says no, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/award")]
#[tracing::instrument(skip_all)]
pub async fn award(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<AwardSection>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let result = run(&state, move |p| p.evaluation().award(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// The written contract, flagged late after the contract window; every bond's refund
/// clock starts.
#[utoipa::path(
    tag = "evaluation",
    params(("id" = String, Path, description = "Section id")),
    request_body = SignContract,
    responses(
        (status = 200, description = "Recorded", body = SectionResult),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in a state for this", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a rule says no, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/contract")]
#[tracing::instrument(skip_all)]
pub async fn sign_contract(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<SignContract>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let result = run(&state, move |p| p.evaluation().sign_contract(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(result))
}
