//! Typed ids: one newtype per entity over UUID v7.
//!
//! Separate types stop a `ProjectId` from being passed where a `SectionId` is meant.
//! UUID v7 puts the creation time in the leading bits, so ids sort by time and index
//! well; the time comes from the injected [`Clock`](crate::Clock), never the system.

use std::fmt;

use chrono::{DateTime, Utc};
use thiserror::Error;
use uuid::Uuid;

/// Why a string is not a valid id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
pub enum IdError {
    #[error("标识格式不正确，应为带连字符的 36 位 UUID，例如 \"01890a5d-ac96-774b-bcce-b302099a8057\"")]
    Malformed,
}

impl IdError {
    pub fn code(&self) -> &'static str {
        match self {
            IdError::Malformed => "malformed_id",
        }
    }
}

/// Positions of the hyphens in the canonical 8-4-4-4-12 form.
const HYPHENS: [usize; 4] = [8, 13, 18, 23];

/// Parses only the hyphenated 36-character form (either hex case); `Uuid::try_parse`
/// alone would also take the simple, braced and URN forms, and then one id would have
/// several spellings in URLs and logs.
fn parse_canonical(s: &str) -> Result<Uuid, IdError> {
    let bytes = s.as_bytes();
    if bytes.len() != 36 {
        return Err(IdError::Malformed);
    }
    let layout_ok =
        bytes.iter().enumerate().all(|(i, b)| if HYPHENS.contains(&i) { *b == b'-' } else { b.is_ascii_hexdigit() });
    if !layout_ok {
        return Err(IdError::Malformed);
    }
    Uuid::try_parse(s).map_err(|_| IdError::Malformed)
}

/// A UUID v7 whose timestamp is `at` (instants before 1970 are clamped to the epoch).
/// One counter for the whole process, so ids made within the same millisecond (or at the
/// same instant of a manual clock) still sort in the order they were made.
static V7_CONTEXT: std::sync::Mutex<uuid::ContextV7> = std::sync::Mutex::new(uuid::ContextV7::new());

/// A time-ordered UUID (v7) at `at`, monotonic within this process.
pub fn v7_at(at: DateTime<Utc>) -> Uuid {
    let secs = u64::try_from(at.timestamp()).unwrap_or(0);
    let context = V7_CONTEXT.lock().unwrap_or_else(|p| p.into_inner());
    let ts = uuid::Timestamp::from_unix(&*context, secs, at.timestamp_subsec_nanos());
    Uuid::new_v7(ts)
}

macro_rules! typed_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(Uuid);

        impl $name {
            /// A new time-ordered id created at `at` (take it from the injected clock).
            pub fn new_v7(at: DateTime<Utc>) -> Self {
                Self(v7_at(at))
            }

            pub fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            pub fn as_uuid(&self) -> &Uuid {
                &self.0
            }

            /// Accepts only the hyphenated form, e.g. `01890a5d-ac96-774b-bcce-b302099a8057`.
            pub fn parse(s: &str) -> Result<Self, IdError> {
                parse_canonical(s).map(Self)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = IdError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Self::parse(&s).map_err(serde::de::Error::custom)
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)))
                    .examples(["01890a5d-ac96-774b-bcce-b302099a8057"])
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($name))
            }
        }
    };
}

typed_id!(
    /// A market participant (市场主体): tenderer, bidder, agency, …
    ParticipantId
);
typed_id!(
    /// A natural person known to the platform (agent staff, expert, centre staff).
    PersonId
);
typed_id!(
    /// A registered project (项目).
    ProjectId
);
typed_id!(
    /// A section (标段) of a project; bids, bonds and awards are per section.
    SectionId
);
typed_id!(
    /// An entry in the append-only audit log.
    AuditEventId
);
typed_id!(
    /// A non-human caller of the API.
    ServiceAccountId
);
typed_id!(
    /// An evaluation committee (评标委员会).
    CommissionId
);

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const SAMPLE: &str = "01890a5d-ac96-774b-bcce-b302099a8057";

    #[test]
    fn new_v7_embeds_the_given_instant() {
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 8, 30, 0).unwrap();
        let id = ProjectId::new_v7(at);
        assert_eq!(id.as_uuid().get_version_num(), 7);
        let (secs, _) = id.as_uuid().get_timestamp().unwrap().to_unix();
        assert_eq!(i64::try_from(secs).unwrap(), at.timestamp());
    }

    #[test]
    fn ids_made_later_sort_later() {
        let t0 = Utc.with_ymd_and_hms(2026, 3, 1, 8, 30, 0).unwrap();
        let a = SectionId::new_v7(t0);
        let b = SectionId::new_v7(t0 + chrono::Duration::milliseconds(1));
        assert!(a < b);
    }

    #[test]
    fn parse_accepts_only_the_hyphenated_form() {
        let id = ParticipantId::parse(SAMPLE).unwrap();
        assert_eq!(id.to_string(), SAMPLE);
        let upper = ParticipantId::parse(&SAMPLE.to_uppercase()).unwrap();
        assert_eq!(upper, id);
        assert_eq!(upper.to_string(), SAMPLE);
        for bad in [
            "",
            "01890a5dac96774bbcceb302099a8057",
            "{01890a5d-ac96-774b-bcce-b302099a8057}",
            "urn:uuid:01890a5d-ac96-774b-bcce-b302099a8057",
            " 01890a5d-ac96-774b-bcce-b302099a8057",
            "01890a5d-ac96-774b-bcce-b302099a805g",
            "01890a5d-ac96-774b-bcce-b302099a805",
            "01890a5dac-96-774b-bcce-b302099a8057",
        ] {
            assert_eq!(ParticipantId::parse(bad), Err(IdError::Malformed), "{bad:?}");
        }
        assert_eq!(SAMPLE.parse::<PersonId>().unwrap().to_string(), SAMPLE);
    }

    #[test]
    fn serde_is_a_plain_string() {
        let id = CommissionId::parse(SAMPLE).unwrap();
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{SAMPLE}\""));
        let back: CommissionId = serde_json::from_str(&json).unwrap();
        assert_eq!(back, id);
        assert!(serde_json::from_str::<CommissionId>("\"01890a5dac96774bbcceb302099a8057\"").is_err());
        assert!(serde_json::from_str::<CommissionId>("42").is_err());
    }

    #[test]
    fn schema_is_a_uuid_string() {
        use utoipa::{PartialSchema, ToSchema};
        let json = serde_json::to_value(AuditEventId::schema()).unwrap();
        assert_eq!(json["type"], "string");
        assert_eq!(json["format"], "uuid");
        assert_eq!(AuditEventId::name(), "AuditEventId");
        assert_eq!(ServiceAccountId::name(), "ServiceAccountId");
    }
}
