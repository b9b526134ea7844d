//! Departments (reference data): who regulates, who serves, who inspects.

use ggzy_store::departments as repo;

use crate::policy::{authorize, Action};
use crate::{Principal, ServiceError};

pub use ggzy_oversight::DepartmentKind;
pub use ggzy_views::departments::Department;

impl crate::contexts::Registry<'_> {
    #[tracing::instrument(skip_all)]
    pub fn list_departments(&self, principal: Option<&Principal>) -> Result<Vec<Department>, ServiceError> {
        authorize(principal, Action::ListDepartments)?;
        let rows = self.store().read(repo::list)?;
        Ok(rows.into_iter().map(Department::try_from).collect::<Result<_, _>>()?)
    }
}
