//! Response and request bodies of projects (see `ggzy_service::projects` for the use cases).

use crate::audit_entry::{project_entry, AuditEntry};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use ggzy_kernel::AuditAction;
use ggzy_kernel::{stored, stored_json, stored_money, stored_opt, Money, StoredFault, StoredJson};
use ggzy_rules::{Category, EntryDecision, Funding, ProcurementOrganisation, Sector};
use ggzy_store::participants::ParticipantRow;
use ggzy_store::projects::{CommissionRow, DirectAwardRow, PageReads, ProjectRow, SectionFacts, SectionRow};
pub use ggzy_trading::commission::{CommissionAgency, ReplaceAgents};
use ggzy_trading::lifecycle::SectionProgress;
pub use ggzy_trading::lifecycle::{ProcedurePhase, ProjectCommand, ProjectStatus};
pub use ggzy_trading::registration::{
    ApprovalDocument, AssignRegulator, RegisterProject, RegistrationCommission, RegistrationForm, ReportDirectAward,
    SectionInput, DISTRICT_CODE,
};
use ggzy_trading::registration::{Assessed, DirectAwardPublicity, Registration};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Section {
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    /// Project code + three digits.
    pub code: String,
    pub position: i32,
    pub name: String,
    pub estimated_amount: Money,
    /// Where the section stands (kept from what is stored, not for the client to work out).
    pub phase: ProcedurePhase,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ServiceOwner {
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Commission {
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    #[schema(value_type = String, format = Uuid)]
    pub agency_id: String,
    /// Person ids of the real-name agents currently acting.
    pub agent_ids: Vec<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DirectAward {
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    #[schema(value_type = String, format = Uuid)]
    pub project_id: String,
    pub project_code: String,
    pub project_name: String,
    #[schema(value_type = String, format = Uuid)]
    pub contractor_id: String,
    pub contractor_name: String,
    pub amount: Money,
    pub publicity_start: DateTime<Utc>,
    /// Last day of the publicity period (Beijing date).
    pub publicity_end_day: NaiveDate,
    /// 24:00 Beijing time of that day.
    pub publicity_end: DateTime<Utc>,
    pub rule_id: String,
    /// True when the due date was counted through a year whose official holiday
    /// arrangement is not loaded (it may still move when it is).
    pub provisional: bool,
    /// The years counted provisionally; empty when `provisional` is false.
    pub provisional_years: Vec<i32>,
}

/// A registered project.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Project {
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    /// Category letter, 110118, yyMMdd, four-digit sequence.
    #[schema(example = "A1101182611290001")]
    pub code: String,
    pub name: String,
    pub category: Category,
    pub subtype: String,
    pub sector: Option<Sector>,
    pub funding: Funding,
    pub legally_required_tendering: bool,
    pub procurement_organisation: Option<ProcurementOrganisation>,
    #[schema(value_type = String, format = Uuid)]
    pub tenderer_id: String,
    pub status: ProjectStatus,
    /// Where the project stands: terminated or suspended, or as far as its least advanced
    /// section.
    pub phase: ProcedurePhase,
    /// The industry regulator; none while awaiting assignment by the comprehensive regulator.
    pub regulator_id: Option<String>,
    pub service_owner: ServiceOwner,
    pub rule_set_version: i32,
    #[schema(value_type = EntryDecision)]
    pub entry_decision: StoredJson,
    pub estimated_total: Money,
    pub sections: Vec<Section>,
    pub approval_documents: Vec<ApprovalDocument>,
    /// Not shown to a bidder.
    pub registration_form: Option<RegistrationForm>,
    pub commissions: Vec<Commission>,
    pub direct_award: Option<DirectAward>,
    pub registered_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// The filters of a project list (each narrows it; the caller's scope always applies). Any
/// other parameter is refused.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProjectListQuery {
    /// Only projects in this state (`awaiting_regulator`: those waiting for 公管办 to name
    /// their industry regulator).
    #[param(value_type = Option<ggzy_trading::lifecycle::ProjectStatus>)]
    pub status: Option<String>,
    /// Only this category.
    #[param(value_type = Option<ggzy_rules::Category>)]
    pub category: Option<String>,
    /// Only this subtype of the category (e.g. `building`, `goods`).
    pub subtype: Option<String>,
    /// Only projects this industry regulator supervises.
    pub regulator_id: Option<String>,
    /// Registered on or after this Beijing date.
    #[param(value_type = Option<String>, format = Date)]
    pub registered_from: Option<String>,
    /// Registered on or before this Beijing date.
    #[param(value_type = Option<String>, format = Date)]
    pub registered_to: Option<String>,
    /// Words (1–50 characters) found in the project's name or code or its tenderer's name,
    /// ASCII case ignored, as a person types them (`密云`, a code's tail).
    #[param(example = "水库")]
    pub q: Option<String>,
    /// Cursor from the previous page's `next_cursor`.
    #[param(format = Uuid)]
    pub after: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProjectPage {
    pub items: Vec<Project>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DirectAwardPage {
    pub items: Vec<DirectAward>,
    pub next_cursor: Option<String>,
}

/// Registration facts kept with the project (`projects.details`) but never filtered on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectDetails {
    pub sector: Option<Sector>,
    pub funding: Funding,
    pub legally_required_tendering: bool,
    pub procurement_organisation: Option<ProcurementOrganisation>,
    pub approval_documents: Vec<ApprovalDocument>,
    pub registration_form: Option<RegistrationForm>,
    /// As it was decided at registration (the rule set's answer then), passed on unparsed.
    pub entry_decision: StoredJson,
    pub registered_by: String,
}

/// The category of a stored project.
pub fn category_of(row: &ProjectRow) -> Result<Category, StoredFault> {
    stored("projects.category", &row.category)
}

/// The registration facts a stored project keeps in its details.
pub fn project_details(row: &ProjectRow) -> Result<ProjectDetails, StoredFault> {
    stored_json("projects.details", &row.details)
}

/// What is stored about a section, as its phase is worked out from it; `listed` is the
/// phase of its listing by the clock and whether the winner refused the sale.
pub fn section_progress(
    status: ProjectStatus,
    project_suspended: bool,
    facts: SectionFacts,
    listed: Option<(ggzy_trading::listing::Phase, bool)>,
) -> Result<SectionProgress, StoredFault> {
    Ok(SectionProgress {
        project_terminated: status == ProjectStatus::Terminated,
        project_suspended,
        announced: facts.announced,
        opening: stored_opt("openings.outcome", facts.opening_outcome.as_deref())?,
        committee_drawn: facts.committee_drawn,
        candidates_published: facts.candidates_published,
        awarded: facts.awarded,
        contracted: facts.contracted,
        listing: listed.map(|(phase, _)| phase),
        listing_refused: listed.is_some_and(|(_, refused)| refused),
    })
}

impl Section {
    /// A stored section in the phase its progress gives.
    pub fn from_row(row: SectionRow, progress: &SectionProgress) -> Result<Self, StoredFault> {
        Ok(Section {
            estimated_amount: stored_money("sections.estimated_amount", row.estimated_amount)?,
            phase: ProcedurePhase::of(progress),
            id: row.id,
            code: row.code,
            position: row.position,
            name: row.name,
        })
    }
}

impl Commission {
    /// A stored commission with the person ids of its agents acting now.
    pub fn from_row(row: CommissionRow, agent_ids: Vec<String>) -> Self {
        Commission { id: row.id, agency_id: row.agency_id, agent_ids, created_at: row.created_at.and_utc() }
    }
}

impl DirectAward {
    /// A stored direct award of `project` to `contractor`; `official_years` are the years
    /// whose holiday arrangement is loaded.
    pub fn from_rows(
        award: DirectAwardRow,
        project: &ProjectRow,
        contractor: ParticipantRow,
        official_years: &[i32],
    ) -> Result<Self, StoredFault> {
        let publicity_start = award.reported_at.and_utc();
        let publicity_end = award.publicity_end.and_utc();
        let provisional_years = ggzy_kernel::provisional_span(official_years, publicity_start, publicity_end);
        Ok(DirectAward {
            amount: stored_money("direct_awards.amount", award.amount)?,
            id: award.id,
            project_id: project.id.clone(),
            project_code: project.code.clone(),
            project_name: project.name.clone(),
            contractor_id: contractor.id,
            contractor_name: contractor.name,
            publicity_start,
            publicity_end_day: award.publicity_end_day,
            publicity_end,
            rule_id: award.rule_id,
            provisional: !provisional_years.is_empty(),
            provisional_years,
        })
    }
}

/// What a project's view reads besides its own row.
#[derive(Debug, Clone)]
pub struct ProjectRead {
    pub sections: Vec<Section>,
    pub service_owner_name: String,
    pub commissions: Vec<Commission>,
    pub direct_award: Option<DirectAward>,
}

impl Project {
    /// A stored project with its sections, owner, commissions and direct award.
    pub fn from_row(row: ProjectRow, read: ProjectRead) -> Result<Self, StoredFault> {
        let details = project_details(&row)?;
        Ok(Project {
            category: category_of(&row)?,
            status: stored("projects.status", &row.status)?,
            phase: ProcedurePhase::of_project(&read.sections.iter().map(|s| s.phase).collect::<Vec<_>>()),
            estimated_total: stored_money("projects.estimated_total", row.estimated_total)?,
            commissions: read.commissions,
            id: row.id,
            code: row.code,
            name: row.name,
            subtype: row.subtype,
            sector: details.sector,
            funding: details.funding,
            legally_required_tendering: details.legally_required_tendering,
            procurement_organisation: details.procurement_organisation,
            tenderer_id: row.tenderer_id,
            regulator_id: row.regulator_id,
            service_owner: ServiceOwner { id: row.service_owner_id, name: read.service_owner_name },
            rule_set_version: row.rule_set_version,
            entry_decision: details.entry_decision,
            sections: read.sections,
            approval_documents: details.approval_documents,
            registration_form: details.registration_form,
            direct_award: read.direct_award,
            registered_at: row.registered_at.and_utc(),
            updated_at: row.updated_at.and_utc(),
            version: row.version,
        })
    }
}

/// The views of a page of projects, in their order, from what the page read together:
/// `listed` holds each listed section's listing phase by the clock and whether its winner
/// refused the sale, `contractors` each direct award's contractor by id. A fault names the
/// stored value or the record missing.
pub fn views_of(
    rows: Vec<ProjectRow>,
    mut read: PageReads,
    mut listed: HashMap<String, (ggzy_trading::listing::Phase, bool)>,
    contractors: &HashMap<String, ParticipantRow>,
) -> Result<Vec<Project>, String> {
    let mut views = Vec::with_capacity(rows.len());
    for row in rows {
        let status: ProjectStatus = stored("projects.status", &row.status).map_err(|f| f.to_string())?;
        let project_suspended = read.suspended.contains(&row.id);
        let sections = read
            .sections
            .remove(&row.id)
            .unwrap_or_default()
            .into_iter()
            .map(|s| {
                let facts = read.facts.remove(&s.id).unwrap_or_default();
                let listed = listed.remove(&s.id);
                Section::from_row(s, &section_progress(status, project_suspended, facts, listed)?)
            })
            .collect::<Result<Vec<_>, StoredFault>>()
            .map_err(|f| f.to_string())?;
        let service_owner_name = read.owners.get(&row.service_owner_id).cloned().ok_or("service owner missing")?;
        let direct_award = match read.awards.remove(&row.id) {
            Some(award) => {
                let contractor = contractors.get(&award.contractor_id).cloned().ok_or("contractor missing")?;
                Some(DirectAward::from_rows(award, &row, contractor, &read.official_years).map_err(|f| f.to_string())?)
            }
            None => None,
        };
        let commissions = read
            .commissions
            .remove(&row.id)
            .unwrap_or_default()
            .into_iter()
            .map(|(commission, agents)| Commission::from_row(commission, agents))
            .collect();
        let read = ProjectRead { sections, service_owner_name, commissions, direct_award };
        views.push(Project::from_row(row, read).map_err(|f| f.to_string())?);
    }
    Ok(views)
}

/// A project being registered, as its rows are built from the assessment and the decision.
#[derive(Debug, Clone)]
pub struct NewProject<'a> {
    pub id: &'a str,
    pub assessed: &'a Assessed,
    pub registration: Registration,
    pub rule_set_version: i32,
    /// The actor who registered it (an agent, for its agency).
    pub registered_by: String,
    pub at: NaiveDateTime,
}

/// The project row and its section rows, in the registration's order; each section takes
/// the next id `section_id` gives.
pub fn registered_rows(
    new: NewProject<'_>,
    mut section_id: impl FnMut() -> String,
) -> Result<(ProjectRow, Vec<SectionRow>), serde_json::Error> {
    let valid = &new.assessed.project;
    let details = ProjectDetails {
        sector: valid.sector,
        funding: valid.funding,
        legally_required_tendering: valid.legally_required_tendering,
        procurement_organisation: valid.procurement_organisation,
        approval_documents: valid.approval_documents.clone(),
        registration_form: valid.registration_form.clone(),
        entry_decision: StoredJson::of(&new.assessed.entry_decision)?,
        registered_by: new.registered_by,
    };
    let registration = new.registration;
    let row = ProjectRow {
        id: new.id.to_owned(),
        code: registration.code,
        name: valid.name.clone(),
        category: valid.category.as_str().to_owned(),
        subtype: valid.subtype.clone(),
        tenderer_id: valid.tenderer_id.clone(),
        status: registration.status.as_str().to_owned(),
        regulator_id: registration.regulator_id,
        service_owner_id: registration.service_owner_id,
        rule_set_version: new.rule_set_version,
        entry_outcome: new.assessed.entry_decision.outcome.as_str().to_owned(),
        estimated_total: new.assessed.estimated_total.fen(),
        details: serde_json::to_string(&details)?,
        registered_at: new.at,
        updated_at: new.at,
        version: 1,
    };
    let sections = registration
        .sections
        .into_iter()
        .map(|section| SectionRow {
            id: section_id(),
            project_id: new.id.to_owned(),
            code: section.code,
            position: section.position,
            name: section.name,
            estimated_amount: section.estimated_amount.fen(),
        })
        .collect();
    Ok((row, sections))
}

/// A commission of `agency_id` on a project, live from `at`.
pub fn commission_row(id: String, project_id: &str, agency_id: &str, at: NaiveDateTime) -> CommissionRow {
    CommissionRow {
        id,
        project_id: project_id.to_owned(),
        agency_id: agency_id.to_owned(),
        created_at: at,
        revoked_at: None,
    }
}

/// The audit payload of a commission: the agency, its agents, and the fields of `extra`
/// (an object) besides.
pub fn commission_payload(agency_id: &str, agents: &[String], extra: serde_json::Value) -> serde_json::Value {
    let mut payload = serde_json::json!({ "agency_id": agency_id, "agent_ids": agents });
    if let (Some(payload), serde_json::Value::Object(extra)) = (payload.as_object_mut(), extra) {
        payload.extend(extra);
    }
    payload
}

/// The published direct award, reported at `at`.
pub fn direct_award_row(
    id: String,
    project_id: &str,
    publicity: DirectAwardPublicity,
    at: NaiveDateTime,
) -> DirectAwardRow {
    DirectAwardRow {
        id,
        project_id: project_id.to_owned(),
        contractor_id: publicity.contractor_id,
        amount: publicity.amount.fen(),
        reported_at: at,
        publicity_end: publicity.publicity_end.naive_utc(),
        publicity_end_day: publicity.publicity_end_day,
        rule_id: publicity.rule_id.to_owned(),
    }
}

/// The registration of a project, its view as registered.
pub fn registered_entry(project: &Project) -> AuditEntry<&Project> {
    project_entry(&project.id, AuditAction::ProjectRegister, "project", &project.id, project)
}

/// A change of a project's industry regulator (regulator.assignment).
pub fn regulator_entry(project_id: &str, before: Option<&str>, after: &str) -> AuditEntry<serde_json::Value> {
    let payload =
        serde_json::json!({ "rule": ggzy_rules::rule_ids::REGULATOR_ASSIGNMENT, "before": before, "after": after });
    project_entry(project_id, AuditAction::ProjectAssignRegulator, "project", project_id, payload)
}

/// A commission of an agency with its agents; `extra` joins the payload.
pub fn commission_entry(
    commission: &CommissionRow,
    agents: &[String],
    extra: serde_json::Value,
) -> AuditEntry<serde_json::Value> {
    let payload = commission_payload(&commission.agency_id, agents, extra);
    project_entry(&commission.project_id, AuditAction::ProjectCommissionAgency, "commission", &commission.id, payload)
}

/// A change of a commission's agents: who left, who came, and who acts now.
pub fn agents_replaced_entry(
    project_id: &str,
    commission_id: &str,
    removed: &[String],
    added: &[String],
    agents: &[String],
) -> AuditEntry<serde_json::Value> {
    let payload = serde_json::json!({ "removed": removed, "added": added, "agents": agents });
    project_entry(project_id, AuditAction::ProjectReplaceAgents, "commission", commission_id, payload)
}

/// A reported direct award, its view as published.
pub fn direct_award_entry(award: &DirectAward) -> AuditEntry<&DirectAward> {
    project_entry(&award.project_id, AuditAction::ProjectReportDirectAward, "direct_award", &award.id, award)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hour: u32) -> chrono::NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap().and_hms_opt(hour, 0, 0).unwrap()
    }

    fn details() -> ProjectDetails {
        ProjectDetails {
            sector: None,
            funding: Funding::StateFunded,
            legally_required_tendering: true,
            procurement_organisation: None,
            approval_documents: vec![],
            registration_form: None,
            entry_decision: StoredJson::of(&serde_json::json!({"outcome": "must_enter"})).unwrap(),
            registered_by: "agent:1".into(),
        }
    }

    fn project(status: &str, category: &str, details: &str) -> ProjectRow {
        ProjectRow {
            id: "p1".into(),
            code: "A1101182611290001".into(),
            name: "水库".into(),
            category: category.into(),
            subtype: "works".into(),
            tenderer_id: "t1".into(),
            status: status.into(),
            regulator_id: Some("r1".into()),
            service_owner_id: "s1".into(),
            rule_set_version: 3,
            entry_outcome: "must_enter".into(),
            estimated_total: 10_000,
            details: details.into(),
            registered_at: at(9),
            updated_at: at(10),
            version: 2,
        }
    }

    fn section(fen: i64) -> SectionRow {
        SectionRow {
            id: "sec1".into(),
            project_id: "p1".into(),
            code: "A1101182611290001001".into(),
            position: 1,
            name: "一标段".into(),
            estimated_amount: fen,
        }
    }

    fn read(sections: Vec<Section>) -> ProjectRead {
        ProjectRead { sections, service_owner_name: "赵六".into(), commissions: vec![], direct_award: None }
    }

    fn page(owner: Option<&str>) -> PageReads {
        let mut read = PageReads::default();
        read.sections.insert("p1".into(), vec![section(5_000)]);
        if let Some(owner) = owner {
            read.owners.insert("s1".into(), owner.into());
        }
        read
    }

    #[test]
    fn a_page_of_projects_shows_each_with_its_sections_owner_and_listing() {
        let text = serde_json::to_string(&details()).unwrap();
        let row = project(ProjectStatus::ALL[0].as_str(), "land_mining", &text);
        let mut read = page(Some("赵六"));
        read.facts.insert("sec1".into(), SectionFacts { listed: true, ..SectionFacts::default() });
        read.suspended.insert("p1".into());
        let commission = CommissionRow {
            id: "c1".into(),
            project_id: "p1".into(),
            agency_id: "a1".into(),
            created_at: at(9),
            revoked_at: None,
        };
        read.commissions.insert("p1".into(), vec![(commission, vec!["person1".into()])]);
        let listed = HashMap::from([("sec1".to_owned(), (ggzy_trading::listing::Phase::Listing, false))]);
        let views = views_of(vec![row.clone()], read, listed, &HashMap::new()).unwrap();
        assert_eq!(views.len(), 1);
        let shown = &views[0];
        assert_eq!((shown.service_owner.name.as_str(), shown.sections.len()), ("赵六", 1));
        assert_eq!(shown.sections[0].estimated_amount.fen(), 5_000);
        assert_eq!(shown.commissions[0].agent_ids, vec!["person1".to_owned()]);
        assert_eq!(shown.direct_award, None);
        // Suspended: the section's phase is the suspension's, whatever the listing's.
        let facts = SectionFacts { listed: true, ..SectionFacts::default() };
        let listing = Some((ggzy_trading::listing::Phase::Listing, false));
        let progress = section_progress(ProjectStatus::ALL[0], true, facts, listing).unwrap();
        assert_eq!(shown.sections[0].phase, ProcedurePhase::of(&progress));
    }

    #[test]
    fn a_page_missing_an_owner_or_a_contractor_is_a_fault() {
        let text = serde_json::to_string(&details()).unwrap();
        let row = project(ProjectStatus::ALL[0].as_str(), "construction", &text);
        let missing = views_of(vec![row.clone()], page(None), HashMap::new(), &HashMap::new()).unwrap_err();
        assert_eq!(missing, "service owner missing");
        let mut read = page(Some("赵六"));
        let award = DirectAwardRow {
            id: "d1".into(),
            project_id: "p1".into(),
            contractor_id: "k1".into(),
            amount: 100,
            reported_at: at(9),
            publicity_end: at(10),
            publicity_end_day: at(10).date(),
            rule_id: "direct_award.publicity".into(),
        };
        read.awards.insert("p1".into(), award);
        assert_eq!(views_of(vec![row], read, HashMap::new(), &HashMap::new()).unwrap_err(), "contractor missing");
    }

    #[test]
    fn a_project_shows_its_row_and_details() {
        let text = serde_json::to_string(&details()).unwrap();
        let status = ProjectStatus::ALL[0];
        let shown = Project::from_row(project(status.as_str(), "construction", &text), read(vec![])).unwrap();
        assert_eq!((shown.category, shown.status), (Category::Construction, status));
        assert_eq!(shown.service_owner, ServiceOwner { id: "s1".into(), name: "赵六".into() });
        assert_eq!(shown.estimated_total.fen(), 10_000);
        assert_eq!(shown.funding, details().funding);
        assert!(shown.legally_required_tendering);
        assert_eq!(
            shown.entry_decision.read::<serde_json::Value>().unwrap(),
            serde_json::json!({"outcome": "must_enter"})
        );
        assert_eq!((shown.registered_at, shown.version), (at(9).and_utc(), 2));
    }

    #[test]
    fn an_unknown_stored_status_or_category_or_unreadable_details_are_faults() {
        let text = serde_json::to_string(&details()).unwrap();
        let status = ProjectStatus::ALL[0].as_str();
        let fault = Project::from_row(project("lost", "construction", &text), read(vec![])).unwrap_err();
        assert_eq!(fault.to_string(), "projects.status holds `lost`, which is not ProjectStatus");
        let fault = Project::from_row(project(status, "fishing", &text), read(vec![])).unwrap_err();
        assert_eq!(fault.column, "projects.category");
        assert_eq!(category_of(&project(status, "land_mining", &text)), Ok(Category::LandMining));
        let fault = Project::from_row(project(status, "construction", "{}"), read(vec![])).unwrap_err();
        assert_eq!(fault.column, "projects.details");
    }

    #[test]
    fn a_section_is_in_the_phase_its_progress_gives() {
        let facts = SectionFacts { announced: true, ..SectionFacts::default() };
        let progress = section_progress(ProjectStatus::ALL[0], false, facts.clone(), None).unwrap();
        let shown = Section::from_row(section(500), &progress).unwrap();
        assert_eq!(shown.phase, ProcedurePhase::of(&progress));
        assert_eq!((shown.estimated_amount.fen(), shown.position), (500, 1));
        assert_eq!(Section::from_row(section(-1), &progress).unwrap_err().column, "sections.estimated_amount");
        let terminated = section_progress(ProjectStatus::Terminated, true, facts, None).unwrap();
        assert!(terminated.project_terminated && terminated.project_suspended);
        let sold = (ggzy_trading::listing::Phase::Sold, true);
        let listed = section_progress(ProjectStatus::ALL[0], false, SectionFacts::default(), Some(sold)).unwrap();
        assert_eq!((listed.listing, listed.listing_refused), (Some(ggzy_trading::listing::Phase::Sold), true));
        let unknown = SectionFacts { opening_outcome: Some("postponed".into()), ..SectionFacts::default() };
        let fault = section_progress(ProjectStatus::ALL[0], false, unknown, None).unwrap_err();
        assert_eq!(fault.column, "openings.outcome");
    }

    #[test]
    fn a_direct_award_names_project_and_contractor() {
        let text = serde_json::to_string(&details()).unwrap();
        let award = |fen| DirectAwardRow {
            id: "d1".into(),
            project_id: "p1".into(),
            contractor_id: "c1".into(),
            amount: fen,
            reported_at: at(9),
            publicity_end: at(12),
            publicity_end_day: chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            rule_id: "direct_award.publicity".into(),
        };
        let contractor =
            ParticipantRow {
                id: "c1".into(), name: "承包公司".into(), ..crate::participants::tests::row("bidder", 0)
            };
        let project = project(ProjectStatus::ALL[0].as_str(), "construction", &text);
        let shown = DirectAward::from_rows(award(700), &project, contractor.clone(), &[2026]).unwrap();
        assert_eq!((shown.project_code.as_str(), shown.contractor_name.as_str()), ("A1101182611290001", "承包公司"));
        assert_eq!((shown.amount.fen(), shown.publicity_start), (700, at(9).and_utc()));
        assert!(!shown.provisional);
        assert!(DirectAward::from_rows(award(700), &project, contractor.clone(), &[]).unwrap().provisional);
        let fault = DirectAward::from_rows(award(-3), &project, contractor, &[2026]).unwrap_err();
        assert_eq!(fault.column, "direct_awards.amount");
    }

    #[test]
    fn a_commission_shows_its_acting_agents() {
        let row = CommissionRow {
            id: "c1".into(),
            project_id: "p1".into(),
            agency_id: "a1".into(),
            created_at: at(9),
            revoked_at: None,
        };
        let shown = Commission::from_row(row, vec!["person1".into()]);
        assert_eq!(
            shown,
            Commission {
                id: "c1".into(),
                agency_id: "a1".into(),
                agent_ids: vec!["person1".into()],
                created_at: at(9).and_utc()
            }
        );
    }

    fn assessed() -> Assessed {
        let valid = ggzy_trading::registration::ValidProject {
            name: "道路工程".into(),
            tenderer_id: "t1".into(),
            category: Category::Construction,
            subtype: "road".into(),
            sector: None,
            funding: Funding::StateFunded,
            legally_required_tendering: true,
            procurement_organisation: None,
            sections: vec![
                ("一标段".into(), Money::from_fen(300).unwrap()),
                ("二标段".into(), Money::from_fen(400).unwrap()),
            ],
            approval_documents: vec![],
            registration_form: None,
            commission: None,
        };
        let day = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        ggzy_trading::registration::assess(valid, &ggzy_rules::RuleSet::seed(), day).unwrap()
    }

    fn registration() -> Registration {
        use ggzy_trading::registration::SectionToRegister;
        let section = |position: i32, name: &str, fen: i64| SectionToRegister {
            code: format!("A1101182611020001{position:03}"),
            position,
            name: name.into(),
            estimated_amount: Money::from_fen(fen).unwrap(),
        };
        Registration {
            code: "A1101182611020001".into(),
            status: ProjectStatus::AwaitingRegulator,
            regulator_id: None,
            service_owner_id: "staff1".into(),
            sections: vec![section(1, "一标段", 300), section(2, "二标段", 400)],
        }
    }

    #[test]
    fn a_registered_project_keeps_its_decision_and_its_sections_in_order() {
        let assessed = assessed();
        let new = NewProject {
            id: "p1",
            assessed: &assessed,
            registration: registration(),
            rule_set_version: 3,
            registered_by: "person:a1".into(),
            at: at(9),
        };
        let mut next = 0;
        let (row, sections) = registered_rows(new, || {
            next += 1;
            format!("s{next}")
        })
        .unwrap();
        assert_eq!(
            (row.code.as_str(), row.status.as_str(), row.service_owner_id.as_str(), row.rule_set_version),
            ("A1101182611020001", "awaiting_regulator", "staff1", 3)
        );
        assert_eq!((row.estimated_total, row.version, row.registered_at, row.updated_at), (700, 1, at(9), at(9)));
        assert_eq!(row.entry_outcome, assessed.entry_decision.outcome.as_str());
        let details = project_details(&row).unwrap();
        assert_eq!(details.registered_by, "person:a1");
        assert_eq!(details.entry_decision.read::<EntryDecision>().unwrap(), assessed.entry_decision);
        assert_eq!(
            sections
                .iter()
                .map(|s| (s.id.as_str(), s.project_id.as_str(), s.position, s.estimated_amount))
                .collect::<Vec<_>>(),
            vec![("s1", "p1", 1, 300), ("s2", "p1", 2, 400)]
        );
    }

    #[test]
    fn a_commission_payload_adds_what_the_act_brings_and_ignores_a_non_object() {
        let agents = vec!["person1".to_owned()];
        let payload = commission_payload("a1", &agents, serde_json::json!({ "contract_sha256": "ab" }));
        assert_eq!(
            payload,
            serde_json::json!({ "agency_id": "a1", "agent_ids": ["person1"], "contract_sha256": "ab" })
        );
        let payload = commission_payload("a1", &agents, serde_json::json!(null));
        assert_eq!(payload, serde_json::json!({ "agency_id": "a1", "agent_ids": ["person1"] }));
        let row = commission_row("c1".into(), "p1", "a1", at(9));
        assert_eq!((row.project_id.as_str(), row.agency_id.as_str(), row.revoked_at), ("p1", "a1", None));
    }

    #[test]
    fn a_direct_award_row_keeps_the_publicity_decided() {
        let end = at(16).and_utc();
        let publicity = DirectAwardPublicity {
            contractor_id: "c1".into(),
            amount: Money::from_fen(700).unwrap(),
            publicity_end_day: NaiveDate::from_ymd_opt(2026, 11, 6).unwrap(),
            publicity_end: end,
            rule_id: "direct_award.publicity",
            next_status: ProjectStatus::Registered,
        };
        let row = direct_award_row("d1".into(), "p1", publicity, at(9));
        assert_eq!(
            (row.contractor_id.as_str(), row.amount, row.publicity_end, row.reported_at, row.rule_id.as_str()),
            ("c1", 700, at(16), at(9), "direct_award.publicity")
        );
    }

    #[test]
    fn the_entries_of_project_acts_name_their_object_and_payload() {
        let entry = regulator_entry("p1", None, "d2");
        assert_eq!(
            (entry.chain.as_str(), entry.object_type, entry.object_id.as_str()),
            ("project:p1", "project", "p1")
        );
        assert_eq!(entry.payload["after"], "d2");
        assert_eq!(entry.payload["before"], serde_json::Value::Null);
        let commission = commission_row("c1".into(), "p1", "a1", chrono::NaiveDateTime::default());
        let entry = commission_entry(&commission, &["x".into()], serde_json::json!({ "contract_sha256": "ab" }));
        assert_eq!((entry.action, entry.object_id.as_str()), (AuditAction::ProjectCommissionAgency, "c1"));
        assert_eq!(
            entry.payload,
            serde_json::json!({ "agency_id": "a1", "agent_ids": ["x"], "contract_sha256": "ab" })
        );
        let entry = agents_replaced_entry("p1", "c1", &["x".into()], &["y".into()], &["y".into()]);
        assert_eq!((entry.action, entry.object_type), (AuditAction::ProjectReplaceAgents, "commission"));
        assert_eq!(entry.payload, serde_json::json!({ "removed": ["x"], "added": ["y"], "agents": ["y"] }));
    }
}
