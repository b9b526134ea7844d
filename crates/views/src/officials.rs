//! Response and request bodies of officials (see `ggzy_service::officials` for the use cases).

use chrono::{DateTime, NaiveDateTime, Utc};
use ggzy_kernel::{stored, AuditAction, StoredFault};
pub use ggzy_oversight::officials::{NameOfficial, NewPersonRelation, WithdrawOfficial};
use ggzy_oversight::recusal::{self, Conflict, OfficialRole};
use ggzy_store::violations::OfficialRow;
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit_entry::{project_chain, AuditEntry};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonRelation {
    pub participant_id: String,
    pub relation: String,
}

/// A tie that obliges an official to step aside.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RecusalConflict {
    pub participant_id: String,
    /// tenderer, agency or bidder.
    pub party: String,
    /// employer, legal_representative or declared.
    pub tie: String,
}

impl From<Conflict> for RecusalConflict {
    fn from(c: Conflict) -> Self {
        RecusalConflict { participant_id: c.participant_id, party: c.party.as_str().into(), tie: c.tie.as_str().into() }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProjectOfficial {
    pub id: String,
    pub project_id: String,
    pub person_id: String,
    #[schema(value_type = ggzy_oversight::recusal::OfficialRole)]
    pub role: String,
    pub named_at: DateTime<Utc>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub withdrawn_reason: Option<String>,
    /// Ties with the project's parties as they are now (bidders arrive after naming).
    pub conflicts: Vec<RecusalConflict>,
    /// Still serving with a conflict: must step aside (recusal).
    pub must_recuse: bool,
}

impl From<(String, String)> for PersonRelation {
    /// A declared relation as stored: `(participant_id, relation)`.
    fn from((participant_id, relation): (String, String)) -> Self {
        PersonRelation { participant_id, relation }
    }
}

/// The role a stored official was named in.
pub fn official_role(row: &OfficialRow) -> Result<OfficialRole, StoredFault> {
    stored("project_officials.role", &row.role)
}

impl ProjectOfficial {
    /// A stored official with the conflicts the person has with the project's parties now.
    pub fn from_row(row: OfficialRow, conflicts: Vec<Conflict>) -> Self {
        ProjectOfficial {
            must_recuse: recusal::must_recuse(row.withdrawn_at.is_some(), &conflicts),
            conflicts: conflicts.into_iter().map(Into::into).collect(),
            id: row.id,
            project_id: row.project_id,
            person_id: row.person_id,
            role: row.role,
            named_at: row.named_at.and_utc(),
            withdrawn_at: row.withdrawn_at.map(|t| t.and_utc()),
            withdrawn_reason: row.withdrawn_reason,
        }
    }
}

/// A person named as `role` on a project at `at`, not withdrawn.
pub fn named_row(
    id: String,
    project_id: &str,
    person_id: &str,
    role: OfficialRole,
    named_by: String,
    at: NaiveDateTime,
) -> OfficialRow {
    OfficialRow {
        id,
        project_id: project_id.to_owned(),
        person_id: person_id.to_owned(),
        role: role.as_str().into(),
        named_by,
        named_at: at,
        withdrawn_at: None,
        withdrawn_reason: None,
    }
}

/// The audit payload of a declared relation.
pub fn relation_payload(participant_id: &str, relation: &str) -> serde_json::Value {
    serde_json::json!({ "participant_id": participant_id, "relation": relation, "rule": ggzy_rules::rule_ids::RECUSAL })
}

/// The audit entry of a relation declared for a person, on the person's chain.
pub fn relation_entry(person_id: &str, participant_id: &str, relation: &str) -> AuditEntry<serde_json::Value> {
    let (chain, object_id) = (format!("person:{person_id}"), person_id.to_owned());
    let payload = relation_payload(participant_id, relation);
    AuditEntry { chain, action: AuditAction::PersonDeclareRelation, object_type: "person", object_id, payload }
}

/// The audit entry of an official named or withdrawn (`action`), on the project's chain:
/// the official as now shown.
pub fn official_entry(action: AuditAction, official: &ProjectOfficial) -> AuditEntry<&ProjectOfficial> {
    let (chain, object_id) = (project_chain(&official.project_id), official.id.clone());
    AuditEntry { chain, action, object_type: "project_official", object_id, payload: official }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relation_is_audited_on_the_persons_chain_and_an_official_on_the_projects() {
        let entry = relation_entry("x1", "a1", "employee");
        assert_eq!((entry.chain.as_str(), entry.action), ("person:x1", AuditAction::PersonDeclareRelation));
        assert_eq!((entry.object_type, entry.object_id.as_str()), ("person", "x1"));
        assert_eq!(entry.payload, relation_payload("a1", "employee"));
        let official = ProjectOfficial::from_row(row("supervisor", None), Vec::new());
        let entry = official_entry(AuditAction::ProjectWithdrawOfficial, &official);
        assert_eq!((entry.chain.as_str(), entry.action), ("project:p1", AuditAction::ProjectWithdrawOfficial));
        assert_eq!(
            (entry.object_type, entry.object_id.as_str(), entry.payload.id.as_str()),
            ("project_official", "o1", "o1")
        );
    }

    fn at(hour: u32) -> chrono::NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap().and_hms_opt(hour, 0, 0).unwrap()
    }

    fn row(role: &str, withdrawn_at: Option<chrono::NaiveDateTime>) -> OfficialRow {
        OfficialRow {
            id: "o1".into(),
            project_id: "p1".into(),
            person_id: "person1".into(),
            role: role.into(),
            named_by: "regulator:1".into(),
            named_at: at(9),
            withdrawn_at,
            withdrawn_reason: withdrawn_at.map(|_| "亲属".into()),
        }
    }

    #[test]
    fn an_unknown_stored_role_is_a_fault() {
        assert_eq!(official_role(&row("supervisor", None)), Ok(OfficialRole::Supervisor));
        let fault = official_role(&row("judge", None)).unwrap_err();
        assert_eq!(fault.to_string(), "project_officials.role holds `judge`, which is not OfficialRole");
    }

    #[test]
    fn an_official_shows_the_row_and_whether_it_must_step_aside() {
        let conflict =
            Conflict { participant_id: "t1".into(), party: recusal::PartyRole::Tenderer, tie: recusal::Tie::Employer };
        let serving = ProjectOfficial::from_row(row("supervisor", None), vec![conflict.clone()]);
        assert!(serving.must_recuse);
        assert_eq!(serving.conflicts, vec![RecusalConflict::from(conflict.clone())]);
        assert_eq!((serving.person_id.as_str(), serving.named_at), ("person1", at(9).and_utc()));
        let withdrawn = ProjectOfficial::from_row(row("supervisor", Some(at(10))), vec![conflict]);
        assert!(!withdrawn.must_recuse);
        assert_eq!(withdrawn.withdrawn_reason.as_deref(), Some("亲属"));
        assert!(!ProjectOfficial::from_row(row("supervisor", None), vec![]).must_recuse);
    }

    #[test]
    fn a_named_official_is_in_office_under_its_role() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap().and_hms_opt(9, 0, 0).unwrap();
        let row = named_row("o1".into(), "p1", "person1", OfficialRole::Supervisor, "regulator:r@r1".into(), at);
        assert_eq!(official_role(&row).unwrap(), OfficialRole::Supervisor);
        assert_eq!((row.project_id.as_str(), row.person_id.as_str(), row.named_at), ("p1", "person1", at));
        assert_eq!((row.withdrawn_at, row.withdrawn_reason), (None, None));
    }

    #[test]
    fn a_declared_relation_cites_the_recusal_rule() {
        assert_eq!(
            relation_payload("b1", "spouse"),
            serde_json::json!({ "participant_id": "b1", "relation": "spouse", "rule": ggzy_rules::rule_ids::RECUSAL })
        );
    }
}
