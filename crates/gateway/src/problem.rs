//! RFC 9457 problem details: every error the API returns is `application/problem+json`
//! with a stable `type`, a Chinese `detail`, and `errors[]` naming every problem at once.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use ggzy_kernel::FieldError;
use ggzy_service::ServiceError;
use serde::Serialize;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::ToSchema;

pub const CONTENT_TYPE: &str = "application/problem+json";

/// Stable problem types. Clients switch on these; titles and details may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemType {
    MalformedRequest,
    ValidationFailed,
    RuleViolation,
    Unauthenticated,
    InvalidClient,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    AlreadyExists,
    Conflict,
    RequestTimeout,
    PayloadTooLarge,
    UnsupportedMediaType,
    TooManyRequests,
    ServiceUnavailable,
    InternalError,
}

impl ProblemType {
    pub const ALL: [ProblemType; 16] = [
        ProblemType::MalformedRequest,
        ProblemType::ValidationFailed,
        ProblemType::RuleViolation,
        ProblemType::Unauthenticated,
        ProblemType::InvalidClient,
        ProblemType::Forbidden,
        ProblemType::NotFound,
        ProblemType::MethodNotAllowed,
        ProblemType::AlreadyExists,
        ProblemType::Conflict,
        ProblemType::RequestTimeout,
        ProblemType::PayloadTooLarge,
        ProblemType::UnsupportedMediaType,
        ProblemType::TooManyRequests,
        ProblemType::ServiceUnavailable,
        ProblemType::InternalError,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ProblemType::MalformedRequest => "malformed-request",
            ProblemType::ValidationFailed => "validation-failed",
            ProblemType::RuleViolation => "rule-violation",
            ProblemType::Unauthenticated => "unauthenticated",
            ProblemType::InvalidClient => "invalid-client",
            ProblemType::Forbidden => "forbidden",
            ProblemType::NotFound => "not-found",
            ProblemType::MethodNotAllowed => "method-not-allowed",
            ProblemType::AlreadyExists => "already-exists",
            ProblemType::Conflict => "conflict",
            ProblemType::RequestTimeout => "request-timeout",
            ProblemType::PayloadTooLarge => "payload-too-large",
            ProblemType::UnsupportedMediaType => "unsupported-media-type",
            ProblemType::TooManyRequests => "too-many-requests",
            ProblemType::ServiceUnavailable => "service-unavailable",
            ProblemType::InternalError => "internal-error",
        }
    }

    pub fn status(self) -> StatusCode {
        match self {
            ProblemType::MalformedRequest => StatusCode::BAD_REQUEST,
            ProblemType::ValidationFailed | ProblemType::RuleViolation => StatusCode::UNPROCESSABLE_ENTITY,
            ProblemType::Unauthenticated | ProblemType::InvalidClient => StatusCode::UNAUTHORIZED,
            ProblemType::Forbidden => StatusCode::FORBIDDEN,
            ProblemType::NotFound => StatusCode::NOT_FOUND,
            ProblemType::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ProblemType::AlreadyExists | ProblemType::Conflict => StatusCode::CONFLICT,
            ProblemType::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            ProblemType::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ProblemType::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ProblemType::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            ProblemType::ServiceUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            ProblemType::InternalError => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn title(self) -> &'static str {
        match self {
            ProblemType::MalformedRequest => "请求格式错误",
            ProblemType::ValidationFailed => "请求内容未通过校验",
            ProblemType::RuleViolation => "不符合交易规则",
            ProblemType::Unauthenticated => "未认证或令牌无效",
            ProblemType::InvalidClient => "客户端凭据无效",
            ProblemType::Forbidden => "无权执行此操作",
            ProblemType::NotFound => "资源不存在",
            ProblemType::MethodNotAllowed => "不支持的请求方法",
            ProblemType::AlreadyExists => "记录已存在",
            ProblemType::Conflict => "状态冲突",
            ProblemType::RequestTimeout => "请求体未按时送达",
            ProblemType::PayloadTooLarge => "请求体过大",
            ProblemType::UnsupportedMediaType => "不支持的内容类型",
            ProblemType::TooManyRequests => "请求过于频繁",
            ProblemType::ServiceUnavailable => "服务暂不可用",
            ProblemType::InternalError => "服务内部错误",
        }
    }

    pub fn uri(self) -> String {
        format!("urn:ggzy:problem:{}", self.code())
    }
}

/// The schema of `Problem.type`: a string enum of the URI of every problem type.
impl utoipa::PartialSchema for ProblemType {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(ProblemType::ALL.iter().map(|kind| kind.uri())))
            .description(Some("Stable problem type, `urn:ggzy:problem:<code>`; clients switch on it."))
            .examples([ProblemType::ValidationFailed.uri()])
            .into()
    }
}

impl ToSchema for ProblemType {}

/// The rule that refused a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RuleReference {
    /// Rule id from RULES.md, e.g. `participant.register_once`.
    pub id: String,
    /// Where the rule comes from, e.g. `细则 §33, §36`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl RuleReference {
    fn of(id: &str) -> RuleReference {
        RuleReference { id: id.to_owned(), source: ggzy_service::rules::source_of(id).map(str::to_owned) }
    }
}

/// The record a refused create would have duplicated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ExistingReference {
    pub id: String,
    pub href: String,
}

/// RFC 9457 problem details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Problem {
    /// Stable problem type, `urn:ggzy:problem:<code>`.
    // Always the URI of one of ProblemType::ALL, which the schema lists.
    #[serde(rename = "type")]
    #[schema(value_type = ProblemType)]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    /// What went wrong, in Chinese.
    pub detail: String,
    /// Every invalid field or missing item at once (一次性告知).
    pub errors: Vec<FieldError>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<RuleReference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing: Option<ExistingReference>,
}

/// An error on its way to becoming a problem response.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub kind: ProblemType,
    pub problem: Box<Problem>,
    /// Seconds for a `Retry-After` header (429).
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(kind: ProblemType, detail: impl Into<String>) -> Self {
        ApiError {
            kind,
            problem: Box::new(Problem {
                problem_type: kind.uri(),
                title: kind.title().to_owned(),
                status: kind.status().as_u16(),
                detail: detail.into(),
                errors: Vec::new(),
                rule: None,
                existing: None,
            }),
            retry_after: None,
        }
    }

    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.problem.errors = errors;
        self
    }

    pub fn unauthenticated(detail: impl Into<String>) -> Self {
        ApiError::new(ProblemType::Unauthenticated, detail)
    }

    pub fn not_found() -> Self {
        ApiError::new(ProblemType::NotFound, "请求的资源不存在或不可见")
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind.code(), self.problem.detail)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.kind.status()
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE)));
        if matches!(self.kind, ProblemType::Unauthenticated | ProblemType::InvalidClient) {
            response.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"ggzy\"")));
        }
        if let Some(seconds) = self.retry_after {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        if let Some(existing) = &self.problem.existing {
            if let Ok(location) = HeaderValue::from_str(&existing.href) {
                response.insert_header((header::LOCATION, location));
            }
        }
        response.json(&self.problem)
    }
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> Self {
        match error {
            ServiceError::Invalid(errors) => {
                let detail = format!("请求中有 {} 处问题，请一并修改后重新提交", errors.len());
                ApiError::new(ProblemType::ValidationFailed, detail).with_errors(errors)
            }
            ServiceError::Incomplete { rule, errors } => {
                let detail = format!("材料不全或有误，共 {} 项，一次性告知如下", errors.len());
                let mut api = ApiError::new(ProblemType::ValidationFailed, detail).with_errors(errors);
                api.problem.rule = Some(RuleReference::of(rule));
                api
            }
            ServiceError::RuleViolation { rule, detail, errors } => {
                let mut api = ApiError::new(ProblemType::RuleViolation, detail).with_errors(errors);
                api.problem.rule = Some(RuleReference::of(rule));
                api
            }
            ServiceError::NotFound { .. } => ApiError::not_found(),
            ServiceError::AlreadyExists { what, rule, existing } => {
                let what = match what {
                    "participant" => "该统一社会信用代码的市场主体已登记，无需重复注册",
                    "person" => "该身份证号码的人员已登记",
                    _ => "记录已存在",
                };
                let mut api = ApiError::new(ProblemType::AlreadyExists, what);
                api.problem.rule = rule.map(RuleReference::of);
                api.problem.existing = existing.map(|e| ExistingReference { id: e.id, href: e.href });
                api
            }
            ServiceError::Conflict { detail } => ApiError::new(ProblemType::Conflict, detail),
            ServiceError::Unauthenticated => ApiError::unauthenticated("此操作需要有效的访问令牌"),
            ServiceError::Forbidden { detail, rule } => {
                let mut api = ApiError::new(ProblemType::Forbidden, detail);
                api.problem.rule = rule.map(RuleReference::of);
                api
            }
            ServiceError::InvalidClient => {
                ApiError::new(ProblemType::InvalidClient, "client_id 或 client_secret 不正确")
            }
            ServiceError::Unavailable => ApiError::new(ProblemType::ServiceUnavailable, "数据库暂不可用，请稍后重试"),
            ServiceError::Internal(message) => {
                // The cause goes to the log with the request id; the caller learns only
                // that the platform failed.
                tracing::error!(error = %message, "internal error");
                ApiError::new(ProblemType::InternalError, "服务内部错误，请稍后重试或联系平台运维")
            }
        }
    }
}

/// Error handler for JSON bodies that cannot be read: wrong content type, too large, not
/// JSON, or of the wrong shape.
pub fn json_error(error: actix_web::error::JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    use actix_web::error::JsonPayloadError as E;
    let api = match &error {
        E::ContentType => ApiError::new(ProblemType::UnsupportedMediaType, "请求体须为 application/json"),
        E::Overflow { limit } | E::OverflowKnownLength { limit, .. } => {
            ApiError::new(ProblemType::PayloadTooLarge, format!("请求体超过 {limit} 字节上限"))
        }
        E::Deserialize(inner) => ApiError::new(ProblemType::MalformedRequest, "请求体不是符合接口定义的 JSON")
            .with_errors(vec![FieldError::new(
                json_error_field(&inner.to_string()),
                "malformed_json",
                format!("JSON 解析失败：{inner}"),
            )]),
        _ => ApiError::new(ProblemType::MalformedRequest, "无法读取请求体"),
    };
    actix_web::error::InternalError::from_response(error, api.error_response()).into()
}

/// Names the field serde complained about where its message says which.
fn json_error_field(message: &str) -> String {
    for marker in ["unknown field `", "missing field `", "duplicate field `"] {
        if let Some(rest) = message.split(marker).nth(1) {
            if let Some(name) = rest.split('`').next() {
                return name.to_owned();
            }
        }
    }
    String::new()
}

/// Error handler for query strings that cannot be read; names the parameter where serde
/// says which (an unknown one on the routes whose query refuses them, a missing or repeated
/// one), otherwise `query`.
pub fn query_error(error: actix_web::error::QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let message = error.to_string();
    let named = json_error_field(&message);
    let field_error = if message.contains("unknown field `") {
        FieldError::new(named.clone(), "unknown_parameter", format!("不接受查询参数“{named}”：{message}"))
    } else if named.is_empty() {
        FieldError::new("query", "malformed_query", format!("查询参数解析失败：{message}"))
    } else {
        FieldError::new(named, "malformed_query", format!("查询参数解析失败：{message}"))
    };
    let api = ApiError::new(ProblemType::MalformedRequest, "查询参数格式错误").with_errors(vec![field_error]);
    actix_web::error::InternalError::from_response(error, api.error_response()).into()
}

pub fn path_error(error: actix_web::error::PathError, _req: &HttpRequest) -> actix_web::Error {
    actix_web::error::InternalError::from_response(error, ApiError::not_found().error_response()).into()
}

pub fn form_error(error: actix_web::error::UrlencodedError, _req: &HttpRequest) -> actix_web::Error {
    use actix_web::error::UrlencodedError as E;
    let api = match &error {
        E::ContentType => {
            ApiError::new(ProblemType::UnsupportedMediaType, "请求体须为 application/x-www-form-urlencoded")
        }
        E::Overflow { limit, .. } => {
            ApiError::new(ProblemType::PayloadTooLarge, format!("请求体超过 {limit} 字节上限"))
        }
        other => ApiError::new(ProblemType::MalformedRequest, "表单格式错误").with_errors(vec![FieldError::new(
            "",
            "malformed_form",
            format!("表单解析失败：{other}"),
        )]),
    };
    actix_web::error::InternalError::from_response(error, api.error_response()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_type_has_a_distinct_code_and_an_error_status() {
        let mut codes: Vec<_> = ProblemType::ALL.iter().map(|t| t.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), ProblemType::ALL.len());
        for kind in ProblemType::ALL {
            assert!(kind.status().is_client_error() || kind.status().is_server_error(), "{kind:?}");
        }
    }

    /// Lists every variant; a new one does not compile here until it is added, and then
    /// fails the test unless it is in `ProblemType::ALL` too.
    macro_rules! every_problem_type {
        ($($variant:ident),+ $(,)?) => {{
            fn exhaustive(kind: ProblemType) {
                match kind {
                    $(ProblemType::$variant)|+ => {}
                }
            }
            let _ = exhaustive;
            [$(ProblemType::$variant),+]
        }};
    }

    #[test]
    fn the_schema_of_a_problem_type_lists_the_uri_of_every_variant() {
        let every = every_problem_type!(
            MalformedRequest,
            ValidationFailed,
            RuleViolation,
            Unauthenticated,
            InvalidClient,
            Forbidden,
            NotFound,
            MethodNotAllowed,
            AlreadyExists,
            Conflict,
            RequestTimeout,
            PayloadTooLarge,
            UnsupportedMediaType,
            TooManyRequests,
            ServiceUnavailable,
            InternalError,
        );
        let document = serde_json::to_value(crate::openapi_document()).unwrap();
        let schemas = &document["components"]["schemas"];
        assert_eq!(schemas["Problem"]["properties"]["type"]["$ref"], "#/components/schemas/ProblemType");
        let listed: Vec<&str> =
            schemas["ProblemType"]["enum"].as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
        for kind in every {
            assert!(ProblemType::ALL.contains(&kind), "{kind:?} is missing from ProblemType::ALL");
            assert!(listed.contains(&kind.uri().as_str()), "{} is missing from the schema of Problem.type", kind.uri());
        }
        assert_eq!(listed.len(), every.len(), "{listed:?}");
    }

    #[test]
    fn serde_messages_name_the_field() {
        assert_eq!(json_error_field("unknown field `nmae`, expected one of `name`"), "nmae");
        assert_eq!(json_error_field("invalid type: integer `1`, expected a string"), "");
    }
}
