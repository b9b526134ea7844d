//! Response and request bodies of persons (see `ggzy_service::persons` for the use cases).

use chrono::{DateTime, NaiveDateTime, Utc};
use ggzy_kernel::validation::read;
use ggzy_kernel::{FieldError, ResidentId};
use ggzy_store::persons::PersonRow;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Registration of a person.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterPerson {
    /// 姓名
    #[schema(required = true, value_type = String, example = "李四")]
    pub name: Option<String>,
    /// 居民身份证号码 (GB 11643); stored only as a keyed hash and a masked form.
    #[schema(required = true, value_type = String, example = "11010519491231002X")]
    pub id_number: Option<String>,
    /// The participant the person works for.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub employer_id: Option<String>,
}

/// A registration request as read: the employer it names (if a UUID), and its name and
/// identity number, or every problem of the request (the employer's first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRequest {
    pub employer_id: Option<String>,
    pub values: Result<(String, ResidentId), Vec<FieldError>>,
}

impl RegisterPerson {
    /// Reads the request: the employer as a UUID, a name of at most 50 characters and a
    /// valid resident identity number.
    pub fn read(self) -> PersonRequest {
        let mut problems = Vec::new();
        let employer_id = self.employer_id.and_then(|id| read::uuid(&mut problems, "employer_id", id));
        let name =
            read::required(&mut problems, "name", self.name).and_then(|n| read::text(&mut problems, "name", n, 50));
        let id_number = read::required(&mut problems, "id_number", self.id_number)
            .and_then(|n| ResidentId::parse(&n).map_err(|e| problems.push(e.to_field_error("id_number"))).ok());
        let values = match (name, id_number) {
            (Some(name), Some(id_number)) if problems.is_empty() => Ok((name, id_number)),
            _ => Err(problems),
        };
        PersonRequest { employer_id, values }
    }
}

/// A registered person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Person {
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    pub name: String,
    /// First six and last four characters; the rest masked.
    #[schema(example = "110105********002X")]
    pub id_number_masked: String,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub employer_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonPage {
    pub items: Vec<Person>,
    pub next_cursor: Option<String>,
}

/// The registered person a row holds; its identity-number hash is never shown.
impl From<PersonRow> for Person {
    fn from(row: PersonRow) -> Self {
        Person {
            id: row.id,
            name: row.name,
            id_number_masked: row.id_number_masked,
            employer_id: row.employer_id,
            created_at: row.created_at.and_utc(),
        }
    }
}

/// A newly registered person: the identity number kept only as its keyed hash and masked.
pub fn registered_row(
    id: String,
    name: String,
    id_number: &ResidentId,
    id_number_hash: String,
    employer_id: Option<String>,
    at: NaiveDateTime,
) -> PersonRow {
    PersonRow {
        id,
        name,
        id_number_hash,
        id_number_masked: id_number.masked(),
        employer_id,
        created_at: at,
        updated_at: at,
    }
}

/// The problem of an employer named that is no registered participant.
pub fn unknown_employer() -> FieldError {
    FieldError::new("employer_id", "unknown_participant", "所属市场主体不存在")
}

/// A person registered, on its own chain, its view (the number masked) as payload.
pub fn registered_entry(person: &Person) -> crate::audit_entry::AuditEntry<&Person> {
    crate::audit_entry::AuditEntry {
        chain: format!("person:{}", person.id),
        action: ggzy_kernel::AuditAction::PersonRegister,
        object_type: "person",
        object_id: person.id.clone(),
        payload: person,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_employer_names_the_employer_field() {
        let problem = unknown_employer();
        assert_eq!((problem.field.as_str(), problem.code.as_str()), ("employer_id", "unknown_participant"));
    }

    fn request(name: Option<&str>, id_number: Option<&str>, employer_id: Option<&str>) -> PersonRequest {
        RegisterPerson {
            name: name.map(str::to_owned),
            id_number: id_number.map(str::to_owned),
            employer_id: employer_id.map(str::to_owned),
        }
        .read()
    }

    #[test]
    fn a_registration_names_its_employer_and_values_or_every_problem() {
        let employer = "0192d3c4-0000-7000-8000-000000000001";
        let read = request(Some("李四"), Some("11010519491231002X"), Some(employer));
        assert_eq!(read.employer_id.as_deref(), Some(employer));
        let (name, id_number) = read.values.unwrap();
        assert_eq!((name.as_str(), id_number.as_str()), ("李四", "11010519491231002X"));
        let read = request(None, Some("11010519491231002Y"), Some("not-a-uuid"));
        assert_eq!(read.employer_id, None);
        let fields: Vec<String> = read.values.unwrap_err().into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["employer_id", "name", "id_number"]);
    }

    #[test]
    fn a_bad_employer_alone_refuses_otherwise_sound_values() {
        let read = request(Some("李四"), Some("11010519491231002X"), Some("x"));
        assert_eq!(read.values.unwrap_err().iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), ["employer_id"]);
    }

    #[test]
    fn a_person_shows_what_the_row_holds_but_the_hash() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap().and_hms_opt(3, 4, 5).unwrap();
        let row = PersonRow {
            id: "p1".into(),
            name: "李四".into(),
            id_number_hash: "secret".into(),
            id_number_masked: "110105********002X".into(),
            employer_id: Some("e1".into()),
            created_at: at,
            updated_at: at,
        };
        let person = Person::from(row);
        assert_eq!(
            person,
            Person {
                id: "p1".into(),
                name: "李四".into(),
                id_number_masked: "110105********002X".into(),
                employer_id: Some("e1".into()),
                created_at: at.and_utc(),
            }
        );
    }

    #[test]
    fn a_registered_person_keeps_the_number_only_hashed_and_masked() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap().and_hms_opt(3, 4, 5).unwrap();
        let number = ResidentId::parse("11010519491231002X").unwrap();
        let row = registered_row("p1".into(), "李四".into(), &number, "h".into(), None, at);
        assert_eq!((row.id_number_hash.as_str(), row.id_number_masked.as_str()), ("h", "110105********002X"));
        assert_eq!((row.created_at, row.updated_at, row.employer_id.as_deref()), (at, at, None));
        assert!(!format!("{row:?}").contains("11010519491231002X"));
    }

    #[test]
    fn a_registration_is_audited_on_the_person_s_own_chain() {
        let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap().naive_utc();
        let number = ResidentId::parse("11010519491231002X").unwrap();
        let person = Person::from(registered_row("n1".into(), "李四".into(), &number, "h".into(), None, at));
        let entry = registered_entry(&person);
        assert_eq!((entry.chain.as_str(), entry.object_type, entry.object_id.as_str()), ("person:n1", "person", "n1"));
        assert_eq!(entry.action, ggzy_kernel::AuditAction::PersonRegister);
    }
}
