//! Search of what the public looks up by the words it knows: announcements and listings by
//! their project's name or code or their tenderer's name, participants by name or unified
//! social credit code. Matching is by substring (case-insensitive), answered from trigram
//! indexes on both databases (ggzy_store::search); results come newest first, paged by
//! keyset like every list, each naming the fields the query matched.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::validate::Problems;
use crate::{Platform, ServiceError};

ggzy_kernel::closed_enum! {
    /// What is searched.
    pub enum SearchKind {
        /// Tender announcements and corrections (`GET /public/announcements/{id}`).
        Announcement = "announcement",
        /// Listings and auctions (`GET /public/listings/{id}`).
        Listing = "listing",
        /// Market participants.
        Participant = "participant",
    }
}

ggzy_kernel::closed_enum! {
    /// A field a query is matched against.
    pub enum SearchField {
        /// The project's name, or the participant's.
        Name = "name",
        /// The project's code, or the participant's unified social credit code.
        Code = "code",
        /// The name of the project's tenderer.
        Party = "party",
    }
}

/// The query of a search. Any other parameter is refused.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// The words looked for, 1–50 characters: found as a substring of a name, a code or a
    /// tenderer's name. Three characters or more are answered from the trigram index; one or
    /// two characters look through at most 20,000 entries a page, so such a page may hold
    /// fewer hits than `limit` and still have a `next_cursor` to go on from.
    #[param(example = "密云区")]
    pub q: Option<String>,
    /// What is searched.
    #[param(value_type = Option<SearchKind>)]
    pub kind: Option<String>,
    /// Cursor from the previous page's `next_cursor`.
    #[param(format = Uuid)]
    pub after: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// One thing found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SearchHit {
    pub kind: SearchKind,
    /// The announcement's, listing's or participant's id.
    pub id: String,
    /// The project of an announcement or listing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
    /// The project's name, or the participant's.
    pub name: String,
    /// The project's code, or the participant's credit code.
    pub code: String,
    /// The project's tenderer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub party: Option<String>,
    /// The fields the query was found in.
    pub matched: Vec<SearchField>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchPage {
    pub items: Vec<SearchHit>,
    /// Where the next page starts; none when nothing more can match. A search of one or two
    /// characters may give fewer hits than `limit` with a next page still to look through.
    pub next_cursor: Option<String>,
}

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
