//! Search of what the public looks up by the words it knows: announcements and listings by
//! their project's name or code or their tenderer's name, participants by name or unified
//! social credit code. Matching is by substring (case-insensitive), answered from trigram
//! indexes on both databases (ggzy_store::search); results come newest first, paged by
//! keyset like every list, each naming the fields the query matched.

use crate::ServiceError;
use ggzy_views::list_queries::read_search_query;
pub use ggzy_views::search::{SearchField, SearchHit, SearchKind, SearchPage, SearchQuery};

impl crate::contexts::Disclosure<'_> {
    /// Announcements, listings or participants whose name, code or tenderer contains `q`,
    /// newest first; every problem of the query named at once.
    #[tracing::instrument(skip_all)]
    pub fn search(&self, query: SearchQuery) -> Result<SearchPage, ServiceError> {
        let ((text, kind), page) = read_search_query(query).map_err(ServiceError::Invalid)?;
        let found = self.store().read(|conn| {
            ggzy_store::search::search(conn, kind.as_str(), &text, page.after.as_deref(), i64::from(page.limit) + 1)
        })?;
        let mut rows = found.rows;
        // A look through a window (on SQLite, a term with more hits than it sorts) that did
        // not fill the page goes on from where it stopped.
        let next_cursor =
            crate::validate::next_cursor(&mut rows, page.limit, |row| row.object_id.clone()).or(found.looked_to);
        let items = rows.into_iter().map(|row| SearchHit::found(row, kind, &text)).collect();
        Ok(SearchPage { items, next_cursor })
    }
}
