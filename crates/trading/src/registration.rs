//! Registering a project (进场登记): the registration as a tenderer or its agency files it,
//! read field by field with every problem named at once (registration.one_time_notice);
//! its total and entry decision (`RuleSet::entry_decision`: a project for the municipal
//! platform is refused), its code, its regulator and initial status, its service owner and
//! its sections' codes (`assess`, then `decide` once the caller has loaded what it names);
//! naming its industry regulator later (regulator.assignment); and a tenderer's report of a
//! direct award and its publicity (direct_award.publicity). The caller loads, writes and
//! audits what these answer.

use chrono::{DateTime, NaiveDate, Utc};
use ggzy_kernel::validation::read;
use ggzy_kernel::{Answer, FieldError, Money, WorkingCalendar};
use ggzy_rules::{
    rule_ids, Category, DeadlineError, EntryDecision, EntryFacts, EntryOutcome, Funding, ProcurementOrganisation,
    RuleSet, Sector,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::lifecycle::{ProjectCommand, ProjectStateRefusal, ProjectStatus};

/// Miyun District's administrative code (GB/T 2260), the middle of every project code.
pub const DISTRICT_CODE: &str = "110118";

/// The last sequence number of a day's codes in a category: the code holds four digits.
pub const MAX_SEQUENCE: i32 = 9999;

/// The most sections (标段/包) one registration holds.
pub const MAX_SECTIONS: usize = 99;

/// A section (标段/包) as registered.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionInput {
    #[schema(required = true, value_type = String, example = "第一标段")]
    pub name: Option<String>,
    /// Contract estimate or budget, decimal yuan.
    #[schema(required = true, value_type = String, example = "600000.00")]
    pub estimated_amount: Option<String>,
}

/// An approval document (项目审批文件), recorded by its hash.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovalDocument {
    #[schema(required = true, value_type = String, example = "关于某某工程可行性研究报告的批复")]
    pub title: Option<String>,
    /// Document number (文号).
    #[schema(required = true, value_type = String, example = "京密发改〔2026〕12号")]
    pub number: Option<String>,
    /// sha256 of the file, 64 hex characters.
    #[schema(required = true, value_type = String)]
    pub sha256: Option<String>,
}

/// The 进场登记表 (entry.registration_form), required except for building and municipal
/// construction and centralised government procurement.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistrationForm {
    #[schema(required = true, value_type = String)]
    pub contact_name: Option<String>,
    #[schema(required = true, value_type = String)]
    pub contact_phone: Option<String>,
    /// sha256 of the signed form.
    #[schema(required = true, value_type = String)]
    pub sha256: Option<String>,
}

/// Project registration. Everything missing or wrong is told in one answer
/// (registration.one_time_notice).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterProject {
    #[schema(required = true, value_type = String, example = "密云区某某小学改扩建工程")]
    pub name: Option<String>,
    /// The tenderer (招标人/采购人), a registered participant.
    #[schema(required = true, value_type = String, format = Uuid)]
    pub tenderer_id: Option<String>,
    #[schema(required = true, value_type = Category)]
    pub category: Option<String>,
    /// A subtype of the category (see GET /api/v1/rules).
    #[schema(required = true, value_type = String, example = "works")]
    pub subtype: Option<String>,
    /// Construction only.
    #[schema(value_type = Option<Sector>)]
    pub sector: Option<String>,
    #[schema(required = true, value_type = Funding)]
    pub funding: Option<String>,
    #[schema(required = true, value_type = bool)]
    pub legally_required_tendering: Option<bool>,
    /// Government procurement only.
    #[schema(value_type = Option<ProcurementOrganisation>)]
    pub procurement_organisation: Option<String>,
    #[schema(required = true)]
    pub sections: Option<Vec<SectionInput>>,
    #[schema(required = true)]
    pub approval_documents: Option<Vec<ApprovalDocument>>,
    pub registration_form: Option<RegistrationForm>,
    /// Required when an agency's agent registers on the tenderer's behalf: the commission
    /// contract (委托合同) and the real-name agents who act on the project.
    pub commission: Option<RegistrationCommission>,
}

/// The commission under which an agency registers a project for its tenderer.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistrationCommission {
    /// sha256 of the signed commission contract.
    #[schema(required = true, value_type = String)]
    pub contract_sha256: Option<String>,
    /// Person ids of the agency's staff who act on the project (at most agency.max_agents).
    #[schema(required = true)]
    pub agent_ids: Option<Vec<String>>,
}

/// A registration as read: every value present and valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidProject {
    pub name: String,
    pub tenderer_id: String,
    pub category: Category,
    pub subtype: String,
    pub sector: Option<Sector>,
    pub funding: Funding,
    pub legally_required_tendering: bool,
    pub procurement_organisation: Option<ProcurementOrganisation>,
    pub sections: Vec<(String, Money)>,
    pub approval_documents: Vec<ApprovalDocument>,
    pub registration_form: Option<RegistrationForm>,
    /// The commission contract's hash and the agents, when an agency registers.
    pub commission: Option<(String, Vec<String>)>,
}

/// Reads a registration, naming every problem in `problems` (registration.one_time_notice);
/// `None` exactly when it named one. `by_agency`: an agency registers on the tenderer's
/// behalf and must file its commission.
pub fn read_registration(
    request: RegisterProject,
    rule_set: &RuleSet,
    by_agency: bool,
    problems: &mut Vec<FieldError>,
) -> Option<ValidProject> {
    let name = read::required(problems, "name", request.name).and_then(|n| read::text(problems, "name", n, 200));
    let tenderer_id = read::required(problems, "tenderer_id", request.tenderer_id)
        .and_then(|t| read::uuid(problems, "tenderer_id", t));
    let category: Option<Category> = read::required(problems, "category", request.category).and_then(|c| {
        read::wire_enum(problems, "category", c, "construction、procurement、land_mining、state_property、other")
    });
    let subtype = read::required(problems, "subtype", request.subtype);
    if let (Some(category), Some(subtype)) = (category, &subtype) {
        if !ggzy_rules::is_subtype(category, subtype) {
            problems.push(FieldError::new(
                "subtype",
                "unknown_subtype",
                format!("“{subtype}”不是该类别的项目类型，可选：{}", ggzy_rules::subtypes(category).join("、")),
            ));
        }
    }
    let sector: Option<Sector> = match (category, request.sector) {
        (Some(Category::Construction), None) => {
            problems.push(FieldError::new(
                "sector",
                "required",
                "建设工程项目须注明行业（building、municipal、water、transport、other）",
            ));
            None
        }
        (Some(Category::Construction), Some(s)) => {
            read::wire_enum(problems, "sector", s, "building、municipal、water、transport、other")
        }
        (_, Some(_)) => {
            problems.push(FieldError::new("sector", "not_applicable", "仅建设工程项目填写行业"));
            None
        }
        (_, None) => None,
    };
    let funding: Option<Funding> = read::required(problems, "funding", request.funding)
        .and_then(|f| read::wire_enum(problems, "funding", f, "state_funded、state_controlled、social_investment"));
    let legally_required = read::required(problems, "legally_required_tendering", request.legally_required_tendering);
    let procurement_organisation: Option<ProcurementOrganisation> = match (category, request.procurement_organisation) {
        (Some(Category::Procurement), None) => {
            problems.push(FieldError::new(
                "procurement_organisation",
                "required",
                "政府采购项目须注明集中采购或分散采购",
            ));
            None
        }
        (Some(Category::Procurement), Some(o)) => {
            read::wire_enum(problems, "procurement_organisation", o, "centralised、decentralised")
        }
        (_, Some(_)) => {
            problems.push(FieldError::new("procurement_organisation", "not_applicable", "仅政府采购项目填写"));
            None
        }
        (_, None) => None,
    };
    let mut sections = Vec::new();
    match read::required(problems, "sections", request.sections) {
        Some(list) if list.is_empty() => problems.push(FieldError::new("sections", "empty", "至少登记一个标段（包）")),
        Some(list) if list.len() > MAX_SECTIONS => {
            problems.push(FieldError::new("sections", "too_many", format!("标段（包）不得超过 {MAX_SECTIONS} 个")))
        }
        Some(list) => {
            for (index, section) in list.into_iter().enumerate() {
                let field = format!("sections[{index}]");
                let name = read::required(problems, &format!("{field}.name"), section.name)
                    .and_then(|n| read::text(problems, &format!("{field}.name"), n, 200));
                let amount = read::required(problems, &format!("{field}.estimated_amount"), section.estimated_amount)
                    .and_then(|a| {
                        Money::parse(&a)
                            .map_err(|e| problems.push(e.to_field_error(format!("{field}.estimated_amount"))))
                            .ok()
                    });
                if let (Some(name), Some(amount)) = (name, amount) {
                    sections.push((name, amount));
                }
            }
        }
        None => {}
    }
    let mut approval_documents = Vec::new();
    match read::required(problems, "approval_documents", request.approval_documents) {
        Some(list) if list.is_empty() => {
            problems.push(FieldError::new("approval_documents", "empty", "须提交项目审批文件"))
        }
        Some(list) => {
            for (index, document) in list.into_iter().enumerate() {
                let field = format!("approval_documents[{index}]");
                let title = read::required(problems, &format!("{field}.title"), document.title)
                    .and_then(|t| read::text(problems, &format!("{field}.title"), t, 200));
                let number = read::required(problems, &format!("{field}.number"), document.number)
                    .and_then(|n| read::text(problems, &format!("{field}.number"), n, 100));
                let sha256 = read::sha256(problems, &format!("{field}.sha256"), document.sha256);
                approval_documents.push(ApprovalDocument { title, number, sha256 });
            }
        }
        None => {}
    }
    let form_required =
        category.is_some_and(|c| rule_set.registration_form_required(c, sector, procurement_organisation));
    let registration_form = match (form_required, request.registration_form) {
        (true, None) => {
            problems.push(FieldError::new(
                "registration_form",
                "required",
                "须填写《密云区公共资源交易平台项目进场登记表》（entry.registration_form）",
            ));
            None
        }
        (_, Some(form)) => {
            let contact_name = read::required(problems, "registration_form.contact_name", form.contact_name)
                .and_then(|n| read::text(problems, "registration_form.contact_name", n, 50));
            let contact_phone = read::required(problems, "registration_form.contact_phone", form.contact_phone)
                .and_then(|n| read::text(problems, "registration_form.contact_phone", n, 30));
            let sha256 = read::sha256(problems, "registration_form.sha256", form.sha256);
            Some(RegistrationForm { contact_name, contact_phone, sha256 })
        }
        (false, None) => None,
    };
    let commission = match (by_agency, request.commission) {
        (true, None) => {
            problems.push(FieldError::new("commission", "required", "代理机构代为登记须提交委托合同及实名代理人员"));
            None
        }
        (true, Some(c)) => {
            let sha = read::sha256(problems, "commission.contract_sha256", c.contract_sha256);
            let agents = read::required(problems, "commission.agent_ids", c.agent_ids);
            sha.zip(agents)
        }
        (false, Some(_)) => {
            problems.push(FieldError::new(
                "commission",
                "not_applicable",
                "仅代理机构代为登记时提交；招标人请在登记后委托代理机构",
            ));
            None
        }
        (false, None) => None,
    };
    if !problems.is_empty() {
        return None;
    }
    match (name, tenderer_id, category, subtype, funding, legally_required) {
        (Some(name), Some(tenderer_id), Some(category), Some(subtype), Some(funding), Some(legally_required)) => {
            Some(ValidProject {
                name,
                tenderer_id,
                category,
                subtype,
                sector,
                funding,
                legally_required_tendering: legally_required,
                procurement_organisation,
                sections,
                approval_documents,
                registration_form,
                commission,
            })
        }
        _ => None,
    }
}

/// The category letter of project codes (national public resource trading data standard).
pub fn code_letter(category: Category) -> char {
    match category {
        Category::Construction => 'A',
        Category::Procurement => 'B',
        Category::LandMining => 'C',
        Category::StateProperty => 'D',
        Category::Other => 'Z',
    }
}

/// The codes of a category's projects registered on `day` begin with this: the category
/// letter, the district code and the Beijing date as yyMMdd; a four-digit sequence follows.
pub fn code_prefix(category: Category, day: NaiveDate) -> String {
    format!("{}{DISTRICT_CODE}{}", code_letter(category), day.format("%y%m%d"))
}

/// Why a registration, once read, is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationRefusal {
    /// The sections' estimates add up to more than an amount holds.
    TooLarge,
    /// The catalogue sends the project to the municipal platform (entry.municipal).
    MunicipalPlatform,
    /// The tenderer named is not a registered participant of the tenderer kind.
    NotATenderer,
    /// The centre has nobody on duty to own the project (registration.service_owner).
    NoServiceOwner,
    /// The day's four-digit codes of the category are used up.
    CodesExhausted,
}

impl RegistrationRefusal {
    /// The request's problems: for `TooLarge` and `NotATenderer`; none for the others.
    pub fn problems(self) -> Vec<FieldError> {
        match self {
            RegistrationRefusal::TooLarge => vec![FieldError::new("sections", "too_large", "标段金额合计超出上限")],
            RegistrationRefusal::NotATenderer => vec![FieldError::new(
                "tenderer_id",
                "not_a_tenderer",
                "招标人须为已登记且主体类型含 tenderer 的市场主体",
            )],
            RegistrationRefusal::MunicipalPlatform
            | RegistrationRefusal::NoServiceOwner
            | RegistrationRefusal::CodesExhausted => Vec::new(),
        }
    }

    /// Why, in Chinese, for the problem detail of the refusals that have no field.
    pub fn detail(self) -> &'static str {
        match self {
            RegistrationRefusal::MunicipalPlatform => "按目录该项目应进入市级公共资源交易平台交易，不在本平台登记",
            RegistrationRefusal::NoServiceOwner => {
                "交易中心尚无在岗工作人员，无法指定项目服务负责人（registration.service_owner）"
            }
            RegistrationRefusal::CodesExhausted => "当日项目编号已用尽",
            RegistrationRefusal::TooLarge | RegistrationRefusal::NotATenderer => "",
        }
    }

    /// How the refusal is told: the request's fields, the municipal platform's rule
    /// (entry.municipal), or a state of the centre that does not allow it now.
    pub fn answer(self) -> Answer {
        match self {
            RegistrationRefusal::TooLarge | RegistrationRefusal::NotATenderer => Answer::Invalid(self.problems()),
            RegistrationRefusal::MunicipalPlatform => Answer::Rule {
                rule: ggzy_rules::rule_ids::ENTRY_MUNICIPAL,
                detail: self.detail().into(),
                problems: vec![],
            },
            RegistrationRefusal::NoServiceOwner | RegistrationRefusal::CodesExhausted => {
                Answer::Conflict(self.detail().into())
            }
        }
    }
}

/// A registration judged on its own, before anything is loaded: what it adds up to, whether
/// it trades here, and what the caller looks up for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessed {
    pub project: ValidProject,
    /// The sum of the sections' estimates, the entry decision's amount.
    pub estimated_total: Money,
    pub entry_decision: EntryDecision,
    /// The industry regulator's department the rule set names for the project, if any; it
    /// becomes the regulator only if that department exists.
    pub regulator_named: Option<String>,
    /// The prefix of the project's code, whose next sequence number the caller draws.
    pub code_prefix: String,
}

/// Judges a registration read on `today` (Beijing) under `rule_set`: its total, and its entry
/// decision, refusing a project the catalogue sends to the municipal platform.
pub fn assess(project: ValidProject, rule_set: &RuleSet, today: NaiveDate) -> Result<Assessed, RegistrationRefusal> {
    let estimated_total = project
        .sections
        .iter()
        .try_fold(Money::ZERO, |sum, (_, amount)| sum.checked_add(*amount))
        .ok_or(RegistrationRefusal::TooLarge)?;
    let entry_decision = rule_set.entry_decision(&EntryFacts {
        category: project.category,
        subtype: project.subtype.clone(),
        sector: project.sector,
        funding: project.funding,
        legally_required_tendering: project.legally_required_tendering,
        estimated_amount: estimated_total,
    });
    if entry_decision.outcome == EntryOutcome::MunicipalPlatform {
        return Err(RegistrationRefusal::MunicipalPlatform);
    }
    let regulator_named = rule_set.regulator_for(project.category, &project.subtype, project.sector).map(str::to_owned);
    let code_prefix = code_prefix(project.category, today);
    Ok(Assessed { project, estimated_total, entry_decision, regulator_named, code_prefix })
}

/// An agent's agency that is not a registered agency, registering a project on a
/// tenderer's behalf.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAnAgency;

impl NotAnAgency {
    /// Why, in words.
    pub fn detail(self) -> &'static str {
        "代为登记的一方须为已登记的招标代理机构"
    }
}

/// Whether an agent may register a project for its agency: only for one registered as an
/// agency (`is_agency`).
pub fn may_register_for(is_agency: bool) -> Result<(), NotAnAgency> {
    if is_agency {
        Ok(())
    } else {
        Err(NotAnAgency)
    }
}

/// What an assessed registration is decided on, loaded by the caller.
#[derive(Debug, Clone, Copy)]
pub struct RegistrationFacts<'a> {
    /// Whether the tenderer named is a registered participant of the tenderer kind.
    pub tenderer_is_tenderer: bool,
    /// The centre's staff on duty, each with the number of projects it owns that still
    /// occupy it (`ProjectStatus::occupies_service_owner`).
    pub staff_loads: &'a [(String, i64)],
    /// The regulator the rule set names, when its department exists.
    pub regulator: Option<&'a str>,
    /// The next sequence number of the code prefix.
    pub sequence: i32,
}

/// A section as it is registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionToRegister {
    /// The project's code and the section's position in three digits.
    pub code: String,
    /// From 1, in the order the registration lists them.
    pub position: i32,
    pub name: String,
    pub estimated_amount: Money,
}

/// What a registration writes, besides what it read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub code: String,
    /// `registered` with a regulator; `awaiting_regulator` until the comprehensive regulator
    /// names one (regulator.assignment).
    pub status: ProjectStatus,
    pub regulator_id: Option<String>,
    /// The staff member on duty with the fewest projects occupying them (the lowest id
    /// among equals), so the centre's work is spread evenly.
    pub service_owner_id: String,
    pub sections: Vec<SectionToRegister>,
}

/// Decides an assessed registration on what the caller loaded: the tenderer, then the
/// service owner, then the code, refused in that order.
pub fn decide(assessed: &Assessed, facts: &RegistrationFacts<'_>) -> Result<Registration, RegistrationRefusal> {
    if !facts.tenderer_is_tenderer {
        return Err(RegistrationRefusal::NotATenderer);
    }
    let (service_owner_id, _) = facts
        .staff_loads
        .iter()
        .min_by(|(a, load_a), (b, load_b)| load_a.cmp(load_b).then_with(|| a.cmp(b)))
        .ok_or(RegistrationRefusal::NoServiceOwner)?;
    if facts.sequence > MAX_SEQUENCE {
        return Err(RegistrationRefusal::CodesExhausted);
    }
    let code = format!("{}{:04}", assessed.code_prefix, facts.sequence);
    let regulator_id = facts.regulator.map(str::to_owned);
    let status = if regulator_id.is_some() { ProjectStatus::Registered } else { ProjectStatus::AwaitingRegulator };
    let sections = assessed
        .project
        .sections
        .iter()
        .enumerate()
        .map(|(index, (name, amount))| SectionToRegister {
            code: format!("{code}{:03}", index + 1),
            position: i32::try_from(index + 1).unwrap_or(i32::MAX),
            name: name.clone(),
            estimated_amount: *amount,
        })
        .collect();
    Ok(Registration { code, status, regulator_id, service_owner_id: service_owner_id.clone(), sections })
}

// Naming (or changing) a project's industry regulator. No doc comment: the OpenAPI
// document describes it by its route.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRegulator {
    /// An industry regulator's department id, e.g. "zjw".
    #[schema(required = true, value_type = String, example = "zjw")]
    pub department_id: Option<String>,
}

/// Reads an assignment: the department named.
pub fn read_assignment(request: AssignRegulator) -> Result<String, Vec<FieldError>> {
    let mut problems = Vec::new();
    read::required(&mut problems, "department_id", request.department_id).ok_or(problems)
}

/// Why a regulator is not assigned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignmentRefusal {
    /// The department named is not an industry regulator (or does not exist).
    NotAnIndustryRegulator,
    /// The project's status does not allow it.
    State(ProjectStateRefusal),
}

impl AssignmentRefusal {
    /// The request's problems: for `NotAnIndustryRegulator`; none for a refusal of state.
    pub fn problems(self) -> Vec<FieldError> {
        match self {
            AssignmentRefusal::NotAnIndustryRegulator => {
                vec![FieldError::new("department_id", "not_an_industry_regulator", "须指定一个行业监管部门")]
            }
            AssignmentRefusal::State(_) => Vec::new(),
        }
    }

    /// How the refusal is told: the department field, or the project's state.
    pub fn answer(self) -> Answer {
        match self {
            AssignmentRefusal::NotAnIndustryRegulator => Answer::Invalid(self.problems()),
            AssignmentRefusal::State(state) => Answer::Conflict(state.detail()),
        }
    }
}

/// Whether the department named may become the regulator of a project in `status`, and the
/// status the project then takes (it leaves `awaiting_regulator`; otherwise it stays).
/// `industry_regulator`: the department exists and is an industry regulator.
pub fn assign_regulator(status: ProjectStatus, industry_regulator: bool) -> Result<ProjectStatus, AssignmentRefusal> {
    if !industry_regulator {
        return Err(AssignmentRefusal::NotAnIndustryRegulator);
    }
    status.after(ProjectCommand::AssignRegulator).map_err(AssignmentRefusal::State)
}

/// The tenderer's report of a directly awarded contractor (直接发包).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportDirectAward {
    #[schema(required = true, value_type = String, format = Uuid)]
    pub contractor_id: Option<String>,
    #[schema(required = true, value_type = String, example = "450000.00")]
    pub amount: Option<String>,
}

/// A direct award as read: every value present and valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDirectAward {
    pub contractor_id: String,
    pub amount: Money,
}

/// Reads a direct award, naming every problem.
pub fn read_direct_award(request: ReportDirectAward) -> Result<ValidDirectAward, Vec<FieldError>> {
    let mut problems = Vec::new();
    let contractor_id = read::required(&mut problems, "contractor_id", request.contractor_id)
        .and_then(|c| read::uuid(&mut problems, "contractor_id", c));
    let amount = read::required(&mut problems, "amount", request.amount)
        .and_then(|a| Money::parse(&a).map_err(|e| problems.push(e.to_field_error("amount"))).ok());
    match (contractor_id, amount) {
        (Some(contractor_id), Some(amount)) if problems.is_empty() => Ok(ValidDirectAward { contractor_id, amount }),
        _ => Err(problems),
    }
}

/// What a direct award is decided on, loaded by the caller.
#[derive(Debug, Clone, Copy)]
pub struct DirectAwardFacts<'a> {
    /// Whether the contractor is a registered participant.
    pub contractor_known: bool,
    /// Whether the project already has a direct award.
    pub already_reported: bool,
    pub status: ProjectStatus,
    /// The project's rule set.
    pub rule_set: &'a RuleSet,
    pub calendar: &'a WorkingCalendar,
    pub now: DateTime<Utc>,
}

/// Why a direct award is not published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DirectAwardRefusal {
    /// The contractor is not a registered participant.
    UnknownContractor,
    /// The project has its direct award already.
    AlreadyReported,
    /// The project's status does not allow it.
    State(ProjectStateRefusal),
    /// The publicity period could not be counted (its rule, or an unloaded calendar year).
    Deadline(DeadlineError),
}

impl DirectAwardRefusal {
    /// The request's problems: for `UnknownContractor`; none for the others.
    pub fn problems(&self) -> Vec<FieldError> {
        match self {
            DirectAwardRefusal::UnknownContractor => {
                vec![FieldError::new("contractor_id", "unknown_participant", "承包单位须为已登记的市场主体")]
            }
            DirectAwardRefusal::AlreadyReported | DirectAwardRefusal::State(_) | DirectAwardRefusal::Deadline(_) => {
                Vec::new()
            }
        }
    }

    /// How the refusal is told: an unknown contractor by its field, a status that does not
    /// allow it as a conflict, an uncounted period by the deadline's answer; `None` for an
    /// award reported already, which the caller answers by naming the existing record.
    pub fn answer(self) -> Option<Answer> {
        match self {
            DirectAwardRefusal::UnknownContractor => Some(Answer::Invalid(self.problems())),
            DirectAwardRefusal::AlreadyReported => None,
            DirectAwardRefusal::State(state) => Some(Answer::Conflict(state.detail())),
            DirectAwardRefusal::Deadline(error) => Some(Answer::from(error)),
        }
    }
}

/// A direct award's publicity: what the platform publishes from `now`, and the status the
/// project moves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectAwardPublicity {
    pub contractor_id: String,
    pub amount: Money,
    /// The last day of the publicity (Beijing date).
    pub publicity_end_day: NaiveDate,
    /// 24:00 Beijing time of that day.
    pub publicity_end: DateTime<Utc>,
    pub rule_id: &'static str,
    pub next_status: ProjectStatus,
}

/// Decides a direct award: the contractor registered, no award before, a project whose
/// status allows it, then the publicity counted from `now` (direct_award.publicity) —
/// refused in that order.
pub fn decide_direct_award(
    award: ValidDirectAward,
    facts: &DirectAwardFacts<'_>,
) -> Result<DirectAwardPublicity, DirectAwardRefusal> {
    if !facts.contractor_known {
        return Err(DirectAwardRefusal::UnknownContractor);
    }
    if facts.already_reported {
        return Err(DirectAwardRefusal::AlreadyReported);
    }
    let next_status = facts.status.after(ProjectCommand::SubmitDirectAward).map_err(DirectAwardRefusal::State)?;
    let rule_id = rule_ids::DIRECT_AWARD_PUBLICITY;
    let deadline = facts.rule_set.due(rule_id, facts.now, facts.calendar).map_err(DirectAwardRefusal::Deadline)?;
    Ok(DirectAwardPublicity {
        contractor_id: award.contractor_id,
        amount: award.amount,
        publicity_end_day: deadline.end_date,
        publicity_end: deadline.due,
        rule_id,
        next_status,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    fn building() -> RegisterProject {
        RegisterProject {
            name: Some(" 密云区某小学改扩建工程 ".into()),
            tenderer_id: Some("0190f5c4-7a3e-7cc1-9a53-3b1f2a1c0d01".into()),
            category: Some("construction".into()),
            subtype: Some("works".into()),
            sector: Some("building".into()),
            funding: Some("state_funded".into()),
            legally_required_tendering: Some(true),
            procurement_organisation: None,
            sections: Some(vec![SectionInput {
                name: Some("一标段".into()),
                estimated_amount: Some("600000.00".into()),
            }]),
            approval_documents: Some(vec![ApprovalDocument {
                title: Some("批复".into()),
                number: Some("1号".into()),
                sha256: Some(SHA.into()),
            }]),
            registration_form: None,
            commission: None,
        }
    }

    fn read(request: RegisterProject, by_agency: bool) -> (Option<ValidProject>, Vec<(String, String)>) {
        let mut problems = Vec::new();
        let valid = read_registration(request, &RuleSet::seed(), by_agency, &mut problems);
        (valid, problems.into_iter().map(|p| (p.field, p.code)).collect())
    }

    fn named(problems: &[(String, String)]) -> Vec<(&str, &str)> {
        problems.iter().map(|(f, c)| (f.as_str(), c.as_str())).collect()
    }

    #[test]
    fn a_building_project_is_read_whole() {
        let (valid, problems) = read(building(), false);
        assert!(problems.is_empty(), "{problems:?}");
        let valid = valid.unwrap();
        assert_eq!(valid.name, "密云区某小学改扩建工程", "trimmed");
        assert_eq!((valid.category, valid.sector), (Category::Construction, Some(Sector::Building)));
        assert_eq!(valid.funding, Funding::StateFunded);
        assert_eq!(valid.sections, vec![("一标段".to_owned(), Money::parse("600000.00").unwrap())]);
        assert_eq!(valid.registration_form, None, "building works need no registration form");
        assert_eq!(valid.commission, None);
    }

    #[test]
    fn every_problem_is_named_at_once_and_nothing_is_read() {
        let request = RegisterProject {
            name: None,
            tenderer_id: Some("not-a-uuid".into()),
            subtype: Some("goods".into()),
            sector: None,
            funding: Some("public".into()),
            procurement_organisation: Some("centralised".into()),
            sections: Some(vec![SectionInput { name: Some(" ".into()), estimated_amount: Some("1.001".into()) }]),
            approval_documents: Some(vec![]),
            commission: Some(RegistrationCommission { contract_sha256: Some(SHA.into()), agent_ids: Some(vec![]) }),
            ..building()
        };
        let (valid, problems) = read(request, false);
        assert!(valid.is_none());
        assert_eq!(
            named(&problems),
            [
                ("name", "required"),
                ("tenderer_id", "invalid_id"),
                ("subtype", "unknown_subtype"),
                ("sector", "required"),
                ("funding", "unknown_value"),
                ("procurement_organisation", "not_applicable"),
                ("sections[0].name", "blank"),
                ("sections[0].estimated_amount", "too_many_decimal_places"),
                ("approval_documents", "empty"),
                // Without a sector the form is not known to be waived.
                ("registration_form", "required"),
                ("commission", "not_applicable"),
            ]
        );
    }

    #[test]
    fn the_registration_form_and_the_agency_s_commission_are_asked_for_where_they_belong() {
        // Water works need the form; an agency registering must file its commission.
        let water = RegisterProject { sector: Some("water".into()), ..building() };
        let (_, problems) = read(water.clone(), true);
        assert_eq!(named(&problems), [("registration_form", "required"), ("commission", "required")]);
        let complete = RegisterProject {
            registration_form: Some(RegistrationForm {
                contact_name: Some("赵六".into()),
                contact_phone: Some("010-69000000".into()),
                sha256: Some(SHA.to_uppercase()),
            }),
            commission: Some(RegistrationCommission {
                contract_sha256: Some(SHA.into()),
                agent_ids: Some(vec!["a".into()]),
            }),
            ..water
        };
        let (_, problems) = read(complete.clone(), true);
        assert_eq!(named(&problems), [("registration_form.sha256", "invalid_sha256")], "upper-case hex is refused");
        let fixed = RegisterProject {
            registration_form: Some(RegistrationForm {
                sha256: Some(SHA.into()),
                ..complete.registration_form.clone().unwrap()
            }),
            ..complete
        };
        let (valid, problems) = read(fixed, true);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(valid.unwrap().commission, Some((SHA.to_owned(), vec!["a".to_owned()])));
    }

    #[test]
    fn sections_are_between_one_and_the_most() {
        let too_many =
            vec![SectionInput { name: Some("标段".into()), estimated_amount: Some("1.00".into()) }; MAX_SECTIONS + 1];
        let (_, problems) = read(RegisterProject { sections: Some(too_many), ..building() }, false);
        assert_eq!(named(&problems), [("sections", "too_many")]);
        let (_, problems) = read(RegisterProject { sections: Some(vec![]), ..building() }, false);
        assert_eq!(named(&problems), [("sections", "empty")]);
    }
}

#[cfg(test)]
mod decision_tests {
    #![allow(clippy::unwrap_used)]

    use chrono::TimeZone;
    use ggzy_rules::{CatalogueEntry, Platform};

    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
    }

    fn money(text: &str) -> Money {
        Money::parse(text).unwrap()
    }

    fn building(sections: &[&str]) -> ValidProject {
        ValidProject {
            name: "密云区某小学改扩建工程".into(),
            tenderer_id: "0190f5c4-7a3e-7cc1-9a53-3b1f2a1c0d01".into(),
            category: Category::Construction,
            subtype: "works".into(),
            sector: Some(Sector::Building),
            funding: Funding::StateFunded,
            legally_required_tendering: true,
            procurement_organisation: None,
            sections: sections.iter().enumerate().map(|(i, a)| (format!("{}标段", i + 1), money(a))).collect(),
            approval_documents: vec![],
            registration_form: None,
            commission: None,
        }
    }

    fn problems(list: Vec<FieldError>) -> Vec<(String, String)> {
        list.into_iter().map(|p| (p.field, p.code)).collect()
    }

    fn named(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(f, c)| ((*f).to_owned(), (*c).to_owned())).collect()
    }

    #[test]
    fn a_registration_is_assessed_by_its_total_and_the_catalogue() {
        let rule_set = RuleSet::seed();
        let assessed = assess(building(&["600000.00", "400000.50"]), &rule_set, day()).unwrap();
        assert_eq!(assessed.estimated_total, money("1000000.50"));
        assert_eq!(assessed.entry_decision.outcome, EntryOutcome::MustEnter);
        assert_eq!(assessed.regulator_named.as_deref(), Some("zjw"), "building works: 住建委");
        assert_eq!(assessed.code_prefix, "A110118261129");
        assert_eq!(code_prefix(Category::Other, day()), "Z110118261129");

        // The sum is checked before the catalogue is asked.
        let huge = building(&[&Money::MAX.to_string(), "0.01"]);
        let refusal = assess(huge, &rule_set, day()).unwrap_err();
        assert_eq!(refusal, RegistrationRefusal::TooLarge);
        assert_eq!(problems(refusal.problems()), named(&[("sections", "too_large")]));

        let mut municipal = rule_set.clone();
        municipal.catalogue.insert(
            0,
            CatalogueEntry {
                category: Category::Construction,
                subtype: Some("works".into()),
                threshold: Money::ZERO,
                platform: Platform::Municipal,
            },
        );
        let refusal = assess(building(&["1.00"]), &municipal, day()).unwrap_err();
        assert_eq!(refusal, RegistrationRefusal::MunicipalPlatform);
        assert!(refusal.problems().is_empty());
        assert_eq!(refusal.detail(), "按目录该项目应进入市级公共资源交易平台交易，不在本平台登记");
    }

    #[test]
    fn a_registration_takes_the_lightest_owner_the_day_s_next_code_and_its_regulator() {
        let assessed = assess(building(&["600000.00", "1.00"]), &RuleSet::seed(), day()).unwrap();
        let staff = vec![("s3".to_owned(), 2), ("s2".to_owned(), 1), ("s1".to_owned(), 1)];
        let facts =
            RegistrationFacts { tenderer_is_tenderer: true, staff_loads: &staff, regulator: Some("zjw"), sequence: 7 };
        let registration = decide(&assessed, &facts).unwrap();
        assert_eq!(registration.code, "A1101182611290007");
        assert_eq!(registration.status, ProjectStatus::Registered);
        assert_eq!(registration.regulator_id.as_deref(), Some("zjw"));
        assert_eq!(registration.service_owner_id, "s1", "fewest projects, then lowest id");
        assert_eq!(
            registration.sections,
            vec![
                SectionToRegister {
                    code: "A1101182611290007001".into(),
                    position: 1,
                    name: "1标段".into(),
                    estimated_amount: money("600000.00"),
                },
                SectionToRegister {
                    code: "A1101182611290007002".into(),
                    position: 2,
                    name: "2标段".into(),
                    estimated_amount: money("1.00"),
                },
            ]
        );
        // A regulator the rule set names but nobody keeps: the comprehensive regulator names one.
        let unassigned =
            decide(&assessed, &RegistrationFacts { regulator: None, sequence: MAX_SEQUENCE, ..facts }).unwrap();
        assert_eq!((unassigned.status, unassigned.regulator_id), (ProjectStatus::AwaitingRegulator, None));
        assert_eq!(unassigned.code, "A1101182611299999");
    }

    #[test]
    fn a_registration_is_refused_for_its_tenderer_then_its_owner_then_its_code() {
        let assessed = assess(building(&["1.00"]), &RuleSet::seed(), day()).unwrap();
        let staff = vec![("s1".to_owned(), 0)];
        let everything_wrong = RegistrationFacts {
            tenderer_is_tenderer: false,
            staff_loads: &[],
            regulator: None,
            sequence: MAX_SEQUENCE + 1,
        };
        let refusal = decide(&assessed, &everything_wrong).unwrap_err();
        assert_eq!(refusal, RegistrationRefusal::NotATenderer);
        assert_eq!(problems(refusal.problems()), named(&[("tenderer_id", "not_a_tenderer")]));
        let no_owner = RegistrationFacts { tenderer_is_tenderer: true, ..everything_wrong };
        let refusal = decide(&assessed, &no_owner).unwrap_err();
        assert_eq!(refusal, RegistrationRefusal::NoServiceOwner);
        assert!(refusal.problems().is_empty());
        let exhausted = RegistrationFacts { staff_loads: &staff, ..no_owner };
        let refusal = decide(&assessed, &exhausted).unwrap_err();
        assert_eq!(refusal, RegistrationRefusal::CodesExhausted);
        assert_eq!(refusal.detail(), "当日项目编号已用尽");
    }

    #[test]
    fn a_regulator_is_an_industry_regulator_and_ends_the_wait_for_one() {
        assert_eq!(
            problems(read_assignment(AssignRegulator { department_id: None }).unwrap_err()),
            named(&[("department_id", "required")])
        );
        assert_eq!(read_assignment(AssignRegulator { department_id: Some("zjw".into()) }), Ok("zjw".to_owned()));
        let refusal = assign_regulator(ProjectStatus::AwaitingRegulator, false).unwrap_err();
        assert_eq!(refusal, AssignmentRefusal::NotAnIndustryRegulator);
        assert_eq!(problems(refusal.problems()), named(&[("department_id", "not_an_industry_regulator")]));
        assert_eq!(assign_regulator(ProjectStatus::AwaitingRegulator, true), Ok(ProjectStatus::Registered));
        // Named again later, the status stays, even after termination.
        assert_eq!(assign_regulator(ProjectStatus::Tendering, true), Ok(ProjectStatus::Tendering));
        assert_eq!(assign_regulator(ProjectStatus::Terminated, true), Ok(ProjectStatus::Terminated));
    }

    const CONTRACTOR: &str = "0190f5c4-7a3e-7cc1-9a53-3b1f2a1c0d02";

    #[test]
    fn a_direct_award_names_every_problem_of_its_request() {
        let request = ReportDirectAward { contractor_id: Some("X".into()), amount: Some("1.001".into()) };
        assert_eq!(
            problems(read_direct_award(request).unwrap_err()),
            named(&[("contractor_id", "invalid_id"), ("amount", "too_many_decimal_places")])
        );
        assert_eq!(
            problems(read_direct_award(ReportDirectAward::default()).unwrap_err()),
            named(&[("contractor_id", "required"), ("amount", "required")])
        );
        let request = ReportDirectAward { contractor_id: Some(CONTRACTOR.into()), amount: Some("450000.00".into()) };
        assert_eq!(
            read_direct_award(request),
            Ok(ValidDirectAward { contractor_id: CONTRACTOR.into(), amount: money("450000.00") })
        );
    }

    #[test]
    fn a_direct_award_is_published_for_five_working_days() {
        let rule_set = RuleSet::seed();
        let calendar = WorkingCalendar::official().unwrap();
        // Thursday 2026-02-12, 10:00 Beijing: five working days across the Spring Festival.
        let now = Utc.with_ymd_and_hms(2026, 2, 12, 2, 0, 0).unwrap();
        let facts = DirectAwardFacts {
            contractor_known: true,
            already_reported: false,
            status: ProjectStatus::Registered,
            rule_set: &rule_set,
            calendar: &calendar,
            now,
        };
        let award = ValidDirectAward { contractor_id: CONTRACTOR.into(), amount: money("450000.00") };
        assert_eq!(
            decide_direct_award(award.clone(), &facts),
            Ok(DirectAwardPublicity {
                contractor_id: CONTRACTOR.into(),
                amount: money("450000.00"),
                publicity_end_day: NaiveDate::from_ymd_opt(2026, 2, 26).unwrap(),
                publicity_end: Utc.with_ymd_and_hms(2026, 2, 26, 16, 0, 0).unwrap(),
                rule_id: "direct_award.publicity",
                next_status: ProjectStatus::DirectAwardPublicity,
            })
        );
    }

    #[test]
    fn a_direct_award_is_refused_for_its_contractor_then_a_second_award_then_the_status() {
        let rule_set = RuleSet::seed();
        let mut uncountable = rule_set.clone();
        uncountable.time_limits.retain(|limit| limit.rule_id != rule_ids::DIRECT_AWARD_PUBLICITY);
        let calendar = WorkingCalendar::official().unwrap();
        let award = ValidDirectAward { contractor_id: CONTRACTOR.into(), amount: money("1.00") };
        let everything_wrong = DirectAwardFacts {
            contractor_known: false,
            already_reported: true,
            status: ProjectStatus::Tendering,
            rule_set: &rule_set,
            calendar: &calendar,
            now: Utc.with_ymd_and_hms(2026, 2, 12, 2, 0, 0).unwrap(),
        };
        let refusal = decide_direct_award(award.clone(), &everything_wrong).unwrap_err();
        assert_eq!(refusal, DirectAwardRefusal::UnknownContractor);
        assert_eq!(problems(refusal.problems()), named(&[("contractor_id", "unknown_participant")]));
        let second = DirectAwardFacts { contractor_known: true, ..everything_wrong };
        assert_eq!(decide_direct_award(award.clone(), &second), Err(DirectAwardRefusal::AlreadyReported));
        let tendering = DirectAwardFacts { already_reported: false, ..second };
        assert_eq!(
            decide_direct_award(award.clone(), &tendering),
            Err(DirectAwardRefusal::State(ProjectStateRefusal {
                status: ProjectStatus::Tendering,
                command: ProjectCommand::SubmitDirectAward,
            }))
        );
        let uncounted = DirectAwardFacts { status: ProjectStatus::Registered, rule_set: &uncountable, ..tendering };
        assert_eq!(
            decide_direct_award(award, &uncounted),
            Err(DirectAwardRefusal::Deadline(DeadlineError::UnknownRule("direct_award.publicity".into())))
        );
    }
}

#[cfg(test)]
mod answer_tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_direct_award_refusal_is_told_by_its_kind_and_a_repeat_is_left_to_name_the_record() {
        assert_eq!(DirectAwardRefusal::AlreadyReported.answer(), None);
        let Some(Answer::Invalid(problems)) = DirectAwardRefusal::UnknownContractor.answer() else {
            panic!("not invalid")
        };
        assert_eq!((problems[0].field.as_str(), problems[0].code.as_str()), ("contractor_id", "unknown_participant"));
        let state =
            ProjectStateRefusal { status: ProjectStatus::Terminated, command: ProjectCommand::SubmitDirectAward };
        assert_eq!(DirectAwardRefusal::State(state).answer(), Some(Answer::Conflict("项目已终止".into())));
        let unknown = DeadlineError::UnknownRule("x.y".into());
        assert_eq!(DirectAwardRefusal::Deadline(unknown.clone()).answer(), Some(Answer::from(unknown)));
    }

    #[test]
    fn a_refused_registration_is_told_by_field_rule_or_state() {
        for refusal in [RegistrationRefusal::TooLarge, RegistrationRefusal::NotATenderer] {
            assert_eq!(refusal.answer(), Answer::Invalid(refusal.problems()));
        }
        assert_eq!(
            RegistrationRefusal::MunicipalPlatform.answer(),
            Answer::Rule {
                rule: ggzy_rules::rule_ids::ENTRY_MUNICIPAL,
                detail: RegistrationRefusal::MunicipalPlatform.detail().into(),
                problems: vec![],
            }
        );
        for refusal in [RegistrationRefusal::NoServiceOwner, RegistrationRefusal::CodesExhausted] {
            assert_eq!(refusal.answer(), Answer::Conflict(refusal.detail().into()));
        }
    }

    #[test]
    fn a_refused_assignment_is_told_by_its_field_or_the_projects_state() {
        let Answer::Invalid(problems) = AssignmentRefusal::NotAnIndustryRegulator.answer() else {
            panic!("a department that is no industry regulator is the request's fault")
        };
        assert_eq!(problems[0].code, "not_an_industry_regulator");
        let state = ProjectStateRefusal { status: ProjectStatus::Terminated, command: ProjectCommand::AssignRegulator };
        assert_eq!(AssignmentRefusal::State(state).answer(), Answer::Conflict(state.detail()));
    }

    #[test]
    fn only_a_registered_agency_registers_on_a_tenderers_behalf() {
        assert_eq!(may_register_for(true), Ok(()));
        assert_eq!(may_register_for(false), Err(NotAnAgency));
        assert_eq!(NotAnAgency.detail(), "代为登记的一方须为已登记的招标代理机构");
    }
}
