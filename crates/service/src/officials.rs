//! Recusal of supervisors and tenderer representatives (recusal, 管理办法 §27;
//! procurement.recusal): persons declare their relations with participants; naming a person
//! on a project is refused while a registered or declared tie links them to a party they
//! must not face, and the project's list shows who must step aside as bidders arrive.

use ggzy_kernel::AuditAction;
use ggzy_oversight::recusal::{self, OfficialRole, PartyRole, Ties};
use ggzy_store::projects::ProjectRow;
use ggzy_store::violations::{self as repo, OfficialRow};
use ggzy_store::DbConnection;

pub use ggzy_oversight::officials::{NameOfficial, NewPersonRelation, WithdrawOfficial};
use ggzy_oversight::officials::{ValidNaming, ValidRelation};

use crate::policy::{authorize, Action};
use crate::{Principal, ServiceError};
use ggzy_views::officials::{official_entry, official_role, relation_entry};
pub use ggzy_views::officials::{PersonRelation, ProjectOfficial, RecusalConflict};

impl crate::contexts::Oversight<'_> {
    /// The participants of a project with their parts: tenderer, agencies, and the bidders
    /// of its sections already opened — before a section's opening who bids is sealed
    /// (招标投标法 §22), so a recusal check cannot be used to probe for a bidder; the check
    /// sees the bidders from the opening on.
    fn project_parties(
        conn: &mut DbConnection,
        project: &ProjectRow,
    ) -> Result<Vec<(String, PartyRole)>, ServiceError> {
        let agencies = crate::contexts::Tendering::agencies_of(conn, &project.id)?;
        let mut bidders = Vec::new();
        for section in ggzy_store::projects::sections_of(conn, &project.id)? {
            if !crate::bids::sealed_section(conn, &section.id)? {
                bidders.extend(ggzy_store::bids::submitted(conn, &section.id)?.into_iter().map(|b| b.bidder_id));
            }
        }
        Ok(recusal::project_parties(&project.tenderer_id, agencies, bidders))
    }

    fn ties_of(conn: &mut DbConnection, person_id: &str) -> Result<Ties, ServiceError> {
        let person = ggzy_store::persons::find(conn, person_id)?;
        Ok(Ties {
            employer: person.and_then(|p| p.employer_id),
            represents: repo::represented_by(conn, person_id)?,
            declared: repo::relations_of(conn, person_id)?.into_iter().map(|(p, _)| p).collect(),
        })
    }

    /// Supervisors are named by the project's regulator (or 公管办), representatives by the
    /// tenderer or its agency; the same callers withdraw them.
    fn authorize_naming(
        conn: &mut DbConnection,
        principal: Option<&Principal>,
        project: &ProjectRow,
        role: OfficialRole,
    ) -> Result<(), ServiceError> {
        match role {
            OfficialRole::Supervisor => {
                authorize(principal, Action::SuperviseProject { regulator_id: project.regulator_id.as_deref() })
            }
            OfficialRole::TendererRepresentative => {
                crate::contexts::Tendering::authorize_tendering(conn, principal, project)
            }
        }
    }

    fn official_view(
        conn: &mut DbConnection,
        row: OfficialRow,
        parties: &[(String, PartyRole)],
    ) -> Result<ProjectOfficial, ServiceError> {
        let conflicts = recusal::conflicts(official_role(&row)?, &Self::ties_of(conn, &row.person_id)?, parties);
        Ok(ProjectOfficial::from_row(row, conflicts))
    }

    /// A person's relations are declared by regulators, the centre, or the person's employer.
    pub fn declare_person_relation(
        &self,
        principal: Option<&Principal>,
        person_id: &str,
        request: NewPersonRelation,
    ) -> Result<Vec<PersonRelation>, ServiceError> {
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        let ValidRelation { participant_id: participant, relation } =
            ggzy_oversight::officials::read_relation(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            let person =
                ggzy_store::persons::find(conn, person_id)?.ok_or(ServiceError::NotFound { what: "person" })?;
            authorize(principal, Action::DeclarePersonRelation { employer_id: person.employer_id.as_deref() })?;
            let known = ggzy_store::participants::find(conn, &participant)?.is_some();
            ggzy_oversight::officials::check_participant(known).map_err(|e| ServiceError::Invalid(vec![e]))?;
            repo::declare_relation(conn, person_id, &participant, &relation, now)?;
            crate::record_entry(conn, principal_ref, now, relation_entry(person_id, &participant, &relation))?;
            Ok(repo::relations_of(conn, person_id)?.into_iter().map(PersonRelation::from).collect())
        })
    }

    pub fn person_relations(
        &self,
        principal: Option<&Principal>,
        person_id: &str,
    ) -> Result<Vec<PersonRelation>, ServiceError> {
        self.store().read(|conn| {
            let person =
                ggzy_store::persons::find(conn, person_id)?.ok_or(ServiceError::NotFound { what: "person" })?;
            authorize(principal, Action::DeclarePersonRelation { employer_id: person.employer_id.as_deref() })?;
            Ok(repo::relations_of(conn, person_id)?.into_iter().map(PersonRelation::from).collect())
        })
    }

    /// Names a supervisor (by the project's regulator) or a tenderer representative (by the
    /// tenderer or its agency); refused while a tie obliges the person to step aside.
    #[tracing::instrument(skip_all, fields(project_id = %project_id))]
    pub fn name_official(
        &self,
        principal: Option<&Principal>,
        project_id: &str,
        request: NameOfficial,
    ) -> Result<ProjectOfficial, ServiceError> {
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        let ValidNaming { person_id, role } =
            ggzy_oversight::officials::read_naming(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            let project = self.tendering().visible_project(conn, principal, project_id)?;
            Self::authorize_naming(conn, principal, &project, role)?;
            let known = ggzy_store::persons::find(conn, &person_id)?.is_some();
            ggzy_oversight::officials::check_person(known).map_err(|e| ServiceError::Invalid(vec![e]))?;
            let parties = Self::project_parties(conn, &project)?;
            let category = ggzy_views::projects::category_of(&project)?;
            ggzy_oversight::officials::decide_naming(role, &Self::ties_of(conn, &person_id)?, &parties, category)
                .map_err(ggzy_kernel::Answer::from)?;
            let (id, by) = (self.fresh_id(), principal_ref.actor());
            let row = ggzy_views::officials::named_row(id, &project.id, &person_id, role, by, now);
            repo::insert_official(conn, &row)?;
            let view = Self::official_view(conn, row, &parties)?;
            crate::record_entry(conn, principal_ref, now, official_entry(AuditAction::ProjectNameOfficial, &view))?;
            Ok(view)
        })
    }

    /// The project's officials, each with the conflicts it has now.
    pub fn project_officials(
        &self,
        principal: Option<&Principal>,
        project_id: &str,
    ) -> Result<Vec<ProjectOfficial>, ServiceError> {
        self.store().read(|conn| {
            let project = self.tendering().visible_project(conn, principal, project_id)?;
            let parties = Self::project_parties(conn, &project)?;
            repo::officials_of(conn, project_id)?
                .into_iter()
                .map(|row| Self::official_view(conn, row, &parties))
                .collect()
        })
    }

    /// An official steps aside, by whoever may name one in that role.
    pub fn withdraw_official(
        &self,
        principal: Option<&Principal>,
        project_id: &str,
        official_id: &str,
        request: WithdrawOfficial,
    ) -> Result<ProjectOfficial, ServiceError> {
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        let reason = ggzy_oversight::officials::read_withdrawal(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            let project = self.tendering().visible_project(conn, principal, project_id)?;
            let row = repo::find_official(conn, official_id)?
                .filter(|o| o.project_id == project.id)
                .ok_or(ServiceError::NotFound { what: "official" })?;
            let role = official_role(&row)?;
            Self::authorize_naming(conn, principal, &project, role)?;
            if !repo::withdraw_official(conn, official_id, now, &reason)? {
                return Err(ServiceError::Conflict { detail: "该人员已回避".into() });
            }
            let parties = Self::project_parties(conn, &project)?;
            let row = repo::find_official(conn, official_id)?.ok_or(ServiceError::NotFound { what: "official" })?;
            let view = Self::official_view(conn, row, &parties)?;
            let entry = official_entry(AuditAction::ProjectWithdrawOfficial, &view);
            crate::record_entry(conn, principal_ref, now, entry)?;
            Ok(view)
        })
    }
}
