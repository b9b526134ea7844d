//! How a domain refusal is told to the one who asked: a rule that says no (with its id, its
//! words and the fields to change), a request that is invalid as such, or a state that does
//! not allow the act now. Each domain crate decides which of the three its refusals are and
//! what they say; the service only turns the answer into its problem response.

use crate::FieldError;

/// A refusal as it is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The rule `rule` forbids the act: its words, and the fields concerned if any.
    Rule { rule: &'static str, detail: String, problems: Vec<FieldError> },
    /// The request itself is wrong, field by field.
    Invalid(Vec<FieldError>),
    /// The object's state does not allow the act now.
    Conflict(String),
}
