//! The agent's composer on the ticket view: a public reply, an internal note, or a reply that
//! also resolves the ticket, with Markdown, a preview and files.
//!
//! The composer has a mode, reply or note, that decides what Ctrl+Enter sends and which
//! button comes first. After a note it stays on note (and after a reply on reply): a note never
//! turns into a public reply by default.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use spoc_app::{ActionInput, AppError};
use spoc_domain::text::Body;
use spoc_domain::ticket::{ResolutionCode, Ticket};

use crate::composer::{FORMATTING_HINT, file_field, preview_tabs};
use crate::desk::action_forms::TicketForms;
use crate::desk::ticket::{parse_ticket_id, render_ticket};
use crate::page::csrf_field;
use crate::session::{STALE_FORM, UiError, Viewer, sentence};
use crate::upload::{UiUpload, uploads};
use spoc_http::AppState;

/// What the composer sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Intent {
    Reply,
    Note,
    ReplyAndResolve,
}

impl Intent {
    fn parse(value: &str) -> Option<Self> {
        match value {
            "reply" => Some(Self::Reply),
            "note" => Some(Self::Note),
            "reply_resolve" => Some(Self::ReplyAndResolve),
            _ => None,
        }
    }
}

/// Whether the composer opens on "internal note": after a note was added or refused.
fn note_mode(forms: &TicketForms) -> bool {
    forms.composer_internal || forms.flash.as_deref() == Some("noted")
}

/// The composer panel of `ticket` at `base` (`/desk/tickets/{id}`), offering the colleagues
/// who can see the ticket for @mentions.
pub(crate) async fn composer_panel(
    state: &AppState,
    viewer: &Viewer,
    base: &str,
    ticket: &Ticket,
    forms: &TicketForms,
) -> Result<Markup, UiError> {
    let colleagues = state.app.mentionable(&viewer.actor, ticket.id).await?;
    let canned = state
        .app
        .canned_for_ticket(&viewer.actor, ticket.id)
        .await?;
    let note = note_mode(forms);
    let error = forms.composer_error.as_deref();
    let files_error = forms.composer_files_error.as_deref();
    let described = if error.is_some() {
        "body-hint body-error"
    } else {
        "body-hint"
    };
    let reply_button = html! {
        button class={ "button" @if !note { " button-primary" } } type="submit" name="intent" value="reply" { "Reply" }
    };
    let note_button = html! {
        button class={ "button button-note" @if note { " button-primary" } } type="submit" name="intent" value="note" { "Add internal note" }
    };
    Ok(html! {
        section class={ "panel composer-panel" @if note { " composer-note" } } aria-labelledby="composer-title" {
            h2 class="panel-title" id="composer-title" { "Reply or add a note" }
            form class="form composer" method="post" action={ (base) "/comment" } enctype="multipart/form-data" {
                (csrf_field(viewer))
                input type="hidden" name="mode" value=(if note { "note" } else { "reply" });
                p class="composer-mode" role="status" {
                    @if note {
                        span class="badge badge-internal" { "Internal note" } " Only agents will see this. Ctrl+Enter adds it as a note."
                    } @else {
                        "Replies go to the requester. Ctrl+Enter sends a reply."
                    }
                }
                div.field.has-error[error.is_some()] {
                    label for="body" { "Message" }
                    textarea id="body" name="body" rows="5" required data-mentions="mention-options"
                        aria-invalid=[error.map(|_| "true")]
                        aria-describedby=(described) { (forms.composer_body) }
                    p class="hint" id="body-hint" {
                        (FORMATTING_HINT) " Type @ and a colleague's name to mention them; they are notified."
                    }
                    @if let Some(error) = error {
                        p class="field-error" id="body-error" { (error) }
                    }
                }
                (preview_tabs(viewer, "body"))
                (canned_picker(&canned))
                (file_field("files", "Attach files or screenshots", files_error))
                div class="form-actions composer-actions" {
                    @if note { (note_button) (reply_button) } @else { (reply_button) (note_button) }
                    @if ticket.status.is_open() {
                        button class="button" type="submit" name="intent" value="reply_resolve" { "Reply and resolve" }
                    }
                }
            }
            // The colleagues @ offers (the script shows them as a list under the message).
            ul id="mention-options" class="mention-options" role="listbox" aria-label="Colleagues to mention" hidden {
                @for person in &colleagues {
                    @if person.id != viewer.user_id {
                        li role="option" id={ "mention-" (person.id) } data-name=(person.name) { (person.name) }
                    }
                }
            }
        }
    })
}

/// The canned-response picker: a list of the responses (filled for this ticket) and an
/// *Insert* button that puts the chosen one into the message at the cursor (with scripts; the
/// page links to where they are kept either way).
fn canned_picker(canned: &[(spoc_app::CannedResponse, String)]) -> Markup {
    html! {
        div class="canned-picker" {
            @if canned.is_empty() {
                p class="hint" { "No canned responses yet. " a href="/desk/canned" { "Add canned responses" } }
            } @else {
                div class="canned-controls" data-canned-for="body" hidden {
                    label for="canned-pick" { "Canned response" }
                    select id="canned-pick" {
                        @for (response, filled) in canned {
                            option value=(response.id) data-text=(filled) {
                                (response.title) @if response.shared() { " (shared)" }
                            }
                        }
                    }
                    button class="button button-small" type="button" id="canned-insert" { "Insert" }
                }
                p class="hint" { a href="/desk/canned" { "Manage canned responses" } }
            }
        }
    }
}

/// `POST /desk/tickets/{id}/comment`: a reply, a note, or a reply that resolves, with files.
pub async fn comment(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiUpload(data): UiUpload,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    let id = parse_ticket_id(&id)?;
    let text = data.text("body").unwrap_or("").to_owned();
    // The button pressed; without one (Ctrl+Enter, an older page) the composer's mode, or the
    // visibility an older form sent.
    let intent = data
        .text("intent")
        .and_then(Intent::parse)
        .or_else(|| data.text("mode").and_then(Intent::parse))
        .unwrap_or(if data.text("visibility") == Some("internal") {
            Intent::Note
        } else {
            Intent::Reply
        });
    let internal = intent == Intent::Note;
    let reshow = |body_error: Option<String>, files_error: Option<String>| TicketForms {
        composer_body: text.clone(),
        composer_internal: internal,
        composer_error: body_error,
        composer_files_error: files_error,
        ..TicketForms::default()
    };
    if !viewer.csrf_matches(data.text("csrf").unwrap_or("")) {
        let forms = reshow(Some(STALE_FORM.to_owned()), None);
        return render_ticket(&state, &viewer, id, forms, StatusCode::FORBIDDEN).await;
    }
    let body = match Body::parse_as("body", &text) {
        Ok(body) => body,
        Err(e) => {
            let message = if text.trim().is_empty() {
                "Write a message first.".to_owned()
            } else {
                sentence(&e.message)
            };
            let forms = reshow(Some(message), None);
            return render_ticket(&state, &viewer, id, forms, StatusCode::UNPROCESSABLE_ENTITY)
                .await;
        }
    };
    let files = uploads(&data, "files");
    match state
        .app
        .add_comment_with_files(&viewer.actor, id, internal, body.clone(), files)
        .await
    {
        Ok(_) => {}
        Err(AppError::Validation(e)) => {
            let forms = if e.field == "files" {
                reshow(None, Some(e.message))
            } else {
                reshow(Some(sentence(&e.message)), None)
            };
            return render_ticket(&state, &viewer, id, forms, StatusCode::UNPROCESSABLE_ENTITY)
                .await;
        }
        Err(AppError::RateLimited { message, .. }) => {
            let forms = reshow(Some(sentence(&message)), None);
            return render_ticket(&state, &viewer, id, forms, StatusCode::TOO_MANY_REQUESTS).await;
        }
        Err(e) => return Err(e.into()),
    }
    let flash = match intent {
        Intent::Note => "noted",
        Intent::Reply => "replied",
        Intent::ReplyAndResolve => {
            let resolve = ActionInput::Resolve {
                code: ResolutionCode::Solved,
                notes: body,
            };
            match state
                .app
                .perform_action(&viewer.actor, id, None, resolve)
                .await
            {
                Ok(_) => "replied_resolved",
                Err(
                    e @ (AppError::Transition(_)
                    | AppError::Forbidden(_)
                    | AppError::Validation(_)
                    | AppError::VersionConflict { .. }),
                ) => {
                    // The reply is posted; say why the ticket is still open.
                    let forms = TicketForms {
                        flash: Some("replied".to_owned()),
                        error: Some(format!(
                            "The ticket was not resolved: {}",
                            sentence(&e.to_string())
                        )),
                        ..TicketForms::default()
                    };
                    return render_ticket(&state, &viewer, id, forms, StatusCode::OK).await;
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
    Ok(Redirect::to(&format!("/desk/tickets/{id}?ok={flash}")).into_response())
}
