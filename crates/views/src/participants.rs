//! Response and request bodies of participants (see `ggzy_service::participants` for the use cases).

use chrono::{DateTime, NaiveDateTime, Utc};
pub use ggzy_credit::participant::{ParticipantKind, RegisterParticipant, UpdateParticipant, Warning};
use ggzy_credit::participant::{ValidRegistration, ValidUpdate};
use ggzy_kernel::{stored, AuditAction, StoredFault};
use serde_json::Value;

use crate::audit_entry::{participant_chain, AuditEntry};
use ggzy_store::participants::ParticipantRow;
use serde::Serialize;
use utoipa::ToSchema;

/// A registered market participant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Participant {
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    #[schema(example = "91110000600037341L")]
    pub credit_code: String,
    pub name: String,
    pub kinds: Vec<ParticipantKind>,
    pub legal_representative: String,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub legal_representative_person_id: Option<String>,
    pub warnings: Vec<Warning>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Incremented by every change.
    pub version: i64,
}

/// One page of participants; pass `next_cursor` as `after` for the next.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ParticipantPage {
    pub items: Vec<Participant>,
    pub next_cursor: Option<String>,
}

/// The `participants.kinds` column: the kinds, comma-separated.
pub fn kinds_column(kinds: &[ParticipantKind]) -> String {
    kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(",")
}

/// The kinds a stored participant is registered as.
pub fn kinds_of(row: &ParticipantRow) -> Result<Vec<ParticipantKind>, StoredFault> {
    row.kinds.split(',').map(|kind| stored("participants.kinds", kind)).collect()
}

impl TryFrom<ParticipantRow> for Participant {
    type Error = StoredFault;

    fn try_from(row: ParticipantRow) -> Result<Self, StoredFault> {
        Ok(Participant {
            kinds: kinds_of(&row)?,
            warnings: ggzy_credit::participant::warnings(row.organisation_code_warning != 0),
            id: row.id,
            credit_code: row.credit_code,
            name: row.name,
            legal_representative: row.legal_representative,
            legal_representative_person_id: row.legal_representative_person_id,
            created_at: row.created_at.and_utc(),
            updated_at: row.updated_at.and_utc(),
            version: row.version,
        })
    }
}

/// A newly registered participant, at version 1.
pub fn registered_row(id: String, valid: ValidRegistration, at: NaiveDateTime) -> ParticipantRow {
    ParticipantRow {
        id,
        credit_code: valid.credit_code.as_str().to_owned(),
        name: valid.name,
        kinds: kinds_column(&valid.kinds),
        legal_representative: valid.legal_representative,
        legal_representative_person_id: valid.legal_representative_person_id,
        organisation_code_warning: i32::from(valid.organisation_code_warning),
        created_at: at,
        updated_at: at,
        version: 1,
    }
}

/// What the audit trail keeps of a registration: the participant as registered.
pub fn registered_entry(created: &Participant) -> AuditEntry<&Participant> {
    participant_entry(&created.id, AuditAction::ParticipantRegister, created)
}

/// What the audit trail keeps of an update: the participant before and after it.
pub fn updated_entry(before: &Participant, after: &Participant) -> AuditEntry<Value> {
    let payload = serde_json::json!({ "before": before, "after": after });
    participant_entry(&after.id, AuditAction::ParticipantUpdate, payload)
}

/// An event on a participant's own chain, about the participant.
fn participant_entry<P>(id: &str, action: AuditAction, payload: P) -> AuditEntry<P> {
    AuditEntry { chain: participant_chain(id), action, object_type: "participant", object_id: id.into(), payload }
}

/// The participant after an update at `at`: what the update names replaces what is stored,
/// one version on; `None` when nothing would change (the update writes nothing then).
pub fn updated_row(current: &ParticipantRow, update: ValidUpdate, at: NaiveDateTime) -> Option<ParticipantRow> {
    let mut changed = current.clone();
    if let Some(name) = update.name {
        changed.name = name;
    }
    if let Some(kinds) = &update.kinds {
        changed.kinds = kinds_column(kinds);
    }
    if let Some(legal_representative) = update.legal_representative {
        changed.legal_representative = legal_representative;
    }
    if update.legal_representative_person_id.is_some() {
        changed.legal_representative_person_id = update.legal_representative_person_id;
    }
    if changed == *current {
        return None;
    }
    changed.updated_at = at;
    changed.version = current.version + 1;
    Some(changed)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A stored participant of `kinds`, for the tests of the views that name one.
    pub(crate) fn row(kinds: &str, warning: i32) -> ParticipantRow {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap().and_hms_opt(3, 4, 5).unwrap();
        ParticipantRow {
            id: "p1".into(),
            credit_code: "91110000600037341L".into(),
            name: "北京某某建设有限公司".into(),
            kinds: kinds.into(),
            legal_representative: "张三".into(),
            legal_representative_person_id: None,
            organisation_code_warning: warning,
            created_at: at,
            updated_at: at + chrono::Duration::hours(1),
            version: 3,
        }
    }

    #[test]
    fn a_participant_shows_what_the_row_holds() {
        let participant = Participant::try_from(row("tenderer,agency", 0)).unwrap();
        assert_eq!(participant.kinds, vec![ParticipantKind::Tenderer, ParticipantKind::Agency]);
        assert_eq!(participant.credit_code, "91110000600037341L");
        assert_eq!(participant.legal_representative, "张三");
        assert!(participant.warnings.is_empty());
        assert_eq!(participant.updated_at - participant.created_at, chrono::Duration::hours(1));
        assert_eq!(participant.version, 3);
        assert_eq!(Participant::try_from(row("bidder", 1)).unwrap().warnings, ggzy_credit::participant::warnings(true));
    }

    #[test]
    fn an_unknown_stored_kind_is_a_fault() {
        let fault = Participant::try_from(row("tenderer,buyer", 0)).unwrap_err();
        assert_eq!(fault.to_string(), "participants.kinds holds `buyer`, which is not ParticipantKind");
    }

    #[test]
    fn the_kinds_column_reads_back() {
        let kinds = [ParticipantKind::Bidder, ParticipantKind::Agency];
        assert_eq!(kinds_column(&kinds), "bidder,agency");
        assert_eq!(kinds_of(&row(&kinds_column(&kinds), 0)).unwrap(), kinds.to_vec());
    }

    #[test]
    fn a_registration_and_an_update_are_kept_on_the_participants_chain() {
        let before = Participant::try_from(row("tenderer", 0)).unwrap();
        let entry = registered_entry(&before);
        assert_eq!(
            (entry.chain.as_str(), entry.object_type, entry.object_id.as_str()),
            ("participant:p1", "participant", "p1")
        );
        assert_eq!((entry.action, entry.payload), (AuditAction::ParticipantRegister, &before));
        let after = Participant { name: "新名称".into(), version: 4, ..before.clone() };
        let entry = updated_entry(&before, &after);
        assert_eq!((entry.chain.as_str(), entry.action), ("participant:p1", AuditAction::ParticipantUpdate));
        assert_eq!(entry.payload["before"]["name"], "北京某某建设有限公司");
        assert_eq!(
            (entry.payload["after"]["name"].as_str(), entry.payload["after"]["version"].as_i64()),
            (Some("新名称"), Some(4))
        );
    }

    fn no_change() -> ValidUpdate {
        ValidUpdate { name: None, kinds: None, legal_representative: None, legal_representative_person_id: None }
    }

    #[test]
    fn an_update_that_changes_nothing_writes_nothing() {
        let current = row("tenderer", 0);
        let later = current.updated_at + chrono::Duration::hours(2);
        assert_eq!(updated_row(&current, no_change(), later), None);
        let same_name = ValidUpdate { name: Some(current.name.clone()), ..no_change() };
        assert_eq!(updated_row(&current, same_name, later), None);
    }

    #[test]
    fn an_update_replaces_only_what_it_names_and_moves_the_version_on() {
        let current = row("tenderer", 0);
        let later = current.updated_at + chrono::Duration::hours(2);
        let update = ValidUpdate {
            kinds: Some(vec![ParticipantKind::Tenderer, ParticipantKind::Bidder]),
            legal_representative_person_id: Some("person1".into()),
            ..no_change()
        };
        let changed = updated_row(&current, update, later).unwrap();
        assert_eq!(
            (changed.kinds.as_str(), changed.legal_representative_person_id.as_deref()),
            ("tenderer,bidder", Some("person1"))
        );
        assert_eq!((changed.name.as_str(), changed.legal_representative.as_str()), (current.name.as_str(), "张三"));
        assert_eq!((changed.version, changed.updated_at, changed.created_at), (4, later, current.created_at));
    }
}
