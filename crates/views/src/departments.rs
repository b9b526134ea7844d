//! Response and request bodies of departments (see `ggzy_service::departments` for the use cases).

pub use ggzy_oversight::DepartmentKind;
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
