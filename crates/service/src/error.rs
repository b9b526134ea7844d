use ggzy_kernel::FieldError;
use ggzy_store::StoreError;
use thiserror::Error;

/// A record that a create would have duplicated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingRecord {
    pub id: String,
    /// API path of the existing record.
    pub href: String,
}

/// Why a use case refused or failed. The gateway maps each kind onto one problem type.
#[derive(Debug, Error)]
pub enum ServiceError {
    /// Input that breaks a rule of its own (format, range, required): every problem at once.
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    /// Materials missing or wrong where a rule requires them told at once
    /// (registration.one_time_notice); every item in the list.
    #[error("incomplete under {rule}: {errors:?}")]
    Incomplete { rule: &'static str, errors: Vec<FieldError> },
    /// A rule of RULES.md says no; `rule` is its id.
    #[error("refused by {rule}: {detail}")]
    RuleViolation { rule: &'static str, detail: String, errors: Vec<FieldError> },
    #[error("{what} not found")]
    NotFound { what: &'static str },
    /// A create that would duplicate a record registered once (participant.register_once);
    /// `existing` names the record only when the caller may read it.
    #[error("{what} already exists")]
    AlreadyExists { what: &'static str, rule: Option<&'static str>, existing: Option<ExistingRecord> },
    /// The state changed under the request (a concurrent update); retrying may succeed.
    #[error("conflict: {detail}")]
    Conflict { detail: String },
    #[error("authentication required")]
    Unauthenticated,
    #[error("forbidden: {detail}")]
    Forbidden { detail: String, rule: Option<&'static str> },
    /// Client credentials that do not match an active service account.
    #[error("invalid client credentials")]
    InvalidClient,
    #[error("database unavailable")]
    Unavailable,
    /// A fault of the platform; the text is logged, never sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for ServiceError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Unavailable(_) => ServiceError::Unavailable,
            StoreError::NotFound => ServiceError::NotFound { what: "record" },
            // A reference the use case did not check: the input named a record that is not
            // there. Still the caller's input, so not a 500.
            StoreError::ForeignKeyViolation(_) => {
                ServiceError::Invalid(vec![FieldError::new("", "unknown_reference", "请求引用的记录不存在")])
            }
            StoreError::UniqueViolation(what) => {
                ServiceError::Conflict { detail: format!("并发写入冲突（{what}），请重试") }
            }
            other => ServiceError::Internal(other.to_string()),
        }
    }
}

impl From<ggzy_policy::Denied> for ServiceError {
    fn from(denied: ggzy_policy::Denied) -> Self {
        match denied {
            ggzy_policy::Denied::Unauthenticated => ServiceError::Unauthenticated,
            ggzy_policy::Denied::Forbidden { detail, rule } => ServiceError::Forbidden { detail, rule },
        }
    }
}

/// A stored value the code cannot read: a fault of the platform, logged with its column.
impl From<ggzy_kernel::StoredFault> for ServiceError {
    fn from(fault: ggzy_kernel::StoredFault) -> Self {
        ServiceError::Internal(fault.to_string())
    }
}

/// A value sealed at rest that does not seal or open: a fault of the platform's keys or
/// stored values, logged, never sent.
impl From<ggzy_seal::at_rest::AtRestFault> for ServiceError {
    fn from(fault: ggzy_seal::at_rest::AtRestFault) -> Self {
        ServiceError::Internal(fault.to_string())
    }
}

/// A refusal as its domain crate tells it: a rule with its words and fields, an invalid
/// request, a conflict, an act the caller may not do, or a record there already (never
/// named: the domain crate does not know what the caller may read).
impl From<ggzy_kernel::Answer> for ServiceError {
    fn from(answer: ggzy_kernel::Answer) -> Self {
        match answer {
            ggzy_kernel::Answer::Rule { rule, detail, problems } => {
                ServiceError::RuleViolation { rule, detail, errors: problems }
            }
            ggzy_kernel::Answer::Invalid(problems) => ServiceError::Invalid(problems),
            ggzy_kernel::Answer::Conflict(detail) => ServiceError::Conflict { detail },
            ggzy_kernel::Answer::Forbidden { detail, rule } => ServiceError::Forbidden { detail, rule },
            ggzy_kernel::Answer::AlreadyExists { what, rule } => {
                ServiceError::AlreadyExists { what, rule, existing: None }
            }
        }
    }
}
