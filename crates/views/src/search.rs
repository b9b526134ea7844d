//! Response and request bodies of search (see `ggzy_service::search` for the use cases).

use ggzy_store::search::SearchEntryRow;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

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
    /// tenderer's name. Three characters or more are answered from the trigram index, one or
    /// two from an index of characters and pairs. On SQLite a term with more than 2,000 hits
    /// is looked for through at most 20,000 entries a page instead, so such a page may hold
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
pub fn matched_fields(query: &str, name: &str, code: &str, party: Option<&str>) -> Vec<SearchField> {
    let query = ggzy_store::search::fold_case(query);
    let contains = |field: &str| ggzy_store::search::fold_case(field).contains(&query);
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

impl SearchHit {
    /// An entry found by `query` among those of `kind`, naming the fields it matched in.
    pub fn found(row: SearchEntryRow, kind: SearchKind, query: &str) -> SearchHit {
        SearchHit {
            matched: matched_fields(query, &row.name, &row.code, row.party.as_deref()),
            kind,
            id: row.object_id,
            project_id: row.project_id,
            name: row.name,
            code: row.code,
            party: row.party,
        }
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

    #[test]
    fn a_hit_shows_its_entry_and_what_matched() {
        let row = SearchEntryRow {
            kind: "announcement".into(),
            object_id: "a1".into(),
            project_id: Some("p1".into()),
            name: "密云区某工程".into(),
            code: "MY-1".into(),
            party: Some("密云投资".into()),
            text: String::new(),
        };
        let hit = SearchHit::found(row, SearchKind::Announcement, "密云");
        assert_eq!(
            hit,
            SearchHit {
                kind: SearchKind::Announcement,
                id: "a1".into(),
                project_id: Some("p1".into()),
                name: "密云区某工程".into(),
                code: "MY-1".into(),
                party: Some("密云投资".into()),
                matched: vec![SearchField::Name, SearchField::Party],
            }
        );
    }
}
