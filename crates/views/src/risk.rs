//! Response and request bodies of risk (see `ggzy_service::risk` for the use cases).

use chrono::{DateTime, NaiveDateTime, Utc};
use ggzy_kernel::{stored, stored_json, StoredFault};
use ggzy_oversight::lifecycle::AlertStatus;
use ggzy_oversight::risk::grouping::KnownAlert;
use ggzy_oversight::risk::handling;
pub use ggzy_oversight::risk::handling::{AlertStep, HandleAlert};
pub use ggzy_oversight::risk::ties::{NewControl, NewEntrustment};
use ggzy_oversight::risk::{Indicator, RiskSeverity};
use ggzy_store::risk::AlertRow;
pub use ggzy_trading::committee::RejectBid;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A collusion risk alert.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RiskAlert {
    pub id: String,
    pub indicator: Indicator,
    pub rule_id: String,
    pub severity: RiskSeverity,
    pub project_ids: Vec<String>,
    pub section_ids: Vec<String>,
    pub bidders: Vec<String>,
    pub evidence: String,
    /// The lead department: the project's industry regulator when one project is involved,
    /// 公管办 when several are (or none has a regulator).
    pub department_id: String,
    /// Every department it goes to: the industry regulator of each project involved and
    /// 公管办. Each sees it and may handle it; each sees the others' handling.
    pub department_ids: Vec<String>,
    /// The ring's identity: alerts of one group (a closed alert and what was found of the
    /// same ring afterwards) share it.
    pub group_id: String,
    pub status: AlertStatus,
    pub detected_at: DateTime<Utc>,
    pub handling: Vec<AlertStep>,
    /// Violation cases opened when it was confirmed.
    pub violation_cases: Vec<String>,
    /// Where to look: the projects, the sections' opening records and the bidders.
    pub links: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RiskAlertPage {
    pub items: Vec<RiskAlert>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AlertFilter {
    #[param(value_type = Option<AlertStatus>)]
    pub status: Option<String>,
    /// Only alerts of this department (公管办 and inspectors).
    pub department: Option<String>,
    pub after: Option<String>,
    /// Page size, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// What a scan looked at and raised.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScanSummary {
    pub sections: usize,
    pub bids: usize,
    pub findings: usize,
    pub new_alerts: usize,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntrustedAgent {
    pub person_id: String,
    pub entrusted_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BidRejection {
    pub bidder_id: String,
    pub reason: String,
}

impl RiskAlert {
    /// The alert as stored, with every department it goes to.
    pub fn from_row(row: AlertRow, department_ids: Vec<String>) -> Result<RiskAlert, StoredFault> {
        let project_ids: Vec<String> = stored_json("risk_alerts.project_ids", &row.project_ids)?;
        let section_ids: Vec<String> = stored_json("risk_alerts.section_ids", &row.section_ids)?;
        let bidders: Vec<String> = stored_json("risk_alerts.bidders", &row.bidders)?;
        Ok(RiskAlert {
            links: handling::links(&project_ids, &section_ids, &bidders),
            project_ids,
            section_ids,
            bidders,
            handling: stored_json("risk_alerts.handling", &row.handling)?,
            violation_cases: stored_json("risk_alerts.violation_cases", &row.violation_cases)?,
            id: row.id,
            indicator: stored("risk_alerts.indicator", &row.indicator)?,
            rule_id: row.rule_id,
            severity: stored("risk_alerts.severity", &row.severity)?,
            evidence: row.evidence,
            department_id: row.department_id,
            department_ids,
            group_id: row.group_id,
            status: stored("risk_alerts.status", &row.status)?,
            detected_at: row.detected_at.and_utc(),
        })
    }
}

/// A stored alert as the grouping of findings reads it.
pub fn known_alert(row: &AlertRow) -> Result<KnownAlert, StoredFault> {
    let status: AlertStatus = stored("risk_alerts.status", &row.status)?;
    Ok(KnownAlert {
        id: row.id.clone(),
        group_id: row.group_id.clone(),
        indicator: stored("risk_alerts.indicator", &row.indicator)?,
        open: status.grows(),
        untouched: status.untouched(),
        evidence: row.evidence.clone(),
        project_ids: stored_json("risk_alerts.project_ids", &row.project_ids)?,
        section_ids: stored_json("risk_alerts.section_ids", &row.section_ids)?,
        bidders: stored_json("risk_alerts.bidders", &row.bidders)?,
    })
}

/// The account a bond came from (its stored `payer_account`), as one comparable key
/// however it was written, and whether the bidder declared it its basic account.
pub fn bond_account(payer: &str) -> Option<(String, bool)> {
    let value: serde_json::Value = serde_json::from_str(payer).ok()?;
    let bank = value.get("bank")?.as_str()?;
    let number = value.get("number")?.as_str()?;
    let basic = value.get("is_basic_account").and_then(serde_json::Value::as_bool).unwrap_or(false);
    // A number without digits (written before deposits checked it) compares with nothing.
    if ggzy_oversight::risk::account::account_digits(number).is_empty() {
        return None;
    }
    Some((ggzy_oversight::risk::account::account_key(bank, number), basic))
}

impl From<(String, NaiveDateTime)> for EntrustedAgent {
    fn from((person_id, at): (String, NaiveDateTime)) -> Self {
        EntrustedAgent { person_id, entrusted_at: at.and_utc() }
    }
}

impl From<(String, String)> for BidRejection {
    fn from((bidder_id, reason): (String, String)) -> Self {
        BidRejection { bidder_id, reason }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> AlertRow {
        AlertRow {
            id: "a1".into(),
            fingerprint: "f".into(),
            indicator: "identical_documents".into(),
            rule_id: "construction.collusion.deemed".into(),
            severity: "high".into(),
            project_ids: r#"["p1"]"#.into(),
            section_ids: r#"["s1"]"#.into(),
            bidders: r#"["b1","b2"]"#.into(),
            evidence: "same file".into(),
            department_id: "d1".into(),
            status: "open".into(),
            detected_at: chrono::DateTime::from_timestamp(1_700_000_000, 0).map(|t| t.naive_utc()).unwrap_or_default(),
            handling: "[]".into(),
            violation_cases: r#"["c1"]"#.into(),
            version: 1,
            group_id: "g1".into(),
        }
    }

    #[test]
    fn an_alert_shows_what_its_row_held() {
        let alert = RiskAlert::from_row(row(), vec!["d1".into(), "d2".into()]).unwrap();
        assert_eq!(alert.id, "a1");
        assert_eq!(alert.indicator, Indicator::IdenticalDocuments);
        assert_eq!(alert.severity, RiskSeverity::High);
        assert_eq!(alert.status, AlertStatus::Open);
        assert_eq!(alert.bidders, vec!["b1", "b2"]);
        assert_eq!(alert.violation_cases, vec!["c1"]);
        assert_eq!(alert.department_ids, vec!["d1", "d2"]);
        assert_eq!(alert.group_id, "g1");
        assert_eq!(alert.detected_at.timestamp(), 1_700_000_000);
        assert_eq!(alert.links, handling::links(&["p1".into()], &["s1".into()], &["b1".into(), "b2".into()]));
    }

    #[test]
    fn an_unknown_stored_status_or_list_is_a_fault_naming_its_column() {
        let fault = RiskAlert::from_row(AlertRow { status: "lost".into(), ..row() }, vec![]).unwrap_err();
        assert_eq!((fault.column, fault.value.as_str()), ("risk_alerts.status", "lost"));
        let fault = known_alert(&AlertRow { bidders: "b1".into(), ..row() }).unwrap_err();
        assert_eq!((fault.column, fault.value.as_str()), ("risk_alerts.bidders", "b1"));
        let fault = known_alert(&AlertRow { indicator: "hunch".into(), ..row() }).unwrap_err();
        assert_eq!(fault.column, "risk_alerts.indicator");
    }

    #[test]
    fn a_known_alert_is_open_and_untouched_while_open() {
        let known = known_alert(&row()).unwrap();
        assert!(known.open && known.untouched);
        assert_eq!(known.project_ids, vec!["p1"]);
        let closed = known_alert(&AlertRow { status: "dismissed".into(), ..row() }).unwrap();
        assert!(!closed.open && !closed.untouched);
    }

    #[test]
    fn numbers_without_digits_compare_with_nothing() {
        let payer = |number: &str| format!(r#"{{"bank":"中国银行","number":"{number}","is_basic_account":true}}"#);
        assert_eq!(bond_account(&payer("无")), None);
        assert_eq!(bond_account(&payer("6222 0001")), Some(("中国银行|62220001".into(), true)));
        assert_eq!(bond_account(r#"{"bank":"中国银行","number":"1"}"#), Some(("中国银行|1".into(), false)));
        assert_eq!(bond_account("not json"), None);
    }
}
