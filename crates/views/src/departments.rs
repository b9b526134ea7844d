//! Response and request bodies of departments (see `ggzy_service::departments` for the use cases),
//! read from their stored rows.

use ggzy_kernel::{stored, StoredFault};
pub use ggzy_oversight::DepartmentKind;
use ggzy_store::departments::DepartmentRow;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Department {
    #[schema(example = "zjw")]
    pub id: String,
    pub name: String,
    pub kind: DepartmentKind,
    /// `category:subtype` keys this department supervises (industry regulators only).
    pub industries: Vec<String>,
}

impl TryFrom<DepartmentRow> for Department {
    type Error = StoredFault;

    fn try_from(row: DepartmentRow) -> Result<Self, StoredFault> {
        let kind = stored("departments.kind", &row.kind)?;
        let industries = row.industries.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect();
        Ok(Department { id: row.id, name: row.name, kind, industries })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(kind: &str, industries: &str) -> DepartmentRow {
        DepartmentRow { id: "zjw".into(), name: "住建委".into(), kind: kind.into(), industries: industries.into() }
    }

    #[test]
    fn a_department_lists_the_industries_it_supervises() {
        let department =
            Department::try_from(row("industry_regulator", "construction:building,construction:municipal")).unwrap();
        assert_eq!((department.id.as_str(), department.name.as_str()), ("zjw", "住建委"));
        assert_eq!(department.kind, DepartmentKind::IndustryRegulator);
        assert_eq!(department.industries, ["construction:building", "construction:municipal"]);
        assert!(Department::try_from(row("industry_regulator", "")).unwrap().industries.is_empty());
    }

    #[test]
    fn an_unknown_stored_kind_is_a_fault() {
        let fault = Department::try_from(row("ministry", "")).unwrap_err();
        assert_eq!(fault.to_string(), "departments.kind holds `ministry`, which is not DepartmentKind");
    }
}
