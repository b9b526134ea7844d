//! The one deny-by-default policy function. Every use case asks it before touching data;
//! handlers never decide access. A request is allowed only by an explicit arm below.

use crate::{Principal, Role, ServiceError};

/// Scopes a service account (role `system`) can be given.
pub const SCOPES: [&str; 5] =
    ["participants:read", "participants:write", "persons:read", "persons:write", "audit:read"];

/// What a request wants to do, with the resource facts the decision needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action<'a> {
    ListDepartments,
    CreateParticipant,
    ReadParticipant,
    UpdateParticipant {
        participant_id: &'a str,
    },
    /// `employer_id`: the participant the person works for, if any.
    CreatePerson {
        employer_id: Option<&'a str>,
    },
    ReadPerson {
        employer_id: Option<&'a str>,
    },
    ListPersons {
        employer_id: Option<&'a str>,
    },
    ManageServiceAccounts,
    VerifyAudit,
    ManageCalendar,
    ManageStaff,
    ReadStaff,
    /// Publishing a rule-set version (entry.catalogue: drawn up by 公管办).
    PublishRuleSet,
    /// Assigning a project's industry regulator (regulator.assignment).
    AssignRegulator,
    /// `agency_id`: the agency registering on the tenderer's behalf under its commission.
    RegisterProject {
        tenderer_id: &'a str,
        agency_id: Option<&'a str>,
    },
    /// Reading a project: its tenderer, regulator and the agencies commissioned on it.
    ReadProject {
        tenderer_id: &'a str,
        regulator_id: Option<&'a str>,
        agency_ids: &'a [String],
        /// The caller, a bidder, posted a bond or bid in one of the project's sections: it
        /// reads the project itself, nothing else of it (false wherever the project is read
        /// on the way to another operation).
        bidder_takes_part: bool,
    },
    ListProjects,
    /// Following a section's opening live: those who may read its project, and the
    /// bidders who bid in the section.
    FollowOpening {
        tenderer_id: &'a str,
        regulator_id: Option<&'a str>,
        agency_ids: &'a [String],
        bid_in_section: bool,
    },
    CommissionAgency {
        tenderer_id: &'a str,
    },
    ReportDirectAward {
        tenderer_id: &'a str,
    },
    /// Signing a commitment or applying for repair in a participant's own name.
    ActForParticipant {
        participant_id: &'a str,
    },
    /// Writing credit records and restrictions, deciding reports and repairs: regulators only.
    WriteCreditRecord,
    /// Reading all of a participant's records, published or not.
    ReadCreditRecords {
        participant_id: &'a str,
    },
    /// Reading who read unpublished records.
    AuditCreditReads,
    /// The centre's report of bad trading conduct.
    ReportConduct,
    /// A participant's score and credit report.
    ReadCreditReport {
        participant_id: &'a str,
    },
    ImportCourtList,
    /// Running the tendering of a project: announcements and corrections, by the tenderer
    /// or an agent of a commissioned agency.
    RunTendering {
        tenderer_id: &'a str,
        agency_ids: &'a [String],
    },
    /// Bidding in the principal's own name: bonds, bids.
    Bid,
    /// A bidder's lists of its own bids and bonds across sections. Nobody else is given such
    /// a list: before an opening it would tell who bids (招标投标法 §22).
    ListOwnBidding,
    /// Running refunds (the centre's service, 细则 §21).
    ManageBonds,
    /// Drawing the evaluation committee from the expert pool and recording recusals.
    DrawExperts,
    /// Recording the committee's evaluation report and its rejections of bids.
    RecordEvaluation,
    /// Keeping the centre's rooms and their bookings.
    ManageVenues,
    /// Publishing the centre's service items (服务事项).
    PublishServiceItems,
    /// Hosting a listing or auction (挂牌主持人): closing it when its time is up, recording
    /// a winner's refusal.
    HostListing,
    /// Reading bonds and the overdue list.
    ReadBonds,
    /// Keeping the expert pool.
    ManageExperts,
    /// Rescanning all history for collusion risk: 公管办 or a platform admin.
    RunRiskScan,
    /// Recording conduct seen (违规线索) for a regulator to investigate: centre staff
    /// (细则 §17(七)), inspectors and regulators.
    RecordViolation,
    /// Declaring or reading a person's relations with participants (recusal).
    DeclarePersonRelation {
        employer_id: Option<&'a str>,
    },
    /// A supervisory act on a project (complaints): its industry regulator or 公管办.
    SuperviseProject {
        regulator_id: Option<&'a str>,
    },
    /// Reading the caller's own inbox (its organisation's notifications). Every signed-in
    /// person has one; a service account has none (it subscribes to webhooks).
    ListNotifications,
    /// Counting the unread notifications of the caller's own inbox.
    CountUnreadNotifications,
    /// Marking one notification of the caller's own inbox read.
    MarkNotificationRead,
    /// Marking every notification of the caller's own inbox read.
    MarkAllNotificationsRead,
    /// The complaints inbox: those a regulator may supervise (all for 公管办, those on its
    /// projects for an industry regulator), or a complainant's own. The centre never
    /// supervises (管理办法 §22(四)).
    ListComplaints,
    /// The repair applications a regulator decides, or a participant's own.
    ListRepairApplications,
    /// An expert's list of the evaluation committees it sits on.
    ListOwnCommittees,
    /// The queue of questions across projects: a tenderer's or agency's to answer, a
    /// supervisor's to watch, a bidder's own.
    ListQuestionQueue,
    /// The queue of objections across projects, scoped as the questions'.
    ListObjectionQueue,
    /// The list of expert draws: the centre's, supervisors' and inspectors', the tender
    /// side's of its projects; never bidders' or experts'.
    ListExpertDraws,
    /// The list of conduct reports: the centre's (who report) and the regulators' (who
    /// decide) and inspectors'.
    ListConductReports,
}

/// Rule cited when the centre is refused a supervisory act.
pub const CENTRE_NO_REGULATORY_POWER: &str = "centre.no_regulatory_power";

const REGULATORS_AND_INSPECTORS: [Role; 3] = [Role::ComprehensiveRegulator, Role::IndustryRegulator, Role::Inspector];
pub(crate) const PARTICIPANT_ROLES: [Role; 3] = [Role::Tenderer, Role::Agent, Role::Bidder];

/// Decides one request. `None` is the public (no token).
pub fn authorize(principal: Option<&Principal>, action: Action<'_>) -> Result<(), ServiceError> {
    // Public reads come first: they need no principal at all.
    if matches!(action, Action::ListDepartments) {
        return Ok(());
    }
    let Some(p) = principal else {
        return Err(ServiceError::Unauthenticated);
    };
    let role = p.role;
    // 管办分离: the centre serves and never supervises (管理办法 §22(四)); say so by rule.
    if role == Role::CentreStaff
        && matches!(
            action,
            Action::PublishRuleSet | Action::AssignRegulator | Action::SuperviseProject { .. } | Action::ListComplaints
        )
    {
        return Err(ServiceError::Forbidden {
            detail: "交易中心不具有监管职能，不能发布规则或指定监管部门".into(),
            rule: Some(CENTRE_NO_REGULATORY_POWER),
        });
    }
    let allowed = match action {
        Action::ListDepartments => true,
        Action::CreateParticipant => role == Role::CentreStaff || system_with(p, "participants:write"),
        // Participants are market entities whose name and code are public record; any
        // signed-in role may read them.
        Action::ReadParticipant => {
            role != Role::System || system_with(p, "participants:read") || system_with(p, "participants:write")
        }
        Action::UpdateParticipant { participant_id } => {
            role == Role::CentreStaff
                || system_with(p, "participants:write")
                || (PARTICIPANT_ROLES.contains(&role) && p.acts_for(participant_id))
        }
        Action::CreatePerson { employer_id } => {
            role == Role::CentreStaff
                || system_with(p, "persons:write")
                || (PARTICIPANT_ROLES.contains(&role) && employer_id.is_some_and(|e| p.acts_for(e)))
        }
        Action::ReadPerson { employer_id } | Action::ListPersons { employer_id } => {
            role == Role::CentreStaff
                || REGULATORS_AND_INSPECTORS.contains(&role)
                || system_with(p, "persons:read")
                || system_with(p, "persons:write")
                || (PARTICIPANT_ROLES.contains(&role) && employer_id.is_some_and(|e| p.acts_for(e)))
        }
        Action::ManageServiceAccounts => role == Role::PlatformAdmin,
        Action::VerifyAudit => {
            matches!(role, Role::ComprehensiveRegulator | Role::Inspector | Role::PlatformAdmin)
                || system_with(p, "audit:read")
        }
        Action::ManageCalendar | Action::ManageStaff => role == Role::PlatformAdmin,
        Action::ReadStaff => matches!(
            role,
            Role::PlatformAdmin
                | Role::CentreStaff
                | Role::ComprehensiveRegulator
                | Role::IndustryRegulator
                | Role::Inspector
        ),
        Action::PublishRuleSet | Action::AssignRegulator => role == Role::ComprehensiveRegulator,
        // The centre helps tenderers enter their projects (实施方案 五(五)).
        Action::RegisterProject { tenderer_id, agency_id } => {
            role == Role::CentreStaff
                || (role == Role::Tenderer && p.acts_for(tenderer_id))
                || (role == Role::Agent && agency_id.is_some_and(|a| p.acts_for(a)))
        }
        Action::ReadProject { tenderer_id, regulator_id, agency_ids, bidder_takes_part } => match role {
            Role::Bidder => bidder_takes_part,
            Role::CentreStaff | Role::ComprehensiveRegulator | Role::Inspector => true,
            Role::IndustryRegulator => regulator_id.is_some_and(|r| p.acts_for(r)),
            Role::Tenderer => p.acts_for(tenderer_id),
            Role::Agent => agency_ids.iter().any(|a| p.acts_for(a)),
            _ => false,
        },
        Action::FollowOpening { tenderer_id, regulator_id, agency_ids, bid_in_section } => match role {
            Role::Bidder => bid_in_section,
            Role::CentreStaff | Role::ComprehensiveRegulator | Role::Inspector => true,
            Role::IndustryRegulator => regulator_id.is_some_and(|r| p.acts_for(r)),
            Role::Tenderer => p.acts_for(tenderer_id),
            Role::Agent => agency_ids.iter().any(|a| p.acts_for(a)),
            _ => false,
        },
        // A bidder's list is scoped to the projects it takes part in.
        Action::ListProjects => matches!(
            role,
            Role::Bidder
                | Role::CentreStaff
                | Role::ComprehensiveRegulator
                | Role::IndustryRegulator
                | Role::Inspector
                | Role::Tenderer
                | Role::Agent
        ),
        Action::CommissionAgency { tenderer_id } | Action::ReportDirectAward { tenderer_id } => {
            role == Role::Tenderer && p.acts_for(tenderer_id)
        }
        Action::ActForParticipant { participant_id } => PARTICIPANT_ROLES.contains(&role) && p.acts_for(participant_id),
        // Only regulators write credit records (the centre reports; 管理办法 §22(四)).
        Action::WriteCreditRecord => matches!(role, Role::IndustryRegulator | Role::ComprehensiveRegulator),
        Action::ReadCreditRecords { participant_id } => {
            matches!(role, Role::CentreStaff | Role::IndustryRegulator | Role::ComprehensiveRegulator | Role::Inspector)
                || system_with(p, "credit:read")
                || (PARTICIPANT_ROLES.contains(&role) && p.acts_for(participant_id))
        }
        Action::AuditCreditReads => matches!(role, Role::ComprehensiveRegulator | Role::Inspector),
        Action::ReportConduct => role == Role::CentreStaff,
        Action::DeclarePersonRelation { employer_id } => {
            matches!(role, Role::CentreStaff | Role::IndustryRegulator | Role::ComprehensiveRegulator | Role::Inspector)
                || (PARTICIPANT_ROLES.contains(&role) && employer_id.is_some_and(|e| p.acts_for(e)))
        }
        Action::RunRiskScan => matches!(role, Role::ComprehensiveRegulator | Role::PlatformAdmin),
        Action::RecordViolation => {
            matches!(role, Role::CentreStaff | Role::Inspector | Role::IndustryRegulator | Role::ComprehensiveRegulator)
        }
        // Evaluation committees use credit reports (管理办法 §38).
        Action::ReadCreditReport { participant_id } => {
            matches!(
                role,
                Role::CentreStaff
                    | Role::IndustryRegulator
                    | Role::ComprehensiveRegulator
                    | Role::Inspector
                    | Role::Expert
            ) || system_with(p, "credit:read")
                || (PARTICIPANT_ROLES.contains(&role) && p.acts_for(participant_id))
        }
        Action::RunTendering { tenderer_id, agency_ids } => {
            (role == Role::Tenderer && p.acts_for(tenderer_id))
                || (role == Role::Agent && agency_ids.iter().any(|a| p.acts_for(a)))
        }
        Action::Bid | Action::ListOwnBidding => role == Role::Bidder && p.org.is_some(),
        Action::ManageBonds
        | Action::HostListing
        | Action::DrawExperts
        | Action::RecordEvaluation
        | Action::ManageVenues
        | Action::PublishServiceItems => role == Role::CentreStaff,
        Action::ReadBonds => {
            matches!(role, Role::CentreStaff | Role::IndustryRegulator | Role::ComprehensiveRegulator | Role::Inspector)
        }
        Action::ManageExperts => matches!(role, Role::CentreStaff | Role::ComprehensiveRegulator),
        Action::SuperviseProject { regulator_id } => {
            role == Role::ComprehensiveRegulator
                || (role == Role::IndustryRegulator && regulator_id.is_some_and(|r| p.acts_for(r)))
        }
        // An inbox is an organisation's (platform admins share one); which one is settled
        // where it is read, from the role and the organisation together.
        Action::ListNotifications
        | Action::CountUnreadNotifications
        | Action::MarkNotificationRead
        | Action::MarkAllNotificationsRead => role != Role::System,
        Action::ListComplaints => {
            role == Role::ComprehensiveRegulator
                || (matches!(role, Role::IndustryRegulator | Role::Bidder) && p.org.is_some())
        }
        Action::ListOwnCommittees => role == Role::Expert && p.org.is_some(),
        Action::ListExpertDraws => {
            matches!(role, Role::CentreStaff | Role::ComprehensiveRegulator | Role::Inspector)
                || matches!(role, Role::IndustryRegulator | Role::Tenderer | Role::Agent) && p.org.is_some()
        }
        Action::ListConductReports => {
            matches!(role, Role::CentreStaff | Role::IndustryRegulator | Role::ComprehensiveRegulator | Role::Inspector)
        }
        Action::ListQuestionQueue | Action::ListObjectionQueue => {
            matches!(role, Role::CentreStaff | Role::ComprehensiveRegulator | Role::Inspector)
                || (matches!(role, Role::IndustryRegulator) || PARTICIPANT_ROLES.contains(&role)) && p.org.is_some()
        }
        Action::ListRepairApplications => {
            matches!(role, Role::IndustryRegulator | Role::ComprehensiveRegulator | Role::Inspector)
                || (PARTICIPANT_ROLES.contains(&role) && p.org.is_some())
        }
        Action::ImportCourtList => {
            matches!(role, Role::IndustryRegulator | Role::ComprehensiveRegulator) || system_with(p, "credit:write")
        }
    };
    if allowed {
        Ok(())
    } else {
        Err(ServiceError::Forbidden { detail: format!("角色 {} 无权执行此操作", role), rule: None })
    }
}

/// The scope of the bond desk (保证金专户岗): centre staff who hold and refund bid bonds.
pub const BOND_DESK_SCOPE: &str = "bonds:desk";

/// Who may see a bond. Before its section's opening only its bidder and the bond desk (centre
/// staff with `bonds:desk`): the tender's own staff, other centre staff and the regulators must
/// not learn who deposited, for that tells who bids (招标投标法 §22). After the opening, also
/// whoever may read bonds.
pub fn sees_bond(p: &Principal, bidder_id: &str, section_opened: bool) -> bool {
    let own = p.role == Role::Bidder && p.acts_for(bidder_id);
    let desk = p.role == Role::CentreStaff && p.has_scope(BOND_DESK_SCOPE);
    own || desk || (section_opened && authorize(Some(p), Action::ReadBonds).is_ok())
}

fn system_with(p: &Principal, scope: &str) -> bool {
    p.role == Role::System && p.has_scope(scope)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(role: Role, org: Option<&str>) -> Principal {
        Principal { subject: "u".into(), role, org: org.map(str::to_owned), scopes: vec![], request_key: None }
    }

    #[test]
    fn before_the_opening_a_bond_is_seen_by_its_bidder_and_the_bond_desk_only() {
        let mut desk = principal(Role::CentreStaff, Some("centre"));
        desk.scopes = vec![BOND_DESK_SCOPE.into()];
        let bidder = principal(Role::Bidder, Some("b1"));
        for sealed_reader in [
            principal(Role::CentreStaff, Some("centre")),
            principal(Role::IndustryRegulator, Some("zjw")),
            principal(Role::ComprehensiveRegulator, Some("gongguanban")),
            principal(Role::Inspector, Some("jijian")),
            principal(Role::Tenderer, Some("t1")),
            principal(Role::Bidder, Some("b2")),
        ] {
            assert!(!sees_bond(&sealed_reader, "b1", false), "{:?}", sealed_reader.role);
        }
        assert!(sees_bond(&desk, "b1", false));
        assert!(sees_bond(&bidder, "b1", false));
        assert!(sees_bond(&principal(Role::Inspector, Some("jijian")), "b1", true), "after the opening");
        assert!(!sees_bond(&principal(Role::Tenderer, Some("t1")), "b1", true));
        assert!(!sees_bond(&principal(Role::Bidder, Some("b2")), "b1", true));
    }

    #[test]
    fn only_a_bidder_lists_its_own_bids_and_bonds() {
        for role in Role::ALL {
            let allowed = authorize(Some(&principal(role, Some("x"))), Action::ListOwnBidding).is_ok();
            assert_eq!(allowed, role == Role::Bidder, "{role}");
        }
        assert!(authorize(Some(&principal(Role::Bidder, None)), Action::ListOwnBidding).is_err(), "no participant");
        assert!(matches!(authorize(None, Action::ListOwnBidding), Err(ServiceError::Unauthenticated)));
    }

    #[test]
    fn every_person_has_an_inbox_and_a_service_account_none() {
        for action in [
            Action::ListNotifications,
            Action::CountUnreadNotifications,
            Action::MarkNotificationRead,
            Action::MarkAllNotificationsRead,
        ] {
            for role in Role::ALL {
                let allowed = authorize(Some(&principal(role, Some("x"))), action).is_ok();
                assert_eq!(allowed, role != Role::System, "{action:?} {role}");
            }
            assert!(matches!(authorize(None, action), Err(ServiceError::Unauthenticated)), "{action:?}");
        }
    }

    #[test]
    fn complaints_are_listed_to_regulators_and_complainants_only() {
        for role in Role::ALL {
            let allowed = authorize(Some(&principal(role, Some("x"))), Action::ListComplaints).is_ok();
            let expected = matches!(role, Role::ComprehensiveRegulator | Role::IndustryRegulator | Role::Bidder);
            assert_eq!(allowed, expected, "{role}");
        }
        assert!(authorize(Some(&principal(Role::Bidder, None)), Action::ListComplaints).is_err(), "no complainant");
        match authorize(Some(&principal(Role::CentreStaff, Some("centre"))), Action::ListComplaints) {
            Err(ServiceError::Forbidden { rule, .. }) => assert_eq!(rule, Some(CENTRE_NO_REGULATORY_POWER)),
            other => panic!("the centre: {other:?}"),
        }
    }

    #[test]
    fn only_an_expert_lists_its_committees() {
        for role in Role::ALL {
            let allowed = authorize(Some(&principal(role, Some("x"))), Action::ListOwnCommittees).is_ok();
            assert_eq!(allowed, role == Role::Expert, "{role}");
        }
        assert!(authorize(Some(&principal(Role::Expert, None)), Action::ListOwnCommittees).is_err());
    }

    #[test]
    fn the_public_reads_departments_and_nothing_else() {
        assert!(authorize(None, Action::ListDepartments).is_ok());
        for action in [
            Action::CreateParticipant,
            Action::ReadParticipant,
            Action::UpdateParticipant { participant_id: "p" },
            Action::CreatePerson { employer_id: None },
            Action::ManageServiceAccounts,
            Action::VerifyAudit,
        ] {
            assert!(matches!(authorize(None, action), Err(ServiceError::Unauthenticated)), "{action:?}");
        }
    }

    #[test]
    fn only_the_centre_and_scoped_systems_register_participants() {
        for role in Role::ALL {
            let allowed = authorize(Some(&principal(role, Some("x"))), Action::CreateParticipant).is_ok();
            assert_eq!(allowed, role == Role::CentreStaff, "{role}");
        }
        let mut system = principal(Role::System, None);
        assert!(authorize(Some(&system), Action::CreateParticipant).is_err());
        system.scopes = vec!["participants:write".into()];
        assert!(authorize(Some(&system), Action::CreateParticipant).is_ok());
    }

    #[test]
    fn a_participant_updates_only_itself() {
        let bidder = principal(Role::Bidder, Some("p1"));
        assert!(authorize(Some(&bidder), Action::UpdateParticipant { participant_id: "p1" }).is_ok());
        assert!(matches!(
            authorize(Some(&bidder), Action::UpdateParticipant { participant_id: "p2" }),
            Err(ServiceError::Forbidden { .. })
        ));
        let regulator = principal(Role::IndustryRegulator, Some("zjw"));
        assert!(authorize(Some(&regulator), Action::UpdateParticipant { participant_id: "p1" }).is_err());
    }

    #[test]
    fn persons_are_seen_by_their_employer_and_supervisors_only() {
        let agent = principal(Role::Agent, Some("agency"));
        assert!(authorize(Some(&agent), Action::ReadPerson { employer_id: Some("agency") }).is_ok());
        assert!(authorize(Some(&agent), Action::ReadPerson { employer_id: Some("other") }).is_err());
        assert!(authorize(Some(&agent), Action::ListPersons { employer_id: None }).is_err());
        let expert = principal(Role::Expert, Some("e1"));
        assert!(authorize(Some(&expert), Action::ReadPerson { employer_id: Some("agency") }).is_err());
        let inspector = principal(Role::Inspector, Some("jijian"));
        assert!(authorize(Some(&inspector), Action::ListPersons { employer_id: None }).is_ok());
        assert!(authorize(Some(&inspector), Action::CreatePerson { employer_id: None }).is_err());
    }

    #[test]
    fn service_accounts_are_the_platform_admins_alone() {
        for role in Role::ALL {
            let allowed = authorize(Some(&principal(role, None)), Action::ManageServiceAccounts).is_ok();
            assert_eq!(allowed, role == Role::PlatformAdmin, "{role}");
        }
    }

    #[test]
    fn the_centre_never_decides_and_says_which_rule() {
        let centre = principal(Role::CentreStaff, Some("centre"));
        for action in [Action::PublishRuleSet, Action::AssignRegulator] {
            match authorize(Some(&centre), action) {
                Err(ServiceError::Forbidden { rule, .. }) => assert_eq!(rule, Some(CENTRE_NO_REGULATORY_POWER)),
                other => panic!("{action:?}: {other:?}"),
            }
        }
        let gongguanban = principal(Role::ComprehensiveRegulator, Some("gongguanban"));
        assert!(authorize(Some(&gongguanban), Action::PublishRuleSet).is_ok());
        assert!(authorize(Some(&principal(Role::IndustryRegulator, Some("zjw"))), Action::AssignRegulator).is_err());
    }

    #[test]
    fn an_industry_regulator_reads_only_its_projects() {
        let zjw = principal(Role::IndustryRegulator, Some("zjw"));
        let agencies: Vec<String> = vec!["agency".into()];
        let read = |regulator_id, bidder_takes_part| Action::ReadProject {
            tenderer_id: "t",
            regulator_id: Some(regulator_id),
            agency_ids: &agencies,
            bidder_takes_part,
        };
        let (ours, theirs) = (read("zjw", false), read("swj", false));
        assert!(authorize(Some(&zjw), ours).is_ok());
        assert!(authorize(Some(&zjw), theirs).is_err());
        assert!(authorize(Some(&principal(Role::Agent, Some("agency"))), theirs).is_ok());
        assert!(authorize(Some(&principal(Role::Agent, Some("other"))), theirs).is_err());
        assert!(authorize(Some(&principal(Role::Bidder, Some("t"))), theirs).is_err());
        // A bidder reads a project it takes part in, and only that; the flag opens it to no
        // other role.
        let bidder = principal(Role::Bidder, Some("b"));
        assert!(authorize(Some(&bidder), read("swj", true)).is_ok());
        assert!(authorize(Some(&bidder), read("swj", false)).is_err());
        assert!(authorize(Some(&principal(Role::Expert, Some("e"))), read("swj", true)).is_err());
        assert!(authorize(Some(&principal(Role::IndustryRegulator, Some("swx"))), read("swj", true)).is_err());
        assert!(authorize(Some(&bidder), Action::ListProjects).is_ok());
        assert!(authorize(Some(&principal(Role::Expert, Some("e"))), Action::ListProjects).is_err());
    }

    #[test]
    fn an_opening_is_followed_by_its_parties_and_the_bidders_of_the_section_only() {
        let agencies: Vec<String> = vec!["agency".into()];
        let follow = |bid_in_section| Action::FollowOpening {
            tenderer_id: "t",
            regulator_id: Some("zjw"),
            agency_ids: &agencies,
            bid_in_section,
        };
        assert!(authorize(Some(&principal(Role::Bidder, Some("b"))), follow(true)).is_ok());
        assert!(authorize(Some(&principal(Role::Bidder, Some("b"))), follow(false)).is_err());
        assert!(authorize(Some(&principal(Role::Tenderer, Some("t"))), follow(false)).is_ok());
        assert!(authorize(Some(&principal(Role::Tenderer, Some("other"))), follow(false)).is_err());
        assert!(authorize(Some(&principal(Role::Agent, Some("agency"))), follow(false)).is_ok());
        assert!(authorize(Some(&principal(Role::CentreStaff, Some("centre"))), follow(false)).is_ok());
        assert!(authorize(Some(&principal(Role::IndustryRegulator, Some("swj"))), follow(false)).is_err());
        assert!(authorize(Some(&principal(Role::Expert, Some("e"))), follow(true)).is_err());
        assert!(authorize(None, follow(true)).is_err());
    }

    #[test]
    fn the_centre_cannot_verify_audit_as_a_supervisor() {
        assert!(authorize(Some(&principal(Role::CentreStaff, Some("centre"))), Action::VerifyAudit).is_err());
        assert!(authorize(Some(&principal(Role::Inspector, Some("jijian"))), Action::VerifyAudit).is_ok());
    }
}
