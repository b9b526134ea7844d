//! Service accounts for other district systems: client credentials whose secret is shown
//! once and stored only as an argon2 hash.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::Engine;
use ggzy_kernel::ServiceAccountId;
use ggzy_store::service_accounts as repo;
use rand::RngCore;

use crate::policy::{authorize, authorized, Action, SCOPES};
use crate::validate;
use crate::{Principal, ServiceError};
pub use ggzy_views::service_accounts::{
    CreateServiceAccount, CreatedServiceAccount, ServiceAccount, ServiceAccountPage,
};

fn random_token(bytes: usize) -> String {
    let mut buf = vec![0_u8; bytes];
    rand::thread_rng().fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

fn hash_secret(secret: &str) -> Result<String, ServiceError> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ServiceError::Internal(e.to_string()))
}

impl crate::contexts::Registry<'_> {
    #[tracing::instrument(skip_all)]
    pub fn create_service_account(
        &self,
        principal: Option<&Principal>,
        request: CreateServiceAccount,
    ) -> Result<CreatedServiceAccount, ServiceError> {
        let principal = authorized(principal, Action::ManageServiceAccounts)?;
        let valid = ggzy_views::service_accounts::read_creation(request, &SCOPES).map_err(ServiceError::Invalid)?;
        let secret = random_token(32);
        let now = self.now_naive();
        let id = ServiceAccountId::new_v7(self.now()).to_string();
        let client_id = format!("svc-{}", random_token(12));
        let row = ggzy_views::service_accounts::created_row(id, client_id, valid, hash_secret(&secret)?, now);
        let account = self.store().write(|conn| -> Result<ServiceAccount, ServiceError> {
            repo::insert(conn, &row)?;
            let account = ServiceAccount::from(row.clone());
            crate::record_entry(conn, principal, now, ggzy_views::service_accounts::created_entry(&account))?;
            Ok(account)
        })?;
        Ok(CreatedServiceAccount { account, client_secret: secret })
    }

    #[tracing::instrument(skip_all)]
    pub fn list_service_accounts(
        &self,
        principal: Option<&Principal>,
        after: Option<String>,
        limit: Option<u32>,
    ) -> Result<ServiceAccountPage, ServiceError> {
        authorize(principal, Action::ManageServiceAccounts)?;
        let page = validate::page(after, limit)?;
        let mut rows = self.store().read(|conn| repo::list(conn, page.after.as_deref(), i64::from(page.limit) + 1))?;
        let next_cursor = validate::next_cursor(&mut rows, page.limit, |row| row.id.clone());
        Ok(ServiceAccountPage { items: rows.into_iter().map(ServiceAccount::from).collect(), next_cursor })
    }

    /// Checks client credentials and returns the principal a token will carry.
    #[tracing::instrument(skip_all, fields(client_id = %client_id))]
    pub fn authenticate_client(&self, client_id: &str, client_secret: &str) -> Result<Principal, ServiceError> {
        let row = self.store().read(|conn| repo::find_by_client_id(conn, client_id))?;
        let Some(row) = row.filter(|r| r.disabled_at.is_none()) else {
            // Spend the same effort as a real check so that timing does not reveal which
            // client ids exist.
            let _ = hash_secret(client_secret);
            return Err(ServiceError::InvalidClient);
        };
        let parsed = PasswordHash::new(&row.secret_hash).map_err(|e| ServiceError::Internal(e.to_string()))?;
        if Argon2::default().verify_password(client_secret.as_bytes(), &parsed).is_err() {
            return Err(ServiceError::InvalidClient);
        }
        let account = ServiceAccount::from(row);
        Ok(Principal::system(account.client_id, account.scopes))
    }
}
