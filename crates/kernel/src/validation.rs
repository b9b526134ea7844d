//! Per-field validation errors, the shape of `errors[]` in an RFC 9457 problem response.

use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::ToSchema;

/// One problem with one input field.
///
/// A request may fail for several fields at once; the API reports all of them together
/// so the caller can fix everything in one go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FieldError {
    /// Path to the offending input, dotted with `[index]` for array elements, e.g.
    /// `credit_code` or `sections[1].estimated_amount`.
    #[schema(example = "sections[1].estimated_amount")]
    pub field: String,
    /// Stable snake_case code that clients may match on, e.g. `too_many_decimal_places`.
    // Always one of FIELD_ERROR_CODES, which the schema lists.
    #[schema(value_type = FieldErrorCode)]
    pub code: String,
    /// Human-readable explanation in Chinese, shown to the user as is.
    #[schema(example = "金额最多保留两位小数")]
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), code: code.into(), message: message.into() }
    }
}

/// An optional whole number as JSON may write it: `5`, or `5.0` (JSON Schema's integers
/// include it). A fraction, or a number outside `T`, is refused like any malformed body.
pub fn whole_number<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: TryFrom<i64>,
{
    use serde::de::Error;
    let Some(number) = <Option<serde_json::Number> as serde::Deserialize>::deserialize(deserializer)? else {
        return Ok(None);
    };
    let whole = match (number.as_i64(), number.as_f64()) {
        (Some(n), _) => Some(n),
        // Exactly representable: |n| < 2^53, so the cast below keeps the value.
        (None, Some(f)) if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 => Some(f as i64),
        _ => None,
    };
    whole
        .and_then(|n| T::try_from(n).ok())
        .map(Some)
        .ok_or_else(|| D::Error::custom(format!("invalid value: {number}, expected a whole number in range")))
}

/// Reading one request field after another, naming each problem in `problems` and going
/// on, so that a request is told every problem at once (registration.one_time_notice).
pub mod read {
    use super::FieldError;

    /// The value, or a `required` problem.
    pub fn required<T>(problems: &mut Vec<FieldError>, field: &str, value: Option<T>) -> Option<T> {
        if value.is_none() {
            problems.push(FieldError::new(field, "required", "必填项缺失"));
        }
        value
    }

    /// Trimmed, non-empty text of at most `max` characters, without control characters.
    pub fn text(problems: &mut Vec<FieldError>, field: &str, value: String, max: usize) -> Option<String> {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            problems.push(FieldError::new(field, "blank", "不能为空"));
            return None;
        }
        if trimmed.chars().count() > max {
            problems.push(FieldError::new(field, "too_long", format!("长度不能超过 {max} 个字符")));
            return None;
        }
        if trimmed.chars().any(char::is_control) {
            problems.push(FieldError::new(field, "control_character", "不能包含控制字符"));
            return None;
        }
        Some(trimmed.to_owned())
    }

    /// Required text, read as `text` reads it.
    pub fn required_text(
        problems: &mut Vec<FieldError>,
        field: &str,
        value: Option<String>,
        max: usize,
    ) -> Option<String> {
        required(problems, field, value).and_then(|v| text(problems, field, v, max))
    }

    /// A canonical (lower-case, hyphenated) UUID.
    pub fn uuid(problems: &mut Vec<FieldError>, field: &str, value: String) -> Option<String> {
        match uuid::Uuid::try_parse(&value) {
            Ok(id) if id.to_string() == value => Some(value),
            _ => {
                problems.push(FieldError::new(field, "invalid_id", "标识格式错误，应为小写带连字符的 UUID"));
                None
            }
        }
    }

    /// Lower-case hex SHA-256 digest: the one form every stored document hash takes.
    pub fn is_sha256(text: &str) -> bool {
        text.len() == 64 && text.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    }

    /// A required SHA-256 digest (`is_sha256`).
    pub fn sha256(problems: &mut Vec<FieldError>, field: &str, value: Option<String>) -> Option<String> {
        let value = required(problems, field, value)?;
        if is_sha256(&value) {
            Some(value)
        } else {
            problems.push(FieldError::new(field, "invalid_sha256", "须为 64 位小写十六进制 sha256 摘要"));
            None
        }
    }

    /// The value of a closed enum this text names; otherwise an `unknown_value` problem
    /// listing the values.
    pub fn closed<T: crate::ClosedEnum>(problems: &mut Vec<FieldError>, field: &str, text: &str) -> Option<T> {
        let value = T::parse(text);
        if value.is_none() {
            let allowed: Vec<&str> = T::all().iter().map(|v| v.as_str()).collect();
            problems.push(FieldError::new(
                field,
                "unknown_value",
                format!("“{text}”无效，可选：{}", allowed.join("、")),
            ));
        }
        value
    }

    /// A query flag: `true` or `false`.
    pub fn boolean(problems: &mut Vec<FieldError>, field: &str, text: &str) -> Option<bool> {
        match text {
            "true" => Some(true),
            "false" => Some(false),
            other => {
                problems.push(FieldError::new(field, "invalid_boolean", format!("“{other}”无效，须为 true 或 false")));
                None
            }
        }
    }

    /// A Beijing date `YYYY-MM-DD` of a list filter.
    pub fn day(problems: &mut Vec<FieldError>, field: &str, text: Option<String>) -> Option<chrono::NaiveDate> {
        let text = text?;
        let Ok(date) = chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d") else {
            problems.push(FieldError::new(field, "bad_date", format!("日期“{text}”须为 YYYY-MM-DD")));
            return None;
        };
        // The platform's records lie in these years; beyond them a bound means nothing and
        // would not convert to a stored instant.
        if !(1900..=2200).contains(&chrono::Datelike::year(&date)) {
            problems.push(FieldError::new(field, "date_out_of_range", format!("日期“{text}”须在 1900 至 2200 年之间")));
            return None;
        }
        Some(date)
    }

    /// The first instant (UTC, as stored) of a Beijing day: a filter `from`–`to` of dates
    /// is `[day_start(from), day_after(to))`.
    pub fn day_start(date: chrono::NaiveDate) -> chrono::NaiveDateTime {
        crate::end_of_local_day(date - chrono::Days::new(1)).naive_utc()
    }

    /// The first instant (UTC, as stored) of the Beijing day after `date`.
    pub fn day_after(date: chrono::NaiveDate) -> chrono::NaiveDateTime {
        crate::end_of_local_day(date).naive_utc()
    }

    /// A value of a serde enum by its wire text; otherwise an `unknown_value` problem
    /// listing `allowed`.
    pub fn wire_enum<T: serde::de::DeserializeOwned>(
        problems: &mut Vec<FieldError>,
        field: &str,
        text: String,
        allowed: &str,
    ) -> Option<T> {
        use serde::de::IntoDeserializer;
        let deserializer: serde::de::value::StrDeserializer<'_, serde::de::value::Error> =
            text.as_str().into_deserializer();
        match T::deserialize(deserializer) {
            Ok(value) => Some(value),
            Err(_) => {
                problems.push(FieldError::new(field, "unknown_value", format!("“{text}”无效，可选：{allowed}")));
                None
            }
        }
    }
}

/// Every code a [`FieldError`] of the product carries, sorted. The OpenAPI document
/// publishes it as the enum of `FieldError.code`; `tests/field_error_codes.rs` scans the
/// workspace's sources and fails on a code built but not listed here, or listed but built
/// nowhere.
pub const FIELD_ERROR_CODES: &[&str] = &[
    "agency_declared",
    "agency_employer",
    "agency_legal_representative",
    "agent_limit_out_of_range",
    "agent_of_tenderer",
    "already_listed",
    "already_relisted",
    "already_repaired",
    "amount_differs",
    "amount_out_of_range",
    "announcement_period_too_short",
    "applied_answer_lost",
    "approval_required",
    "bad_amount",
    "bad_date",
    "bad_header",
    "bad_key",
    "bad_signature",
    "basis_points_out_of_range",
    "before_deadline",
    "before_decision",
    "before_first_credit_policy",
    "before_first_rule_set",
    "before_from",
    "below_minimum",
    "below_starting_price",
    "bid_file_with_sealed_bid",
    "bidder_declared",
    "bidder_employer",
    "bidder_legal_representative",
    "bidding_period_too_short",
    "blank",
    "bond_not_held",
    "calendar_bad_row",
    "calendar_date_out_of_range",
    "calendar_duplicate_date",
    "calendar_entry_outside_year",
    "calendar_missing_header",
    "calendar_workday_not_on_weekend",
    "calendar_year_out_of_range",
    "cannot_unwrap",
    "cash_not_accepted",
    "check_digit_mismatch",
    "cipher_failed",
    "clarification_too_late",
    "committee_size",
    "content_key_mismatch",
    "content_not_a_bid",
    "control_character",
    "date_out_of_range",
    "debarment_period_out_of_range",
    "declared_relation",
    "document_not_carried",
    "document_not_stored",
    "document_numbers_out_of_range",
    "documents_do_not_match_files",
    "does_not_decrypt",
    "duplicate",
    "duplicate_agent_limit",
    "duplicate_bond_cap",
    "duplicate_catalogue_entry",
    "duplicate_effective_date",
    "duplicate_grade",
    "duplicate_regulator_mapping",
    "duplicate_rule",
    "duplicate_score_rule",
    "employer_is_party",
    "empty",
    "ends_before_start",
    "envelope_not_taken",
    "exceeds_bond_cap",
    "exceeds_statutory_cap",
    "file_not_in_documents",
    "grades_not_descending",
    "immutable",
    "in_future",
    "in_past",
    "in_the_past",
    "incomplete",
    "invalid",
    "invalid_account_number",
    "invalid_birth_date",
    "invalid_boolean",
    "invalid_character",
    "invalid_cursor",
    "invalid_digest",
    "invalid_document",
    "invalid_event_id",
    "invalid_id",
    "invalid_media_type",
    "invalid_month",
    "invalid_name",
    "invalid_regulator_key",
    "invalid_score",
    "invalid_sha256",
    "last_grade_must_cover_all",
    "limit_out_of_range",
    "listing_period_too_short",
    "malformed",
    "malformed_envelope",
    "malformed_form",
    "malformed_json",
    "malformed_policy",
    "malformed_query",
    "malformed_rule_set",
    "max_below_min",
    "minor_not_published",
    "missing_bond_cap",
    "missing_time_limit",
    "negative",
    "no_new_commitment",
    "no_sealing_key",
    "not_a_bidder",
    "not_a_bond_cap",
    "not_a_candidate",
    "not_a_party",
    "not_a_regulator",
    "not_a_tenderer",
    "not_a_time_limit",
    "not_adjustable",
    "not_after_latest",
    "not_after_start",
    "not_agency_staff",
    "not_allowed",
    "not_an_agency",
    "not_an_industry_regulator",
    "not_an_object",
    "not_applicable",
    "not_bad_record",
    "not_basic_account",
    "not_bidder_staff",
    "not_centre_staff",
    "not_entrusted",
    "not_every_bid",
    "not_failed",
    "not_first_ranked",
    "not_http",
    "not_in_future",
    "not_on_committee",
    "not_positive",
    "not_published",
    "not_the_announced_bond",
    "not_the_first_appraisal",
    "not_utf8",
    "obligations_not_met",
    "off_increment",
    "offset_mismatch",
    "only_for_sealed_bid_files",
    "out_of_range",
    "outside_severity_range",
    "outside_window",
    "outside_year",
    "payer_differs",
    "percent_out_of_range",
    "plain_bid_refused",
    "platform_sealed_section",
    "platform_sealing_closed",
    "points_sign",
    "question_first",
    "rate_out_of_range",
    "required",
    "restricted",
    "reused_with_other_request",
    "risk_number_out_of_range",
    "rounds_out_of_range",
    "rule_meaning_changed",
    "rule_mismatch",
    "sealed_file_does_not_open",
    "sealed_file_not_opened",
    "sealed_file_not_stored",
    "section_names_project",
    "self",
    "sha256_mismatch",
    "size_mismatch",
    "statutory_number_changed",
    "suite_not_registered",
    "tenderer_declared",
    "tenderer_employer",
    "tenderer_legal_representative",
    "too_early",
    "too_large",
    "too_long",
    "too_many",
    "too_many_agents",
    "too_many_decimal_places",
    "too_many_rounds",
    "unknown_bond",
    "unknown_code",
    "unknown_commitment",
    "unknown_cursor",
    "unknown_department",
    "unknown_item",
    "unknown_kind",
    "unknown_listing",
    "unknown_objection",
    "unknown_parameter",
    "unknown_participant",
    "unknown_person",
    "unknown_project",
    "unknown_reference",
    "unknown_report",
    "unknown_rule",
    "unknown_scope",
    "unknown_section",
    "unknown_subject",
    "unknown_subtype",
    "unknown_suite",
    "unknown_time_limit",
    "unknown_value",
    "unsupported_grant_type",
    "version_not_increasing",
    "version_out_of_range",
    "window_out_of_range",
    "with_section_id",
    "workday_not_on_weekend",
    "wrong_category",
    "wrong_field_count",
    "wrong_length",
    "wrong_room",
    "wrong_section_or_bidder",
    "wrong_subject",
];

/// The schema of `FieldError.code`: a string enum of [`FIELD_ERROR_CODES`].
#[derive(Debug)]
pub struct FieldErrorCode;

impl utoipa::PartialSchema for FieldErrorCode {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(FIELD_ERROR_CODES.iter().copied()))
            .description(Some("Stable snake_case code of a field error; clients may match on it."))
            .examples(["too_many_decimal_places"])
            .into()
    }
}

impl ToSchema for FieldErrorCode {}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Body {
        #[serde(default, deserialize_with = "whole_number")]
        size: Option<u32>,
    }

    fn size(json: &str) -> Result<Option<u32>, String> {
        serde_json::from_str::<Body>(json).map(|b| b.size).map_err(|e| e.to_string())
    }

    #[test]
    fn whole_numbers_may_be_written_with_a_point_zero() {
        assert_eq!(size(r#"{"size": 5}"#), Ok(Some(5)));
        assert_eq!(size(r#"{"size": 5.0}"#), Ok(Some(5)));
        assert_eq!(size(r#"{}"#), Ok(None));
        assert_eq!(size(r#"{"size": null}"#), Ok(None));
        assert!(size(r#"{"size": 5.5}"#).is_err());
        assert!(size(r#"{"size": -1}"#).is_err(), "outside u32");
        assert!(size(r#"{"size": 1e300}"#).is_err());
        assert!(size(r#"{"size": "5"}"#).is_err());
    }

    #[test]
    fn a_flag_is_true_or_false_and_anything_else_is_named() {
        let mut problems = Vec::new();
        assert_eq!(read::boolean(&mut problems, "active", "true"), Some(true));
        assert_eq!(read::boolean(&mut problems, "active", "false"), Some(false));
        assert!(problems.is_empty());
        assert_eq!(read::boolean(&mut problems, "restricted", "yes"), None);
        assert_eq!(problems.len(), 1);
        assert_eq!((problems[0].field.as_str(), problems[0].code.as_str()), ("restricted", "invalid_boolean"));
    }

    #[test]
    fn a_filter_day_is_an_iso_date_within_the_platforms_years_and_bounds_a_beijing_day() {
        let mut problems = Vec::new();
        let day = read::day(&mut problems, "from", Some("2026-11-10".into()));
        assert_eq!(day, chrono::NaiveDate::from_ymd_opt(2026, 11, 10));
        assert_eq!(read::day(&mut problems, "from", None), None);
        assert!(problems.is_empty());
        assert_eq!(read::day(&mut problems, "from", Some("2026/11/10".into())), None);
        assert_eq!(read::day(&mut problems, "to", Some("2300-01-01".into())), None);
        let codes: Vec<(&str, &str)> = problems.iter().map(|p| (p.field.as_str(), p.code.as_str())).collect();
        assert_eq!(codes, [("from", "bad_date"), ("to", "date_out_of_range")]);
        // Beijing is UTC+8: its 10 November starts at 16:00 UTC on the 9th.
        let Some(day) = day else { unreachable!() };
        assert_eq!(read::day_start(day).to_string(), "2026-11-09 16:00:00");
        assert_eq!(read::day_after(day).to_string(), "2026-11-10 16:00:00");
    }

    #[test]
    fn serializes_with_the_three_documented_fields() {
        let e = FieldError::new("limit", "limit_out_of_range", "每页条数须在 1 到 200 之间");
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "field": "limit",
                "code": "limit_out_of_range",
                "message": "每页条数须在 1 到 200 之间"
            })
        );
        let back: FieldError = serde_json::from_value(json).unwrap();
        assert_eq!(back, e);
    }

    #[test]
    fn the_codes_are_sorted_distinct_snake_case() {
        for pair in FIELD_ERROR_CODES.windows(2) {
            assert!(pair[0] < pair[1], "`{}` then `{}`: not sorted or repeated", pair[0], pair[1]);
        }
        for code in FIELD_ERROR_CODES {
            let snake = !code.is_empty()
                && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                && !code.starts_with('_')
                && !code.ends_with('_')
                && !code.contains("__");
            assert!(snake, "`{code}` is not snake_case");
        }
    }

    #[test]
    fn the_schema_of_a_code_is_the_list() {
        let schema = serde_json::to_value(<FieldErrorCode as utoipa::PartialSchema>::schema()).unwrap();
        assert_eq!(schema["type"], "string");
        assert_eq!(schema["enum"], serde_json::json!(FIELD_ERROR_CODES));
        let field_error = serde_json::to_value(<FieldError as utoipa::PartialSchema>::schema()).unwrap();
        assert_eq!(field_error["properties"]["code"]["$ref"], "#/components/schemas/FieldErrorCode");
    }
}
