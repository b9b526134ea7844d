//! The participant registry (participant.register_once): market participants keyed by
//! unified social credit code, registered once and never asked to register again.

use ggzy_kernel::ParticipantId;
use ggzy_store::participants::{self as repo, ParticipantRow};

use crate::policy::{authorize, authorized, Action};
use crate::validate;
use crate::{ExistingRecord, Principal, ServiceError};
use ggzy_views::participants::{self as participants_views, registered_entry, updated_entry};
pub use ggzy_views::participants::{Participant, ParticipantPage};

/// Rule id of RULES.md cited when a code is registered twice.
pub const REGISTER_ONCE: &str = "participant.register_once";

pub use ggzy_credit::participant::{ParticipantKind, RegisterParticipant, UpdateParticipant, Warning};

fn already_registered(row: &ParticipantRow) -> ServiceError {
    let existing = ExistingRecord { id: row.id.clone(), href: format!("/api/v1/participants/{}", row.id) };
    ServiceError::AlreadyExists { what: "participant", rule: Some(REGISTER_ONCE), existing: Some(existing) }
}

/// Refuses a legal representative named by a person id that is not on record.
fn person_must_exist(conn: &mut ggzy_store::DbConnection, person_id: Option<&str>) -> Result<(), ServiceError> {
    let on_record = match person_id {
        Some(id) => ggzy_store::persons::find(conn, id)?.is_some(),
        None => false,
    };
    match ggzy_credit::participant::unknown_representative(person_id, on_record) {
        Some(problem) => Err(ServiceError::Invalid(vec![problem])),
        None => Ok(()),
    }
}

impl crate::contexts::Registry<'_> {
    /// Registers a participant once (participant.register_once); a known code answers with
    /// the existing record instead.
    #[tracing::instrument(skip_all)]
    pub fn register_participant(
        &self,
        principal: Option<&Principal>,
        request: RegisterParticipant,
    ) -> Result<Participant, ServiceError> {
        let principal = authorized(principal, Action::CreateParticipant)?;
        let valid = ggzy_credit::participant::read_registration(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        let id = ParticipantId::new_v7(self.now()).to_string();
        let row = participants_views::registered_row(id, valid, now);
        let outcome = self.store().write(|conn| {
            if let Some(found) = repo::find_by_credit_code(conn, &row.credit_code)? {
                return Err(already_registered(&found));
            }
            person_must_exist(conn, row.legal_representative_person_id.as_deref())?;
            repo::insert(conn, &row)?;
            let created = Participant::try_from(row.clone())?;
            crate::record_entry(conn, principal, now, registered_entry(&created))?;
            crate::idempotency::answer_created(self, conn, principal, &created)?;
            Ok(created)
        });
        match outcome {
            // Lost a race with a concurrent registration of the same code.
            Err(ServiceError::Conflict { .. }) => {
                match self.store().read(|conn| repo::find_by_credit_code(conn, &row.credit_code))? {
                    Some(found) => Err(already_registered(&found)),
                    None => Err(ServiceError::Conflict { detail: "并发写入冲突，请重试".into() }),
                }
            }
            other => other,
        }
    }

    #[tracing::instrument(skip_all, fields(participant_id = %id))]
    pub fn participant(&self, principal: Option<&Principal>, id: &str) -> Result<Participant, ServiceError> {
        authorize(principal, Action::ReadParticipant)?;
        let row = self.store().read(|conn| repo::find(conn, id))?;
        Ok(Participant::try_from(row.ok_or(ServiceError::NotFound { what: "participant" })?)?)
    }

    #[tracing::instrument(skip_all)]
    pub fn list_participants(
        &self,
        principal: Option<&Principal>,
        after: Option<String>,
        limit: Option<u32>,
    ) -> Result<ParticipantPage, ServiceError> {
        authorize(principal, Action::ReadParticipant)?;
        let page = validate::page(after, limit)?;
        let mut rows = self.store().read(|conn| repo::list(conn, page.after.as_deref(), i64::from(page.limit) + 1))?;
        let next_cursor = validate::next_cursor(&mut rows, page.limit, |row| row.id.clone());
        Ok(ParticipantPage {
            items: rows.into_iter().map(Participant::try_from).collect::<Result<_, _>>()?,
            next_cursor,
        })
    }

    #[tracing::instrument(skip_all, fields(participant_id = %id))]
    pub fn update_participant(
        &self,
        principal: Option<&Principal>,
        id: &str,
        request: UpdateParticipant,
    ) -> Result<Participant, ServiceError> {
        let principal = authorized(principal, Action::UpdateParticipant { participant_id: id })?;
        let update = ggzy_credit::participant::read_update(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            let current = repo::find(conn, id)?.ok_or(ServiceError::NotFound { what: "participant" })?;
            person_must_exist(conn, update.legal_representative_person_id.as_deref())?;
            let Some(changed) = participants_views::updated_row(&current, update.clone(), now) else {
                return Ok(Participant::try_from(current)?);
            };
            if !repo::update(conn, &changed, current.version)? {
                return Err(ServiceError::Conflict {
                    detail: "该主体已被他人修改，请重新读取后再试".into()
                });
            }
            let updated = Participant::try_from(changed)?;
            crate::record_entry(conn, principal, now, updated_entry(&Participant::try_from(current)?, &updated))?;
            Ok(updated)
        })
    }
}

/// Whether a stored participant is registered as `kind`.
pub(crate) fn is_kind(row: &ggzy_store::participants::ParticipantRow, kind: ParticipantKind) -> bool {
    row.kinds.split(',').any(|k| k == kind.as_str())
}
