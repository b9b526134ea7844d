use actix_web::{get, web, HttpResponse};
use ggzy_service::archive::{ArchiveRead, ProjectArchive};
use serde::Deserialize;
use utoipa::IntoParams;

use super::run;
use crate::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ArchivePurpose {
    /// Why the archive is read (required; logged).
    pub purpose: Option<String>,
}

/// The whole file of a project (一项一档) with every audit event of its hash chain, for the
/// centre, supervisors and inspectors; the read is logged with the stated purpose. Verify
/// it offline with `ggzy audit verify --archive FILE`.
#[utoipa::path(
    tag = "audit",
    params(("id" = String, Path, description = "Project id"), ArchivePurpose),
    responses(
        (status = 200, description = "The archive", body = ProjectArchive),
        (status = 400, description = "Malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No purpose stated", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/projects/{id}/archive")]
#[tracing::instrument(skip_all)]
pub async fn project_archive(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: web::Query<ArchivePurpose>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let purpose = query.into_inner().purpose;
    let archive = run(&state, move |p| p.project_archive(caller.principal(), &id, purpose)).await?;
    Ok(HttpResponse::Ok().json(archive))
}

/// The same archive as a zip: `archive.json` and `manifest.json` (the archive's digest and
/// every document it names, by SHA-256). The read is logged like the JSON export;
/// `ggzy audit verify --archive FILE.zip` checks it offline.
#[utoipa::path(
    tag = "audit",
    params(("id" = String, Path, description = "Project id"), ArchivePurpose),
    responses(
        (status = 200, description = "The archive zip", body = Vec<u8>, content_type = "application/zip"),
        (status = 400, description = "Malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No purpose stated", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/projects/{id}/archive.zip")]
#[tracing::instrument(skip_all)]
pub async fn project_archive_zip(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: web::Query<ArchivePurpose>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let purpose = query.into_inner().purpose;
    let bytes = run(&state, move |p| {
        let archive = p.project_archive(caller.principal(), &id, purpose)?;
        ggzy_service::archive::archive_zip(&archive)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header(("Content-Disposition", "attachment; filename=\"archive.zip\""))
        .body(bytes))
}

/// Who read a project's archive, when and why.
#[utoipa::path(
    tag = "audit",
    params(("id" = String, Path, description = "Project id")),
    responses(
        (status = 200, description = "Reads, oldest first", body = Vec<ArchiveRead>),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/projects/{id}/archive-reads")]
#[tracing::instrument(skip_all)]
pub async fn archive_reads(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let reads = run(&state, move |p| p.archive_reads(caller.principal(), &id)).await?;
    Ok(HttpResponse::Ok().json(reads))
}
