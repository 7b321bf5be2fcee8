//! Wire types every controlled document shares: a workflow log entry, a diff between two
//! versions, and a workflow action's comment. Articles and SOPs answer with these, so a client
//! reads the history and the changes of either the same way.

use serde::{Deserialize, Serialize};
use spoc_domain::document::{DiffLine, LogEntry, SectionDiff};
use spoc_http::params::time;
use utoipa::ToSchema;

/// One step of a document's workflow log: who moved which version, how, and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct LogEntryDto {
    /// The version concerned.
    pub version: i64,
    /// `created`, `edited`, `restored`, or the kind's workflow action (articles: `submit`,
    /// `publish`, `return`, `retire`; SOPs: `drafted`, `submit`, `check`, `validate`,
    /// `approve`, `retire`, `return`, `reviewed`, `settings`).
    pub action: String,
    /// Who (absent: the system).
    pub actor_id: Option<i64>,
    /// When (RFC 3339).
    pub at: String,
    /// Their comment.
    pub comment: Option<String>,
}

impl From<&LogEntry> for LogEntryDto {
    fn from(l: &LogEntry) -> Self {
        Self {
            version: l.version,
            action: l.action.clone(),
            actor_id: l.actor_id.map(|a| a.get()),
            at: time(l.at),
            comment: l.comment.clone(),
        }
    }
}

/// A part of a document compared between two versions.
#[derive(Debug, Serialize, ToSchema)]
pub struct SectionDiffDto {
    /// The part: for articles `title`, `kind`, `audience`, `symptom`, `cause`, `workaround` or
    /// `body`.
    pub section: String,
    /// Lines: `{"op":"same"|"added"|"removed","text":"…"}`.
    pub lines: Vec<DiffLineDto>,
}

impl From<SectionDiff> for SectionDiffDto {
    fn from(s: SectionDiff) -> Self {
        Self {
            section: s.section.to_owned(),
            lines: s.lines.into_iter().map(diff_line).collect(),
        }
    }
}

/// One line of a diff.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiffLineDto {
    /// `same`, `added` or `removed`.
    pub op: String,
    /// The line.
    pub text: String,
}

/// Converts a domain diff line.
pub fn diff_line(line: DiffLine) -> DiffLineDto {
    let (op, text) = match line {
        DiffLine::Same(t) => ("same", t),
        DiffLine::Added(t) => ("added", t),
        DiffLine::Removed(t) => ("removed", t),
    };
    DiffLineDto {
        op: op.to_owned(),
        text,
    }
}

/// A workflow action's body.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = WorkflowCommentDto)]
pub struct CommentDto {
    /// Why (required to return an article or an SOP to draft).
    pub comment: Option<String>,
}
