//! Who may do what: the caller (`Principal`, its `Role`), one `Action` per operation and the
//! one deny-by-default function `authorize`, which every use case asks before touching data
//! (handlers never decide access; a request is allowed only by an explicit arm below), and
//! the scope functions that say which rows a caller lists and in whose name it acts. Pure:
//! no I/O, tested as tables.

use ggzy_oversight::conduct::CasePart;
use ggzy_rules::DocumentKind;
use ggzy_store::objections::{ComplaintScope, QueueScope};
use ggzy_store::projects::ProjectScope;

pub mod principal;

pub use principal::{OrganisationKind, Principal, RequestKey, Role};

/// Scopes a service account (role `system`) can be given.
pub const SCOPES: [&str; 5] =
    ["participants:read", "participants:write", "persons:read", "persons:write", "audit:read"];

/// Why `authorize` (or a scope check) says no; the service answers 401 or 403 with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denied {
    /// No principal: the request carries no valid token.
    Unauthenticated,
    /// The principal may not do this; `rule` is the RULES.md id when a rule says so.
    Forbidden { detail: String, rule: Option<&'static str> },
}

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
    /// Restricting an expert, whom the draw then skips: regulators only.
    RestrictExpert,
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
    /// Reading the deadline watch (every running legal clock).
    ReadDeadlineWatch,
    /// Reading who read a project's archive.
    ReadArchiveReads,
    /// Listing the unanswered objections of the projects one supervises.
    ListUnansweredObjections,
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
    /// Exporting a project's archive: the centre, supervisors and inspectors.
    ReadArchive,
    /// A section's bonds: the bond desk always; from the opening on (`opened`), whoever reads
    /// the project (`reads_project`) but bidders, who list their own (`ListOwnBidding`).
    ListSectionBonds {
        opened: bool,
        reads_project: bool,
    },
    /// A complainant reading its own complaint (supervisors read it as `SuperviseProject`).
    ReadOwnComplaint {
        complainant_id: &'a str,
    },
    /// The wrongdoing reports (举报) a regulator handles; 公管办 and inspectors see all.
    ListReports,
    /// Recording a step of a report: the department it was sent to, or 公管办.
    HandleReport {
        department_id: &'a str,
    },
    /// Reading collusion risk alerts: supervisors and inspectors.
    ReadRiskAlerts,
    /// Listing violation cases: supervisors and inspectors, and the centre its own reports.
    ListViolationCases,
    /// Reading one violation case: 公管办 and inspectors all, the centre those it reported
    /// (`reporter_org`), an industry regulator those its department is on (`on_case`).
    ReadViolationCase {
        reporter_org: Option<&'a str>,
        on_case: bool,
    },
    /// Declaring an expert's relation with a participant: the expert itself, or whoever
    /// keeps the pool.
    DeclareExpertRelation {
        expert_id: &'a str,
    },
    /// Reading an expert draw: whoever reads its project (`reads_project`) but bidders;
    /// committee members are secret until the result (招标投标法 §37).
    ReadExpertDraw {
        reads_project: bool,
    },
    /// Submitting scores: experts (the section's committee is checked with the draw).
    SubmitScores,
    /// Decrypting or revealing a sealed bid: its own bidder alone.
    DecryptBid {
        bidder_id: &'a str,
    },
    /// Registering the public keys a bidder seals with: the bidder itself.
    RegisterSealingKey {
        participant_id: &'a str,
    },
    /// Recording that a bid could not be decrypted through the platform's fault: the centre.
    RecordDecryptionFailure,
    /// Rating a service of the centre: the participants served.
    RateService,
    /// Subscribing to the platform's notifications: service accounts and platform admins.
    SubscribeWebhooks,
    /// Handing in documents at all: people; service accounts hand in none. Which kind for
    /// which project is `may_upload_document`'s.
    HandInDocuments,
    /// Downloading the documents an announcement issues: people, not service accounts.
    DownloadIssuedDocument,
}

/// Rule cited when the centre is refused a supervisory act.
pub const CENTRE_NO_REGULATORY_POWER: &str = "centre.no_regulatory_power";

const REGULATORS_AND_INSPECTORS: [Role; 3] = [Role::ComprehensiveRegulator, Role::IndustryRegulator, Role::Inspector];
const PARTICIPANT_ROLES: [Role; 3] = [Role::Tenderer, Role::Agent, Role::Bidder];

/// Decides one request. `None` is the public (no token).
pub fn authorize(principal: Option<&Principal>, action: Action<'_>) -> Result<(), Denied> {
    // Public reads come first: they need no principal at all.
    if matches!(action, Action::ListDepartments) {
        return Ok(());
    }
    let Some(p) = principal else {
        return Err(Denied::Unauthenticated);
    };
    let role = p.role;
    // 管办分离: the centre serves and never supervises (管理办法 §22(四)); say so by rule.
    if role == Role::CentreStaff
        && matches!(
            action,
            Action::PublishRuleSet | Action::AssignRegulator | Action::SuperviseProject { .. } | Action::ListComplaints
        )
    {
        return Err(Denied::Forbidden {
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
        Action::WriteCreditRecord | Action::RestrictExpert => {
            matches!(role, Role::IndustryRegulator | Role::ComprehensiveRegulator)
        }
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
        Action::ReadBonds | Action::ReadDeadlineWatch | Action::ReadArchiveReads | Action::ListUnansweredObjections => {
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
        Action::ReadArchive => {
            matches!(role, Role::CentreStaff | Role::IndustryRegulator | Role::ComprehensiveRegulator | Role::Inspector)
        }
        Action::ListSectionBonds { opened, reads_project } => {
            sees_bond(p, "", false) || (opened && role != Role::Bidder && reads_project)
        }
        Action::ReadOwnComplaint { complainant_id } => role == Role::Bidder && p.acts_for(complainant_id),
        Action::ListReports | Action::ReadRiskAlerts => {
            matches!(role, Role::IndustryRegulator | Role::ComprehensiveRegulator | Role::Inspector)
        }
        Action::HandleReport { department_id } => {
            role == Role::ComprehensiveRegulator || (role == Role::IndustryRegulator && p.acts_for(department_id))
        }
        Action::ListViolationCases => {
            matches!(role, Role::CentreStaff | Role::IndustryRegulator | Role::ComprehensiveRegulator | Role::Inspector)
        }
        Action::ReadViolationCase { reporter_org, on_case } => match role {
            Role::Inspector | Role::ComprehensiveRegulator => true,
            Role::CentreStaff => reporter_org.is_some_and(|o| p.acts_for(o)),
            Role::IndustryRegulator => on_case,
            _ => false,
        },
        Action::DeclareExpertRelation { expert_id } => {
            (role == Role::Expert && p.acts_for(expert_id)) || authorize(Some(p), Action::ManageExperts).is_ok()
        }
        Action::ReadExpertDraw { reads_project } => role != Role::Bidder && reads_project,
        Action::SubmitScores => role == Role::Expert,
        Action::DecryptBid { bidder_id } => role == Role::Bidder && p.acts_for(bidder_id),
        Action::RegisterSealingKey { participant_id } => role == Role::Bidder && p.acts_for(participant_id),
        Action::RecordDecryptionFailure => role == Role::CentreStaff,
        Action::RateService => PARTICIPANT_ROLES.contains(&role) && p.org.is_some(),
        Action::SubscribeWebhooks => matches!(role, Role::System | Role::PlatformAdmin),
        Action::HandInDocuments | Action::DownloadIssuedDocument => role != Role::System,
    };
    if allowed {
        Ok(())
    } else {
        Err(Denied::Forbidden { detail: refusal(action, role), rule: None })
    }
}

/// What a refused caller is told: the operation's own words where it has them.
fn refusal(action: Action<'_>, role: Role) -> String {
    let words = match action {
        Action::ReadArchive => "档案由交易中心、监管部门和纪检监察调阅",
        Action::ListReports => "举报由监管部门处理",
        Action::HandleReport { .. } => "仅承办的监管部门可记录办理情况",
        Action::ReadRiskAlerts => "风险预警由监管部门处理",
        Action::ListViolationCases => "违规案件由监管部门办理",
        Action::SubmitScores => "仅评标委员会成员可评分",
        Action::RegisterSealingKey { .. } => "投标人只能为自己登记加密密钥",
        Action::RecordDecryptionFailure => "由交易中心记录平台原因的解密失败",
        Action::RateService => "由接受服务的市场主体评价",
        Action::SubscribeWebhooks => "仅对接系统（服务账号）或平台运维可订阅",
        Action::HandInDocuments => "服务账户不提交文件",
        Action::DownloadIssuedDocument => "服务账户不下载招标文件",
        _ => return format!("角色 {} 无权执行此操作", role),
    };
    words.into()
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

/// The projects a caller's lists cover, once the policy has let it list them: a tenderer
/// its own, an agent its agency's commissions, an industry regulator those it supervises, a
/// bidder those it posted a bond or a bid in, everyone else all.
pub fn project_scope(principal: &Principal) -> ProjectScope {
    let org = principal.org.clone().unwrap_or_default();
    match principal.role {
        Role::Tenderer => ProjectScope::Tenderer(org),
        Role::IndustryRegulator => ProjectScope::Regulator(org),
        Role::Agent => ProjectScope::Agency(org),
        Role::Bidder => ProjectScope::Bidder(org),
        _ => ProjectScope::All,
    }
}

/// Whose questions and objections a caller sees (the policy has let it list them): a
/// bidder its own, on any project; everyone else those on the projects it lists.
pub fn queue_scope(principal: &Principal) -> QueueScope {
    match principal.role {
        Role::Bidder => QueueScope::Own(principal.org.clone().unwrap_or_default()),
        _ => QueueScope::Projects(project_scope(principal)),
    }
}

/// The complaints a caller lists once `ListComplaints` let it: all for 公管办, those on its
/// projects for an industry regulator, else only its own as complainant.
pub fn complaint_scope(p: &Principal) -> ComplaintScope<'_> {
    let org = p.org.as_deref().unwrap_or_default();
    match p.role {
        Role::ComprehensiveRegulator => ComplaintScope::All,
        Role::IndustryRegulator => ComplaintScope::Regulator(org),
        _ => ComplaintScope::Complainant(org),
    }
}

/// The violation cases a caller lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseScope<'a> {
    /// Every case (the caller may narrow it to a department).
    All,
    /// Those this department leads or takes part in.
    Department(&'a str),
    /// Those this organisation reported.
    ReportedBy(&'a str),
}

/// The violation cases a caller lists once `ListViolationCases` let it: all for 公管办 and
/// inspectors, its department's for an industry regulator, else only those it reported.
pub fn violation_case_scope(p: &Principal) -> CaseScope<'_> {
    let org = p.org.as_deref().unwrap_or_default();
    match p.role {
        Role::ComprehensiveRegulator | Role::Inspector => CaseScope::All,
        Role::IndustryRegulator => CaseScope::Department(org),
        _ => CaseScope::ReportedBy(org),
    }
}

/// The department an industry regulator's supervisory lists keep to: its own. `None` for
/// every other caller, whom the list's action decides on.
pub fn industry_of(p: &Principal) -> Option<&str> {
    (p.role == Role::IndustryRegulator).then(|| p.org.as_deref().unwrap_or_default())
}

/// A supervisor's part on a violation case: its department's among the case's (`own_part`),
/// else the lead for 公管办, which supervises every case but those about itself. The centre
/// reports and never investigates (centre.no_regulatory_power).
pub fn part_on_case(
    p: &Principal,
    own_part: Option<CasePart>,
    about_comprehensive_regulator: bool,
) -> Result<CasePart, Denied> {
    if p.role == Role::CentreStaff {
        authorize(Some(p), Action::SuperviseProject { regulator_id: None })?;
    }
    let supervisor = matches!(p.role, Role::IndustryRegulator | Role::ComprehensiveRegulator | Role::Inspector);
    match own_part.filter(|_| supervisor) {
        Some(part) => Ok(part),
        None if p.role == Role::ComprehensiveRegulator && !about_comprehensive_regulator => Ok(CasePart::Lead),
        None => Err(Denied::Forbidden { detail: "本案不由贵部门承办或参与".into(), rule: None }),
    }
}

/// Who suspends or resumes a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuspendingParty {
    Tenderer,
    /// The project's regulator, or 公管办: only a regulator lifts a regulator's suspension.
    Regulator,
}

/// Whom a caller suspends or resumes a project as: its tenderer, or its regulator (or
/// 公管办); `None` for anyone else.
pub fn suspending_party(p: &Principal, tenderer_id: &str, regulator_id: Option<&str>) -> Option<SuspendingParty> {
    match p.role {
        Role::Tenderer if p.acts_for(tenderer_id) => Some(SuspendingParty::Tenderer),
        Role::ComprehensiveRegulator => Some(SuspendingParty::Regulator),
        Role::IndustryRegulator if regulator_id.is_some_and(|r| p.acts_for(r)) => Some(SuspendingParty::Regulator),
        _ => None,
    }
}

/// The participant a tenderer, agent or bidder acts for: its lists (repair applications)
/// hold only its own.
pub fn acting_participant(p: &Principal) -> Option<&str> {
    if PARTICIPANT_ROLES.contains(&p.role) {
        p.org.as_deref()
    } else {
        None
    }
}

/// The bidder a caller acts as, if it is one: its own bonds and bids open what it reads.
/// A bidder without organisation acts as "", which no record names.
pub fn acting_bidder(p: &Principal) -> Option<&str> {
    (p.role == Role::Bidder).then(|| p.org.as_deref().unwrap_or_default())
}

/// The agency an agent acts for, if the caller is an agent of one: it registers projects
/// only for that agency, under the commission it files with them. An agent without
/// organisation acts for none.
pub fn acting_agency(p: &Principal) -> Option<&str> {
    if p.role == Role::Agent {
        p.org.as_deref()
    } else {
        None
    }
}

/// The expert a caller acts as, if it is one: its committee seats decide what it reads and
/// hands in. An expert without organisation acts as "", which sits on no committee.
pub fn acting_expert(p: &Principal) -> Option<&str> {
    (p.role == Role::Expert).then(|| p.org.as_deref().unwrap_or_default())
}

/// Whether a project's registration form is shown: not to bidders, who ask whom the
/// announcement names.
pub fn sees_registration_form(p: Option<&Principal>) -> bool {
    !p.is_some_and(|p| p.role == Role::Bidder)
}

/// Whether a caller reads the platform admins' shared inbox (the calendar reminders)
/// rather than an organisation's.
pub fn reads_platform_inbox(p: &Principal) -> bool {
    p.role == Role::PlatformAdmin
}

/// Who hands in a kind of document, from the role, the project's people and whether the
/// caller is an expert sitting on the evaluation committee of one of the project's sections.
pub fn may_upload_document(
    p: &Principal,
    kind: DocumentKind,
    tenderer_id: Option<&str>,
    agency_ids: &[String],
    committee_member: bool,
) -> Result<(), Denied> {
    let tender_side = tenderer_id
        .is_some_and(|tenderer_id| authorize(Some(p), Action::RunTendering { tenderer_id, agency_ids }).is_ok());
    let allowed = match kind {
        DocumentKind::ApprovalDocument
        | DocumentKind::RegistrationMaterial
        | DocumentKind::TenderDocument
        | DocumentKind::TenderCorrection
        | DocumentKind::Appraisal
        | DocumentKind::Contract => tender_side || p.role == Role::CentreStaff,
        // The committee writes its report (条例 §53) and hands it in, or the centre does; the
        // centre keeps the recordings of its rooms (细则 §18).
        DocumentKind::EvaluationReport => p.role == Role::CentreStaff || (p.role == Role::Expert && committee_member),
        DocumentKind::Recording => p.role == Role::CentreStaff,
        // Anyone who files a complaint, a report or an application brings its evidence.
        DocumentKind::Evidence => p.role != Role::System,
        // A bidder hands in its bid files sealed; they open only when it decrypts its bid.
        DocumentKind::SealedBidFile => p.role == Role::Bidder && p.org.is_some(),
        DocumentKind::BidFile => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(Denied::Forbidden { detail: format!("角色 {} 不能提交此类文件（{kind}）", p.role), rule: None })
    }
}

/// The facts that decide who reads a stored document.
#[derive(Debug, Clone, Copy)]
pub struct DocumentFacts<'a> {
    pub kind: DocumentKind,
    pub uploaded_by: &'a str,
    pub uploader_org: Option<&'a str>,
    /// The project's tenderer, regulator and commissioned agencies, when it has a project.
    pub project: Option<(&'a str, Option<&'a str>, &'a [String])>,
    /// Whether the document is a bid file of a section not opened (before the opening, or
    /// one that failed or never came).
    pub bid_file_closed: bool,
}

/// Whether a principal reads a stored document by its id. Its uploader always; the people
/// of its project (tenderer, agents, centre, its regulators, inspectors) for the project's
/// documents, except evidence, which the tender side does not read; supervisors and the
/// centre read evidence. Tender documents reach bidders through their announcement, where
/// the download is recorded. Bid files (sealed or opened) are their bidder's alone until
/// the section is opened, then the project's readers' too; the committee reads them
/// through their bid (`GET /bids/{id}/documents/{sha256}`).
pub fn may_read_document(p: &Principal, facts: DocumentFacts<'_>) -> bool {
    let uploader = p.actor() == facts.uploaded_by
        || (facts.uploader_org.is_some_and(|org| p.acts_for(org)) && p.role != Role::System);
    if uploader {
        return true;
    }
    let project_reader = facts.project.is_some_and(|(tenderer_id, regulator_id, agency_ids)| {
        authorize(Some(p), Action::ReadProject { tenderer_id, regulator_id, agency_ids, bidder_takes_part: false })
            .is_ok()
    });
    match facts.kind {
        DocumentKind::Evidence => {
            matches!(
                p.role,
                Role::CentreStaff | Role::ComprehensiveRegulator | Role::Inspector | Role::IndustryRegulator
            ) && (facts.project.is_none() || project_reader)
        }
        DocumentKind::BidFile | DocumentKind::SealedBidFile => project_reader && !facts.bid_file_closed,
        _ => project_reader,
    }
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
    fn the_deadline_watch_archive_reads_and_objection_backlog_are_for_the_centre_and_supervisors() {
        let supervisors = [Role::CentreStaff, Role::IndustryRegulator, Role::ComprehensiveRegulator, Role::Inspector];
        for action in [Action::ReadDeadlineWatch, Action::ReadArchiveReads, Action::ListUnansweredObjections] {
            for role in Role::ALL {
                let allowed = authorize(Some(&principal(role, Some("x"))), action).is_ok();
                assert_eq!(allowed, supervisors.contains(&role), "{action:?} {role}");
            }
            assert_eq!(authorize(None, action), Err(Denied::Unauthenticated), "{action:?}");
        }
    }

    #[test]
    fn only_regulators_restrict_an_expert() {
        for role in Role::ALL {
            let allowed = authorize(Some(&principal(role, Some("x"))), Action::RestrictExpert).is_ok();
            assert_eq!(allowed, matches!(role, Role::IndustryRegulator | Role::ComprehensiveRegulator), "{role}");
        }
    }

    #[test]
    fn only_a_bidder_lists_its_own_bids_and_bonds() {
        for role in Role::ALL {
            let allowed = authorize(Some(&principal(role, Some("x"))), Action::ListOwnBidding).is_ok();
            assert_eq!(allowed, role == Role::Bidder, "{role}");
        }
        assert!(authorize(Some(&principal(Role::Bidder, None)), Action::ListOwnBidding).is_err(), "no participant");
        assert!(matches!(authorize(None, Action::ListOwnBidding), Err(Denied::Unauthenticated)));
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
            assert!(matches!(authorize(None, action), Err(Denied::Unauthenticated)), "{action:?}");
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
            Err(Denied::Forbidden { rule, .. }) => assert_eq!(rule, Some(CENTRE_NO_REGULATORY_POWER)),
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
            assert!(matches!(authorize(None, action), Err(Denied::Unauthenticated)), "{action:?}");
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
            Err(Denied::Forbidden { .. })
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
                Err(Denied::Forbidden { rule, .. }) => assert_eq!(rule, Some(CENTRE_NO_REGULATORY_POWER)),
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
    fn operations_kept_to_roles_are_allowed_to_those_roles_alone() {
        let supervisors = [Role::IndustryRegulator, Role::ComprehensiveRegulator, Role::Inspector];
        let supervisors_and_centre =
            [Role::CentreStaff, Role::IndustryRegulator, Role::ComprehensiveRegulator, Role::Inspector];
        let people: Vec<Role> = Role::ALL.into_iter().filter(|r| *r != Role::System).collect();
        let cases: [(Action<'_>, &[Role]); 10] = [
            (Action::ReadArchive, &supervisors_and_centre),
            (Action::ListViolationCases, &supervisors_and_centre),
            (Action::ListReports, &supervisors),
            (Action::ReadRiskAlerts, &supervisors),
            (Action::SubmitScores, &[Role::Expert]),
            (Action::RecordDecryptionFailure, &[Role::CentreStaff]),
            (Action::RateService, &[Role::Tenderer, Role::Agent, Role::Bidder]),
            (Action::SubscribeWebhooks, &[Role::System, Role::PlatformAdmin]),
            (Action::HandInDocuments, &people),
            (Action::DownloadIssuedDocument, &people),
        ];
        for (action, allowed) in cases {
            for role in Role::ALL {
                let outcome = authorize(Some(&principal(role, Some("x"))), action);
                assert_eq!(outcome.is_ok(), allowed.contains(&role), "{action:?} {role}");
            }
            assert!(matches!(authorize(None, action), Err(Denied::Unauthenticated)), "{action:?}");
        }
        assert!(authorize(Some(&principal(Role::Bidder, None)), Action::RateService).is_err(), "no participant");
    }

    #[test]
    fn a_refusal_says_the_operation_s_own_words() {
        let bidder = principal(Role::Bidder, Some("b"));
        let system = principal(Role::System, None);
        let centre = principal(Role::CentreStaff, Some("centre"));
        for (who, action, words) in [
            (&bidder, Action::ReadArchive, "档案由交易中心、监管部门和纪检监察调阅"),
            // The centre is told the report is the regulators', not the rule that bars it
            // from supervising.
            (&centre, Action::ListReports, "举报由监管部门处理"),
            (&centre, Action::HandleReport { department_id: "zjw" }, "仅承办的监管部门可记录办理情况"),
            (&centre, Action::ReadRiskAlerts, "风险预警由监管部门处理"),
            (&bidder, Action::ListViolationCases, "违规案件由监管部门办理"),
            (&bidder, Action::SubmitScores, "仅评标委员会成员可评分"),
            (&bidder, Action::RegisterSealingKey { participant_id: "other" }, "投标人只能为自己登记加密密钥"),
            (&bidder, Action::RecordDecryptionFailure, "由交易中心记录平台原因的解密失败"),
            (&centre, Action::RateService, "由接受服务的市场主体评价"),
            (&bidder, Action::SubscribeWebhooks, "仅对接系统（服务账号）或平台运维可订阅"),
            (&system, Action::HandInDocuments, "服务账户不提交文件"),
            (&system, Action::DownloadIssuedDocument, "服务账户不下载招标文件"),
            (&bidder, Action::DecryptBid { bidder_id: "other" }, "角色 bidder 无权执行此操作"),
        ] {
            match authorize(Some(who), action) {
                Err(Denied::Forbidden { detail, rule }) => {
                    assert_eq!(detail, words, "{action:?}");
                    assert_eq!(rule, None, "{action:?}");
                }
                other => panic!("{action:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_section_s_bonds_are_the_desk_s_and_after_the_opening_its_project_readers_but_bidders() {
        let mut desk = principal(Role::CentreStaff, Some("centre"));
        desk.scopes = vec![BOND_DESK_SCOPE.into()];
        let list = |opened, reads_project| Action::ListSectionBonds { opened, reads_project };
        assert!(authorize(Some(&desk), list(false, false)).is_ok());
        let centre = principal(Role::CentreStaff, Some("centre"));
        assert!(authorize(Some(&centre), list(false, true)).is_err(), "before the opening");
        assert!(authorize(Some(&centre), list(true, true)).is_ok());
        let tenderer = principal(Role::Tenderer, Some("t"));
        assert!(authorize(Some(&tenderer), list(true, true)).is_ok());
        assert!(authorize(Some(&tenderer), list(true, false)).is_err(), "not its project");
        assert!(authorize(Some(&principal(Role::Bidder, Some("b"))), list(true, true)).is_err(), "a bidder");
    }

    #[test]
    fn a_complainant_reads_its_own_complaint_only() {
        let read = Action::ReadOwnComplaint { complainant_id: "b1" };
        assert!(authorize(Some(&principal(Role::Bidder, Some("b1"))), read).is_ok());
        assert!(authorize(Some(&principal(Role::Bidder, Some("b2"))), read).is_err());
        assert!(authorize(Some(&principal(Role::Tenderer, Some("b1"))), read).is_err(), "not as complainant");
        assert!(authorize(Some(&principal(Role::ComprehensiveRegulator, Some("b1"))), read).is_err());
    }

    #[test]
    fn a_report_is_handled_by_its_department_or_gongguanban() {
        let handle = Action::HandleReport { department_id: "zjw" };
        assert!(authorize(Some(&principal(Role::IndustryRegulator, Some("zjw"))), handle).is_ok());
        assert!(authorize(Some(&principal(Role::IndustryRegulator, Some("swj"))), handle).is_err());
        assert!(authorize(Some(&principal(Role::ComprehensiveRegulator, Some("gongguanban"))), handle).is_ok());
        assert!(authorize(Some(&principal(Role::Inspector, Some("zjw"))), handle).is_err());
    }

    #[test]
    fn a_violation_case_is_read_by_those_on_it_and_the_centre_that_reported_it() {
        let read = |reporter_org, on_case| Action::ReadViolationCase { reporter_org, on_case };
        for role in [Role::Inspector, Role::ComprehensiveRegulator] {
            assert!(authorize(Some(&principal(role, Some("x"))), read(None, false)).is_ok(), "{role}");
        }
        let centre = principal(Role::CentreStaff, Some("centre"));
        assert!(authorize(Some(&centre), read(Some("centre"), false)).is_ok());
        assert!(authorize(Some(&centre), read(Some("other"), true)).is_err());
        let zjw = principal(Role::IndustryRegulator, Some("zjw"));
        assert!(authorize(Some(&zjw), read(None, true)).is_ok());
        assert!(authorize(Some(&zjw), read(Some("zjw"), false)).is_err());
        assert!(authorize(Some(&principal(Role::Bidder, Some("b"))), read(Some("b"), true)).is_err());
    }

    #[test]
    fn an_expert_declares_its_own_relations_and_the_pool_keepers_anyone_s() {
        let declare = Action::DeclareExpertRelation { expert_id: "e1" };
        assert!(authorize(Some(&principal(Role::Expert, Some("e1"))), declare).is_ok());
        assert!(authorize(Some(&principal(Role::Expert, Some("e2"))), declare).is_err());
        assert!(authorize(Some(&principal(Role::CentreStaff, Some("centre"))), declare).is_ok());
        assert!(authorize(Some(&principal(Role::ComprehensiveRegulator, Some("gongguanban"))), declare).is_ok());
        assert!(authorize(Some(&principal(Role::IndustryRegulator, Some("e1"))), declare).is_err());
    }

    #[test]
    fn an_expert_draw_is_read_by_its_project_s_readers_never_by_bidders() {
        let tenderer = principal(Role::Tenderer, Some("t"));
        assert!(authorize(Some(&tenderer), Action::ReadExpertDraw { reads_project: true }).is_ok());
        assert!(authorize(Some(&tenderer), Action::ReadExpertDraw { reads_project: false }).is_err());
        let bidder = principal(Role::Bidder, Some("b"));
        assert!(authorize(Some(&bidder), Action::ReadExpertDraw { reads_project: true }).is_err());
    }

    #[test]
    fn a_bidder_decrypts_its_own_bids_and_registers_its_own_keys() {
        let bidder = principal(Role::Bidder, Some("b1"));
        let tenderer = principal(Role::Tenderer, Some("b1"));
        for (own, others) in [
            (Action::DecryptBid { bidder_id: "b1" }, Action::DecryptBid { bidder_id: "b2" }),
            (Action::RegisterSealingKey { participant_id: "b1" }, Action::RegisterSealingKey { participant_id: "b2" }),
        ] {
            assert!(authorize(Some(&bidder), own).is_ok(), "{own:?}");
            assert!(authorize(Some(&bidder), others).is_err(), "{others:?}");
            assert!(authorize(Some(&tenderer), own).is_err(), "{own:?} as tenderer");
        }
    }

    #[test]
    fn each_role_lists_the_projects_and_queues_of_its_scope() {
        let scope = |role, org: &str| project_scope(&principal(role, Some(org)));
        assert_eq!(scope(Role::Tenderer, "t"), ProjectScope::Tenderer("t".into()));
        assert_eq!(scope(Role::Agent, "a"), ProjectScope::Agency("a".into()));
        assert_eq!(scope(Role::IndustryRegulator, "zjw"), ProjectScope::Regulator("zjw".into()));
        assert_eq!(scope(Role::Bidder, "b"), ProjectScope::Bidder("b".into()));
        assert_eq!(scope(Role::Inspector, "jijian"), ProjectScope::All);
        assert_eq!(queue_scope(&principal(Role::Bidder, Some("b"))), QueueScope::Own("b".into()));
        assert_eq!(
            queue_scope(&principal(Role::Tenderer, Some("t"))),
            QueueScope::Projects(ProjectScope::Tenderer("t".into()))
        );
        assert_eq!(queue_scope(&principal(Role::CentreStaff, Some("centre"))), QueueScope::Projects(ProjectScope::All));
    }

    #[test]
    fn complaints_and_cases_are_listed_in_the_caller_s_scope_the_narrowest_by_default() {
        let gongguanban = principal(Role::ComprehensiveRegulator, Some("gongguanban"));
        let zjw = principal(Role::IndustryRegulator, Some("zjw"));
        let bidder = principal(Role::Bidder, Some("b"));
        assert!(matches!(complaint_scope(&gongguanban), ComplaintScope::All));
        assert!(matches!(complaint_scope(&zjw), ComplaintScope::Regulator("zjw")));
        assert!(matches!(complaint_scope(&bidder), ComplaintScope::Complainant("b")));
        assert!(matches!(complaint_scope(&principal(Role::Inspector, Some("i"))), ComplaintScope::Complainant("i")));
        assert_eq!(violation_case_scope(&gongguanban), CaseScope::All);
        assert_eq!(violation_case_scope(&principal(Role::Inspector, Some("jijian"))), CaseScope::All);
        assert_eq!(violation_case_scope(&zjw), CaseScope::Department("zjw"));
        assert_eq!(
            violation_case_scope(&principal(Role::CentreStaff, Some("centre"))),
            CaseScope::ReportedBy("centre")
        );
        assert_eq!(violation_case_scope(&bidder), CaseScope::ReportedBy("b"));
    }

    #[test]
    fn an_industry_regulator_s_supervisory_lists_keep_to_its_industry() {
        assert_eq!(industry_of(&principal(Role::IndustryRegulator, Some("zjw"))), Some("zjw"));
        assert_eq!(industry_of(&principal(Role::IndustryRegulator, None)), Some(""), "no department: none of them");
        assert_eq!(industry_of(&principal(Role::ComprehensiveRegulator, Some("gongguanban"))), None);
        assert_eq!(industry_of(&principal(Role::Inspector, Some("jijian"))), None);
    }

    #[test]
    fn a_supervisor_s_part_on_a_case_is_its_department_s_or_the_lead_for_gongguanban() {
        let zjw = principal(Role::IndustryRegulator, Some("zjw"));
        assert_eq!(part_on_case(&zjw, Some(CasePart::Joint), false).ok(), Some(CasePart::Joint));
        assert!(matches!(part_on_case(&zjw, None, false), Err(Denied::Forbidden { rule: None, .. })));
        let gongguanban = principal(Role::ComprehensiveRegulator, Some("gongguanban"));
        assert_eq!(part_on_case(&gongguanban, None, false).ok(), Some(CasePart::Lead));
        assert!(part_on_case(&gongguanban, None, true).is_err(), "a case about itself");
        assert_eq!(part_on_case(&gongguanban, Some(CasePart::Joint), true).ok(), Some(CasePart::Joint));
        match part_on_case(&principal(Role::CentreStaff, Some("centre")), Some(CasePart::Lead), false) {
            Err(Denied::Forbidden { rule, .. }) => assert_eq!(rule, Some(CENTRE_NO_REGULATORY_POWER)),
            other => panic!("the centre: {other:?}"),
        }
        assert!(part_on_case(&principal(Role::Bidder, Some("b")), Some(CasePart::Lead), false).is_err());
    }

    #[test]
    fn a_project_is_suspended_by_its_tenderer_or_its_regulators() {
        let suspend = |role, org| suspending_party(&principal(role, Some(org)), "t", Some("zjw"));
        assert_eq!(suspend(Role::Tenderer, "t"), Some(SuspendingParty::Tenderer));
        assert_eq!(suspend(Role::Tenderer, "other"), None);
        assert_eq!(suspend(Role::IndustryRegulator, "zjw"), Some(SuspendingParty::Regulator));
        assert_eq!(suspend(Role::IndustryRegulator, "swj"), None);
        assert_eq!(suspend(Role::ComprehensiveRegulator, "gongguanban"), Some(SuspendingParty::Regulator));
        assert_eq!(suspend(Role::CentreStaff, "centre"), None);
        assert_eq!(suspend(Role::Agent, "t"), None);
    }

    #[test]
    fn a_caller_acts_as_bidder_expert_or_participant_only_in_that_role() {
        let bidder = principal(Role::Bidder, Some("b"));
        let expert = principal(Role::Expert, Some("e"));
        let agent = principal(Role::Agent, Some("a"));
        assert_eq!(acting_bidder(&bidder), Some("b"));
        assert_eq!(acting_bidder(&expert), None);
        assert_eq!(acting_expert(&expert), Some("e"));
        assert_eq!(acting_expert(&bidder), None);
        assert_eq!(acting_expert(&principal(Role::Expert, None)), Some(""), "an expert of no record sits nowhere");
        assert_eq!(acting_participant(&agent), Some("a"));
        assert_eq!(acting_participant(&bidder), Some("b"));
        assert_eq!(acting_participant(&principal(Role::IndustryRegulator, Some("zjw"))), None);
        assert_eq!(acting_agency(&agent), Some("a"));
        assert_eq!(acting_agency(&principal(Role::Agent, None)), None, "an agent of no agency acts for none");
        assert_eq!(acting_agency(&principal(Role::Tenderer, Some("t"))), None);
        assert_eq!(acting_agency(&bidder), None);
    }

    #[test]
    fn bidders_do_not_see_the_registration_form_and_admins_share_an_inbox() {
        assert!(!sees_registration_form(Some(&principal(Role::Bidder, Some("b")))));
        assert!(sees_registration_form(Some(&principal(Role::Tenderer, Some("t")))));
        assert!(reads_platform_inbox(&principal(Role::PlatformAdmin, None)));
        assert!(!reads_platform_inbox(&principal(Role::CentreStaff, Some("centre"))));
    }

    #[test]
    fn the_tender_side_and_the_centre_hand_in_tender_documents() {
        let agencies = vec!["agency-1".to_owned()];
        let tenderer = principal(Role::Tenderer, Some("t-1"));
        let agent = principal(Role::Agent, Some("agency-1"));
        let other_agent = principal(Role::Agent, Some("agency-2"));
        let centre = principal(Role::CentreStaff, Some("centre"));
        let bidder = principal(Role::Bidder, Some("b-1"));
        for kind in [DocumentKind::TenderDocument, DocumentKind::ApprovalDocument, DocumentKind::Contract] {
            assert!(may_upload_document(&tenderer, kind, Some("t-1"), &agencies, false).is_ok());
            assert!(may_upload_document(&agent, kind, Some("t-1"), &agencies, false).is_ok());
            assert!(may_upload_document(&centre, kind, Some("t-1"), &agencies, false).is_ok());
            assert!(may_upload_document(&other_agent, kind, Some("t-1"), &agencies, false).is_err());
            assert!(may_upload_document(&bidder, kind, Some("t-1"), &agencies, false).is_err());
            assert!(may_upload_document(&principal(Role::Tenderer, Some("t-2")), kind, Some("t-1"), &agencies, false)
                .is_err());
        }
        assert!(may_upload_document(&centre, DocumentKind::Recording, Some("t-1"), &agencies, false).is_ok());
        assert!(may_upload_document(&tenderer, DocumentKind::Recording, Some("t-1"), &agencies, false).is_err());
        assert!(may_upload_document(&bidder, DocumentKind::Evidence, None, &[], false).is_ok());
        assert!(may_upload_document(&bidder, DocumentKind::BidFile, Some("t-1"), &agencies, false).is_err());
        assert!(may_upload_document(&bidder, DocumentKind::SealedBidFile, None, &[], false).is_ok());
        assert!(
            may_upload_document(&principal(Role::Bidder, None), DocumentKind::SealedBidFile, None, &[], false).is_err()
        );
        assert!(may_upload_document(&tenderer, DocumentKind::SealedBidFile, Some("t-1"), &agencies, false).is_err());
        assert!(may_upload_document(&centre, DocumentKind::SealedBidFile, Some("t-1"), &agencies, false).is_err());
        // An expert hands in its committee's report, and nothing else.
        let expert = principal(Role::Expert, Some("e-1"));
        assert!(may_upload_document(&expert, DocumentKind::EvaluationReport, Some("t-1"), &agencies, true).is_ok());
        assert!(may_upload_document(&expert, DocumentKind::EvaluationReport, Some("t-1"), &agencies, false).is_err());
        assert!(may_upload_document(&expert, DocumentKind::Recording, Some("t-1"), &agencies, true).is_err());
        assert!(may_upload_document(&expert, DocumentKind::Contract, Some("t-1"), &agencies, true).is_err());
    }

    #[test]
    fn a_bid_file_is_its_bidder_s_alone_until_its_section_is_opened() {
        let agencies = vec!["agency-1".to_owned()];
        let facts = |kind, bid_file_closed| DocumentFacts {
            kind,
            uploaded_by: "bidder:u@b-1",
            uploader_org: Some("b-1"),
            project: Some(("t-1", Some("zjw"), &agencies)),
            bid_file_closed,
        };
        let tenderer = principal(Role::Tenderer, Some("t-1"));
        let centre = principal(Role::CentreStaff, Some("centre"));
        let other_bidder = principal(Role::Bidder, Some("b-2"));
        for kind in [DocumentKind::SealedBidFile, DocumentKind::BidFile] {
            assert!(may_read_document(&principal(Role::Bidder, Some("b-1")), facts(kind, true)));
            assert!(!may_read_document(&tenderer, facts(kind, true)), "{kind}");
            assert!(!may_read_document(&centre, facts(kind, true)), "{kind}");
            assert!(may_read_document(&tenderer, facts(kind, false)), "{kind}");
            assert!(may_read_document(&centre, facts(kind, false)), "{kind}");
            assert!(!may_read_document(&other_bidder, facts(kind, false)), "{kind}");
        }
    }

    #[test]
    fn a_project_document_is_read_by_its_people_and_evidence_not_by_the_tender_side() {
        let agencies = vec!["agency-1".to_owned()];
        let facts = |kind| DocumentFacts {
            kind,
            uploaded_by: "centre_staff:u@centre",
            uploader_org: Some("centre"),
            project: Some(("t-1", Some("zjw"), &agencies)),
            bid_file_closed: false,
        };
        let tenderer = principal(Role::Tenderer, Some("t-1"));
        let regulator = principal(Role::IndustryRegulator, Some("zjw"));
        let other_regulator = principal(Role::IndustryRegulator, Some("czj"));
        let bidder = principal(Role::Bidder, Some("b-1"));
        assert!(may_read_document(&tenderer, facts(DocumentKind::TenderDocument)));
        assert!(may_read_document(&regulator, facts(DocumentKind::Recording)));
        assert!(!may_read_document(&other_regulator, facts(DocumentKind::Recording)));
        assert!(
            !may_read_document(&bidder, facts(DocumentKind::TenderDocument)),
            "bidders go through the announcement"
        );
        assert!(!may_read_document(&tenderer, facts(DocumentKind::Evidence)));
        assert!(may_read_document(&regulator, facts(DocumentKind::Evidence)));
        // The uploader reads its own, whatever the kind.
        let own = DocumentFacts {
            kind: DocumentKind::Evidence,
            uploaded_by: "bidder:u@b-1",
            uploader_org: Some("b-1"),
            project: None,
            bid_file_closed: false,
        };
        assert!(may_read_document(&bidder, own));
        assert!(!may_read_document(&principal(Role::Bidder, Some("b-2")), own));
        assert!(!may_read_document(&principal(Role::Tenderer, Some("t-1")), own));
        assert!(may_read_document(&principal(Role::Inspector, Some("jijian")), own));
    }
    #[test]
    fn the_centre_cannot_verify_audit_as_a_supervisor() {
        assert!(authorize(Some(&principal(Role::CentreStaff, Some("centre"))), Action::VerifyAudit).is_err());
        assert!(authorize(Some(&principal(Role::Inspector, Some("jijian"))), Action::VerifyAudit).is_ok());
    }
}
