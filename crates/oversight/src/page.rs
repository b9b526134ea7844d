//! The page a list's query asks for, read with the query's other parameters.

use ggzy_kernel::validation::read;
use ggzy_kernel::{FieldError, PageRequest};

/// The page asked for: `after` a canonical UUID, `limit` 1–200 (default 50); its problems
/// are named after the query's others.
pub fn read_page(problems: &mut Vec<FieldError>, after: Option<String>, limit: Option<u32>) -> Option<PageRequest> {
    let after = after.and_then(|a| read::uuid(problems, "after", a));
    PageRequest::new(after, limit).map_err(|e| problems.push(e)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_cursor_and_a_bad_limit_are_both_named() {
        let mut problems = Vec::new();
        assert_eq!(read_page(&mut problems, None, None), Some(PageRequest::default()));
        let after = "01890a5d-ac96-774b-bcce-b302099a8057".to_owned();
        let page = read_page(&mut problems, Some(after.clone()), Some(200));
        assert_eq!(page, Some(PageRequest { after: Some(after), limit: 200 }));
        assert!(problems.is_empty());
        assert_eq!(read_page(&mut problems, Some("X".into()), Some(201)), None);
        let codes: Vec<_> = problems.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(codes, [("after", "invalid_id"), ("limit", "limit_out_of_range")]);
    }
}
