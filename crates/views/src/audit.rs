//! Response and request bodies of audit (see `ggzy_service::audit` for the use cases).

use serde::Serialize;
use utoipa::ToSchema;

/// The first event that failed verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct BadAuditEvent {
    pub seq: i64,
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    pub chain: String,
    pub position: i64,
    /// What is wrong with it.
    pub fault: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AuditVerification {
    /// True when every chain verified.
    pub valid: bool,
    /// Events and chains checked, leaving out of the count (not out of the check) the sealed
    /// chains of sections not yet opened.
    pub events_checked: u64,
    pub chains_checked: u64,
    pub first_bad_event: Option<BadAuditEvent>,
}

impl From<ggzy_store::audit::Verification> for AuditVerification {
    fn from(v: ggzy_store::audit::Verification) -> Self {
        AuditVerification {
            valid: v.first_bad.is_none(),
            events_checked: v.events_checked,
            chains_checked: v.chains_checked,
            first_bad_event: v.first_bad.map(|b| BadAuditEvent {
                seq: b.seq,
                id: b.id,
                chain: b.chain,
                position: b.position,
                fault: b.fault.to_string(),
            }),
        }
    }
}
