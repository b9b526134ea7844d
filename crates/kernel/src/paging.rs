//! Cursor paging for list endpoints.
//!
//! Cursors rather than offsets: lists grow while someone pages through them, and an
//! opaque "after this item" cursor neither skips nor repeats items when that happens.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::validation::FieldError;

/// A validated request for one page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    /// Opaque cursor from the previous page's `next_cursor`; `None` for the first page.
    pub after: Option<String>,
    /// Page size, within `1..=PageRequest::MAX_LIMIT`.
    pub limit: u32,
}

impl PageRequest {
    pub const DEFAULT_LIMIT: u32 = 50;
    pub const MAX_LIMIT: u32 = 200;

    pub fn new(after: Option<String>, limit: Option<u32>) -> Result<Self, FieldError> {
        let limit = limit.unwrap_or(Self::DEFAULT_LIMIT);
        if !(1..=Self::MAX_LIMIT).contains(&limit) {
            return Err(FieldError::new(
                "limit",
                "limit_out_of_range",
                format!("每页条数须在 1 到 {} 之间", Self::MAX_LIMIT),
            ));
        }
        Ok(Self { after, limit })
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        Self { after: None, limit: Self::DEFAULT_LIMIT }
    }
}

/// One page of results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `after` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    pub fn new(items: Vec<T>, next_cursor: Option<String>) -> Self {
        Self { items, next_cursor }
    }

    /// Converts the items, keeping the cursor (domain values → response DTOs).
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(f).collect(), next_cursor: self.next_cursor }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_defaults_to_50_and_must_be_1_to_200() {
        assert_eq!(PageRequest::new(None, None).unwrap().limit, 50);
        assert_eq!(PageRequest::new(None, Some(1)).unwrap().limit, 1);
        assert_eq!(PageRequest::new(None, Some(200)).unwrap().limit, 200);
        let cursor = Some("abc".to_owned());
        assert_eq!(PageRequest::new(cursor.clone(), Some(10)).unwrap().after, cursor);
        for bad in [0, 201, u32::MAX] {
            let err = PageRequest::new(None, Some(bad)).unwrap_err();
            assert_eq!(err.field, "limit");
            assert_eq!(err.code, "limit_out_of_range");
            assert_eq!(err.message, "每页条数须在 1 到 200 之间");
        }
        assert_eq!(PageRequest::default(), PageRequest::new(None, None).unwrap());
    }

    #[test]
    fn page_serializes_items_and_cursor() {
        let page = Page::new(vec![1, 2], Some("c2".to_owned())).map(|n| n * 10);
        assert_eq!(serde_json::to_value(&page).unwrap(), serde_json::json!({"items": [10, 20], "next_cursor": "c2"}));
        let last: Page<i32> = Page::new(vec![], None);
        assert_eq!(serde_json::to_value(&last).unwrap(), serde_json::json!({"items": [], "next_cursor": null}));
    }
}
