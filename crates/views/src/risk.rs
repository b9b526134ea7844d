//! Response and request bodies of risk (see `ggzy_service::risk` for the use cases).

use chrono::{DateTime, NaiveDateTime, Utc};
use ggzy_kernel::validation::read;
use ggzy_kernel::{stored, stored_json, AuditAction, FieldError, PageRequest, StoredFault};
use ggzy_oversight::lifecycle::AlertStatus;
use ggzy_oversight::lifecycle::ControlKind;
use ggzy_oversight::risk::grouping::KnownAlert;
use ggzy_oversight::risk::handling;
pub use ggzy_oversight::risk::handling::{AlertStep, HandleAlert};
pub use ggzy_oversight::risk::ties::{NewControl, NewEntrustment};
use ggzy_oversight::risk::{self as scan, BidFacts, Indicator, RiskFinding, RiskSeverity, SectionFacts};
use ggzy_rules::Category;
use ggzy_store::projects::{ProjectRow, SectionRow};
use ggzy_store::risk::AlertRow;
use ggzy_trading::bidding::BidContent;
pub use ggzy_trading::committee::RejectBid;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::audit_entry::{participant_chain, project_chain, AuditEntry};

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

impl AlertFilter {
    /// The page the filter asks for, its status checked with it: every problem at once.
    pub fn page(&self) -> Result<PageRequest, Vec<FieldError>> {
        let mut problems = Vec::new();
        if let Some(status) = &self.status {
            read::closed::<AlertStatus>(&mut problems, "status", status);
        }
        let page = ggzy_oversight::page::read_page(&mut problems, self.after.clone(), self.limit);
        match page {
            Some(page) if problems.is_empty() => Ok(page),
            _ => Err(problems),
        }
    }
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

/// The fingerprint as stored: a digest, since a finding may name hundreds of bidders (an
/// index row holds a few kilobytes at most). Alerts stored before keep their plain
/// fingerprint; grouping, not the fingerprint, keeps a rescan from raising them again.
pub fn stored_fingerprint(finding: &RiskFinding) -> String {
    ggzy_store::audit::sha256_hex(finding.fingerprint().as_bytes())
}

fn id_list(ids: &[String]) -> String {
    serde_json::Value::from(ids.to_vec()).to_string()
}

/// The row of an alert newly raised on `finding`, open, led by `lead`; its own group unless
/// it joins `group_id`.
pub fn new_alert_row(
    id: String,
    group_id: Option<String>,
    finding: &RiskFinding,
    lead: String,
    detected_at: NaiveDateTime,
) -> AlertRow {
    AlertRow {
        group_id: group_id.unwrap_or_else(|| id.clone()),
        id,
        fingerprint: stored_fingerprint(finding),
        indicator: finding.indicator.as_str().into(),
        rule_id: finding.rule_id.into(),
        severity: finding.severity.as_str().into(),
        project_ids: id_list(&finding.project_ids),
        section_ids: id_list(&finding.section_ids),
        bidders: id_list(&finding.bidders),
        evidence: finding.evidence.clone(),
        department_id: lead,
        status: AlertStatus::Open.as_str().into(),
        detected_at,
        handling: "[]".into(),
        violation_cases: "[]".into(),
        version: 1,
    }
}

/// An alert's row grown to the finding it was merged with (a new version).
pub fn grow_alert_row(row: &mut AlertRow, merged: &RiskFinding) {
    row.fingerprint = stored_fingerprint(merged);
    row.project_ids = id_list(&merged.project_ids);
    row.section_ids = id_list(&merged.section_ids);
    row.bidders = id_list(&merged.bidders);
    row.evidence = merged.evidence.clone();
    row.version += 1;
}

/// The platform's step merging an alert into `into`, another alert of its ring: none when
/// a regulator has taken the alert up meanwhile ([`handling::merge`]).
pub fn merge_step(row: &AlertRow, into: &str, now: DateTime<Utc>) -> Result<Option<AlertStep>, StoredFault> {
    let status: AlertStatus = stored("risk_alerts.status", &row.status)?;
    Ok(handling::merge(status, into, now))
}

/// An alert's row after the platform's `step`, in the ring `group_id` (a new version): the
/// step's status, the step appended to its handling.
pub fn stepped_alert_row(row: &mut AlertRow, step: AlertStep, group_id: String) -> Result<(), StoredFault> {
    let mut steps: Vec<AlertStep> = stored_json("risk_alerts.handling", &row.handling)?;
    row.status = step.status.as_str().into();
    steps.push(step);
    row.handling = steps_text(&steps)?;
    row.group_id = group_id;
    row.version += 1;
    Ok(())
}

/// An alert's row after a regulator handled it (a new version): its status and handling,
/// and the violation cases it opened, when it opened them.
pub fn handled_alert_row(
    row: &mut AlertRow,
    handled: handling::Handled,
    cases: Option<&[String]>,
) -> Result<(), StoredFault> {
    if let Some(cases) = cases {
        row.violation_cases = id_list(cases);
    }
    row.handling = steps_text(&handled.handling)?;
    row.status = handled.status.as_str().to_owned();
    row.version += 1;
    Ok(())
}

/// The audit entry of a regulator's handling, on the alert's own chain: its status, the
/// note and the cases it opened.
pub fn handling_entry(row: &AlertRow, note: &str) -> AuditEntry<serde_json::Value> {
    let payload = serde_json::json!({ "status": row.status, "note": note, "violation_cases": row.violation_cases });
    let (chain, object_id) = (format!("risk_alert:{}", row.id), row.id.clone());
    AuditEntry { chain, action: AuditAction::RiskAlertHandle, object_type: "risk_alert", object_id, payload }
}

/// The audit entry of a control recorded between participants, on the controller's chain.
pub fn control_entry(controller_id: &str, controlled_id: &str, kind: ControlKind) -> AuditEntry<serde_json::Value> {
    let payload = serde_json::json!({ "controlled_id": controlled_id, "kind": kind });
    participant_entry(controller_id, AuditAction::ParticipantControl, payload)
}

/// The audit entry of a person a bidder entrusts, on the bidder's chain.
pub fn entrustment_entry(bidder_id: &str, person_id: &str) -> AuditEntry<serde_json::Value> {
    participant_entry(bidder_id, AuditAction::ParticipantEntrustAgent, serde_json::json!({ "person_id": person_id }))
}

fn participant_entry(
    participant_id: &str,
    action: AuditAction,
    payload: serde_json::Value,
) -> AuditEntry<serde_json::Value> {
    let (chain, object_id) = (participant_chain(participant_id), participant_id.to_owned());
    AuditEntry { chain, action, object_type: "participant", object_id, payload }
}

/// The audit entry of a bid the committee rejected, on the project's chain.
pub fn rejection_entry(
    project_id: &str,
    section_id: &str,
    bidder_id: &str,
    reason: &str,
) -> AuditEntry<serde_json::Value> {
    let payload = serde_json::json!({ "bidder_id": bidder_id, "reason": reason });
    let (chain, object_id) = (project_chain(project_id), section_id.to_owned());
    AuditEntry { chain, action: AuditAction::SectionRejectBid, object_type: "section", object_id, payload }
}

/// A stored handling: the steps as a JSON list, each step's fields in their order.
fn steps_text(steps: &[AlertStep]) -> Result<String, StoredFault> {
    serde_json::to_string(steps).map_err(|e| StoredFault::new("risk_alerts.handling", e, "handling steps as JSON"))
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

/// What the platform recorded about one opened bid, as the scan's facts are taken from it.
#[derive(Debug, Clone)]
pub struct BidRecords {
    pub bidder_id: String,
    /// The bid as unsealed.
    pub content: BidContent,
    /// The person registered as the bidder's legal representative.
    pub legal_representative: Option<String>,
    /// The stored `payer_account` of the bidder's bond in the section.
    pub bond_payer: Option<String>,
    /// Persons declared related to the bidder.
    pub declared_persons: Vec<String>,
    /// Participants controlling, or controlled by, the bidder.
    pub related_participants: Vec<String>,
    /// The committee rejected the bid.
    pub rejected: bool,
}

/// The facts of a bid for the collusion scan.
pub fn bid_facts(records: BidRecords) -> BidFacts {
    let BidRecords {
        bidder_id,
        content,
        legal_representative,
        bond_payer,
        declared_persons,
        related_participants,
        rejected,
    } = records;
    let account = bond_payer.as_deref().and_then(bond_account);
    BidFacts {
        price_fen: content.price.fen(),
        handlers: scan::handlers_of(
            content.contact_person_id.as_deref(),
            content.agent_person_id.as_deref(),
            declared_persons,
        ),
        device: Some(content.device_fingerprint),
        author: content.document_author,
        project_manager: Some(content.project_manager_id),
        document_hashes: content.documents.into_iter().filter_map(|d| d.sha256).collect(),
        bond_account_basic: account.as_ref().is_some_and(|(_, basic)| *basic),
        bond_account: account.map(|(key, _)| key),
        legal_representative,
        related_participants,
        disqualified: rejected,
        bidder_id,
    }
}

/// The facts of a submitted bid from its content as unsealed and what the store keeps of
/// its bidder; `rejected` names the bidders the committee rejected.
pub fn scanned_bid(
    bidder_id: String,
    content: BidContent,
    records: ggzy_store::risk::BidderRecords,
    rejected: &[String],
) -> BidFacts {
    let ggzy_store::risk::BidderRecords { legal_representative, bond_payer, declared_persons, related_participants } =
        records;
    bid_facts(BidRecords {
        rejected: rejected.contains(&bidder_id),
        bidder_id,
        content,
        legal_representative,
        bond_payer,
        declared_persons,
        related_participants,
    })
}

/// An opened section's facts for the scan: its trade, whether it is a procurement, its
/// estimate as the price ceiling (招标控制价 / 采购预算), its winner once awarded, its bids.
pub fn opened_section_facts(
    section: &SectionRow,
    project: ProjectRow,
    winner_id: Option<String>,
    bids: Vec<BidFacts>,
) -> SectionFacts {
    SectionFacts {
        section_id: section.id.clone(),
        segment: scan::rotation::trade(&project.category, &project.subtype, project.regulator_id.as_deref()),
        procurement: Category::from_key(&project.category) == Some(Category::Procurement),
        project_id: project.id,
        ceiling_fen: Some(section.estimated_amount),
        winner_id,
        bids,
    }
}

/// Another firm's bond in an opened `section`, paid from the basic account `account`, as
/// the facts `shared_basic_accounts` compares: nothing else of that section counts.
pub fn basic_account_section(
    section: SectionRow,
    project: Option<&ProjectRow>,
    bidder_id: String,
    account: &str,
) -> SectionFacts {
    SectionFacts {
        section_id: section.id,
        procurement: project.is_some_and(|p| Category::from_key(&p.category) == Some(Category::Procurement)),
        project_id: section.project_id,
        bids: vec![BidFacts {
            bidder_id,
            bond_account: Some(account.to_owned()),
            bond_account_basic: true,
            ..BidFacts::default()
        }],
        ..SectionFacts::default()
    }
}

/// What a confirmed alert's violation cases are opened on, read from its stored row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAlert {
    pub indicator: Indicator,
    pub project_ids: Vec<String>,
    pub bidders: Vec<String>,
    /// SHA-256 of the fingerprint and the evidence, one per line.
    pub evidence_sha256: String,
}

impl StoredAlert {
    pub fn of(row: &AlertRow) -> Result<StoredAlert, StoredFault> {
        Ok(StoredAlert {
            indicator: stored("risk_alerts.indicator", &row.indicator)?,
            project_ids: stored_json("risk_alerts.project_ids", &row.project_ids)?,
            bidders: stored_json("risk_alerts.bidders", &row.bidders)?,
            evidence_sha256: ggzy_store::audit::sha256_hex(format!("{}\n{}", row.fingerprint, row.evidence).as_bytes()),
        })
    }

    /// The alert as the cases it opens cite it.
    pub fn confirmed<'a>(&'a self, row: &'a AlertRow) -> handling::ConfirmedAlert<'a> {
        handling::ConfirmedAlert {
            id: &row.id,
            indicator: self.indicator,
            project_ids: &self.project_ids,
            bidders: &self.bidders,
            evidence: &row.evidence,
            evidence_sha256: &self.evidence_sha256,
        }
    }
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

    #[test]
    fn an_alert_filter_names_a_wrong_status_and_a_wrong_page_together() {
        let filter = AlertFilter { status: Some("open".into()), limit: Some(20), ..AlertFilter::default() };
        assert_eq!(filter.page(), Ok(PageRequest { after: None, limit: 20 }));
        let filter = AlertFilter { status: Some("lost".into()), after: Some("X".into()), ..AlertFilter::default() };
        let problems = filter.page().unwrap_err();
        let named: Vec<_> = problems.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(named, [("status", "unknown_value"), ("after", "invalid_id")]);
    }

    #[test]
    fn each_risk_act_is_audited_on_the_chain_of_what_it_changed() {
        let handled = handling_entry(&row(), "查实");
        assert_eq!((handled.chain.as_str(), handled.action), ("risk_alert:a1", AuditAction::RiskAlertHandle));
        assert_eq!((handled.object_type, handled.object_id.as_str()), ("risk_alert", "a1"));
        assert_eq!(handled.payload["note"], "查实");
        assert_eq!(handled.payload["status"], row().status.as_str());
        let control = control_entry("a1", "a2", ControlKind::ALL[0]);
        assert_eq!((control.chain.as_str(), control.action), ("participant:a1", AuditAction::ParticipantControl));
        assert_eq!((control.object_type, control.payload["controlled_id"].as_str()), ("participant", Some("a2")));
        assert_eq!(control.payload["kind"], ControlKind::ALL[0].as_str());
        let entrusted = entrustment_entry("b1", "x1");
        assert_eq!((entrusted.object_id.as_str(), entrusted.action), ("b1", AuditAction::ParticipantEntrustAgent));
        assert_eq!(entrusted.payload, serde_json::json!({ "person_id": "x1" }));
        let rejected = rejection_entry("p1", "s1", "b1", "低于成本");
        assert_eq!(
            (rejected.chain.as_str(), rejected.object_type, rejected.object_id.as_str()),
            ("project:p1", "section", "s1")
        );
        assert_eq!(rejected.payload, serde_json::json!({ "bidder_id": "b1", "reason": "低于成本" }));
    }

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
        assert_eq!(fault.column, "risk_alerts.bidders");
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

    fn finding(bidders: usize) -> RiskFinding {
        RiskFinding {
            indicator: Indicator::IdenticalDocuments,
            rule_id: "construction.collusion.deemed",
            severity: RiskSeverity::High,
            project_ids: vec!["p".into()],
            section_ids: vec!["s".into()],
            bidders: (0..bidders).map(|n| format!("01a199c5-3280-7667-9c55-{n:012}")).collect(),
            evidence: "same file".into(),
        }
    }

    #[test]
    fn a_finding_naming_hundreds_of_bidders_has_a_short_stored_fingerprint() {
        // An index row holds a few kilobytes: 200 bidder ids in the plain fingerprint broke
        // the opening of a section with one document shared by every bid.
        let finding = finding(500);
        assert!(finding.fingerprint().len() > 10_000);
        assert_eq!(stored_fingerprint(&finding).len(), 64);
        let mut other = finding.clone();
        other.bidders.pop();
        assert_ne!(stored_fingerprint(&finding), stored_fingerprint(&other));
    }

    #[test]
    fn a_raised_alert_is_open_in_its_own_group_unless_it_joins_one_and_reads_back_as_raised() {
        let raised = new_alert_row("a9".into(), None, &finding(2), "d1".into(), row().detected_at);
        assert_eq!((raised.group_id.as_str(), raised.status.as_str(), raised.version), ("a9", "open", 1));
        assert_eq!(raised.fingerprint, stored_fingerprint(&finding(2)));
        let known = known_alert(&raised).unwrap();
        assert_eq!(known.bidders, finding(2).bidders);
        assert_eq!((known.indicator, known.evidence.as_str()), (Indicator::IdenticalDocuments, "same file"));
        let alert = RiskAlert::from_row(raised, vec![]).unwrap();
        assert!(alert.handling.is_empty() && alert.violation_cases.is_empty());
        assert_eq!(alert.department_id, "d1");
        let joined = new_alert_row("a10".into(), Some("g1".into()), &finding(2), "d1".into(), row().detected_at);
        assert_eq!(joined.group_id, "g1");
    }

    #[test]
    fn a_grown_alert_holds_the_merged_finding_in_a_new_version() {
        let mut grown = row();
        grow_alert_row(&mut grown, &finding(3));
        assert_eq!(grown.version, 2);
        assert_eq!(known_alert(&grown).unwrap().bidders, finding(3).bidders);
        assert_eq!(grown.fingerprint, stored_fingerprint(&finding(3)));
        assert_eq!((grown.id.as_str(), grown.status.as_str()), ("a1", "open"));
    }

    #[test]
    fn numbers_without_digits_compare_with_nothing() {
        let payer = |number: &str| format!(r#"{{"bank":"中国银行","number":"{number}","is_basic_account":true}}"#);
        assert_eq!(bond_account(&payer("无")), None);
        assert_eq!(bond_account(&payer("6222 0001")), Some(("中国银行|62220001".into(), true)));
        assert_eq!(bond_account(r#"{"bank":"中国银行","number":"1"}"#), Some(("中国银行|1".into(), false)));
        assert_eq!(bond_account("not json"), None);
    }

    fn content() -> BidContent {
        BidContent {
            price: ggzy_kernel::Money::from_fen(123_400).unwrap(),
            documents: vec![
                ggzy_trading::announcement::TenderDocument {
                    title: Some("投标文件".into()),
                    sha256: Some("aa".into()),
                },
                ggzy_trading::announcement::TenderDocument { title: Some("附件".into()), sha256: None },
            ],
            project_manager_id: "pm1".into(),
            contact_person_id: Some("c1".into()),
            agent_person_id: None,
            device_fingerprint: "dev1".into(),
            document_author: Some("作者".into()),
        }
    }

    fn records(payer: Option<&str>) -> BidRecords {
        BidRecords {
            bidder_id: "b1".into(),
            content: content(),
            legal_representative: Some("lr1".into()),
            bond_payer: payer.map(Into::into),
            declared_persons: vec!["x1".into()],
            related_participants: vec!["b9".into()],
            rejected: true,
        }
    }

    #[test]
    fn a_bids_facts_come_from_its_content_its_bond_and_its_ties() {
        let basic = r#"{"bank":"中国银行","number":"6222 0001","is_basic_account":true}"#;
        let facts = bid_facts(records(Some(basic)));
        assert_eq!((facts.bidder_id.as_str(), facts.price_fen), ("b1", 123_400));
        assert_eq!((facts.device.as_deref(), facts.author.as_deref()), (Some("dev1"), Some("作者")));
        assert_eq!(facts.project_manager.as_deref(), Some("pm1"));
        assert_eq!(facts.document_hashes, vec!["aa"]);
        assert_eq!((facts.bond_account.as_deref(), facts.bond_account_basic), (Some("中国银行|62220001"), true));
        assert_eq!(facts.legal_representative.as_deref(), Some("lr1"));
        assert_eq!(facts.related_participants, vec!["b9"]);
        assert!(facts.disqualified);
        assert_eq!(facts.handlers, scan::handlers_of(Some("c1"), None, vec!["x1".into()]));
        assert!(!facts.handlers.is_empty());
    }

    #[test]
    fn a_scanned_bid_is_disqualified_only_when_its_bidder_was_rejected() {
        let stored = |payer: Option<&str>| ggzy_store::risk::BidderRecords {
            legal_representative: Some("lr1".into()),
            bond_payer: payer.map(Into::into),
            declared_persons: vec!["x1".into()],
            related_participants: vec!["b9".into()],
        };
        let basic = r#"{"bank":"中国银行","number":"6222 0001","is_basic_account":true}"#;
        let rejected = ["b0".to_owned(), "b1".to_owned()];
        let facts = scanned_bid("b1".into(), content(), stored(Some(basic)), &rejected);
        assert_eq!(facts, bid_facts(records(Some(basic))));
        let kept = scanned_bid("b2".into(), content(), stored(None), &rejected);
        assert_eq!((kept.bidder_id.as_str(), kept.disqualified, kept.bond_account), ("b2", false, None));
        assert_eq!((kept.legal_representative.as_deref(), kept.related_participants), (Some("lr1"), vec!["b9".into()]));
    }

    #[test]
    fn a_bond_from_no_account_or_another_account_is_not_a_basic_one() {
        let facts = bid_facts(records(None));
        assert_eq!((facts.bond_account, facts.bond_account_basic), (None, false));
        let other = bid_facts(records(Some(r#"{"bank":"中国银行","number":"1"}"#)));
        assert_eq!((other.bond_account.as_deref(), other.bond_account_basic), (Some("中国银行|1"), false));
    }

    #[test]
    fn a_confirmed_alert_cites_its_row_and_the_digest_of_its_evidence() {
        let row = row();
        let stored = StoredAlert::of(&row).unwrap();
        assert_eq!(stored.indicator, Indicator::IdenticalDocuments);
        assert_eq!(
            (stored.project_ids.clone(), stored.bidders.clone()),
            (vec!["p1".to_owned()], vec!["b1".to_owned(), "b2".to_owned()])
        );
        assert_eq!(stored.evidence_sha256, ggzy_store::audit::sha256_hex("f\nsame file".as_bytes()));
        let confirmed = stored.confirmed(&row);
        assert_eq!(
            (confirmed.id, confirmed.evidence, confirmed.evidence_sha256),
            ("a1", "same file", stored.evidence_sha256.as_str())
        );
        let fault = StoredAlert::of(&AlertRow { bidders: "x".into(), ..row.clone() }).unwrap_err();
        assert_eq!(fault.column, "risk_alerts.bidders");
    }

    fn section() -> SectionRow {
        crate::fixtures::section_row(5_000_000)
    }

    fn project(category: &str) -> ProjectRow {
        let at = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default().naive_utc();
        ProjectRow {
            category: category.into(),
            subtype: "housing".into(),
            status: "opened".into(),
            regulator_id: Some("d1".into()),
            estimated_total: 5_000_000,
            ..crate::fixtures::project_row(at)
        }
    }

    #[test]
    fn an_opened_sections_facts_carry_its_trade_ceiling_and_winner() {
        let bids = vec![BidFacts { bidder_id: "b1".into(), ..BidFacts::default() }];
        let facts = opened_section_facts(&section(), project("construction"), Some("b1".into()), bids.clone());
        assert_eq!((facts.section_id.as_str(), facts.project_id.as_str()), ("s1", "p1"));
        assert_eq!(facts.segment, scan::rotation::trade("construction", "housing", Some("d1")));
        assert_eq!(
            (facts.ceiling_fen, facts.winner_id.as_deref(), facts.procurement),
            (Some(5_000_000), Some("b1"), false)
        );
        assert_eq!(facts.bids, bids);
        assert!(opened_section_facts(&section(), project("procurement"), None, Vec::new()).procurement);
    }

    #[test]
    fn another_sections_bond_counts_only_its_basic_account() {
        let facts = basic_account_section(section(), Some(&project("procurement")), "b7".into(), "中国银行|62220001");
        assert_eq!((facts.section_id.as_str(), facts.project_id.as_str(), facts.procurement), ("s1", "p1", true));
        assert_eq!(facts.bids.len(), 1);
        let bid = &facts.bids[0];
        assert_eq!(
            (bid.bidder_id.as_str(), bid.bond_account.as_deref(), bid.bond_account_basic),
            ("b7", Some("中国银行|62220001"), true)
        );
        assert_eq!(
            (bid.price_fen, bid.device.as_deref(), facts.ceiling_fen, facts.winner_id.as_deref()),
            (0, None, None, None)
        );
        assert!(
            !basic_account_section(section(), None, "b7".into(), "k").procurement,
            "a project gone is not a procurement"
        );
    }

    use chrono::TimeZone;

    fn step(status: AlertStatus, note: &str) -> AlertStep {
        let at = Utc.with_ymd_and_hms(2026, 10, 9, 2, 0, 0).unwrap();
        AlertStep { at, by: "d1".into(), status, note: note.into() }
    }

    #[test]
    fn an_untouched_alert_is_merged_into_its_ring_and_a_taken_up_one_is_not() {
        let now = Utc.with_ymd_and_hms(2026, 10, 9, 2, 0, 0).unwrap();
        let merged = merge_step(&row(), "a2", now).unwrap().unwrap();
        assert_eq!((merged.status, merged.at), (AlertStatus::Merged, now));
        assert!(merged.note.contains("a2"));
        let investigating = AlertRow { status: "investigating".into(), ..row() };
        assert_eq!(merge_step(&investigating, "a2", now).unwrap(), None);
        let unknown = AlertRow { status: "lost".into(), ..row() };
        assert!(merge_step(&unknown, "a2", now).is_err());

        let mut stepped = row();
        stepped_alert_row(&mut stepped, merged.clone(), "g2".into()).unwrap();
        assert_eq!((stepped.status.as_str(), stepped.group_id.as_str(), stepped.version), ("merged", "g2", 2));
        let steps: Vec<AlertStep> = serde_json::from_str(&stepped.handling).unwrap();
        assert_eq!(steps, vec![merged.clone()]);
        // The steps it had are kept, the new one last.
        stepped_alert_row(&mut stepped, merged.clone(), "g2".into()).unwrap();
        assert_eq!(serde_json::from_str::<Vec<AlertStep>>(&stepped.handling).unwrap(), vec![merged.clone(), merged]);
    }

    #[test]
    fn a_handled_alert_holds_its_steps_and_the_cases_a_confirmation_opened() {
        let steps = vec![step(AlertStatus::Investigating, "看看"), step(AlertStatus::Confirmed, "属实")];
        let handled = handling::Handled { status: AlertStatus::Confirmed, handling: steps.clone(), opens_cases: true };
        let mut confirmed = row();
        handled_alert_row(&mut confirmed, handled, Some(&["c7".to_owned(), "c8".to_owned()])).unwrap();
        // Stored as before: each step's fields in their order.
        assert!(confirmed.handling.starts_with(r#"[{"at":"2026-10-09T02:00:00Z","by":"d1","status":"investigating""#));
        assert_eq!((confirmed.status.as_str(), confirmed.version), ("confirmed", 2));
        assert_eq!(confirmed.violation_cases, r#"["c7","c8"]"#);
        assert_eq!(serde_json::from_str::<Vec<AlertStep>>(&confirmed.handling).unwrap(), steps);
        let payload = handling_entry(&confirmed, "属实").payload;
        assert_eq!(payload["status"], "confirmed");
        assert_eq!(payload["note"], "属实");
        assert_eq!(payload["violation_cases"], r#"["c7","c8"]"#);

        let handled = handling::Handled { status: AlertStatus::Dismissed, handling: steps, opens_cases: false };
        let mut dismissed = row();
        handled_alert_row(&mut dismissed, handled, None).unwrap();
        assert_eq!((dismissed.status.as_str(), dismissed.violation_cases.as_str()), ("dismissed", r#"["c1"]"#));
    }
}
