//! Per-field validation errors, the shape of `errors[]` in an RFC 9457 problem response.

use serde::{Deserialize, Serialize};
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
    #[schema(example = "too_many_decimal_places")]
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
