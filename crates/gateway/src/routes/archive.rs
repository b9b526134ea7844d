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
#[get("/{id}/archive")]
#[tracing::instrument(skip_all)]
pub async fn project_archive(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: web::Query<ArchivePurpose>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let purpose = query.into_inner().purpose;
    let archive = run(&state, move |p| p.disclosure().project_archive(caller.principal(), &id, purpose)).await?;
    Ok(HttpResponse::Ok().json(archive))
}

/// The same archive as a zip: `archive.json`, `manifest.json` (the archive's digest and
/// every document it names, by SHA-256, with whether the zip carries it) and the files
/// themselves at `documents/<sha256>`, each verified against its hash before it is put in.
/// The read is logged like the JSON export; `ggzy audit verify --archive FILE.zip` checks
/// the chain and every file offline.
#[utoipa::path(
    tag = "audit",
    params(("id" = String, Path, description = "Project id"), ArchivePurpose),
    responses(
        (status = 200, description = "The archive zip", body = crate::routes::documents::FileBytes, content_type = "application/zip"),
        (status = 400, description = "Malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No purpose stated", body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "A stored file failed its integrity check; no archive was made", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database or document store unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}/archive.zip")]
#[tracing::instrument(skip_all)]
pub async fn project_archive_zip(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: web::Query<ArchivePurpose>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let purpose = query.into_inner().purpose;
    let archive = run(&state, move |p| p.disclosure().project_archive(caller.principal(), &id, purpose)).await?;
    // Every file the archive names that the store holds, copied out verified; then the
    // zip is written to a spool file and streamed, so no file is held in memory.
    let workdir = WorkDir(state.documents.spool_dir().join(format!("archive-{}", uuid::Uuid::new_v4())));
    let path = write_zip(&state, &archive, &workdir.0).await?;
    // The open file stays readable after its directory is removed (POSIX), which happens
    // when `workdir` goes, whatever ends the request.
    let zip = std::fs::File::open(&path).map_err(|e| ApiError::from(internal(&e)))?;
    let size = zip.metadata().map_err(|e| ApiError::from(internal(&e)))?.len();
    let stream = futures_util::stream::try_unfold(tokio::fs::File::from_std(zip), |mut file| async move {
        use tokio::io::AsyncReadExt;
        let mut buffer = vec![0u8; 64 * 1024];
        let read = file.read(&mut buffer).await?;
        if read == 0 {
            return Ok::<_, std::io::Error>(None);
        }
        buffer.truncate(read);
        Ok(Some((bytes::Bytes::from(buffer), file)))
    });
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header((actix_web::http::header::CONTENT_LENGTH, size))
        .insert_header(("Content-Disposition", "attachment; filename=\"archive.zip\""))
        .streaming(stream))
}

/// A directory removed with everything in it when dropped (also when the client goes away
/// while the archive is being made).
struct WorkDir(std::path::PathBuf);

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn internal(error: &dyn std::fmt::Display) -> ggzy_service::ServiceError {
    ggzy_service::ServiceError::Internal(format!("writing the archive zip: {error}"))
}

async fn write_zip(
    state: &web::Data<AppState>,
    archive: &ProjectArchive,
    workdir: &std::path::Path,
) -> Result<std::path::PathBuf, ApiError> {
    std::fs::create_dir_all(workdir).map_err(|e| ApiError::from(internal(&e)))?;
    let mut files = std::collections::BTreeMap::new();
    for document in ggzy_service::archive::documents_of(archive) {
        if files.contains_key(&document.sha256) || !ggzy_documents::is_sha256(&document.sha256) {
            continue;
        }
        if !state.documents.contains(&document.sha256).await.map_err(crate::routes::documents::corrupt_or)? {
            continue;
        }
        let path = workdir.join(&document.sha256);
        state.documents.copy_to(&document.sha256, &path).await.map_err(crate::routes::documents::corrupt_or)?;
        files.insert(document.sha256, path);
    }
    let target = workdir.join("archive.zip");
    let archive = archive.clone();
    let zip_path = target.clone();
    web::block(move || {
        let file = std::fs::File::create(&zip_path).map_err(|e| internal(&e))?;
        let file = ggzy_service::archive::write_archive_zip(&archive, &files, std::io::BufWriter::new(file))?;
        file.into_inner().map_err(|e| internal(&e))?.sync_all().map_err(|e| internal(&e))
    })
    .await
    .map_err(|_| ApiError::new(crate::problem::ProblemType::InternalError, "服务内部错误，请稍后重试或联系平台运维"))?
    .map_err(ApiError::from)?;
    Ok(target)
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
#[get("/{id}/archive-reads")]
#[tracing::instrument(skip_all)]
pub async fn archive_reads(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let reads = run(&state, move |p| p.disclosure().archive_reads(caller.principal(), &id)).await?;
    Ok(HttpResponse::Ok().json(reads))
}
