//! The queries of the lists of conduct reports and repair applications, read with every
//! problem named at once, and which participant's repair applications a caller lists.

use ggzy_kernel::validation::read;
use ggzy_kernel::{FieldError, PageRequest};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::{ConductReportStatus, RepairStatus};

/// The query of a list of repair applications. Any other parameter is refused.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RepairApplicationQuery {
    /// Only applications in this state (`pending`: those awaiting a regulator).
    #[param(value_type = Option<RepairStatus>)]
    pub status: Option<String>,
    /// Only the applications of this participant (a participant always sees only its own).
    #[param(format = Uuid)]
    pub participant_id: Option<String>,
    /// Cursor from the previous page's `next_cursor`.
    #[param(format = Uuid)]
    pub after: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// The query of the conduct report list. Any other parameter is refused.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ConductReportQuery {
    /// Only reports in this state (`pending`: those awaiting a regulator's decision).
    #[param(value_type = Option<ConductReportStatus>)]
    pub status: Option<String>,
    /// Only reports on this participant.
    #[param(format = Uuid)]
    pub participant_id: Option<String>,
    /// Cursor from the previous page's `next_cursor`.
    #[param(format = Uuid)]
    pub after: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// A list's query, read: the state asked for, the participant, the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery<S> {
    pub status: Option<S>,
    pub participant_id: Option<String>,
    pub page: PageRequest,
}

fn read_list<S: ggzy_kernel::ClosedEnum>(
    status: Option<String>,
    participant_id: Option<String>,
    after: Option<String>,
    limit: Option<u32>,
) -> Result<ListQuery<S>, Vec<FieldError>> {
    let mut problems = Vec::new();
    let status = status.as_deref().and_then(|s| read::closed::<S>(&mut problems, "status", s));
    let participant_id = participant_id.and_then(|p| read::uuid(&mut problems, "participant_id", p));
    let after = after.and_then(|a| read::uuid(&mut problems, "after", a));
    let page = PageRequest::new(after, limit).map_err(|e| problems.push(e)).ok();
    match page {
        Some(page) if problems.is_empty() => Ok(ListQuery { status, participant_id, page }),
        _ => Err(problems),
    }
}

/// Reads a repair applications query: state, participant and page, in that order.
pub fn read_repair_query(query: RepairApplicationQuery) -> Result<ListQuery<RepairStatus>, Vec<FieldError>> {
    read_list(query.status, query.participant_id, query.after, query.limit)
}

/// Reads a conduct reports query: state, participant and page, in that order.
pub fn read_conduct_query(query: ConductReportQuery) -> Result<ListQuery<ConductReportStatus>, Vec<FieldError>> {
    read_list(query.status, query.participant_id, query.after, query.limit)
}

/// Which repair applications a caller lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepairListing {
    /// None: a participant asking for another's (the filters meet nothing).
    Nothing,
    /// Those of this participant, or every one (`None`).
    Of(Option<String>),
}

impl RepairListing {
    /// Whether an application of `participant_id` is in the listing (a cursor names one).
    pub fn includes(&self, participant_id: &str) -> bool {
        match self {
            RepairListing::Nothing => false,
            RepairListing::Of(only) => only.as_deref().is_none_or(|p| p == participant_id),
        }
    }
}

/// The repair applications listed to a caller acting for participant `own` (if it does)
/// that asked for those of `asked`: a participant's own whatever it asks for, none when it
/// asks for another's; anyone else's what it asks for.
pub fn repair_listing(own: Option<&str>, asked: Option<String>) -> RepairListing {
    match (own, asked) {
        (Some(own), Some(asked)) if own != asked => RepairListing::Nothing,
        (Some(own), _) => RepairListing::Of(Some(own.to_owned())),
        (None, asked) => RepairListing::Of(asked),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P1: &str = "01890a5d-ac96-774b-bcce-b302099a8057";

    fn codes(problems: &[FieldError]) -> Vec<(&str, &str)> {
        problems.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect()
    }

    #[test]
    fn a_query_reads_its_state_participant_and_page() {
        let query = RepairApplicationQuery {
            status: Some("pending".into()),
            participant_id: Some(P1.into()),
            after: Some(P1.into()),
            limit: Some(200),
        };
        assert_eq!(
            read_repair_query(query).unwrap(),
            ListQuery {
                status: Some(RepairStatus::Pending),
                participant_id: Some(P1.into()),
                page: PageRequest { after: Some(P1.into()), limit: 200 },
            }
        );
        assert_eq!(
            read_conduct_query(ConductReportQuery::default()).unwrap(),
            ListQuery { status: None, participant_id: None, page: PageRequest::default() }
        );
        let accepted = ConductReportQuery { status: Some("accepted".into()), ..Default::default() };
        assert_eq!(read_conduct_query(accepted).unwrap().status, Some(ConductReportStatus::Accepted));
    }

    #[test]
    fn every_problem_of_a_query_is_named_in_order() {
        let bad = RepairApplicationQuery {
            status: Some("approved?".into()),
            participant_id: Some("P1".into()),
            after: Some("x".into()),
            limit: Some(0),
        };
        assert_eq!(
            codes(&read_repair_query(bad).unwrap_err()),
            [
                ("status", "unknown_value"),
                ("participant_id", "invalid_id"),
                ("after", "invalid_id"),
                ("limit", "limit_out_of_range")
            ]
        );
        let bad = ConductReportQuery { status: Some("approved".into()), limit: Some(201), ..Default::default() };
        let problems = read_conduct_query(bad).unwrap_err();
        assert_eq!(codes(&problems), [("status", "unknown_value"), ("limit", "limit_out_of_range")]);
        assert_eq!(problems[0].message, "“approved”无效，可选：pending、accepted、dismissed");
    }

    #[test]
    fn a_participant_lists_only_its_own() {
        assert_eq!(repair_listing(Some("a"), None), RepairListing::Of(Some("a".into())));
        assert_eq!(repair_listing(Some("a"), Some("a".into())), RepairListing::Of(Some("a".into())));
        assert_eq!(repair_listing(Some("a"), Some("b".into())), RepairListing::Nothing);
        assert_eq!(repair_listing(None, None), RepairListing::Of(None));
        assert_eq!(repair_listing(None, Some("b".into())), RepairListing::Of(Some("b".into())));
    }

    #[test]
    fn a_cursor_names_an_application_in_the_listing() {
        assert!(RepairListing::Of(None).includes("a"));
        assert!(RepairListing::Of(Some("a".into())).includes("a"));
        assert!(!RepairListing::Of(Some("a".into())).includes("b"));
        assert!(!RepairListing::Nothing.includes("a"));
    }
}
