//! Natural persons: agent staff, project managers, legal representatives. The resident
//! identity number is personal information (RULES.md, Identifiers): it is kept only as a
//! keyed hash plus a masked form and is never returned whole.

use ggzy_kernel::{PersonId, ResidentId};
use ggzy_store::persons::{self as repo, PersonRow};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::policy::{authorize, authorized, Action};
use crate::validate;
use crate::{ExistingRecord, Principal, ServiceError};
pub use ggzy_views::persons::{Person, PersonPage, RegisterPerson};

impl crate::contexts::Registry<'_> {
    /// HMAC-SHA256 of the number under the platform's personal-information key.
    fn id_number_hash(&self, id: &ResidentId) -> Result<String, ServiceError> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.pii_key).map_err(|e| ServiceError::Internal(e.to_string()))?;
        mac.update(id.as_str().as_bytes());
        Ok(hex::encode(mac.finalize().into_bytes()))
    }

    #[tracing::instrument(skip_all)]
    pub fn register_person(
        &self,
        principal: Option<&Principal>,
        request: RegisterPerson,
    ) -> Result<Person, ServiceError> {
        let read = request.read();
        let employer_id = read.employer_id;
        let principal = authorized(principal, Action::CreatePerson { employer_id: employer_id.as_deref() })?;
        let (name, id_number) = read.values.map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        let id = PersonId::new_v7(self.now()).to_string();
        let hash = self.id_number_hash(&id_number)?;
        let row = ggzy_views::persons::registered_row(id, name, &id_number, hash, employer_id, now);
        // The existing person is named only to a caller who may read it: to anyone else the
        // answer would confirm whose the identity number is.
        let already = |found: &PersonRow| ServiceError::AlreadyExists {
            what: "person",
            rule: None,
            existing: authorize(Some(principal), Action::ReadPerson { employer_id: found.employer_id.as_deref() })
                .is_ok()
                .then(|| ExistingRecord { id: found.id.clone(), href: format!("/api/v1/persons/{}", found.id) }),
        };
        let outcome = self.store().write(|conn| {
            if let Some(found) = repo::find_by_id_number_hash(conn, &row.id_number_hash)? {
                return Err(already(&found));
            }
            if let Some(employer) = &row.employer_id {
                if ggzy_store::participants::find(conn, employer)?.is_none() {
                    return Err(ServiceError::Invalid(vec![ggzy_views::persons::unknown_employer()]));
                }
            }
            repo::insert(conn, &row)?;
            let created = Person::from(row.clone());
            crate::record_entry(conn, principal, now, ggzy_views::persons::registered_entry(&created))?;
            crate::idempotency::answer_created(self, conn, principal, &created)?;
            Ok(created)
        });
        match outcome {
            Err(ServiceError::Conflict { .. }) => {
                match self.store().read(|conn| repo::find_by_id_number_hash(conn, &row.id_number_hash))? {
                    Some(found) => Err(already(&found)),
                    None => Err(ServiceError::Conflict { detail: "并发写入冲突，请重试".into() }),
                }
            }
            other => other,
        }
    }

    #[tracing::instrument(skip_all, fields(person_id = %id))]
    pub fn person(&self, principal: Option<&Principal>, id: &str) -> Result<Person, ServiceError> {
        // Decide on the stored employer, then answer not-found for what the caller may not
        // see, so that existence does not leak.
        if principal.is_none() {
            return Err(ServiceError::Unauthenticated);
        }
        let row = self.store().read(|conn| repo::find(conn, id))?;
        let Some(row) = row else { return Err(ServiceError::NotFound { what: "person" }) };
        match authorize(principal, Action::ReadPerson { employer_id: row.employer_id.as_deref() }) {
            Ok(()) => Ok(Person::from(row)),
            Err(ServiceError::Forbidden { .. }) => Err(ServiceError::NotFound { what: "person" }),
            Err(other) => Err(other),
        }
    }

    #[tracing::instrument(skip_all)]
    pub fn list_persons(
        &self,
        principal: Option<&Principal>,
        employer_id: Option<String>,
        after: Option<String>,
        limit: Option<u32>,
    ) -> Result<PersonPage, ServiceError> {
        authorize(principal, Action::ListPersons { employer_id: employer_id.as_deref() })?;
        let page = validate::page(after, limit)?;
        let mut rows = self
            .store()
            .read(|conn| repo::list(conn, employer_id.as_deref(), page.after.as_deref(), i64::from(page.limit) + 1))?;
        let next_cursor = validate::next_cursor(&mut rows, page.limit, |row| row.id.clone());
        Ok(PersonPage { items: rows.into_iter().map(Person::from).collect(), next_cursor })
    }
}
