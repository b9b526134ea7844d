//! Response and request bodies of service_accounts (see `ggzy_service::service_accounts` for the use cases).

use chrono::{DateTime, Utc};
use ggzy_store::service_accounts::ServiceAccountRow;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateServiceAccount {
    /// Which system this is, e.g. "区财政局预算管理一体化系统".
    #[schema(required = true, value_type = String)]
    pub name: Option<String>,
    /// Scopes granted: participants:read, participants:write, persons:read, persons:write, audit:read.
    #[schema(required = true, value_type = Vec<String>)]
    pub scopes: Option<Vec<String>>,
}

/// A service account as listed (never with its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ServiceAccount {
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    pub client_id: String,
    pub name: String,
    pub scopes: Vec<String>,
    pub created_at: DateTime<Utc>,
}

/// The answer to a creation: the only time the secret is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CreatedServiceAccount {
    #[serde(flatten)]
    pub account: ServiceAccount,
    pub client_secret: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceAccountPage {
    pub items: Vec<ServiceAccount>,
    pub next_cursor: Option<String>,
}

/// An account as shown: its scopes split from their stored space-separated list; never its
/// secret's hash.
impl From<ServiceAccountRow> for ServiceAccount {
    fn from(row: ServiceAccountRow) -> Self {
        ServiceAccount {
            id: row.id,
            client_id: row.client_id,
            name: row.name,
            scopes: row.scopes.split(' ').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
            created_at: row.created_at.and_utc(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(scopes: &str) -> ServiceAccountRow {
        ServiceAccountRow {
            id: "a1".into(),
            client_id: "svc-x".into(),
            name: "区政务系统".into(),
            secret_hash: "$argon2id$hash".into(),
            scopes: scopes.into(),
            created_at: DateTime::from_timestamp(1_700_000_000, 0).unwrap().naive_utc(),
            disabled_at: None,
        }
    }

    #[test]
    fn an_account_shows_its_scopes_one_by_one_and_no_secret() {
        let account = ServiceAccount::from(row("events:read ocds:read"));
        assert_eq!(account.scopes, vec!["events:read", "ocds:read"]);
        assert_eq!(
            (account.id.as_str(), account.client_id.as_str(), account.name.as_str()),
            ("a1", "svc-x", "区政务系统")
        );
        assert_eq!(account.created_at.timestamp(), 1_700_000_000);
        assert!(!serde_json::to_string(&account).unwrap().contains("argon2"));
    }

    #[test]
    fn no_stored_scope_is_no_scope() {
        assert!(ServiceAccount::from(row("")).scopes.is_empty());
        assert_eq!(ServiceAccount::from(row("a  b")).scopes, vec!["a", "b"]);
    }
}
