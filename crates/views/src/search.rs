//! Response and request bodies of search (see `ggzy_service::search` for the use cases).

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
