//! Verification of the audit chains.

use crate::policy::{authorize, Action};
use crate::{Platform, Principal, ServiceError};
pub use ggzy_views::audit::{AuditVerification, BadAuditEvent};

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
