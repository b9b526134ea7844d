//! A market participant as the registry knows it (participant.register_once): what it is
//! on the market, and how its registration and its changes are read. Every problem of a
//! request is named at once.

use ggzy_kernel::validation::read;
use ggzy_kernel::{CreditCode, CreditCodeWarning, FieldError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

ggzy_kernel::closed_enum! {
    /// What a participant is on the market; one participant may be several.
    pub enum ParticipantKind {
        /// 招标人 / 采购人
        Tenderer = "tenderer",
        /// 投标人 / 供应商
        Bidder = "bidder",
        /// 招标代理机构
        Agency = "agency",
    }
}

/// Registration of a market participant (legal entity).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterParticipant {
    /// 统一社会信用代码 (GB 32100-2015), 18 characters, upper case.
    #[schema(required = true, value_type = String, example = "91110000600037341L")]
    pub credit_code: Option<String>,
    /// 名称
    #[schema(required = true, value_type = String, example = "北京某某建设有限公司")]
    pub name: Option<String>,
    /// One or more of tenderer, bidder, agency.
    #[schema(required = true, value_type = Vec<ParticipantKind>)]
    pub kinds: Option<Vec<String>>,
    /// 法定代表人姓名
    #[schema(required = true, value_type = String, example = "张三")]
    pub legal_representative: Option<String>,
    /// The legal representative's person record, when registered.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub legal_representative_person_id: Option<String>,
}

/// Changes to a participant; absent fields stay as they are. The credit code never changes.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateParticipant {
    pub name: Option<String>,
    #[schema(value_type = Option<Vec<ParticipantKind>>)]
    pub kinds: Option<Vec<String>>,
    pub legal_representative: Option<String>,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub legal_representative_person_id: Option<String>,
    /// Present only to be refused: a participant's code is fixed at registration.
    #[schema(value_type = Option<String>)]
    pub credit_code: Option<String>,
}

/// A warning that does not stop registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Warning {
    pub code: String,
    pub message: String,
}

/// A registration whose fields are all valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRegistration {
    pub credit_code: CreditCode,
    /// The code's organisation-code part fails its own check digit (GB 11714): registered,
    /// with a warning.
    pub organisation_code_warning: bool,
    pub name: String,
    /// Without repeats, in their order.
    pub kinds: Vec<ParticipantKind>,
    pub legal_representative: String,
    pub legal_representative_person_id: Option<String>,
}

/// The valid changes of an update; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidUpdate {
    pub name: Option<String>,
    pub kinds: Option<Vec<ParticipantKind>>,
    pub legal_representative: Option<String>,
    pub legal_representative_person_id: Option<String>,
}

const NAME_MAX: usize = 200;
const PERSON_NAME_MAX: usize = 50;

fn read_kinds(problems: &mut Vec<FieldError>, field: &str, kinds: Vec<String>) -> Vec<ParticipantKind> {
    if kinds.is_empty() {
        problems.push(FieldError::new(field, "empty", "至少选择一种主体类型（tenderer、bidder、agency）"));
    }
    let mut parsed = Vec::new();
    for (index, text) in kinds.iter().enumerate() {
        match ParticipantKind::parse(text) {
            Some(kind) if !parsed.contains(&kind) => parsed.push(kind),
            Some(_) => problems.push(FieldError::new(format!("{field}[{index}]"), "duplicate", "主体类型重复")),
            None => problems.push(FieldError::new(
                format!("{field}[{index}]"),
                "unknown_kind",
                format!("未知的主体类型“{text}”，应为 tenderer、bidder 或 agency"),
            )),
        }
    }
    parsed.sort();
    parsed
}

/// Reads a registration: every problem at once, field by field in the request's order.
pub fn read_registration(request: RegisterParticipant) -> Result<ValidRegistration, Vec<FieldError>> {
    let mut problems = Vec::new();
    let credit = read::required(&mut problems, "credit_code", request.credit_code)
        .and_then(|code| CreditCode::parse(&code).map_err(|e| problems.push(e.to_field_error("credit_code"))).ok());
    let name = read::required(&mut problems, "name", request.name)
        .and_then(|n| read::text(&mut problems, "name", n, NAME_MAX));
    let kinds = read::required(&mut problems, "kinds", request.kinds).map(|k| read_kinds(&mut problems, "kinds", k));
    let legal_representative = read::required(&mut problems, "legal_representative", request.legal_representative)
        .and_then(|n| read::text(&mut problems, "legal_representative", n, PERSON_NAME_MAX));
    let person_id = request
        .legal_representative_person_id
        .and_then(|id| read::uuid(&mut problems, "legal_representative_person_id", id));
    match (credit, name, kinds, legal_representative) {
        (Some((credit_code, warnings)), Some(name), Some(kinds), Some(legal_representative)) if problems.is_empty() => {
            Ok(ValidRegistration {
                organisation_code_warning: warnings
                    .iter()
                    .any(|w| matches!(w, CreditCodeWarning::OrganisationCodeCheckMismatch { .. })),
                credit_code,
                name,
                kinds,
                legal_representative,
                legal_representative_person_id: person_id,
            })
        }
        _ => Err(problems),
    }
}

/// Reads an update: a credit code is refused (participant.register_once), the other
/// fields are read as a registration's are.
pub fn read_update(request: UpdateParticipant) -> Result<ValidUpdate, Vec<FieldError>> {
    let mut problems = Vec::new();
    if request.credit_code.is_some() {
        problems.push(FieldError::new(
            "credit_code",
            "immutable",
            "统一社会信用代码在登记后不可修改（一次注册，participant.register_once）",
        ));
    }
    let name = request.name.and_then(|n| read::text(&mut problems, "name", n, NAME_MAX));
    let kinds = request.kinds.map(|k| read_kinds(&mut problems, "kinds", k));
    let legal_representative = request
        .legal_representative
        .and_then(|n| read::text(&mut problems, "legal_representative", n, PERSON_NAME_MAX));
    let legal_representative_person_id = request
        .legal_representative_person_id
        .and_then(|id| read::uuid(&mut problems, "legal_representative_person_id", id));
    if problems.is_empty() {
        Ok(ValidUpdate { name, kinds, legal_representative, legal_representative_person_id })
    } else {
        Err(problems)
    }
}

/// The legal representative a request names by person id, when that person is not on
/// record; none when it names none or a known one.
pub fn unknown_representative(named: Option<&str>, on_record: bool) -> Option<FieldError> {
    (named.is_some() && !on_record)
        .then(|| FieldError::new("legal_representative_person_id", "unknown_person", "法定代表人人员记录不存在"))
}

/// The warnings a registered participant carries.
pub fn warnings(organisation_code_warning: bool) -> Vec<Warning> {
    if organisation_code_warning {
        vec![Warning {
            code: "organisation_code_check_mismatch".into(),
            message: "统一社会信用代码中的组织机构代码校验位不符（GB 11714），请核实".into(),
        }]
    } else {
        vec![]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_representative_named_by_an_unknown_person_id_is_refused() {
        let problem = unknown_representative(Some("person1"), false).unwrap();
        assert_eq!(
            (problem.field.as_str(), problem.code.as_str()),
            ("legal_representative_person_id", "unknown_person")
        );
        assert_eq!(problem.message, "法定代表人人员记录不存在");
        assert_eq!(unknown_representative(Some("person1"), true), None);
        assert_eq!(unknown_representative(None, false), None);
    }

    fn registration() -> RegisterParticipant {
        RegisterParticipant {
            credit_code: Some("91110000600037341L".into()),
            name: Some("北京某某建设有限公司".into()),
            kinds: Some(vec!["bidder".into(), "tenderer".into()]),
            legal_representative: Some("张三".into()),
            legal_representative_person_id: None,
        }
    }

    fn codes(problems: &[FieldError]) -> Vec<(String, String)> {
        problems.iter().map(|p| (p.field.clone(), p.code.clone())).collect()
    }

    fn pair(field: &str, code: &str) -> (String, String) {
        (field.to_owned(), code.to_owned())
    }

    #[test]
    fn a_registration_is_read_with_its_kinds_in_order() {
        let valid = read_registration(registration()).expect("valid");
        assert_eq!(valid.credit_code.as_str(), "91110000600037341L");
        assert_eq!(valid.kinds, vec![ParticipantKind::Tenderer, ParticipantKind::Bidder]);
        assert!(!valid.organisation_code_warning);
    }

    #[test]
    fn every_problem_of_a_registration_is_named_at_once() {
        let refused = read_registration(RegisterParticipant {
            credit_code: None,
            name: Some(String::new()),
            kinds: Some(vec!["bidder".into(), "bidder".into(), "broker".into()]),
            legal_representative: None,
            legal_representative_person_id: Some("not-a-uuid".into()),
        })
        .expect_err("refused");
        assert_eq!(
            codes(&refused),
            vec![
                pair("credit_code", "required"),
                pair("name", "blank"),
                pair("kinds[1]", "duplicate"),
                pair("kinds[2]", "unknown_kind"),
                pair("legal_representative", "required"),
                pair("legal_representative_person_id", "invalid_id"),
            ]
        );
        let no_kinds = read_registration(RegisterParticipant { kinds: Some(vec![]), ..registration() });
        assert_eq!(codes(&no_kinds.expect_err("refused")), vec![pair("kinds", "empty")]);
    }

    #[test]
    fn an_update_never_changes_the_code_and_reads_only_what_it_names() {
        let refused = read_update(UpdateParticipant {
            credit_code: Some("91110000600037341L".into()),
            kinds: Some(vec![]),
            ..UpdateParticipant::default()
        })
        .expect_err("refused");
        assert_eq!(codes(&refused), vec![pair("credit_code", "immutable"), pair("kinds", "empty")]);
        let rename = read_update(UpdateParticipant { name: Some("新名称".into()), ..UpdateParticipant::default() });
        assert_eq!(rename, Ok(ValidUpdate { name: Some("新名称".into()), ..ValidUpdate::default() }));
    }

    #[test]
    fn only_a_mismatching_organisation_code_warns() {
        assert_eq!(warnings(false), vec![]);
        assert_eq!(
            warnings(true).iter().map(|w| w.code.as_str()).collect::<Vec<_>>(),
            vec!["organisation_code_check_mismatch"]
        );
    }
}
