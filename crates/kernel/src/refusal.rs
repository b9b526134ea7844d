//! How a domain refusal is told to the one who asked: a rule that says no (with its id, its
//! words and the fields to change), a request that is invalid as such, a state that does
//! not allow the act now, an act the asker may not do, or a record that is there already.
//! Each domain crate decides which of these its refusals are and what they say; the service
//! only turns the answer into its problem response.

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
    /// The asker may see the object but may not do this act on it (its role or its part in
    /// the matter does not allow it); `rule` names the rule behind the bar, if one does.
    Forbidden { detail: String, rule: Option<&'static str> },
    /// The act would record a second time what is recorded once (`what`), under `rule` if
    /// one says so.
    AlreadyExists { what: &'static str, rule: Option<&'static str> },
}

impl Answer {
    /// A bar on the asker that no rule id names.
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Answer::Forbidden { detail: detail.into(), rule: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_keeps_its_words_and_names_no_rule() {
        let answer = Answer::forbidden("不是本标段评标委员会成员");
        assert_eq!(answer, Answer::Forbidden { detail: "不是本标段评标委员会成员".into(), rule: None });
        assert_ne!(answer, Answer::Conflict("不是本标段评标委员会成员".into()));
    }

    #[test]
    fn already_exists_is_not_a_conflict() {
        let exists = Answer::AlreadyExists { what: "direct award", rule: None };
        assert_ne!(exists, Answer::Conflict("direct award".into()));
        let Answer::AlreadyExists { what, rule } = exists else { unreachable!() };
        assert_eq!((what, rule), ("direct award", None));
    }
}
