use actix_web::http::header;
use actix_web::{get, post, put, web, HttpResponse};
use ggzy_service::projects::{
    AssignRegulator, CommissionAgency, DirectAward, DirectAwardPage, Project, ProjectListQuery, ProjectPage,
    RegisterProject, ReplaceAgents, ReportDirectAward,
};

use super::{run, PageQuery};
use crate::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::AppState;

/// Register a project and its sections (进场登记): the tenderer itself, or centre staff
/// on its behalf. Missing or wrong materials are all named in one answer
/// (registration.one_time_notice). The answer carries the entry decision, the project code,
/// the service owner and the industry regulator (or status awaiting_regulator).
#[utoipa::path(
    tag = "projects",
    request_body = RegisterProject,
    responses(
        (status = 201, description = "Registered", body = Project, headers(("Location" = String, description = "URL of the project"))),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the tenderer or centre staff", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No centre staff on duty to own the project", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Materials missing or wrong (all named), or the project belongs on the municipal platform", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn register_project(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<RegisterProject>,
) -> Result<HttpResponse, ApiError> {
    let project = run(&state, move |p| p.tendering().register_project(caller.principal(), body.into_inner())).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/projects/{}", project.id)))
        .json(project))
}

/// Projects the caller may see: a tenderer its own, an agent those its agency is
/// commissioned on, an industry regulator those it supervises, a bidder those in one of whose
/// sections it posted a bond or a bid (without the registration contact); the centre, the
/// comprehensive regulator and inspectors all.
#[utoipa::path(
    tag = "projects",
    params(ProjectListQuery),
    responses(
        (status = 200, description = "One page", body = ProjectPage),
        (status = 400, description = "Malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "An expert, the platform admin or a system account", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter, cursor or limit, each named", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_projects(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ProjectListQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = run(&state, move |p| p.tendering().list_projects(caller.principal(), query.into_inner())).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One project with its sections, commissions and direct award, for those who may list it (a
/// bidder taking part sees it without the registration contact).
#[utoipa::path(
    tag = "projects",
    params(("id" = String, Path, description = "Project id")),
    responses(
        (status = 200, description = "The project", body = Project),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_project(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let project = run(&state, move |p| p.tendering().project(caller.principal(), &id)).await?;
    Ok(HttpResponse::Ok().json(project))
}

/// Assign the project's industry regulator (comprehensive regulator only;
/// regulator.assignment). The centre is refused under centre.no_regulatory_power.
#[utoipa::path(
    tag = "projects",
    params(("id" = String, Path, description = "Project id")),
    request_body = AssignRegulator,
    responses(
        (status = 200, description = "Assigned", body = Project),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the comprehensive regulator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Changed concurrently", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an industry regulator", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/{id}/regulator")]
#[tracing::instrument(skip_all)]
pub async fn assign_regulator(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<AssignRegulator>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let project =
        run(&state, move |p| p.tendering().assign_regulator(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(project))
}

/// The tenderer commissions an agency and names its real-name agents (at most
/// agency.max_agents for the project's category and rule-set version).
#[utoipa::path(
    tag = "projects",
    params(("id" = String, Path, description = "Project id")),
    request_body = CommissionAgency,
    responses(
        (status = 201, description = "Commissioned", body = Project),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the project's tenderer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "An agency is already commissioned", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid agency or agents, or more agents than agency.max_agents", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/commissions")]
#[tracing::instrument(skip_all)]
pub async fn commission_agency(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<CommissionAgency>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let project =
        run(&state, move |p| p.tendering().commission_agency(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Created().json(project))
}

/// Replace the real-name agents of a commission (audited: who left, who came).
#[utoipa::path(
    tag = "projects",
    params(("id" = String, Path, description = "Project id"), ("commission_id" = String, Path, description = "Commission id")),
    request_body = ReplaceAgents,
    responses(
        (status = 200, description = "Replaced", body = Project),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the project's tenderer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project or commission", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid agents, or more than agency.max_agents", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/{id}/commissions/{commission_id}/agents")]
#[tracing::instrument(skip_all)]
pub async fn replace_agents(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    body: web::Json<ReplaceAgents>,
) -> Result<HttpResponse, ApiError> {
    let (id, commission_id) = path.into_inner();
    let project =
        run(&state, move |p| p.tendering().replace_agents(caller.principal(), &id, &commission_id, body.into_inner()))
            .await?;
    Ok(HttpResponse::Ok().json(project))
}

/// The tenderer reports the directly awarded contractor (直接发包); it is published for
/// the direct_award.publicity period, whose end is computed in working days.
#[utoipa::path(
    tag = "projects",
    params(("id" = String, Path, description = "Project id")),
    request_body = ReportDirectAward,
    responses(
        (status = 201, description = "Published for publicity", body = DirectAward),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the project's tenderer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already reported, wrong state, or the deadline reaches beyond the years the platform can count (after 2200)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/direct-award")]
#[tracing::instrument(skip_all)]
pub async fn report_direct_award(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<ReportDirectAward>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let award =
        run(&state, move |p| p.tendering().report_direct_award(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Created().json(award))
}

/// Direct-award publicity (直接发包公示). Public.
#[utoipa::path(
    tag = "public",
    params(PageQuery),
    responses(
        (status = 200, description = "One page", body = DirectAwardPage),
        (status = 400, description = "Malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid cursor or limit", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/direct-awards")]
#[tracing::instrument(skip_all)]
pub async fn list_direct_awards(
    state: web::Data<AppState>,
    _caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let PageQuery { after, limit } = query.into_inner();
    let page = run(&state, move |p| p.tendering().direct_awards(after, limit)).await?;
    Ok(HttpResponse::Ok().json(page))
}
