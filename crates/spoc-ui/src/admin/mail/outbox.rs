//! The outbox (`/admin/mail/outbox`): e-mail waiting to be sent, sent, and dead letters, which
//! an admin can send again.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::{OutboxEntry, OutboxState};
use spoc_domain::TicketId;
use spoc_domain::mail::NoticeTopic;

use crate::admin::frame::{page, require_admin};
use crate::admin::mail::frame::{PAGE_SIZE, attention_count, tabs, ticket_link, ticket_numbers};
use crate::desk::email::positive_id;
use crate::forms::UiForm;
use crate::i18n::mail_admin::MailAdmin;
use crate::i18n::t;
use crate::i18n::tr_markup;
use crate::page::{FieldErrors, csrf_field, empty_state, flash, none, text_input};
use crate::session::{UiError, Viewer};
use crate::timefmt::{iso, when};
use spoc_http::AppState;

/// The query of the outbox page.
#[derive(Debug, Default, Deserialize)]
pub struct OutboxQuery {
    state: Option<String>,
    before: Option<String>,
    ok: Option<String>,
    /// The test message's address, kept after a refusal.
    to: Option<String>,
    /// Why the test message was refused.
    error: Option<String>,
}

/// Whether mail is on, and the form that sends a test message (`#test-message`).
fn test_message(viewer: &Viewer, mail_on: bool, to: &str, error: Option<&str>) -> Markup {
    let errors = match error {
        Some(e) => FieldErrors::one("to", e),
        None => FieldErrors::none(),
    };
    html! {
        @if mail_on {
            section class="panel" id="test-message" aria-labelledby="test-message-heading" {
                h2 id="test-message-heading" { (t(MailAdmin::SendTestTitle)) }
                p class="muted" { (t(MailAdmin::SendTestIntro)) }
                form class="form" method="post" action="/admin/mail/test" novalidate {
                    (csrf_field(viewer))
                    (text_input("test-to", "to", t(MailAdmin::SendItTo), "email", to, true, None, &errors))
                    div class="form-actions" { button class="button button-primary" type="submit" { (t(MailAdmin::SendTest)) } }
                }
            }
        } @else {
            div class="notice notice-warning" id="test-message" role="status" {
                strong { (t(MailAdmin::EmailOff)) }
                " "
                (tr_markup(MailAdmin::EmailOffOutbox, &[html! { a href="/admin/mail/relay" { (t(MailAdmin::OutgoingMail)) } }]))
            }
        }
    }
}

fn state_label(state: OutboxState) -> &'static str {
    t(match state {
        OutboxState::Pending => MailAdmin::StateWaiting,
        OutboxState::Dead => MailAdmin::StateDead,
        OutboxState::Sent => MailAdmin::StateSent,
    })
}

/// What an outbox message is, in words.
fn topic_text(topic: &str) -> String {
    let name = topic.strip_prefix("mail.").unwrap_or(topic);
    match NoticeTopic::parse(name) {
        Ok(topic) => crate::i18n::words::notice_topic(topic).to_owned(),
        Err(_) if name == "attachment_rejected" => t(MailAdmin::TopicAttachmentRejected).to_owned(),
        Err(_) if name == "password_reset" => t(MailAdmin::TopicPasswordReset).to_owned(),
        Err(_) if name == "test_message" => t(MailAdmin::TopicTestMessage).to_owned(),
        Err(_) => name.replace('_', " "),
    }
}

/// `GET /admin/mail/outbox`.
pub(crate) async fn outbox(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<OutboxQuery>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    let wanted = query
        .state
        .as_deref()
        .and_then(OutboxState::parse)
        .unwrap_or(OutboxState::Pending);
    let before = query.before.as_deref().and_then(|b| b.parse::<i64>().ok());
    let rows = state
        .app
        .list_outbox(
            &viewer.actor,
            Some(wanted),
            before.map(spoc_domain::OutboxId::new),
            PAGE_SIZE,
        )
        .await?;
    let (waiting, dead) = state.app.outbox_counts(&viewer.actor).await?;
    let sender = state
        .app
        .mail_sender(&viewer.actor)
        .await?
        .map(|c| (c.from.to_string(), c.public_url.clone()));
    let mail_on = sender.is_some();
    let numbers = ticket_numbers(
        &state,
        &viewer,
        rows.iter().filter_map(|r| r.ticket_id).collect(),
    )
    .await?;
    let counts = (Some(attention_count(&state, &viewer).await?), Some(dead));
    let older = (rows.len() as i64 == PAGE_SIZE)
        .then(|| rows.last().map(|r| r.id))
        .flatten()
        .map(|id| format!("/admin/mail/outbox?state={}&before={id}", wanted.as_str()));
    let content = html! {
        div class="page-head" {
            div { h1 { (t(MailAdmin::Outbox)) } p class="muted" { (t(MailAdmin::OutboxIntro)) } }
        }
        (tabs(&viewer, "/admin/mail/outbox", counts))
        (flash(query.ok.as_deref()))
        @if let Some((from, public_url)) = &sender {
            p class="muted" id="mail-sender" {
                (tr_markup(MailAdmin::MailGoesOut, &[
                    html! { strong { (from) } },
                    html! { code { (public_url) } },
                    html! { a href="/admin/mail/relay" { (t(MailAdmin::OutgoingMail)) } },
                ]))
            }
        }
        (test_message(&viewer, mail_on, query.to.as_deref().unwrap_or(""), query.error.as_deref()))
        nav class="segmented" aria-label=(t(MailAdmin::WhichMessages)) {
            @for (s, count) in [(OutboxState::Pending, Some(waiting)), (OutboxState::Dead, Some(dead)), (OutboxState::Sent, None)] {
                a href={ "/admin/mail/outbox?state=" (s.as_str()) } aria-current=[(s == wanted).then_some("page")] {
                    (state_label(s)) @if let Some(n) = count { " " span class="count" { (n) } }
                }
            }
        }
        (outbox_table(&viewer, &rows, &numbers, wanted, mail_on))
        @if before.is_some() || older.is_some() {
            nav class="pager" aria-label=(t(MailAdmin::Pages)) {
                @if before.is_some() { a class="button button-quiet button-small" href={ "/admin/mail/outbox?state=" (wanted.as_str()) } { (t(MailAdmin::Newest)) } }
                @if let Some(href) = &older { a class="button button-quiet button-small" href=(href) rel="next" { (t(MailAdmin::Older)) } }
            }
        }
    };
    Ok(page(
        &viewer,
        "/admin/mail",
        t(MailAdmin::Outbox),
        StatusCode::OK,
        content,
    ))
}

fn outbox_table(
    viewer: &Viewer,
    rows: &[OutboxEntry],
    numbers: &HashMap<TicketId, String>,
    wanted: OutboxState,
    mail_on: bool,
) -> Markup {
    let (title, text) = match wanted {
        _ if !mail_on => (MailAdmin::EmptyOffTitle, MailAdmin::EmptyOff),
        OutboxState::Pending => (MailAdmin::EmptyWaitingTitle, MailAdmin::EmptyWaiting),
        OutboxState::Dead => (MailAdmin::EmptyDeadTitle, MailAdmin::EmptyDead),
        OutboxState::Sent => (MailAdmin::EmptySentTitle, MailAdmin::EmptySent),
    };
    let (title, text) = (t(title), t(text));
    let when_label = t(match wanted {
        OutboxState::Pending => MailAdmin::WhenNextAttempt,
        OutboxState::Dead => MailAdmin::WhenGivenUp,
        OutboxState::Sent => MailAdmin::StateSent,
    });
    html! {
        @if rows.is_empty() {
            (empty_state(title, text, None))
        } @else {
            div class="table-wrap" { table class="data outbox cards-on-phone" {
                caption class="visually-hidden" { (state_label(wanted)) }
                thead { tr {
                    th scope="col" { (t(MailAdmin::ColQueued)) } th scope="col" { (t(MailAdmin::ColTo)) } th scope="col" { (t(MailAdmin::ColWhat)) } th scope="col" { (t(MailAdmin::ColTicket)) }
                    th scope="col" class="num" { (t(MailAdmin::ColAttempts)) } th scope="col" { (when_label) } th scope="col" { (t(MailAdmin::ColLastError)) }
                    @if wanted == OutboxState::Dead { th scope="col" { span class="visually-hidden" { (t(MailAdmin::ColAction)) } } }
                } }
                tbody {
                    @for r in rows {
                        @let at = match wanted {
                            OutboxState::Pending => Some(r.available_at),
                            OutboxState::Dead => r.dead_at,
                            OutboxState::Sent => r.done_at,
                        };
                        tr {
                            td class="nowrap small" data-label=(t(MailAdmin::ColQueued)) { time datetime=(iso(r.created_at)) { (when(r.created_at)) } }
                            td class="break recipient" data-label=(t(MailAdmin::ColTo)) { @match &r.recipient { Some(to) => (to), None => span class="muted" { (t(MailAdmin::CurrentAddress)) } } }
                            td data-label=(t(MailAdmin::ColWhat)) { (topic_text(&r.topic)) }
                            td data-label=(t(MailAdmin::ColTicket)) { (ticket_link(r.ticket_id, numbers)) }
                            td class="num" data-label=(t(MailAdmin::ColAttempts)) { (r.attempts) }
                            td class="nowrap small" data-label=(when_label) { @match at { Some(at) => time datetime=(iso(at)) { (when(at)) }, None => (none()) } }
                            td class="small" data-label=(t(MailAdmin::ColLastError)) { @match &r.last_error { Some(e) => span class="field-error" { (e) }, None => (none()) } }
                            @if wanted == OutboxState::Dead {
                                td data-label=(t(MailAdmin::ColAction)) {
                                    form method="post" action={ "/admin/mail/outbox/" (r.id) "/retry" } class="inline" {
                                        (csrf_field(viewer))
                                        button class="button button-small" type="submit" { (t(MailAdmin::SendAgain)) }
                                    }
                                }
                            }
                        }
                    }
                }
            } }
        }
    }
}

/// `POST /admin/mail/test`: queues a test message; the outbox shows it.
pub(crate) async fn send_test(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<crate::admin::mail::frame::TestForm>,
) -> Result<Response, UiError> {
    crate::admin::mail::frame::queue_test_message(&state, &viewer, &form, "/admin/mail/outbox")
        .await
}

/// A form with only its token.
#[derive(Debug, Default, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /admin/mail/outbox/{id}/retry`.
pub(crate) async fn retry_outbox(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<TokenForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    let id = positive_id(&id)?;
    state
        .app
        .retry_outbox(&viewer.actor, spoc_domain::OutboxId::new(id))
        .await?;
    Ok(Redirect::to("/admin/mail/outbox?state=dead&ok=requeued").into_response())
}

#[cfg(test)]
mod tests {
    use spoc_domain::Timestamp;
    use spoc_domain::user::Role;

    use super::*;
    use crate::admin::mail::frame::tests::viewer;

    #[test]
    fn dead_letters_can_be_sent_again_and_topics_read_as_words() {
        let at = Timestamp::from_micros(1_800_000_000_000_000);
        let dead = OutboxEntry {
            id: spoc_domain::OutboxId::new(3),
            topic: "mail.agent_reply".to_owned(),
            idempotency_key: "k".to_owned(),
            recipient: Some("una@example.test".to_owned()),
            ticket_id: Some(TicketId::new(42)),
            created_at: at,
            available_at: at,
            attempts: 8,
            last_error: Some("550 mailbox unavailable".to_owned()),
            done_at: None,
            dead_at: Some(at),
        };
        let html = outbox_table(
            &viewer(Role::Admin),
            &[dead],
            &HashMap::new(),
            OutboxState::Dead,
            true,
        )
        .into_string();
        assert!(html.contains(r#"action="/admin/mail/outbox/3/retry""#));
        assert!(html.contains("Send again"));
        assert!(html.contains("The desk replied on a ticket of yours"));
        assert!(html.contains("550 mailbox unavailable"));
        assert_eq!(
            topic_text("mail.attachment_rejected"),
            "Attachments refused for their size (to the sender)"
        );
        let empty = outbox_table(
            &viewer(Role::Admin),
            &[],
            &HashMap::new(),
            OutboxState::Dead,
            true,
        )
        .into_string();
        assert!(empty.contains("No dead letters"));
        let off = outbox_table(
            &viewer(Role::Admin),
            &[],
            &HashMap::new(),
            OutboxState::Pending,
            false,
        )
        .into_string();
        assert!(off.contains("E-mail is off"), "{off}");
        assert!(!off.contains("handed to the mail relay"));
        let notice = test_message(&viewer(Role::Admin), false, "", None).into_string();
        assert!(notice.contains("E-mail is off."), "{notice}");
        assert!(!notice.contains("<form"));
        let form = test_message(
            &viewer(Role::Admin),
            true,
            "x@y.test",
            Some("Not an address."),
        )
        .into_string();
        assert!(form.contains(r#"action="/admin/mail/test""#));
        assert!(form.contains("Not an address."));
    }
}
