//! Use cases of ggzy. Each command runs in one transaction that also appends its audit
//! event; every request passes the one deny-by-default policy (`ggzy_policy`, asked through
//! `policy`) before anything is read or written. The request and response shapes of the API
//! are `ggzy_views` types, re-exported from the module of their use case; the gateway only
//! extracts, calls one function and maps the result.

pub mod announcements;
pub mod archive;
pub mod audit;
pub mod backup;
pub mod bids;
pub mod bonds;
pub mod calendar;
pub mod clocks;
pub mod complaints;
pub mod contexts;
pub mod credit;
pub mod deadlines;
pub mod departments;
pub mod documents;
mod error;
pub mod evaluation;
pub mod events;
pub mod idempotency;
pub mod inboxes;
pub mod keys;
pub mod listings;
pub mod objections;
pub mod ocds;
pub mod officials;
pub mod participants;
pub mod persons;
pub mod policy;
pub use ggzy_policy::principal;
pub mod proceedings;
pub mod projects;
pub mod reports;
pub mod risk;
pub mod rules;
pub mod sealed_bids;
mod sealing;
pub mod search;
pub mod service_accounts;
pub mod service_quality;
pub mod staff;
pub mod statistics;
mod stored;
mod validate;
pub mod violations;
pub mod webhooks;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use ggzy_kernel::Clock;
use ggzy_store::Store;

pub use contexts::{Bonds, Credit, Disclosure, Evaluation, Listings, Oversight, Registry, Rules, Tendering};
pub use error::{ExistingRecord, ServiceError};
pub use principal::{Principal, RequestKey, Role};

/// What every use case shares: the store, the injected clock, the keys, the rule-set and
/// calendar readers. The use cases themselves belong to the bounded contexts of
/// [`contexts`], reached from here (`platform.credit()`, `platform.bonds()` …).
#[derive(Clone)]
pub struct Platform {
    store: Store,
    clock: Arc<dyn Clock>,
    pii_key: Arc<[u8]>,
    bid_master_key: Option<Arc<[u8; 32]>>,
    /// Master keys being rotated away from: what they wrapped still opens, nothing new is
    /// wrapped with them (`keys::rotate_bid_master_key` re-wraps under the current one).
    previous_bid_master_keys: Arc<Vec<[u8; 32]>>,
    /// How long an Idempotency-Key claim without an answer blocks retries before it is taken
    /// to belong to a request that died.
    idempotency_stale_after: chrono::Duration,
    /// From this Beijing month and day on, a missing official calendar of next year is
    /// warned about (metrics, deadline watch, a daily notification to platform admins).
    calendar_warning_from: (u32, u32),
    /// Who publishes the OCDS output and under which ocid prefix.
    ocds: Arc<ocds::OcdsPublication>,
}

impl std::fmt::Debug for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Platform").field("store", &self.store).field("clock", &self.clock).finish_non_exhaustive()
    }
}

impl Platform {
    /// `pii_key` keys the hashes of resident identity numbers; changing it makes every
    /// stored hash unmatchable, so it is kept with the data.
    pub fn new(store: Store, clock: Arc<dyn Clock>, pii_key: Vec<u8>) -> Self {
        Platform {
            store,
            clock,
            pii_key: pii_key.into(),
            bid_master_key: None,
            previous_bid_master_keys: Arc::new(Vec::new()),
            idempotency_stale_after: chrono::Duration::minutes(5),
            calendar_warning_from: (11, 1),
            ocds: Arc::new(ocds::OcdsPublication::default()),
        }
    }

    /// The OCDS publisher, ocid prefix and public address.
    pub fn with_ocds_publication(mut self, publication: ocds::OcdsPublication) -> Self {
        self.ocds = Arc::new(publication);
        self
    }

    pub(crate) fn ocds(&self) -> &ocds::OcdsPublication {
        &self.ocds
    }

    /// From which Beijing month and day (default 1 November) a missing official calendar
    /// of next year is warned about. Values that name no day of a leap year keep the default.
    pub fn with_calendar_warning_from(mut self, month: u32, day: u32) -> Self {
        if chrono::NaiveDate::from_ymd_opt(2024, month, day).is_some() {
            self.calendar_warning_from = (month, day);
        }
        self
    }

    pub(crate) fn calendar_warning_from(&self) -> (u32, u32) {
        self.calendar_warning_from
    }

    /// How long an unanswered Idempotency-Key claim stands (default five minutes).
    pub fn with_idempotency_stale_after(mut self, seconds: u64) -> Self {
        self.idempotency_stale_after = chrono::Duration::seconds(i64::try_from(seconds).unwrap_or(i64::MAX / 1000));
        self
    }

    /// The master key that wraps the per-section keys of sealed bids; without it no bid can
    /// be taken or opened.
    pub fn with_bid_master_key(mut self, key: [u8; 32]) -> Self {
        self.bid_master_key = Some(Arc::new(key));
        self
    }

    /// A master key being rotated away from (`GGZY_BID_MASTER_KEY_PREVIOUS`).
    pub fn with_previous_bid_master_key(mut self, key: [u8; 32]) -> Self {
        let mut keys = self.previous_bid_master_keys.as_ref().clone();
        keys.push(key);
        self.previous_bid_master_keys = Arc::new(keys);
        self
    }

    /// The current master key, then those being rotated away from.
    pub(crate) fn bid_master_keys(&self) -> Result<Vec<&[u8; 32]>, ServiceError> {
        let mut keys = vec![self.bid_master_key()?];
        keys.extend(self.previous_bid_master_keys.iter());
        Ok(keys)
    }

    pub(crate) fn bid_master_key(&self) -> Result<&[u8; 32], ServiceError> {
        self.bid_master_key.as_deref().ok_or_else(|| ServiceError::Internal("no bid master key configured".into()))
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// A fresh time-ordered id (UUID v7) from the injected clock.
    pub(crate) fn fresh_id(&self) -> String {
        ggzy_kernel::ids::v7_at(self.clock.now()).to_string()
    }

    pub(crate) fn now_naive(&self) -> chrono::NaiveDateTime {
        ggzy_store::truncate_to_micros(self.clock.now().naive_utc())
    }
}

/// The seeded department of the comprehensive regulator (公管办), which supervises what no
/// industry regulator has, and that of the inspectors (纪检监察).
pub(crate) const COMPREHENSIVE_REGULATOR: &str = "gongguanban";
pub(crate) const INSPECTORS: &str = "jijian";

/// The department that supervises a project: its industry regulator, or 公管办 while none is
/// assigned, or when there is no (single) project.
pub(crate) fn supervising_department(project: Option<&ggzy_store::projects::ProjectRow>) -> String {
    project.and_then(|p| p.regulator_id.clone()).unwrap_or_else(|| COMPREHENSIVE_REGULATOR.into())
}

/// A stored UTC timestamp as an instant.
pub(crate) fn utc(t: chrono::NaiveDateTime) -> DateTime<Utc> {
    DateTime::from_naive_utc_and_offset(t, Utc)
}

/// JSON text for a column that holds JSON.
pub(crate) fn json_text<T: serde::Serialize>(value: &T) -> Result<String, ServiceError> {
    serde_json::to_string(value).map_err(|e| ServiceError::Internal(e.to_string()))
}

/// A JSON column read back; `what` names it in the (logged, never sent) error.
pub(crate) fn from_json_column<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, ServiceError> {
    serde_json::from_str(text).map_err(|e| ServiceError::Internal(format!("stored {what}: {e}")))
}

/// Appends the audit event ggzy-views built for a command, inside its transaction, and
/// what follows from it there: the event stream, the parties' notices, the OCDS release and
/// the mark on the caller's idempotency key.
pub(crate) fn record_entry<P: serde::Serialize>(
    conn: &mut ggzy_store::DbConnection,
    principal: &Principal,
    at: chrono::NaiveDateTime,
    entry: ggzy_views::audit_entry::AuditEntry<P>,
) -> Result<(), ServiceError> {
    record_entry_with(conn, principal, at, entry, |conn, event| Ok(ggzy_store::audit::insert_locked(conn, event)?))
}

/// `record_entry` whose event `insert` writes, with its chain locked and its hashes linked:
/// a command whose own write can carry the event's insert in the same statement saves a
/// round trip (`ggzy_store::bids::insert_recorded`).
pub(crate) fn record_entry_with<P: serde::Serialize>(
    conn: &mut ggzy_store::DbConnection,
    principal: &Principal,
    at: chrono::NaiveDateTime,
    entry: ggzy_views::audit_entry::AuditEntry<P>,
    insert: impl FnOnce(
        &mut ggzy_store::DbConnection,
        ggzy_store::audit::LockedAppend,
    ) -> Result<ggzy_store::audit::AuditEventRow, ServiceError>,
) -> Result<(), ServiceError> {
    let ggzy_views::audit_entry::AuditEntry { chain, action, object_type, object_id, payload } = entry;
    let at_utc = DateTime::<Utc>::from_naive_utc_and_offset(at, Utc);
    let locked = ggzy_store::audit::lock_for_append(
        conn,
        ggzy_store::audit::NewAuditEvent {
            id: ggzy_kernel::AuditEventId::new_v7(at_utc).to_string(),
            chain,
            occurred_at: at,
            actor: &principal.actor(),
            action: action.as_str(),
            object_type,
            object_id,
            payload: &payload_of(&payload)?,
        },
    )?;
    let event = insert(conn, locked)?;
    events::publish(conn, action, &event.object_type, &event.object_id, &event.chain, at)?;
    inboxes::notify_parties(conn, action, &event.object_id, at)?;
    ocds::record_release(conn, action, &event.object_id, &event.chain, at)?;
    idempotency::mark_applied(conn, principal, &event.object_type, &event.object_id)
}

/// Serialises a view for an audit payload.
pub(crate) fn payload_of<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, ServiceError> {
    serde_json::to_value(value).map_err(|e| ServiceError::Internal(e.to_string()))
}
