//! The policy (`ggzy_policy`) as the use cases ask it: the same functions, their refusals
//! given as `ServiceError`s (401 or 403).

use ggzy_oversight::conduct::CasePart;
pub use ggzy_policy::*;
use ggzy_rules::DocumentKind;

use crate::ServiceError;

/// `ggzy_policy::authorize`.
pub fn authorize(principal: Option<&Principal>, action: Action<'_>) -> Result<(), ServiceError> {
    Ok(ggzy_policy::authorize(principal, action)?)
}

/// [`authorize`], and the principal it let in: every action but the public reads needs one.
pub fn authorized<'p>(principal: Option<&'p Principal>, action: Action<'_>) -> Result<&'p Principal, ServiceError> {
    authorize(principal, action)?;
    principal.ok_or(ServiceError::Unauthenticated)
}

/// `ggzy_policy::part_on_case`.
pub fn part_on_case(
    p: &Principal,
    own_part: Option<CasePart>,
    about_comprehensive_regulator: bool,
) -> Result<CasePart, ServiceError> {
    Ok(ggzy_policy::part_on_case(p, own_part, about_comprehensive_regulator)?)
}

/// `ggzy_policy::may_upload_document`.
pub fn may_upload_document(
    p: &Principal,
    kind: DocumentKind,
    tenderer_id: Option<&str>,
    agency_ids: &[String],
    committee_member: bool,
) -> Result<(), ServiceError> {
    Ok(ggzy_policy::may_upload_document(p, kind, tenderer_id, agency_ids, committee_member)?)
}
