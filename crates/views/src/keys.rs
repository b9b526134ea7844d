//! Response and request bodies of keys (see `ggzy_service::keys` for the use cases).

use serde::Serialize;

/// What a rotation did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MasterKeyRotation {
    /// Section keys re-wrapped under the current master key.
    pub section_keys_rewrapped: usize,
    /// Section keys already under it.
    pub section_keys_current: usize,
    /// Sealed stored answers (Idempotency-Key replays) sealed again under it.
    pub answers_resealed: usize,
    pub answers_current: usize,
}
