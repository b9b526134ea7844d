//! Departments (reference data): who regulates, who serves, who inspects.

use ggzy_store::departments::{self as repo, DepartmentRow};

use crate::policy::{authorize, Action};
use crate::{Principal, ServiceError};

pub use ggzy_oversight::DepartmentKind;
pub use ggzy_views::departments::Department;

fn view(row: DepartmentRow) -> Result<Department, ServiceError> {
    let kind = crate::stored::stored("departments.kind", &row.kind)?;
    let industries = row.industries.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect();
    Ok(Department { id: row.id, name: row.name, kind, industries })
}

impl crate::contexts::Registry<'_> {
    #[tracing::instrument(skip_all)]
    pub fn list_departments(&self, principal: Option<&Principal>) -> Result<Vec<Department>, ServiceError> {
        authorize(principal, Action::ListDepartments)?;
        let rows = self.store().read(repo::list)?;
        rows.into_iter().map(view).collect()
    }
}
