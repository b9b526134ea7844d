//! The append-only audit chain. Every state change appends one event in the same
//! transaction as the change. Events are grouped into chains (one per object, e.g.
//! `participant:<id>`, later one per project); each event carries the hash of its payload
//! and of the previous event of its chain, so editing, inserting or removing an event in
//! the middle of a chain breaks every hash after it.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::schema::audit_events;
use crate::{DbConnection, StoreError};

/// The `prev_hash` of the first event of a chain.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A stored audit event.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = audit_events)]
pub struct AuditEventRow {
    pub seq: i64,
    pub id: String,
    pub chain: String,
    pub position: i64,
    pub occurred_at: NaiveDateTime,
    pub actor: String,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub payload: String,
    pub payload_hash: String,
    pub prev_hash: String,
    pub event_hash: String,
}

/// What a command records about itself.
#[derive(Debug, Clone)]
pub struct NewAuditEvent<'a> {
    /// Event id (a time-ordered UUID chosen by the caller).
    pub id: String,
    pub chain: String,
    pub occurred_at: NaiveDateTime,
    /// Who did it: `role:subject@org`.
    pub actor: &'a str,
    /// What was done, e.g. `participant.create`.
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: String,
    /// The change itself. Personal information goes in only as keyed hashes and masks.
    pub payload: &'a serde_json::Value,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The hash that links an event into its chain. Every field that matters is included,
/// each on its own line so that no two different events serialise alike.
#[allow(clippy::too_many_arguments)]
pub fn event_hash(
    chain: &str,
    position: i64,
    occurred_at: NaiveDateTime,
    actor: &str,
    action: &str,
    object_type: &str,
    object_id: &str,
    payload_hash: &str,
    prev_hash: &str,
) -> String {
    let canonical = format!(
        "ggzy-audit-v1\n{chain}\n{position}\n{}\n{actor}\n{action}\n{object_type}\n{object_id}\n{payload_hash}\n{prev_hash}",
        occurred_at.format("%Y-%m-%dT%H:%M:%S%.6f")
    );
    sha256_hex(canonical.as_bytes())
}

/// Appends one event to its chain. Must run inside the transaction of the change it
/// records. Concurrent appends to one chain queue on the chain's row of
/// `audit_chain_heads`, and should two ever read the same tail anyway they collide on UNIQUE
/// (chain, position) and one of them fails, rather than forking the chain.
pub fn append(conn: &mut DbConnection, event: NewAuditEvent<'_>) -> Result<AuditEventRow, StoreError> {
    let locked = lock_for_append(conn, event)?;
    insert_locked(conn, locked)
}

/// An event whose chain is locked (`lock_chain_head`) and whose position and hashes are
/// computed: the row it becomes but for the sequence number its insert returns. Inserted
/// by `insert_locked`, or by a statement that writes the change it records with it
/// (`bids::insert_recorded`), in the transaction that locked its chain.
#[derive(Debug)]
pub struct LockedAppend(AuditEventRow);

impl LockedAppend {
    /// The statement that inserts the event and returns its sequence number.
    pub(crate) fn insert(&self) -> crate::prepared::InsertAuditEvent<'_> {
        let row = &self.0;
        crate::prepared::InsertAuditEvent {
            id: &row.id,
            chain: &row.chain,
            position: row.position,
            occurred_at: row.occurred_at,
            actor: &row.actor,
            action: &row.action,
            object_type: &row.object_type,
            object_id: &row.object_id,
            payload: &row.payload,
            payload_hash: &row.payload_hash,
            prev_hash: &row.prev_hash,
            event_hash: &row.event_hash,
        }
    }

    /// The event as stored under the sequence number its insert returned.
    pub(crate) fn stored(self, seq: i64) -> AuditEventRow {
        AuditEventRow { seq, ..self.0 }
    }
}

/// Locks the event's chain and links the event to its tail: the first half of `append`.
pub fn lock_for_append(conn: &mut DbConnection, event: NewAuditEvent<'_>) -> Result<LockedAppend, StoreError> {
    let (last_position, last_hash) = lock_chain_head(conn, &event.chain)?;
    let (position, prev_hash) = (last_position + 1, last_hash);
    let occurred_at = crate::truncate_to_micros(event.occurred_at);
    // serde_json sorts object keys (no preserve_order), so this text is canonical.
    let payload = serde_json::to_string(event.payload).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let payload_hash = sha256_hex(payload.as_bytes());
    let hash = event_hash(
        &event.chain,
        position,
        occurred_at,
        event.actor,
        event.action,
        event.object_type,
        &event.object_id,
        &payload_hash,
        &prev_hash,
    );
    // The sequence number is the insert's to give.
    Ok(LockedAppend(AuditEventRow {
        seq: 0,
        id: event.id,
        chain: event.chain,
        position,
        occurred_at,
        actor: event.actor.to_owned(),
        action: event.action.to_owned(),
        object_type: event.object_type.to_owned(),
        object_id: event.object_id,
        payload,
        payload_hash,
        prev_hash,
        event_hash: hash,
    }))
}

/// Inserts an event its chain was locked for: the second half of `append`. The row is known
/// but for its sequence number, which the insert returns: no read back.
pub fn insert_locked(conn: &mut DbConnection, locked: LockedAppend) -> Result<AuditEventRow, StoreError> {
    let insert = locked.insert();
    let seq: i64 = match conn {
        DbConnection::Postgres(pg) => insert.get_result(pg)?,
        DbConnection::Sqlite(sqlite) => insert.get_result(sqlite)?,
    };
    Ok(locked.stored(seq))
}

/// Locks a chain for an append and reads its tail, in one statement: the position and hash
/// of its last event, or (0, the genesis hash) for a chain without events. The upsert locks
/// the chain's row of `audit_chain_heads` (inserting it for a new chain) until the
/// transaction ends; in READ COMMITTED an upsert that waited for a concurrent append returns
/// the row as that append left it, so bids of one project at its deadline queue here and each
/// links to the one before. The row follows audit_events by a trigger (migration
/// 2026-12-05-000035), which moves it to the appended event; a transaction that rolls back
/// takes its sentinel or its move with it. On SQLite appends are already one at a time (one
/// writer); the same statement reads the row there.
pub fn lock_chain_head(conn: &mut DbConnection, chain: &str) -> Result<(i64, String), StoreError> {
    // Written out (crate::prepared) so that it is prepared once per connection; the
    // multi-backend connection does not carry ON CONFLICT, so each backend runs it.
    let upsert = crate::prepared::LockChainHead { chain };
    let head = match conn {
        DbConnection::Postgres(pg) => upsert.get_result(pg)?,
        DbConnection::Sqlite(sqlite) => upsert.get_result(sqlite)?,
    };
    Ok(head)
}

/// The events of one chain, oldest first.
pub fn chain(conn: &mut DbConnection, chain: &str) -> Result<Vec<AuditEventRow>, StoreError> {
    audit_events::table
        .filter(audit_events::chain.eq(chain))
        .order(audit_events::position.asc())
        .select(AuditEventRow::as_select())
        .load(conn)
        .map_err(StoreError::from)
}

/// Why an event fails verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainFault {
    PayloadHashMismatch,
    EventHashMismatch,
    BrokenLink { expected_prev_hash: String },
    PositionGap { expected: i64 },
}

impl std::fmt::Display for ChainFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainFault::PayloadHashMismatch => write!(f, "payload does not match its payload_hash"),
            ChainFault::EventHashMismatch => write!(f, "event fields do not match its event_hash"),
            ChainFault::BrokenLink { expected_prev_hash } => {
                write!(f, "prev_hash does not match the previous event (expected {expected_prev_hash})")
            }
            ChainFault::PositionGap { expected } => write!(f, "position out of sequence (expected {expected})"),
        }
    }
}

/// The first event that fails verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadEvent {
    pub seq: i64,
    pub id: String,
    pub chain: String,
    pub position: i64,
    pub fault: ChainFault,
}

/// Result of verifying chains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub events_checked: u64,
    pub chains_checked: u64,
    pub first_bad: Option<BadEvent>,
}

/// Checks one event against the event before it in its chain (`None` for the first).
pub fn check_event(event: &AuditEventRow, previous: Option<(i64, &str)>) -> Option<ChainFault> {
    let (expected_position, expected_prev) = match previous {
        Some((position, hash)) => (position + 1, hash),
        None => (1, GENESIS_HASH),
    };
    if event.position != expected_position {
        return Some(ChainFault::PositionGap { expected: expected_position });
    }
    if event.prev_hash != expected_prev {
        return Some(ChainFault::BrokenLink { expected_prev_hash: expected_prev.to_owned() });
    }
    if sha256_hex(event.payload.as_bytes()) != event.payload_hash {
        return Some(ChainFault::PayloadHashMismatch);
    }
    let recomputed = event_hash(
        &event.chain,
        event.position,
        event.occurred_at,
        &event.actor,
        &event.action,
        &event.object_type,
        &event.object_id,
        &event.payload_hash,
        &event.prev_hash,
    );
    if recomputed != event.event_hash {
        return Some(ChainFault::EventHashMismatch);
    }
    None
}

/// Verifies every chain in the database, reading events in insertion order in batches, and
/// names the first bad event.
pub fn verify_all(conn: &mut DbConnection) -> Result<Verification, StoreError> {
    verify_all_counting(conn, &|_| true)
}

/// `verify_all`, with only the chains `counted` accepts in the counts: every chain is
/// verified, but the events of a chain whose size is itself a secret (the sealed chain of a
/// section before its opening) are not counted.
pub fn verify_all_counting(
    conn: &mut DbConnection,
    counted: &dyn Fn(&str) -> bool,
) -> Result<Verification, StoreError> {
    const BATCH: i64 = 1_000;
    let mut heads: std::collections::HashMap<String, (i64, String)> = std::collections::HashMap::new();
    let mut after = 0_i64;
    let mut checked = 0_u64;
    let chains_counted = |heads: &std::collections::HashMap<String, (i64, String)>| {
        heads.keys().filter(|chain| counted(chain)).count() as u64
    };
    loop {
        let batch: Vec<AuditEventRow> = audit_events::table
            .filter(audit_events::seq.gt(after))
            .order(audit_events::seq.asc())
            .limit(BATCH)
            .select(AuditEventRow::as_select())
            .load(conn)?;
        let Some(last) = batch.last() else { break };
        after = last.seq;
        for event in &batch {
            if counted(&event.chain) {
                checked += 1;
            }
            let previous = heads.get(&event.chain).map(|(p, h)| (*p, h.as_str()));
            if let Some(fault) = check_event(event, previous) {
                return Ok(Verification {
                    events_checked: checked,
                    chains_checked: chains_counted(&heads),
                    first_bad: Some(BadEvent {
                        seq: event.seq,
                        id: event.id.clone(),
                        chain: event.chain.clone(),
                        position: event.position,
                        fault,
                    }),
                });
            }
            heads.insert(event.chain.clone(), (event.position, event.event_hash.clone()));
        }
    }
    Ok(Verification { events_checked: checked, chains_checked: chains_counted(&heads), first_bad: None })
}

/// The distinct chains whose name starts with `prefix`.
/// Every event of these actions, in the order they were appended.
pub fn with_actions(conn: &mut DbConnection, actions: &[&str]) -> Result<Vec<AuditEventRow>, StoreError> {
    audit_events::table
        .filter(audit_events::action.eq_any(actions))
        .select(AuditEventRow::as_select())
        .order(audit_events::seq.asc())
        .load(conn)
        .map_err(StoreError::from)
}

pub fn chains_with_prefix(conn: &mut DbConnection, prefix: &str) -> Result<Vec<String>, StoreError> {
    audit_events::table
        .filter(audit_events::chain.like(format!("{prefix}%")))
        .select(audit_events::chain)
        .distinct()
        .load(conn)
        .map_err(StoreError::from)
}

/// Logs a read of a project's archive.
pub fn log_archive_read(
    conn: &mut DbConnection,
    project_id: &str,
    reader: &str,
    purpose: &str,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    use crate::schema::archive_reads;
    diesel::insert_into(archive_reads::table)
        .values((
            archive_reads::project_id.eq(project_id),
            archive_reads::reader.eq(reader),
            archive_reads::purpose.eq(purpose),
            archive_reads::read_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// (reader, purpose, read at) of every read of a project's archive, oldest first.
pub fn archive_reads(
    conn: &mut DbConnection,
    project_id: &str,
) -> Result<Vec<(String, String, NaiveDateTime)>, StoreError> {
    use crate::schema::archive_reads;
    archive_reads::table
        .filter(archive_reads::project_id.eq(project_id))
        .select((archive_reads::reader, archive_reads::purpose, archive_reads::read_at))
        .order(archive_reads::seq.asc())
        .load(conn)
        .map_err(StoreError::from)
}
