//! Search of what the public looks up by the words it knows: announcements and listings by
//! their project's name or code or their tenderer's name, participants by name or unified
//! social credit code. Matching is by substring (case-insensitive), answered from trigram
//! indexes on both databases (ggzy_store::search); results come newest first, paged by
//! keyset like every list, each naming the fields the query matched.

use crate::validate::Problems;
use crate::ServiceError;
pub use ggzy_views::search::{SearchField, SearchHit, SearchKind, SearchPage, SearchQuery};

impl crate::contexts::Disclosure<'_> {
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
        let items = rows.into_iter().map(|row| SearchHit::found(row, kind, &text)).collect();
        Ok(SearchPage { items, next_cursor })
    }
}
