//! Response and request bodies of staff (see `ggzy_service::staff` for the use cases).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddStaff {
    /// The `sub` of this member's tokens.
    #[schema(required = true, value_type = String, example = "wang.fang")]
    pub subject: Option<String>,
    #[schema(required = true, value_type = String, example = "王芳")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct StaffMember {
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    pub department_id: String,
    pub subject: String,
    pub name: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}
