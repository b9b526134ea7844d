//! Response and request bodies of staff (see `ggzy_service::staff` for the use cases).

use chrono::{DateTime, NaiveDateTime, Utc};
use ggzy_store::staff::StaffRow;
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

/// A member of a department's staff, active from `now`.
pub fn new_staff_row(id: String, department_id: &str, subject: String, name: String, now: NaiveDateTime) -> StaffRow {
    StaffRow { id, department_id: department_id.to_owned(), subject, name, active: 1, created_at: now }
}

impl From<StaffRow> for StaffMember {
    fn from(row: StaffRow) -> Self {
        StaffMember {
            id: row.id,
            department_id: row.department_id,
            subject: row.subject,
            name: row.name,
            active: row.active != 0,
            created_at: row.created_at.and_utc(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> NaiveDateTime {
        DateTime::from_timestamp(1_700_000_000, 0).unwrap().naive_utc()
    }

    #[test]
    fn a_new_member_is_active_and_shows_as_stored() {
        let row = new_staff_row("m1".into(), "centre", "wang.fang".into(), "王芳".into(), at());
        assert_eq!(row.active, 1);
        let member = StaffMember::from(row);
        assert_eq!(
            member,
            StaffMember {
                id: "m1".into(),
                department_id: "centre".into(),
                subject: "wang.fang".into(),
                name: "王芳".into(),
                active: true,
                created_at: at().and_utc(),
            }
        );
    }

    #[test]
    fn a_member_stored_inactive_shows_inactive() {
        let row = StaffRow { active: 0, ..new_staff_row("m1".into(), "centre", "s".into(), "n".into(), at()) };
        assert!(!StaffMember::from(row).active);
    }
}
