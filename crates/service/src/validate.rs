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

    /// `finish`, then the value read: present whenever no problem was named.
    pub(crate) fn finish_with<T>(self, value: Option<T>) -> Result<T, ServiceError> {
        self.finish()?;
        value.ok_or_else(|| ServiceError::Internal("request checked without a value".into()))
    }

    pub(crate) fn finish(self) -> Result<(), ServiceError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ServiceError::Invalid(self.0))
        }
    }
}

/// Validates paging parameters; the cursor is the id of the last item of the previous page.
pub(crate) fn page(after: Option<String>, limit: Option<u32>) -> Result<PageRequest, ServiceError> {
    let mut problems = Problems::default();
    let page = page_of(&mut problems, after, limit);
    problems.finish_with(page)
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
