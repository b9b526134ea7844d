//! Response and request bodies of service_accounts (see `ggzy_service::service_accounts` for the use cases).

use chrono::{DateTime, Utc};
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
