//! Statements written out by hand so that the database prepares each once per connection.
//! diesel sends an upsert, and any insert of a struct (whose columns could take DEFAULT),
//! as a new statement every time, which PostgreSQL parses and plans again; the audit append
//! runs in every write of the platform and the bid insert at every deadline, so theirs are
//! written here with a fixed text and a static query id, and diesel's statement cache keeps
//! them.

use diesel::backend::Backend;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, HasSqlType, Nullable, Text, Timestamp};
use diesel::{QueryResult, RunQueryDsl};

use crate::audit::GENESIS_HASH;

/// Locks a chain's head row and returns its (position, event_hash): see
/// `audit::lock_chain_head`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LockChainHead<'a> {
    pub chain: &'a str,
}

impl QueryId for LockChainHead<'_> {
    type QueryId = LockChainHead<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl Query for LockChainHead<'_> {
    type SqlType = (BigInt, Text);
}

impl<Conn> RunQueryDsl<Conn> for LockChainHead<'_> {}

impl<DB> QueryFragment<DB> for LockChainHead<'_>
where
    DB: Backend + HasSqlType<Text>,
    str: ToSql<Text, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("INSERT INTO audit_chain_heads (chain, position, event_hash) VALUES (");
        out.push_bind_param::<Text, str>(self.chain)?;
        out.push_sql(", 0, '");
        out.push_sql(GENESIS_HASH);
        // A change that changes nothing: what counts is the row's lock and its latest version.
        out.push_sql(
            "') ON CONFLICT (chain) DO UPDATE SET position = audit_chain_heads.position \
             RETURNING position, event_hash",
        );
        Ok(())
    }
}

/// Inserts one audit event and returns its sequence number.
#[derive(Debug, Clone, Copy)]
pub(crate) struct InsertAuditEvent<'a> {
    pub id: &'a str,
    pub chain: &'a str,
    pub position: i64,
    pub occurred_at: chrono::NaiveDateTime,
    pub actor: &'a str,
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: &'a str,
    pub payload: &'a str,
    pub payload_hash: &'a str,
    pub prev_hash: &'a str,
    pub event_hash: &'a str,
}

impl QueryId for InsertAuditEvent<'_> {
    type QueryId = InsertAuditEvent<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl Query for InsertAuditEvent<'_> {
    type SqlType = BigInt;
}

impl<Conn> RunQueryDsl<Conn> for InsertAuditEvent<'_> {}

impl<DB> QueryFragment<DB> for InsertAuditEvent<'_>
where
    DB: Backend + HasSqlType<Text> + HasSqlType<BigInt> + HasSqlType<Timestamp>,
    str: ToSql<Text, DB>,
    i64: ToSql<BigInt, DB>,
    chrono::NaiveDateTime: ToSql<Timestamp, DB>,
{
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.push_insert(out)
    }
}

impl<'a> InsertAuditEvent<'a> {
    /// The insert, also the main statement of `InsertRecordedBid`.
    fn push_insert<'b, DB>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()>
    where
        DB: Backend + HasSqlType<Text> + HasSqlType<BigInt> + HasSqlType<Timestamp>,
        str: ToSql<Text, DB>,
        i64: ToSql<BigInt, DB>,
        chrono::NaiveDateTime: ToSql<Timestamp, DB>,
    {
        out.push_sql(
            "INSERT INTO audit_events (id, chain, position, occurred_at, actor, action, object_type, object_id, \
             payload, payload_hash, prev_hash, event_hash) VALUES (",
        );
        out.push_bind_param::<Text, str>(self.id)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, str>(self.chain)?;
        out.push_sql(", ");
        out.push_bind_param::<BigInt, i64>(&self.position)?;
        out.push_sql(", ");
        out.push_bind_param::<Timestamp, chrono::NaiveDateTime>(&self.occurred_at)?;
        for text in [
            self.actor,
            self.action,
            self.object_type,
            self.object_id,
            self.payload,
            self.payload_hash,
            self.prev_hash,
            self.event_hash,
        ] {
            out.push_sql(", ");
            out.push_bind_param::<Text, str>(text)?;
        }
        out.push_sql(") RETURNING seq");
        Ok(())
    }
}

/// A bid, its envelope and the audit event that records it in one statement (PostgreSQL),
/// returning the event's sequence number: see `bids::insert_recorded`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct InsertRecordedBid<'a> {
    pub bid: &'a crate::bids::BidRow,
    pub envelope: &'a crate::sealing::EnvelopeRow,
    pub event: InsertAuditEvent<'a>,
}

impl QueryId for InsertRecordedBid<'_> {
    type QueryId = InsertRecordedBid<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl Query for InsertRecordedBid<'_> {
    type SqlType = BigInt;
}

impl<Conn> RunQueryDsl<Conn> for InsertRecordedBid<'_> {}

impl QueryFragment<diesel::pg::Pg> for InsertRecordedBid<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, diesel::pg::Pg>) -> QueryResult<()> {
        let (bid, envelope) = (self.bid, self.envelope);
        // The bid's and the envelope's inserts are data-modifying WITHs of the event's, which
        // run to completion whether or not the event's reads them; the envelope's foreign
        // key to the bid is checked at the end of the statement, when the bid is there: all
        // three rows or none.
        out.push_sql(
            "WITH bid AS (INSERT INTO bids (id, section_id, bidder_id, sealed, receipt_hash, commitment_hash, \
             revealed_nonce, status, submitted_at, updated_at, version) VALUES (",
        );
        out.push_bind_param::<Text, String>(&bid.id)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, String>(&bid.section_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, String>(&bid.bidder_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, String>(&bid.sealed)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, String>(&bid.receipt_hash)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<Text>, Option<String>>(&bid.commitment_hash)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<Text>, Option<String>>(&bid.revealed_nonce)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, String>(&bid.status)?;
        out.push_sql(", ");
        out.push_bind_param::<Timestamp, chrono::NaiveDateTime>(&bid.submitted_at)?;
        out.push_sql(", ");
        out.push_bind_param::<Timestamp, chrono::NaiveDateTime>(&bid.updated_at)?;
        out.push_sql(", ");
        out.push_bind_param::<BigInt, i64>(&bid.version)?;
        out.push_sql(
            ")), envelope AS (INSERT INTO bid_envelopes (bid_id, key_id, envelope, outcome, decided_at, note) VALUES (",
        );
        out.push_bind_param::<Text, String>(&envelope.bid_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, String>(&envelope.key_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, String>(&envelope.envelope)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<Text>, Option<String>>(&envelope.outcome)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<Timestamp>, Option<chrono::NaiveDateTime>>(&envelope.decided_at)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<Text>, Option<String>>(&envelope.note)?;
        out.push_sql(")) ");
        self.event.push_insert(out)
    }
}
