//! The agent's composer on the ticket view: a public reply, an internal note, or a reply that
//! also resolves the ticket, with Markdown, a preview, files, canned responses and @mentions
//! (what it sends is handled in `reply.rs`).
//!
//! The composer has a mode, reply or note, that decides what Ctrl+Enter sends and which
//! button comes first. After a note it stays on note (and after a reply on reply): a note never
//! turns into a public reply by default.

use maud::{Markup, html};
use spoc_domain::ticket::Ticket;

use crate::composer::{file_field, formatting_hint, preview_tabs};
use crate::desk::action_forms::TicketForms;
use crate::i18n::desk::Desk;
use crate::i18n::t;
use crate::page::csrf_field;
use crate::session::{UiError, Viewer};
use spoc_http::AppState;

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
        // i18n: not text (ids)
        "body-hint body-error"
    } else {
        "body-hint"
    };
    let reply_button = html! {
        button class={ "button" @if !note { " button-primary" } } type="submit" name="intent" value="reply" { (t(Desk::CompReply)) }
    };
    let note_button = html! {
        button class={ "button button-note" @if note { " button-primary" } } type="submit" name="intent" value="note" { (t(Desk::CompAddNote)) }
    };
    Ok(html! {
        section class={ "panel composer-panel" @if note { " composer-note" } } aria-labelledby="composer-title" {
            h2 class="panel-title" id="composer-title" { (t(Desk::CompTitle)) }
            form class="form composer" method="post" action={ (base) "/comment" } enctype="multipart/form-data" {
                (csrf_field(viewer))
                input type="hidden" name="mode" value=(if note { "note" } else { "reply" });
                p class="composer-mode" role="status" {
                    @if note {
                        span class="badge badge-internal" { (t(Desk::CompInternalNote)) } " " (t(Desk::CompNoteMode))
                    } @else {
                        (t(Desk::CompReplyMode))
                    }
                }
                div.field.has-error[error.is_some()] {
                    label for="body" { (t(Desk::CompMessage)) }
                    textarea id="body" name="body" rows="5" required data-mentions="mention-options"
                        aria-invalid=[error.map(|_| "true")]
                        aria-describedby=(described) { (forms.composer_body) }
                    p class="hint" id="body-hint" {
                        (formatting_hint()) " " (t(Desk::CompMentionHint))
                    }
                    @if let Some(error) = error {
                        p class="field-error" id="body-error" { (error) }
                    }
                }
                (preview_tabs(viewer, "body"))
                (canned_picker(&canned))
                (file_field("files", t(Desk::CompAttach), files_error))
                div class="form-actions composer-actions" {
                    @if note { (note_button) (reply_button) } @else { (reply_button) (note_button) }
                    @if ticket.status.is_open() {
                        button class="button" type="submit" name="intent" value="reply_resolve" { (t(Desk::CompReplyResolve)) }
                    }
                }
            }
            // The colleagues @ offers (the script shows them as a list under the message).
            ul id="mention-options" class="mention-options" role="listbox" aria-label=(t(Desk::CompColleagues)) hidden {
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
                p class="hint" { (t(Desk::CompNoCanned)) " " a href="/desk/canned" { (t(Desk::CompAddCanned)) } }
            } @else {
                div class="canned-controls" data-canned-for="body" hidden {
                    label for="canned-pick" { (t(Desk::CompCanned)) }
                    select id="canned-pick" {
                        @for (response, filled) in canned {
                            option value=(response.id) data-text=(filled) {
                                (response.title) @if response.shared() { " " (t(Desk::CompShared)) }
                            }
                        }
                    }
                    button class="button button-small" type="button" id="canned-insert" { (t(Desk::CompInsert)) }
                }
                p class="hint" { a href="/desk/canned" { (t(Desk::CompManageCanned)) } }
            }
        }
    }
}
