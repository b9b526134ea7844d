//! Idempotency keys for creating and money-moving POSTs: the gateway claims the key before
//! the request runs and stores the first answer after; a retry with the same key and body
//! gets that answer again.

use ggzy_store::idempotency::{self as repo, Claim, IdempotencyRow};

use crate::{Platform, ServiceError};

/// What the gateway should do with a request carrying a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyState {
    /// Run the request, then `finish_idempotent` or `abandon_idempotent`.
    Run,
    /// Answer again with the stored response.
    Replay { status: u16, content_type: String, body: String },
    /// The same key was used with another request.
    Mismatch,
    /// The first request with this key is still running.
    InProgress,
}

impl Platform {
    pub fn claim_idempotency_key(&self, scope: &str, key: &str, fingerprint: &str) -> Result<KeyState, ServiceError> {
        let now = self.now_naive();
        let row = IdempotencyRow {
            scope: scope.to_owned(),
            key: key.to_owned(),
            fingerprint: fingerprint.to_owned(),
            status: None,
            content_type: None,
            body: None,
            created_at: now,
        };
        let claim = self
            .store()
            .write(|conn| repo::claim(conn, &row, now - self.idempotency_stale_after).map_err(ServiceError::from));
        match claim {
            Ok(Claim::Claimed) => Ok(KeyState::Run),
            Ok(Claim::Existing(found)) if found.fingerprint != fingerprint => Ok(KeyState::Mismatch),
            Ok(Claim::Existing(found)) => match (found.status, found.content_type, found.body) {
                (Some(status), Some(content_type), Some(body)) => {
                    Ok(KeyState::Replay { status: u16::try_from(status).unwrap_or(500), content_type, body })
                }
                _ => Ok(KeyState::InProgress),
            },
            // Two requests inserted the key at once: the other one runs.
            Err(ServiceError::Conflict { .. }) => Ok(KeyState::InProgress),
            Err(other) => Err(other),
        }
    }

    pub fn finish_idempotent(
        &self,
        scope: &str,
        key: &str,
        status: u16,
        content_type: &str,
        body: &str,
    ) -> Result<(), ServiceError> {
        self.store().write(|conn| {
            repo::complete(conn, scope, key, i32::from(status), content_type, body).map_err(ServiceError::from)
        })
    }

    pub fn abandon_idempotent(&self, scope: &str, key: &str) -> Result<(), ServiceError> {
        self.store().write(|conn| repo::release(conn, scope, key).map_err(ServiceError::from))
    }
}
