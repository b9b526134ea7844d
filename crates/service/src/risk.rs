//! Collusion risk monitoring on the platform's own records: the facts of each opened
//! section (unsealed bids, bond accounts, legal representatives, control, rejections and
//! the winner, the persons acting for each bidder) go to the pure scan of
//! `ggzy_oversight::risk`; findings become alerts for the industry regulator of every
//! project involved and for 公管办, each of whom sees and handles the same alert. A finding
//! of a ring already alerted extends that alert (`risk::grouping`). Sections are scanned
//! when opened and again when awarded; `ggzy risk scan` and POST /api/v1/risk/scans rescan
//! everything. A confirmed alert opens a violation case against each bidder.

use ggzy_kernel::stored_json;
use ggzy_oversight::lifecycle::AlertStatus;
use ggzy_oversight::risk::grouping::{self, AlertChange, Extension};
use ggzy_oversight::risk::{self, RiskFinding, RiskPolicy, SectionFacts};
use ggzy_oversight::risk::{handling, ties};
use ggzy_store::risk::{self as repo, AlertRow};
use ggzy_store::DbConnection;
use ggzy_trading::committee;

use crate::policy::{authorize, Action};
use crate::stored::stored;
use crate::utc;
use crate::validate;
use crate::{Principal, ServiceError};

pub use ggzy_oversight::risk::handling::{AlertStep, HandleAlert};
pub use ggzy_oversight::risk::ties::{NewControl, NewEntrustment};

pub use ggzy_trading::committee::RejectBid;
pub(crate) use ggzy_views::risk::bond_account;
use ggzy_views::risk::{
    basic_account_section, control_entry, entrustment_entry, grow_alert_row, handled_alert_row, handling_entry,
    known_alert, merge_step, new_alert_row, opened_section_facts, rejection_entry, scanned_bid, stepped_alert_row,
    StoredAlert,
};
pub use ggzy_views::risk::{AlertFilter, BidRejection, EntrustedAgent, RiskAlert, RiskAlertPage, ScanSummary};

fn alert_view(conn: &mut DbConnection, row: AlertRow) -> Result<RiskAlert, ServiceError> {
    let department_ids = repo::departments_of(conn, &row.id)?;
    Ok(RiskAlert::from_row(row, department_ids)?)
}

/// An alert with the departments it goes to; an industry regulator (`industry`) it does not
/// go to does not learn that it exists.
fn alert_for(
    conn: &mut DbConnection,
    id: &str,
    industry: Option<&str>,
) -> Result<(AlertRow, Vec<String>), ServiceError> {
    let row = repo::find_alert(conn, id)?.ok_or(ServiceError::NotFound { what: "risk alert" })?;
    let departments = repo::departments_of(conn, &row.id)?;
    if industry.is_some_and(|industry| !departments.iter().any(|d| d == industry)) {
        return Err(ServiceError::NotFound { what: "risk alert" });
    }
    Ok((row, departments))
}

/// The lead department and every department a finding goes to (`grouping::routing`).
fn routing_of(conn: &mut DbConnection, finding: &RiskFinding) -> Result<(String, Vec<String>), ServiceError> {
    let regulators = repo::regulators_of_projects(conn, &finding.project_ids)?;
    Ok(grouping::routing(&regulators, crate::COMPREHENSIVE_REGULATOR))
}

/// The thresholds of the rule set in force today.
fn policy_in_force(conn: &mut DbConnection, today: chrono::NaiveDate) -> Result<RiskPolicy, ServiceError> {
    let rows = ggzy_store::rule_sets::all(conn)?;
    let versions = rows.iter().map(crate::rules::row_to_rule_set).collect::<Result<Vec<_>, _>>()?;
    let book = ggzy_rules::RuleBook::new(versions)
        .map_err(|e| ServiceError::Internal(format!("stored rule sets are inconsistent: {e:?}")))?;
    Ok(RiskPolicy::in_force(&book, today))
}

impl crate::contexts::Oversight<'_> {
    /// The facts of an opened section; None if it was not opened with bids.
    fn section_facts(&self, conn: &mut DbConnection, section_id: &str) -> Result<Option<SectionFacts>, ServiceError> {
        if !crate::bids::opened(conn, section_id)? {
            return Ok(None);
        }
        let records = repo::section_records(conn, section_id)?.ok_or(ServiceError::NotFound { what: "section" })?;
        let mut bids = Vec::new();
        for (row, bidder) in records.bids {
            let content = self.tendering().unseal(conn, &row)?;
            bids.push(scanned_bid(row.bidder_id, content, bidder, &records.rejected));
        }
        Ok(Some(opened_section_facts(&records.section, records.project, records.winner, bids)))
    }

    /// Brings the alerts up to the findings: a finding of a ring already alerted extends its
    /// open alert, anything else is raised once, for every department involved. Returns
    /// how many alerts are new.
    fn raise_alerts(&self, conn: &mut DbConnection, findings: Vec<RiskFinding>) -> Result<usize, ServiceError> {
        if findings.is_empty() {
            return Ok(0);
        }
        let now = self.now_naive();
        let mut indicators: Vec<String> = findings.iter().map(|f| f.indicator.as_str().to_owned()).collect();
        indicators.sort();
        indicators.dedup();
        let rows = repo::alerts_of_indicators(conn, &indicators)?;
        let known = rows.iter().map(known_alert).collect::<Result<Vec<_>, _>>()?;
        let mut new = 0;
        // A survivor decided meanwhile is replaced by a new alert of its ring; the merges of
        // this batch then join the new one.
        let mut replaced: std::collections::HashMap<String, String> = std::collections::HashMap::new();
        for change in grouping::reconcile(&known, findings) {
            match change {
                AlertChange::Raise { finding, group_id } => {
                    new += usize::from(self.insert_alert(conn, &finding, group_id, now)?.is_some());
                }
                AlertChange::Extend { id, merged } => {
                    // Locked, and read again: a regulator may have decided it meanwhile (a
                    // decided alert stays as decided; what is new joins its group), and
                    // another opening or award may have grown it (its lists are kept).
                    let mut row =
                        repo::find_alert_for_update(conn, &id)?.ok_or(ServiceError::NotFound { what: "risk alert" })?;
                    let merged = match grouping::extend(&known_alert(&row)?, merged) {
                        Extension::Grow(grown) => grown,
                        Extension::RaiseInGroup { finding, group_id } => {
                            if let Some(raised) = self.insert_alert(conn, &finding, Some(group_id), now)? {
                                new += 1;
                                replaced.insert(id, raised);
                            }
                            continue;
                        }
                    };
                    grow_alert_row(&mut row, &merged);
                    if !repo::update_alert(conn, &row)? {
                        return Err(ServiceError::Conflict { detail: "预警已被同时处理，请重试".into() });
                    }
                    let (_, departments) = routing_of(conn, &merged)?;
                    repo::add_departments(conn, &row.id, &departments)?;
                    tracing::info!(indicator = %row.indicator, alert_id = %row.id, "collusion risk alert extended");
                }
                AlertChange::Merge { id, into } => {
                    let into = replaced.get(&into).cloned().unwrap_or(into);
                    let mut row =
                        repo::find_alert_for_update(conn, &id)?.ok_or(ServiceError::NotFound { what: "risk alert" })?;
                    let Some(step) = merge_step(&row, &into, utc(now))? else { continue };
                    let into_row =
                        repo::find_alert(conn, &into)?.ok_or(ServiceError::NotFound { what: "risk alert" })?;
                    stepped_alert_row(&mut row, step, into_row.group_id)?;
                    if !repo::update_alert(conn, &row)? {
                        return Err(ServiceError::Conflict { detail: "预警已被同时处理，请重试".into() });
                    }
                    tracing::info!(alert_id = %row.id, into = %into, "collusion risk alert merged");
                }
            }
        }
        Ok(new)
    }

    /// Stores a new alert for every department involved; its id, or None if an alert with
    /// its fingerprint exists.
    fn insert_alert(
        &self,
        conn: &mut DbConnection,
        finding: &RiskFinding,
        group_id: Option<String>,
        now: chrono::NaiveDateTime,
    ) -> Result<Option<String>, ServiceError> {
        let (lead, departments) = routing_of(conn, finding)?;
        let row = new_alert_row(self.fresh_id(), group_id, finding, lead, now);
        if repo::insert_alert_once(conn, &row, &departments)? {
            tracing::info!(indicator = %row.indicator, alert_id = %row.id, "collusion risk alert raised");
            let project_id = finding.project_ids.first().map(String::as_str);
            crate::inboxes::notify_alert(conn, &row.id, &departments, project_id, now)?;
            return Ok(Some(row.id));
        }
        Ok(None)
    }

    /// Other firms' bonds paid from the basic accounts of this section's bidders, in
    /// sections already disclosed (opened), as facts for `shared_basic_accounts`.
    fn basic_account_facts(
        &self,
        conn: &mut DbConnection,
        facts: &SectionFacts,
    ) -> Result<Vec<SectionFacts>, ServiceError> {
        let mut others: Vec<SectionFacts> = Vec::new();
        let mut seen: Vec<(String, String)> = Vec::new();
        for bid in facts.bids.iter().filter(|b| b.bond_account_basic) {
            let Some(account) = &bid.bond_account else { continue };
            let holdings = repo::opened_basic_account_holdings(conn, account, &bid.bidder_id, &facts.section_id)?;
            for (bidder_id, section, project) in holdings {
                let holder = (bidder_id.clone(), section.id.clone());
                if seen.contains(&holder) {
                    continue;
                }
                seen.push(holder);
                others.push(basic_account_section(section, project.as_ref(), bidder_id, account));
            }
        }
        Ok(others)
    }

    /// The incremental scan at opening: the section's own indicators, and its bidders'
    /// basic accounts against other disclosed sections.
    pub(crate) fn scan_opened_section(&self, conn: &mut DbConnection, section_id: &str) -> Result<(), ServiceError> {
        if let Some(facts) = self.section_facts(conn, section_id)? {
            let policy = policy_in_force(conn, self.today())?;
            let mut findings = risk::scan_section(&facts, &policy);
            let mut accounts = self.basic_account_facts(conn, &facts)?;
            if !accounts.is_empty() {
                accounts.push(facts);
                findings.extend(risk::shared_basic_accounts(&accounts));
            }
            self.raise_alerts(conn, findings)?;
        }
        Ok(())
    }

    /// The incremental scan at award: the outcome signals of the section, and rotating
    /// groups among its bidders over every section they took part in, weighed in the
    /// market of every opened section.
    pub(crate) fn scan_awarded_section(&self, conn: &mut DbConnection, section_id: &str) -> Result<(), ServiceError> {
        let Some(facts) = self.section_facts(conn, section_id)? else { return Ok(()) };
        let policy = policy_in_force(conn, self.today())?;
        let mut findings = risk::scan_section(&facts, &policy);
        let bidders: Vec<String> = facts.bids.iter().map(|b| b.bidder_id.clone()).collect();
        let mut history = Vec::new();
        for other in repo::sections_of_bidders(conn, &bidders)? {
            history.extend(self.section_facts(conn, &other)?);
        }
        let (sizes, trades) = repo::market(conn)?;
        let market = risk::rotation::Market::of_counts(sizes, trades);
        findings.extend(risk::rotation::rotating_groups(
            &history,
            &market,
            Some(&bidders),
            policy.rotation_min_meetings,
            policy.rotation_max_chance,
        ));
        self.raise_alerts(conn, findings)?;
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
        let today = self.today();
        let policy = self.store().read(|conn| policy_in_force(conn, today))?;
        let findings = risk::scan_history(&history, &policy);
        let found = findings.len();
        let new_alerts = self.store().write(|conn| self.raise_alerts(conn, findings))?;
        Ok(ScanSummary {
            sections: history.len(),
            bids: history.iter().map(|s| s.bids.len()).sum(),
            findings: found,
            new_alerts,
        })
    }

    fn alert_scope(principal: Option<&Principal>) -> Result<Option<String>, ServiceError> {
        authorize(principal, Action::ReadRiskAlerts)?;
        let p = principal.ok_or(ServiceError::Unauthenticated)?;
        Ok(crate::policy::industry_of(p).map(str::to_owned))
    }

    pub fn risk_alerts(
        &self,
        principal: Option<&Principal>,
        filter: AlertFilter,
    ) -> Result<RiskAlertPage, ServiceError> {
        let scope = Self::alert_scope(principal)?;
        let page = filter.page().map_err(ServiceError::Invalid)?;
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
            let items = rows.into_iter().map(|row| alert_view(conn, row)).collect::<Result<Vec<_>, _>>()?;
            Ok(RiskAlertPage { items, next_cursor })
        })
    }

    pub fn risk_alert(&self, principal: Option<&Principal>, id: &str) -> Result<RiskAlert, ServiceError> {
        let scope = Self::alert_scope(principal)?;
        self.store().read(|conn| {
            let (row, departments) = alert_for(conn, id, scope.as_deref())?;
            Ok(RiskAlert::from_row(row, departments)?)
        })
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
        let (status, note) = handling::read_handling(request).map_err(ServiceError::Invalid)?;
        let now = self.now();
        self.store().write(|conn| {
            let (mut row, departments) = alert_for(conn, id, crate::policy::industry_of(principal_ref))?;
            // Any department the alert goes to may handle it; the others see the step.
            let allowed = departments
                .iter()
                .any(|d| authorize(principal, Action::SuperviseProject { regulator_id: Some(d) }).is_ok());
            if !allowed {
                authorize(principal, Action::SuperviseProject { regulator_id: Some(&row.department_id) })?;
            }
            let current: AlertStatus = stored("risk_alerts.status", &row.status)?;
            let handled = handling::handle(
                current,
                stored_json("risk_alerts.handling", &row.handling)?,
                status,
                note.clone(),
                principal_ref.org.clone().unwrap_or_default(),
                now,
            )
            .map_err(|refusal| ServiceError::Conflict { detail: refusal.detail() })?;
            let mut cases = Vec::new();
            if handled.opens_cases {
                let stored_alert = StoredAlert::of(&row)?;
                for case in handling::cases_of(&stored_alert.confirmed(&row), &note) {
                    cases.push(self.open_violation_case(conn, principal_ref, case, None)?.id);
                }
            }
            let opened = handled.opens_cases.then_some(cases.as_slice());
            handled_alert_row(&mut row, handled, opened)?;
            if !repo::update_alert(conn, &row)? {
                return Err(ServiceError::Conflict { detail: "预警已被同时处理，请重试".into() });
            }
            crate::record_entry(conn, principal_ref, now.naive_utc(), handling_entry(&row, &note))?;
            alert_view(conn, row)
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
        let (controlled, kind) = ties::read_control(controller_id, request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            ggzy_store::participants::find(conn, controller_id)?
                .ok_or(ServiceError::NotFound { what: "participant" })?;
            let known = ggzy_store::participants::find(conn, &controlled)?.is_some();
            ties::check_controlled(known).map_err(|problem| ServiceError::Invalid(vec![problem]))?;
            if repo::record_control(conn, controller_id, &controlled, kind.as_str(), &principal_ref.actor(), now)? {
                crate::record_entry(conn, principal_ref, now, control_entry(controller_id, &controlled, kind))?;
            }
            Ok(repo::controls_of(conn, controller_id)?)
        })
    }

    /// A bidder (or the centre for it) records a person it entrusts to act for it; the
    /// person may then be named as a bid's `agent_person_id`. Answers every entrusted agent.
    #[tracing::instrument(skip_all, fields(bidder_id = %bidder_id))]
    pub fn entrust_agent(
        &self,
        principal: Option<&Principal>,
        bidder_id: &str,
        request: NewEntrustment,
    ) -> Result<Vec<EntrustedAgent>, ServiceError> {
        authorize(principal, Action::UpdateParticipant { participant_id: bidder_id })?;
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        let person = ties::read_entrustment(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            ggzy_store::participants::find(conn, bidder_id)?.ok_or(ServiceError::NotFound { what: "participant" })?;
            let known = ggzy_store::persons::find(conn, &person)?.is_some();
            ties::check_person(known).map_err(|problem| ServiceError::Invalid(vec![problem]))?;
            if repo::entrust_agent(conn, bidder_id, &person, &principal_ref.actor(), now)? {
                crate::record_entry(conn, principal_ref, now, entrustment_entry(bidder_id, &person))?;
            }
            Self::entrusted_agents_in(conn, bidder_id)
        })
    }

    /// The persons a bidder entrusted (the bidder itself and the centre).
    pub fn entrusted_agents(
        &self,
        principal: Option<&Principal>,
        bidder_id: &str,
    ) -> Result<Vec<EntrustedAgent>, ServiceError> {
        authorize(principal, Action::UpdateParticipant { participant_id: bidder_id })?;
        self.store().read(|conn| {
            ggzy_store::participants::find(conn, bidder_id)?.ok_or(ServiceError::NotFound { what: "participant" })?;
            Self::entrusted_agents_in(conn, bidder_id)
        })
    }

    fn entrusted_agents_in(conn: &mut DbConnection, bidder_id: &str) -> Result<Vec<EntrustedAgent>, ServiceError> {
        Ok(repo::entrusted_agents_of(conn, bidder_id)?.into_iter().map(EntrustedAgent::from).collect())
    }

    /// Keys the basic accounts of bonds deposited before they were keyed at deposit (at
    /// start; idempotent).
    pub fn backfill_basic_account_declarations(&self) -> Result<usize, ServiceError> {
        self.store().write(|conn| {
            let mut keyed = 0;
            for (bond_id, bidder_id, section_id, payer) in repo::bonds_without_declaration(conn)? {
                if let Some((key, true)) = bond_account(&payer) {
                    repo::declare_basic_account(conn, &bond_id, &bidder_id, &section_id, &key)?;
                    keyed += 1;
                }
            }
            Ok(keyed)
        })
    }
}

impl crate::contexts::Evaluation<'_> {
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
        let (bidder, reason) = committee::read_rejection(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            let (section, reported, bidders) =
                repo::rejection_reads(conn, section_id)?.ok_or(ServiceError::NotFound { what: "section" })?;
            let opened = crate::bids::opened(conn, section_id)?;
            committee::may_reject(opened, reported, &bidders, &bidder).map_err(committee::RejectionRefusal::answer)?;
            if repo::insert_rejection(conn, section_id, &bidder, &reason, &principal_ref.actor(), now)? {
                let entry = rejection_entry(&section.project_id, section_id, &bidder, &reason);
                crate::record_entry(conn, principal_ref, now, entry)?;
            }
            Ok(repo::rejections_of(conn, section_id)?.into_iter().map(BidRejection::from).collect())
        })
    }
}
