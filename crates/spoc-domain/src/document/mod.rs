//! Controlled documents: what knowledge articles and SOPs (and, next, catalogue items and
//! change templates) have in common, written once.
//!
//! A controlled document is a row of document control plus numbered versions. Every edit is a
//! version (number, content, author, time, change note); every move through the document's
//! workflow is an entry in its log (who, which version, which action, why). Two versions are
//! compared section by section, line by line (`diff`); an old version comes back as a new
//! version with its content (`restore`), under the same status rule as any edit; and a
//! document read by the desk is reviewed on a schedule (`review`).
//!
//! What is each kind's own stays with it: an article's audience and visibility and its
//! draft → review → published → retired workflow (`knowledge`); an SOP's steps, gates and
//! links and its governance with separation of duties (`sop`).

use std::fmt;

use crate::access::SystemActor;
use crate::text::ValidationError;
use crate::ticket::name_enum;
use crate::{ArticleId, SopId, Timestamp, UserId};

mod diff;
mod restore;
mod review;

pub use diff::*;
pub use restore::*;
pub use review::*;

name_enum!(
    /// Which sort of controlled document.
    DocumentKind, "kind" {
        /// A knowledge article.
        Article => "article",
        /// A standard operating procedure.
        Sop => "sop",
    }
);

impl DocumentKind {
    /// How a sentence names one, e.g. "article", "SOP".
    pub const fn noun(self) -> &'static str {
        match self {
            Self::Article => "article",
            Self::Sop => "SOP",
        }
    }
}

/// Which document: its kind and its id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DocumentId {
    /// A knowledge article.
    Article(ArticleId),
    /// An SOP.
    Sop(SopId),
}

impl DocumentId {
    /// Its kind.
    pub const fn kind(self) -> DocumentKind {
        match self {
            Self::Article(_) => DocumentKind::Article,
            Self::Sop(_) => DocumentKind::Sop,
        }
    }

    /// The raw database id, within its kind.
    pub const fn get(self) -> i64 {
        match self {
            Self::Article(id) => id.get(),
            Self::Sop(id) => id.get(),
        }
    }
}

impl From<ArticleId> for DocumentId {
    fn from(id: ArticleId) -> Self {
        Self::Article(id)
    }
}

impl From<SopId> for DocumentId {
    fn from(id: SopId) -> Self {
        Self::Sop(id)
    }
}

/// What every version of a controlled document has, whatever its content.
pub trait Versioned {
    /// The content of one version (an article's fields, an SOP's procedure).
    type Content;

    /// 1, 2, …
    fn number(&self) -> i64;
    /// Its content.
    fn content(&self) -> &Self::Content;
    /// What changed and why.
    fn change_note(&self) -> &str;
    /// Who wrote it (`None`: imported, or written by Spoc).
    fn author(&self) -> Option<UserId>;
    /// When it was written.
    fn written_at(&self) -> Timestamp;
}

/// One entry of a document's workflow log: who moved which version, by which action, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry {
    /// The version it concerned.
    pub version: i64,
    /// The action: `created`, `edited`, `restored`, or a workflow action of the kind
    /// (`submit`, `publish`, `approve`…).
    pub action: String,
    /// Who, if a person (`None`: Spoc itself).
    pub actor_id: Option<UserId>,
    /// Which part of the system, if the system acted (the SOP review scan, bootstrap…); `None`
    /// with no `actor_id` too: written before principals were recorded, or imported.
    pub actor_system: Option<SystemActor>,
    /// When.
    pub at: Timestamp,
    /// Their comment.
    pub comment: Option<String>,
}

/// The log action of a document's first version.
pub const CREATED: &str = "created";
/// The log action of an edit.
pub const EDITED: &str = "edited";

/// Everyone who wrote or revised `version`: its author, and whoever the log shows creating,
/// drafting, editing or restoring it. Separation of duties reads this.
pub fn authors_of(version: i64, author: Option<UserId>, log: &[LogEntry]) -> Vec<UserId> {
    let mut authors: Vec<UserId> = author.into_iter().collect();
    authors.extend(
        log.iter()
            .filter(|l| {
                l.version == version
                    && matches!(l.action.as_str(), CREATED | "drafted" | EDITED | RESTORED)
            })
            .filter_map(|l| l.actor_id),
    );
    authors
}

/// A change note: trimmed, one reason-sized text. Empty is refused when `required`; otherwise
/// it becomes `default`.
pub fn change_note(text: &str, required: bool, default: &str) -> Result<String, ValidationError> {
    let text = text.trim();
    if text.is_empty() {
        return if required {
            Err(ValidationError::new(
                "change_summary",
                "say what changed and why",
            ))
        } else {
            Ok(default.to_owned())
        };
    }
    crate::text::Reason::parse_as("change_summary", text).map(|r| r.into_string())
}
