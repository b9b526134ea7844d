//! Reports of suspected wrongdoing (举报, 管理办法 §35, 细则 §42–43): a report as filed,
//! its tracking code, the handling steps a regulator records and the inbox's query. Every
//! problem of a request is named at once (registration.one_time_notice); whether the
//! project and participant a report names exist is the caller's to load.

use chrono::{DateTime, NaiveDate, Utc};
use ggzy_kernel::validation::read;
use ggzy_kernel::{FieldError, PageRequest};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::lifecycle::ReportState;

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReport {
    #[schema(value_type = Option<String>, format = Uuid)]
    pub project_id: Option<String>,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub participant_id: Option<String>,
    #[schema(required = true, value_type = String)]
    pub content: Option<String>,
    /// Who reports, if they wish to say (seen only by the handling regulator).
    pub reporter: Option<String>,
    pub contact: Option<String>,
}

/// A report, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportValues {
    pub project_id: Option<String>,
    pub participant_id: Option<String>,
    pub content: String,
    pub reporter: Option<String>,
    pub contact: Option<String>,
}

/// Reads a report: its content, the project or participant it is about (at least one),
/// and who reports and how to reach them, if said.
pub fn read_report(request: NewReport) -> Result<ReportValues, Vec<FieldError>> {
    let mut problems = Vec::new();
    let content = read::required_text(&mut problems, "content", request.content, 5000);
    if request.project_id.is_none() && request.participant_id.is_none() {
        problems.push(FieldError::new("project_id", "required", "须指明被举报的项目或市场主体"));
    }
    let reporter = request.reporter.and_then(|r| read::text(&mut problems, "reporter", r, 100));
    let contact = request.contact.and_then(|c| read::text(&mut problems, "contact", c, 100));
    match content {
        Some(content) if problems.is_empty() => Ok(ReportValues {
            project_id: request.project_id,
            participant_id: request.participant_id,
            content,
            reporter,
            contact,
        }),
        _ => Err(problems),
    }
}

/// Checks what a report names against what was loaded (`None`: not named; `Some(false)`:
/// named but unknown): the project first, then the participant; the first unknown one is
/// the refusal.
pub fn check_named(project_known: Option<bool>, participant_known: Option<bool>) -> Result<(), FieldError> {
    if project_known == Some(false) {
        return Err(FieldError::new("project_id", "unknown_project", "项目不存在"));
    }
    if participant_known == Some(false) {
        return Err(FieldError::new("participant_id", "unknown_participant", "市场主体不存在"));
    }
    Ok(())
}

/// A report's tracking code: `JB`, the Beijing date received as `YYMMDD`, and twelve
/// upper-case hex digits of the six `random` bytes.
pub fn tracking_code(received_on: NaiveDate, random: [u8; 6]) -> String {
    let digits: String = random.iter().map(|b| format!("{b:02X}")).collect();
    format!("JB{}{digits}", received_on.format("%y%m%d"))
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandleReport {
    /// investigating or closed.
    #[schema(required = true, value_type = ReportState)]
    pub status: Option<String>,
    #[schema(required = true, value_type = String)]
    pub note: Option<String>,
}

/// Reads a handling step: the state it moves the report to (investigating or closed, never
/// back to received) and its note.
pub fn read_handling(request: HandleReport) -> Result<(ReportState, String), Vec<FieldError>> {
    let mut problems = Vec::new();
    let status = read::required(&mut problems, "status", request.status).and_then(|s| {
        match read::closed::<ReportState>(&mut problems, "status", &s) {
            Some(ReportState::Received) => {
                problems.push(FieldError::new("status", "unknown_value", "可选：investigating、closed"));
                None
            }
            other => other,
        }
    });
    let note = read::required_text(&mut problems, "note", request.note, 2000);
    match (status, note) {
        (Some(status), Some(note)) if problems.is_empty() => Ok((status, note)),
        _ => Err(problems),
    }
}

// One step of a report's handling, as recorded (no doc comment: the schema has no description).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct HandlingStep {
    pub at: DateTime<Utc>,
    pub by: String,
    pub status: ReportState,
    pub note: String,
}

/// A closed (办结) report takes no further step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportClosed;

impl ReportClosed {
    pub fn detail(self) -> &'static str {
        "该举报已办结，不能再记录办理情况；如有新情况请另行举报"
    }
}

/// The state a handling step moving to `to` leaves a report standing at `current` in
/// ([`ReportState::handle`]), or the refusal of a step after the report's closing.
pub fn step_after(current: ReportState, to: ReportState) -> Result<ReportState, ReportClosed> {
    current.handle(to).ok_or(ReportClosed)
}

/// The query of the reports inbox. Any other parameter is refused.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// Only reports in this state (`received`: not yet taken up).
    #[param(value_type = Option<ReportState>)]
    pub status: Option<String>,
    /// Cursor from the previous page's `next_cursor`.
    #[param(format = Uuid)]
    pub after: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// Reads the inbox's query: the state asked for, if any, and the page.
pub fn read_report_query(query: ReportQuery) -> Result<(Option<ReportState>, PageRequest), Vec<FieldError>> {
    let mut problems = Vec::new();
    let status = query.status.as_deref().and_then(|s| read::closed::<ReportState>(&mut problems, "status", s));
    let page = crate::page::read_page(&mut problems, query.after, query.limit);
    match page {
        Some(page) if problems.is_empty() => Ok((status, page)),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(problems: &[FieldError]) -> Vec<(&str, &str)> {
        problems.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect()
    }

    fn report() -> NewReport {
        NewReport {
            project_id: Some("p".into()),
            participant_id: None,
            content: Some(" 围标 ".into()),
            reporter: None,
            contact: None,
        }
    }

    #[test]
    fn a_report_is_read_trimmed() {
        let read = read_report(NewReport { reporter: Some(" 张三 ".into()), ..report() }).unwrap();
        assert_eq!(
            read,
            ReportValues {
                project_id: Some("p".into()),
                participant_id: None,
                content: "围标".into(),
                reporter: Some("张三".into()),
                contact: None,
            }
        );
        assert!(read_report(NewReport { project_id: None, participant_id: Some("x".into()), ..report() }).is_ok());
    }

    #[test]
    fn a_report_names_a_project_or_a_participant_and_every_problem_at_once() {
        let problems = read_report(NewReport::default()).unwrap_err();
        assert_eq!(codes(&problems), [("content", "required"), ("project_id", "required")]);
        assert_eq!(problems[1].message, "须指明被举报的项目或市场主体");
        let request = NewReport {
            content: Some("x".repeat(5001)),
            reporter: Some("x".repeat(101)),
            contact: Some(" ".into()),
            ..report()
        };
        assert_eq!(
            codes(&read_report(request).unwrap_err()),
            [("content", "too_long"), ("reporter", "too_long"), ("contact", "blank")]
        );
        assert!(read_report(NewReport { content: Some("x".repeat(5000)), ..report() }).is_ok());
    }

    #[test]
    fn an_unknown_project_is_named_before_an_unknown_participant() {
        assert_eq!(check_named(None, None), Ok(()));
        assert_eq!(check_named(Some(true), Some(true)), Ok(()));
        assert_eq!(check_named(Some(false), None).unwrap_err().code, "unknown_project");
        assert_eq!(check_named(None, Some(false)).unwrap_err().code, "unknown_participant");
        let both = check_named(Some(false), Some(false)).unwrap_err();
        assert_eq!((both.field.as_str(), both.code.as_str()), ("project_id", "unknown_project"));
    }

    #[test]
    fn a_tracking_code_is_jb_the_date_and_twelve_hex_digits() {
        let day = NaiveDate::from_ymd_opt(2026, 9, 5).unwrap();
        assert_eq!(tracking_code(day, [0x00, 0x0a, 0xff, 0x10, 0x01, 0xbc]), "JB260905000AFF1001BC");
    }

    #[test]
    fn a_step_moves_to_investigating_or_closed_never_back_to_received() {
        assert_eq!(
            read_handling(HandleReport { status: Some("closed".into()), note: Some(" 办结 ".into()) }).unwrap(),
            (ReportState::Closed, "办结".into())
        );
        let received = read_handling(HandleReport { status: Some("received".into()), note: Some("x".into()) });
        let problems = received.unwrap_err();
        assert_eq!(codes(&problems), [("status", "unknown_value")]);
        assert_eq!(problems[0].message, "可选：investigating、closed");
        assert_eq!(
            codes(&read_handling(HandleReport { status: Some("open".into()), note: None }).unwrap_err()),
            [("status", "unknown_value"), ("note", "required")]
        );
        assert_eq!(
            codes(&read_handling(HandleReport::default()).unwrap_err()),
            [("status", "required"), ("note", "required")]
        );
    }

    #[test]
    fn a_step_is_taken_unless_the_report_is_closed() {
        use ReportState::*;
        assert_eq!(step_after(Received, Investigating), Ok(Investigating));
        assert_eq!(step_after(Investigating, Closed), Ok(Closed));
        assert_eq!(step_after(Closed, Investigating), Err(ReportClosed));
        assert_eq!(step_after(Closed, Closed), Err(ReportClosed));
        assert_eq!(ReportClosed.detail(), "该举报已办结，不能再记录办理情况；如有新情况请另行举报");
    }

    #[test]
    fn the_inbox_query_names_a_bad_state_and_a_bad_page_together() {
        assert_eq!(read_report_query(ReportQuery::default()).unwrap(), (None, PageRequest::default()));
        let query = ReportQuery { status: Some("received".into()), after: None, limit: Some(200) };
        assert_eq!(read_report_query(query).unwrap().0, Some(ReportState::Received));
        let query = ReportQuery { status: Some("x".into()), after: Some("y".into()), limit: Some(0) };
        assert_eq!(
            codes(&read_report_query(query).unwrap_err()),
            [("status", "unknown_value"), ("after", "invalid_id"), ("limit", "limit_out_of_range")]
        );
    }
}
