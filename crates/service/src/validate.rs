//! Collecting every problem of a request at once (registration.one_time_notice: all
//! missing or wrong items are told together).

use ggzy_kernel::validation::read;
use ggzy_kernel::{FieldError, PageRequest};

use crate::ServiceError;

#[derive(Debug, Default)]
pub(crate) struct Problems(Vec<FieldError>);

impl Problems {
    pub(crate) fn push(&mut self, error: FieldError) {
        self.0.push(error);
    }

    /// The list itself, for a domain crate to name its problems after those named so far.
    pub(crate) fn list_mut(&mut self) -> &mut Vec<FieldError> {
        &mut self.0
    }

    pub(crate) fn required<T>(&mut self, field: &str, value: Option<T>) -> Option<T> {
        read::required(&mut self.0, field, value)
    }

    /// The value of a closed enum this text names; otherwise an `unknown_value` problem
    /// listing the values allowed.
    pub(crate) fn closed<T: ggzy_kernel::ClosedEnum>(&mut self, field: &str, text: &str) -> Option<T> {
        read::closed(&mut self.0, field, text)
    }

    /// A query flag: `true` or `false`.
    pub(crate) fn boolean(&mut self, field: &str, text: &str) -> Option<bool> {
        match text {
            "true" => Some(true),
            "false" => Some(false),
            other => {
                self.push(FieldError::new(field, "invalid_boolean", format!("“{other}”无效，须为 true 或 false")));
                None
            }
        }
    }

    /// A Beijing date `YYYY-MM-DD` of a list filter.
    pub(crate) fn day(&mut self, field: &str, text: Option<String>) -> Option<chrono::NaiveDate> {
        let text = text?;
        let Ok(date) = chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d") else {
            self.push(FieldError::new(field, "bad_date", format!("日期“{text}”须为 YYYY-MM-DD")));
            return None;
        };
        // The platform's records lie in these years; beyond them a bound means nothing and
        // would not convert to a stored instant.
        if !(1900..=2200).contains(&chrono::Datelike::year(&date)) {
            self.push(FieldError::new(field, "date_out_of_range", format!("日期“{text}”须在 1900 至 2200 年之间")));
            return None;
        }
        Some(date)
    }

    /// A category key of a list filter.
    pub(crate) fn category(&mut self, field: &str, text: &str) -> Option<ggzy_rules::Category> {
        let category = ggzy_rules::Category::from_key(text);
        if category.is_none() {
            let allowed: Vec<&str> = ggzy_rules::Category::ALL.iter().map(|c| c.as_str()).collect();
            self.push(FieldError::new(field, "unknown_value", format!("“{text}”无效，可选：{}", allowed.join("、"))));
        }
        category
    }

    /// Trimmed, non-empty text of at most `max` characters.
    pub(crate) fn text(&mut self, field: &str, value: String, max: usize) -> Option<String> {
        read::text(&mut self.0, field, value, max)
    }

    /// A canonical (lower-case, hyphenated) UUID.
    pub(crate) fn uuid(&mut self, field: &str, value: String) -> Option<String> {
        read::uuid(&mut self.0, field, value)
    }

    /// Like `finish`, for materials a rule requires to be told at once.
    pub(crate) fn finish_citing(self, rule: &'static str) -> Result<(), ServiceError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ServiceError::Incomplete { rule, errors: self.0 })
        }
    }

    /// `finish`, then the value (a page) that passed the checks.
    pub(crate) fn finish_with<T>(self, value: Option<T>) -> Result<T, ServiceError> {
        self.finish()?;
        value.ok_or_else(|| ServiceError::Internal("page checked without a value".into()))
    }

    pub(crate) fn finish(self) -> Result<(), ServiceError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ServiceError::Invalid(self.0))
        }
    }
}

/// The first instant (UTC, as stored) of a Beijing day, and of the day after it: a filter
/// `from`–`to` of dates is `[first instant of from, first instant after to)`.
pub(crate) fn day_start(date: chrono::NaiveDate) -> chrono::NaiveDateTime {
    ggzy_kernel::end_of_local_day(date - chrono::Days::new(1)).naive_utc()
}

pub(crate) fn day_after(date: chrono::NaiveDate) -> chrono::NaiveDateTime {
    ggzy_kernel::end_of_local_day(date).naive_utc()
}

/// Validates paging parameters; the cursor is the id of the last item of the previous page.
pub(crate) fn page(after: Option<String>, limit: Option<u32>) -> Result<PageRequest, ServiceError> {
    let mut problems = Problems::default();
    let page = page_of(&mut problems, after, limit);
    problems.finish()?;
    page.ok_or_else(|| ServiceError::Internal("paging validated without value".into()))
}

/// The page asked for, its problems added to the request's others.
pub(crate) fn page_of(problems: &mut Problems, after: Option<String>, limit: Option<u32>) -> Option<PageRequest> {
    let after = after.and_then(|a| problems.uuid("after", a));
    PageRequest::new(after, limit).map_err(|e| problems.push(e)).ok()
}

/// The refusal of an `after` cursor that is not a key the caller's previous page gave.
pub(crate) fn unknown_cursor() -> ServiceError {
    ServiceError::Invalid(vec![FieldError::new("after", "unknown_cursor", "不是上一页给出的 next_cursor")])
}

/// Trims the probe row (one more than the limit was loaded) and returns the next cursor.
pub(crate) fn next_cursor<T>(rows: &mut Vec<T>, limit: u32, key: impl Fn(&T) -> String) -> Option<String> {
    let limit = limit as usize;
    if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(key)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    #[derive(Debug, serde::Deserialize)]
    struct Body {
        #[serde(default, deserialize_with = "ggzy_kernel::validation::whole_number")]
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
}
