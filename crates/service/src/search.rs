//! Search of what the public looks up by the words it knows: announcements and listings by
//! their project's name or code or their tenderer's name, participants by name or unified
//! social credit code. Matching is by substring (case-insensitive), answered from trigram
//! indexes on both databases (ggzy_store::search); results come newest first, paged by
//! keyset like every list, each naming the fields the query matched.

use crate::validate::Problems;
use crate::{Platform, ServiceError};
pub use ggzy_views::search::{SearchField, SearchHit, SearchKind, SearchPage, SearchQuery};

/// The fields of an entry that contain the query, compared case-insensitively.
fn matched_fields(query: &str, name: &str, code: &str, party: Option<&str>) -> Vec<SearchField> {
    let query = query.to_lowercase();
    let contains = |field: &str| field.to_lowercase().contains(&query);
    let mut matched = Vec::new();
    if contains(name) {
        matched.push(SearchField::Name);
    }
    if contains(code) {
        matched.push(SearchField::Code);
    }
    if party.is_some_and(contains) {
        matched.push(SearchField::Party);
    }
    matched
}

impl Platform {
    /// Announcements, listings or participants whose name, code or tenderer contains `q`,
    /// newest first; every problem of the query named at once.
    #[tracing::instrument(skip_all)]
    pub fn search(&self, query: SearchQuery) -> Result<SearchPage, ServiceError> {
        let mut problems = Problems::default();
        let text = problems.required("q", query.q).and_then(|q| problems.text("q", q, 50));
        let kind = problems.required("kind", query.kind).and_then(|k| problems.closed::<SearchKind>("kind", &k));
        let page = crate::validate::page_of(&mut problems, query.after, query.limit);
        problems.finish()?;
        let (Some(text), Some(kind), Some(page)) = (text, kind, page) else {
            return Err(ServiceError::Internal("a search passed its checks without its values".into()));
        };
        let found = self.store().read(|conn| {
            ggzy_store::search::search(conn, kind.as_str(), &text, page.after.as_deref(), i64::from(page.limit) + 1)
        })?;
        let mut rows = found.rows;
        // A short query that looked through its window without filling the page goes on
        // from where it stopped.
        let next_cursor =
            crate::validate::next_cursor(&mut rows, page.limit, |row| row.object_id.clone()).or(found.looked_to);
        let items = rows
            .into_iter()
            .map(|row| SearchHit {
                matched: matched_fields(&text, &row.name, &row.code, row.party.as_deref()),
                kind,
                id: row.object_id,
                project_id: row.project_id,
                name: row.name,
                code: row.code,
                party: row.party,
            })
            .collect();
        Ok(SearchPage { items, next_cursor })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_matched_fields_are_those_that_contain_the_query() {
        let hit = |q| matched_fields(q, "北京市密云区某工程", "MY-2026-0001", Some("北京密云投资公司"));
        assert_eq!(hit("密云区"), vec![SearchField::Name]);
        assert_eq!(hit("密云"), vec![SearchField::Name, SearchField::Party]);
        assert_eq!(hit("my-2026"), vec![SearchField::Code], "codes match whatever their case");
        assert!(hit("延庆").is_empty());
    }
}
