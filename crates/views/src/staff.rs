//! Response and request bodies of staff (see `ggzy_service::staff` for the use cases).

use chrono::{DateTime, NaiveDateTime, Utc};
use ggzy_kernel::validation::read;
use ggzy_kernel::{AuditAction, FieldError};

use crate::audit_entry::AuditEntry;
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

impl AddStaff {
    /// The member's token subject (at most 100 characters) and name (at most 50); every
    /// problem at once.
    pub fn read(self) -> Result<(String, String), Vec<FieldError>> {
        let mut problems = Vec::new();
        let subject = read::required(&mut problems, "subject", self.subject)
            .and_then(|s| read::text(&mut problems, "subject", s, 100));
        let name =
            read::required(&mut problems, "name", self.name).and_then(|n| read::text(&mut problems, "name", n, 50));
        match (subject, name) {
            (Some(subject), Some(name)) if problems.is_empty() => Ok((subject, name)),
            _ => Err(problems),
        }
    }
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

/// The audit event of a member added to a department's staff, on the member's own chain.
pub fn staff_added_entry(member: &StaffMember) -> AuditEntry<&StaffMember> {
    AuditEntry {
        chain: format!("staff:{}", member.id),
        action: AuditAction::StaffAdd,
        object_type: "staff",
        object_id: member.id.clone(),
        payload: member,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_member_names_a_subject_and_a_name_and_every_problem_is_told() {
        let add = |subject: Option<&str>, name: Option<&str>| {
            AddStaff { subject: subject.map(str::to_owned), name: name.map(str::to_owned) }.read()
        };
        assert_eq!(add(Some("wang.fang"), Some(" 王芳 ")), Ok(("wang.fang".to_owned(), "王芳".to_owned())));
        let problems = add(None, Some(&"名".repeat(51))).unwrap_err();
        let named: Vec<(&str, &str)> = problems.iter().map(|p| (p.field.as_str(), p.code.as_str())).collect();
        assert_eq!(named, vec![("subject", "required"), ("name", "too_long")]);
    }

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

    #[test]
    fn an_added_member_is_audited_on_its_own_chain_with_its_view() {
        let member = StaffMember::from(new_staff_row("m1".into(), "centre", "s".into(), "n".into(), at()));
        let entry = staff_added_entry(&member);
        assert_eq!((entry.chain.as_str(), entry.action), ("staff:m1", AuditAction::StaffAdd));
        assert_eq!((entry.object_type, entry.object_id.as_str()), ("staff", "m1"));
        assert_eq!(entry.payload, &member);
    }
}
