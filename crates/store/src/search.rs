//! The search entries: one per announcement, listing, project and participant, with the
//! fields people look them up by, written with the object (by this crate's inserts) and
//! matched by trigrams — pg_trgm's GIN index on PostgreSQL, FTS5's trigram tokenizer on
//! SQLite — rather than by reading every row.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};

use crate::schema::{participants, projects, search_entries};
use crate::{DbConnection, StoreError};

/// What a search entry stands for; the `kind` column's values.
pub const ANNOUNCEMENT: &str = "announcement";
pub const LISTING: &str = "listing";
pub const PROJECT: &str = "project";
pub const PARTICIPANT: &str = "participant";

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset, QueryableByName)]
#[diesel(table_name = search_entries)]
pub struct SearchEntryRow {
    pub kind: String,
    pub object_id: String,
    pub project_id: Option<String>,
    /// A project's name, or a participant's.
    pub name: String,
    /// A project's code, or a participant's credit code.
    pub code: String,
    /// A project's tenderer's name; none for a participant.
    pub party: Option<String>,
    pub text: String,
}

impl SearchEntryRow {
    fn new(kind: &str, object_id: &str, project_id: Option<&str>, name: &str, code: &str, party: Option<&str>) -> Self {
        let text = [Some(name), Some(code), party].into_iter().flatten().collect::<Vec<_>>().join(" ");
        SearchEntryRow {
            kind: kind.into(),
            object_id: object_id.into(),
            project_id: project_id.map(str::to_owned),
            name: name.into(),
            code: code.into(),
            party: party.map(str::to_owned),
            text,
        }
    }
}

/// Writes an entry, replacing the one the object had.
fn put(conn: &mut DbConnection, row: &SearchEntryRow) -> Result<(), StoreError> {
    let updated = diesel::update(search_entries::table.find((&row.kind, &row.object_id))).set(row).execute(conn)?;
    if updated == 0 {
        diesel::insert_into(search_entries::table).values(row).execute(conn)?;
    }
    Ok(())
}

/// The entry of an object of a project (an announcement, a listing, the project itself):
/// the project's name and code and its tenderer's name.
pub(crate) fn index_project_object(
    conn: &mut DbConnection,
    kind: &str,
    object_id: &str,
    project_id: &str,
) -> Result<(), StoreError> {
    let found: Option<(String, String, String)> = projects::table
        .inner_join(participants::table.on(participants::id.eq(projects::tenderer_id)))
        .filter(projects::id.eq(project_id))
        .select((projects::name, projects::code, participants::name))
        .first(conn)
        .optional()?;
    match found {
        Some((name, code, tenderer)) => {
            put(conn, &SearchEntryRow::new(kind, object_id, Some(project_id), &name, &code, Some(&tenderer)))
        }
        None => Ok(()),
    }
}

/// The entry of a participant: its name and credit code.
pub(crate) fn index_participant(
    conn: &mut DbConnection,
    id: &str,
    name: &str,
    credit_code: &str,
) -> Result<(), StoreError> {
    put(conn, &SearchEntryRow::new(PARTICIPANT, id, None, name, credit_code, None))
}

/// `text` escaped for a LIKE pattern (`\` the escape character).
fn like_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// The entries of a kind whose text contains `query` (case-insensitive), newest first (ids
/// are time-ordered), after the cursor `before` (an object id) if any. A query of three
/// characters or more is answered from the trigram index; a shorter one, which no trigram
/// index can answer, by reading the entries of the kind in order until the page is full.
pub fn search(
    conn: &mut DbConnection,
    kind: &str,
    query: &str,
    before: Option<&str>,
    limit: i64,
) -> Result<Vec<SearchEntryRow>, StoreError> {
    let pattern = like_pattern(query);
    let rows = match conn {
        DbConnection::Postgres(pg) => diesel::sql_query(
            "SELECT kind, object_id, project_id, name, code, party, text FROM search_entries \
             WHERE kind = $1 AND text ILIKE $2 ESCAPE '\\' AND ($3::text IS NULL OR object_id < $3) \
             ORDER BY object_id DESC LIMIT $4",
        )
        .bind::<Text, _>(kind)
        .bind::<Text, _>(&pattern)
        .bind::<Nullable<Text>, _>(before)
        .bind::<BigInt, _>(limit)
        .load(pg)?,
        DbConnection::Sqlite(sqlite) if query.chars().count() >= 3 => {
            // A phrase of the trigram tokenizer: the query as one string, quotes doubled.
            let phrase = format!("\"{}\"", query.replace('"', "\"\""));
            diesel::sql_query(
                "SELECT kind, object_id, project_id, name, code, party, text FROM search_entries \
                 WHERE rowid IN (SELECT rowid FROM search_trigrams WHERE search_trigrams MATCH ?1) \
                 AND kind = ?2 AND (?3 IS NULL OR object_id < ?3) \
                 ORDER BY object_id DESC LIMIT ?4",
            )
            .bind::<Text, _>(&phrase)
            .bind::<Text, _>(kind)
            .bind::<Nullable<Text>, _>(before)
            .bind::<BigInt, _>(limit)
            .load(sqlite)?
        }
        DbConnection::Sqlite(sqlite) => diesel::sql_query(
            "SELECT kind, object_id, project_id, name, code, party, text FROM search_entries \
             WHERE kind = ?1 AND text LIKE ?2 ESCAPE '\\' AND (?3 IS NULL OR object_id < ?3) \
             ORDER BY object_id DESC LIMIT ?4",
        )
        .bind::<Text, _>(kind)
        .bind::<Text, _>(&pattern)
        .bind::<Nullable<Text>, _>(before)
        .bind::<BigInt, _>(limit)
        .load(sqlite)?,
    };
    Ok(rows)
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_patterns_escape_their_wildcards() {
        assert_eq!(super::like_pattern("密云"), "%密云%");
        assert_eq!(super::like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }
}
