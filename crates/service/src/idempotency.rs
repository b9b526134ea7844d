//! Idempotency keys for creating and money-moving POSTs: the gateway claims the key before
//! the request runs; the transaction that makes the request's change marks the key (every
//! audited command does, in `record`), and the commands whose answer is their created view
//! store that answer in the same transaction. A retry with the same key and body gets the
//! first answer again and never makes the change twice, even when the server died between
//! the commit and the answer.

use ggzy_store::idempotency::{self as repo, Claim, IdempotencyRow, Mark};
use ggzy_store::DbConnection;

use crate::{Platform, Principal, ServiceError};

/// Stored answers are sealed under the platform's master key, bound to their key: an answer
/// may be a bid, and no price lies in the database in clear before the opening.
pub(crate) const SEALED_ANSWER: &str = "sealed:v1:";

pub(crate) fn answer_context(scope: &str, key: &str) -> String {
    format!("idempotent-answer:{scope}:{key}")
}

impl Platform {
    /// The answer as stored: sealed when the platform has a master key.
    fn stored_answer(&self, scope: &str, key: &str, body: &str) -> Result<String, ServiceError> {
        match self.bid_master_key.as_deref() {
            Some(master) => Ok(format!(
                "{SEALED_ANSWER}{}",
                crate::sealing::seal(master, body.as_bytes(), &answer_context(scope, key))?
            )),
            None => Ok(body.to_owned()),
        }
    }

    /// The answer to replay; answers stored before sealing replay as they are.
    fn replayed_answer(&self, scope: &str, key: &str, stored: String) -> Result<String, ServiceError> {
        let Some(sealed) = stored.strip_prefix(SEALED_ANSWER) else { return Ok(stored) };
        let (plain, _) = crate::sealing::open_with_any(&self.bid_master_keys()?, sealed, &answer_context(scope, key))?;
        String::from_utf8(plain).map_err(|e| ServiceError::Internal(format!("stored answer: {e}")))
    }
}

/// What the gateway should do with a request carrying a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyState {
    /// Run the request holding the key with this claim token, then `finish_idempotent` or
    /// `abandon_idempotent`.
    Run { claim: String },
    /// Answer again with the stored response.
    Replay { status: u16, content_type: String, body: String },
    /// The same key was used with another request.
    Mismatch,
    /// The first request with this key is still running.
    InProgress,
    /// The first request's change committed but the server stopped before its answer was
    /// stored (commands that do not store their answer in their transaction): the change is
    /// not made again; `object` (`type:id`) says what it changed.
    AppliedWithoutAnswer { object: String },
}

impl Platform {
    pub fn claim_idempotency_key(&self, scope: &str, key: &str, fingerprint: &str) -> Result<KeyState, ServiceError> {
        let now = self.now_naive();
        let claim = self.fresh_id();
        let row = IdempotencyRow {
            scope: scope.to_owned(),
            key: key.to_owned(),
            fingerprint: fingerprint.to_owned(),
            status: None,
            content_type: None,
            body: None,
            created_at: now,
            claim: Some(claim.clone()),
            applied_object: None,
        };
        let found = self
            .store()
            .write(|conn| repo::claim(conn, &row, now - self.idempotency_stale_after).map_err(ServiceError::from));
        match found {
            Ok(Claim::Claimed) => Ok(KeyState::Run { claim }),
            Ok(Claim::Existing(found)) if found.fingerprint != fingerprint => Ok(KeyState::Mismatch),
            Ok(Claim::Existing(found)) => match (found.status, found.content_type, found.body, found.applied_object) {
                (Some(status), Some(content_type), Some(body), _) => Ok(KeyState::Replay {
                    status: ggzy_kernel::stored_count("idempotency_keys.status", i64::from(status))?,
                    content_type,
                    body: self.replayed_answer(scope, key, body)?,
                }),
                (_, _, _, Some(object)) if found.created_at < now - self.idempotency_stale_after => {
                    Ok(KeyState::AppliedWithoutAnswer { object })
                }
                _ => Ok(KeyState::InProgress),
            },
            // Two requests inserted the key at once: the other one runs.
            Err(ServiceError::Conflict { .. }) => Ok(KeyState::InProgress),
            Err(other) => Err(other),
        }
    }

    /// Stores the answer after the request, unless its transaction stored one already.
    pub fn finish_idempotent(
        &self,
        key: &crate::RequestKey,
        status: u16,
        content_type: &str,
        body: &str,
    ) -> Result<(), ServiceError> {
        let body = self.stored_answer(&key.scope, &key.key, body)?;
        self.store().write(|conn| {
            repo::answer(conn, &key.scope, &key.key, &key.claim, i32::from(status), content_type, &body)
                .map(|_| ())
                .map_err(ServiceError::from)
        })
    }

    /// Frees the key after a failure on the platform's side, unless a change was committed.
    pub fn abandon_idempotent(&self, key: &crate::RequestKey) -> Result<(), ServiceError> {
        self.store().write(|conn| repo::release(conn, &key.scope, &key.key, &key.claim).map_err(ServiceError::from))
    }
}

/// Marks the caller's key, inside the transaction making the change; refuses the change when
/// another request holds the key now (a retry took over) or already answered it.
pub(crate) fn mark_applied(
    conn: &mut DbConnection,
    principal: &Principal,
    object_type: &str,
    object_id: &str,
) -> Result<(), ServiceError> {
    let Some(key) = &principal.request_key else {
        return Ok(());
    };
    match repo::mark_applied(conn, &key.scope, &key.key, &key.claim, &format!("{object_type}:{object_id}"))? {
        Mark::Marked => Ok(()),
        Mark::Lost => Err(ServiceError::Conflict {
            detail: "使用同一 Idempotency-Key 的另一请求已在处理或已完成，本请求未作任何更改".into(),
        }),
    }
}

/// Stores `view` as the caller's `201 Created` answer inside the transaction that created
/// it, so that a retry after a crash replays it.
pub(crate) fn answer_created<T: serde::Serialize>(
    platform: &Platform,
    conn: &mut DbConnection,
    principal: &Principal,
    view: &T,
) -> Result<(), ServiceError> {
    let Some(key) = &principal.request_key else {
        return Ok(());
    };
    let body = platform.stored_answer(&key.scope, &key.key, &crate::json_text(view)?)?;
    repo::answer(conn, &key.scope, &key.key, &key.claim, 201, "application/json", &body)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use ggzy_kernel::ManualClock;

    use super::*;
    use crate::participants::RegisterParticipant;
    use crate::{RequestKey, Role};

    const SCOPE: &str = "centre_staff:wang@centre";

    fn platform(dir: &tempfile::TempDir) -> (Platform, Arc<ManualClock>) {
        let url = format!("sqlite://{}", dir.path().join("ggzy.db").display());
        let store = ggzy_store::Store::open(&ggzy_store::StoreConfig::new(url)).unwrap();
        store.migrate().unwrap();
        let clock = Arc::new(ManualClock::new("2026-11-02T01:00:00Z".parse().unwrap()));
        (Platform::new(store, clock.clone(), b"test pii key".to_vec()), clock)
    }

    fn centre(key: &str, state: &KeyState) -> Principal {
        let KeyState::Run { claim } = state else { panic!("expected to run, got {state:?}") };
        Principal {
            subject: "wang".into(),
            role: Role::CentreStaff,
            org: Some("centre".into()),
            scopes: vec![],
            request_key: Some(RequestKey { scope: SCOPE.into(), key: key.into(), claim: claim.clone() }),
        }
    }

    fn registration() -> RegisterParticipant {
        RegisterParticipant {
            credit_code: Some("91110000600037341L".into()),
            name: Some("北京某某建设有限公司".into()),
            kinds: Some(vec!["bidder".into()]),
            legal_representative: Some("张三".into()),
            legal_representative_person_id: None,
        }
    }

    fn participants(platform: &Platform) -> usize {
        let principal = Principal {
            subject: "wang".into(),
            role: Role::CentreStaff,
            org: Some("centre".into()),
            scopes: vec![],
            request_key: None,
        };
        platform.registry().list_participants(Some(&principal), None, Some(100)).unwrap().items.len()
    }

    #[test]
    fn a_change_committed_before_a_crash_is_replayed_not_made_again() {
        let dir = tempfile::tempdir().unwrap();
        let (platform, clock) = platform(&dir);
        let first = platform.claim_idempotency_key(SCOPE, "reg-1", "fp").unwrap();
        let created = platform.registry().register_participant(Some(&centre("reg-1", &first)), registration()).unwrap();
        // The server dies here: the gateway never stores the answer. The retry comes after
        // the claim is stale.
        clock.advance(chrono::Duration::minutes(10));
        match platform.claim_idempotency_key(SCOPE, "reg-1", "fp").unwrap() {
            KeyState::Replay { status, body, .. } => {
                assert_eq!(status, 201);
                let replayed: serde_json::Value = serde_json::from_str(&body).unwrap();
                assert_eq!(replayed["id"], created.id.as_str());
            }
            other => panic!("expected the stored answer, got {other:?}"),
        }
        assert_eq!(participants(&platform), 1);
    }

    #[test]
    fn a_claim_taken_over_from_a_stalled_request_keeps_that_request_from_committing() {
        let dir = tempfile::tempdir().unwrap();
        let (platform, clock) = platform(&dir);
        let stalled = platform.claim_idempotency_key(SCOPE, "reg-2", "fp").unwrap();
        clock.advance(chrono::Duration::minutes(10));
        let retry = platform.claim_idempotency_key(SCOPE, "reg-2", "fp").unwrap();
        assert_ne!(retry, stalled, "a new claim token");
        // The stalled request wakes up and tries to commit: refused, nothing stored.
        let late = platform.registry().register_participant(Some(&centre("reg-2", &stalled)), registration());
        assert!(matches!(late, Err(ServiceError::Conflict { .. })), "{late:?}");
        assert_eq!(participants(&platform), 0);
        platform.registry().register_participant(Some(&centre("reg-2", &retry)), registration()).unwrap();
        assert_eq!(participants(&platform), 1);
        assert!(matches!(
            platform.claim_idempotency_key(SCOPE, "reg-2", "fp").unwrap(),
            KeyState::Replay { status: 201, .. }
        ));
    }

    #[test]
    fn a_change_whose_answer_was_lost_is_reported_not_repeated() {
        let dir = tempfile::tempdir().unwrap();
        let (platform, clock) = platform(&dir);
        let claimed = platform.claim_idempotency_key(SCOPE, "op-3", "fp").unwrap();
        let principal = centre("op-3", &claimed);
        // A command that marks the key in its transaction but leaves the answer to the gateway.
        platform.store().write(|conn| mark_applied(conn, &principal, "thing", "t-1")).unwrap();
        assert_eq!(platform.claim_idempotency_key(SCOPE, "op-3", "fp").unwrap(), KeyState::InProgress);
        clock.advance(chrono::Duration::minutes(10));
        assert_eq!(
            platform.claim_idempotency_key(SCOPE, "op-3", "fp").unwrap(),
            KeyState::AppliedWithoutAnswer { object: "thing:t-1".into() }
        );
        // Freeing the key after a failure does not free a key whose change committed.
        let Some(key) = principal.request_key.as_ref() else { unreachable!() };
        platform.abandon_idempotent(key).unwrap();
        assert!(matches!(
            platform.claim_idempotency_key(SCOPE, "op-3", "fp").unwrap(),
            KeyState::AppliedWithoutAnswer { .. }
        ));
    }
}
