//! A tendering agency's commission (委托代理) and its real-name agents: each agent a person
//! employed by the agency, named once, at least one and no more than the rule set's limit
//! (agency.max_agents: three per commission in Miyun); one agency commissioned at a time,
//! and which agents a replacement removes and adds.

use std::collections::BTreeMap;

use ggzy_kernel::validation::read;
use ggzy_kernel::{Answer, FieldError};
use serde::Deserialize;
use utoipa::ToSchema;

/// Commissioning an agency (委托招标代理) with its real-name agents.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommissionAgency {
    #[schema(required = true, value_type = String, format = Uuid)]
    pub agency_id: Option<String>,
    /// Person ids of the agency's staff who act on the project (at most agency.max_agents).
    #[schema(required = true)]
    pub agent_ids: Option<Vec<String>>,
}

/// Reads a commission: the agency and the agents named (checked with [`check_agents`] once
/// their employers are loaded).
pub fn read_commission(request: CommissionAgency) -> Result<(String, Vec<String>), Vec<FieldError>> {
    let mut problems = Vec::new();
    let agency_id = read::required(&mut problems, "agency_id", request.agency_id)
        .and_then(|a| read::uuid(&mut problems, "agency_id", a));
    let agent_ids = read::required(&mut problems, "agent_ids", request.agent_ids);
    match (agency_id, agent_ids) {
        (Some(agency_id), Some(agent_ids)) if problems.is_empty() => Ok((agency_id, agent_ids)),
        _ => Err(problems),
    }
}

/// Replacing the agents of a commission.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplaceAgents {
    #[schema(required = true)]
    pub agent_ids: Option<Vec<String>>,
}

/// Reads a replacement of agents.
pub fn read_replacement(request: ReplaceAgents) -> Result<Vec<String>, Vec<FieldError>> {
    let mut problems = Vec::new();
    read::required(&mut problems, "agent_ids", request.agent_ids).ok_or(problems)
}

/// The ids among `agent_ids` written as ids, whose employers are to be looked up.
pub fn ids_to_look_up(agent_ids: &[String]) -> Vec<String> {
    agent_ids.iter().filter(|id| read::uuid(&mut Vec::new(), "", (*id).clone()).is_some()).cloned().collect()
}

/// Why a list of agents is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgentRefusal {
    /// An id malformed, repeated, unknown or of someone the agency does not employ.
    Invalid(Vec<FieldError>),
    /// Nobody named.
    Empty,
    /// More than the rule set allows (agency.max_agents).
    TooMany { limit: u32, named: usize },
}

impl AgentRefusal {
    /// The rule a refusal applies: agency.max_agents for too many agents.
    pub fn rule(&self) -> Option<&'static str> {
        matches!(self, AgentRefusal::TooMany { .. }).then_some(ggzy_rules::rule_ids::AGENCY_MAX_AGENTS)
    }

    /// Why, in words, for a project under rule set `rule_set_version`; only the limit has
    /// more to say than its field problems.
    pub fn detail(&self, rule_set_version: u32) -> Option<String> {
        match self {
            AgentRefusal::TooMany { limit, .. } => Some(format!(
                "招标代理机构进入平台的实名代理人员不得超过 {limit} 名（本项目适用第 {rule_set_version} 版规则）"
            )),
            AgentRefusal::Invalid(_) | AgentRefusal::Empty => None,
        }
    }

    /// How the refusal is told for a project under rule set `rule_set_version`: the limit
    /// as its rule (agency.max_agents), anything else by its fields.
    pub fn answer(self, rule_set_version: u32) -> Answer {
        match (self.rule(), self.detail(rule_set_version)) {
            (Some(rule), Some(detail)) => Answer::Rule { rule, detail, problems: self.problems() },
            _ => Answer::Invalid(self.problems()),
        }
    }

    /// As [`AgentRefusal::answer`], each field named within `prefix` (the agents of a
    /// commission filed inside another request: `commission.agent_ids[0]`).
    pub fn answer_within(self, rule_set_version: u32, prefix: &str) -> Answer {
        let within = |problems: Vec<FieldError>| {
            problems
                .into_iter()
                .map(|mut problem| {
                    problem.field = format!("{prefix}{}", problem.field);
                    problem
                })
                .collect()
        };
        match self.answer(rule_set_version) {
            Answer::Rule { rule, detail, problems } => Answer::Rule { rule, detail, problems: within(problems) },
            Answer::Invalid(problems) => Answer::Invalid(within(problems)),
            // The other answers name no field.
            other => other,
        }
    }

    /// The field problems of the refusal.
    pub fn problems(self) -> Vec<FieldError> {
        match self {
            AgentRefusal::Invalid(problems) => problems,
            AgentRefusal::Empty => vec![FieldError::new("agent_ids", "empty", "至少指定一名实名代理人员")],
            AgentRefusal::TooMany { limit, named } => {
                vec![FieldError::new("agent_ids", "too_many_agents", format!("共 {named} 名，超过上限 {limit} 名"))]
            }
        }
    }
}

/// Checks the agents named against the agency and the limit. `employers` holds, for each
/// person found, its employer; a person missing from it is unknown. Each problem names its
/// entry (`agent_ids[i]`).
pub fn check_agents(
    agent_ids: Vec<String>,
    agency_id: &str,
    employers: &BTreeMap<String, Option<String>>,
    limit: u32,
) -> Result<Vec<String>, AgentRefusal> {
    let mut problems = Vec::new();
    let mut agents: Vec<String> = Vec::new();
    for (index, id) in agent_ids.into_iter().enumerate() {
        let field = format!("agent_ids[{index}]");
        let Some(id) = read::uuid(&mut problems, &field, id) else { continue };
        if agents.contains(&id) {
            problems.push(FieldError::new(field, "duplicate", "代理人员重复"));
            continue;
        }
        match employers.get(&id) {
            Some(employer) if employer.as_deref() == Some(agency_id) => agents.push(id),
            Some(_) => problems.push(FieldError::new(field, "not_agency_staff", "该人员不是受托代理机构的在册人员")),
            None => problems.push(FieldError::new(field, "unknown_person", "人员不存在")),
        }
    }
    if !problems.is_empty() {
        return Err(AgentRefusal::Invalid(problems));
    }
    if agents.is_empty() {
        return Err(AgentRefusal::Empty);
    }
    if agents.len() > usize::try_from(limit).unwrap_or(usize::MAX) {
        return Err(AgentRefusal::TooMany { limit, named: agents.len() });
    }
    Ok(agents)
}

/// Why an agency cannot be commissioned on a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommissionRefusal {
    /// The party named is not a registered participant acting as an agency.
    NotAnAgency,
    /// Another agency's commission is in force on the project.
    AlreadyCommissioned,
}

impl CommissionRefusal {
    /// The field problems of a refusal about the request.
    pub fn problems(self) -> Vec<FieldError> {
        match self {
            CommissionRefusal::NotAnAgency => {
                vec![FieldError::new("agency_id", "not_an_agency", "受托方须为已登记且主体类型含 agency 的市场主体")]
            }
            CommissionRefusal::AlreadyCommissioned => Vec::new(),
        }
    }

    /// Why, in words.
    pub fn detail(self) -> &'static str {
        match self {
            CommissionRefusal::NotAnAgency => "受托方须为已登记的招标代理机构",
            CommissionRefusal::AlreadyCommissioned => "该项目已有在委托中的代理机构",
        }
    }

    /// How the refusal is told: the agency field, or the commission already in force.
    pub fn answer(self) -> Answer {
        match self {
            CommissionRefusal::NotAnAgency => Answer::Invalid(self.problems()),
            CommissionRefusal::AlreadyCommissioned => Answer::Conflict(self.detail().into()),
        }
    }
}

/// Whether an agency may be commissioned: `is_agency` when the party named is a registered
/// agency, `commissioned_already` when a commission is in force on the project (one at a
/// time; its agents are replaced, it is not doubled).
pub fn may_commission(is_agency: bool, commissioned_already: bool) -> Result<(), CommissionRefusal> {
    if !is_agency {
        Err(CommissionRefusal::NotAnAgency)
    } else if commissioned_already {
        Err(CommissionRefusal::AlreadyCommissioned)
    } else {
        Ok(())
    }
}

/// What replacing a commission's agents does: who leaves and who joins, each in the order
/// named; an agent named again stays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentChange {
    pub removed: Vec<String>,
    pub added: Vec<String>,
}

/// The change from the `current` agents to the checked `agents`.
pub fn change_agents(current: &[String], agents: &[String]) -> AgentChange {
    AgentChange {
        removed: current.iter().filter(|a| !agents.contains(a)).cloned().collect(),
        added: agents.iter().filter(|a| !current.contains(a)).cloned().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AGENCY: &str = "agency";

    fn id(n: u8) -> String {
        format!("01890a5d-ac96-774b-bcce-b302099a80{n:02}")
    }

    fn staff(ids: &[String], employer: Option<&str>) -> BTreeMap<String, Option<String>> {
        ids.iter().map(|i| (i.clone(), employer.map(str::to_owned))).collect()
    }

    #[test]
    fn agents_are_the_agency_s_staff_named_once_up_to_the_limit() {
        let mut employers = staff(&[id(1), id(2), id(3), id(4)], Some(AGENCY));
        employers.insert(id(5), Some("another".into()));
        employers.insert(id(6), None);
        assert_eq!(check_agents(vec![id(2), id(1)], AGENCY, &employers, 3), Ok(vec![id(2), id(1)]));
        assert_eq!(
            check_agents(vec![id(1), id(2), id(3), id(4)], AGENCY, &employers, 3),
            Err(AgentRefusal::TooMany { limit: 3, named: 4 })
        );
        assert_eq!(check_agents(vec![id(1), id(2), id(3), id(4)], AGENCY, &employers, 4).map(|a| a.len()), Ok(4));
        assert_eq!(check_agents(vec![], AGENCY, &employers, 3), Err(AgentRefusal::Empty));
        let Err(AgentRefusal::Invalid(problems)) =
            check_agents(vec!["X".into(), id(1), id(1), id(5), id(6), id(9)], AGENCY, &employers, 3)
        else {
            panic!("every bad entry is named");
        };
        let named: Vec<(&str, &str)> = problems.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(
            named,
            [
                ("agent_ids[0]", "invalid_id"),
                ("agent_ids[2]", "duplicate"),
                ("agent_ids[3]", "not_agency_staff"),
                ("agent_ids[4]", "not_agency_staff"),
                ("agent_ids[5]", "unknown_person"),
            ]
        );
    }

    #[test]
    fn a_commission_names_its_agency_and_agents() {
        assert_eq!(ids_to_look_up(&["X".into(), id(1)]), [id(1)]);
        let codes: Vec<String> = read_commission(CommissionAgency { agency_id: Some("A".into()), agent_ids: None })
            .unwrap_err()
            .into_iter()
            .map(|e| e.code)
            .collect();
        assert_eq!(codes, ["invalid_id", "required"]);
        assert_eq!(
            read_commission(CommissionAgency { agency_id: Some(id(7)), agent_ids: Some(vec![id(1)]) }),
            Ok((id(7), vec![id(1)]))
        );
        assert_eq!(read_replacement(ReplaceAgents { agent_ids: None }).unwrap_err()[0].code, "required");
    }

    #[test]
    fn an_agency_is_commissioned_once_at_a_time() {
        let table = [
            (true, false, Ok(())),
            (true, true, Err(CommissionRefusal::AlreadyCommissioned)),
            (false, false, Err(CommissionRefusal::NotAnAgency)),
            (false, true, Err(CommissionRefusal::NotAnAgency)),
        ];
        for (is_agency, already, expected) in table {
            assert_eq!(may_commission(is_agency, already), expected, "agency={is_agency} already={already}");
        }
        let codes: Vec<String> = CommissionRefusal::NotAnAgency.problems().into_iter().map(|e| e.code).collect();
        assert_eq!(codes, ["not_an_agency"]);
        assert!(CommissionRefusal::AlreadyCommissioned.problems().is_empty());
    }

    #[test]
    fn a_replacement_removes_who_is_not_named_again_and_adds_who_is_new() {
        // Current agents, agents named, who leaves, who joins.
        type Case = (&'static [u8], &'static [u8], &'static [u8], &'static [u8]);
        let table: &[Case] = &[
            (&[1, 2], &[2, 3], &[1], &[3]),
            (&[1, 2], &[2, 1], &[], &[]),
            (&[1], &[2, 3], &[1], &[2, 3]),
            (&[], &[4], &[], &[4]),
        ];
        let ids = |ns: &[u8]| ns.iter().map(|n| id(*n)).collect::<Vec<_>>();
        for (current, agents, removed, added) in table {
            let change = change_agents(&ids(current), &ids(agents));
            assert_eq!(change, AgentChange { removed: ids(removed), added: ids(added) }, "{current:?} → {agents:?}");
        }
    }

    #[test]
    fn a_refusal_of_agents_names_its_fields_and_only_the_limit_its_rule() {
        let too_many = AgentRefusal::TooMany { limit: 3, named: 4 };
        assert_eq!(too_many.rule(), Some(ggzy_rules::rule_ids::AGENCY_MAX_AGENTS));
        assert!(too_many.detail(7).is_some_and(|d| d.contains("不得超过 3 名") && d.contains("第 7 版")));
        let invalid = AgentRefusal::Invalid(vec![FieldError::new("agent_ids[0]", "invalid_id", "x")]);
        let table = [
            (too_many, "agent_ids", "too_many_agents"),
            (AgentRefusal::Empty, "agent_ids", "empty"),
            (invalid, "agent_ids[0]", "invalid_id"),
        ];
        for (refusal, field, code) in table {
            if !matches!(refusal, AgentRefusal::TooMany { .. }) {
                assert_eq!((refusal.rule(), refusal.detail(7)), (None, None), "{refusal:?}");
            }
            let named: Vec<(String, String)> = refusal.problems().into_iter().map(|e| (e.field, e.code)).collect();
            assert_eq!(named, [(field.to_owned(), code.to_owned())]);
        }
    }
}

#[cfg(test)]
mod answer_tests {
    use super::*;

    #[test]
    fn a_refusal_within_a_nested_commission_names_its_fields_there_and_keeps_the_rest() {
        let too_many = AgentRefusal::TooMany { limit: 3, named: 4 };
        let Answer::Rule { rule, detail, problems } = too_many.clone().answer_within(7, "commission.") else {
            panic!("not the limit's rule")
        };
        assert_eq!((rule, Some(detail)), (ggzy_rules::rule_ids::AGENCY_MAX_AGENTS, too_many.detail(7)));
        assert_eq!(problems.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), ["commission.agent_ids"]);
        let invalid = AgentRefusal::Invalid(vec![
            FieldError::new("agent_ids[0]", "unknown_person", "x"),
            FieldError::new("agent_ids[2]", "not_employed", "y"),
        ]);
        let Answer::Invalid(problems) = invalid.answer_within(7, "commission.") else { panic!("not invalid") };
        let named: Vec<(&str, &str)> = problems.iter().map(|p| (p.field.as_str(), p.code.as_str())).collect();
        assert_eq!(named, [("commission.agent_ids[0]", "unknown_person"), ("commission.agent_ids[2]", "not_employed")]);
        assert_eq!(AgentRefusal::Empty.answer_within(7, ""), AgentRefusal::Empty.answer(7));
    }

    #[test]
    fn too_many_agents_is_told_as_the_rule_anything_else_by_its_fields() {
        let too_many = AgentRefusal::TooMany { limit: 3, named: 4 };
        assert_eq!(
            too_many.clone().answer(7),
            Answer::Rule {
                rule: ggzy_rules::rule_ids::AGENCY_MAX_AGENTS,
                detail: too_many.detail(7).unwrap_or_default(),
                problems: too_many.problems(),
            }
        );
        assert_eq!(AgentRefusal::Empty.answer(7), Answer::Invalid(AgentRefusal::Empty.problems()));
        let problem = FieldError::new("agent_ids[0]", "unknown_person", "x");
        assert_eq!(AgentRefusal::Invalid(vec![problem.clone()]).answer(7), Answer::Invalid(vec![problem]));
    }

    #[test]
    fn a_refused_commission_is_told_by_its_field_or_as_a_conflict() {
        assert_eq!(CommissionRefusal::NotAnAgency.answer(), Answer::Invalid(CommissionRefusal::NotAnAgency.problems()));
        assert_eq!(
            CommissionRefusal::AlreadyCommissioned.answer(),
            Answer::Conflict("该项目已有在委托中的代理机构".into())
        );
    }
}
