use actix_web::http::header;
use actix_web::{post, web, HttpRequest, HttpResponse};
use base64::Engine;
use ggzy_kernel::FieldError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::run;
use crate::problem::{ApiError, Problem, ProblemType};
use crate::AppState;

/// OAuth 2.0 client credentials (RFC 6749 §4.4). The client may authenticate with HTTP
/// Basic instead of the `client_id`/`client_secret` fields.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct TokenRequest {
    /// Must be `client_credentials`.
    #[schema(required = true, value_type = String, pattern = "^client_credentials$", example = "client_credentials")]
    pub grant_type: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the token expires.
    pub expires_in: i64,
    /// Space-separated scopes granted.
    pub scope: String,
}

/// Client credentials from HTTP Basic, if that is how the client authenticated.
fn basic_credentials(req: &HttpRequest) -> Result<Option<(String, String)>, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else { return Ok(None) };
    let bad = || ApiError::new(ProblemType::InvalidClient, "Authorization 头须为 Basic 客户端凭据");
    let text = value.to_str().map_err(|_| bad())?;
    let Some((scheme, encoded)) = text.split_once(' ') else { return Err(bad()) };
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(bad());
    }
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).map_err(|_| bad())?;
    let decoded = String::from_utf8(decoded).map_err(|_| bad())?;
    let (id, secret) = decoded.split_once(':').ok_or_else(bad)?;
    Ok(Some((id.to_owned(), secret.to_owned())))
}

/// Exchange a service account's client credentials for a bearer token.
#[utoipa::path(
    tag = "auth",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "A token", body = TokenResponse),
        (status = 400, description = "Malformed form or unsupported grant type", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Unknown client or wrong secret", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not a form", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong secrets for this client id or from this address; `Retry-After` says how many seconds to wait", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("basic" = []))
)]
#[post("/token")]
#[tracing::instrument(skip_all)]
pub async fn issue_token(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<TokenRequest>,
) -> Result<HttpResponse, ApiError> {
    let form = form.into_inner();
    if form.grant_type.as_deref() != Some("client_credentials") {
        return Err(ApiError::new(ProblemType::MalformedRequest, "仅支持 client_credentials 授权方式").with_errors(
            vec![FieldError::new("grant_type", "unsupported_grant_type", "grant_type 须为 client_credentials")],
        ));
    }
    let (client_id, client_secret) = match basic_credentials(&req)? {
        Some(credentials) => credentials,
        None => match (form.client_id, form.client_secret) {
            (Some(id), Some(secret)) => (id, secret),
            _ => return Err(ApiError::new(ProblemType::InvalidClient, "缺少 client_id 或 client_secret")),
        },
    };
    let address = req.peer_addr().map(|a| a.ip().to_string());
    let now = state.platform.now();
    // Counted before the secret is checked, so parallel guesses are all counted.
    if let Err(seconds) = state.token_throttle.attempt(&client_id, address.as_deref(), now) {
        return Err(ApiError::new(
            ProblemType::TooManyRequests,
            format!("客户端凭据错误次数过多，请 {seconds} 秒后再试"),
        )
        .retry_after(seconds));
    }
    let checked_id = client_id.clone();
    let principal = run(&state, move |p| p.registry().authenticate_client(&client_id, &client_secret)).await?;
    state.token_throttle.succeeded(&checked_id, address.as_deref(), now);
    let ttl = i64::try_from(state.token_ttl.as_secs()).unwrap_or(3600);
    let token = state
        .tokens
        .issue(&principal, state.platform.now(), ttl)
        .map_err(|_| ApiError::new(ProblemType::InternalError, "签发令牌失败"))?;
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).json(TokenResponse {
        access_token: token,
        token_type: "Bearer".into(),
        expires_in: ttl,
        scope: principal.scopes.join(" "),
    }))
}
