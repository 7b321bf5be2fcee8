//! What the pages of every controlled document share: the list of versions, the workflow
//! history, the restore button, the diff view and its query, and the comment form of a
//! workflow action. Knowledge articles and SOPs render their history and changes with these.

use axum::http::StatusCode;
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::AppError;
use spoc_domain::Timestamp;
use spoc_domain::UserId;
use spoc_domain::document::{DiffLine, LogEntry, SectionDiff};

use crate::i18n::{Msg, t, tr};
use crate::page::{FieldErrors, csrf_field, empty_state};
use crate::session::{UiError, Viewer, sentence};
use crate::timefmt::when;

/// A document id or version number from a path: a positive number, or the page is not found.
pub(crate) fn parse_id(value: &str) -> Result<i64, UiError> {
    value
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(UiError::not_found)
}

/// What a document's page says when the app refuses a step on it (a workflow action or a
/// restore: not allowed, not now, or a field it cannot take): a sentence to show on the page.
/// Any other error is handed back, to fail the request.
pub(crate) fn refusal(error: AppError) -> Result<String, AppError> {
    match error {
        AppError::Validation(v) => Ok(sentence(&format!(
            "{}: {}",
            crate::i18n::app::field(v.field),
            crate::i18n::app::text(&v.message)
        ))),
        e @ (AppError::Forbidden(_) | AppError::Conflict(_)) => Ok(sentence(&e.to_string())),
        other => Err(other),
    }
}

/// What a document's editor shows when the app refuses to save: the sentence next to the field
/// it cannot take (422), or, when someone saved in between, next to `conflict_field` with
/// `advice` after it (409). Any other error is handed back, to fail the request.
pub(crate) fn save_refusal(
    error: AppError,
    conflict_field: &'static str,
    advice: Option<&str>,
) -> Result<(FieldErrors, StatusCode), AppError> {
    match error {
        AppError::Validation(e) => Ok((
            FieldErrors::one(e.field, sentence(&e.message)),
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        AppError::Conflict(message) => {
            let text = match advice {
                Some(advice) => format!("{} {advice}", sentence(&message)),
                None => sentence(&message),
            };
            Ok((FieldErrors::one(conflict_field, text), StatusCode::CONFLICT))
        }
        other => Err(other),
    }
}

/// One version in a document's list of versions.
pub(crate) struct VersionItem {
    /// "Version 3", with whatever the kind shows beside it (a link, a state).
    pub heading: Markup,
    /// The version's change note.
    pub note: String,
    /// Who wrote it and when, and anything else the kind adds.
    pub meta: Markup,
    /// What one can do with it (compare, restore).
    pub actions: Markup,
}

/// A document's versions, newest first.
pub(crate) fn version_list(items: &[VersionItem]) -> Markup {
    html! {
        ol class="version-list" reversed {
            @for item in items.iter().rev() {
                li {
                    (item.heading) " — " (item.note)
                    span class="muted small" { " · " (item.meta) }
                    (item.actions)
                }
            }
        }
    }
}

/// "Author, when": who wrote a version and when.
pub(crate) fn written_by(author: String, at: Timestamp) -> Markup {
    html! { (author) ", " (when(at)) }
}

/// The button that restores `version` (posting to `action`), labelled `label`.
pub(crate) fn restore_button(viewer: &Viewer, action: &str, label: &str) -> Markup {
    html! {
        form method="post" action=(action) class="inline" {
            (csrf_field(viewer))
            button class="button button-small button-quiet" type="submit" { (label) }
        }
    }
}

/// A document's workflow log, oldest first: who did what to which version, and why. `phrase`
/// says an action as a verb.
pub(crate) fn history_list(
    log: &[LogEntry],
    name: &dyn Fn(Option<UserId>) -> String,
    phrase: fn(&str) -> &'static str,
) -> Markup {
    html! {
        ul class="log-list" {
            @for entry in log {
                li {
                    strong { (name(entry.actor_id)) } " " (phrase(&entry.action)) " " (tr(Msg::LogVersion, &[&entry.version]))
                    span class="muted small" { " · " (when(entry.at)) }
                    @if let Some(comment) = &entry.comment { div class="entry-body small" { (comment) } }
                }
            }
        }
    }
}

/// Lines of a diff, marked for people and screen readers alike.
pub(crate) fn diff_table(lines: &[DiffLine]) -> Markup {
    html! {
        div class="diff" {
            @for line in lines {
                @match line {
                    DiffLine::Same(line) => div class="diff-same" { span class="visually-hidden" { (t(Msg::DiffUnchanged)) } (line) },
                    DiffLine::Added(line) => ins class="diff-added" { span class="visually-hidden" { (t(Msg::DiffAdded)) } (line) },
                    DiffLine::Removed(line) => del class="diff-removed" { span class="visually-hidden" { (t(Msg::DiffRemoved)) } (line) },
                }
            }
        }
    }
}

/// The changed sections of a diff, one panel each, or a sentence saying nothing changed.
pub(crate) fn sections_view(sections: &[SectionDiff]) -> Markup {
    html! {
        @if sections.is_empty() {
            (empty_state(t(Msg::DiffNoChanges), t(Msg::DiffSame), None))
        }
        @for section in sections {
            section class="panel" {
                h2 class="panel-title" { (sentence(section.section).trim_end_matches('.')) }
                (diff_table(&section.lines))
            }
        }
    }
}

/// The head of a diff page: back to the document, which versions, and an optional note.
pub(crate) fn diff_head(
    back: &str,
    back_label: &str,
    from: i64,
    to: i64,
    note: Option<&str>,
) -> Markup {
    html! {
        div class="page-head" { div {
            p class="eyebrow" { a href=(back) { (back_label) } }
            h1 { (tr(Msg::DiffTitle, &[&from, &to])) }
            @if let Some(note) = note { p class="muted" { (note) } }
        } }
    }
}

/// Diff bounds.
#[derive(Debug, Deserialize)]
pub struct DiffQuery {
    from: Option<String>,
    to: Option<String>,
}

impl DiffQuery {
    /// The two version numbers, or a page saying which versions to compare.
    pub fn versions(&self) -> Result<(i64, i64), UiError> {
        let number = |v: &Option<String>| {
            v.as_deref()
                .and_then(|v| v.trim().parse::<i64>().ok())
                .filter(|v| *v > 0)
        };
        match (number(&self.from), number(&self.to)) {
            (Some(from), Some(to)) => Ok((from, to)),
            _ => Err(UiError::page(
                axum::http::StatusCode::BAD_REQUEST,
                t(Msg::DiffWhichTitle),
                t(Msg::DiffWhich),
            )),
        }
    }
}

/// A form with only the CSRF token and an optional comment.
#[derive(Debug, Default, Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    csrf: String,
    comment: Option<String>,
}

impl CommentForm {
    /// The CSRF token sent.
    pub fn csrf(&self) -> &str {
        &self.csrf
    }

    /// The comment, if any was written.
    pub fn comment(&self) -> Option<&str> {
        self.comment
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
    }
}
