//! Shared vocabulary of the ggzy platform, used by every other crate.
//!
//! This crate owns the small value types whose meaning must not drift between crates:
//!
//! - [`Money`]: amounts in fen (分), spoken as decimal strings on the API;
//! - typed ids ([`ParticipantId`], [`ProjectId`], …) over time-ordered UUID v7;
//! - the [`Clock`] that injects "now" (so deadlines are testable);
//! - the China [`WorkingCalendar`] and the statutory day counting built on it, and how a
//!   year of it is loaded (`calendar_load`);
//! - validation of national identifiers ([`CreditCode`], [`ResidentId`]);
//! - closed enums stored as text ([`closed_enum!`], [`ClosedEnum`]);
//! - cursor paging ([`PageRequest`], [`Page`]) and per-field errors ([`FieldError`]);
//! - how a refusal is told: a rule, an invalid request, a conflict, a bar on the asker or a
//!   record there already ([`Answer`]).
//!
//! It is pure: no I/O, no database, no web framework.

pub mod audit_action;
pub mod calendar;
pub mod calendar_load;
pub mod clock;
pub mod closed;
pub mod identifiers;
pub mod ids;
pub mod money;
pub mod paging;
pub mod provisional;
pub mod refusal;
pub mod stored;
pub mod validation;

pub use audit_action::AuditAction;
pub use calendar::{
    beijing_text, end_of_local_day, local_date, outlook, provisional_span, CalendarEntry, CalendarError,
    CalendarOutlook, DayKind, WorkingCalendar,
};
pub use clock::{Clock, ManualClock, RunningClock, SystemClock};
pub use closed::{parse_closed, ClosedEnum, UnknownValue};
pub use identifiers::{CreditCode, CreditCodeError, CreditCodeWarning, ResidentId, ResidentIdError};
pub use ids::{AuditEventId, CommissionId, IdError, ParticipantId, PersonId, ProjectId, SectionId, ServiceAccountId};
pub use money::{Money, MoneyError};
pub use paging::{Page, PageRequest};
pub use refusal::Answer;
pub use stored::{stored, stored_count, stored_json, stored_money, stored_opt, StoredFault, StoredJson};
pub use validation::{FieldError, FieldErrorCode, FIELD_ERROR_CODES};
