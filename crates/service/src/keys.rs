//! Rotating the bid master key without stopping: servers are restarted one by one with the
//! new key as `GGZY_BID_MASTER_KEY` and the old one as `GGZY_BID_MASTER_KEY_PREVIOUS`
//! (what the old key wrapped still opens; everything new is wrapped with the new key),
//! then `ggzy keys rotate-bid-master` re-wraps, in one transaction, every section key and
//! every sealed stored answer still under the old key, after which the old key can go.
//! Bids sealed by their bidders are not under this key at all: only the platform-sealed
//! ones are.

use crate::{Platform, ServiceError};
pub use ggzy_views::keys::MasterKeyRotation;

impl Platform {
    /// Re-wraps under the current master key everything still under a previous one, in one
    /// transaction; fails, changing nothing, if anything opens under none of the keys.
    pub fn rotate_bid_master_key(&self) -> Result<MasterKeyRotation, ServiceError> {
        let masters = self.bid_master_keys()?;
        let current = self.bid_master_key()?;
        self.store().write(|conn| {
            let mut rotation = MasterKeyRotation::default();
            for (section_id, wrapped) in ggzy_store::bids::all_wrapped_keys(conn)? {
                let (key, under) = crate::sealing::unwrap_with_any(&masters, &wrapped, &section_id)?;
                if under == 0 {
                    rotation.section_keys_current += 1;
                    continue;
                }
                ggzy_store::bids::rewrap_key(conn, &section_id, &crate::sealing::wrap(current, &key, &section_id)?)?;
                rotation.section_keys_rewrapped += 1;
            }
            let prefix = crate::idempotency::SEALED_ANSWER;
            for (scope, key, body) in ggzy_store::idempotency::answers_with_prefix(conn, prefix)? {
                let sealed = body.strip_prefix(prefix).unwrap_or(&body);
                let context = crate::idempotency::answer_context(&scope, &key);
                let (plain, under) = crate::sealing::open_with_any(&masters, sealed, &context)?;
                if under == 0 {
                    rotation.answers_current += 1;
                    continue;
                }
                let resealed = format!("{prefix}{}", crate::sealing::seal(current, &plain, &context)?);
                ggzy_store::idempotency::replace_answer_body(conn, &scope, &key, &resealed)?;
                rotation.answers_resealed += 1;
            }
            Ok(rotation)
        })
    }
}
