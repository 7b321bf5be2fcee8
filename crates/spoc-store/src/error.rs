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
    /// The database cannot be reached, is locked by another process past the wait, or is
    /// overloaded. Transient: the same request may succeed later.
    #[error("database unavailable: {0}")]
    Unavailable(#[source] sqlx::Error),
    /// The database did not answer within the caller's bound.
    #[error("the database did not answer in time")]
    TimedOut,
    /// The disk (or the database's quota) is full: nothing was written. Transient once an
    /// operator frees space; the writer recovers by itself.
    #[error("storage full: {0}")]
    StorageFull(#[source] sqlx::Error),
    /// Text the database cannot store (a NUL character, invalid encoding) reached it. Request
    /// validation refuses such text first; this is the last line.
    #[error("text the database cannot store: {0}")]
    InvalidText(#[source] sqlx::Error),
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
            sqlx::Error::Database(ref db) => match classify(db.code().as_deref()) {
                Class::Full => Self::StorageFull(error),
                Class::Unavailable => Self::Unavailable(error),
                Class::InvalidText => Self::InvalidText(error),
                Class::Other => Self::Database(error),
            },
            other => Self::Database(other),
        }
    }
}

impl StoreError {
    /// Whether the failure is the database's state (unreachable, locked, full), not the
    /// request's: the same request may succeed later.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::Unavailable(_) | Self::StorageFull(_) | Self::TimedOut
        )
    }

    /// An error of the same transient kind, for answering several callers of one failed
    /// group of writes (database errors cannot be cloned).
    pub(crate) fn transient_copy(&self) -> Self {
        match self {
            Self::StorageFull(e) => Self::StorageFull(sqlx::Error::Protocol(e.to_string())),
            Self::TimedOut => Self::TimedOut,
            other => Self::Unavailable(sqlx::Error::Protocol(other.to_string())),
        }
    }
}

/// What a database error code says about the failure.
#[derive(Debug, PartialEq, Eq)]
enum Class {
    Full,
    Unavailable,
    InvalidText,
    Other,
}

/// Classifies a database error by its code: PostgreSQL's SQLSTATE (always five characters) or
/// SQLite's (extended) result code as a decimal number (below 10,000, the primary code in the
/// low byte).
fn classify(code: Option<&str>) -> Class {
    let Some(code) = code else {
        return Class::Other;
    };
    if code.len() == 5 {
        return postgres_class(code);
    }
    match code.parse::<u32>().map(|c| c & 0xff) {
        // SQLITE_FULL (13): the disk or `max_page_count` is full.
        Ok(13) => Class::Full,
        // SQLITE_BUSY (5), SQLITE_LOCKED (6): another process holds the lock past the wait;
        // SQLITE_IOERR (10), SQLITE_CANTOPEN (14): the file cannot be read or written now.
        Ok(5 | 6 | 10 | 14) => Class::Unavailable,
        _ => Class::Other,
    }
}

fn postgres_class(sqlstate: &str) -> Class {
    match sqlstate {
        // disk_full, out_of_memory, program_limit_exceeded are not all transient; only the
        // disk is the operator's to free.
        "53100" => Class::Full,
        // character_not_in_repertoire (a NUL byte), untranslatable_character
        "22021" | "22P05" => Class::InvalidText,
        // too_many_connections, insufficient_resources, admin/crash shutdown, cannot connect
        // now, read-only (a standby), lock not available
        "53300" | "53000" | "57P01" | "57P02" | "57P03" | "25006" | "55P03" => Class::Unavailable,
        // class 08: connection exceptions
        s if s.starts_with("08") => Class::Unavailable,
        _ => Class::Other,
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(error: serde_json::Error) -> Self {
        Self::Corrupt(error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::{Class, classify};

    #[test]
    fn sqlite_codes_are_classified_by_their_primary_code() {
        assert_eq!(classify(Some("13")), Class::Full);
        assert_eq!(classify(Some("5")), Class::Unavailable);
        assert_eq!(classify(Some("517")), Class::Unavailable); // SQLITE_BUSY_SNAPSHOT
        assert_eq!(classify(Some("3338")), Class::Unavailable); // SQLITE_IOERR_FSYNC
        assert_eq!(classify(Some("2067")), Class::Other); // SQLITE_CONSTRAINT_UNIQUE
        assert_eq!(classify(None), Class::Other);
    }

    #[test]
    fn postgres_sqlstates_are_classified() {
        assert_eq!(classify(Some("53100")), Class::Full);
        assert_eq!(classify(Some("22021")), Class::InvalidText);
        assert_eq!(classify(Some("57P03")), Class::Unavailable);
        assert_eq!(classify(Some("08006")), Class::Unavailable);
        assert_eq!(classify(Some("53300")), Class::Unavailable);
        assert_eq!(classify(Some("23505")), Class::Other);
        assert_eq!(classify(Some("42P01")), Class::Other);
    }
}
