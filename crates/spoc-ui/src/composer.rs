//! What every composer shares (the agent's reply and note, the portal's reply and "Get help"
//! form): a file field that takes dropped and pasted files, the Markdown hint and a preview
//! rendered by the server's safe Markdown renderer.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;

use crate::forms::UiForm;
use crate::i18n::desk::Desk;
use crate::i18n::{t, tr};
use crate::session::{UiError, Viewer};
use spoc_http::AppState;

/// The hint under a message field.
pub fn formatting_hint() -> &'static str {
    t(Desk::FormattingHint)
}

/// The largest file the desk takes, for the hint (the e-mail channel's limit).
fn limit_text() -> String {
    crate::views::size_text(spoc_mail::Limits::default().max_attachment_bytes as i64)
}

/// A file field for several files; with JavaScript it also takes files dropped on its form and
/// screenshots pasted into the form's message, and lists what was chosen. `error` is the
/// sentence shown next to it when a file was refused.
pub fn file_field(id: &str, label: &str, error: Option<&str>) -> Markup {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = if error.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        hint_id.clone()
    };
    html! {
        div.field.field-files.has-error[error.is_some()] data-drop-zone {
            label for=(id) { (label) }
            input type="file" id=(id) name="files" multiple
                data-max-bytes=(spoc_mail::Limits::default().max_attachment_bytes)
                aria-invalid=[error.map(|_| "true")]
                aria-describedby=(described);
            p class="hint" id=(hint_id) {
                (tr(Desk::UploadLimit, &[&limit_text()])) " "
                span class="js-only" hidden { (t(Desk::UploadDropHint)) }
            }
            ul class="chosen-files" aria-live="polite" hidden {}
            @if let Some(error) = error {
                p class="field-error" id=(error_id) role="alert" { (error) }
            }
        }
    }
}

/// The "Preview" control of the message field `textarea`: shown only with JavaScript, it asks
/// the server to render the text and shows the result below.
pub fn preview_tabs(viewer: &Viewer, textarea: &str) -> Markup {
    html! {
        div class="md-preview" data-preview-for=(textarea) data-csrf=(viewer.csrf) hidden {
            button class="button button-quiet button-small" type="button" aria-expanded="false"
                aria-controls={ (textarea) "-preview" } { (t(Desk::CompPreview)) }
            div class="md-preview-body entry-body entry-markdown" id={ (textarea) "-preview" } aria-live="polite" hidden {}
        }
    }
}

/// The preview request.
#[derive(Debug, Deserialize)]
pub struct PreviewForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    body: String,
}

/// `POST /preview`: `body` as the history will show it — Markdown rendered and sanitised by the
/// same renderer, as an HTML fragment (signed-in people only, with the form token).
pub async fn preview(
    State(_state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<PreviewForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    let html = if form.body.trim().is_empty() {
        html! { p class="muted" { (t(Desk::CompNothingToPreview)) } }
    } else {
        PreEscaped(spoc_http::markdown::comment_html(&form.body))
    };
    let mut response = (StatusCode::OK, html.into_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_hint_names_the_mail_limit() {
        assert_eq!(super::limit_text(), "20.0 MB");
    }
}
