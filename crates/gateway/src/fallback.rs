//! Requests no route takes: a path the API has, asked with a method it does not take, is a
//! 405 with `Allow` naming the methods it does take; any other path is a 404.

use std::sync::OnceLock;

use actix_web::http::header::{HeaderValue, ALLOW};
use actix_web::{HttpRequest, HttpResponse, ResponseError};

use crate::problem::{ApiError, ProblemType};

/// One path of the OpenAPI document: literal segments, `None` for a parameter.
struct Template {
    segments: Vec<Option<String>>,
    methods: Vec<&'static str>,
}

impl Template {
    fn matches(&self, segments: &[&str]) -> bool {
        self.segments.len() == segments.len()
            && self.segments.iter().zip(segments).all(|(t, s)| t.as_deref().is_none_or(|literal| literal == *s))
    }
}

/// Built once from the same document the server describes itself with.
fn templates() -> &'static [Template] {
    static TEMPLATES: OnceLock<Vec<Template>> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        crate::openapi_document()
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path
                    .trim_matches('/')
                    .split('/')
                    .map(|s| if s.starts_with('{') && s.ends_with('}') { None } else { Some(s.to_owned()) })
                    .collect();
                let declared = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ];
                let methods = declared.iter().filter(|(_, on)| *on).map(|(m, _)| *m).collect();
                Template { segments, methods }
            })
            .collect()
    })
}

pub async fn unmatched(request: HttpRequest) -> HttpResponse {
    let segments: Vec<&str> = request.path().trim_matches('/').split('/').collect();
    let mut allowed: Vec<&str> =
        templates().iter().filter(|t| t.matches(&segments)).flat_map(|t| t.methods.iter().copied()).collect();
    allowed.sort_unstable();
    allowed.dedup();
    if allowed.is_empty() || allowed.contains(&request.method().as_str()) {
        return ApiError::not_found().error_response();
    }
    let list = allowed.join(", ");
    let mut response =
        ApiError::new(ProblemType::MethodNotAllowed, format!("该路径只支持 {list} 请求")).error_response();
    if let Ok(value) = HeaderValue::from_str(&list) {
        response.headers_mut().insert(ALLOW, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    #[actix_web::test]
    async fn a_known_path_with_another_method_is_405_with_allow() {
        let response = unmatched(TestRequest::delete().uri("/api/v1/participants/abc").to_http_request()).await;
        assert_eq!(response.status(), 405);
        assert_eq!(response.headers().get(ALLOW).and_then(|v| v.to_str().ok()), Some("GET, PATCH"));
        let unknown = unmatched(TestRequest::get().uri("/api/v1/nothing-here").to_http_request()).await;
        assert_eq!(unknown.status(), 404);
    }
}
