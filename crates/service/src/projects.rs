//! Project registration (进场登记): the entry decision, project and section codes, the
//! service owner, the industry regulator, agency commissions with their real-name agents,
//! and direct-award publicity.

use ggzy_kernel::{ProjectId, SectionId};
use ggzy_rules::{Category, EntryOutcome, Funding, RuleSet};
use ggzy_store::projects::{self as repo, ProjectRow};
use ggzy_store::{command_reads, DbConnection};
use serde::de::DeserializeOwned;

use crate::participants::{is_kind, ParticipantKind};
use crate::policy::{authorize, authorized, Action};
use crate::validate::{self, Problems};
use crate::{ExistingRecord, Platform, Principal, ServiceError};

use ggzy_trading::commission::AgentChange;
pub use ggzy_trading::commission::{CommissionAgency, ReplaceAgents};
pub use ggzy_trading::lifecycle::{ProcedurePhase, ProjectCommand, ProjectStatus};

use ggzy_trading::registration::{read_registration, DirectAwardFacts, RegistrationFacts};
pub use ggzy_trading::registration::{
    ApprovalDocument, AssignRegulator, RegisterProject, RegistrationCommission, RegistrationForm, ReportDirectAward,
    SectionInput, DISTRICT_CODE,
};
use ggzy_views::list_queries::read_project_list_query;
use ggzy_views::projects::{self as projects_views, project_details, registered_rows, NewProject as ProjectNew};
pub use ggzy_views::projects::{
    Commission, DirectAward, DirectAwardPage, Project, ProjectListQuery, ProjectPage, Section, ServiceOwner,
};

/// A project as the caller is shown it: a bidder taking part does not see the tenderer's
/// registration contact (the announcement names whom bidders ask).
fn shown_to(principal: Option<&Principal>, mut project: Project) -> Project {
    if !crate::policy::sees_registration_form(principal) {
        project.registration_form = None;
    }
    project
}

/// How a stored project is funded.
pub(crate) fn project_funding(row: &ProjectRow) -> Result<Funding, ServiceError> {
    Ok(project_details(row)?.funding)
}

/// The status a stored project moves to by `command`; a command its status does not allow
/// is a conflict naming the status.
pub(crate) fn next_status(project: &ProjectRow, command: ProjectCommand) -> Result<ProjectStatus, ServiceError> {
    status_of(project)?.after(command).map_err(|refusal| ServiceError::Conflict { detail: refusal.detail() })
}

/// Where a stored project stands.
pub(crate) fn status_of(project: &ProjectRow) -> Result<ProjectStatus, ServiceError> {
    crate::stored::stored("projects.status", &project.status)
}

/// Whether a stored project must trade here (entry.catalogue): its bidders face the
/// restrictions of mandatory tenders.
/// Moves a stored project to `next`, unless someone changed it since it was read.
pub(crate) fn set_status(
    conn: &mut DbConnection,
    project: &ProjectRow,
    next: ProjectStatus,
    now: chrono::NaiveDateTime,
) -> Result<(), ServiceError> {
    if repo::set_status(conn, &project.id, next.as_str(), now, project.version)? {
        Ok(())
    } else {
        Err(ServiceError::Conflict { detail: "项目已被他人修改，请重试".into() })
    }
}

/// A stored project, else not found.
pub(crate) fn project_row(conn: &mut DbConnection, id: &str) -> Result<ProjectRow, ServiceError> {
    repo::find(conn, id)?.ok_or(ServiceError::NotFound { what: "project" })
}

/// What reading a stored project, with the agencies commissioned on it, asks the policy.
pub(crate) fn read_action<'a>(
    project: &'a ProjectRow,
    agency_ids: &'a [String],
    bidder_takes_part: bool,
) -> Action<'a> {
    let (tenderer_id, regulator_id) = (project.tenderer_id.as_str(), project.regulator_id.as_deref());
    Action::ReadProject { tenderer_id, regulator_id, agency_ids, bidder_takes_part }
}

/// Whether a stored participant exists and is registered as an agency.
fn is_agency(conn: &mut DbConnection, id: &str) -> Result<bool, ServiceError> {
    Ok(ggzy_store::participants::find(conn, id)?.is_some_and(|a| is_kind(&a, ParticipantKind::Agency)))
}

pub(crate) fn must_tender(project: &ProjectRow) -> Result<bool, ServiceError> {
    Ok(crate::stored::stored::<EntryOutcome>("projects.entry_outcome", &project.entry_outcome)?
        == EntryOutcome::MustEnter)
}

pub(crate) fn parse_stored_enum<T: DeserializeOwned>(what: &str, text: &str) -> Result<T, ServiceError> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|e| ServiceError::Internal(format!("stored {what} `{text}`: {e}")))
}

impl crate::contexts::Tendering<'_> {
    /// Everything a project view shows, read in one go.
    fn project_view(&self, conn: &mut DbConnection, row: ProjectRow) -> Result<Project, ServiceError> {
        self.project_views(conn, vec![row])?
            .pop()
            .ok_or_else(|| ServiceError::Internal("project view of one row came back empty".into()))
    }

    /// The views of these projects, in their order: what the whole page shows is read
    /// together (`repo::page_reads`); only a listed section's phase and a direct award's
    /// contractor are read one by one.
    fn project_views(&self, conn: &mut DbConnection, rows: Vec<ProjectRow>) -> Result<Vec<Project>, ServiceError> {
        let read = repo::page_reads(conn, &rows)?;
        let listed: Vec<String> = read.facts.iter().filter(|(_, f)| f.listed).map(|(id, _)| id.clone()).collect();
        // A listing's phase follows the clock, as its public view shows it.
        let listing_phases = self.listings().listed_section_phases(conn, &listed)?;
        let contractor_ids: Vec<String> = read.awards.values().map(|award| award.contractor_id.clone()).collect();
        let contractors = command_reads::participants_by_id(conn, &contractor_ids)?;
        projects_views::views_of(rows, read, listing_phases, &contractors).map_err(ServiceError::Internal)
    }

    /// Agencies commissioned on a project, for access decisions.
    pub(crate) fn agencies_of(conn: &mut DbConnection, project_id: &str) -> Result<Vec<String>, ServiceError> {
        Ok(repo::commissions_of(conn, project_id)?.into_iter().map(|c| c.agency_id).collect())
    }

    /// Checks that the principal may run the project's tendering: its tenderer, or an agent
    /// of an agency commissioned on it.
    pub(crate) fn authorize_tendering(
        conn: &mut DbConnection,
        principal: Option<&Principal>,
        project: &ProjectRow,
    ) -> Result<(), ServiceError> {
        let agencies = Self::agencies_of(conn, &project.id)?;
        authorize(principal, Action::RunTendering { tenderer_id: &project.tenderer_id, agency_ids: &agencies })
    }

    /// Loads a project and checks that the principal may read it; a project the caller may
    /// not see is not found, so existence does not leak.
    pub(crate) fn visible_project(
        &self,
        conn: &mut DbConnection,
        principal: Option<&Principal>,
        id: &str,
    ) -> Result<ProjectRow, ServiceError> {
        Self::readable_project(conn, principal, id, false)
    }

    /// A project the caller may read, else not found (its existence does not leak); a
    /// bidder that takes part in it reads it when `bidders_read` (the project itself, not
    /// the operations that start by reading it).
    fn readable_project(
        conn: &mut DbConnection,
        principal: Option<&Principal>,
        id: &str,
        bidders_read: bool,
    ) -> Result<ProjectRow, ServiceError> {
        let caller = principal.ok_or(ServiceError::Unauthenticated)?;
        let (row, agencies) =
            command_reads::project_with_agencies(conn, id)?.ok_or(ServiceError::NotFound { what: "project" })?;
        let bidder_takes_part = match (bidders_read, crate::policy::acting_bidder(caller)) {
            (true, Some(bidder)) => repo::takes_part(conn, id, bidder)?,
            _ => false,
        };
        match authorize(principal, read_action(&row, &agencies, bidder_takes_part)) {
            Ok(()) => Ok(row),
            Err(ServiceError::Forbidden { .. }) => Err(ServiceError::NotFound { what: "project" }),
            Err(other) => Err(other),
        }
    }

    /// Registers a project with its sections (进场登记).
    #[tracing::instrument(skip_all)]
    pub fn register_project(
        &self,
        principal: Option<&Principal>,
        request: RegisterProject,
    ) -> Result<Project, ServiceError> {
        let claimed_tenderer = request.tenderer_id.clone().unwrap_or_default();
        let principal = principal.ok_or(ServiceError::Unauthenticated)?;
        // An agent registers only for its own agency, under the commission it files here.
        let agency_id = crate::policy::acting_agency(principal).map(str::to_owned);
        authorize(
            Some(principal),
            Action::RegisterProject { tenderer_id: &claimed_tenderer, agency_id: agency_id.as_deref() },
        )?;
        let today = self.today();
        let rule_set = self.rule_set_on(today)?;
        let mut problems = Problems::default();
        let valid = read_registration(request, &rule_set, agency_id.is_some(), problems.list_mut());
        problems.finish_citing(ggzy_rules::rule_ids::REGISTRATION_ONE_TIME_NOTICE)?;
        let valid = valid.ok_or_else(|| ServiceError::Internal("validation passed without values".into()))?;
        let assessed = ggzy_trading::registration::assess(valid, &rule_set, today)
            .map_err(|refusal| ServiceError::from(refusal.answer()))?;
        let now = self.now_naive();
        let row_id = ProjectId::new_v7(self.now()).to_string();
        self.store().write(|conn| {
            let occupying: Vec<&str> =
                ProjectStatus::ALL.iter().filter(|s| s.occupies_service_owner()).map(|s| s.as_str()).collect();
            let (tenderer_id, regulator) = (&assessed.project.tenderer_id, assessed.regulator_named.as_deref());
            let read = command_reads::registration(conn, tenderer_id, &occupying, regulator, &assessed.code_prefix)?;
            let facts = RegistrationFacts {
                tenderer_is_tenderer: read.tenderer.is_some_and(|t| is_kind(&t, ParticipantKind::Tenderer)),
                staff_loads: &read.staff_loads,
                regulator: read.regulator.as_deref(),
                sequence: read.sequence,
            };
            let registration = ggzy_trading::registration::decide(&assessed, &facts)
                .map_err(|refusal| ServiceError::from(refusal.answer()))?;
            let new = ProjectNew {
                id: &row_id,
                assessed: &assessed,
                registration,
                rule_set_version: i32::try_from(rule_set.version).map_err(|e| ServiceError::Internal(e.to_string()))?,
                registered_by: principal.actor(),
                at: now,
            };
            let (row, section_rows) = registered_rows(new, || SectionId::new_v7(self.now()).to_string())
                .map_err(|e| ServiceError::Internal(e.to_string()))?;
            repo::insert(conn, &row, &section_rows)?;
            let registered = self.project_view(conn, row.clone())?;
            crate::record_entry(conn, principal, now, projects_views::registered_entry(&registered))?;
            if let (Some(agency_id), Some((contract_sha256, agent_ids))) = (&agency_id, &assessed.project.commission) {
                ggzy_trading::registration::may_register_for(is_agency(conn, agency_id)?)
                    .map_err(|refused| ServiceError::Forbidden { detail: refused.detail().into(), rule: None })?;
                self.credit().credit_gate(conn, agency_id, ggzy_credit::TradingAct::ActAsAgency)?;
                let category = assessed.project.category;
                let agents =
                    Self::check_agents(conn, &rule_set, category, agency_id, agent_ids.clone(), "commission.")?;
                self.create_commission(
                    conn,
                    principal,
                    now,
                    &row_id,
                    agency_id,
                    &agents,
                    serde_json::json!({ "contract_sha256": contract_sha256 }),
                )?;
            }
            self.project_view(conn, row)
        })
    }

    pub fn project(&self, principal: Option<&Principal>, id: &str) -> Result<Project, ServiceError> {
        self.store().read(|conn| {
            let row = Self::readable_project(conn, principal, id, true)?;
            Ok(shown_to(principal, self.project_view(conn, row)?))
        })
    }

    pub fn list_projects(
        &self,
        principal: Option<&Principal>,
        query: ProjectListQuery,
    ) -> Result<ProjectPage, ServiceError> {
        let principal = authorized(principal, Action::ListProjects)?;
        let scope = crate::policy::project_scope(principal);
        let (filter, page) = read_project_list_query(query).map_err(ServiceError::Invalid)?;
        self.store().read(|conn| {
            let mut rows = repo::list(conn, &scope, &filter, page.after.as_deref(), i64::from(page.limit) + 1)?;
            let next_cursor = validate::next_cursor(&mut rows, page.limit, |row| row.id.clone());
            let items =
                self.project_views(conn, rows)?.into_iter().map(|view| shown_to(Some(principal), view)).collect();
            Ok(ProjectPage { items, next_cursor })
        })
    }

    /// The comprehensive regulator assigns (or changes) a project's industry regulator
    /// (regulator.assignment).
    #[tracing::instrument(skip_all, fields(project_id = %id))]
    pub fn assign_regulator(
        &self,
        principal: Option<&Principal>,
        id: &str,
        request: AssignRegulator,
    ) -> Result<Project, ServiceError> {
        let principal = authorized(principal, Action::AssignRegulator)?;
        let department_id = ggzy_trading::registration::read_assignment(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            let row = project_row(conn, id)?;
            let department = ggzy_store::departments::find(conn, &department_id)?;
            let industry_regulator =
                department.is_some_and(|d| d.kind == crate::departments::DepartmentKind::IndustryRegulator.as_str());
            let status = ggzy_trading::registration::assign_regulator(status_of(&row)?, industry_regulator)
                .map_err(|refusal| ServiceError::from(refusal.answer()))?
                .as_str();
            if !repo::set_regulator(conn, id, &department_id, status, now, row.version)? {
                return Err(ServiceError::Conflict { detail: "项目已被他人修改，请重试".into() });
            }
            let entry = projects_views::regulator_entry(id, row.regulator_id.as_deref(), &department_id);
            crate::record_entry(conn, principal, now, entry)?;
            let updated = project_row(conn, id)?;
            self.project_view(conn, updated)
        })
    }

    /// Checks a list of agents against the agency and the rule set's limit
    /// (agency.max_agents); a refusal names its fields within `prefix` (a nested commission).
    fn check_agents(
        conn: &mut DbConnection,
        rule_set: &RuleSet,
        category: Category,
        agency_id: &str,
        agent_ids: Vec<String>,
        prefix: &str,
    ) -> Result<Vec<String>, ServiceError> {
        let employers = command_reads::employers_of(conn, &ggzy_trading::commission::ids_to_look_up(&agent_ids))?;
        let limit = rule_set.agent_limit(category);
        ggzy_trading::commission::check_agents(agent_ids, agency_id, &employers, limit)
            .map_err(|refusal| ServiceError::from(refusal.answer_within(rule_set.version, prefix)))
    }

    /// Records a commission with its agents and audits it; `extra` joins the audit payload.
    #[allow(clippy::too_many_arguments)]
    fn create_commission(
        &self,
        conn: &mut DbConnection,
        principal: &Principal,
        now: chrono::NaiveDateTime,
        project_id: &str,
        agency_id: &str,
        agents: &[String],
        extra: serde_json::Value,
    ) -> Result<(), ServiceError> {
        let commission = projects_views::commission_row(self.fresh_id(), project_id, agency_id, now);
        command_reads::insert_commission_with_agents(conn, &commission, agents, now)?;
        crate::record_entry(conn, principal, now, projects_views::commission_entry(&commission, agents, extra))
    }

    /// The tenderer commissions an agency and names its real-name agents.
    #[tracing::instrument(skip_all, fields(project_id = %project_id))]
    pub fn commission_agency(
        &self,
        principal: Option<&Principal>,
        project_id: &str,
        request: CommissionAgency,
    ) -> Result<Project, ServiceError> {
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        let commission = ggzy_trading::commission::read_commission(request);
        let now = self.now_naive();
        self.store().write(|conn| {
            let project = self.visible_project(conn, principal, project_id)?;
            authorize(principal, Action::CommissionAgency { tenderer_id: &project.tenderer_id })?;
            Self::ensure_running(conn, &project)?;
            // Who may act is settled before the request is looked at.
            let (agency_id, agent_ids) = commission.clone().map_err(ServiceError::Invalid)?;
            let commissioned_already = !repo::commissions_of(conn, project_id)?.is_empty();
            ggzy_trading::commission::may_commission(is_agency(conn, &agency_id)?, commissioned_already)
                .map_err(|refusal| ServiceError::from(refusal.answer()))?;
            self.credit().credit_gate(conn, &agency_id, ggzy_credit::TradingAct::ActAsAgency)?;
            let rule_set = self.stored_rule_set(conn, project.rule_set_version)?;
            let category = ggzy_views::projects::category_of(&project)?;
            let agents = Self::check_agents(conn, &rule_set, category, &agency_id, agent_ids, "")?;
            self.create_commission(conn, principal_ref, now, project_id, &agency_id, &agents, serde_json::json!({}))?;
            self.project_view(conn, project)
        })
    }

    /// Replaces the real-name agents of a commission; the change is audited with who left
    /// and who came.
    #[tracing::instrument(skip_all, fields(project_id = %project_id, commission_id = %commission_id))]
    pub fn replace_agents(
        &self,
        principal: Option<&Principal>,
        project_id: &str,
        commission_id: &str,
        request: ReplaceAgents,
    ) -> Result<Project, ServiceError> {
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        let replacement = ggzy_trading::commission::read_replacement(request);
        let now = self.now_naive();
        self.store().write(|conn| {
            let project = self.visible_project(conn, principal, project_id)?;
            authorize(principal, Action::CommissionAgency { tenderer_id: &project.tenderer_id })?;
            let agent_ids = replacement.clone().map_err(ServiceError::Invalid)?;
            let commission = repo::find_commission(conn, commission_id)?
                .filter(|c| c.project_id == project_id && c.revoked_at.is_none())
                .ok_or(ServiceError::NotFound { what: "commission" })?;
            let rule_set = self.stored_rule_set(conn, project.rule_set_version)?;
            let category = ggzy_views::projects::category_of(&project)?;
            let agents = Self::check_agents(conn, &rule_set, category, &commission.agency_id, agent_ids, "")?;
            let current: Vec<String> =
                repo::current_agents(conn, commission_id)?.into_iter().map(|a| a.person_id).collect();
            let AgentChange { removed, added } = ggzy_trading::commission::change_agents(&current, &agents);
            command_reads::change_agents(conn, commission_id, &removed, &added, now)?;
            let entry = projects_views::agents_replaced_entry(project_id, commission_id, &removed, &added, &agents);
            crate::record_entry(conn, principal_ref, now, entry)?;
            self.project_view(conn, project)
        })
    }

    /// The tenderer reports a directly awarded contractor; the platform publishes it for the
    /// direct_award.publicity period, whose end is computed in working days.
    #[tracing::instrument(skip_all, fields(project_id = %project_id))]
    pub fn report_direct_award(
        &self,
        principal: Option<&Principal>,
        project_id: &str,
        request: ReportDirectAward,
    ) -> Result<DirectAward, ServiceError> {
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        let read = ggzy_trading::registration::read_direct_award(request);
        let now_utc = self.now();
        let now = self.now_naive();
        let calendar = self.working_calendar()?;
        self.store().write(|conn| {
            let project = self.visible_project(conn, principal, project_id)?;
            authorize(principal, Action::ReportDirectAward { tenderer_id: &project.tenderer_id })?;
            Self::ensure_running(conn, &project)?;
            let award = read.map_err(ServiceError::Invalid)?;
            let rule_set = self.stored_rule_set(conn, project.rule_set_version)?;
            let facts = DirectAwardFacts {
                contractor_known: ggzy_store::participants::find(conn, &award.contractor_id)?.is_some(),
                already_reported: repo::direct_award_of(conn, project_id)?.is_some(),
                status: status_of(&project)?,
                rule_set: &rule_set,
                calendar: &calendar,
                now: now_utc,
            };
            let existing = ExistingRecord { id: project_id.to_owned(), href: format!("/api/v1/projects/{project_id}") };
            let publicity = ggzy_trading::registration::decide_direct_award(award, &facts).map_err(|refusal| {
                let already =
                    ServiceError::AlreadyExists { what: "direct_award", rule: None, existing: Some(existing) };
                refusal.answer().map_or(already, ServiceError::from)
            })?;
            let next_status = publicity.next_status;
            let award = projects_views::direct_award_row(self.fresh_id(), project_id, publicity, now);
            repo::insert_direct_award(conn, &award)?;
            set_status(conn, &project, next_status, now)?;
            let official = ggzy_store::calendar::official_years(conn)?;
            let contractor = ggzy_store::participants::find(conn, &award.contractor_id)?
                .ok_or_else(|| ServiceError::Internal("contractor missing".into()))?;
            let view = DirectAward::from_rows(award, &project, contractor, &official)?;
            crate::record_entry(conn, principal_ref, now, projects_views::direct_award_entry(&view))?;
            Ok(view)
        })
    }

    /// Direct-award publicity, public (no token).
    pub fn direct_awards(&self, after: Option<String>, limit: Option<u32>) -> Result<DirectAwardPage, ServiceError> {
        let page = validate::page(after, limit)?;
        self.store().read(|conn| {
            let mut rows = repo::list_direct_awards(conn, page.after.as_deref(), i64::from(page.limit) + 1)?;
            let next_cursor = validate::next_cursor(&mut rows, page.limit, |(award, ..)| award.id.clone());
            let official = ggzy_store::calendar::official_years(conn)?;
            let items = rows
                .into_iter()
                .map(|(award, project, contractor)| DirectAward::from_rows(award, &project, contractor, &official))
                .collect::<Result<_, _>>()?;
            Ok(DirectAwardPage { items, next_cursor })
        })
    }
}

/// Readers that every context shares.
impl Platform {
    /// A stored rule-set version, read inside a transaction.
    pub(crate) fn stored_rule_set(&self, conn: &mut DbConnection, version: i32) -> Result<RuleSet, ServiceError> {
        let row = ggzy_store::rule_sets::find(conn, version)?
            .ok_or_else(|| ServiceError::Internal(format!("rule set {version} missing")))?;
        serde_json::from_str(&row.body).map_err(|e| ServiceError::Internal(format!("rule set {version}: {e}")))
    }
}
