//! Departments (reference data): who regulates, who serves, who inspects.

use ggzy_store::departments::{self as repo, DepartmentRow};
use serde::Serialize;
use utoipa::ToSchema;

use crate::policy::{authorize, Action};
use crate::{Platform, Principal, ServiceError};

pub use ggzy_oversight::DepartmentKind;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Department {
    #[schema(example = "zjw")]
    pub id: String,
    pub name: String,
    pub kind: DepartmentKind,
    /// `category:subtype` keys this department supervises (industry regulators only).
    pub industries: Vec<String>,
}

fn view(row: DepartmentRow) -> Result<Department, ServiceError> {
    let kind = crate::stored::stored("departments.kind", &row.kind)?;
    let industries = row.industries.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect();
    Ok(Department { id: row.id, name: row.name, kind, industries })
}

impl Platform {
    #[tracing::instrument(skip_all)]
    pub fn list_departments(&self, principal: Option<&Principal>) -> Result<Vec<Department>, ServiceError> {
        authorize(principal, Action::ListDepartments)?;
        let rows = self.store().read(repo::list)?;
        rows.into_iter().map(view).collect()
    }
}
