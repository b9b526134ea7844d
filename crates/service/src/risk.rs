//! Collusion risk monitoring on the platform's own records: the facts of each opened
//! section (unsealed bids, bond accounts, legal representatives, control, rejections and
//! the winner) go to the pure scan of `ggzy_oversight::risk`; findings become alerts for
//! the project's industry regulator (公管办 sees all). Sections are scanned when opened and
//! again when awarded; `ggzy risk scan` and POST /api/v1/risk/scans rescan everything.
//! A confirmed alert opens a violation case against each bidder.

use chrono::{DateTime, Utc};
use ggzy_kernel::FieldError;
use ggzy_oversight::conduct::Subject;
use ggzy_oversight::lifecycle::{AlertStatus, ControlKind};
use ggzy_oversight::risk::{self, BidFacts, Indicator, RiskFinding, RiskPolicy, RiskSeverity, SectionFacts};
use ggzy_store::risk::{self as repo, AlertRow};
use ggzy_store::DbConnection;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::policy::{authorize, Action};
use crate::stored::stored;
use crate::validate::{self, Problems};
use crate::violations::{Evidence, OpenedCase};
use crate::{json_text, utc};
use crate::{Platform, Principal, Role, ServiceError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AlertStep {
    pub at: DateTime<Utc>,
    pub by: String,
    pub status: AlertStatus,
    pub note: String,
}

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
    /// The regulator it went to (the project's industry regulator, or 公管办).
    pub department_id: String,
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

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandleAlert {
    /// investigating, dismissed or confirmed (confirmed opens a violation case per bidder).
    #[schema(required = true, value_type = AlertStatus)]
    pub status: Option<String>,
    #[schema(required = true, value_type = String)]
    pub note: Option<String>,
}

/// What a scan looked at and raised.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScanSummary {
    pub sections: usize,
    pub bids: usize,
    pub findings: usize,
    pub new_alerts: usize,
}

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

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectBid {
    #[schema(required = true, value_type = String, format = Uuid)]
    pub bidder_id: Option<String>,
    /// The committee's reason (否决投标的理由).
    #[schema(required = true, value_type = String)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BidRejection {
    pub bidder_id: String,
    pub reason: String,
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, ServiceError> {
    crate::from_json_column(text, "risk alert")
}

fn alert_view(row: AlertRow) -> Result<RiskAlert, ServiceError> {
    let project_ids: Vec<String> = from_json(&row.project_ids)?;
    let section_ids: Vec<String> = from_json(&row.section_ids)?;
    let bidders: Vec<String> = from_json(&row.bidders)?;
    let links = project_ids
        .iter()
        .map(|p| format!("/api/v1/projects/{p}"))
        .chain(section_ids.iter().map(|s| format!("/api/v1/public/sections/{s}/opening-record")))
        .chain(bidders.iter().map(|b| format!("/api/v1/participants/{b}")))
        .collect();
    Ok(RiskAlert {
        links,
        project_ids,
        section_ids,
        bidders,
        handling: from_json(&row.handling)?,
        violation_cases: from_json(&row.violation_cases)?,
        id: row.id,
        indicator: stored("risk_alerts.indicator", &row.indicator)?,
        rule_id: row.rule_id,
        severity: stored("risk_alerts.severity", &row.severity)?,
        evidence: row.evidence,
        department_id: row.department_id,
        status: stored("risk_alerts.status", &row.status)?,
        detected_at: utc(row.detected_at),
    })
}

/// The account a bond came from, as one comparable key.
fn bond_account(payer: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(payer).ok()?;
    let bank = value.get("bank")?.as_str()?.trim();
    let number: String = value.get("number")?.as_str()?.chars().filter(|c| !c.is_whitespace()).collect();
    Some(format!("{bank}|{number}"))
}

impl Platform {
    /// The facts of an opened section; None if it was not opened with bids.
    fn section_facts(&self, conn: &mut DbConnection, section_id: &str) -> Result<Option<SectionFacts>, ServiceError> {
        if !crate::bids::opened(conn, section_id)? {
            return Ok(None);
        }
        let section =
            ggzy_store::projects::section(conn, section_id)?.ok_or(ServiceError::NotFound { what: "section" })?;
        let project =
            ggzy_store::projects::find(conn, &section.project_id)?.ok_or(ServiceError::NotFound { what: "section" })?;
        let rejected: Vec<String> = repo::rejections_of(conn, section_id)?.into_iter().map(|(b, _)| b).collect();
        let winner = ggzy_store::evaluation::result(conn, section_id)?.and_then(|r| r.winner_id);
        let mut bids = Vec::new();
        for row in ggzy_store::bids::submitted(conn, section_id)? {
            let content = self.unseal(conn, &row)?;
            let participant = ggzy_store::participants::find(conn, &row.bidder_id)?;
            let bond = ggzy_store::ledger::bond_of(conn, section_id, &row.bidder_id)?;
            bids.push(BidFacts {
                price_fen: content.price.fen(),
                device: Some(content.device_fingerprint.clone()),
                author: content.document_author.clone(),
                handlers: content.contact_person_id.clone().into_iter().collect(),
                project_manager: Some(content.project_manager_id.clone()),
                document_hashes: content.documents.iter().filter_map(|d| d.sha256.clone()).collect(),
                bond_account: bond.and_then(|b| b.payer_account).and_then(|p| bond_account(&p)),
                legal_representative: participant.and_then(|p| p.legal_representative_person_id),
                related_participants: repo::controls_of(conn, &row.bidder_id)?,
                disqualified: rejected.contains(&row.bidder_id),
                bidder_id: row.bidder_id,
            });
        }
        Ok(Some(SectionFacts {
            section_id: section_id.to_owned(),
            project_id: project.id,
            procurement: project.category == ggzy_rules::Category::Procurement.as_str(),
            // The section's estimate is its ceiling (招标控制价 / 采购预算).
            ceiling_fen: Some(section.estimated_amount),
            winner_id: winner,
            bids,
        }))
    }

    /// Stores findings as alerts, each once; returns how many are new.
    fn raise_alerts(&self, conn: &mut DbConnection, findings: &[RiskFinding]) -> Result<usize, ServiceError> {
        let now = self.now_naive();
        let mut new = 0;
        for finding in findings {
            // A finding across projects goes to 公管办, who sees every alert anyway.
            let project = match finding.project_ids.as_slice() {
                [one] => ggzy_store::projects::find(conn, one)?,
                _ => None,
            };
            let department = crate::supervising_department(project.as_ref());
            let row = AlertRow {
                id: self.fresh_id(),
                fingerprint: finding.fingerprint(),
                indicator: finding.indicator.as_str().into(),
                rule_id: finding.rule_id.into(),
                severity: finding.severity.as_str().into(),
                project_ids: json_text(&finding.project_ids)?,
                section_ids: json_text(&finding.section_ids)?,
                bidders: json_text(&finding.bidders)?,
                evidence: finding.evidence.clone(),
                department_id: department,
                status: AlertStatus::Open.as_str().into(),
                detected_at: now,
                handling: "[]".into(),
                violation_cases: "[]".into(),
                version: 1,
            };
            if repo::insert_alert_once(conn, &row)? {
                new += 1;
                tracing::info!(indicator = %row.indicator, alert_id = %row.id, "collusion risk alert raised");
            }
        }
        Ok(new)
    }

    /// The incremental scan at opening: the section's own indicators.
    pub(crate) fn scan_opened_section(&self, conn: &mut DbConnection, section_id: &str) -> Result<(), ServiceError> {
        if let Some(facts) = self.section_facts(conn, section_id)? {
            let findings = risk::scan_section(&facts, &RiskPolicy::default());
            self.raise_alerts(conn, &findings)?;
        }
        Ok(())
    }

    /// The incremental scan at award: the outcome signals of the section, and rotating
    /// groups over the sections its bidders took part in.
    pub(crate) fn scan_awarded_section(&self, conn: &mut DbConnection, section_id: &str) -> Result<(), ServiceError> {
        let Some(facts) = self.section_facts(conn, section_id)? else { return Ok(()) };
        let policy = RiskPolicy::default();
        let mut findings = risk::scan_section(&facts, &policy);
        let bidders: Vec<String> = facts.bids.iter().map(|b| b.bidder_id.clone()).collect();
        let mut history = Vec::new();
        for other in repo::sections_of_bidders(conn, &bidders)? {
            if let Some(other) = self.section_facts(conn, &other)? {
                history.push(other);
            }
        }
        findings.extend(risk::rotating_groups(&history, &policy));
        self.raise_alerts(conn, &findings)?;
        Ok(())
    }

    /// Rescans every opened section (the command `ggzy risk scan` and the admin route).
    #[tracing::instrument(skip_all)]
    pub fn risk_scan(&self, principal: Option<&Principal>) -> Result<ScanSummary, ServiceError> {
        authorize(principal, Action::RunRiskScan)?;
        self.risk_scan_all()
    }

    /// The full rescan without a caller (the command line).
    pub fn risk_scan_all(&self) -> Result<ScanSummary, ServiceError> {
        const BATCH: usize = 500;
        let mut history = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let (ids, facts) = self.store().read(|conn| -> Result<(Vec<String>, Vec<SectionFacts>), ServiceError> {
                let ids = repo::opened_sections(conn, after.as_deref(), BATCH as i64)?;
                let mut facts = Vec::with_capacity(ids.len());
                for id in &ids {
                    facts.extend(self.section_facts(conn, id)?);
                }
                Ok((ids, facts))
            })?;
            history.extend(facts);
            if ids.len() < BATCH {
                break;
            }
            after = ids.last().cloned();
        }
        let findings = risk::scan_history(&history, &RiskPolicy::default());
        let new_alerts = self.store().write(|conn| self.raise_alerts(conn, &findings))?;
        Ok(ScanSummary {
            sections: history.len(),
            bids: history.iter().map(|s| s.bids.len()).sum(),
            findings: findings.len(),
            new_alerts,
        })
    }

    fn alert_scope(principal: Option<&Principal>) -> Result<Option<String>, ServiceError> {
        let p = principal.ok_or(ServiceError::Unauthenticated)?;
        match p.role {
            Role::IndustryRegulator => Ok(Some(p.org.clone().unwrap_or_default())),
            Role::ComprehensiveRegulator | Role::Inspector => Ok(None),
            _ => Err(ServiceError::Forbidden { detail: "风险预警由监管部门处理".into(), rule: None }),
        }
    }

    pub fn risk_alerts(
        &self,
        principal: Option<&Principal>,
        filter: AlertFilter,
    ) -> Result<RiskAlertPage, ServiceError> {
        let scope = Self::alert_scope(principal)?;
        let page = validate::page(filter.after, filter.limit)?;
        if let Some(status) = &filter.status {
            let mut problems = Problems::default();
            problems.closed::<AlertStatus>("status", status);
            problems.finish()?;
        }
        let department = scope.or(filter.department);
        self.store().read(|conn| {
            let mut rows = repo::list_alerts(
                conn,
                department.as_deref(),
                filter.status.as_deref(),
                page.after.as_deref(),
                i64::from(page.limit) + 1,
            )?;
            let next_cursor = validate::next_cursor(&mut rows, page.limit, |r| r.id.clone());
            let items = rows.into_iter().map(alert_view).collect::<Result<Vec<_>, _>>()?;
            Ok(RiskAlertPage { items, next_cursor })
        })
    }

    pub fn risk_alert(&self, principal: Option<&Principal>, id: &str) -> Result<RiskAlert, ServiceError> {
        let scope = Self::alert_scope(principal)?;
        let row = self.store().read(|conn| repo::find_alert(conn, id))?;
        match row {
            Some(row) if scope.as_ref().is_none_or(|d| *d == row.department_id) => alert_view(row),
            _ => Err(ServiceError::NotFound { what: "risk alert" }),
        }
    }

    /// The alert's regulator (or 公管办) investigates, dismisses or confirms it.
    #[tracing::instrument(skip_all, fields(alert_id = %id))]
    pub fn handle_risk_alert(
        &self,
        principal: Option<&Principal>,
        id: &str,
        request: HandleAlert,
    ) -> Result<RiskAlert, ServiceError> {
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        let mut problems = Problems::default();
        let status = problems.required("status", request.status).and_then(|s| {
            match problems.closed::<AlertStatus>("status", &s) {
                Some(AlertStatus::Open) => {
                    problems.push(FieldError::new(
                        "status",
                        "unknown_value",
                        "可选：investigating、dismissed、confirmed",
                    ));
                    None
                }
                other => other,
            }
        });
        let note = problems.required("note", request.note).and_then(|n| problems.text("note", n, 2000));
        problems.finish()?;
        let (Some(status), Some(note)) = (status, note) else {
            return Err(ServiceError::Internal("validation passed without values".into()));
        };
        let now = self.now();
        self.store().write(|conn| {
            let mut row = repo::find_alert(conn, id)?.ok_or(ServiceError::NotFound { what: "risk alert" })?;
            authorize(principal, Action::SuperviseProject { regulator_id: Some(&row.department_id) })?;
            let current: AlertStatus = stored("risk_alerts.status", &row.status)?;
            if current.handle(status).is_none() {
                return Err(ServiceError::Conflict { detail: format!("预警已是 {current} 状态") });
            }
            let mut handling: Vec<AlertStep> = from_json(&row.handling)?;
            handling.push(AlertStep {
                at: now,
                by: principal_ref.org.clone().unwrap_or_default(),
                status,
                note: note.clone(),
            });
            if status == AlertStatus::Confirmed {
                let code = stored::<Indicator>("risk_alerts.indicator", &row.indicator)?.conduct_code();
                let projects: Vec<String> = from_json(&row.project_ids)?;
                let bidders: Vec<String> = from_json(&row.bidders)?;
                let digest = ggzy_store::audit::sha256_hex(format!("{}\n{}", row.fingerprint, row.evidence).as_bytes());
                let mut cases = Vec::new();
                for bidder in bidders {
                    let case = self.open_violation_case(
                        conn,
                        principal_ref,
                        OpenedCase {
                            project_id: projects.first().cloned(),
                            subject: Subject::Bidder,
                            subject_id: bidder,
                            codes: vec![code.into()],
                            description: format!("围标串标风险预警（{}）经核实：{}。{}", row.indicator, row.evidence, note),
                            evidence: vec![Evidence { name: format!("风险预警 {}", row.id), sha256: digest.clone() }],
                            report_id: None,
                        },
                    )?;
                    cases.push(case.id);
                }
                row.violation_cases = json_text(&cases)?;
            }
            row.handling = json_text(&handling)?;
            row.status = status.as_str().to_owned();
            row.version += 1;
            if !repo::update_alert(conn, &row)? {
                return Err(ServiceError::Conflict { detail: "预警已被同时处理，请重试".into() });
            }
            crate::record(
                conn,
                principal_ref,
                now.naive_utc(),
                crate::AuditRecord {
                    chain: format!("risk_alert:{}", row.id),
                    action: "risk_alert.handle",
                    object_type: "risk_alert",
                    object_id: row.id.clone(),
                    payload: serde_json::json!({ "status": row.status, "note": note, "violation_cases": row.violation_cases }),
                },
            )?;
            alert_view(row)
        })
    }

    /// Centre staff record that one participant controls or manages another (条例 §34).
    pub fn record_control(
        &self,
        principal: Option<&Principal>,
        controller_id: &str,
        request: NewControl,
    ) -> Result<Vec<String>, ServiceError> {
        authorize(principal, Action::CreateParticipant)?;
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        let mut problems = Problems::default();
        let controlled =
            problems.required("controlled_id", request.controlled_id).and_then(|c| problems.uuid("controlled_id", c));
        let kind = problems.required("kind", request.kind).and_then(|k| problems.closed::<ControlKind>("kind", &k));
        if controlled.as_deref() == Some(controller_id) {
            problems.push(FieldError::new("controlled_id", "self", "不能与自身存在控制关系"));
        }
        problems.finish()?;
        let (Some(controlled), Some(kind)) = (controlled, kind) else {
            return Err(ServiceError::Internal("validation passed without values".into()));
        };
        let now = self.now_naive();
        self.store().write(|conn| {
            ggzy_store::participants::find(conn, controller_id)?
                .ok_or(ServiceError::NotFound { what: "participant" })?;
            if ggzy_store::participants::find(conn, &controlled)?.is_none() {
                return Err(ServiceError::Invalid(vec![FieldError::new(
                    "controlled_id",
                    "unknown_participant",
                    "市场主体不存在",
                )]));
            }
            if repo::record_control(conn, controller_id, &controlled, kind.as_str(), &principal_ref.actor(), now)? {
                crate::record(
                    conn,
                    principal_ref,
                    now,
                    crate::AuditRecord {
                        chain: format!("participant:{controller_id}"),
                        action: "participant.control",
                        object_type: "participant",
                        object_id: controller_id.to_owned(),
                        payload: serde_json::json!({ "controlled_id": controlled, "kind": kind }),
                    },
                )?;
            }
            Ok(repo::controls_of(conn, controller_id)?)
        })
    }

    /// The centre records a bid the committee rejected, after the opening and before the
    /// report; the report ranks only the others.
    pub fn reject_bid(
        &self,
        principal: Option<&Principal>,
        section_id: &str,
        request: RejectBid,
    ) -> Result<Vec<BidRejection>, ServiceError> {
        authorize(principal, Action::RecordEvaluation)?;
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        let mut problems = Problems::default();
        let bidder = problems.required("bidder_id", request.bidder_id).and_then(|b| problems.uuid("bidder_id", b));
        let reason = problems.required("reason", request.reason).and_then(|r| problems.text("reason", r, 500));
        problems.finish()?;
        let (Some(bidder), Some(reason)) = (bidder, reason) else {
            return Err(ServiceError::Internal("validation passed without values".into()));
        };
        let now = self.now_naive();
        self.store().write(|conn| {
            let section =
                ggzy_store::projects::section(conn, section_id)?.ok_or(ServiceError::NotFound { what: "section" })?;
            let opened = crate::bids::opened(conn, section_id)?;
            if !opened {
                return Err(ServiceError::Conflict { detail: "标段尚未开标".into() });
            }
            if ggzy_store::evaluation::result(conn, section_id)?.is_some() {
                return Err(ServiceError::Conflict { detail: "评标报告已形成，不能再否决投标".into() });
            }
            if !ggzy_store::bids::submitted(conn, section_id)?.iter().any(|b| b.bidder_id == bidder) {
                return Err(ServiceError::Invalid(vec![FieldError::new(
                    "bidder_id",
                    "not_a_bidder",
                    "该主体未在本标段投标",
                )]));
            }
            if repo::insert_rejection(conn, section_id, &bidder, &reason, &principal_ref.actor(), now)? {
                crate::record(
                    conn,
                    principal_ref,
                    now,
                    crate::AuditRecord {
                        chain: format!("project:{}", section.project_id),
                        action: "section.reject_bid",
                        object_type: "section",
                        object_id: section_id.to_owned(),
                        payload: serde_json::json!({ "bidder_id": bidder, "reason": reason }),
                    },
                )?;
            }
            Ok(repo::rejections_of(conn, section_id)?
                .into_iter()
                .map(|(bidder_id, reason)| BidRejection { bidder_id, reason })
                .collect())
        })
    }
}
