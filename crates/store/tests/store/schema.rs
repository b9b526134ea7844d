//! The migrated schemas of SQLite and PostgreSQL compared with each other and with the
//! hand-written diesel schema `src/schema.rs`.
//!
//! Compared: which tables exist; per table its columns, their types (in one vocabulary,
//! below) and nullability, and its primary key — across SQLite, PostgreSQL and schema.rs;
//! its indexes (unique or not,
//! partial or not, by column list) and foreign keys (columns, referenced table and columns,
//! ON UPDATE / ON DELETE) — between the two backends, since schema.rs declares neither.
//! Names of indexes and constraints, column order, defaults and CHECK constraints are not
//! compared.
//!
//! Types are compared in this vocabulary (SQLite keeps the declared type name, so it is read
//! as written):
//!
//! | vocabulary  | SQLite              | PostgreSQL    | schema.rs       |
//! |-------------|---------------------|---------------|-----------------|
//! | text        | TEXT, VARCHAR       | text, varchar | Text, VarChar   |
//! | integer     | INTEGER, INT        | int4          | Integer, Int4   |
//! | bigint      | BIGINT, INT8        | int8          | BigInt, Int8    |
//! | smallint    | SMALLINT            | int2          | SmallInt, Int2  |
//! | boolean     | BOOLEAN             | bool          | Bool            |
//! | timestamp   | TIMESTAMP, DATETIME | timestamp     | Timestamp       |
//! | timestamptz | TIMESTAMPTZ         | timestamptz   | Timestamptz     |
//! | date        | DATE                | date          | Date            |
//! | binary      | BLOB                | bytea         | Binary, Bytea   |
//!
//! and real/double/numeric/time/json/uuid likewise; any other name only equals itself.
//!
//! Where the backends legitimately differ, two rules apply to SQLite, each for one reason:
//! - A rowid alias (the sole `INTEGER PRIMARY KEY` of a rowid table) must be spelled
//!   `INTEGER` to be one, and is 64 bits whatever the spelling: it matches integer or bigint.
//! - A primary-key column counts as NOT NULL: SQLite admits NULL into a non-INTEGER key only
//!   by a legacy quirk, and diesel never binds NULL for the non-Nullable key types.
//!
//! Anything else that differs must be listed in `EXCEPTIONS` with its reason.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use diesel::sql_types::{Integer, Nullable, Text};
use diesel::{PgConnection, QueryableByName, RunQueryDsl, SqliteConnection};
use ggzy_blackbox::TestDatabase;
use ggzy_store::{DbConnection, Store, StoreError};

use super::{execute, open_migrated};

/// Tables diesel and SQLite keep for themselves, outside the product's schema.
const INTERNAL_TABLES: &[(&str, &str)] = &[
    ("__diesel_schema_migrations", "diesel_migrations' record of the applied migrations"),
    ("sqlite_sequence", "SQLite's counters behind AUTOINCREMENT keys"),
    // search_entries' trigram index on SQLite is an FTS5 table with its shadow tables, where
    // PostgreSQL has a GIN index (search_entries_trigrams, an exception below).
    ("search_trigrams", "the FTS5 trigram index of search_entries (SQLite's counterpart of a GIN index)"),
    ("search_trigrams_config", "FTS5's shadow table of search_trigrams"),
    ("search_trigrams_data", "FTS5's shadow table of search_trigrams"),
    ("search_trigrams_docsize", "FTS5's shadow table of search_trigrams"),
    ("search_trigrams_idx", "FTS5's shadow table of search_trigrams"),
    // The index of characters and pairs: an FTS5 table without content on SQLite, a GIN
    // index of `search_grams(text)` on PostgreSQL (an exception below).
    ("search_bigrams", "the FTS5 index of search_entries' characters and pairs (SQLite's counterpart of a GIN index)"),
    ("search_bigrams_config", "FTS5's shadow table of search_bigrams"),
    ("search_bigrams_data", "FTS5's shadow table of search_bigrams"),
    ("search_bigrams_idx", "FTS5's shadow table of search_bigrams"),
];

/// Tables both backends have that schema.rs leaves out; they are compared between the
/// backends only.
const NOT_IN_SCHEMA_RS: &[(&str, &str)] =
    &[("statistics_rollup", "kept by triggers and read through raw SQL (statistics.rs), never through diesel's DSL")];

/// Differences that are allowed, each with its reason, besides the two SQLite rules of the
/// module docs (applied where SQLite is read, in `assemble`). A listed exception that matches
/// no difference fails the comparison too, so the list stays as short as the drift it
/// explains.
const EXCEPTIONS: &[Exception] = &[
    Exception {
        table: "search_entries",
        column: None,
        aspect: Aspect::Index,
        detail: "(text)",
        reason: "the trigram index: pg_trgm's GIN on PostgreSQL, the FTS5 table search_trigrams on SQLite",
    },
    Exception {
        table: "search_entries",
        column: None,
        aspect: Aspect::Index,
        detail: "(<expression>)",
        reason: "the index of characters and pairs: a GIN of search_grams(text) on PostgreSQL, the FTS5 table \
                 search_bigrams on SQLite",
    },
];

// ---------------------------------------------------------------------------------------
// The model

/// Where a schema was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Source {
    Sqlite,
    Postgres,
    SchemaRs,
}

impl Source {
    /// A migrated database, which has indexes and foreign keys (schema.rs declares neither).
    fn is_live(self) -> bool {
        self != Source::SchemaRs
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Source::Sqlite => "sqlite",
            Source::Postgres => "postgres",
            Source::SchemaRs => "schema.rs",
        })
    }
}

/// A column type in the common vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ty {
    Text,
    SmallInt,
    Integer,
    BigInt,
    /// SQLite's rowid alias: 64 bits, spelled INTEGER.
    RowId,
    Boolean,
    Real,
    Double,
    Numeric,
    Timestamp,
    Timestamptz,
    Date,
    Time,
    Binary,
    Json,
    Jsonb,
    Uuid,
    /// Anything else, by its lower-cased name.
    Other(String),
}

impl Ty {
    fn matches(&self, other: &Ty) -> bool {
        match (self, other) {
            (Ty::RowId, Ty::Integer | Ty::BigInt | Ty::RowId) | (Ty::Integer | Ty::BigInt, Ty::RowId) => true,
            (a, b) => a == b,
        }
    }

    fn from_sqlite(declared: &str) -> Ty {
        let name = declared.split('(').next().unwrap_or_default().trim().to_ascii_uppercase();
        match name.as_str() {
            "TEXT" | "VARCHAR" | "CHARACTER VARYING" | "CLOB" => Ty::Text,
            "SMALLINT" | "INT2" => Ty::SmallInt,
            "INTEGER" | "INT" | "INT4" => Ty::Integer,
            "BIGINT" | "INT8" => Ty::BigInt,
            "BOOLEAN" | "BOOL" => Ty::Boolean,
            "FLOAT4" => Ty::Real,
            "REAL" | "DOUBLE" | "DOUBLE PRECISION" | "FLOAT" | "FLOAT8" => Ty::Double,
            "NUMERIC" | "DECIMAL" => Ty::Numeric,
            "TIMESTAMP" | "DATETIME" => Ty::Timestamp,
            "TIMESTAMPTZ" => Ty::Timestamptz,
            "DATE" => Ty::Date,
            "TIME" => Ty::Time,
            "BLOB" | "BINARY" | "BYTEA" => Ty::Binary,
            "JSON" => Ty::Json,
            "JSONB" => Ty::Jsonb,
            "UUID" => Ty::Uuid,
            _ => Ty::Other(name.to_ascii_lowercase()),
        }
    }

    /// From `pg_type.typname`.
    fn from_postgres(typname: &str) -> Ty {
        match typname {
            "text" | "varchar" => Ty::Text,
            "int2" => Ty::SmallInt,
            "int4" => Ty::Integer,
            "int8" => Ty::BigInt,
            "bool" => Ty::Boolean,
            "float4" => Ty::Real,
            "float8" => Ty::Double,
            "numeric" => Ty::Numeric,
            "timestamp" => Ty::Timestamp,
            "timestamptz" => Ty::Timestamptz,
            "date" => Ty::Date,
            "time" => Ty::Time,
            "bytea" => Ty::Binary,
            "json" => Ty::Json,
            "jsonb" => Ty::Jsonb,
            "uuid" => Ty::Uuid,
            other => Ty::Other(other.to_owned()),
        }
    }

    /// From a diesel SQL type name (the last path segment, without `Nullable`).
    fn from_diesel(name: &str) -> Ty {
        match name {
            "Text" | "VarChar" | "Varchar" => Ty::Text,
            "SmallInt" | "Int2" => Ty::SmallInt,
            "Integer" | "Int4" => Ty::Integer,
            "BigInt" | "Int8" => Ty::BigInt,
            "Bool" => Ty::Boolean,
            "Float" | "Float4" => Ty::Real,
            "Double" | "Float8" => Ty::Double,
            "Numeric" => Ty::Numeric,
            "Timestamp" => Ty::Timestamp,
            "Timestamptz" => Ty::Timestamptz,
            "Date" => Ty::Date,
            "Time" => Ty::Time,
            "Binary" | "Bytea" | "Blob" => Ty::Binary,
            "Json" => Ty::Json,
            "Jsonb" => Ty::Jsonb,
            "Uuid" => Ty::Uuid,
            other => Ty::Other(other.to_ascii_lowercase()),
        }
    }
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Ty::Text => "text",
            Ty::SmallInt => "smallint",
            Ty::Integer => "integer",
            Ty::BigInt => "bigint",
            Ty::RowId => "rowid",
            Ty::Boolean => "boolean",
            Ty::Real => "real",
            Ty::Double => "double",
            Ty::Numeric => "numeric",
            Ty::Timestamp => "timestamp",
            Ty::Timestamptz => "timestamptz",
            Ty::Date => "date",
            Ty::Time => "time",
            Ty::Binary => "binary",
            Ty::Json => "json",
            Ty::Jsonb => "jsonb",
            Ty::Uuid => "uuid",
            Ty::Other(name) => name,
        })
    }
}

#[derive(Debug, Clone)]
struct Column {
    ty: Ty,
    /// The type as the source spells it.
    declared: String,
    nullable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Index {
    columns: Vec<String>,
    unique: bool,
    partial: bool,
}

impl fmt::Display for Index {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unique = if self.unique { "unique " } else { "" };
        let partial = if self.partial { " (partial)" } else { "" };
        write!(f, "{unique}index ({}){partial}", self.columns.join(", "))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct ForeignKey {
    columns: Vec<String>,
    references: String,
    referenced_columns: Vec<String>,
    on_update: String,
    on_delete: String,
}

impl fmt::Display for ForeignKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "foreign key ({}) -> {} ({}) on update {} on delete {}",
            self.columns.join(", "),
            self.references,
            self.referenced_columns.join(", "),
            self.on_update,
            self.on_delete
        )
    }
}

#[derive(Debug, Clone, Default)]
struct Table {
    columns: BTreeMap<String, Column>,
    primary_key: Vec<String>,
    indexes: BTreeSet<Index>,
    foreign_keys: BTreeSet<ForeignKey>,
}

#[derive(Debug, Clone)]
struct Schema {
    source: Source,
    tables: BTreeMap<String, Table>,
}

/// What differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Aspect {
    Table,
    Column,
    Type,
    Nullability,
    PrimaryKey,
    Index,
    ForeignKey,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Difference {
    table: String,
    column: Option<String>,
    aspect: Aspect,
    /// What each side has.
    detail: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let aspect = match self.aspect {
            Aspect::Table => "table",
            Aspect::Column => "column",
            Aspect::Type => "type",
            Aspect::Nullability => "nullability",
            Aspect::PrimaryKey => "primary key",
            Aspect::Index => "index",
            Aspect::ForeignKey => "foreign key",
        };
        match &self.column {
            Some(column) => write!(f, "{}.{column}: {aspect}: {}", self.table, self.detail),
            None => write!(f, "{}: {aspect}: {}", self.table, self.detail),
        }
    }
}

/// An allowed difference: the table, column and aspect it is about, a piece of its detail
/// (empty for any), and why it is allowed.
#[derive(Debug)]
struct Exception {
    table: &'static str,
    column: Option<&'static str>,
    aspect: Aspect,
    detail: &'static str,
    reason: &'static str,
}

impl fmt::Display for Exception {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let column = self.column.map(|c| format!(".{c}")).unwrap_or_default();
        write!(f, "{}{column} {:?} `{}` ({})", self.table, self.aspect, self.detail, self.reason)
    }
}

impl Exception {
    fn covers(&self, difference: &Difference) -> bool {
        self.table == difference.table
            && self.column == difference.column.as_deref()
            && self.aspect == difference.aspect
            && difference.detail.contains(self.detail)
    }
}

// ---------------------------------------------------------------------------------------
// Reading the live schemas

#[derive(Debug, QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    declared_type: String,
    #[diesel(sql_type = Integer)]
    not_null: i32,
    /// Position in the primary key from 1, or 0.
    #[diesel(sql_type = Integer)]
    pk: i32,
    #[diesel(sql_type = Integer)]
    without_rowid: i32,
}

/// One key column of an index.
#[derive(Debug, QueryableByName)]
struct IndexRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    index_name: String,
    #[diesel(sql_type = Integer)]
    is_unique: i32,
    #[diesel(sql_type = Integer)]
    is_primary: i32,
    #[diesel(sql_type = Integer)]
    partial: i32,
    /// NULL for an expression.
    #[diesel(sql_type = Nullable<Text>)]
    column_name: Option<String>,
}

/// One column of a foreign key.
#[derive(Debug, QueryableByName)]
struct ForeignKeyRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    constraint_name: String,
    #[diesel(sql_type = Integer)]
    seq: i32,
    #[diesel(sql_type = Text)]
    from_column: String,
    #[diesel(sql_type = Text)]
    ref_table: String,
    /// SQLite leaves it NULL when the key refers to the primary key.
    #[diesel(sql_type = Nullable<Text>)]
    to_column: Option<String>,
    #[diesel(sql_type = Text)]
    on_update: String,
    #[diesel(sql_type = Text)]
    on_delete: String,
}

const SQLITE_COLUMNS: &str = "\
    SELECT m.name AS table_name, p.name AS column_name, p.type AS declared_type, p.\"notnull\" AS not_null, \
           p.pk AS pk, CASE WHEN upper(m.sql) LIKE '%WITHOUT ROWID%' THEN 1 ELSE 0 END AS without_rowid \
    FROM sqlite_master m JOIN pragma_table_info(m.name) p \
    WHERE m.type = 'table' ORDER BY m.name, p.cid";

const SQLITE_INDEXES: &str = "\
    SELECT m.name AS table_name, il.name AS index_name, il.\"unique\" AS is_unique, \
           CASE WHEN il.origin = 'pk' THEN 1 ELSE 0 END AS is_primary, il.partial AS partial, \
           ii.name AS column_name \
    FROM sqlite_master m JOIN pragma_index_list(m.name) il JOIN pragma_index_info(il.name) ii \
    WHERE m.type = 'table' ORDER BY m.name, il.name, ii.seqno";

const SQLITE_FOREIGN_KEYS: &str = "\
    SELECT m.name AS table_name, CAST(f.id AS TEXT) AS constraint_name, f.seq AS seq, f.\"from\" AS from_column, \
           f.\"table\" AS ref_table, f.\"to\" AS to_column, f.on_update AS on_update, f.on_delete AS on_delete \
    FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f \
    WHERE m.type = 'table' ORDER BY m.name, f.id, f.seq";

const POSTGRES_COLUMNS: &str = "\
    SELECT c.relname::text AS table_name, a.attname::text AS column_name, t.typname::text AS declared_type, \
           CASE WHEN a.attnotnull THEN 1 ELSE 0 END AS not_null, \
           COALESCE(array_position(p.conkey, a.attnum), 0) AS pk, 0 AS without_rowid \
    FROM pg_class c \
    JOIN pg_namespace n ON n.oid = c.relnamespace \
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
    JOIN pg_type t ON t.oid = a.atttypid \
    LEFT JOIN pg_constraint p ON p.conrelid = c.oid AND p.contype = 'p' \
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') \
    ORDER BY c.relname, a.attnum";

const POSTGRES_INDEXES: &str = "\
    SELECT t.relname::text AS table_name, i.relname::text AS index_name, \
           CASE WHEN x.indisunique THEN 1 ELSE 0 END AS is_unique, \
           CASE WHEN x.indisprimary THEN 1 ELSE 0 END AS is_primary, \
           CASE WHEN x.indpred IS NULL THEN 0 ELSE 1 END AS partial, \
           a.attname::text AS column_name \
    FROM pg_index x \
    JOIN pg_class i ON i.oid = x.indexrelid \
    JOIN pg_class t ON t.oid = x.indrelid \
    JOIN pg_namespace n ON n.oid = t.relnamespace \
    CROSS JOIN LATERAL unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
    LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum AND k.attnum > 0 \
    WHERE n.nspname = current_schema() AND k.ord <= x.indnkeyatts \
    ORDER BY t.relname, i.relname, k.ord";

const POSTGRES_FOREIGN_KEYS: &str = "\
    SELECT t.relname::text AS table_name, c.conname::text AS constraint_name, k.ord::int4 AS seq, \
           a.attname::text AS from_column, r.relname::text AS ref_table, ra.attname::text AS to_column, \
           CASE c.confupdtype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT' WHEN 'c' THEN 'CASCADE' \
                WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' END AS on_update, \
           CASE c.confdeltype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT' WHEN 'c' THEN 'CASCADE' \
                WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' END AS on_delete \
    FROM pg_constraint c \
    JOIN pg_class t ON t.oid = c.conrelid \
    JOIN pg_namespace n ON n.oid = t.relnamespace \
    JOIN pg_class r ON r.oid = c.confrelid \
    CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(attnum, refattnum, ord) \
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
    JOIN pg_attribute ra ON ra.attrelid = r.oid AND ra.attnum = k.refattnum \
    WHERE c.contype = 'f' AND n.nspname = current_schema() \
    ORDER BY t.relname, c.conname, k.ord";

/// The schema of a migrated store, read from the database's catalog.
fn read_schema(store: &Store) -> Schema {
    store
        .read(|conn| {
            Ok::<_, StoreError>(match conn {
                DbConnection::Sqlite(c) => read_sqlite(c),
                DbConnection::Postgres(c) => read_postgres(c),
            })
        })
        .expect("pooled connection")
}

fn read_sqlite(conn: &mut SqliteConnection) -> Schema {
    let columns: Vec<ColumnRow> = diesel::sql_query(SQLITE_COLUMNS).load(conn).expect("sqlite columns");
    let indexes: Vec<IndexRow> = diesel::sql_query(SQLITE_INDEXES).load(conn).expect("sqlite indexes");
    let foreign_keys: Vec<ForeignKeyRow> =
        diesel::sql_query(SQLITE_FOREIGN_KEYS).load(conn).expect("sqlite foreign keys");
    assemble(Source::Sqlite, columns, indexes, foreign_keys)
}

fn read_postgres(conn: &mut PgConnection) -> Schema {
    let columns: Vec<ColumnRow> = diesel::sql_query(POSTGRES_COLUMNS).load(conn).expect("postgres columns");
    let indexes: Vec<IndexRow> = diesel::sql_query(POSTGRES_INDEXES).load(conn).expect("postgres indexes");
    let foreign_keys: Vec<ForeignKeyRow> =
        diesel::sql_query(POSTGRES_FOREIGN_KEYS).load(conn).expect("postgres foreign keys");
    assemble(Source::Postgres, columns, indexes, foreign_keys)
}

/// Builds the model from catalog rows, applying the two SQLite rules of the module docs.
fn assemble(source: Source, columns: Vec<ColumnRow>, indexes: Vec<IndexRow>, keys: Vec<ForeignKeyRow>) -> Schema {
    let mut tables: BTreeMap<String, Table> = BTreeMap::new();
    let mut key_positions: BTreeMap<String, Vec<(i32, String)>> = BTreeMap::new();
    let mut rowid_tables = BTreeSet::new();
    for row in &columns {
        if row.pk > 0 {
            key_positions.entry(row.table_name.clone()).or_default().push((row.pk, row.column_name.clone()));
        }
        if row.without_rowid == 0 {
            rowid_tables.insert(row.table_name.clone());
        }
    }
    for (table, mut key) in key_positions {
        key.sort();
        tables.entry(table).or_default().primary_key = key.into_iter().map(|(_, column)| column).collect();
    }
    for row in columns {
        let table = tables.entry(row.table_name.clone()).or_default();
        let (ty, nullable) = match source {
            Source::Sqlite => {
                let rowid_alias = rowid_tables.contains(&row.table_name)
                    && table.primary_key == [row.column_name.as_str()]
                    && row.declared_type.eq_ignore_ascii_case("INTEGER");
                let ty = if rowid_alias { Ty::RowId } else { Ty::from_sqlite(&row.declared_type) };
                (ty, row.not_null == 0 && row.pk == 0)
            }
            Source::Postgres => (Ty::from_postgres(&row.declared_type), row.not_null == 0),
            Source::SchemaRs => unreachable!("schema.rs is parsed, not read"),
        };
        table.columns.insert(row.column_name, Column { ty, declared: row.declared_type, nullable });
    }

    let mut grouped: BTreeMap<(String, String), (Index, bool)> = BTreeMap::new();
    for row in indexes {
        let entry = grouped.entry((row.table_name, row.index_name)).or_insert_with(|| {
            (Index { columns: Vec::new(), unique: row.is_unique != 0, partial: row.partial != 0 }, row.is_primary != 0)
        });
        entry.0.columns.push(row.column_name.unwrap_or_else(|| "<expression>".to_owned()));
    }
    for ((table, _), (index, is_primary)) in grouped {
        // The primary key is compared as such; its index is how each backend keeps it.
        if !is_primary {
            tables.entry(table).or_default().indexes.insert(index);
        }
    }

    let mut grouped: BTreeMap<(String, String), Vec<ForeignKeyRow>> = BTreeMap::new();
    for row in keys {
        grouped.entry((row.table_name.clone(), row.constraint_name.clone())).or_default().push(row);
    }
    for ((table, _), mut rows) in grouped {
        rows.sort_by_key(|row| row.seq);
        let references = rows[0].ref_table.clone();
        let referenced_key = tables.get(&references).map(|t| t.primary_key.clone()).unwrap_or_default();
        let key = ForeignKey {
            columns: rows.iter().map(|row| row.from_column.clone()).collect(),
            referenced_columns: rows
                .iter()
                .enumerate()
                .map(|(i, row)| {
                    row.to_column.clone().or_else(|| referenced_key.get(i).cloned()).unwrap_or_else(|| "?".to_owned())
                })
                .collect(),
            references,
            on_update: rows[0].on_update.to_ascii_uppercase(),
            on_delete: rows[0].on_delete.to_ascii_uppercase(),
        };
        tables.entry(table).or_default().foreign_keys.insert(key);
    }
    Schema { source, tables }
}

// ---------------------------------------------------------------------------------------
// Parsing schema.rs

/// The `diesel::table!` blocks of `src/schema.rs`: tables, columns with type and
/// nullability, primary keys.
fn schema_rs() -> Schema {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/schema.rs");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse_schema_rs(&text)
}

fn parse_schema_rs(text: &str) -> Schema {
    let mut tables = BTreeMap::new();
    let mut lines = text.lines().map(str::trim);
    let skip = |line: &&str| line.is_empty() || line.starts_with("//") || line.starts_with("use ");
    while let Some(line) = lines.next() {
        if !line.starts_with("diesel::table!") {
            continue;
        }
        let header = lines.by_ref().find(|line| !skip(line) && !line.starts_with('#')).expect("table! header");
        let header = header.strip_suffix('{').expect("table! header ends with {").trim();
        let (name, primary_key) = match header.split_once('(') {
            Some((name, key)) => (
                name.trim(),
                key.trim_end_matches(')').split(',').map(|c| c.trim().trim_start_matches("r#").to_owned()).collect(),
            ),
            None => (header, vec!["id".to_owned()]),
        };
        let name = name.rsplit('.').next().unwrap_or(name);
        let mut table = Table { primary_key, ..Table::default() };
        let mut sql_name: Option<String> = None;
        for line in lines.by_ref() {
            if line == "}" {
                break;
            }
            if skip(&line) {
                continue;
            }
            if let Some(attribute) = line.strip_prefix("#[sql_name = \"") {
                sql_name = Some(attribute.trim_end_matches("\"]").to_owned());
                continue;
            }
            if line.starts_with('#') {
                continue;
            }
            let (column, ty) = line.split_once("->").unwrap_or_else(|| panic!("schema.rs: unexpected line `{line}`"));
            let column = sql_name.take().unwrap_or_else(|| column.trim().trim_start_matches("r#").to_owned());
            let declared = ty.trim().trim_end_matches(',').trim().to_owned();
            let (inner, nullable) = match declared.strip_prefix("Nullable<").and_then(|t| t.strip_suffix('>')) {
                Some(inner) => (inner, true),
                None => (declared.as_str(), false),
            };
            let ty = Ty::from_diesel(inner.rsplit("::").next().unwrap_or(inner));
            table.columns.insert(column, Column { ty, declared, nullable });
        }
        tables.insert(name.to_owned(), table);
    }
    assert_eq!(
        tables.len(),
        text.matches("diesel::table!").count(),
        "every diesel::table! block of schema.rs is parsed, under a name of its own"
    );
    Schema { source: Source::SchemaRs, tables }
}

// ---------------------------------------------------------------------------------------
// Comparing

fn sources<'a>(sides: impl IntoIterator<Item = &'a Source>) -> String {
    sides.into_iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

/// Every difference between the schemas: tables, columns, types, nullability and primary
/// keys across all of them; indexes and foreign keys across the live ones.
fn compare(schemas: &[&Schema]) -> Vec<Difference> {
    let mut differences = Vec::new();
    let names: BTreeSet<&String> = schemas.iter().flat_map(|s| s.tables.keys()).collect();
    for name in names {
        if INTERNAL_TABLES.iter().any(|(table, _)| table == name) {
            continue;
        }
        let outside_schema_rs = NOT_IN_SCHEMA_RS.iter().any(|(table, _)| table == name);
        let mut present: Vec<(Source, &Table)> = Vec::new();
        let mut missing: Vec<Source> = Vec::new();
        for schema in schemas {
            match schema.tables.get(name) {
                Some(_) if !schema.source.is_live() && outside_schema_rs => differences.push(Difference {
                    table: name.clone(),
                    column: None,
                    aspect: Aspect::Table,
                    detail: "declared in schema.rs, yet listed in NOT_IN_SCHEMA_RS".to_owned(),
                }),
                Some(table) => present.push((schema.source, table)),
                None if !schema.source.is_live() && outside_schema_rs => {}
                None => missing.push(schema.source),
            }
        }
        if !missing.is_empty() {
            differences.push(Difference {
                table: name.clone(),
                column: None,
                aspect: Aspect::Table,
                detail: format!(
                    "missing on {} (present on {})",
                    sources(&missing),
                    sources(present.iter().map(|(s, _)| s))
                ),
            });
        }
        if present.len() >= 2 {
            compare_table(name, &present, &mut differences);
        }
    }
    differences
}

fn compare_table(name: &str, present: &[(Source, &Table)], differences: &mut Vec<Difference>) {
    let difference = |column: Option<&str>, aspect, detail| Difference {
        table: name.to_owned(),
        column: column.map(str::to_owned),
        aspect,
        detail,
    };

    let columns: BTreeSet<&String> = present.iter().flat_map(|(_, t)| t.columns.keys()).collect();
    for column in columns {
        let have: Vec<(Source, &Column)> =
            present.iter().filter_map(|(s, t)| t.columns.get(column).map(|c| (*s, c))).collect();
        if have.len() < present.len() {
            let missing = present.iter().map(|(s, _)| s).filter(|s| !have.iter().any(|(h, _)| h == *s));
            let detail =
                format!("missing on {} (present on {})", sources(missing), sources(have.iter().map(|(s, _)| s)));
            differences.push(difference(Some(column), Aspect::Column, detail));
        }
        if have.len() < 2 {
            continue;
        }
        if !have.iter().all(|(_, a)| have.iter().all(|(_, b)| a.ty.matches(&b.ty))) {
            let detail =
                have.iter().map(|(s, c)| format!("{s} {} ({})", c.declared, c.ty)).collect::<Vec<_>>().join("; ");
            differences.push(difference(Some(column), Aspect::Type, detail));
        }
        if !have.iter().all(|(_, c)| c.nullable == have[0].1.nullable) {
            let detail = have
                .iter()
                .map(|(s, c)| format!("{s} {}", if c.nullable { "nullable" } else { "not null" }))
                .collect::<Vec<_>>()
                .join("; ");
            differences.push(difference(Some(column), Aspect::Nullability, detail));
        }
    }

    if !present.iter().all(|(_, t)| t.primary_key == present[0].1.primary_key) {
        let detail =
            present.iter().map(|(s, t)| format!("{s} ({})", t.primary_key.join(", "))).collect::<Vec<_>>().join("; ");
        differences.push(difference(None, Aspect::PrimaryKey, detail));
    }

    let live: Vec<&(Source, &Table)> = present.iter().filter(|(s, _)| s.is_live()).collect();
    if live.len() < 2 {
        return;
    }
    let on_and_missing = |has: &dyn Fn(&Table) -> bool| {
        let on: Vec<Source> = live.iter().filter(|(_, t)| has(t)).map(|(s, _)| *s).collect();
        let off: Vec<Source> = live.iter().filter(|(_, t)| !has(t)).map(|(s, _)| *s).collect();
        (off.is_empty(), format!("on {}, missing on {}", sources(&on), sources(&off)))
    };
    let indexes: BTreeSet<&Index> = live.iter().flat_map(|(_, t)| &t.indexes).collect();
    for index in indexes {
        let (everywhere, detail) = on_and_missing(&|t: &Table| t.indexes.contains(index));
        if !everywhere {
            differences.push(difference(None, Aspect::Index, format!("{index}: {detail}")));
        }
    }
    let keys: BTreeSet<&ForeignKey> = live.iter().flat_map(|(_, t)| &t.foreign_keys).collect();
    for key in keys {
        let (everywhere, detail) = on_and_missing(&|t: &Table| t.foreign_keys.contains(key));
        if !everywhere {
            differences.push(difference(None, Aspect::ForeignKey, format!("{key}: {detail}")));
        }
    }
}

/// The differences no exception covers, plus (when `all_exceptions_apply`) every exception
/// that covered nothing, one line each.
fn unexplained(differences: &[Difference], all_exceptions_apply: bool) -> Vec<String> {
    let mut lines: Vec<String> =
        differences.iter().filter(|d| !EXCEPTIONS.iter().any(|e| e.covers(d))).map(ToString::to_string).collect();
    if all_exceptions_apply {
        for exception in EXCEPTIONS.iter().filter(|e| !differences.iter().any(|d| e.covers(d))) {
            lines.push(format!("exception no longer needed: {exception}"));
        }
    }
    lines
}

fn assert_no_differences(lines: &[String]) {
    assert!(lines.is_empty(), "{} schema difference(s):\n  {}", lines.len(), lines.join("\n  "));
}

/// A fresh SQLite and a fresh PostgreSQL database, both migrated; `None` without PostgreSQL.
/// The databases outlive the stores (fields drop in order).
struct Migrated {
    sqlite: Store,
    postgres: Store,
    _databases: (TestDatabase, TestDatabase),
}

impl Migrated {
    fn new() -> Option<Migrated> {
        let postgres_db = TestDatabase::postgres()?;
        let sqlite_db = TestDatabase::sqlite();
        Some(Migrated {
            sqlite: open_migrated(&sqlite_db),
            postgres: open_migrated(&postgres_db),
            _databases: (sqlite_db, postgres_db),
        })
    }

    fn compare(&self) -> Vec<Difference> {
        let (sqlite, postgres) = (read_schema(&self.sqlite), read_schema(&self.postgres));
        let declared = schema_rs();
        for schema in [&sqlite, &postgres, &declared] {
            assert!(schema.tables.len() >= 60, "{} has only {} tables", schema.source, schema.tables.len());
        }
        compare(&[&sqlite, &postgres, &declared])
    }
}

// ---------------------------------------------------------------------------------------
// Tests

#[test]
#[cfg_attr(
    not(ggzy_postgres),
    ignore = "needs GGZY_TEST_POSTGRES_URL (a PostgreSQL server the tests may create databases on)"
)]
fn both_backends_match_each_other_and_schema_rs() {
    let Some(migrated) = Migrated::new() else { return };
    assert_no_differences(&unexplained(&migrated.compare(), true));
}

#[test]
fn sqlite_matches_schema_rs() {
    let db = TestDatabase::sqlite();
    let store = open_migrated(&db);
    let sqlite = read_schema(&store);
    assert!(sqlite.tables.len() >= 60, "sqlite has only {} tables", sqlite.tables.len());
    // Exceptions about PostgreSQL may go unused here.
    assert_no_differences(&unexplained(&compare(&[&sqlite, &schema_rs()]), false));
}

/// Runs `changes` on the migrated pair and returns the unexplained differences it adds.
fn differences_after(migrated: &Migrated, changes: &[(&Store, &str)]) -> Vec<String> {
    let before = unexplained(&migrated.compare(), true);
    for (store, sql) in changes {
        execute(store, sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    unexplained(&migrated.compare(), true).into_iter().filter(|line| !before.contains(line)).collect()
}

#[test]
#[cfg_attr(
    not(ggzy_postgres),
    ignore = "needs GGZY_TEST_POSTGRES_URL (a PostgreSQL server the tests may create databases on)"
)]
fn a_column_dropped_from_one_backend_is_named() {
    let Some(migrated) = Migrated::new() else { return };
    let sql = "ALTER TABLE service_accounts DROP COLUMN disabled_at";
    assert_eq!(
        differences_after(&migrated, &[(&migrated.sqlite, sql)]),
        ["service_accounts.disabled_at: column: missing on sqlite (present on postgres, schema.rs)"]
    );
}

#[test]
#[cfg_attr(
    not(ggzy_postgres),
    ignore = "needs GGZY_TEST_POSTGRES_URL (a PostgreSQL server the tests may create databases on)"
)]
fn an_index_dropped_from_one_backend_is_named() {
    let Some(migrated) = Migrated::new() else { return };
    assert_eq!(
        differences_after(&migrated, &[(&migrated.postgres, "DROP INDEX persons_employer")]),
        ["persons: index: index (employer_id, id): on sqlite, missing on postgres"]
    );
}

#[test]
#[cfg_attr(
    not(ggzy_postgres),
    ignore = "needs GGZY_TEST_POSTGRES_URL (a PostgreSQL server the tests may create databases on)"
)]
fn a_changed_type_nullability_and_foreign_key_are_named() {
    let Some(migrated) = Migrated::new() else { return };
    let changes = [
        (&migrated.postgres, "ALTER TABLE venues ALTER COLUMN created_at TYPE timestamptz"),
        (&migrated.postgres, "ALTER TABLE venues ALTER COLUMN kind DROP NOT NULL"),
        (&migrated.postgres, "ALTER TABLE persons DROP CONSTRAINT persons_employer_id_fkey"),
    ];
    assert_eq!(
        differences_after(&migrated, &changes),
        [
            "persons: foreign key: foreign key (employer_id) -> participants (id) on update NO ACTION \
             on delete NO ACTION: on sqlite, missing on postgres",
            "venues.created_at: type: sqlite TIMESTAMP (timestamp); postgres timestamptz (timestamptz); \
             schema.rs Timestamp (timestamp)",
            "venues.kind: nullability: sqlite not null; postgres nullable; schema.rs not null",
        ]
    );
}
