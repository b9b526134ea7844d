//! Response and request bodies of reports (see `ggzy_service::reports` for the use cases).

use chrono::{DateTime, Utc};
use ggzy_kernel::AuditAction;
use ggzy_kernel::{stored, stored_json, StoredFault};
pub use ggzy_oversight::lifecycle::ReportState;
use ggzy_oversight::wrongdoing::ReportValues;
pub use ggzy_oversight::wrongdoing::{HandleReport, HandlingStep, NewReport, ReportQuery};
use ggzy_store::objections::ReportRow;
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit_entry::AuditEntry;

/// A report as its reporter follows it (by tracking code): no identities.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportStatus {
    pub tracking_code: String,
    pub received_at: DateTime<Utc>,
    pub department_id: String,
    pub status: ReportState,
    pub handling: Vec<HandlingStep>,
}

/// A report as the handling regulator sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Report {
    #[serde(flatten)]
    pub status: ReportStatus,
    pub project_id: Option<String>,
    pub participant_id: Option<String>,
    pub content: String,
    pub reporter: Option<String>,
    pub contact: Option<String>,
}

/// A page of reports, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportPage {
    pub items: Vec<Report>,
    pub next_cursor: Option<String>,
}

impl TryFrom<&ReportRow> for ReportStatus {
    type Error = StoredFault;

    fn try_from(row: &ReportRow) -> Result<Self, StoredFault> {
        Ok(ReportStatus {
            tracking_code: row.tracking_code.clone(),
            received_at: row.received_at.and_utc(),
            department_id: row.department_id.clone(),
            status: stored("wrongdoing_reports.status", &row.status)?,
            handling: stored_json("wrongdoing_reports.handling", &row.handling)?,
        })
    }
}

/// The whole report, with who reported (for the handling regulator).
impl TryFrom<ReportRow> for Report {
    type Error = StoredFault;

    fn try_from(row: ReportRow) -> Result<Self, StoredFault> {
        Ok(Report {
            status: ReportStatus::try_from(&row)?,
            project_id: row.project_id,
            participant_id: row.participant_id,
            content: row.content,
            reporter: row.reporter,
            contact: row.contact,
        })
    }
}

/// The row of a report received `now`, for `department_id` to handle.
pub fn received_report_row(
    id: String,
    tracking_code: String,
    report: ReportValues,
    department_id: String,
    now: chrono::NaiveDateTime,
) -> ReportRow {
    ReportRow {
        id,
        tracking_code,
        project_id: report.project_id,
        participant_id: report.participant_id,
        content: report.content,
        reporter: report.reporter,
        contact: report.contact,
        department_id,
        received_at: now,
        handling: "[]".into(),
        status: ReportState::Received.as_str().into(),
    }
}

/// What the audit trail keeps of a filed report: who reported stays out (seen only by the
/// handling regulator), and the content is bound by its hash.
pub fn filing_payload(row: &ReportRow) -> serde_json::Value {
    serde_json::json!({
        "tracking_code": row.tracking_code,
        "department_id": row.department_id,
        "project_id": row.project_id,
        "participant_id": row.participant_id,
        "content_sha256": ggzy_store::audit::sha256_hex(row.content.as_bytes()),
    })
}

/// The audit entry of a filed report, on the report's own chain ([`filing_payload`]).
pub fn filing_entry(row: &ReportRow) -> AuditEntry<serde_json::Value> {
    report_entry(row, AuditAction::ReportFile, filing_payload(row))
}

/// The audit entry of a handling step: every step the report now has.
pub fn handling_entry(row: &ReportRow, handling: Vec<HandlingStep>) -> AuditEntry<Vec<HandlingStep>> {
    report_entry(row, AuditAction::ReportHandle, handling)
}

fn report_entry<P>(row: &ReportRow, action: AuditAction, payload: P) -> AuditEntry<P> {
    AuditEntry {
        chain: format!("report:{}", row.id),
        action,
        object_type: "report",
        object_id: row.id.clone(),
        payload,
    }
}

/// A report's row after the handling regulator's `step`: its status that of the step, the
/// step appended to its handling. The steps it now has.
pub fn handled_report_row(row: &mut ReportRow, step: HandlingStep) -> Result<Vec<HandlingStep>, StoredFault> {
    let mut handling: Vec<HandlingStep> = stored_json("wrongdoing_reports.handling", &row.handling)?;
    row.status = step.status.as_str().to_owned();
    handling.push(step);
    row.handling = serde_json::to_string(&handling)
        .map_err(|e| StoredFault::new("wrongdoing_reports.handling", e, "handling steps as JSON"))?;
    Ok(handling)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> ReportRow {
        ReportRow {
            id: "r1".into(),
            tracking_code: "JB-1".into(),
            project_id: Some("p1".into()),
            participant_id: None,
            content: "串标".into(),
            reporter: Some("张三".into()),
            contact: Some("138".into()),
            department_id: "d1".into(),
            received_at: chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap().naive_utc(),
            handling: "[]".into(),
            status: ReportState::ALL[0].as_str().into(),
        }
    }

    #[test]
    fn a_report_shows_what_its_row_held() {
        let report = Report::try_from(row()).unwrap();
        assert_eq!(report.status.tracking_code, "JB-1");
        assert_eq!(report.status.status, ReportState::ALL[0]);
        assert_eq!(report.status.department_id, "d1");
        assert_eq!(report.status.received_at.timestamp(), 1_700_000_000);
        assert!(report.status.handling.is_empty());
        assert_eq!(report.project_id.as_deref(), Some("p1"));
        assert_eq!((report.reporter.as_deref(), report.contact.as_deref()), (Some("张三"), Some("138")));
    }

    #[test]
    fn an_unknown_status_or_unreadable_handling_is_a_fault() {
        let fault = ReportStatus::try_from(&ReportRow { status: "lost".into(), ..row() }).unwrap_err();
        assert_eq!((fault.column, fault.value.as_str()), ("wrongdoing_reports.status", "lost"));
        let fault = ReportStatus::try_from(&ReportRow { handling: "{}".into(), ..row() }).unwrap_err();
        assert_eq!(fault.column, "wrongdoing_reports.handling");
    }

    #[test]
    fn a_received_report_is_stored_unhandled() {
        let values = ReportValues {
            project_id: Some("p1".into()),
            participant_id: None,
            content: "串标".into(),
            reporter: Some("张三".into()),
            contact: Some("138".into()),
        };
        let received = received_report_row("r1".into(), "JB-1".into(), values, "d1".into(), row().received_at);
        assert_eq!(received, ReportRow { status: ReportState::Received.as_str().into(), ..row() });
        assert_eq!(ReportStatus::try_from(&received).unwrap().status, ReportState::Received);
    }

    #[test]
    fn the_filing_payload_hashes_the_content_and_leaves_out_the_reporter() {
        let payload = filing_payload(&row());
        assert_eq!(
            payload,
            serde_json::json!({
                "tracking_code": "JB-1",
                "department_id": "d1",
                "project_id": "p1",
                "participant_id": null,
                "content_sha256": ggzy_store::audit::sha256_hex("串标".as_bytes()),
            })
        );
        assert_eq!(payload["content_sha256"].as_str().map(str::len), Some(64));
        assert!(!payload.to_string().contains("张三") && !payload.to_string().contains("138"));
    }

    #[test]
    fn a_reports_entries_are_on_its_own_chain() {
        let filed = filing_entry(&row());
        assert_eq!((filed.chain.as_str(), filed.action), ("report:r1", AuditAction::ReportFile));
        assert_eq!((filed.object_type, filed.object_id.as_str()), ("report", "r1"));
        assert_eq!(filed.payload, filing_payload(&row()));
        let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let step = HandlingStep { at, by: "d1".into(), status: ReportState::Closed, note: "办结".into() };
        let handled = handling_entry(&row(), vec![step.clone()]);
        assert_eq!((handled.chain.as_str(), handled.action), ("report:r1", AuditAction::ReportHandle));
        assert_eq!(handled.payload, vec![step]);
    }

    #[test]
    fn a_handled_report_takes_its_steps_status_and_keeps_its_earlier_steps() {
        let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let first = HandlingStep { at, by: "d1".into(), status: ReportState::Investigating, note: "核查".into() };
        let mut row = row();
        assert_eq!(handled_report_row(&mut row, first.clone()).unwrap(), vec![first.clone()]);
        assert_eq!(row.status, "investigating");
        let closed = HandlingStep { status: ReportState::Closed, note: "办结".into(), ..first.clone() };
        let steps = handled_report_row(&mut row, closed.clone()).unwrap();
        assert_eq!(steps, vec![first, closed]);
        assert_eq!(row.status, "closed");
        assert_eq!(serde_json::from_str::<Vec<HandlingStep>>(&row.handling).unwrap(), steps);
        let unreadable = ReportRow { handling: "{".into(), ..row };
        assert!(handled_report_row(&mut unreadable.clone(), steps[0].clone()).is_err());
    }
}
