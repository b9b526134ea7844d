//! Naming the officials of a project — supervisors and tenderer representatives — and
//! declaring a person's relations with participants (recusal, 管理办法 §27;
//! procurement.recusal): how the requests are read, and when a naming is refused because a
//! tie obliges the person to step aside.

use ggzy_kernel::validation::read;
use ggzy_kernel::FieldError;
use ggzy_rules::{rule_ids, Category};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::recusal::{self, Conflict, OfficialRole, PartyRole, Tie, Ties};

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPersonRelation {
    #[schema(required = true, value_type = String, format = Uuid)]
    pub participant_id: Option<String>,
    /// What ties them: 近亲属任职, 持股, 曾任职 (3 years), ….
    #[schema(required = true, value_type = String)]
    pub relation: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NameOfficial {
    #[schema(required = true, value_type = String, format = Uuid)]
    pub person_id: Option<String>,
    /// supervisor or tenderer_representative.
    #[schema(required = true, value_type = crate::recusal::OfficialRole)]
    pub role: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawOfficial {
    #[schema(required = true, value_type = String)]
    pub reason: Option<String>,
}

/// A declared relation whose fields are valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRelation {
    pub participant_id: String,
    pub relation: String,
}

/// A naming whose fields are valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidNaming {
    pub person_id: String,
    pub role: OfficialRole,
}

/// Reads a declared relation: the participant's id and what ties the person to it.
pub fn read_relation(request: NewPersonRelation) -> Result<ValidRelation, Vec<FieldError>> {
    let mut problems = Vec::new();
    let participant_id = read::required(&mut problems, "participant_id", request.participant_id)
        .and_then(|p| read::uuid(&mut problems, "participant_id", p));
    let relation = read::required(&mut problems, "relation", request.relation)
        .and_then(|r| read::text(&mut problems, "relation", r, 200));
    match (participant_id, relation) {
        (Some(participant_id), Some(relation)) if problems.is_empty() => Ok(ValidRelation { participant_id, relation }),
        _ => Err(problems),
    }
}

/// Reads a naming: the person and the role named.
pub fn read_naming(request: NameOfficial) -> Result<ValidNaming, Vec<FieldError>> {
    let mut problems = Vec::new();
    let person_id = read::required(&mut problems, "person_id", request.person_id)
        .and_then(|p| read::uuid(&mut problems, "person_id", p));
    let role = read::required(&mut problems, "role", request.role).and_then(|r| {
        let parsed = OfficialRole::parse(&r);
        if parsed.is_none() {
            problems.push(FieldError::new("role", "unknown_value", "可选：supervisor、tenderer_representative"));
        }
        parsed
    });
    match (person_id, role) {
        (Some(person_id), Some(role)) if problems.is_empty() => Ok(ValidNaming { person_id, role }),
        _ => Err(problems),
    }
}

/// Reads a withdrawal: its reason.
pub fn read_withdrawal(request: WithdrawOfficial) -> Result<String, Vec<FieldError>> {
    let mut problems = Vec::new();
    match read::required(&mut problems, "reason", request.reason)
        .and_then(|r| read::text(&mut problems, "reason", r, 500))
    {
        Some(reason) if problems.is_empty() => Ok(reason),
        _ => Err(problems),
    }
}

/// The rule of recusal a project's category answers to.
pub fn recusal_rule(category: Category) -> &'static str {
    match category {
        Category::Procurement => rule_ids::PROCUREMENT_RECUSAL,
        _ => rule_ids::RECUSAL,
    }
}

/// A naming refused: the rule, and one problem per tie that obliges the person to step
/// aside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamingRefusal {
    pub rule: &'static str,
    pub errors: Vec<FieldError>,
}

impl NamingRefusal {
    /// Why, in words.
    pub fn detail(&self) -> &'static str {
        "该人员与本项目当事人存在利害关系，应当回避"
    }
}

/// A refused naming is answered as the recusal rule's refusal, one problem per tie.
impl From<NamingRefusal> for ggzy_kernel::Answer {
    fn from(refused: NamingRefusal) -> Self {
        let detail = refused.detail().to_owned();
        ggzy_kernel::Answer::Rule { rule: refused.rule, detail, problems: refused.errors }
    }
}

/// Whether a person with these ties may be named in `role` on a project with these
/// parties, under the recusal rule of the project's category.
pub fn decide_naming(
    role: OfficialRole,
    ties: &Ties,
    parties: &[(String, PartyRole)],
    category: Category,
) -> Result<(), NamingRefusal> {
    let conflicts = recusal::conflicts(role, ties, parties);
    if conflicts.is_empty() {
        return Ok(());
    }
    Err(NamingRefusal {
        rule: recusal_rule(category),
        errors: conflicts
            .iter()
            .map(|c| {
                FieldError::new(
                    "person_id",
                    conflict_code(c),
                    format!("与{}（{}）存在关系：{}", c.party.as_str(), c.participant_id, c.tie.as_str()),
                )
            })
            .collect(),
    })
}

/// The field error code of a conflict: the party's role, then the tie (`bidder_declared`).
/// Spelt out so that every code a client can meet is a literal the code list is checked
/// against.
pub fn conflict_code(conflict: &Conflict) -> &'static str {
    match (conflict.party, conflict.tie) {
        (PartyRole::Tenderer, Tie::Employer) => "tenderer_employer",
        (PartyRole::Tenderer, Tie::LegalRepresentative) => "tenderer_legal_representative",
        (PartyRole::Tenderer, Tie::Declared) => "tenderer_declared",
        (PartyRole::Agency, Tie::Employer) => "agency_employer",
        (PartyRole::Agency, Tie::LegalRepresentative) => "agency_legal_representative",
        (PartyRole::Agency, Tie::Declared) => "agency_declared",
        (PartyRole::Bidder, Tie::Employer) => "bidder_employer",
        (PartyRole::Bidder, Tie::LegalRepresentative) => "bidder_legal_representative",
        (PartyRole::Bidder, Tie::Declared) => "bidder_declared",
    }
}

/// A naming names a person that exists (`person_known`).
pub fn check_person(person_known: bool) -> Result<(), FieldError> {
    if person_known {
        Ok(())
    } else {
        Err(FieldError::new("person_id", "unknown_person", "人员不存在"))
    }
}

/// A declared relation names a participant that exists (`participant_known`).
pub fn check_participant(participant_known: bool) -> Result<(), FieldError> {
    if participant_known {
        Ok(())
    } else {
        Err(FieldError::new("participant_id", "unknown_participant", "市场主体不存在"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PERSON: &str = "01890000-0000-7000-8000-000000000001";

    fn codes(problems: &[FieldError]) -> Vec<(String, String)> {
        problems.iter().map(|p| (p.field.clone(), p.code.clone())).collect()
    }

    fn pair(field: &str, code: &str) -> (String, String) {
        (field.to_owned(), code.to_owned())
    }

    #[test]
    fn requests_name_every_problem_at_once() {
        let naming = read_naming(NameOfficial { person_id: Some("x".into()), role: Some("judge".into()) });
        assert_eq!(
            codes(&naming.expect_err("refused")),
            vec![pair("person_id", "invalid_id"), pair("role", "unknown_value")]
        );
        let valid = read_naming(NameOfficial { person_id: Some(PERSON.into()), role: Some("supervisor".into()) });
        assert_eq!(valid, Ok(ValidNaming { person_id: PERSON.into(), role: OfficialRole::Supervisor }));
        let relation = read_relation(NewPersonRelation { participant_id: None, relation: Some(" ".into()) });
        assert_eq!(
            codes(&relation.expect_err("refused")),
            vec![pair("participant_id", "required"), pair("relation", "blank")]
        );
        let withdrawal = read_withdrawal(WithdrawOfficial { reason: Some("x".repeat(501)) });
        assert_eq!(codes(&withdrawal.expect_err("refused")), vec![pair("reason", "too_long")]);
        assert_eq!(read_withdrawal(WithdrawOfficial { reason: Some(" 回避 ".into()) }), Ok("回避".into()));
    }

    #[test]
    fn a_tie_with_a_party_refuses_the_naming_under_the_category_rule() {
        let ties = Ties { employer: Some("bidder-1".into()), represents: vec![], declared: vec!["agency-1".into()] };
        let parties = vec![
            ("tenderer-1".to_owned(), PartyRole::Tenderer),
            ("agency-1".to_owned(), PartyRole::Agency),
            ("bidder-1".to_owned(), PartyRole::Bidder),
        ];
        let refused =
            decide_naming(OfficialRole::Supervisor, &ties, &parties, Category::Procurement).expect_err("refused");
        assert_eq!(refused.rule, rule_ids::PROCUREMENT_RECUSAL);
        assert_eq!(
            codes(&refused.errors),
            vec![pair("person_id", "agency_declared"), pair("person_id", "bidder_employer")]
        );
        let construction = decide_naming(OfficialRole::Supervisor, &ties, &parties, Category::Construction);
        let construction = construction.expect_err("refused");
        assert_eq!(construction.rule, rule_ids::RECUSAL);
        let ggzy_kernel::Answer::Rule { rule, detail, problems } = ggzy_kernel::Answer::from(construction) else {
            panic!("a recusal refusal answers as its rule")
        };
        assert_eq!(
            (rule, detail.as_str(), problems.len()),
            (rule_ids::RECUSAL, "该人员与本项目当事人存在利害关系，应当回避", 2)
        );
        let untied = Ties { employer: None, represents: vec![], declared: vec![] };
        assert_eq!(decide_naming(OfficialRole::Supervisor, &untied, &parties, Category::Construction), Ok(()));
    }

    #[test]
    fn a_naming_or_relation_naming_no_one_known_is_refused_on_its_field() {
        assert_eq!(check_person(true), Ok(()));
        let refused = check_person(false).unwrap_err();
        assert_eq!((refused.field.as_str(), refused.code.as_str()), ("person_id", "unknown_person"));
        assert_eq!(check_participant(true), Ok(()));
        let refused = check_participant(false).unwrap_err();
        assert_eq!((refused.field.as_str(), refused.code.as_str()), ("participant_id", "unknown_participant"));
    }
}
