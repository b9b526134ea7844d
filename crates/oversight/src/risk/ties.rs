//! Ties between bidders the scan weighs, as they are recorded: one participant controlling
//! or managing another (条例 §34), and a person a bidder entrusts to act for it. The
//! requests are read here, every problem named at once.

use ggzy_kernel::validation::read;
use ggzy_kernel::FieldError;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::lifecycle::ControlKind;

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewControl {
    /// The participant controlled by (or under the management of) this one.
    #[schema(required = true, value_type = String, format = Uuid)]
    pub controlled_id: Option<String>,
    /// holding (控股) or management (管理).
    #[schema(required = true, value_type = ControlKind)]
    pub kind: Option<String>,
}

/// Reads a control relation of `controller_id`: the participant it controls (never itself)
/// and how.
pub fn read_control(controller_id: &str, request: NewControl) -> Result<(String, ControlKind), Vec<FieldError>> {
    let mut problems = Vec::new();
    let controlled = read::required(&mut problems, "controlled_id", request.controlled_id)
        .and_then(|c| read::uuid(&mut problems, "controlled_id", c));
    let kind = read::required(&mut problems, "kind", request.kind)
        .and_then(|k| read::closed::<ControlKind>(&mut problems, "kind", &k));
    if controlled.as_deref() == Some(controller_id) {
        problems.push(FieldError::new("controlled_id", "self", "不能与自身存在控制关系"));
    }
    match (controlled, kind) {
        (Some(controlled), Some(kind)) if problems.is_empty() => Ok((controlled, kind)),
        _ => Err(problems),
    }
}

/// A person the bidder entrusts to act for it (委托代理人) without employing them.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEntrustment {
    #[schema(required = true, value_type = String, format = Uuid)]
    pub person_id: Option<String>,
}

/// Reads an entrustment: the person entrusted.
pub fn read_entrustment(request: NewEntrustment) -> Result<String, Vec<FieldError>> {
    let mut problems = Vec::new();
    read::required(&mut problems, "person_id", request.person_id)
        .and_then(|p| read::uuid(&mut problems, "person_id", p))
        .ok_or(problems)
}

/// A control relation names a participant that exists (`controlled_known`).
pub fn check_controlled(controlled_known: bool) -> Result<(), FieldError> {
    if controlled_known {
        Ok(())
    } else {
        Err(FieldError::new("controlled_id", "unknown_participant", "市场主体不存在"))
    }
}

/// An entrustment names a person that exists (`person_known`).
pub fn check_person(person_known: bool) -> Result<(), FieldError> {
    if person_known {
        Ok(())
    } else {
        Err(FieldError::new("person_id", "unknown_person", "人员不存在"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "01a199c5-3280-7667-9c55-000000000001";
    const B: &str = "01a199c5-3280-7667-9c55-000000000002";

    fn control(controlled: Option<&str>, kind: Option<&str>) -> NewControl {
        NewControl { controlled_id: controlled.map(str::to_owned), kind: kind.map(str::to_owned) }
    }

    fn codes(problems: Vec<FieldError>) -> Vec<(String, String)> {
        problems.into_iter().map(|p| (p.field, p.code)).collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(f, c)| ((*f).to_owned(), (*c).to_owned())).collect()
    }

    #[test]
    fn a_control_names_another_participant_and_how() {
        assert_eq!(read_control(A, control(Some(B), Some("holding"))), Ok((B.to_owned(), ControlKind::Holding)));
        assert_eq!(
            codes(read_control(A, control(None, None)).unwrap_err()),
            pairs(&[("controlled_id", "required"), ("kind", "required")])
        );
        // Itself: named after the kind's problem.
        assert_eq!(
            codes(read_control(A, control(Some(A), Some("owner"))).unwrap_err()),
            pairs(&[("kind", "unknown_value"), ("controlled_id", "self")])
        );
        assert_eq!(
            codes(read_control(A, control(Some(A), Some("management"))).unwrap_err()),
            pairs(&[("controlled_id", "self")])
        );
        assert_eq!(
            codes(read_control(A, control(Some("B"), Some("holding"))).unwrap_err()),
            pairs(&[("controlled_id", "invalid_id")])
        );
    }

    #[test]
    fn a_controlled_participant_and_an_entrusted_person_exist() {
        assert_eq!(check_controlled(true), Ok(()));
        assert_eq!(
            check_controlled(false),
            Err(FieldError::new("controlled_id", "unknown_participant", "市场主体不存在"))
        );
        assert_eq!(check_person(true), Ok(()));
        assert_eq!(check_person(false), Err(FieldError::new("person_id", "unknown_person", "人员不存在")));
    }

    #[test]
    fn an_entrustment_names_a_person() {
        assert_eq!(read_entrustment(NewEntrustment { person_id: Some(A.into()) }), Ok(A.to_owned()));
        assert_eq!(
            codes(read_entrustment(NewEntrustment { person_id: None }).unwrap_err()),
            pairs(&[("person_id", "required")])
        );
        assert_eq!(
            codes(read_entrustment(NewEntrustment { person_id: Some(A.to_uppercase()) }).unwrap_err()),
            pairs(&[("person_id", "invalid_id")])
        );
    }
}
