//! `Idempotency-Key` on POST (DESIGN.md, API conventions): the same key and body replay the
//! first answer; the same key with another body is refused; a duplicate arriving while the
//! first still runs is a conflict. Keys are scoped to the authenticated principal; requests
//! without a valid token pass through untouched (they fail authentication anyway).

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpResponse, ResponseError};
use ggzy_kernel::FieldError;
use ggzy_service::idempotency::KeyState;
use ggzy_service::RequestKey;
use sha2::{Digest, Sha256};

use crate::problem::{ApiError, ProblemType};
use crate::AppState;

const KEY: HeaderName = HeaderName::from_static("idempotency-key");
const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

fn problem(req: ServiceRequest, error: ApiError) -> ServiceResponse<BoxBody> {
    req.into_response(error.error_response())
}

pub async fn idempotency(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let key = req.headers().get(&KEY).cloned();
    let (Method::POST, Some(key)) = (req.method().clone(), key) else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };
    if crate::body::is_upload(&req) {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    }
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };
    let principal = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .and_then(|(_, token)| state.tokens.verify(token.trim(), state.platform.now()).ok());
    let Some(principal) = principal else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };
    // Checked once the caller is known, so that a request without a valid token is a 401
    // whatever its key looks like.
    let key = match key.to_str() {
        Ok(k) if !k.is_empty() && k.len() <= 200 && k.chars().all(|c| c.is_ascii_graphic()) => k.to_owned(),
        _ => {
            let error = ApiError::new(ProblemType::MalformedRequest, "Idempotency-Key 须为 1 至 200 个可见 ASCII 字符")
                .with_errors(vec![FieldError::new("Idempotency-Key", "malformed", "格式错误")]);
            return Ok(problem(req, error));
        }
    };
    let body = req.extract::<web::Bytes>().await?;
    req.set_payload(Payload::from(body.clone()));
    let mut hasher = Sha256::new();
    hasher.update(req.method().as_str().as_bytes());
    hasher.update(b"\n");
    hasher.update(req.uri().to_string().as_bytes());
    hasher.update(b"\n");
    hasher.update(&body);
    let fingerprint = hex::encode(hasher.finalize());
    let scope = principal.actor();

    let claim = {
        let (state, scope, key, fingerprint) = (state.clone(), scope.clone(), key.clone(), fingerprint.clone());
        let threads = state.service_threads.clone();
        threads.run(move || state.platform.claim_idempotency_key(&scope, &key, &fingerprint)).await
    };
    let claim = match claim {
        Ok(Ok(claim)) => claim,
        Ok(Err(error)) => return Ok(problem(req, ApiError::from(error))),
        Err(_) => return Ok(problem(req, ApiError::new(ProblemType::InternalError, "服务内部错误"))),
    };
    match claim {
        KeyState::Replay { status, content_type, body } => {
            let status = actix_web::http::StatusCode::from_u16(status).unwrap_or(actix_web::http::StatusCode::OK);
            let response = HttpResponse::build(status)
                .insert_header((header::CONTENT_TYPE, content_type))
                .insert_header((REPLAYED, HeaderValue::from_static("true")))
                .body(body);
            Ok(req.into_response(response))
        }
        KeyState::Mismatch => {
            let error =
                ApiError::new(ProblemType::ValidationFailed, "该 Idempotency-Key 已用于另一请求").with_errors(vec![
                    FieldError::new("Idempotency-Key", "reused_with_other_request", "同一幂等键只能用于同一请求"),
                ]);
            Ok(problem(req, error))
        }
        KeyState::InProgress => Ok(problem(
            req,
            ApiError::new(ProblemType::Conflict, "使用同一 Idempotency-Key 的请求仍在处理中，请稍后重试"),
        )),
        KeyState::AppliedWithoutAnswer { object } => {
            let error = ApiError::new(
                ProblemType::Conflict,
                format!("使用该 Idempotency-Key 的请求已经生效（{object}），但其应答在服务中断时丢失；请查询该对象"),
            )
            .with_errors(vec![FieldError::new(
                "Idempotency-Key",
                "applied_answer_lost",
                format!("已生效：{object}"),
            )]);
            Ok(problem(req, error))
        }
        KeyState::Run { claim } => {
            let held = RequestKey { scope, key, claim };
            // The handler's principal carries the key, so that the transaction making the
            // change marks it (ggzy_service::idempotency).
            req.extensions_mut().insert(held.clone());
            let response = next.call(req).await?;
            let status = response.status();
            if status.is_server_error() {
                let (state, held) = (state.clone(), held.clone());
                let threads = state.service_threads.clone();
                let _ = threads.run(move || state.platform.abandon_idempotent(&held)).await;
                return Ok(response.map_into_boxed_body());
            }
            let (http_req, response) = response.into_parts();
            let headers = response.headers().clone();
            let content_type = headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("application/json")
                .to_owned();
            let bytes = actix_web::body::to_bytes(response.into_body())
                .await
                .map_err(|_| actix_web::error::ErrorInternalServerError("response body"))?;
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let stored = {
                let state = state.clone();
                let threads = state.service_threads.clone();
                threads
                    .run(move || state.platform.finish_idempotent(&held, status.as_u16(), &content_type, &text))
                    .await
            };
            if !matches!(stored, Ok(Ok(()))) {
                tracing::warn!("could not store the answer of an idempotent request");
            }
            let mut rebuilt = HttpResponse::build(status);
            for (name, value) in &headers {
                rebuilt.append_header((name.clone(), value.clone()));
            }
            Ok(ServiceResponse::new(http_req, rebuilt.body(bytes)))
        }
    }
}
