//! Response and request bodies of service_accounts (see `ggzy_service::service_accounts` for the use cases).

use chrono::{DateTime, NaiveDateTime, Utc};
use ggzy_kernel::validation::read;
use ggzy_kernel::FieldError;
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

/// A creation request whose fields are all valid: the account's name and its scopes, sorted
/// and without repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidServiceAccount {
    pub name: String,
    pub scopes: Vec<String>,
}

/// Reads a creation request: a name of at most 100 characters and scopes each of `known`;
/// every problem at once.
pub fn read_creation(request: CreateServiceAccount, known: &[&str]) -> Result<ValidServiceAccount, Vec<FieldError>> {
    let mut problems = Vec::new();
    let name =
        read::required(&mut problems, "name", request.name).and_then(|n| read::text(&mut problems, "name", n, 100));
    let scopes = read::required(&mut problems, "scopes", request.scopes).map(|mut scopes| {
        for (index, scope) in scopes.iter().enumerate() {
            if !known.contains(&scope.as_str()) {
                problems.push(FieldError::new(
                    format!("scopes[{index}]"),
                    "unknown_scope",
                    format!("未知的权限范围“{scope}”，可选：{}", known.join("、")),
                ));
            }
        }
        scopes.sort();
        scopes.dedup();
        scopes
    });
    match (name, scopes) {
        (Some(name), Some(scopes)) if problems.is_empty() => Ok(ValidServiceAccount { name, scopes }),
        _ => Err(problems),
    }
}

/// The row of a new account: its client id, the hash of its secret and its scopes stored
/// space-separated.
pub fn created_row(
    id: String,
    client_id: String,
    account: ValidServiceAccount,
    secret_hash: String,
    at: NaiveDateTime,
) -> ServiceAccountRow {
    ServiceAccountRow {
        id,
        client_id,
        name: account.name,
        secret_hash,
        scopes: account.scopes.join(" "),
        created_at: at,
        disabled_at: None,
    }
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

/// An account created, on its own chain, its view (no secret) as payload.
pub fn created_entry(account: &ServiceAccount) -> crate::audit_entry::AuditEntry<&ServiceAccount> {
    crate::audit_entry::AuditEntry {
        chain: format!("service_account:{}", account.id),
        action: ggzy_kernel::AuditAction::ServiceAccountCreate,
        object_type: "service_account",
        object_id: account.id.clone(),
        payload: account,
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

    const KNOWN: [&str; 2] = ["audit:read", "persons:read"];

    fn request(name: Option<&str>, scopes: Option<&[&str]>) -> CreateServiceAccount {
        CreateServiceAccount {
            name: name.map(str::to_owned),
            scopes: scopes.map(|s| s.iter().map(|s| (*s).to_owned()).collect()),
        }
    }

    #[test]
    fn a_creation_keeps_its_scopes_sorted_once_and_stores_them_space_separated() {
        let valid =
            read_creation(request(Some("区财政系统"), Some(&["persons:read", "audit:read", "persons:read"])), &KNOWN)
                .unwrap();
        assert_eq!(valid.scopes, vec!["audit:read", "persons:read"]);
        let row = created_row("a1".into(), "svc-x".into(), valid, "hash".into(), row("").created_at);
        assert_eq!(
            (row.name.as_str(), row.scopes.as_str(), row.disabled_at),
            ("区财政系统", "audit:read persons:read", None)
        );
        assert_eq!(ServiceAccount::from(row).scopes, vec!["audit:read", "persons:read"]);
    }

    #[test]
    fn a_creation_names_every_problem_at_once() {
        let problems = read_creation(request(None, Some(&["audit:read", "root", "x"])), &KNOWN).unwrap_err();
        let named: Vec<(&str, &str)> = problems.iter().map(|p| (p.field.as_str(), p.code.as_str())).collect();
        assert_eq!(named, vec![("name", "required"), ("scopes[1]", "unknown_scope"), ("scopes[2]", "unknown_scope")]);
        assert!(problems[1].message.contains("root") && problems[1].message.contains("audit:read、persons:read"));
        let problems = read_creation(request(Some(&"名".repeat(101)), None), &KNOWN).unwrap_err();
        assert_eq!(problems.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), vec!["name", "scopes"]);
    }

    #[test]
    fn no_stored_scope_is_no_scope() {
        assert!(ServiceAccount::from(row("")).scopes.is_empty());
        assert_eq!(ServiceAccount::from(row("a  b")).scopes, vec!["a", "b"]);
    }

    #[test]
    fn a_creation_is_audited_on_the_account_s_own_chain() {
        let account = ServiceAccount::from(row("events:read"));
        let entry = created_entry(&account);
        assert_eq!(
            (entry.chain.as_str(), entry.object_type, entry.object_id.as_str()),
            ("service_account:a1", "service_account", "a1")
        );
        assert_eq!(entry.action, ggzy_kernel::AuditAction::ServiceAccountCreate);
    }
}
