use thiserror::Error;

/// What can go wrong in the store. Callers map these onto their own error kinds; none of the
/// texts here is meant for an API response.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("unsupported database URL scheme `{0}`: use postgres://… or sqlite://path")]
    UnsupportedUrl(String),
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("unique constraint violated: {0}")]
    UniqueViolation(String),
    #[error("foreign key violated: {0}")]
    ForeignKeyViolation(String),
    #[error("row not found")]
    NotFound,
    #[error("migration failed: {0}")]
    Migration(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(diesel::result::Error),
    /// A second pooled connection asked for while this thread holds one: inside a
    /// transaction it would not see the transaction's own writes, and enough such calls at
    /// once exhaust the pool and deadlock. Functions that run inside one take its connection.
    #[error("a pooled connection was asked for while this thread already holds one")]
    NestedConnection,
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
}

impl From<diesel::result::Error> for StoreError {
    fn from(error: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match error {
            Error::NotFound => StoreError::NotFound,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                StoreError::UniqueViolation(info.constraint_name().unwrap_or(info.message()).to_owned())
            }
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info) => {
                StoreError::ForeignKeyViolation(info.message().to_owned())
            }
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                StoreError::Unavailable(info.message().to_owned())
            }
            other => StoreError::Database(other),
        }
    }
}

impl From<diesel::r2d2::PoolError> for StoreError {
    fn from(error: diesel::r2d2::PoolError) -> Self {
        StoreError::Unavailable(error.to_string())
    }
}
