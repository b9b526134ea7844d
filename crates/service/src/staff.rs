//! Named staff of departments; the centre's active staff serve as project service owners
//! (registration.service_owner).

use ggzy_store::staff as repo;

use crate::policy::{authorize, authorized, Action};
use crate::{ExistingRecord, Principal, ServiceError};
use ggzy_views::staff::{new_staff_row, staff_added_entry};
pub use ggzy_views::staff::{AddStaff, StaffMember};

impl crate::contexts::Registry<'_> {
    #[tracing::instrument(skip_all, fields(department_id = %department_id))]
    pub fn add_staff(
        &self,
        principal: Option<&Principal>,
        department_id: &str,
        request: AddStaff,
    ) -> Result<StaffMember, ServiceError> {
        let principal = authorized(principal, Action::ManageStaff)?;
        let (subject, name) = request.read().map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        let row = new_staff_row(self.fresh_id(), department_id, subject, name, now);
        let outcome = self.store().write(|conn| {
            if ggzy_store::departments::find(conn, department_id)?.is_none() {
                return Err(ServiceError::NotFound { what: "department" });
            }
            repo::insert(conn, &row)?;
            let member = StaffMember::from(row.clone());
            crate::record_entry(conn, principal, now, staff_added_entry(&member))?;
            Ok(member)
        });
        match outcome {
            Err(ServiceError::Conflict { .. }) => Err(ServiceError::AlreadyExists {
                what: "staff",
                rule: None,
                existing: Some(ExistingRecord {
                    id: row.subject.clone(),
                    href: format!("/api/v1/departments/{department_id}/staff"),
                }),
            }),
            other => other,
        }
    }

    pub fn department_staff(
        &self,
        principal: Option<&Principal>,
        department_id: &str,
    ) -> Result<Vec<StaffMember>, ServiceError> {
        authorize(principal, Action::ReadStaff)?;
        let rows = self.store().read(|conn| {
            if ggzy_store::departments::find(conn, department_id)?.is_none() {
                return Err(ServiceError::NotFound { what: "department" });
            }
            Ok(repo::of_department(conn, department_id)?)
        })?;
        Ok(rows.into_iter().map(StaffMember::from).collect())
    }
}
