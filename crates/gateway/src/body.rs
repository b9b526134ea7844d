//! Request bodies, before any handler or extractor sees them: read in full within a time
//! limit (408 otherwise, so a client that announces a body and never sends it does not hold
//! a connection), no larger than the limit (413), both as problem+json on every route; and
//! dates, in the body or the query, within 1900–2100 (422 naming each field), so that no
//! route stores year 0 or 9999 as if it were a date. Document uploads alone stream their
//! bodies, under limits of their own.

use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, ResponseError};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime};
use futures_util::StreamExt;
use ggzy_kernel::FieldError;

use crate::problem::{ApiError, ProblemType};
use crate::AppState;

#[derive(Debug, Clone, Copy)]
pub struct BodyRules {
    /// `GGZY_BODY_LIMIT_BYTES`.
    pub limit: usize,
    /// `GGZY_BODY_TIMEOUT_SECONDS`.
    pub timeout: Duration,
}

/// The years a date in a request may have.
pub const EARLIEST_YEAR: i32 = 1900;
pub const LATEST_YEAR: i32 = 2100;

fn too_large(limit: usize) -> ApiError {
    ApiError::new(ProblemType::PayloadTooLarge, format!("请求体超过 {limit} 字节上限"))
}

enum Reading {
    TooLarge,
    Broken,
}

async fn read_all(payload: &mut Payload, limit: usize) -> Result<web::Bytes, Reading> {
    let mut bytes = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| Reading::Broken)?;
        if bytes.len() + chunk.len() > limit {
            return Err(Reading::TooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes.freeze())
}

/// A document upload: its body streams to the store and is never buffered. It is
/// idempotent by nature (the same file handed in again is the same document), so the
/// Idempotency-Key middleware leaves it alone too.
pub(crate) fn is_upload(req: &ServiceRequest) -> bool {
    (req.method() == actix_web::http::Method::POST && req.path() == crate::routes::documents::UPLOAD_PATH)
        || (req.method() == actix_web::http::Method::PATCH
            && req.path().starts_with(crate::routes::documents::UPLOAD_SESSIONS))
}

pub async fn received_in_full(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(rules) = req.app_data::<web::Data<AppState>>().map(|state| state.body_rules) else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };
    // A document upload streams its body to the document store under its own limits
    // (the rule set's size per kind, GGZY_UPLOAD_TIMEOUT_SECONDS): see routes::documents.
    if is_upload(&req) {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    }
    let mut problems = dates_out_of_range_in_query(req.query_string());
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if announced.is_some_and(|length| length > rules.limit as u64) {
        return Ok(req.into_response(too_large(rules.limit).error_response()));
    }
    // Read whatever body there is (none reads as empty at once): an HTTP/2 body may come
    // with neither a length nor a transfer encoding.
    let has_body = !matches!(*req.method(), actix_web::http::Method::GET | actix_web::http::Method::HEAD)
        || announced.is_some_and(|length| length > 0)
        || req.headers().contains_key(header::TRANSFER_ENCODING);
    if has_body {
        let mut payload = req.take_payload();
        let body = match actix_web::rt::time::timeout(rules.timeout, read_all(&mut payload, rules.limit)).await {
            Err(_) => {
                let seconds = rules.timeout.as_secs();
                let error = ApiError::new(ProblemType::RequestTimeout, format!("请求体未在 {seconds} 秒内送达"));
                // The rest of the body will not be read: the connection closes after this answer.
                let mut response = error.error_response();
                response.head_mut().set_connection_type(actix_web::http::ConnectionType::Close);
                return Ok(req.into_response(response));
            }
            Ok(Err(Reading::TooLarge)) => return Ok(req.into_response(too_large(rules.limit).error_response())),
            Ok(Err(Reading::Broken)) => {
                let error = ApiError::new(ProblemType::MalformedRequest, "无法读取请求体");
                return Ok(req.into_response(error.error_response()));
            }
            Ok(Ok(body)) => body,
        };
        if is_json(&req) && may_hold_date_out_of_range(&body) {
            problems.extend(dates_out_of_range(&body).unwrap_or_default());
        }
        req.set_payload(Payload::from(body));
    }
    if !problems.is_empty() {
        let error = ApiError::new(
            ProblemType::ValidationFailed,
            format!("请求中有 {} 个日期不在 {EARLIEST_YEAR}–{LATEST_YEAR} 年之间", problems.len()),
        )
        .with_errors(problems);
        return Ok(req.into_response(error.error_response()));
    }
    next.call(req).await.map(ServiceResponse::map_into_boxed_body)
}

fn is_json(req: &ServiceRequest) -> bool {
    req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).and_then(|v| v.split(';').next()).is_some_and(
        |mime| {
            let mime = mime.trim().to_ascii_lowercase();
            mime == "application/json" || mime.ends_with("+json")
        },
    )
}

/// The year of `text` when the whole of it is a date or a date and time the API would read.
fn year_of(text: &str) -> Option<i32> {
    if !(10..=40).contains(&text.len()) {
        return None;
    }
    if let Ok(date) = text.parse::<NaiveDate>() {
        return Some(date.year());
    }
    if let Ok(instant) = DateTime::parse_from_rfc3339(text) {
        // The instant's year where it is stored: in UTC.
        return Some(instant.with_timezone(&chrono::Utc).year());
    }
    text.parse::<NaiveDateTime>().ok().map(|t| t.year())
}

fn out_of_range(field: String) -> FieldError {
    FieldError::new(field, "date_out_of_range", format!("日期须在 {EARLIEST_YEAR}-01-01 至 {LATEST_YEAR}-12-31 之间"))
}

/// Whether a JSON body may hold a date outside 1900–2100: some string of it is one, or has
/// an escape (its text is known only once unescaped). When not, the walk below would find
/// none: most bodies, a sealed bid's above all, hold no date but many strings, and finding
/// their quotes costs far less than parsing them.
///
/// Outside a string every `"` of valid JSON opens one, and inside it the first `"` not
/// escaped closes it; a string without `\` is its own text. So every string the walk would
/// read is seen here as it is. A body that is not JSON may be judged either way: the walk
/// finds nothing in it, and the route's extractor answers it.
fn may_hold_date_out_of_range(body: &[u8]) -> bool {
    let mut rest = body;
    while let Some(opening) = memchr::memchr(b'"', rest) {
        rest = &rest[opening + 1..];
        // A body that ends inside a string is not JSON.
        let Some(end) = memchr::memchr2(b'"', b'\\', rest) else { return false };
        if rest[end] == b'\\' {
            return true;
        }
        let out_of_range = std::str::from_utf8(&rest[..end])
            .ok()
            .and_then(year_of)
            .is_some_and(|year| !(EARLIEST_YEAR..=LATEST_YEAR).contains(&year));
        if out_of_range {
            return true;
        }
        rest = &rest[end + 1..];
    }
    false
}

/// Every string of a JSON body that is a date outside 1900–2100, named by its path
/// (`sections[1].bid_deadline`), in the order the body has them; `None` when the body is not
/// JSON (the route's own extractor answers that).
///
/// The body is walked as it is parsed, without building a `serde_json::Value`: a tree of it
/// (a copy of each string, a map per object) would be built only to be thrown away. Strings
/// and keys are borrowed from the body; a path is written only for a date found out of range.
pub fn dates_out_of_range(body: &[u8]) -> Option<Vec<FieldError>> {
    let mut walk = DateWalk { path: Vec::new(), found: Vec::new() };
    let mut reader = serde_json::Deserializer::from_slice(body);
    serde::de::DeserializeSeed::deserialize(&mut walk, &mut reader).ok()?;
    reader.end().ok()?;
    Some(walk.found)
}

/// One step of the path to the value being read.
enum Step<'de> {
    Field(std::borrow::Cow<'de, str>),
    Item(usize),
}

struct DateWalk<'de> {
    path: Vec<Step<'de>>,
    found: Vec<FieldError>,
}

impl DateWalk<'_> {
    fn check(&mut self, text: &str) {
        if year_of(text).is_some_and(|year| !(EARLIEST_YEAR..=LATEST_YEAR).contains(&year)) {
            let mut field = String::new();
            for step in &self.path {
                match step {
                    Step::Field(name) if field.is_empty() => field.push_str(name),
                    Step::Field(name) => {
                        field.push('.');
                        field.push_str(name);
                    }
                    Step::Item(index) => field.push_str(&format!("[{index}]")),
                }
            }
            self.found.push(out_of_range(field));
        }
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for &mut DateWalk<'de> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for &mut DateWalk<'de> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, text: &str) -> Result<(), E> {
        self.check(text);
        Ok(())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut items: A) -> Result<(), A::Error> {
        let mut index = 0;
        loop {
            self.path.push(Step::Item(index));
            let more = items.next_element_seed(&mut *self)?;
            self.path.pop();
            if more.is_none() {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut fields: A) -> Result<(), A::Error> {
        while let Some(name) = fields.next_key_seed(FieldName)? {
            self.path.push(Step::Field(name));
            let value = fields.next_value_seed(&mut *self);
            self.path.pop();
            value?;
        }
        Ok(())
    }
}

/// A key of a JSON object, borrowed from the body unless it has escapes.
struct FieldName;

impl<'de> serde::de::DeserializeSeed<'de> for FieldName {
    type Value = std::borrow::Cow<'de, str>;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> serde::de::Visitor<'de> for FieldName {
    type Value = std::borrow::Cow<'de, str>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E>(self, name: &'de str) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Borrowed(name))
    }

    fn visit_str<E>(self, name: &str) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Owned(name.to_owned()))
    }
}

fn dates_out_of_range_in_query(query: &str) -> Vec<FieldError> {
    let Ok(pairs) = web::Query::<Vec<(String, String)>>::from_query(query) else { return Vec::new() };
    pairs
        .into_inner()
        .into_iter()
        .filter(|(_, value)| year_of(value).is_some_and(|year| !(EARLIEST_YEAR..=LATEST_YEAR).contains(&year)))
        .map(|(name, _)| out_of_range(name))
        .collect()
}

/// A `text/csv` body (UTF-8); any other content type is refused with 415 before it is read.
#[derive(Debug)]
pub struct CsvBody(pub String);

impl actix_web::FromRequest for CsvBody {
    type Error = ApiError;
    type Future = futures_util::future::LocalBoxFuture<'static, Result<CsvBody, ApiError>>;

    fn from_request(req: &actix_web::HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_csv = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("text/csv"));
        if !is_csv {
            let error = ApiError::new(ProblemType::UnsupportedMediaType, "请求体须为 text/csv（UTF-8）");
            return Box::pin(async move { Err(error) });
        }
        let text = <String as actix_web::FromRequest>::from_request(req, payload);
        Box::pin(async move {
            text.await.map(CsvBody).map_err(|_| {
                ApiError::new(ProblemType::MalformedRequest, "请求体不是 UTF-8 文本")
                    .with_errors(vec![FieldError::new("body", "not_utf8", "CSV 须为 UTF-8 编码")])
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dates_outside_the_range_are_named_by_path() {
        let body = json!({
            "decided_on": "0000-01-01",
            "note": "签于 0000-01-01",
            "sections": [{"bid_deadline": "2026-11-23T02:00:00Z"}, {"bid_deadline": "9999-12-31T00:00:00+08:00"}],
            "from": "1899-12-31", "to": "2100-12-31", "first": "1900-01-01", "at": "2101-01-01T00:00:00",
            "late": "2100-12-31T23:00:00-08:00", "early": "1900-01-01T05:00:00+08:00",
            "price": "1000.00", "count": 3
        });
        let body = serde_json::to_vec(&body).unwrap();
        let fields: Vec<_> = dates_out_of_range(&body).unwrap().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["at", "decided_on", "early", "from", "late", "sections[1].bid_deadline"]);
    }

    #[test]
    fn the_body_is_walked_in_its_own_order_with_escaped_names_and_nested_lists() {
        let body = br#"{"z": "0999-01-01", "a\u0062": [[1, "2026-01-01"], [null, "3000-01-01T00:00:00Z"]],
            "list": [{"on": "2026-05-05"}, {"on": "1800-05-05", "ok": true}], "n": 1.5e3}"#;
        let fields: Vec<_> = dates_out_of_range(body).unwrap().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["z", "ab[1][1]", "list[1].on"]);
        assert_eq!(dates_out_of_range(br#""9999-12-31""#).unwrap().len(), 1, "a bare string is a date too");
    }

    #[test]
    fn a_body_that_is_not_json_is_left_to_the_route() {
        assert!(dates_out_of_range(br#"{"on": "0001-01-01""#).is_none(), "cut short");
        assert!(dates_out_of_range(br#"{"on": "0001-01-01"} {}"#).is_none(), "trailing text");
        assert!(dates_out_of_range(b"").is_none());
    }

    #[test]
    fn a_body_with_no_date_out_of_range_is_not_walked() {
        let sealed_bid = json!({
            "envelope": {"ciphertext": format!("{}==", "QUJD".repeat(1000)), "nonce": "3q2+7w==",
                         "key_id": "0190a3c4-7d1e-7b2a-9c3d-1a2b3c4d5e6f", "signature": "c2lnbmVk"},
            "note": "签于 2026-11-30", "at": "2026-11-30T02:00:00Z", "on": ["2026-01-01", 1, null, true]
        });
        assert!(!may_hold_date_out_of_range(&serde_json::to_vec(&sealed_bid).unwrap()));
        assert!(!may_hold_date_out_of_range(b"{}"));
        assert!(!may_hold_date_out_of_range(b""));
        assert!(!may_hold_date_out_of_range(br#"{"on": "0001-01-"#), "not JSON: cut short in a string");
        let may: [&[u8]; 6] = [
            br#"{"on": "0999-01-01"}"#,
            br#"["x", "2101-01-01T00:00:00"]"#,
            br#""3000-01-01T00:00:00Z""#,
            br#"{"on": "9999-12-3\u0031"}"#,
            br#"{"on": "0001-01-01", "#,
            br#"{"0001-01-01": 1}"#,
        ];
        for body in may {
            assert!(may_hold_date_out_of_range(body), "{}", String::from_utf8_lossy(body));
        }
    }

    /// Whatever the walk finds, the scan lets it find: bodies built from strings with and
    /// without dates, escapes and quotes, in every place a string can stand.
    #[test]
    fn the_scan_passes_every_body_in_which_the_walk_finds_a_date() {
        let texts = [
            r#""plain""#,
            r#""2026-01-01""#,
            r#""0999-01-01""#,
            r#""2101-01-01T00:00:00Z""#,
            r#""1899-12-31T23:00:00-08:00""#,
            r#""9999-12-3\u0031""#,
            r#""say \"0001-01-01\"""#,
            r#""back\\slash""#,
            r#""签于 0000-01-01""#,
        ];
        let (mut walked, mut found) = (0, 0);
        for first in texts {
            for second in texts {
                let bodies = [
                    format!("{{{first}: {second}}}"),
                    format!("[{first}, {{\"k\": [{second}]}}]"),
                    format!("{{\"a\": {first}, \"b\": {{\"c\": {second}}}}}"),
                    first.to_owned(),
                ];
                for body in bodies {
                    let dates = dates_out_of_range(body.as_bytes());
                    walked += usize::from(dates.is_some());
                    if dates.is_some_and(|dates| !dates.is_empty()) {
                        found += 1;
                        assert!(may_hold_date_out_of_range(body.as_bytes()), "{body}");
                    }
                }
            }
        }
        // Every body is JSON and many hold a date out of range, or the test shows nothing.
        assert_eq!(walked, 4 * texts.len() * texts.len());
        assert!(found > 100, "found {found}");
    }

    #[test]
    fn query_dates_are_checked_too() {
        let fields: Vec<_> =
            dates_out_of_range_in_query("from=0001-01-01&to=2026-01-01&q=x").into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["from"]);
    }
}
