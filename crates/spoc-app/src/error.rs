//! The app layer's one error type; the web layer maps it to HTTP in exactly one place.

use spoc_domain::ValidationError;
use spoc_domain::access::Denied;
use spoc_domain::lifecycle::{CommandError, TransitionError};
use spoc_store::StoreError;

/// Why a use case did not happen.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No valid credentials.
    #[error("authentication required")]
    Unauthenticated,
    /// Too many failed sign-in attempts; try again later.
    #[error("too many failed sign-in attempts; try again in {} minute(s)", (retry_after_secs + 59) / 60)]
    TooManyAttempts {
        /// Seconds until an attempt is allowed again.
        retry_after_secs: i64,
    },
    /// Minting a token or changing a password needs the current password, or a sign-in within
    /// the last few minutes.
    #[error("{0}")]
    ReauthenticationRequired(String),
    /// The API token's scope (read-only, or a set of resources) does not allow this.
    #[error("{0}")]
    TokenScope(String),
    /// The person sent more tickets or replies than the desk allows within its window.
    #[error("{message}")]
    RateLimited {
        /// Seconds until another is allowed.
        retry_after_secs: i64,
        /// What was limited, for a person.
        message: String,
    },
    /// The thing does not exist, or the actor may not see it (indistinguishable on purpose).
    #[error("{what} not found")]
    NotFound {
        /// What was looked for (`ticket`, `user`…).
        what: &'static str,
    },
    /// The actor can see the thing but may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// Input breaks a rule.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// The lifecycle does not allow the action now.
    #[error(transparent)]
    Transition(#[from] TransitionError),
    /// The ticket changed since the caller read it.
    #[error(
        "the ticket was changed by someone else since version {expected}; it is now at version {current}"
    )]
    VersionConflict {
        /// The version the caller had.
        expected: i64,
        /// The version now stored.
        current: i64,
    },
    /// A change of a ticket was sent without saying which version it applies to.
    #[error(
        "say which version of the ticket this change applies to (If-Match header or version field)"
    )]
    VersionRequired,
    /// A unique name or e-mail is taken.
    #[error("{0}")]
    Duplicate(String),
    /// The record changed since the caller read it (knowledge articles, SOPs).
    #[error("{0}")]
    Conflict(String),
    /// The ticket's SOP has quality checks that do not hold yet, so it cannot be resolved or
    /// closed; each missing check is named.
    #[error("{} is not possible yet; record first: {}", action.as_str(), missing.iter().map(|m| m.text.as_str()).collect::<Vec<_>>().join("; "))]
    QualityChecks {
        /// Resolve or close.
        action: spoc_domain::lifecycle::Action,
        /// The checks that do not hold, in the SOP's order.
        missing: Vec<spoc_domain::sop::MissingCheck>,
    },
    /// The database cannot be reached, is locked past the wait, or its disk is full: nothing
    /// was done, and the same request may succeed later.
    #[error("the database is unavailable")]
    Unavailable(#[source] StoreError),
    /// Anything else: a bug or a broken database. Details are logged, never shown.
    #[error("internal error: {0}")]
    Internal(#[source] StoreError),
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => Self::NotFound { what: "record" },
            StoreError::Unavailable(_) | StoreError::StorageFull(_) | StoreError::TimedOut => {
                Self::Unavailable(error)
            }
            StoreError::InvalidText(_) => Self::Validation(ValidationError::new(
                "text",
                "contains a character that cannot be stored (such as NUL)",
            )),
            StoreError::Conflict {
                ref what,
                unique: true,
            } => Self::Duplicate(format!("that value is already taken ({what})")),
            StoreError::VersionConflict { current } => Self::VersionConflict {
                expected: current - 1,
                current,
            },
            other => Self::Internal(other),
        }
    }
}

impl AppError {
    /// Whether this is an unavailable database because its disk is full (an operator must free
    /// space), as opposed to one that cannot be reached or is locked.
    pub fn is_storage_full(&self) -> bool {
        matches!(self, Self::Unavailable(StoreError::StorageFull(_)))
    }
}

impl From<CommandError> for AppError {
    fn from(error: CommandError) -> Self {
        match error {
            CommandError::Transition(e) => Self::Transition(e),
            CommandError::Invalid(e) => Self::Validation(e),
        }
    }
}

impl From<spoc_domain::credential::OutOfScope> for AppError {
    fn from(denied: spoc_domain::credential::OutOfScope) -> Self {
        Self::TokenScope(denied.0)
    }
}

impl From<Denied> for AppError {
    fn from(denied: Denied) -> Self {
        Self::Forbidden(denied.0.to_owned())
    }
}

/// Maps a store `NotFound` to a not-found error naming `what`.
pub(crate) fn not_found(what: &'static str) -> impl FnOnce(StoreError) -> AppError {
    move |error| match error {
        StoreError::NotFound => AppError::NotFound { what },
        other => other.into(),
    }
}
