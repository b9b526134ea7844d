//! Registering a project (进场登记): the registration as a tenderer or its agency files it,
//! read field by field with every problem named at once (registration.one_time_notice).
//! Whether the project must trade here is `RuleSet::entry_decision`'s; the codes, the
//! regulator and the writing are the service's.

use ggzy_kernel::validation::read;
use ggzy_kernel::{FieldError, Money};
use ggzy_rules::{Category, Funding, ProcurementOrganisation, RuleSet, Sector};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
