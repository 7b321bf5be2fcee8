//! Restoring an old version: a new version whose content is the old one's. It is an edit like
//! any other, so the kind's rule for the status after an edit applies — it never skips review.

/// The log action of a restore.
pub const RESTORED: &str = "restored";

/// A restore of version `from`: what the new version and the log say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Restore {
    /// The version whose content comes back.
    pub from: i64,
}

impl Restore {
    /// The new version's change note.
    pub fn change_note(self) -> String {
        format!("Restored version {}", self.from)
    }

    /// The log entry's comment.
    pub fn log_comment(self) -> String {
        format!("from version {}", self.from)
    }
}

/// How an edit (or a restore) lands, by the kind's status rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditPlan {
    /// A new latest version, numbered one after the latest, as a draft.
    NewVersion,
    /// The latest version is still a draft: it is revised in place, keeping its number.
    ReviseDraft(i64),
}

impl EditPlan {
    /// The number the edited content will have, given the latest version.
    pub const fn number(self, latest: i64) -> i64 {
        match self {
            Self::NewVersion => latest + 1,
            Self::ReviseDraft(version) => version,
        }
    }
}
