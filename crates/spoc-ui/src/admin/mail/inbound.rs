//! The inbound mail log (`/admin/mail/inbound`): every message received with what became of it
//! and why, each message's page with everything recorded, its original and its attachments, and
//! what to do with the held and quarantined ones — process again, log as a new ticket, add to a
//! ticket as an internal note, dismiss. Admins and leads, as the app layer decides.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::{AppError, InboundMessage, InboundOutcome, Release};
use spoc_domain::TicketId;
use spoc_domain::ticket::{TicketKind, TicketNumber};

use crate::admin::frame::{OkQuery, page};
use crate::admin::mail::frame::{
    PAGE_SIZE, attention_count, dead_count, tabs, ticket_link, ticket_numbers,
};
use crate::desk::email::{
    message_body, message_facts, needs_attention, outcome_badge, positive_id, subject_or_none,
};
use crate::forms::UiForm;
use crate::i18n::mail_admin::MailAdmin;
use crate::i18n::{t, tr};
use crate::page::{FieldErrors, csrf_field, described_by, empty_state, error_box, field, flash};
use crate::session::{UiError, Viewer, sentence};
use crate::timefmt::{iso, when};
use crate::views::{AttachmentView, attachment_list, size_text};
use spoc_http::AppState;

/// Which part of the log to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LogView {
    /// Held and quarantined messages nobody dealt with yet.
    Attention,
    /// Everything.
    All,
    /// Messages that were ignored or refused.
    Ignored,
}

impl LogView {
    const ALL: [Self; 3] = [Self::Attention, Self::All, Self::Ignored];

    fn parse(value: Option<&str>) -> Self {
        match value {
            Some("all") => Self::All,
            Some("ignored") => Self::Ignored,
            _ => Self::Attention,
        }
    }

    fn key(self) -> &'static str {
        match self {
            Self::Attention => "attention",
            Self::All => "all",
            Self::Ignored => "ignored",
        }
    }

    fn label(self) -> &'static str {
        t(match self {
            Self::Attention => MailAdmin::ViewAttention,
            Self::All => MailAdmin::ViewAll,
            Self::Ignored => MailAdmin::ViewIgnored,
        })
    }

    /// The outcomes shown and whether only unsettled ones.
    fn filter(self) -> (&'static [InboundOutcome], bool) {
        match self {
            Self::Attention => (&[InboundOutcome::Held, InboundOutcome::Quarantined], true),
            Self::All => (&[], false),
            Self::Ignored => (&[InboundOutcome::Ignored, InboundOutcome::Refused], false),
        }
    }

    fn empty(self) -> (&'static str, &'static str) {
        let (title, text) = match self {
            Self::Attention => (MailAdmin::EmptyAttentionTitle, MailAdmin::EmptyAttention),
            Self::All => (MailAdmin::EmptyAllTitle, MailAdmin::EmptyAll),
            Self::Ignored => (MailAdmin::EmptyIgnoredTitle, MailAdmin::EmptyIgnored),
        };
        (t(title), t(text))
    }
}

/// The query of the inbound log.
#[derive(Debug, Default, Deserialize)]
pub struct LogQuery {
    view: Option<String>,
    before: Option<String>,
}

/// `GET /admin/mail/inbound`.
pub(crate) async fn inbound_log(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<LogQuery>,
) -> Result<Response, UiError> {
    let view = LogView::parse(query.view.as_deref());
    // A cursor that is not a number starts from the newest message.
    let before = query.before.as_deref().and_then(|b| b.parse::<i64>().ok());
    let (outcomes, unsettled) = view.filter();
    let rows = state
        .app
        .list_inbound(
            &viewer.actor,
            outcomes,
            unsettled,
            before.map(spoc_domain::InboundId::new),
            PAGE_SIZE,
        )
        .await?;
    let numbers = ticket_numbers(
        &state,
        &viewer,
        rows.iter().filter_map(|r| r.ticket_id).collect(),
    )
    .await?;
    let counts = (
        Some(attention_count(&state, &viewer).await?),
        dead_count(&state, &viewer).await?,
    );
    let older = (rows.len() as i64 == PAGE_SIZE)
        .then(|| rows.last().map(|r| r.id))
        .flatten()
        .map(|id| format!("/admin/mail/inbound?view={}&before={id}", view.key()));
    let content = html! {
        div class="page-head" {
            div { h1 { (t(MailAdmin::InboundMail)) } p class="muted" { (t(MailAdmin::InboundIntro)) } }
        }
        (tabs(&viewer, "/admin/mail/inbound", counts))
        nav class="segmented" aria-label=(t(MailAdmin::WhichMessages)) {
            @for v in LogView::ALL {
                a href={ "/admin/mail/inbound?view=" (v.key()) } aria-current=[(v == view).then_some("page")] { (v.label()) }
            }
        }
        (inbound_table(&rows, &numbers, view))
        @if before.is_some() || older.is_some() {
            nav class="pager" aria-label=(t(MailAdmin::Pages)) {
                @if before.is_some() { a class="button button-quiet button-small" href={ "/admin/mail/inbound?view=" (view.key()) } { (t(MailAdmin::Newest)) } }
                @if let Some(href) = &older { a class="button button-quiet button-small" href=(href) rel="next" { (t(MailAdmin::Older)) } }
            }
        }
    };
    Ok(page(
        &viewer,
        "/admin/mail",
        t(MailAdmin::InboundMail),
        StatusCode::OK,
        content,
    ))
}

/// The log's table, or what an empty part of it means.
fn inbound_table(
    rows: &[InboundMessage],
    numbers: &HashMap<TicketId, String>,
    view: LogView,
) -> Markup {
    let (title, text) = view.empty();
    html! {
        @if rows.is_empty() {
            (empty_state(title, text, None))
        } @else {
            div class="table-wrap" { table class="data inbound cards-on-phone" {
                caption class="visually-hidden" { (view.label()) }
                thead { tr {
                    th scope="col" { (t(MailAdmin::ColReceived)) } th scope="col" { (t(MailAdmin::ColFrom)) } th scope="col" { (t(MailAdmin::ColSubject)) }
                    th scope="col" { (t(MailAdmin::ColOutcome)) } th scope="col" { (t(MailAdmin::ColWhy)) } th scope="col" { (t(MailAdmin::ColTicket)) }
                } }
                tbody {
                    @for r in rows {
                        tr class=[needs_attention(r).then_some("needs-attention")] {
                            td class="nowrap small" data-label=(t(MailAdmin::ColReceived)) { time datetime=(iso(r.received_at)) { (when(r.received_at)) } }
                            td class="break sender" data-label=(t(MailAdmin::ColFrom)) { (r.from_address.as_deref().unwrap_or("—")) }
                            td class="subject" data-label=(t(MailAdmin::ColSubject)) { a href={ "/admin/mail/inbound/" (r.id) } { bdi { (subject_or_none(&r.subject)) } } }
                            td class="nowrap" data-label=(t(MailAdmin::ColOutcome)) { (outcome_badge(r)) }
                            td class="small muted reason" data-label=(t(MailAdmin::ColWhy)) { (r.reason) }
                            td data-label=(t(MailAdmin::ColTicket)) { (ticket_link(r.ticket_id, numbers)) }
                        }
                    }
                }
            } }
        }
    }
}

/// What the message page shows about the files of a message.
#[derive(Debug, Default)]
struct MessageFiles {
    /// Stored with its ticket, downloadable.
    stored: Vec<spoc_app::Attachment>,
    /// Read from the original (not stored yet): name, type, size.
    unstored: Vec<(String, String, usize)>,
    /// Refused for their size: name and why.
    refused: Vec<(String, String)>,
    /// The original could not be read, so its parts are unknown.
    unreadable: bool,
    /// Its plain text, as read from the original.
    text: Option<String>,
}

async fn message_files(
    state: &AppState,
    viewer: &Viewer,
    record: &InboundMessage,
) -> Result<MessageFiles, AppError> {
    let mut files = MessageFiles::default();
    if let Some(ticket) = record.ticket_id {
        files.stored = state
            .app
            .list_attachments(&viewer.actor, ticket)
            .await?
            .into_iter()
            .filter(|a| a.inbound_message_id == Some(record.id))
            .collect();
    }
    let raw = state.app.inbound_raw(&viewer.actor, record.id).await?;
    match spoc_mail::parse(&raw, &spoc_mail::Limits::default()) {
        Ok(parsed) => {
            files.text = Some(parsed.text.clone()).filter(|t| !t.trim().is_empty());
            if record.ticket_id.is_none() {
                files.unstored = parsed
                    .attachments
                    .iter()
                    .map(|a| (a.filename.clone(), a.content_type.clone(), a.bytes.len()))
                    .collect();
            }
            files.refused = parsed
                .rejected
                .iter()
                .map(|r| (r.filename.clone(), r.reason.clone()))
                .collect();
        }
        Err(_) => files.unreadable = true,
    }
    Ok(files)
}

fn files_panel(files: &MessageFiles) -> Markup {
    html! {
        section class="panel" aria-labelledby="files-title" {
            h2 class="panel-title" id="files-title" { (t(MailAdmin::Attachments)) }
            @if files.unreadable {
                p class="muted" { (t(MailAdmin::AttachmentsUnreadable)) }
            } @else if files.stored.is_empty() && files.unstored.is_empty() && files.refused.is_empty() {
                p class="muted" { (t(MailAdmin::AttachmentsNone)) }
            }
            @if !files.stored.is_empty() {
                (attachment_list(&files.stored.iter().map(AttachmentView::of).collect::<Vec<_>>()))
            }
            @if !files.unstored.is_empty() {
                ul class="attachments" {
                    @for (name, kind, size) in &files.unstored {
                        li { (name) " " span class="muted small" { (kind) " · " (size_text(i64::try_from(*size).unwrap_or(i64::MAX))) } }
                    }
                }
                p class="hint" { (t(MailAdmin::AttachmentsUnstored)) }
            }
            @if !files.refused.is_empty() {
                h3 { (t(MailAdmin::AttachmentsRefused)) }
                ul class="attachments" {
                    @for (name, why) in &files.refused { li { (name) " " span class="muted small" { (why) } } }
                }
            }
        }
    }
}

/// The plain text of a message without HTML, read from the original, or why there is none.
fn message_text(text: Option<&str>, unreadable: bool) -> Markup {
    html! {
        section class="mail-view panel" aria-labelledby="mail-body-title" {
            h2 class="panel-title" id="mail-body-title" { (t(MailAdmin::TheMessage)) }
            @match text {
                Some(text) => div class="mail-text" { (crate::page::prose(text)) },
                None if unreadable => p class="muted" { (t(MailAdmin::MessageUnreadable)) },
                None => p class="muted" { (t(MailAdmin::MessageNoText)) },
            }
        }
    }
}

/// The release form as typed, with its errors.
#[derive(Debug, Default)]
struct ReleaseState {
    ticket: String,
    errors: FieldErrors,
}

/// The actions for a held or quarantined message.
fn release_panel(viewer: &Viewer, record: &InboundMessage, state: &ReleaseState) -> Markup {
    let action = format!("/admin/mail/inbound/{}/release", record.id);
    let simple = |how: &str, label: &str, class: &str, hint: &str| {
        html! {
            form method="post" action=(action) class="release-option" {
                (csrf_field(viewer))
                input type="hidden" name="how" value=(how);
                button class={ "button " (class) } type="submit" { (label) }
                p class="hint" { (hint) }
            }
        }
    };
    let ticket_error = state.errors.get("ticket");
    html! {
        section class="panel release" id="release" aria-labelledby="release-title" {
            h2 class="panel-title" id="release-title" { (t(MailAdmin::ReleaseTitle)) }
            (error_box(state.errors.get("form")))
            div class="release-options" {
                @if record.outcome == InboundOutcome::Quarantined {
                    (simple("retry", t(MailAdmin::ProcessAgain), "button-primary", t(MailAdmin::ProcessAgainHint)))
                }
                @if record.outcome == InboundOutcome::Held && spoc_domain::mail::held_as_unverified_staff(&record.reason) {
                    (simple("post", t(MailAdmin::PostAsSender), "button-primary", t(MailAdmin::PostAsSenderHint)))
                }
                (simple("new_ticket", t(MailAdmin::LogNewTicket), if record.outcome == InboundOutcome::Held && !spoc_domain::mail::held_as_unverified_staff(&record.reason) { "button-primary" } else { "" },
                    t(MailAdmin::LogNewTicketHint)))
                form method="post" action=(action) class="release-option form" {
                    (csrf_field(viewer))
                    input type="hidden" name="how" value="into_ticket";
                    (field("r-ticket", t(MailAdmin::AddToTicketLabel), Some(t(MailAdmin::AddToTicketHint)), ticket_error, html! {
                        input id="r-ticket" name="ticket" type="text" value=(state.ticket) inputmode="text" autocomplete="off"
                            aria-invalid=[ticket_error.map(|_| "true")]
                            aria-describedby=[described_by("r-ticket", true, ticket_error.is_some())];
                    }))
                    div class="form-actions" { button class="button" type="submit" { (t(MailAdmin::AddToTicket)) } }
                }
                (simple("dismiss", t(MailAdmin::Dismiss), "button-quiet", t(MailAdmin::DismissHint)))
            }
        }
    }
}

async fn message_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    ok: Option<&str>,
    release: &ReleaseState,
    status: StatusCode,
) -> Result<Response, UiError> {
    let record = state
        .app
        .get_inbound(&viewer.actor, spoc_domain::InboundId::new(id))
        .await?;
    let files = message_files(state, viewer, &record).await?;
    let numbers = ticket_numbers(state, viewer, record.ticket_id.into_iter().collect()).await?;
    let mailbox = match record.mailbox_id {
        None => None,
        Some(mailbox) => Some(match state.app.get_mailbox(&viewer.actor, mailbox).await {
            Ok(m) => m.name,
            Err(AppError::Forbidden(_) | AppError::NotFound { .. }) => {
                tr(MailAdmin::MailboxFallback, &[&mailbox])
            }
            Err(e) => return Err(e.into()),
        }),
    };
    let counts = (
        Some(attention_count(state, viewer).await?),
        dead_count(state, viewer).await?,
    );
    let subject = subject_or_none(&record.subject);
    let ticket = record.ticket_id.map(|t| ticket_link(Some(t), &numbers));
    let content = html! {
        div class="page-head" {
            div {
                p class="eyebrow" { a href="/admin/mail/inbound" { (t(MailAdmin::InboundMail)) } }
                h1 { bdi { (subject) } }
            }
            div class="page-actions" {
                a class="button" href={ "/admin/mail/inbound/" (record.id) "/raw" } download { (t(MailAdmin::DownloadOriginal)) }
            }
        }
        (tabs(viewer, "/admin/mail/inbound", counts))
        (flash(ok))
        @if needs_attention(&record) { (release_panel(viewer, &record, release)) }
        section class="panel" aria-labelledby="facts-title" {
            h2 class="panel-title" id="facts-title" { (t(MailAdmin::WhatWasRecorded)) }
            (message_facts(&record, mailbox.as_deref(), ticket))
        }
        @if record.html.is_some() {
            (message_body(record.html.as_deref(), &files.stored))
        } @else {
            (message_text(files.text.as_deref(), files.unreadable))
        }
        (files_panel(&files))
    };
    Ok(page(viewer, "/admin/mail", &subject, status, content))
}

/// `GET /admin/mail/inbound/{id}`.
pub(crate) async fn inbound_message(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<OkQuery>,
) -> Result<Response, UiError> {
    let id = positive_id(&id)?;
    message_page(
        &state,
        &viewer,
        id,
        query.ok.as_deref(),
        &ReleaseState::default(),
        StatusCode::OK,
    )
    .await
}

/// `GET /admin/mail/inbound/{id}/raw`: the message as received, to download.
pub(crate) async fn inbound_raw(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let id = positive_id(&id)?;
    let raw = state
        .app
        .inbound_raw(&viewer.actor, spoc_domain::InboundId::new(id))
        .await?;
    Ok(spoc_http::download::download(
        raw,
        "message/rfc822",
        &format!("message-{id}.eml"),
        false,
    ))
}

/// What to do with a held or quarantined message, as submitted.
#[derive(Debug, Default, Deserialize)]
pub struct ReleaseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    how: String,
    #[serde(default)]
    ticket: String,
}

/// A ticket number as typed: `INC-000042`, `inc-42` or `42`.
fn parse_ticket_ref(text: &str) -> Option<(TicketId, Option<TicketKind>)> {
    let text = text.trim();
    if let Some(number) = TicketNumber::parse(text) {
        return Some((number.id(), Some(number.kind())));
    }
    let digits = text.trim_start_matches('#');
    (!digits.is_empty() && digits.len() <= 18 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse::<i64>().ok())
        .flatten()
        .filter(|id| *id > 0)
        .map(|id| (TicketId::new(id), None))
}

/// `POST /admin/mail/inbound/{id}/release`.
pub(crate) async fn release(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<ReleaseForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    let id = positive_id(&id)?;
    let mut typed = ReleaseState {
        ticket: form.ticket.clone(),
        errors: FieldErrors::none(),
    };
    let how = match form.how.as_str() {
        "retry" => Some((Release::Retry, "retried")),
        "post" => Some((Release::Post, "posted")),
        "new_ticket" => Some((Release::NewTicket, "ticketed")),
        "dismiss" => Some((Release::Dismiss, "dismissed")),
        "into_ticket" => match parse_ticket_ref(&form.ticket) {
            None => {
                typed.errors.add("ticket", t(MailAdmin::WriteTicketNumber));
                None
            }
            Some((ticket, kind)) => match state.app.get_ticket(&viewer.actor, ticket).await {
                Ok(found) if kind.is_none_or(|k| k == found.kind) => {
                    Some((Release::IntoTicket(ticket), "added"))
                }
                Ok(_) | Err(AppError::NotFound { .. }) => {
                    typed.errors.add(
                        "ticket",
                        tr(MailAdmin::NoSuchTicket, &[&form.ticket.trim()]),
                    );
                    None
                }
                Err(e) => return Err(e.into()),
            },
        },
        _ => {
            typed.errors.add("form", t(MailAdmin::ChooseRelease));
            None
        }
    };
    if let Some((how, key)) = how {
        match state
            .app
            .release_inbound(&viewer.actor, spoc_domain::InboundId::new(id), how)
            .await
        {
            Ok(_) => {
                return Ok(
                    Redirect::to(&format!("/admin/mail/inbound/{id}?ok={key}")).into_response()
                );
            }
            Err(AppError::Forbidden(message)) => typed.errors.add("form", sentence(&message)),
            Err(AppError::Validation(e)) if matches!(how, Release::IntoTicket(_)) => {
                typed.errors.add("ticket", sentence(&e.message));
            }
            Err(AppError::Transition(e)) => typed.errors.add(
                if matches!(how, Release::IntoTicket(_)) {
                    "ticket"
                } else {
                    "form"
                },
                sentence(&e.to_string()),
            ),
            Err(e) => return Err(e.into()),
        }
    }
    message_page(
        &state,
        &viewer,
        id,
        None,
        &typed,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

#[cfg(test)]
mod tests {
    use spoc_domain::user::Role;

    use super::*;
    use crate::admin::mail::frame::tests::viewer;
    use crate::desk::email::tests::record;

    #[test]
    fn the_log_shows_outcome_reason_and_ticket_and_escapes_senders_words() {
        let mut held = record(InboundOutcome::Held);
        held.subject = "<script>x</script>".to_owned();
        let mut ticketed = record(InboundOutcome::TicketCreated);
        ticketed.id = spoc_domain::InboundId::new(10);
        ticketed.ticket_id = Some(TicketId::new(42));
        let numbers: HashMap<TicketId, String> =
            [(TicketId::new(42), "INC-000042".to_owned())].into();
        let html = inbound_table(&[held, ticketed], &numbers, LogView::All).into_string();
        assert!(html.contains("&lt;script&gt;x&lt;/script&gt;") && !html.contains("<script>"));
        assert!(html.contains(r#"<tr class="needs-attention">"#));
        assert!(html.contains("Held for review") && html.contains("New ticket"));
        assert!(html.contains(r#"<a class="mono nowrap" href="/desk/tickets/42">INC-000042</a>"#));
        assert!(html.contains(r#"href="/admin/mail/inbound/9""#));
        let empty = inbound_table(&[], &numbers, LogView::Attention).into_string();
        assert!(empty.contains("Nothing needs attention"));
    }

    #[test]
    fn held_messages_offer_every_release_with_the_token() {
        let held = record(InboundOutcome::Held);
        let state = ReleaseState {
            ticket: "INC-9".to_owned(),
            errors: FieldErrors::one("ticket", "There is no ticket INC-9 that you can see."),
        };
        let html = release_panel(&viewer(Role::Lead), &held, &state).into_string();
        for how in ["new_ticket", "into_ticket", "dismiss"] {
            assert!(
                html.contains(&format!(r#"name="how" value="{how}""#)),
                "{how}"
            );
        }
        assert!(
            !html.contains(r#"value="retry""#),
            "only quarantined mail is processed again"
        );
        assert_eq!(html.matches(r#"name="csrf""#).count(), 3);
        assert!(
            !html.contains(r#"value="post""#),
            "only mail held as unverified staff mail is vouched for"
        );
        assert!(html.contains(r#"id="r-ticket-error">There is no ticket INC-9"#));
        assert!(html.contains(r#"value="INC-9""#));
        let quarantined = record(InboundOutcome::Quarantined);
        let html = release_panel(&viewer(Role::Admin), &quarantined, &ReleaseState::default())
            .into_string();
        assert!(html.contains(r#"value="retry""#));
        assert!(
            !html.contains(r#"value="post""#),
            "only held mail is vouched for"
        );
        let mut spoofed = record(InboundOutcome::Held);
        spoofed.reason = "agent@example.test belongs to a member of staff, but nothing proves the message comes from them: it carries no Authentication-Results from a trusted server (mx.example.test). It is held for review, so that nobody can write in a staff member's name.".to_owned();
        let html =
            release_panel(&viewer(Role::Admin), &spoofed, &ReleaseState::default()).into_string();
        assert!(html.contains(r#"value="post""#), "{html}");
    }

    #[test]
    fn a_message_without_html_shows_its_text_escaped() {
        let html = message_text(Some("Line one\n<b>two</b>"), false).into_string();
        assert!(html.contains("Line one\n&lt;b&gt;two&lt;/b&gt;"), "{html}");
        assert!(
            message_text(None, true)
                .into_string()
                .contains("could not be read")
        );
    }

    #[test]
    fn ticket_numbers_are_read_as_people_write_them() {
        assert_eq!(
            parse_ticket_ref("INC-000042"),
            Some((TicketId::new(42), Some(TicketKind::Incident)))
        );
        assert_eq!(parse_ticket_ref(" 42 "), Some((TicketId::new(42), None)));
        assert_eq!(parse_ticket_ref("#7"), Some((TicketId::new(7), None)));
        for bad in ["", "INC-", "forty-two", "0", "-3"] {
            assert_eq!(parse_ticket_ref(bad), None, "{bad}");
        }
    }
}
