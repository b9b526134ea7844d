//! A tendering agency's commission (委托代理) and its real-name agents: each agent a person
//! employed by the agency, named once, at least one and no more than the rule set's limit
//! (agency.max_agents: three per commission in Miyun).

use std::collections::BTreeMap;

use ggzy_kernel::validation::read;
use ggzy_kernel::FieldError;
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
}
