//! Verification of the audit chains.

use serde::Serialize;
use utoipa::ToSchema;

use crate::policy::{authorize, Action};
use crate::{Platform, Principal, ServiceError};

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

impl Platform {
    /// Recomputes every chain and names the first bad event.
    #[tracing::instrument(skip_all)]
    pub fn verify_audit(&self, principal: Option<&Principal>) -> Result<AuditVerification, ServiceError> {
        authorize(principal, Action::VerifyAudit)?;
        self.verify_audit_unchecked()
    }

    /// The same check for operators at the command line (`ggzy audit verify`), who already
    /// hold the database credentials.
    pub fn verify_audit_unchecked(&self) -> Result<AuditVerification, ServiceError> {
        let verification = self.store().read(|conn| -> Result<_, ServiceError> {
            // The sealed chains of sections not yet opened are verified but not counted: their
            // size would tell how many acts on bids and bonds there were (招标投标法 §22).
            let prefix = crate::bids::SEALED_CHAIN_PREFIX;
            let mut uncounted = std::collections::HashSet::new();
            for chain in ggzy_store::audit::chains_with_prefix(conn, prefix)? {
                if crate::bids::sealed_section(conn, chain.trim_start_matches(prefix))? {
                    uncounted.insert(chain);
                }
            }
            Ok(ggzy_store::audit::verify_all_counting(conn, &|chain| !uncounted.contains(chain))?)
        })?;
        Ok(verification.into())
    }
}
