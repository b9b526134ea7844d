//! Documents: uploads streamed into the document store, downloads streamed out of it
//! after their bytes are verified, and the downloads of tender documents.

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use ggzy_documents::StoreError;
use ggzy_kernel::FieldError;
use ggzy_service::documents::{Document, DocumentDownload, DownloadGrant, UploadRequest};
use ggzy_service::sealed_bids::{DecryptionPlan, OpenedFile};
use serde::Deserialize;
use utoipa::IntoParams;

use super::run;
use crate::auth::Caller;
use crate::problem::{ApiError, Problem, ProblemType};
use crate::AppState;

/// The bytes of a file, as the document describes a request or response body.
#[derive(Debug)]
pub struct FileBytes;

impl utoipa::PartialSchema for FileBytes {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    }
}

impl utoipa::ToSchema for FileBytes {}

/// The upload route, whose body streams past the buffering middleware.
pub const UPLOAD_PATH: &str = "/api/v1/documents";
/// How long a resumable upload may rest between chunks: sessions untouched for longer are
/// removed when the server starts.
pub const SESSION_LIFETIME: std::time::Duration = std::time::Duration::from_secs(7 * 24 * 3600);
/// Resumable upload sessions: `PATCH {UPLOAD_SESSIONS}{id}` streams its body too.
pub const UPLOAD_SESSIONS: &str = "/api/v1/uploads/";
/// The most resumable uploads one caller keeps open at once: each may hold a file of up to
/// its kind's limit on the spool disk until it completes or expires.
pub const OPEN_SESSIONS_PER_CALLER: usize = 16;

/// What an upload says of its file.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    /// What the file is.
    #[param(value_type = ggzy_rules::DocumentKind)]
    pub kind: Option<String>,
    /// Its title, e.g. 招标文件（第一册）.
    pub title: Option<String>,
    /// SHA-256 of the file's bytes (64 lowercase hex digits): the upload is refused unless
    /// the bytes received hash to it.
    #[param(pattern = "^[0-9a-f]{64}$")]
    pub sha256: Option<String>,
    /// The project it belongs to (required for every kind but `evidence` and
    /// `sealed_bid_file`).
    #[param(format = Uuid)]
    pub project_id: Option<String>,
    /// The section a sealed bid file is for (`sealed_bid_file` only, instead of the project).
    #[param(format = Uuid)]
    pub section_id: Option<String>,
}

fn store_problem(error: StoreError) -> ApiError {
    match error {
        StoreError::HashMismatch { expected, found } => {
            ApiError::new(ProblemType::ValidationFailed, "收到的文件与声明的 sha256 不符，未保存").with_errors(vec![
                FieldError::new("sha256", "sha256_mismatch", format!("声明 {expected}，收到的文件为 {found}")),
            ])
        }
        StoreError::SizeMismatch { declared, received } => {
            ApiError::new(ProblemType::ValidationFailed, "收到的文件长度与 Content-Length 不符，未保存").with_errors(
                vec![FieldError::new(
                    "Content-Length",
                    "size_mismatch",
                    format!("声明 {declared} 字节，收到 {received} 字节"),
                )],
            )
        }
        StoreError::TooLarge { limit } => {
            ApiError::new(ProblemType::PayloadTooLarge, format!("此类文件不得超过 {limit} 字节（规则集 documents）"))
        }
        StoreError::NotFound(_) => ApiError::new(ProblemType::NotFound, "文件库中没有此文件"),
        StoreError::Busy => ApiError::new(ProblemType::Conflict, "此上传正在接收另一段，请稍后以 GET 查询进度后继续"),
        StoreError::OffsetMismatch { held } => {
            ApiError::new(ProblemType::Conflict, format!("上传已收到 {held} 字节：请从 Upload-Offset: {held} 继续"))
                .with_errors(vec![FieldError::new("Upload-Offset", "offset_mismatch", format!("应为 {held}"))])
        }
        StoreError::Io(detail) => {
            tracing::error!(%detail, "the document store failed");
            ApiError::new(ProblemType::ServiceUnavailable, "文件库暂不可用，请稍后重试")
        }
    }
}

/// A stored file that no longer hashes to its address is never served.
pub(crate) fn corrupt_or(error: StoreError) -> ApiError {
    if let StoreError::HashMismatch { expected, found } = &error {
        tracing::error!(%expected, %found, "a stored document failed its integrity check and was not served");
        return ApiError::new(
            ProblemType::InternalError,
            "文件库中的文件未通过完整性校验，未予提供；已记录，请联系平台运维",
        );
    }
    store_problem(error)
}

/// Hand in a document: the body is the file itself (any `Content-Type`, streamed; up to the
/// rule set's size for its kind), the query says what it is. The file is stored under its
/// SHA-256 once the bytes received hash to the declared `sha256`; otherwise nothing is
/// kept. The same file handed in again as the same document answers 200 with it.
///
/// Who hands in what: the tenderer's side (its tenderer, agents of commissioned agencies)
/// and the centre hand in approval documents, registration materials, tender documents and
/// corrections, appraisals and contracts; the centre hands in evaluation reports and the
/// recordings of its rooms; anyone signed in hands in evidence. A bidder hands in its bid
/// files sealed (`sealed_bid_file`, `ggzy bid seal --file`) for a section whose bidders
/// seal, before its deadline; they open when it decrypts its bid at the opening, and until
/// then nobody but the bidder learns they exist.
#[utoipa::path(
    tag = "documents",
    params(UploadQuery),
    request_body(content = FileBytes, content_type = "application/octet-stream", description = "The file's bytes"),
    responses(
        (status = 201, description = "Stored", body = Document),
        (status = 200, description = "The same file was handed in before as this document", body = Document),
        (status = 400, description = "Unknown or malformed query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller does not hand in this kind of document for this project", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 408, description = "The file was not received in time", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than the rule set allows for its kind", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing or invalid kind, title, sha256 or project; or the bytes do not hash to sha256", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database or document store unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn upload_document(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    query: web::Query<UploadQuery>,
    mut body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let media_type =
        request.headers().get(actix_web::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let declared_length = request
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let upload = UploadRequest {
        kind: query.kind,
        title: query.title,
        sha256: query.sha256,
        project_id: query.project_id,
        section_id: query.section_id,
        media_type,
    };
    let principal = caller.principal().cloned();
    let plan = {
        let principal = principal.clone();
        run(&state, move |p| p.tendering().plan_upload(principal.as_ref(), upload)).await?
    };
    if let Some(existing) = plan.existing.clone() {
        return Ok(HttpResponse::Ok().json(existing));
    }
    if declared_length.is_some_and(|length| length > plan.max_bytes) {
        return Err(store_problem(StoreError::TooLarge { limit: plan.max_bytes }));
    }
    let mut receiving = state.documents.receive(plan.max_bytes).await.map_err(store_problem)?;
    let received = actix_web::rt::time::timeout(state.upload_timeout, async {
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|_| ApiError::new(ProblemType::MalformedRequest, "请求体读取失败"))?;
            receiving.write(&chunk).await.map_err(store_problem)?;
        }
        receiving.finish().await.map_err(store_problem)
    })
    .await
    .map_err(|_| {
        ApiError::new(
            ProblemType::RequestTimeout,
            format!("文件未在 {} 秒内传完，未保存", state.upload_timeout.as_secs()),
        )
    })??;
    let size = received.size;
    state.documents.store(received, &plan.sha256, declared_length).await.map_err(store_problem)?;
    let (document, created) =
        run(&state, move |p| p.tendering().record_upload(principal.as_ref(), &plan, size)).await?;
    if created {
        Ok(HttpResponse::Created()
            .insert_header((actix_web::http::header::LOCATION, format!("/api/v1/documents/{}", document.id)))
            .json(document))
    } else {
        Ok(HttpResponse::Ok().json(document))
    }
}

/// A stored document's description: its uploader, the people of its project (tenderer,
/// agents, centre, its regulators, inspectors), for evidence the centre and supervisors.
#[utoipa::path(
    tag = "documents",
    params(("id" = String, Path, description = "Document id")),
    responses(
        (status = 200, description = "The document", body = Document),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such document, or not the caller's to read", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_document(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let document = run(&state, move |p| p.tendering().document(caller.principal(), &id)).await?;
    Ok(HttpResponse::Ok().json(document))
}

/// Serves a granted file: verified in full before the first byte, hashed again while it
/// streams.
async fn serve(state: &web::Data<AppState>, grant: &DownloadGrant) -> Result<HttpResponse, ApiError> {
    let (size, stream) = state.documents.open_verified(&grant.sha256).await.map_err(corrupt_or)?;
    Ok(respond(grant, size, stream))
}

/// The answer streaming a verified file.
fn respond(
    grant: &DownloadGrant,
    size: u64,
    stream: futures_util::stream::BoxStream<'static, Result<bytes::Bytes, StoreError>>,
) -> HttpResponse {
    let stream = stream.map(|chunk| {
        chunk.map_err(|error| {
            tracing::error!(%error, "a document stopped streaming");
            actix_web::error::ErrorInternalServerError("document store")
        })
    });
    let filename = utf8_percent(&grant.title);
    HttpResponse::Ok()
        .content_type(grant.media_type.as_str())
        .insert_header((actix_web::http::header::CONTENT_LENGTH, size))
        .insert_header(("Digest", format!("sha-256={}", grant.sha256)))
        // Whatever type the uploader declared, a browser never runs it from this origin.
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(("Content-Security-Policy", "default-src 'none'; sandbox"))
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"; filename*=UTF-8''{filename}", grant.sha256),
        ))
        .streaming(stream)
}

/// RFC 8187 percent-encoding of a file name.
fn utf8_percent(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Download a stored document (same readers as its description). The bytes are checked
/// against their SHA-256 before anything is sent: a stored file that fails is never served
/// (500 problem+json, logged).
#[utoipa::path(
    tag = "documents",
    params(("id" = String, Path, description = "Document id")),
    responses(
        (status = 200, description = "The file", body = FileBytes, content_type = "application/octet-stream"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such document, or not the caller's to read", body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "The stored file failed its integrity check and was not served", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database or document store unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}/content")]
#[tracing::instrument(skip_all)]
pub async fn download_document(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let grant = run(&state, move |p| p.tendering().document_download(caller.principal(), &id)).await?;
    serve(&state, &grant).await
}

/// A project's documents the caller may read, oldest first.
#[utoipa::path(
    tag = "documents",
    params(("id" = String, Path, description = "Project id")),
    responses(
        (status = 200, description = "The documents", body = Vec<Document>),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}/documents")]
#[tracing::instrument(skip_all)]
pub async fn project_documents(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let documents = run(&state, move |p| p.tendering().project_documents(caller.principal(), &id)).await?;
    Ok(HttpResponse::Ok().json(documents))
}

/// Obtain a document the announcement issues (招标文件 and corrections), by the SHA-256
/// the announcement names: anyone signed in, once it is published. The download is
/// recorded; who obtained the documents stays secret until the opening (招标投标法 §22).
#[utoipa::path(
    tag = "documents",
    params(
        ("id" = String, Path, description = "Announcement id"),
        ("sha256" = String, Path, description = "SHA-256 of a document the announcement names"),
    ),
    responses(
        (status = 200, description = "The file", body = FileBytes, content_type = "application/octet-stream"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A service account", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such announcement, or it names no such document", body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "The stored file failed its integrity check and was not served", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database or document store unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}/documents/{sha256}")]
#[tracing::instrument(skip_all)]
pub async fn download_issued_document(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, sha256) = path.into_inner();
    let principal = caller.principal().cloned();
    let grant = {
        let principal = principal.clone();
        run(&state, move |p| p.tendering().issued_document(principal.as_ref(), &id, &sha256)).await?
    };
    // Opened (and so verified) before it is recorded, so that a file never served is never
    // counted.
    let (size, stream) = state.documents.open_verified(&grant.sha256).await.map_err(corrupt_or)?;
    {
        let grant = grant.clone();
        run(&state, move |p| p.tendering().record_issued_download(principal.as_ref(), &grant)).await?;
    }
    Ok(respond(&grant, size, stream))
}

/// Who obtained an announcement's documents: nobody learns it before every section of the
/// project is opened (409), then the project's readers do.
#[utoipa::path(
    tag = "documents",
    params(("id" = String, Path, description = "Announcement id")),
    responses(
        (status = 200, description = "Downloads, oldest first", body = Vec<DocumentDownload>),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such announcement, or its project is not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Before the opening: secret", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}/downloads")]
#[tracing::instrument(skip_all)]
pub async fn announcement_downloads(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let downloads = run(&state, move |p| p.tendering().announcement_downloads(caller.principal(), &id)).await?;
    Ok(HttpResponse::Ok().json(downloads))
}

/// A resumable upload: what it will be, whose it is, how large.
#[derive(Debug, serde::Serialize, Deserialize)]
struct SessionDescription {
    owner: String,
    kind: Option<String>,
    title: Option<String>,
    sha256: String,
    project_id: Option<String>,
    #[serde(default)]
    section_id: Option<String>,
    media_type: Option<String>,
    size: u64,
}

/// Where a resumable upload stands.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct UploadSession {
    #[schema(format = Uuid)]
    pub id: String,
    /// Bytes received so far: the next `PATCH` sends `Upload-Offset` with this value.
    pub offset: u64,
    /// Bytes the file has in all.
    pub size: u64,
}

/// What a resumable upload says of its file: as a plain upload, and its size.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SessionQuery {
    #[param(value_type = ggzy_rules::DocumentKind)]
    pub kind: Option<String>,
    pub title: Option<String>,
    #[param(pattern = "^[0-9a-f]{64}$")]
    pub sha256: Option<String>,
    #[param(format = Uuid)]
    pub project_id: Option<String>,
    /// The section of a sealed bid file.
    #[param(format = Uuid)]
    pub section_id: Option<String>,
    /// The file's size in bytes.
    pub size: Option<u64>,
    /// The file's media type (served back as its `Content-Type`).
    pub media_type: Option<String>,
}

/// Start a resumable upload of a large file (a recording, a long tender document): the
/// same checks as `POST /documents`, nothing sent yet. Then send the bytes in any number of
/// `PATCH /uploads/{id}` with `Upload-Offset` (the bytes already received, 0 first); a
/// broken connection loses only the chunk in flight — `GET /uploads/{id}` says where to go
/// on. The last chunk stores the file (verified against `sha256` like a plain upload) and
/// answers the document. Sessions live on the server's local disk; a caller keeps at most
/// 16 open at once.
#[utoipa::path(
    tag = "documents",
    params(SessionQuery),
    responses(
        (status = 201, description = "The session, at offset 0", body = UploadSession),
        (status = 400, description = "Unknown or malformed query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller does not hand in this kind of document for this project", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than the rule set allows for its kind", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing or invalid kind, title, sha256, size or project", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "The caller already has 16 uploads open", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database or document store unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn begin_upload(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<SessionQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let principal = caller.principal().cloned();
    let owner = principal.as_ref().map(|p| p.actor()).unwrap_or_default();
    let upload = UploadRequest {
        kind: query.kind.clone(),
        title: query.title.clone(),
        sha256: query.sha256.clone(),
        project_id: query.project_id.clone(),
        section_id: query.section_id.clone(),
        media_type: query.media_type.clone(),
    };
    let size_missing = FieldError::new("size", "required", "必填项缺失：文件的字节数");
    let plan = match run(&state, move |p| p.tendering().plan_upload(principal.as_ref(), upload)).await {
        Ok(plan) => plan,
        // Every problem at once: the missing size beside the others.
        Err(mut error) if query.size.is_none() && !error.problem.errors.is_empty() => {
            error.problem.errors.push(size_missing);
            return Err(error);
        }
        Err(error) => return Err(error),
    };
    let Some(size) = query.size else {
        return Err(ApiError::new(ProblemType::ValidationFailed, "须说明文件大小").with_errors(vec![size_missing]));
    };
    if size > plan.max_bytes {
        return Err(store_problem(StoreError::TooLarge { limit: plan.max_bytes }));
    }
    let open = state
        .documents
        .session_descriptions()
        .await
        .iter()
        .filter_map(|bytes| serde_json::from_slice::<SessionDescription>(bytes).ok())
        .filter(|session| session.owner == owner)
        .count();
    if open >= OPEN_SESSIONS_PER_CALLER {
        return Err(ApiError::new(
            ProblemType::TooManyRequests,
            format!("已有 {open} 个未完成的上传：先完成或等待其过期（7 日未续传即清除）"),
        ));
    }
    let id = uuid::Uuid::new_v4().to_string();
    let description = SessionDescription {
        owner,
        kind: query.kind,
        title: query.title,
        sha256: plan.sha256.clone(),
        project_id: query.project_id,
        section_id: query.section_id,
        media_type: query.media_type,
        size,
    };
    let description = serde_json::to_vec(&description)
        .map_err(|_| ApiError::new(ProblemType::InternalError, "服务内部错误，请稍后重试或联系平台运维"))?;
    state.documents.begin_session(&id, &description).await.map_err(store_problem)?;
    Ok(HttpResponse::Created()
        .insert_header((actix_web::http::header::LOCATION, format!("{UPLOAD_SESSIONS}{id}")))
        .json(UploadSession { id, offset: 0, size }))
}

/// A session of the caller's own, or not found.
async fn own_session(
    state: &web::Data<AppState>,
    caller: &Caller,
    id: &str,
) -> Result<(SessionDescription, u64), ApiError> {
    let principal = caller.principal().ok_or_else(|| ApiError::from(ggzy_service::ServiceError::Unauthenticated))?;
    let (description, offset) = state.documents.session(id).await.map_err(store_problem)?;
    let description: SessionDescription =
        serde_json::from_slice(&description).map_err(|_| ApiError::new(ProblemType::NotFound, "没有此上传"))?;
    if description.owner != principal.actor() {
        return Err(ApiError::new(ProblemType::NotFound, "没有此上传"));
    }
    Ok((description, offset))
}

/// Where a resumable upload stands (its owner only).
#[utoipa::path(
    tag = "documents",
    params(("id" = String, Path, description = "Upload session id")),
    responses(
        (status = 200, description = "The session", body = UploadSession),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such session of the caller's", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Document store unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_upload(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (description, offset) = own_session(&state, &caller, &id).await?;
    Ok(HttpResponse::Ok().json(UploadSession { id, offset, size: description.size }))
}

/// The next bytes of a resumable upload, from `Upload-Offset` (the bytes it holds; 409
/// naming them otherwise). Answers 204 with the new `Upload-Offset`, and for the chunk that
/// completes the file the stored document (201; 200 when it was handed in before).
#[utoipa::path(
    tag = "documents",
    params(
        ("id" = String, Path, description = "Upload session id"),
        ("Upload-Offset" = u64, Header, description = "Bytes the session holds before this chunk"),
    ),
    // Not required (set in `openapi_document`): an empty chunk at the full offset completes
    // a session whose store failed at the last chunk.
    request_body(content = FileBytes, content_type = "application/octet-stream", description = "The next bytes (none to complete a session that holds every byte)"),
    responses(
        (status = 201, description = "The last chunk: stored", body = Document),
        (status = 200, description = "The last chunk: the same file was handed in before as this document", body = Document),
        (status = 204, description = "Received; `Upload-Offset` says how many bytes the session holds"),
        (status = 400, description = "No or a malformed Upload-Offset", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller no longer hands in this kind of document", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such session of the caller's", body = Problem, content_type = "application/problem+json"),
        (status = 408, description = "The chunk was not received in time (what arrived is kept)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Upload-Offset is not the bytes the session holds", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "More bytes than the declared size", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The complete file does not hash to sha256", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database or document store unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn continue_upload(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    id: web::Path<String>,
    mut body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (description, _) = own_session(&state, &caller, &id).await?;
    // One request at a time per session, held until its chunk is written (and the file
    // stored, for the last): a retry racing its original is told to wait.
    let _lock = state.documents.lock_session(&id).map_err(store_problem)?;
    let offset = request
        .headers()
        .get("upload-offset")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .ok_or_else(|| {
            ApiError::new(ProblemType::MalformedRequest, "须以 Upload-Offset 说明已上传的字节数")
                .with_errors(vec![FieldError::new("Upload-Offset", "required", "必填，非负整数")])
        })?;
    let mut receiving = state.documents.continue_session(&id, offset, description.size).await.map_err(store_problem)?;
    let outcome = actix_web::rt::time::timeout(state.upload_timeout, async {
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|_| ApiError::new(ProblemType::MalformedRequest, "请求体读取失败"))?;
            receiving.write(&chunk).await.map_err(store_problem)?;
        }
        Ok::<_, ApiError>(())
    })
    .await;
    // What arrived is kept whatever happened, so that the upload goes on from there.
    let held = receiving.flush().await.map_err(store_problem)?;
    match outcome {
        Err(_) => {
            return Err(ApiError::new(
                ProblemType::RequestTimeout,
                format!("本段未在 {} 秒内传完；已收到 {held} 字节", state.upload_timeout.as_secs()),
            ))
        }
        Ok(Err(error)) => return Err(error),
        Ok(Ok(())) => {}
    }
    if held < description.size {
        return Ok(HttpResponse::NoContent().insert_header(("Upload-Offset", held.to_string())).finish());
    }
    let principal = caller.principal().cloned();
    let upload = UploadRequest {
        kind: description.kind,
        title: description.title,
        sha256: Some(description.sha256.clone()),
        project_id: description.project_id,
        section_id: description.section_id,
        media_type: description.media_type,
    };
    let plan = {
        let principal = principal.clone();
        run(&state, move |p| p.tendering().plan_upload(principal.as_ref(), upload)).await?
    };
    let received = state.documents.finish_session(&id).await.map_err(store_problem)?;
    let size = received.size;
    match state.documents.store(received, &plan.sha256, Some(description.size)).await {
        Ok(()) => {}
        // Not the declared file: the session cannot complete, so it is closed.
        Err(refused @ (StoreError::HashMismatch { .. } | StoreError::SizeMismatch { .. })) => {
            state.documents.close_session(&id).await;
            return Err(store_problem(refused));
        }
        // Anything else (the object store away): the session stays; the last chunk may be
        // sent again (empty, at the full offset) to complete it.
        Err(other) => return Err(store_problem(other)),
    }
    let (document, created) =
        run(&state, move |p| p.tendering().record_upload(principal.as_ref(), &plan, size)).await?;
    state.documents.close_session(&id).await;
    Ok(if created { HttpResponse::Created().json(document) } else { HttpResponse::Ok().json(document) })
}

/// Opens a bid's sealed files from the store with the key its bidder revealed, and stores
/// each as the bidder wrote it (streamed: a file is never held whole). A sealed file that
/// does not open with the key is the bidder's (422 naming it); one the store cannot give
/// is the platform's (5XX, logged).
pub(crate) async fn open_sealed_files(
    state: &web::Data<AppState>,
    plan: &DecryptionPlan,
) -> Result<Vec<OpenedFile>, ApiError> {
    let does_not_open = |index: usize, error: ggzy_seal::SealError| {
        ApiError::new(ProblemType::ValidationFailed, "投标携带的加密文件不能以此密钥打开").with_errors(vec![
            FieldError::new(format!("envelope.files[{index}]"), "sealed_file_does_not_open", error.to_string()),
        ])
    };
    let mut opened = Vec::new();
    for (index, sealed) in plan.files.iter().enumerate() {
        let (_, mut stream) = state.documents.open_verified(sealed).await.map_err(|error| match error {
            StoreError::NotFound(_) => {
                tracing::error!(%sealed, "a sealed bid file recorded as handed in is not in the document store");
                ApiError::new(ProblemType::InternalError, "文件库中缺少此投标的加密文件；已记录，请联系平台运维")
            }
            other => corrupt_or(other),
        })?;
        let mut opener = ggzy_seal::FileOpener::new(plan.suite, &plan.content_key, &plan.section_id, &plan.bidder_id)
            .map_err(|e| does_not_open(index, e))?;
        let mut receiving = state.documents.receive(u64::MAX).await.map_err(store_problem)?;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(corrupt_or)?;
            let plain = opener.update(&chunk).map_err(|e| does_not_open(index, e))?;
            receiving.write(&plain).await.map_err(store_problem)?;
        }
        let last = opener.finish().map_err(|e| does_not_open(index, e))?;
        receiving.write(&last).await.map_err(store_problem)?;
        let received = receiving.finish().await.map_err(store_problem)?;
        let (sha256, size) = (received.sha256.clone(), received.size);
        state.documents.store(received, &sha256, Some(size)).await.map_err(store_problem)?;
        opened.push(OpenedFile { sealed_sha256: sealed.clone(), sha256, size });
    }
    Ok(opened)
}

/// Download a file of a bid by the SHA-256 its content names: its bidder at any time, and
/// once the section is opened the project's readers (tenderer, agents, centre, its
/// regulators, inspectors) and the members of the section's evaluation committee. The file
/// is the one the bidder sealed, opened when it decrypted its bid; before then, or for a
/// bid whose documents were only named by hash, there is none (404).
#[utoipa::path(
    tag = "documents",
    params(
        ("id" = String, Path, description = "Bid id"),
        ("sha256" = String, Path, description = "SHA-256 of a document the bid's content names"),
    ),
    responses(
        (status = 200, description = "The file", body = FileBytes, content_type = "application/octet-stream"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such bid the caller reads, or no such file of it", body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "The stored file failed its integrity check and was not served", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database or document store unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}/documents/{sha256}")]
#[tracing::instrument(skip_all)]
pub async fn download_bid_document(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, sha256) = path.into_inner();
    let grant = run(&state, move |p| p.tendering().bid_document(caller.principal(), &id, &sha256)).await?;
    serve(&state, &grant).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_names_are_percent_encoded() {
        assert_eq!(super::utf8_percent("招标 文件.pdf"), "%E6%8B%9B%E6%A0%87%20%E6%96%87%E4%BB%B6.pdf");
    }
}
