//! `column IN (ids)` for a list of text ids, written for each backend.
//!
//! diesel's `eq_any` sends PostgreSQL `column = ANY($1)`. A statement that diesel keeps
//! prepared is planned once for any array, and PostgreSQL then tests each row it reads
//! against the array's elements one by one (it hashes the array only when it is a constant
//! in a plan of its own). While a table is small (a young platform's few hundred sections)
//! the plan reads all of it, so a page of 50 projects compared 400 rows with 50 ids in each
//! of two tables: 40,000 text comparisons per page. `column IN (SELECT unnest($1))` is a
//! semi-join instead: the ids are hashed once at that size, and probed by index once the
//! table is large. The statement text is fixed, so it stays prepared.
//!
//! SQLite gets `column IN (?, ?, …)`, as diesel writes it (not kept prepared, since its
//! length varies).

use std::marker::PhantomData;

use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{Array, Bool, Text};
use diesel::sqlite::Sqlite;
use diesel::QueryResult;

use crate::db::DbConnection;

type MultiBackend = <DbConnection as diesel::Connection>::Backend;

/// The rows whose `column` is one of `ids`; see the module's documentation.
pub fn in_ids<C, Id>(column: C, ids: &[Id]) -> InIds<'_, C, Id>
where
    C: Expression<SqlType = Text>,
{
    InIds { column, ids }
}

/// `column IN (ids)`: built by [`in_ids`].
#[derive(Debug, Clone, Copy)]
pub struct InIds<'a, C, Id> {
    column: C,
    ids: &'a [Id],
}

impl<C, Id> Expression for InIds<'_, C, Id> {
    type SqlType = Bool;
}

impl<C, Id, QS> AppearsOnTable<QS> for InIds<'_, C, Id> where C: AppearsOnTable<QS> {}

impl<C, Id, QS> SelectableExpression<QS> for InIds<'_, C, Id> where C: SelectableExpression<QS> {}

impl<C, Id, GroupBy> ValidGrouping<GroupBy> for InIds<'_, C, Id>
where
    C: ValidGrouping<GroupBy>,
{
    type IsAggregate = C::IsAggregate;
}

/// The query id of an `InIds` on a column: the text on PostgreSQL does not depend on the
/// ids, and SQLite's is never kept prepared, so the column alone tells statements apart.
#[derive(Debug)]
pub struct InIdsQuery<C>(PhantomData<C>);

impl<C, Id> QueryId for InIds<'_, C, Id>
where
    C: QueryId,
{
    type QueryId = InIdsQuery<C::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = C::HAS_STATIC_QUERY_ID;
}

impl<C, Id> QueryFragment<Pg> for InIds<'_, C, Id>
where
    C: QueryFragment<Pg>,
    Id: ToSql<Text, Pg>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        // The same text for an empty list, so that one prepared statement serves every call.
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" IN (SELECT unnest(");
        out.push_bind_param::<Array<Text>, [Id]>(self.ids)?;
        out.push_sql("))");
        Ok(())
    }
}

impl<C, Id> QueryFragment<Sqlite> for InIds<'_, C, Id>
where
    C: QueryFragment<Sqlite>,
    Id: ToSql<Text, Sqlite>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        out.unsafe_to_cache_prepared();
        if self.ids.is_empty() {
            out.push_sql("1=0");
            return Ok(());
        }
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" IN (");
        for (index, id) in self.ids.iter().enumerate() {
            if index > 0 {
                out.push_sql(", ");
            }
            out.push_bind_param::<Text, Id>(id)?;
        }
        out.push_sql(")");
        Ok(())
    }
}

impl<C, Id> QueryFragment<MultiBackend> for InIds<'_, C, Id>
where
    C: QueryFragment<Pg> + QueryFragment<Sqlite>,
    Id: ToSql<Text, Pg> + ToSql<Text, Sqlite>,
{
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        MultiBackend::walk_variant_ast(self, pass)
    }
}
