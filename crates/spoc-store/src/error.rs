//! The store's one error type.

/// What can go wrong in the store. A query failure is never folded into "not found".
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A uniqueness or reference rule refused the write; `what` names it.
    #[error("conflict: {what}")]
    Conflict {
        /// The constraint or value that clashed, as the database reported it.
        what: String,
        /// Whether the clash was with an existing unique value (else a missing reference).
        unique: bool,
    },
    /// A ticket changed since the caller read it.
    #[error("the ticket was changed by someone else (now at version {current})")]
    VersionConflict {
        /// The version now stored.
        current: i64,
    },
    /// The database cannot be reached or is overloaded.
    #[error("database unavailable: {0}")]
    Unavailable(#[source] sqlx::Error),
    /// The configuration is wrong (e.g. an unknown URL scheme).
    #[error("{0}")]
    Config(String),
    /// A stored value could not be understood.
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
    /// Migrations failed.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Any other database error.
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::RowNotFound => Self::NotFound,
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                Self::Unavailable(error)
            }
            sqlx::Error::Database(ref db) if db.is_unique_violation() => Self::Conflict {
                what: db.constraint().unwrap_or(db.message()).to_owned(),
                unique: true,
            },
            sqlx::Error::Database(ref db) if db.is_foreign_key_violation() => Self::Conflict {
                what: db.constraint().unwrap_or(db.message()).to_owned(),
                unique: false,
            },
            sqlx::Error::Configuration(ref e) => Self::Config(e.to_string()),
            other => Self::Database(other),
        }
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(error: serde_json::Error) -> Self {
        Self::Corrupt(error.to_string())
    }
}
