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
    let updated = diesel::update(
        search_entries::table
            .filter(search_entries::kind.eq(&row.kind))
            .filter(search_entries::object_id.eq(&row.object_id)),
    )
    .set(row)
    .execute(conn)?;
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

/// A participant renamed: its own entry, and the entries of its projects' objects, which
/// carry its name as their tenderer.
pub(crate) fn rename_participant(
    conn: &mut DbConnection,
    id: &str,
    name: &str,
    credit_code: &str,
) -> Result<(), StoreError> {
    index_participant(conn, id, name, credit_code)?;
    let projects_of: Vec<String> =
        projects::table.filter(projects::tenderer_id.eq(id)).select(projects::id).load(conn)?;
    if projects_of.is_empty() {
        return Ok(());
    }
    let entries: Vec<SearchEntryRow> = search_entries::table
        .filter(search_entries::project_id.eq_any(&projects_of))
        .select(SearchEntryRow::as_select())
        .load(conn)?;
    for entry in entries {
        let renamed = SearchEntryRow::new(
            &entry.kind,
            &entry.object_id,
            entry.project_id.as_deref(),
            &entry.name,
            &entry.code,
            Some(name),
        );
        put(conn, &renamed)?;
    }
    Ok(())
}

#[diesel::declare_sql_function]
extern "SQL" {
    /// SQLite's `lower()` folds only ASCII letters; each SQLite connection replaces it with
    /// Rust's Unicode lowering (see [`register_unicode_lower`]), as PostgreSQL's `lower()`
    /// lowers every letter in a UTF-8 database.
    #[sql_name = "lower"]
    fn unicode_lower(text: Nullable<Text>) -> Nullable<Text>;
}

/// `text` lowered letter by letter, as PostgreSQL's `lower()` lowers a UTF-8 text: Rust's
/// `str::to_lowercase` lowers a Σ that ends a word to ς, which `lower()` makes σ like any
/// other Σ, so that a query with σ would miss ΟΔΟΣ泵站 on SQLite (in the check of the whole
/// query; FTS5's tokenizers fold ς to σ themselves) and find it on PostgreSQL. Every
/// comparison of text with case ignored goes through this on both databases.
pub fn fold_case(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).collect()
}

/// Replaces SQLite's built-in `lower()` on this connection by a Unicode one, so that text
/// compared with case ignored (searches, experts' names) folds full-width Latin, Greek or
/// Cyrillic letters as PostgreSQL does, not only ASCII.
pub(crate) fn register_unicode_lower(conn: &mut diesel::SqliteConnection) -> QueryResult<()> {
    unicode_lower_utils::register_impl(conn, |text: Option<String>| text.map(|text| fold_case(&text)))
}

#[diesel::declare_sql_function]
extern "SQL" {
    /// The grams of a text for SQLite's bigram index (see [`grams`]); registered on each
    /// SQLite connection, for the triggers that keep `search_bigrams` in step.
    fn search_grams(text: Nullable<Text>) -> Nullable<Text>;
}

/// Registers `search_grams()` on this SQLite connection: the triggers on `search_entries`
/// call it, so a connection that writes entries must have it (every pooled one does).
pub(crate) fn register_search_grams(conn: &mut diesel::SqliteConnection) -> QueryResult<()> {
    search_grams_utils::register_impl(conn, |text: Option<String>| text.map(|text| grams(&text)))
}

/// Every character and every pair of neighbouring characters of `text`, lowered, each once,
/// separated by spaces: what SQLite's bigram index (an FTS5 table with the unicode61
/// tokenizer) holds of an entry, so that a query of one or two characters, which no trigram
/// answers, is a single token looked up there. A gram with a separator in it (a space, a
/// hyphen) is split by the tokenizer into the letters it has, which a query with the same
/// separator is split into too: the index never misses, and the whole query is checked on
/// what it finds. PostgreSQL's `search_grams()` (its migration) makes the same grams.
pub fn grams(text: &str) -> String {
    let chars: Vec<char> = fold_case(text).chars().collect();
    let mut seen = std::collections::HashSet::new();
    let mut out = String::with_capacity(text.len() * 3);
    let singles = chars.iter().map(|c| c.to_string());
    let pairs = chars.windows(2).map(|pair| pair.iter().collect::<String>());
    for gram in singles.chain(pairs) {
        if seen.insert(gram.clone()) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&gram);
        }
    }
    out
}

/// On SQLite, the expression of the `text` column and the LIKE pattern that find `query`
/// in it with case ignored. LIKE itself folds ASCII letters only: a query with a letter
/// beyond ASCII compares the lowered text with the lowered query (the Unicode `lower()`
/// above); any other query keeps the plain column, which costs no call per row.
pub(crate) fn sqlite_like(query: &str) -> (&'static str, String) {
    let cased_beyond_ascii = query.chars().any(|c| !c.is_ascii() && c.to_lowercase().ne(c.to_uppercase()));
    if cased_beyond_ascii {
        ("lower(text)", like_pattern(&fold_case(query)))
    } else {
        ("text", like_pattern(query))
    }
}

/// `text` escaped for a LIKE pattern (`\` the escape character).
pub(crate) fn like_pattern(text: &str) -> String {
    format!("%{}%", escape_like(text))
}

/// `text` with LIKE's wildcards and its escape character `\` escaped, to match literally.
pub(crate) fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// Words in so many names that their trigrams select nothing: the legal forms that end
/// nearly every firm's name, and the words of the district's projects and tenderers. A trigram index asked for `建设有限公司654321` reads the posting lists of
/// 设有限, 有限公 and 限公司 (a list as long as the table) to find one row; asked for the
/// query's rare part it reads a few short ones.
const COMMON_WORDS: [&str; 13] = [
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "股份公司",
    "分公司",
    "公司",
    "集团",
    "建设",
    "工程",
    "北京市",
    "北京",
    "密云区",
    "密云",
];

/// Whether PostgreSQL's index of characters and pairs (`search_grams`) answers a query: one
/// or two characters whose lowered form is as long (no gram of the index is longer).
pub(crate) fn is_gram(query: &str) -> bool {
    let length = query.chars().count();
    (1..3).contains(&length) && fold_case(query).chars().count() == length
}

/// The part of a query that the trigram index is asked for, when the query's common words
/// and runs of one character can be left out of it: the longest run of trigrams with at most
/// one character from a common word or such a run. Every text containing the query contains
/// this part, so an index search for it, checked against the whole query, misses nothing.
/// `None` when nothing is left out (the whole query is the part) or nothing is left (a query
/// of common words and runs only).
pub(crate) fn index_piece(query: &str) -> Option<String> {
    let chars: Vec<char> = query.chars().collect();
    if chars.len() < 3 {
        return None;
    }
    let mut common = vec![false; chars.len()];
    for word in COMMON_WORDS {
        let word: Vec<char> = word.chars().collect();
        for start in 0..chars.len().saturating_sub(word.len() - 1) {
            if chars[start..].starts_with(&word) {
                common[start..start + word.len()].iter_mut().for_each(|c| *c = true);
            }
        }
    }
    // A run of one character, such as the zero padding of a number or a code (the tail
    // 0000765432), is in nearly every code: its trigrams are left out like a common word's.
    let mut run_start = 0;
    while run_start < chars.len() {
        let run_end =
            chars[run_start..].iter().position(|c| *c != chars[run_start]).map_or(chars.len(), |n| run_start + n);
        if run_end - run_start >= 3 {
            common[run_start..run_end].iter_mut().for_each(|c| *c = true);
        }
        run_start = run_end;
    }
    // Trigram i is characters i, i + 1, i + 2.
    let telling: Vec<bool> = common.windows(3).map(|w| w.iter().filter(|c| **c).count() <= 1).collect();
    let mut longest: Option<(usize, usize)> = None;
    let mut run_from = None;
    for (i, tells) in telling.iter().copied().chain([false]).enumerate() {
        match (tells, run_from) {
            (true, None) => run_from = Some(i),
            (false, Some(from)) => {
                if longest.is_none_or(|(a, b)| i - from > b - a) {
                    longest = Some((from, i));
                }
                run_from = None;
            }
            _ => {}
        }
    }
    let (first, end) = longest?;
    if first == 0 && end == telling.len() {
        return None;
    }
    Some(chars[first..end + 2].iter().collect())
}

/// Whether no character of `query` has case (Chinese characters, digits, punctuation): none
/// is changed by lowering or raising it, and no letter lowers to one of them. Such a query
/// matches the same texts with case ignored or not, so PostgreSQL compares it byte for byte
/// (`LIKE`, `strpos(text, …)`): `ILIKE` lowers every row's text it looks at, which cost
/// about three times as much a row (a window of 2,400 participants: 2.1 ms against 0.7).
pub(crate) fn is_caseless(query: &str) -> bool {
    query.chars().all(|c| c.to_lowercase().eq([c]) && c.to_uppercase().eq([c]))
}

/// PostgreSQL's operator matching a `like_pattern` of `query` with case ignored: `LIKE` for
/// a query without case (see [`is_caseless`]), `ILIKE` otherwise. The trigram index answers
/// both (pg_trgm folds case in its trigrams and checks the operator on each hit).
pub(crate) fn pg_like(query: &str) -> &'static str {
    if is_caseless(query) {
        "LIKE"
    } else {
        "ILIKE"
    }
}

/// On PostgreSQL, the start of the check of the whole query on the rows the index found for
/// its rare part; the query and `)) > 0` follow. `ILIKE` in a UTF-8 database is
/// `lower(text) LIKE lower(pattern)`, so with case ignored this matches what
/// `text ILIKE '%query%'` matches (a query without case is found as it is). It is not an
/// `ILIKE` because the planner would then take the two patterns' selectivities as
/// independent, expect almost no row, and sort every hit of a common term rather than walk
/// the newest entries until a page is full.
pub(crate) fn pg_whole_query_check(query: &str) -> &'static str {
    if is_caseless(query) {
        "strpos(text, ("
    } else {
        "strpos(lower(text), lower("
    }
}

/// The start of the condition that PostgreSQL's index of characters and pairs answers (the
/// expression must be the index's own, `search_grams(text)`); the query and `)]` follow.
pub(crate) const GRAMS_CHECK: &str = "search_grams(text) @> ARRAY[lower(";

/// How many entries a windowed look reads per page (see [`search`]): it reads entries newest
/// first, and this bounds the work one request can ask for.
pub const SHORT_QUERY_WINDOW: i64 = 20_000;

/// On SQLite, the most hits of an index that are sorted newest first; a term with more is
/// looked for in a window (at that density a window of 20,000 entries holds about a page of
/// hits).
const SORTED_HITS: i64 = 2_000;

/// A page of entries found, and where a windowed look stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub rows: Vec<SearchEntryRow>,
    /// For a windowed look that ended before the last entry: the last entry looked at (the
    /// next page goes on after it).
    pub looked_to: Option<String>,
}

#[derive(QueryableByName)]
struct ObjectId {
    #[diesel(sql_type = Text)]
    object_id: String,
}

/// How a query is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Look {
    /// In the trigram index (three characters or more).
    Trigrams,
    /// In the index of characters and pairs of characters (one or two).
    Grams,
    /// Newest first through a window of entries: on SQLite a term with more than
    /// `SORTED_HITS` hits, or a short query of separators only (which the unicode61
    /// tokenizer leaves no token of); on PostgreSQL a short query whose lowered form is
    /// longer than itself (no gram of the index is that long).
    Window,
}

/// The entries of a kind whose text contains `query` (case-insensitive), newest first (ids
/// are time-ordered), after the cursor `before` (an object id) if any, at most `limit`. A
/// query of three characters or more is answered from the trigram index, a shorter one from
/// the index of characters and pairs; on SQLite a term with more than 2,000 hits is looked
/// for through at most `SHORT_QUERY_WINDOW` entries of the kind after the cursor instead,
/// and the answer says where that look stopped.
pub fn search(
    conn: &mut DbConnection,
    kind: &str,
    query: &str,
    before: Option<&str>,
    limit: i64,
) -> Result<Found, StoreError> {
    let pattern = like_pattern(query);
    let piece = index_piece(query);
    let short = query.chars().count() < 3;
    // The phrase of SQLite's tokenizers is the query as one string, quotes doubled; the
    // bigram index holds text lowered here (see `grams`), so its phrase is lowered alike.
    let phrase_of = |text: &str| format!("\"{}\"", text.replace('"', "\"\""));
    // A long query's phrase is its rare part where it has one (the whole query is then
    // checked on each hit, as on PostgreSQL).
    let phrase = match (short, &piece) {
        (true, _) => phrase_of(&fold_case(query)),
        (false, Some(piece)) => phrase_of(piece),
        (false, None) => phrase_of(query),
    };
    let look = match conn {
        DbConnection::Postgres(_) if !short => Look::Trigrams,
        DbConnection::Postgres(_) if is_gram(query) => Look::Grams,
        DbConnection::Postgres(_) => Look::Window,
        DbConnection::Sqlite(_) if short && !query.chars().any(char::is_alphanumeric) => Look::Window,
        DbConnection::Sqlite(sqlite) => {
            // A term so common that sorting its every hit would cost more than reading
            // entries newest first until the page is full is looked for in a window.
            #[derive(QueryableByName)]
            struct Hits {
                #[diesel(sql_type = BigInt)]
                hits: i64,
            }
            let index = if short { "search_bigrams" } else { "search_trigrams" };
            let counted: Hits = diesel::sql_query(format!(
                "SELECT COUNT(*) AS hits FROM (SELECT rowid FROM {index} WHERE {index} MATCH ?1 LIMIT ?2)"
            ))
            .bind::<Text, _>(&phrase)
            .bind::<BigInt, _>(SORTED_HITS + 1)
            .get_result(sqlite)?;
            match (counted.hits > SORTED_HITS, short) {
                (true, _) => Look::Window,
                (false, true) => Look::Grams,
                (false, false) => Look::Trigrams,
            }
        }
    };
    let windowed = look == Look::Window;
    let like = pg_like(query);
    let rows = match conn {
        // PostgreSQL pipelines the window (the newest entries after the cursor) into the
        // filter and stops when the page is full.
        DbConnection::Postgres(pg) if windowed => diesel::sql_query(format!(
            "SELECT kind, object_id, project_id, name, code, party, text FROM \
               (SELECT * FROM search_entries WHERE kind = $1 AND ($3::text IS NULL OR object_id < $3) \
                ORDER BY object_id DESC LIMIT $5) recent \
             WHERE text {like} $2 ESCAPE '\\' ORDER BY object_id DESC LIMIT $4",
        ))
        .bind::<Text, _>(kind)
        .bind::<Text, _>(&pattern)
        .bind::<Nullable<Text>, _>(before)
        .bind::<BigInt, _>(limit)
        .bind::<BigInt, _>(SHORT_QUERY_WINDOW)
        .load(pg)?,
        // The GIN index of `search_grams(text)` holds each entry's lowered characters and
        // pairs; the planner walks the newest entries instead where the gram is common.
        DbConnection::Postgres(pg) if look == Look::Grams => diesel::sql_query(format!(
            "SELECT kind, object_id, project_id, name, code, party, text FROM search_entries \
             WHERE kind = $1 AND {GRAMS_CHECK}$5)] AND text {like} $2 ESCAPE '\\' \
             AND ($3::text IS NULL OR object_id < $3) ORDER BY object_id DESC LIMIT $4",
        ))
        .bind::<Text, _>(kind)
        .bind::<Text, _>(&pattern)
        .bind::<Nullable<Text>, _>(before)
        .bind::<BigInt, _>(limit)
        .bind::<Text, _>(query)
        .load(pg)?,
        // The index is asked for the query's rare part, the whole query checked on the rows
        // it finds, so that the common trigrams' lists (as long as the table) are not read.
        DbConnection::Postgres(pg) if piece.is_some() => diesel::sql_query(format!(
            "SELECT kind, object_id, project_id, name, code, party, text FROM search_entries \
             WHERE kind = $1 AND text {like} $2 ESCAPE '\\' AND {}$5)) > 0 \
             AND ($3::text IS NULL OR object_id < $3) ORDER BY object_id DESC LIMIT $4",
            pg_whole_query_check(query),
        ))
        .bind::<Text, _>(kind)
        .bind::<Text, _>(like_pattern(piece.as_deref().unwrap_or(query)))
        .bind::<Nullable<Text>, _>(before)
        .bind::<BigInt, _>(limit)
        .bind::<Text, _>(query)
        .load(pg)?,
        DbConnection::Postgres(pg) => diesel::sql_query(format!(
            "SELECT kind, object_id, project_id, name, code, party, text FROM search_entries \
             WHERE kind = $1 AND text {like} $2 ESCAPE '\\' AND ($3::text IS NULL OR object_id < $3) \
             ORDER BY object_id DESC LIMIT $4",
        ))
        .bind::<Text, _>(kind)
        .bind::<Text, _>(&pattern)
        .bind::<Nullable<Text>, _>(before)
        .bind::<BigInt, _>(limit)
        .load(pg)?,
        // SQLite would sort a window subquery whole: the window's lower end is found on the
        // key alone, and the page walks the key down from the cursor until it is full.
        DbConnection::Sqlite(sqlite) if windowed => {
            let (column, pattern) = sqlite_like(query);
            diesel::sql_query(format!(
                "SELECT kind, object_id, project_id, name, code, party, text FROM search_entries \
                 WHERE kind = ?1 AND (?3 IS NULL OR object_id < ?3) \
                 AND object_id >= COALESCE((SELECT object_id FROM search_entries \
                   WHERE kind = ?1 AND (?3 IS NULL OR object_id < ?3) \
                   ORDER BY object_id DESC LIMIT 1 OFFSET ?5), '') \
                 AND {column} LIKE ?2 ESCAPE '\\' ORDER BY object_id DESC LIMIT ?4",
            ))
            .bind::<Text, _>(kind)
            .bind::<Text, _>(pattern)
            .bind::<Nullable<Text>, _>(before)
            .bind::<BigInt, _>(limit)
            .bind::<BigInt, _>(SHORT_QUERY_WINDOW - 1)
            .load(sqlite)?
        }
        // The bigram index finds the entries holding the query's token (at most SORTED_HITS
        // of them); the whole query is checked on each, since a separator in the query
        // leaves only its letters to look up.
        DbConnection::Sqlite(sqlite) if look == Look::Grams => {
            let (column, pattern) = sqlite_like(query);
            diesel::sql_query(format!(
                "SELECT s.kind, s.object_id, s.project_id, s.name, s.code, s.party, s.text \
                 FROM search_bigrams f CROSS JOIN search_entries s ON s.id = f.rowid \
                 WHERE search_bigrams MATCH ?1 AND s.kind = ?2 AND (?3 IS NULL OR s.object_id < ?3) \
                 AND {column} LIKE ?5 ESCAPE '\\' ORDER BY s.object_id DESC LIMIT ?4",
            ))
            .bind::<Text, _>(&phrase)
            .bind::<Text, _>(kind)
            .bind::<Nullable<Text>, _>(before)
            .bind::<BigInt, _>(limit)
            .bind::<Text, _>(pattern)
            .load(sqlite)?
        }
        // CROSS JOIN keeps the index's hits as the outer loop (SQLite does not reorder it):
        // otherwise the planner may walk every entry in id order and look each up among the
        // hits, which a rare term makes a full scan. At most SORTED_HITS hits are sorted.
        DbConnection::Sqlite(sqlite) => {
            let (column, pattern) = sqlite_like(query);
            // The trigram table has a column `text` of its own.
            let column = column.replace("text", "s.text");
            diesel::sql_query(format!(
                "SELECT s.kind, s.object_id, s.project_id, s.name, s.code, s.party, s.text \
                 FROM search_trigrams f CROSS JOIN search_entries s ON s.id = f.rowid \
                 WHERE search_trigrams MATCH ?1 AND s.kind = ?2 AND (?3 IS NULL OR s.object_id < ?3) \
                 AND (?5 IS NULL OR {column} LIKE ?5 ESCAPE '\\') ORDER BY s.object_id DESC LIMIT ?4",
            ))
            .bind::<Text, _>(&phrase)
            .bind::<Text, _>(kind)
            .bind::<Nullable<Text>, _>(before)
            .bind::<BigInt, _>(limit)
            .bind::<Nullable<Text>, _>(piece.is_some().then_some(pattern))
            .load(sqlite)?
        }
    };
    // A windowed look whose page is not full stopped at the end of its window, or of the kind.
    let looked_to = if windowed && (rows.len() as i64) < limit {
        let last: Vec<ObjectId> = match conn {
            DbConnection::Postgres(pg) => diesel::sql_query(
                "SELECT object_id FROM search_entries WHERE kind = $1 AND ($2::text IS NULL OR object_id < $2) \
                 ORDER BY object_id DESC LIMIT 1 OFFSET $3",
            )
            .bind::<Text, _>(kind)
            .bind::<Nullable<Text>, _>(before)
            .bind::<BigInt, _>(SHORT_QUERY_WINDOW - 1)
            .load(pg)?,
            DbConnection::Sqlite(sqlite) => diesel::sql_query(
                "SELECT object_id FROM search_entries WHERE kind = ?1 AND (?2 IS NULL OR object_id < ?2) \
                 ORDER BY object_id DESC LIMIT 1 OFFSET ?3",
            )
            .bind::<Text, _>(kind)
            .bind::<Nullable<Text>, _>(before)
            .bind::<BigInt, _>(SHORT_QUERY_WINDOW - 1)
            .load(sqlite)?,
        };
        // The window's last entry, unless the kind has no entry beyond it.
        match last.into_iter().next() {
            Some(last) => {
                let beyond: Vec<ObjectId> = match conn {
                    DbConnection::Postgres(pg) => diesel::sql_query(
                        "SELECT object_id FROM search_entries WHERE kind = $1 AND object_id < $2 LIMIT 1",
                    )
                    .bind::<Text, _>(kind)
                    .bind::<Text, _>(&last.object_id)
                    .load(pg)?,
                    DbConnection::Sqlite(sqlite) => diesel::sql_query(
                        "SELECT object_id FROM search_entries WHERE kind = ?1 AND object_id < ?2 LIMIT 1",
                    )
                    .bind::<Text, _>(kind)
                    .bind::<Text, _>(&last.object_id)
                    .load(sqlite)?,
                };
                (!beyond.is_empty()).then_some(last.object_id)
            }
            None => None,
        }
    } else {
        None
    };
    Ok(Found { rows, looked_to })
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_patterns_escape_their_wildcards() {
        assert_eq!(super::like_pattern("密云"), "%密云%");
        assert_eq!(super::like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }

    #[test]
    fn grams_are_each_lowered_character_and_pair_once() {
        assert_eq!(super::grams("密云A-1"), "密 云 a - 1 密云 云a a- -1");
        assert_eq!(super::grams("ΑΒΑ"), "α β αβ βα");
        assert_eq!(super::grams("aaa"), "a aa");
        assert_eq!(super::grams(""), "");
    }

    #[test]
    fn only_one_or_two_characters_that_lower_to_as_many_are_grams() {
        use super::is_gram;
        assert!(is_gram("道") && is_gram("道路") && is_gram("ＡＢ") && is_gram("στ"));
        // No gram of the index is longer than two characters, or empty.
        assert!(!is_gram("") && !is_gram("道路工"));
        // İ lowers to two characters (i and a combining dot): its pair is not one of the index.
        assert!(!is_gram("İ") && !is_gram("aİ"));
    }

    #[test]
    fn case_is_folded_letter_by_letter_as_postgresql_lowers() {
        use super::fold_case;
        // A Σ ending a word is σ like any other (Rust's str::to_lowercase makes it ς).
        assert_eq!(fold_case("ΟΔΟΣ ΣΤΑΘΜΟΣ泵站"), "οδοσ σταθμοσ泵站");
        assert_ne!("ΟΔΟΣ".to_lowercase(), fold_case("ΟΔΟΣ"));
        assert_eq!(fold_case("ＡＢＣ科技 MY-2026"), "ａｂｃ科技 my-2026");
        // A ς already lowered stays as it is, as PostgreSQL's lower() keeps it.
        assert_eq!(fold_case("ς"), "ς");
    }

    #[test]
    fn a_query_without_case_is_compared_as_it_is() {
        use super::{is_caseless, pg_like, pg_whole_query_check};
        for query in ["溪翁庄水库除险加固", "0000765432", "（一）标段-1_%", "琉璃庙"] {
            assert!(is_caseless(query), "{query}");
            assert_eq!(pg_like(query), "LIKE");
            assert_eq!(pg_whole_query_check(query), "strpos(text, (");
        }
        for query in ["my-2026", "MY", "ａｂ", "σ", "ς", "泵站Σ", "İ"] {
            assert!(!is_caseless(query), "{query}");
            assert_eq!(pg_like(query), "ILIKE");
            assert_eq!(pg_whole_query_check(query), "strpos(lower(text), lower(");
        }
    }

    #[test]
    fn the_index_is_asked_for_a_query_s_rare_part() {
        use super::index_piece;
        // The legal form and the trade are left out; the firm's number and one character
        // of the form (one common character per trigram) are what the index looks for.
        assert_eq!(index_piece("建设有限公司654321").as_deref(), Some("司654321"));
        assert_eq!(index_piece("溪翁庄水库除险加固建设有限公司").as_deref(), Some("溪翁庄水库除险加固建"));
        // The longest rare run wins.
        assert_eq!(index_piece("密云水库北京市第三建设投资有限公司").as_deref(), Some("云水库北"));
        assert_eq!(index_piece("北京市第十三建设投资有限公司").as_deref(), Some("市第十三建"));
        // A run of one character (a code's zero padding) is left out like a common word.
        assert_eq!(index_piece("0000765432").as_deref(), Some("0765432"));
        assert_eq!(index_piece("91110228000000001A").as_deref(), Some("102280"));
        assert_eq!(index_piece("公司0000"), None);
        // Nothing left out: the whole query; nothing left: no part.
        assert_eq!(index_piece("溪翁庄水库"), None);
        assert_eq!(index_piece("股份有限公司"), None);
        assert_eq!(index_piece("建设工程"), None);
        assert_eq!(index_piece("ab"), None);
        // Every text that contains the query contains its part.
        for query in ["建设有限公司654321", "北京市第十三建设投资有限公司", "x公司y集团zz", "有限公司1", "0000765432"]
        {
            if let Some(piece) = index_piece(query) {
                assert!(query.contains(&piece), "{piece} in {query}");
                assert!(piece.chars().count() >= 3, "{piece}");
            }
        }
    }
}
